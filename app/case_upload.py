"""An uploaded case file analysed in memory: no raw byte on disk, a scrubbed title instead of its file name."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.audit import WITHHELD, scrub_text
from core.errors import SafeBordersError
from ingestion.uploads import UploadRejectedError

if TYPE_CHECKING:
    from analysis.case import CaseAnalysis, CaseAnalyzer, Progress
    from ingestion.scrub import PiiScrubber


def scrubbed_title(file_name: str, scrubber: PiiScrubber | None) -> str:
    """The upload's name as it may be shown and stored: its stem scrubbed ("joy_ehigie.pdf" -> "<PERSON_1>.pdf").

    Args:
        file_name: the name the browser sent.
        scrubber: the personal-data scrubber.
    """
    path = Path(file_name)
    stem = scrub_text(path.stem.replace("_", " "), scrubber)
    return ("case file" if stem in ("", WITHHELD) else stem) + path.suffix.lower()


def analyse_upload(
    analyzer: CaseAnalyzer,
    file_name: str,
    data: bytes,
    *,
    scrubber: PiiScrubber | None,
    max_bytes: int,
    progress: Progress | None = None,
) -> CaseAnalysis:
    """Read an uploaded case file from memory and analyse it; nothing of it is written to disk.

    Args:
        analyzer: the case analyser.
        file_name: the upload's name (only its extension and its scrubbed stem are used).
        data: the file's bytes.
        scrubber: scrubs the file name into the analysis' title.
        max_bytes: the largest accepted file.
        progress: called with (fraction, message) as the work advances.

    Raises:
        UploadRejectedError: an unsupported, too large, empty or unreadable file, in one line naming the file (its
            ``key`` names the string in the reader's language).
    """
    from analysis.case import CASE_EXTENSIONS
    from ingestion.load import read_bytes

    title = scrubbed_title(file_name, scrubber)
    extension = Path(file_name).suffix.lower()
    if extension not in CASE_EXTENSIONS:
        allowed = ", ".join(CASE_EXTENSIONS)
        raise UploadRejectedError(
            "upload_bad_type", f"{title}: unsupported case file (use {allowed})", name=title, allowed=allowed
        )
    if len(data) > max_bytes:
        size, limit = f"{len(data) / 1048576:.1f}", max_bytes / 1048576
        raise UploadRejectedError(
            "upload_too_large", f"{title}: {size} MB, over the {limit:g} MB limit", name=title, size=size, max=limit
        )
    try:
        _, pages, _ = read_bytes(data, extension, title)
    except SafeBordersError as exc:
        raise UploadRejectedError("upload_unreadable", str(exc), reason=str(exc)) from None
    return analyzer.analyse_pages([page.text for page in pages], source=title, progress=progress)
