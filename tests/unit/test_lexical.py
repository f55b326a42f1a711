"""BM25 tokens: stop words out, stemmed by language, numbers with suffixes whole, British and American spellings met."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import snowballstemmer

from core.lexical import LexicalIndex, tokenize


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
    assert tokenize("Article 603-bis of the Codice penale") == ["articl", "603-bis", "codic", "penal"]


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


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("en", ("reintegrate", "reintegration")),
        ("en", ("criminalise", "criminalization")),
        ("it", ("chiamo", "chiamare")),
        ("it", ("segnalo", "segnalazione")),
        ("it", ("minori", "minore")),
    ],
)
def test_word_forms_meet_when_stemmed_in_their_language(language: str, forms: tuple[str, str]) -> None:
    assert tokenize(forms[0], language) == tokenize(forms[1], language) != []


def test_each_text_is_stemmed_in_its_language_and_so_is_the_question() -> None:
    index = LexicalIndex.build(
        ["chi-chiamare", "call-list"],
        ["Chi chiamare in Italia: il numero verde", "Who to call: the helpline"],
        ["it", "en"],
    )
    italian = index.scores("Chi chiamo?", "it")
    assert italian[0] > 0 and italian[1] == 0
    assert index.scores("Chi chiamo?", "en")[0] == 0  # stemmed as English, "chiamo" is not "chiamare"
    assert index.has_term("chiamo") and index.has_term("helplines")  # in any of the texts' languages


def test_languages_survive_saving(tmp_path: Path) -> None:
    LexicalIndex.build(["a"], ["Chi chiamare"], ["it"]).save(tmp_path)
    assert LexicalIndex.load(tmp_path).scores("chiamo", "it")[0] > 0


def test_stemming_from_many_threads_gives_what_one_stemmer_gives() -> None:
    words = [f"segnalazion{'i' * n}" for n in range(1, 300)] + [f"chiamat{'e' * n}" for n in range(1, 300)]
    with ThreadPoolExecutor(8) as pool:
        threaded = list(pool.map(lambda word: tokenize(word, "it"), words))
    reference = snowballstemmer.stemmer("italian")
    assert threaded == [[reference.stemWord(word)] for word in words]


def test_words_of_any_script_are_tokens_stemmed_where_snowball_can() -> None:
    greek = tokenize("Τα δικαιώματα των θυμάτων", "el")
    assert "δικαιωμ" in greek and "θυμ" in greek  # folded and stemmed by Snowball's Greek stemmer
    assert tokenize("Prawa ofiar handlu ludźmi", "pl") == ["prawa", "ofiar", "handlu", "ludzmi"]  # no stemmer


def test_a_word_the_stemmer_strips_to_nothing_is_no_token_and_no_crash() -> None:
    """Snowball's Greek stemmer turns "όταν" ("when") into "": as a token it made bm25s raise on every search."""
    assert tokenize("όταν δεν υπάρχει διαθήκη", "el") == tokenize("δεν υπάρχει διαθήκη", "el")
    index = LexicalIndex.build(["a"], ["Τα δικαιώματα των θυμάτων"], ["el"])
    assert index.scores("Πώς μοιράζεται η κληρονομιά όταν δεν υπάρχει διαθήκη;", "el").tolist() == [0.0]
