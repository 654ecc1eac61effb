"""Limits that keep one hostile input from stopping a run: size (max_input_bytes), compression
bombs, time per article (max_article_seconds), and the peak memory of reading big inputs."""

from __future__ import annotations

import io
import json
import struct
import time
import tracemalloc
import zlib
from pathlib import Path

import brotli
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onrecord.corpus import extract_within, ingest
from onrecord.errors import InputError, SettingsError
from onrecord.ingest import ReadFailure, iter_articles
from onrecord.ingest.timelimit import TimeLimitExceeded, time_limit
from onrecord.model import Article, Extraction
from onrecord.settings import Settings
from onrecord.store import Store

MB = 1_000_000
PAGE = (
    "<html><head><title>Bridge to reopen</title></head><body><article><h1>Bridge to reopen</h1>"
    "<p>The mayor said on Monday that the bridge over the river would reopen in May after repairs.</p>"
    "<p>“We are on schedule,” Mayor Ana Lopez told reporters at the town hall on Monday.</p>"
    "<p>Work on the eastern span began last autumn and cost less than planned, the council said.</p>"
    "</article></body></html>"
).encode()


def read(paths, settings=None):
    return list(iter_articles([str(p) for p in paths], settings or Settings()))


def reasons(items):
    return [i.reason for i in items if isinstance(i, ReadFailure)]


def gzip_of_zeros(total: int, prefix: bytes = b"", block: int = 1 << 24) -> bytes:
    """A gzip member holding prefix then zeros, about ``total`` bytes in all, built in milliseconds by
    repeating one fully flushed deflate block. Its trailer is left zero: a reader that gets there
    inflated the whole bomb, which the tests forbid anyway."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    zeros = packer.compress(bytes(block)) + packer.flush(zlib.Z_FULL_FLUSH)
    count = max(1, (total - len(prefix)) // block)
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + head + zeros * count + packer.flush() + struct.pack("<II", 0, 0)


def warc_gz(path: Path, pages: list[tuple[str, bytes, list[tuple[str, str]]]]) -> None:
    """A .warc.gz of HTTP 200 responses (uri, stored body, extra HTTP headers)."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for uri, body, extra in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"), *extra], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http))


