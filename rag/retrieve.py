"""Hybrid retrieval: dense (Chroma) and lexical (BM25) fused by reciprocal rank, steered by legal references."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Literal

import numpy as np

from core.settings import RetrievalSettings
from core.text import detect_language, fold
from rag.conversation import resolve
from rag.coverage import KnownNames, asked_jurisdictions, unknown_identifiers, unknown_names
from rag.judgments import CaseName, asked_section, case_names, names_case, names_strasbourg_court
from rag.ranker import QueryContext, RankerModel, SearchRanks, candidate_features, question_features
from rag.references import (
    ArticleRef,
    References,
    document_instrument,
    instrument_spans,
    parse_references,
    strip_instruments,
)
from rag.role_prior import prior_for
from rag.search import Filters, Hit, IndexSnapshot
from rag.translate import translate_query
from rag.types import Role, Turn


@dataclass
class Retrieval:
    """The evidence for one question and whether it covers the question at all."""

    question: str
    search_query: str
    hits: list[Hit]
    covered: bool
    top_similarity: float
    index_generation: str = ""
    reason: str = ""  # why the question counts as not covered (empty when covered)
    # The question names an instrument or a judgment the index holds ("the Palermo Protocol", "art. 600 c.p.", "the
    # Rantsev case"): it is in scope whatever the similarity of its words, so the similarity threshold does not apply
    # (the other guards do).
    named: bool = False
    # The learned abstainer's probability that the best passage answers the question (None: no model for this
    # embedder, so the similarity threshold decides).
    confidence: float | None = None


@dataclass(frozen=True)
class Candidates:
    """Every chunk the searches of one question found, fused, with what the learned signal reads of them."""

    query: str  # the question resolved against the conversation
    hits: dict[str, Hit]
    fused: dict[str, float]  # weighted reciprocal-rank fusion plus the boosts of explicitly named articles
    margin: dict[str, float]  # the fusion's tie-breaker
    named: bool  # names an instrument or judgment the index holds
    context: QueryContext


class HybridRetriever:
    """Searches one index snapshot; cheap to create, safe to share between threads.

    With a ``model`` (trained for the snapshot's embedder) its re-ranker orders the best fused candidates and its
    abstainer decides coverage; without one, hand-set section weights and the similarity threshold do.
    """

    def __init__(
        self,
        snapshot: IndexSnapshot,
        settings: RetrievalSettings,
        abstain_threshold: float,
        *,
        model: RankerModel | None = None,
    ) -> None:
        self.snapshot = snapshot
        self.settings = settings
        self.abstain_threshold = abstain_threshold
        self.model = model

    @cached_property
    def _instrument_sources(self) -> dict[str, list[str]]:
        """Indexed documents of each known instrument (official texts and digests)."""
        table: dict[str, list[str]] = defaultdict(list)
        for source, doc in self.snapshot.manifest.documents.items():
            instrument = document_instrument(source, str(doc.get("title", "")), str(doc.get("doc_type", "")))
            if instrument is not None:
                table[instrument].append(source)
        return table

    @cached_property
    def _case_names(self) -> list[CaseName]:
        """What questions may call the indexed judgments by (applicants, courts' seats)."""
        documents = self.snapshot.manifest.documents.values()
        titles = [str(doc.get("title", "")) for doc in documents if doc.get("doc_type") == "case_law"]
        return [name for title in titles for name in case_names(title)]

    @cached_property
    def _articles(self) -> dict[str, list[tuple[Hit, str]]]:
        """Chunks of known instruments by article number ("4", "603-bis"), each with its instrument.

        Only instruments the references module knows can be named in a question, so only their chunks are listed.
        """
        instrument_of = {source: key for key, sources in self._instrument_sources.items() for source in sources}
        table: dict[str, list[tuple[Hit, str]]] = defaultdict(list)
        for hit in self.snapshot.chunks({"source": {"$in": sorted(instrument_of)}}):
            words = hit.section.split()
            if len(words) >= 2 and words[0] in ("Article", "Articolo"):
                table[words[1].lower()].append((hit, instrument_of[hit.source]))
        return table

    def _referenced(self, refs: References, filters: Filters) -> list[tuple[Hit, float]]:
        """Chunks the question names explicitly, with a boost: article + instrument beats article alone."""
        where = filters.where() or {}
        chosen: list[tuple[Hit, float]] = []
        for article in map(self._as_indexed, refs.articles):
            for hit, instrument in self._articles.get(article.number.lower(), []):
                if not article.matches_section(hit.section):
                    continue
                if any(getattr(hit, key, None) != value for key, value in where.items() if not isinstance(value, dict)):
                    continue
                if not refs.instruments:
                    chosen.append((hit, 0.5))
                elif instrument in refs.instruments:
                    chosen.append((hit, 1.0))
        return chosen

    def _as_indexed(self, article: ArticleRef) -> ArticleRef:
        """The article as the index numbers it: "Articles 3-5" read as a branch "3-5" the index lacks name article 3."""
        number = article.number.lower()
        head, _, branch = number.partition("-")
        if number in self._articles or not branch.replace("-", "").isdigit():
            return article
        return replace(article, number=head)

    def retrieve(
        self,
        question: str,
        *,
        k: int | None = None,
        filters: Filters | None = None,
        history: Sequence[Turn] = (),
        role: Role | None = None,
    ) -> Retrieval:
        """Best chunks for a question, merged by article, and whether they cover it.

        With a ``role``, its prior (``rag.role_prior``) may hold some document types back from the ``k`` shown;
        without one, retrieval's own ranking decides.
        """
        k = k or self.settings.k
        prior = prior_for(role)
        found = self.candidates(question, filters=filters or Filters(), history=history, depth=k)
        confidence = None
        if self.model is not None:
            learned, confidence = self._rescored(found)
        if self.model is not None and self.model.rerank:
            scores = learned
        else:
            scores = dict(found.fused)
            _weigh_sections(scores, found.hits)
        _prefer_asked_section(scores, found.hits, asked_section(found.query))
        ranked = [replace(found.hits[hit_id], score=scores[hit_id]) for hit_id in by_score(scores, found.margin)]
        merged = prior.shown(_merge_articles(ranked), k, named=found.named)
        # The first search is the question's own dense search under the user's filters.
        top_similarity = found.context.dense.best if found.context.dense.positions else 0.0
        reason = self.not_covered(question, top_similarity, confidence, named=found.named)
        if not merged:
            reason = reason or "nothing in the knowledge base matches"
        generation = self.snapshot.generation
        return Retrieval(
            question, found.query, merged, not reason, top_similarity, generation, reason, found.named, confidence
        )

    def candidates(
        self, question: str, *, filters: Filters, history: Sequence[Turn] = (), depth: int = 0
    ) -> Candidates:
        """Every search of a question fused, with what the learned signal reads of each candidate."""
        query = resolve(question, history)
        refs = parse_references(query)
        referenced = self._referenced(refs, filters)
        held = any(boost == 1.0 for _, boost in referenced)  # an article of a named instrument, found in the index
        sources = [src for key in refs.instruments for src in self._instrument_sources.get(key, [])]
        if refs.articles and not held:
            # "art. 600-octies c.p." where the index holds no such article: the question is about texts that
            # discuss it (a judgment, the handbook), and the instrument's other articles are not what it asks.
            sources = []
        searches = plan_searches(query, filters.where(), sources)
        depth = max(self.settings.candidates, depth)
        rankings = [(self._run(search, depth), search.weight, search.lexical_language) for search in searches]
        fused, margin, hits = fuse(rankings, self.settings.rrf_k)
        top = top_rrf(searches, self.settings.rrf_k)
        _boost_referenced(fused, hits, referenced, top)
        named = bool(sources) or held or names_case(query, self._case_names)
        context = QueryContext(
            language=searches[1].language,
            words=len(query.split()),
            dense=SearchRanks.of(rankings[0][0]),
            lexical=SearchRanks.of(rankings[1][0]),
            fused=fused,
            top_fused=top,
            referenced={hit.id: boost for hit, boost in referenced},
            overview=frozenset(hit_id for hit_id, hit in hits.items() if _is_overview(hit)),
            restating=frozenset(hit_id for hit_id, hit in hits.items() if _is_restating(hit)),
        )
        return Candidates(query, hits, fused, margin, named, context)

    def rescore(self, found: Candidates) -> tuple[list[str], np.ndarray, QueryContext]:
        """The candidates the re-ranker scores (the best ``depth`` by fusion), their feature rows and context."""
        depth = self.model.depth if self.model is not None else RESCORED
        chosen = by_score(found.fused, found.margin)[:depth]
        rows = candidate_features([found.hits[hit_id] for hit_id in chosen], found.context)
        return chosen, rows, found.context

    def _rescored(self, found: Candidates) -> tuple[dict[str, float], float]:
        """Scores with the re-ranker's probability for its candidates (the rest below, in fused order), and the
        abstainer's probability that the best candidate answers the question."""
        assert self.model is not None
        chosen, rows, context = self.rescore(found)
        relevance = self.model.ranker.probability(rows)
        # The question's own dense search embedded the same text: a cache hit.
        embedding = np.asarray(self.snapshot.embed_query(found.query), dtype=float)[None, :]
        domain = float(self.model.domain.probability(embedding)[0])
        features = question_features(rows, relevance, context, domain)
        confidence = float(self.model.abstainer.probability(features[None, :])[0])
        scores = dict(zip(chosen, relevance.tolist(), strict=True))
        floor = float(relevance.min(initial=1.0))
        rest = [hit_id for hit_id in found.fused if hit_id not in scores]
        highest = max((found.fused[hit_id] for hit_id in rest), default=0.0) or 1.0
        for hit_id in rest:
            scores[hit_id] = floor * 0.99 * found.fused[hit_id] / highest
        return scores, confidence

    def _run(self, search: Search, depth: int) -> list[Hit]:
        if search.kind == "dense" and search.translation:
            vector = cross_language_vector(self.snapshot, search.text, search.translation, search.language)
            return self.snapshot.vector_search(vector, depth, search.where)
        if search.kind == "dense":
            return self.snapshot.dense_search(search.text, depth, search.where)
        return self.snapshot.lexical_search(search.text, depth, search.where, search.language)

    @cached_property
    def _jurisdictions(self) -> set[str]:
        documents = self.snapshot.manifest.documents.values()
        return {str(doc.get("jurisdiction", "")).upper() for doc in documents if doc.get("jurisdiction")}

    @cached_property
    def _known_names(self) -> KnownNames:
        """The indexed documents' titles and the names their metadata gives (official reference, court)."""
        documents = self.snapshot.manifest.documents.values()
        return KnownNames.of(
            text
            for doc in documents
            for text in (
                str(doc.get("title", "")),
                *(v for v in dict(doc.get("meta") or {}).values() if isinstance(v, str)),
            )
        )

    def not_covered(self, question: str, top_similarity: float, confidence: float | None, *, named: bool) -> str:
        """Why the knowledge base does not cover the question, or "" when it does."""
        foreign = sorted(asked_jurisdictions(question) - self._jurisdictions)
        if foreign:
            return f"the knowledge base holds no law of {', '.join(foreign)}"
        titles = self._known_names
        acronyms = (*KNOWN_ACRONYMS, *titles.acronyms)
        unknown = unknown_identifiers(
            question, acronyms, lambda word: titles.knows(word) or self.snapshot.has_phrase(word)
        )
        if unknown:
            return f"the knowledge base does not mention {', '.join(unknown)}"
        names = unknown_names(question, instrument_spans(question), self.snapshot.has_phrase, titles)
        if names:
            return f"the knowledge base does not mention {', '.join(names)}"
        if named:
            return ""
        if confidence is not None and self.model is not None:
            return TOO_FAR if confidence < self.model.threshold else ""
        if top_similarity < self.abstain_threshold:
            return TOO_FAR
        return ""


# Why a question is not covered when only the similarity threshold keeps it out (the other guards give their own).
TOO_FAR = "no passage in the knowledge base is close enough to the question"

# Acronyms users write for instruments the references module understands, even if the texts never spell them.
KNOWN_ACRONYMS = ("CRC", "UNCRC", "CETS", "ECHR", "CEDU", "CJEU", "ECTHR", "GRETA", "MSNA", "NGO", "ONG", "ONU")

# BM25 matches words, so across languages it matches little but names and numbers: a lexical ranking counts this much
# for chunks in another language than the text it searched with (a Spanish question over English law), fully for
# chunks in its own. Dense scores of the top candidates lie close together, so even a quarter of a lexical first
# place outweighed twenty dense ranks (Spanish questions of the evaluation's tune split: r@1 0.33 at 0.25, 0.67 at
# 0.05 against 0.78 for the dense search alone).
CROSS_LANGUAGE_LEXICAL_WEIGHT = 0.05
# The glossary translation of an Italian question finds English law better than the question itself does (a dense
# search of the Italian question over the English texts alone only added noise): its searches count double.
TRANSLATED_WEIGHT = 2.0
# How much of the index's language offset moves a question's vector towards English texts (knowledge-base tuning
# set, Italian: 0.5 to 1.0 lie within a question of each other; 1.5 overshoots, 0.33 / 0.55 alone).
LANGUAGE_SHIFT = 0.75

# How documents mark judgments of the European Court of Human Rights (front-matter `jurisdiction`).
STRASBOURG_CODES = ("ECHR", "ECtHR", "ECTHR")

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


def _is_restating(hit: Hit) -> bool:
    return hit.doc_type == "case_law" and hit.section.lower().startswith(_RESTATING_SECTIONS)


def _is_overview(hit: Hit) -> bool:
    """A preamble, a list of legal bases, or an article inside a treaty's final clauses."""
    lowered = hit.section.lower()
    if lowered.startswith("preamble") or any(lowered.endswith(name) for name in _OVERVIEW_SECTIONS):
        return True
    return lowered.startswith(("article", "articolo")) and any(_FINAL_PART.search(fold(line)) for line in _parts(hit))


def _parts(hit: Hit) -> list[str]:
    """The divisions a chunk of legislation sits in: the heading lines above its article label, from its text."""
    lines = hit.text.split("\n", 8)[:8]
    return lines[: lines.index(hit.section)] if hit.section in lines else []


@dataclass(frozen=True)
class Search:
    """One search of a question's retrieval, with the weight its ranking gets in the fusion."""

    kind: Literal["dense", "lexical"]
    text: str
    where: dict[str, Any] | None
    weight: float = 1.0
    language: str = "en"  # the language a lexical search stems its text in (a dense one: the question's language)
    # A dense search across languages: its vector is the question's, moved towards English texts by the index's
    # language offset, averaged with the vector of this English translation of it (see cross_language_vector).
    translation: str = ""

    @property
    def lexical_language(self) -> str | None:
        """The language a lexical search's words are in (its ranking counts less for chunks in others)."""
        return self.language if self.kind == "lexical" else None


def plan_searches(query: str, where: dict[str, Any] | None, sources: Sequence[str]) -> list[Search]:
    """The searches for a question, the question's own dense search first.

    Args:
        query: the question, resolved against the conversation.
        where: the user's filters.
        sources: the indexed documents of the instruments the question names (searched alone too).
    """
    language = detect_language(query)  # BM25 stems the question as its language's texts were stemmed
    italian = language == "it"
    searches = [Search("dense", query, where), Search("lexical", query, where, 1.0, language)]
    content = strip_instruments(query) or query  # every chunk of a named instrument shares its name
    translated = ""
    if italian:
        # Most law here is English and multilingual embeddings still favour texts in the question's language:
        # search the English texts with the question's glossary translation too. A named instrument is left out
        # of the translation: its English name would outweigh what the question asks of it, and the searches
        # inside the instrument below already find its articles.
        english = {**(where or {}), "language": "en"} if (where or {}).get("language") is None else where
        translated = translate_query(content if sources else query)
        if translated:
            searches += [
                Search("lexical", translated, where, TRANSLATED_WEIGHT),
                Search("dense", content if sources else query, english, TRANSLATED_WEIGHT, language, translated),
            ]
    if sources:
        # The question names an instrument: also search inside it alone (lexically without the instrument's name,
        # which every one of its chunks shares), so its best article competes with documents that only mention it.
        # The dense search reuses the question's vector: inside one instrument its name shifts every chunk alike.
        scoped = {**(where or {}), "source": {"$in": list(sources)}}
        searches += [Search("dense", query, scoped), Search("lexical", content, scoped, 1.0, language)]
        if translated:
            searches += [
                Search("dense", translated, scoped, TRANSLATED_WEIGHT),
                Search("lexical", translated, scoped, TRANSLATED_WEIGHT),
            ]
    if names_strasbourg_court(query):
        # "Which ECtHR case...": the Strasbourg judgments compete among themselves, not with national cases.
        strasbourg = {**(where or {}), "doc_type": "case_law", "jurisdiction": {"$in": list(STRASBOURG_CODES)}}
        searches += [
            Search("dense", query, strasbourg),
            Search("lexical", query, strasbourg, 1.0, language),
        ]
    return searches


def cross_language_vector(snapshot: IndexSnapshot, question: str, translation: str, language: str) -> list[float]:
    """The query vector of a question in ``language`` searched over English texts.

    The question's own vector carries what it asks but also its language, which draws it to the few texts in that
    language; the index's language offset (``LANGUAGE_SHIFT`` of it) takes the language out. The glossary translation
    is English but word by word, so it loses what the glossary lacks: the two unit vectors are averaged (Italian
    questions of the knowledge-base tuning set, dense search over the English chunks, recall@1 / @5: the question
    0.33 / 0.59, its translation 0.45 / 0.77, shifted question 0.50 / 0.81, shifted question and translation
    0.61 / 0.90). Without an offset (too few chunks in either language) the translation is searched alone.
    """
    translated = _unit(snapshot.embed_query(translation))
    offset = snapshot.language_offset(language, "en")
    if offset is None:
        return translated.tolist()
    shifted = _unit(np.asarray(snapshot.embed_query(question), dtype=float) + LANGUAGE_SHIFT * offset)
    return (shifted + translated).tolist()


def _unit(vector: Sequence[float] | np.ndarray) -> np.ndarray:
    array = np.asarray(vector, dtype=float)
    return array / (np.linalg.norm(array) or 1.0)


def top_rrf(searches: Sequence[Search], rrf_k: int) -> float:
    """What a chunk ranked first by every search gets: an explicit reference must be able to beat it."""
    return sum(search.weight for search in searches) / (rrf_k + 1)


def _boost_referenced(
    fused: dict[str, float], hits: dict[str, Hit], referenced: list[tuple[Hit, float]], top: float
) -> None:
    """Chunks the question names explicitly gain their boost times ``top``, joining the hits if no search found them."""
    for hit, boost in referenced:
        fused[hit.id] += boost * top
        hits.setdefault(hit.id, hit)


def _weigh_sections(fused: dict[str, float], hits: dict[str, Hit]) -> None:
    """Overviews and restating judgment sections rank below the passages that answer."""
    for hit_id, hit in hits.items():
        if _is_overview(hit):
            fused[hit_id] *= OVERVIEW_WEIGHT
        elif _is_restating(hit):
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


def _prefer_asked_section(fused: dict[str, float], hits: dict[str, Hit], section: str | None) -> None:
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


def _merge_articles(ranked: list[Hit]) -> list[Hit]:
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


# How many fused candidates the training script describes when no model is loaded yet.
RESCORED = 30
