"""Knowledge-base page (editors): add documents after a scrubbed preview, re-index, list and remove uploads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from app.audit import AuditLog
from app.auth import require_page
from app.i18n import error_text, t
from app.index_view import document_rows, read_manifest
from app.render import highlight_html, safe_markdown
from app.resources import get_assistant, get_components, get_scrubber, get_settings
from core.errors import SafeBordersError
from core.settings import DOC_TYPES
from ingestion.knowledge_base import KnowledgeBase, Preview
from ingestion.pipeline import BuildReport, FileResult
from ingestion.uploads import ALLOWED_EXTENSIONS, TEXT_EXTENSIONS, Metadata, UploadRejectedError

PREVIEW_CHARS = 20_000
STATUS_ICONS = {"indexed": "✅", "unchanged": "▫️", "failed": "❌", "removed": "🗑️"}

session = require_page("knowledge_base")
settings = get_settings()
knowledge_base = KnowledgeBase(settings, get_scrubber(), get_components)
audit = AuditLog.in_folder(settings.data_dir, settings.database.url)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items()))


def _preview(file_id: str, name: str, data: bytes, doc_type: str, language: str) -> Preview:
    """The upload's preview, computed once per file, type and language; only the scrubbed text stays in the session."""
    cache: dict[tuple[str, str, str], Preview] = st.session_state.setdefault("kb_previews", {})
    key = (file_id, doc_type, language)
    if key not in cache:
        preview = knowledge_base.preview(name, data, doc_type, language)
        cache.clear()  # one pending upload at a time: drop the previous file's preview
        cache[key] = preview
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


def _metadata_form(doc_type: str, text_file: bool) -> tuple[Metadata, str]:
    """The editor's metadata (stored for Markdown and text files only) and the document's language."""
    if not text_file:
        st.caption(t("kb_meta_note"))
    title = st.text_input(t("kb_title_field"), key="kb_title", disabled=not text_file)
    left, middle, right = st.columns(3)
    jurisdiction = left.text_input(t("kb_jurisdiction"), key="kb_jurisdiction", disabled=not text_file)
    language = middle.selectbox(t("kb_doc_language"), ["en", "it"], key="kb_language", disabled=not text_file)
    date = right.date_input(
        t("kb_date"), value=None, min_value=dt.date(1800, 1, 1), key="kb_date", disabled=not text_file
    )
    return Metadata(doc_type, title, jurisdiction, language, date.isoformat() if date else ""), language


def _add_document() -> None:
    st.subheader(t("kb_upload"))
    # No default: an upload filed as legislation by mistake would be indexed unscrubbed.
    doc_type = st.selectbox(
        t("kb_collection"), DOC_TYPES, index=None, format_func=lambda d: t(f"doc_{d}"), key="kb_doc_type"
    )
    if doc_type is None:
        st.info(t("kb_choose_collection"))
        return
    upload = st.file_uploader(t("kb_file"), type=[ext[1:] for ext in ALLOWED_EXTENSIONS], key="kb_upload")
    if upload is None:
        return
    saved: dict[str, str] = st.session_state.setdefault("kb_saved", {})
    if upload.file_id in saved:
        st.success(t("kb_saved", path=saved[upload.file_id]))
        return
    data = upload.getvalue()
    try:
        extension = knowledge_base.check(upload.name, data)
        metadata, language = _metadata_form(doc_type, extension in TEXT_EXTENSIONS)
        _show_preview(_preview(upload.file_id, upload.name, data, doc_type, language))
        if not st.button(t("kb_confirm"), type="primary", key="kb_confirm"):
            return
        added = knowledge_base.add(upload.name, data, metadata)
    except UploadRejectedError as exc:
        st.error(error_text(exc))
        return
    except OSError as exc:
        st.error(f"{upload.name}: {exc}")
        return
    except SafeBordersError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    audit.record(
        "upload", session["user"], session["role"], source=added.source, doc_type=doc_type,
        sha256=added.sha256, bytes=added.size,
    )  # fmt: skip
    saved[upload.file_id] = added.source
    st.session_state.pop("kb_previews", None)
    st.success(t("kb_saved", path=added.source))


def _result_row(result: FileResult) -> dict[str, Any]:
    return {
        t("col_source"): result.source,
        t("col_status"): f"{STATUS_ICONS.get(result.status, '')} {result.status}",
        t("col_chunks"): result.chunks,
        t("col_scrubbed"): _counts(result.scrubbed),
        t("col_reason"): result.reason,
    }


def _summary(report: BuildReport) -> str:
    return ", ".join(
        f"{report.count(status)} {status}"
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
                t("col_type"): row["doc_type"],
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
    source = st.selectbox(t("col_source"), uploaded, key="kb_remove_source")
    if st.button(t("kb_remove_button"), key="kb_remove", icon=":material/delete:"):
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
_add_document()
st.divider()
_reindex()
st.divider()
_documents()
