"""Each file format's bytes as pages of text: PDF (pypdf), DOCX (python-docx), HTML (BeautifulSoup) and text in
any common encoding, with a one-line IngestionError naming the file for what cannot be read."""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from typing import Any

from core.errors import IngestionError
from ingestion.documents import Page

_HTML_DROPPED = ("script", "style", "nav", "noscript", "template", "head")
_HTML_BLOCKS = frozenset(
    ("p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "ul", "ol", "li", "table",
     "thead", "tbody", "tfoot", "tr", "pre", "figure", "figcaption", "dl", "dt", "dd", "address", "hr", "body",
     "html", "form", "fieldset", "details", "summary", "caption")
)  # fmt: skip


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


# --- text and Markdown ----------------------------------------------------------------------------------


def decode_text(data: bytes, source: str) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16/32 with BOM, else the most likely legacy encoding.

    Raises:
        IngestionError: the bytes are binary or in no encoding that can be recognised.
    """
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _checked_text(_normalise(data.decode(encoding)), source)
            except UnicodeDecodeError:
                raise IngestionError(f"{source}: cannot decode text (starts like {encoding} but is not)") from None
    try:
        return _checked_text(_normalise(data.decode("utf-8")), source)
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise IngestionError(f"{source}: looks binary, not text (contains NUL bytes)")
    return _checked_text(_normalise(_guess_legacy(data, source)), source)


def _guess_legacy(data: bytes, source: str) -> str:
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise IngestionError(f"{source}: cannot decode text (not UTF-8, UTF-16 or a known legacy encoding)")
    # On short texts several single-byte encodings explain the bytes equally well; Western European documents
    # are far more often Windows-1252 than, say, Windows-1250, so prefer it when it is as good a fit.
    for candidate in matches:
        if candidate.encoding in ("cp1252", "latin_1", "iso8859_15") and candidate.chaos <= best.chaos:
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                break
    return str(best)


def _checked_text(text: str, source: str) -> str:
    """Refuse decoded text that is mostly control characters: indexing binary junk helps nobody."""
    if not text:
        return text
    sample = text[:20_000]
    controls = sum(1 for char in sample if unicodedata.category(char) in ("Cc", "Co", "Cn") and char not in "\n\t\f\v")
    if controls / len(sample) > 0.01:
        raise IngestionError(f"{source}: looks binary, not text ({controls} control characters in the first part)")
    return text


# --- PDF ------------------------------------------------------------------------------------------------


def read_pdf(data: bytes, source: str) -> tuple[list[Page], str]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    if b"%PDF-" not in data[:1024]:
        raise IngestionError(f"{source}: not a valid PDF (no PDF header)")
    if b"%%EOF" not in data[-2048:]:
        # pypdf quietly rebuilds what it can of a cut-off file; an incomplete text must not be indexed as whole.
        raise IngestionError(f"{source}: corrupt or truncated PDF (no end-of-file marker)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many PDFs are "encrypted" only to restrict printing and open with the empty user password.
            try:
                unlocked = reader.decrypt("")
            except DependencyError:
                raise IngestionError(
                    f"{source}: encrypted PDF needs the 'cryptography' package to be read (pip install cryptography)"
                ) from None
            if not unlocked:
                raise IngestionError(f"{source}: PDF is password-protected; save an unprotected copy and retry")
        pages = [Page(_normalise(page.extract_text() or ""), number) for number, page in enumerate(reader.pages, 1)]
        title = (reader.metadata.title if reader.metadata else None) or ""
    except IngestionError:
        raise
    except FileNotDecryptedError:
        raise IngestionError(f"{source}: PDF is password-protected; save an unprotected copy and retry") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        # pypdf reports damage through many exception types; for the user they all mean the same thing.
        raise IngestionError(f"{source}: corrupt or truncated PDF ({type(exc).__name__}: {exc})") from None
    if not pages:
        raise IngestionError(f"{source}: corrupt or truncated PDF (no pages)")
    if not any(page.text.strip() for page in pages):
        raise IngestionError(f"{source}: no text layer — scanned PDF, OCR needed")
    return pages, title


# --- DOCX -----------------------------------------------------------------------------------------------


def read_docx(data: bytes, source: str) -> tuple[list[Page], str]:
    import docx
    from docx.table import Table

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
    return [Page(_normalise("\n\n".join(blocks)))], title


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


# --- HTML -----------------------------------------------------------------------------------------------


def read_html(data: bytes, source: str) -> tuple[list[Page], str]:
    from bs4 import BeautifulSoup

    # BeautifulSoup finds the encoding from the BOM, the <meta charset> or a guess.
    soup = BeautifulSoup(data, "html.parser")
    title = " ".join(soup.title.get_text().split()) if soup.title else ""
    for tag in soup.find_all(_HTML_DROPPED):
        tag.decompose()
    parts: list[str] = []
    _render_html(soup, parts)
    text = "".join(parts)
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return [Page(_checked_text(_normalise(text.strip()), source))], title


def _render_html(node: Any, parts: list[str]) -> None:
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    for child in node.children:
        if isinstance(child, PreformattedString):  # comments, doctype, CDATA, processing instructions
            continue
        if isinstance(child, NavigableString):
            # Line breaks inside HTML source are layout, not structure.
            parts.append(re.sub(r"\s+", " ", str(child)))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        if re.fullmatch(r"h[1-6]", name):
            heading = " ".join(child.get_text(" ").split())
            if heading:
                parts.append(f"\n\n{'#' * int(name[1])} {heading}\n\n")
        elif name == "br":
            parts.append("\n")
        elif name == "pre":
            parts.append(f"\n\n{child.get_text()}\n\n")
        elif name in ("td", "th"):
            parts.append(" ")
            _render_html(child, parts)
            parts.append(" |")
        else:
            block = name in _HTML_BLOCKS
            parts.append("\n\n" if block else "")
            if name == "li":
                parts.append("- ")
            _render_html(child, parts)
            parts.append("\n\n" if block else "")
