"""Digests against the official texts they summarise: article numbers and titles, numbers, and no copied wording.

Each digest in knowledge_base/legislation that names its official text in front matter (`official_text`, a file
in ../shared/corpus or ../shared/official) is read article by article. For every `## Article N – title` section:

- the official text has Article N, and its title (where it has one) appears in the digest's title;
- every number the digest writes (digits or number words, English or Italian) occurs in official Article N,
  once references to articles, paragraphs and other acts are set aside; every article a citation such as
  "(Art. 13(1))" points to exists in the instrument;
- no run of eight words is copied from the official text (in the introduction too).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from ingestion.frontmatter import split_front_matter

LEGISLATION = PROJECT_ROOT / "knowledge_base" / "legislation"
OFFICIAL_DIRS = (PROJECT_ROOT.parent / "shared" / "corpus", PROJECT_ROOT.parent / "shared" / "official")
COPY_RUN = 8

_VALUES = [*range(2, 21), 30, 40, 50, 60, 70, 80, 90, 100, 1000]
_EN = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen"]
_EN += ["fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty"]
_EN += ["sixty", "seventy", "eighty", "ninety", "hundred", "thousand"]
_IT = ["due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci", "undici", "dodici", "tredici"]
_IT += ["quattordici", "quindici", "sedici", "diciassette", "diciotto", "diciannove", "venti", "trenta", "quaranta"]
_IT += ["cinquanta", "sessanta", "settanta", "ottanta", "novanta", "cento", "mille"]
NUMBER_WORDS = {"en": dict(zip(_EN, _VALUES, strict=True)), "it": dict(zip(_IT, _VALUES, strict=True))}
# Ordinals from tenth up: entry-into-force periods ("the ninetieth day") are numbers; lower ordinals name paragraphs.
ORDINALS = {"tenth": 10, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60}
ORDINALS |= {"ninetieth": 90, "hundredth": 100}
# "one" and "un/uno/una" are left out: they are articles and pronouns far more often than counts. A fraction
# ("one third", "un terzo", "two-thirds") counts as its denominator, so "a third" and "un terzo" agree.
FRACTION = re.compile(r"\b(?:one|two|a|un|due)[\s-]+(?:thirds?|terz[oi])\b")

_NUM = r"\d+(?:-[a-z]+)?(?:\.\d+)?(?:\([0-9a-z]+\))*"
_REF_HEAD = r"\b(?:art(?:icle)?s?\.?|paragraphs?|para\.|subparagraphs?|comm[ai])\s+"
REFERENCE = re.compile(_REF_HEAD + _NUM + r"(?:\s*(?:,|and|or|to|e|–|-)\s*(?:art(?:icle)?\.?\s*)?" + _NUM + r")*")
# Names of other acts: "ETS No. 108", "Protocol No. 11", "Law 199/2016", "Directive 2011/36/EU".
ACT_NAME = re.compile(r"\b(?:c?ets|protocols?)\s*(?:no\.\s*)?\d+|\b\d+/\d+(?:/[a-z]+)?")
# "the tenth paragraph" names a paragraph (the Codice penale digest cites unnumbered commi that way).
PARAGRAPH_ORDINAL = re.compile(r"\b(?:[a-z]+th|first|second|third|eleventh|twelfth)\s+(?:paragraph|comma)\b")
# Article numbers and their Latin suffixes: a list of cited articles is not copied prose.
REFERENCE_TOKEN = re.compile(r"\d+|bis|ter|quater|quinquies|sexies|septies|octies|novies|decies|undecies")
CITATION = re.compile(r"\(arts?\.\s+(" + _NUM + r")")
DIGITS = re.compile(r"\d+(?:[.,]\d{3})*")  # "40th" counts as 40
WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")

OFFICIAL_HEADING = re.compile(r"^#{2,3}\s*(?:Article|Art\.)\s*(\d+(?:-[a-z]+)?(?:\.\d+)?)\s*$", re.IGNORECASE)
DIGEST_HEADING = re.compile(r"^## Article (\S+) – (.+)$")


@dataclass(frozen=True)
class Article:
    number: str
    title: str
    body: str


def fold(text: str) -> str:
    """Lower case without accents, with the typographic and Normattiva apostrophes ("liberta'") dropped."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[’'`]", "", text)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def numbers(text: str, language: str) -> set[int]:
    """Every number written in `text`, as digits or words, references to articles and other acts left out."""
    text = ACT_NAME.sub(" ", REFERENCE.sub(" ", PARAGRAPH_ORDINAL.sub(" ", fold(text))))
    found = {3 for _ in FRACTION.finditer(text)}
    text = FRACTION.sub(" ", text)
    found |= {int(re.sub(r"[.,]", "", match)) for match in DIGITS.findall(text)}
    found |= {ORDINALS[token] for token in WORD.findall(text) if language == "en" and token in ORDINALS}
    vocabulary = NUMBER_WORDS[language]
    tokens = WORD.findall(text)
    for i, token in enumerate(tokens):
        value = _number_word(token, vocabulary)
        if value is None or (value in (100, 1000) and i and _number_word(tokens[i - 1], vocabulary)):
            continue  # "three hundred": the multiplier was read with the word before it
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if following in ("hundred", "thousand"):
            value *= vocabulary[following]
        found.add(value)
    return found


