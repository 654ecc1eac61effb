"""The pages in a real browser (Debian's chromium through Playwright) over the demo corpus: search,
open a speaker and see the chart, open the article and see its highlights, facets swapped in
place by htmx, the same navigation without JavaScript; no request leaves 127.0.0.1 and the
Content-Security-Policy is never violated."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_support import CHROMIUM, MISSING_CHROMIUM, chromium, serving

from onrecord.corpus import ingest
from onrecord.store import Store

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=MISSING_CHROMIUM)
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory, pipeline):
    db = tmp_path_factory.mktemp("browser") / "demo.db"
    with Store(db) as store:
        summary = ingest([str(ROOT / "examples" / "wikinews-gum.jsonl"), str(ROOT / "examples" / "cleverly-hussain.txt")], store, pipeline=pipeline)
        assert not summary.failed
    with serving(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


def _refused(message: str) -> bool:
    """The browser's note on a 400 page (a bad filter, answered with the form and the reason)."""
    return "status of 400" in message


class Recorder:
    """Every request a page makes and every console error (CSP violations are console errors)."""

    def __init__(self, page) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" and not _refused(message.text) else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def check(self) -> None:
        assert self.requests
        hosts = {urlsplit(url).hostname for url in self.requests}
        assert hosts == {"127.0.0.1"}, self.requests
        assert not self.errors, self.errors


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    recorder = Recorder(tab)
    yield tab
    recorder.check()
    context.close()


def test_search_open_speaker_see_chart_open_article_see_highlights(page, base_url):
    page.goto(base_url + "/")
    page.fill("#q", "two-state solution")
    page.press("#q", "Enter")
    page.wait_for_selector(".hit mark")
    assert page.inner_text(".hit mark") == "two-state"

    page.click("a.who:has-text('James Cleverley')")
    page.wait_for_url(re.compile(r"/speakers/\d+$"))
    assert page.inner_text("h1").strip() == "James Cleverley"
    heights = page.eval_on_selector_all("svg.bars rect.bar", "bars => bars.map(b => b.getBoundingClientRect().height)")
    assert heights and max(heights) > 10
    assert "Statements per month by James Cleverley" in page.text_content("svg.bars > title")

    page.click("ol.statements li .ran a >> nth=0")
    page.wait_for_url(re.compile(r"/articles/\d+#q-\d+$"))
    marks = page.locator("mark.q")
    assert marks.count() >= 10  # the example article's statements
    speaker_classes = set(page.eval_on_selector_all("mark.q", "ms => ms.map(m => [...m.classList].find(c => c.startsWith('spk-')))"))
    assert len(speaker_classes) >= 3  # Cleverley, Starmer, Hussain and the unnamed speakers
    first = marks.first
    first.focus()
    tip = page.evaluate("() => getComputedStyle(document.activeElement, '::after').content")
    assert "James Cleverley" in tip and "said" in tip and "indirect" in tip
    background = page.evaluate("() => getComputedStyle(document.activeElement).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_facets_update_results_in_place_with_htmx(page, base_url):
    page.goto(base_url + "/search?q=said")
    page.wait_for_selector(".hit")
    page.evaluate("() => { window.notReloaded = true; }")
    with page.expect_response(lambda r: "/search?" in r.url and "kind=direct" in r.url):
        page.select_option("select[name=kind]", "direct")
    page.wait_for_function("() => [...document.querySelectorAll('.hit .kind')].every(k => k.textContent.trim() === 'direct')")
    assert page.evaluate("() => window.notReloaded === true")  # swapped in place, not a new page
    page.wait_for_url(re.compile(r"kind=direct"))  # the address follows (htmx pushes it after the swap settles)
    assert page.locator(".hit").count() >= 1
    with page.expect_response(lambda r: "speaker=Nobody" in r.url):
        page.fill("input[name=speaker]", "Nobody Atall")
        page.press("input[name=speaker]", "Tab")
    page.wait_for_selector("#results .notice.error")  # a bad filter says why, in place
    assert "Nobody Atall" in page.inner_text("#results .notice.error")


def test_navigation_works_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    recorder = Recorder(page)
    page.goto(base_url + "/")
    page.fill("#q", "ceasefire")
    page.select_option("select[name=kind]", "mixed")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/search\?q=ceasefire.*kind=mixed"))
    assert page.inner_text(".hit mark") == "ceasefire"
    page.click(".hit a.who")
    page.wait_for_url(re.compile(r"/speakers/\d+$"))
    assert page.locator("svg.bars rect.bar").count() >= 1
    recorder.check()
    context.close()


def test_disagreement_network_links_to_its_evidence_and_a_target_page_charts_for_and_against(page, base_url):
    page.goto(base_url + "/disagreements")
    assert page.locator("svg.network circle.node").count() >= 2
    edge = page.locator("svg.network line.edge.explicit").first
    box = edge.bounding_box()
    assert box and box["height"] + box["width"] > 50  # drawn between two nodes on the circle
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # a vertical line has no width to "see"
    page.wait_for_url(re.compile(r"/disagreements#edge-1$"))
    row = page.locator("tr#edge-1")
    assert "Imran Hussain" in row.inner_text() and "differs markedly" in row.inner_text()

    page.goto(base_url + "/targets/ceasefire")
    against = page.locator("section.stance-against")
    assert "Keir Starmer" in against.inner_text()
    fills = set(page.eval_on_selector_all("svg.stance-chart rect.bar", "bars => bars.filter(b => b.getBoundingClientRect().height > 0).map(b => getComputedStyle(b).fill)"))
    assert fills and fills <= {"rgb(26, 127, 55)", "rgb(207, 34, 46)"}  # the two stance colours
    page.click("section.stance-against a.who:has-text('Keir Starmer')")
    page.wait_for_url(re.compile(r"/speakers/\d+$"))
    assert page.locator("#positions-h").count() == 1
