"""AppTest: an editor previews scrubbed uploads (several at once), saves them, re-indexes, lists and removes one."""

from __future__ import annotations

from tests.ui.conftest import AppEnv, signed_in, texts

UPLOAD = b"""# Sentence of the Tribunale di Bari

Maria Rossi recruited two girls with a false job offer. Rossi was convicted of trafficking in children.
"""


def _row_values(frame, column: str) -> list[str]:
    return [str(value) for value in frame[column]]


def _table_with(at, column: str):
    """The last table shown that has ``column`` (the report has "Result", the document list "Title")."""
    return [frame.value for frame in at.dataframe if column in frame.value.columns][-1]


def _keyed(widgets, prefix: str) -> list:
    """The widgets whose key starts with ``prefix`` (one per uploaded file: "kb_confirm:<file id>")."""
    return [w for w in widgets if str(w.key or "").startswith(prefix)]


def test_editor_uploads_a_markdown_file_and_reindexes(app_env: AppEnv) -> None:
    at = signed_in(app_env, "eddie", "editor", page="pages/knowledge_base.py")
    assert not at.exception
    at.selectbox(key="kb_doc_type").set_value("case_law").run()
    at.file_uploader(key="kb_upload").set_value(
        [("Bari sentence (2024).md", UPLOAD, "text/markdown"), ("note.txt", b"Ion Popescu was heard.", "text/plain")]
    ).run()
    assert not at.exception
    assert at.file_uploader(key="kb_upload").proto.multiple_files
    assert at.file_uploader(key="kb_upload").proto.max_upload_size_mb == 1  # the profile's app.upload_max_mb
    assert "Up to 1 MB per file; several files can be added at once." in texts(at)

    preview = next(m.value for m in at.markdown if "&lt;PERSON_1&gt;" in m.value and "recruited" in m.value)
    assert "<mark>&lt;PERSON_1&gt;</mark> recruited" in preview  # placeholders highlighted, text escaped
    assert "Maria" not in preview and "Rossi" not in preview
    assert "Replaced: PERSON 2" in texts(at)
    assert len(_keyed(at.button, "kb_confirm:")) == 2  # one preview and one confirmation per file
    uploads = app_env.settings.data_dir / "uploads"
    assert not uploads.exists()  # nothing is written before the editor confirms

    _keyed(at.text_input, "kb_title:")[0].set_value("Tribunale di Bari, 2024")
    _keyed(at.text_input, "kb_jurisdiction:")[0].set_value("IT")
    _keyed(at.button, "kb_confirm:")[0].click().run()
    saved = uploads / "case_law" / "Bari_sentence_2024.md"
    assert saved.is_file(), list(uploads.rglob("*"))
    head = saved.read_text(encoding="utf-8")
    assert head.startswith("---\ntitle: Tribunale di Bari, 2024\ndoc_type: case_law\njurisdiction: IT\n")
    assert "Saved as case_law/Bari_sentence_2024.md" in texts(at)
    assert not (uploads / "case_law" / "note.txt").exists()  # the second file waits for its own confirmation
    _keyed(at.button, "kb_confirm:")[0].click().run()
    assert (uploads / "case_law" / "note.txt").is_file()

    at.button(key="kb_reindex").click().run()
    assert not at.exception
    report = _table_with(at, "Result")
    statuses = dict(zip(report["Source"], report["Result"], strict=True))
    assert statuses["case_law/Bari_sentence_2024.md"] == "✅ indexed"
    assert statuses["legislation/test_directive.md"] == "▫️ unchanged"
    documents = _table_with(at, "Title")
    row = documents[documents["Source"] == "case_law/Bari_sentence_2024.md"].iloc[0]
    assert row["Title"] == "Tribunale di Bari, 2024" and row["Scrubbed"] == "PERSON 2"
    assert [e["event"] for e in app_env.audit()][-3:] == ["upload", "upload", "reindex"]

    # Only uploads can be removed, after a confirmation; removing drops it from the index and deletes the file.
    assert at.selectbox(key="kb_remove_source").options == ["case_law/Bari_sentence_2024.md", "case_law/note.txt"]
    at.selectbox(key="kb_remove_source").set_value("case_law/Bari_sentence_2024.md")
    at.button(key="kb_remove").click().run()
    assert saved.exists()  # asked, not yet removed
    assert "Remove case_law/Bari_sentence_2024.md from the index and delete its file?" in at.warning[-1].value
    at.button(key="kb_remove_cancel").click().run()
    assert saved.exists() and not at.warning
    at.button(key="kb_remove").click().run()
    at.button(key="kb_remove_yes").click().run()
    assert not saved.exists()
    assert "Removed case_law/Bari_sentence_2024.md." in texts(at)
    documents = _table_with(at, "Title")
    assert "case_law/Bari_sentence_2024.md" not in _row_values(documents, "Source")
    assert app_env.audit()[-1]["event"] == "remove"


def test_upload_with_the_wrong_content_is_rejected_in_one_line(app_env: AppEnv) -> None:
    at = signed_in(app_env, "eddie", "editor", page="pages/knowledge_base.py")
    at.selectbox(key="kb_doc_type").set_value("case_law").run()
    at.file_uploader(key="kb_upload").set_value(("ruling.pdf", b"just some text, not a PDF", "application/pdf")).run()
    assert at.error[0].value == "ruling.pdf: not a PDF file (no PDF header)."
    assert not _keyed(at.button, "kb_confirm:")


def test_the_collection_has_no_default(app_env: AppEnv) -> None:
    at = signed_in(app_env, "eddie", "editor", page="pages/knowledge_base.py")
    assert at.selectbox(key="kb_doc_type").value is None
    assert "Choose the collection first" in texts(at)
    assert not [u for u in at.get("file_uploader") if getattr(u, "key", None) == "kb_upload"]


def test_legislation_upload_needs_no_scrubbing_preview(app_env: AppEnv) -> None:
    at = signed_in(app_env, "eddie", "editor", page="pages/knowledge_base.py")
    at.selectbox(key="kb_doc_type").set_value("legislation").run()
    at.file_uploader(key="kb_upload").set_value(("law.txt", b"Article 1. Trafficking is a crime.", "text/plain")).run()
    assert "Legislation is public text" in texts(at)
    assert _keyed(at.button, "kb_confirm:")
