"""Reading documents from disk (PDF, DOCX, Markdown, text, HTML) into pages of text with their metadata."""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import unicodedata
from pathlib import Path
from typing import Any

from core.errors import IngestionError
from core.settings import DOC_TYPES
from ingestion.documents import DocumentMetadata, LoadedDocument, Page
from ingestion.frontmatter import split_front_matter

SUPPORTED_EXTENSIONS: tuple[str, ...] = (".pdf", ".docx", ".md", ".markdown", ".txt", ".html", ".htm")
_DOC_TYPE_ALIASES = {"case-law": "case_law", "caselaw": "case_law", "case law": "case_law"}
_MB = 1024 * 1024
_MARKDOWN_H1 = re.compile(r"^\s{0,3}#(?!#)\s*(?P<title>\S.*?)\s*#*\s*$", re.MULTILINE)
_HTML_DROPPED = ("script", "style", "nav", "noscript", "template", "head")
_HTML_BLOCKS = frozenset(
    ("p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "ul", "ol", "li", "table",
     "thead", "tbody", "tfoot", "tr", "pre", "figure", "figcaption", "dl", "dt", "dd", "address", "hr", "body",
     "html", "form", "fieldset", "details", "summary", "caption")
)  # fmt: skip
_META_KEYS = ("title", "doc_type", "type", "jurisdiction", "language", "date")


def discover(source_root: Path) -> list[Path]:
    """All candidate documents under a folder, sorted by relative path.

    Hidden files and folders are skipped, and so is a README.md at the top of the folder (it explains the
    folder). Files with unsupported extensions are returned, so that loading reports them instead of
    letting them disappear silently.

    Raises:
        IngestionError: the folder does not exist.
    """
    if not source_root.is_dir():
        raise IngestionError(f"{source_root}: source folder not found")
    found = []
    for path in source_root.rglob("*"):
        relative = path.relative_to(source_root)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if len(relative.parts) == 1 and path.name.lower() == "readme.md":
            continue
        if path.name.startswith("~$"):  # Word's lock file next to an open document, not a document
            continue
        found.append(path)
    return sorted(found, key=lambda path: path.relative_to(source_root).as_posix())


def load_document(
    path: Path, source_root: Path, *, doc_type: str | None = None, max_bytes: int = 50 * _MB
) -> LoadedDocument:
    """Read one document into pages of text with its metadata.

    Args:
        path: the file to read.
        source_root: the folder it was found in; ``source`` is the path relative to it.
        doc_type: forces the document type (wins over front-matter and folder names).
        max_bytes: larger files are refused before they are read.

    Returns:
        One page per PDF page (numbered from 1), or a single unnumbered page for other formats.

    Raises:
        IngestionError: "<source>: <reason>" for unsupported, too large, empty, corrupt, encrypted or
            scanned files, undecodable text and invalid front-matter.
    """
    source = _source(path, source_root)
    extension = path.suffix.lower()
    _check_extension(extension, source)  # before the file is read
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestionError(f"{source}: file is {size / _MB:.1f} MB, over the {max_bytes / _MB:g} MB limit")
        data = path.read_bytes()
    except OSError as exc:
        raise IngestionError(f"{source}: cannot read file ({exc.strerror or exc})") from None
    if not data:
        raise IngestionError(f"{source}: empty file")

    front, pages, format_title = read_bytes(data, extension, source)
    if not any(page.text.strip() for page in pages):
        raise IngestionError(f"{source}: no text (the file is empty or only whitespace)")

    metadata = _metadata(path, source, pages, front, format_title, doc_type)
    return LoadedDocument(source=source, pages=pages, metadata=metadata, content_hash=hashlib.sha256(data).hexdigest())


