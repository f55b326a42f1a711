"""BM25 tokens: stop words out, light stemming, numbers with suffixes whole, British and American spellings met."""

from __future__ import annotations

import pytest

from ingestion.lexical import LexicalIndex, tokenize


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("organising", "organizing"),
        ("criminalisation", "criminalization"),
        ("labour", "labor"),
        ("harbouring", "harboring"),
        ("offences", "offenses"),
        ("defence", "defense"),
        ("judgement", "judgment"),
        ("analysed", "analyzed"),
    ],
)
def test_british_and_american_spellings_give_the_same_token(british: str, american: str) -> None:
    assert tokenize(british) == tokenize(american) != []


def test_short_and_unrelated_words_keep_their_spelling() -> None:
    assert tokenize("four hours of labour for your rights") == ["four", "hour", "labor", "right"]


def test_hyphenated_article_numbers_stay_whole_and_stop_words_go() -> None:
    assert tokenize("Article 603-bis of the Codice penale") == [
        "articl",
        "603-bi",
        "codic",
        "penal",
    ]  # one token, stemmed like a word


def test_a_question_in_one_spelling_finds_a_text_in_the_other() -> None:
    index = LexicalIndex.build(
        ["palermo-5", "palermo-10"],
        [
            "Article 5 Criminalization: organizing or directing other persons to commit an offence",
            "Article 10 Information exchange and training",
        ],
    )
    scores = index.scores("Which article makes organising trafficking a crime?")
    assert scores[0] > scores[1]  # "organising" met "organizing"; both texts say "article"
