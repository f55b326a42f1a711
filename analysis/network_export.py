"""Exports of the network for the tools investigators use: GraphML (Gephi, i2-style import) and CSV."""

from __future__ import annotations

import csv
import io
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


def graphml_text(network: Network) -> str:
    """The graph as GraphML text (for a download button)."""
    return "\n".join(nx.generate_graphml(export_graph(network)))


def csv_tables(network: Network) -> tuple[str, str]:
    """``nodes.csv`` (id, type, label, case, cases) and ``edges.csv`` (source, target, type, document) as text."""
    graph = export_graph(network)
    nodes, edges = io.StringIO(), io.StringIO()
    writer = csv.writer(nodes)
    writer.writerow(["id", "type", "label", "case", "cases"])
    for node, data in graph.nodes(data=True):
        writer.writerow(
            [node, data.get("type", ""), data.get("label", ""), data.get("case", ""), data.get("cases", "")]
        )
    writer = csv.writer(edges)
    writer.writerow(["source", "target", "type", "document"])
    for source, target, data in graph.edges(data=True):
        writer.writerow([source, target, data.get("type", ""), data.get("document", "")])
    return nodes.getvalue(), edges.getvalue()


def write_csv(network: Network, folder: Path) -> tuple[Path, Path]:
    """Write ``nodes.csv`` and ``edges.csv`` (see ``csv_tables``) into ``folder``."""
    paths = folder / "nodes.csv", folder / "edges.csv"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, text in zip(paths, csv_tables(network), strict=True):
            path.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"{folder}: cannot write the CSV files ({exc.strerror or exc})") from None
    return paths
