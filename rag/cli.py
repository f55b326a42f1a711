"""Command line for retrieval and answering: ``python -m rag search|ask``, one question or JSON lines on stdin."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from core.errors import InputError, SafeBordersError
from core.i18n import translate
from core.settings import add_config_option, load_settings
from rag.search import Filters
from rag.types import Answer, hit_json

LANGUAGE = "en"  # of the labels the terminal shows (an answer and its notice keep the question's language)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for both commands."""
    parser = argparse.ArgumentParser(prog="python -m rag", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("search", "print the best chunks for a question"), ("ask", "answer a question")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("question", nargs="?", help="the question (omit with --jsonl)")
        command.add_argument("--index", type=Path, help="index folder (default: paths.index from the settings)")
        add_config_option(command)
        command.add_argument("--doc-type", action="append", default=[], help="only this document type (repeatable)")
        command.add_argument("--jurisdiction", action="append", default=[], help="only this jurisdiction (repeatable)")
        command.add_argument("--json", action="store_true", help="print JSON")
        command.add_argument(
            "--jsonl",
            action="store_true",
            help='read one question per line on stdin: plain text or a JSON object {"question": ...}',
        )
        if name == "search":
            command.add_argument("--k", type=int, help="how many chunks (default: retrieval.k)")
        else:
            command.add_argument("--role", choices=("judge", "frontline"), default="judge")
    return parser


def load_assistant(config: Path | None, index: Path | None) -> Any:
    """The Assistant for these settings (imported here so that ``--help`` loads nothing heavy)."""
    from rag.service import Assistant

    return Assistant.from_settings(load_settings(config), index)


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    assistant_factory: Callable[[Path | None, Path | None], Any] = load_assistant,
) -> int:
    """Run one command; expected failures print one line on stderr and return 2.

    Args:
        argv: the arguments (default ``sys.argv[1:]``).
        stdin: where ``--jsonl`` reads questions (default ``sys.stdin``).
        stdout: where results go (default ``sys.stdout``).
        assistant_factory: builds the Assistant from ``--config`` and ``--index`` (tests pass a stand-in).
    """
    args = build_parser().parse_args(argv)
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    try:
        if args.jsonl == bool(args.question):
            raise InputError("give either a question or --jsonl (questions on stdin), not both")
        if args.index is not None and not args.index.is_dir():
            raise InputError(f"{args.index}: index folder not found; build it with python -m ingestion")
        filters = Filters(doc_types=tuple(args.doc_type), jurisdictions=tuple(args.jurisdiction))
        assistant = assistant_factory(args.config, args.index)
        run = _search(assistant, args, filters) if args.command == "search" else _ask(assistant, args, filters)
        if not args.jsonl:
            stdout.write(run(args.question) + "\n")
            return 0
        for number, line in enumerate(stdin, start=1):
            if line.strip():
                try:
                    stdout.write(run(line_question(line.strip())) + "\n")
                except SafeBordersError as exc:
                    # One failing line in a batch is reported in place; the others are still answered.
                    stdout.write(json.dumps({"line": number, "error": str(exc)}, ensure_ascii=False) + "\n")
                stdout.flush()
        return 0
    except SafeBordersError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def line_question(line: str) -> str:
    """The question of one ``--jsonl`` line: a JSON object's ``question`` field, or else the line as plain text.

    Raises:
        InputError: a JSON object without a ``question`` string.
    """
    if not line.startswith("{"):
        return line
    try:
        record = json.loads(line)
    except ValueError:
        return line  # not JSON after all: a question that opens with a brace
    question = record.get("question") if isinstance(record, dict) else None
    if not isinstance(question, str):
        raise InputError('a JSON line needs a "question" field holding the question as a string')
    return question


def _search(assistant: Any, args: argparse.Namespace, filters: Filters) -> Callable[[str], str]:
    def run(question: str) -> str:
        hits = assistant.search(question, k=args.k, filters=filters)
        rows = [hit_json(hit, rank) for rank, hit in enumerate(hits, start=1)]
        if args.json or args.jsonl:
            return json.dumps(rows, ensure_ascii=False)
        return "\n\n".join(
            f"{row['rank']}. [{row['score']}] {_where(row)}\n{_indent(row['text'][:600])}" for row in rows
        )

    return run


def _ask(assistant: Any, args: argparse.Namespace, filters: Filters) -> Callable[[str], str]:
    def run(question: str) -> str:
        answer = assistant.ask(question, role=args.role, filters=filters)
        if args.json or args.jsonl:
            return json.dumps(answer.to_json(), ensure_ascii=False)
        return format_answer(answer)

    return run


def format_answer(answer: Answer) -> str:
    """A checked answer for reading in a terminal: its label, the text, the notice and the numbered sources."""
    if answer.abstained:
        label = translate("cli_abstained", LANGUAGE)
    elif answer.extractive:
        label = translate("cli_quoted", LANGUAGE)
    else:
        label = f"{translate('cli_generated', LANGUAGE)} — {answer.model}"
    parts = [f"{label}:", answer.answer]
    if answer.notice:
        parts.append(f"({answer.notice.text(answer.language)})")
    if answer.citations:
        parts.append(translate("cli_sources", LANGUAGE))
        for citation in answer.citations:
            where = _where({"title": citation.title, "section": citation.section, "page": citation.page})
            parts.append(f"[{citation.n}] {where} ({citation.source})")
            if citation.supporting:
                parts.append(_indent(f"“{citation.supporting}”"))
    return "\n".join(parts)


def _where(row: dict[str, Any]) -> str:
    text = " — ".join(str(row[key]) for key in ("title", "section") if row.get(key))
    return text + (f", p. {row['page']}" if row.get("page") is not None else "")


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())
