"""The grounding check: every generated sentence must be supported by the evidence it cites, or it is dropped."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from langchain_core.embeddings import Embeddings

from core.i18n import translate
from core.text import Language, detect_language, fold, split_sentences
from rag.search import Hit
from rag.sentences import (
    FILLER,
    INJECTION,
    article_numbers,
    content_words,
    contradicts,
    extract_citations,
    is_heading,
    numbers_in,
    proper_names,
    recall,
    same_polarity,
)
from rag.types import CheckedSentence, Citation

LEXICAL_WEIGHT = 0.5  # support = LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * semantic
RELEVANCE_FLOOR = 0.15  # below this, what survived does not address the question at all: quote instead
# A sentence bears on the question at least this share as well as the source that bears on it best (embedder
# similarity above the floor), or it is dropped: supported by its source is not the same as answering the question.
RELEVANCE_SHARE = 0.35
# A sentence whose content words were already said, this share of them at least, by the sentences kept before it
# repeats them.
REPEAT_SHARE = 0.8
MAX_QUOTES = 3
MAX_QUOTE_CHARS = 400


@dataclass(frozen=True)
class Support:
    """How well one chunk supports one sentence, with the parts the score is made of (for calibration).

    ``score = LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * max(semantic, 0)``, where ``lexical`` is the share
    of the sentence's content words (lower-cased, accents removed, light suffix stemming) found in the chunk and
    its heading, and ``semantic`` the embedder's cosine between the sentence and the chunk's closest sentence.
    Across languages (an Italian answer over English law) word overlap means nothing and the score is
    ``semantic`` alone. The score is 0 when a number in the sentence is in neither the chunk nor the question, or
    an article it names is not the chunk's own nor one the chunk mentions (``numbers_ok``), or when the sentence
    and its closest chunk sentence differ in negation (``polarity_ok``): these are the errors a fluent small model
    makes most.
    """

    n: int
    score: float
    lexical: float
    semantic: float
    numbers_ok: bool
    polarity_ok: bool
    supporting: str  # the chunk sentence closest to the cited statement


@dataclass
class Grounded:
    """The checked answer: the text to show, the citations it uses and the verdict on each drafted sentence."""

    answer: str
    citations: list[Citation]
    sentences: list[CheckedSentence]
    extractive: bool
    dropped: int = 0


@dataclass
class _Drafted:
    line: int
    marker: str  # list marker of the line ("1", "-", "") when this is its first sentence
    text: str  # the sentence without citation markers
    cited: list[int]
    kept: list[int] = field(default_factory=list)


class SupportScorer:
    """Scores sentences against numbered evidence chunks; embeds each text once, in batches, and a chunk's sentences
    only when a sentence is first scored against that chunk (a draft citing its sources well needs few).

    ``shown`` holds each chunk as the model was shown it, when the prompt cut chunks down to some of their
    sentences ("…" over the gaps): support is then looked for only in what the model read. ``semantic_floor`` is
    the cosine unrelated texts reach with this embedder (``EmbedderCalibration.semantic_floor``).
    """

    def __init__(
        self,
        evidence: Sequence[Hit],
        embedder: Embeddings,
        question: str = "",
        shown: Sequence[str] | None = None,
        semantic_floor: float = 0.0,
    ) -> None:
        self.evidence = list(evidence)
        self._texts = list(shown) if shown is not None else [hit.text for hit in self.evidence]
        self._embedder = embedder
        self._semantic_floor = semantic_floor
        self._question = question
        self._best_relevance: float | None = None
        # A source holding text addressed to the assistant was written to steer it: it never supports alone.
        self.suspect = [
            bool(INJECTION.search(hit.text) or INJECTION.search(text))
            for hit, text in zip(self.evidence, self._texts, strict=True)
        ]
        self._question_numbers = numbers_in(content_words(question))
        self._question_folded = fold(question)
        self._vectors: dict[str, np.ndarray] = {}
        self.chunk_sentences: list[list[str]] = []  # per chunk, the sentences that may support (no injections)
        self._chunk_words: list[set[str]] = []
        self._chunk_languages: list[str] = []
        self._chunk_articles: list[set[str]] = []  # the chunk's own article and those it mentions
        self.heading_words: set[str] = set()  # words of titles and headings: naming a source states nothing
        gaps = r"\n\s*\n|\n|\s*…\s*" if shown is not None else r"\n\s*\n|\n"
        for hit, text in zip(self.evidence, self._texts, strict=True):
            paragraphs = [p for p in re.split(gaps, text) if p.strip() and not INJECTION.search(p)]
            headings = [p for p in paragraphs if is_heading(p)]
            sentences = [" ".join(s.text.split()) for p in paragraphs if p not in headings for s in split_sentences(p)]
            heading = " ".join((hit.title, hit.section, hit.source))
            self.heading_words.update(content_words(" ".join([heading, *headings])))
            self.chunk_sentences.append([s for s in sentences if content_words(s)])
            self._chunk_words.append(set(content_words(" ".join(paragraphs) + " " + heading)))
            self._chunk_languages.append(hit.language or detect_language(hit.text))
            self._chunk_articles.append(article_numbers(f"{hit.section}\n{text}"))

    def embed(self, texts: Sequence[str]) -> None:
        """Embed the texts not seen yet, in one call, so that scoring a whole draft costs one batch."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            for text, vector in zip(missing, self._embedder.embed_documents(missing), strict=True):
                array = np.asarray(vector, dtype=np.float32)
                self._vectors[text] = array / (float(np.linalg.norm(array)) or 1.0)

    def cosine(self, a: str, b: str) -> float:
        """Cosine similarity of two texts' embeddings."""
        self.embed([a, b])
        return float(self._vectors[a] @ self._vectors[b])

    def semantic(self, a: str, b: str) -> float:
        """Cosine similarity above what unrelated texts reach with this embedder, rescaled to 0..1."""
        return self._above_floor(self.cosine(a, b))

    def _above_floor(self, cosine: float) -> float:
        # Embedders differ in how similar unrelated texts look (e5 puts most pairs above 0.75): rescale so that
        # the semantic part means the same whatever the model.
        return max(0.0, (cosine - self._semantic_floor) / (1.0 - self._semantic_floor))

    def relevance(self, sentence: str) -> float:
        """How well ``sentence`` bears on the question, as a share of how well the best source does (1: as well).

        Embedder similarity above the floor, the sources as the model read them; 1 when there is no question.
        """
        if not self._question.strip():
            return 1.0
        if self._best_relevance is None:
            self.embed([self._question, *self._texts])
            self._best_relevance = max((self.semantic(text, self._question) for text in self._texts), default=0.0)
        if self._best_relevance <= 0.0:
            return 1.0
        return self.semantic(sentence, self._question) / self._best_relevance

    def contradicted(self, sentence: str, language: str, threshold: float) -> bool:
        """True when a retrieved legislation chunk says the opposite of ``sentence``: its closest sentence would
        support it (``threshold``) but for a negation ("can be prosecuted" against "not to prosecute")."""
        for n, hit in enumerate(self.evidence, start=1):
            if hit.doc_type != "legislation" or self.suspect[n - 1] or language != self._chunk_languages[n - 1]:
                continue
            support = self.score(sentence, n, language)
            similarity = LEXICAL_WEIGHT * support.lexical + (1 - LEXICAL_WEIGHT) * support.semantic
            if support.supporting and similarity >= threshold and contradicts(sentence, support.supporting):
                return True
        return False

    def score(self, sentence: str, n: int, language: str = "en") -> Support:
        """How well evidence chunk ``n`` (numbered from 1) supports ``sentence`` written in ``language``."""
        index = n - 1
        words = content_words(sentence)
        candidates = self.chunk_sentences[index]
        if not words or not candidates:
            return Support(n, 0.0, 0.0, 0.0, True, True, "")
        self.embed([sentence, *candidates])
        lexical = recall(words, self._chunk_words[index])
        same_language = language == self._chunk_languages[index]
        best, best_value, semantic = candidates[0], -1.0, 0.0
        for candidate in candidates:
            cosine = float(self._vectors[sentence] @ self._vectors[candidate])
            value = cosine + (recall(words, set(content_words(candidate))) if same_language else 0.0)
            semantic = max(semantic, cosine)
            if value > best_value:
                best, best_value = candidate, value
        numbers_ok = numbers_in(words) <= self._chunk_words[index] | self._question_numbers
        polarity_ok = same_polarity(sentence, best) or not same_language
        # A place, person or institution the passage and the question never mention is invented.
        folded_chunk = fold(self._texts[index] + " " + self.evidence[index].title)
        names_ok = not same_language or all(
            name in folded_chunk or name in self._question_folded for name in proper_names(sentence)
        )
        # An article is a claim about the source, not one of the user's facts: naming "Article 4" while citing
        # Article 19 (which never mentions it) is invented even when the question names Article 4.
        articles_ok = article_numbers(sentence) <= self._chunk_articles[index]
        numbers_ok = numbers_ok and names_ok and articles_ok
        semantic = self._above_floor(semantic)
        if same_language:
            score = LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * max(semantic, 0.0)
        else:
            score = max(semantic, 0.0)
        if not (numbers_ok and polarity_ok):
            score = 0.0
        return Support(n, round(score, 4), round(lexical, 4), round(semantic, 4), numbers_ok, polarity_ok, best)


