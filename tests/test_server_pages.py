"""The web pages over a store built here: every page shows real content, search facets and
pages, the article's highlights rebuild its exact text, friendly 404s, stored text is always
escaped, and nothing points off the machine."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from onrecord.corpus import ingest
from onrecord.server import pages, render
from onrecord.server.app import STATIC_DIR, create_app
from onrecord.store import Store
from onrecord.store.records import MonthCount, StatementSource, TextSpan

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '" onmouseover="'
HOSTILE = {
    "title": f"Mayor {SCRIPT}{BREAKOUT}alert(2)",
    "url": f"https://example.org/x?a={SCRIPT}",
    "outlet": f"Evil {SCRIPT} Times",
    "published": "2024-03-05",
    "text": f'"We will build a bridge {SCRIPT} and {BREAKOUT}alert(2)" for everyone," Mayor Jane Doe said on Monday. '
    f"Doe told reporters that the {SCRIPT} plan {BREAKOUT} would cost little.",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory, pipeline):
    """A client of the app over a store of the example article, two Wikinews articles and a hostile one."""
    folder = tmp_path_factory.mktemp("pages")
    corpus = folder / "corpus.jsonl"
    wikinews = (ROOT / "examples" / "wikinews-gum.jsonl").read_text(encoding="utf-8").splitlines()
    corpus.write_text("\n".join([*wikinews[16:18], json.dumps(HOSTILE)]) + "\n", encoding="utf-8")
    db = folder / "pages.db"
    with Store(db) as store:
        summary = ingest([str(ROOT / "examples" / "cleverly-hussain.txt"), str(corpus)], store, pipeline=pipeline)
        assert not summary.failed
    with TestClient(create_app(str(db))) as client:
        yield client


def _articles(site) -> list[dict]:
    return [a.to_dict() for a in site.app.state.store.list_articles(100).items]


def article_id(site, title_part: str | None) -> int:
    for a in _articles(site):
        if (title_part is None and a["title"] is None) or (title_part and a["title"] and title_part in a["title"]):
            return a["id"]
    raise AssertionError(f"no article {title_part!r}")


def speaker_id(site, name: str) -> int:
    return site.app.state.store.speaker(name).entity_id


def visible_text(fragment: str) -> str:
    """The text a reader sees in an HTML fragment: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_home_offers_search_speakers_and_articles(site):
    page = site.get("/")
    assert page.status_code == 200
    assert 'name="q"' in page.text and 'action="/search"' in page.text
    assert f'href="/speakers/{speaker_id(site, "Cleverly")}"' in page.text
    assert f'href="/articles/{article_id(site, None)}"' in page.text
    assert "/static/style.css" in page.text and "/static/htmx.min.js" in page.text


def test_search_highlights_matches_and_links_speaker_and_article(site):
    page = site.get("/search", params={"q": "two-state solution"})
    assert page.status_code == 200
    assert "<mark>two-state</mark>" in page.text and "<mark>solution</mark>" in page.text
    assert f'href="/speakers/{speaker_id(site, "Cleverly")}"' in page.text
    assert f'href="/articles/{article_id(site, None)}"' in page.text
    assert "Ran in no named outlet (1 source)" in page.text


def test_search_facets_filter_results(site):
    everything = site.get("/search", params={"q": "Israel"}).text
    direct = site.get("/search", params={"q": "Israel", "kind": "direct"}).text
    kinds_all = set(re.findall(r'class="kind k-(\w+)"', everything))
    kinds_direct = set(re.findall(r'class="kind k-(\w+)"', direct))
    assert len(kinds_all) > 1 and kinds_direct == {"direct"}
    hussain = site.get("/search", params={"q": "Israel", "speaker": "Imran Hussain"}).text
    assert set(re.findall(r'href="/speakers/(\d+)"', hussain.split('id="results"')[1])) == {str(speaker_id(site, "Hussain"))}
    dated = site.get("/search", params={"q": "Israel", "since": "2000-01-01"}).text
    assert "No statement matches" in dated  # the example article is undated
    assert '<option selected>direct</option>' in direct


def test_search_bad_filters_are_a_400_page_not_a_crash(site):
    for params in ({"q": "Israel", "speaker": "Nobody Atall"}, {"q": "Israel", "since": "yesterday"}, {"q": "x", "kind": "shouted"}):
        page = site.get("/search", params=params)
        assert page.status_code == 400
        assert 'class="notice error"' in page.text and "<form" in page.text


