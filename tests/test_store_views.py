"""The web's views of the store: one statement with its sources, one article with its spans,
pages behind cursors, a speaker's statements by month, the read-only store."""

from __future__ import annotations

import pytest

from onrecord.errors import NotFoundError, StoreError
from onrecord.store import Store
from onrecord.store.views import CursorError, decode_cursor, encode_cursor, match_ranges
from storefakes import Person, Said, article, cleverly_article


SMITH_QUOTES = [
    "Security comes first for every family in this town",
    "Our security budget doubled since the spring",
    "Nobody voted for weaker border security",
    "Security officers deserve a proper pay rise now",
    "The security review will report before summer ends",
    "Rail security failed commuters again this week",
    "Cyber security is where the next fight happens",
]


@pytest.fixture(scope="module")
def store_path(module_store_url):
    path = module_store_url("s.db")
    with Store(path) as s:
        s.add(cleverly_article("BBC News", "2023-11-08"))
        s.add(cleverly_article("Guardian", "2023-11-07", "James Cleverley", header="Analysis."))
        s.add(cleverly_article("BBC News", "2023-11-08", url="https://copy.example/cleverly"))  # same text: a copy
        s.add(article(
            ["Home Secretary James Cleverly visited Dover.", Said("We will stop the boats this year and that is a promise", "Cleverly", "James Cleverly")],
            [Person("James Cleverly", roles=("Home Secretary",), forms=("Cleverly",))], outlet="Sky", published="2024-01-15",
        ))  # fmt: skip
        for n, quote in enumerate(SMITH_QUOTES):
            s.add(article([f"Report number {n}.", Said(quote, "Smith", "Ann Smith")],
                          [Person("Ann Smith", forms=("Smith",))], outlet="Wire", published=f"2023-{n + 1:02d}-03"))  # fmt: skip
    return path


@pytest.fixture(scope="module")
def store(store_path):
    with Store(store_path, read_only=True) as s:
        yield s


def _cleverly_id(store):
    return store.speaker("James Cleverly").entity_id


def test_views_statement_detail_lists_every_source_with_checkable_offsets(store):
    hit = store.search("inevitable troops Gaza", limit=1)[0]
    detail = store.statement_detail(hit.statement_id)
    assert detail.speaker == "James Cleverly" and detail.speaker_id == _cleverly_id(store)
    assert detail.source_count == len(detail.sources) == 3  # BBC, the Guardian, the BBC copy
    assert [s.article.published for s in detail.sources] == sorted(s.article.published for s in detail.sources)
    for source in detail.sources:
        text = store.article_view(source.article.id).text
        for span in (source.content, source.cue, source.speaker):
            assert text[span.start : span.end] == span.text
        assert source.speaker_entity_id == detail.speaker_id and source.speaker_name == "James Cleverly"


def test_views_article_view_gives_text_and_every_span_in_text_order(store):
    page = store.list_articles(limit=100)
    for summary in page.items:
        view = store.article_view(summary.id)
        assert len(view.statements) == summary.statements
        starts = [s.content.start for s in view.statements]
        assert starts == sorted(starts)
        for s in view.statements:
            for span in (s.content, s.cue, s.speaker, s.addressee, s.medium):
                assert span is None or view.text[span.start : span.end] == span.text


def test_views_a_copy_shows_its_originals_text_and_names_the_other_publications(store):
    copy = next(a for a in store.list_articles(limit=100).items if a.copy_of is not None)
    view = store.article_view(copy.id)
    original = store.article_view(copy.copy_of)
    assert view.text == original.text and view.url == "https://copy.example/cleverly"
    assert [p.id for p in view.other_publications] == [original.id]
    assert copy.id in [p.id for p in original.other_publications]


def test_views_unknown_ids_are_not_found(store):
    for call in (store.statement_detail, store.article_view, store.speaker_profile):
        with pytest.raises(NotFoundError):
            call(10**9)
    with pytest.raises(NotFoundError):
        store.speaker_timeline(10**9)


def test_views_pages_cover_everything_once_in_order(store):
    every = store.list_articles(limit=100).items
    seen, cursor = [], None
    while True:
        page = store.list_articles(limit=3, cursor=cursor)
        seen += [a.id for a in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [a.id for a in every] == sorted(seen, reverse=True)
    hits = store.search("security", limit=100)
    assert len(hits) > 4
    paged, cursor = [], None
    while True:
        page = store.search_page("security", limit=4, cursor=cursor)
        paged += [h.statement_id for h in page.items]
        if (cursor := page.next_cursor) is None:
            break
    assert paged == [h.statement_id for h in hits]
    speakers = store.speakers_page(limit=1)
    assert speakers.next_cursor and store.speakers_page(limit=1, cursor=speakers.next_cursor).items[0] != speakers.items[0]


def test_views_search_page_keeps_filters_and_refuses_a_cursor_of_another_query(store):
    page = store.search_page("security", speaker="Ann Smith", limit=2)
    assert {h.speaker for h in page.items} == {"Ann Smith"} and page.next_cursor
    with pytest.raises(CursorError):
        store.search_page("security", speaker="James Cleverly", limit=2, cursor=page.next_cursor)
    with pytest.raises(CursorError):
        store.list_articles(cursor=page.next_cursor)
    for bad in ("", "not base64!", "eyJ4IjoxfQ", encode_cursor("articles", -1), "A" * 500):
        with pytest.raises(CursorError):
            store.list_articles(cursor=bad)
    with pytest.raises(StoreError):
        store.list_articles(limit=0)
    with pytest.raises(StoreError):
        store.search_page("security", limit=101)


def test_views_cursor_round_trip():
    cursor = encode_cursor("search", 40, ["q", None])
    assert decode_cursor(cursor, "search", ["q", None]) == 40
    with pytest.raises(CursorError):
        decode_cursor(cursor, "search", ["other", None])


def test_views_match_ranges_point_at_the_marked_words():
    text = "we will stop the boats"
    marked = "we will \x01stop\x02 the \x01boats\x02"
    assert [text[a:b] for a, b in match_ranges(marked, ("\x01", "\x02"))] == ["stop", "boats"]
    assert match_ranges(text, ("\x01", "\x02")) == ()


def test_views_timeline_counts_statements_by_month_with_gaps_filled(store):
    smith = store.speaker("Ann Smith").entity_id
    timeline = store.speaker_timeline(smith)
    assert [m.month for m in timeline.months] == [f"2023-{n:02d}" for n in range(1, 8)]
    assert all(m.statements == 1 for m in timeline.months) and timeline.undated == 0
    cleverly = store.speaker_timeline("Cleverly")
    months = {m.month: m.statements for m in cleverly.months}
    assert months["2023-11"] == 2 and months["2024-01"] == 1 and months["2023-12"] == 0
    assert sum(months.values()) == len(store.speaker_profile(cleverly.entity_id).statements)


def test_views_read_only_store_refuses_writes_and_missing_files(store, module_store_url):
    with pytest.raises(StoreError):
        store.add(cleverly_article("Reuters", "2023-11-09", quote="A new quote never stored before in the store"))
    missing = module_store_url("missing.db")
    with pytest.raises(StoreError, match="ingest"):
        Store(missing, read_only=True)
    with pytest.raises(StoreError, match="ingest"):
        Store(missing, create=False)  # the read-only open made nothing there
