"""The pages in a real browser: Playwright for Python drives Debian's Chromium
(/usr/bin/chromium, from `make sysdeps`; no browser is downloaded) against the
app served by uvicorn on a free 127.0.0.1 port. One server and one browser for
the module.

Covered: search and filters, a dataset page with its map drawn (the SVG holds
the features), table paging, steward login, accepting a warning, withdrawing,
an accessibility check with axe-core (from npm, injected into each page: no
serious or critical violation), a crawl of every public page for the raw
package's personal values and console links, and no request to another host.

Each page's screenshot is saved under $PUBLISHER_SCREENSHOTS, else under the
pytest temporary directory (`screenshots0`); the path is printed.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
import yaml
from playwright.sync_api import Browser, Page, sync_playwright

from publisher.api.auth import hash_token
from tests.api.conftest import serve_api
from tests.api.raw_markers import RAW, raw_markers
from tests.web.conftest import GRID, HTML, ROOT, TOKEN, TREES

CHROMIUM = os.environ.get("PUBLISHER_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = ROOT / "publisher" / "web" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = re.compile(r"(?:\+49|0049|0)[1-9][0-9 /()-]{6,}[0-9]")


@pytest.fixture(scope="module")
def site(shipped_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app in its own uvicorn process, on a copy of the published home, with a
    pipeline whose warning is not accepted (charging-points without `accept:`)."""
    root = tmp_path_factory.mktemp("browser")
    home = root / "home"
    shutil.copytree(shipped_home, home)
    pipelines = root / "pipelines"
    pipelines.mkdir()
    spec = yaml.safe_load((ROOT / "pipelines" / "charging-points.yaml").read_text("utf-8"))
    del spec["accept"]
    spec["source"] = str(ROOT / "pipelines" / "samples" / "charging-points")
    spec["dataset"]["name"] = "ladesaeulen-neu"
    (pipelines / "charging-points.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True),
                                                    encoding="utf-8")
    with serve_api(home, {"PUBLISHER_STEWARD_TOKEN_HASH": hash_token(TOKEN),
                          "PUBLISHER_PIPELINES_DIR": str(pipelines),
                          "PUBLISHER_API_RATE_PER_SECOND": "0"}) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make sysdeps` (Debian package chromium) "
                    "or set PUBLISHER_CHROMIUM")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("PUBLISHER_SCREENSHOTS")
    folder = Path(given) if given else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


class Visit:
    """A page that records every request it makes and every message it logs."""

    def __init__(self, browser: Browser, shots: Path, **context: Any):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900},
                                           **context)
        self.page: Page = self.context.new_page()
        self.requests: list[str] = []
        self.messages: list[str] = []
        self.shots = shots
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.messages.append(f"{m.type}: {m.text}"))

    def shot(self, name: str) -> Path:
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Browser, shots: Path) -> Iterator[Visit]:
    v = Visit(browser, shots)
    yield v
    v.close()


def test_search_and_filters(visit: Visit, site: str) -> None:
    page = visit.page
    page.goto(f"{site}/")
    assert page.locator("li.card").count() == 3
    visit.shot("catalogue")
    page.fill("#q", "baum")
    page.click("form.search button[type=submit]")
    page.wait_for_url(re.compile(r"q=baum"))
    assert page.locator("li.card h3").all_inner_texts() == ["Baumkataster Musterstadt"]
    visit.shot("catalogue-search")
    page.goto(f"{site}/")
    page.select_option("#f-theme", "TRAN")
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(r"theme=TRAN"))
    assert page.locator("li.card h3").all_inner_texts() == ["Ladesäulen Musterstadt"]
    page.click("a[hreflang=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "1 dataset" in page.inner_text("p.count")


def test_dataset_page_draws_its_map(visit: Visit, site: str) -> None:
    page = visit.page
    page.goto(f"{site}/dataset/{GRID}")  # the DCAT URI; a browser gets the page
    assert page.inner_text("h1") == "Mängelmeldungen Musterstadt je 100-m-Rasterzelle"
    page.wait_for_selector("#map-1[data-state=ready]", timeout=15_000)
    assert page.get_attribute("#map-1", "data-features") == "91"
    cells = page.locator("#map-1 svg path.leaflet-interactive")
    assert cells.count() == 91
    assert page.locator("#map-1-legend li").count() >= 3
    assert "Ausdehnung der Daten" in page.inner_text("#map-1-legend")
    visit.shot("dataset-grid")
    page.locator("#map-1").screenshot(path=str(visit.shots / "dataset-grid-map.png"))
    page.goto(f"{site}/dataset/{TREES}")
    page.wait_for_selector("#map-1[data-state=ready]", timeout=15_000)
    assert page.locator("#map-1 svg path.leaflet-interactive").count() == 300
    visit.shot("dataset-trees")


def test_table_preview_pages(visit: Visit, site: str) -> None:
    page = visit.page
    page.goto(f"{site}/dataset/{GRID}")
    assert "Zeilen 1 bis 20 von 91" in page.inner_text("#preview caption")
    first = page.locator("#preview tbody tr td:first-child").all_inner_texts()
    page.click("a[rel=next]")
    page.wait_for_url(re.compile(r"page=2"))
    assert "Zeilen 21 bis 40 von 91" in page.inner_text("#preview caption")
    second = page.locator("#preview tbody tr td:first-child").all_inner_texts()
    assert len(first) == len(second) == 20 and not set(first) & set(second)
    page.click("a[rel=prev]")
    assert "Zeilen 1 bis 20 von 91" in page.inner_text("#preview caption")
    visit.shot("dataset-preview")


def _login(page: Page, site: str) -> None:
    page.goto(f"{site}/console")
    assert page.url.endswith("/console/login")
    page.fill("#token", "wrong")
    page.click("form.stack button[type=submit]")
    assert "Das Token ist nicht gültig." in page.inner_text("main")
    page.fill("#token", TOKEN)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{site}/console")


def test_steward_login_accept_and_withdraw(visit: Visit, site: str) -> None:
    page = visit.page
    page.goto(f"{site}/console/login")
    visit.shot("console-login")
    _login(page, site)
    assert page.locator("#runs tbody tr").count() == 3
    visit.shot("console")
    page.click("button[aria-label='Ausführen: charging-points']")
    page.wait_for_url(re.compile(r"/console/runs/"))
    assert page.text_content("#run-status") == "blocked"
    page.wait_for_selector("#before-after-1[data-state=ready]", timeout=15_000)
    assert page.locator("#before-after-1 svg path.leaflet-interactive").count() >= 80
    visit.shot("console-run-blocked")
    form = page.locator("form.accept").first
    form.locator("textarea").fill("Öffentliche Ladesäulen von Unternehmen, kein Personenbezug.")
    form.locator("input[name=by]").fill("Erika Beispiel")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"accepted="))
    assert "Akzeptiert" in page.inner_text("p.alert")
    page.click("text=Erneut ausführen")
    page.wait_for_url(re.compile(r"/console/runs/"))
    assert page.text_content("#run-status") == "published"
    assert "steward-accept[0]" in page.inner_text("main")
    visit.shot("console-run-published")
    page.goto(f"{site}/console")
    page.click(f"button[aria-label='Zurückziehen: {TREES}']")
    page.wait_for_url(re.compile(r"done=withdrawn"))
    assert "wurde zurückgezogen" in page.inner_text("p.alert")
    assert TREES in page.inner_text("#withdrawn")
    visit.shot("console-withdrawn")
    page.goto(f"{site}/")
    assert "Baumkataster" not in page.inner_text("main")


def _public_pages(site: str) -> list[str]:
    return [f"{site}/", f"{site}/?theme=ENVI", f"{site}/?lang=en", f"{site}/docs",
            f"{site}/dataset/{GRID}", f"{site}/dataset/{GRID}?page=2",
            f"{site}/dataset/ladesaeulen-musterstadt", f"{site}/dataset/{GRID}?lang=en",
            f"{site}/datasets/{GRID}/audit.html"]


def test_accessibility_no_serious_violations(browser: Browser, shots: Path,
                                             site: str) -> None:
    # axe is injected as a script, which the pages' own policy would refuse
    v = Visit(browser, shots, bypass_csp=True)
    found: dict[str, list[str]] = {}
    try:
        pages = [*_public_pages(site)]
        for url in pages:
            v.page.goto(url)
            if v.page.locator(".map").count():
                v.page.wait_for_selector(".map[data-state=ready]", timeout=15_000)
            # Swagger UI's own widgets (third-party) have low-contrast text and nested
            # buttons; the page around them is checked
            found[url] = _axe(v.page, exclude="#swagger-ui" if url.endswith("/docs") else None)
        v.page.goto(f"{site}/console/login")
        found["login"] = _axe(v.page)
        _login(v.page, site)
        found["console"] = _axe(v.page)
        run = v.page.locator("#runs tbody a").last.get_attribute("href")
        v.page.goto(f"{site}{run}")
        v.page.wait_for_selector(".map[data-state=ready]", timeout=15_000)
        found["run"] = _axe(v.page)
        v.shot("console-run")
    finally:
        v.close()
    bad = {url: problems for url, problems in found.items() if problems}
    assert not bad, bad


def _axe(page: Page, exclude: str | None = None) -> list[str]:
    assert AXE.is_file(), f"axe-core is not installed ({AXE}): run `make install`"
    page.add_script_tag(path=str(AXE))
    context = {"exclude": [[exclude]]} if exclude else {"include": [["html"]]}
    result = page.evaluate("async (context) => (await axe.run(context)).violations"
                           ".map(v => ({id: v.id, impact: v.impact, n: v.nodes.length}))",
                           context)
    return [f"{v['id']} ({v['impact']}, {v['n']})" for v in result
            if v["impact"] in ("serious", "critical")]


def _raw_phones() -> set[str]:
    with (RAW / "reports.csv").open(encoding="utf-8") as fh:
        return {m.group(0) for row in csv.DictReader(fh)
                for m in PHONE.finditer(row["description"])}


def test_crawl_public_pages_finds_no_personal_values_and_no_console_link(site: str) -> None:
    markers = raw_markers() | _raw_phones()
    assert len(markers) > 100 and any("@" in m for m in markers)
    seen: set[str] = set()
    queue = [f"{site}/"]
    html_pages = 0
    with httpx.Client(headers=HTML, timeout=30) as client:
        while queue and len(seen) < 400:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            answer = client.get(url)
            assert answer.status_code in (200, 303), (url, answer.status_code)
            assert "set-cookie" not in answer.headers, url
            body = answer.text if answer.status_code == 200 else answer.headers["location"]
            leaked = [m for m in markers if m in body]
            assert not leaked, (url, leaked[:3])
            if not answer.headers.get("content-type", "").startswith(("text/html",
                                                                      "application/json")):
                continue
            if answer.headers["content-type"].startswith("text/html"):
                html_pages += 1
                links = re.findall(r'(?:href|src|action)="([^"#]+)', body)
                assert not [x for x in links if x.startswith(("/console", "/steward"))], url
            links = re.findall(r'(?:href|src)="([^"#]+)', body) + \
                re.findall(r'"url": "([^"]+)"', body)
            for link in links:
                target = urljoin(url, link.replace("&amp;", "&"))
                if urlsplit(target).netloc == urlsplit(site).netloc and target not in seen:
                    queue.append(target)
    assert html_pages >= 10 and len(seen) > 30, (html_pages, len(seen))
    assert f"{site}/datasets/{GRID}/resources/reports/map.geojson" in seen
    assert any("/download" in u for u in seen)


def test_no_page_loads_anything_from_another_host(browser: Browser, shots: Path,
                                                  site: str) -> None:
    v = Visit(browser, shots)
    try:
        for i, url in enumerate(_public_pages(site)):
            v.page.goto(url)
            if v.page.locator(".map").count():
                v.page.wait_for_selector(".map[data-state=ready]", timeout=15_000)
            if url.endswith("/docs"):
                v.page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
            v.shot(f"public-{i}")
        _login(v.page, site)
        v.page.goto(f"{site}{v.page.locator('#runs tbody a').first.get_attribute('href')}")
        v.page.wait_for_load_state("networkidle")
    finally:
        v.close()
    host = urlsplit(site).netloc
    foreign = [u for u in v.requests if not u.startswith("data:") and urlsplit(u).netloc != host]
    assert not foreign, foreign
    refused = [m for m in v.messages if "Content Security Policy" in m or "Refused" in m]
    assert not refused, refused
    assert len(v.requests) > 20
