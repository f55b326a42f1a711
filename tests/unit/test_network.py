"""Case workspaces on fakes: keyed pseudonyms, records, storage, links, patterns, exports and the command line."""

from __future__ import annotations

import io
import json
import re
import stat
from collections.abc import Sequence
from pathlib import Path

import networkx as nx
import pytest

from analysis.case import CaseAnalyzer
from analysis.catalogue import default_catalogue_path, load_catalogue
from analysis.cli import main
from analysis.intake import CaseIntake
from analysis.network import build_network
from analysis.network_export import write_csv, write_graphml
from analysis.network_patterns import analyse_workspace, find_patterns
from analysis.pseudonyms_keyed import (
    KeyedScrubber,
    Mention,
    keyed_id,
    links,
    load_or_create_key,
    normalise,
    scrub_with_keys,
)
from analysis.records import parse_rows, scrub_records
from analysis.workspace import NewDocument, StoredDocument, Workspace
from core.errors import ConfigError, InputError
from core.settings import PROJECT_ROOT, IngestionSettings
from ingestion.pseudonyms import Detection
from tests.fakes import HashEmbedder
from tests.unit.test_case_analysis import RULES_ONLY

KEY = b"k" * 32
NAMES = ("Joy Okafor", "OKAFOR Joy", "Okafor", "Precious Ehigie", "Favour Osagie", "Ibrahim Diallo", "Blessing")
# Phones, IBANs, plates and e-mails as the real recognisers find them; names from a fixed list.
_PATTERNS = (
    ("EMAIL", r"[\w.]+@[\w.]+\w"),
    ("IBAN", r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){4,7}(?: ?[A-Z0-9]{1,3})?\b"),
    ("PHONE", r"(?:\+|00)?\d[\d ]{8,15}\d"),
    ("PLATE", r"\b[A-Z]{2} ?\d{3} ?[A-Z]{2}\b"),
    ("PERSON", "|".join(sorted(map(re.escape, NAMES), key=len, reverse=True))),
)


class RegexDetector:
    """Finds identifiers by their format and names from a list, like the Presidio scrubber's ``detect``."""

    def detect(self, texts: Sequence[str], language: str = "en") -> list[list[Detection]]:
        pages = []
        for text in texts:
            found: list[Detection] = []
            for kind, pattern in _PATTERNS:
                for match in re.finditer(pattern, text):
                    if not any(d.start < match.end() and match.start() < d.end for d in found):
                        found.append(Detection(match.start(), match.end(), kind))
            pages.append(sorted(found, key=lambda d: d.start))
        return pages


def make_intake(workspace: Workspace, key: bytes = KEY) -> CaseIntake:
    scrubber = KeyedScrubber(RegexDetector(), key)
    catalogue = load_catalogue(default_catalogue_path(PROJECT_ROOT / "knowledge_base"))
    analyzer = CaseAnalyzer(catalogue, HashEmbedder(), scrubber, None, RULES_ONLY)
    return CaseIntake(analyzer, scrubber, workspace, IngestionSettings())


FILES = {
    "palermo_report.txt": "The girl Precious Ehigie, aged 15, was recruited by Joy Okafor in Lagos. Okafor took her "
    "passport. The madam called her from +39 333 1234567 and she paid into IT60 X054 2811 1010 0000 0123 456 in "
    "Palermo.",
    "torino_statement.md": "La ragazza è stata contattata da OKAFOR Joy dal numero 3331234567 a Torino.",
    "foggia_report.txt": "Ibrahim Diallo drove the van AB 123 CD from Foggia. Blessing worked in the fields.",
    "genova_report.txt": "Blessing said she worked in Genova without pay.",
    "transfers.csv": "date,sender_name,receiver_account,amount,city\n"
    "2024-01-05,Precious Ehigie,IT60X0542811101000000123456,150,Palermo\n"
    "2024-01-06,Favour Osagie,IT60X0542811101000000123456,100,Palermo\n"
    "2024-01-07,Blessing,IT60 X054 2811 1010 0000 0123 456,120,Palermo\n",
}
RAW = ["Joy Okafor", "Okafor", "Ehigie", "Osagie", "Diallo", "1234567", "IT60", "AB 123 CD", "AB123CD", *FILES,
       *(Path(name).stem for name in FILES)]  # fmt: skip


