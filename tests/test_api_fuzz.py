"""The API fuzzed from its own OpenAPI schema (schemathesis, in-process over ASGI, no network):
every operation gets generated requests, valid ones and ones that break the schema, against a
store of the demo corpus; none may answer 500, every answer must be a status the schema
documents, of its content type, and a 2xx body must match the schema. POST /api/articles is
fuzzed on a server that allows ingest, with and without the token: without it nothing is stored.

ONRECORD_API_FUZZ_EXAMPLES (default 25) sets the examples per operation and mode; docs/reliability.md
gives the counts of a longer run."""

from __future__ import annotations

import os
from datetime import date, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from onrecord.corpus import ingest
from onrecord.model import Article
from onrecord.server.app import TOKEN_VARIABLE, create_app
from onrecord.store import Store, facets
from onrecord.store.dates import sortable_date
from reliability_support import QUOTES

EXAMPLES = int(os.environ.get("ONRECORD_API_FUZZ_EXAMPLES", "25"))
ROOT = Path(__file__).resolve().parents[1]
DEMO = [ROOT / "examples" / "wikinews-gum.jsonl", ROOT / "examples" / "cleverly-hussain.txt"]
TOKEN = "fuzz-token-0123456789abcdef"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory, pipeline) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "demo.db"
    with Store(path) as store:
        ingest([str(p) for p in DEMO], store, pipeline=pipeline)
    return path


def _schema(app) -> schemathesis.schemas.BaseSchema:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=EXAMPLES)
    return schema


@pytest.fixture(scope="module")
def read_only_schema(demo_store):
    return _schema(create_app(str(demo_store)))


@pytest.fixture(scope="module")
def ingest_app(tmp_path_factory, pipeline):
    os.environ[TOKEN_VARIABLE] = TOKEN
    try:
        app = create_app(str(tmp_path_factory.mktemp("fuzz-ingest") / "ingest.db"), allow_ingest=True, max_body_bytes=50_000)
    finally:
        del os.environ[TOKEN_VARIABLE]
    app.state.ingest._pipeline = pipeline  # the session's, loaded once
    return app


@pytest.fixture(scope="module")
def ingest_schema(ingest_app):
    return _schema(ingest_app)


def fuzz(schema, headers: dict[str, str] | None = None, statuses: set[int] | None = None) -> tuple[dict[str, int], list[str]]:
    """Every operation of schema, EXAMPLES generated requests in each mode, each answer checked
    with CHECKS (and to be one of statuses, when given): requests sent per operation and mode,
    and what failed (with the request)."""
    sent: dict[str, int] = {}
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            label = f"{mode.value} {operation.label}"
            sent[label] = 0

            @FUZZ
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case) -> None:
                sent[label] += 1
                response = case.call_and_validate(checks=CHECKS, headers=headers)
                assert statuses is None or response.status_code in statuses, f"{response.status_code} {response.text[:300]}"

            try:
                run()
            except Unsatisfiable:
                del sent[label]  # nothing to break: the operation takes no parameter and no body
            except Exception as exc:  # noqa: BLE001 - every operation is tried; all failures are reported
                failures.append(f"{label}: {exc}")
    return sent, failures


def test_every_operation_answers_without_a_server_error(read_only_schema):
    sent, failures = fuzz(read_only_schema)
    print(f"\nread-only API: {sum(sent.values())} requests over {len(sent)} operation-modes; failures {len(failures)}")
    assert failures == [], "\n\n".join(failures)
    assert len(sent) >= 2 * 14 - 1 and min(sent.values()) >= 1


def test_ingest_with_and_without_the_token_answers_without_a_server_error(ingest_app, ingest_schema):
    post = ingest_schema.include(method="POST", path="/api/articles")
    without, failures = fuzz(post, statuses={401, 413})
    assert failures == [], "\n\n".join(failures)
    assert ingest_app.state.store.counts().articles == 0, "an article was stored without the token"
    with_token, failures = fuzz(post, headers={"Authorization": f"Bearer {TOKEN}"}, statuses={200, 201, 400, 413, 415})
    print(f"\ningest API: {sum(without.values())} requests without the token, {sum(with_token.values())} with it; "
          f"{ingest_app.state.store.counts().articles} articles stored")
    assert failures == [], "\n\n".join(failures)
    assert ingest_app.state.store.counts().articles > 0, "no generated article was accepted with the token"


# -- the pages are not in the schema: fuzzed from their parameters ------------------------------

PAGES = ["/", "/search", "/speakers", "/articles", "/targets", "/disagreements", "/topics"]
PAGE_ITEMS = ["/speakers/", "/articles/", "/statements/", "/targets/"]
PAGE_PARAMS = ["q", "speaker", "outlet", "since", "until", "kind", "cursor", "similar"]
hostile_text = st.text(st.characters(codec="utf-8"), max_size=300) | st.sampled_from(
    ["", "0", "-1", "9" * 30, "a" * 5000, "%00", "\x00", "..%2F..%2Fetc%2Fpasswd", '"', "NEAR(", "*", "2024-13-45"])


@pytest.fixture(scope="module")
def read_only_client(demo_store):
    with TestClient(create_app(str(demo_store)), raise_server_exceptions=False) as client:
        yield client


@FUZZ
@given(path=st.sampled_from(PAGES), params=st.dictionaries(st.sampled_from(PAGE_PARAMS), hostile_text, max_size=4))
def test_pages_with_any_parameters_answer_without_a_server_error(read_only_client, path, params):
    response = read_only_client.get(path, params=params)
    assert response.status_code in (200, 400, 404), (path, params, response.status_code)


