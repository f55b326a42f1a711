"""AppTest: signed in and switched to Italian, every page shows no English UI string; no deprecation warning.

The profile's documents, the case narrative and the model's reply are Italian, so that any English string a page
shows is the page's own: a catalogue string left untranslated (matched against the English catalog,
``core/locales/en.yaml``) or an English text written in the code (py3langid, the model ``core.text`` already uses).
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier
from streamlit.testing.v1 import AppTest

from app.feedback import FeedbackStore
from app.streamlit_app import PAGE_TABLE
from core.i18n import load_catalogs, translate
from core.settings import PROJECT_ROOT
from core.store import ChromaStore
from ingestion.pipeline import Components, build_index
from tests.fakes import HashEmbedder, KeywordScrubber
from tests.fixtures_docs import make_pdf
from tests.ui.conftest import AppEnv, make_env, signed_in

LEGGE = """---
title: Direttiva di prova sulla tratta di minori
doc_type: legislation
jurisdiction: EU
language: it
---
# Direttiva di prova sulla tratta di minori

## Articolo 2 — Reati

Gli Stati membri puniscono il reclutamento, il trasporto e l'alloggio di minori a fini di sfruttamento. Il consenso
di una vittima minorenne allo sfruttamento non è mai rilevante.
"""
SENTENZA = """---
title: Sentenza immaginaria del Tribunale di Torino sulla servitù domestica
doc_type: case_law
jurisdiction: IT
language: it
court: Tribunale di Torino
year: 2019
exploitation_type: [domestic_servitude]
recruitment_method: [family_member]
route_countries: [Nigeria, Libia, Italia]
victim_age_group: child
outcome: conviction
---
# Sentenza immaginaria sulla servitù domestica

Il tribunale ha accertato che Maria Rossi teneva una ragazza di quattordici anni in servitù domestica, senza paga né
scuola, e l'ha condannata per tratta di esseri umani.
"""
RISPOSTA = "Il consenso di una vittima minorenne allo sfruttamento non è mai rilevante [1]."
DOMANDA = "Il consenso di una vittima minorenne conta nei casi di tratta?"
RACCONTO = (
    "La ragazza ha 15 anni. La maman le ha tolto il passaporto quando è arrivata a Torino. "
    "Deve restituire un debito di 30.000 euro con la prostituzione."
)
CARICAMENTO = (
    b"# Sentenza del Tribunale di Bari\n\nMaria Rossi ha reclutato due ragazze con una falsa offerta di lavoro.\n"
)

# Names that stay as they are in Italian, each for its reason: the product's name; the language's own name in
# the language switch; words Italian has borrowed (file formats, "password", "hash", "account"); the scrubber's
# entity names, which are the placeholders' names in the text itself (<PERSON_1>).
ALLOWED = re.compile(
    r"SafeBorders Assistant|English|(?i:\b(?:Markdown|Word|DOCX|PDF|HTML|TXT|password|hash|account|chat)\b)|"
    r"\b[A-Z]{2,}(?:_[A-Z]+)*\b"
)
NOISE = re.compile(r"<[^>]{0,200}>|&lt;\w+&gt;|:material/\w+:|\S*[/\\]\S*|\S+\.(?:md|txt|pdf|docx)\b|[`*_#>|\\]")
# Fields that hold no visible text (ids, icons, a chat message's role name "user"/"assistant", its avatar)
SKIPPED_FIELDS = {
    "id",
    "form_id",
    "key",
    "icon",
    "type",
    "url",
    "spec",
    "default",
    "file_id",
    "shortcut",
    "css",
    "name",
    "avatar",
}


@pytest.fixture
def it_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppEnv]:
    """The UI profile with Italian documents and reply, and the project's indicator catalogue."""
    documents = {
        "legislation/direttiva.md": LEGGE,
        "case_law/torino_servitu.md": SENTENZA,
        "indicators/indicators.yaml": (PROJECT_ROOT / "knowledge_base/indicators/indicators.yaml").read_text("utf-8"),
    }
    env = make_env(tmp_path, monkeypatch, documents, [RISPOSTA] * 4)
    FeedbackStore.in_folder(env.settings.data_dir).add(
        user="anna", rating="down", scrubbed_question=DOMANDA, answer_text=RISPOSTA, scrubbed_comment="Manca la fonte"
    )
    yield env


def _proto_strings(message: Any) -> Iterator[str]:
    """Every text field of an element's protobuf message (labels, options, placeholders, bodies…)."""
    for field, value in message.ListFields():
        if field.name in SKIPPED_FIELDS:
            continue
        values = value if field.is_repeated else [value]
        for item in values:
            if isinstance(item, str):
                yield item
            elif hasattr(item, "ListFields"):
                yield from _proto_strings(item)


