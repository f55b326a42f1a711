"""High-risk patterns across cases, each with the scrubbed sentences that show it."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from typing import Any

from analysis.actors import RELATIONS
from analysis.network import Network, build_network
from analysis.pseudonyms_keyed import render
from analysis.routes import legs
from analysis.workspace import StoredDocument, Workspace
from core.text import fold, split_sentences

MIN_SENDERS = 3  # an account paid by this many different people
MIN_CHILD_VICTIMS = 2
CONTROL_RELATIONS = frozenset({"recruited", "transported", "controlled", "sold"})
_PAID = re.compile(rf"\b(?:{dict(RELATIONS)['paid']}|sent|transfer\w*|bonific\w*|inviat\w*)\b", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"<[A-Z_]+?_\d+>")


class Evidence:
    """Finds and renders the sentences of stored documents that name a placeholder (split once per document)."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self._sentences: dict[str, list[str]] = {}

    def sentences(self, document: StoredDocument) -> list[str]:
        if document.id not in self._sentences:
            if document.kind == "records":
                self._sentences[document.id] = document.text.split("\n")
            else:
                self._sentences[document.id] = [s.text for s in split_sentences(document.text, keep_lines=False)]
        return self._sentences[document.id]

    def item(self, document: StoredDocument, identifier: str, detail: str = "", also: str = "") -> dict[str, Any]:
        """One evidence item: the first sentence of ``document`` naming ``identifier`` (and ``also``, if one does)."""

        def placeholders(wanted: str) -> list[str]:
            return [p for p, m in document.mentions.items() if m.identifier == wanted]

        own, other = placeholders(identifier), placeholders(also) if also else []
        naming = [s for s in self.sentences(document) if any(p in s for p in own)]
        text = next((s for s in naming if any(p in s for p in other)), naming[0] if naming else "")
        return {"identifier": identifier, "case": document.case, "document": document.id,
                "text": render(text, document.mentions), "detail": detail}  # fmt: skip


def find_patterns(network: Network) -> list[dict[str, Any]]:
    """Every high-risk pattern of the network, in a stable order."""
    evidence = Evidence(network)
    return [
        *_across_places(network, evidence),
        *_account_many_senders(network, evidence),
        *_recruiter_child_victims(network, evidence),
        *_debt_documents_child(network, evidence),
        *_repeated_routes(network),
        *_brokers(network, evidence),
    ]


@cache
def country_names() -> frozenset[str]:
    """Country names in every language phonenumbers knows them in, folded ("italy", "italia", "nigéria" → …)."""
    from phonenumbers.geodata.locale import LOCALE_DATA

    return frozenset(fold(name) for names in LOCALE_DATA.values() for name in names.values() if name[:1] != "*")


def _case_cities(network: Network) -> dict[str, set[str]]:
    """The towns and regions each case names: its documents' places without the countries."""
    countries = country_names()
    places: dict[str, set[str]] = defaultdict(set)
    for document in network.documents.values():
        places[document.case].update(p for p in document.analysis.get("places", []) if fold(p) not in countries)
    return places


def _across_places(network: Network, evidence: Evidence) -> list[dict[str, Any]]:
    """One phone, account, vehicle or person in cases set in different towns (no town in common)."""
    places = _case_cities(network)
    patterns = []
    for key in sorted(network.identifiers):
        identifier = network.identifiers[key]
        named = {case: frozenset(places[case]) for case in identifier.cases if places[case]}
        if len(named) < 2 or frozenset.intersection(*named.values()):
            continue
        items = []
        for case in sorted(named):
            document = next(network.documents[d] for d in sorted(identifier.documents)
                            if network.documents[d].case == case)  # fmt: skip
            items.append(evidence.item(document, key, "places: " + ", ".join(sorted(named[case]))))
        patterns.append({"kind": "identifier_across_cities", "evidence": items})
    return patterns


def _payments(network: Network, evidence: Evidence) -> dict[str, dict[str, tuple[StoredDocument, str]]]:
    """Receiving account → sender pseudonym → (document, account): from records and from payment sentences."""
    received: dict[str, dict[str, tuple[StoredDocument, str]]] = defaultdict(dict)
    for document in network.documents.values():
        for event in document.analysis.get("events", []):
            senders = [p for p in event["from"] if p.startswith("<PERSON")] or event["from"]
            for target in (t for t in event["to"] if t.startswith("<IBAN")):
                for sender in senders:
                    received[document.mentions[target].identifier][document.mentions[sender].identifier] = (
                        document, document.mentions[target].identifier)  # fmt: skip
        if document.kind == "records" or not any(m.kind == "IBAN" for m in document.mentions.values()):
            continue
        for sentence in evidence.sentences(document):
            found = [document.mentions[p] for p in _PLACEHOLDER.findall(sentence) if p in document.mentions]
            accounts = [m for m in found if m.kind == "IBAN"]
            if not accounts or not _PAID.search(sentence):
                continue
            for account in accounts:
                for person in (m for m in found if m.kind == "PERSON"):
                    received[account.identifier][person.identifier] = (document, account.identifier)
    return received


