"""Short prompts for small models: each source cut down to its sentences that bear on the question.

The shipped 135M model reads a prompt at about 130 tokens/s on two cores, so five full articles (~2,500 tokens)
cost 20 s before the first word. Within a token budget this keeps, from the best-ranked sources first, the sentences
that share the most (rarer) words with the question, in their original order with "…" over the gaps. Only the
prompt is shortened: the answer's evidence and source cards keep the full chunks, while the grounding check looks for
support only in the sentences the model was shown.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from core.text import split_sentences
from rag.search import Hit
from rag.sentences import INJECTION, content_words

RANK_DECAY = 0.35  # a sentence of the n-th source weighs 1 / (1 + RANK_DECAY * n) of the same sentence in the first
GAP = " … "


@dataclass(frozen=True)
class _Sentence:
    hit: int  # position of its source in the ranking
    order: int  # position in its source
    text: str
    words: frozenset[str]


def compact_evidence(
    hits: Sequence[Hit],
    query: str,
    budget: int,
    tokens: Callable[[str], int],
    block_overhead: Callable[[int, Hit], int],
) -> list[Hit]:
    """The hits, in their order, cut to the sentences that fit ``budget`` tokens; hits left with none are dropped.

    ``tokens`` counts a text's tokens; ``block_overhead(n, hit)`` is what the numbered header of source ``n``
    costs. Every source first gets its best sentence (while the budget lasts), so the model sees several
    sources rather than all of the first one; the rest of the budget goes to the best-scoring sentences, and to
    the first source's sentences in order when none of its sentences shares a word with the question.
    """
    sentences = [_sentences(i, hit) for i, hit in enumerate(hits)]
    weights = _word_weights([s for group in sentences for s in group], query)
    scored = {s: _score(s, weights) for group in sentences for s in group}

    chosen: dict[int, list[_Sentence]] = {}
    used = 0

    def take(sentence: _Sentence) -> bool:
        nonlocal used
        cost = tokens(sentence.text) + 1
        if sentence.hit not in chosen:
            cost += block_overhead(len(chosen) + 1, hits[sentence.hit])
        if used + cost > budget:
            return False
        chosen.setdefault(sentence.hit, []).append(sentence)
        used += cost
        return True

    for position, group in enumerate(sentences):
        best = max(group, key=lambda s: (scored[s], -s.order), default=None)
        if best is not None and (scored[best] > 0 or position == 0):
            take(best)
    rest = sorted((s for group in sentences for s in group if scored[s] > 0), key=lambda s: (-scored[s], s.order))
    for sentence in rest:
        if sentence.hit in chosen and sentence not in chosen[sentence.hit]:
            take(sentence)
    if sentences and not any(scored[s] > 0 for s in sentences[0]):
        # No word of the question is in the best source (a Swedish question over English law): the model reads
        # that source from its beginning, as far as the budget goes, rather than one sentence of it.
        for sentence in sentences[0]:
            if sentence not in chosen.get(0, []) and not take(sentence):
                break
    return [_joined(hits[i], chosen[i], len(sentences[i])) for i in sorted(chosen)]


def _sentences(position: int, hit: Hit) -> list[_Sentence]:
    out: list[_Sentence] = []
    for line in hit.text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or INJECTION.search(line):
            continue
        for sentence in split_sentences(line):
            marker, text = sentence.marker, sentence.text
            words = frozenset(content_words(text))
            if words:
                # A list item keeps its letter or number as written: "c)" is how a provision's point is cited.
                prefix = line[: line.find(text)].strip() if marker and marker not in "-*•" else ""
                out.append(_Sentence(position, len(out), f"{prefix} {text}".strip(), words))
    return out


def _word_weights(sentences: Sequence[_Sentence], query: str) -> dict[str, float]:
    """The question's words, each weighted by how rare it is among the candidate sentences (idf)."""
    frequency = Counter(word for s in sentences for word in s.words)
    total = max(1, len(sentences))
    return {word: math.log(1 + total / (1 + frequency[word])) for word in set(content_words(query))}


def _score(sentence: _Sentence, weights: dict[str, float]) -> float:
    matched = sum(weight for word, weight in weights.items() if word in sentence.words)
    # Long sentences match more words by chance: damp, without favouring fragments.
    return matched / math.sqrt(max(4, len(sentence.words))) / (1 + RANK_DECAY * sentence.hit)


def _joined(hit: Hit, kept: list[_Sentence], available: int) -> Hit:
    kept = sorted(kept, key=lambda s: s.order)
    parts: list[str] = ["…"] if kept[0].order > 0 else []
    previous = -1
    for sentence in kept:
        if parts and previous >= 0 and sentence.order != previous + 1:
            parts.append("…")
        parts.append(sentence.text)
        previous = sentence.order
    if previous < available - 1:
        parts.append("…")
    return replace(hit, text=re.sub(r"\s*…\s*", GAP, " ".join(parts)).strip())
