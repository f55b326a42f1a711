"""Typo-tolerant lookup: doubled letters, a letter left out or added, two swapped; names and short words alone."""

from __future__ import annotations

from rag.spelling import Speller, skeleton
from rag.translate import translate_query

VOCABULARY = ("vittima", "tratta", "soggiorno", "documenti", "polizia", "presunto", "caso", "cosa", "definizione")


def test_skeleton_collapses_runs_of_a_letter() -> None:
    assert skeleton("soggiorno") == skeleton("sogiorno") == "sogiorno"


def test_doubled_letters_and_one_slip_find_the_word() -> None:
    speller = Speller.of(VOCABULARY)
    assert speller.corrections("vitima") == ["vittima"]
    assert speller.corrections("trata") == ["tratta"]
    assert speller.corrections("polizzia") == ["polizia"]
    assert speller.corrections("documeti") == ["documenti"]  # a letter left out
    assert speller.corrections("definzione") == ["definizione"]
    assert speller.corrections("defniizione") == ["definizione"]  # two neighbours swapped


def test_known_short_substituted_or_first_letter_words_are_not_respelt() -> None:
    speller = Speller.of(VOCABULARY)
    assert speller.corrections("vittima") == []
    assert speller.corrections("casa") == []  # too short to guess between caso and cosa
    assert speller.corrections("presente") == []  # one letter changed: a real word, not a typo of presunto
    assert speller.corrections("ocumenti") == []  # the first letter is kept by a slip


def test_misspelt_questions_translate_like_spelt_ones() -> None:
    misspelt = translate_query("la vitima di trata puo avere il permesso di sogiorno?")
    assert misspelt == translate_query("la vittima di tratta può avere il permesso di soggiorno?")
    assert "residence permit" in misspelt
    assert "Rantsev" in translate_query("la sentenza Rantsev")  # a name is kept as written, not respelt