def _account_many_senders(network: Network, evidence: Evidence) -> list[dict[str, Any]]:
    """One account receiving money from many different people (victims paying a debt, clients paying a madam)."""
    patterns = []
    for account, senders in sorted(_payments(network, evidence).items()):
        if len(senders) < MIN_SENDERS:
            continue
        items = [evidence.item(document, account, f"sender {sender}", also=sender) for sender, (document, _) in
                 sorted(senders.items())]  # fmt: skip
        patterns.append({"kind": "account_many_senders", "evidence": items})
    return patterns


def _recruiter_child_victims(network: Network, evidence: Evidence) -> list[dict[str, Any]]:
    """One person who recruited, moved, controlled or sold several children (documents with a child victim)."""
    victims: dict[str, dict[str, StoredDocument]] = defaultdict(dict)
    for document in network.documents.values():
        if not document.analysis.get("child_victim"):
            continue
        for relation in document.analysis.get("relations", []):
            source, target = document.mentions.get(relation["source"]), document.mentions.get(relation["target"])
            if relation["type"] in CONTROL_RELATIONS and source and target and source.linking:
                victims[source.identifier].setdefault(target.identifier, document)
    patterns = []
    for person, children in sorted(victims.items()):
        if len(children) >= MIN_CHILD_VICTIMS:
            items = [evidence.item(document, person, f"child victim {child}", also=child) for child, document in
                     sorted(children.items())]  # fmt: skip
            patterns.append({"kind": "recruiter_child_victims", "evidence": items})
    return patterns


def _debt_documents_child(network: Network, evidence: Evidence) -> list[dict[str, Any]]:
    """A case where debt bondage, confiscated documents and a child victim come together."""
    found: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    child: set[str] = set()
    for document in network.documents.values():
        for match in document.analysis.get("indicators", []):
            if match["id"] in ("debt_bondage", "documents_confiscated") and match["id"] not in found[document.case]:
                text = render(match["evidence"][0] if match["evidence"] else "", document.mentions)
                found[document.case][match["id"]] = {
                    "identifier": "",
                    "case": document.case,
                    "document": document.id,
                    "text": text,
                    "detail": match["id"],
                }
        if document.analysis.get("child_victim"):
            child.add(document.case)
    return [
        {"kind": "debt_bondage_documents_child", "evidence": [found[case][key] for key in sorted(found[case])]}
        for case in sorted(child)
        if len(found[case]) == 2
    ]


def _repeated_routes(network: Network) -> list[dict[str, Any]]:
    """One leg of a journey (Craiova → Rome) told in several cases, with the sentence of each case telling it."""
    told: dict[tuple[str, str], dict[str, dict[str, Any]]] = defaultdict(dict)
    for route in network.routes:
        for leg in legs(route["places"]):
            told[leg].setdefault(route["case"], route)
    return [
        {"kind": "repeated_route", "evidence": [
            {"identifier": "", "case": case, "document": route["document"], "text": route["evidence"],
             "detail": " → ".join(route["places"])} for case, route in sorted(cases.items())]}
        for leg, cases in sorted(told.items()) if len(cases) >= 2
    ]  # fmt: skip


def _brokers(network: Network, evidence: Evidence) -> list[dict[str, Any]]:
    """The identifiers that most stand between cases (betweenness), with a sentence from each of their cases."""
    patterns = []
    for key, score in network.brokers:
        identifier = network.identifiers[key]
        documents = [network.documents[d] for d in sorted(identifier.documents, key=lambda d: int(d[1:]))]
        first = {document.case: document for document in reversed(documents)}
        items = [evidence.item(first[case], key, f"betweenness {score}") for case in sorted(first)]
        patterns.append({"kind": "broker", "evidence": items})
    return patterns


def analyse_workspace(workspace: Workspace) -> Network:
    """The network of every case in ``workspace`` with its high-risk patterns (the CLI and the page call this)."""
    network = build_network(workspace.cases(), workspace.documents())
    network.patterns = find_patterns(network)
    return network
