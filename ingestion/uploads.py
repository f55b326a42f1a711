"""Checking and saving editors' uploads: size, type by content, safe unique names, front-matter for text files."""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import yaml

from core.errors import IngestionError, InputError
from ingestion.documents import Page

ALLOWED_EXTENSIONS: tuple[str, ...] = (".pdf", ".docx", ".md", ".txt", ".html", ".htm")
TEXT_EXTENSIONS: tuple[str, ...] = (".md", ".txt")  # the formats that can carry YAML front-matter
MAX_NAME_CHARS = 80
_MB = 1024 * 1024


class UploadRejectedError(InputError):
    """An upload that cannot be accepted; ``key`` names the i18n string, the message is the English line."""

    def __init__(self, key: str, message: str, **values: object) -> None:
        super().__init__(message)
        self.key = key
        self.values = values


@dataclass
class Metadata:
    """What the editor states about an upload (empty fields are left out of the front-matter)."""

    doc_type: str
    title: str = ""
    jurisdiction: str = ""
    language: str = "en"
    date: str = ""


def safe_filename(name: str) -> str:
    """An ASCII file name without path separators or "..", at most ``MAX_NAME_CHARS`` characters.

    The extension is kept (in lower case); anything unusable becomes "_", an empty stem becomes "document".
    """
    base = re.split(r"[/\\]", name)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    clean_ext = re.sub(r"[^a-z0-9]", "", extension.lower())[:8]
    clean_stem = re.sub(r"[^A-Za-z0-9-]+", "_", stem).strip("_-")
    clean_stem = clean_stem[: MAX_NAME_CHARS - len(clean_ext) - 1] or "document"
    return f"{clean_stem}.{clean_ext}" if clean_ext else clean_stem


def unique_name(name: str, folders: Sequence[Path], exclude: Sequence[str] = (), prefix: str = "") -> str:
    """``name``, or ``name-2``, ``name-3``… so that it exists in none of ``folders`` and matches no exclude pattern.

    Every source folder is checked, because the index identifies a document by its path inside its folder:
    the same name in the knowledge base and in the uploads would hide one of them.

    Args:
        name: a safe file name.
        folders: where the name must be free.
        exclude: the ingestion exclude patterns, matched like the pipeline does against ``prefix + name``.
        prefix: the path of the file's folder inside its source folder ("case_law/").
    """
    stem, _, extension = name.rpartition(".") if "." in name else (name, "", "")
    suffix = f".{extension}" if extension else ""
    candidate = name
    for number in range(2, 10_000):
        taken = any((folder / candidate).exists() for folder in folders)
        if not taken and not any(fnmatch(prefix + candidate, pattern) for pattern in exclude):
            return candidate
        candidate = f"{stem[: MAX_NAME_CHARS - len(suffix) - 5]}-{number}{suffix}"
    raise UploadRejectedError("upload_no_name", f"{name}: no free file name left", name=name)


