"""Adding records: idempotent, exact copies and near-identical syndication, one transaction per
article (an abort or a SIGKILL leaves the store as it was), the same ids for the same input."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from onrecord.errors import StoreError
from onrecord.model import Article
from onrecord.store import Store
from onrecord.store import writer as writer_module
from pg_support import integrity_problems
from storefakes import Person, Said, article, cleverly_article

TESTS = Path(__file__).parent


@pytest.fixture
def store(store_url):
    with Store(store_url("s.db")) as s:
        yield s


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every row of the tables that hold what was stored, in id order."""
    tables = ("articles", "outlets", "entities", "entity_names", "mentions", "roles", "statements", "statement_sources")
    out = {t: store.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    out["fts"] = store.conn.execute("SELECT rowid, text, speaker, title FROM statements_fts ORDER BY rowid").fetchall()
    out["shingles"] = store.conn.execute("SELECT * FROM statement_shingles ORDER BY 1, 2").fetchall()
    return out


def corpus() -> list:
    """Records that exercise every path: new, merged, copy, variant names, unresolved speakers."""
    records = [
        cleverly_article("BBC News", "2023-11-08"),
        cleverly_article("Guardian", "2023-11-07", "James Cleverley", header="From our correspondent."),
        cleverly_article("AP", "2023-11-09", header="TOKYO (AP) —"),
    ]
    records.append(article(
        [Said("The bridge will reopen in May and the repairs cost less than planned", "Lopez", "Ana Lopez", "told reporters")],
        [Person("Ana Lopez", roles=("Mayor",), forms=("Lopez",))], outlet="Local News", published="2024-03-01",
    ))  # fmt: skip
    copy = records[0].article
    records.append(type(records[0])(Article(copy.text, title="Reprint", url="https://elsewhere.example/1", outlet="Elsewhere", published="2023-11-10"), records[0].statements, records[0].entities))
    return records


def test_store_add_is_idempotent(store):
    record = cleverly_article("BBC News", "2023-11-08")
    first = store.add(record)
    before = dump(store)
    again = store.add(record)
    assert (first.status, again.status) == ("added", "already_stored")
    assert again.article_id == first.article_id and again.sha256 == record.article.id
    assert dump(store) == before


def test_store_add_same_text_from_another_outlet_is_a_copy(store):
    original = cleverly_article("BBC News", "2023-11-08")
    store.add(original)
    reprint = Article(original.article.text, title="Reprinted", url="https://other.example/x", outlet="Other Paper", published="2023-11-07")
    outcome = store.known(reprint)
    assert outcome is not None and outcome.status == "copy" and outcome.copy_of == 1
    assert store.known(reprint).status == "already_stored"
    assert store.known(Article("A text never stored.")) is None
    copy_row = store.conn.execute("SELECT text, copy_of FROM articles WHERE id = ?", (outcome.article_id,)).fetchone()
    assert copy_row == (None, 1)  # the text is not stored twice
    assert store.counts().statements == 3 and store.counts().sources == 6
    hit = store.search("inevitable")[0]
    assert (hit.outlets, hit.first_seen.outlet) == (2, "Other Paper")  # the copy ran earlier


def test_store_add_near_identical_text_is_marked_syndicated_from_the_earliest(store):
    topics = ["roads", "schools", "parks", "housing", "buses", "libraries", "bridges", "clinics", "markets", "ports"]
    places = ["Leeds", "York", "Hull", "Bradford", "Wakefield", "Halifax"]
    body = [
        " ".join(f"Councillors in {place} voted {n} times on {topic} spending before the {topic} plan passed on its {n + 2}th reading."
                 for n, topic in enumerate(topics[i:] + topics[:i]))
        for i, place in enumerate(places)
    ]  # fmt: skip
    wire = article(body, [], outlet="Wire", published="2024-05-02")
    local = article(["LOCAL EDITION — updated"] + body + ["Contact the newsroom with tips."], [], outlet="Local", published="2024-05-03")
    early = article(body[:-1] + [body[-1] + " Extra."], [], outlet="Early", published="2024-05-01")
    other = article(["A quite different story about football and the weather over the weekend in the north."] * 6, [], outlet="Sport")
    assert store.add(wire).syndicated_from is None
    assert store.add(local).syndicated_from == 1
    assert store.add(other).syndicated_from is None
    assert store.add(early).status == "added"
    rows = dict(store.conn.execute("SELECT id, syndicated_from FROM articles"))
    assert rows == {1: 4, 2: 4, 3: None, 4: None}  # all point at the earliest published


def test_store_add_aborted_midway_leaves_the_store_exactly_as_before(store, monkeypatch):
    store.add(cleverly_article("BBC News", "2023-11-08"))
    before = dump(store)

    def boom(*args, **kwargs):
        raise RuntimeError("killed in the middle of the statements")

    monkeypatch.setattr(writer_module, "_insert_source", boom)
    with pytest.raises(RuntimeError):
        store.add(cleverly_article("Guardian", "2023-11-07", header="Analysis."))
    assert dump(store) == before
    assert integrity_problems(store) == []
    monkeypatch.undo()
    assert store.add(cleverly_article("Guardian", "2023-11-07", header="Analysis.")).status == "added"


def test_store_add_same_records_in_same_order_give_the_same_store(store_url):
    dumps = []
    for name in ("a.db", "b.db"):
        with Store(store_url(name)) as store:
            for record in corpus():
                store.add(record)
            dumps.append(dump(store))
    with Store(store_url("c.db")) as store:
        outcomes = store.add_many(corpus(), batch_size=2)
        dumps.append(dump(store))
    assert dumps[0] == dumps[1] == dumps[2]
    assert [o.status for o in outcomes] == ["added", "added", "added", "added", "copy"]


_WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {tests!r})
    from onrecord.store import Store
    from test_store_add import corpus
    from storefakes import article, Said, Person
    records = corpus() + [
        article([Said(f"Statement number {{i}} about the harbour wall and its repair costs", "Reed", "Tom Reed")],
                [Person("Tom Reed", roles=("Mayor",), forms=("Reed",))], outlet=f"Outlet {{i % 7}}", published=f"2024-01-{{i % 28 + 1:02d}}")
        for i in range({n})
    ]
    store = Store(sys.argv[1])
    for i, r in enumerate(records, 1):
        store.add(r)
        print(i, flush=True)
    """
)


def test_store_add_survives_sigkill_and_readding_gives_the_uninterrupted_store(store_url, tmp_path):
    script = tmp_path / "writer.py"
    # PostgreSQL writes each article slower (a round trip a statement): fewer articles still leave it mid-run
    script.write_text(_WRITER.format(tests=str(TESTS), n=400 if store_url.backend == "sqlite" else 80), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS.parent / "src"), os.environ.get("PYTHONPATH", "")])}
    killed = store_url("killed.db")
    proc = subprocess.Popen([sys.executable, str(script), str(killed)], stdout=subprocess.PIPE, text=True, env=env)
    for line in proc.stdout:  # some articles are in: kill it in the middle of the rest
        if int(line) >= 10:
            break
    time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Store(killed) as store:
        assert integrity_problems(store) == []
        stored = store.counts().articles
        # every stored article is whole: its statements all have their sources
        assert store.conn.execute("SELECT count(*) FROM statements s WHERE source_count != (SELECT count(*) FROM statement_sources WHERE statement_id = s.id)").fetchone()[0] == 0
    # finish the run: re-add everything, then compare with a run never interrupted
    done = subprocess.run([sys.executable, str(script), str(killed)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    whole = store_url("whole.db")
    subprocess.run([sys.executable, str(script), str(whole)], check=True, capture_output=True, env=env, timeout=300)
    with Store(killed) as a, Store(whole) as b:
        assert dump(a) == dump(b)
        assert 0 < stored <= a.counts().articles


def test_store_add_refuses_a_record_that_does_not_match_its_text(store):
    from dataclasses import replace

    record = cleverly_article("BBC News", "2023-11-08")
    bad = replace(record.statements[0], content=replace(record.statements[0].content, start=record.statements[0].content.start + 1))
    with pytest.raises(StoreError, match="does not match its text"):
        store.add(replace(record, statements=(bad, *record.statements[1:])))
    assert store.counts().articles == 0


def test_store_add_recomputes_the_article_id_from_the_text(store):
    from dataclasses import replace

    record = cleverly_article("BBC News", "2023-11-08")
    wrong = replace(record, article=replace(record.article, id="0" * 64))
    assert store.add(wrong).sha256 == record.article.id
    assert store.add(record).status == "already_stored"