def _number_word(token: str, vocabulary: dict[str, int]) -> int | None:
    """'eighteen', 'twenty-five', and Italian compounds of cento/mille ('trecento', 'duemila')."""
    parts = token.split("-")
    if all(part in vocabulary for part in parts):
        return sum(vocabulary[part] for part in parts)
    for unit, size in (("cento", 100), ("mila", 1000)):
        head = token.removesuffix(unit)
        if head != token and head in vocabulary:
            return vocabulary[head] * size
    return None


def official_articles(text: str) -> dict[str, Article]:
    """Articles of an official text by number; the title is the `####` line or a short first line, if any."""
    articles: dict[str, Article] = {}
    number: str | None = None
    lines: list[str] = []

    def close() -> None:
        if number is not None:
            articles[number] = _official_article(number, lines)

    for line in text.splitlines():
        heading = OFFICIAL_HEADING.match(line)
        if heading:
            close()
            number, lines = heading.group(1).lower(), []
        elif line.startswith("#") and not (line.startswith("####") and not any(x.strip() for x in lines)):
            close()
            number, lines = None, []
        elif number is not None:
            lines.append(line)
    close()
    return articles


def _official_article(number: str, lines: list[str]) -> Article:
    content = [line.strip() for line in lines if line.strip()]
    title = ""
    if content:
        first = content[0]
        if first.startswith("####"):
            title = first.lstrip("#").strip()
        elif first.startswith("(") and first.endswith(")."):
            title = first[1:-2]
        elif not first.endswith((".", ";", ":")) and len(first.split()) < 20 and not first.isupper():
            title = first
    return Article(number, title, "\n".join(content))


