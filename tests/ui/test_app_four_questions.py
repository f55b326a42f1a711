"""AppTest with the real models: the four questions of issue 15 asked on an index of knowledge_base/ alone.

The index is the one `make run` builds on a fresh machine (``evaluation.eval_index.ensure_kb_index``: the default
embedder, the real scrubber); the answers come from the shipped SmolLM2 through llama.cpp. Each test asks one
question as a new user would and reads what the page shows: the first source card, the label, the answer.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import streamlit as st
import yaml
from streamlit.testing.v1 import AppTest

from app.sessions import SessionStore
from core.i18n import translate
from core.settings import CONFIG_ENV, DEFAULT_CONFIG, load_settings
from core.text import detect_language
from evaluation.eval_index import ensure_kb_index
from tests.ui.conftest import APP, AppEnv

pytestmark = pytest.mark.slow

# A card's caption: "Article 4 – Definitions · legislation/coe_….md" (the section is missing for some chunks).
_CARD_CAPTION = re.compile(r"^(?:(?P<section>.+) · )?(?P<source>(?:legislation|handbook|case_law)/\S+\.md)$")
_PLACEHOLDER = re.compile(r"(?:<|&lt;)[A-Z]+(?:_[A-Z]+)*_\d+(?:>|&gt;)")
_QUOTE_LINE = re.compile(r"^“(?P<quote>.+)” \[(?P<n>\d+)\]$")


@dataclass(frozen=True)
class Shown:
    """What the page shows of one answer."""

    label: str  # "generated", "quoted" or "declined"
    answer: str  # the answer's text as written (Markdown escapes and citation links removed)
    cards: list[tuple[int, str, str, str]]  # (n, source, section, quoted passage as plain text) in page order
    marked: list[str]  # the highlighted supporting sentence of each card, in the same order


@pytest.fixture(scope="module")
def kb_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppEnv]:
    """The shipped settings on an index of knowledge_base/ alone, with the real models; data in a temporary folder."""
    settings = load_settings(DEFAULT_CONFIG)
    index_dir, _report = ensure_kb_index(settings)
    root = tmp_path_factory.mktemp("four")
    profile = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    profile["paths"] = {
        "knowledge_base": str(settings.knowledge_base_dir),
        "index": str(index_dir),
        "data": str(root / "data"),
    }
    config = root / "profile.yaml"
    config.write_text(yaml.safe_dump(profile), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CONFIG_ENV, str(config))
        st.cache_resource.clear()
        yield AppEnv(load_settings(config), root)
    st.cache_resource.clear()


def _plain(markdown: str) -> str:
    """Markdown as the reader sees it: citation links back to "[n]", escapes and character references removed."""
    text = re.sub(r"\[\\\[(\d+)\\\]\]\(#[^)]*\)", r"[\1]", markdown)
    return html.unescape(re.sub(r"\\(.)", r"\1", text))


def _passage(card_html: str) -> tuple[str, str]:
    """A card's quoted passage as plain text, and its highlighted sentence."""
    marked = re.search(r"<mark[^>]*>(.*?)</mark>", card_html, re.S)
    text = re.sub(r"<br>", "\n", card_html)
    plain = html.unescape(re.sub(r"<[^>]+>", "", text))
    return plain, html.unescape(re.sub(r"<br>", " ", marked.group(1))) if marked else ""


def shown(at: AppTest) -> Shown:
    """Read the answer of the page's last run: its label, text and source cards."""
    assert not at.exception, [e.value for e in at.exception]
    if any(w.value == f"**{translate('not_covered', 'en')}**" for w in at.warning):
        return Shown("declined", "", [], [])
    captions = [_plain(c.value) for c in at.caption]
    quoted = any(i.value == translate("extractive_label", "en") for i in at.info)
    generated = any(c.endswith(translate("generated_label", "en")) for c in captions)
    assert quoted != generated, captions  # exactly one label says how the answer was made
    body = next(m.value for m in at.markdown if "](#source-" in m.value)
    answer = _plain(body.removeprefix("> ").replace("  \n> ", "\n") if quoted else body.replace("  \n", "\n"))
    headings = [int(m.group(1)) for md in at.markdown if (m := re.search(r"\*\*\[(\d+)\] ", md.value))]
    places = [m for c in captions if (m := _CARD_CAPTION.match(c))]
    passages = [_passage(m.value) for m in at.markdown if m.value.startswith('<div style="font-family')]
    assert len(headings) == len(places) == len(passages) >= 1, (headings, places, len(passages))
    cards = [
        (n, place["source"], place["section"] or "", text)
        for n, place, (text, _) in zip(headings, places, passages, strict=True)
    ]
    return Shown("quoted" if quoted else "generated", answer, cards, [mark for _, mark in passages])


def ask(env: AppEnv, user: str, role: str, question: str) -> Shown:
    """A new account of ``role`` asks ``question`` in a new session; what the page shows of the answer."""
    env.add_user(user, role)
    at = AppTest.from_file(APP, default_timeout=900)  # the real model on two busy cores
    token = SessionStore(env.settings.data_dir).issue(user, env.settings.app.session_minutes)
    at.session_state["auth"] = {"user": user, "role": role, "last_seen": time.time(), "token": token}
    at.run().chat_input[0].set_value(question).run()
    return shown(at)


