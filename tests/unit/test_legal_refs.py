"""Unit tests for core.legal_refs: Latin ordinals and the article patterns of headings, questions and scrubbing."""

from __future__ import annotations

import pytest

from core.legal_refs import (
    ARTICLE_CITATION,
    ARTICLE_HEADING,
    ARTICLE_MENTION,
    ORDINALS,
    SECTION_ARTICLE,
    article_number,
)


def test_article_number_joins_the_ordinal_in_lower_case() -> None:
    assert article_number("601", "Bis") == "601-bis"
    assert article_number("4", "bis", joiner="") == "4bis"
    assert article_number("26") == "26"


def test_ordinals_go_past_decies() -> None:
    assert {"bis", "ter", "undecies", "octiesdecies"} <= ORDINALS


@pytest.mark.parametrize(
    ("line", "number", "suffix"),
    [("Art. 609-undecies Adescamento", "609", "undecies"), ("Articolo 600-septies.1", "600", "septies.1")],
)
def test_heading_pattern_reads_number_and_ordinal(line: str, number: str, suffix: str) -> None:
    match = ARTICLE_HEADING.match(line)
    assert match is not None
    assert (match.group("number"), match.group("suffix")) == (number, suffix)


def test_mention_pattern_takes_the_longest_ordinal() -> None:
    found = [match.group(1, 2) for match in ARTICLE_MENTION.finditer("l'art. 601 bis e l'articolo 5 terdecies")]
    assert found == [("601", "bis"), ("5", "terdecies")]


def test_mention_pattern_reads_paragraph_and_point() -> None:
    match = ARTICLE_MENTION.search("What does Article 4(1)(c) say?")
    assert match is not None and match.group(1, 3, 4) == ("4", "1", "c")


def test_citation_pattern_spans_a_list_of_articles_of_the_code() -> None:
    match = ARTICLE_CITATION.search("ai sensi degli artt. 600 e 601 c.p. la pena")
    assert match is not None and match.group() == "artt. 600 e 601 c.p."


def test_section_pattern_reads_the_number_of_a_label() -> None:
    match = SECTION_ARTICLE.match("Articolo 603-bis – Intermediazione")
    assert match is not None and match.group(1) == "603-bis"
    assert SECTION_ARTICLE.match("Chapter II") is None
