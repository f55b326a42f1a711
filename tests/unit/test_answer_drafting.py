"""The Answerer's prompt: templates from files, numbered evidence, the reply language, history, role order."""

from __future__ import annotations

import pytest

from rag.answer import named_articles
from rag.prompts import PROMPTS_DIR
from rag.search import Hit
from rag.types import Turn
from tests.unit.conftest import ARTICLE_3, ARTICLE_6, QUESTION, answerer, retrieval


@pytest.mark.parametrize("role", ["judge", "frontline"])
def test_prompt_comes_from_the_files_and_numbers_the_evidence(role: str) -> None:
    bot = answerer()
    bot.answer(retrieval(), role=role)  # type: ignore[arg-type]
    system, user = bot.generator.prompts[0]
    common = (PROMPTS_DIR / "system_common.md").read_text(encoding="utf-8").strip()
    role_text = (PROMPTS_DIR / f"{role}.md").read_text(encoding="utf-8").strip()
    assert system == {"role": "system", "content": f"{common}\n\n{role_text}"}
    assert user["role"] == "user"
    assert f"[1] Palermo Protocol — Article 3 — Use of terms\n{ARTICLE_3.text}" in user["content"]
    assert f"[2] Palermo Protocol — Article 6 — Assistance to victims (p. 4)\n{ARTICLE_6.text}" in user["content"]
    closing = "Answer the question in English in a few sentences, using only the sources above. End each sentence "
    assert user["content"].rstrip().endswith(closing + "with the number of the source it comes from, like [1].")
    assert f"Question: {QUESTION}" in user["content"]


def test_italian_question_asks_for_an_italian_answer_and_history_is_included() -> None:
    bot = answerer()
    history = [Turn("Che cosa definisce l'articolo 3?", "…")]
    bot.answer(retrieval("E per i minori di 18 anni?"), history=history)
    user = bot.generator.prompts[0][1]["content"]
    assert "Earlier question: Che cosa definisce l'articolo 3?\nQuestion: E per i minori di 18 anni?" in user
    assert "Answer the question in Italian" in user


def test_answer_carries_its_timings_and_an_abstention_none() -> None:
    bot = answerer()
    answer = bot.answer(retrieval())
    assert set(answer.timings) == {"first_token", "generation", "grounding"}
    assert 0 <= answer.timings["first_token"] <= answer.timings["generation"]
    assert bot.answer(retrieval(covered=False)).timings == {}


def _typed(name: str, doc_type: str) -> Hit:
    return Hit(name, f"Text of {name}.", 0.5, title=name, doc_type=doc_type)


@pytest.mark.parametrize(
    ("role", "retrieved", "numbered"),
    [
        # A frontline worker's retrieval already chose the sources by the role's prior (rag.role_prior): a judgment
        # still shown was asked for by name, or no handbook passage was relevant, so retrieval's order stands.
        ("frontline", ["case_law", "legislation", "handbook"], ["case_law", "legislation", "handbook"]),
        ("judge", ["handbook", "case_law"], ["case_law", "handbook"]),
        ("judge", ["handbook", "handbook", "handbook", "legislation"], ["handbook", "handbook", "legislation"]),
    ],
)
def test_the_roles_prior_orders_the_evidence_the_answer_numbers(
    role: str, retrieved: list[str], numbered: list[str]
) -> None:
    hits = [_typed(f"{doc_type}-{i}", doc_type) for i, doc_type in enumerate(retrieved)]
    bot = answerer(["Nothing."])
    answer = bot.answer(retrieval("What should I do when I find the child?", hits), role=role)  # type: ignore[arg-type]
    assert [hit.doc_type for hit in answer.evidence][: len(numbered)] == numbered
    prompt = bot.generator.prompts[0][-1]["content"]
    assert f"[1] {answer.evidence[0].title}" in prompt
    same_type = [hit.title for hit in answer.evidence if hit.doc_type == retrieved[0]]
    assert same_type == sorted(same_type)  # retrieval's order within one type


def test_a_question_naming_an_article_of_an_instrument_is_answered_from_that_article_alone() -> None:
    bot = answerer(("Victims receive appropriate housing, counselling and medical assistance [1].",))
    question = "What does Article 6 of the Palermo Protocol say?"
    answer = bot.answer(retrieval(question))
    prompt = bot.generator.prompts[0][-1]["content"]
    assert "Article 6" in prompt and "Article 3" not in prompt
    assert [c.section for c in answer.citations] == ["Article 6 — Assistance to victims"]
    assert named_articles([ARTICLE_3, ARTICLE_6], "What does Article 6 say?") == []  # no instrument named