def ground(
    draft: str,
    evidence: Sequence[Hit],
    *,
    question: str,
    embedder: Embeddings,
    threshold: float,
    query: str = "",
    instructions: str = "",
    shown: Sequence[str] | None = None,
    semantic_floor: float = 0.0,
    quotes_prefix: str = "answer_extractive_prefix",
) -> Grounded:
    """Keep the drafted sentences the evidence supports, fix their citations, and quote the sources otherwise.

    Args:
        draft: the model's text, with ``[n]`` markers numbering ``evidence`` from 1.
        evidence: the chunks the model was given, in the order they were numbered.
        question: the question as asked (its language is the answer's; its numbers are the user's facts).
        embedder: for the semantic part of the support score.
        threshold: the least support a sentence needs (``RetrievalSettings.support_threshold``).
        query: the question resolved against the conversation, to pick quotations; defaults to ``question``.
        instructions: the system prompt, so that sentences repeating it are dropped.
        shown: the evidence as the prompt showed it, when cut down (a small model's prompt): sentences are checked,
            and quotations taken, only from what the model read. Citations still carry the whole chunks.
        semantic_floor: the cosine unrelated texts reach with this embedder (``EmbedderCalibration.semantic_floor``);
            only what lies above it counts as semantic support.
        quotes_prefix: the message key of the line that introduces quotations (why there is no generated text).

    Returns:
        The answer text holding only supported sentences, each with valid citations; when none is left, an
        extractive answer quoting the most relevant source sentences verbatim.
    """
    language = detect_language(question)
    scorer = SupportScorer(evidence, embedder, question, shown, semantic_floor)
    drafted = [_Drafted(s.line, s.marker, *_drafted_sentence(s.text)) for s in split_sentences(draft)]
    draft_language = detect_language(draft) if draft.strip() else language
    question_words = set(content_words(question))
    instruction_words = set(content_words(instructions))
    checked, best_support = _check_sentences(
        drafted, scorer, threshold, draft_language, question_words, instruction_words
    )
    kept = [s for s in drafted if s.kept]
    # Sentences in another language than the question's (a small model answering an Italian question in English)
    # are not the answer asked for: the sources are quoted instead, the best one first.
    in_language = bool(kept) and detect_language(" ".join(s.text for s in kept)) == language
    if in_language and max(_relevance(s.text, question, scorer) for s in kept) >= RELEVANCE_FLOOR:
        cited = sorted({n for s in kept for n in s.kept})
        citations = [_citation(n, evidence[n - 1], best_support[n].supporting) for n in cited]
        return Grounded(_render(kept), citations, checked, extractive=False, dropped=len(drafted) - len(kept))
    answer, citations = _extractive(evidence, query or question, scorer, language, quotes_prefix)
    return Grounded(answer, citations, checked, extractive=True, dropped=len(drafted))