def check_upload(name: str, data: bytes, max_mb: float) -> str:
    """Check size, extension and content of an upload; returns its lower-case extension.

    Raises:
        UploadRejectedError: with one line saying why.
    """
    extension = Path(safe_filename(name)).suffix
    if extension not in ALLOWED_EXTENSIONS:
        raise UploadRejectedError(
            "upload_bad_type",
            f"{name}: unsupported file type (allowed: {', '.join(ALLOWED_EXTENSIONS)})",
            name=name,
            allowed=", ".join(ALLOWED_EXTENSIONS),
        )
    if not data:
        raise UploadRejectedError("upload_empty", f"{name}: the file is empty", name=name)
    if len(data) > max_mb * _MB:
        size = f"{len(data) / _MB:.1f}"
        raise UploadRejectedError(
            "upload_too_large", f"{name}: {size} MB, over the {max_mb:g} MB limit", name=name, size=size, max=max_mb
        )
    if extension == ".pdf" and not data.startswith(b"%PDF-"):
        raise UploadRejectedError("upload_not_pdf", f"{name}: not a PDF file (no PDF header)", name=name)
    if extension == ".docx" and not _is_docx(data):
        raise UploadRejectedError("upload_not_docx", f"{name}: not a Word .docx file", name=name)
    if extension in (".md", ".txt", ".html", ".htm") and not _looks_textual(data):
        raise UploadRejectedError("upload_binary", f"{name}: binary content, not text", name=name)
    return extension


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _looks_textual(data: bytes) -> bool:
    """UTF-8 (or UTF-16 with a BOM) text without NUL bytes or many control characters."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return False
    else:
        if b"\x00" in data:
            return False
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")  # a legacy Western encoding is still text
    sample = text[:20_000]
    controls = sum(1 for char in sample if unicodedata.category(char) == "Cc" and char not in "\n\r\t\f\v")
    return controls <= len(sample) // 100


def read_pages(name: str, data: bytes) -> tuple[dict[str, Any], list[Page]]:
    """The front-matter and pages of an upload, read from memory (nothing is written before the editor confirms).

    Raises:
        UploadRejectedError: the document cannot be read (corrupt, encrypted, scanned, bad front-matter…).
    """
    from ingestion.load import read_bytes

    try:
        front, pages, _ = read_bytes(data, Path(safe_filename(name)).suffix, name)
    except IngestionError as exc:
        raise UploadRejectedError("upload_unreadable", str(exc), reason=str(exc)) from None
    return front, pages


def with_front_matter(data: bytes, metadata: Metadata, name: str) -> bytes:
    """A Markdown or text upload with the editor's metadata merged into its front-matter (the editor's wins).

    Raises:
        UploadRejectedError: the existing front-matter is invalid.
    """
    from ingestion.formats import decode_text
    from ingestion.frontmatter import split_front_matter

    try:
        front, body = split_front_matter(decode_text(data, name), name)
    except IngestionError as exc:
        raise UploadRejectedError("upload_unreadable", str(exc), reason=str(exc)) from None
    stated = {
        "title": metadata.title.strip(),
        "doc_type": metadata.doc_type,
        "jurisdiction": metadata.jurisdiction.strip(),
        "language": metadata.language,
        "date": metadata.date,
    }
    front.update({key: value for key, value in stated.items() if value})
    header = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{header}---\n\n{body.lstrip()}".encode()


def save_upload(
    data: bytes,
    name: str,
    metadata: Metadata,
    uploads_dir: Path,
    *,
    other_roots: Sequence[Path] = (),
    exclude: Sequence[str] = (),
) -> Path:
    """Write a checked upload to ``uploads_dir/<doc_type>/`` under a safe, unique name.

    Args:
        data: the file's bytes, already checked by ``check_upload``.
        name: the name the browser gave.
        metadata: what the editor stated; written as front-matter for Markdown and text files.
        uploads_dir: the uploads source folder (``data/uploads``).
        other_roots: other source folders whose names must not be shadowed (the knowledge base).
        exclude: the ingestion exclude patterns (a name matching one would never be indexed).

    Returns:
        The saved file.
    """
    filename = safe_filename(name)
    if Path(filename).suffix in TEXT_EXTENSIONS:
        data = with_front_matter(data, metadata, name)
    folder = uploads_dir / metadata.doc_type
    folder.mkdir(parents=True, exist_ok=True)
    folders = [folder, *(root / metadata.doc_type for root in other_roots)]
    filename = unique_name(filename, folders, exclude, prefix=f"{metadata.doc_type}/")
    path = folder / filename
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)  # O_EXCL: never overwrite a document
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return path


def upload_path(uploads_dir: Path, source: str) -> Path:
    """The file of an uploaded document by its index source ("case_law/x.md"), which may no longer exist.

    Raises:
        UploadRejectedError: ``source`` points outside the uploads folder.
    """
    root = uploads_dir.resolve()
    path = (root / source).resolve()
    if not path.is_relative_to(root) or path == root:
        raise UploadRejectedError("upload_outside", f"{source}: not an uploaded document", name=source)
    return path


def delete_upload(uploads_dir: Path, source: str) -> bool:
    """Delete an uploaded document by its index source ("case_law/x.md"); False when it was already gone.

    Raises:
        UploadRejectedError: ``source`` points outside the uploads folder.
    """
    try:
        upload_path(uploads_dir, source).unlink()
    except FileNotFoundError:
        return False
    return True
