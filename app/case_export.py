"""A case analysis exported as Markdown or DOCX, in the reader's language, from its scrubbed form only."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from analysis.names import name
from app import case_view
from app.case_view import Analysis
from app.render import plain_markdown
from core.i18n import translate


@dataclass
class Section:
    """One heading of the export with its paragraphs and, optionally, a table."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: list[dict[str, Any]] = field(default_factory=list)


def _elements(data: Analysis, language: str) -> list[str]:
    lines = []
    for element in case_view.ELEMENT_NAMES:
        value = data.get("elements", {}).get(element)
        if value is None:
            continue
        detail = [case_view.status_text(value["status"], language)]
        detail += [text for text in (case_view.legal_basis(value, language), case_view.forms(value, language)) if text]
        lines.append(f"{case_view.element_title(element, language)}: {' — '.join(detail)}")
        lines += [f"“{sentence}”" for sentence in value.get("evidence", [])[:3]]
    return lines


def _provisions(data: Analysis, language: str) -> list[str]:
    lines = ["; ".join(case_view.catalogue_citations(data, language))]
    for provision in (p for p in data.get("provisions", []) if p.get("kind") == "retrieved"):
        where = " — ".join(part for part in (provision.get("title"), provision.get("section")) if part)
        lines.append(f"{where} ({provision.get('source', '')})")
    return [line for line in lines if line]


def sections(data: Analysis, language: str) -> list[Section]:
    """The export's content, in order; only findings on the scrubbed text, never the original."""

    def heading(key: str) -> str:
        return translate(key, language)

    similar = [
        f"{case.get('title', '')} ({case.get('source', '')}) {case_view.shared_text(case, language)}".strip()
        for case in data.get("similar_cases", [])
    ]
    relations = [
        f"{r['source']} → {r['target']}: {name('relations', r['type'], language)}" for r in data.get("relations", [])
    ]
    found = [
        Section(heading("ca_indicators"), table=case_view.indicator_rows(data, language)),
        Section(heading("ca_elements"), _elements(data, language)),
        Section(heading("ca_provisions"), _provisions(data, language)),
        Section(heading("ca_similar"), similar),
        Section(heading("ca_risk"), [case_view.summary(data, language)]),
        Section(heading("ca_actors"), relations),
    ]
    if data.get("scrubbed_text"):
        found.append(Section(heading("ca_scrubbed_text"), str(data["scrubbed_text"]).split("\n\n")))
    return [section for section in found if section.paragraphs or section.table]


def _markdown_table(rows: list[dict[str, Any]]) -> list[str]:
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(plain_markdown(str(row[c])) for c in columns) + " |" for row in rows]
    return [*lines, ""]


def case_markdown(data: Analysis, title: str, language: str) -> str:
    """The analysis as a Markdown document; every piece of case text is escaped, so nothing in it is a link."""
    lines = [f"# {plain_markdown(translate('ca_export_title', language, title=title))}", ""]
    lines += [f"_{translate('ca_export_disclaimer', language)}_", ""]
    for section in sections(data, language):
        lines += [f"## {section.heading}", ""]
        if section.table:
            lines += _markdown_table(section.table)
        for paragraph in section.paragraphs:
            lines += [plain_markdown(paragraph), ""]
    return "\n".join(lines)


def case_docx(data: Analysis, title: str, language: str) -> bytes:
    """The analysis as a Word document (python-docx), with the same content as the Markdown export."""
    from docx import Document

    document = Document()
    document.core_properties.title = translate("ca_export_title", language, title=title)
    document.core_properties.author = "SafeBorders Assistant"
    document.add_heading(translate("ca_export_title", language, title=title), level=1)
    document.add_paragraph(translate("ca_export_disclaimer", language)).runs[0].italic = True
    for section in sections(data, language):
        document.add_heading(section.heading, level=2)
        if section.table:
            columns = list(section.table[0])
            table = document.add_table(rows=1, cols=len(columns))
            table.style = "Table Grid"
            for cell, column in zip(table.rows[0].cells, columns, strict=True):
                cell.text = column
            for row in section.table:
                for cell, column in zip(table.add_row().cells, columns, strict=True):
                    cell.text = str(row[column])
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
