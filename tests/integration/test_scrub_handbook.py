"""The real scrubber on the shipped handbook: written by the team, it holds no personal data and must survive whole."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.settings import ScrubbingSettings
from ingestion.load import load_document
from ingestion.scrub import PresidioScrubber, should_scrub

HANDBOOK = Path(__file__).resolve().parents[2] / "knowledge_base" / "handbook"
_PLACEHOLDER = re.compile(r"<[A-Z_]+_\d+>")
# The placeholders left (7 December 2026): 'The "loverboy" (or "Romeo pimp") method' names a method after a listed
# given name, in the very shape a nickname takes ('"Mama Joy"'); since the name reader's threshold favours recall
# (held-out F2), it also reads "Map" opening a list item, "Eurodac", "false IDs" and "(Garanti regionali" as names.
# Releasing them would take rules for these words; a new over-redaction still fails here.
ALLOWED = 5


@pytest.fixture(scope="module")
def scrubbed() -> dict[str, str]:
    """Each chapter's title and pages as ingestion loads and scrubs them (its language from the front matter)."""
    scrubber = PresidioScrubber(ScrubbingSettings())
    texts = {}
    for path in sorted(HANDBOOK.glob("*.md")):
        document = load_document(path, HANDBOOK.parent)
        assert should_scrub(document.metadata.doc_type, ScrubbingSettings())
        assert document.metadata.language == ("it" if path.name.endswith(".it.md") else "en")
        pages = [document.metadata.title, *(page.text for page in document.pages)]
        texts[path.name] = "\n".join(scrubber.scrub(pages, document.metadata.language).texts)
    return texts


@pytest.mark.slow
def test_the_handbook_in_both_languages_keeps_its_words(scrubbed: dict[str, str]) -> None:
    assert any(name.endswith(".it.md") for name in scrubbed) and any(not n.endswith(".it.md") for n in scrubbed)
    left = [f"{name}: {match.group()}" for name, text in scrubbed.items() for match in _PLACEHOLDER.finditer(text)]
    assert len(left) <= ALLOWED, left


@pytest.mark.slow
def test_published_judgments_and_italian_institutions_survive(scrubbed: dict[str, str]) -> None:
    italian = scrubbed["03_presunzione_minore_eta_accertamento_eta.it.md"]
    english = scrubbed["03_presumption_of_minority_age_assessment.md"]
    assert "Darboe e Camara c. Italia" in italian
    assert "Darboe and Camara v. Italy" in english
    assert "Convenzione del Consiglio d'Europa" in italian
    assert "Conferenza Unificata" in english
