"""Case analysis page (judges, editors, admins): indicators, elements, provisions, similar cases and actors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd
import streamlit as st

from app import auth
from app.case_upload import analyse_upload
from app.i18n import t
from app.render import safe_markdown
from app.resources import get_assistant, get_scrubber, get_settings
from core.errors import SafeBordersError

PAGE = "case_analysis"
STATUS_BADGE: dict[str, tuple[Literal["green", "gray", "blue"], str]] = {
    "found": ("green", "ca_found"),
    "not_found": ("gray", "ca_not_found"),
    "not_required": ("blue", "ca_not_required"),
}


def _require_role() -> dict[str, Any]:
    return auth.require_page(PAGE)


@st.cache_resource(show_spinner=False)
def _analyzer(key: str) -> Any:
    from analysis.case import CaseAnalyzer

    assistant = get_assistant()

    def documents() -> Mapping[str, Mapping[str, Any]]:  # read when similar cases are searched
        return assistant.snapshot().manifest.documents

    return CaseAnalyzer.from_settings(get_settings(), assistant.embedder, get_scrubber(), assistant, documents)


def _run(text: str, upload: Any) -> Any:
    analyzer = _analyzer(str(get_settings().index_dir))
    bar = st.progress(0.0, text="…")

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    if upload is not None:  # read in memory: a killed process leaves no copy of the case file behind
        max_bytes = int(get_settings().app.upload_max_mb * 1024 * 1024)
        result = analyse_upload(
            analyzer, upload.name, upload.getvalue(), scrubber=get_scrubber(), max_bytes=max_bytes, progress=progress
        )
    else:
        result = analyzer.analyse_text(text, progress=progress)
    bar.empty()
    return result


def _show(result: Any) -> None:
    st.subheader(t("ca_indicators"))
    if not result.indicators:
        st.success(t("ca_none"))
    else:
        rows = [
            {"indicator": m.indicator.label, "category": m.indicator.category, "element": m.indicator.element,
             "severity": m.indicator.severity, "score": round(m.score, 2), "evidence": m.evidence[0]}
            for m in result.indicators
        ]  # fmt: skip
        st.dataframe(pd.DataFrame(rows), hide_index=True, use_container_width=True)

    st.subheader(t("ca_elements"))
    columns = st.columns(3)
    for column, (name, element) in zip(columns, result.elements.items(), strict=True):
        with column, st.container(border=True):
            colour, label = STATUS_BADGE[element.status]
            st.markdown(f"**{name.capitalize()}**")
            st.badge(t("ca_child") if element.status == "not_required" else t(label), color=colour)
            if element.legal_basis:
                st.caption("; ".join(element.legal_basis))
            if element.forms:
                st.caption(", ".join(form.replace("_", " ") for form in element.forms))
            for sentence in element.evidence[:3]:
                st.caption(f"“{safe_markdown(sentence)}”")

    if result.provisions:
        st.subheader(t("ca_provisions"))
        catalogue = [p["citation"] for p in result.provisions if p["kind"] == "catalogue"]
        st.markdown(" · ".join(f"`{citation}`" for citation in catalogue))
        for provision in (p for p in result.provisions if p["kind"] == "retrieved"):
            with st.container(border=True):
                where = " — ".join(part for part in (provision["title"], provision["section"]) if part)
                page = f", p. {provision['page']}" if provision.get("page") else ""
                st.markdown(f"**{safe_markdown(where)}**{page}")
                st.caption(provision["source"])
                st.markdown(f"> {safe_markdown(provision['text'][:400])}…")

    if result.similar_cases:
        st.subheader(t("ca_similar"))
        for case in result.similar_cases:
            with st.container(border=True):
                st.markdown(f"**{safe_markdown(case.title)}**")
                shared = "; ".join(f"{k.replace('_', ' ')}: {', '.join(v)}" for k, v in case.shared.items())
                st.caption(" · ".join(part for part in (case.source, shared) if part))

    st.subheader(t("ca_risk"))
    st.info(result.risk_summary, icon=":material/gavel:")
    if result.actors:
        st.subheader(t("ca_actors"))
        st.graphviz_chart(result.actor_dot())
    for notice in result.notices[1:]:
        st.caption(notice)


_require_role()
st.title(t("ca_title"))
st.write(t("ca_intro"))
pasted = st.text_area(t("ca_paste"), height=220, key="case_text")
uploaded = st.file_uploader(t("ca_upload"), type=["pdf", "docx", "txt"], key="case_file")
store = st.checkbox(t("ca_store"), value=False, key="case_store")
if st.button(t("ca_run"), type="primary", key="case_run"):
    try:
        analysis = _run(pasted, uploaded)
    except SafeBordersError as exc:
        st.error(str(exc))
    else:
        if store:
            from analysis.case import store_scrubbed

            saved = store_scrubbed(analysis, get_settings().data_dir / "case_analyses")
            st.caption(t("ca_stored", path=saved.name))
        _show(analysis)
