"""The public pages, in process: catalogue with search and filters, the dataset
page at its URI (content negotiation), downloads, licence, preview paging, the
map's data, the audit summary and record, the offline API docs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from publisher.api.catalog import Catalog
from publisher.web import assets
from publisher.web.pages import negotiate
from publisher.web.preview import PAGE_ROWS
from tests.web.conftest import CHARGING, GRID, HTML, TOKEN, TREES, web_settings


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/dataset/[^"]+">([^<]+)</a></h3>', html)


def test_catalogue_lists_public_datasets_with_search_and_filters(web: TestClient) -> None:
    page = web.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "public" in page.headers["cache-control"]
    assert len(_titles(page.text)) == 3
    assert _titles(web.get("/", params={"q": "baum"}).text) == ["Baumkataster Musterstadt"]
    assert _titles(web.get("/", params={"q": "baum rasterzelle"}).text) == []
    assert _titles(web.get("/", params={"theme": "TRAN"}).text) == ["Ladesäulen Musterstadt"]
    assert _titles(web.get("/", params={"format": "GEOJSON"}).text) == \
        ["Baumkataster Musterstadt"]
    by_licence = _titles(web.get("/", params={
        "licence": "Datenlizenz Deutschland – Namensnennung – Version 2.0"}).text)
    assert sorted(by_licence) == ["Baumkataster Musterstadt",
                                  "Mängelmeldungen Musterstadt je 100-m-Rasterzelle"]
    assert len(_titles(web.get("/", params={"place": "Musterstadt"}).text)) == 3
    assert _titles(web.get("/", params={"place": "Anderswo"}).text) == []
    # the filters offer each value with its count
    assert re.search(r'<option value="CSV">CSV \(2\)</option>', page.text)
    assert "Verkehr (1)" in page.text


def test_english_is_one_link_away_and_links_keep_it(web: TestClient) -> None:
    german = web.get("/")
    assert '<html lang="de">' in german.text and "Suchen" in german.text
    assert 'href="/?lang=en"' in german.text
    english = web.get("/", params={"lang": "en"})
    assert '<html lang="en">' in english.text and "Search" in english.text
    assert f'href="/dataset/{TREES}?lang=en"' in english.text
    page = web.get(f"/dataset/{TREES}", params={"lang": "en"}, headers=HTML)
    assert "What was changed, and why is it anonymous?" in page.text
    assert "Transport" in web.get("/", params={"lang": "en"}).text


def test_dataset_uri_negotiates_html_rdf_and_json(web: TestClient) -> None:
    page = web.get(f"/dataset/{GRID}", headers=HTML)
    assert page.status_code == 200
    assert "<h1>Mängelmeldungen Musterstadt je 100-m-Rasterzelle</h1>" in page.text
    for accept, suffix in (("text/turtle", "/dcat.ttl"), ("application/rdf+xml", "/dcat.rdf"),
                           ("application/ld+json", "/dcat.jsonld"),
                           ("application/json", ""), ("*/*", ""),
                           ("text/html;q=0.5, text/turtle", "/dcat.ttl")):
        answer = web.get(f"/dataset/{GRID}", headers={"Accept": accept},
                         follow_redirects=False)
        assert answer.status_code == 303, accept
        assert answer.headers["location"] == f"http://testserver/datasets/{GRID}{suffix}"
    missing = web.get("/dataset/no-such-dataset", headers=HTML)
    assert missing.status_code == 404 and "no published dataset" in missing.text


def test_negotiate_weighs_the_accept_header() -> None:
    assert negotiate(None) == "json"
    assert negotiate("*/*") == "json"
    assert negotiate(HTML["Accept"]) == "html"
    assert negotiate("application/ld+json;q=0.9, text/turtle;q=0.2") == "jsonld"
    assert negotiate("text/html;q=bad, application/rdf+xml") == "rdf"


def test_dataset_page_shows_downloads_with_sizes_and_checksums(web: TestClient,
                                                               web_home: Path) -> None:
    page = web.get(f"/dataset/{GRID}", headers=HTML).text
    version = web_home / "catalog" / "datasets" / GRID / "v1"
    descriptor = json.loads((version / "datapackage.json").read_text(encoding="utf-8"))
    [resource] = descriptor["resources"]
    assert resource["hash"].removeprefix("sha256:") in page
    assert f'data-bytes="{resource["bytes"]}"' in page
    assert f'href="/datasets/{GRID}/resources/reports/download"' in page
    assert f"/datasets/{GRID}/resources/reports/download?format=geojson" in page
    for link in ("dcat.ttl", "dcat.jsonld", "datapackage.json"):
        assert f'href="/datasets/{GRID}/{link}"' in page


def test_licence_and_source_note(web: TestClient) -> None:
    grid = web.get(f"/dataset/{GRID}", headers=HTML).text
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in grid
    note = re.search(r'<p class="note" id="source-note">([^<]+)</p>', grid)
    assert note is not None
    assert note.group(1) == ("Stadt Musterstadt, Datenlizenz Deutschland – Namensnennung – "
                             "Version 2.0 (https://www.govdata.de/dl-de/by-2-0), "
                             f"http://testserver/dataset/{GRID}; Daten geändert")
    trees = web.get(f"/dataset/{TREES}", headers=HTML).text
    tree_note = re.search(r'id="source-note">([^<]+)<', trees)
    assert tree_note is not None and "geändert" not in tree_note.group(1)


def test_table_preview_pages(web: TestClient) -> None:
    first = web.get(f"/dataset/{GRID}", headers=HTML).text
    assert f"Zeilen 1 bis {PAGE_ROWS} von 91" in first
    assert first.count("<tr>") >= PAGE_ROWS
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = web.get(f"/dataset/{GRID}", params={"page": 2}, headers=HTML).text
    assert f"Zeilen {PAGE_ROWS + 1} bis {2 * PAGE_ROWS} von 91" in second
    rows_one = re.findall(r"<td>(CRS3035RES[^<]+)</td>", first)
    rows_two = re.findall(r"<td>(CRS3035RES[^<]+)</td>", second)
    assert len(rows_one) == len(rows_two) == PAGE_ROWS and not set(rows_one) & set(rows_two)
    last = web.get(f"/dataset/{GRID}", params={"page": 99}, headers=HTML).text
    assert "Zeilen 81 bis 91 von 91" in last and 'rel="next"' not in last
    assert "Seite 5 von 5" in last
    # geometry is named by its kind, never dumped as coordinates
    assert "<td>Polygon</td>" in first


def test_map_data_are_the_published_geometry_with_a_legend(web: TestClient) -> None:
    grid = web.get(f"/datasets/{GRID}/resources/reports/map.geojson").json()
    assert grid["total"] == grid["shown"] == len(grid["features"]) == 91
    assert {f["geometry"]["type"] for f in grid["features"]} == {"Polygon"}
    labels = [e["label"] for e in grid["legend"]]
    assert labels[0] == "Count:" and labels[-1] == "Ausdehnung der Daten"
    assert all(f["style"]["fillColor"].startswith("#") for f in grid["features"])
    west, south, east, north = grid["bbox"]
    assert 12 < west < east < 13 and 51 < south < north < 52
    trees = web.get(f"/datasets/{TREES}/resources/trees/map.geojson",
                    params={"lang": "en"}).json()
    assert {f["geometry"]["type"] for f in trees["features"]} == {"Point"}
    assert [e["label"] for e in trees["legend"]] == ["Point", "Extent of the data"]
    page = web.get(f"/dataset/{GRID}", headers=HTML).text
    assert f'"url": "/datasets/{GRID}/resources/reports/map.geojson"' in \
        page.replace("&#34;", '"')
    assert '<script src="/assets/leaflet/leaflet.js">' in page


def test_audit_summary_in_plain_german_and_the_full_record(web: TestClient) -> None:
    page = web.get(f"/dataset/{GRID}", headers=HTML).text
    assert "Was wurde verändert, und warum ist das anonym?" in page
    assert ("Die Spalten „reporter_name“, „reporter_email“, „description“ wurden entfernt."
            in page)
    assert "je Zelle eines 100-m-Rasters (INSPIRE) gezählt" in page
    assert "die kleinste enthält 3 Fälle" in page
    assert "Nächste Überprüfung: 2027-06-30" in page
    charging = web.get(f"/dataset/{CHARGING}", headers=HTML).text
    assert "bewusst akzeptiert" in charging and "keine privaten Wallboxen" in charging
    record = web.get(f"/datasets/{GRID}/audit.html")
    assert record.status_code == 200 and "<h1>Audit record:" in record.text
    assert record.headers["content-type"].startswith("text/html")
    assert web.get(f"/datasets/{GRID}/audit.json").json()["record"] == "anonymisation audit"
    assert web.get("/datasets/nothing/audit.html").status_code == 404


def test_pages_send_a_policy_that_allows_this_server_only(web: TestClient) -> None:
    for url in ("/", f"/dataset/{GRID}", "/docs"):
        answer = web.get(url, headers=HTML)
        csp = answer.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        sources = re.findall(r'(?:src|href)="([^"]+)"', answer.text)
        loaded = [s for s in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"',
                                        answer.text)]
        assert all(s.startswith("/") or s.startswith("data:") for s in loaded), loaded
        assert sources


def test_api_docs_come_from_the_installed_package(web: TestClient) -> None:
    docs = web.get("/docs")
    assert docs.status_code == 200
    assert '<script src="/assets/swagger-ui/swagger-ui-bundle.js">' in docs.text
    assert 'data-spec="/openapi.json"' in docs.text
    bundle = web.get("/assets/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 100_000
    assert web.get("/assets/swagger-ui/index.html").status_code == 404  # not listed
    assert web.get("/assets/app/../assets.py").status_code == 404
    assert web.get("/redoc", follow_redirects=False).headers["location"] == "/docs"


def test_a_missing_library_is_a_message_not_a_broken_page(
        web: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assets, "NODE_MODULES", tmp_path / "empty")
    assets.missing.cache_clear()
    try:
        page = web.get(f"/dataset/{GRID}", headers=HTML).text
        assert "die Kartenbibliothek (Leaflet) ist auf diesem Server nicht installiert" in page
        assert "leaflet.js" not in page
        docs = web.get("/docs").text
        assert "Swagger UI ist auf diesem Server nicht installiert" in docs
        answer = web.get("/assets/leaflet/leaflet.js")
        assert answer.status_code == 404
        assert "make install" in answer.json()["error"]["hint"]
    finally:
        assets.missing.cache_clear()


def test_public_pages_ignore_a_login_and_show_public_datasets_only(
        web: TestClient, web_home: Path) -> None:
    Catalog(web_settings(web_home)).store.set_public(TREES, False)
    bearer = {"Authorization": f"Bearer {TOKEN}", **HTML}
    assert "Baumkataster" not in web.get("/", headers=bearer).text
    assert web.get(f"/dataset/{TREES}", headers=bearer).status_code == 404
    assert web.get(f"/datasets/{TREES}/audit.html", headers=bearer).status_code == 404