def _chart_strings(element: Any) -> Iterator[str]:
    if element.type == "vega_lite_chart":
        spec = json.loads(element.proto.spec)
        yield from (str(v) for k, v in _json_items(spec) if k == "title" and v)
    elif element.type == "graphviz_chart":
        yield from re.findall(r'label="([^"]*)"', element.proto.spec)


def _json_items(data: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield key, value
            yield from _json_items(value)
    elif isinstance(data, list):
        for item in data:
            yield from _json_items(item)


def visible_strings(at: AppTest) -> list[str]:
    """What a run shows: every element's texts, table headers, and the titles and labels of its charts."""
    found: list[str] = []
    stack: list[Any] = [at._tree]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            found += [text for text in _proto_strings(proto) if node.type not in ("vega_lite_chart", "graphviz_chart")]
        if getattr(node, "type", "") in ("vega_lite_chart", "graphviz_chart"):
            found += list(_chart_strings(node))
        if getattr(node, "type", "") == "dataframe":
            found += [str(column) for column in node.value.columns]
    return found


def _english_fragments() -> tuple[set[str], list[str]]:
    """The English-only strings of the catalogue: whole one-word strings, and the fixed parts of longer ones."""
    words, fragments = set(), []
    catalogs = load_catalogs()
    for key, english in catalogs.reference.strings.items():
        italian = catalogs.by_code["it"].strings[key]
        if english == italian or ALLOWED.fullmatch(english):
            continue
        for part in re.split(r"\{[^}]*\}", english):
            part = part.strip(" .:,;()·—-")
            if part in italian:  # "MB per file" is Italian too
                continue
            if len(part.split()) >= 2 and len(part) >= 10:
                fragments.append(part)
            elif len(part) >= 4 and " " not in part:
                words.add(part.lower())
    return words, fragments


def english_strings(strings: list[str]) -> list[str]:
    """The strings that read as English."""
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["en", "it"])
    words, fragments = _english_fragments()
    english = []
    for text in dict.fromkeys(strings):
        clean = " ".join(ALLOWED.sub(" ", NOISE.sub(" ", text)).split())
        letters = re.findall(r"[^\W\d_]{2,}", clean)
        if clean.lower() in words or any(fragment in text for fragment in fragments):
            english.append(text)
        elif len(letters) >= 2:
            language, probability = identifier.classify(clean)
            if language == "en" and probability >= 0.8:
                english.append(text)
    return english


def _run(at: AppTest, language: str) -> AppTest:
    """One run in ``language``: the value the sidebar's switch stores, given again because AppTest runs a page
    alone (no entry script, so no switch), and Streamlit drops a widget's value after a run that did not show it."""
    at.session_state["language"] = language
    return at.run()


def _walk_page(at: AppTest, file: str, language: str) -> Iterator[AppTest]:
    """The page's states worth reading: as it opens, and after its main action."""
    yield _run(at.switch_page(f"pages/{file}"), language)
    if file == "chat.py" and at.chat_input:
        at.chat_input[0].set_value(DOMANDA)
        yield _run(at, language)  # the answer, its source cards and the history sidebar with its actions
        opened = next(str(b.key) for b in at.button if str(b.key).startswith("view_"))
        at.button(key=opened).click()
        state = _run(at, language)
        assert any(block.type == "dialog" for block in _blocks(state)), "the viewer did not open"
        yield state
        at.button(key="delete_conversation").click()
        yield _run(at, language)  # the confirmation asked before deleting
    elif file == "case_analysis.py":
        at.text_area(key="case_text").set_value(RACCONTO)
        at.checkbox(key="case_store").check()
        at.button(key="case_run").click()
        yield _run(at, language)
    elif file == "knowledge_base.py":
        at.selectbox(key="kb_doc_type").set_value("case_law")
        _run(at, language)
        at.file_uploader(key="kb_upload").set_value(("bari.md", CARICAMENTO, "text/markdown"))
        yield _run(at, language)
        next(b for b in at.button if str(b.key).startswith("kb_confirm:")).click()
        _run(at, language)
        at.button(key="kb_reindex").click()
        yield _run(at, language)
        at.button(key="kb_remove").click()
        yield _run(at, language)


# The judge's pages, and the rest for the administrator, whose chat page also has the answer-style radio.
JUDGE_PAGES = ("chat.py", "case_analysis.py", "patterns.py", "account.py", "about.py")
ADMIN_PAGES = ("chat.py", *(file for _n, file, _t, _i in PAGE_TABLE if file not in JUDGE_PAGES))


def _blocks(at: AppTest) -> Iterator[Any]:
    stack: list[Any] = [at._tree]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(getattr(node, "children", {}).values())


