"""DOCX bytes as pages of text (python-docx): paragraphs and tables, the package checked before it is unpacked."""

from __future__ import annotations

import io
import re
from typing import Any

from core.errors import IngestionError
from core.settings import IngestionSettings
from ingestion.documents import Page
from ingestion.formats import NestingCounter, normalise_newlines

_MB = 1024 * 1024


def read_docx(data: bytes, source: str, limits: IngestionSettings) -> tuple[list[Page], str]:
    """The text of a Word document (headings as Markdown) and its title; the zip is checked before it is parsed.

    Raises:
        IngestionError: not a .docx, damaged, or over a limit (unpacked size, entries, nesting).
    """
    import docx
    from docx.table import Table

    check_docx_package(data, source, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = []
        for item in document.iter_inner_content():
            text = _docx_table(item) if isinstance(item, Table) else _docx_paragraph(item)
            if text:
                blocks.append(text)
        title = document.core_properties.title or ""
    except Exception as exc:
        # python-docx lets zip, XML and key errors through for a damaged package; all mean "not a usable .docx".
        raise IngestionError(f"{source}: not a valid Word .docx file ({type(exc).__name__}: {exc})") from None
    return [Page(normalise_newlines("\n\n".join(blocks)))], title


def check_docx_package(data: bytes, source: str, limits: IngestionSettings) -> None:
    """Refuse a .docx (a zip) that would unpack past the limits, before python-docx parses any of it.

    The zip directory's declared sizes are checked first; then every entry is unpacked as a stream, counting
    the bytes it really gives (a forged directory cannot hide a bomb) and how deeply its XML nests.

    Raises:
        IngestionError: not a zip, too many entries, too large once unpacked, or XML nested too deeply.
    """
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestionError(f"{source}: not a valid Word .docx file ({type(exc).__name__}: {exc})") from None
    budget = int(limits.max_unpacked_mb * _MB)
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_archive_entries:
            raise IngestionError(
                f"{source}: .docx holds {len(entries):,} files, over the {limits.max_archive_entries:,} limit "
                "(ingestion.max_archive_entries)"
            )
        declared = sum(entry.file_size for entry in entries)
        if declared > budget:
            raise _unpacks_too_large(source, f"{declared / _MB:,.0f} MB", limits)
        unpacked = 0
        for entry in entries:
            unpacked = _unpack_checked(archive, entry, unpacked, source, limits)


def _unpack_checked(archive: Any, entry: Any, unpacked: int, source: str, limits: IngestionSettings) -> int:
    """Stream one zip entry, stopping past the unpacked-size budget; XML entries are checked for nesting."""
    import zipfile
    from xml.parsers import expat

    budget = int(limits.max_unpacked_mb * _MB)
    depth = NestingCounter(source, limits.max_nesting)
    parser = expat.ParserCreate() if entry.filename.lower().endswith((".xml", ".rels")) else None
    if parser is not None:
        parser.StartElementHandler = lambda _name, _attributes: depth.open()
        parser.EndElementHandler = lambda _name: depth.close()
    try:
        with archive.open(entry) as stream:
            for block in iter(lambda: stream.read(1 << 16), b""):
                unpacked += len(block)
                if unpacked > budget:
                    raise _unpacks_too_large(source, f"more than {budget / _MB:g} MB", limits)
                if parser is not None:
                    parser.Parse(block, False)
    except expat.ExpatError:
        pass  # malformed XML: python-docx reports it if the part matters
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise IngestionError(f"{source}: not a valid Word .docx file ({type(exc).__name__}: {exc})") from None
    return unpacked


def _unpacks_too_large(source: str, size: str, limits: IngestionSettings) -> IngestionError:
    return IngestionError(
        f"{source}: .docx unpacks to {size} (limit {limits.max_unpacked_mb:g} MB, ingestion.max_unpacked_mb); "
        "probably a zip bomb, not a document"
    )


def _docx_paragraph(paragraph: Any) -> str:
    text = paragraph.text.strip()
    if not text:
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    heading = re.fullmatch(r"Heading (\d)", style)
    if heading:
        return f"{'#' * min(int(heading.group(1)), 6)} {text}"
    if style == "Title":
        return f"# {text}"
    if style.startswith("List"):
        return f"- {text}"
    return text


def _docx_table(table: Any) -> str:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans; keep its text once.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return "\n".join(rows)
