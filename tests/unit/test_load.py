"""Loading: every supported format, metadata precedence, encodings, and a clear error for every bad input."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from core.errors import IngestionError
from ingestion.chunk import chunk_document
from ingestion.load import SUPPORTED_EXTENSIONS, discover, load_document
from tests.fixtures_docs import make_docx, make_encrypted_pdf, make_image_only_pdf, make_pdf


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _error(path: Path, root: Path, max_bytes: int = 50 * 1024 * 1024) -> str:
    with pytest.raises(IngestionError) as error:
        load_document(path, root, max_bytes=max_bytes)
    message = str(error.value)
    assert message.startswith(f"{path.relative_to(root).as_posix()}: "), message
    assert "\n" not in message
    return message


# --- discovery ------------------------------------------------------------------------------------------


def test_discover_lists_documents_sorted_and_skips_hidden_files_and_top_readme(tmp_path: Path) -> None:
    for name in [
        "README.md",
        "legislation/README.md",
        "legislation/b.pdf",
        "legislation/a.md",
        "handbook/guide.docx",
        "handbook/notes.xyz",
        ".hidden.md",
        ".git/config.md",
        "handbook/.draft/old.md",
        "handbook/~$guide.docx",
    ]:
        _write(tmp_path / name, "x")
    found = [path.relative_to(tmp_path).as_posix() for path in discover(tmp_path)]
    assert found == [
        "handbook/guide.docx",
        "handbook/notes.xyz",  # returned so that loading reports it, not dropped silently
        "legislation/README.md",
        "legislation/a.md",
        "legislation/b.pdf",
    ]


def test_discover_reports_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(IngestionError, match="source folder not found"):
        discover(tmp_path / "missing")


# --- Markdown, text and metadata ------------------------------------------------------------------------

FRONT = """---
title: Tratta di minori – linee guida
type: handbook
jurisdiction: IT
language: it
date: 2022-05-17
kind: guidance
official_reference: "Circolare 12/2022"
to_verify: true
---
# Ignored H1 because front-matter has a title

