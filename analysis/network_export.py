"""Exports of the network for the tools investigators use: GraphML (Gephi, i2-style import) and CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

from analysis.network import Network
from core.errors import InputError


def export_graph(network: Network) -> nx.Graph:
    """The network's graph with every attribute a string (GraphML holds no lists) and each identifier's cases."""
    graph = nx.Graph()
    for node, data in network.graph.nodes(data=True):
        attributes = {key: str(value) for key, value in data.items()}
        if node in network.identifiers:
            attributes["cases"] = ";".join(sorted(network.identifiers[node].cases))
        graph.add_node(node, **attributes)
    for source, target, data in network.graph.edges(data=True):
        graph.add_edge(source, target, **{key: str(value) for key, value in data.items()})
    return graph


def write_graphml(network: Network, path: Path) -> None:
    """Write the graph as GraphML (reads back with ``networkx.read_graphml``)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        nx.write_graphml(export_graph(network), path)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the GraphML file ({exc.strerror or exc})") from None


def write_csv(network: Network, folder: Path) -> tuple[Path, Path]:
    """Write ``nodes.csv`` (id, type, label, case, cases) and ``edges.csv`` (source, target, type, document)."""
    graph = export_graph(network)
    nodes, edges = folder / "nodes.csv", folder / "edges.csv"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with nodes.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "type", "label", "case", "cases"])
            for node, data in graph.nodes(data=True):
                writer.writerow([node, data.get("type", ""), data.get("label", ""), data.get("case", ""),
                                 data.get("cases", "")])  # fmt: skip
        with edges.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["source", "target", "type", "document"])
            for source, target, data in graph.edges(data=True):
                writer.writerow([source, target, data.get("type", ""), data.get("document", "")])
    except OSError as exc:
        raise InputError(f"{folder}: cannot write the CSV files ({exc.strerror or exc})") from None
    return nodes, edges