def peak_growth_mb(work):
    """What ``work()`` returns, and how far the process's peak resident memory rose above where it
    was (MB): Linux's peak is reset first. Where it cannot be, the peak of Python allocations."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        status = Path("/proc/self/status")
    except OSError:
        tracemalloc.start()
        try:
            return work(), tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()

    def kb(field: str) -> int:
        return int(next(line for line in status.read_text().splitlines() if line.startswith(field)).split()[1])

    before = kb("VmRSS:")
    result = work()
    return result, (kb("VmHWM:") - before) / 1024


# --- compression bombs ----------------------------------------------------------------------


def test_warc_gz_bomb_is_refused_after_inflating_a_small_part_in_little_memory(tmp_path):
    record = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:7>\r\n"
              b"WARC-Target-URI: http://bomb.example/\r\nContent-Type: application/http; msgtype=response\r\n")
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    size = 4 << 30  # 4 GiB of zeros behind a header that declares them
    head = record + b"Content-Length: %d\r\n\r\n" % (len(http) + size) + http
    bomb = tmp_path / "bomb.warc.gz"
    bomb.write_bytes(gzip_of_zeros(size, head))
    assert bomb.stat().st_size < 5 * MB

    started = time.monotonic()
    [failure], grown = peak_growth_mb(lambda: read([bomb]))
    assert "gzip bomb" in failure.reason
    inflated = int(failure.reason.split(" gave ")[1].split(")")[0].replace(",", ""))
    assert inflated < 100 * MB  # refused early: 40 times less than the bomb holds
    assert time.monotonic() - started < 60
    assert grown < 150, f"reading the bomb took {grown:.0f} MB"


def test_page_whose_content_encoding_inflates_past_the_limit_is_skipped_and_the_next_is_read(tmp_path):
    path = tmp_path / "encoded.warc.gz"
    warc_gz(path, [
        ("http://bomb.example/", gzip_of_zeros(1 << 30), [("Content-Encoding", "gzip")]),
        ("http://news.example/bridge", PAGE, []),
    ])
    items, grown = peak_growth_mb(lambda: read([path], Settings(max_input_bytes=5 * MB)))
    assert isinstance(items[0], ReadFailure) and "inflates to over 5,000,000 bytes" in items[0].reason
    assert isinstance(items[1], Article) and items[1].url == "http://news.example/bridge"
    assert grown < 100, f"reading the page took {grown:.0f} MB"


def test_gzip_encoded_records_that_are_not_pages_keep_the_warc_in_step(tmp_path):
    """fastwarc, asked to content-decode, skipped such a record by its decoded length and lost its
    place in the file: every later record was lost. Pages in gzip, deflate and brotli are decoded."""
    path = tmp_path / "mixed.warc.gz"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        json_http = StatusAndHeaders("200 OK", [("Content-Type", "application/json"), ("Content-Encoding", "gzip")],
                                     protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "http://api.example/data", "response", payload=io.BytesIO(zlib.compress(b'{"a": 1}' * 5000, wbits=31)),
            http_headers=json_http))
    deflated = zlib.compressobj(6, zlib.DEFLATED, -15)
    with open(path, "ab") as out:
        pass
    warc_gz(tmp_path / "pages.warc.gz", [
        ("http://news.example/gzip", zlib.compress(PAGE, wbits=31), [("Content-Encoding", "gzip")]),
        ("http://news.example/deflate", deflated.compress(PAGE) + deflated.flush(), [("Content-Encoding", "deflate")]),
        ("http://news.example/zlib", zlib.compress(PAGE), [("Content-Encoding", "deflate")]),
        ("http://news.example/br", brotli.compress(PAGE), [("Content-Encoding", "br")]),
        ("http://news.example/damaged", b"\x1f\x8b\x08\x00garbage", [("Content-Encoding", "gzip")]),
        ("http://news.example/charset", PAGE, [("Content-Encoding", "utf-8")]),  # a server's mistake
        ("http://news.example/odd", zlib.compress(PAGE), [("Content-Encoding", "x-unknown")]),
    ])
    with open(path, "ab") as out:
        out.write((tmp_path / "pages.warc.gz").read_bytes())
    items = read([path])
    pages = [i for i in items if isinstance(i, Article)]
    assert [p.url.rsplit("/", 1)[1] for p in pages] == ["gzip", "deflate", "zlib", "br", "charset"]
    assert all("We are on schedule" in p.text for p in pages)
    failed = {i.source.rsplit("#", 1)[1]: i.reason for i in items if isinstance(i, ReadFailure)}
    assert set(failed) == {"6", "8"}
    assert "gzip data is damaged" in failed["6"] and "binary" in failed["8"]


def test_warc_header_line_of_megabytes_is_refused_at_once(tmp_path):
    path = tmp_path / "header.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nX-Padding: " + b"a" * (5 * MB)
                     + b"\r\nContent-Length: 10\r\n\r\n0123456789\r\n\r\n")
    items, grown = peak_growth_mb(lambda: read([path]))
    assert reasons(items) == ["not readable as a WARC (Maximum header length exceeded.)"]
    assert grown < 50


def test_plain_gzip_bomb_is_refused_without_inflating(tmp_path):
    bomb = tmp_path / "notes.txt.gz"
    bomb.write_bytes(gzip_of_zeros(8 << 30))
    started = time.monotonic()
    assert reasons(read([bomb])) == ["gzip-compressed, and not a WARC"]
    assert time.monotonic() - started < 5


# --- size: at and over max_input_bytes ----------------------------------------------------------


def big_text(size: int) -> bytes:
    line = b"The council said on Tuesday that the vote would be delayed by a week, officials confirmed.\n"
    return (line * (size // len(line) + 1))[:size]


def test_fifty_megabyte_text_at_the_limit_is_read_and_one_byte_over_is_refused(tmp_path):
    at, over = tmp_path / "at.txt", tmp_path / "over.txt"
    data = big_text(50 * MB)
    at.write_bytes(data)
    over.write_bytes(data + b"x")
    [article], grown = peak_growth_mb(lambda: read([at]))
    assert isinstance(article, Article) and len(article.text) == 50 * MB
    del article
    assert grown < 4 * 50, f"{grown:.0f} MB to read 50 MB"
    [failure] = read([over])
    assert "over the limit of 50,000,000 bytes" in failure.reason


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".csv", ".rss", ".html", ".warc"])
def test_every_kind_over_the_limit_is_one_clear_failure(tmp_path, suffix):
    settings = Settings(max_input_bytes=2 * MB)
    text = big_text(3 * MB).decode()
    body = {
        ".jsonl": json.dumps({"text": text}) + "\n",
        ".json": json.dumps([{"text": text}]),
        ".csv": "text\n" + json.dumps(text) + "\n",
        ".rss": f'<rss version="2.0"><channel><title>T</title><item><description>{text}</description></item></channel></rss>',
        ".html": f"<html><body><p>{text}</p></body></html>",
    }
    path = tmp_path / f"big{suffix}"
    if suffix == ".warc":
        warc_gz(path, [("http://news.example/big", f"<html><body><p>{text}</p></body></html>".encode(), [])])
    else:
        path.write_text(body[suffix], encoding="utf-8")
    items = read([path], settings)
    assert not [i for i in items if isinstance(i, Article)]
    assert len(items) == 1 and "over the limit" in items[0].reason and "ONRECORD_MAX_INPUT_BYTES" in items[0].reason


def test_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("ONRECORD_MAX_INPUT_BYTES", "1234")
    monkeypatch.setenv("ONRECORD_MAX_ARTICLE_SECONDS", "2.5")
    settings = Settings.from_env()
    assert (settings.max_input_bytes, settings.max_article_seconds) == (1234, 2.5)
    monkeypatch.setenv("ONRECORD_MAX_ARTICLE_SECONDS", "-1")
    with pytest.raises(SettingsError, match="max_article_seconds"):
        Settings.from_env()
    with pytest.raises(SettingsError):
        Settings(max_article_seconds=float("nan"))


def test_cli_extract_over_the_limit_exits_1_with_one_line(tmp_path, monkeypatch, capsys):
    from onrecord.cli import main

    over = tmp_path / "over.txt"
    over.write_bytes(big_text(2001))
    monkeypatch.setenv("ONRECORD_MAX_INPUT_BYTES", "2000")
    assert main(["extract", str(over)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "over the limit of 2,000" in err


# --- time: max_article_seconds ---------------------------------------------------------------


def test_time_limit_interrupts_work_even_when_it_swallows_exceptions():
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded, match="too slow"):
        with time_limit(0.2, "too slow"):
            while True:
                try:
                    time.sleep(0.05)
                except Exception:  # trafilatura and others catch broadly
                    pass
    assert time.monotonic() - started < 3


def test_time_limits_nest_and_put_the_outer_timer_back():
    with pytest.raises(TimeLimitExceeded, match="outer"):
        with time_limit(0.6, "outer"):
            with pytest.raises(TimeLimitExceeded, match="inner"):
                with time_limit(0.1, "inner"):
                    time.sleep(2)
            with time_limit(5, "longer than the outer one"):  # the outer limit still holds inside it
                time.sleep(2)
    with time_limit(0, "no limit"):
        time.sleep(0.05)
    with time_limit(1, "unused"):
        pass
    time.sleep(1.2)  # no alarm is left behind


class SlowPipeline:
    """A stand-in for Pipeline: an article whose text says "slow" takes 30 s."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def extract(self, article: Article) -> Extraction:
        self.calls.append(article.source)
        if "slow" in article.text:
            time.sleep(30)
        return Extraction(article=article)

    def pipe(self, articles, n_process=1, batch_size=16):
        for article in articles:
            yield self.extract(article)


