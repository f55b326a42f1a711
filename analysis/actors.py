"""People and relations in a scrubbed case: pseudonymised actors, their roles and who did what to whom."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import networkx as nx

from analysis.names import name
from analysis.sentences import negated_before
from core.text import Sentence

_PERSON = re.compile(r"<PERSON_\d+>")
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "recruiter": ("recruiter", "broker", "sponsor", "agent", "reclutatore", "reclutatrice",
                  "intermediario", "intermediary", "connection man"),
    "transporter": ("driver", "transporter", "smuggler", "autista", "passeur", "trasportatore"),
    "controller": ("madam", "madame", "maman", "boss", "controller", "pimp", "caporale", "gangmaster", "owner",
                   "padrone", "capo", "protettore", "sfruttatore", "sfruttatrice", "defendant", "imputato", "imputata"),
    "victim": ("victim", "complainant", "vittima", "persona offesa", "la ragazza", "the girl", "the boy",
               "il ragazzo", "minore", "minor"),
    "client": ("client", "customer", "cliente"),
}  # fmt: skip
# (relation, verb pattern); the actor before the verb acts on the actor after it, unless the verb is passive.
RELATIONS: tuple[tuple[str, str], ...] = (
    ("recruited", r"recruit\w*|persuaded|convinced|lured|reclut\w+|convint\w+|adescat\w+"),
    ("transported", r"drove|driven|transport\w*|brought|trasport\w+|accompagn\w+|portat\w+|portava"),
    ("controlled", r"controll\w+|confiscat\w+|threaten\w*|beat|beats|beaten|locked|forced|exploit\w*|sfrutt\w+|"
                   r"minacci\w+|picchi\w+|costrin\w+|costrett\w+"),
    ("paid", r"paid|pays|pay|sent money|pagav\w+|pagat\w+|pagano|versat\w+|versava"),
    ("sold", r"sold|sells|vendut\w+|vendev\w+"),
)  # fmt: skip
# A passive verb before the agent, who may be introduced by a few words ("by a man called", "da una donna di nome").
_PASSIVE = re.compile(
    r"\b(?:was|were|been|being|stat[aoie]|viene|veniva|vengono|venivano|fu|furono)\b[^<]*"
    r"\b(?:by|da|dal|dalla|dallo|dai|dagli|dalle)\b(?:\s+(?!and\b|e\b|with\b|con\b|to\b)[^\s<]+){0,4}\s*$"
)


@dataclass
class Actor:
    """A pseudonymised person with the roles suggested by the words around their mentions."""

    id: str  # the scrubber's placeholder, e.g. <PERSON_2>
    roles: list[str] = field(default_factory=list)
    mentions: int = 0

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "roles": list(self.roles), "mentions": self.mentions}


@dataclass(frozen=True)
class Relation:
    """``source`` did ``kind`` to ``target`` (e.g. <PERSON_1> recruited <PERSON_2>), shown by ``evidence``."""

    source: str
    target: str
    kind: str
    evidence: str

    def to_json(self) -> dict[str, str]:
        return {"source": self.source, "target": self.target, "type": self.kind, "evidence": self.evidence}


def extract_actors(sentences: Sequence[Sentence]) -> tuple[list[Actor], list[Relation]]:
    """Actors from the scrubber's <PERSON_n> placeholders and the relations stated between pairs of them."""
    actors: dict[str, Actor] = {}
    role_votes: dict[str, Counter[str]] = {}
    relations: list[Relation] = []
    for sentence in sentences:
        text = sentence.text
        mentions = list(_PERSON.finditer(text))
        for position, match in enumerate(mentions):
            actor = actors.setdefault(match.group(), Actor(match.group()))
            actor.mentions += 1
            # Only the words next to this mention, never past a neighbouring person's placeholder.
            left = mentions[position - 1].end() if position > 0 else 0
            right = mentions[position + 1].start() if position + 1 < len(mentions) else len(text)
            window = text[max(left, match.start() - 40) : min(right, match.end() + 40)].lower()
            votes = role_votes.setdefault(actor.id, Counter())
            for role, words in ROLE_WORDS.items():
                if any(re.search(rf"\b{re.escape(word)}\b", window) for word in words):
                    votes[role] += 1
        for first, second in itertools.pairwise(mentions):
            between = text[first.end() : second.start()]
            if len(between) > 80 or first.group() == second.group():
                continue
            relation = _relation(between, first.group(), second.group(), text)
            if relation is not None and relation not in relations:
                relations.append(relation)
    for actor_id, votes in role_votes.items():
        actors[actor_id].roles = [role for role, _ in votes.most_common(2)]
    for relation in relations:  # the verbs say more than the nearby words
        _add_role(actors, relation)
    return sorted(actors.values(), key=lambda a: int(a.id.strip("<>").split("_")[1])), relations


def _relation(between: str, first: str, second: str, sentence: str) -> Relation | None:
    lowered = between.lower()
    for kind, pattern in RELATIONS:
        for match in re.finditer(rf"\b(?:{pattern})\b", lowered):
            if negated_before(lowered, match.start(), window=2):
                continue
            passive = _PASSIVE.search(lowered[: match.start()] + lowered[match.start() :]) is not None
            source, target = (second, first) if passive else (first, second)
            return Relation(source, target, kind, sentence)
    return None


def _add_role(actors: dict[str, Actor], relation: Relation) -> None:
    implied = {
        "recruited": ("recruiter", "victim"), "transported": ("transporter", "victim"),
        "controlled": ("controller", "victim"), "sold": ("seller", "victim"), "paid": ("payer", "payee"),
    }  # fmt: skip
    source_role, target_role = implied[relation.kind]
    for actor_id, role in ((relation.source, source_role), (relation.target, target_role)):
        actor = actors[actor_id]
        if role not in actor.roles:
            actor.roles.insert(0, role)
        del actor.roles[3:]


def actor_graph(actors: Sequence[Actor], relations: Sequence[Relation]) -> nx.MultiDiGraph:
    """A directed graph: one node per actor (with its roles), one edge per relation."""
    graph = nx.MultiDiGraph()
    for actor in actors:
        graph.add_node(actor.id, roles=list(actor.roles))
    for relation in relations:
        graph.add_edge(relation.source, relation.target, kind=relation.kind)
    return graph


def to_dot(graph: nx.MultiDiGraph, language: str = "en") -> str:
    """Graphviz DOT text for ``st.graphviz_chart`` (rendered in the browser, no graphviz install needed).

    Roles and relations are named in ``language`` ("en" or "it"); the people are their placeholders.
    """
    lines = ["digraph actors {", '  rankdir=LR; node [shape=box, style="rounded,filled", fillcolor="#eef3fb"];']
    for node, data in graph.nodes(data=True):
        roles = ", ".join(name("roles", role, language) for role in data.get("roles", []) or ["role_unknown"])
        lines.append(f'  "{_dot(node)}" [label="{_dot(node)}\\n{_dot(roles)}"];')
    for source, target, data in graph.edges(data=True):
        kind = name("relations", data.get("kind", ""), language)
        lines.append(f'  "{_dot(source)}" -> "{_dot(target)}" [label="{_dot(kind)}"];')
    lines.append("}")
    return "\n".join(lines)


def _dot(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace('"', '\\"')
