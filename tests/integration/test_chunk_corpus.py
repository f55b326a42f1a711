"""The chunker on the official treaty texts: every article found once, none merged with another."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from ingestion.chunk import chunk_document
from ingestion.documents import Chunk
from ingestion.load import load_document
from ingestion.structure import match_article

MAX_CHARS = 1800


@pytest.fixture
def treaty(corpus: Path) -> Callable[[str], list[Chunk]]:
    """Chunks of one treaty of the shared corpus, loaded as legislation."""

    def chunks(name: str) -> list[Chunk]:
        return chunk_document(load_document(corpus / name, corpus, doc_type="legislation"), max_chars=MAX_CHARS)

    return chunks


def _article_number(section: str) -> int | None:
    match = re.match(r"Article (\d+)\b", section)
    return int(match.group(1)) if match else None


def _by_article(chunks: list[Chunk], number: int) -> list[Chunk]:
    return [chunk for chunk in chunks if _article_number(chunk.section) == number]


@pytest.mark.parametrize(
    ("name", "articles"),
    [
        ("palermo_protocol_2000.md", 20),
        ("coe_convention_cets197_2005.md", 47),
        ("un_convention_rights_of_the_child_1989.md", 54),
    ],
)
def test_every_article_is_found_once_and_no_chunk_spans_two(
    treaty: Callable[[str], list[Chunk]], name: str, articles: int
) -> None:
    chunks = treaty(name)
    numbers = [_article_number(chunk.section) for chunk in chunks]
    assert {number for number in numbers if number is not None} == set(range(1, articles + 1))
    assert chunks[0].section == "Preamble"
    assert all(number is not None for number in numbers[numbers.index(1) :])  # nothing but articles after Art. 1
    for chunk in chunks:
        assert len(chunk.text) <= MAX_CHARS
        headings = {heading.label for line in chunk.text.splitlines() if (heading := match_article(line))}
        if chunk.section == "Preamble":
            assert headings == set()
        else:
            assert headings == {f"Article {_article_number(chunk.section)}"}, chunk.text[:200]
    # A split article's parts follow each other: the articles appear in order.
    in_order = [number for number in numbers if number is not None]
    assert in_order == sorted(in_order)


def test_palermo_article_3_is_the_definition_of_trafficking(treaty: Callable[[str], list[Chunk]]) -> None:
    chunks = _by_article(treaty("palermo_protocol_2000.md"), 3)
    assert {chunk.section for chunk in chunks} == {"Article 3 – Use of terms"}
    text = " ".join(chunk.text for chunk in chunks)
    assert "recruitment, transportation, transfer, harbouring or receipt of persons" in text
    assert '``Child" shall mean any person under eighteen years of age' in text
    assert "Scope of application" not in text  # the next article's title


def test_palermo_articles_carry_their_chapter(treaty: Callable[[str], list[Chunk]]) -> None:
    article_9 = _by_article(treaty("palermo_protocol_2000.md"), 9)[0]
    assert article_9.text.startswith("III – Prevention, cooperation and other measures\nArticle 9 – Prevention of")


def test_coe_titles_and_chapters_are_read_from_the_following_lines(treaty: Callable[[str], list[Chunk]]) -> None:
    chunks = treaty("coe_convention_cets197_2005.md")
    assert _by_article(chunks, 4)[0].section == "Article 4 – Definitions"
    article_10 = _by_article(chunks, 10)[0]
    assert article_10.section == "Article 10 – Identification of the victims"
    assert article_10.text.startswith("CHAPTER III – MEASURES TO PROTECT AND PROMOTE THE RIGHTS OF VICTIMS")
    assert "presumed to be a child" in " ".join(chunk.text for chunk in _by_article(chunks, 10))
    # The CoE preamble is one 3,500-character line: split into several chunks, none longer than allowed.
    assert sum(chunk.section == "Preamble" for chunk in chunks) >= 2


def test_crc_untitled_articles_and_the_no_space_heading(treaty: Callable[[str], list[Chunk]]) -> None:
    chunks = treaty("un_convention_rights_of_the_child_1989.md")
    article_35 = _by_article(chunks, 35)
    assert [chunk.section for chunk in article_35] == ["Article 35"]  # written "###Article 35" in the source
    assert "abduction of, the sale of or traffic in children" in article_35[0].text
    assert _by_article(chunks, 1)[0].section == "Article 1"  # its first line is body text, not a title
    assert "below the age of eighteen years" in _by_article(chunks, 1)[0].text