def test_an_article_over_the_time_limit_is_skipped_and_the_rest_are_stored(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    texts = ["The mayor said the bridge would reopen.", "This one is slow to extract.", "The council met on Tuesday."]
    corpus.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts))
    settings = Settings(max_article_seconds=0.5)
    started = time.monotonic()
    with Store(tmp_path / "limits.db") as store:
        summary = ingest([corpus], store, settings, pipeline=SlowPipeline())
        stored = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert time.monotonic() - started < 10
    assert summary.added == 2 and stored == 2
    [failure] = summary.failed
    assert failure.source == f"{corpus}:2"
    assert "took over 0.5 s" in failure.reason and "ONRECORD_MAX_ARTICLE_SECONDS" in failure.reason


def test_extract_within_keeps_input_order_and_times_each_article_alone():
    articles = [Article(text=t, source=f"a{n}") for n, t in enumerate(["fine", "slow", "fine too"])]
    pipeline = SlowPipeline()
    results = extract_within(pipeline, articles, 0.3)
    assert [type(r).__name__ for r in results] == ["Extraction", "ReadFailure", "Extraction"]
    assert results[1].source == "a1"
    quick = SlowPipeline()
    assert [r.article.source for r in extract_within(quick, articles[::2], 0.3)] == ["a0", "a2"]
    assert quick.calls == ["a0", "a2"]  # no overrun: each article extracted once


def test_html_that_takes_too_long_to_read_is_skipped(tmp_path, monkeypatch):
    import trafilatura

    def stuck(*args, **kwargs):
        time.sleep(30)

    monkeypatch.setattr(trafilatura, "bare_extraction", stuck)
    page = tmp_path / "page.html"
    page.write_bytes(PAGE)
    started = time.monotonic()
    [failure] = read([page], Settings(max_article_seconds=0.3))
    assert "reading the HTML took over 0.3 s" in failure.reason
    assert time.monotonic() - started < 5


def test_ingest_with_workers_enforces_the_limit_in_each_worker(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    slow = "“We will vote next week,” the council leader said on Tuesday, officials confirmed. " * 12_000
    corpus.write_text(json.dumps({"text": "The mayor said the bridge would reopen in May."}) + "\n"
                      + json.dumps({"text": slow}) + "\n")
    settings = Settings(max_article_seconds=2)
    with Store(tmp_path / "workers.db") as store:
        summary = ingest([corpus], store, settings, workers=2)
    assert summary.added == 1
    [failure] = summary.failed
    assert failure.source == f"{corpus}:2" and "took over 2 s" in failure.reason


def test_cli_extract_past_the_time_limit_exits_1_with_one_line(tmp_path, monkeypatch, capsys):
    from onrecord.cli import main

    path = tmp_path / "long.txt"
    path.write_text("“We will vote next week,” the council leader said on Tuesday. " * 20_000, encoding="utf-8")
    monkeypatch.setenv("ONRECORD_MAX_ARTICLE_SECONDS", "1")
    started = time.monotonic()
    assert main(["extract", str(path)]) == 1
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "extracting took over 1 s" in err and out == ""
    assert time.monotonic() - started < 60


def test_input_error_is_what_a_time_limit_raises():
    assert issubclass(TimeLimitExceeded, InputError)
