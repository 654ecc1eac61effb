"""What the hybrid engine adds to the rules, or puts in place of theirs, on news without gold: to judge by hand.

    .venv/bin/python benchmarks/hybrid_additions.py ../shared/corpus/wikinews-gum.jsonl

Both engines extract every article of a JSON Lines file (a "text" field each); a hybrid statement
whose content span no rules statement has is printed with its cue, speaker, resolved entity and
content, and under it any rules statement on the same words that it replaces. A check of precision
on news the model and the rules were not tuned on (docs/model.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from onrecord import Pipeline, Settings
from onrecord.model import Extraction, Statement


def main(argv: list[str] | None = None) -> int:
    """Print the statements hybrid adds to the rules or puts in place of theirs, and how many."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("jsonl", help="a JSON Lines file of articles with a text field")
    args = ap.parse_args(argv)
    texts = [json.loads(line)["text"] for line in Path(args.jsonl).read_text(encoding="utf-8").splitlines() if line.strip()]
    rules, hybrid = Pipeline(Settings(engine="rules")), Pipeline(Settings(engine="hybrid"))
    added = replaced = 0
    for text in texts:
        before = rules.extract(text)
        known = {(s.content.start, s.content.end) for s in before.statements}
        record = hybrid.extract(text)
        for s in record.statements:
            if (s.content.start, s.content.end) in known:
                continue
            print(_line(record, s))
            overlapped = [r for r in before.statements if r.content.start < s.content.end and s.content.start < r.content.end]
            for r in overlapped:
                print(f"    instead of {_line(before, r)}")
            replaced += bool(overlapped)
            added += not overlapped
    print(f"{added} statements added and {replaced} put in place of the rules' over {len(texts)} articles")
    return 0


def _line(record: Extraction, s: Statement) -> str:
    entity = record.entity(s.speaker.entity) if s.speaker and s.speaker.entity else None
    return (f"{s.cue.text if s.cue else '-'!r} | {s.speaker.text if s.speaker else '-'} -> "
            f"{entity.name if entity else '-'} | {s.content.text[:100]!r}")


if __name__ == "__main__":
    sys.exit(main())
