"""Ingest readers: every input kind to Articles or ReadFailures, with exact sources and no invented metadata."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import sys
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onrecord.ingest import ReadFailure, iter_articles
from onrecord.ingest.base import html_fragment_text, normalize_date
from onrecord.ingest.sources import kind_of
from onrecord.model import Article
from onrecord.settings import Settings

SHARED = Path(os.environ.get("ONRECORD_SHARED") or Path(__file__).resolve().parents[2] / "shared")
BODY = "The mayor said on Monday that the bridge over the river would reopen in May after repairs."
PAGE = (
    "<html><head><title>Bridge to reopen</title>{meta}</head><body><article><h1>Bridge to reopen</h1>"
    "<p>{body}</p><p>“We are on schedule,” Mayor Ana Lopez told reporters at the town hall.</p>"
    "<p>Work on the eastern span began last autumn and cost less than planned.</p></article></body></html>"
)


def read(paths, settings=None):
    return list(iter_articles([str(p) for p in paths], settings))


def articles(items):
    return [i for i in items if isinstance(i, Article)]


def failures(items):
    return [i for i in items if isinstance(i, ReadFailure)]


# --- plain text and HTML ---------------------------------------------------------------------

def test_text_file_keeps_its_text_with_lf_line_ends(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("Line one.\r\n“Quoted,” she said.\r\n".encode())
    [article] = read([path])
    assert article.text == "Line one.\n“Quoted,” she said.\n"
    assert article.source == str(path)
    assert article.id == hashlib.sha256(article.text.encode()).hexdigest()
    assert (article.title, article.url, article.published, article.outlet) == (None, None, None, None)


def test_html_file_gives_main_text_and_title(tmp_path):
    path = tmp_path / "page.htm"
    path.write_text(PAGE.format(meta='<meta property="article:published_time" content="2024-03-05">', body=BODY))
    [article] = read([path])
    assert article.title == "Bridge to reopen"
    assert BODY in article.text and "Mayor Ana Lopez told reporters" in article.text
    assert article.published == "2024-03-05"
    assert "<p>" not in article.text


def test_html_without_main_text_is_an_empty_failure(tmp_path):
    path = tmp_path / "nav.html"
    path.write_text("<html><head><title>Menu</title></head><body><script>var x = 1;</script><div></div></body></html>")
    assert read([path]) == [ReadFailure(str(path), "empty: no article text")]


# --- JSON Lines, JSON, CSV -------------------------------------------------------------------

def test_jsonl_reads_fields_and_each_bad_line_fails_alone(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": "First article.\r\nSecond line.", "title": "One", "url": "https://a.example/1",
                    "outlet": "A Daily", "published": "Tue, 05 Mar 2024 10:00:00 +0100", "author": "Jo Li"}),
        "{not json",
        "",
        json.dumps(["a", "list"]),
        json.dumps({"body": "no text field"}),
        json.dumps({"text": "   \n "}),
        json.dumps({"text": "Last article.", "published": "someday"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    items = read([path])
    assert [i.source for i in items] == [f"{path}:{n}" for n in (1, 2, 4, 5, 6, 7)]
    first, last = articles(items)
    assert first.text == "First article.\nSecond line."
    assert (first.title, first.url, first.outlet, first.author) == ("One", "https://a.example/1", "A Daily", "Jo Li")
    assert first.published == "2024-03-05T10:00:00+01:00"
    assert last.text == "Last article." and last.published is None and last.title is None
    reasons = {f.source: f.reason for f in failures(items)}
    assert reasons[f"{path}:2"].startswith("not valid JSON")
    assert "list" in reasons[f"{path}:4"]
    assert "'text'" in reasons[f"{path}:5"] and "'body'" in reasons[f"{path}:5"]
    assert reasons[f"{path}:6"] == "empty: no article text"


def test_jsonl_line_over_the_size_limit_fails_and_the_next_line_is_read(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"text": "x" * 5000}) + "\n" + json.dumps({"text": "Small one."}) + "\n")
    items = read([path], Settings(max_input_bytes=1000))
    assert isinstance(items[0], ReadFailure) and items[0].source == f"{path}:1" and "limit" in items[0].reason
    assert items[1].text == "Small one." and items[1].source == f"{path}:2"


def test_json_list_and_single_object(tmp_path):
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": "Alpha.", "title": "A"}, "oops", {"text": "Gamma.", "published": "2024-03-05T10:00:00Z"}]))
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"text": "Only.", "url": "https://o.example/"}, indent=2))
    items = read([many, one])
    assert [i.source for i in items] == [f"{many}#1", f"{many}#2", f"{many}#3", str(one)]
    assert items[0].title == "A" and items[0].text == "Alpha."
    assert isinstance(items[1], ReadFailure) and "str" in items[1].reason
    assert items[2].published == "2024-03-05T10:00:00+00:00"
    assert items[3].url == "https://o.example/"


def test_json_file_holding_json_lines_reads_them_and_malformed_json_fails(tmp_path):
    lines = tmp_path / "lines.json"
    lines.write_text('{"text": "One."}\n{"text": "Two."}\n')
    broken = tmp_path / "broken.json"
    broken.write_text('[{"text": "One."},')
    items = read([lines, broken])
    assert [i.text for i in articles(items)] == ["One.", "Two."]
    assert [a.source for a in articles(items)] == [f"{lines}:1", f"{lines}:2"]
    [failure] = failures(items)
    assert failure.source == str(broken) and failure.reason.startswith("not valid JSON")


def test_csv_with_a_custom_text_field_names_rows_by_their_line(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(
        "headline,body,link,when,site\n"
        'Flood,"Rivers rose.\nTowns were warned.",https://f.example/1,2024-03-05,Flood News\n'
        "Empty,,https://f.example/2,,\n"
        "Fire,Crews fought the fire.,,05/03/2024,\n",
        encoding="utf-8",
    )
    settings = Settings(text_field="body", title_field="headline", url_field="link", published_field="when",
                        outlet_field="site")
    items = read([path], settings)
    assert [i.source for i in items] == [f"{path}:2", f"{path}:4", f"{path}:5"]
    flood, empty, fire = items
    assert flood.text == "Rivers rose.\nTowns were warned."
    assert (flood.title, flood.url, flood.published, flood.outlet) == ("Flood", "https://f.example/1", "2024-03-05", "Flood News")
    assert empty == ReadFailure(f"{path}:4", "empty: no article text")
    assert fire.published is None  # 05/03/2024 is ambiguous: no date is guessed
    assert fire.url is None and fire.outlet is None


def test_csv_without_the_text_column_is_one_failure(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("headline,body\nA,B\n")
    [failure] = read([path])
    assert failure.source == str(path)
    assert "'text' column" in failure.reason and "'body'" in failure.reason and "ONRECORD_TEXT_FIELD" in failure.reason


def test_field_names_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ONRECORD_TEXT_FIELD", "content")
    monkeypatch.setenv("ONRECORD_TITLE_FIELD", "headline")
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"content": "From the env.", "headline": "Env", "text": "not this"}) + "\n")
    [article] = list(iter_articles([path]))
    assert (article.text, article.title) == ("From the env.", "Env")


# --- feeds -----------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Daily Ledger</title><link>https://ledger.example/</link>
<item><title>Bridge to reopen</title><link>https://ledger.example/bridge</link>
<pubDate>Tue, 05 Mar 2024 10:00:00 +0100</pubDate><dc:creator>Ana Ruiz</dc:creator>
<description>Short summary.</description>
<content:encoded><![CDATA[<p>The mayor said the bridge would reopen.</p><p>&#8220;We are on schedule,&#8221; she said.<script>x()</script></p>]]></content:encoded></item>
<item><title>Council vote</title><link>https://ledger.example/vote</link>
<description>&lt;p&gt;The council &lt;b&gt;voted&lt;/b&gt; 5 to 2.&lt;/p&gt;</description></item>
<item><title>Nothing</title><link>https://ledger.example/none</link><description></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire Service</title><id>urn:wire</id><updated>2024-03-06T10:00:00Z</updated>
<entry><title>Talks resume</title><link href="https://wire.example/talks"/><id>urn:1</id>
<published>2024-03-05T10:00:00Z</published><updated>2024-03-06T10:00:00Z</updated>
<summary>Summary only.</summary><content type="html">&lt;p&gt;Talks resumed on Tuesday.&lt;/p&gt;&lt;p&gt;Both sides said progress was made.&lt;/p&gt;</content></entry>
<entry><title>Undated</title><link href="https://wire.example/undated"/><id>urn:2</id><updated>2024-03-06T10:00:00Z</updated>
<content type="text">Plain text body.</content></entry>
</feed>"""


