"""Hostile files: zip bombs, deep nesting, huge PDFs and long texts are refused by name before they are parsed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from core.errors import IngestionError
from core.settings import IngestionSettings
from ingestion.load import read_bytes

_MB = 1024 * 1024
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


def docx_bytes(body_chunks: list[bytes] | None = None, *, extra_entries: int = 0) -> bytes:
    """A minimal .docx whose document.xml is streamed from ``body_chunks`` (so a bomb never sits in memory)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w") as stream:
            stream.write(f"<w:document {_W}><w:body>".encode())
            for chunk in body_chunks or [
                b"<w:p><w:r><w:t>A good paragraph about the Palermo Protocol.</w:t></w:r></w:p>"
            ]:
                stream.write(chunk)
            stream.write(b"</w:body></w:document>")
        for number in range(extra_entries):
            archive.writestr(f"customXml/item{number}.xml", "<a/>")
    return buffer.getvalue()


def bomb_docx(unpacked_mb: int) -> bytes:
    """A .docx with one run of ``unpacked_mb`` MB of the same letter: a few hundred KB on disk."""
    run = [b"<w:p><w:r><w:t>"] + [b"a" * _MB] * unpacked_mb + [b"</w:t></w:r></w:p>"]
    return docx_bytes(run)


def deep_html(depth: int) -> bytes:
    return b"<html><body>" + b"<div>" * depth + b"deep text" + b"</div>" * depth + b"</body></html>"


def many_pages_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(72, 72)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_good_docx_passes_the_package_checks() -> None:
    _, pages, _ = read_bytes(docx_bytes(), ".docx", "good.docx")
    assert "Palermo Protocol" in pages[0].text


def test_docx_zip_bomb_is_refused_from_its_directory_with_default_limits() -> None:
    data = bomb_docx(300)  # 300 MB unpacked, over the default 200 MB
    assert len(data) < 2 * _MB
    with pytest.raises(IngestionError, match=r"^bomb\.docx: .docx unpacks to 300 MB .*ingestion\.max_unpacked_mb"):
        read_bytes(data, ".docx", "bomb.docx")


def _forge_declared_size(data: bytearray, name: bytes, size: int) -> None:
    """Overwrite an entry's uncompressed size in its local header and in the central directory."""
    for signature, size_offset, name_offset in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        position = data.find(signature)
        while data[position + name_offset : position + name_offset + len(name)] != name:
            position = data.find(signature, position + 4)
        data[position + size_offset : position + size_offset + 4] = size.to_bytes(4, "little")


def test_docx_whose_directory_understates_its_size_is_refused() -> None:
    data = bytearray(bomb_docx(3))
    _forge_declared_size(data, b"word/document.xml", 1024)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:  # the forged directory claims a tiny package
        assert sum(entry.file_size for entry in archive.infolist()) < 10_000
    with pytest.raises(IngestionError, match=r"^forged\.docx: (not a valid Word \.docx file|\.docx unpacks)"):
        read_bytes(bytes(data), ".docx", "forged.docx", IngestionSettings(max_unpacked_mb=1))


def test_docx_over_a_lower_unpacked_limit_is_refused() -> None:
    limits = IngestionSettings(max_unpacked_mb=1)
    with pytest.raises(IngestionError, match=r"^big\.docx: .docx unpacks to 3 MB"):
        read_bytes(bomb_docx(3), ".docx", "big.docx", limits)


def test_docx_with_too_many_entries_is_refused() -> None:
    with pytest.raises(IngestionError, match=r"^many\.docx: .docx holds 2,503 files.*max_archive_entries"):
        read_bytes(docx_bytes(extra_entries=2500), ".docx", "many.docx")


def test_docx_with_deeply_nested_xml_is_refused() -> None:
    nested = [b"<w:sdt><w:sdtContent>" * 600, b"</w:sdtContent></w:sdt>" * 600]
    with pytest.raises(IngestionError, match=r"^nested\.docx: elements nested more than 500 deep"):
        read_bytes(docx_bytes(nested), ".docx", "nested.docx")


def test_deeply_nested_html_is_refused_before_it_is_parsed() -> None:
    with pytest.raises(IngestionError, match=r"^deep\.html: elements nested more than 500 deep.*max_nesting"):
        read_bytes(deep_html(200_000), ".html", "deep.html")


def test_html_nested_deeper_than_pythons_stack_is_rendered_without_recursion() -> None:
    limits = IngestionSettings(max_nesting=5000)
    _, pages, _ = read_bytes(deep_html(3000), ".html", "deep.html", limits)
    assert pages[0].text == "deep text"


def test_html_with_many_unclosed_paragraphs_is_not_counted_as_deep() -> None:
    data = b"<html><body>" + b"".join(b"<p>paragraph %d" % n for n in range(2000)) + b"</body></html>"
    _, pages, _ = read_bytes(data, ".html", "old.html", IngestionSettings(max_nesting=5000))
    assert "paragraph 1999" in pages[0].text
    _, pages, _ = read_bytes(data, ".htm", "old.htm")  # the default limit of 500 is not reached either
    assert "paragraph 0" in pages[0].text


def test_pdf_over_the_page_limit_is_refused_before_its_pages_are_read() -> None:
    data = many_pages_pdf(5000)
    assert len(data) < _MB
    with pytest.raises(IngestionError, match=r"^many\.pdf: PDF has 5,000 pages, over the 3,000 page limit"):
        read_bytes(data, ".pdf", "many.pdf")


def test_text_over_the_character_limit_is_refused_and_a_long_one_under_it_is_read() -> None:
    long_text = ("A legitimate paragraph of a long judgment. " * 40 + "\n\n") * 900  # about 1.5 MB
    _, pages, _ = read_bytes(long_text.encode(), ".txt", "long.txt")
    assert len(pages[0].text) > 1_500_000
    with pytest.raises(IngestionError, match=r"^long\.txt: more than 1,000,000 characters.*max_document_chars"):
        read_bytes(long_text.encode(), ".txt", "long.txt", IngestionSettings(max_document_chars=1_000_000))


def test_limits_are_validated_settings() -> None:
    from core.errors import ConfigError
    from core.settings import PROJECT_ROOT, load_settings

    with pytest.raises(ConfigError, match="ingestion.max_nesting"):
        load_settings(PROJECT_ROOT / "config" / "test.yaml", ingestion={"max_nesting": 0})


def test_docx_limits_apply_to_files_loaded_from_disk(tmp_path: Path) -> None:
    from ingestion.load import load_document

    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb_docx(300))
    with pytest.raises(IngestionError, match="bomb.docx: .docx unpacks"):
        load_document(path, tmp_path)
