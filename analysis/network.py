"""The network across cases: documents, identifiers and people as a graph; linked cases, networks and brokers."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from analysis.pseudonyms_keyed import Mention, render
from analysis.workspace import StoredDocument

BROKERS_SHOWN = 5


@dataclass
class Identifier:
    """One keyed identifier and where it appears."""

    id: str
    kind: str
    cases: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.kind, "cases": sorted(self.cases), "documents": _by_number(self.documents)}


@dataclass
class Network:
    """The workspace's graph and what is read from it; patterns are added by ``analysis.network_patterns``."""

    graph: nx.Graph
    cases: list[str]
    documents: dict[str, StoredDocument]
    identifiers: dict[str, Identifier]
    links: dict[tuple[str, str], list[str]]
    networks: list[list[str]]
    brokers: list[tuple[str, float]]
    routes: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    patterns: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The shape ``python -m analysis network --json`` prints."""
        return {
            "cases": list(self.cases),
            "identifiers": [self.identifiers[key].to_json() for key in sorted(self.identifiers)],
            "links": [{"cases": [a, b], "via": sorted(via)} for (a, b), via in sorted(self.links.items())],
            "networks": [list(group) for group in self.networks],
            "routes": list(self.routes),
            "timeline": list(self.timeline),
            "patterns": list(self.patterns),
        }


def _by_number(document_ids: set[str]) -> list[str]:
    return sorted(document_ids, key=lambda d: int(d[1:]))


def build_network(cases: Sequence[str], documents: Sequence[StoredDocument]) -> Network:
    """The graph of a workspace: case — document — identifier nodes, and the relations between people.

    Cases are linked by the identifiers that link (phones, accounts, plates, e-mails, ID numbers, full names)
    found in both; a network is a group of cases connected through such links; a broker is an identifier
    between cases (betweenness on the case — identifier graph).
    """
    graph = nx.Graph()
    identifiers: dict[str, Identifier] = {}
    for case in cases:
        graph.add_node(f"case:{case}", type="case", label=case)
    for document in documents:
        graph.add_node(document.id, type="document", label=document.id, case=document.case, kind=document.kind)
        graph.add_edge(f"case:{document.case}", document.id, type="contains")
        for mention in document.mentions.values():
            if mention.kind == "PERSON" or mention.linking:
                node = node_id(document, mention)
                graph.add_node(node, type=mention.kind, label=node)
                graph.add_edge(document.id, node, type="mentions")
            if mention.linking:
                found = identifiers.setdefault(mention.identifier, Identifier(mention.identifier, mention.kind))
                found.cases.add(document.case)
                found.documents.add(document.id)
        _add_relations(graph, document)
    links = _links(identifiers)
    return Network(graph, list(cases), {d.id: d for d in documents}, identifiers, links, _networks(links),
                   _brokers(identifiers), case_routes(documents), case_timeline(documents))  # fmt: skip


def case_routes(documents: Sequence[StoredDocument]) -> list[dict[str, Any]]:
    """The routes the documents tell, each once per case, with its sentence in keyed pseudonyms."""
    routes: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
    for document in documents:
        for route in document.analysis.get("routes", []):
            routes.setdefault((document.case, tuple(route["places"])), {
                "case": document.case, "document": document.id, "places": list(route["places"]),
                "evidence": render(route["evidence"], document.mentions)})  # fmt: skip
    return list(routes.values())


def case_timeline(documents: Sequence[StoredDocument]) -> list[dict[str, Any]]:
    """The dated events of every document, earliest first (a year before its months, a month before its days),
    each with its case, document and sentence in keyed pseudonyms."""
    events = [
        {"case": document.case, "date": event["date"], "document": document.id,
         "evidence": render(event["evidence"], document.mentions)}
        for document in documents for event in document.analysis.get("timeline", [])
    ]  # fmt: skip
    return sorted(events, key=lambda event: (event["date"], event["case"], int(event["document"][1:])))


def node_id(document: StoredDocument, mention: Mention) -> str:
    """A mention's node: its pseudonym, or for a value that does not link (a given name alone) the pseudonym within
    this document, so that two "Blessing"s of two cases are two people in the graph."""
    return mention.identifier if mention.linking else f"{mention.identifier}@{document.id}"


def person_id(document: StoredDocument, placeholder: str) -> str | None:
    """The node of a person placeholder of this document, if the document has it."""
    mention: Mention | None = document.mentions.get(placeholder)
    return node_id(document, mention) if mention is not None else None


def _add_relations(graph: nx.Graph, document: StoredDocument) -> None:
    """The case analysis's relations (recruited, paid, …) and the records' events, as edges between pseudonyms."""
    pairs = [(r["source"], r["target"], r["type"]) for r in document.analysis.get("relations", [])]
    for event in document.analysis.get("events", []):
        pairs += [(a, b, event["kind"]) for a in event["from"] for b in event["to"]]
    for source, target, kind in pairs:
        a, b = person_id(document, source), person_id(document, target)
        if a and b and a != b:
            graph.add_node(a, type=document.mentions[source].kind, label=a)
            graph.add_node(b, type=document.mentions[target].kind, label=b)
            graph.add_edge(a, b, type=kind, document=document.id)


def _links(identifiers: dict[str, Identifier]) -> dict[tuple[str, str], list[str]]:
    links: dict[tuple[str, str], list[str]] = defaultdict(list)
    for identifier in identifiers.values():
        for pair in itertools.combinations(sorted(identifier.cases), 2):
            links[pair].append(identifier.id)
    return dict(links)


def _networks(links: dict[tuple[str, str], list[str]]) -> list[list[str]]:
    cases = nx.Graph(list(links))
    return sorted(sorted(group) for group in nx.connected_components(cases))


def _brokers(identifiers: dict[str, Identifier]) -> list[tuple[str, float]]:
    """The identifiers that most stand between cases: betweenness on the graph of cases and shared identifiers.

    Computed within each network (connected group), where a broker brokers: the same figures as on the whole
    graph up to normalisation, and as fast as the largest network allows.
    """
    bridge = nx.Graph()
    for identifier in identifiers.values():
        if len(identifier.cases) >= 2:
            bridge.add_edges_from((identifier.id, f"case:{case}") for case in identifier.cases)
    scores: dict[str, float] = {}
    for group in nx.connected_components(bridge):
        if sum(node.startswith("case:") for node in group) >= 3:  # between two cases, everything shared is "between"
            scores.update(nx.betweenness_centrality(bridge.subgraph(group), normalized=True))
    ranked = sorted(
        ((node, score) for node, score in scores.items() if not node.startswith("case:") and score > 0),
        key=lambda item: (-item[1], item[0]),
    )
    return [(node, round(score, 4)) for node, score in ranked[:BROKERS_SHOWN]]
