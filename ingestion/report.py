"""What a build reports: each document's status and result, the build's summary, and the progress callback."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

Status = Literal["indexed", "unchanged", "failed", "removed"]


@dataclass
class FileResult:
    """What happened to one document in a build."""

    source: str
    status: Status
    chunks: int = 0
    scrubbed: dict[str, int] = field(default_factory=dict)
    reason: str = ""


@dataclass
class BuildReport:
    """The summary a build prints and the UI shows."""

    generation: str | None
    files: list[FileResult]
    chunks: int
    seconds: float
    up_to_date: bool = False

    def count(self, status: Status) -> int:
        return sum(1 for result in self.files if result.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [result for result in self.files if result.status == "failed"]

    @property
    def scrubbed(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for result in self.files:
            total.update(result.scrubbed)
        return total


ProgressCallback = Callable[[int, int, FileResult], None]
