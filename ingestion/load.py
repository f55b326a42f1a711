"""Finding documents and reading them into pages with their metadata (each format's reader: ingestion/formats.py)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from core.errors import IngestionError
from core.settings import DOC_TYPES, IngestionSettings
from ingestion.documents import DocumentMetadata, LoadedDocument, Page
from ingestion.formats import check_length, decode_text
from ingestion.formats_docx import read_docx
from ingestion.formats_html import read_html
from ingestion.formats_pdf import read_pdf
from ingestion.frontmatter import split_front_matter

SUPPORTED_EXTENSIONS: tuple[str, ...] = (".pdf", ".docx", ".md", ".markdown", ".txt", ".html", ".htm")
_DOC_TYPE_ALIASES = {"case-law": "case_law", "caselaw": "case_law", "case law": "case_law"}
_MB = 1024 * 1024
_MARKDOWN_H1 = re.compile(r"^\s{0,3}#(?!#)\s*(?P<title>\S.*?)\s*#*\s*$", re.MULTILINE)
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
    path: Path,
    source_root: Path,
    *,
    doc_type: str | None = None,
    max_bytes: int = 50 * _MB,
    limits: IngestionSettings | None = None,
) -> LoadedDocument:
    """Read one document into pages of text with its metadata.

    Args:
        path: the file to read.
        source_root: the folder it was found in; ``source`` is the path relative to it.
        doc_type: forces the document type (wins over front-matter and folder names).
        max_bytes: larger files are refused before they are read.
        limits: what the readers refuse before parsing (unpacked size, nesting, pages, characters); default:
            the settings' defaults.

    Returns:
        One page per PDF page (numbered from 1), or a single unnumbered page for other formats.

    Raises:
        IngestionError: "<source>: <reason>" for unsupported, too large, empty, corrupt, encrypted or
            scanned files, files over a limit, undecodable text and invalid front-matter.
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

    front, pages, format_title = read_bytes(data, extension, source, limits)
    if not any(page.text.strip() for page in pages):
        raise IngestionError(f"{source}: no text (the file is empty or only whitespace)")

    metadata = _metadata(path, source, pages, front, format_title, doc_type)
    return LoadedDocument(source=source, pages=pages, metadata=metadata, content_hash=hashlib.sha256(data).hexdigest())


def read_bytes(
    data: bytes, extension: str, source: str, limits: IngestionSettings | None = None
) -> tuple[dict[str, Any], list[Page], str]:
    """Read a document held in memory (an upload) the way ``load_document`` reads a file.

    Args:
        data: the file's content.
        extension: its lower-case extension, with the dot (".pdf").
        source: the name used in error messages.
        limits: what is refused before parsing (see ``load_document``).

    Returns:
        The front-matter (Markdown and text only, else empty), the pages, and the title stored in the file's
        own properties (PDF, DOCX and HTML only, else "").

    Raises:
        IngestionError: "<source>: <reason>" for unsupported, corrupt, encrypted or scanned files, files over a
            limit, undecodable text and invalid front-matter.
    """
    _check_extension(extension, source)
    limits = limits or IngestionSettings()
    front: dict[str, Any] = {}
    title = ""
    if extension == ".pdf":
        pages, title = read_pdf(data, source, limits)
    elif extension == ".docx":
        pages, title = read_docx(data, source, limits)
    elif extension in (".html", ".htm"):
        pages, title = read_html(data, source, limits)
    else:
        front, text = split_front_matter(decode_text(data, source), source)
        pages = [Page(text)]
    check_length(pages, source, limits)
    return front, pages, title


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
