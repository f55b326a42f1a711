"""A case analysis (its scrubbed JSON form) as a reader sees it in their language, and its Markdown and DOCX export."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from analysis.actors import Actor, Relation, actor_graph, to_dot
from analysis.names import citation, indicator_label, name
from analysis.risk import risk_summary
from core.i18n import translate

Analysis = Mapping[str, Any]  # CaseAnalysis.to_json(), with "scrubbed_text" when the user chose to keep it
ELEMENT_NAMES = ("act", "means", "purpose")
STATUS_KEYS = {"found": "ca_found", "not_found": "ca_not_found", "not_required": "ca_child"}


def labels(data: Analysis, language: str) -> dict[str, str]:
    """Indicator id -> label in ``language``, for the indicators found."""
    return {i["id"]: indicator_label(i["id"], i["label"], language) for i in data.get("indicators", [])}


def indicator_rows(data: Analysis, language: str) -> list[dict[str, Any]]:
    """The found indicators as table rows, columns and vocabulary named in ``language``."""

    def column(key: str) -> str:
        return translate(f"col_{key}", language)

    names = labels(data, language)
    return [
        {
            column("indicator"): names[i["id"]],
            column("category"): name("categories", i["category"], language),
            column("element"): name("elements", i["element"], language),
            column("severity"): name("severities", i["severity"], language),
            column("score"): round(float(i["score"]), 2),
            column("evidence"): i["evidence"][0] if i["evidence"] else "",
        }
        for i in data.get("indicators", [])
    ]


def element_title(element: str, language: str) -> str:
    """ "Act" / "Condotta"."""
    return name("elements", element, language).capitalize()


def status_text(status: str, language: str) -> str:
    """An element's status: found, not found, or (for means with a child victim) not required."""
    return translate(STATUS_KEYS[status], language)


def legal_basis(element: Mapping[str, Any], language: str) -> str:
    """The provisions that make an element unnecessary, as cited in ``language``."""
    return "; ".join(citation(text, language) for text in element.get("legal_basis", []))


def forms(element: Mapping[str, Any], language: str) -> str:
    """The forms of exploitation found for the purpose element."""
    return ", ".join(name("exploitation_type", form, language) for form in element.get("forms", []))


def catalogue_citations(data: Analysis, language: str) -> list[str]:
    """The provisions the found indicators point to (from the catalogue), as cited in ``language``."""
    return [citation(p["citation"], language) for p in data.get("provisions", []) if p.get("kind") == "catalogue"]


def shared_text(case: Mapping[str, Any], language: str) -> str:
    """What a similar case shares with this one: "Form of exploitation: domestic servitude · …"."""
    return " · ".join(
        f"{translate(f'pat_{dimension}', language)}: {', '.join(name(dimension, v, language) for v in values)}"
        for dimension, values in case.get("shared", {}).items()
    )


def summary(data: Analysis, language: str) -> str:
    """The risk summary in ``language``, worked out again from the stored findings."""
    statuses = {element: value["status"] for element, value in data.get("elements", {}).items()}
    return risk_summary(labels(data, language), statuses, bool(data.get("child_victim")), language)


def actors_dot(data: Analysis, language: str) -> str:
    """The actor graph as Graphviz DOT, roles and relations named in ``language``."""
    actors = [Actor(a["id"], list(a.get("roles", [])), int(a.get("mentions", 0))) for a in data.get("actors", [])]
    relations = [
        Relation(r["source"], r["target"], r["type"], r.get("evidence", "")) for r in data.get("relations", ())
    ]
    return to_dot(actor_graph(actors, relations), language)


def export_name(title: str, extension: str) -> str:
    """A file name from the scrubbed title: "<PERSON_1> statement.pdf" -> "case-analysis-PERSON_1-statement.md"."""
    stem = re.sub(r"[^\w-]+", "-", re.sub(r"\.\w{2,4}$", "", title)).strip("-_")[:60]
    return f"case-analysis-{stem or 'text'}.{extension}"
