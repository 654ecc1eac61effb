"""Positions, targets, disagreements, topics and semantic search in the REST API and the pages:
the example article's Starmer against a ceasefire and for humanitarian pauses, Hussain's explicit
disagreement with Starmer, bad parameters in the one error shape, a missing semantic extra as a
503, and hostile target text always escaped."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from onrecord.semantic import embedder as embedder_module
from onrecord.semantic.update import embed_new_statements, rebuild_topics
from onrecord.server import create_app
from onrecord.server.render_positions import network_layout, stance_chart
from onrecord.store import Store
from onrecord.store.stances import StanceMonth
from storefakes import Person, Said, article
from test_store_positions import alice_for_ceasefire, bob_against_ceasefire, with_position

SCRIPT = "<script>alert(1)</script>"


def hostile_record():
    """A position whose printed target (and so its key) holds markup."""
    record = article(
        [Said(f"We back the {SCRIPT} plan", "Eve Hacker", "Eve Hacker")],
        [Person("Eve Hacker")], outlet="Evil Times", published="2024-02-01",
    )  # fmt: skip
    return with_position(record, "Eve Hacker", "Eve Hacker", "back", f"the {SCRIPT} plan", f"{SCRIPT} plan", "favor")


def slash_record():
    """A target with a slash in it: its page's address must still find it."""
    record = article([Said("We condemn the 9/11 attacks", "Ann Lee", "Ann Lee")], [Person("Ann Lee")], published="2024-03-01")
    return with_position(record, "Ann Lee", "Ann Lee", "condemn", "the 9/11 attacks", "9/11 attack", "against")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory, example_record):
    path = tmp_path_factory.mktemp("positions") / "s.db"
    dated = replace(example_record, article=replace(example_record.article, published="2023-11-08", outlet="Le Monde"))
    with Store(path) as store:
        for record in (dated, alice_for_ceasefire(), bob_against_ceasefire(), hostile_record(), slash_record()):
            store.add(record)
        embedder = embedder_module.Embedder(threads=1)
        embed_new_statements(store, embedder)
        rebuild_topics(store, embedder.model_name, embedder.dimensions, min_size=1)
    return str(path)


@pytest.fixture(scope="module")
def client(store_path):
    with TestClient(create_app(store_path)) as c:
        yield c


def _speaker(client, name: str) -> int:
    items = client.get("/api/speakers", params={"top": 100}).json()["items"]
    return next(s["entity_id"] for s in items if s["name"] == name)


def _check_evidence(client, evidence: list[dict]) -> None:
    assert evidence
    for e in evidence:
        text = client.get(f"/api/articles/{e['article_id']}").json()["text"]
        assert text[e["start"] : e["end"]] == e["text"]


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["message"]
    return body["error"]


# -- the API ---------------------------------------------------------------------------------------


def test_api_speaker_positions_of_the_example(client):
    starmer = client.get(f"/api/speakers/{_speaker(client, 'Keir Starmer')}/positions").json()
    stances = {(p["target_norm"], p["stance"]): p for p in starmer["positions"]}
    assert {("ceasefire", "against"), ("humanitarian pause", "favor")} <= set(stances)
    assert stances[("ceasefire", "against")]["first_date"] == "2023-11-08"
    _check_evidence(client, [e for p in starmer["positions"] for e in p["evidence"]])


def test_api_targets_and_one_target_by_any_printed_form(client):
    targets = client.get("/api/targets", params={"top": 3}).json()
    assert len(targets) == 3 and targets[0]["target_norm"] == "ceasefire"
    totals = [t["favor"] + t["against"] for t in targets]
    assert totals == sorted(totals, reverse=True)
    view = client.get("/api/targets/" + quote("The Ceasefires")).json()
    assert view["target_norm"] == "ceasefire"
    assert [h["name"] for h in view["favor"]] == ["Alice Smith"]
    assert {"Keir Starmer", "Bob Jones"} <= {h["name"] for h in view["against"]}
    assert sum(m["against"] for m in view["months"]) + view["undated_against"] == sum(h["position"]["count"] for h in view["against"])


