"""Analysing one case narrative: scrub it, then find indicators, elements, provisions, similar cases and actors."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from analysis.actors import Actor, Relation, actor_graph, extract_actors, to_dot
from analysis.catalogue import Catalogue, default_catalogue_path, load_catalogue
from analysis.elements import CHILD_LEGAL_BASIS, ChildFinding, Element, birth_ages, classify_elements, find_child
from analysis.indicators import IndicatorDetector, IndicatorMatch, Thresholds
from analysis.knowledge import Documents, Searcher
from analysis.names import indicator_label
from analysis.risk import high_risk_combinations, risk_summary
from analysis.similar import SimilarCase, find_similar
from core.embedders import embedder_name
from core.errors import IndexUnavailableError, InputError, SafeBordersError
from core.i18n import Message
from core.settings import IngestionSettings, Settings
from core.text import Sentence, detect_language, split_sentences
from ingestion.documents import ScrubResult
from ingestion.scrub import PiiScrubber, pseudonymise
from rag.search import Filters

Progress = Callable[[float, str], None]
LEGISLATION = Filters(doc_types=("legislation",))
CASE_EXTENSIONS: tuple[str, ...] = (".pdf", ".docx", ".txt", ".md")


@dataclass
class CaseAnalysis:
    """Everything found in one scrubbed case text; the original text is never kept."""

    source: str
    language: str
    indicators: list[IndicatorMatch]
    elements: dict[str, Element]
    child_victim: bool
    child_evidence: list[str]
    provisions: list[dict[str, Any]]
    similar_cases: list[SimilarCase]
    risk_summary: str
    high_risk: list[str]
    actors: list[Actor]
    relations: list[Relation]
    scrubbed_counts: dict[str, int]
    sentences: int
    notices: list[Message] = field(default_factory=list)  # in the reader's language when shown
    scrubbed_text: str = field(default="", repr=False)  # kept in memory only; stored on explicit request

    @property
    def found(self) -> bool:
        return bool(self.indicators)

    def actor_dot(self, language: str = "en") -> str:
        """The people and relations as Graphviz DOT text (for ``st.graphviz_chart``), roles named in ``language``."""
        return to_dot(actor_graph(self.actors, self.relations), language)

    def summary(self, language: str = "en") -> str:
        """The risk summary in ``language`` ("en" or "it"); ``risk_summary`` holds the English one."""
        labels = {m.indicator.id: indicator_label(m.indicator.id, m.indicator.label, language) for m in self.indicators}
        statuses = {name: element.status for name, element in self.elements.items()}
        return risk_summary(labels, statuses, self.child_victim, language)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "language": self.language,
            "indicators": [match.to_json() for match in self.indicators],
            "elements": {name: element.to_json() for name, element in self.elements.items()},
            "child_victim": self.child_victim,
            "child_evidence": list(self.child_evidence),
            "provisions": list(self.provisions),
            "similar_cases": [case.to_json() for case in self.similar_cases],
            "risk_summary": self.risk_summary,
            "high_risk_combinations": list(self.high_risk),
            "actors": [actor.to_json() for actor in self.actors],
            "relations": [relation.to_json() for relation in self.relations],
            "scrubbed_counts": dict(self.scrubbed_counts),
            "sentences": self.sentences,
            "notices": [notice.text("en") for notice in self.notices],
        }


class CaseAnalyzer:
    """Holds the catalogue, the detector and the components; one per process, safe to share between sessions."""

    def __init__(
        self,
        catalogue: Catalogue,
        embedder: Embeddings,
        scrubber: PiiScrubber,
        searcher: Searcher | None,
        thresholds: Mapping[str, Thresholds],
        *,
        documents: Documents | None = None,
        limits: IngestionSettings | None = None,
    ) -> None:
        """Set up the detector; the embedder is first used by the first analysis.

        Args:
            catalogue: the indicators to look for.
            embedder: embeds the case's sentences and the catalogue's examples.
            scrubber: removes personal data before anything else reads the text.
            searcher: the search over the knowledge base; None: no provisions or similar cases are searched.
            thresholds: the detector's thresholds per language (the settings' calibration for the embedder).
            documents: the indexed documents' front-matter, which similar cases are compared on (default: none).
            limits: what a case file or text may be (characters, pages, unpacked size); default: the defaults.
        """
        self.catalogue = catalogue
        self.detector = IndicatorDetector(catalogue, embedder, thresholds)
        self.scrubber = scrubber
        self.searcher = searcher
        self.documents: Documents = documents or dict
        self.limits = limits or IngestionSettings()

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        embedder: Embeddings,
        scrubber: PiiScrubber,
        searcher: Searcher | None = None,
        documents: Documents | None = None,
    ) -> CaseAnalyzer:
        """The analyzer with the catalogue of the configured knowledge base.

        Args:
            settings: where the knowledge base (and its indicator catalogue) is.
            embedder: the configured embedder (the one the index was built with).
            scrubber: the personal-data scrubber.
            searcher: the search over the index (the rag Assistant), or None.
            documents: the indexed documents' front-matter (the index manifest's documents), or None.

        Raises:
            ConfigError: the indicator catalogue is missing or invalid.
        """
        catalogue = load_catalogue(default_catalogue_path(settings.knowledge_base_dir))
        calibration = settings.calibration.for_embedder(embedder_name(embedder))
        return cls(
            catalogue,
            embedder,
            scrubber,
            searcher,
            calibration.indicators,
            documents=documents,
            limits=settings.ingestion,
        )

    def analyse_file(
        self, path: Path, *, language: str | None = None, max_bytes: int = 50 * 1024 * 1024,
        progress: Progress | None = None,
    ) -> CaseAnalysis:  # fmt: skip
        """Load a .pdf/.docx/.txt/.md case file and analyse it (see ``analyse_pages``).

        Raises:
            InputError: unsupported, unreadable, empty or too large file.
        """
        from ingestion.load import load_document

        if path.suffix.lower() not in CASE_EXTENSIONS:
            raise InputError(f"{path.name}: unsupported case file (use {', '.join(CASE_EXTENSIONS)})")
        try:
            document = load_document(path, path.parent, max_bytes=max_bytes, limits=self.limits)
        except SafeBordersError as exc:
            raise InputError(str(exc)) from None
        return self.analyse_pages([page.text for page in document.pages], source=path.name, language=language,
                                  progress=progress)  # fmt: skip

    def analyse_text(self, text: str, *, source: str = "pasted text", language: str | None = None,
                     progress: Progress | None = None) -> CaseAnalysis:  # fmt: skip
        return self.analyse_pages([text], source=source, language=language, progress=progress)

    def analyse_pages(
        self,
        pages: Sequence[str],
        *,
        source: str = "pasted text",
        language: str | None = None,
        progress: Progress | None = None,
    ) -> CaseAnalysis:
        """Scrub the pages, then analyse the scrubbed text.

        Args:
            pages: the case's text, one string per page.
            source: a name for the case shown in the result (the file name).
            language: "en" or "it"; detected from the text when None.
            progress: called with (fraction 0..1, message) as the work advances.

        Raises:
            InputError: the text is empty or longer than ``ingestion.max_document_chars``.
        """
        report = progress or (lambda fraction, message: None)
        original = "\n\n".join(pages)
        if not original.strip():
            raise InputError("the case text is empty: paste a narrative or upload a PDF, DOCX or TXT file")
        if len(original) > self.limits.max_document_chars:
            raise InputError(
                f"{source}: the case text has {len(original):,} characters, over the "
                f"{self.limits.max_document_chars:,} limit (ingestion.max_document_chars); split it into parts"
            )
        language = language or detect_language(original[:20_000])
        ages = birth_ages(original)  # dates of birth are scrubbed, so the age they give is read first
        scrubbed = self._scrub(pages, language, lambda f, m: report(0.3 * f, m))
        text = "\n\n".join(scrubbed.texts)
        del original
        sentences = split_sentences(text, keep_lines=False)
        child = find_child(sentences, ages)
        report(0.3, f"looking for indicators in {len(sentences)} sentences")
        matches = self.detector.detect(
            sentences, child=child.child, language=language, progress=lambda f, m: report(0.3 + 0.5 * f, m)
        )
        analysis = self._analysis(source, language, sentences, matches, child, report)
        analysis.scrubbed_counts = dict(scrubbed.counts)
        analysis.scrubbed_text = text
        return analysis

    def _analysis(
        self,
        source: str,
        language: str,
        sentences: Sequence[Sentence],
        matches: list[IndicatorMatch],
        child: ChildFinding,
        report: Progress,
    ) -> CaseAnalysis:
        """What the found indicators mean: elements, provisions, similar cases, actors and the risk summary."""
        child_victim = child.child and bool(matches)
        elements = classify_elements(sentences, matches, child_victim)
        notices: list[Message] = []
        if not matches:
            notices.append(Message("risk_none"))
        report(0.85, "searching the knowledge base")
        provisions = self._provisions(matches, elements, child_victim, notices)
        similar = self._similar(matches, child_victim, notices)
        actors, relations = extract_actors(sentences)
        labels = {match.indicator.id: match.indicator.label for match in matches}
        statuses = {name: element.status for name, element in elements.items()}
        report(1.0, "done")
        return CaseAnalysis(
            source=source,
            language=language,
            indicators=matches,
            elements=elements,
            child_victim=child_victim,
            child_evidence=child.evidence if child_victim else [],
            provisions=provisions,
            similar_cases=similar,
            risk_summary=risk_summary(labels, statuses, child_victim),
            high_risk=high_risk_combinations(labels, child_victim),
            actors=actors,
            relations=relations,
            scrubbed_counts={},
            sentences=len(sentences),
            notices=notices,
        )

    def _scrub(self, pages: Sequence[str], language: str, progress: Progress) -> ScrubResult:
        detect = getattr(self.scrubber, "detect", None)
        if not callable(detect) or len(pages) == 1:
            progress(0.0, "removing personal data")
            return self.scrubber.scrub(list(pages), language)
        found = []
        for number, page in enumerate(pages, start=1):
            found.extend(detect([page], language))  # page by page, so that a long file shows progress
            progress(number / len(pages), f"removing personal data: page {number} of {len(pages)}")
        # One pseudonym table over all pages; names mentioned on several pages keep one placeholder.
        from ingestion.pseudonyms import propagate_names

        return pseudonymise(list(pages), propagate_names(list(pages), found))

    def _provisions(
        self, matches: Sequence[IndicatorMatch], elements: dict[str, Element], child: bool, notices: list[Message]
    ) -> list[dict[str, Any]]:
        if not matches:
            return []
        cited: dict[str, list[str]] = {}
        for match in matches:
            for provision in match.indicator.provisions:
                cited.setdefault(provision, []).append(match.indicator.id)
        if child:
            for provision in CHILD_LEGAL_BASIS:
                cited.setdefault(provision, []).append("child_victim")
        provisions: list[dict[str, Any]] = [
            {"kind": "catalogue", "citation": provision, "indicators": ids} for provision, ids in cited.items()
        ]
        if self.searcher is None:
            return provisions
        forms = ", ".join(form.replace("_", " ") for form in elements["purpose"].forms)
        query = "trafficking in human beings " + forms + "; " + "; ".join(m.indicator.label for m in matches[:6])
        if child:
            query += "; child victim, means not required"
        try:
            hits = self.searcher.search(query[:1000], k=5, filters=LEGISLATION)
        except (IndexUnavailableError, InputError) as exc:
            notices.append(Message("ca_no_provisions", {"error": str(exc)}))
            return provisions
        for hit in hits:
            provisions.append({
                "kind": "retrieved", "source": hit.source, "title": hit.title, "section": hit.section, "page": hit.page,
                "score": round(hit.score, 4), "text": hit.text[:600],
            })  # fmt: skip
        return provisions

    def _similar(self, matches: Sequence[IndicatorMatch], child: bool, notices: list[Message]) -> list[SimilarCase]:
        if self.searcher is None or not matches:
            return []
        try:
            return find_similar(self.searcher, matches, child, self.documents())
        except (IndexUnavailableError, InputError) as exc:
            notices.append(Message("ca_no_similar", {"error": str(exc)}))
            return []


def format_report(analysis: CaseAnalysis) -> str:
    """The analysis as plain text for a terminal."""
    lines = [f"Case analysis — {analysis.source} ({analysis.language}, {analysis.sentences} sentences)", ""]
    if not analysis.indicators:
        lines.append("No trafficking indicators found.")
    for match in analysis.indicators:
        ind = match.indicator
        lines.append(f"- [{ind.severity}] {ind.label} ({ind.id}, {ind.element}, score {match.score:.2f})")
        lines.append(f"    “{match.evidence[0]}”")
    lines += ["", "Elements:"]
    for name, element in analysis.elements.items():
        status = element.status.replace("_", " ")
        if element.status == "not_required":
            status += " — child victim (" + "; ".join(element.legal_basis) + ")"
        lines.append(f"  {name}: {status}")
    catalogue = [p["citation"] for p in analysis.provisions if p["kind"] == "catalogue"]
    if catalogue:
        lines += ["", "Related provisions: " + "; ".join(catalogue)]
    for provision in (p for p in analysis.provisions if p["kind"] == "retrieved"):
        lines.append(f"  · {provision['title']} — {provision['section']} ({provision['source']})")
    if analysis.similar_cases:
        lines += ["", "Similar cases:"]
        for case in analysis.similar_cases:
            shared = "; ".join(f"{k}: {', '.join(v)}" for k, v in case.shared.items()) or "similar wording"
            lines.append(f"  · {case.title} ({case.source}) — shares {shared}")
    if analysis.relations:
        lines += ["", "Relations:"]
        lines += [f"  {r.source} {r.kind} {r.target}" for r in analysis.relations]
    lines += ["", analysis.risk_summary]
    lines += [f"({notice.text('en')})" for notice in analysis.notices]
    return "\n".join(lines)
