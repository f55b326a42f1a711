"""Adding one document to a 1,000-document case workspace and recomputing the network (target ≤ 5 s).

The workspace is filled from the network test set: its files go through the real scrubber and analyzer once, and
their stored forms are copied, with fresh pseudonyms per copy, until the workspace holds 1,000 documents in
groups of cases that link as the originals do. Then one more case file is added through the real scrubber, the
configured embedder and the analyzer (models already warm, the network of the originals already computed once),
and the whole network with its patterns is recomputed.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from pathlib import Path
from typing import Any

from analysis.cases_cli import intake_from_settings
from analysis.network_patterns import analyse_workspace
from analysis.pseudonyms_keyed import Mention
from analysis.workspace import NewDocument, StoredDocument, Workspace
from core.settings import Settings
from evaluation.network_eval import CASES, load_gold

TARGET_S = 5.0
NEW_FILE = CASES / "a1_police_report_en.txt"


def _copy(document: StoredDocument, replica: int) -> NewDocument:
    """A stored document as if it came from another group of cases: the same text, other pseudonyms."""

    def fresh(identifier: str) -> str:
        kind = identifier.split("-")[0]
        return f"{kind}-{hashlib.sha256(f'{identifier}/{replica}'.encode()).hexdigest()[:16]}"

    mentions = [Mention(m.placeholder, fresh(m.identifier), m.kind, m.linking) for m in document.mentions.values()]
    fingerprint = f"{document.id}/{replica}"
    return NewDocument(fingerprint, document.kind, document.language, document.text, document.analysis, mentions)


def _fill(workspace: Workspace, templates: list[StoredDocument], size: int) -> None:
    replica = 0
    while len(templates) * replica < size:
        for document in templates[: size - len(templates) * replica]:
            workspace.add(f"{document.case}/{replica}", _copy(document, replica))
        replica += 1


def run(settings: Settings, quick: bool = False, size: int = 1000) -> dict[str, Any]:
    """Seconds to add one case file to a workspace of ``size`` documents, and to recompute its network."""
    size = 200 if quick else size
    gold = load_gold()
    with tempfile.TemporaryDirectory() as scratch:
        originals = Workspace(Path(scratch) / "originals")
        intake = intake_from_settings(settings, originals, Path(scratch) / "secrets" / "pseudonym.key")
        started = time.perf_counter()
        for case, entry in gold["cases"].items():
            intake.add_files(case, [CASES / name for name in entry["files"]])
        analyse_workspace(originals)  # as a running app has: country names loaded, code paths warm
        warm_s = time.perf_counter() - started
        workspace = Workspace(Path(scratch) / "workspace")
        _fill(workspace, originals.documents(), size)
        intake.workspace = workspace
        started = time.perf_counter()
        intake.add_file("new case", NEW_FILE)
        added = time.perf_counter()
        network = analyse_workspace(workspace)
        done = time.perf_counter()
    return {
        "network_documents": size + 1,
        "network_add_s": round(added - started, 3),
        "network_recompute_s": round(done - added, 3),
        "network_total_s": round(done - started, 3),
        "network_target_s": TARGET_S,
        "network_target_met": done - started <= TARGET_S,
        "network_cases": len(network.cases),
        "network_links": len(network.links),
        "network_patterns": len(network.patterns),
        "network_test_set_s": round(warm_s, 1),
    }
