"""What the Networks page draws: node and edge rows with positions, filtered by case and type, and a node's evidence."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import networkx as nx

from analysis.network import Network
from analysis.network_patterns import Evidence
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


def view_subgraph(network: Network, cases: Collection[str], kinds: Collection[str]) -> nx.Graph:
    """The part of the graph about ``cases`` (documents, and what they mention) with nodes of ``kinds`` only."""
    documents = {d.id for d in network.documents.values() if d.case in cases}
    keep = {f"case:{case}" for case in cases} | documents
    keep |= {n for d in documents for n in network.graph.neighbors(d)}
    allowed = {n for n in keep if network.graph.nodes[n].get("type") in {*kinds, "case", "document"}}
    return network.graph.subgraph(allowed)


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
