"""Legal references, follow-ups and coverage guards read from questions."""

from __future__ import annotations

import pytest

from rag.conversation import is_follow_up, resolve
from rag.coverage import KnownNames, asked_jurisdictions, unknown_identifiers, unknown_names
from rag.judgments import asked_section, names_strasbourg_court
from rag.references import ArticleRef, document_instrument, instrument_spans, parse_references, strip_instruments
from rag.types import Turn


@pytest.mark.parametrize(
    ("question", "instruments", "articles"),
    [
        ("What does Article 26 of CETS 197 say?", ("cets197",), ("26",)),
        ("art. 4(c) of the Council of Europe Convention", ("cets197",), ("4",)),
        ("Cosa prevede l'art. 600 c.p.?", ("it_cp",), ("600",)),
        ("articolo 603-bis codice penale", ("it_cp",), ("603-bis",)),
        ("Directive 2011/36 article 8", ("dir_2011_36",), ("8",)),
        ("What does the Palermo Protocol say about repatriation?", ("palermo",), ()),
        ("Convenzione di Varsavia, periodo di riflessione", ("cets197",), ()),
        ("Is the consent of a child relevant?", (), ()),
        ("What does the children's rights convention say about recovery?", ("crc",), ()),
        ("Cosa dice la Convenzione di New York sull'ascolto del minore?", ("crc",), ()),
        ("Cosa punisce l'art. 609-undecies c.p.?", ("it_cp",), ("609-undecies",)),
        ("What does Article 98-2 of the civil code say?", (), ("98-2",)),
        ("Is art. 3-2 or Art. 17a about minors?", (), ("3-2", "17a")),
    ],
)
def test_references_are_parsed(question: str, instruments: tuple[str, ...], articles: tuple[str, ...]) -> None:
    refs = parse_references(question)
    assert refs.instruments == instruments
    assert tuple(a.number for a in refs.articles) == articles


def test_paragraph_and_point_are_kept() -> None:
    [ref] = parse_references("art. 4(2)(c)").articles
    assert (ref.number, ref.paragraph, ref.point) == ("4", "2", "c")


@pytest.mark.parametrize(
    ("section", "expected"),
    [("Article 4 – Definitions", True), ("Article 40", False), ("Articolo 4", True), ("Article 4-bis", False)],
)
def test_article_matches_only_its_own_number(section: str, expected: bool) -> None:
    assert ArticleRef("4").matches_section(section) is expected


@pytest.mark.parametrize(
    ("number", "section", "expected"),
    [("98-2", "Article 98-2 – Use of terms", True), ("98", "Article 98-2 – Use of terms", False),
     ("17a", "Article 17a", True), ("17", "Article 17a – Scope", False)],
)  # fmt: skip
def test_an_article_with_a_branch_or_letter_matches_its_own_section(number: str, section: str, expected: bool) -> None:
    assert ArticleRef(number).matches_section(section) is expected


def test_documents_are_recognised_as_instruments_but_commentary_is_not() -> None:
    assert document_instrument("palermo_protocol_2000.md", "Protocol to Prevent…", "legislation") == "palermo"
    assert document_instrument("legislation/italy_codice_penale_trafficking.md", "", "legislation") == "it_cp"
    assert document_instrument("handbook/07_non_punishment.md", "Palermo and CETS 197", "handbook") is None


def test_follow_up_is_resolved_against_previous_question() -> None:
    history = [Turn("Must deception be proven when the victim is 15?")]
    assert is_follow_up("and for adults?")
    assert resolve("and for adults?", history) == "Must deception be proven when the victim is 15? and for adults?"
    assert resolve("What is the non-punishment principle?", history) == "What is the non-punishment principle?"


def test_follow_up_naming_another_instrument_drops_the_old_one() -> None:
    history = [Turn("Can victims be punished under CETS 197?")]
    resolved = resolve("and under the EU directive?", history)
    assert "CETS" not in resolved and "victims be punished" in resolved


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        ("What is the penalty for trafficking under Japanese law?", {"JP"}),
        ("Cosa prevede il codice penale tedesco sulla tratta?", {"DE"}),
        ("Does the UK Modern Slavery Act have a defence for victims?", {"GB"}),
        ("Who do I call in Italy if a child is trafficked?", set()),
    ],
)
def test_questions_about_a_countrys_law_are_recognised(question: str, codes: set[str]) -> None:
    assert asked_jurisdictions(question) == codes


def test_identifiers_absent_from_the_index_are_reported() -> None:
    vocabulary = {"cets", "197", "greta"}
    missing = unknown_identifiers(
        "What did the court hold in C-643/15 and the TVPA?", (), lambda word: word.lower() in vocabulary
    )
    assert missing == ["C-643/15", "TVPA"]
    assert unknown_identifiers("What does GRETA do?", (), lambda word: word.lower() in vocabulary) == []


