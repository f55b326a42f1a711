"""Text files in any common encoding as text, and what every format's reader shares (``formats_pdf``,
``formats_docx``, ``formats_html``): the length limit, newline clean-up, the binary check, the nesting counter."""

from __future__ import annotations

import codecs
import unicodedata

from core.errors import IngestionError
from core.settings import IngestionSettings
from ingestion.documents import Page


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def check_length(pages: list[Page], source: str, limits: IngestionSettings) -> None:
    """Refuse a document with more characters of text than ``ingestion.max_document_chars``.

    Raises:
        IngestionError: naming the file, its length and the limit.
    """
    if sum(len(page.text) for page in pages) > limits.max_document_chars:
        raise too_long(source, limits)


def too_long(source: str, limits: IngestionSettings) -> IngestionError:
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
                return checked_text(normalise_newlines(data.decode(encoding)), source)
            except UnicodeDecodeError:
                raise IngestionError(f"{source}: cannot decode text (starts like {encoding} but is not)") from None
    try:
        return checked_text(normalise_newlines(data.decode("utf-8")), source)
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise IngestionError(f"{source}: looks binary, not text (contains NUL bytes)")
    return checked_text(normalise_newlines(_guess_legacy(data, source)), source)


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


def checked_text(text: str, source: str) -> str:
    """Refuse decoded text that is mostly control characters: indexing binary junk helps nobody."""
    if not text:
        return text
    sample = text[:20_000]
    controls = sum(1 for char in sample if unicodedata.category(char) in ("Cc", "Co", "Cn") and char not in "\n\t\f\v")
    if controls / len(sample) > 0.01:
        raise IngestionError(f"{source}: looks binary, not text ({controls} control characters in the first part)")
    return text


class NestingCounter:
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
