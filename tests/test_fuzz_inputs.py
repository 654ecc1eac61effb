"""Fuzzing every reader and `extract` with broken inputs: each input ends as articles that can be
stored, reported failures (one line each), or a clear error; never a traceback or a hang.

Inputs are valid files of every kind (text, HTML, JSON, JSON Lines, CSV, TSV, RSS, Atom, WARC,
.warc.gz), cut, spliced with hostile bytes (NULs, BOMs, cp1252 bytes, UTF-8-encoded and
JSON-escaped surrogates, markup and WARC header pieces) and named with the right suffix, a wrong
one, or none. Examples per property: the number given below, or ONRECORD_FUZZ_EXAMPLES for all
(e.g. ONRECORD_FUZZ_EXAMPLES=5000 for a long run; see docs/reliability.md).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onrecord.errors import OnrecordError
from onrecord.ingest import ReadFailure, iter_articles
from onrecord.ingest.base import decode_bytes
from onrecord.ingest.readers import read_path
from onrecord.ingest.timelimit import time_limit
from onrecord.model import Article, Extraction
from onrecord.settings import Settings
from onrecord.store import Store
from test_extract_properties import _check_spans

LONG_RUN = int(os.environ.get("ONRECORD_FUZZ_EXAMPLES") or 0)


def fuzz(examples: int):
    """Hypothesis settings: ``examples`` by default, ONRECORD_FUZZ_EXAMPLES when set; no deadline
    (the machine is shared), a hang is caught by the time limit each test sets itself."""
    return settings(
        max_examples=LONG_RUN or examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    )


# --- seeds: one valid file of every kind -------------------------------------------------------

STORY = (
    "The mayor said on Monday that the bridge over the river would reopen in May after repairs.\n\n"
    "“We are on schedule,” Mayor Ana López told reporters at the town hall. Critics disagreed.\n"
)
PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Bridge to reopen</title></head><body>"
    "<nav>Home</nav><article><h1>Bridge to reopen</h1><p>The mayor said on Monday that the bridge over the river "
    "would reopen in May after repairs.</p><p>“We are on schedule,” Mayor Ana López told reporters.</p>"
    "<p>Work on the eastern span began last autumn &amp; cost less than planned.</p></article></body></html>"
)


def _warc(pages: list[tuple[str, str]], gzipped: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    for uri, html in pages:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(html.encode()), http_headers=http))
    return out.getvalue()


ROWS = [{"text": STORY, "title": "Bridge", "url": "https://news.example/bridge", "published": "2024-03-05"},
        {"text": "The council said it would vote next week.", "title": "Vote", "published": "Tue, 05 Mar 2024 10:00:00 GMT"}]
SEEDS: dict[str, bytes] = {
    ".txt": STORY.encode(),
    ".html": PAGE.encode(),
    ".json": json.dumps(ROWS, ensure_ascii=False).encode(),
    ".jsonl": "".join(json.dumps(r) + "\n" for r in ROWS).encode(),
    ".csv": ('text,title,published\n"' + STORY.replace('"', '""') + '",Bridge,2024-03-05\n"Short one.",,\n').encode(),
    ".tsv": b"text\ttitle\nThe council said it would vote next week.\tVote\nA second row.\t\n",
    ".rss": (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<channel><title>Wire</title><item><title>Bridge</title><link>https://wire.example/b</link>"
        "<pubDate>Mon, 04 Mar 2024 09:00:00 +0000</pubDate><description>Short summary.</description>"
        f"<content:encoded><![CDATA[{PAGE}]]></content:encoded></item>"
        "<item><title>Vote</title><description>&lt;p&gt;The council said it would vote.&lt;/p&gt;</description></item>"
        "</channel></rss>"
    ).encode(),
    ".atom": (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>'
        '<entry><title>Bridge</title><link href="https://wire.example/b"/><published>2024-03-04T09:00:00Z</published>'
        f'<content type="html">{PAGE.replace("&", "&amp;").replace("<", "&lt;")}</content></entry></feed>'
    ).encode(),
    ".warc": _warc([("https://news.example/bridge", PAGE), ("https://news.example/v", "<html><body><p>Vote.</p></body></html>")], False),
    ".warc.gz": _warc([("https://news.example/bridge", PAGE), ("https://news.example/v", "<html><body><p>Vote.</p></body></html>")], True),
}
HOSTILE = [
    b"\x00", b"\x00\x00\x00\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x93quoted\x94 caf\xe9 \x96 ",
    b"\xed\xa0\x80", b"\xc3", b"\xe2\x80", b"\\ud800", b"\\udc00\\ud83d", b"\\u0000", b"\r", b"\r\n", b"\n\n",
    b"<", b">", b"</p>", b"<p>", b"<script>", b"<![CDATA[", b"]]>", b"<!--", b"&#0;", b"&#xD800;", b"&amp",
    b'"', b"'", b",", b"\t", b"{", b"}", b"[", b"]", b":", b"WARC/1.0\r\n", b"Content-Length: 999999999\r\n",
    b"Content-Length: -5\r\n", b"\r\n\r\n", b"\x1f\x8b\x08", "é “x”".encode("utf-16-le"), b"\xff" * 16,
    b'<?xml version="1.0" encoding="\xaf', b' encoding="utf-16"', b"<rss>", b"<feed>",
]
SUFFIXES = [*SEEDS, ".xml", ".md", ".ndjson", ".bin", ""]


@st.composite
def broken_files(draw) -> tuple[str, bytes]:
    """A seed file cut, spliced, repeated or overwritten in a few places, and the suffix to name it by."""
    kind = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[kind])
    if kind == ".warc.gz" and draw(st.booleans()):  # mutate inside the compression too, sometimes
        data = bytearray(gzip.decompress(bytes(data)))
        recompress = True
    else:
        recompress = False
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["cut", "insert", "insert", "delete", "repeat", "overwrite"]))
        if op == "cut":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.one_of(st.sampled_from(HOSTILE), st.binary(max_size=24)))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif op == "repeat":
            piece = data[at:at + draw(st.integers(1, 200))]
            data[at:at] = piece * draw(st.integers(1, 50))
        else:
            piece = draw(st.binary(min_size=1, max_size=8))
            data[at:at + len(piece)] = piece
    if recompress:
        data = bytearray(gzip.compress(bytes(data)))
    suffix = draw(st.one_of(st.just(kind), st.sampled_from(SUFFIXES)))
    return suffix, bytes(data)


def check_items(items: list, where: str) -> list[Article]:
    """Every item is an article that can be stored, or a failure with a one-line reason."""
    assert items, "every input gives at least one article or failure"
    for item in items:
        if isinstance(item, ReadFailure):
            assert item.source.startswith(where) and item.reason.strip() and "\n" not in item.reason
        else:
            assert isinstance(item, Article) and item.source.startswith(where)
            assert item.text.strip()
            for value in (item.text, item.title, item.url, item.outlet, item.author, item.published):
                assert value is None or not any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in value)
    return [i for i in items if isinstance(i, Article)]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with Store(tmp_path_factory.mktemp("fuzz") / "fuzz.db") as opened:
        yield opened


# --- readers -------------------------------------------------------------------------------


@fuzz(150)
@given(st.lists(broken_files(), min_size=1, max_size=3), st.sampled_from([50_000_000, 4096, 300]))
def test_broken_files_and_folders_give_storable_articles_or_failures(store, files, max_bytes):
    config = Settings(max_input_bytes=max_bytes, max_article_seconds=20)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "in")
        (folder / "sub").mkdir(parents=True)
        for n, (suffix, data) in enumerate(files):
            Path(folder, "sub" if n % 2 else "", f"f{n}{suffix}").write_bytes(data)
        Path(folder, ".hidden.txt").write_bytes(b"never read")
        with time_limit(60, "a reader hung"):
            items = list(iter_articles([str(folder)], config))
        for article in check_items(items, str(folder)):
            assert ".hidden" not in article.source
            store.add(Extraction(article=article))


@fuzz(100)
@given(broken_files())
def test_stdin_gives_articles_or_failures_and_extract_reads_it_or_says_why(monkeypatch, file):
    _, data = file
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    with time_limit(60, "reading stdin hung"):
        check_items(list(iter_articles(["-"], Settings(max_article_seconds=20))), "-")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    try:
        with time_limit(60, "read_path hung"):
            article = read_path("-", Settings(max_article_seconds=20))
    except OnrecordError as exc:
        assert str(exc).startswith("-: ") and "\n" not in str(exc)
    else:
        assert isinstance(article, Article) and "\x00" not in article.text


SURROGATES = st.characters(categories=["Cs", "Cc", "Ll", "Lu", "Zs", "Po", "So"])


@fuzz(200)
@given(st.text(SURROGATES, min_size=1, max_size=80), st.text(SURROGATES, max_size=20))
def test_json_escapes_of_lone_surrogates_and_nul_become_replacement_characters(text, title):
    """Escapes like "\\ud800" give Python strings no UTF-8 store can encode; they become U+FFFD, one
    character for one, so the text keeps its length and offsets."""
    line = json.dumps({"text": text, "title": title}) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "escaped.jsonl")
        path.write_text(line + line.replace('"text"', '"body"'), encoding="ascii")
        items = list(iter_articles([str(path)], Settings()))
    parsed = json.loads(json.dumps(text))  # an escaped high surrogate then low one is one astral character
    expected = "".join("\ufffd" if c == "\x00" or "\ud800" <= c <= "\udfff" else c for c in parsed)
    expected = expected.replace("\r\n", "\n").replace("\r", "\n")
    first = items[0]
    if expected.strip():
        assert isinstance(first, Article) and first.text == expected
    else:
        assert isinstance(first, ReadFailure) and first.reason.startswith("empty")
    assert isinstance(items[1], ReadFailure) and "'text'" in items[1].reason


ASCII = st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=12)
UTF8_WORDS = st.text(st.characters(min_codepoint=0x100, max_codepoint=0x2FFF, categories=["Ll", "Lu", "Pi", "Pf"]),
                     min_size=2, max_size=8)
CP1252_CHARS = st.sampled_from(list("éèàüñçÉ“”‘’–—€…"))


@fuzz(200)
@given(st.lists(st.tuples(UTF8_WORDS, ASCII, CP1252_CHARS, ASCII), min_size=1, max_size=6))
def test_utf8_with_stray_cp1252_bytes_reads_back_exactly(parts):
    """A file saved in UTF-8 and edited in cp1252 (or pasted into): each part decodes as it was written."""
    data = b"".join(a.encode() + b.encode() + c.encode("cp1252") + d.encode() for a, b, c, d in parts)
    assert decode_bytes(data) == "".join(a + b + c + d for a, b, c, d in parts)


LATIN = st.text(st.characters(min_codepoint=32, max_codepoint=0xFF, exclude_characters="\x7f"), min_size=8, max_size=400)


@fuzz(150)
@given(LATIN.filter(lambda t: t.strip() and sum(not c.isprintable() for c in t) == 0),
       st.sampled_from(["utf-16-le", "utf-16-be"]), st.sampled_from([".txt", ".html", ""]))
def test_utf16_without_a_byte_order_mark_is_read_as_text(text, encoding, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "article" + suffix)
        path.write_bytes(text.encode(encoding))
        items = list(iter_articles([str(path)], Settings()))
    [item] = items
    sniffed_as_markup_or_json = suffix == "" and text.lstrip().startswith(("<", "[", "{"))
    if suffix != ".html" and not sniffed_as_markup_or_json:
        assert isinstance(item, Article) and item.text == text
    else:
        assert isinstance(item, (Article, ReadFailure))


@pytest.mark.parametrize("suffix", [".txt", ".jsonl", ".csv", ".html", ".rss", ""])
def test_one_megabyte_single_line_of_every_kind(tmp_path, suffix):
    words = "“We will vote next week,” the council leader said on Tuesday, and left the chamber; "
    line = (words * (1_000_000 // len(words) + 1))[:1_000_000]
    body = {
        ".txt": line, "": line,
        ".jsonl": json.dumps({"text": line}, ensure_ascii=False),
        ".csv": "text," + "title\n" + json.dumps(line, ensure_ascii=False) + ",One line",
        ".html": f"<html><body><article><p>{line}</p></article></body></html>",
        ".rss": f'<rss version="2.0"><channel><title>W</title><item><description>{line}</description></item></channel></rss>',
    }[suffix]
    path = tmp_path / f"line{suffix}"
    path.write_text(body, encoding="utf-8")
    [article] = list(iter_articles([str(path)], Settings()))
    assert isinstance(article, Article)
    assert "\n" not in article.text and len(article.text) >= 0.95 * len(line)
    [cut] = list(iter_articles([str(path)], Settings(max_input_bytes=500_000)))
    assert isinstance(cut, ReadFailure) and "limit" in cut.reason


# --- extract --------------------------------------------------------------------------------


@fuzz(40)
@given(broken_files())
def test_extract_of_whatever_a_broken_file_gives_keeps_every_span_true(pipeline, file):
    suffix, data = file
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "in" + suffix)
        path.write_bytes(data)
        with time_limit(60, "reading hung"):
            articles = check_items(list(iter_articles([str(path)], Settings(max_article_seconds=20))), str(path))
    for article in articles:
        with time_limit(120, "extract hung"):
            record = pipeline.extract(article)
        assert record.article.text == article.text
        _check_spans(record, article.text)


HOSTILE_TEXT = st.lists(st.one_of(
    st.text(SURROGATES, max_size=20),
    st.sampled_from(["“", "”", '"', "'", " said ", "Smith", "\ufeff", "\x00", "\ufffd", "\r\n", "\u2028", "\u202e",
                     "Ã©", "â€œ", "\u0301", "👍🏽", "\ud83d", "\udc4d"]),
), max_size=40).map("".join)


@fuzz(100)
@given(HOSTILE_TEXT)
def test_extract_survives_surrogates_bom_and_nul_in_the_middle(pipeline, text):
    with time_limit(120, "extract hung"):
        record = pipeline.extract(text)
    _check_spans(record, text)


# --- the CLI: one line per unreadable input, exit 1, never a traceback --------------------------


@fuzz(30)
@given(broken_files())
def test_cli_extract_of_a_broken_file_prints_a_record_or_one_error_line(pipeline, monkeypatch, capsys, file):
    from onrecord import cli

    monkeypatch.setattr("onrecord.pipeline.Pipeline", lambda settings: pipeline)
    suffix, data = file
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "in" + suffix)
        path.write_bytes(data)
        with time_limit(120, "the CLI hung"):
            status = cli.main(["extract", str(path)])
    out, err = capsys.readouterr()
    if status == 0:
        assert json.loads(out)["statements"] is not None and err == ""
    else:
        assert status == 1 and out == "" and err.count("\n") == 1 and err.startswith("onrecord: error: ")


def test_feed_whose_encoding_declaration_feedparser_cannot_read_is_one_failure(tmp_path):
    """Found by benchmarks/fuzz_readers.py: feedparser raised UnicodeDecodeError out of parse()."""
    path = tmp_path / "wire.rss"
    path.write_bytes(b'<?xml version="1.0" encoding="\xafutf-8"?><rss version="2.0"><channel><title>W</title>'
                     b"<item><description>The council said it would vote.</description></item></channel></rss>")
    [failure] = list(iter_articles([str(path)], Settings()))
    assert isinstance(failure, ReadFailure) and failure.reason.startswith("the feed could not be parsed")


def test_feed_entry_html_without_a_body_gives_no_text_instead_of_an_assertion():
    """Found by benchmarks/fuzz_readers.py: lxml's fragment parser asserts on such HTML."""
    from onrecord.ingest.base import html_fragment_text

    assert html_fragment_text("<html><head><title>t</title></head></html>") == ""
    assert html_fragment_text("<p>The council said it would vote.</p>") == "The council said it would vote."


