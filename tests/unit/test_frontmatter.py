"""Front-matter: the YAML block is parsed, removed from the text, and bad YAML names the file."""

from __future__ import annotations

import pytest

from core.errors import IngestionError
from ingestion.frontmatter import split_front_matter


def test_front_matter_is_parsed_and_removed() -> None:
    text = "---\ntitle: Caso Rossi\ndate: 2021-03-04\nroute_countries: [NG, LY, IT]\n---\n# Facts\n\nBody.\n"
    data, body = split_front_matter(text, "case_law/rossi.md")
    assert data == {"title": "Caso Rossi", "date": "2021-03-04", "route_countries": ["NG", "LY", "IT"]}
    assert body == "# Facts\n\nBody.\n"


def test_text_without_front_matter_is_unchanged() -> None:
    text = "# Title\n\n---\n\nA rule, not front-matter.\n"
    assert split_front_matter(text, "x.md") == ({}, text)


def test_empty_block_gives_no_keys() -> None:
    assert split_front_matter("---\n---\nBody", "x.md") == ({}, "Body")


def test_nested_dates_become_iso_strings() -> None:
    data, _ = split_front_matter("---\nhearings:\n  - 2020-01-02\n---\nBody", "x.md")
    assert data == {"hearings": ["2020-01-02"]}


@pytest.mark.parametrize(
    "block", ["---\ntitle: [unclosed\n---\nBody", "---\ntitle: a\n  b: c\n---\nBody", "---\n- a list\n---\nBody"]
)
def test_invalid_front_matter_names_the_file(block: str) -> None:
    with pytest.raises(IngestionError) as error:
        split_front_matter(block, "handbook/guide.md")
    assert str(error.value).startswith("handbook/guide.md: ")
    assert "front-matter" in str(error.value)
