"""Command line for editors: build, list and remove documents of the index, and preview scrubbing."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from core.errors import ConfigError, SafeBordersError
from core.index_files import Manifest, read_current_manifest, read_generation_chunks
from core.settings import DOC_TYPES, Settings, add_config_option, load_settings
from ingestion.pipeline import Components, build_index, make_components
from ingestion.report import BuildReport, FileResult

# 1 means "built, but some files failed" (make run starts the app anyway); 2 means nothing was built.
EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2

ComponentsFactory = Callable[[Settings], Components]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ingestion", description=__doc__)
    add_config_option(parser)
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="index new and changed documents, drop deleted ones")
    build.add_argument("--source", type=Path, action="append", help="folder of documents (repeatable)")
    build.add_argument("--index", type=Path, help="index folder (default from settings)")
    build.add_argument("--doc-type", choices=DOC_TYPES, help="document type for every file of this build")
    build.add_argument("--rebuild", action="store_true", help="process every document again")
    build.add_argument("--quiet", action="store_true", help="no progress bar")

    listing = commands.add_parser("list", help="documents in the index")
    listing.add_argument("--index", type=Path)
    listing.add_argument("--json", action="store_true")

    remove = commands.add_parser("remove", help="remove documents from the index (by source path)")
    remove.add_argument("--index", type=Path)
    remove.add_argument("sources", nargs="+")

    scrub = commands.add_parser("scrub", help="preview the scrubbed text of a file and the counts per entity type")
    scrub.add_argument("file", type=Path)
    scrub.add_argument("--language", help="en or it (default: from front-matter)")
    scrub.add_argument("--json", action="store_true")
    return parser


def default_sources(settings: Settings) -> list[Path]:
    """The knowledge base plus editors' uploads, when no --source is given."""
    sources = [settings.knowledge_base_dir]
    uploads = settings.data_dir / "uploads"
    if uploads.is_dir():
        sources.append(uploads)
    return sources


def _summary(report: BuildReport) -> str:
    if report.up_to_date:
        documents = report.count("unchanged")
        return f"index up to date (generation {report.generation}, {report.chunks} chunks, {documents} documents)"
    scrubbed = ", ".join(f"{kind} {count}" for kind, count in sorted(report.scrubbed.items())) or "none"
    return (
        f"files: {report.count('indexed')} indexed, {report.count('unchanged')} unchanged, "
        f"{report.count('failed')} failed, {report.count('removed')} removed · chunks: {report.chunks} · "
        f"scrubbed: {scrubbed} · {report.seconds:.1f} s · generation {report.generation}"
    )


def _build(args: argparse.Namespace, settings: Settings, components: ComponentsFactory) -> int:
    from tqdm import tqdm

    index_dir = args.index or settings.index_dir
    sources = args.source or default_sources(settings)
    bar = tqdm(total=0, unit="file", file=sys.stderr, disable=args.quiet, leave=False)

    def progress(done: int, total: int, result: FileResult) -> None:
        bar.total = total
        bar.n = done
        bar.set_postfix_str(result.source[-40:], refresh=True)

    report = build_index(
        sources,
        index_dir,
        settings,
        components(settings),
        doc_type=args.doc_type,
        rebuild=args.rebuild,
        progress=progress,
    )
    bar.close()
    for result in report.failed:
        print(f"FAILED {result.reason}", file=sys.stderr)
    print(_summary(report))
    return EXIT_SOME_FAILED if report.failed else EXIT_OK


def _open_manifest(index_dir: Path) -> Manifest:
    """The current manifest, its chunk file checked as a search would check it; no store or model is opened."""
    manifest = read_current_manifest(index_dir)
    read_generation_chunks(index_dir, manifest)
    return manifest


def _list(args: argparse.Namespace, settings: Settings) -> int:
    manifest = _open_manifest(args.index or settings.index_dir)
    rows = [
        {
            "source": source,
            "title": doc["title"],
            "doc_type": doc["doc_type"],
            "chunks": len(doc["chunk_ids"]),
            "hash": doc["hash"][:12],
            "indexed_at": doc["indexed_at"],
            "scrubbed": doc.get("scrubbed", {}),
        }
        for source, doc in sorted(manifest.documents.items())
    ]
    if args.json:
        print(json.dumps({"generation": manifest.generation, "documents": rows}, ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"generation {manifest.generation} · {len(rows)} documents · {manifest.chunk_count} chunks")
    for row in rows:
        scrubbed = sum(row["scrubbed"].values())
        print(
            f"{row['source']:<60} {row['doc_type']:<11} {row['chunks']:>4} chunks  {row['hash']}  "
            f"{row['indexed_at']}  scrubbed {scrubbed}"
        )
    return EXIT_OK


def _remove(args: argparse.Namespace, settings: Settings, components: ComponentsFactory) -> int:
    index_dir = args.index or settings.index_dir
    manifest = _open_manifest(index_dir)
    unknown = [source for source in args.sources if source not in manifest.documents]
    if unknown:
        print(f"error: not in the index: {', '.join(unknown)}", file=sys.stderr)
        return EXIT_USAGE
    roots = sorted({Path(manifest.documents[source]["root"]) for source in manifest.documents})
    existing = [root for root in roots if root.is_dir()]
    report = build_index(existing, index_dir, settings, components(settings), remove=args.sources)
    print(_summary(report))
    return EXIT_OK


def _scrub(args: argparse.Namespace, settings: Settings) -> int:
    from ingestion.load import load_document
    from ingestion.scrub import PresidioScrubber

    path: Path = args.file
    max_bytes = int(settings.ingestion.max_file_mb * 1024 * 1024)
    document = load_document(path, path.parent, max_bytes=max_bytes, limits=settings.ingestion)
    language = args.language or document.metadata.language
    result = PresidioScrubber(settings.scrubbing).scrub([page.text for page in document.pages], language)
    if args.json:
        print(
            json.dumps(
                {"file": str(path), "counts": result.counts, "text": "\n\n".join(result.texts)}, ensure_ascii=False
            )
        )
        return EXIT_OK
    print("\n\n".join(result.texts))
    counts = ", ".join(f"{kind} {count}" for kind, count in sorted(result.counts.items())) or "nothing found"
    print(f"\n--- {path}: {sum(result.counts.values())} replaced ({counts})", file=sys.stderr)
    return EXIT_OK


def main(argv: Sequence[str] | None = None, *, components_factory: ComponentsFactory = make_components) -> int:
    """Run one command; expected failures print one line and return a non-zero exit code.

    Args:
        argv: the arguments (default ``sys.argv[1:]``).
        components_factory: builds the embedder, scrubber and store that build and remove use (tests pass fakes).
    """
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    commands: dict[str, Callable[[], int]] = {
        "build": lambda: _build(args, settings, components_factory),
        "list": lambda: _list(args, settings),
        "remove": lambda: _remove(args, settings, components_factory),
        "scrub": lambda: _scrub(args, settings),
    }
    try:
        return commands[args.command]()
    except SafeBordersError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # never exit 1 on a crash: 1 would read as "built, some files failed"
        reason = " ".join(str(exc).split())[:300]
        print(f"error: {args.command} failed ({type(exc).__name__}: {reason})", file=sys.stderr)
        return EXIT_USAGE