def test_search_pages_by_cursor(site, monkeypatch):
    monkeypatch.setattr(pages, "PER_PAGE", 1)
    first = site.get("/search", params={"q": "Israel"}).text
    next_url = html.unescape(re.search(r'rel="next" href="([^"]+)"', first).group(1))
    second = site.get(next_url).text
    ids_first = re.findall(r'href="/statements/(\d+)"', first)
    ids_second = re.findall(r'href="/statements/(\d+)"', second)
    assert len(ids_first) == len(ids_second) == 1 and ids_first != ids_second
    assert "First page" in second
    bad = site.get("/search", params={"q": "Israel", "cursor": "made-up"})
    assert bad.status_code == 400 and "repeat the query" in bad.text


def test_htmx_request_gets_only_the_results(site):
    page = site.get("/search", params={"q": "ceasefire"}, headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert page.text.lstrip().startswith('<section id="results"') and "<html" not in page.text
    assert "<mark>ceasefire</mark>" in page.text


def test_speaker_page_has_names_roles_chart_statements_outlets(site):
    entity = speaker_id(site, "Cleverly")
    page = site.get(f"/speakers/{entity}")
    assert page.status_code == 200
    assert "<h1>" in page.text and "James Cleverley" in page.text and "Cleverly" in page.text
    assert "British Foreign Secretary" in page.text
    heights = [float(h) for h in re.findall(r'<rect class="bar[^"]*"[^>]*height="([\d.]+)"', page.text)]
    assert heights and max(heights) > 0
    assert 'role="img"' in page.text and "<title id=\"chart-title\">" in page.text
    assert "The chart as a table" in page.text
    profile = site.app.state.store.speaker("Cleverly")
    for statement in profile.statements:
        assert html.escape(statement.text, quote=False) in page.text or statement.text in visible_text(page.text)
        assert f'href="/statements/{statement.statement_id}"' in page.text


def test_speaker_page_lists_the_outlets_that_quote_them(site):
    wikinews_speaker = next(s for s in site.app.state.store.speakers() if s.outlets)
    page = site.get(f"/speakers/{wikinews_speaker.entity_id}").text
    assert "Wikinews" in page.split("Quoted by")[1]


def test_article_page_highlights_every_statement_and_keeps_the_text(site):
    number = article_id(site, None)
    page = site.get(f"/articles/{number}")
    assert page.status_code == 200
    view = site.app.state.store.article_view(number)
    body = re.search(r'<div class="article-text" lang="en">(.*?)</div>', page.text, re.S).group(1)
    assert visible_text(body) == view.text  # the highlights add markup, never change a character
    marks = re.findall(r'<mark class="q (spk-\w+) k-(\w+)" tabindex="0"(?: id="q-(\d+)")? data-tip="([^"]*)"', body)
    assert {m[2] for m in marks if m[2]} == {str(s.statement_id) for s in view.statements}
    for source in view.statements:
        tip = html.unescape(next(m[3] for m in marks if m[2] == str(source.statement_id)))
        assert source.speaker_name in tip and source.kind in tip and (source.cue.text if source.cue else "no cue") in tip
    cleverly = render.speaker_class(speaker_id(site, "Cleverly"))
    assert any(m[0] == cleverly for m in marks)
    assert "Who is quoted" in page.text and "James Cleverley" in page.text.split("Who is quoted")[1]


def test_statement_page_shows_every_source_with_its_exact_text(site):
    hit = site.app.state.store.search("two-state")[0]
    page = site.get(f"/statements/{hit.statement_id}")
    assert page.status_code == 200
    detail = site.app.state.store.statement_detail(hit.statement_id)
    for source in detail.sources:
        assert f'href="/articles/{source.article.id}#q-{hit.statement_id}"' in page.text
        assert html.escape(source.content.text) in page.text


def test_lists_of_speakers_and_articles(site):
    speakers = site.get("/speakers").text
    assert f'href="/speakers/{speaker_id(site, "Cleverly")}"' in speakers
    articles = site.get("/articles").text
    assert all(f'href="/articles/{a["id"]}"' in articles for a in _articles(site))


@pytest.mark.parametrize("path", ["/speakers/999999", "/speakers/abc", "/articles/0", "/articles/-1", "/statements/99999999999999999999"])
def test_missing_things_get_a_friendly_404_page(site, path):
    page = site.get(path)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "No such" in page.text and 'href="/search"' in page.text


def hostile_pages(site) -> dict[str, str]:
    number = article_id(site, "Mayor")
    statement = site.app.state.store.search("bridge")[0].statement_id
    urls = {
        "search": "/search?q=bridge",
        "search-title": "/search?q=Mayor",
        "speaker": f"/speakers/{speaker_id(site, 'Jane Doe')}",
        "article": f"/articles/{number}",
        "statement": f"/statements/{statement}",
        "articles": "/articles",
        "home": "/",
    }
    return {name: site.get(url).text for name, url in urls.items()}


def test_hostile_article_renders_inertly_on_every_page(site):
    for name, text in hostile_pages(site).items():
        assert SCRIPT not in text, name
        assert BREAKOUT not in text, name
        assert "onmouseover=\"" not in text, name
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, name
    article = hostile_pages(site)["article"]
    assert f"<h1>{html.escape(HOSTILE['title']).replace('&quot;', '&#34;').replace('&#x27;', '&#39;')}</h1>" in article


def test_no_page_or_static_file_points_off_the_machine(site):
    bodies = dict(hostile_pages(site))
    bodies["example"] = site.get(f"/articles/{article_id(site, None)}").text
    bodies["speakers"] = site.get("/speakers").text
    for path in STATIC_DIR.iterdir():
        if path.suffix in (".js", ".css"):
            bodies[path.name] = path.read_text(encoding="utf-8")
    shown_urls = [html.escape(a["url"]) for a in _articles(site) if a["url"]]
    for name, text in bodies.items():
        for url in shown_urls:  # an article's address is shown as text, never loaded or linked
            text = text.replace(f'<span class="address">{url}</span>', "")
        assert not re.search(r"https?://|(src|href|action)=\"//", text), name


def test_pages_carry_the_content_security_policy(site):
    page = site.get("/")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<style" not in page.text and " style=" not in page.text
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text)  # no inline script


