"""Typo-tolerant lookup in a known vocabulary: a misspelt word ("vitima", "sogiorno", "documeti") finds its word."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

# Doubled letters are the commonest slip in Italian ("polizzia", "ragaza"): words are compared with runs collapsed.
_RUNS = re.compile(r"(.)\1+")
# Shorter words have too many neighbours one edit away ("caso", "cosa", "casa") to guess which was meant; a
# doubled letter alone is safe from this length on.
MIN_EDITED = 6
MIN_DOUBLED = 4


def skeleton(word: str) -> str:
    """The word with every run of one letter collapsed to one ("soggiorno" → "sogiorno")."""
    return _RUNS.sub(r"\1", word)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _one_slip(a: str, b: str) -> bool:
    """Whether two different words are one letter left out, one added, or two neighbours swapped apart.

    A substituted letter is not guessed: it turns too many real words into others ("presente" → "presunte").
    """
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return short in _deletions(long)


@dataclass(frozen=True)
class Speller:
    """The words of a vocabulary, indexed by their skeletons and those skeletons less one letter."""

    words: frozenset[str]
    _by_skeleton: dict[str, tuple[str, ...]]
    _by_deletion: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, vocabulary: Iterable[str]) -> Speller:
        words = frozenset(word for word in vocabulary if word.isalpha())
        by_skeleton: dict[str, set[str]] = defaultdict(set)
        by_deletion: dict[str, set[str]] = defaultdict(set)
        for word in words:
            shape = skeleton(word)
            by_skeleton[shape].add(word)
            if len(word) >= MIN_EDITED:
                for variant in _deletions(shape) | {shape}:
                    by_deletion[variant].add(word)
        return cls(
            words,
            {key: tuple(sorted(found)) for key, found in by_skeleton.items()},
            {key: tuple(sorted(found)) for key, found in by_deletion.items()},
        )

    def corrections(self, word: str) -> list[str]:
        """The vocabulary's words a misspelt ``word`` most likely stands for, or [] for a known or unguessable one.

        A word that differs only in doubled letters wins over one a slip away (a letter left out or added, two
        swapped); a slip must keep the first letter (people rarely mistype it) and is only guessed in words of
        ``MIN_EDITED`` letters or more.
        """
        if word in self.words or len(word) < MIN_DOUBLED or not word.isalpha():
            return []
        shape = skeleton(word)
        doubled = [found for found in self._by_skeleton.get(shape, ()) if found != word]
        if doubled or len(word) < MIN_EDITED:
            return doubled
        candidates = {found for variant in _deletions(shape) | {shape} for found in self._by_deletion.get(variant, ())}
        return sorted(found for found in candidates if found[0] == word[0] and _one_slip(skeleton(found), shape))
