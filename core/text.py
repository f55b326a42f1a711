"""Text tools shared by retrieval, grounding, translation, scrubbing and case analysis: one implementation each."""

from __future__ import annotations

import bisect
import functools
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# An ISO 639-1 language code ("en", "it", "es", "el", …); code that needs English or Italian (the interface strings,
# the glossary) treats every other code as English.
Language = str


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ---- folding --------------------------------------------------------------------------------------------------------


def strip_accents(text: str) -> str:
    """The text without diacritics, case kept ("Città" → "Citta"; compatibility forms decomposed too)."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower case without accents, so "Città" and "citta" compare equal."""
    return strip_accents(text.lower())


# ---- language -------------------------------------------------------------------------------------------------------

# Words frequent in one language and rare in the other ("a", "e", "in" are both, so they are left out).
ENGLISH_FUNCTION_WORDS = _words(
    "the of and to is are was were be been that this these those for with by on from it its as at or not "
    "what which who when where why how does do did must should can could may shall will would has have "
    "there their they an any if than"
)
ITALIAN_FUNCTION_WORDS = _words(
    "il lo la gli le di del dello della dei degli delle che è per con non sono era essere deve devono "
    "quando quale quali cosa chi dove perché come nel nella nei negli al alla ai agli dal dalla da se "
    "anche questo questa ha hanno può possono più un una uno ed ad sul sulla cui qual"
)
_LETTERS = re.compile(r"[^\W\d_]+")


# The languages a short text is told apart among: the EU's official languages and those frequent among the people
# the users meet (candidate countries, main countries of origin). A few words of Italian must not come out as
# Maltese or Esperanto; a longer text is identified among all the languages the model knows.
LANGUAGES = (
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv", "mt", "nl", "pl",
    "pt", "ro", "sk", "sl", "sv",
    "ar", "bn", "fa", "hi", "ru", "sq", "sr", "th", "tr", "uk", "ur", "zh",
)  # fmt: skip
DEFAULT_LANGUAGE: Language = "en"
SHORT_TEXT_CHARS = 400
_MIN_LETTERS = 3  # fewer letters ("Art. 4", "GRETA?") say nothing about a language
_MIN_CONFIDENCE = 0.5  # below this share of the probability among the candidates the text counts as unclear


