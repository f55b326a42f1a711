"""A case analysis exports as Markdown and DOCX from its scrubbed form, named from the scrubbed title."""

from __future__ import annotations

import io

import pytest
from docx import Document

from analysis.case import CaseAnalyzer
from analysis.catalogue import parse_catalogue
from app.case_export import case_docx, case_markdown
from app.case_upload import analyse_upload
from app.case_view import export_name
from tests.fakes import HashEmbedder, KeywordScrubber
from tests.unit.test_case_analysis import RULES_ONLY, TINY

CASE = b"Maria Rossi said the boss took her passport and she had to work to repay a debt."


@pytest.fixture
def data() -> dict:
    scrubber = KeywordScrubber(("Maria Rossi",))
    analyzer = CaseAnalyzer(parse_catalogue(TINY), HashEmbedder(), scrubber, None, RULES_ONLY)
    result = analyse_upload(analyzer, "Maria_Rossi_statement.txt", CASE, scrubber=scrubber, max_bytes=10_000)
    return {"title": result.source, "analysis": {**result.to_json(), "scrubbed_text": result.scrubbed_text}}


def test_markdown_export_is_scrubbed_and_in_the_chosen_language(data: dict) -> None:
    english = case_markdown(data["analysis"], data["title"], "en")
    assert english.startswith("# Case analysis\\: \\<PERSON\\_1\\> statement\\.txt")
    assert "## Indicators found" in english and "| Indicator | Category |" in english
    assert "Maria" not in english and "Rossi" not in english
    italian = case_markdown(data["analysis"], data["title"], "it")
    assert "## Indicatori trovati" in italian and "Documenti d'identità trattenuti" in italian
    assert export_name(data["title"], "md") == "case-analysis-PERSON_1-statement.md"


def test_docx_export_holds_the_same_findings(data: dict) -> None:
    document = Document(io.BytesIO(case_docx(data["analysis"], data["title"], "it")))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Analisi del caso: <PERSON_1> statement.txt" in text
    assert "Indicatore" in cells and "Maria" not in text + "".join(cells)
