"""The REST API: every endpoint on a store built in the test, hostile parameters (always a 4xx in
the one error shape, never a 500), ingest behind its token, security headers, /docs offline."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from onrecord.cli import main
from onrecord.errors import SettingsError
from onrecord.server import create_app
from onrecord.server.security import CONTENT_SECURITY_POLICY
from onrecord.store import Store
from storefakes import Person, Said, article, cleverly_article

TOKEN = "test-token-0123456789abcdef"
SMITH_QUOTES = [
    "Security comes first for every family in this town",
    "Our security budget doubled since the spring",
    "Nobody voted for weaker border security",
    "Security officers deserve a proper pay rise now",
    "The security review will report before summer ends",
]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "s.db"
    with Store(path) as s:
        s.add(cleverly_article("BBC News", "2023-11-08"))
        s.add(cleverly_article("Guardian", "2023-11-07", "James Cleverley", header="Analysis."))
        s.add(article(
            ["Home Secretary James Cleverly visited Dover.", Said("We will stop the boats this year and that is a promise", "Cleverly", "James Cleverly")],
            [Person("James Cleverly", roles=("Home Secretary",), forms=("Cleverly",))], outlet="Sky", published="2024-01-15",
        ))  # fmt: skip
        for n, quote in enumerate(SMITH_QUOTES):
            s.add(article([f"Report {n}.", Said(quote, "Smith", "Ann Smith", kind="direct" if n % 2 else "indirect")],
                          [Person("Ann Smith", forms=("Smith",))], outlet="Wire", published=f"2023-{n + 1:02d}-03"))  # fmt: skip
    return path


@pytest.fixture(scope="module")
def client(store_path):
    with TestClient(create_app(str(store_path)), raise_server_exceptions=False) as c:
        yield c


def _error(response, status: int) -> dict:
    """The response is the one error shape with this status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message", "details"}
    assert body["error"]["status"] == status and body["error"]["message"] and body["error"]["code"]
    return body["error"]


def _all_pages(client, path: str, **params) -> list[dict]:
    items, cursor = [], None
    for _ in range(100):
        r = client.get(path, params={**params, "cursor": cursor} if cursor else params)
        assert r.status_code == 200, r.text
        items += r.json()["items"]
        if (cursor := r.json()["next_cursor"]) is None:
            return items
    raise AssertionError("pages never ended")


# -- reads -----------------------------------------------------------------------------------------


def test_api_health_counts_the_store(client, store_path):
    with Store(store_path, read_only=True) as s:
        counts = s.counts()
    assert client.get("/health").json() == {"status": "ok", "articles": counts.articles, "statements": counts.statements}


def test_api_search_gives_matches_as_offsets_and_pages_through_every_hit(client):
    r = client.get("/api/statements", params={"q": "security", "limit": 2})
    body = r.json()
    assert r.status_code == 200 and len(body["items"]) == 2 and body["next_cursor"]
    for hit in body["items"]:
        assert hit["matches"] and all(hit["text"][a:b].lower().startswith("security") for a, b in hit["matches"])
        assert "[" in hit["highlighted"] and hit["highlighted"].replace("[", "").replace("]", "") == hit["text"]
    paged = _all_pages(client, "/api/statements", q="security", limit=2)
    whole = client.get("/api/statements", params={"q": "security", "limit": 100}).json()["items"]
    assert [h["statement_id"] for h in paged] == [h["statement_id"] for h in whole] and len(whole) >= 6


@pytest.mark.parametrize("params, check", [
    ({"speaker": "Ann Smith"}, lambda h: h["speaker"] == "Ann Smith"),
    ({"outlet": "Wire"}, lambda h: h["first_seen"]["outlet"] == "Wire"),
    ({"kind": "indirect"}, lambda h: h["kind"] == "indirect"),
    ({"since": "2023-03-01", "until": "2023-04-30"}, lambda h: "2023-03-01" <= h["first_seen"]["published"] <= "2023-04-30"),
])  # fmt: skip
def test_api_search_filters_keep_only_what_they_name(client, params, check):
    every = client.get("/api/statements", params={"q": "security", "limit": 100}).json()["items"]
    kept = client.get("/api/statements", params={"q": "security", "limit": 100, **params}).json()["items"]
    assert kept and len(kept) < len(every) and all(check(h) for h in kept)


