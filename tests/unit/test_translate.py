"""Italian→English query translation: glossary phrases, inflections, accents, kept references and coverage."""

from __future__ import annotations

import pytest
import yaml

from rag.translate import (
    GLOSSARY_PATH,
    glossary_coverage,
    is_italian_word,
    load_glossary,
    normalize,
    translate_query,
)


def test_glossary_is_large_and_every_english_term_is_non_empty() -> None:
    data = yaml.safe_load(GLOSSARY_PATH.read_text(encoding="utf-8"))
    terms = data["terms"]
    assert len(terms) >= 600
    for italian, english in terms.items():
        assert isinstance(italian, str) and italian == italian.lower(), italian
        assert isinstance(english, str) and english.strip(), italian
    assert all(isinstance(word, str) and word.strip() for word in data["drop"])
    assert not {normalize(word) for word in data["drop"]} & {normalize(key) for key in terms}
    assert load_glossary().terms == len(terms)


def test_longest_phrase_wins_over_its_words() -> None:
    assert translate_query("tratta di persone") == "trafficking in persons"
    assert translate_query("periodo di recupero e riflessione") == "recovery and reflection period"
    assert translate_query("interesse superiore del minore") == "best interests of the child"
    out = translate_query("minore straniero non accompagnato")
    assert "unaccompanied" in out and "foreign" in out
    assert translate_query("sfruttamento") == "exploitation"


def test_plural_and_feminine_forms_find_the_singular_entry() -> None:
    assert translate_query("vittime") == "victim"
    assert translate_query("bambine") == "child"
    assert "unaccompanied children" in translate_query("minori non accompagnati")
    assert translate_query("matrimoni forzati") == "forced marriage"
    assert translate_query("squadre investigative comuni") == "joint investigation teams"


def test_conjugated_verbs_find_the_infinitive_entry() -> None:
    assert translate_query("chiamo") == translate_query("chiamare")  # present tense
    assert translate_query("l'hanno interrogato") == translate_query("interrogare")  # past participle
    assert translate_query("reclutavano") == ""  # an imperfect tense is not guessed
    assert translate_query("identificando") == translate_query("identificare")  # gerund
    assert translate_query("proteggiamo") == translate_query("proteggere")  # first person plural


def test_missing_accents_and_capitals_still_match() -> None:
    assert translate_query("accertamento dell'eta") == translate_query("accertamento dell’età") == "age assessment"
    assert translate_query("SERVITU DOMESTICA") == "domestic servitude"
    assert translate_query("non punibilita") == translate_query("non punibilità")


def test_numbers_references_names_and_acronyms_are_kept() -> None:
    out = translate_query("Cosa dice l'art. 601 bis c.p. e la direttiva 2011/36/UE nel caso Rantsev?")
    for term in ("article", "601-bis", "criminal code", "directive", "2011/36/EU", "Rantsev"):
        assert term in out
    assert "18 years" in translate_query("minore di 18 anni")
    assert "GRETA" in translate_query("Che cosa fa il GRETA?")
    assert "Siliadin" in translate_query("Siliadin contro Francia")
    assert translate_query("Bologna e Foggia").split() == ["Bologna", "Foggia"]
    assert glossary_coverage("Ricapitola tutore") == pytest.approx(0.5)  # a sentence-initial word may be Italian


def test_function_words_and_empty_question_verbs_are_dropped() -> None:
    assert translate_query("Che cosa prevede secondo voi, e come si deve fare?") == ""
    assert translate_query("Quale può essere la pena?") == "penalty sentence"
    # A sentence-initial Italian word is not mistaken for a proper name.
    assert translate_query("Esiste un elenco?") == ""


def test_unknown_words_are_dropped_unless_kept() -> None:
    assert translate_query("tutore zzzparola") == "guardian"
    assert translate_query("tutore zzzparola", keep_unknown=True) == "guardian zzzparola"


def test_coverage_counts_the_content_words_translated() -> None:
    assert glossary_coverage("Il tutore del minore non accompagnato") == 1.0
    assert glossary_coverage("tutore zzzparola") == pytest.approx(0.5)
    assert glossary_coverage("il lo la 26") == 0.0
    assert glossary_coverage("Rantsev tutore") == 1.0


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Una ragazza nigeriana di 16 anni deve ripagare un debito dopo un giuramento juju: chi devo chiamare?",
            ["Nigerian", "16", "debt bondage", "juju", "oath", "who to call"],
        ),
        (
            "Il ragazzo fermato mentre spacciava: vale il principio di non punibilità per le vittime di tratta?",
            ["non-punishment principle", "victims of trafficking"],
        ),
        (
            "Con dubbi sull'età del minore, quali esami medici sono ammessi e vale la presunzione di minore età?",
            ["age uncertain", "presumption of minority", "child"],
        ),
        (
            "Entro quanto tempo va nominato un tutore per un MSNA e chi lo nomina?",
            ["guardian", "unaccompanied", "MSNA", "appoint"],
        ),
        (
            "Come si fa l'audizione protetta del minore per evitare la vittimizzazione secondaria durante il processo?",
            ["recorded interview", "secondary victimisation", "trial"],
        ),
        (
            "Quali obblighi ha lo Stato secondo la Convenzione di Varsavia sul periodo di recupero e riflessione?",
            ["Council of Europe Convention on Action against Trafficking", "recovery and reflection period"],
        ),
        (
            "Possiamo usare le squadre investigative comuni con la Romania tramite Eurojust?",
            ["joint investigation teams", "Romania", "Eurojust"],
        ),
        (
            "I braccianti minorenni sfruttati dal caporale nei campi hanno il passaporto tolto",
            ["farm workers", "child", "gangmaster", "passport confiscated"],
        ),
        (
            "Un fidanzato conosciuto su Instagram la ricatta con foto intime: è adescamento online o sextortion?",
            ["loverboy", "Instagram", "intimate images", "grooming", "sextortion"],
        ),
        (
            "Il consenso della vittima minorenne allo sfruttamento sessuale è irrilevante?",
            ["consent", "victim", "child", "sexual exploitation", "irrelevant"],
        ),
    ],
)
def test_practitioner_questions_give_the_key_english_terms(question: str, expected: list[str]) -> None:
    out = translate_query(question)
    for term in expected:
        assert term in out, (term, out)
    assert glossary_coverage(question) >= 0.6


def test_a_real_italian_word_is_never_respelt_into_a_glossary_word() -> None:
    # "partita" (a match, a batch) is one letter from the glossary's "parità" (equality), and common in Italian
    assert "equality" not in translate_query("la partita di droga trovata nello zaino del ragazzo")
    assert "victim" in translate_query("la vitima ha 15 anni")  # a slip is still mended


def test_italian_words_are_told_from_slips_by_their_frequency() -> None:
    assert is_italian_word("partita") and is_italian_word("Stanza")
    assert not is_italian_word("vitima") and not is_italian_word("ragaza")