@FUZZ
@given(prefix=st.sampled_from(PAGE_ITEMS), segment=hostile_text.filter(bool))
def test_page_of_any_item_answers_without_a_server_error(read_only_client, prefix, segment):
    response = read_only_client.get(prefix + quote(segment, safe=""))
    assert response.status_code in (200, 400, 404), (prefix, segment, response.status_code)


offsets = st.timedeltas(min_value=-timedelta(hours=23, minutes=59), max_value=timedelta(hours=23, minutes=59))
iso_moment = st.dates().map(date.isoformat) | st.builds(
    lambda moment, offset: moment.replace(tzinfo=timezone(offset)).isoformat(), st.datetimes(), offsets)


@FUZZ
@given(since=st.none() | iso_moment, until=st.none() | iso_moment, page=st.booleans())
def test_any_date_range_is_searched_without_a_server_error(read_only_client, since, until, page):
    """since and until as real dates and moments anywhere in the calendar, with any offset."""
    params = {"q": "said", **({"since": since} if since else {}), **({"until": until} if until else {})}
    response = read_only_client.get("/search" if page else "/api/statements", params=params)
    assert response.status_code in (200, 400), (params, response.status_code)


# -- limits ------------------------------------------------------------------------------------------

OVER_THE_LIMITS = [
    "/api/targets?top=101", "/api/topics?top=101", "/api/topics?top=0",
    "/api/disagreements?limit=101", "/api/disagreements?min_weight=10001",
    "/api/statements/similar?q=" + "a" * 501, "/api/statements/similar?q=x&limit=101",
    "/api/targets/" + "a" * 201, "/api/statements?q=x&speaker=" + "a" * 201, "/api/statements?q=x&outlet=" + "a" * 201,
]  # fmt: skip


@pytest.mark.parametrize("url", OVER_THE_LIMITS)
def test_over_a_limit_is_a_400(read_only_client, url):
    response = read_only_client.get(url)
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_parameter"


def test_a_page_query_of_any_length_is_cut_not_refused(read_only_client):
    response = read_only_client.get("/search", params={"q": "security " * 6000})
    assert response.status_code == 200


def test_a_streamed_body_over_the_limit_is_413_without_a_content_length(ingest_app):
    def chunks():
        for _ in range(100):
            yield b"x" * 1000  # 100 kB against the app's 50 kB, sent chunked: no Content-Length to refuse early

    with TestClient(ingest_app, raise_server_exceptions=False) as client:
        response = client.post("/api/articles", content=chunks(), headers={"Content-Type": "text/plain", "Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "body_too_large"


# -- regressions: 500s the fuzzing found -------------------------------------------------------------

EXTREME_DATES = ["0001-01-01", "9999-12-31T23:59:59+00:00", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "2024-02-29"]


def test_dates_at_the_ends_of_the_calendar_are_stored_and_searched(pipeline, tmp_path):
    """Found: since=0001-01-01&until=9999-12-31 was a 500 (the date cover ran past 9999-12-31),
    and a published date past the last UTC moment ('9999-12-31T23:59:59-14:00') made Store.add
    raise OverflowError, stopping an ingest; now it is stored with its date unknown."""
    with Store(tmp_path / "dates.db") as store:
        for n, published in enumerate(EXTREME_DATES):
            text = f"Mayor Maria Gomez spoke on day {n}.\n“{QUOTES[n]} on the roads,” Gomez said."
            assert store.add(pipeline.extract(Article(text=text, published=published, title="Roads"))).status == "added"
        dated = store.conn.execute("SELECT count(*) FROM articles WHERE published_at IS NOT NULL").fetchone()[0]
    assert dated == 3  # the two moments that are no UTC date-time are stored undated
    with TestClient(create_app(str(tmp_path / "dates.db")), raise_server_exceptions=False) as client:
        hits = client.get("/api/statements", params={"q": "roads", "since": "0001-01-01", "until": "9999-12-31", "limit": 100})
        assert hits.status_code == 200 and len(hits.json()["items"]) == dated
        for since, until in [("9999-12-31", None), (None, "0001-01-01"), ("0001-01-01", "0001-01-01"), ("9999-12-31T00:00:00Z", None)]:
            params = {"q": "roads", **({"since": since} if since else {}), **({"until": until} if until else {})}
            assert client.get("/api/statements", params=params).status_code == 200, params
            assert client.get("/search", params=params).status_code == 200, params
        refused = client.get("/api/statements", params={"q": "roads", "until": "9999-12-31T23:59:59-14:00"})
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid_parameter"
        for path in ["/api/speakers/1", "/speakers/1", "/api/articles", "/articles/2", "/api/statements/1"]:
            assert client.get(path).status_code == 200, path


def test_the_date_cover_reaches_the_last_day_a_date_holds():
    last = date.max
    assert facets.date_cover(last - timedelta(days=40), last)[-1] == "mon999912"
    assert facets.date_cover(date(9999, 1, 1), last) == ["yr9999"]
    assert sortable_date("9999-12-31T23:59:59-14:00") is None and sortable_date("9999-12-31T23:59:59+00:00") == "9999-12-31T23:59:59"


def test_without_the_token_even_a_bad_request_is_refused_first(ingest_app, read_only_client):
    """Found: a POST without the token but with a parameter over its length (title of 1,001
    characters) was answered 400 for the parameter, before the token was asked for."""
    with TestClient(ingest_app, raise_server_exceptions=False) as client:
        response = client.post("/api/articles", params={"title": "t" * 1001, "published": "x" * 41}, content=b"{", headers={"Content-Type": "application/json"})
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    response = read_only_client.post("/api/articles", params={"title": "t" * 1001}, content=b"text", headers={"Content-Type": "text/plain"})
    assert response.status_code == 403
