from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from publisher.catalog.store import CatalogStore, NewVersion
from publisher.cli import app
from publisher.errors import InputError
from publisher.handover import write_handover
from publisher.settings import Settings
from tests.conftest import ROOT
from tests.handover.conftest import TREES, cli, runner

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def _manifest(bundle: Path) -> dict:
    return json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))


def test_bundle_holds_every_published_dataset_with_all_it_needs(bundle: Path) -> None:
    manifest = _manifest(bundle)
    assert manifest["format"] == "publisher-handover" and manifest["format_version"] == 1
    datasets = {d["name"]: d for d in manifest["datasets"]}
    assert set(datasets) == {TREES, "ladesaeulen-musterstadt", "maengelmelder-musterstadt-raster"}
    listed = {f["path"] for f in manifest["files"]}
    on_disk = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert on_disk - listed == {"manifest.json"} and listed <= on_disk
    for name, d in datasets.items():
        latest = f"datasets/{name}/v{d['latest']}"
        for needed in ("datapackage.json", "reports/audit.json", "reports/audit.html"):
            assert f"{latest}/{needed}" in listed, (name, needed)
        assert d["dcat"] == [f"datasets/{name}/dcat.ttl", f"datasets/{name}/dcat.jsonld"]
        assert d["runs"] and all(f"runs/{r}/run-report.json" in listed for r in d["runs"])
        assert d["uri"] in (bundle / "catalog.ttl").read_text(encoding="utf-8")
    # every published version, each with the runs that published it
    assert [v["version"] for v in datasets[TREES]["versions"]] == [1, 2]
    assert {(r["dataset"], r["version"]) for r in manifest["runs"]} >= {(TREES, 1), (TREES, 2)}
    entry = next(f for f in manifest["files"] if f["path"].endswith("v1/data/trees.geojson"))
    data = (bundle / entry["path"]).read_bytes()
    assert entry["bytes"] == len(data)


def test_latest_only_leaves_older_versions_and_their_runs_out(published: Path,
                                                              tmp_path: Path) -> None:
    code, data = cli("handover", "--home", str(published), "--out", str(tmp_path / "b"),
                     "--latest-only", "--base-url", "https://daten.land.example/")
    assert code == 0, data
    manifest = _manifest(tmp_path / "b")
    trees = next(d for d in manifest["datasets"] if d["name"] == TREES)
    assert [v["version"] for v in trees["versions"]] == [2]
    assert not (tmp_path / "b" / "datasets" / TREES / "v1").exists()
    assert all(r["version"] == 2 for r in manifest["runs"] if r["dataset"] == TREES)
    assert manifest["options"]["all_versions"] is False
    assert trees["uri"] == f"https://daten.land.example/dataset/{TREES}"
    assert manifest["catalogue"]["base_url"] == "https://daten.land.example"


def test_run_history_carries_counts_but_no_raw_values(published: Path, bundle: Path) -> None:
    originals = [json.loads(p.read_text(encoding="utf-8"))
                 for p in (published / "runs").glob("*/run-report.json")]
    samples = {f["sample"] for r in originals for rep in r["reports"].values()
               for f in rep["findings"] if f.get("sample")}
    assert samples  # the raw run reports do hold (masked) samples of the raw data
    with (ROOT / "pipelines" / "samples" / "defect-reports" / "reports.csv").open() as fh:
        names = {row["reporter_name"] for row in csv.DictReader(fh)} - {""}
    text = "\n".join(p.read_text(encoding="utf-8") for p in (bundle / "runs").rglob("*")
                     if p.is_file())
    assert not any(s in text for s in samples)
    assert not any(n in text for n in names) and not EMAIL.search(text)
    assert str(published) not in text  # no local paths either
    report = json.loads(next((bundle / "runs").glob("*defect*/run-report.json")).read_text())
    assert report["reports"]["check"]["counts"]  # what was found, counted
    assert "findings" not in report["reports"]["check"]
    assert report["publish"]["location"].startswith("datasets/maengelmelder-musterstadt-raster/v")


def test_private_deleted_and_harvested_datasets_are_left_out_and_named(home_copy: Path,
                                                                       tmp_path: Path) -> None:
    store = CatalogStore(home_copy / "catalog")
    store.set_public("ladesaeulen-musterstadt", False)
    store.delete("maengelmelder-musterstadt-raster")
    store.add(NewVersion(  # as the harvester records another catalogue's dataset
        dataset="harvested", metadata={"title": "H", "harvest": {"source": "ckan:x"}},
        content_hash="h"))
    code, data = cli("handover", "--home", str(home_copy), "--out", str(tmp_path / "b"))
    assert code == 0, data
    assert [d["name"] for d in data["datasets"]] == [TREES]
    reasons = {x["name"]: x["reason"] for x in data["left_out"]}
    assert "not public" in reasons["ladesaeulen-musterstadt"]
    assert "deleted" in reasons["maengelmelder-musterstadt-raster"]
    assert "harvested" in reasons["harvested"]
    code, data = cli("handover", "--home", str(home_copy), "--out", str(tmp_path / "c"),
                     "--include-private")
    assert code == 0 and {d["name"] for d in data["datasets"]} == {
        TREES, "ladesaeulen-musterstadt"}


def test_occupied_destination_is_refused_unless_forced(published: Path, bundle: Path) -> None:
    before = (bundle / "manifest.json").read_bytes()
    code, data = cli("handover", "--home", str(published), "--out", str(bundle))
    assert code == 2 and "not empty" in data["message"] and "--force" in data["hint"]
    assert (bundle / "manifest.json").read_bytes() == before
    (bundle / "stray.txt").write_text("left from before")
    code, data = cli("handover", "--home", str(published), "--out", str(bundle), "--force")
    assert code == 0, data
    assert not (bundle / "stray.txt").exists()
    assert not [p for p in bundle.parent.iterdir() if p.name.startswith(".")]


def test_a_crash_leaves_no_bundle_and_no_partial_directory(
        published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr("publisher.handover.build.find_runs", boom)
    out = tmp_path / "out" / "bundle"
    with pytest.raises(RuntimeError):
        write_handover(str(out), Settings(home=published))
    assert not out.exists() and list(out.parent.iterdir()) == []


def test_an_empty_catalogue_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no local catalogue"):
        write_handover(str(tmp_path / "b"), Settings(home=tmp_path / "nothing"))
    code, data = cli("handover", "--home", str(tmp_path / "nothing"), "--out",
                     str(tmp_path / "b"))
    assert code == 2 and "no local catalogue" in data["message"] and not (tmp_path / "b").exists()


def test_out_and_verify_together_are_refused(bundle: Path) -> None:
    result = runner.invoke(app, ["handover", "--out", str(bundle.parent / "x"),
                                 "verify", str(bundle)])
    assert result.exit_code == 2 and "give one of them" in result.output
    assert not (bundle.parent / "x").exists()
