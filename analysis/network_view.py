"""What the Networks page draws: node and edge rows with positions, filtered by case and type, and a node's evidence."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from analysis.network import Network
from analysis.network_patterns import Evidence
from analysis.timeline import date_span, in_period
from core.settings import Settings

WORKSPACE_FOLDER = "cases"


def default_workspace(settings: Settings) -> Path:
    """The app's case workspace: ``cases`` in the data folder (the pseudonym key lives in its ``secrets``)."""
    return settings.data_dir / WORKSPACE_FOLDER


def short_label(node: str, data: dict[str, Any]) -> str:
    """A readable label: the case name, the document id, or the kind and six digits of a pseudonym."""
    if data.get("type") in ("case", "document"):
        return str(data.get("label", node))
    kind, _, digest = node.partition("-")
    return f"{kind} {digest[:6]}"


def timeline_period(network: Network) -> tuple[date, date] | None:
    """The first and last day the timeline covers (None when no document states a date)."""
    if not network.timeline:
        return None
    spans = [date_span(event["date"]) for event in network.timeline]
    return min(first for first, _ in spans), max(last for _, last in spans)


def documents_in_period(network: Network, period: tuple[date, date] | None) -> set[str]:
    """The documents with an event in the period; one that states no date goes with its case (shown when another
    document of the case is in the period, or when no document of the case states a date)."""
    if period is None:
        return set(network.documents)
    dated: dict[str, set[str]] = {}
    for event in network.timeline:
        dated.setdefault(event["document"], set()).add(event["date"])
    inside = {d for d, dates in dated.items() if any(in_period(iso, *period) for iso in dates)}
    cases_dated = {network.documents[d].case for d in dated}
    cases_inside = {network.documents[d].case for d in inside}
    undated = {d.id for d in network.documents.values() if d.id not in dated
               and (d.case in cases_inside or d.case not in cases_dated)}  # fmt: skip
    return inside | undated


def cases_shown(network: Network, cases: Collection[str], documents: Collection[str]) -> list[str]:
    """The chosen cases that have a document among ``documents``, in the workspace's order."""
    with_documents = {network.documents[d].case for d in documents}
    return [case for case in network.cases if case in cases and case in with_documents]


def timeline_rows(network: Network, cases: Collection[str], period: tuple[date, date] | None) -> list[dict[str, Any]]:
    """The timeline's events of ``cases`` within the period (all when None), earliest first."""
    return [event for event in network.timeline if event["case"] in cases
            and (period is None or in_period(event["date"], *period))]  # fmt: skip


def view_subgraph(
    network: Network, cases: Collection[str], kinds: Collection[str], documents: Collection[str] | None = None
) -> nx.Graph:
    """The part of the graph about ``cases`` (documents, and what they mention) with nodes of ``kinds`` only;
    with ``documents``, only those documents and the relations they tell."""
    kept = {d.id for d in network.documents.values() if d.case in cases and (documents is None or d.id in documents)}
    keep = {f"case:{network.documents[d].case}" for d in kept} | {f"case:{c}" for c in cases if documents is None}
    keep |= kept | {n for d in kept for n in network.graph.neighbors(d)}
    allowed = {n for n in keep if network.graph.nodes[n].get("type") in {*kinds, "case", "document"}}
    graph = network.graph.subgraph(allowed)
    if documents is None:
        return graph

    def told_in_kept(a: str, b: str) -> bool:  # a relation between people shows when its document does
        source = graph[a][b].get("document")
        return source is None or source in kept

    return nx.subgraph_view(graph, filter_edge=told_in_kept)


def graph_rows(graph: nx.Graph, seed: int = 7) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Node rows (id, label, type, x, y, degree) and edge rows (x, y, x2, y2, type) for a chart."""
    if graph.number_of_nodes() == 0:
        return [], []
    positions = nx.spring_layout(graph, seed=seed, k=1.5 / max(1, graph.number_of_nodes()) ** 0.5)
    nodes = [
        {"id": node, "label": short_label(node, data), "type": data.get("type", ""),
         "x": float(positions[node][0]), "y": float(positions[node][1]), "degree": graph.degree(node)}
        for node, data in graph.nodes(data=True)
    ]  # fmt: skip
    edges = [
        {"x": float(positions[a][0]), "y": float(positions[a][1]), "x2": float(positions[b][0]),
         "y2": float(positions[b][1]), "type": data.get("type", "")}
        for a, b, data in graph.edges(data=True)
    ]  # fmt: skip
    return nodes, edges


def node_evidence(network: Network, node: str) -> list[dict[str, Any]]:
    """What stands behind a node: for a pseudonym, each document naming it with its sentence; for a case or a
    document, the identifiers it holds."""
    data = network.graph.nodes.get(node, {})
    evidence = Evidence(network)
    if data.get("type") == "case":
        documents = [d for d in network.documents.values() if f"case:{d.case}" == node]
    elif data.get("type") == "document":
        documents = [network.documents[node]]
    else:
        documents = [network.documents[d] for d in network.graph.neighbors(node) if d in network.documents]
        return [evidence.item(document, node.partition("@")[0]) for document in documents]
    return [evidence.item(document, mention.identifier) for document in documents
            for mention in document.mentions.values() if mention.linking]  # fmt: skip
