"""PDF bytes as pages of text (pypdf), with a one-line IngestionError naming the file for what cannot be read."""

from __future__ import annotations

import io
from typing import Any

from core.errors import IngestionError
from core.settings import IngestionSettings
from ingestion.documents import Page
from ingestion.formats import normalise_newlines, too_long


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
        pages.append(Page(normalise_newlines(page.extract_text() or ""), number))
        chars += len(pages[-1].text)
        if chars > limits.max_document_chars:  # stop reading as soon as the text is too long
            raise too_long(source, limits)
    return pages
