"""One page of a PDF as a PNG picture, with a passage's text boxes marked by a translucent box (pypdfium2)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.render import supporting_span
from core.errors import InputError

if TYPE_CHECKING:
    from pypdfium2 import PdfPage

SCALE = 1.5  # 108 dpi: the page fits a large dialog and small print stays legible
HIGHLIGHT_FILL = (255, 213, 0, 90)  # translucent yellow, so the words under it stay readable
HIGHLIGHT_EDGE = (214, 150, 0, 200)

Box = tuple[float, float, float, float]  # left, bottom, right, top, in PDF units from the page's lower left corner


@dataclass(frozen=True)
class RenderedPage:
    """A page picture, its number (from 1), the document's page count and whether the passage was marked on it."""

    png: bytes
    page: int
    pages: int
    highlighted: bool


def render_page(path: Path, page: int, passage: str) -> RenderedPage:
    """Page ``page`` (from 1) of the PDF at ``path``, with ``passage`` marked wherever its words lie on the page.

    The passage is found word by word in the page's text layer, across line breaks; when it is empty, not on the
    page, or the page is rotated (its boxes would not line up), the page comes without a mark
    (``highlighted`` False).

    Raises:
        InputError: the file is not a PDF pypdfium2 can open, or has no such page (the message names the file).
    """
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(path)
    except (pypdfium2.PdfiumError, OSError) as exc:
        raise InputError(f"{path.name}: the PDF cannot be opened ({exc})") from None
    try:
        if not 1 <= page <= len(document):
            raise InputError(f"{path.name}: the PDF has no page {page} (it has {len(document)})")
        pdf_page = document[page - 1]
        boxes = passage_boxes(pdf_page, passage) if passage.strip() and not pdf_page.get_rotation() else []
        png = _picture(pdf_page, boxes)
        return RenderedPage(png, page, len(document), bool(boxes))
    finally:
        document.close()


def passage_boxes(pdf_page: PdfPage, passage: str) -> list[Box]:
    """The text boxes of ``passage`` on a pypdfium2 page (one per line it covers), or [] when it is not there."""
    textpage = pdf_page.get_textpage()
    try:
        text = textpage.get_text_range()
        if len(text) != textpage.count_chars():
            return []  # the text does not map one to one onto the page's characters: no reliable boxes
        span = supporting_span(text, passage) or _word_span(text, passage)
        if span is None:
            return []
        start, end = span
        count = textpage.count_rects(start, end - start)
        return [tuple(textpage.get_rect(i)) for i in range(count)]
    finally:
        textpage.close()


def _word_span(text: str, passage: str) -> tuple[int, int] | None:
    """Where the passage's words follow each other in ``text`` with anything but words between them.

    The indexed text and the page's text layer may differ in what lies between words: a dash the chunker put
    between an article's number and its title ("Article 1 – Purposes") against a line break on the page.
    """
    words = re.findall(r"\w+", passage)
    if not words:
        return None
    match = re.search(r"\W+".join(map(re.escape, words)), text)
    return match.span() if match else None


def _picture(pdf_page: PdfPage, boxes: list[Box]) -> bytes:
    """The page rendered at ``SCALE`` as PNG bytes, each box drawn over it."""
    from PIL import Image, ImageDraw

    image = pdf_page.render(scale=SCALE).to_pil().convert("RGBA")
    left, _bottom, _right, top = pdf_page.get_bbox()
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for x0, y0, x1, y1 in boxes:
        # PDF units grow upwards from the lower left corner; the picture's pixels grow downwards from the top.
        corners = ((x0 - left) * SCALE - 2, (top - y1) * SCALE - 2, (x1 - left) * SCALE + 2, (top - y0) * SCALE + 2)
        draw.rectangle(corners, fill=HIGHLIGHT_FILL, outline=HIGHLIGHT_EDGE, width=1)
    buffer = io.BytesIO()
    Image.alpha_composite(image, overlay).convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue()
