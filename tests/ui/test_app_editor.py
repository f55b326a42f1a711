"""AppTest: an editor previews a scrubbed upload, saves it, re-indexes, sees it listed and removes it."""

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


def test_editor_uploads_a_markdown_file_and_reindexes(app_env: AppEnv) -> None:
    at = signed_in(app_env, "eddie", "editor", page="pages/knowledge_base.py")
    assert not at.exception
    at.selectbox(key="kb_doc_type").set_value("case_law").run()
    at.file_uploader(key="kb_upload").set_value(("Bari sentence (2024).md", UPLOAD, "text/markdown")).run()
    assert not at.exception

    preview = next(m.value for m in at.markdown if "&lt;PERSON_1&gt;" in m.value)
    assert "<mark>&lt;PERSON_1&gt;</mark> recruited" in preview  # placeholders highlighted, text escaped
    assert "Maria" not in preview and "Rossi" not in preview
    assert "Replaced: PERSON 2" in texts(at)
    uploads = app_env.settings.data_dir / "uploads"
    assert not uploads.exists()  # nothing is written before the editor confirms

    at.text_input(key="kb_title").set_value("Tribunale di Bari, 2024")
    at.text_input(key="kb_jurisdiction").set_value("IT")
    at.button(key="kb_confirm").click().run()
    saved = uploads / "case_law" / "Bari_sentence_2024.md"
    assert saved.is_file(), list(uploads.rglob("*"))
    head = saved.read_text(encoding="utf-8")
    assert head.startswith("---\ntitle: Tribunale di Bari, 2024\ndoc_type: case_law\njurisdiction: IT\n")
    assert "Saved as case_law/Bari_sentence_2024.md" in texts(at)

    at.button(key="kb_reindex").click().run()
    assert not at.exception
    report = _table_with(at, "Result")
    statuses = dict(zip(report["Source"], report["Result"], strict=True))
    assert statuses["case_law/Bari_sentence_2024.md"] == "✅ indexed"
    assert statuses["legislation/test_directive.md"] == "▫️ unchanged"
    documents = _table_with(at, "Title")
    row = documents[documents["Source"] == "case_law/Bari_sentence_2024.md"].iloc[0]
    assert row["Title"] == "Tribunale di Bari, 2024" and row["Scrubbed"] == "PERSON 2"
    assert [e["event"] for e in app_env.audit()][-2:] == ["upload", "reindex"]

    # Only uploads can be removed; removing drops it from the index and deletes the file.
    assert at.selectbox(key="kb_remove_source").options == ["case_law/Bari_sentence_2024.md"]
    at.button(key="kb_remove").click().run()
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
    assert not [b for b in at.button if b.key == "kb_confirm"]


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
    assert [b for b in at.button if b.key == "kb_confirm"]
