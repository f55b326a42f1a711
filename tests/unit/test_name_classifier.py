"""The learned name reader: which candidate words it reads, where it steps aside, and its model file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from core.errors import ConfigError
from ingestion.name_classifier import FEATURES, NameModel, is_candidate, load_model, name_runs, reads_as_english

# A model that reads every name-like word (a listed name, or no common word) as a name: the runs and the gates
# around the model are what these tests check with it.
NAME_LIKE = NameModel(
    mean=(0.0,) * len(FEATURES),
    scale=(1.0,) * len(FEATURES),
    coef=tuple(4.0 if name == "name_like" else 0.0 for name in FEATURES),
    intercept=-2.0,
    threshold=0.5,
)


def _doc(tagged: str, person: str = "") -> Doc:
    """A parsed text from "word/TAG" pairs separated by spaces (a word ending in "_" has no space after it), with
    ``person`` marked as spaCy's PERSON entity."""
    pairs = [item.rsplit("/", 1) for item in tagged.split(" ")]
    words = [word.rstrip("_") for word, _ in pairs]
    spaces = [not word.endswith("_") for word, _ in pairs]
    doc = Doc(Vocab(), words=words, spaces=spaces, tags=[tag for _, tag in pairs])
    if person:
        start = doc.text.index(person)
        span = doc.char_span(start, start + len(person), "PERSON")
        assert span is not None
        doc.ents = [span]
    return doc


def _names(doc: Doc, model: NameModel = NAME_LIKE) -> list[str]:
    return [doc.text[start:end] for start, end in name_runs(doc, model)]


def test_runs_of_name_like_words_are_names_and_the_words_around_them_stay() -> None:
    assert _names(_doc("Steffen/NNP Mauer/NNP recorded/VBD the/DT song/NN ./.")) == ["Steffen Mauer"]
    assert _names(_doc("Producer/NN Mashuu/NNP Samurakami/NNP explained/VBD ./.")) == ["Mashuu Samurakami"]
    assert _names(_doc("my/PRP$ name/NN is/VBZ lena/NN kowalczyk/NN ./.")) == ["lena kowalczyk"]


def test_places_institutions_and_lower_case_words_beside_capitals_stay() -> None:
    assert _names(_doc("She/PRP was/VBD born/VBN in/IN Ragusaville/NNP ./.")) == []  # a place after "in"
    assert _names(_doc("Hotel/NNP Witte/NNP Zwaan/NNP ,_/, Rotterdam/NNP")) == []  # a building's name
    assert _names(_doc("The/DT Kovalev/NNP Street/NNP market/NN")) == []  # a street
    assert _names(_doc("The/DT Court/NNP of/IN Appeal/NNP ruled/VBD ./.")) == []  # never names
    # After an article the model's own reading decides ("after_determiner"): no veto as after "in".
    assert _names(_doc("Unlike/IN the/DT Johnson/NNP novel/NN ,/, it/PRP is/VBZ")) == ["Johnson"]
    # A lower-case word is read only on a line without capitals: elsewhere lower case is how words are written.
    assert not is_candidate(_doc("Ask/VB them/PRP about/IN kowalczyk/NN")[3])


def test_the_trained_model_reads_a_name_spacy_and_the_shape_agree_on() -> None:
    doc = _doc("I/PRP met/VBD Warrane/NNP Ogasahara/NNP yesterday/NN ./.", person="Warrane Ogasahara")
    assert _names(doc, load_model()) == ["Warrane Ogasahara"]
    assert _names(_doc("I/PRP met/VBD the/DT manager/NN yesterday/NN ./."), load_model()) == []


def test_text_in_another_language_is_left_to_the_rules() -> None:
    italian = "Il ragazzo riferisce di aver lasciato la comunità il giorno dopo con il fratello maggiore Karim"
    assert not reads_as_english(italian)
    assert reads_as_english("The boy says he left the shelter the next day with his older brother Karim")
    assert reads_as_english("Karim Haddad, Via Roma 5")  # too short to tell: read


def test_a_model_file_for_other_features_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "name_model.json"
    path.write_text(json.dumps({"features": ["capitalised"], "mean": [0], "scale": [1], "coef": [1]}), "utf-8")
    with pytest.raises(ConfigError, match="name_model.json: features differ"):
        load_model(path)
    shipped = load_model()
    assert len(shipped.coef) == len(FEATURES) and 0 < shipped.threshold < 1


def test_a_document_without_contextual_vectors_reads_them_as_the_average() -> None:
    from ingestion.name_classifier import token_rows

    model = NameModel(
        mean=(0.0,) * len(FEATURES),
        scale=(1.0,) * len(FEATURES),
        coef=tuple(5.0 if name == "tensor_0" else 0.0 for name in FEATURES),
        intercept=0.0,
        threshold=0.5,
    )
    doc = _doc("I/PRP met/VBD Warrane/NNP")
    assert doc.tensor is None or len(doc.tensor) == 0  # made by hand: no tok2vec ran
    assert model.probabilities(token_rows(doc)) == [0.5, 0.5, 0.5]


def test_a_role_word_and_a_place_spacy_found_are_not_read() -> None:
    doc = _doc("Guardian/NN ,_/, Nadia/NNP Haddad/NNP flew/VBD to/IN Ravenna/NNP")
    doc.ents = [Span(doc, 6, 7, "GPE")]
    assert [is_candidate(token) for token in doc] == [False, False, True, True, False, False, False]


def test_the_threshold_weighs_recall_double_with_beta_two() -> None:
    import numpy as np

    from evaluation.train_name_model import best_threshold

    # Four names and seven other words: above 0.31 two names are taken and no other word (F1 0.67, F2 0.56); at 0.31
    # or below, all four names and five other words (F1 0.62, F2 0.80).
    probabilities = np.array([0.9, 0.6, 0.31, 0.31, 0.31, 0.31, 0.31, 0.31, 0.31, 0.05, 0.05])
    labels = np.array([True] * 4 + [False] * 7)
    assert best_threshold(probabilities, labels, beta=1.0)[0] > 0.31
    assert best_threshold(probabilities, labels, beta=2.0)[0] <= 0.31
