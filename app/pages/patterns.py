"""Patterns page: case-law counts by category, trafficking routes as a network, and the decisions behind each."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from analysis.patterns import DIMENSIONS, case_records, cases_for, counts, filter_records, route_graph, routes_dot
from app import auth
from app.index_view import read_manifest
from app.resources import get_settings

PAGE = "patterns"
TITLES = {
    "exploitation_type": "Form of exploitation",
    "recruitment_method": "Recruitment method",
    "victim_age_group": "Victim age group",
    "outcome": "Outcome",
}


def _require_role() -> dict[str, Any]:
    return auth.require_page(PAGE)


def _chart(records: list[Any], dimension: str) -> None:
    rows = counts(records, dimension)
    st.markdown(f"**{TITLES[dimension]}**")
    if not rows:
        st.caption("No decisions state this.")
        return
    data = pd.DataFrame(rows)
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("cases:Q", title="decisions", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("category:N", sort="-x", title=None),
            tooltip=["category", "cases"],
        )
    )
    st.altair_chart(chart, use_container_width=True)
    chosen = st.selectbox(
        "Decisions behind", [row["category"] for row in rows], key=f"pick_{dimension}",
        format_func=lambda c: c.replace("_", " "),
    )  # fmt: skip
    st.dataframe(pd.DataFrame(cases_for(records, dimension, chosen)), hide_index=True, use_container_width=True)


_require_role()
st.title("Patterns across the case law")
manifest = read_manifest(get_settings().index_dir)
records = case_records(manifest.documents) if manifest is not None else []
if not records:
    st.info("No case-law decisions are indexed yet. Build the index from the knowledge base first.")
    st.stop()
years = [r.year for r in records if r.year is not None]
with st.sidebar:
    places = st.multiselect("Jurisdiction", sorted({r.jurisdiction for r in records if r.jurisdiction}), key="pat_j")
    period = (min(years), max(years)) if years else None
    if years and min(years) < max(years):
        period = st.slider("Period", min(years), max(years), (min(years), max(years)), key="pat_years")
shown = filter_records(records, places, period)
st.caption(f"{len(shown)} of {len(records)} decisions")
for dimension in DIMENSIONS:
    _chart(shown, dimension)
st.markdown("**Routes (origin → transit → destination)**")
graph = route_graph(shown)
if graph.number_of_edges():
    st.graphviz_chart(routes_dot(graph))
    legs = [f"{a} → {b}" for a, b in graph.edges]
    leg = st.selectbox("Decisions behind", legs, key="pick_route")
    origin, destination = leg.split(" → ")
    sources = set(graph[origin][destination]["sources"])
    st.dataframe(
        pd.DataFrame([{"title": r.title, "source": r.source, "jurisdiction": r.jurisdiction, "year": r.year}
                      for r in shown if r.source in sources]),
        hide_index=True, use_container_width=True,
    )  # fmt: skip
else:
    st.caption("No routes recorded for these decisions.")
