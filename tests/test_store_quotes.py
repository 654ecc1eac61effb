"""The same statement from many outlets is stored once with all its sources; different ones never merge."""

from __future__ import annotations

import pytest

from onrecord.store import Store
from onrecord.store.quotes import fingerprints, quote_words, same_quote
from storefakes import CLEVERLY_QUOTE, Person, Said, article, cleverly_article


@pytest.fixture
def store(store_url):
    with Store(store_url("s.db")) as s:
        yield s


Q = "We will not accept any deal that leaves our farmers worse off than they are today"


@pytest.mark.parametrize(
    "other, same",
    [
        (Q, True),
        (f"“{Q.upper()},”", True),  # marks and case fall away
        ("We will not accept any deal that leaves our farmers worse off", True),  # trimmed
        ("We will never accept any deal that leaves our farmers worse off than they are today", True),  # one word changed
        ("We will not accept any deal that leaves farmers worse off than they are today", True),  # one dropped
        ("We will accept the deal", False),
        ("Any deal that leaves our workers better off than they are today is welcome", False),
        ("We will not", False),  # too short to be the same statement unless equal
    ],
)
def test_store_quotes_same_quote(other, same):
    assert same_quote(quote_words(Q), quote_words(other)) is same
    assert same_quote(quote_words(other), quote_words(Q)) is same


def test_store_quotes_scattered_common_words_do_not_make_a_match():
    short = quote_words("we will not let the people down")
    long_ = quote_words(
        "we said that it will be hard but we do not intend to let anyone in the country or the people who elected us ever feel let down"
    )
    assert not same_quote(short, long_)


def test_store_quotes_fingerprints_are_shared_by_a_trimmed_quote_of_one_speaker_only():
    full, trimmed = quote_words(Q), quote_words("any deal that leaves our farmers worse off")
    assert fingerprints(full, "e1") & fingerprints(trimmed, "e1")
    assert not fingerprints(full, "e1") & fingerprints(trimmed, "e2")


def _sources(store, statement_id):
    return store.conn.execute(
        "SELECT a.id, o.name, ss.content_start, ss.content_end, ss.content, a.text, c.text FROM statement_sources ss "
        "JOIN articles a ON a.id = ss.article_id LEFT JOIN articles c ON c.id = a.copy_of "
        "LEFT JOIN outlets o ON o.id = a.outlet_id WHERE ss.statement_id = ? ORDER BY ss.id",
        (statement_id,),
    ).fetchall()


def _statement_of(store, words):
    rows = store.conn.execute("SELECT id, first_article_id, source_count FROM statements WHERE text LIKE ?", (f"%{words}%",)).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def test_store_quotes_one_quote_in_two_outlets_is_one_statement_first_seen_the_earlier(store):
    store.add(cleverly_article("BBC News", "2023-11-09T08:00:00+00:00"))
    guardian = store.add(cleverly_article("Guardian", "2023-11-08T18:30:00+01:00", header="From our correspondent in Tokyo."))
    assert guardian.status == "added" and guardian.merged_statements == 3 and guardian.new_statements == 0
    sid, first_article, count = _statement_of(store, "short term")
    assert count == 2 and first_article == guardian.article_id  # published earlier, ingested second
    sources = _sources(store, sid)
    assert [s[1] for s in sources] == ["BBC News", "Guardian"]
    for _, _, start, end, content, text, copied in sources:
        assert (text or copied)[start:end] == content  # every source stays checkable
    assert sources[0][2] != sources[1][2]  # offsets are each article's own
    hit = store.search("inevitable")[0]
    assert (hit.sources, hit.outlets, hit.first_seen.outlet) == (2, 2, "Guardian")


def test_store_quotes_trimmed_and_lightly_edited_quotes_merge(store):
    store.add(cleverly_article("BBC News", "2023-11-08"))
    trimmed = CLEVERLY_QUOTE.split(", because")[0]  # "In the short term it is inevitable that Israel"
    store.add(cleverly_article("Reuters", "2023-11-09", quote=trimmed))
    edited = CLEVERLY_QUOTE.replace("will need to take", "would need to take")
    store.add(cleverly_article("AP", "2023-11-10", quote=edited))
    sid, _, count = _statement_of(store, "short term")
    assert count == 3
    assert store.counts().statements == 3


def test_store_quotes_different_speakers_never_merge(store):
    store.add(cleverly_article("BBC News", "2023-11-08"))
    store.add(article(
        [Said(CLEVERLY_QUOTE, "Starmer", "Keir Starmer")],
        [Person("Keir Starmer", forms=("Starmer",))], outlet="Sky", published="2023-11-09",
    ))  # fmt: skip
    rows = store.conn.execute("SELECT speaker_id, source_count FROM statements WHERE text LIKE '%short term%' ORDER BY id").fetchall()
    assert len(rows) == 2 and rows[0][0] != rows[1][0]


def test_store_quotes_two_statements_of_one_article_never_merge(store):
    text = "The ceasefire must hold and aid must reach every family in Gaza now"
    record = article(
        [Said(text, "Cleverly", "James Cleverly"), Said(text, "he", "James Cleverly", "repeated")],
        [Person("James Cleverly", forms=("Cleverly",))], outlet="BBC News", published="2023-11-08",
    )  # fmt: skip
    store.add(record)
    assert store.counts().statements == 2
    # a second outlet printing it once merges with one of them, not both
    store.add(article([Said(text, "Cleverly", "James Cleverly")], [Person("James Cleverly", forms=("Cleverly",))], outlet="Sky", published="2023-11-09"))
    assert store.counts().statements == 2 and store.counts().sources == 3


def test_store_quotes_unresolved_speakers_merge_only_on_the_same_speaker_text(store):
    store.add(cleverly_article("BBC News", "2023-11-08"))  # "polls say ..." (unresolved)
    store.add(cleverly_article("Guardian", "2023-11-09", header="Analysis."))
    rows = store.conn.execute("SELECT speaker_text, source_count FROM statements WHERE speaker_id IS NULL").fetchall()
    assert rows == [("polls", 2)]
    store.add(article(
        [Said("could become the next UK prime minister", "analysts", None, "say", kind="indirect")],
        [], outlet="Sky", published="2023-11-10",
    ))  # fmt: skip
    assert store.conn.execute("SELECT count(*) FROM statements WHERE speaker_id IS NULL").fetchone()[0] == 2