@pytest.fixture
def case_files(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "incoming"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return {name: folder / name for name in FILES}


def run_cli(argv: list[str], intake: CaseIntake | None = None) -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, stdout=out, intake_factory=lambda *_: intake) if intake else main(argv, stdout=out)
    return code, out.getvalue()


def filled_workspace(tmp_path: Path, case_files: dict[str, Path]) -> Workspace:
    workspace = Workspace(tmp_path / "ws")
    intake = make_intake(workspace)
    cases = {"PA-1": ["palermo_report.txt", "transfers.csv"], "TO-2": ["torino_statement.md"],
             "FG-3": ["foggia_report.txt"], "GE-4": ["genova_report.txt"]}  # fmt: skip
    for case, names in cases.items():
        argv = ["add", "--workspace", str(workspace.folder), "--case", case, *(str(case_files[n]) for n in names)]
        assert run_cli(argv, intake)[0] == 0
    return workspace


@pytest.mark.parametrize(
    ("kind", "variants"),
    [
        ("PHONE", ["+39 333 1234567", "3331234567", "0039 333 123 4567", "+39-333-123-4567"]),
        ("IBAN", ["IT60 X054 2811 1010 0000 0123 456", "it60x0542811101000000123456"]),
        ("PLATE", ["AB 123 CD", "ab123cd", "AB-123-CD"]),
        ("EMAIL", ["Dritan.Kola@Example.NET", " dritan.kola@example.net"]),
        ("PERSON", ["Joy Okafor", "OKAFOR Joy", "Jóy  Okáfor"]),
    ],
)
def test_values_written_differently_get_one_pseudonym(kind: str, variants: list[str]) -> None:
    assert len({keyed_id(KEY, kind, value) for value in variants}) == 1
    assert keyed_id(KEY, kind, variants[0]).startswith(f"{kind}-")


def test_pseudonyms_depend_on_the_key_and_the_value() -> None:
    assert keyed_id(KEY, "PHONE", "3331234567") != keyed_id(b"x" * 32, "PHONE", "3331234567")
    assert keyed_id(KEY, "PHONE", "3331234567") != keyed_id(KEY, "PHONE", "3331234568")
    assert normalise("PHONE", "333 1234567") == "+393331234567"
    assert normalise("PHONE", "+40 721 234 567") == "+40721234567"


def test_a_given_name_alone_or_a_birth_date_does_not_link() -> None:
    assert links("PERSON", "Joy Okafor")
    assert not links("PERSON", "Blessing")
    assert not links("DATE_OF_BIRTH", "01/02/2008")
    assert links("PLATE", "AB 123 CD")


def test_key_is_created_private_once_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "pseudonym.key"
    key = load_or_create_key(path)
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == key
    path.write_bytes(b"short")
    with pytest.raises(ConfigError, match="not a pseudonym key"):
        load_or_create_key(path)


def test_a_person_is_keyed_by_the_fullest_form_of_their_name() -> None:
    text = "Joy Okafor called. Later Okafor left."
    keyed = scrub_with_keys(KEY, [text], RegexDetector().detect([text]))
    assert keyed.result.texts == ["<PERSON_1> called. Later <PERSON_1> left."]
    assert keyed.mentions["<PERSON_1>"].identifier == keyed_id(KEY, "PERSON", "Joy Okafor")


