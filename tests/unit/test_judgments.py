"""Which judgment a question names: applicants, initials with "v.", courts' seats beside a word for a case."""

from __future__ import annotations

import pytest

from rag.judgments import case_names, names_case

TITLES = [
    "Rantsev v. Cyprus and Russia (2010)",
    "Chowdury and Others v. Greece (2017)",
    "S.M. v. Croatia (Grand Chamber, 2020)",
    "Fictional case — Tribunale di Prato: attempted forced marriage of a 15-year-old (2024)",
    "Fictional case — Tribunale di Napoli Nord: sale of a newborn for illegal adoption (2024)",
]
NAMES = [name for title in TITLES for name in case_names(title)]


@pytest.mark.parametrize(
    "question",
    [
        "Cosa ha deciso la Corte EDU nel caso Rantsev?",
        "what did the court say in rantsev about the police?",
        "Did Chowdury concern strawberry pickers?",
        "Is S.M. v. Croatia about sexual exploitation?",
        "Caso di Prato sul matrimonio forzato: quali condanne?",
        "In the Napoli Nord judgment, was the mother convicted?",
    ],
)
def test_questions_naming_an_indexed_judgment(question: str) -> None:
    assert names_case(question, NAMES)


@pytest.mark.parametrize(
    "question",
    [
        "Which Greek cases concern trafficking?",  # the respondent State names many cases
        "Which other cases were decided in 2017?",  # "Others" is not an applicant
        "Where can a child in Prato get help?",  # a court's seat is a city unless a case is meant
        "S.M. says she was forced to work",  # initials without "v." are anybody
    ],
)
def test_questions_naming_no_judgment(question: str) -> None:
    assert not names_case(question, NAMES)


def test_a_v_inside_a_national_cases_description_is_not_an_applicant() -> None:
    names = case_names("Fictional case — Tribunale di Lucca: appeal in the Procura v. Rossi matter (2024)")
    assert [name.name for name in names] == ["Lucca"]
