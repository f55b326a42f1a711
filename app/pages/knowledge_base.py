"""Knowledge-base page (editors): add documents after a scrubbed preview, re-index, list and remove uploads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from app.audit import AuditLog
from app.auth import require_page
from app.i18n import error_text, option_names, t
from app.index_view import document_rows, read_manifest
from app.render import highlight_html, plain_markdown, safe_markdown
from app.resources import get_assistant, get_components, get_scrubber, get_settings
from app.serve import upload_limit_mb
from core.errors import SafeBordersError
from core.i18n import languages
from core.settings import DOC_TYPES
from ingestion.knowledge_base import KnowledgeBase, Preview
from ingestion.report import BuildReport, FileResult
from ingestion.uploads import ALLOWED_EXTENSIONS, TEXT_EXTENSIONS, Metadata, UploadRejectedError

PREVIEW_CHARS = 20_000
STATUS_ICONS = {"indexed": "✅", "unchanged": "▫️", "failed": "❌", "removed": "🗑️"}

session = require_page("knowledge_base")
settings = get_settings()
knowledge_base = KnowledgeBase(settings, get_scrubber(), get_components)
audit = AuditLog.in_folder(settings.data_dir, settings.database.url)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items()))


def _preview(file_id: str, name: str, data: bytes, doc_type: str, language: str, pending: set[str]) -> Preview:
    """The upload's preview, computed once per file, type and language; only the scrubbed text stays in the session.

    Previews of files no longer waiting (``pending`` holds the ids of those not yet saved) are dropped.
    """
    cache: dict[tuple[str, str, str], Preview] = st.session_state.setdefault("kb_previews", {})
    key = (file_id, doc_type, language)
    for stale in [old for old in cache if old[0] not in pending or (old[0] == file_id and old != key)]:
        del cache[stale]
    if key not in cache:
        cache[key] = knowledge_base.preview(name, data, doc_type, language)
    return cache[key]


def _show_preview(preview: Preview) -> None:
    if preview.flagged:
        lines = "  \n".join(f"“{safe_markdown(line)}”" for line in preview.flagged[:5])
        st.warning(t("kb_flagged", n=len(preview.flagged)) + "  \n" + lines, icon=":material/warning:")
    if not preview.scrubbed:
        st.info(t("kb_no_scrub"))
        return
    st.markdown(f"**{t('kb_preview')}**")
    st.caption(t("kb_preview_note"))
    st.write(t("kb_counts", counts=_counts(preview.counts)) if preview.counts else t("kb_nothing_found"))
    if len(preview.text) > PREVIEW_CHARS:
        st.caption(t("kb_preview_truncated", shown=PREVIEW_CHARS, total=len(preview.text)))
    with st.container(height=360, border=True):
        st.markdown(highlight_html(preview.text[:PREVIEW_CHARS], preview.spans), unsafe_allow_html=True)


def _metadata_form(doc_type: str, text_file: bool, file_id: str) -> tuple[Metadata, str]:
    """The editor's metadata for one file (stored for Markdown and text files only) and the document's language."""
    if not text_file:
        st.caption(t("kb_meta_note"))
    title = st.text_input(t("kb_title_field"), key=f"kb_title:{file_id}", disabled=not text_file)
    left, middle, right = st.columns(3)
    jurisdiction = left.text_input(t("kb_jurisdiction"), key=f"kb_jurisdiction:{file_id}", disabled=not text_file)
    language = middle.selectbox(
        t("kb_doc_language"), ["en", "it"], format_func=languages().__getitem__, key=f"kb_language:{file_id}",
        disabled=not text_file,
    )  # fmt: skip
    date = right.date_input(
        t("kb_date"), value=None, min_value=dt.date(1800, 1, 1), key=f"kb_date:{file_id}", disabled=not text_file,
        format="YYYY-MM-DD",
    )  # fmt: skip
    return Metadata(doc_type, title, jurisdiction, language, date.isoformat() if date else ""), language


def _add_file(upload: Any, doc_type: str, pending: set[str]) -> None:
    """One uploaded file: its scrubbed preview and metadata, saved once the editor confirms."""
    saved: dict[str, str] = st.session_state.setdefault("kb_saved", {})
    if upload.file_id in saved:
        st.success(t("kb_saved", path=saved[upload.file_id]))
        return
    data = upload.getvalue()
    try:
        extension = knowledge_base.check(upload.name, data)
        metadata, language = _metadata_form(doc_type, extension in TEXT_EXTENSIONS, upload.file_id)
        _show_preview(_preview(upload.file_id, upload.name, data, doc_type, language, pending))
        if not st.button(t("kb_confirm"), type="primary", key=f"kb_confirm:{upload.file_id}"):
            return
        added = knowledge_base.add(upload.name, data, metadata)
    except UploadRejectedError as exc:
        st.error(error_text(exc))
        return
    except OSError as exc:
        st.error(f"{upload.name}: {exc.strerror or exc}")
        return
    except SafeBordersError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    audit.record(
        "upload", session["user"], session["role"], source=added.source, doc_type=doc_type,
        sha256=added.sha256, bytes=added.size,
    )  # fmt: skip
    saved[upload.file_id] = added.source
    st.rerun()  # shown again as saved, without its form


def _add_documents() -> None:
    st.subheader(t("kb_upload"))
    # No default: an upload filed as legislation by mistake would be indexed unscrubbed.
    doc_type = st.selectbox(
        t("kb_collection"), DOC_TYPES, index=None, format_func=option_names("doc_", DOC_TYPES), key="kb_doc_type",
        placeholder=t("kb_choose_collection_short"),
    )  # fmt: skip
    if doc_type is None:
        st.info(t("kb_choose_collection"))
        return
    uploads = st.file_uploader(
        t("kb_file"), type=[ext[1:] for ext in ALLOWED_EXTENSIONS], key="kb_upload", accept_multiple_files=True,
        max_upload_size=upload_limit_mb(settings),
    )  # fmt: skip
    st.caption(t("kb_upload_limit", mb=settings.app.upload_max_mb))
    saved: dict[str, str] = st.session_state.setdefault("kb_saved", {})
    pending = {upload.file_id for upload in uploads if upload.file_id not in saved}
    for upload in uploads:
        with st.container(border=True):
            st.markdown(f"**{plain_markdown(upload.name)}**")
            _add_file(upload, doc_type, pending)


def _status(status: str) -> str:
    return t(f"kb_status_{status}") if status in STATUS_ICONS else status


def _result_row(result: FileResult) -> dict[str, Any]:
    return {
        t("col_source"): result.source,
        t("col_status"): f"{STATUS_ICONS.get(result.status, '')} {_status(result.status)}",
        t("col_chunks"): result.chunks,
        t("col_scrubbed"): _counts(result.scrubbed),
        t("col_reason"): result.reason,
    }


def _summary(report: BuildReport) -> str:
    return ", ".join(
        f"{report.count(status)} {_status(status)}"
        for status in ("indexed", "unchanged", "failed", "removed")
        if report.count(status)
    )


def _reindex() -> None:
    st.subheader(t("kb_reindex"))
    st.caption(t("kb_reindex_help"))
    if st.button(t("kb_reindex"), key="kb_reindex", icon=":material/refresh:"):
        rows: list[dict[str, Any]] = []
        with st.status(t("kb_indexing"), expanded=True) as status:
            bar = st.progress(0.0)
            table = st.empty()

            def on_progress(done: int, total: int, result: FileResult) -> None:
                rows.append(_result_row(result))
                bar.progress(done / total if total else 1.0, text=f"{done}/{total} · {result.source}")
                table.dataframe(rows, hide_index=True)

            try:
                report = knowledge_base.reindex(progress=on_progress)
            except SafeBordersError as exc:
                status.update(state="error")
                st.error(str(exc), icon=":material/error:")
                return
            bar.progress(1.0)
            status.update(label=t("kb_index_done", summary=_summary(report)), state="complete", expanded=False)
        get_assistant().reload()  # the chat switches to the new generation only now that it is complete
        audit.record(
            "reindex", session["user"], session["role"], generation=report.generation, chunks=report.chunks,
            **{status: report.count(status) for status in ("indexed", "unchanged", "failed", "removed")},
        )  # fmt: skip
        st.session_state["kb_report"] = {
            "summary": _summary(report),
            "up_to_date": report.up_to_date,
            "rows": [_result_row(result) for result in report.files],
        }
    last = st.session_state.get("kb_report")
    if last:
        st.success(t("kb_index_uptodate") if last["up_to_date"] else t("kb_index_done", summary=last["summary"]))
        st.dataframe(last["rows"], hide_index=True, key="kb_report_table")


def _documents() -> None:
    st.subheader(t("kb_documents"))
    if flash := st.session_state.pop("kb_flash", None):
        st.success(flash)
    manifest = read_manifest(settings.index_dir)
    if manifest is None:
        st.info(t("kb_no_index"))
        return
    rows = document_rows(manifest, knowledge_base.uploads_dir)
    st.dataframe(
        [
            {
                t("col_source"): row["source"],
                t("col_title"): row["title"],
                t("col_type"): t(f"doc_{row['doc_type']}") if row["doc_type"] in DOC_TYPES else row["doc_type"],
                t("col_chunks"): row["chunks"],
                t("col_indexed"): row["indexed_at"],
                t("col_hash"): row["hash"],
                t("col_scrubbed"): row["scrubbed"],
            }
            for row in rows
        ],
        hide_index=True,
        key="kb_documents_table",
    )
    st.markdown(f"**{t('kb_remove')}**")
    st.caption(t("kb_remove_note"))
    uploaded = [row["source"] for row in rows if row["upload"]]
    if not uploaded:
        st.caption(t("kb_no_uploads"))
        return
    source = st.selectbox(t("kb_choose_source"), uploaded, key="kb_remove_source")
    if st.button(t("kb_remove_button"), key="kb_remove", icon=":material/delete:"):
        st.session_state["kb_remove_asked"] = source
    if st.session_state.get("kb_remove_asked") == source:
        _confirm_removal(source)


def _confirm_removal(source: str) -> None:
    """Ask once more before a document leaves the index and its file is deleted."""
    st.warning(t("kb_remove_ask", source=source), icon=":material/warning:")
    yes, no = st.columns(2)
    if no.button(t("kb_remove_cancel"), key="kb_remove_cancel"):
        st.session_state.pop("kb_remove_asked", None)
        st.rerun()
    if not yes.button(t("kb_remove_yes"), key="kb_remove_yes", type="primary"):
        return
    st.session_state.pop("kb_remove_asked", None)
    try:
        knowledge_base.remove(source)
    except UploadRejectedError as exc:
        st.error(error_text(exc))
        return
    except SafeBordersError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    get_assistant().reload()
    audit.record("remove", session["user"], session["role"], source=source)
    st.session_state["kb_flash"] = t("kb_removed", source=source)
    st.rerun()


st.title(t("kb_title"))
_add_documents()
st.divider()
_reindex()
st.divider()
_documents()