@functools.cache
def _identifier() -> Any:
    """py3langid's identifier with its shipped model (loaded once, about two seconds)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> Language:
    """The text's language as an ISO 639-1 code ("en", "it", "es", "el", …), by py3langid's model.

    Args:
        text: any text. A short one (a question) is identified among ``LANGUAGES``; one with almost no letters or
            no clear winner counts as English, the language of most of the knowledge base.
    """
    if sum(len(word) for word in _LETTERS.findall(text)) < _MIN_LETTERS:
        return DEFAULT_LANGUAGE
    shares = language_shares(text)
    code, share = next(iter(shares.items()), (DEFAULT_LANGUAGE, 0.0))
    return code if share >= _MIN_CONFIDENCE else DEFAULT_LANGUAGE


def language_shares(text: str) -> dict[Language, float]:
    """Each candidate language's share of py3langid's probability for the text, the likeliest first (a short text's
    candidates are ``LANGUAGES``); empty when no candidate gets any."""
    ranked = _identifier().rank(text)
    if len(text) <= SHORT_TEXT_CHARS:
        ranked = [(code, p) for code, p in ranked if code in LANGUAGES]
    total = sum(p for _, p in ranked)
    return {str(code): float(p) / total for code, p in ranked} if total > 0 else {}


def language_purity(text: str, min_words: int = 4) -> float:
    """How surely each half of the text is in the whole text's language: the smaller of the two halves' shares of
    it (1 for a text of fewer than ``min_words`` words). A sentence that starts in Romanian and goes on in Italian
    is clearly Romanian or Italian as a whole, but one of its halves is not."""
    words = text.split()
    if len(words) < min_words:
        return 1.0
    whole = language_shares(text)
    if not whole:
        return 1.0
    language = next(iter(whole))
    half = len(words) // 2
    return min(language_shares(" ".join(part)).get(language, 0.0) for part in (words[:half], words[half:]))


# ---- stop words and negations ---------------------------------------------------------------------------------------

# BM25's stop words, folded: the corpus mixes English and Italian and the users ask in both.
SEARCH_STOP_WORDS = _words(
    """a an the and or of to in on at by for from with without as is are was were be been being it its this that these
    those which who whom whose what when where why how not no nor than then there here such any all each every other
    into onto upon under over about between among within shall may must should can could would will do does did has
    have had if so also only very more most less least same i you he she we they me him her us them my your his our
    their il lo la i gli le un uno una di da in con su per tra fra e ed o od che chi cui non ne si ci vi del dello
    della dei degli delle al allo alla ai agli alle dal dallo dalla dai dagli dalle nel nello nella nei negli nelle
    sul sullo sulla sui sugli sulle è sono essere come anche ma se quando dove questo questa questi queste quello
    quella"""
)
# Words that say nothing about the law to the grounding check: they neither count as support nor make a sentence
# substantive (the function words, plus the vocabulary of questions and answers about documents).
GROUNDING_STOP_WORDS = (
    ENGLISH_FUNCTION_WORDS
    | ITALIAN_FUNCTION_WORDS
    | _words(
        "a e i o in also such other into under over about any all some only more most so then thus therefore "
        "however because while whether being his her him she he we you your our us them these within upon "
        "answer question questions source sources document documents text information provided according based "
        "article articles says said note yes "
        "risposta domanda fonte fonti documento documenti testo informazioni secondo articolo articoli sì "
        "ma o né si ci ne lei lui loro suo sua suoi sue nostro vostro tale tali ogni tutti tutto altro altri "
        "quindi però mentre perciò inoltre stato stata sia siano"
    )
)
# Words that negate what follows, as folded single tokens (the grounding check's polarity test).
NEGATIONS = _words("not no never cannot none nothing neither nor without non mai nessun nessuna nessuno senza")
# The same, with contractions and the rarer cues case files use (the case analysis, on lower-cased text).
NEGATION_CUES = NEGATIONS | _words(
    "nobody can't didn't doesn't don't isn't wasn't weren't hasn't haven't hadn't won't wouldn't n't "
    "né niente nemmeno neanche neppure"
)


# ---- stemming -------------------------------------------------------------------------------------------------------

# Snowball's stemmers by the ISO codes documents and questions carry; text in a language without one (Polish,
# Bulgarian, Czech, …) is folded, not stemmed.
_SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "et": "estonian", "eu": "basque", "fi": "finnish", "fr": "french", "ga": "irish",
    "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian",
    "ne": "nepali", "nl": "dutch", "no": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish",
}  # fmt: skip


@functools.cache
def stemmer(language: str) -> Callable[[str], str]:
    """The word stemmer for a language: Snowball's, remembered per word (stemming a word costs ~0.1 ms).

    Args:
        language: a language code ("en", "it", …); for one Snowball lacks, words are returned unchanged.
    """
    import snowballstemmer

    name = _SNOWBALL.get(language)
    if name is None:
        return lambda token: token
    snowball = snowballstemmer.stemmer(name)
    lock = threading.Lock()  # a Snowball stemmer keeps the word it works on in itself: one word at a time

    def stem(word: str) -> str:
        with lock:
            return str(snowball.stemWord(word))

    return functools.lru_cache(maxsize=1 << 17)(stem)


_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ness", "ies", "ied", "ed", "es", "s")
_IT_SUFFIXES = ("zioni", "zione", "mente", "ità", "ita")


def light_stem(word: str) -> str:
    """A folded word without one common English or Italian suffix and its final vowel (the grounding check's stem).

    Bolder than Snowball across both languages at once: "vittima" and "vittime", "exploitation" and "exploited" meet.
    """
    if word.isdigit() or len(word) <= 4:
        return word
    for suffix in _IT_SUFFIXES + _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    # Italian inflects on the final vowel (vittima/vittime, minore/minori); English words lose a silent e.
    if len(word) > 4 and word[-1] in "aeio":
        word = word[:-1]
    return word


# Plural and feminine endings, and the singular or masculine endings to try instead, in order.
_INFLECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("he", ("a",)),
    ("hi", ("o", "e")),
    ("i", ("o", "e", "a", "io")),
    ("e", ("a", "o")),
    ("a", ("o",)),
    ("o", ("a",)),
)
_MIN_INFLECTED = 4  # shorter words (di, da, le) are only matched as written
# Verb endings (present tense, past participle, gerund), longest first: dictionaries list verbs in the infinitive,
# questions conjugate them ("Chi chiamo?", "è stata punita", "segnalando").
_VERB_ENDINGS = (
    "iamo", "ando", "endo", "ato", "ata", "ati", "ate", "uto", "uta", "uti", "ute", "ito", "ita", "iti", "ite",
    "ete", "ano", "ono", "o", "i", "a", "e",
)  # fmt: skip
_INFINITIVES = ("are", "ere", "ire")
_MIN_VERB_STEM = 3


# Pronouns written onto infinitives and gerunds ("perseguirla", "segnalarlo", "costringendola", "difendersi"),
# longest first; the adverb ending that turns an adjective into "-mente" ("penalmente", "temporaneamente").
_ENCLITICS = ("gliela", "glielo", "gliele", "glieli", "gliene", "gli", "la", "lo", "le", "li", "ne", "si", "mi",
              "ti", "ci", "vi")  # fmt: skip
_ADVERB = "mente"


def _unattached(word: str) -> list[str]:
    """The word without a pronoun written onto its verb, or an adverb as its adjective: "perseguirla" →
    "perseguire", "costringendola" → "costringendo", "penalmente" → "penale", "temporaneamente" → "temporanea"."""
    if word.endswith(_ADVERB) and len(word) - len(_ADVERB) >= _MIN_INFLECTED:
        stem = word[: -len(_ADVERB)]
        return [stem] if stem.endswith("a") else [stem + "e"] if stem.endswith(("l", "r")) else []
    for pronoun in _ENCLITICS:
        stem = word[: -len(pronoun)]
        if word.endswith(pronoun) and len(stem) > _MIN_VERB_STEM:
            if stem.endswith(("ar", "er", "ir")):
                return [stem + "e"]
            if stem.endswith(("ando", "endo")):
                return [stem]
    return []


def italian_base_forms(word: str) -> list[str]:
    """An Italian word as written, its singular or masculine forms (vittime → vittima), then the infinitives it may
    be a form of (chiamo → chiamare, punita → punire), then the same for the word without a pronoun written onto
    it or as the adjective of its adverb (perseguirla → perseguire): the forms to look up in a dictionary, in order."""
    forms = _inflected(word)
    for unattached in _unattached(word):
        forms += _inflected(unattached)
    return list(dict.fromkeys(forms))


def _inflected(word: str) -> list[str]:
    forms = [word]
    if len(word) >= _MIN_INFLECTED:
        for ending, replacements in _INFLECTIONS:
            if word.endswith(ending):
                stem = word[: -len(ending)]
                forms += [stem + r for r in replacements if stem + r != word]
        if not word.endswith(_INFINITIVES):
            stems = (word[: -len(e)] for e in _VERB_ENDINGS if word.endswith(e))
            stem = next((s for s in stems if len(s) >= _MIN_VERB_STEM), "")  # chiamo: not "ch-iamo" but "chiam-o"
            forms += [stem + infinitive for infinitive in _INFINITIVES] if stem else []
    return list(dict.fromkeys(forms))


# ---- sentences ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """One sentence of a text: its order, its text, where it starts, its line and list marker ("1", "-", "")."""

    index: int
    text: str
    start: int
    line: int = 0
    marker: str = ""


def split_sentences(text: str, *, keep_lines: bool = True) -> list[Sentence]:
    """Split text into sentences; full stops after abbreviations ("e.g.", "c.p.", "Art. 4") end none.

    Args:
        text: the text.
        keep_lines: True for answers and sources: every line is split on its own, a list marker ("1.", "-")
            is taken off the line's first sentence into ``marker``, citation markers stay with the sentence
            they follow. False for case narratives: sentences run across single line breaks (blank lines and
            list items end them), whitespace inside a sentence collapses, and runs without punctuation are cut
            at ``MAX_SENTENCE_CHARS``.
    """
    return _line_sentences(text) if keep_lines else _narrative_sentences(text)


# Abbreviations after which a period never ends a sentence, and those that do not when a number follows.
_LINE_ABBREVIATIONS = _words(
    "e.g i.e eg ie c.p c.p.p cfr cf vs v dr mr mrs ms prof avv dott sig d.lgs dlgs d.l d.p.r l u.s e.u u.n "
    "ss seq ibid op cit approx ca rif lett"
)
_BEFORE_NUMBER = _words("no nos n nn art arts artt para paras par p pp sec co comma cap ch vol reg dir")
_LINE_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)]*((?:\s*\[[^\]\n]{1,30}\])*)(?=\s|$)")
_LIST_MARKER = re.compile(r"^\s*(?:#+\s*|(\d{1,2})[.)]\s+|[-*•]\s+|[a-z]\)\s+)")


def _line_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    offset = 0
    for line_no, (raw, with_end) in enumerate(zip(text.splitlines(), text.splitlines(keepends=True), strict=True)):
        marker_match = _LIST_MARKER.match(raw)
        marker, body_at = "", 0
        if marker_match:
            marker = marker_match.group(1) or raw[: marker_match.end()].strip()[:1]
            body_at = marker_match.end()
        body = raw[body_at:]
        ends = [m.end() for m in _LINE_BOUNDARY.finditer(body) if _ends_line_sentence(body, m)]
        start = 0
        for end in [*ends, len(body)]:
            piece = body[start:end]
            if piece.strip():
                at = offset + body_at + start + len(piece) - len(piece.lstrip())
                first = not out or out[-1].line != line_no
                out.append(Sentence(len(out), piece.strip(), at, line_no, marker if first else ""))
            start = end
        offset += len(with_end)
    return out


def _ends_line_sentence(body: str, match: re.Match[str]) -> bool:
    punctuation = body[match.start()]
    after = body[match.end() :].lstrip()
    if after[:1].islower():
        return False
    if punctuation != "." or any(ch in "!?…" for ch in match.group(0)):
        return True
    word = body[: match.start()].rsplit(maxsplit=1)[-1].lower().lstrip("(") if body[: match.start()].strip() else ""
    if word in _LINE_ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return False
    return not (word in _BEFORE_NUMBER and after[:1].isdigit())


# Words after which a full stop does not end a sentence of an English or Italian case file.
_NARRATIVE_ABBREVIATIONS = _words(
    "mr mrs ms dr st no nos art arts para p pp c cp sig sigg dott dr.ssa avv prof cell tel n nr vol v vs e.g i.e "
    "a.m p.m etc fig jr sr ca approx ss co ltd spa srl s.p.a s.r.l ing geom on avv.to dott.ssa sig.ra"
)
_NARRATIVE_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+|\n\s*\n+|\n(?=\s*(?:[-*•]|\d+[.)])\s)")
MAX_SENTENCE_CHARS = 600


def _narrative_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]
    start = 0
    for match in _NARRATIVE_BOUNDARY.finditer(text):
        before = text[start : match.start()]
        following = text[match.end() : match.end() + 1]
        if match.group().strip() and not match.group().startswith("\n") and not _ends_narrative(before, following):
            continue
        _add(sentences, newlines, text, start, match.start() + len(match.group().rstrip()))
        start = match.end()
    _add(sentences, newlines, text, start, len(text))
    return sentences


def _ends_narrative(before: str, following: str) -> bool:
    last = before.rsplit(None, 1)[-1].lower() if before.strip() else ""
    last = last.lstrip("(\"'“«")
    if last in _NARRATIVE_ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
        return False
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", last):  # c.p, a.m, s.p.a
        return False
    return not (following.islower() or following.isdigit())


def _add(sentences: list[Sentence], newlines: list[int], text: str, start: int, end: int) -> None:
    while start < end:
        piece = text[start:end]
        stripped = piece.strip()
        if not stripped:
            return
        offset = start + piece.index(stripped[0])
        line = bisect.bisect_left(newlines, offset)
        if len(stripped) <= MAX_SENTENCE_CHARS:
            sentences.append(Sentence(len(sentences), " ".join(stripped.split()), offset, line))
            return
        cut = stripped.rfind(" ", 0, MAX_SENTENCE_CHARS)
        cut = cut if cut > MAX_SENTENCE_CHARS // 2 else MAX_SENTENCE_CHARS
        sentences.append(Sentence(len(sentences), " ".join(stripped[:cut].split()), offset, line))
        start = offset + cut
