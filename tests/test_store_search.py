"""Search: bm25 ranking, highlighted matches, filters, and user queries that never break FTS5."""

from __future__ import annotations

import random

import pytest

from onrecord.errors import StoreError
from onrecord.store import Store, fts_query
from storefakes import Person, Said, article, cleverly_article


def _mayor(outlet, published, quote, kind="direct", name="Ana Lopez"):
    return article(
        [f"Mayor {name} spoke at the town hall.", Said(quote, name.split()[-1], name, "told reporters", kind=kind)],
        [Person(name, roles=("Mayor",), forms=(name.split()[-1],))],
        outlet=outlet, published=published, title=f"{name} on the bridge",
    )  # fmt: skip


@pytest.fixture(scope="module")
def store(module_store_url):
    with Store(module_store_url("s.db")) as s:
        s.add(cleverly_article("BBC News", "2023-11-08"))
        s.add(cleverly_article("Guardian", "2023-11-07", header="Analysis."))
        s.add(_mayor("Local News", "2024-03-01", "The bridge will reopen in May and the bridge repairs cost less than planned"))
        s.add(_mayor("Evening Post", "2024-04-02", "Nobody should cross the old bridge until the engineers say it is safe", kind="indirect"))
        s.add(_mayor("Evening Post", "2024-05-02", "Gaza is far from here but our thoughts are with every family there", kind="mixed"))
        yield s


def test_store_search_ranks_by_bm25_and_highlights(store):
    hits = store.search("bridge")
    assert hits and all("[bridge]" in h.highlighted.lower() for h in hits[:2])
    assert hits[0].text.count("bridge") == 2  # the statement saying it twice ranks first
    assert [h.score for h in hits] == sorted(h.score for h in hits)
    assert hits[0].highlighted.replace("[", "").replace("]", "") == hits[0].text
    assert store.search("bridge", marks=("<b>", "</b>"))[0].highlighted.count("<b>bridge</b>") == 2


def test_store_search_hit_carries_speaker_cue_and_first_seen(store):
    hit = store.search("inevitable Israel")[0]
    assert hit.speaker == "James Cleverly" and hit.cue == "told reporters" and hit.kind == "direct"
    assert (hit.first_seen.outlet, hit.first_seen.published, hit.sources, hit.outlets) == ("Guardian", "2023-11-07", 2, 2)
    assert hit.first_seen.url.startswith("https://guardian")


def test_store_search_matches_speaker_names_and_titles_too(store):
    assert {h.speaker for h in store.search("Lopez")} == {"Ana Lopez"}
    assert store.search("cleverley") == []  # a spelling never printed is not in the index
    assert len(store.search("Cleverly Gaza")) >= 1


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"speaker": "lopez"}, {"Ana Lopez"}),
        ({"speaker": "James Cleverley"}, {"James Cleverly"}),
        ({"outlet": "local news"}, {"Ana Lopez"}),
        ({"outlet": "Guardian"}, {"James Cleverly", "polls"}),  # polls: "Gaza" in the title
        ({"since": "2024-04-01"}, {"Ana Lopez"}),
        ({"until": "2023-11-07"}, {"James Cleverly", "polls"}),  # inclusive, the Guardian ran it that day
        ({"since": "2023-11-08", "until": "2023-11-08"}, {"James Cleverly", "polls"}),
        ({"kind": "mixed"}, {"Ana Lopez"}),
    ],
)
def test_store_search_filters(store, filters, expected):
    hits = store.search("gaza OR bridge OR israel", **filters)
    assert hits and {h.speaker for h in hits} == expected


def test_store_search_filters_that_exclude_everything(store):
    assert store.search("bridge", since="2025-01-01") == []
    assert store.search("bridge", kind="direct", outlet="Evening Post") == []
    assert store.search("bridge", limit=1) and len(store.search("bridge", limit=1)) == 1


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"speaker": "Nobody Known"}, "no speaker"),
        ({"outlet": "Daily Nowhere"}, "no outlet"),
        ({"since": "last tuesday"}, "ISO date"),
        ({"kind": "rumour"}, "kind"),
    ],
)
def test_store_search_bad_filters_are_clear_errors(store, bad, message):
    with pytest.raises(StoreError, match=message):
        store.search("bridge", **bad)


@pytest.mark.parametrize(
    "query",
    ['"', '"bridge', "bridge)", "(bridge", "AND", "bridge AND", "OR OR", "NOT bridge", "-bridge", "*", "bridge*", "b*",
     "^bridge", "bridge:", "col:bridge", "NEAR(bridge reopen)", "' OR 1=1 --", "\x00", "{text}: bridge", "🙂", "brid\u00adge"],
)  # fmt: skip
def test_store_search_hostile_queries_never_raise(store, query):
    hits = store.search(query)
    assert isinstance(hits, list)