def test_feed_date_with_a_zone_offset_of_many_digits_is_no_date(tmp_path):
    """Found by the long hypothesis run: email.utils raised OverflowError out of the RSS reader."""
    from onrecord.ingest.base import normalize_date

    assert normalize_date("Mon, 04 Mar 2024 09:00:00 +99999999999") is None
    path = tmp_path / "wire.rss"
    path.write_text('<rss version="2.0"><channel><title>W</title><item><pubDate>Mon, 04 Mar 2024 09:00:00 '
                    "+99999999999</pubDate><description>The council said it would vote.</description></item>"
                    "</channel></rss>", encoding="utf-8")
    [article] = list(iter_articles([str(path)], Settings()))
    assert article.text == "The council said it would vote."  # the date is feedparser's reading of it


@pytest.mark.parametrize("suffix", [".json", ".jsonl", ""])
def test_json_nested_deeper_than_the_parser_goes_is_one_failure(tmp_path, suffix):
    """Found by hand: json.loads raised RecursionError out of the JSON readers and the sniffing."""
    path = tmp_path / f"deep{suffix}"
    path.write_text('{"text": ' + "[" * 100_000 + "\n" + '{"text": "The council met on Tuesday."}\n')
    items = list(iter_articles([str(path)], Settings()))
    assert isinstance(items[0], ReadFailure) and "nested too deeply" in items[0].reason
    if suffix == ".jsonl":  # each line fails alone (an unnamed file is sniffed as one JSON document)
        assert items[1].text == "The council met on Tuesday."


def test_reason_naming_the_columns_found_stays_short(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("a" * 100_000 + ",b\n1,2\n")
    [failure] = list(iter_articles([str(path)], Settings()))
    assert "'text' column" in failure.reason and len(failure.reason) < 300


def test_codec_error_handler_reads_lone_bytes_as_cp1252():
    assert b"caf\xe9 \xc3\xa9".decode("utf-8", errors="onrecord-cp1252") == "café é"

