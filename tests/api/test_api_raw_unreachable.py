"""The public API cannot reach raw or unpublished data: not the raw source files,
not the run directories (journals, run reports), not submitted packages, not
the catalogue database, by any route and with any path trick."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.raw_markers import RAW, raw_markers

DATASET = "maengelmelder-musterstadt-raster"
RESOURCE = "reports"
TRICKS = [
    "..", "../..", "../../runs", "..%2F..%2Fruns", "%2e%2e%2f%2e%2e%2fruns", "..%252F..%252Fruns",
    "....//....//runs", "..\\..\\runs", "/etc/passwd", "%2Fetc%2Fpasswd", "%00", "catalog.sqlite",
    "../../../../pipelines/samples/defect-reports/reports.csv",
    "..%2F..%2F..%2F..%2Fpipelines%2Fsamples%2Fdefect-reports%2Freports.csv",
    "reports.csv", "package.zip", "journal.jsonl", "run-report.json",
]
FIXED = [
    "/runs", "/inbox", "/catalog", "/catalog/catalog.sqlite", "/datasets/../runs",
    "/datasets/%2e%2e/runs", "/static/../../etc/passwd", "/.publisher/runs",
    "/pipelines/samples/defect-reports/reports.csv", "/samples/defect-reports/reports.csv",
    "/datasets/" + DATASET + "/../../runs", "/datasets/" + DATASET + "/v1/data/reports.csv",
    "/datasets/" + DATASET + "/reports/check.json", "//etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
]


def _urls(client: TestClient, run_id: str, package_id: str) -> list[str]:
    paths = [p for p, ops in client.get("/openapi.json").json()["paths"].items() if "get" in ops]
    urls = list(FIXED)
    for path in paths:
        values = {"name": DATASET, "resource": RESOURCE, "run_id": run_id, "fmt": "ttl"}
        valid = path
        for other, value in values.items():
            valid = valid.replace(f"{{{other}}}", value)
        urls.append(valid)
        for param in re.findall(r"{(\w+)}", path):
            for trick in [*TRICKS, run_id, package_id]:
                url = path
                for other, value in values.items():
                    url = url.replace(f"{{{other}}}", trick if other == param else value)
                urls.append(url)
    urls += [f"/datasets/{DATASET}/resources/{RESOURCE}/download?format={t}" for t in TRICKS]
    return urls


def test_no_route_reaches_raw_files_runs_or_submitted_packages(
        client: TestClient, auth: dict[str, str], api_home: Path) -> None:
    body = io.BytesIO()
    with zipfile.ZipFile(body, "w") as archive:
        for path in sorted(RAW.iterdir()):
            archive.write(path, path.name)
    submitted = client.post("/steward/packages", content=body.getvalue(),
                            headers={**auth, "Content-Type": "application/zip"})
    assert submitted.status_code == 201
    package_id = submitted.json()["id"]
    run_id = sorted(p.name for p in (api_home / "runs").iterdir())[0]
    markers = raw_markers()
    assert len(markers) > 100
    urls = _urls(client, run_id, package_id)
    assert len(urls) > 200
    reached: set[str] = set()
    for url in urls:
        answer = client.get(url)
        assert answer.status_code != 500, url
        text = answer.content.decode("utf-8", "replace")
        assert not answer.content.startswith((b"PK\x03\x04", b"SQLite format 3")), url
        assert '"event": "stage"' not in text and '"run_id"' not in text, url
        leaked = [m for m in markers if m in text]
        assert not leaked, (url, leaked[:3])
        if answer.status_code == 200:
            reached.add(url)
    # the real routes did answer: the markers were searched in published data
    base = f"/datasets/{DATASET}"
    assert {base, f"{base}/resources/{RESOURCE}/rows", f"{base}/resources/{RESOURCE}/download",
            f"{base}/datapackage.json", f"{base}/dcat.ttl", "/catalog.ttl"} <= reached
