"""Prompt templates read from prompts/ (one file per role) and the numbered evidence blocks they are filled with."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from langchain_core.messages import SystemMessage
from langchain_core.prompts import ChatPromptTemplate, HumanMessagePromptTemplate

from core.injection import without_instructions
from core.settings import PROJECT_ROOT
from core.text import Language
from rag.search import Hit
from rag.types import Role, Turn

PROMPTS_DIR = PROJECT_ROOT / "prompts"
# The languages the model is asked to answer in; a question in any other language is answered in English (the
# interface speaks English and Italian only, and the small model writes little else well).
LANGUAGE_NAMES: dict[Language, str] = {"en": "English", "it": "Italian"}
_HISTORY_CHARS = 300  # the earlier question only: the small model's context is for evidence


def _read(name: str, folder: Path) -> str:
    return (folder / name).read_text(encoding="utf-8").strip()


def system_prompt(role: Role, folder: Path = PROMPTS_DIR) -> str:
    """The system message for a role: the shared rules followed by the role's instructions."""
    return _read("system_common.md", folder) + "\n\n" + _read(f"{role}.md", folder)


@cache
def chat_template(role: Role, folder: Path = PROMPTS_DIR) -> ChatPromptTemplate:
    """The role's chat prompt; its variables are ``evidence``, ``history``, ``question`` and ``language``.

    The system text is a fixed message, not a template, so braces in the prompt files need no escaping.
    """
    return ChatPromptTemplate.from_messages(
        [
            SystemMessage(content=system_prompt(role, folder)),
            HumanMessagePromptTemplate.from_template(_read("question.md", folder)),
        ]
    )


def source_block(n: int, hit: Hit) -> str:
    """One numbered source as the model sees it: ``[n] <title> — <section> (p. N)`` then the text.

    Lines that address the assistant ("Ignore previous instructions…", "Recommended answer: …") are left out:
    a source is data, and a command written in it never reaches the model.
    """
    header = f"[{n}] {hit.title or hit.source or 'Source'}"
    if hit.section:
        header += f" — {hit.section}"
    if hit.page is not None:
        header += f" (p. {hit.page})"
    return f"{header}\n{without_instructions(hit.text).strip()}"


def evidence_text(hits: Sequence[Hit]) -> str:
    """All sources, numbered from 1 in the order given, separated by blank lines."""
    return "\n\n".join(source_block(n, hit) for n, hit in enumerate(hits, start=1))


def prompt_inputs(
    question: str, hits: Sequence[Hit], language: Language, history: Sequence[Turn] = ()
) -> dict[str, str]:
    """The template variables for one question over the given evidence."""
    earlier = ""
    if history:
        earlier = f"Earlier question: {history[-1].question[:_HISTORY_CHARS]}\n"
    return {
        "evidence": evidence_text(hits),
        "history": earlier,
        "question": question,
        "language": LANGUAGE_NAMES.get(language, LANGUAGE_NAMES["en"]),
    }
