"""Reading the YAML front-matter block that editors put at the top of Markdown and text documents."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from core.errors import IngestionError

# The block must open the file: "---" alone on the first line, closed by "---" (or YAML's "...") alone on a line.
_BLOCK = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    """Separate a leading ``---`` YAML block from the text.

    Args:
        text: the whole decoded document.
        source: the document's source path, for error messages.

    Returns:
        The front-matter as a dict (empty when there is none, dates as ISO strings) and the text without it.

    Raises:
        IngestionError: the block is not valid YAML or not a mapping of keys to values.
    """
    match = _BLOCK.match(text)
    if match is None:
        return {}, text
    try:
        data = yaml.safe_load(match.group("yaml") or "")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""  # +2: 0-based, after the opening "---"
        problem = getattr(exc, "problem", None) or "syntax error"
        raise IngestionError(f"{source}: invalid YAML front-matter{where} ({problem})") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise IngestionError(f"{source}: front-matter must be 'key: value' lines, not a {type(data).__name__}")
    return {str(key): _plain(value) for key, value in data.items()}, text[match.end() :]


def _plain(value: Any) -> Any:
    """Dates as ISO strings, so metadata stays JSON- and Chroma-friendly."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value
