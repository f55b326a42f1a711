"""Networks page: the cases of the workspace linked by shared pseudonyms, their patterns, and each node's evidence."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, cast

import altair as alt
import pandas as pd
import streamlit as st

from analysis.case import CASE_EXTENSIONS
from analysis.cases_cli import build_intake
from analysis.intake import RECORD_EXTENSIONS, CaseIntake
from analysis.network import Network
from analysis.network_export import csv_tables, graphml_text
from analysis.network_patterns import analyse_workspace
from analysis.network_view import (
    cases_shown,
    default_workspace,
    documents_in_period,
    graph_rows,
    node_evidence,
    timeline_period,
    timeline_rows,
    view_subgraph,
)
from analysis.pseudonyms_keyed import Detector
from analysis.timeline import date_span
from analysis.workspace import DATABASE_FILE, Workspace
from app import auth
from app.i18n import error_text, t
from app.resources import get_assistant, get_scrubber, get_settings
from app.serve import upload_limit_mb
from core.errors import SafeBordersError

PAGE = "networks"
TYPE_COLOURS = {
    "case": "#1f3b73", "document": "#9aa5b1", "PERSON": "#d1495b", "PHONE": "#edae49", "IBAN": "#00798c",
    "PLATE": "#66a182", "EMAIL": "#8e6c8a", "ID_NUMBER": "#c17c74", "FISCAL_CODE": "#b07aa1", "ADDRESS": "#7f7f7f",
}  # fmt: skip


@st.cache_resource(show_spinner=False)
def _intake(folder: str) -> CaseIntake:
    """One intake per workspace, shared by the sessions (it adds one file at a time)."""
    detector = cast(Detector, get_scrubber())  # the Presidio scrubber detects as well as it scrubs
    return build_intake(get_settings(), Workspace(Path(folder)), detector, get_assistant().embedder)


def _add_documents(folder: Path, cases: list[str]) -> None:
    """Choose or create a case and add uploaded files to it, read in memory and stored scrubbed only."""
    with st.expander(t("net_add"), expanded=not cases):
        choice = st.selectbox(t("net_add_case"), cases, index=None, key="net_add_case",
                              placeholder=t("net_add_new_case"))  # fmt: skip
        case = st.text_input(t("net_add_name"), key="net_add_name") if choice is None else choice
        kinds = [extension[1:] for extension in (*CASE_EXTENSIONS, *RECORD_EXTENSIONS)]
        files = st.file_uploader(t("net_add_files"), type=kinds, accept_multiple_files=True, key="net_add_files",
                                 max_upload_size=upload_limit_mb(get_settings()))  # fmt: skip
        if not st.button(t("net_add_button"), key="net_add_go", disabled=not files):
            return
        if not case.strip():
            st.error(t("net_add_no_case"))
            return
        try:
            with st.spinner(t("net_add_working")):
                report = _intake(str(folder)).add_uploads(case, [(f.name, f.getvalue()) for f in files or []])
        except SafeBordersError as exc:
            st.error(error_text(exc))
            return
        if report.added:
            st.success(t("net_added", case=case.strip(), count=len(report.added), ids=", ".join(report.added)))
        if report.already:
            st.info(t("net_add_already", count=len(report.already)))
        for line in report.failed:
            st.error(line)


def _graph(network: Network, cases: list[str], kinds: list[str], documents: set[str]) -> str | None:
    """Draw the graph of the cases' documents; the node clicked (or None)."""
    nodes, edges = graph_rows(view_subgraph(network, cases, kinds, documents))
    if not nodes:
        return None
    present = [kind for kind in TYPE_COLOURS if any(node["type"] == kind for node in nodes)]
    colours = alt.Scale(domain=present, range=[TYPE_COLOURS[kind] for kind in present])
    pick = alt.selection_point(fields=["id"], name="node")
    lines = alt.Chart(pd.DataFrame(edges)).mark_rule(opacity=0.35).encode(x="x:Q", y="y:Q", x2="x2:Q", y2="y2:Q")
    points = (
        alt.Chart(pd.DataFrame(nodes))
        .mark_circle(size=160, opacity=0.95)
        .encode(x=alt.X("x:Q", axis=None), y=alt.Y("y:Q", axis=None),
                color=alt.Color("type:N", scale=colours, title=t("net_types")),
                tooltip=["label", "type", "id", "degree"])
        .add_params(pick)
    )  # fmt: skip
    labels = alt.Chart(pd.DataFrame(nodes)).mark_text(dy=-11, fontSize=10).encode(x="x:Q", y="y:Q", text="label:N")
    # The points come first: a layered chart whose first layer is the rules renders blank in the browser.
    event: Any = st.altair_chart(alt.layer(points, lines, labels).properties(height=520), width="stretch",
                                 on_select="rerun", key="net_graph")  # fmt: skip
    chosen = (event.get("selection") or {}).get("node") or [] if event else []
    return str(chosen[0]["id"]) if chosen else None