def _check_sentences(
    drafted: list[_Drafted],
    scorer: SupportScorer,
    threshold: float,
    language: str,
    question_words: set[str],
    instruction_words: set[str],
) -> tuple[list[CheckedSentence], dict[int, Support]]:
    """The verdict on each drafted sentence (recording the chunks it keeps) and each kept chunk's best support."""
    best_support: dict[int, Support] = {}
    checked: list[CheckedSentence] = []
    said: set[str] = set()  # the content words of the sentences kept so far
    for sentence in drafted:
        valid = [n for n in sentence.cited if 1 <= n <= len(scorer.evidence)]
        words = content_words(sentence.text)
        if words and recall(words, said) >= REPEAT_SHARE:
            verdict = []  # small models repeat themselves, often behind a label ("The answer: …"); it adds nothing
        else:
            verdict = _verdict(sentence.text, valid, scorer, threshold, language, question_words, instruction_words)
        if verdict:
            said.update(words)
        for support in verdict:
            sentence.kept.append(support.n)
            if support.n not in best_support or support.score > best_support[support.n].score:
                best_support[support.n] = support
        top = max((s.score for s in verdict), default=_best_score(sentence.text, valid, scorer, language))
        checked.append(CheckedSentence(sentence.text, tuple(sentence.kept or valid), bool(verdict), top))
    return checked, best_support


