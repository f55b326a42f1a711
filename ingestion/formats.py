"""Each file format's bytes as pages of text: PDF (pypdf), DOCX (python-docx), HTML (BeautifulSoup) and text in
any common encoding, with a one-line IngestionError naming the file for what cannot be read or is over a limit."""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from typing import Any

from core.errors import IngestionError
from core.settings import IngestionSettings
from ingestion.documents import Page

_MB = 1024 * 1024
_HTML_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr")
)
# Elements whose start tag closes an open one of the same name (HTML's implied end tags), for counting depth.
_HTML_SELF_CLOSING = frozenset(("p", "li", "dt", "dd", "tr", "td", "th", "option"))

_HTML_DROPPED = ("script", "style", "nav", "noscript", "template", "head")
_HTML_BLOCKS = frozenset(
    ("p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "ul", "ol", "li", "table",
     "thead", "tbody", "tfoot", "tr", "pre", "figure", "figcaption", "dl", "dt", "dd", "address", "hr", "body",
     "html", "form", "fieldset", "details", "summary", "caption")
)  # fmt: skip


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def check_length(pages: list[Page], source: str, limits: IngestionSettings) -> None:
    """Refuse a document with more characters of text than ``ingestion.max_document_chars``.

    Raises:
        IngestionError: naming the file, its length and the limit.
    """
    if sum(len(page.text) for page in pages) > limits.max_document_chars:
        raise _too_long(source, limits)


def _too_long(source: str, limits: IngestionSettings) -> IngestionError:
    return IngestionError(
        f"{source}: more than {limits.max_document_chars:,} characters of text, over the limit "
        "(ingestion.max_document_chars); split it into smaller documents"
    )


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


def read_pdf(data: bytes, source: str, limits: IngestionSettings) -> tuple[list[Page], str]:
    """The pages of a PDF's text layer and its title; the page count is checked before any page is read.

    Raises:
        IngestionError: not a PDF, damaged, password-protected, scanned, or over a limit.
    """
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
        pages = _pdf_pages(reader, source, limits)
        title = (reader.metadata.title if reader.metadata else None) or ""
    except IngestionError:
        raise
    except FileNotDecryptedError:
        raise IngestionError(f"{source}: PDF is password-protected; save an unprotected copy and retry") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError) as exc:
        # pypdf reports damage through many exception types; for the user they all mean the same thing.
        raise IngestionError(f"{source}: corrupt or truncated PDF ({type(exc).__name__}: {exc})") from None
    if not pages:
        raise IngestionError(f"{source}: corrupt or truncated PDF (no pages)")
    if not any(page.text.strip() for page in pages):
        raise IngestionError(f"{source}: no text layer — scanned PDF, OCR needed")
    return pages, title


def _pdf_pages(reader: Any, source: str, limits: IngestionSettings) -> list[Page]:
    count = len(reader.pages)  # from the page tree, without reading any page's content
    if count > limits.max_pdf_pages:
        raise IngestionError(
            f"{source}: PDF has {count:,} pages, over the {limits.max_pdf_pages:,} page limit (ingestion.max_pdf_pages)"
        )
    pages: list[Page] = []
    chars = 0
    for number, page in enumerate(reader.pages, 1):
        pages.append(Page(_normalise(page.extract_text() or ""), number))
        chars += len(pages[-1].text)
        if chars > limits.max_document_chars:  # stop reading as soon as the text is too long
            raise _too_long(source, limits)
    return pages


# --- DOCX -----------------------------------------------------------------------------------------------


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
    return [Page(_normalise("\n\n".join(blocks)))], title


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
    depth = _NestingCounter(source, limits.max_nesting)
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


class _NestingCounter:
    """Counts open elements as a parser streams through a file and refuses it past the nesting limit."""

    def __init__(self, source: str, limit: int) -> None:
        self.source = source
        self.limit = limit
        self.depth = 0

    def open(self) -> None:
        self.depth += 1
        if self.depth > self.limit:
            raise IngestionError(
                f"{self.source}: elements nested more than {self.limit} deep (ingestion.max_nesting); "
                "not a document this tool can read"
            )

    def close(self) -> None:
        self.depth = max(self.depth - 1, 0)


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


def read_html(data: bytes, source: str, limits: IngestionSettings) -> tuple[list[Page], str]:
    """The text of an HTML page (headings as Markdown) and its title; nesting is checked before it is parsed.

    Raises:
        IngestionError: elements nested past ``ingestion.max_nesting``, or the text looks binary.
    """
    from bs4 import BeautifulSoup

    check_html_nesting(data, source, limits.max_nesting)
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


def check_html_nesting(data: bytes, source: str, limit: int) -> None:
    """Refuse HTML whose elements nest deeper than ``limit``, streaming through its tags without building a tree.

    Raises:
        IngestionError: naming the file and the limit.
    """
    from html.parser import HTMLParser

    counter = _NestingCounter(source, limit)
    open_tags: list[str] = []

    class _Depth(HTMLParser):
        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in _HTML_VOID:
                return
            if tag in _HTML_SELF_CLOSING and open_tags and open_tags[-1] == tag:
                return  # a second <p> closes the first: the depth stays the same
            open_tags.append(tag)
            counter.open()

        def handle_endtag(self, tag: str) -> None:
            if tag not in open_tags:
                return  # a stray end tag closes nothing
            while open_tags:  # an end tag closes everything opened after its start tag
                counter.close()
                if open_tags.pop() == tag:
                    break

    # Tags are ASCII in every encoding BeautifulSoup accepts except UTF-16/32, which announce themselves with a BOM.
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    text = data.decode("utf-16" if utf16 else "latin-1", errors="replace")
    parser = _Depth(convert_charrefs=False)
    parser.feed(text)
    parser.close()


def _render_html(root: Any, parts: list[str]) -> None:
    """Append the text of an element tree to ``parts``; an explicit stack, so depth never meets Python's limit."""
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    stack: list[Any] = root.contents[::-1]  # elements still to render, and (text,) to append once one is done
    while stack:
        child = stack.pop()
        if isinstance(child, tuple):
            parts.append(child[0])
        elif isinstance(child, PreformattedString):  # comments, doctype, CDATA, processing instructions
            continue
        elif isinstance(child, NavigableString):
            # Line breaks inside HTML source are layout, not structure.
            parts.append(re.sub(r"\s+", " ", str(child)))
        elif isinstance(child, Tag):
            stack.extend(_render_tag(child, parts))


def _render_tag(tag: Any, parts: list[str]) -> list[Any]:
    """Render what one tag adds itself; returns what still has to be rendered, last first."""
    name = tag.name.lower()
    if re.fullmatch(r"h[1-6]", name):
        heading = " ".join(tag.get_text(" ").split())
        if heading:
            parts.append(f"\n\n{'#' * int(name[1])} {heading}\n\n")
        return []
    if name == "br":
        parts.append("\n")
        return []
    if name == "pre":
        parts.append(f"\n\n{tag.get_text()}\n\n")
        return []
    if name in ("td", "th"):
        opening, closing = " ", " |"
    else:
        closing = "\n\n" if name in _HTML_BLOCKS else ""
        opening = closing + ("- " if name == "li" else "")
    parts.append(opening)
    return [(closing,), *tag.contents[::-1]]
