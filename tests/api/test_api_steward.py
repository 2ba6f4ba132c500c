from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import yaml
from fastapi.testclient import TestClient

from publisher.api.app import create_app
from tests.api.conftest import BASE, settings_for

ROOT = Path(__file__).resolve().parents[2]
NAME = "ladesaeulen-musterstadt"


def test_steward_endpoints_refuse_without_a_valid_token(client: TestClient) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic abc"}):
        for method, url in (("GET", "/steward/runs"), ("GET", "/steward/runs/x"),
                            ("POST", "/steward/runs"), ("POST", "/steward/packages"),
                            ("DELETE", f"/steward/datasets/{NAME}")):
            response = client.request(method, url, headers=headers)
            assert response.status_code == 401, (method, url, headers)
            assert response.json()["error"]["type"] == "unauthorised"
            assert response.headers["www-authenticate"] == "Bearer"


def test_a_private_dataset_is_unreachable_without_the_token(client: TestClient,
                                                            auth: dict[str, str]) -> None:
    response = client.put(f"/steward/datasets/{NAME}/visibility", json={"public": False},
                          headers=auth)
    assert response.status_code == 200 and response.json()["public"] is False
    base = f"/datasets/{NAME}"
    for url in (base, f"{base}/dcat.ttl", f"{base}/datapackage.json",
                f"{base}/resources/charging-points/rows",
                f"{base}/resources/charging-points/download"):
        assert client.get(url).status_code == 404, url
        with_token = client.get(url, headers=auth)
        assert with_token.status_code == 200, url
        assert with_token.headers["cache-control"] == "private, no-store"
    names = [d["name"] for d in client.get("/datasets").json()["datasets"]]
    assert NAME not in names
    assert NAME in [d["name"] for d in client.get("/datasets", headers=auth).json()["datasets"]]


def test_withdrawn_dataset_is_gone_for_everyone(client: TestClient, auth: dict[str, str]) -> None:
    assert client.delete(f"/steward/datasets/{NAME}", headers=auth).status_code == 204
    assert client.get(f"/datasets/{NAME}").status_code == 404
    assert client.get(f"/datasets/{NAME}", headers=auth).status_code == 404
    assert client.delete(f"/steward/datasets/{NAME}", headers=auth).status_code == 404


def _zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return buffer.getvalue()


def test_submit_a_package_run_a_pipeline_read_its_report(client: TestClient,
                                                         auth: dict[str, str]) -> None:
    body = _zip(ROOT / "pipelines" / "samples" / "charging-points")
    bad = client.post("/steward/packages", content=b"not a zip",
                      headers={**auth, "Content-Type": "application/zip"})
    assert bad.status_code == 400
    wrong_type = client.post("/steward/packages", content=body,
                             headers={**auth, "Content-Type": "text/plain"})
    assert wrong_type.status_code == 415
    submitted = client.post("/steward/packages", content=body,
                            headers={**auth, "Content-Type": "application/zip"})
    assert submitted.status_code == 201, submitted.text
    package = submitted.json()["id"]

    run = client.post("/steward/runs", json={"pipeline": "charging-points", "package": package},
                      headers=auth)
    assert run.status_code == 200, run.text
    report = run.json()
    assert report["status"] in ("published", "unchanged") and report["exit_code"] == 0
    runs = client.get("/steward/runs", headers=auth).json()["runs"]
    assert report["run_id"] in [r["run_id"] for r in runs]
    full = client.get(f"/steward/runs/{report['run_id']}", headers=auth).json()
    assert full["pipeline"] == "charging-points"
    assert client.get("/steward/runs/..%2F..%2Fetc", headers=auth).status_code == 404
    missing = client.post("/steward/runs", json={"pipeline": "nope"}, headers=auth)
    assert missing.status_code == 404


def _city_pipelines(folder: Path) -> None:
    """A pipeline that names a JSON policy and a step layer file relative to
    itself, publishes into a catalogue relative to itself, and whose own source
    does not exist (only a submitted package can run it)."""
    spec = yaml.safe_load((ROOT / "pipelines" / "defect-reports.yaml").read_text("utf-8"))
    spec.update(name="city-defects", source="samples/not-here", policy="policies/city.json",
                target={"type": "local", "path": "catalogue"})
    spec.pop("audit", None)
    spec["steps"] = [spec["steps"][0], {
        "type": "aggregate-areas", "resource": "reports", "min_count": 3,
        "areas": {"file": "layers/areas.geojson"}, "area_id": "area"}]
    spec["dataset"]["name"] = "city-defects"
    (folder / "policies").mkdir(parents=True)
    (folder / "layers").mkdir()
    (folder / "city-defects.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True),
                                              encoding="utf-8")
    (folder / "policies" / "city.json").write_text(json.dumps(
        {"name": "city", "extends": "de-open-data"}), encoding="utf-8")
    ring = [[12.0, 51.0], [12.8, 51.0], [12.8, 51.7], [12.0, 51.7], [12.0, 51.0]]
    (folder / "layers" / "areas.geojson").write_text(json.dumps({
        "type": "FeatureCollection", "features": [{
            "type": "Feature", "properties": {"area": "musterstadt"},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}]}), encoding="utf-8")


def test_a_submitted_package_runs_with_the_pipeline_s_relative_paths(
        api_home: Path, tmp_path: Path, auth: dict[str, str]) -> None:
    pipelines = tmp_path / "pipelines"
    _city_pipelines(pipelines)
    settings = settings_for(api_home).model_copy(update={"pipelines_dir": pipelines})
    with TestClient(create_app(settings), base_url=BASE) as client:
        submitted = client.post("/steward/packages", headers={
            **auth, "Content-Type": "application/zip"},
            content=_zip(ROOT / "pipelines" / "samples" / "defect-reports"))
        package = submitted.json()["id"]
        run = client.post("/steward/runs", json={"pipeline": "city-defects",
                                                 "package": package}, headers=auth)
    report = run.json()
    assert report["status"] == "published", report["message"]
    assert [s["type"] for s in report["steps"]] == ["drop-columns", "aggregate-areas"]
    location = Path(report["publish"]["location"])
    assert location.is_relative_to(pipelines / "catalogue")
    # the pipeline was run as it is: nothing rewritten into the inbox
    assert sorted(p.name for p in (settings.inbox_dir / package).iterdir()) == ["package.zip"]


def test_a_submitted_package_is_checked_against_the_pipeline_schema(
        api_home: Path, tmp_path: Path, auth: dict[str, str]) -> None:
    pipelines = tmp_path / "pipelines"
    _city_pipelines(pipelines)
    spec = yaml.safe_load((pipelines / "city-defects.yaml").read_text("utf-8"))
    spec["target"]["colour"] = "red"
    (pipelines / "city-defects.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    settings = settings_for(api_home).model_copy(update={"pipelines_dir": pipelines})
    with TestClient(create_app(settings), base_url=BASE) as client:
        package = client.post("/steward/packages", headers={
            **auth, "Content-Type": "application/zip"},
            content=_zip(ROOT / "pipelines" / "samples" / "defect-reports")).json()["id"]
        report = client.post("/steward/runs", json={"pipeline": "city-defects",
                                                    "package": package}, headers=auth).json()
    assert report["status"] == "failed" and report["stage"] == "spec"
    assert "colour" in report["message"] and "(line " in report["message"]