def _drafted_sentence(raw: str) -> tuple[str, list[int]]:
    """A drafted sentence without its citation markers, nor the "…" a cut-down prompt put over its gaps (small models
    copy them: "… b) No child shall be deprived of liberty", "see:…"), and the numbers it cites."""
    text, cited = extract_citations(raw)
    text = re.sub(r"^(?:\s*…)+\s*|(?<=[:;,])\s*…$", "", text)
    return text, cited


def _verdict(
    text: str,
    cited: list[int],
    scorer: SupportScorer,
    threshold: float,
    language: str,
    question_words: set[str],
    instruction_words: set[str],
) -> list[Support]:
    """The supports a sentence keeps: its cited chunks that support it, else the one best chunk that does."""
    words = content_words(text)
    if len(words) < 2 or FILLER.search(text):
        return []  # filler, a bare "yes"/"no", or too little to check
    if len(set(words) - question_words) < 2:
        return []  # restates the question
    if recall(words, scorer.heading_words) >= 0.8:
        return []  # only names a source or a heading
    if len(words) >= 12 and len(set(words)) < 0.5 * len(words):
        return []  # a small model stuck in a loop ("… including the Protection of Children from …")
    if instruction_words and len(words) >= 3 and recall(words, instruction_words) >= 0.6:
        return []  # repeats the assistant's instructions
    supports = _supports(text, cited, scorer, threshold, language)
    if not supports or scorer.relevance(text) < RELEVANCE_SHARE:
        return []  # unsupported, or supported but beside the question
    if scorer.contradicted(text, language, threshold):
        return []  # says the opposite of the legislation retrieved, whatever else supports it
    return supports


def _supports(text: str, cited: list[int], scorer: SupportScorer, threshold: float, language: str) -> list[Support]:
    """The cited chunks that support ``text``, else the one best other chunk that does; never a suspect chunk."""
    trusted = [n for n in range(1, len(scorer.evidence) + 1) if not scorer.suspect[n - 1]]
    supports = [s for s in (scorer.score(text, n, language) for n in cited if n in trusted) if s.score >= threshold]
    if supports:
        return supports
    # Uncited, or citing the wrong source (frequent with small models): attach the best chunk if it supports.
    others = [scorer.score(text, n, language) for n in trusted if n not in cited]
    best = max(others, key=lambda s: s.score, default=None)
    return [best] if best is not None and best.score >= threshold else []