def test_rss_entries_prefer_full_content_and_strip_html(tmp_path):
    path = tmp_path / "ledger.rss"
    path.write_text(RSS, encoding="utf-8")
    items = read([path])
    assert [i.source for i in items] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    bridge, vote, empty = items
    assert bridge.text == "The mayor said the bridge would reopen.\n“We are on schedule,” she said."
    assert (bridge.title, bridge.url, bridge.outlet, bridge.author) == (
        "Bridge to reopen", "https://ledger.example/bridge", "Daily Ledger", "Ana Ruiz")
    assert bridge.published == "2024-03-05T10:00:00+01:00"
    assert vote.text == "The council voted 5 to 2." and vote.published is None
    assert empty == ReadFailure(f"{path}#3", "empty: no article text")


def test_atom_entries_and_no_date_invented_from_updated(tmp_path):
    path = tmp_path / "wire.xml"
    path.write_text(ATOM, encoding="utf-8")
    talks, undated = read([path])
    assert talks.text == "Talks resumed on Tuesday.\nBoth sides said progress was made."
    assert (talks.url, talks.outlet, talks.published) == ("https://wire.example/talks", "Wire Service", "2024-03-05T10:00:00+00:00")
    assert undated.text == "Plain text body." and undated.published is None
    assert undated.source == f"{path}#2"


