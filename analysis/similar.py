"""The case-law decisions most similar to the analysed case, grouped by document, with what they share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from analysis.elements import PURPOSE_OF
from analysis.indicators import IndicatorMatch
from analysis.knowledge import Searcher
from rag.search import Filters

# Recruitment methods as named in the case-law front-matter (recruitment_method), with the indicators showing them.
RECRUITMENT_OF: dict[str, str] = {
    "recruited_by_deception": "false_job_offer",
    "online_job_ad_recruitment": "online_advertisement",
    "online_grooming_loverboy": "loverboy_online",
    "debt_bondage": "debt_bondage_migration",
    "bride_price": "family_sold",
    "illegal_adoption_sale_of_child": "family_sold",
}
CASE_LAW = Filters(doc_types=("case_law",))


@dataclass
class SimilarCase:
    """One decision of the case-law collection with the passages that matched and what it shares with the case."""

    source: str
    title: str
    score: float
    passages: list[dict[str, Any]] = field(default_factory=list)
    shared: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source, "title": self.title, "score": round(self.score, 4), "shared": self.shared,
            "court": self.meta.get("court", ""), "year": self.meta.get("year"), "outcome": self.meta.get("outcome", ""),
            "passages": self.passages,
        }  # fmt: skip


def case_profile(matches: Sequence[IndicatorMatch], child: bool) -> dict[str, set[str]]:
    """Exploitation types, recruitment methods and victim age group of the case, in front-matter vocabulary."""
    ids = [match.indicator.id for match in matches]
    return {
        "exploitation_type": {PURPOSE_OF[i] for i in ids if i in PURPOSE_OF},
        "recruitment_method": {RECRUITMENT_OF[i] for i in ids if i in RECRUITMENT_OF},
        "victim_age_group": {"child"} if child else set(),
    }


def similar_query(matches: Sequence[IndicatorMatch], child: bool) -> str:
    """The search text: the found indicators' labels and forms of exploitation."""
    profile = case_profile(matches, child)
    words = [match.indicator.label for match in matches]
    words += [form.replace("_", " ") for form in sorted(profile["exploitation_type"])]
    if child:
        words.append("child victim")
    return "; ".join(words)


def find_similar(
    searcher: Searcher,
    matches: Sequence[IndicatorMatch],
    child: bool,
    documents: Mapping[str, Mapping[str, Any]],
    *,
    limit: int = 5,
) -> list[SimilarCase]:
    """Search the case-law collection with the case's profile and group the hits by decision.

    Args:
        searcher: the search over the knowledge base.
        matches: the indicators found in the case; with none, nothing is searched.
        child: whether the case concerns a child.
        documents: the index manifest's documents (for each decision's front-matter ``meta``).
        limit: the most decisions returned.
    """
    if not matches:
        return []
    hits = searcher.search(similar_query(matches, child), k=20, filters=CASE_LAW)
    profile = case_profile(matches, child)
    grouped: dict[str, SimilarCase] = {}
    for hit in hits:
        source = hit.source
        if not source:
            continue
        entry = grouped.get(source)
        if entry is None:
            meta = dict(documents.get(source, {}).get("meta", {}))
            entry = grouped[source] = SimilarCase(
                source, hit.title, hit.score, meta=meta, shared=_shared(profile, meta)
            )
        entry.score = max(entry.score, hit.score)
        if len(entry.passages) < 2:
            entry.passages.append({"section": hit.section, "page": hit.page, "text": hit.text[:500]})
    ranked = sorted(grouped.values(), key=lambda case: (-sum(map(len, case.shared.values())), -case.score))
    return ranked[:limit]


def _shared(profile: dict[str, set[str]], meta: dict[str, Any]) -> dict[str, list[str]]:
    shared: dict[str, list[str]] = {}
    for key, values in profile.items():
        theirs = meta.get(key, [])
        theirs = {theirs} if isinstance(theirs, str) else set(theirs or [])
        common = sorted(values & theirs)
        if common:
            shared[key] = common
    return shared
