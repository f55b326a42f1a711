"""Role priors in retrieval: a frontline worker is served the handbook before judgments' narratives, a judge keeps
retrieval's ranking; on hand-made hits and on a small real index with the hash embedder."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings
from ingestion.pipeline import Components, build_index
from rag.answer import evidence_order
from rag.retrieve import HybridRetriever
from rag.role_prior import ROLE_PRIORS, prior_for
from rag.search import Hit, IndexSnapshot, open_index

FRONTLINE = ROLE_PRIORS["frontline"]


def _hit(hit_id: str, doc_type: str, score: float) -> Hit:
    return Hit(hit_id, f"text of {hit_id}", score, source=f"{doc_type}/{hit_id}.md", doc_type=doc_type)


def test_case_law_is_held_back_while_a_handbook_chunk_is_relevant() -> None:
    ranked = [_hit("facts", "case_law", 1.0), _hit("steps", "handbook", 0.6), _hit("art", "legislation", 0.5)]
    shown = FRONTLINE.shown(ranked, 2)
    assert [hit.id for hit in shown] == ["steps", "art"]


def test_case_law_fills_the_places_nothing_else_takes() -> None:
    ranked = [_hit("facts", "case_law", 1.0), _hit("steps", "handbook", 0.6)]
    assert [hit.id for hit in FRONTLINE.shown(ranked, 5)] == ["steps", "facts"]


def test_nothing_is_held_back_when_no_handbook_chunk_is_relevant() -> None:
    weak = FRONTLINE.relevant_share * 0.9
    ranked = [_hit("facts", "case_law", 1.0), _hit("art", "legislation", 0.8), _hit("steps", "handbook", weak)]
    assert [hit.id for hit in FRONTLINE.shown(ranked, 2)] == ["facts", "art"]


def test_a_question_naming_a_judgment_keeps_it() -> None:
    ranked = [_hit("facts", "case_law", 1.0), _hit("steps", "handbook", 0.9)]
    assert [hit.id for hit in FRONTLINE.shown(ranked, 1, named=True)] == ["facts"]


def test_no_role_and_the_judge_leave_retrievals_choice_alone() -> None:
    ranked = [_hit("facts", "case_law", 1.0), _hit("steps", "handbook", 0.9), _hit("art", "legislation", 0.8)]
    assert prior_for(None).shown(ranked, 2) == prior_for("judge").shown(ranked, 2) == ranked[:2]


def test_the_judges_evidence_order_puts_the_law_before_the_handbook() -> None:
    hits = [_hit("steps", "handbook", 0.9), _hit("art", "legislation", 0.8)]
    assert [hit.id for hit in evidence_order(hits, "judge")] == ["art", "steps"]
    assert [hit.id for hit in evidence_order(hits, "frontline")] == ["steps", "art"]


# The judgment tells a story in the words a worker describes the situation with; the handbook says what to do.
JUDGMENT = """---
title: Fictional v. Ruritania
doc_type: case_law
jurisdiction: ECHR
---
# Fictional v. Ruritania

## Facts

A boy of fourteen was selling flowers on the street at night, watched by an adult man who took the money.
"""

HANDBOOK = """---
title: Handbook - Referral
doc_type: handbook
---
# Referral

## Who to call

Call the emergency number for a boy in danger, then the prosecutor and the social services.
"""

DIGEST = """---
title: Convention digest
---
Article 10 – Identification
Parties shall identify victims and cooperate with support organisations.
"""


@pytest.fixture
def snapshot(tmp_path: Path, settings: Settings, fake_components: Components) -> IndexSnapshot:
    for folder, name, text in (
        ("case_law", "ruritania.md", JUDGMENT),
        ("handbook", "referral.md", HANDBOOK),
        ("legislation", "digest.md", DIGEST),
    ):
        (tmp_path / "kb" / folder).mkdir(parents=True)
        (tmp_path / "kb" / folder / name).write_text(text, encoding="utf-8")
    build_index([tmp_path / "kb"], settings.index_dir, settings, fake_components)
    return open_index(settings.index_dir, fake_components.store, fake_components.embedder.embed_query)


QUESTION = "a boy of fourteen selling flowers on the street, an adult man watching: who do I call?"


def test_a_frontline_question_is_answered_from_the_handbook_not_the_judgment(
    snapshot: IndexSnapshot, settings: Settings
) -> None:
    retriever = HybridRetriever(snapshot, settings.retrieval, 0.0)
    plain = retriever.retrieve(QUESTION, k=2).hits
    assert plain[0].doc_type == "case_law"  # the story's words match the judgment best
    frontline = retriever.retrieve(QUESTION, k=2, role="frontline").hits
    assert [hit.doc_type for hit in frontline] == ["handbook", "legislation"]
    assert [hit.id for hit in retriever.retrieve(QUESTION, k=2, role="judge").hits] == [hit.id for hit in plain]


def test_a_frontline_question_naming_the_judgment_still_gets_it(snapshot: IndexSnapshot, settings: Settings) -> None:
    retriever = HybridRetriever(snapshot, settings.retrieval, 0.0)
    hits = retriever.retrieve("What happened in Fictional v. Ruritania?", k=2, role="frontline").hits
    assert "case_law" in {hit.doc_type for hit in hits}