def test_article_html_flattens_overlapping_and_nested_spans():
    text = "Alpha said that beta told him gamma delta epsilon."

    def source(statement_id, speaker_id, start, end, cue=None):
        return StatementSource(
            statement_id, None, f"s{statement_id}", "indirect", 0.9, TextSpan(start, end, text[start:end]), (),
            TextSpan(cue[0], cue[1], text[cue[0] : cue[1]]) if cue else None, None, speaker_id, f"Speaker {speaker_id}", None, None,
        )  # fmt: skip

    outer = source(1, 1, 11, 49, cue=(6, 10))  # "that beta told him gamma delta epsilon"
    inner = source(2, 2, 30, 41, cue=(21, 25))  # "gamma delta", inside outer
    crossing = source(3, None, 36, 50)  # "delta epsilon.", crossing outer's end
    out = render.article_html(text, [outer, inner, crossing])
    assert visible_text(out) == text
    assert out.count('id="q-1"') == out.count('id="q-2"') == out.count('id="q-3"') == 1
    assert '<mark class="q spk-2 k-indirect" tabindex="0" id="q-2"' in out
    assert re.search(r'id="q-2"[^>]*>gamma delta</mark>', out)  # the innermost statement wins where spans meet
    assert '<span class="cue spk-1">said</span>' in out
    assert out.count("<mark") == out.count("</mark>")


def test_highlighted_escapes_text_and_wraps_only_the_ranges():
    text = f"a {SCRIPT} ceasefire now"
    out = render.highlighted(text, [(len(text) - 13, len(text) - 4), (0, 0), (60, 90)])
    assert SCRIPT not in out and "&lt;script&gt;" in out
    assert "<mark>ceasefire</mark>" in out and out.count("<mark>") == 1


def test_month_chart_bars_scale_to_the_busiest_month():
    chart = render.month_chart([MonthCount("2024-01", 2), MonthCount("2024-02", 0), MonthCount("2024-03", 4)], undated=1)
    assert [b.label for b in chart.bars] == ["2024-01", "2024-02", "2024-03", "undated"]
    assert [b.height for b in chart.bars] == [70.0, 0.0, 140.0, 35.0]
    assert chart.bars[-1].undated and chart.top == 4
    many = render.month_chart([MonthCount(f"{2000 + i // 12}-{i % 12 + 1:02d}", 1) for i in range(100)])
    assert [b.label for b in many.bars][:2] == ["2000", "2001"] and many.bars[0].count == 12


def test_pages_unknown_address_is_an_html_page_for_a_browser_and_json_for_the_api(site):
    page = site.get("/nowhere", headers={"accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Page not found" in page.text
    api = site.get("/api/nowhere", headers={"accept": "text/html"})
    assert api.status_code == 404 and api.json()["error"]["status"] == 404
    assert site.get("/nowhere").json()["error"]["code"]