Testo della guida.
"""


def test_markdown_front_matter_fills_metadata_and_is_removed(tmp_path: Path) -> None:
    path = _write(tmp_path / "misc" / "guida.md", FRONT)
    doc = load_document(path, tmp_path)
    assert doc.source == "misc/guida.md"
    assert doc.metadata.title == "Tratta di minori – linee guida"
    assert doc.metadata.doc_type == "handbook"
    assert (doc.metadata.jurisdiction, doc.metadata.language, doc.metadata.date) == ("IT", "it", "2022-05-17")
    assert doc.metadata.extra == {"kind": "guidance", "official_reference": "Circolare 12/2022", "to_verify": True}
    assert [page.number for page in doc.pages] == [None]
    assert doc.pages[0].text.startswith("# Ignored H1")
    assert "---" not in doc.text
    assert doc.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("relative", "front", "argument", "expected"),
    [
        ("legislation/law.md", "", None, "legislation"),
        ("kb/case-law/x.md", "", None, "case_law"),
        ("kb/CaseLaw/x.md", "", None, "case_law"),
        ("handbook/sub/x.md", "", None, "handbook"),
        ("other/x.md", "", None, "unknown"),
        ("legislation/x.md", "---\ndoc_type: case-law\n---\n", None, "case_law"),
        ("legislation/x.md", "---\ndoc_type: handbook\n---\n", "legislation", "legislation"),
    ],
)
def test_doc_type_precedence_argument_then_front_matter_then_folder(
    tmp_path: Path, relative: str, front: str, argument: str | None, expected: str
) -> None:
    path = _write(tmp_path / relative, f"{front}Some text about trafficking.")
    assert load_document(path, tmp_path, doc_type=argument).metadata.doc_type == expected


def test_unknown_doc_type_in_front_matter_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.md", "---\ndoc_type: legislaton\n---\nText.")
    assert "unknown doc_type 'legislaton'" in _error(path, tmp_path)


def test_invalid_front_matter_yaml_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "handbook" / "bad.md", "---\ntitle: [unclosed\n---\nText.")
    assert "invalid YAML front-matter" in _error(path, tmp_path)


def test_title_falls_back_to_h1_then_the_humanised_file_name(tmp_path: Path) -> None:
    with_h1 = _write(tmp_path / "a.md", "Intro line.\n\n# Age assessment guide\n\nText.")
    without = _write(tmp_path / "national_referral-mechanism.txt", "Plain text without any heading.")
    assert load_document(with_h1, tmp_path).metadata.title == "Age assessment guide"
    metadata = load_document(without, tmp_path).metadata
    assert metadata.title == "National referral mechanism"
    assert (metadata.language, metadata.jurisdiction, metadata.doc_type) == ("en", "", "unknown")


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b""), ("utf-16", b""), ("utf-16-be", b"\xfe\xff")],
)
def test_text_encodings_are_decoded(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    text = "La città di Perugia: perché il minore è stato trovato là, senza documenti."
    path = _write(tmp_path / "nota.txt", prefix + text.encode(encoding))  # "utf-16" writes its own BOM
    assert load_document(path, tmp_path).text == text


def test_short_latin1_italian_text_is_not_read_as_central_european(tmp_path: Path) -> None:
    path = _write(tmp_path / "breve.md", "La città è qui.".encode("latin-1"))
    assert load_document(path, tmp_path).text == "La città è qui."


# --- PDF ------------------------------------------------------------------------------------------------


def test_pdf_gives_one_numbered_page_per_pdf_page_and_its_title(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "legislation" / "decree.pdf",
        ["Article 1\nScope\nThis decree protects children.", "Article 2\nDefinitions", "A child is under 18."],
        title="Decree on child trafficking",
    )
    doc = load_document(path, tmp_path)
    assert [page.number for page in doc.pages] == [1, 2, 3]
    assert "protects children" in doc.pages[0].text
    assert "A child is under 18." in doc.pages[2].text
    assert doc.metadata.title == "Decree on child trafficking"
    assert doc.metadata.doc_type == "legislation"
    chunks = chunk_document(doc)
    assert [(chunk.section, chunk.page) for chunk in chunks] == [
        ("Article 1 – Scope", 1),
        ("Article 2 – Definitions", 3),  # the heading ends page 2; the definition it cites is on page 3
    ]
    assert "A child is under 18." in chunks[1].text


def test_pdf_without_metadata_title_uses_the_file_name(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "victim_support_2023.pdf", ["Some text."])
    assert load_document(path, tmp_path).metadata.title == "Victim support 2023"


def test_pdf_encrypted_with_an_empty_password_is_read(tmp_path: Path) -> None:
    path = make_encrypted_pdf(tmp_path / "open.pdf", user_password="", text="Printing is restricted only.")
    assert "Printing is restricted only." in load_document(path, tmp_path).text


# --- DOCX and HTML --------------------------------------------------------------------------------------


def test_docx_headings_become_markdown_and_tables_are_kept(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "handbook" / "guide.docx",
        [
            ("Title", "Guide for guardians"),
            ("Normal", "Introduction for new guardians."),
            ("Heading 1", "Age assessment"),
            ("Heading 2", "Presumption of minority"),
            ("Normal", "If in doubt, the person is presumed to be a child."),
            ("List Bullet", "Inform the child in a language they understand."),
        ],
        tables=[[["Indicator", "Weight"], ["No documents", "High"]]],
    )
    doc = load_document(path, tmp_path)
    assert doc.metadata.title == "Guide for guardians"
    assert "# Guide for guardians\n\nIntroduction" in doc.text
    assert "\n\n# Age assessment\n\n## Presumption of minority\n\n" in doc.text
    assert "- Inform the child" in doc.text
    assert "Indicator | Weight\nNo documents | High" in doc.text
    sections = [chunk.section for chunk in chunk_document(doc, min_chars=0)]
    assert "Age assessment > Presumption of minority" in sections


HTML = """<!DOCTYPE html>
<html><head><title>Referral mechanism  guide</title><style>p { color: red; }</style></head>
<body>
<nav><a href="/">Home</a> <a href="/menu">Menu item</a></nav>
<script>var tracking = "do not index";</script>
<h1>Referral</h1>
<p>Children identified as presumed victims
   are referred to <b>child protection</b> services.</p>
