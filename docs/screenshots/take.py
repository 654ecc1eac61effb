"""Screenshots of the web pages for the README: search, James Cleverly's speaker page, the
example article and the disagreement network, from a store of the demo corpus.

    .venv/bin/onrecord ingest examples/wikinews-gum.jsonl examples/cleverly-hussain.txt --db demo.db
    .venv/bin/python docs/screenshots/take.py demo.db
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import chromium, serving  # noqa: E402

from onrecord.store import Store  # noqa: E402


def demo_ids(store_path: str) -> tuple[int, int]:
    """James Cleverly's entity id and the example article's id in the demo store."""
    with Store(store_path, create=False) as store:
        speaker = store.speaker("Cleverly").entity_id
        row = store.conn.execute("SELECT id FROM articles WHERE source LIKE '%cleverly-hussain.txt'").fetchone()
    return speaker, row[0]


def main(store_path: str = "demo.db") -> None:
    speaker, article = demo_ids(store_path)
    shots = {
        "search.png": "/search?q=ceasefire+OR+two-state+OR+security",
        "speaker.png": f"/speakers/{speaker}",
        "article.png": f"/articles/{article}",
        "disagreements.png": "/disagreements",
    }
    out = Path(__file__).parent
    with serving(store_path) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
        for name, path in shots.items():
            page.goto(base + path)
            if name == "article.png":
                page.focus("mark.q")  # shows the first statement's speaker, cue and kind
            page.screenshot(path=str(out / name), full_page=name != "article.png")
            print(out / name)


if __name__ == "__main__":
    main(*sys.argv[1:])
