"""Unit tests for core.text: folding, language, stop words, negations, stemming and sentence splitting."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from core.text import (
    GROUNDING_STOP_WORDS,
    MAX_SENTENCE_CHARS,
    NEGATION_CUES,
    NEGATIONS,
    SEARCH_STOP_WORDS,
    detect_language,
    fold,
    italian_base_forms,
    light_stem,
    split_sentences,
    stemmer,
    strip_accents,
)


def test_fold_lowers_and_strips_accents() -> None:
    assert fold("Città PERCHÉ Età") == "citta perche eta"


def test_strip_accents_keeps_case() -> None:
    assert strip_accents("Nazionalità Ça") == "Nazionalita Ca"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Quali sono gli obblighi dello Stato per le vittime?", "it"),
        ("What are the obligations of the State towards victims?", "en"),
        ("La ragazza non parla italiano e vive con la madre.", "it"),
        ("GRETA", "en"),  # nothing to tell a language by: English
        ("Quels sont les droits des victimes de la traite ?", "fr"),
        ("Welche Rechte haben die Opfer von Menschenhandel?", "de"),
    ],
)
def test_detect_language_gives_an_iso_code(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_stop_word_lists_serve_their_callers() -> None:
    assert {"the", "della", "quella"} <= SEARCH_STOP_WORDS
    assert "answer" not in SEARCH_STOP_WORDS  # a content word for search, filler for the grounding check
    assert {"answer", "articolo", "the", "della"} <= GROUNDING_STOP_WORDS


def test_negation_cues_extend_the_negations() -> None:
    assert {"not", "non", "senza", "nessuna"} <= NEGATIONS
    assert NEGATIONS < NEGATION_CUES
    assert {"didn't", "niente", "né"} <= NEGATION_CUES - NEGATIONS


def test_snowball_stemmer_per_language() -> None:
    assert stemmer("it")("chiamare") == stemmer("it")("chiamo")
    assert stemmer("en")("reintegration") == stemmer("en")("reintegrate")
    assert stemmer("xx")("parola") == "parola"  # no Snowball stemmer: unchanged
    assert stemmer("es")("víctimas") == stemmer("es")("víctima")
    assert stemmer("el")("δικαιώματα") != "δικαιώματα"  # Greek has one
    assert stemmer("pl")("ofiary") == "ofiary"  # Polish has none: unchanged


def test_snowball_stemmer_is_safe_across_threads() -> None:
    words = ["vittime", "sfruttamento", "lavorativo", "minorenni", "chiamare"] * 200
    alone = [stemmer("it")(word) for word in words[:5]] * 200
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(stemmer("it"), words)) == alone


@pytest.mark.parametrize(
    ("word", "stem"), [("vittima", "vittim"), ("vittime", "vittim"), ("exploitation", "exploit"), ("art", "art")]
)
def test_light_stem_meets_inflections_of_both_languages(word: str, stem: str) -> None:
    assert light_stem(word) == stem


def test_italian_base_forms_lead_to_singular_and_infinitive() -> None:
    assert italian_base_forms("vittime")[:2] == ["vittime", "vittima"]
    assert "chiamare" in italian_base_forms("chiamo")
    assert italian_base_forms("di") == ["di"]


def test_italian_base_forms_take_pronouns_off_verbs_and_adverbs_back_to_adjectives() -> None:
    assert "perseguire" in italian_base_forms("perseguirla")
    assert "segnalare" in italian_base_forms("segnalarlo")
    assert "difendere" in italian_base_forms("difendersi")
    assert "costringere" in italian_base_forms("costringendola")  # the gerund, then its infinitive
    assert "penale" in italian_base_forms("penalmente")
    assert "temporaneo" in italian_base_forms("temporaneamente")
    # Words that only end like a pronoun are left alone.
    assert italian_base_forms("parole")[:2] == ["parole", "parola"] and "parore" not in italian_base_forms("parole")


def test_lines_split_around_abbreviations_and_keep_list_markers() -> None:
    text = "Art. 4 c.p. punishes it. See No. 5 [1].\n2. Call the police."
    sentences = split_sentences(text)
    assert [(s.text, s.line, s.marker) for s in sentences] == [
        ("Art. 4 c.p. punishes it.", 0, ""),
        ("See No. 5 [1].", 0, ""),
        ("Call the police.", 1, "2"),
    ]
    assert all(text[s.start : s.start + len(s.text)] == s.text for s in sentences)


def test_narrative_sentences_run_across_line_breaks_and_keep_offsets() -> None:
    text = "Mrs. Adaeze met her at 4 a.m.\nnear the station.\n\nArt. 601 c.p. applies."
    sentences = split_sentences(text, keep_lines=False)
    assert [s.text for s in sentences] == ["Mrs. Adaeze met her at 4 a.m. near the station.", "Art. 601 c.p. applies."]
    assert [(s.start, s.line) for s in sentences] == [(0, 0), (text.index("Art."), 3)]


def test_narrative_sentences_without_punctuation_are_cut() -> None:
    sentences = split_sentences("parola " * 300, keep_lines=False)
    assert len(sentences) > 1 and all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