def test_api_disagreements_hold_hussains_explicit_one_with_starmer(client):
    network = client.get("/api/disagreements").json()
    edge = next(e for e in network["edges"] if (e["a_name"], e["b_name"]) == ("Imran Hussain", "Keir Starmer"))
    assert edge["explicit"] == 1
    assert any("differs markedly" in e["text"] for e in edge["evidence"] if e["kind"] == "explicit")
    _check_evidence(client, edge["evidence"])
    derived = next(e for e in network["edges"] if {e["a_name"], e["b_name"]} == {"Alice Smith", "Keir Starmer"})
    assert (derived["explicit"], derived["derived"], derived["targets"]) == (0, 1, ["ceasefire"])
    assert {n["name"] for n in network["nodes"]} >= {"Imran Hussain", "Keir Starmer", "Alice Smith", "Bob Jones"}
    assert client.get("/api/disagreements", params={"min_weight": 100}).json() == {"nodes": [], "edges": []}


def test_api_similar_statements_find_the_humanitarian_pauses(client):
    hits = client.get("/api/statements/similar", params={"q": "a pause in the fighting", "limit": 3}).json()
    assert any("pauses" in h["text"] for h in hits)
    assert [h["similarity"] for h in hits] == sorted((h["similarity"] for h in hits), reverse=True)


def test_api_topics_have_labels_and_sizes(client):
    topics = client.get("/api/topics", params={"top": 100}).json()
    assert topics and all(t["label"] and t["statements"] >= 1 for t in topics)
    assert sum(t["statements"] for t in topics) <= client.get("/health").json()["statements"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/targets?top=0", "/api/targets?top=abc", "/api/targets?top=1000", "/api/disagreements?min_weight=0",
        "/api/disagreements?limit=1000", "/api/statements/similar", "/api/statements/similar?q=",
        "/api/statements/similar?q=x&limit=0", "/api/speakers/0/positions", "/api/speakers/abc/positions",
        "/api/targets/" + "x" * 300,
    ],
)  # fmt: skip
def test_api_bad_parameters_are_400_in_the_one_shape(client, url):
    assert _error(client.get(url), 400)["code"] == "invalid_parameter"


@pytest.mark.parametrize("url", ["/api/speakers/99999/positions", "/api/targets/tariffs"])
def test_api_unknown_speakers_and_targets_are_404(client, url):
    assert _error(client.get(url), 404)["code"] == "not_found"


def test_api_similar_without_the_semantic_extra_is_a_503_saying_how_to_install(store_path, monkeypatch):
    def missing(*args, **kwargs):
        raise embedder_module.EmbeddingModelNotFoundError(f"no onnxruntime: {embedder_module.INSTALL_HINT}")

    monkeypatch.setattr(embedder_module.Embedder, "__init__", missing)
    with TestClient(create_app(store_path)) as fresh:
        error = _error(fresh.get("/api/statements/similar", params={"q": "pause"}), 503)
        assert error["code"] == "semantic_unavailable" and "pip install" in error["message"]
        page = fresh.get("/search", params={"similar": "pause"})
        assert page.status_code in (400, 503) and "pip install" in html.unescape(page.text)


# -- the pages -------------------------------------------------------------------------------------


def _section(page: str, heading: str) -> str:
    """The HTML of the section whose heading starts with heading."""
    at = page.index(f">{heading}")
    return page[at : page.index("</section>", at)]


def test_speaker_page_lists_positions_for_and_against_with_target_links(client):
    page = client.get(f"/speakers/{_speaker(client, 'Keir Starmer')}").text
    positions = page[page.index('id="positions-h"') :]
    assert 'href="/targets/ceasefire"' in _section(positions, "Against")
    assert 'href="/targets/humanitarian%20pause"' in _section(positions, "For")


