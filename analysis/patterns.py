"""Patterns across the case-law collection: counts by category, routes as a country network, cases behind each."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

DIMENSIONS: tuple[str, ...] = ("exploitation_type", "recruitment_method", "victim_age_group", "outcome")


@dataclass(frozen=True)
class CaseRecord:
    """One decision of the case-law collection, from the index manifest's front-matter."""

    source: str
    title: str
    jurisdiction: str
    year: int | None
    meta: dict[str, Any]

    def values(self, dimension: str) -> list[str]:
        """The decision's values for a dimension (lists stay lists; a single value becomes a one-item list)."""
        value = self.meta.get(dimension)
        if value is None or value == "":
            return []
        return [str(item) for item in value] if isinstance(value, list) else [str(value)]

    @property
    def route(self) -> list[str]:
        return self.values("route_countries")


def case_records(documents: dict[str, dict[str, Any]]) -> list[CaseRecord]:
    """The case-law documents of a manifest (``manifest.documents``), sorted by year then title."""
    records = []
    for source, doc in documents.items():
        if doc.get("doc_type") != "case_law":
            continue
        meta = dict(doc.get("meta") or {})
        year = meta.get("year") or str(doc.get("date", ""))[:4]
        try:
            year_value: int | None = int(year)
        except (TypeError, ValueError):
            year_value = None
        records.append(CaseRecord(source, str(doc.get("title") or source), str(doc.get("jurisdiction") or ""),
                                  year_value, meta))  # fmt: skip
    return sorted(records, key=lambda r: (r.year or 0, r.title))


def filter_records(
    records: Iterable[CaseRecord], jurisdictions: Iterable[str] = (), years: tuple[int, int] | None = None
) -> list[CaseRecord]:
    """Decisions of the chosen jurisdictions (all when none is chosen) within the year range (inclusive)."""
    wanted = set(jurisdictions)
    kept = []
    for record in records:
        if wanted and record.jurisdiction not in wanted:
            continue
        if years is not None and (record.year is None or not years[0] <= record.year <= years[1]):
            continue
        kept.append(record)
    return kept


def counts(records: Iterable[CaseRecord], dimension: str) -> list[dict[str, Any]]:
    """Rows {category, cases} for a bar chart, most frequent first (a decision counts once per category)."""
    counter: Counter[str] = Counter()
    for record in records:
        counter.update(set(record.values(dimension)))
    return [{"category": category, "cases": n} for category, n in sorted(counter.items(), key=lambda i: (-i[1], i[0]))]


@dataclass(frozen=True)
class RouteLeg:
    """One leg of the route network, from a country to the next, with the decisions that record it."""

    origin: str
    destination: str
    sources: tuple[str, ...]

    @property
    def label(self) -> str:
        """ "Nigeria → Libya"."""
        return f"{self.origin} → {self.destination}"


def _case_row(record: CaseRecord) -> dict[str, Any]:
    return {"title": record.title, "source": record.source, "jurisdiction": record.jurisdiction, "year": record.year}


def cases_for(records: Iterable[CaseRecord], dimension: str, category: str) -> list[dict[str, Any]]:
    """The decisions behind one bar: title, source, jurisdiction and year."""
    return [_case_row(r) for r in records if category in r.values(dimension)]


def route_legs(graph: nx.DiGraph) -> list[RouteLeg]:
    """The legs of a route network (``route_graph``), in the order they were first recorded."""
    return [
        RouteLeg(origin, destination, tuple(data["sources"])) for origin, destination, data in graph.edges(data=True)
    ]


def cases_on(records: Iterable[CaseRecord], leg: RouteLeg) -> list[dict[str, Any]]:
    """The decisions behind one route leg: title, source, jurisdiction and year."""
    sources = set(leg.sources)
    return [_case_row(r) for r in records if r.source in sources]


def route_graph(records: Iterable[CaseRecord]) -> nx.DiGraph:
    """Countries as nodes, origin → transit → destination legs as edges weighted by the number of decisions."""
    graph = nx.DiGraph()
    for record in records:
        route = record.route
        for country in dict.fromkeys(route):
            graph.add_node(country)
            graph.nodes[country]["cases"] = graph.nodes[country].get("cases", 0) + 1
        for origin, destination in dict.fromkeys(itertools.pairwise(route)):
            if origin == destination:
                continue
            if graph.has_edge(origin, destination):
                graph[origin][destination]["weight"] += 1
                graph[origin][destination]["sources"].append(record.source)
            else:
                graph.add_edge(origin, destination, weight=1, sources=[record.source])
    return graph


def routes_dot(graph: nx.DiGraph) -> str:
    """Graphviz DOT text of the route network; thicker arrows for legs shared by more decisions."""
    lines = ["digraph routes {", '  rankdir=LR; node [shape=ellipse, style=filled, fillcolor="#fdf1e3"];']
    for node, data in graph.nodes(data=True):
        lines.append(f'  "{_dot(node)}" [label="{_dot(node)} ({data.get("cases", 0)})"];')
    for origin, destination, data in graph.edges(data=True):
        weight = int(data.get("weight", 1))
        lines.append(f'  "{_dot(origin)}" -> "{_dot(destination)}" [label="{weight}", penwidth={1 + weight}];')
    lines.append("}")
    return "\n".join(lines)


def _dot(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace('"', '\\"')
