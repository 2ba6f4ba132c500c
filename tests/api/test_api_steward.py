from __future__ import annotations

import io
import zipfile
from pathlib import Path

from fastapi.testclient import TestClient

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
