"""A real Land-side client (issue 18): the stack's CKAN software reads the
catalogue a city serves (published and harvested datasets), first with
ckanext-dcat's RDF parser, then with ckanext-harvest running ckanext-dcat's DCAT
RDF harvester once (gather, fetch, import) into the stack's CKAN. Every dataset
arrives with its distributions, download URLs, licence and contact.

The Land-side code runs in the CKAN virtual environment deploy/local installs
(tests/harvest/land_side_ckan.py), found through deploy/local/lib.sh."""

from __future__ import annotations

import contextlib
import json
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import httpx
import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF

from publisher.harvest.command import run_harvest
from publisher.settings import Settings

pytestmark = pytest.mark.stack

ROOT = Path(__file__).resolve().parents[2]
CLIENT = Path(__file__).with_name("land_side_ckan.py")
CASES = ROOT / "tests" / "cases" / "harvest"
# the dataset IRIs of the shipped pipelines' datasets are the city's own
PUBLISHED = ("baumkataster-musterstadt", "ladesaeulen-musterstadt",
             "maengelmelder-musterstadt-raster")


def _ckan_paths() -> tuple[Path, Path]:
    """(CKAN virtual environment, the stack's ckan.ini), as deploy/local names them."""
    found = subprocess.run(
        ["bash", "-c", 'source deploy/local/lib.sh >/dev/null 2>&1; '
                       'printf "%s\\n%s\\n" "$CKAN_VENV" "$CKAN_INI"'],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\n")
    venv, ini = Path(found[0]), Path(found[1])
    if not (venv / "bin" / "python").is_file() or not ini.is_file():
        pytest.fail(f"no CKAN of deploy/local at {venv} ({ini}): run deploy/local/up",
                    pytrace=False)
    return venv, ini


def _land_side(venv: Path, *args: str) -> Any:
    done = subprocess.run([str(venv / "bin" / "python"), str(CLIENT), *args],
                          capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture
def city(api_home: Path, serve_home: Callable[[Path], AbstractContextManager[str]]
         ) -> Iterator[tuple[str, dict[str, dict[str, Any]]]]:
    """A city serving its published datasets and datasets it harvested itself:
    its address, and per dataset IRI what it serves (distributions with their
    addresses and licences, whether it has a contact point)."""
    report = run_harvest(str(CASES / "variants.ttl"), "local", Settings(home=api_home))
    assert len(report.added) == 3
    with serve_home(api_home) as url:
        g = rdflib.Graph()
        next_url: str | None = f"{url}/catalog.ttl?limit=1000"
        while next_url:
            page = rdflib.Graph().parse(data=httpx.get(next_url).text, format="turtle")
            g += page
            found = next(page.objects(None, rdflib.URIRef(
                "http://www.w3.org/ns/hydra/core#next")), None)
            next_url = str(found) if found is not None else None
        served: dict[str, dict[str, Any]] = {}
        for ds in g.subjects(RDF.type, DCAT.Dataset):
            served[str(ds)] = {
                "title": str(g.value(ds, DCTERMS.title)),
                "contact": g.value(ds, DCAT.contactPoint) is not None,
                "distributions": sorted(
                    (str(g.value(d, DCAT.downloadURL) or ""), str(g.value(d, DCAT.accessURL)),
                     str(g.value(d, DCTERMS.license)))
                    for d in g.objects(ds, DCAT.distribution))}
        assert len(served) == 6 and {u.rsplit("/", 1)[-1] for u in served} >= set(PUBLISHED)
        yield url, served


def test_ckanext_dcat_reads_every_dataset_of_a_city(
        city: tuple[str, dict[str, dict[str, Any]]], stack: Any) -> None:
    url, served = city
    venv, _ = _ckan_paths()
    parsed = _land_side(venv, "parse", f"{url}/catalog.ttl?limit=2&geometry=literal")
    by_uri = {next(e["value"] for e in d["extras"] if e["key"] == "uri"): d for d in parsed}
    assert set(by_uri) == set(served)  # every page was followed, every dataset read
    for uri, expected in served.items():
        got = by_uri[uri]
        assert got["title"] == expected["title"]
        resources = sorted((r.get("download_url", ""), r["access_url"], r["license"])
                           for r in got["resources"])
        assert resources == expected["distributions"], uri
        assert all(r["url"] for r in got["resources"])
        extras = {e["key"] for e in got["extras"]}
        assert {"contact_name", "contact_email", "contact_url"} & extras, uri


def test_ckanext_dcat_cannot_read_a_dcat_ap_3_geometry_node(
        city: tuple[str, dict[str, dict[str, Any]]], stack: Any) -> None:
    """Why `?geometry=literal` exists: ckanext-dcat (2.4.4) reads a locn:geometry only
    as a literal and fails on the whole page at a geometry node, the form DCAT-AP 3
    (and the official shapes) ask for. When this test fails, ckanext-dcat reads the
    default output, and harvesters no longer need the parameter."""
    url, _ = city
    venv, _ = _ckan_paths()
    done = subprocess.run([str(venv / "bin" / "python"), str(CLIENT), "parse",
                           f"{url}/catalog.ttl"], capture_output=True, text=True, timeout=900)
    assert done.returncode != 0
    assert "_parse_geodata" in done.stderr and "datatype" in done.stderr


def _harvest_ini(ini: Path, tmp_path: Path) -> Path:
    """The stack's ckan.ini with ckanext-harvest and the DCAT RDF harvester loaded."""
    plugins = "activity scheming_datasets dcat harvest dcat_rdf_harvester"
    overlay = tmp_path / "harvest.ini"
    overlay.write_text(
        f"[DEFAULT]\n\n[app:main]\nuse = config:{ini}\nckan.plugins = {plugins}\n\n"
        "[loggers]\nkeys = root\n\n[handlers]\nkeys = console\n\n[formatters]\n"
        "keys = generic\n\n[logger_root]\nlevel = WARNING\nhandlers = console\n\n"
        "[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\nlevel = NOTSET\n"
        "formatter = generic\n\n[formatter_generic]\nformat = %(levelname)s %(message)s\n",
        encoding="utf-8")
    return overlay


@pytest.fixture
def land_org(ckan: Any) -> Iterator[dict[str, Any]]:
    org: dict[str, Any] = ckan.action.organization_create(
        name=f"land-{uuid.uuid4().hex[:10]}", title="Land (ckanext-harvest)")
    yield org
    for pkg in ckan.action.package_search(fq=f"owner_org:{org['id']}", rows=1000,
                                          include_private=True, include_drafts=True)["results"]:
        ckan.action.dataset_purge(id=pkg["id"])
    ckan.action.organization_purge(id=org["id"])


def test_ckanext_harvest_takes_every_dataset_into_the_lands_ckan(
        city: tuple[str, dict[str, dict[str, Any]]], ckan: Any, land_org: dict[str, Any],
        tmp_path: Path) -> None:
    url, served = city
    venv, ini = _ckan_paths()
    if not list((venv / "lib").glob("python*/site-packages/ckanext/harvest")):
        pytest.fail("ckanext-harvest is not installed in the stack's CKAN: rerun "
                    "deploy/local/up (deploy/local/requirements-ckan.txt)", pytrace=False)
    source = f"city-{uuid.uuid4().hex[:10]}"
    try:
        result = _land_side(venv, "harvest", str(_harvest_ini(ini, tmp_path)), source,
                            f"{url}/catalog.ttl?limit=2&geometry=literal", land_org["id"])
    finally:
        with contextlib.suppress(Exception):  # the source was not created: nothing to remove
            ckan.action.dataset_purge(id=source)
    assert result["gather_errors"] == []
    assert len(result["objects"]) == len(served)
    assert [o for o in result["objects"] if o["state"] != "COMPLETE" or o["errors"]] == []
    held = ckan.action.package_search(fq=f"owner_org:{land_org['id']} AND type:dataset",
                                      rows=100)["results"]
    by_title = {p["title"]: p for p in held}
    assert sorted(by_title) == sorted(d["title"] for d in served.values())
    for expected in served.values():
        package = ckan.action.package_show(id=by_title[expected["title"]]["id"])
        resources = sorted((r.get("download_url") or "", r.get("access_url") or r["url"],
                            r.get("license") or "") for r in package["resources"])
        assert resources == expected["distributions"], expected["title"]
        assert package["license_id"], expected["title"]  # matched in the Land's register
        assert [c for c in package.get("contact") or [] if c.get("name") or c.get("email")], \
            expected["title"]
