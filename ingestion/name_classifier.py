"""A learned reading of person names: a logistic regression over each token's shape, name priors, neighbours, context.

The rules find names by their cues; this finds the rest by what a name looks like where it stands: a capitalised or
lower-case word that is a listed given name or surname, or no common word at all, tagged a proper noun, next to
other such words, after a title or before a verb, and what spaCy's contextual vector says of it. The coefficients
are trained on the tuning split of the third-party benchmark (``python -m evaluation.train_name_model``) and shipped
as ``name_model.json``.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from core.errors import ConfigError
from ingestion.pii_names import DAY_NAMES, NON_NAME_WORDS, PERSON_LABEL_WORDS, PLACES
from ingestion.recognizer_patterns import LANGUAGE

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

MODEL_PATH = Path(__file__).resolve().parent / "name_model.json"
_TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mx", "sig", "dott", "avv", "herr", "frau"}
)  # fmt: skip
# spaCy's entity labels that name something other than a person.
_PLACE_ENTITIES = frozenset({"GPE", "LOC", "FAC"})
_OTHER_ENTITIES = frozenset({"ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"})
_NEIGHBOUR_FEATURES = ("capitalised", "given_name", "surname", "proper_noun", "common_word", "name_like")
TOKEN_FEATURES = (
    "capitalised",
    "upper",
    "lower",
    "length",
    "sentence_start",
    "given_name",
    "surname",
    "common_word",
    "function_word",
    "never_a_name",
    "spacy_person",
    "spacy_other_entity",
    "proper_noun",
    "common_noun",
    "non_ascii",
    "name_like",
    "capitalised_unknown",
    "lower_given_name",
)
# The width of the contextual vectors spaCy's shared tok2vec layer leaves in ``Doc.tensor`` (96 in the small English
# pipeline): what the tagger reads of each word and its neighbours, a learned signal of where a word stands that the
# lists above cannot give ("Trivo lives on", "my kid Tadzio").
TENSOR_WIDTH = 96
FEATURES = (
    *TOKEN_FEATURES,
    *(f"tensor_{index}" for index in range(TENSOR_WIDTH)),
    *(f"previous_{name}" for name in _NEIGHBOUR_FEATURES),
    *(f"next_{name}" for name in _NEIGHBOUR_FEATURES),
    "after_title",
    "after_determiner",
    "after_preposition",
    "before_verb",
    "before_possessive",
    "line_start",
)


def _word_features(token: Token) -> dict[str, float]:
    """What one word looks like on its own: shape, the name and word lists, the tagger's and the NER's reading."""
    from ingestion.recognizers_names import common_words, function_words, given_names, surnames

    text, folded = token.text, token.text.casefold()
    word = text.replace("-", "").replace("'", "").isalpha()
    capitalised = word and text[0].isupper() and not text.isupper()
    lower = word and text.islower()
    common = folded in common_words()
    known_name = folded in given_names() or folded in surnames()
    never = folded in NON_NAME_WORDS or folded in PLACES or folded in DAY_NAMES
    return {
        "capitalised": float(capitalised),
        "upper": float(word and text.isupper() and len(text) >= 2),
        "lower": float(lower),
        "length": min(len(text), 15) / 10,
        "sentence_start": float(bool(token.is_sent_start)),
        "given_name": float(folded in given_names()),
        "surname": float(folded in surnames()),
        "common_word": float(common),
        "function_word": float(folded in function_words()),
        "never_a_name": float(never),
        "spacy_person": float(token.ent_type_ == "PERSON"),
        "spacy_other_entity": float(token.ent_type_ in _OTHER_ENTITIES),
        "proper_noun": float(token.tag_ in ("NNP", "NNPS")),
        "common_noun": float(token.tag_ in ("NN", "NNS")),
        "non_ascii": float(word and not text.isascii()),
        "name_like": float(word and len(text) >= 2 and (known_name or not common) and not never),
        "capitalised_unknown": float(capitalised and not common and not never),
        "lower_given_name": float(lower and known_name and not common),
    }


def _tensor(token: Token) -> list[float]:
    """The token's contextual vector from ``Doc.tensor``, cut or padded to ``TENSOR_WIDTH``; NaN (read as the mean)
    for a document made without one."""
    tensor = token.doc.tensor
    if tensor is None or len(tensor) <= token.i:
        return [math.nan] * TENSOR_WIDTH
    values = [float(value) for value in tensor[token.i][:TENSOR_WIDTH]]
    return values + [0.0] * (TENSOR_WIDTH - len(values))


def token_rows(doc: Doc | Sequence[Token]) -> list[list[float]]:
    """One row of ``FEATURES`` per token of ``doc``."""
    tokens = list(doc)
    words = [_word_features(token) for token in tokens]
    rows = []
    for index in range(len(tokens)):
        previous = words[index - 1] if index > 0 and "\n" not in tokens[index - 1].text else None
        following = words[index + 1] if index + 1 < len(tokens) else None
        before = tokens[index - 1] if index > 0 else None
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        row = [words[index][name] for name in TOKEN_FEATURES] + _tensor(tokens[index])
        row += [previous[name] if previous else 0.0 for name in _NEIGHBOUR_FEATURES]
        row += [following[name] if following else 0.0 for name in _NEIGHBOUR_FEATURES]
        row += [
            float(before is not None and before.text.casefold().rstrip(".") in _TITLES),
            float(before is not None and before.tag_ in ("DT", "PRP$")),
            float(before is not None and before.tag_ == "IN"),
            float(after is not None and after.tag_.startswith("VB")),
            float(after is not None and after.tag_ == "POS"),
            float(before is None or "\n" in before.text or before.is_punct),
        ]
        rows.append(row)
    return rows


@dataclass(frozen=True)
class NameModel:
    """The trained coefficients over standardised ``FEATURES`` and the probability from which a token is a name."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float

    def probabilities(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """The probability that each row's token is part of a person's name."""
        import numpy as np

        if not rows:
            return []
        values = (np.asarray(rows, dtype=float) - np.asarray(self.mean)) / np.asarray(self.scale)
        values = np.nan_to_num(values, nan=0.0)  # a missing contextual vector counts as the average one
        logits = np.clip(self.intercept + values @ np.asarray(self.coef), -50.0, 50.0)
        return [float(p) for p in 1.0 / (1.0 + np.exp(-logits))]

    def to_json(self) -> dict[str, Any]:
        """The model as the JSON file stores it."""
        return {
            "features": list(FEATURES),
            "mean": [round(v, 6) for v in self.mean],
            "scale": [round(v, 6) for v in self.scale],
            "coef": [round(v, 6) for v in self.coef],
            "intercept": round(self.intercept, 6),
            "threshold": round(self.threshold, 4),
        }


@functools.cache
def load_model(path: Path = MODEL_PATH) -> NameModel:
    """The model stored at ``path``.

    Raises:
        ConfigError: when the file is missing, unreadable or trained on other features than this version's.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: name model unreadable ({exc}); run python -m evaluation.train_name_model") from None
    if not isinstance(data, dict) or data.get("features") != list(FEATURES):
        raise ConfigError(f"{path}: features differ from this version's; run python -m evaluation.train_name_model")
    arrays = [tuple(float(v) for v in data.get(key, ())) for key in ("mean", "scale", "coef")]
    if any(len(array) != len(FEATURES) for array in arrays) or not all(v > 0 for v in arrays[1]):
        raise ConfigError(f"{path}: mean, scale and coef need one value per feature (scale above 0)")
    mean, scale, coef = arrays
    return NameModel(mean, scale, coef, float(data.get("intercept", 0.0)), float(data.get("threshold", 0.5)))


# The model learned English text: in a window where fewer of the words than this are English words (an Italian
# record reads about 0.1-0.3 of them, an English one 0.5-0.9), names are left to the rules; a text of fewer words than
# ``_SHORT_TEXT`` (a form line, an address) says too little about its language to be left out.
MIN_ENGLISH_SHARE = 0.4
_SHORT_TEXT = 12
_WORD = re.compile(r"[^\W\d_]{2,}")


def reads_as_english(text: str) -> bool:
    """Whether ``text`` is English enough for the model: short, or mostly words of the English frequency lists."""
    from ingestion.recognizers_names import english_words

    words = [word.casefold() for word in _WORD.findall(text)]
    if len(words) < _SHORT_TEXT:
        return True
    return sum(word in english_words() for word in words) >= MIN_ENGLISH_SHARE * len(words)


def is_candidate(token: Token) -> bool:
    """Whether the model reads this token: a capitalised word that is no function word, institution word or place,
    or a lower-case word that is no common word in a text typed all in lower case (elsewhere lower case is how words
    are written: "inter alia" in a treaty is no name)."""
    from ingestion.recognizers_names import common_words, function_words

    text, folded = token.text, token.text.casefold()
    if not text[:1].isalpha() or folded in function_words() or folded in NON_NAME_WORDS or folded in PLACES:
        return False
    if folded in PERSON_LABEL_WORDS or token.ent_type_ in _PLACE_ENTITIES:
        return False  # a role announces a person ("Guardian, Nadia Haddad"); spaCy's places stay ("New York")
    if text[0].isupper():
        return True
    return text.isalpha() and folded not in common_words() and not _has_capitals(token.doc)


def _has_capitals(doc: Doc) -> bool:
    if "has_capitals" not in doc.user_data:
        doc.user_data["has_capitals"] = any(char.isupper() for char in doc.text)
    return bool(doc.user_data["has_capitals"])


def name_runs(doc: Doc, model: NameModel) -> Iterable[tuple[int, int]]:
    """(start, end) of each run of candidate words the model reads as a name, one space apart, unless a word before
    makes it a place or a building ("in", "Hotel"), one after it an institution ("Maria Street") or it opens a form's
    label ("Key worker:")."""
    if not reads_as_english(doc.text):
        return
    tokens = list(doc)
    probabilities = model.probabilities(token_rows(tokens))
    run: list[int] = []
    for index in range(len(tokens) + 1):
        named = index < len(tokens) and probabilities[index] >= model.threshold and is_candidate(tokens[index])
        if named and run and tokens[run[-1]].whitespace_ == " ":
            run.append(index)
            continue
        if run and _name_evidence(tokens, run) and not _opens_label(tokens, run[-1]) and not _place(tokens, run):
            yield tokens[run[0]].idx, tokens[run[-1]].idx + len(tokens[run[-1]].text)
        run = [index] if named else []


def _place(tokens: Sequence[Token], run: Sequence[int]) -> bool:
    """A word before that makes a place or a building of the run ("in", "Hotel"), or one after an institution.

    An article before is no veto here: the model reads it itself (``after_determiner``) and learned that "the Johnson
    novel" names a person where "the Thames" does not."""
    from ingestion.recognizers_names import institution_after, place_before

    article = run[0] > 0 and tokens[run[0] - 1].tag_ == "DT"
    return (not article and place_before(tokens, run[0])) or institution_after(tokens, run[-1])


def _opens_label(tokens: Sequence[Token], last: int) -> bool:
    """Whether the run goes on with one or two lower-case words and a colon: a form's label ("Key worker:")."""
    following = [token.text for token in tokens[last + 1 : last + 4]]
    for count in (1, 2):
        words, rest = following[:count], following[count : count + 1]
        if len(words) == count and all(word.isalpha() and word.islower() for word in words) and rest == [":"]:
            return True
    return False


def _name_evidence(tokens: Sequence[Token], run: Sequence[int]) -> bool:
    """Whether a run holds a word that is no common English word, a listed name or one spaCy calls a person: a run
    of common English words alone ("Battery", "Producer") is a name only where a rule's cue says so."""
    from ingestion.recognizers_names import common_words, given_names, surnames

    return any(
        tokens[i].text.casefold() not in common_words()
        or tokens[i].text.casefold() in given_names()
        or tokens[i].text.casefold() in surnames()
        or tokens[i].ent_type_ == "PERSON"
        for i in run
    )


class NameClassifierRecognizer(EntityRecognizer):
    """Person names as the trained model reads them from the tokens spaCy already produced."""

    def __init__(self, model: NameModel | None = None) -> None:
        self._model = model
        super().__init__(supported_entities=["PERSON"], name="NameClassifierRecognizer", supported_language=LANGUAGE)

    def load(self) -> None:
        """Nothing to load here: the model file is read on the first analysis."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """One result per run of tokens the model reads as a name."""
        if (entities and "PERSON" not in entities) or nlp_artifacts is None or nlp_artifacts.tokens is None:
            return []
        model = self._model or load_model()
        return [RecognizerResult("PERSON", start, end, 0.86) for start, end in name_runs(nlp_artifacts.tokens, model)]
