"""Knowledge-base page (editors): add documents after a scrubbed preview, re-index, list and remove uploads."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import streamlit as st

from app.audit import AuditLog
from app.auth import require_page
from app.i18n import STRINGS, t
from app.index_view import document_rows, read_manifest
from app.render import highlight_html
from app.resources import get_assistant, get_components, get_scrubber, get_settings
from app.uploads import (
    ALLOWED_EXTENSIONS,
    TEXT_EXTENSIONS,
    Metadata,
    UploadRejectedError,
    check_upload,
    delete_upload,
    read_pages,
    save_upload,
)
from core.errors import SafeBordersError
from core.settings import DOC_TYPES
from ingestion.cli import default_sources
from ingestion.pipeline import BuildReport, FileResult, build_index
from ingestion.scrub import should_scrub

PREVIEW_CHARS = 20_000
STATUS_ICONS = {"indexed": "✅", "unchanged": "▫️", "failed": "❌", "removed": "🗑️"}

session = require_page("knowledge_base")
settings = get_settings()
uploads_dir = settings.data_dir / "uploads"
audit = AuditLog(settings.data_dir / "audit.jsonl")


def _rejected(exc: UploadRejectedError) -> str:
    return t(exc.key, **exc.values) if exc.key in STRINGS else str(exc)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items()))


def _preview(file_id: str, name: str, data: bytes, language: str) -> dict[str, Any]:
    """Scrub the upload in memory once per file and language; only the scrubbed text is kept in the session."""
    cache: dict[tuple[str, str], dict[str, Any]] = st.session_state.setdefault("kb_previews", {})
    key = (file_id, language)
    if key not in cache:
        _, pages = read_pages(name, data)
        result = get_scrubber().scrub([page.text for page in pages], language)
        text, spans, offset = [], [], 0
        for page_text, page_spans in zip(result.texts, result.spans, strict=True):
            text.append(page_text)
            spans += [(offset + span.start, offset + span.end) for span in page_spans]
            offset += len(page_text) + 2
        cache.clear()  # one pending upload at a time: drop the previous file's preview
        cache[key] = {"text": "\n\n".join(text), "spans": spans, "counts": result.counts}
    return cache[key]


def _add_document() -> None:
    st.subheader(t("kb_upload"))
    doc_type = st.selectbox(t("kb_collection"), DOC_TYPES, format_func=lambda d: t(f"doc_{d}"), key="kb_doc_type")
    upload = st.file_uploader(t("kb_file"), type=[ext[1:] for ext in ALLOWED_EXTENSIONS], key="kb_upload")
    if upload is None:
        return
    saved: dict[str, str] = st.session_state.setdefault("kb_saved", {})
    if upload.file_id in saved:
        st.success(t("kb_saved", path=saved[upload.file_id]))
        return
    data = upload.getvalue()
    try:
        extension = check_upload(upload.name, data, settings.app.upload_max_mb)
    except UploadRejectedError as exc:
        st.error(_rejected(exc))
        return

    text_file = extension in TEXT_EXTENSIONS
    if not text_file:
        st.caption(t("kb_meta_note"))
    title = st.text_input(t("kb_title_field"), key="kb_title", disabled=not text_file)
    left, middle, right = st.columns(3)
    jurisdiction = left.text_input(t("kb_jurisdiction"), key="kb_jurisdiction", disabled=not text_file)
    language = middle.selectbox(t("kb_doc_language"), ["en", "it"], key="kb_language", disabled=not text_file)
    date = right.date_input(
        t("kb_date"), value=None, min_value=dt.date(1800, 1, 1), key="kb_date", disabled=not text_file
    )

    try:
        if should_scrub(doc_type, settings.scrubbing):
            preview = _preview(upload.file_id, upload.name, data, language)
            st.markdown(f"**{t('kb_preview')}**")
            st.caption(t("kb_preview_note"))
            counts = preview["counts"]
            st.write(t("kb_counts", counts=_counts(counts)) if counts else t("kb_nothing_found"))
            text = preview["text"]
            if len(text) > PREVIEW_CHARS:
                st.caption(t("kb_preview_truncated", shown=PREVIEW_CHARS, total=len(text)))
            with st.container(height=360, border=True):
                st.markdown(highlight_html(text[:PREVIEW_CHARS], preview["spans"]), unsafe_allow_html=True)
        else:
            read_pages(upload.name, data)  # still refuse a document the indexer could not read
            st.info(t("kb_no_scrub"))
    except UploadRejectedError as exc:
        st.error(_rejected(exc))
        return
    except SafeBordersError as exc:
        st.error(str(exc), icon=":material/error:")
        return

    if st.button(t("kb_confirm"), type="primary", key="kb_confirm"):
        metadata = Metadata(doc_type, title, jurisdiction, language, date.isoformat() if date else "")
        try:
            path = save_upload(
                data,
                upload.name,
                metadata,
                uploads_dir,
                other_roots=[settings.knowledge_base_dir],
                exclude=settings.ingestion.exclude,
            )
        except (UploadRejectedError, OSError) as exc:
            st.error(_rejected(exc) if isinstance(exc, UploadRejectedError) else f"{upload.name}: {exc}")
            return
        source = path.relative_to(uploads_dir).as_posix()
        audit.record(
            "upload", session["user"], session["role"], source=source, doc_type=doc_type,
            sha256=hashlib.sha256(data).hexdigest(), bytes=len(data),
        )  # fmt: skip
        saved[upload.file_id] = source
        st.session_state.pop("kb_previews", None)
        st.success(t("kb_saved", path=source))


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
                report = build_index(
                    default_sources(settings), settings.index_dir, settings, get_components(), progress=on_progress
                )
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
    rows = document_rows(manifest, uploads_dir)
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
            build_index(default_sources(settings), settings.index_dir, settings, get_components(), remove=[source])
            delete_upload(uploads_dir, source)
        except UploadRejectedError as exc:
            st.error(_rejected(exc))
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
