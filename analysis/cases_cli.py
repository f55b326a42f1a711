"""Command line for case workspaces: ``add`` files to a case and print or export the ``network`` across cases."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from analysis.workspace import Workspace, check_case_name
from core.errors import InputError, SafeBordersError
from core.settings import Settings, add_config_option, load_settings

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from analysis.intake import CaseIntake
    from analysis.pseudonyms_keyed import Detector

IntakeFactory = Callable[[Path | None, Workspace, Path | None], "CaseIntake"]


def add_commands(commands: Any) -> None:
    """The ``add`` and ``network`` sub-commands, on the parser of ``python -m analysis``."""
    add = commands.add_parser("add", help="scrub, analyse and store files in a case of a workspace")
    add.add_argument("--workspace", type=Path, required=True, help="the workspace folder (created if new)")
    add.add_argument("--case", required=True, help="the case name (created if new)")
    add.add_argument("files", nargs="+", type=Path, help="case files (.pdf, .docx, .txt, .md) or records (.csv)")
    add.add_argument("--key", type=Path, help="pseudonym key file (default: secrets/pseudonym.key in paths.data)")
    add.add_argument("--language", choices=("en", "it"), help="language of the files (default: detected)")
    add_config_option(add)
    network = commands.add_parser("network", help="the network across the cases of a workspace")
    network.add_argument("--workspace", type=Path, required=True, help="the workspace folder")
    network.add_argument("--json", action="store_true", help="print JSON")
    network.add_argument("--graphml", type=Path, help="also write the graph as GraphML to this file")
    network.add_argument("--csv", type=Path, help="also write nodes.csv and edges.csv to this folder")


def load_intake(config: Path | None, workspace: Workspace, key_path: Path | None) -> CaseIntake:
    """The intake for the settings in ``config`` (see ``intake_from_settings``)."""
    return intake_from_settings(load_settings(config), workspace, key_path)


def intake_from_settings(settings: Settings, workspace: Workspace, key_path: Path | None) -> CaseIntake:
    """The intake with the real scrubber, the configured embedder and the installation's pseudonym key.

    Raises:
        InputError: the key would live inside the workspace.
        ConfigError, ModelUnavailableError: as the settings and models raise them.
    """
    from core.embedders import make_embedder
    from ingestion.scrub import PresidioScrubber

    return build_intake(settings, workspace, PresidioScrubber(settings.scrubbing), make_embedder(settings.embedder),
                        key_path)  # fmt: skip


def build_intake(
    settings: Settings, workspace: Workspace, detector: Detector, embedder: Embeddings, key_path: Path | None = None
) -> CaseIntake:
    """The intake on ``detector`` (the scrubber's detection) and ``embedder`` with the installation's key (the
    command line and the app share this).

    Raises:
        InputError: the key would live inside the workspace.
    """
    from analysis.case import CaseAnalyzer
    from analysis.intake import CaseIntake
    from analysis.pseudonyms_keyed import KeyedScrubber, default_key_path, load_or_create_key

    key_path = key_path or default_key_path(settings)
    if key_path.resolve().is_relative_to(workspace.folder.resolve()):
        raise InputError(f"{key_path}: the pseudonym key must live outside the workspace, with the installation")
    scrubber = KeyedScrubber(detector, load_or_create_key(key_path))
    analyzer = CaseAnalyzer.from_settings(settings, embedder, scrubber)
    return CaseIntake(analyzer, scrubber, workspace, settings.ingestion)


def run_add(args: argparse.Namespace, stdout: TextIO, intake_factory: IntakeFactory) -> int:
    """Add the files; 0 when all are stored (or already were), 1 when some failed (each named), 2 on bad usage."""
    try:
        case = check_case_name(args.case)
        workspace = Workspace(args.workspace)
        intake = intake_factory(args.config, workspace, args.key)
        if args.language:
            intake.language = args.language
    except SafeBordersError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = intake.add_files(case, args.files)
    stdout.write(f"case {case}: {len(report.added)} added ({', '.join(report.added) or 'none'})")
    stdout.write(f", {len(report.already)} already there\n" if report.already else "\n")
    for line in report.failed:
        print(f"FAILED {line}", file=sys.stderr)
    return 1 if report.failed else 0


def run_network(args: argparse.Namespace, stdout: TextIO) -> int:
    """Print the network (text or JSON) and write the exports asked for; 2 when the workspace cannot be read."""
    from analysis.network_export import write_csv, write_graphml
    from analysis.network_patterns import analyse_workspace

    try:
        if not (args.workspace / "workspace.sqlite3").is_file():
            raise InputError(f"{args.workspace}: no workspace here; add files with python -m analysis add")
        network = analyse_workspace(Workspace(args.workspace))
        if args.graphml:
            write_graphml(network, args.graphml)
        if args.csv:
            write_csv(network, args.csv)
    except SafeBordersError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    data = network.to_json()
    if args.json:
        stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        return 0
    shared = [item for item in data["identifiers"] if len(item["cases"]) >= 2]
    stdout.write(f"{len(data['cases'])} cases, {len(data['identifiers'])} identifiers ({len(shared)} shared)\n")
    for link in data["links"]:
        stdout.write(f"  {link['cases'][0]} — {link['cases'][1]} via {', '.join(link['via'])}\n")
    for number, group in enumerate(data["networks"], start=1):
        stdout.write(f"network {number}: {', '.join(group)}\n")
    for pattern in data["patterns"]:
        stdout.write(f"pattern {pattern['kind']}: {len(pattern['evidence'])} pieces of evidence\n")
    return 0