def digest_articles(body: str) -> list[Article]:
    articles, current = [], None
    for line in body.splitlines():
        heading = DIGEST_HEADING.match(line)
        if heading:
            current = Article(heading.group(1).lower(), heading.group(2).strip(), "")
            articles.append(current)
        elif line.startswith("## "):
            current = None
        elif current is not None:
            articles[-1] = current = Article(current.number, current.title, current.body + line + "\n")
    return articles


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.;])\s+(?=[A-Z(\"])", text) if s.strip()]


def check_digest(digest: str, official: str, instrument: str) -> list[str]:
    """Every disagreement between a digest and its official text, each naming instrument, article and statement."""
    meta, body = split_front_matter(digest, instrument)
    _, official_body = split_front_matter(official, instrument) if official.startswith("---") else ({}, official)
    language = str(meta.get("language", "en"))
    official_language = "it" if re.search(r"\b(?:chiunque|reclusione)\b", official_body) else "en"
    reference = official_articles(official_body)
    # An article the official extract does not hold may be digested if front matter says so and it awaits checking.
    outside = {str(n).lower() for n in meta.get("not_in_official_text", [])}
    unflagged = [n for n in sorted(outside) if not any(n in str(item) for item in meta.get("to_verify", []))]
    problems = [f"{instrument}, Article {n}: outside the official text but not in to_verify" for n in unflagged]
    copied = _runs(words(official_body))
    for article in digest_articles(body):
        where = f"{instrument}, Article {article.number}"
        source = reference.get(article.number)
        if source is None:
            if article.number not in outside:
                problems.append(f"{where}: the official text has no Article {article.number}")
            continue
        if source.title and " ".join(words(source.title)) not in " ".join(words(article.title)):
            problems.append(f"{where}: title {article.title!r} does not match the official {source.title!r}")
        allowed = numbers(source.body, official_language)
        for sentence in sentences(article.body):
            for wrong in sorted(numbers(sentence, language) - allowed):
                problems.append(f"{where}: {wrong} is not in the official article — {sentence!r}")
            for cited in CITATION.findall(fold(sentence)):
                if re.sub(r"\(.*", "", cited) not in reference:
                    problems.append(f"{where}: cites Art. {cited}, which the instrument does not have — {sentence!r}")
            run = copied & _runs(words(sentence))
            if run:
                problems.append(f"{where}: copies {' '.join(sorted(run)[0])!r} from the official text — {sentence!r}")
    for sentence in sentences(_introduction(body)):
        run = copied & _runs(words(sentence))
        if run:
            problems.append(f"{instrument}: copies {' '.join(sorted(run)[0])!r} in the introduction — {sentence!r}")
    return problems


def _introduction(body: str) -> str:
    """The text before the first `##` section, headings left out (the final annex lists official titles)."""
    before = re.split(r"(?m)^## ", body, maxsplit=1)[0]
    return "\n".join(line for line in before.splitlines() if not line.startswith("#"))


def _runs(tokens: list[str]) -> set[tuple[str, ...]]:
    runs = (tuple(tokens[i : i + COPY_RUN]) for i in range(len(tokens) - COPY_RUN + 1))
    return {run for run in runs if sum(bool(REFERENCE_TOKEN.fullmatch(t)) for t in run) < COPY_RUN // 2}


def official_path(name: str) -> Path:
    for folder in OFFICIAL_DIRS:
        if (folder / name).is_file():
            return folder / name
    pytest.fail(f"official text {name} not found in ../shared/corpus or ../shared/official")


def checked_digests() -> list[Path]:
    return sorted(p for p in LEGISLATION.glob("*.md") if "official_text:" in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", checked_digests(), ids=lambda p: p.stem)
def test_digest_agrees_with_official_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    meta, _ = split_front_matter(text, path.name)
    official = official_path(str(meta["official_text"])).read_text(encoding="utf-8")
    assert digest_articles(split_front_matter(text, path.name)[1]), f"{path.name} has no '## Article N – title'"
    problems = check_digest(text, official, str(meta["title"]).removesuffix(" — digest"))
    assert not problems, "\n".join(problems)


def test_every_official_text_has_its_digest() -> None:
    """Each treaty in ../shared/corpus and ../shared/official is summarised and therefore checked."""
    named = {split_front_matter(p.read_text(encoding="utf-8"), p.name)[0]["official_text"] for p in checked_digests()}
    official = {p.name for folder in OFFICIAL_DIRS for p in folder.glob("*_*.md")}
    assert len(official) == 8, sorted(official)
    assert official <= named, sorted(official - named)


CETS = "coe_convention_cets197_2005.md"
PLANTED = """---
title: planted
language: en
---
## Article 13 – Recovery and reflection period

Victims are given a recovery period of at least {days} days (Art. 13(1)). {extra}
"""


def test_a_wrong_number_is_caught() -> None:
    official = official_path(CETS).read_text(encoding="utf-8")
    assert check_digest(PLANTED.format(days="30", extra=""), official, "CETS 197") == []
    problems = check_digest(PLANTED.format(days="20", extra=""), official, "CETS 197")
    assert len(problems) == 1
    assert "CETS 197, Article 13: 20 is not in the official article" in problems[0]
    assert "at least 20 days" in problems[0]


def test_a_number_word_is_caught_but_a_reference_is_not() -> None:
    official = official_path(CETS).read_text(encoding="utf-8")
    problems = check_digest(PLANTED.format(days="thirty", extra="It lasts twenty days."), official, "CETS 197")
    assert [p.split(":")[1].strip().split()[0] for p in problems] == ["20"]
    assert check_digest(PLANTED.format(days="30", extra="See Article 12(1) and (2)."), official, "CETS 197") == []


def test_a_citation_of_a_missing_article_is_caught() -> None:
    official = official_path(CETS).read_text(encoding="utf-8")
    problems = check_digest(PLANTED.format(days="30", extra="As in (Art. 48)."), official, "CETS 197")
    assert len(problems) == 1 and "cites Art. 48" in problems[0]


def test_a_copied_run_in_the_introduction_is_caught() -> None:
    official = official_path(CETS).read_text(encoding="utf-8")
    copied = "It shall apply to all forms of trafficking in human beings, whether national."
    digest = PLANTED.format(days="30", extra="").replace("## Article 13", f"{copied}\n\n## Article 13")
    problems = check_digest(digest, official, "CETS 197")
    assert len(problems) == 1 and "in the introduction" in problems[0]


def test_a_copied_run_and_a_wrong_title_are_caught() -> None:
    official = official_path(CETS).read_text(encoding="utf-8")
    copied = "It shall not be possible to enforce any expulsion order against him."
    problems = check_digest(PLANTED.format(days="30", extra=copied), official, "CETS 197")
    assert len(problems) == 1 and "copies" in problems[0] and "expulsion order" in problems[0]
    retitled = PLANTED.format(days="30", extra="").replace("Recovery and reflection period", "Residence permit")
    assert "does not match the official 'Recovery and reflection period'" in check_digest(retitled, official, "x")[0]


def test_italian_penalties_are_read_as_numbers() -> None:
    assert numbers("e' punito con la reclusione da otto a venti anni e con la multa da euro 50.000", "it") == {
        8,
        20,
        50000,
    }
    assert numbers("imprisonment of eight to twenty years and a fine of EUR 50,000 (Art. 601-bis)", "en") == {
        8,
        20,
        50000,
    }
    assert numbers("aumentata da un terzo alla meta'", "it") == numbers("increased by one third to one half", "en")
    assert numbers("multa da lire trenta milioni a lire trecento milioni", "it") == {30, 300}
    assert numbers("a fine of thirty million to three hundred million lire", "en") == {30, 300}
    assert numbers("one hundred million lire (Art. 602-ter, tenth paragraph, c.p.)", "en") == {100}
