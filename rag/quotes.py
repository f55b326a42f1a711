"""The quoted answer: the sentences of the best sources that bear on the question, verbatim, with their numbers."""

from __future__ import annotations

from collections.abc import Sequence

from core.i18n import translate
from core.text import Language
from rag.search import Hit
from rag.support import SupportScorer, relevance
from rag.types import Citation

MAX_QUOTES = 3
MAX_QUOTE_CHARS = 400


def quote_answer(
    evidence: Sequence[Hit], query: str, scorer: SupportScorer, language: Language, prefix: str
) -> tuple[str, list[Citation]]:
    """The most relevant sentences of the top chunks, quoted verbatim with their numbers (never a suspect chunk's)."""
    top = [n for n in range(1, len(evidence) + 1) if not scorer.suspect[n - 1]][:MAX_QUOTES]
    # A quotation is word for word in its source: a cut-down prompt joins its lines with spaces, and a heading
    # joined to the next sentence ("I – General Provisions For the purposes of…") was never written so.
    verbatim = {n: " ".join(evidence[n - 1].text.split()) for n in top}
    quotable = [(n, s) for n in top for s in scorer.chunk_sentences[n - 1] if s in verbatim[n]]
    candidates = [(n, s) for n, s in quotable if len(s) >= 40 and not s.endswith(":")] or quotable
    if not candidates:
        return translate(prefix, language), []
    scorer.embed([query, *(sentence for _, sentence in candidates)])
    # Similarity above what unrelated texts reach, so that "half as relevant as the best" (below) means something.
    bearing = {c: relevance(c[1], query, scorer, scorer.semantic) for c in candidates}
    ranked = sorted(candidates, key=bearing.__getitem__, reverse=True)
    best = bearing[ranked[0]]
    # The evidence is in the answer's order (retrieval's, with the role's prior): the best sentence of the first
    # chunk that bears on the question (half as well as the best sentence at least) leads the quotations.
    relevant = [c for c in ranked if bearing[c] >= best / 2]
    lead = min(relevant, key=lambda c: c[0]) if relevant else ranked[0]
    rest = [c for c in ranked if c != lead]
    # Further quotations only when they bear on the question about half as well as the best one: a weak second
    # quotation ("Funding of EUR 154,080 per year…" under an age-assessment question) misleads more than it helps.
    chosen = [lead, *(c for c in rest[: MAX_QUOTES - 1] if bearing[c] >= best / 2 and bearing[c] > 0)]
    lines = [translate(prefix, language)]
    supporting: dict[int, str] = {}
    for n, sentence in chosen:
        lines.append(f"“{_shorten(sentence)}” [{n}]")
        supporting.setdefault(n, sentence)
    citations = [Citation.from_hit(n, evidence[n - 1], supporting[n]) for n in sorted(supporting)]
    return "\n".join(lines), citations


def _shorten(sentence: str) -> str:
    if len(sentence) <= MAX_QUOTE_CHARS:
        return sentence
    return sentence[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