def test_records_become_events_between_pseudonyms() -> None:
    keyed, events = scrub_records(FILES["transfers.csv"], "transfers.csv", RegexDetector(), KEY)
    assert [e["kind"] for e in events] == ["transfer"] * 3
    assert events[0]["from"] == ["<PERSON_1>"] and events[0]["to"] == ["<IBAN_1>"]
    assert events[0]["amount"] == "150" and events[0]["place"] == "Palermo" and events[0]["row"] == 2
    assert len({keyed.mentions[e["to"][0]].identifier for e in events}) == 1
    assert "Ehigie" not in keyed.result.texts[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("date,amount\n2024-01-01,5\n", "no identifier column"),
        ("caller,callee\n", "at least one event row"),
        ("caller,callee\n3331234567\n", "row 2 has 1 cells, the header has 2"),
    ],
)
def test_bad_records_files_are_refused_with_the_reason(data: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_rows(data, "calls.csv")


def test_workspace_stores_a_file_once_in_a_private_database(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws")
    mention = Mention("<PHONE_1>", "PHONE-1", "PHONE", True)
    document = NewDocument("f1", "narrative", "en", "call <PHONE_1>", {"places": []}, [mention])
    assert workspace.add("case A", document) == "D1"
    assert workspace.add("case A", document) is None
    assert workspace.add("case B", document) == "D2"
    assert workspace.cases() == ["case A", "case B"]
    assert workspace.documents()[1].mentions == {"<PHONE_1>": mention}
    assert stat.S_IMODE(workspace.path.stat().st_mode) == 0o600
    with pytest.raises(InputError, match="case name is empty"):
        workspace.add("  ", document)


def test_add_and_network_link_cases_through_identifiers(tmp_path: Path, case_files: dict[str, Path]) -> None:
    workspace = filled_workspace(tmp_path, case_files)
    code, out = run_cli(["network", "--workspace", str(workspace.folder), "--json"])
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"cases", "identifiers", "links", "networks", "routes", "timeline", "patterns"}
    assert data["cases"] == ["PA-1", "TO-2", "FG-3", "GE-4"]
    assert [link["cases"] for link in data["links"]] == [["PA-1", "TO-2"]]
    via = {item["id"]: item for item in data["identifiers"]}
    assert {via[i]["type"] for i in data["links"][0]["via"]} == {"PHONE", "PERSON"}
    assert data["networks"] == [["PA-1", "TO-2"]]  # "Blessing" alone links nobody
    phone = next(via[i] for i in data["links"][0]["via"] if via[i]["type"] == "PHONE")
    assert set(phone) == {"id", "type", "cases", "documents"} and phone["documents"] == ["D1", "D3"]


def test_patterns_come_with_their_evidence(tmp_path: Path, case_files: dict[str, Path]) -> None:
    network = analyse_workspace(filled_workspace(tmp_path, case_files))
    kinds = {pattern["kind"]: pattern for pattern in network.patterns}
    assert set(kinds) >= {"account_many_senders", "identifier_across_cities"}
    assert "broker" not in kinds  # with two linked cases only, nothing stands between cases
    senders = kinds["account_many_senders"]["evidence"]
    assert len(senders) == 3 and all(item["identifier"].startswith("IBAN-") for item in senders)
    assert all("receiver_account: <IBAN-" in item["text"] for item in senders)
    cities = kinds["identifier_across_cities"]["evidence"]
    assert {item["case"] for item in cities} == {"PA-1", "TO-2"}
    assert any("Torino" in item["detail"] for item in cities)


def test_nothing_raw_reaches_the_workspace(tmp_path: Path, case_files: dict[str, Path]) -> None:
    workspace = filled_workspace(tmp_path, case_files)
    stored = b"".join(path.read_bytes().lower() for path in workspace.folder.rglob("*") if path.is_file())
    assert stored  # the database is there and holds the cases
    assert [raw for raw in RAW if raw.lower().encode() in stored] == []


def test_exports_open_in_networkx_and_as_csv(tmp_path: Path, case_files: dict[str, Path]) -> None:
    network = analyse_workspace(filled_workspace(tmp_path, case_files))
    write_graphml(network, tmp_path / "out" / "network.graphml")
    graph = nx.read_graphml(tmp_path / "out" / "network.graphml")
    assert graph.nodes["case:PA-1"]["type"] == "case"
    phone = next(node for node, data in graph.nodes(data=True) if data["type"] == "PHONE")
    assert graph.nodes[phone]["cases"] == "PA-1;TO-2"
    nodes, edges = write_csv(network, tmp_path / "csv")
    assert nodes.read_text(encoding="utf-8").splitlines()[0] == "id,type,label,case,cases"
    assert "mentions" in edges.read_text(encoding="utf-8")


def test_add_names_each_failed_file_and_exits_1(
    tmp_path: Path, case_files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.xlsx").write_bytes(b"x")
    (tmp_path / "empty.txt").write_text("  ", encoding="utf-8")
    workspace = Workspace(tmp_path / "ws")
    argv = ["add", "--workspace", str(workspace.folder), "--case", "A", str(case_files["torino_statement.md"]),
            str(tmp_path / "notes.xlsx"), str(tmp_path / "empty.txt"), str(tmp_path / "missing.pdf")]  # fmt: skip
    code, out = run_cli(argv, make_intake(workspace))
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert out == "case A: 1 added (D1)\n"
    assert err[0].startswith("FAILED notes.xlsx: unsupported file")
    assert err[1] == "FAILED empty.txt: empty file"
    assert err[2].startswith("FAILED missing.pdf: cannot read file")
    assert len(err) == 3


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as usage:
        main(["add", "--workspace", str(tmp_path)])
    assert usage.value.code == 2
    code, _ = run_cli(["network", "--workspace", str(tmp_path / "none"), "--json"])
    assert code == 2
    assert capsys.readouterr().err.strip().endswith("no workspace here; add files with python -m analysis add")
    inside = ["add", "--workspace", str(tmp_path / "ws"), "--case", "A", "--key", str(tmp_path / "ws" / "k"), "x.txt"]
    assert main(inside) == 2
    assert "must live outside the workspace" in capsys.readouterr().err


def test_network_of_hand_made_documents_finds_brokers_and_child_recruiters() -> None:
    def document(number: int, case: str, mentions: dict[str, str], relations: list[tuple[str, str]]) -> StoredDocument:
        stored = {p: Mention(p, i, i.split("-")[0], True) for p, i in mentions.items()}
        said = [{"source": s, "target": t, "type": "recruited", "evidence": ""} for s, t in relations]
        analysis = {"child_victim": True, "places": [], "indicators": [], "relations": said}
        text = " ".join(f"{a} recruited {b}." for a, b in relations) or " ".join(mentions)
        return StoredDocument(f"D{number}", case, "narrative", "en", text, analysis, stored)

    recruited = [("<PERSON_1>", "<PERSON_2>")]
    documents = [
        document(1, "A", {"<PERSON_1>": "PERSON-r", "<PERSON_2>": "PERSON-v1"}, recruited),
        document(2, "B", {"<PERSON_1>": "PERSON-r", "<PERSON_2>": "PERSON-v2", "<PHONE_1>": "PHONE-p"}, recruited),
        document(3, "C", {"<PHONE_1>": "PHONE-p"}, []),
    ]
    network = build_network(["A", "B", "C"], documents)
    assert network.networks == [["A", "B", "C"]]
    assert network.brokers[0][0] in {"PERSON-r", "PHONE-p"}
    assert network.graph.has_edge("PERSON-r", "PERSON-v2")
    network.patterns = find_patterns(network)
    recruiter = next(p for p in network.patterns if p["kind"] == "recruiter_child_victims")
    assert {item["detail"] for item in recruiter["evidence"]} == {"child victim PERSON-v1", "child victim PERSON-v2"}


@pytest.mark.parametrize(
    "sentence",
    [
        "<PERSON_2> said she had been recruited in Benin City by a man called <PERSON_1>, who lied.",
        "La minore <PERSON_2> dichiara di essere stata reclutata a Benin City da <PERSON_1>.",
        "<PERSON_2> è stata portata a Roma da una donna di nome <PERSON_1>.",
        "<PERSON_1> recruited <PERSON_2> in Lagos.",
    ],
)
def test_the_agent_of_a_passive_verb_is_the_source(sentence: str) -> None:
    from analysis.actors import extract_actors
    from core.text import split_sentences

    relations = extract_actors(split_sentences(sentence))[1]
    assert [(r.source, r.target) for r in relations] == [("<PERSON_1>", "<PERSON_2>")]


def test_a_given_name_alone_is_one_person_per_document_in_the_graph(
    tmp_path: Path, case_files: dict[str, Path]
) -> None:
    network = analyse_workspace(filled_workspace(tmp_path, case_files))
    blessings = [n for n in network.graph if "@" in n]
    assert blessings and all(len(list(network.graph.neighbors(n))) >= 1 for n in blessings)
    by_case = {network.documents[n.split("@")[1]].case for n in blessings}
    assert {"FG-3", "GE-4"} <= by_case
    assert not nx.has_path(network.graph, "case:GE-4", "case:PA-1")