def _evidence(network: Network, clicked: str | None, cases: list[str]) -> None:
    options = sorted(n for n, d in network.graph.nodes(data=True) if d.get("type") != "document"
                     and (d.get("type") != "case" or d.get("label") in cases))  # fmt: skip
    if not options:
        return
    index = options.index(clicked) if clicked in options else 0
    node = st.selectbox(t("net_node_pick"), options, index=index, key="net_node")
    st.markdown(f"**{t('net_evidence', node=node)}**")
    rows = [{t("col_case"): r["case"], t("col_document"): r["document"], t("col_identifier"): r["identifier"],
             t("col_sentence"): r["text"]} for r in node_evidence(network, node)]  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _links_and_patterns(network: Network, cases: list[str]) -> None:
    """The links between the cases shown; the networks and patterns of the whole workspace."""
    data = network.to_json()
    st.subheader(t("net_links"))
    links = [link for link in data["links"] if set(link["cases"]) <= set(cases)]
    if not links:
        st.caption(t("net_no_links"))
    else:
        rows = [{t("col_cases"): " — ".join(link["cases"]), t("col_via"): ", ".join(link["via"])}
                for link in links]  # fmt: skip
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        st.markdown(f"**{t('net_networks')}**")
        for group in data["networks"]:
            st.markdown("- " + ", ".join(group))
    st.subheader(t("net_patterns"))
    if not data["patterns"]:
        st.caption(t("net_no_patterns"))
    for pattern in data["patterns"]:
        with st.expander(t(f"net_pattern_{pattern['kind']}")):
            rows = [{t("col_case"): e["case"], t("col_document"): e["document"], t("col_sentence"): e["text"],
                     t("col_detail"): e["detail"]} for e in pattern["evidence"]]  # fmt: skip
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _routes(network: Network, cases: list[str], documents: set[str]) -> None:
    st.subheader(t("net_routes"))
    rows = [{t("col_case"): r["case"], t("col_route"): " → ".join(r["places"]), t("col_document"): r["document"],
             t("col_sentence"): r["evidence"]} for r in network.routes
            if r["case"] in cases and r["document"] in documents]  # fmt: skip
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.caption(t("net_no_routes"))


def _period(span: tuple[date, date] | None) -> tuple[date, date] | None:
    """The period chosen on the sidebar's slider (None: the whole timeline, undated documents included)."""
    if span is None or span[0] == span[1]:
        return None
    chosen = st.slider(t("net_period"), min_value=span[0], max_value=span[1], value=span, format="DD/MM/YYYY",
                       key="net_period", help=t("net_period_help"))  # fmt: skip
    first, last = chosen
    return None if (first, last) == span else (first, last)


def _timeline(network: Network, cases: list[str], period: tuple[date, date] | None) -> None:
    """The dated events of the cases shown: a chart of dates by case, and the sentence behind each date."""
    st.subheader(t("net_timeline"))
    events = timeline_rows(network, cases, period)
    if not events:
        st.caption(t("net_no_timeline"))
        return
    st.caption(t("net_timeline_caption"))
    points = pd.DataFrame([{"day": date_span(e["date"])[0].isoformat(), "case": e["case"], "date": e["date"],
                            "document": e["document"]} for e in events])  # fmt: skip
    chart = (
        alt.Chart(points, title=t("net_timeline_chart"))
        .mark_circle(size=90, opacity=0.85)
        .encode(x=alt.X("day:T", title=t("col_date"), axis=alt.Axis(format="%m/%Y")),
                y=alt.Y("case:N", title=t("col_case")),
                tooltip=[alt.Tooltip("date:N", title=t("col_date")), alt.Tooltip("case:N", title=t("col_case")),
                         alt.Tooltip("document:N", title=t("col_document"))])
    )  # fmt: skip
    st.altair_chart(chart, width="stretch")
    rows = [{t("col_date"): e["date"], t("col_case"): e["case"], t("col_document"): e["document"],
             t("col_sentence"): e["evidence"]} for e in events]  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _exports(network: Network) -> None:
    st.subheader(t("net_export"))
    nodes, edges = csv_tables(network)
    left, middle, right = st.columns(3)
    left.download_button(t("net_export_graphml"), graphml_text(network), "network.graphml", "application/xml")
    middle.download_button(t("net_export_nodes"), nodes, "nodes.csv", "text/csv")
    right.download_button(t("net_export_edges"), edges, "edges.csv", "text/csv")


auth.require_page(PAGE)
st.title(t("net_title"))
st.caption(t("net_intro"))
folder = default_workspace(get_settings())
_add_documents(folder, Workspace(folder).cases() if (folder / DATABASE_FILE).is_file() else [])
if not (folder / DATABASE_FILE).is_file():
    st.info(t("net_empty", folder=folder))
    st.stop()
try:
    network = analyse_workspace(Workspace(folder))
except SafeBordersError as exc:
    st.error(error_text(exc))
    st.stop()
kinds_present = sorted({d.get("type", "") for _, d in network.graph.nodes(data=True)} - {"case", "document"})
with st.sidebar:
    chosen = st.multiselect(t("net_cases"), network.cases, default=network.cases, key="net_cases")
    kinds = st.multiselect(t("net_types"), kinds_present, default=kinds_present, key="net_kinds")
    period = _period(timeline_period(network))
documents = documents_in_period(network, period)
cases = cases_shown(network, chosen, documents)
st.caption(t("net_shown", cases=len(cases), nodes=network.graph.number_of_nodes(), links=len(network.links)))
if period is not None:
    st.caption(t("net_period_shown", first=period[0].strftime("%d/%m/%Y"), last=period[1].strftime("%d/%m/%Y")))
st.markdown(f"**{t('net_graph')}**")
clicked = _graph(network, cases, kinds, documents)
_evidence(network, clicked, cases)
_timeline(network, cases, period)
_routes(network, cases, documents)
_links_and_patterns(network, cases)
_exports(network)
