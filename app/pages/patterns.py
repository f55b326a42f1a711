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
# The strings of each source of counts: one record per case from the analysed documents of the case workspace, or
# one per decision from the case law's metadata (front matter) when no case document has been analysed yet.
WORDS = {
    "documents": {
        "title": "pat_title_documents", "basis": "pat_basis_documents", "shown": "pat_shown_cases",
        "unit": "pat_cases_axis", "chart": "pat_chart_documents", "none": "pat_none_documents",
        "behind": "pat_cases_behind", "routes": "pat_routes_documents", "routes_note": "pat_routes_note_documents",
        "no_routes": "pat_no_routes_documents", "note_victim_age_group": "pat_age_note_documents",
    },
    "front_matter": {
        "title": "pat_title", "basis": "pat_basis_front_matter", "shown": "pat_shown", "unit": "pat_decisions_axis",
        "chart": "pat_chart_front_matter", "none": "pat_none_stated", "behind": "pat_decisions_behind",
        "routes": "pat_routes_front_matter", "routes_note": "pat_routes_note_front_matter",
        "no_routes": "pat_no_routes",
    },
}  # fmt: skip
# The columns of the table behind a bar or a leg: a case of the workspace is known by its name only.
COLUMNS = {
    "documents": {"title": "col_case"},
    "front_matter": {"title": "col_title", "source": "col_source", "jurisdiction": "col_jurisdiction",
                     "year": "col_year"},
}  # fmt: skip


def _require_role() -> dict[str, Any]:
    return auth.require_page(PAGE)


def _w(source: str, word: str, **values: object) -> str:
    """The string ``word`` of the page for the source the counts come from."""
    return t(WORDS[source][word], **values)


def _table(rows: list[dict[str, Any]], source: str) -> None:
    """The cases or decisions behind a bar or a route leg, with the columns named in the reader's language."""
    columns = COLUMNS[source]
    frame = pd.DataFrame(rows, columns=list(columns)).rename(columns={k: t(v) for k, v in columns.items()})
    st.dataframe(frame, hide_index=True, width="stretch")


def _chart(records: list[Any], dimension: str, language: str, source: str) -> None:
    """One bar chart: how many cases (or decisions) fall in each category of ``dimension``."""
    rows = counts(records, dimension)
    label = t(f"pat_{dimension}")
    st.markdown(f"**{label}**")
    if not rows:
        st.caption(_w(source, "none"))
        return
    data = pd.DataFrame([{**row, "label": name(dimension, row["category"], language)} for row in rows])
    chart = (
        alt.Chart(data, title=_w(source, "chart", dimension=label[:1].lower() + label[1:]))
        .mark_bar()
        .encode(
            x=alt.X("cases:Q", title=_w(source, "unit"), axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("label:N", sort="-x", title=None),
            tooltip=[
                alt.Tooltip("label:N", title=t("pat_category")),
                alt.Tooltip("cases:Q", title=_w(source, "unit")),
            ],
        )
    )
    st.altair_chart(chart, width="stretch")
    if f"note_{dimension}" in WORDS[source]:
        st.caption(_w(source, f"note_{dimension}"))
    chosen = st.selectbox(
        _w(source, "behind"), [row["category"] for row in rows], key=f"pick_{dimension}",
        format_func=lambda category: name(dimension, category, language),
    )  # fmt: skip
    _table(cases_for(records, dimension, chosen), source)


def _records() -> tuple[list[Any], str, int]:
    """The analysed documents' cases when the workspace has any (and how many documents); else the case law's
    front-matter."""
    folder = default_workspace(get_settings())
    if (folder / DATABASE_FILE).is_file():
        workspace = Workspace(folder)
        documents = workspace.documents()
        if documents:
            return workspace_records(workspace.cases(), documents), "documents", len(documents)
    manifest = read_manifest(get_settings().index_dir)
    return (case_records(manifest.documents) if manifest is not None else []), "front_matter", 0


def _filters(records: list[Any]) -> tuple[list[str], tuple[int, int] | None]:
    """The sidebar's jurisdictions and years, offered only where the records state them (decisions do, cases of
    the workspace do not)."""
    jurisdictions = sorted({r.jurisdiction for r in records if r.jurisdiction})
    years = [r.year for r in records if r.year is not None]
    with st.sidebar:
        places = st.multiselect(t("pat_jurisdiction"), jurisdictions, key="pat_j",
                                placeholder=t("pat_choose_jurisdictions")) if jurisdictions else []  # fmt: skip
        period = (min(years), max(years)) if years else None
        if years and min(years) < max(years):
            period = st.slider(t("pat_period"), min(years), max(years), (min(years), max(years)), key="pat_years")
    return places, period


def _routes(shown: list[Any], source: str) -> None:
    st.markdown(f"**{_w(source, 'routes')}**")
    graph = route_graph(shown)
    if not graph.number_of_edges():
        st.caption(_w(source, "no_routes"))
        return
    st.caption(_w(source, "routes_note"))
    st.graphviz_chart(routes_dot(graph))
    leg = st.selectbox(_w(source, "behind"), route_legs(graph), key="pick_route", format_func=lambda leg: leg.label)
    _table(cases_on(shown, leg), source)


_require_role()
try:
    records, source, documents = _records()
except SafeBordersError as exc:
    st.title(t("pat_title"))
    st.error(error_text(exc))
    st.stop()
st.title(_w(source, "title"))
if not records:
    st.info(t("pat_no_records_any"))
    st.stop()
st.caption(_w(source, "basis", documents=documents))
places, period = _filters(records)
shown = filter_records(records, places, period)
st.caption(_w(source, "shown", shown=len(shown), total=len(records)))
for dimension in DIMENSIONS:
    _chart(shown, dimension, current_language(), source)
_routes(shown, source)