def test_target_page_shows_who_is_for_and_against_and_a_two_colour_chart(client):
    response = client.get("/targets/ceasefire")
    assert response.status_code == 200
    page = response.text
    assert "Keir Starmer" in _section(page, '<span class="swatch against" aria-hidden="true"></span>Against')
    assert "Alice Smith" in _section(page, '<span class="swatch favor" aria-hidden="true"></span>For')
    assert re.search(r'<rect class="bar favor"[^>]*height="[1-9]', page) and re.search(r'<rect class="bar against"[^>]*height="[1-9]', page)
    assert client.get("/targets/" + quote("a ceasefire")).status_code == 200
    missing = client.get("/targets/tariffs", headers={"accept": "text/html"})
    assert missing.status_code == 404 and "No such target" in missing.text


def test_disagreements_page_draws_the_network_with_links_and_a_table(client):
    page = client.get("/disagreements").text
    assert re.search(r'<line class="edge explicit"[^>]*marker-end="url\(#arrow\)"', page)
    assert '<line class="edge derived"' in page
    numbers = re.findall(r'<a href="#edge-(\d+)"', page)
    assert numbers and all(f'id="edge-{n}"' in page for n in numbers)
    hussain = _speaker(client, "Imran Hussain")
    assert f'<a href="/speakers/{hussain}" class="node-link">' in page
    row = page[page.index("Imran Hussain</a></td>") :]
    assert "differs markedly" in row[: row.index("</tr>")]


def test_topics_page_and_similar_search(client):
    assert "<td>" in client.get("/topics").text
    search = client.get("/search").text
    assert 'name="similar"' in search  # the extra is installed here
    similar = client.get("/search", params={"similar": "a pause in the fighting"})
    assert similar.status_code == 200 and "pauses" in similar.text and "similarity" in similar.text
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', search, re.S).group(1)
    assert all(f'href="{path}"' in nav for path in ("/targets", "/disagreements", "/topics"))


def test_a_target_with_a_slash_has_a_page_and_an_api_address(client):
    page = client.get(f"/speakers/{_speaker(client, 'Ann Lee')}").text
    [href] = re.findall(r'href="(/targets/[^"]*)"', page)
    assert href == "/targets/9%2F11%20attack"
    assert client.get(href).status_code == 200
    assert client.get("/api" + href).json()["against"][0]["name"] == "Ann Lee"


def test_hostile_target_text_is_escaped_everywhere(client):
    escaped = html.escape(SCRIPT, quote=False)
    target = f"{SCRIPT} plan"
    for url in ("/targets", "/targets/" + quote(target, safe=""), f"/speakers/{_speaker(client, 'Eve Hacker')}"):
        page = client.get(url).text
        assert SCRIPT not in page, url
        assert escaped in page.replace("&#34;", '"').replace("&#39;", "'"), url


# -- the layouts -------------------------------------------------------------------------------------


def test_stance_chart_bars_are_in_proportion_and_undated_last():
    chart = stance_chart([StanceMonth("2024-01", 2, 0), StanceMonth("2024-02", 1, 4)], undated_favor=1)
    heights = {(b.label, b.stance): b.height for b in chart.bars}
    assert heights[("2024-02", "against")] == chart.height and heights[("2024-01", "favor")] == chart.height / 2
    assert chart.labels == ("2024-01", "2024-02", "undated") and chart.top == 4
    assert stance_chart([]).bars == ()


def test_network_layout_puts_nodes_on_a_circle_and_edges_between_them(client):
    from onrecord.store.stances import DisagreementNetwork, NetworkEdge, NetworkNode

    network = client.app.state.store.disagreement_network()
    layout = network_layout(network, size=600)
    centre = 300
    radii = {round(((n.x - centre) ** 2 + (n.y - centre) ** 2) ** 0.5) for n in layout.nodes}
    assert len(radii) == 1 and len(layout.nodes) == len(network.nodes)
    widths = [p.width for p in layout.edges]
    assert max(widths) <= 6.0 and min(widths) >= 1.5
    one = DisagreementNetwork((NetworkNode(1, "A", 1, 0), NetworkNode(2, "B", 1, 0)), (NetworkEdge(1, "A", 2, "B", 1, 0, 1, (), ()),))
    [edge] = network_layout(one).edges
    assert edge.explicit and (edge.x1, edge.y1) != (edge.x2, edge.y2)
