"""Case-law patterns: counts by category, filters, the route network and the decisions behind each bar."""

from __future__ import annotations

from analysis.patterns import (
    RouteLeg,
    case_records,
    cases_for,
    cases_on,
    counts,
    filter_records,
    route_graph,
    route_legs,
    routes_dot,
)

DOCUMENTS = {
    "case_law/a.md": {"doc_type": "case_law", "title": "A", "jurisdiction": "IT", "meta": {
        "year": 2023, "exploitation_type": ["sexual_exploitation"], "route_countries": ["Nigeria", "Libya", "Italy"],
        "victim_age_group": "child", "outcome": "conviction"}},
    "case_law/b.md": {"doc_type": "case_law", "title": "B", "jurisdiction": "ECHR", "meta": {
        "year": 2010, "exploitation_type": ["sexual_exploitation", "labour_exploitation"],
        "route_countries": ["Nigeria", "Libya", "Italy"], "victim_age_group": "adult", "outcome": "violation"}},
    "legislation/law.md": {"doc_type": "legislation", "title": "Law", "jurisdiction": "EU", "meta": {}},
}  # fmt: skip


def test_counts_filters_and_cases_behind_a_bar() -> None:
    records = case_records(DOCUMENTS)
    assert [r.title for r in records] == ["B", "A"]
    assert counts(records, "exploitation_type") == [
        {"category": "sexual_exploitation", "cases": 2},
        {"category": "labour_exploitation", "cases": 1},
    ]
    assert [r.title for r in filter_records(records, ["IT"])] == ["A"]
    assert [r.title for r in filter_records(records, years=(2005, 2015))] == ["B"]
    assert [c["title"] for c in cases_for(records, "victim_age_group", "child")] == ["A"]


def test_route_network_weights_legs_by_decisions() -> None:
    graph = route_graph(case_records(DOCUMENTS))
    assert graph["Nigeria"]["Libya"]["weight"] == 2 and graph["Libya"]["Italy"]["weight"] == 2
    assert not graph.has_edge("Nigeria", "Italy")
    assert '"Nigeria" -> "Libya" [label="2", penwidth=3]' in routes_dot(graph)


def test_route_legs_come_as_data_with_the_decisions_behind_them() -> None:
    records = case_records(DOCUMENTS)
    legs = route_legs(route_graph(records))
    assert legs == [
        RouteLeg("Nigeria", "Libya", ("case_law/b.md", "case_law/a.md")),
        RouteLeg("Libya", "Italy", ("case_law/b.md", "case_law/a.md")),
    ]
    assert [leg.label for leg in legs] == ["Nigeria → Libya", "Libya → Italy"]
    assert [c["title"] for c in cases_on(filter_records(records, ["IT"]), legs[0])] == ["A"]
