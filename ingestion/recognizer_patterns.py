"""Pattern pieces and settings shared by every recognizer module: the language, the flags, capitalised words."""

from __future__ import annotations

import re

# All recognizers are registered for English: only the English spaCy model is installed, and Italian
# documents are analysed with it too, so every rule must also fire on Italian text.
LANGUAGE = "en"
# Presidio compiles patterns case-insensitively by default; ours mark case-insensitive parts with (?i:...) because
# capitals carry meaning here (a plate, a surname in capitals, "Via" versus "via Libya").
CASE_SENSITIVE = re.MULTILINE

UPPER = "A-ZÀ-ÖØ-ÞĀ-ſȘȚΆΈΉΊΌΎΏΑ-ΩЁА-Я"
LOWER = "a-zß-öø-ÿĀ-ſșțά-ώΐа-яѐ-џ"
# A capitalised word in the Latin, Greek or Cyrillic script ("Krüger", "Traoré", "Ionuț", "D'Angelo", "Συγγρού",
# "Раковски"): Greece, Cyprus and Bulgaria write their addresses in their own alphabets.
CAP_WORD = rf"[{UPPER}][{LOWER}{UPPER}'’\-]*"