def test_api_statement_has_every_source_with_offsets_into_its_article(client):
    hit = client.get("/api/statements", params={"q": "inevitable troops"}).json()["items"][0]
    detail = client.get(f"/api/statements/{hit['statement_id']}").json()
    assert detail["speaker"] == "James Cleverly" and len(detail["sources"]) == detail["source_count"] == 2
    assert {s["article"]["outlet"] for s in detail["sources"]} == {"BBC News", "Guardian"}
    for source in detail["sources"]:
        text = client.get(f"/api/articles/{source['article']['id']}").json()["text"]
        for part in ("content", "cue", "speaker"):
            span = source[part]
            assert text[span["start"] : span["end"]] == span["text"]


def test_api_articles_list_pages_and_every_span_checks_against_the_text(client, store_path):
    articles = _all_pages(client, "/api/articles", limit=3)
    with Store(store_path, read_only=True) as s:
        assert len(articles) == s.counts().articles
    assert [a["id"] for a in articles] == sorted((a["id"] for a in articles), reverse=True)
    spans = 0
    for summary in articles:
        view = client.get(f"/api/articles/{summary['id']}").json()
        assert len(view["statements"]) == summary["statements"]
        for s in view["statements"]:
            for part in ("content", "cue", "speaker", "addressee", "medium"):
                if s[part]:
                    assert view["text"][s[part]["start"] : s[part]["end"]] == s[part]["text"]
                    spans += 1
    assert spans > 20


def test_api_speakers_and_a_speakers_profile_with_counts_by_month(client):
    speakers = _all_pages(client, "/api/speakers", top=1)
    assert [s["name"] for s in speakers[:2]] == ["Ann Smith", "James Cleverly"]
    assert [s["statements"] for s in speakers] == sorted((s["statements"] for s in speakers), reverse=True)
    cleverly = client.get(f"/api/speakers/{speakers[1]['entity_id']}").json()
    assert cleverly["name"] == "James Cleverly" and {"James Cleverley", "Cleverly"} <= set(cleverly["variants"])
    assert [r["role"] for r in cleverly["roles"]] == ["British Foreign Secretary", "Home Secretary"]
    months = {m["month"]: m["statements"] for m in cleverly["by_month"]}
    assert months["2023-11"] == 2 and months["2023-12"] == 0 and months["2024-01"] == 1
    assert sum(months.values()) + cleverly["undated"] == len(cleverly["statements"])
    assert {o["outlet"] for o in cleverly["outlets"]} == {"BBC News", "Guardian", "Sky"}


@pytest.mark.parametrize("url", ["/api/statements/999999", "/api/articles/999999", "/api/speakers/999999", "/nowhere", "/api/nothing"])
def test_api_unknown_things_are_404(client, url):
    _error(client.get(url), 404)


# -- hostile parameters ----------------------------------------------------------------------------

BAD = [
    "/api/statements",  # no q
    "/api/statements?q=",
    "/api/statements?q=" + "a" * 501,
    "/api/statements?q=x&limit=-1",
    "/api/statements?q=x&limit=0",
    "/api/statements?q=x&limit=101",
    "/api/statements?q=x&limit=" + "9" * 40,
    "/api/statements?q=x&limit=ten",
    "/api/statements?q=x&since=yesterday",
    "/api/statements?q=x&until=2023-13-45",
    "/api/statements?q=x&since=" + "2" * 41,
    "/api/statements?q=x&kind=quoted",
    "/api/statements?q=x&cursor=not-a-cursor",
    "/api/statements?q=x&cursor=" + "A" * 201,
    "/api/statements?q=x&speaker=Nobody%20Atall%20Xyzzy",
    "/api/statements?q=x&outlet=No%20Such%20Outlet%20Qqq",
    "/api/statements/abc",
    "/api/statements/-1",
    "/api/statements/0",
    "/api/statements/" + "9" * 30,
    "/api/speakers?top=0",
    "/api/speakers?top=1000",
    "/api/speakers?cursor=%00%ff",
    "/api/speakers/1.5",
    "/api/articles?limit=-5",
    "/api/articles?cursor=eyJsIjoic2VhcmNoIiwicCI6MiwiZiI6IngifQ",
    "/api/articles/" + "1" * 25,
]


