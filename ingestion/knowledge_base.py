"""The knowledge base as editors change it: preview a scrubbed upload, add it, re-index, remove an upload."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.injection import instruction_passages
from core.settings import Settings
from ingestion.cli import default_sources
from ingestion.pipeline import Components, build_index
from ingestion.report import BuildReport, ProgressCallback
from ingestion.scrub import PiiScrubber, should_scrub
from ingestion.uploads import Metadata, UploadRejectedError, check_upload, read_pages, save_upload, upload_path
from ingestion.worker import build_in_worker

PAGE_SEPARATOR = "\n\n"  # how the preview joins a document's pages
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Preview:
    """What indexing would keep of an upload: the scrubbed text, the placeholders' spans in it and their counts.

    ``scrubbed`` is False for a document type that is indexed as it is (legislation): the text is then empty,
    the document having only been read to make sure the indexer can read it. ``flagged`` holds the lines that
    address the assistant rather than the reader ("Ignore previous instructions…"): indexed with the flag
    ``injection`` and never shown to the model, they are for the editor to see before adding the document.
    """

    scrubbed: bool
    text: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    flagged: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Added:
    """An upload saved to the uploads folder, by its index source ("case_law/x.md"), hash and size."""

    source: str
    sha256: str
    size: int


# What stops an upload filed as legislation: data that public legal text never holds. Names are left out, since
# legislation names its signatories and the official journal, which the name rules may take for people.
LEGISLATION_FORBIDDEN = ("EMAIL", "PHONE", "IBAN", "CARD_NUMBER", "FISCAL_CODE", "ID_NUMBER", "DATE_OF_BIRTH",
                         "ADDRESS", "PLATE")  # fmt: skip


def _refuse_personal_data_in_legislation(name: str, counts: dict[str, int]) -> None:
    """Refuse a legislation upload (indexed without scrubbing) in which the scrubber found personal data.

    Raises:
        UploadRejectedError: naming the file and what was found.
    """
    found = ", ".join(f"{kind} {counts[kind]}" for kind in LEGISLATION_FORBIDDEN if counts.get(kind))
    if found:
        raise UploadRejectedError(
            "upload_legislation_personal",
            f"{name}: filed as legislation, which is indexed unscrubbed, but it contains personal data ({found}); "
            "choose the handbook or case-law collection",
            name=name,
            found=found,
        )


class KnowledgeBase:
    """The editor's operations on the knowledge base; every change reaches the index through the normal build."""

    def __init__(self, settings: Settings, scrubber: PiiScrubber, components: Callable[[], Components]) -> None:
        """Args:
        settings: validated settings (folders, upload limit, scrubbing policy, exclude patterns).
        scrubber: for previews.
        components: what a build in this process needs (``ingestion.build_worker`` false), asked for only when
            one runs (it may load the embedder); a worker process loads its own.
        """
        self.settings = settings
        self.scrubber = scrubber
        self._components = components

    @property
    def uploads_dir(self) -> Path:
        """The source folder of editors' uploads."""
        return self.settings.data_dir / "uploads"

    def check(self, name: str, data: bytes) -> str:
        """Check an upload's size, type and content; returns its lower-case extension.

        Raises:
            UploadRejectedError: with the reason, as a string key and its values.
        """
        return check_upload(name, data, self.settings.app.upload_max_mb)

    def preview(self, name: str, data: bytes, doc_type: str, language: str) -> Preview:
        """The upload scrubbed in memory as indexing would scrub it (nothing is written).

        Raises:
            UploadRejectedError: the document cannot be read, or it is filed as legislation (indexed unscrubbed)
                but contains personal data.
        """
        _, pages = read_pages(name, data)
        flagged = [line for page in pages for line in instruction_passages(page.text)]
        result = self.scrubber.scrub([page.text for page in pages], language)
        if not should_scrub(doc_type, self.settings.scrubbing):
            _refuse_personal_data_in_legislation(name, result.counts)
            return Preview(scrubbed=False, flagged=flagged)
        spans: list[tuple[int, int]] = []
        offset = 0
        for page_text, page_spans in zip(result.texts, result.spans, strict=True):
            spans += [(offset + span.start, offset + span.end) for span in page_spans]
            offset += len(page_text) + len(PAGE_SEPARATOR)
        return Preview(True, PAGE_SEPARATOR.join(result.texts), spans, dict(result.counts), flagged)

    def add(self, name: str, data: bytes, metadata: Metadata) -> Added:
        """Save a checked upload under a safe, unique name in its collection's uploads folder (not yet indexed).

        Raises:
            UploadRejectedError: the name or the front-matter cannot be used, or it is filed as legislation (indexed
                unscrubbed) but contains personal data.
            OSError: the file could not be written.
        """
        if not should_scrub(metadata.doc_type, self.settings.scrubbing):
            self.preview(name, data, metadata.doc_type, metadata.language)  # a case file filed as law never lands
        path = save_upload(
            data,
            name,
            metadata,
            self.uploads_dir,
            other_roots=[self.settings.knowledge_base_dir],
            exclude=self.settings.ingestion.exclude,
        )
        source = path.relative_to(self.uploads_dir).as_posix()
        return Added(source, hashlib.sha256(data).hexdigest(), len(data))

    def reindex(self, progress: ProgressCallback | None = None) -> BuildReport:
        """Bring the index up to date with the knowledge base and the uploads.

        Raises:
            SafeBordersError: the build could not run (another build holds the index, a folder is missing…).
        """
        return self._build(progress=progress)

    def remove(self, source: str) -> BuildReport:
        """Drop an uploaded document from the index and delete its file, both or neither.

        The file is set aside first, so that the build sees it gone; it is deleted once the new generation is
        complete, and put back when the build fails (the index then still holds it, as before).

        Raises:
            UploadRejectedError: ``source`` is not an uploaded document.
            SafeBordersError: the build failed; the document is still indexed and its file in place.
        """
        path = upload_path(self.uploads_dir, source)
        aside = self.settings.data_dir / "removing" / source
        aside.parent.mkdir(parents=True, exist_ok=True)
        present = path.is_file()
        if present:
            path.replace(aside)
        try:
            report = self._build(remove=[source])
        except BaseException:
            if present:
                aside.replace(path)
            raise
        if present:
            try:
                aside.unlink()
            except OSError as exc:  # the document is out of the uploads and the index: only a leftover remains
                log.warning("%s: could not delete the removed upload: %s", aside, exc)
        return report

    def _build(self, *, remove: list[str] | None = None, progress: ProgressCallback | None = None) -> BuildReport:
        """The build, in a low-priority worker process with its own models (``ingestion.build_worker``), or here."""
        sources, index_dir = default_sources(self.settings), self.settings.index_dir
        if self.settings.ingestion.build_worker:
            return build_in_worker(sources, index_dir, self.settings, remove=remove or (), progress=progress)
        components = self._components()
        return build_index(sources, index_dir, self.settings, components, remove=remove or (), progress=progress)
