"""Patterns across the case-law collection: counts by category, routes as a country network, cases behind each."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from analysis.elements import PURPOSE_OF
from analysis.similar import RECRUITMENT_OF
from analysis.workspace import StoredDocument

DIMENSIONS: tuple[str, ...] = ("exploitation_type", "recruitment_method", "victim_age_group", "outcome")


@dataclass(frozen=True)
class CaseRecord:
    """One decision of the case-law collection, from the index manifest's front-matter."""

    source: str
    title: str
    jurisdiction: str
    year: int | None
    meta: dict[str, Any]
    journeys: tuple[tuple[str, ...], ...] = ()  # routes read from analysed documents; else the front-matter's

    def values(self, dimension: str) -> list[str]:
        """The decision's values for a dimension (lists stay lists; a single value becomes a one-item list)."""
        value = self.meta.get(dimension)
        if value is None or value == "":
            return []
        return [str(item) for item in value] if isinstance(value, list) else [str(value)]

    @property
    def route(self) -> list[str]:
        return self.values("route_countries")

    @property
    def routes(self) -> list[list[str]]:
        """The routes behind the record: those its documents tell, or the front-matter's one route."""
        return [list(journey) for journey in self.journeys] if self.journeys else [self.route]


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


def workspace_records(cases: Iterable[str], documents: Iterable[StoredDocument]) -> list[CaseRecord]:
    """One record per case of a workspace, from its analysed documents: forms of exploitation and recruitment
    methods from the indicators found, the victims' age group, and the routes the texts tell."""
    found: dict[str, dict[str, set[str]]] = {case: defaultdict(set) for case in cases}
    journeys: dict[str, dict[tuple[str, ...], None]] = defaultdict(dict)
    for document in documents:
        meta = found.setdefault(document.case, defaultdict(set))
        for match in document.analysis.get("indicators", []):
            meta["exploitation_type"].update([PURPOSE_OF[match["id"]]] if match["id"] in PURPOSE_OF else [])
            meta["recruitment_method"].update([RECRUITMENT_OF[match["id"]]] if match["id"] in RECRUITMENT_OF else [])
        if document.kind == "narrative":
            meta["victim_age_group"].add("child" if document.analysis.get("child_victim") else "adult")
        journeys[document.case].update(dict.fromkeys(tuple(r["places"]) for r in document.analysis.get("routes", [])))
    records = []
    for case, meta in found.items():
        ages = meta.pop("victim_age_group", set())
        values: dict[str, Any] = {key: sorted(items) for key, items in meta.items()}
        if ages:  # a child victim in any document makes it a case about a child
            values["victim_age_group"] = "child" if "child" in ages else "adult"
        records.append(CaseRecord(case, case, "", None, values, tuple(journeys[case])))
    return records


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
        routes = record.routes
        for country in dict.fromkeys(place for route in routes for place in route):
            graph.add_node(country)
            graph.nodes[country]["cases"] = graph.nodes[country].get("cases", 0) + 1
        for origin, destination in dict.fromkeys(leg for route in routes for leg in itertools.pairwise(route)):
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