def walk(env: AppEnv, language: str) -> Iterator[tuple[str, AppTest]]:
    """Every page of the navigation, in its states, as (page file, app after the run).

    The judge switches language with the sidebar's switch; every later run is given the value it stores
    (``_run``).
    """
    judge = signed_in(env, "jude", "judge")
    judge.radio(key="language").set_value(language).run()
    assert judge.title[0].value == translate("chat_title", language)  # the switch took effect
    admin = signed_in(env, "anna", "admin", page="pages/about.py")
    for at, files in ((judge, JUDGE_PAGES), (admin, ADMIN_PAGES)):
        for file in files:
            for state in _walk_page(at, file, language):
                assert not state.exception, (file, [e.value for e in state.exception])
                yield file, state


def test_every_page_in_italian_shows_no_english_ui_string(it_env: AppEnv) -> None:
    shown: dict[str, list[str]] = {}
    for file, state in walk(it_env, "it"):
        shown.setdefault(file, []).extend(visible_strings(state))
    assert set(shown) == {file for _n, file, _t, _i in PAGE_TABLE}
    assert "Analisi del caso" in shown["case_analysis.py"] and "Indicatore" in shown["case_analysis.py"]
    assert any("Condotta" in text for text in shown["case_analysis.py"])  # the elements are named too
    chat = shown["chat.py"]  # the history sidebar, the viewer and the confirmation before deleting were read too
    assert "Conversazioni precedenti" in chat and "Documento citato" in chat and "Apri" in chat
    assert any(text.startswith("La sezione citata") for text in chat)
    assert any(text.startswith("Eliminare la conversazione") for text in chat)
    english = {file: english_strings(strings) for file, strings in shown.items()}
    assert english == {file: [] for file in shown}


GUIDA = [
    "Guida all'identificazione dei minori vittime\nOsservazioni generali sull'ambito della guida e sui suoi capitoli.",
    "Colloqui\nIl minore vittima è ascoltato da personale formato in una stanza adatta, alla presenza del tutore.",
]
RISPOSTA_GUIDA = (
    "Il minore vittima è ascoltato da personale formato in una stanza adatta, alla presenza del tutore [1]."
)


def test_the_pdf_viewer_in_italian_shows_no_english_ui_string(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = make_env(tmp_path, monkeypatch, {"case_law/torino_servitu.md": SENTENZA}, [RISPOSTA_GUIDA])
    kb = env.settings.knowledge_base_dir
    make_pdf(kb / "handbook" / "guida.pdf", GUIDA, title="Guida all'identificazione dei minori vittime")
    components = Components(HashEmbedder(), KeywordScrubber(), ChromaStore(env.settings.vector_store))
    build_index([kb], env.settings.index_dir, env.settings, components)
    at = _run(signed_in(env, "jude", "judge"), "it")  # in Italian first: the chat input's widget is the Italian one
    at.chat_input[0].set_value("Chi ascolta il minore vittima, e in quale stanza?")
    _run(at, "it")
    at.button(key=next(str(b.key) for b in at.button if str(b.key).startswith("view_"))).click()
    shown = visible_strings(_run(at, "it"))
    at.button(key="viewer_previous").click()
    shown += visible_strings(_run(at, "it"))
    assert "Pagina 2 di 2 · Il passo citato è evidenziato in giallo." in shown
    assert "Pagina 1 di 2" in shown and "Torna alla pagina citata 2" in shown
    assert english_strings(shown) == []


def test_the_check_finds_english_strings() -> None:
    assert english_strings(["Choose a document", "found", "Esci", "Analisi di testo incollato"]) == [
        "Choose a document",
        "found",
    ]
    assert english_strings(["This page met an unexpected error while reading the file"]) != []


class _Recorder(logging.Handler):
    """Streamlit's deprecation warnings, which it logs (its loggers do not propagate) and may also warn."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _deprecations(run: Callable[[], object]) -> list[str]:
    recorder = _Recorder()
    logger = logging.getLogger("streamlit.deprecation_util")
    logger.addHandler(recorder)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            run()
    finally:
        logger.removeHandler(recorder)
    warned = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning | FutureWarning)]
    return recorder.messages + [message for message in warned if "streamlit" in message.lower()]


def _deprecated_page() -> None:
    import streamlit as st

    st.dataframe({"a": [1]}, use_container_width=True)


def test_the_recorder_sees_a_deprecated_call() -> None:
    assert any("use_container_width" in m for m in _deprecations(AppTest.from_function(_deprecated_page).run))


def test_no_page_raises_a_streamlit_deprecation_warning(it_env: AppEnv) -> None:
    pages: set[str] = set()
    assert _deprecations(lambda: pages.update(file for file, _state in walk(it_env, "en"))) == []
    assert len(pages) == len(PAGE_TABLE)
