"""Case analysis page (judges, editors, admins): indicators, elements, provisions, similar cases and actors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd
import streamlit as st

from app import auth, case_view
from app.case_analyses import CaseAnalysisStore
from app.case_export import case_docx, case_markdown
from app.case_upload import analyse_upload
from app.i18n import current_language, error_text, t, t_message
from app.render import safe_markdown
from app.resources import get_assistant, get_scrubber, get_settings
from app.serve import upload_limit_mb
from core.errors import SafeBordersError

PAGE = "case_analysis"
RESULT = "case_result"  # the shown analysis: kept in the session, so a language switch re-renders it
STATUS_COLOURS: dict[str, Literal["green", "gray", "blue"]] = {
    "found": "green",
    "not_found": "gray",
    "not_required": "blue",
}


@st.cache_resource(show_spinner=False)
def _analyzer(key: str) -> Any:
    from analysis.case import CaseAnalyzer

    assistant = get_assistant()

    def documents() -> Mapping[str, Mapping[str, Any]]:  # read when similar cases are searched
        return assistant.snapshot().manifest.documents

    return CaseAnalyzer.from_settings(get_settings(), assistant.embedder, get_scrubber(), assistant, documents)


def _run(text: str, upload: Any) -> Any:
    analyzer = _analyzer(str(get_settings().index_dir))
    bar = st.progress(0.0, text=t("ca_working"))

    def progress(fraction: float, message: str) -> None:  # the analyzer's own words are English: not shown
        bar.progress(min(max(fraction, 0.0), 1.0), text=t("ca_working"))

    if upload is not None:  # read in memory: a killed process leaves no copy of the case file behind
        max_bytes = int(get_settings().app.upload_max_mb * 1024 * 1024)
        result = analyse_upload(
            analyzer, upload.name, upload.getvalue(), scrubber=get_scrubber(), max_bytes=max_bytes, progress=progress
        )
    else:
        result = analyzer.analyse_text(text, source=t("ca_pasted"), progress=progress)
    bar.empty()
    return result


def _elements(data: case_view.Analysis, language: str) -> None:
    st.subheader(t("ca_elements"))
    for column, name in zip(st.columns(3), case_view.ELEMENT_NAMES, strict=True):
        element = data["elements"][name]
        with column, st.container(border=True):
            st.markdown(f"**{case_view.element_title(name, language)}**")
            st.badge(case_view.status_text(element["status"], language), color=STATUS_COLOURS[element["status"]])
            for line in (case_view.legal_basis(element, language), case_view.forms(element, language)):
                if line:
                    st.caption(line)
            for sentence in element.get("evidence", [])[:3]:
                st.caption(f"“{safe_markdown(sentence)}”")


def _provisions(data: case_view.Analysis, language: str) -> None:
    if not data.get("provisions"):
        return
    st.subheader(t("ca_provisions"))
    st.markdown(" · ".join(f"`{text}`" for text in case_view.catalogue_citations(data, language)))
    for provision in (p for p in data["provisions"] if p["kind"] == "retrieved"):
        with st.container(border=True):
            where = " — ".join(part for part in (provision["title"], provision["section"]) if part)
            page = f", {t('page')} {provision['page']}" if provision.get("page") not in (None, -1, 0) else ""
            st.markdown(f"**{safe_markdown(where)}**{page}")
            st.caption(provision["source"])
            st.markdown(f"> {safe_markdown(provision['text'][:400])}…")


def _findings(data: case_view.Analysis, language: str) -> None:
    st.subheader(t("ca_indicators"))
    if not data.get("indicators"):
        st.success(t("ca_none"))
    else:
        st.dataframe(pd.DataFrame(case_view.indicator_rows(data, language)), hide_index=True, width="stretch")
    _elements(data, language)
    _provisions(data, language)
    if data.get("similar_cases"):
        st.subheader(t("ca_similar"))
        for case in data["similar_cases"]:
            with st.container(border=True):
                st.markdown(f"**{safe_markdown(case['title'])}**")
                shared = case_view.shared_text(case, language)
                st.caption(" · ".join(part for part in (case["source"], shared) if part))
    st.subheader(t("ca_risk"))
    st.info(case_view.summary(data, language), icon=":material/gavel:")
    if data.get("actors"):
        st.subheader(t("ca_actors"))
        st.graphviz_chart(case_view.actors_dot(data, language))


def _export(data: case_view.Analysis, title: str, language: str) -> None:
    st.caption(t("ca_export_note"))
    left, right = st.columns(2)
    left.download_button(
        t("ca_export_md"), case_markdown(data, title, language), file_name=case_view.export_name(title, "md"),
        mime="text/markdown", key="case_export_md", icon=":material/download:", on_click="ignore",
    )  # fmt: skip
    right.download_button(
        t("ca_export_docx"), case_docx(data, title, language), file_name=case_view.export_name(title, "docx"),
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document", key="case_export_docx",
        icon=":material/description:", on_click="ignore",
    )  # fmt: skip


def _show(shown: dict[str, Any]) -> None:
    """The analysis in the session, in the current language: findings, notices, export."""
    language = current_language()
    st.divider()
    st.subheader(t("ca_result_of", title=shown["title"]))
    if "stored_id" in shown:
        st.caption(t("ca_store_done", id=shown["stored_id"]))
    _findings(shown["analysis"], language)
    for notice in shown.get("notices", []):
        st.caption(t_message(notice))
    _export(shown["analysis"], shown["title"], language)


def _analyse(pasted: str, uploaded: Any, keep: bool) -> None:
    """Analyse what was pasted or uploaded and put the result in the session (kept in the database if asked)."""
    if uploaded is None and not pasted.strip():
        st.error(t("ca_empty"))
        return
    try:
        analysis = _run(pasted, uploaded)
    except SafeBordersError as exc:
        st.error(error_text(exc))
        return
    data = analysis.to_json()
    shown: dict[str, Any] = {
        "title": analysis.source,
        "analysis": data,
        "notices": [n for n in analysis.notices if n.key != "risk_none"],
    }
    if keep:
        data = {**data, "scrubbed_text": analysis.scrubbed_text}
        stored = store.save(session["user"], analysis.source, data)
        shown.update(analysis=data, stored_id=stored.id)
    st.session_state[RESULT] = shown


def _saved() -> None:
    """The user's kept analyses: pick one to show it again."""
    kept = store.list_for(session["user"])
    with st.expander(t("ca_saved_title"), icon=":material/folder_open:"):
        if not kept:
            st.caption(t("ca_saved_none"))
            return
        labels = {k.id: t("ca_saved_item", id=k.id, title=k.title, date=f"{k.created_at:%Y-%m-%d}") for k in kept}
        chosen = st.selectbox(t("ca_saved_pick"), list(labels), format_func=labels.__getitem__, key="case_saved")
        if st.button(t("ca_saved_open"), key="case_saved_open", icon=":material/open_in_new:"):
            item = store.get(session["user"], int(chosen))
            if item is not None:
                st.session_state[RESULT] = {"title": item.title, "analysis": item.analysis, "stored_id": item.id}


session = auth.require_page(PAGE)
settings = get_settings()
store = CaseAnalysisStore(settings.data_dir, settings.database.url)
st.title(t("ca_title"))
st.write(t("ca_intro"))
pasted = st.text_area(t("ca_paste"), height=220, key="case_text")
uploaded = st.file_uploader(
    t("ca_upload"), type=["pdf", "docx", "txt"], key="case_file", max_upload_size=upload_limit_mb(settings)
)
st.caption(t("ca_upload_limit", mb=settings.app.upload_max_mb))
keep = st.checkbox(t("ca_store"), value=False, key="case_store")
if st.button(t("ca_run"), type="primary", key="case_run"):
    _analyse(pasted, uploaded, keep)
_saved()
if RESULT in st.session_state:
    _show(st.session_state[RESULT])
