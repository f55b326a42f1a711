"""The document viewer on a small real index: PDF pages drawn with the cited passage marked, text sections, refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from app.pdf_page import render_page
from app.viewer import DocumentView, ViewerError, open_citation
from core.errors import InputError
from core.index_files import read_current_manifest, read_generation_chunks
from core.settings import Settings
from ingestion.pipeline import Components, build_index
from rag.search import Hit
from rag.types import Citation
from tests.fixtures_docs import make_pdf

GUIDE_PAGES = [
    "Guide to child protection\nThis guide explains the scope of the assistance owed to children.",
    "Assistance\nThe consent of a child victim to the exploitation is never relevant,\nwhatever the means used.",
]
JUDGMENT_PAGES = ["Judgment\nMaria Rossi kept a girl of fourteen in domestic servitude without pay or schooling."]
ACT = """---
title: Protection Act
doc_type: legislation
---
# Protection Act

## Article 1 — Scope

This Act applies to every child found on the territory, whatever the child's nationality or status.

## Article 2 — Guardians

A guardian is appointed for every unaccompanied child within three days. The guardian attends every hearing.

## Article 3 — Shelter

Every child victim receives safe shelter, food and medical care for as long as the child needs them.
"""
SUPPORTING = "The consent of a child victim to the exploitation is never relevant, whatever the means used."


@pytest.fixture
def index(tmp_path: Path, settings: Settings, fake_components: Components) -> Path:
    kb = tmp_path / "kb"
    make_pdf(kb / "legislation" / "guide.pdf", GUIDE_PAGES, title="Child protection guide")
    make_pdf(kb / "case_law" / "judgment.pdf", JUDGMENT_PAGES, title="A judgment")
    (kb / "legislation" / "act.md").write_text(ACT, encoding="utf-8")
    build_index([kb], settings.index_dir, settings, fake_components)
    return settings.index_dir


def _chunks(index: Path, source: str) -> list[Hit]:
    records = read_generation_chunks(index, read_current_manifest(index))
    hits = [Hit.from_metadata(r["id"], r["text"], 0.0, r) for r in records if r["source"] == source]
    return sorted(hits, key=lambda hit: hit.ordinal)


def _citation(chunk: Hit, supporting: str = "") -> Citation:
    return Citation.from_hit(1, chunk, supporting)


def _marked_pixels(view: DocumentView) -> int:
    """Pixels of the translucent yellow over white paper (the mark, not the words under it)."""
    assert view.picture is not None
    image = Image.open(io.BytesIO(view.picture)).convert("RGB")
    return sum(1 for r, g, b in image.getdata() if r > 240 and g > 235 and 130 < b < 200)


def test_a_pdf_citation_opens_its_page_with_the_passage_marked(index: Path) -> None:
    page_two = _chunks(index, "legislation/guide.pdf")[1]
    view = open_citation(_citation(page_two, SUPPORTING), index)
    assert (view.page, view.pages, view.marked, view.notices) == (2, 2, True, ())
    assert view.title == "Child protection guide" and view.passages == ()
    assert _marked_pixels(view) > 2_000
    unmarked = open_citation(_citation(page_two), index)  # no supporting sentence: the page alone, nothing to say
    assert unmarked.page == 2 and not unmarked.marked and unmarked.notices == ()
    assert _marked_pixels(unmarked) == 0


def test_the_viewer_opens_the_page_that_holds_the_supporting_sentence(index: Path) -> None:
    first, _second = _chunks(index, "legislation/guide.pdf")
    # A citation pointing at page 1 (as a joined hit of a merged article may) whose sentence lies on page 2.
    view = open_citation(_citation(first, "the exploitation is never relevant"), index)
    assert view.page == 2 and view.marked


def test_a_passage_not_found_on_the_page_is_shown_unmarked_and_said_so(index: Path) -> None:
    first = _chunks(index, "legislation/guide.pdf")[0]
    view = open_citation(_citation(first, "Words that appear on no page of this guide."), index)
    assert view.page == 1 and view.picture is not None and not view.marked
    assert [notice.key for notice in view.notices] == ["viewer_no_highlight"]


def test_a_scrubbed_pdf_shows_its_indexed_text_never_the_original_page(index: Path) -> None:
    [chunk] = _chunks(index, "case_law/judgment.pdf")
    view = open_citation(_citation(chunk, "kept a girl of fourteen in domestic servitude"), index)
    assert view.picture is None and [n.key for n in view.notices] == ["viewer_scrubbed"]
    [passage] = view.passages
    assert "Maria Rossi" not in passage.text and "<PERSON_1>" in passage.text
    start, end = passage.spans[0]
    assert passage.text[start:end] == "kept a girl of fourteen in domestic servitude"


def test_a_pdf_changed_after_indexing_shows_its_indexed_text(index: Path, tmp_path: Path) -> None:
    page_two = _chunks(index, "legislation/guide.pdf")[1]
    make_pdf(tmp_path / "kb" / "legislation" / "guide.pdf", ["Another text entirely."])
    view = open_citation(_citation(page_two, SUPPORTING), index)
    assert view.picture is None and [(n.key, n.values) for n in view.notices] == [("viewer_changed", {"page": 2})]
    assert [passage.page for passage in view.passages] == [2]


def test_a_text_document_opens_at_the_cited_section_with_its_neighbours(index: Path) -> None:
    chunks = _chunks(index, "legislation/act.md")
    article_two = next(chunk for chunk in chunks if chunk.section.startswith("Article 2"))
    view = open_citation(_citation(article_two, "The guardian attends every hearing."), index)
    assert view.picture is None and view.page is None and view.notices == ()
    sections = [passage.section[:9] for passage in view.passages]
    assert sections == ["Article 1", "Article 2", "Article 3"]
    cited = view.passages[1]
    assert [cited.text[start:end] for start, end in cited.spans] == ["The guardian attends every hearing."]
    assert view.passages[0].spans == () and view.passages[2].spans == ()
    whole = open_citation(_citation(article_two), index).passages[1]  # no sentence: the whole passage is marked
    assert whole.spans == ((0, len(whole.text)),)


def test_a_document_no_longer_indexed_is_refused_by_name(index: Path) -> None:
    gone = Citation(1, "0" * 24, "legislation/removed.pdf", "Removed", "", 2, "legislation", "text")
    with pytest.raises(ViewerError) as raised:
        open_citation(gone, index)
    assert raised.value.key == "viewer_not_indexed" and raised.value.values == {"source": "legislation/removed.pdf"}


def test_render_page_names_the_file_it_cannot_draw(tmp_path: Path) -> None:
    fake = tmp_path / "notes.pdf"
    fake.write_text("not a PDF", encoding="utf-8")
    with pytest.raises(InputError, match=r"^notes\.pdf: the PDF cannot be opened"):
        render_page(fake, 1, "")
    real = make_pdf(tmp_path / "one.pdf", ["One page."])
    with pytest.raises(InputError, match=r"^one\.pdf: the PDF has no page 3 \(it has 1\)$"):
        render_page(real, 3, "")


def test_turning_to_another_pdf_page_shows_it_unmarked(index: Path) -> None:
    page_two = _chunks(index, "legislation/guide.pdf")[1]
    view = open_citation(_citation(page_two, SUPPORTING), index, page=1)
    assert (view.page, view.pages, view.cited_page, view.marked, view.notices) == (1, 2, 2, False, ())
    assert view.picture is not None and _marked_pixels(view) == 0
    [chunk] = _chunks(index, "case_law/judgment.pdf")  # scrubbed: the indexed text of the page asked for
    scrubbed = open_citation(_citation(chunk, "kept a girl of fourteen"), index, page=1)
    assert (scrubbed.page, scrubbed.pages, scrubbed.cited_page) == (1, 1, 1) and scrubbed.passages[0].spans


def test_a_passage_is_marked_whatever_lies_between_its_words_on_the_page(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "act.pdf", ["Article 1\nPurposes of the Act\nThe Act protects children."])
    assert render_page(pdf, 1, "Article 1 – Purposes of the Act").highlighted  # a dash here, a line break there
    assert not render_page(pdf, 1, "Article 2 – Purposes of the Act").highlighted
