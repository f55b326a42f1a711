"""Patterns page: case-law counts by category, trafficking routes as a network, and the decisions behind each."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from analysis.names import name
from analysis.network_view import default_workspace
from analysis.patterns import (
    DIMENSIONS,
    case_records,
    cases_for,
    cases_on,
    counts,
    filter_records,
    route_graph,
    route_legs,
    routes_dot,
    workspace_records,
)
from analysis.workspace import DATABASE_FILE, Workspace
from app import auth
from app.i18n import current_language, error_text, t
from app.index_view import read_manifest
from app.resources import get_settings
from core.errors import SafeBordersError

PAGE = "patterns"


def _require_role() -> dict[str, Any]:
    return auth.require_page(PAGE)


def _table(rows: list[dict[str, Any]]) -> None:
    """The decisions behind a bar or a route leg, with the columns named in the reader's language."""
    columns = {"title": "col_title", "source": "col_source", "jurisdiction": "col_jurisdiction", "year": "col_year"}
    frame = pd.DataFrame(rows, columns=list(columns)).rename(columns={k: t(v) for k, v in columns.items()})
    st.dataframe(frame, hide_index=True, width="stretch")


def _chart(records: list[Any], dimension: str, language: str) -> None:
    rows = counts(records, dimension)
    st.markdown(f"**{t(f'pat_{dimension}')}**")
    if not rows:
        st.caption(t("pat_none_stated"))
        return
    data = pd.DataFrame([{**row, "label": name(dimension, row["category"], language)} for row in rows])
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("cases:Q", title=t("pat_decisions_axis"), axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("label:N", sort="-x", title=None),
            tooltip=[
                alt.Tooltip("label:N", title=t("pat_category")),
                alt.Tooltip("cases:Q", title=t("pat_decisions_axis")),
            ],
        )
    )
    st.altair_chart(chart, width="stretch")
    chosen = st.selectbox(
        t("pat_decisions_behind"), [row["category"] for row in rows], key=f"pick_{dimension}",
        format_func=lambda category: name(dimension, category, language),
    )  # fmt: skip
    _table(cases_for(records, dimension, chosen))


def _records() -> tuple[list[Any], str]:
    """The analysed documents' cases when the workspace has any; else the case law's front-matter."""
    folder = default_workspace(get_settings())
    if (folder / DATABASE_FILE).is_file():
        workspace = Workspace(folder)
        documents = workspace.documents()
        if documents:
            return workspace_records(workspace.cases(), documents), t("pat_from_documents", documents=len(documents))
    manifest = read_manifest(get_settings().index_dir)
    return (case_records(manifest.documents) if manifest is not None else []), t("pat_from_front_matter")


_require_role()
st.title(t("pat_title"))
try:
    records, basis = _records()
except SafeBordersError as exc:
    st.error(error_text(exc))
    st.stop()
if not records:
    st.info(t("pat_no_records"))
    st.stop()
years = [r.year for r in records if r.year is not None]
with st.sidebar:
    places = st.multiselect(
        t("pat_jurisdiction"), sorted({r.jurisdiction for r in records if r.jurisdiction}), key="pat_j",
        placeholder=t("pat_choose_jurisdictions"),
    )  # fmt: skip
    period = (min(years), max(years)) if years else None
    if years and min(years) < max(years):
        period = st.slider(t("pat_period"), min(years), max(years), (min(years), max(years)), key="pat_years")
shown = filter_records(records, places, period)
st.caption(t("pat_shown", shown=len(shown), total=len(records)) + " · " + basis)
for dimension in DIMENSIONS:
    _chart(shown, dimension, current_language())
st.markdown(f"**{t('pat_routes')}**")
graph = route_graph(shown)
if graph.number_of_edges():
    st.graphviz_chart(routes_dot(graph))
    leg = st.selectbox(
        t("pat_decisions_behind"), route_legs(graph), key="pick_route", format_func=lambda leg: leg.label
    )
    _table(cases_on(shown, leg))
else:
    st.caption(t("pat_no_routes"))