@pytest.mark.parametrize("url", BAD)
def test_api_bad_parameters_are_400_in_the_one_shape(client, url):
    error = _error(client.get(url), 400)
    assert error["code"] == "invalid_parameter"


def test_api_a_cursor_of_another_query_or_listing_is_refused(client):
    cursor = client.get("/api/statements", params={"q": "security", "limit": 1}).json()["next_cursor"]
    _error(client.get("/api/statements", params={"q": "boats", "limit": 1, "cursor": cursor}), 400)
    _error(client.get("/api/articles", params={"cursor": cursor}), 400)
    _error(client.get("/api/statements", params={"q": "security", "limit": 1, "cursor": cursor[:-2]}), 400)


@pytest.mark.parametrize("q", ['NOT AND OR ( ) " * ^ : - NEAR(', '"unbalanced', "text:security", "security*", "*", "a" * 500, "\x00 security", "' OR 1=1 --"])
def test_api_search_syntax_in_q_is_plain_words_never_an_error(client, q):
    r = client.get("/api/statements", params={"q": q})
    assert r.status_code == 200 and isinstance(r.json()["items"], list)


def test_api_wrong_method_is_405_in_the_one_shape(client):
    _error(client.delete("/api/articles/1"), 405)
    _error(client.put("/health"), 405)


# -- headers, schema, docs -------------------------------------------------------------------------


def test_api_security_headers_on_every_kind_of_response(client):
    responses = [
        client.get("/health"), client.get("/api/statements?q=security"), client.get("/api/statements?limit=0"),
        client.get("/nowhere"), client.delete("/health"), client.get("/docs"), client.get("/openapi.json"),
        client.post("/api/articles", json={"text": "x"}),
    ]  # fmt: skip
    for r in responses:
        assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY and "script-src 'self'" in CONTENT_SECURITY_POLICY


def test_api_an_unexpected_failure_is_a_500_in_the_one_shape_with_headers(store_path, monkeypatch):
    app = create_app(str(store_path))
    monkeypatch.setattr(app.state.store, "counts", lambda: 1 / 0)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/health")
    error = _error(r, 500)
    assert "ZeroDivision" not in r.text and error["code"] == "internal_error"
    assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_api_openapi_lists_every_endpoint_and_no_422(client):
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    assert {"/health", "/api/statements", "/api/statements/{statement_id}", "/api/speakers", "/api/speakers/{speaker_id}",
            "/api/articles", "/api/articles/{article_id}"} <= set(paths)  # fmt: skip
    assert "post" in paths["/api/articles"] and "get" in paths["/api/articles"]
    assert not any("422" in op["responses"] for methods in paths.values() for op in methods.values())
    assert "ErrorBody" in schema["components"]["schemas"]