def test_xml_that_is_not_a_feed_fails_clearly(tmp_path):
    path = tmp_path / "sitemap.xml"
    path.write_text('<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>')
    [failure] = read([path])
    assert failure.source == str(path) and "neither an RSS nor an Atom feed" in failure.reason


# --- WARC ------------------------------------------------------------------------------------

def write_warc(path: Path, records: list[tuple]) -> list[int]:
    """A .warc.gz of (uri, kind, status, content type, body, warc date); returns each record's start offset."""
    starts = []
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for uri, kind, status, ctype, body, when in records:
            starts.append(out.tell())
            if kind == "request":
                record = writer.create_warc_record(uri, "request", payload=io.BytesIO(body),
                                                   warc_headers_dict={"WARC-Date": when})
            else:
                http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
                record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http,
                                                   warc_headers_dict={"WARC-Date": when})
            writer.write_record(record)
    return starts


DATED = PAGE.format(meta='<meta property="article:published_time" content="2024-03-05">', body=BODY).encode()
UNDATED = PAGE.format(meta="", body="The council said it would vote on the budget next week, officials confirmed.").encode()
WARC_RECORDS = [
    ("https://news.example.org/bridge", "response", "200 OK", "text/html; charset=utf-8", DATED, "2024-03-06T10:00:00Z"),
    ("https://news.example.org/missing", "response", "404 Not Found", "text/html", b"<html><body>Not found</body></html>", "2024-03-06T10:01:00Z"),
    ("https://news.example.org/data.json", "response", "200 OK", "application/json", b'{"a": 1}', "2024-03-06T10:02:00Z"),
    ("https://news.example.org/bridge", "request", None, None, b"GET /bridge HTTP/1.1\r\nHost: news.example.org\r\n\r\n", "2024-03-06T10:00:00Z"),
    ("https://news.example.org/council", "response", "200 OK", "text/html", UNDATED, "2024-03-07T08:30:00Z"),
]


def test_warc_gz_gives_only_html_200_responses(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, WARC_RECORDS[:4])
    [article] = read([path])
    assert article.source == f"{path}#1"
    assert article.url == "https://news.example.org/bridge"
    assert article.title == "Bridge to reopen" and BODY in article.text
    assert article.published == "2024-03-05"  # the page's own date wins over WARC-Date
    assert article.outlet == "news.example.org"


def test_warc_date_is_used_when_the_page_has_none_and_sniffing_finds_a_warc(tmp_path):
    path = tmp_path / "crawl.bin"  # no WARC suffix: recognised by its first bytes
    write_warc(path, WARC_RECORDS)
    bridge, council = read([path])
    assert council.source == f"{path}#5" and council.url == "https://news.example.org/council"
    assert council.published == "2024-03-07T08:30:00+00:00"
    assert bridge.published == "2024-03-05"


def test_truncated_warc_gives_what_was_read_then_a_failure(tmp_path):
    path = tmp_path / "cut.warc.gz"
    starts = write_warc(path, WARC_RECORDS)
    data = path.read_bytes()
    path.write_bytes(data[: starts[-1] + (len(data) - starts[-1]) // 2])
    items = read([path])
    assert isinstance(items[0], Article) and items[0].source == f"{path}#1"
    assert len(items) == 2
    assert items[1].source == str(path) and items[1].reason.startswith("truncated")
    assert "4 complete records" in items[1].reason


def test_uncompressed_warc_cut_inside_a_page(tmp_path):
    packed = tmp_path / "full.warc.gz"
    write_warc(packed, WARC_RECORDS)
    raw = gzip.decompress(packed.read_bytes())
    path = tmp_path / "cut.warc"
    path.write_bytes(raw[: len(raw) - 200])
    items = read([path])
    assert [type(i).__name__ for i in items] == ["Article", "ReadFailure"]
    assert "inside record 5" in items[1].reason


# --- folders, stdin, odd files ---------------------------------------------------------------

def test_folder_is_read_recursively_in_sorted_order_skipping_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "c.txt").write_text("Nested text.")
    (tmp_path / "a.txt").write_text("Top text.")
    (tmp_path / "b" / "a.jsonl").write_text(json.dumps({"text": "From JSONL."}) + "\n")
    (tmp_path / "blob.dat").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / ".hidden.txt").write_text("Hidden text.")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Inside a hidden folder.")
    items = read([tmp_path])
    assert [i.source for i in items] == [
        str(tmp_path / "a.txt"), f"{tmp_path / 'b' / 'a.jsonl'}:1", str(tmp_path / "b" / "c.txt"),
        str(tmp_path / "blob.dat"), str(tmp_path / "empty.txt"),
    ]
    assert [a.text for a in articles(items)] == ["Top text.", "From JSONL.", "Nested text."]
    binary, empty = failures(items)
    assert "binary" in binary.reason
    assert empty.reason == "empty: no article text"


