from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer

from publisher.catalog.store import CatalogStore
from publisher.pipeline.run import Status, run_many, run_pipeline
from publisher.settings import Settings, load_settings
from tests.conftest import CASES, ROOT

DEFECTS = ROOT / "pipelines" / "defect-reports.yaml"
TREES = ROOT / "pipelines" / "tree-cadastre.yaml"
RAW_DEFECTS = ROOT / "pipelines" / "samples" / "defect-reports" / "reports.csv"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
FINE_COORDINATE = re.compile(r"\b\d{1,3}\.\d{4,}\b")


def _settings(home: Path) -> Settings:
    return load_settings(home=home)


def _published_text(files: list[str]) -> str:
    return "\n".join(Path(f).read_text(encoding="utf-8") for f in files)


def test_defect_reports_publish_grid_counts_without_personal_data(home: Path) -> None:
    result = run_pipeline(DEFECTS, _settings(home))
    assert result.status is Status.PUBLISHED, result.message
    assert result.exit_code == 0 and result.publish is not None
    published = result.publish.files + [
        str(p) for p in Path(result.publish.location).rglob("*.json")]
    text = _published_text(published)

    with RAW_DEFECTS.open(encoding="utf-8") as fh:
        raw = list(csv.DictReader(fh))
    names = {row["reporter_name"] for row in raw} - {""}
    assert names and not any(name in text for name in names)
    assert any(EMAIL.search(row["description"]) for row in raw)  # the sample has e-mails
    # the one address published is the pipeline's contact (in datapackage.json)
    assert {m[0] for m in EMAIL.finditer(text)} == {"opendata@musterstadt.example"}

    [data_file] = [f for f in result.publish.files if f.endswith(".csv")]
    with open(data_file, encoding="utf-8") as fh:
        cells = list(csv.DictReader(fh))
    assert cells and set(cells[0]) >= {"cell_id", "count", "geometry"}
    descriptor = json.loads((Path(result.publish.location) / "datapackage.json").read_text())
    [box] = [r["bbox"] for r in descriptor["resources"]]
    # the only fine numbers published are the cells' corners and their extent ...
    coarse = text
    for shown in [c["geometry"] for c in cells] + [json.dumps(v) for v in box]:
        coarse = coarse.replace(shown, "")
    assert not FINE_COORDINATE.search(coarse)
    to_grid = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)
    for cell in cells:  # 100 m cells; small ones merged into their 1 km / 10 km parent
        match = re.fullmatch(r"CRS3035RES(100|1000|10000)mN(\d+)E(\d+)", cell["cell_id"])
        assert match and cell["resolution_m"] == match[1]
        size, north, east = (int(v) for v in match.groups())
        assert north % size == 0 and east % size == 0
        assert int(cell["count"]) >= 3
        # ... and each corner is its own cell's corner on the grid (to 1 cm of rounding)
        shape = shapely.from_wkt(cell["geometry"])
        assert shape.geom_type == "Polygon" and shape.within(shapely.box(*box))
        x, y = to_grid.transform(*np.asarray(shape.exterior.coords).T)
        assert np.allclose(sorted(set(np.round(x, 1))), [east, east + size], atol=0.02)
        assert np.allclose(sorted(set(np.round(y, 1))), [north, north + size], atol=0.02)


def test_republishing_unchanged_package_changes_nothing(home: Path) -> None:
    first = run_pipeline(TREES, _settings(home))
    assert first.status is Status.PUBLISHED, first.message
    second = run_pipeline(TREES, _settings(home))
    assert second.status is Status.UNCHANGED, second.message
    assert second.publish is not None and first.publish is not None
    assert second.publish.version == first.publish.version == 1
    assert "unchanged" in second.message
    assert len(CatalogStore(home / "catalog").versions(first.publish.dataset)) == 1


def test_tree_cadastre_keeps_its_points(home: Path) -> None:
    result = run_pipeline(TREES, _settings(home))
    assert result.publish is not None, result.message
    [geojson] = [f for f in result.publish.files if f.endswith(".geojson")]
    features = json.loads(Path(geojson).read_text())["features"]
    assert len(features) > 100
    assert {f["geometry"]["type"] for f in features} == {"Point"}


def _pipeline(tmp_path: Path, source: Path, steps: str = "[]", name: str = "case") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"name: {name}\nsource: {source}\npolicy: de-open-data\nsteps: {steps}\n"
        "target: {type: local}\n"
        f"dataset: {{name: {name}, title: T, description: D, publisher: Stadt Musterstadt}}\n")
    return path


def _assert_nothing_published(home: Path) -> None:
    assert CatalogStore(home / "catalog").datasets() == []
    assert not (home / "catalog" / "datasets").exists()


def test_recheck_blocks_when_steps_do_not_remove_personal_data(home: Path,
                                                                tmp_path: Path) -> None:
    source = ROOT / "pipelines" / "samples" / "defect-reports"
    result = run_pipeline(_pipeline(tmp_path, source), _settings(home))
    assert result.status is Status.BLOCKED and result.exit_code == 1
    assert result.stage == "recheck"
    assert "email-in-text" in result.message and "resource 'reports'" in result.message
    assert re.search(r"row \d+", result.message) and "field 'description'" in result.message
    assert "fix:" in result.message
    _assert_nothing_published(home)
    # the run journal and report exist but hold no raw e-mail address
    run_files = list(Path(result.run_dir or "").iterdir())
    assert {p.name for p in run_files} == {"journal.jsonl", "run-report.json"}
    assert not EMAIL.search(_published_text([str(p) for p in run_files]))


def test_bad_packages_end_with_clear_messages_and_nothing_published(home: Path,
                                                                    tmp_path: Path) -> None:
    bad = CASES / "bad"
    expectations = {
        "path-traversal": (2, ["leaves the package root"]),
        "absolute-path": (2, ["absolute"]),
        "csv-breaks-schema": (1, ["resource", "row 4", "field"]),
        "geojson-invalid-geometry": (1, ["invalid-geometry", "row 2"]),
        "licence-not-open": (1, ["licence", "commercial use"]),
    }
    for case, (code, fragments) in expectations.items():
        result = run_pipeline(_pipeline(tmp_path, bad / case, name=case), _settings(home))
        assert result.exit_code == code, (case, result.message)
        for fragment in fragments:
            assert fragment.lower() in result.message.lower(), (case, fragment, result.message)
        assert "Traceback" not in result.message
    _assert_nothing_published(home)


def test_one_failing_pipeline_never_stops_the_others(home: Path, tmp_path: Path) -> None:
    broken = _pipeline(tmp_path, CASES / "bad" / "path-traversal", name="broken")
    missing = tmp_path / "missing.yaml"
    results = run_many([broken, missing, TREES], _settings(home))
    assert [r.status for r in results] == [Status.FAILED, Status.FAILED, Status.PUBLISHED]
    assert results[0].exit_code == 2 and "leaves the package root" in results[0].message
    assert "pipeline file not found" in results[1].message
    assert [d.name for d in CatalogStore(home / "catalog").datasets()] == [
        results[2].publish.dataset if results[2].publish else ""]
