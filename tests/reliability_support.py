"""Shared by the crash and concurrency tests: a generated corpus of small news articles (shared
speakers, quotes printed by several outlets, exact copies, near-identical rewrites), and an
ingest forker: one subprocess that loads the pipeline once and forks a real ingest
(corpus.ingest, what `onrecord ingest` runs) per request, so each run starts in milliseconds and
can be killed at any moment with SIGKILL."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import traceback
from pathlib import Path

FIRST = ["Maria", "John", "Aisha", "Tom", "Elena", "David", "Priya", "Lars", "Chen", "Fatima", "Oscar", "Grace"]
SURNAME = ["Gomez", "Smith", "Rahman", "Reed", "Petrova", "Okafor", "Nair", "Berg", "Wang", "Haddad", "Silva", "Adeyemi"]
ROLE = ["Mayor", "Senator", "council leader", "health minister", "union chief", "opposition leader"]
CITY = ["Springfield", "Riverton", "Lakeside", "Northport", "Eastvale", "Hillcrest"]
OUTLET = ["The Daily Ledger", "Northern Wire", "City Courier", "The Evening Post"]
TOPIC = ["the budget", "school funding", "the new bridge", "bus fares", "housing", "the water supply"]
QUOTES = [
    "We will fix the roads before the winter comes",
    "This plan costs far too much for the families of this city",
    "Nobody voted for higher taxes on small shops",
    "The money is there and we intend to spend it wisely",
    "Our schools cannot wait another year for repairs",
    "I have never seen a budget as reckless as this one",
    "The bridge will open on time and within its budget",
    "We need another week to get the numbers right",
    "Fares will not rise while I hold this office",
    "Every family deserves a safe and affordable home",
    "The water is safe to drink and the tests prove it",
    "This council has failed the people who elected it",
]
CLAUSES = [
    "the plan would cost the city millions",
    "the vote should be delayed until the spring",
    "the figures had been checked twice",
    "the talks had broken down on Friday",
    "more police officers were needed downtown",
]


def _article(rng: random.Random, n: int) -> dict[str, str]:
    a, b = rng.sample(range(len(FIRST)), 2)
    q1, q2 = rng.sample(QUOTES, 2)
    city, topic = rng.choice(CITY), rng.choice(TOPIC)
    role_a, role_b = rng.choice(ROLE), rng.choice(ROLE)
    paragraphs = [
        f"{city} – {role_a.capitalize()} {FIRST[a]} {SURNAME[a]} spoke about {topic} on Monday, meeting number {n}.",
        f"“{q1},” {SURNAME[a]} said.",
        f"{FIRST[b]} {SURNAME[b]}, the {role_b}, told reporters that {rng.choice(CLAUSES)}.",
        f"“{q2},” said {FIRST[b]} {SURNAME[b]}.",
    ]
    if rng.random() < 0.5:
        paragraphs.append(f"According to {SURNAME[a]}, {rng.choice(CLAUSES)}.")
    if rng.random() < 0.6:  # positions and a disagreement
        paragraphs.append(f"{FIRST[b]} {SURNAME[b]}, the {role_b}, said he supports {topic}.")
        paragraphs.append(f"{FIRST[a]} {SURNAME[a]} disagreed with {SURNAME[b]} on {topic}.")
    return {
        "title": f"{city}: {topic} debate, part {n}",
        "outlet": rng.choice(OUTLET),
        "published": f"2024-{1 + n % 12:02d}-{1 + n % 27:02d}",
        "url": f"https://news.example.org/{n}",
        "text": "\n\n".join(paragraphs),
    }


def write_corpus(path: Path, articles: int, seed: int = 9) -> int:
    """A JSON Lines corpus of `articles` records (statements, speakers with roles, positions,
    disagreements): about one in ten an exact copy of an earlier text from another outlet, one
    in ten an earlier text with a paragraph added (a near-identical rewrite); returns the
    number of lines written."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    for n in range(articles):
        roll = rng.random()
        if rows and roll < 0.1:
            row = {**rng.choice(rows), "outlet": rng.choice(OUTLET), "url": f"https://copy.example.org/{n}"}
        elif rows and roll < 0.2:
            base = rng.choice(rows)
            row = {**base, "url": f"https://rewrite.example.org/{n}", "text": base["text"] + f"\n\nThe meeting ended at {n % 12 + 1} o'clock."}
        else:
            row = _article(rng, n)
        rows.append(row)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return len(rows)


class IngestForker:
    """A subprocess (this module run as a script) holding a loaded pipeline; start() forks a
    child that runs corpus.ingest(paths, Store(db)) and returns the child's pid, wait() reaps it:
    the child's exit status, negative for the signal that ended it."""

    def __init__(self) -> None:
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        self.proc = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        self._ask({"op": "ready"})

    def _ask(self, message: dict) -> dict:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the ingest forker exited with {self.proc.wait()}")
        return json.loads(line)

    def start(self, db: str, paths: list[str]) -> int:
        return int(self._ask({"op": "start", "db": db, "paths": paths})["pid"])

    def wait(self, pid: int) -> int:
        return int(self._ask({"op": "wait", "pid": pid})["status"])

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin
            self.proc.stdin.close()
            self.proc.wait(timeout=30)


def _serve() -> None:
    """The forker's side: load the pipeline once, then answer start/wait requests line by line."""
    from onrecord import Pipeline, Settings
    from onrecord.corpus import ingest
    from onrecord.store import Store

    pipeline = Pipeline(Settings())
    pipeline.extract("Warm-up. “Yes,” she said.")  # load every lazy part before the first fork
    out = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "start":
            pid = os.fork()
            if pid == 0:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                code = 0
                try:
                    with Store(request["db"]) as store:
                        ingest(request["paths"], store, pipeline=pipeline)
                except BaseException:
                    traceback.print_exc()
                    code = 1
                os._exit(code)
            reply: dict = {"pid": pid}
        elif request["op"] == "wait":
            _, status = os.waitpid(request["pid"], 0)
            reply = {"status": -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)}
        else:
            reply = {"ok": True}
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    _serve()
