"""The published datapackage.json is built from the pipeline (issue 17): the shipped
pipelines as `make demo` runs them, and the options that steer it."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
import yaml

from publisher.catalog.store import CatalogStore
from publisher.pipeline.run import Status, run_pipeline
from publisher.settings import Settings, load_settings
from tests.conftest import ROOT

PIPELINES = sorted((ROOT / "pipelines").glob("*.yaml"))
SAMPLES = ROOT / "pipelines" / "samples"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every shipped pipeline published into one temporary home, as `make demo` does:
    pipeline name -> version directory."""
    settings = Settings(home=tmp_path_factory.mktemp("demo") / "home")
    out = {}
    for pipeline in PIPELINES:
        result = run_pipeline(pipeline, settings)
        assert result.status is Status.PUBLISHED, result.message
        assert result.publish is not None
        out[pipeline.stem] = Path(result.publish.location)
    return out


def _yaml(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def _json(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _raw_texts(raw: dict[str, Any], carried: set[str]) -> dict[str, list[str]]:
    """The source package's descriptive texts, by the carry_over kind that names them
    ('never' for those no option carries: the package's title and description)."""
    texts: dict[str, list[str]] = {"never": [raw["title"], raw["description"]],
                                   "keywords": list(raw.get("keywords", [])),
                                   "contributors": [c["title"] for c in
                                                    raw.get("contributors", [])],
                                   "sources": [s["title"] for s in raw.get("sources", [])],
                                   "resource_titles": [], "resource_descriptions": [],
                                   "field_titles": [], "field_descriptions": []}
    for resource in raw["resources"]:
        schema = resource.get("schema", {})
        for kind, key in (("resource_titles", "title"), ("resource_descriptions",
                                                         "description")):
            texts[kind] += [d[key] for d in (resource, schema) if d.get(key)]
        for field in schema.get("fields", []):
            for kind, key in (("field_titles", "title"), ("field_descriptions",
                                                          "description")):
                if field.get(key):
                    texts[kind].append(field[key])
    return {kind: values for kind, values in texts.items() if kind not in carried}


@pytest.mark.parametrize("pipeline", PIPELINES, ids=lambda p: p.stem)
def test_every_published_descriptor_is_built_from_its_pipeline(
        demo: dict[str, Path], pipeline: Path) -> None:
    spec = _yaml(pipeline)
    dataset = spec["dataset"]
    version = demo[pipeline.stem]
    text = (version / "datapackage.json").read_text(encoding="utf-8")
    published = json.loads(text)
    source = _json((pipeline.parent / spec["source"]) / "datapackage.json")

    assert published["name"] == dataset["name"]
    assert published["title"] == dataset["title"]
    assert published["description"] == dataset["description"].strip()
    assert published["keywords"] == dataset["keywords"]
    [licence] = published["licenses"]  # Frictionless form: Open Definition id, URL, SPDX
    assert (licence["name"], licence["spdx"]) in {("OGL-DE-BY-2.0", "DL-DE-BY-2.0"),
                                                  ("CC-BY-4.0", "CC-BY-4.0")}
    assert licence["path"].startswith("https://")
    assert published["contributors"][0] == {"title": dataset["publisher"],
                                            "roles": ["publisher"]}
    assert published["contributors"][1]["email"] == dataset["contact"]["email"]

    # no raw text the pipeline did not ask for (the pipeline may say the same itself)
    own = json.dumps(dataset, ensure_ascii=False)
    carried = set(dataset.get("carry_over", []))
    for kind, values in _raw_texts(source, carried).items():
        for value in values:
            assert value in own or value not in text, (kind, value)

    # provenance: the steps with their parameters, the policy files, the audit record
    provenance = published["provenance"]
    assert provenance["pipeline"] == spec["name"]
    steps = spec.get("steps") or []
    assert [s["type"] for s in provenance["steps"]] == [s["type"] for s in steps]
    for given, recorded in zip(steps, provenance["steps"], strict=True):
        assert {k: v for k, v in given.items() if k != "type"}.items() <= \
            recorded["params"].items()
    policy = ROOT / "schemas" / "policies" / f"{spec['policy']}.yaml"
    assert provenance["policy"] == {"name": spec["policy"], "files": [
        {"file": policy.name, "sha256": hashlib.sha256(policy.read_bytes()).hexdigest()}]}
    assert provenance["carried_over"] == sorted(carried)
    assert provenance["audit"] == {"html": "reports/audit.html", "json": "reports/audit.json"}
    for link in provenance["audit"].values():
        assert (version / link).is_file()
    assert _json(version / "reports" / "audit.json")["record"] == "anonymisation audit"

    # each resource's schema is that of the published data; new fields are described
    dropped = {c for s in steps if s["type"] == "drop-columns" for c in s["columns"]}
    source_fields = {f["name"] for r in source["resources"] for f in r["schema"]["fields"]}
    for resource in published["resources"]:
        fields = [f["name"] for f in resource["schema"]["fields"]]
        assert not dropped & set(fields)
        path = version / resource["path"]
        if resource["format"] == "csv":
            with path.open(encoding="utf-8") as fh:
                assert next(csv.reader(fh)) == fields
        for field in resource["schema"]["fields"]:
            if field["name"] not in source_fields:
                assert field.get("title") and field.get("description"), field
        assert set(resource) <= {"name", "title", "description", "path", "format",
                                 "mediatype", "encoding", "bytes", "hash", "schema",
                                 "geometry", "layer", "bbox", "sources"}


def test_the_grid_descriptor_says_nothing_of_the_raw_reports(demo: dict[str, Path]) -> None:
    text = (demo["defect-reports"] / "datapackage.json").read_text(encoding="utf-8")
    for raw in ("genauer Position", "darf so nicht veröffentlicht werden",
                "Mängelmeldungen 2024", "meldenden Person", "Bürgerbeteiligung",
                "synthetische Beispieldaten)", "personenbezogene"):
        assert raw not in text
    published = json.loads(text)
    [resource] = published["resources"]
    assert resource["title"] == "Mängelmeldungen je Rasterzelle"  # from dataset.resources
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert list(fields) == ["cell_id", "resolution_m", "count", "geometry"]
    assert fields["resolution_m"]["unit"] == "m"
    assert resource["geometry"] == {"kind": "wkt", "column": "geometry", "crs": "EPSG:4326"}
    assert "sources" not in published and "sources" not in resource


def test_non_personal_samples_carry_their_field_texts_over(demo: dict[str, Path]) -> None:
    published = _json(demo["tree-cadastre"] / "datapackage.json")
    [resource] = published["resources"]
    assert resource["title"] == "Bäume"
    assert resource["schema"]["fields"][0]["title"] == "Baumnummer"
    assert published["sources"][0]["path"] == "https://musterstadt.example/baumkataster"


def test_the_same_data_give_the_same_descriptor_bytes(home: Path) -> None:
    pipeline = ROOT / "pipelines" / "defect-reports.yaml"
    first = run_pipeline(pipeline, load_settings(home=home))
    second = run_pipeline(pipeline, load_settings(home=home))
    assert first.status is Status.PUBLISHED and second.status is Status.UNCHANGED, \
        second.message
    assert len(CatalogStore(home / "catalog").versions("maengelmelder-musterstadt-raster")) == 1


# --- the options, on a small package of personal data ---------------------------------

def _package(tmp_path: Path) -> Path:
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "people.csv").write_text(
        "id,name,district\n1,Anna Schmidt,Nord\n2,Bernd Meier,Nord\n3,Clara Vogel,Süd\n",
        encoding="utf-8")
    descriptor = {
        "name": "people", "title": "Rohdaten Personen",
        "description": "Enthält Namen von Personen; nicht zur Veröffentlichung.",
        "keywords": ["Roh"], "contributors": [{"title": "Amt 12", "roles": ["author"]}],
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": [{"title": "Einwohnerregister Musterstadt"}],
        "resources": [{
            "name": "people", "path": "people.csv", "title": "Personenliste",
            "description": "Eine Zeile je Person", "personal": True,
            "schema": {"title": "Personen", "description": "Schema der Personenliste",
                       "fields": [
                           {"name": "id", "type": "integer", "title": "Laufende Nummer",
                            "description": "Nummer der Person"},
                           {"name": "name", "type": "string", "title": "Vor- und Nachname",
                            "description": "Name der Person", "example": "Max Muster"},
                           {"name": "district", "type": "string", "title": "Bezirk",
                            "description": "Wohnbezirk der Person"}]}}]}
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return root


def _pipeline(tmp_path: Path, dataset: str = "", steps: str = "") -> Path:
    path = tmp_path / "people.yaml"
    path.write_text(
        f"name: people\nsource: {_package(tmp_path)}\npolicy: de-open-data\n"
        "steps:\n  - {type: drop-columns, resource: people, columns: [name]}\n" + steps +
        "target: {type: local}\n"
        "dataset:\n  name: personen-bezirke\n  title: Personen je Bezirk\n"
        "  description: Zeilen ohne Namen.\n  publisher: Stadt Musterstadt\n"
        "  license: dl-zero-de/2.0\n" + dataset, encoding="utf-8")
    return path


def _published(result: Any) -> dict[str, Any]:
    assert result.status is Status.PUBLISHED, result.message
    return _json(Path(result.publish.location) / "datapackage.json")


def test_nothing_of_the_source_is_carried_over_by_default(tmp_path: Path, home: Path) -> None:
    published = _published(run_pipeline(_pipeline(tmp_path), load_settings(home=home)))
    text = json.dumps(published, ensure_ascii=False)
    for raw in ("Rohdaten", "nicht zur Veröffentlichung", "Roh\"", "Amt 12", "Einwohnerregister",
                "Personenliste", "Eine Zeile", "Schema der", "Laufende Nummer",
                "Wohnbezirk", "Max Muster", "Vor- und Nachname", "personal"):
        assert raw not in text, raw
    assert published["licenses"] == [{
        "name": "OGL-DE-ZERO-2.0", "title": published["licenses"][0]["title"],
        "path": "https://www.govdata.de/dl-de/zero-2-0", "spdx": "DL-DE-ZERO-2.0"}]
    assert published["contributors"] == [{"title": "Stadt Musterstadt", "roles": ["publisher"]}]
    [resource] = published["resources"]
    assert resource["schema"]["fields"] == [{"name": "id", "type": "integer"},
                                            {"name": "district", "type": "string"}]


def test_carry_over_takes_only_the_kinds_it_names(tmp_path: Path, home: Path) -> None:
    pipeline = _pipeline(tmp_path, "  carry_over: [field_descriptions, sources]\n")
    published = _published(run_pipeline(pipeline, load_settings(home=home)))
    assert published["sources"] == [{"title": "Einwohnerregister Musterstadt"}]
    [resource] = published["resources"]
    assert "title" not in resource and "title" not in resource["schema"]
    assert [(f["name"], f.get("title"), f.get("description"))
            for f in resource["schema"]["fields"]] == [
        ("id", None, "Nummer der Person"), ("district", None, "Wohnbezirk der Person")]
    assert published["provenance"]["carried_over"] == ["field_descriptions", "sources"]
    assert "Rohdaten" not in json.dumps(published, ensure_ascii=False)


def test_the_pipeline_writes_resource_and_field_texts(tmp_path: Path, home: Path) -> None:
    dataset = ("  resources:\n    people:\n      title: Bezirke\n"
               "      fields:\n        district: {title: Stadtbezirk, description: Bezirk}\n")
    published = _published(run_pipeline(_pipeline(tmp_path, dataset), load_settings(home=home)))
    [resource] = published["resources"]
    assert resource["title"] == "Bezirke"
    assert resource["schema"]["fields"][1] == {"name": "district", "type": "string",
                                               "title": "Stadtbezirk", "description": "Bezirk"}


@pytest.mark.parametrize(("dataset", "where"), [
    ("  resources:\n    persons: {title: X}\n", "dataset.resources.persons"),
    ("  resources:\n    people:\n      fields:\n        name: {title: Name}\n",
     "dataset.resources.people.fields.name"),  # dropped: no longer published
])
def test_texts_for_what_is_not_published_are_refused(tmp_path: Path, home: Path, dataset: str,
                                                     where: str) -> None:
    result = run_pipeline(_pipeline(tmp_path, dataset), load_settings(home=home))
    assert result.status is Status.FAILED and result.exit_code == 2
    assert result.error is not None and result.error["where"] == where
    assert "Traceback" not in result.message


def test_unknown_carry_over_is_a_spec_error(tmp_path: Path, home: Path) -> None:
    result = run_pipeline(_pipeline(tmp_path, "  carry_over: [everything]\n"),
                          load_settings(home=home))
    assert result.status is Status.FAILED and result.exit_code == 2 and result.stage == "spec"
    assert "carry_over" in result.message


def test_no_secret_value_reaches_the_provenance(tmp_path: Path, home: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "a-very-secret-key-0123456789"
    monkeypatch.setenv("PEOPLE_KEY", secret)
    steps = "  - {type: pseudonymise, resource: people, columns: [id], key_env: PEOPLE_KEY}\n"
    result = run_pipeline(_pipeline(tmp_path, steps=steps), load_settings(home=home))
    published = _published(result)
    [_, pseudonymise] = published["provenance"]["steps"]
    assert pseudonymise["params"]["key_env"] == "PEOPLE_KEY"  # the key's name only
    for path in Path(result.publish.location).rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(encoding="utf-8", errors="replace")


def test_secret_looking_parameters_are_left_out() -> None:
    from publisher.pipeline.descriptor import _safe

    assert _safe({"key_env": "K", "key": "s", "api_key": "s", "token": "s",
                  "nested": [{"password": "s", "min_count": 3}]}) == {
        "key_env": "K", "nested": [{"min_count": 3}]}


def test_without_a_licence_in_the_pipeline_the_source_licence_is_published(
        tmp_path: Path, home: Path) -> None:
    pipeline = _pipeline(tmp_path)
    pipeline.write_text(pipeline.read_text().replace("  license: dl-zero-de/2.0\n", ""))
    published = _published(run_pipeline(pipeline, load_settings(home=home)))
    [licence] = published["licenses"]
    assert (licence["name"], licence["spdx"]) == ("CC-BY-4.0", "CC-BY-4.0")


def test_an_area_aggregate_publishes_area_ids_and_polygons(tmp_path: Path, home: Path) -> None:
    layer = ROOT / "tests" / "cases" / "steps" / "bezirke.geojson"
    pipeline = tmp_path / "areas.yaml"
    pipeline.write_text(
        f"name: areas\nsource: {SAMPLES / 'defect-reports'}\npolicy: de-open-data\nsteps:\n"
        "  - {type: drop-columns, resource: reports, columns: [reporter_name, reporter_email,"
        " description]}\n"
        f"  - {{type: aggregate-areas, resource: reports, areas: {{file: {layer}}},"
        " area_id: id, area_name: name, by: [category]}\n"
        "target: {type: local}\n"
        "dataset: {name: meldungen-bezirke, title: Meldungen je Bezirk, description: Anzahl,"
        " publisher: Stadt Musterstadt, license: dl-by-de/2.0}\n", encoding="utf-8")
    result = run_pipeline(pipeline, load_settings(home=home))
    published = _published(result)
    [resource] = published["resources"]
    assert resource["geometry"] == {"kind": "wkt", "column": "geometry", "crs": "EPSG:4326"}
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert list(fields) == ["id", "name", "category", "count", "geometry"]
    assert all(fields[n].get("title") and fields[n].get("description")
               for n in ("id", "name", "count", "geometry"))
    areas = gpd.read_file(layer)
    layer_shapes = dict(zip(areas["id"], areas.geometry, strict=True))
    with (Path(result.publish.location) / resource["path"]).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {r["id"] for r in rows} <= set(layer_shapes)
    for row in rows:
        assert shapely.hausdorff_distance(shapely.from_wkt(row["geometry"]),
                                          layer_shapes[row["id"]]) < 1e-6
    assert published["provenance"]["steps"][1]["params"]["areas"] == {
        "resource": None, "file": str(layer)}