def assert_grounded(answer: Shown) -> None:
    """Not declined, no placeholder, and every sentence shown as checked carries its source: a generated sentence
    ends with the marker of a card, a quotation is word for word in the card it names."""
    assert answer.label != "declined"
    assert not _PLACEHOLDER.search(answer.answer), answer.answer
    numbers = {n for n, *_ in answer.cards}
    passages = {n: " ".join(text.split()) for n, _s, _sec, text in answer.cards}
    lines = [line for line in answer.answer.splitlines() if line.strip()]
    if answer.label == "quoted":
        quotes = [m for line in lines[1:] if (m := _QUOTE_LINE.match(line))]
        assert quotes and len(quotes) == len(lines) - 1, lines
        for quote in quotes:
            n = int(quote["n"])
            assert n in numbers and quote["quote"].removesuffix(" …") in passages[n], (quote["quote"], passages[n])
        return
    for line in lines:
        # Sentence ends, but not the abbreviation of an article reference ("(Art. 4(a))").
        for sentence in re.split(r"(?<![Aa]rt\.)(?<=[.!?])\s+(?=[A-Z0-9])", line.strip()):
            cited = {int(n) for n in re.findall(r"\[(\d+)\]", sentence)}
            assert cited and cited <= numbers, (sentence, numbers)
    assert all(answer.marked), answer.marked  # each card highlights the sentence that supports the answer


def first_card(answer: Shown) -> tuple[str, str]:
    _n, source, section, _text = answer.cards[0]
    return source, section


def test_article_4_of_the_council_of_europe_convention(kb_env: AppEnv) -> None:
    answer = ask(kb_env, "jude", "judge", "What does Article 4 of the Council of Europe Convention say about "
                 "trafficking in children?")  # fmt: skip
    assert_grounded(answer)
    source, section = first_card(answer)
    assert source == "legislation/coe_convention_cets197_trafficking.md" and section.startswith("Article 4 "), section
    # Every card is the article asked for: no sentence of another article is passed off as Article 4.
    assert all(card[2].startswith("Article 4 ") for card in answer.cards), answer.cards


def test_an_italian_girl_of_16_without_papers(kb_env: AppEnv) -> None:
    answer = ask(kb_env, "fiona", "frontline", "Una ragazza dice di avere 16 anni ma non ha documenti, cosa devo fare?")
    assert_grounded(answer)
    source, _section = first_card(answer)
    assert source.startswith("handbook/03_"), answer.cards  # presumption of minority and age assessment
    if answer.label == "generated":
        assert detect_language(answer.answer) == "it", answer.answer
    else:
        first_quote = _QUOTE_LINE.match(answer.answer.splitlines()[1])
        assert first_quote is not None and int(first_quote["n"]) == answer.cards[0][0]  # the best source leads
        assert answer.answer.splitlines()[0] == translate("answer_extractive_prefix", "it")


def test_a_14_year_old_selling_on_the_street(kb_env: AppEnv) -> None:
    answer = ask(kb_env, "frank", "frontline", "a 14-year-old selling on the street, scared of an adult nearby: "
                 "who do I call first?")  # fmt: skip
    assert answer.label != "declined" and answer.cards
    # The frontline role prior keeps judgments' narratives out while the handbook answers (rag/role_prior.py).
    assert not any(card[1].startswith("case_law/") for card in answer.cards), answer.cards
    source, _section = first_card(answer)
    if not source.startswith("handbook/05_"):
        # Known gap of issue 15 (7 December 2026): the question's words are mostly the situation (age, street, fear),
        # which the first-contact chapter's "Safety first", the age-assessment scenario and the indicators match
        # better than the referral chapter's list of whom to call (fused 10th; 6th once the judgments are held
        # back, so not among the five hits). The answer now cites only handbook chapters, the scenario first.
        pytest.xfail(f"the referral chapter is not the first source: {[card[1:3] for card in answer.cards]}")
    assert_grounded(answer)


# The child provision of the definition, as the digests and the official texts word it.
NO_MEANS = re.compile(
    r"none of the means|no means|not involve any of the means|without (?:any of )?the means|"
    r"only the act and (?:the )?(?:exploitative )?purpose|act and the (?:exploitative )?purpose (?:are|is) enough",
    re.I,
)
CHILD_PROVISIONS = {
    "legislation/un_palermo_protocol_trafficking.md": "Article 3 ",
    "legislation/coe_convention_cets197_trafficking.md": "Article 4 ",
    "legislation/directive_2011_36_eu_trafficking.md": "Article 2 ",
}


def test_must_the_means_be_proven_for_a_child(kb_env: AppEnv) -> None:
    answer = ask(kb_env, "judith", "judge", "When the victim is a child, must the means (force, deception...) be "
                 "proven?")  # fmt: skip
    assert_grounded(answer)
    source, section = first_card(answer)
    assert section.startswith(CHILD_PROVISIONS.get(source, "-")), answer.cards
    assert NO_MEANS.search(answer.answer) or NO_MEANS.search(answer.marked[0]), (answer.answer, answer.marked)