def test_missing_path_fails_and_the_run_goes_on(tmp_path):
    good = tmp_path / "ok.txt"
    good.write_text("Still read.")
    items = read([tmp_path / "nope.txt", good])
    assert items[0] == ReadFailure(str(tmp_path / "nope.txt"), "no such file or folder; check the path")
    assert items[1].text == "Still read."


def test_unknown_suffixes_are_sniffed(tmp_path):
    jsonl = tmp_path / "export.dat"
    jsonl.write_text(json.dumps({"text": "Sniffed JSONL.", "title": "S"}) + "\n")
    html = tmp_path / "saved_page"
    html.write_text(PAGE.format(meta="", body=BODY))
    assert kind_of("feed.dat", b'<?xml version="1.0"?><rss version="2.0">') == "feed"
    first, second = read([jsonl, html])
    assert (first.text, first.title, first.source) == ("Sniffed JSONL.", "S", f"{jsonl}:1")
    assert second.title == "Bridge to reopen" and BODY in second.text


def stdin_of(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_text_and_stdin_jsonl(monkeypatch):
    stdin_of(monkeypatch, "“Prices will fall,” the minister said.\r\n".encode())
    [article] = list(iter_articles(["-"]))
    assert article.text == "“Prices will fall,” the minister said.\n" and article.source == "-"
    stdin_of(monkeypatch, b'{"text": "One."}\n{"text": "Two.", "url": "https://t.example/"}\n')
    items = list(iter_articles(["-"]))
    assert [(i.source, i.text) for i in items] == [("-:1", "One."), ("-:2", "Two.")]
    assert items[1].url == "https://t.example/"


def test_iter_articles_is_lazy():
    asked: list[str] = []

    def paths():
        for name in ("first-missing.txt", "second-missing.txt"):
            asked.append(name)
            yield name

    stream = iter_articles(paths(), Settings())
    assert asked == []
    assert next(stream).source == "first-missing.txt"
    assert asked == ["first-missing.txt"]


def test_wikinews_gum_corpus_reads_whole():
    path = SHARED / "corpus" / "wikinews-gum.jsonl"
    assert path.exists(), f"{path} is missing: shared/ must lie beside the repository (or set ONRECORD_SHARED)"
    items = list(iter_articles([path]))
    assert len(items) == 24 and all(isinstance(i, Article) for i in items)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for n, (article, record) in enumerate(zip(items, records), 1):
        assert article.source == f"{path}:{n}"
        assert article.text == record["text"].replace("\r\n", "\n")
        assert (article.title, article.url, article.outlet) == (record["title"], record["url"], "Wikinews")
        assert article.published == record["published"] and len(article.published) == 10
    assert items[0].title.startswith("After visa snags")
    assert len({a.id for a in items}) == 24


# --- helpers ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2024-03-05", "2024-03-05"),
        ("2024-03", "2024-03"),
        ("20240305", "2024-03-05"),
        ("2024-03-05T10:00:00Z", "2024-03-05T10:00:00+00:00"),
        ("2024-03-05 10:00", "2024-03-05T10:00:00"),
        ("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05T10:00:00+00:00"),
        ("  Tue, 05 Mar 2024 10:00:00 -0500 ", "2024-03-05T10:00:00-05:00"),
        ("2024-13-01", None),
        ("2024-13", None),
        ("March 5", None),
        ("", None),
        (None, None),
        (20240305, None),
    ],
)
def test_normalize_date(raw, expected):
    assert normalize_date(raw) == expected


def test_html_fragment_text_keeps_paragraphs_and_drops_scripts():
    html = "<div><p>One <b>bold</b>\n word.</p>Loose<br>line<script>alert(1)</script> tail<ul><li>Item</li></ul></div>"
    assert html_fragment_text(html) == "One bold word.\nLoose\nline tail\nItem"
    assert html_fragment_text("   ") == ""


def test_a_page_that_is_not_utf8_is_read_in_the_charset_it_declares(tmp_path):
    path = tmp_path / "ru.html"
    body = "Министр заявил, что мост будет вновь открыт в мае после ремонта всех пролётов."
    page = PAGE.format(meta='<meta charset="windows-1251">', body=body)
    path.write_bytes(page.encode("cp1251"))
    [article] = read([path])
    assert body in article.text