def test_store_search_query_syntax_is_plain_words():
    assert fts_query("") == "" and fts_query("  *  -  ") == ""
    assert fts_query('Gaza "peaceful leadership" pol*') == '"Gaza" AND "peaceful leadership" AND "pol" *'
    assert fts_query("AND OR NOT") == '"NOT"'
    assert fts_query("gaza OR bridge or israel") == '"gaza" OR "bridge" AND "israel"'  # "or": a stopword
    assert fts_query("the bridge of the town") == '"bridge" AND "town"'
    assert fts_query("the of") == '"the of"'  # nothing else to search by: a phrase
    assert fts_query('"the bridge" the*') == '"the bridge" AND "the" *'
    assert fts_query("Israel-Hamas") == '"Israel Hamas"'


def test_store_search_prefix_and_phrase(store):
    assert {h.speaker for h in store.search("engin*")} == {"Ana Lopez"}
    assert store.search('"reopen in May"') and not store.search('"May reopen"')


def test_store_search_empty_query_gives_nothing(store):
    assert store.search("") == [] and store.search("   ") == [] and store.search("?!") == []


def test_store_search_a_few_thousand_generated_statements(store_url):
    rng = random.Random(3)
    vocabulary = "harbour council budget ferry strike school nurse wage tax rail port storm flood grant energy".split()
    names = [f"{first} {last}" for first in ("Ana", "Tom", "Lena", "Omar") for last in ("Reed", "Okafor", "Silva", "Novak", "Berg")]
    records = []
    for i in range(600):
        people = rng.sample(names, 2)
        said = [Said(f"Item {i} {j}: " + " ".join(rng.choices(vocabulary, k=12)), p.split()[-1], p) for j, p in enumerate(people * 2)]
        records.append(article(said, [Person(p, forms=(p.split()[-1],)) for p in people], outlet=f"Outlet {i % 9}",
                               published=f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}"))  # fmt: skip
    with Store(store_url("big.db")) as store:
        store.add_many(records, batch_size=250)
        assert store.counts().statements == 2400
        hits = store.search("harbour ferry", limit=50)
        assert len(hits) == 50 and all({"harbour", "ferry"} <= set(h.text.split()) for h in hits)
        assert "Item 517 3:" in store.search('"Item 517 3"')[0].text
        only = store.search("storm", speaker="Lena Novak", outlet="Outlet 4", since="2024-06-01", limit=500)
        assert only and all(h.speaker == "Lena Novak" and (h.first_seen.published >= "2024-06-01") for h in only)


def _days(term):
    from calendar import monthrange
    from datetime import date, timedelta

    kind, digits = term.rstrip("0123456789"), term[len(term.rstrip("0123456789")):]
    if kind == "yr":
        first, last = date(int(digits), 1, 1), date(int(digits), 12, 31)
    elif kind == "mon":
        y, m = int(digits[:4]), int(digits[4:])
        first, last = date(y, m, 1), date(y, m, monthrange(y, m)[1])
    else:
        first = last = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


@pytest.mark.parametrize("first, last", [("2023-06-15", "2024-02-10"), ("2020-01-01", "2023-12-31"), ("2024-02-29", "2024-02-29"),
                                         ("2019-12-31", "2021-01-01"), ("2023-03-01", "2023-03-31")])  # fmt: skip
def test_store_search_date_cover_is_exactly_the_range(first, last):
    from datetime import date, timedelta

    from onrecord.store.facets import date_cover

    lo, hi = date.fromisoformat(first), date.fromisoformat(last)
    terms = date_cover(lo, hi)
    covered = [d for t in terms for d in _days(t)]
    assert len(covered) == len(set(covered)) == (hi - lo).days + 1
    assert set(covered) == {lo + timedelta(days=i) for i in range((hi - lo).days + 1)}
    assert len(terms) <= 2 * 30 + 2 * 11 + (hi.year - lo.year + 1)


def test_store_search_until_with_a_time_of_day(store_url):
    with Store(store_url("t.db")) as store:
        store.add(_mayor("Morning Post", "2024-03-01T07:00:00Z", "The harbour wall will be rebuilt before the winter storms come"))
        store.add(_mayor("Evening Post", "2024-03-01T19:00:00Z", "The harbour ferry will run every hour from the first of April"))
        assert len(store.search("harbour", since="2024-03-01", until="2024-03-01")) == 2
        assert [h.first_seen.outlet for h in store.search("harbour", until="2024-03-01T12:00:00+00:00")] == ["Morning Post"]
        assert [h.first_seen.outlet for h in store.search("harbour", since="2024-03-01T12:00")] == ["Evening Post"]
        assert store.search("harbour", since="2024-03-02") == [] and store.search("harbour", until="2024-02-29") == []


def test_store_search_finds_a_speaker_by_every_form_printed(store_url):
    with Store(store_url("forms.db")) as s:
        s.add(cleverly_article("BBC News", "2023-11-08", spelling="James Cleverley", title="Tokyo remarks"))
        assert s.search("Cleverly") == []
        # an article printing the surname spelled otherwise: its statement is found by that form too
        s.add(article(["Foreign Secretary James Cleverley spoke.", Said("We will not back down now or ever", "Cleverly", "James Cleverley", "said")],
                      [Person("James Cleverley", forms=("Cleverly",))], outlet="Wire", published="2023-11-09", title="Resolve"))
        [hit] = s.search("Cleverly")
        assert hit.speaker == "James Cleverley" and hit.text.startswith("“We will not back down")