def _best_score(text: str, cited: list[int], scorer: SupportScorer, language: str) -> float:
    numbers = cited or range(1, len(scorer.evidence) + 1)
    return max((scorer.score(text, n, language).score for n in numbers), default=0.0)


def _relevance(
    text: str, question: str, scorer: SupportScorer, similarity: Callable[[str, str], float] | None = None
) -> float:
    """How well a text addresses the question: word overlap and the embedder's similarity (``scorer.cosine``
    unless ``similarity`` is given)."""
    words = content_words(question)
    lexical = recall(words, set(content_words(text)))
    return LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * max((similarity or scorer.cosine)(text, question), 0.0)


def _render(kept: list[_Drafted]) -> str:
    """The kept sentences with their checked markers, lines as drafted, numbered steps renumbered."""
    lines: dict[int, list[_Drafted]] = {}
    for sentence in kept:
        lines.setdefault(sentence.line, []).append(sentence)
    out, step = [], 0
    for sentences in lines.values():
        marker = next((s.marker for s in sentences if s.marker), "")
        if marker.isdigit():
            step += 1
            marker = f"{step}."
        body = " ".join(_with_markers(s.text, s.kept) for s in sentences)
        out.append(f"{marker} {body}" if marker else body)
    return "\n".join(out)


def _with_markers(text: str, numbers: list[int]) -> str:
    markers = "".join(f"[{n}]" for n in sorted(numbers))
    if text and text[-1] in ".!?…":
        return f"{text[:-1].rstrip()} {markers}{text[-1]}"
    return f"{text} {markers}"


def _extractive(
    evidence: Sequence[Hit], query: str, scorer: SupportScorer, language: Language, prefix: str
) -> tuple[str, list[Citation]]:
    """The most relevant sentences of the top chunks, quoted verbatim with their numbers (never a suspect chunk's)."""
    top = [n for n in range(1, len(evidence) + 1) if not scorer.suspect[n - 1]][:MAX_QUOTES]
    candidates = [
        (n, sentence)
        for n in top
        for sentence in scorer.chunk_sentences[n - 1]
        if len(sentence) >= 40 and not sentence.endswith(":")
    ] or [(n, s) for n in top for s in scorer.chunk_sentences[n - 1]]
    if not candidates:
        return translate(prefix, language), []
    scorer.embed([query, *(sentence for _, sentence in candidates)])
    # Similarity above what unrelated texts reach, so that "half as relevant as the best" (below) means something.
    relevance = {c: _relevance(c[1], query, scorer, scorer.semantic) for c in candidates}
    ranked = sorted(candidates, key=relevance.__getitem__, reverse=True)
    best = relevance[ranked[0]]
    # The evidence is in the answer's order (retrieval's, with the role's prior): the best sentence of the first
    # chunk that bears on the question (half as well as the best sentence at least) leads the quotations.
    relevant = [c for c in ranked if relevance[c] >= best / 2]
    lead = min(relevant, key=lambda c: c[0]) if relevant else ranked[0]
    rest = [c for c in ranked if c != lead]
    # Further quotations only when they bear on the question about half as well as the best one: a weak second
    # quotation ("Funding of EUR 154,080 per year…" under an age-assessment question) misleads more than it helps.
    chosen = [lead, *(c for c in rest[: MAX_QUOTES - 1] if relevance[c] >= best / 2 and relevance[c] > 0)]
    lines = [translate(prefix, language)]
    supporting: dict[int, str] = {}
    for n, sentence in chosen:
        lines.append(f"“{_shorten(sentence)}” [{n}]")
        supporting.setdefault(n, sentence)
    citations = [_citation(n, evidence[n - 1], supporting[n]) for n in sorted(supporting)]
    return "\n".join(lines), citations


def _shorten(sentence: str) -> str:
    if len(sentence) <= MAX_QUOTE_CHARS:
        return sentence
    return sentence[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0] + " …"


def _citation(n: int, hit: Hit, supporting: str) -> Citation:
    return Citation.from_hit(n, hit, supporting)
