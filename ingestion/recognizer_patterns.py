"""Pattern pieces and settings shared by every recognizer module: the language, the flags, capitalised words."""

from __future__ import annotations

import re

# All recognizers are registered for English: only the English spaCy model is installed, and Italian
# documents are analysed with it too, so every rule must also fire on Italian text.
LANGUAGE = "en"
# Presidio compiles patterns case-insensitively by default; ours mark case-insensitive parts with (?i:...) because
# capitals carry meaning here (a plate, a surname in capitals, "Via" versus "via Libya").
CASE_SENSITIVE = re.MULTILINE

UPPER = "A-ZÀ-ÖØ-ÞĀ-ſȘȚ"
LOWER = "a-zß-öø-ÿĀ-ſșț"
# A capitalised word in any Latin script ("Krüger", "Traoré", "Ionuț", "D'Angelo").
CAP_WORD = rf"[{UPPER}][{LOWER}{UPPER}'’\-]*"