def read_bytes(data: bytes, extension: str, source: str) -> tuple[dict[str, Any], list[Page], str]:
    """Read a document held in memory (an upload) the way ``load_document`` reads a file.

    Args:
        data: the file's content.
        extension: its lower-case extension, with the dot (".pdf").
        source: the name used in error messages.

    Returns:
        The front-matter (Markdown and text only, else empty), the pages, and the title stored in the file's
        own properties (PDF, DOCX and HTML only, else "").

    Raises:
        IngestionError: "<source>: <reason>" for unsupported, corrupt, encrypted or scanned files, undecodable
            text and invalid front-matter.
    """
    _check_extension(extension, source)
    if extension == ".pdf":
        return {}, *_read_pdf(data, source)
    if extension == ".docx":
        return {}, *_read_docx(data, source)
    if extension in (".html", ".htm"):
        return {}, *_read_html(data, source)
    front, text = split_front_matter(decode_text(data, source), source)
    return front, [Page(text)], ""


def _check_extension(extension: str, source: str) -> None:
    if extension not in SUPPORTED_EXTENSIONS:
        shown = extension or "(none)"
        raise IngestionError(
            f"{source}: unsupported file type '{shown}' (supported: {', '.join(SUPPORTED_EXTENSIONS)})"
        )


def _source(path: Path, source_root: Path) -> str:
    # Lexically first, so a symlinked file inside the folder keeps its name there.
    for candidate, root in ((path, source_root), (path.resolve(), source_root.resolve())):
        if candidate.is_relative_to(root):
            return candidate.relative_to(root).as_posix()
    return path.as_posix()  # a file given outside its source folder keeps the path it was given as


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


# --- metadata -------------------------------------------------------------------------------------------


def normalise_doc_type(value: object, source: str) -> str:
    """The canonical doc_type for a value given by a user ("Case-Law" -> "case_law").

    Raises:
        IngestionError: the value names no known document type.
    """
    text = str(value).strip().lower()
    text = _DOC_TYPE_ALIASES.get(text, text)
    if text not in (*DOC_TYPES, "unknown"):
        raise IngestionError(f"{source}: unknown doc_type '{value}' (expected one of: {', '.join(DOC_TYPES)})")
    return text


def _doc_type_from_folder(source: str) -> str:
    for part in source.split("/")[:-1]:
        name = _DOC_TYPE_ALIASES.get(part.lower(), part.lower())
        if name in DOC_TYPES:
            return name
    return "unknown"


def _humanise(stem: str) -> str:
    words = " ".join(re.split(r"[_\-\s]+", stem)).strip()
    return words[:1].upper() + words[1:] if words else stem


def _first_h1(text: str) -> str:
    """The first Markdown H1, or a heading of any level when it is the document's very first line."""
    match = _MARKDOWN_H1.search(text)
    if match:
        return match.group("title").strip("*_ ")
    first = next((line for line in text.splitlines() if line.strip()), "")
    opening = re.match(r"^\s{0,3}#{1,6}\s*(?P<title>\S.*?)\s*#*\s*$", first)
    return opening.group("title").strip("*_ ") if opening else ""


def _metadata(
    path: Path, source: str, pages: list[Page], front: dict[str, Any], format_title: str, doc_type: str | None
) -> DocumentMetadata:
    if doc_type is not None:
        resolved_type = normalise_doc_type(doc_type, source)
    elif front.get("doc_type", front.get("type")) is not None:
        resolved_type = normalise_doc_type(front.get("doc_type", front.get("type")), source)
    else:
        resolved_type = _doc_type_from_folder(source)
    title = str(front.get("title") or "").strip() or _first_h1(pages[0].text) or format_title.strip()
    return DocumentMetadata(
        title=title or _humanise(path.stem),
        doc_type=resolved_type,
        jurisdiction=str(front.get("jurisdiction") or ""),
        language=str(front.get("language") or "en").lower(),
        date=str(front.get("date") or ""),
        extra={key: value for key, value in front.items() if key not in _META_KEYS},
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


def _read_pdf(data: bytes, source: str) -> tuple[list[Page], str]:
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


def _read_docx(data: bytes, source: str) -> tuple[list[Page], str]:
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


def _read_html(data: bytes, source: str) -> tuple[list[Page], str]:
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