def test_api_docs_page_lists_the_endpoints_and_loads_nothing_from_elsewhere(client):
    r = client.get("/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "/api/statements/{statement_id}" in r.text and 'href="/openapi.json"' in r.text
    assert not re.search(r"https?://", r.text)
    assert "<script" not in r.text and "<link" not in r.text and "style=" not in r.text


# -- ingest ----------------------------------------------------------------------------------------


def test_api_ingest_is_refused_on_a_read_only_server(client, store_path):
    for headers in ({}, {"Authorization": f"Bearer {TOKEN}"}):
        error = _error(client.post("/api/articles", json={"text": "“We will win,” she said."}, headers=headers), 403)
        assert error["code"] == "ingest_disabled"
    assert client.app.state.store.read_only


def test_api_ingest_needs_a_token_to_start(tmp_path, monkeypatch):
    monkeypatch.delenv("ONRECORD_API_TOKEN", raising=False)
    with pytest.raises(SettingsError, match="ONRECORD_API_TOKEN"):
        create_app(str(tmp_path / "s.db"), allow_ingest=True)
    monkeypatch.setenv("ONRECORD_API_TOKEN", "short")
    with pytest.raises(SettingsError, match="at least"):
        create_app(str(tmp_path / "s.db"), allow_ingest=True)


@pytest.fixture
def ingest_client(tmp_path, monkeypatch, pipeline):
    monkeypatch.setenv("ONRECORD_API_TOKEN", TOKEN)
    app = create_app(str(tmp_path / "ingest.db"), allow_ingest=True, max_body_bytes=20_000)
    app.state.ingest._pipeline = pipeline  # the session's, loaded once
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


AUTH = {"Authorization": f"Bearer {TOKEN}"}
TEXT = "“The budget will balance by spring,” Finance Minister Jane Porter said on Monday.\n\nShe added that taxes would not rise."


def test_api_ingest_without_or_with_a_wrong_token_is_401(ingest_client):
    for headers in ({}, {"Authorization": "Bearer wrong-token-0123456789"}, {"Authorization": TOKEN}, {"Authorization": f"Basic {TOKEN}"}):
        r = ingest_client.post("/api/articles", json={"text": TEXT}, headers=headers)
        assert _error(r, 401)["code"] == "unauthorized" and r.headers["www-authenticate"] == "Bearer"
    assert ingest_client.get("/health").json()["articles"] == 0


def test_api_ingest_json_text_and_html_then_serves_them(ingest_client):
    r = ingest_client.post("/api/articles", json={"text": TEXT, "title": "Budget", "outlet": "Daily", "published": "2024-03-04"}, headers=AUTH)
    assert r.status_code == 201, r.text
    added = r.json()
    assert added["status"] == "added" and added["new_statements"] >= 1
    view = ingest_client.get(f"/api/articles/{added['article_id']}").json()
    assert view["text"] == TEXT and view["outlet"] == "Daily" and view["statements"]
    for s in view["statements"]:
        assert view["text"][s["content"]["start"] : s["content"]["end"]] == s["content"]["text"]
    again = ingest_client.post("/api/articles", json={"text": TEXT, "title": "Budget", "outlet": "Daily"}, headers=AUTH)
    assert again.status_code == 200 and again.json()["status"] == "already_stored"
    plain = ingest_client.post("/api/articles", params={"outlet": "Wire", "title": "Plain"}, headers={**AUTH, "Content-Type": "text/plain"},
                               content="“Rates will fall,” Governor Tom Reed said.".encode())  # fmt: skip
    assert plain.status_code == 201 and ingest_client.get(f"/api/articles/{plain.json()['article_id']}").json()["outlet"] == "Wire"
    html = "<html><head><title>Harbour</title></head><body><article><p>“The harbour reopens next week,” Mayor Ann Lee said on Friday at the town hall meeting.</p></article></body></html>"
    r = ingest_client.post("/api/articles", headers={**AUTH, "Content-Type": "text/html; charset=utf-8"}, content=html.encode())
    assert r.status_code == 201, r.text
    assert "harbour" in ingest_client.get(f"/api/articles/{r.json()['article_id']}").json()["text"]


@pytest.mark.parametrize("body, content_type, status", [
    (b"{not json", "application/json", 400),
    (b'{"title": "no text"}', "application/json", 400),
    (b'{"text": ""}', "application/json", 400),
    (b'{"text": "x", "extra": 1}', "application/json", 400),
    (b'{"text": 5}', "application/json", 400),
    (b"   \n ", "text/plain", 400),
    (b"\x00\x01\x02binary\xff" * 20, "text/plain", 400),
    (b"text", "application/xml", 415),
    (b"text", "", 415),
    (b"x" * 20_001, "text/plain", 413),
])  # fmt: skip
def test_api_ingest_bad_bodies_are_4xx_in_the_one_shape(ingest_client, body, content_type, status):
    headers = {**AUTH, "Content-Type": content_type} if content_type else AUTH
    _error(ingest_client.post("/api/articles", content=body, headers=headers), status)
    assert ingest_client.get("/health").json()["articles"] == 0


def test_api_a_body_over_the_limit_is_413_even_without_a_token(ingest_client):
    _error(ingest_client.post("/api/articles", content=b"x" * 30_000, headers={"Content-Type": "text/plain"}), 413)


# -- the command ---------------------------------------------------------------------------------


def test_api_serve_refuses_a_missing_store_and_ingest_without_a_token(tmp_path, monkeypatch, capsys):
    assert main(["serve", "--db", str(tmp_path / "missing.db")]) == 1
    assert "run `onrecord ingest` first" in capsys.readouterr().err
    assert not (tmp_path / "missing.db").exists()
    monkeypatch.delenv("ONRECORD_API_TOKEN", raising=False)
    assert main(["serve", "--db", str(tmp_path / "missing.db"), "--allow-ingest"]) == 1
    assert "ONRECORD_API_TOKEN" in capsys.readouterr().err
