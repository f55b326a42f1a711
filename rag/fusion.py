"""Weighted reciprocal-rank fusion of a question's searches, and the section weights and merges applied after it."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from core.text import fold
from rag.search import Hit

if TYPE_CHECKING:
    from rag.searches import Search

# BM25 matches words, so across languages it matches little but names and numbers: a lexical ranking counts this much
# for chunks in another language than the text it searched with (a Spanish question over English law), fully for
# chunks in its own. Dense scores of the top candidates lie close together, so even a quarter of a lexical first
# place outweighed twenty dense ranks (Spanish questions of the evaluation's tune split: r@1 0.33 at 0.25, 0.67 at
# 0.05 against 0.78 for the dense search alone).
CROSS_LANGUAGE_LEXICAL_WEIGHT = 0.05

# Preambles, "Legal basis" lists and treaties' final clauses mention everything and answer little: they rank
# below the substantive provisions (they are still found when asked for by article number).
OVERVIEW_WEIGHT = 0.6
_OVERVIEW_SECTIONS = ("preamble", "legal basis", "base giuridica")
# A treaty's final clauses (signature, reservations, entry into force) form a part of their own, named so; an
# ordinary article whose title says "reservations" or "amendment" is not one of them. Folded text.
_FINAL_PART = re.compile(
    r"\b(?:final (?:clauses|provisions)|(?:disposizioni|clausole) finali|dispositions finales|"
    r"disposiciones finales|disposicoes finais|schlussbestimmungen|slotbepalingen)\b"
)
# A judgment summary's "Legal issues" only lists the questions (so it resembles every question about the case) and
# "Relevance for practitioners" restates the rest: the facts, reasoning and outcome answer, so they rank first.
RESTATING_WEIGHT = 0.8
_RESTATING_SECTIONS = ("legal issues", "relevance for practitioners", "questioni giuridiche", "rilevanza")


def is_restating(hit: Hit) -> bool:
    return hit.doc_type == "case_law" and hit.section.lower().startswith(_RESTATING_SECTIONS)


def is_overview(hit: Hit) -> bool:
    """A preamble, a list of legal bases, or an article inside a treaty's final clauses."""
    lowered = hit.section.lower()
    if lowered.startswith("preamble") or any(lowered.endswith(name) for name in _OVERVIEW_SECTIONS):
        return True
    return lowered.startswith(("article", "articolo")) and any(_FINAL_PART.search(fold(line)) for line in _parts(hit))


def _parts(hit: Hit) -> list[str]:
    """The divisions a chunk of legislation sits in: the heading lines above its article label, from its text."""
    lines = hit.text.split("\n", 8)[:8]
    return lines[: lines.index(hit.section)] if hit.section in lines else []


def top_rrf(searches: Sequence[Search], rrf_k: int) -> float:
    """What a chunk ranked first by every search gets: an explicit reference must be able to beat it."""
    return sum(search.weight for search in searches) / (rrf_k + 1)


def boost_referenced(
    fused: dict[str, float], hits: dict[str, Hit], referenced: list[tuple[Hit, float]], top: float
) -> None:
    """Chunks the question names explicitly gain their boost times ``top``, joining the hits if no search found them."""
    for hit, boost in referenced:
        fused[hit.id] += boost * top
        hits.setdefault(hit.id, hit)


def weigh_sections(fused: dict[str, float], hits: dict[str, Hit]) -> None:
    """Overviews and restating judgment sections rank below the passages that answer."""
    for hit_id, hit in hits.items():
        if is_overview(hit):
            fused[hit_id] *= OVERVIEW_WEIGHT
        elif is_restating(hit):
            fused[hit_id] *= RESTATING_WEIGHT


# One search's ranking for the fusion: its hits best first, its weight, and for a lexical search the language of its
# words (None for a dense search, whose embedder reads across languages).
Ranking = tuple[list[Hit], float, str | None]


def fuse(rankings: Sequence[Ranking], rrf_k: int) -> tuple[dict[str, float], dict[str, float], dict[str, Hit]]:
    """Weighted reciprocal rank fusion: each chunk's fused score and tie-breaker, and the chunks by id.

    A lexical ranking counts ``CROSS_LANGUAGE_LEXICAL_WEIGHT`` times its weight for a chunk in another language
    than its words (a chunk of unknown language counts as sharing it).

    Exact ties are frequent (two searches ranking two chunks 1-2 and 2-1). The tie-breaker is how far above each
    search's weakest candidate the chunk scored (0 … 1 per search, weighted), so the clear winner of one search goes
    before a chunk that only just led the other.
    """
    fused: dict[str, float] = defaultdict(float)
    margin: dict[str, float] = defaultdict(float)
    hits: dict[str, Hit] = {}
    for ranking, weight, language in rankings:
        if not ranking:
            continue
        best, weakest = ranking[0].score, ranking[-1].score
        for rank, hit in enumerate(ranking):
            shared = language is None or not hit.language or hit.language == language
            hit_weight = weight if shared else weight * CROSS_LANGUAGE_LEXICAL_WEIGHT
            fused[hit.id] += hit_weight / (rrf_k + rank + 1)
            margin[hit.id] += hit_weight * ((hit.score - weakest) / (best - weakest) if best > weakest else 1.0)
            hits.setdefault(hit.id, hit)
    return fused, margin, hits


def by_score(fused: dict[str, float], margin: dict[str, float]) -> list[str]:
    """Chunk ids best first: by fused score (rounded, so float noise makes no tie), then by margin."""
    return sorted(fused, key=lambda hit_id: (round(fused[hit_id], 12), margin.get(hit_id, 0.0)), reverse=True)


def prefer_asked_section(fused: dict[str, float], hits: dict[str, Hit], section: str | None) -> None:
    """Within each judgment, the section the question asks for takes the place of the judgment's best chunk.

    Only the order inside one judgment changes: whether the judgment itself ranks well is left to the searches.
    """
    if section is None:
        return
    best: dict[str, float] = defaultdict(float)
    asked: dict[str, str] = {}
    for hit_id, hit in hits.items():
        if hit.doc_type != "case_law":
            continue
        source = hit.source
        best[source] = max(best[source], fused[hit_id])
        if hit.section.startswith(section):
            asked[source] = hit_id
    for source, hit_id in asked.items():
        fused[hit_id] = max(fused[hit_id], best[source] * (1 + 1e-3))


def merge_articles(ranked: list[Hit]) -> list[Hit]:
    """One hit per (document, section): parts of a long article are joined in document order under the best score.

    The joined hit keeps the id and the page of its best part: an article running over two PDF pages is cited at
    the page of the passage that matched, not at the page where the article starts. Chunks under no section (the
    pages of a PDF without headings) are not parts of one article: each stays a hit of its own, with its own page.
    """
    groups: dict[tuple[str, str], list[Hit]] = {}
    order: list[tuple[str, str]] = []
    for hit in ranked:
        key = (hit.source, hit.section or hit.id)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(hit)
    merged: list[Hit] = []
    for key in order:
        parts = groups[key]
        if len(parts) == 1:
            merged.append(parts[0])
            continue
        best = parts[0]
        parts = sorted(parts, key=lambda hit: hit.ordinal)
        text = parts[0].text
        heading = set(text.split("\n")[:3])
        for part in parts[1:]:
            lines = part.text.split("\n")
            while len(lines) > 1 and lines[0] in heading:
                lines.pop(0)  # parts repeat the article heading; show it once
            text += "\n" + "\n".join(lines)
        merged.append(replace(parts[0], id=best.id, text=text, score=best.score, page=best.page))
    return merged
