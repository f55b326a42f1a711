"""The grounding check: every generated sentence must be supported by the evidence it cites, or it is dropped."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from langchain_core.embeddings import Embeddings

from core.text import detect_language, split_sentences
from rag.cross_support import CrossSupportModel
from rag.quotes import quote_answer
from rag.search import Hit
from rag.sentences import FILLER, content_words, extract_citations, recall
from rag.support import Support, SupportScorer, relevance
from rag.types import CheckedSentence, Citation

RELEVANCE_FLOOR = 0.15  # below this, what survived does not address the question at all: quote instead
# A sentence bears on the question at least this share as well as the source that bears on it best (embedder
# similarity above the floor), or it is dropped: supported by its source is not the same as answering the question.
RELEVANCE_SHARE = 0.35
# A sentence whose content words were already said, this share of them at least, by the sentences kept before it
# repeats them.
REPEAT_SHARE = 0.8


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
    cross_model: CrossSupportModel | None = None,
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
        cross_model: the learned check of sentences in another language than their source (``rag.cross_support``).

    Returns:
        The answer text holding only supported sentences, each with valid citations; when none is left, an
        extractive answer quoting the most relevant source sentences verbatim.
    """
    language = detect_language(question)
    scorer = SupportScorer(evidence, embedder, question, shown, semantic_floor, cross_model)
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
    if in_language and max(relevance(s.text, question, scorer) for s in kept) >= RELEVANCE_FLOOR:
        cited = sorted({n for s in kept for n in s.kept})
        citations = [Citation.from_hit(n, evidence[n - 1], best_support[n].supporting) for n in cited]
        return Grounded(_render(kept), citations, checked, extractive=False, dropped=len(drafted) - len(kept))
    answer, citations = quote_answer(evidence, query or question, scorer, language, quotes_prefix)
    if not citations and shown is not None:
        # Nothing the prompt showed can be quoted (too short or cut to fragments): quote the whole sources.
        whole = SupportScorer(evidence, embedder, question, None, semantic_floor, cross_model)
        answer, citations = quote_answer(evidence, query or question, whole, language, quotes_prefix)
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
