"""Adds to a question file's gold, beside each official-treaty article, the digest article that summarises it.

The evaluation index holds both the official treaties (../shared/corpus) and the knowledge base, so a question whose
answer is CETS 197 Article 4 is also answered by the digest's "Article 4" chunk. A digest names its official text in
front matter (`official_text`); only articles the digest has a `## Article N – …` section for are added.

Usage: python -m evaluation.digest_gold [evaluation/questions/dev.jsonl]   (rewrites the file in place; idempotent)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from core.settings import PROJECT_ROOT
from ingestion.frontmatter import split_front_matter

LEGISLATION = PROJECT_ROOT / "knowledge_base" / "legislation"
DEV = PROJECT_ROOT / "evaluation" / "questions" / "dev.jsonl"
_SECTION = re.compile(r"^## (Article \S+) – ", re.MULTILINE)


def digest_articles() -> dict[tuple[str, str], str]:
    """(official file, "Article N") -> the digest source ("legislation/…") holding that article."""
    found: dict[tuple[str, str], str] = {}
    for path in sorted(LEGISLATION.glob("*.md")):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"), path.name)
        official = meta.get("official_text")
        if official:
            for article in _SECTION.findall(body):
                found[(str(official), article)] = f"legislation/{path.name}"
    return found


def with_digest_gold(record: dict, digests: dict[tuple[str, str], str]) -> dict:
    """The record with each digest article inserted right after the official article it mirrors."""
    gold: list[dict[str, str]] = []
    present = {(g["source"], g["section"]) for g in record["gold"]}
    for item in record["gold"]:
        gold.append(item)
        digest = digests.get((item["source"], item["section"]))
        if digest and (digest, item["section"]) not in present:
            gold.append({"source": digest, "section": item["section"]})
            present.add((digest, item["section"]))
    return {**record, "gold": gold}


def main(path: Path = DEV) -> int:
    digests = digest_articles()
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    updated = [with_digest_gold(record, digests) for record in records]
    added = sum(len(new["gold"]) - len(old["gold"]) for old, new in zip(records, updated, strict=True))
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in updated), encoding="utf-8")
    print(f"{path.name}: {added} digest gold entries added")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEV))
