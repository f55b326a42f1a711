"""Text that addresses the assistant rather than the reader: documents are data, such passages are never obeyed."""

from __future__ import annotations

import re

FLAG = "injection"  # the chunk-metadata flag ingestion sets on a chunk holding such a passage

# One pattern per kind of command, each in English, Italian, French, German and Spanish: overriding the rules,
# asking for the system prompt, recasting the assistant's role, and dictating the answer it must give.
INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override|ignora(?:te)?|dimentica|ignorez?|oublie[zr]?|ignoriere|vergiss|olvida)\b"
    r".{0,40}\b(?:instructions?|prompts?|rules|istruzioni|regole|consignes|r[eè]gles|anweisungen|regeln|"
    r"instrucciones|reglas)\b"
    r"|\bsystem[- ]?prompt\b|\bprompt (?:di|del|du) (?:sistema|syst[eè]me)\b"
    r"|\b(?:new|nuove|nouvelles|neue|nuevas) (?:instructions|istruzioni|anweisungen|instrucciones)\b"
    r"|\b(?:reveal|print|show|rivela|mostra|r[ée]v[eè]le|zeige|revela)\b.{0,30}"
    r"\b(?:instructions|prompt|rules|istruzioni|regole|anweisungen|instrucciones)\b"
    r"|\byou are now\b|\bas an ai\b|\b(?:in quanto|come) (?:ia|intelligenza artificiale)\b|\ben tant qu'ia\b"
    r"|\bals ki\b|\bcomo (?:una )?ia\b"
    r"|\b(?:recommended|suggested|correct|expected) (?:answer|response|reply)\b"
    r"|\brisposta (?:consigliata|raccomandata|suggerita|corretta)\b|\br[ée]ponse (?:recommand[ée]e|attendue)\b"
    r"|\bempfohlene antwort\b|\brespuesta (?:recomendada|correcta)\b"
    r"|\byou (?:must|should|have to) (?:always |only )?(?:answer|reply|respond|say)\b"
    r"|\b(?:always|only) (?:answer|reply|respond) (?:that|with)\b"
    r"|\b(?:devi|dovete) (?:sempre )?rispondere\b|\brispondi (?:sempre|solo|che)\b"
    r"|\b(?:vous devez|tu dois) r[ée]pondre\b|\b(?:du musst|sie m[üu]ssen) antworten\b|\bdebes responder\b",
    re.I,
)


def instruction_passages(text: str) -> list[str]:
    """The lines of ``text`` that address the assistant ("Ignore previous instructions…", "Recommended answer: …")."""
    return [line.strip() for line in text.splitlines() if INJECTION.search(line)]


def without_instructions(text: str) -> str:
    """``text`` without its lines that address the assistant, for a prompt: such a line is never shown as a command."""
    return "\n".join(line for line in text.splitlines() if not INJECTION.search(line))
