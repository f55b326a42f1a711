"""Question cleaning and refusal: empty, too long, control characters; questions in any language; detection."""

from __future__ import annotations

import pytest

from core.errors import InputError, KeyedInputError
from core.i18n import translate
from core.text import detect_language
from rag.validate import clean_question


@pytest.mark.parametrize("text", ["", "   \n\t  ", "\x00\x07\u200b"])
def test_empty_questions_are_refused(text: str) -> None:
    with pytest.raises(InputError, match="the question is empty"):
        clean_question(text, 4000)


@pytest.mark.parametrize("text", ["?????", "... !!! ---", "¿?", "“ ” «»"])
def test_questions_without_a_letter_or_digit_are_refused(text: str) -> None:
    with pytest.raises(InputError, match="the question has no words"):
        clean_question(text, 4000)


@pytest.mark.parametrize("text", ["600?", "儿童?", "ΑΔ;"])
def test_a_single_word_or_number_in_any_script_is_a_question(text: str) -> None:
    assert clean_question(text, 4000) == text


def test_refusals_name_their_string_so_the_app_shows_them_in_italian() -> None:
    with pytest.raises(KeyedInputError) as error:
        clean_question("?!", 4000)
    assert error.value.key == "question_no_words"
    assert translate(error.value.key, "it", **error.value.values).startswith("la domanda non contiene parole")


def test_too_long_question_names_both_lengths_and_the_way_out() -> None:
    with pytest.raises(InputError) as error:
        clean_question("a" * 20_000, 4000)
    assert str(error.value) == (
        "question is 20000 characters; the limit is 4000 — shorten it or paste the case file on the Case analysis page"
    )


def test_control_characters_are_removed_and_whitespace_collapsed() -> None:
    raw = "What\x00 does\tArticle 3\r\n\n  define?\x1b\u200e"
    assert clean_question(raw, 4000) == "What does Article 3 define?"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ποια είναι τα δικαιώματα των θυμάτων εμπορίας ανθρώπων;", "el"),
        ("¿Qué derechos tienen las víctimas de trata de personas?", "es"),
        ("Jakie prawa mają ofiary handlu ludźmi?", "pl"),
        ("Какви са правата на жертвите на трафик?", "bg"),
        ("儿童贩运的定义是什么？", "zh"),
        ("ما هو تعريف الاتجار بالأطفال؟", "ar"),
    ],
)
def test_questions_in_any_language_are_accepted_and_detected(text: str, language: str) -> None:
    assert clean_question(text, 4000) == text
    assert detect_language(text) == language


def test_accented_latin_digits_and_symbols_are_accepted() -> None:
    question = "Qual è la pena prevista dall'art. 601 c.p. se la vittima ha 15 anni? Multa di 10.000 € — sì/no"
    assert clean_question(question, 4000) == question


def test_a_foreign_name_inside_a_latin_question_is_accepted() -> None:
    assert clean_question("Is the victim Иван protected by Article 6?", 4000).startswith("Is the victim")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Must deception be proven when the victim is 15?", "en"),
        ("L'inganno deve essere provato quando la vittima ha 15 anni?", "it"),
        ("Quali sono i diritti del minore non accompagnato?", "it"),
        ("Article 3", "en"),  # too few letters to tell: English
        ("Art. 4?", "en"),
        ("tratta", "en"),  # one word, no clear winner: English
    ],
)
def test_language_is_detected_and_short_text_defaults_to_english(text: str, language: str) -> None:
    assert detect_language(text) == language