<h2>Guardian</h2>
<ul><li>Appoint a guardian.</li><li>Inform the child.</li></ul>
<table><tr><td>Step</td><td>Who</td></tr></table>
<!-- an editor's comment -->
</body></html>
"""


def test_html_drops_scripts_styles_and_navigation_and_keeps_headings(tmp_path: Path) -> None:
    path = _write(tmp_path / "referral.html", HTML)
    doc = load_document(path, tmp_path)
    text = doc.text
    assert doc.metadata.title == "Referral"  # the first H1 wins over <title>
    assert text.startswith("# Referral\n\nChildren identified as presumed victims are referred to child protection")
    assert "\n\n## Guardian\n\n- Appoint a guardian.\n\n- Inform the child." in text
    assert "Step" in text and "Who" in text
    for dropped in ("tracking", "Menu item", "color", "editor's comment", "Referral mechanism"):
        assert dropped not in text
    assert [chunk.section for chunk in chunk_document(doc, min_chars=0)] == ["", "Guardian"]


def test_html_title_is_used_when_there_is_no_h1(tmp_path: Path) -> None:
    path = _write(tmp_path / "page.htm", "<html><head><title>Indicators  list</title></head><body><p>Text.</p></body>")
    assert load_document(path, tmp_path).metadata.title == "Indicators list"


# --- bad inputs -----------------------------------------------------------------------------------------


def test_unsupported_extension_is_reported_with_the_supported_list(tmp_path: Path) -> None:
    message = _error(_write(tmp_path / "legislation" / "law.xyz", "text"), tmp_path)
    assert "unsupported file type '.xyz'" in message
    assert all(extension in message for extension in SUPPORTED_EXTENSIONS)


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = _write(tmp_path / "big.txt", "x" * 3 * 1024 * 1024)
    assert "file is 3.0 MB, over the 2 MB limit" in _error(path, tmp_path, max_bytes=2 * 1024 * 1024)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", b"", "empty file"),
        ("blank.txt", b"  \n\n\t \n", "no text"),
        ("blank_front.md", b"---\ntitle: Only metadata\n---\n\n", "no text"),
        ("garbage.txt", bytes(range(256)) * 8, "looks binary"),
        ("random.pdf", b"\x89PNG\r\n" + bytes(range(256)) * 4, "not a valid PDF"),
        ("broken.docx", b"PK\x03\x04 this is not really a zip", "not a valid Word .docx"),
        ("empty.html", b"<html><body><script>x()</script></body></html>", "no text"),
    ],
)
def test_bad_inputs_raise_a_one_line_error_naming_the_file(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = _write(tmp_path / "handbook" / name, content)
    assert reason in _error(path, tmp_path)


def test_docx_zip_without_a_document_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a Word document")
    assert "not a valid Word .docx" in _error(path, tmp_path)


def test_password_protected_pdf_is_reported(tmp_path: Path) -> None:
    path = make_encrypted_pdf(tmp_path / "sealed.pdf", user_password="secret")
    assert "password-protected" in _error(path, tmp_path)


def test_scanned_pdf_without_text_layer_is_reported(tmp_path: Path) -> None:
    path = make_image_only_pdf(tmp_path / "scan.pdf")
    assert "no text layer — scanned PDF, OCR needed" in _error(path, tmp_path)


@pytest.mark.parametrize("tail", [b"", b"\n%%EOF\n"])
def test_truncated_pdf_is_reported(tmp_path: Path, tail: bytes) -> None:
    whole = make_pdf(tmp_path / "whole.pdf", ["Page one text.", "Page two text."]).read_bytes()
    path = _write(tmp_path / "cut.pdf", whole[: len(whole) // 2] + tail)
    assert "corrupt or truncated PDF" in _error(path, tmp_path)


def test_unreadable_path_is_reported(tmp_path: Path) -> None:
    assert "cannot read file" in _error(tmp_path / "gone.md", tmp_path)
