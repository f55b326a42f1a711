"""Command line for case analysis: ``analyze`` one case file; ``add`` files to a case workspace; ``network``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from analysis.cases_cli import IntakeFactory, add_commands, load_intake, run_add, run_network
from core.errors import InputError, SafeBordersError
from core.settings import add_config_option, load_settings

if TYPE_CHECKING:
    from analysis.case import CaseAnalyzer


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m analysis``."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("analyze", help="analyse a case file (.pdf, .docx, .txt, .md)")
    command.add_argument("file", type=Path, help="the case file; it is scrubbed before analysis and never stored")
    command.add_argument("--index", type=Path, help="index folder (default: paths.index from the settings)")
    add_config_option(command)
    command.add_argument("--language", choices=("en", "it"), help="language of the case (default: detected)")
    command.add_argument("--json", action="store_true", help="print JSON")
    add_commands(commands)
    return parser


def load_analyzer(config: Path | None, index: Path | None) -> CaseAnalyzer:
    """The CaseAnalyzer for these settings: the Assistant's embedder, search and index, and the Presidio scrubber.

    Imported here, so that ``--help`` loads nothing heavy.
    """
    from analysis.case import CaseAnalyzer
    from ingestion.scrub import PresidioScrubber
    from rag.service import Assistant

    settings = load_settings(config)
    assistant = Assistant.from_settings(settings, index)
    scrubber = PresidioScrubber(settings.scrubbing)

    def documents() -> Mapping[str, Mapping[str, Any]]:  # read when similar cases are searched
        return assistant.snapshot().manifest.documents

    return CaseAnalyzer.from_settings(settings, assistant.embedder, scrubber, assistant, documents)


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    analyzer_factory: Callable[[Path | None, Path | None], CaseAnalyzer] = load_analyzer,
    intake_factory: IntakeFactory = load_intake,
) -> int:
    """Run one command; expected failures print one line on stderr (``analyze`` returns 2 for them).

    Args:
        argv: the arguments (default ``sys.argv[1:]``).
        stdout: where the report goes (default ``sys.stdout``).
        analyzer_factory: builds the CaseAnalyzer from ``--config`` and ``--index`` (tests pass a stand-in).
        intake_factory: builds the workspace intake from ``--config``, the workspace and ``--key``.
    """
    from analysis.case import format_report

    args = build_parser().parse_args(argv)
    stdout = stdout or sys.stdout
    if args.command == "add":
        return run_add(args, stdout, intake_factory)
    if args.command == "network":
        return run_network(args, stdout)
    try:
        if args.index is not None and not args.index.is_dir():
            raise InputError(f"{args.index}: index folder not found; build it with python -m ingestion")
        if not args.file.is_file():
            raise InputError(f"{args.file}: case file not found")
        analysis = analyzer_factory(args.config, args.index).analyse_file(args.file, language=args.language)
    except SafeBordersError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stdout.write((json.dumps(analysis.to_json(), ensure_ascii=False) if args.json else format_report(analysis)) + "\n")
    return 0
