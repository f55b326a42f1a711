"""Hybrid retrieval: dense (Chroma) and lexical (BM25) fused by reciprocal rank, steered by legal references."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from core.settings import RetrievalSettings
from rag.conversation import resolve
from rag.coverage import KnownNames, asked_jurisdictions, unknown_identifiers, unknown_names
from rag.fusion import (
    boost_referenced,
    by_score,
    fuse,
    is_overview,
    is_restating,
    merge_articles,
    prefer_asked_section,
    top_rrf,
    weigh_sections,
)
from rag.judgments import CaseName, asked_section, case_names, names_case
from rag.ranker import QueryContext, RankerModel, SearchRanks, candidate_features, question_features
from rag.references import (
    SECTION_ARTICLE,
    ArticleRef,
    References,
    document_instrument,
    instrument_spans,
    parse_references,
)
from rag.role_prior import prior_for
from rag.search import Filters, Hit, IndexSnapshot
from rag.searches import Search, cross_language_vector, plan_searches
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
    beyond: str = ""  # why the article asked for cannot be in the named instrument (past its last one), or ""


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

    @cached_property
    def _last_articles(self) -> dict[str, int]:
        """Each indexed instrument's highest article: of its article headings, and of the articles its other sections
        list ("Annex – Other articles: ... Articles 46–54 (final clauses)"). An article's text is left out: it cites
        other instruments' articles too ("Art. 34 of the Convention")."""
        instrument_of = {source: key for key, sources in self._instrument_sources.items() for source in sources}
        last: dict[str, int] = {}
        for hit in self.snapshot.chunks():
            instrument = instrument_of.get(hit.source)
            if instrument is None:
                continue
            text = hit.section if SECTION_ARTICLE.match(hit.section) else f"{hit.section}\n{hit.text}"
            for match in _ARTICLE_MENTION.finditer(text):
                last[instrument] = max(last.get(instrument, 0), *(int(n) for n in match.groups() if n))
        return last

    @cached_property
    def _discussed_articles(self) -> set[str]:
        """The article numbers the handbook, judgments and other non-legislation texts mention ("art. 19", "600")."""
        texts = [hit.text for hit in self.snapshot.chunks() if hit.doc_type != "legislation"]
        return {match.group(1) for text in texts for match in _ARTICLE_MENTION.finditer(text)}

    def _beyond_last_article(self, refs: References, query: str) -> str:
        """Why a question for an article past the end of the one instrument it names is not covered, or "".

        "Article 99 of the Palermo Protocol" (20 articles): nothing indexed can answer it, and quoting the Protocol's
        final clauses would pass them off as that article. An article the handbook or a judgment mentions, or a
        question naming a judgment, goes on to the searches: those texts may say what it asks.
        """
        if len(refs.instruments) != 1 or not refs.articles or names_case(query, self._case_names):
            return ""
        last = self._last_articles.get(refs.instruments[0])
        heads = [re.match(r"\d+", article.number) for article in refs.articles]
        if last is None or any(head is None or int(head.group()) <= last for head in heads):
            return ""
        if any(head.group() in self._discussed_articles for head in heads if head is not None):
            return ""  # the handbook or a judgment discusses it: the searches find what they say
        title = self.snapshot.manifest.documents[self._instrument_sources[refs.instruments[0]][0]].get("title", "")
        numbers = ", ".join(article.number for article in refs.articles)
        return f"the knowledge base holds no article {numbers} of {title or refs.instruments[0]} (its last is {last})"

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
            weigh_sections(scores, found.hits)
        prefer_asked_section(scores, found.hits, asked_section(found.query))
        ranked = [replace(found.hits[hit_id], score=scores[hit_id]) for hit_id in by_score(scores, found.margin)]
        merged = prior.shown(merge_articles(ranked), k, named=found.named)
        # The first search is the question's own dense search under the user's filters.
        top_similarity = found.context.dense.best if found.context.dense.positions else 0.0
        reason = found.beyond or self.not_covered(question, top_similarity, confidence, named=found.named)
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
        boost_referenced(fused, hits, referenced, top)
        named = bool(sources) or held or names_case(query, self._case_names)
        context = QueryContext(
            language=searches[1].language,
            words=len(query.split()),
            dense=SearchRanks.of(rankings[0][0]),
            lexical=SearchRanks.of(rankings[1][0]),
            fused=fused,
            top_fused=top,
            referenced={hit.id: boost for hit, boost in referenced},
            overview=frozenset(hit_id for hit_id, hit in hits.items() if is_overview(hit)),
            restating=frozenset(hit_id for hit_id, hit in hits.items() if is_restating(hit)),
        )
        beyond = "" if held else self._beyond_last_article(refs, query)
        return Candidates(query, hits, fused, margin, named, context, beyond)

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


# "Article 12", "Art. 7", "Articles 46–54", "articolo 18": the article numbers a text heads or mentions, both ends of
# a range included (core.legal_refs.ARTICLE_MENTION reads one article with its branch and paragraph instead).
_ARTICLE_MENTION = re.compile(r"\bart(?:icles?|icol[oi]|t?\.)?\s*(\d+)(?:\s*[–-]\s*(\d+)\b)?", re.IGNORECASE)

# Why a question is not covered when only the similarity threshold keeps it out (the other guards give their own).
TOO_FAR = "no passage in the knowledge base is close enough to the question"

# Acronyms users write for instruments the references module understands, even if the texts never spell them.
KNOWN_ACRONYMS = ("CRC", "UNCRC", "CETS", "ECHR", "CEDU", "CJEU", "ECTHR", "GRETA", "MSNA", "NGO", "ONG", "ONU")


# How many fused candidates the training script describes when no model is loaded yet.
RESCORED = 30
