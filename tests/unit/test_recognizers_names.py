"""Given names from the first-name dictionary: which proper nouns open a name, and how far the name runs."""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.vocab import Vocab

from ingestion.recognizers_names import given_names, lower_case_names, name_spans, speaker_names


def _doc(tagged: str, ents: list[str] | None = None) -> Doc:
    """A parsed text from "word/TAG" pairs separated by spaces (a word ending in "_" has no space after it)."""
    pairs = [item.rsplit("/", 1) for item in tagged.split(" ")]
    words = [word.rstrip("_") for word, _ in pairs]
    spaces = [not word.endswith("_") for word, _ in pairs]
    return Doc(Vocab(), words=words, spaces=spaces, tags=[tag for _, tag in pairs], ents=ents)


def _names(tagged: str, ents: list[str] | None = None) -> list[str]:
    doc = _doc(tagged, ents)
    return [doc.text[start:end] for start, end in name_spans(doc, given_names())]


def test_the_dictionary_holds_names_of_many_countries_by_how_common_they_are() -> None:
    names = given_names()
    for name in ("scott", "johanna", "magnus", "sigrid", "miklós", "yuichi", "thanh", "fatima"):
        assert name in names, name
    assert len(names) > 30_000
    assert "aadam" in names and "aadam" not in given_names(2)  # frequency 1 in its country only


def test_a_given_name_takes_its_surname_middle_initial_and_a_surname_written_first() -> None:
    assert _names("Scott/NNP is/VBZ reliable/JJ") == ["Scott"]
    assert _names("follow/VB up/RP with/IN Sigrid/NNP Nyström/NNP today/NN") == ["Sigrid Nyström"]
    assert _names("My/PRP$ name/NN is/VBZ Vanessa/NNP P./NNP Hertzog/NNP ./.") == ["Vanessa P. Hertzog"]
    assert _names("and/CC Nguyen/NNP Van/NNP Thanh/NNP drove/VBD") == ["Nguyen Van Thanh"]
    assert _names("Aisha/NNP K./NNP says/VBZ") == ["Aisha"]  # a name does not end at an initial


def test_words_places_and_institutions_stay() -> None:
    assert _names("Will/MD you/PRP come/VB ?/.") == []  # not a proper noun here
    assert _names("Date/NN :/: Tue/NNP ,_/, 14/CD Mar/NNP 2023/CD") == []
    assert _names("born/VBN in/IN Florence/NNP") == []
    assert _names("Casa/NNP Rifugio/NNP La/NNP Speranza/NNP") == []
    assert _names("Area/NNP Minori/NNP Stranieri/NNP Non/NNP Accompagnati/NNP") == []
    assert _names("Luton/NNP &/CC Milton/NNP Keynes/NNP") == []
    assert _names("Maria/NNP Street/NNP") == []
    assert _names("near/IN Santa/NNP Maria/NNP Novella/NNP") == []
    assert _names("from/IN Sofia/NNP to/IN Varna/NNP", ents=["O", "B-GPE", "O", "B-GPE"]) == []


def test_function_words_opening_a_sentence_and_birth_places_are_not_names() -> None:
    assert _names("./. Si/NNP allega/NNP copia/NN") == []  # Italian "si", a given name somewhere
    assert _names("Chi/NNP Wang/NNP called/VBD") == ["Chi Wang"]  # with a surname it is a name again
    assert _names("nato/NN a/DT Qingtian/NNP il/NNP") == []
    assert _names("Hotel/NNP De/NNP Witte/NNP Zwaan/NNP") == []
    assert _names("a/DT Mercedes/NNP Vito/NNP van/NN") == []


def test_lower_case_names_only_in_lines_typed_without_capitals() -> None:
    def found(text: str) -> list[str]:
        return [text[start:end] for start, end in lower_case_names(text, given_names())]

    assert found("eva kleist lives at 255 hersnapvej 18") == ["eva kleist"]
    assert found("the codey m ross version recorded") == ["codey m ross"]
    assert found("my name is vitoria") == ["vitoria"]  # after a cue, any word
    assert found("sometimes people call me višeslav") == ["višeslav"]
    assert found("will you mark the page with hope?") == []  # common words, though also first names
    assert found("Eva said eva kleist was there") == []  # a line with capitals is read by the tagger instead
    assert found("- seems coached: tells a story") == []  # "ms" ending "seems" is no cue


def test_speakers_of_a_dialogue_but_not_form_labels_or_roles() -> None:
    def found(text: str) -> list[str]:
        return [text[start:end] for start, end in speaker_names(text, given_names())]

    assert found('Vsevolod: "Who are you?"\nHeather: "I\'m Daniel\'s daughter".') == ["Vsevolod", "Heather"]
    assert found("Name: Anna\nPhone: 347 123 4567\nDate: today") == []
    assert found("UOMO: dove sei?\nDONNA: a casa.") == []
    assert found("Heather: hello") == []  # one line is no dialogue


def test_census_surnames_count_in_the_middle_of_a_sentence_only() -> None:
    assert _names("song/NN ?/. Kadiev/NNP and/CC Adams/NNP were/VBD") == ["Adams"]
    assert _names("Adams/NNP were/VBD here/RB") == []  # opening the text: a word as often as a name
    assert _names("Tribunale/NNP di/NNP Napoli/NNP Nord/NNP") == []  # after a known place it is part of it
