"""The command line over the Answerer: search and ask, as text, JSON and JSON lines, and its one-line errors."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from core.errors import IndexUnavailableError, InputError
from core.i18n import translate
from rag.cli import main
from rag.retrieve import Retrieval
from rag.search import Filters, Hit
from rag.types import Answer
from rag.validate import clean_question
from tests.unit.conftest import ARTICLE_3, ARTICLE_6, QUESTION, answerer, retrieval


class StandInAssistant:
    """What the CLI needs of rag.service.Assistant, over fixed evidence and a replaying generator."""

    def __init__(self) -> None:
        self.answerer = answerer()
        self.filters: list[Filters | None] = []

    def retrieve(self, question: str, *, k: int | None = None, filters: Filters | None = None) -> Retrieval:
        question = clean_question(question, 4000)
        self.filters.append(filters)
        covered = "trafficking" in question.lower() or "deception" in question.lower()
        return retrieval(question, [ARTICLE_3, ARTICLE_6][: k or 2], covered=covered)

    def search(self, question: str, *, k: int | None = None, filters: Filters | None = None) -> list[Hit]:
        if "damaged" in question:
            raise IndexUnavailableError("index damaged: rebuild it with python -m ingestion build --rebuild")
        return self.retrieve(question, k=k, filters=filters).hits

    def ask(self, question: str, *, role: str = "judge", filters: Filters | None = None) -> Answer:
        return self.answerer.answer(self.retrieve(question, filters=filters), role=role)  # type: ignore[arg-type]


def run_cli(args: list[str], stdin: str = "") -> tuple[int, str, StandInAssistant]:
    assistant = StandInAssistant()
    out = io.StringIO()
    code = main(args, stdin=io.StringIO(stdin), stdout=out, assistant_factory=lambda config, index: assistant)
    return code, out.getvalue(), assistant


def test_cli_search_prints_hits_as_json() -> None:
    code, out, assistant = run_cli(["search", "--k", "1", "--doc-type", "legislation", "--json", QUESTION])
    rows = json.loads(out)
    assert code == 0 and len(rows) == 1
    assert rows[0] == {
        "rank": 1,
        "score": 0.9,
        "source": "palermo_protocol_2000.md",
        "title": "Palermo Protocol",
        "section": "Article 3 — Use of terms",
        "page": None,
        "doc_type": "legislation",
        "text": ARTICLE_3.text,
    }
    assert assistant.filters == [Filters(doc_types=("legislation",))]


def test_cli_ask_json_has_the_documented_keys() -> None:
    code, out, _ = run_cli(["ask", "--role", "frontline", "--json", QUESTION])
    data = json.loads(out)
    assert code == 0
    assert {"answer", "citations", "abstained", "evidence", "model"} <= set(data)
    assert set(data["citations"][0]) == {"n", "source", "title", "section", "page", "quote"}
    assert all(int(n) in {c["n"] for c in data["citations"]} for n in re.findall(r"\[(\d+)\]", data["answer"]))


def test_cli_ask_jsonl_answers_each_line_and_reports_bad_ones_in_place() -> None:
    stdin = f'{QUESTION}\n\n\x00\x01\nWhat is the weather today?\n{{"question": "{QUESTION}"}}\n{{"q": 1}}\n?!?\n'
    code, out, _ = run_cli(["ask", "--jsonl"], stdin=stdin)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(lines) == 6
    assert lines[0]["abstained"] is False
    assert lines[1] == {"line": 3, "error": "the question is empty — type a question"}
    assert lines[2]["abstained"] is True
    assert lines[3]["abstained"] is False and lines[3]["answer"] == lines[0]["answer"]  # a JSON line's question
    assert lines[4] == {"line": 6, "error": 'a JSON line needs a "question" field holding the question as a string'}
    assert lines[5] == {"line": 7, "error": "the question has no words, only signs — type a question"}


def test_cli_search_jsonl_reports_a_failing_line_and_goes_on() -> None:
    code, out, _ = run_cli(["search", "--jsonl"], stdin=f"a damaged index\n{QUESTION}\n")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(lines) == 2
    assert lines[0] == {"line": 1, "error": "index damaged: rebuild it with python -m ingestion build --rebuild"}
    assert lines[1][0]["source"] == "palermo_protocol_2000.md"


def test_cli_ask_prints_a_labelled_answer_with_numbered_sources() -> None:
    code, out, _ = run_cli(["ask", QUESTION])
    assert code == 0
    assert out.startswith(f"{translate('cli_generated', 'en')} — fake/replay:\n")
    assert out.startswith("Generated answer (each sentence is supported by the quoted source) — fake/replay:\n")
    assert "\n[1] Palermo Protocol — Article 3 — Use of terms (palermo_protocol_2000.md)\n" in out


def test_cli_bad_input_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def refuse(config: Any, index: Any) -> Any:
        raise AssertionError("no assistant should be built")

    assert main(["ask", "--index", str(tmp_path / "none"), QUESTION], assistant_factory=refuse) == 2
    assert (
        capsys.readouterr().err
        == f"error: {tmp_path / 'none'}: index folder not found; build it with python -m ingestion\n"
    )
    code, _, _ = run_cli(["ask", "\u200b \x00"])
    assert code == 2
    assert capsys.readouterr().err.startswith("error: the question is empty")


def test_clean_question_errors_are_input_errors() -> None:
    with pytest.raises(InputError):
        clean_question(" ", 10)
