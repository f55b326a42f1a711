"""AppTest: images, links and HTML written in a document or by the model never reach the page as such."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app.render import citation_anchor, highlight_html, link_citations, safe_markdown, safe_tokens
from tests.ui import conftest
from tests.ui.conftest import COVERED_QUESTION, AppEnv, signed_in
from tests.ui.fake_app import install_fakes

IMAGE = '![stamp](http://evil.example/a.png) <img src="http://evil.example/b.png">'
SENTENCE = f"The consent of a child victim to the exploitation is never relevant {IMAGE}."
# An image in Markdown syntax that is not escaped, an inline link, or an HTML tag that loads a URL.
_LIVE = re.compile(r"(?<!\\)!(?<!\\)\[[^\]]*(?<!\\)\]\(|(?<!\\)\[[^\]]*(?<!\\)\]\(http|(?<!\\)<(?:img|a)\b", re.I)


@pytest.mark.parametrize(
    "text",
    [
        IMAGE,
        "[![x](http://e/a.png)](http://e/b)",
        "[ref]: http://e/a.png\n![x][ref]",
        "\\![x](http://e/a.png)",
        "<IMG SRC=http://e/a.png>",
    ],
)
def test_safe_markdown_leaves_no_image_link_or_html(text: str) -> None:
    shown = safe_markdown(text)
    assert not _LIVE.search(shown) and "http://" not in shown and "]:" not in shown


def test_safe_markdown_keeps_the_words_and_citation_markers() -> None:
    assert safe_markdown("**Act** [1][2]. See ![the seal](x.png).") == "**Act** \\[1\\]\\[2\\]. See the seal."


def test_citation_markers_link_only_to_their_cards_on_the_page() -> None:
    text = safe_markdown(f"Never relevant [1]. See [2] and [7]. {IMAGE} [here](http://evil.example/[1])")
    linked = link_citations(text, "42", {1, 2})
    assert "Never relevant [\\[1\\]](#source-42-1). See [\\[2\\]](#source-42-2) and \\[7\\]." in linked
    links = re.findall(r"\]\(([^)]*)\)", linked)
    assert links == ["#source-42-1", "#source-42-2"]  # no other link, and none to the document's URLs
    assert _LIVE.search(linked) is None
    assert citation_anchor('7"><script>', 3) == "source-7script-3"  # an id cannot leave its attribute


def test_streamed_tokens_are_escaped_one_by_one() -> None:
    shown = "".join(safe_tokens(["![st", "amp](http", "://evil.example/a.png) <im", "g>"]))
    assert not _LIVE.search(shown) and re.search(r"(?<!\\)<", shown) is None


@pytest.fixture
def poisoned_env(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> AppEnv:
    """The UI profile whose directive holds an image and an HTML tag in the sentence the model copies."""
    original = "The consent of a child victim to the exploitation is never relevant."
    monkeypatch.setattr(conftest, "LEGISLATION", conftest.LEGISLATION.replace(original, SENTENCE))
    return request.getfixturevalue("app_env")


@pytest.mark.parametrize("reply", [f"{SENTENCE} [1]", "Bananas are yellow and the moon is cheese."])
def test_images_in_a_document_or_a_draft_are_never_rendered(
    poisoned_env: AppEnv, monkeypatch: pytest.MonkeyPatch, reply: str
) -> None:
    install_fakes([reply], monkeypatch.setattr)
    streamed: list[str] = []
    write_stream = st.write_stream

    def recording(tokens: Iterable[str]) -> object:
        def tee() -> Iterable[str]:
            for token in tokens:
                streamed.append(token)
                yield token

        return write_stream(tee())

    monkeypatch.setattr(st, "write_stream", recording)
    at: AppTest = signed_in(poisoned_env, "judy", "judge")
    at.chat_input[0].set_value(COVERED_QUESTION).run()
    assert not at.exception
    shown = [str(e.value) for kind in ("markdown", "caption", "info") for e in getattr(at, kind)]
    assert any("stamp" in text for text in shown)  # the document's (or the draft's) text is on the page
    assert [text for text in shown if _LIVE.search(text)] == []
    assert streamed and not _LIVE.search("".join(streamed))


def test_the_upload_preview_holds_no_image_link_or_tag() -> None:
    html = highlight_html(f"{IMAGE} www.evil.example", [(0, 5)])
    assert not _LIVE.search(html) and "http://" not in html and "www." not in html
    assert html.startswith("<mark>&#33;&#91;sta</mark>") and "&lt;img" in html
