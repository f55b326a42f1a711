"""Builders of small real PDF and DOCX files for tests (fpdf2 and python-docx, both project dependencies)."""

from __future__ import annotations

from pathlib import Path


def make_pdf(path: Path, pages: list[str], *, title: str | None = None) -> Path:
    """Write a PDF with one page per string (Latin-1 text, lines split at newlines).

    Args:
        path: where to write the file.
        pages: the text of each page.
        title: the PDF's metadata title, if any.
    """
    from fpdf import FPDF

    pdf = FPDF()
    if title is not None:
        pdf.set_title(title)
    for text in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def make_encrypted_pdf(path: Path, *, user_password: str = "secret", text: str = "Confidential case notes.") -> Path:
    """Write a one-page PDF encrypted with RC4; with user_password="" it opens without a password."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner-password", user_password=user_password)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def make_image_only_pdf(path: Path) -> Path:
    """Write a PDF whose page holds drawings but no text layer, as a scan without OCR does."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(40, 40, 40)
    for row in range(12):
        pdf.rect(20, 20 + row * 12, 170 - row * 7, 6, style="F")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def make_docx(path: Path, paragraphs: list[tuple[str, str]], *, tables: list[list[list[str]]] | None = None) -> Path:
    """Write a DOCX from (style, text) pairs, e.g. ("Heading 1", "Scope"), ("Normal", "Text."), then tables.

    Args:
        path: where to write the file.
        paragraphs: paragraph style names (Word's built-in names) and texts, in order.
        tables: tables appended after the paragraphs, each a list of rows of cell texts.
    """
    import docx

    document = docx.Document()
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    for rows in tables or []:
        table = document.add_table(rows=len(rows), cols=max(len(row) for row in rows))
        for row_cells, row in zip(table.rows, rows, strict=False):
            for cell, text in zip(row_cells.cells, row, strict=False):
                cell.text = text
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