def test_visa_and_case_numbers_count_as_identifiers() -> None:
    assert unknown_identifiers("How do I get an H-1B visa?", (), lambda phrase: False) == ["H-1B"]


def test_an_acronym_a_letter_away_from_a_known_one_is_known() -> None:
    """The Romanian "CEDO" and the French "CEDH" are the Italian "CEDU"; an unrelated acronym still is not."""
    assert unknown_identifiers("Ce drepturi are un acuzat conform CEDO?", ("CEDU",), lambda word: False) == []
    assert unknown_identifiers("Que dit la CEDH sur le procès équitable ?", ("CEDU",), lambda word: False) == []
    assert unknown_identifiers("What does the TVPA say?", ("CEDU", "CETS"), lambda word: False) == ["TVPA"]
    assert unknown_identifiers("Is the ECB involved?", ("ECJ",), lambda word: False) == ["ECB"], "3 letters: exact"


TITLES = KnownNames.of(
    [
        "Charter of Fundamental Rights of the European Union — digest of Articles 5 and 24",
        "Convention on the Rights of the Child",
        "Council of Europe Convention on the Protection of Children against Sexual Exploitation (Lanzarote Convention, "
        "CETS No. 201) — digest",
    ]
)


@pytest.mark.parametrize(
    ("name", "known"),
    [
        ("EU Charter", True),  # "EU": the initials of "European Union" in the same title
        ("Charter of Fundamental Rights", True),
        ("CRC", True),
        ("Lanzarote Convention", True),
        ("CETS 201", True),
        ("Istanbul Convention", False),
        ("EU Convention on Extradition", False),
        ("Lanzarote Charter", False),  # each word is known, but from two different titles
    ],
)
def test_names_known_from_the_titles_of_the_indexed_documents(name: str, known: bool) -> None:
    assert TITLES.knows(name) is known


def test_the_name_guard_accepts_instruments_its_titles_name() -> None:
    def nowhere(phrase: str) -> bool:
        return False

    assert unknown_names("Does the EU Charter ban child labour?", [], nowhere, TITLES) == []
    assert unknown_names("Does the EU Charter ban child labour?", [], nowhere) == ["EU Charter"]
    assert unknown_names("What does the Istanbul Convention say?", [], nowhere, TITLES) == ["Istanbul Convention"]
    assert TITLES.acronyms == {"CETS"}, "only acronyms the titles spell out"


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("What does the Istanbul Convention require?", ["Istanbul Convention"]),
        ("Cosa dice la Convenzione di Istanbul sul matrimonio forzato?", ["Convenzione di Istanbul"]),
        (
            "Under the US Trafficking Victims Protection Act, what is a T visa?",
            ["US Trafficking Victims Protection Act"],
        ),
        ("Cosa hanno deciso le Sezioni Unite?", ["Sezioni Unite"]),
        # Known to the references module under the name written, even if the texts spell it differently.
        ("What does the Council of Europe Convention say?", []),
        ("Does the UN Convention on the Rights of the Child cover adoption?", []),
        # The texts mention the shorter name; the question words before a name are not part of it.
        ("What does the UK Modern Slavery Act say?", []),
        ("Which Directive covers this?", []),
    ],
)
def test_named_instruments_the_index_never_mentions(question: str, missing: list[str]) -> None:
    texts = "the modern slavery act of 2015 and the directive"

    def has_phrase(phrase: str) -> bool:
        return " ".join(phrase.lower().split()) in texts

    assert unknown_names(question, instrument_spans(question), has_phrase) == missing


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("Why was the recruiter acquitted?", "Reasoning"),
        ("Perché la Corte ha escluso la tratta?", "Reasoning"),
        ("What was wrong with the police investigation?", "Reasoning"),
        ("Was the boy convicted?", "Outcome"),
        ("Caso di Prato: quali condanne?", "Outcome"),
        ("What happened to the applicant?", "Facts"),
        ("What does Article 4 say?", None),
    ],
)
def test_the_judgment_section_a_question_asks_for(question: str, section: str | None) -> None:
    assert asked_section(question) == section


def test_questions_about_strasbourg_case_law_are_recognised() -> None:
    assert names_strasbourg_court("Which ECtHR case concerned cannabis farms?")
    assert names_strasbourg_court("Qual è la sentenza di Strasburgo sui ragazzi vietnamiti?")
    assert not names_strasbourg_court("What does Article 4 ECHR prohibit?")


@pytest.mark.parametrize(
    ("question", "rest"),
    [
        ("Come definisce la tratta di persone il Protocollo di Palermo?", "Come definisce la tratta di persone il ?"),
        ("What does CETS 197 say about identification?", "What does say about identification?"),
        ("How is a child defined in the Palermo Protocol?", "How is a child defined in the ?"),
    ],
)
def test_a_named_instrument_is_stripped_whole(question: str, rest: str) -> None:
    assert strip_instruments(question) == rest
