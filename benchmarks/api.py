"""Data API benchmark, on loopback only, bounded (fixed request counts and a
time cap per phase), stopping by itself.

1. Dataset list: GET /datasets?limit=20 of this API (uvicorn, one worker) vs
   CKAN's package_search (rows=20) over the same 20 datasets, created in a
   fresh organisation of the local stack's CKAN (deploy/local/up) and purged
   afterwards. Same load generator: 4 threads, keep-alive clients.
2. Bounding-box row query over a 1M-row point table (Parquet query file, warm):
   sequential requests, random boxes of about 1 % of the extent, limit 100.

Run: .venv/bin/python benchmarks/api.py
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from publisher.targets.base import PublishRequest, StagedFile  # noqa: E402
from publisher.targets.local import LocalTarget  # noqa: E402

DATASETS = 20
ROWS = 1_000_000
LIST_REQUESTS = 2000
BBOX_REQUESTS = 400
THREADS = 4
PHASE_CAP_S = 60.0
EXTENT = (12.20, 51.20, 12.60, 51.45)  # lon/lat around Leipzig


def _stage(tmp: Path, name: str, rows: int, seed: int) -> PublishRequest:
    staged = tmp / f"staged-{name}"
    (staged / "data").mkdir(parents=True)
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "id": np.arange(1, rows + 1),
        "kind": rng.choice(["a", "b", "c", "d"], rows),
        "value": rng.integers(0, 1000, rows),
        "lat": np.round(rng.uniform(EXTENT[1], EXTENT[3], rows), 6),
        "lon": np.round(rng.uniform(EXTENT[0], EXTENT[2], rows), 6),
    })
    frame.to_csv(staged / "data" / "points.csv", index=False)
    descriptor = {"name": name, "resources": [{
        "name": "points", "path": "data/points.csv", "format": "csv", "encoding": "utf-8",
        "schema": {"fields": [{"name": "id", "type": "integer"},
                              {"name": "kind", "type": "string"},
                              {"name": "value", "type": "integer"},
                              {"name": "lat", "type": "number"},
                              {"name": "lon", "type": "number"}]},
        "geometry": {"kind": "latlon", "lat": "lat", "lon": "lon", "crs": "EPSG:4326"}}]}
    (staged / "datapackage.json").write_text(json.dumps(descriptor))
    files = []
    for rel in ("data/points.csv", "datapackage.json"):
        data = (staged / rel).read_bytes()
        files.append(StagedFile(rel, hashlib.sha256(data).hexdigest(), len(data)))
    metadata = {"name": name, "title": f"Benchmark {name}", "description": "Synthetic points.",
                "publisher": "Stadt Benchmark", "keywords": ["benchmark"], "license": "cc-by/4.0"}
    return PublishRequest(dataset=name, metadata=metadata, staged_dir=staged, files=files,
                          reports={}, content_hash=hashlib.sha256(name.encode()).hexdigest())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _load(url_for: Any, requests: int, threads: int, headers: dict[str, str] | None = None
          ) -> tuple[float, list[float]]:
    """requests/s and latencies (ms) of REQUESTS GETs spread over THREADS."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + PHASE_CAP_S
    per_thread = requests // threads

    def worker() -> None:
        local: list[float] = []
        with httpx.Client(timeout=30, headers=headers) as client:
            for _ in range(per_thread):
                if time.monotonic() > deadline:
                    break
                t0 = time.perf_counter()
                response = client.get(url_for())
                local.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, response.text[:200]
        with lock:
            latencies.extend(local)

    start = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - start
    return len(latencies) / elapsed, latencies


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def _ckan() -> tuple[str, str] | None:
    env = Path(os.environ.get("PUBLISHER_STACK_ENV", Path.home() / ".local/state/"
                              "publisher-stack/stack.env"))
    if not env.is_file():
        return None
    values = dict(line.split("=", 1) for line in env.read_text().splitlines()
                  if "=" in line and not line.startswith("#"))
    return values.get("PUBLISHER_CKAN_URL", ""), values.get("PUBLISHER_CKAN_API_KEY", "")


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="publisher-bench-api-"))
    proc: subprocess.Popen[bytes] | None = None
    ckan_client: Any = None
    org: dict[str, Any] | None = None
    try:
        target = LocalTarget(tmp / "home" / "catalog")
        t0 = time.perf_counter()
        target.publish(_stage(tmp, "points-1m", ROWS, 1))
        for i in range(DATASETS - 1):
            target.publish(_stage(tmp, f"small-{i:02d}", 50, i + 2))
        print(f"setup: {DATASETS} datasets, one of {ROWS:,} rows "
              f"({time.perf_counter() - t0:.1f} s)")

        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "PUBLISHER_HOME": str(tmp / "home"), "PUBLISHER_PUBLIC_URL": base}
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "publisher.api.app:app",
                                 "--host", "127.0.0.1", "--port", str(port),
                                 "--log-level", "warning", "--no-access-log"],
                                env=env, cwd=ROOT)
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        rows_url = f"{base}/datasets/points-1m/resources/points/rows"
        t0 = time.perf_counter()
        httpx.get(rows_url, params={"limit": 1}, timeout=600).raise_for_status()
        print(f"first row query builds the Parquet query file: {time.perf_counter() - t0:.1f} s")

        _load(lambda: f"{base}/datasets?limit=20", 200, THREADS)  # warm-up
        api_rps, api_lat = _load(lambda: f"{base}/datasets?limit=20", LIST_REQUESTS, THREADS)

        ckan_rps, ckan_lat = float("nan"), []
        stack = _ckan()
        if stack:
            import ckanapi

            ckan_client = ckanapi.RemoteCKAN(stack[0], apikey=stack[1])
            org = ckan_client.action.organization_create(name=f"bench-{uuid.uuid4().hex[:8]}")
            for entry in target.entries():
                ckan_client.action.package_create(
                    name=f"{org['name']}-{entry.name}", title=entry.title, owner_org=org["id"],
                    notes=entry.metadata["description"], tags=[{"name": "benchmark"}])
            search = (f"{stack[0]}/api/3/action/package_search?"
                      f"fq=owner_org:{org['id']}&rows=20")
            _load(lambda: search, 100, THREADS)
            ckan_rps, ckan_lat = _load(lambda: search, LIST_REQUESTS // 4, THREADS)
        else:
            print("CKAN: the local stack is not up (deploy/local/up); no comparison")

        rng = random.Random(7)
        span_x, span_y = (EXTENT[2] - EXTENT[0]) * 0.1, (EXTENT[3] - EXTENT[1]) * 0.1

        def bbox_url() -> str:
            x = rng.uniform(EXTENT[0], EXTENT[2] - span_x)
            y = rng.uniform(EXTENT[1], EXTENT[3] - span_y)
            return f"{rows_url}?limit=100&bbox={x:.5f},{y:.5f},{x + span_x:.5f},{y + span_y:.5f}"

        _load(bbox_url, 50, 1)
        bbox_rps, bbox_lat = _load(bbox_url, BBOX_REQUESTS, 1)

        print()
        print(f"{'':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
        print(f"{'publisher GET /datasets (20)':34} {api_rps:8.0f} {_pct(api_lat, 50):8.1f} "
              f"{_pct(api_lat, 99):8.1f}")
        print(f"{'CKAN package_search (rows=20)':34} {ckan_rps:8.0f} "
              f"{_pct(ckan_lat, 50):8.1f} {_pct(ckan_lat, 99):8.1f}")
        print(f"{'publisher bbox rows, 1M (seq.)':34} {bbox_rps:8.0f} "
              f"{_pct(bbox_lat, 50):8.1f} {_pct(bbox_lat, 99):8.1f}")
        print()
        ratio = api_rps / ckan_rps if ckan_rps == ckan_rps and ckan_rps else float("nan")
        print(f"RESULT list_rps_vs_ckan_package_search {ratio:.1f} target >= 3")
        print(f"RESULT bbox_query_p99_ms {_pct(bbox_lat, 99):.1f} target < 100")
        print(f"({statistics.mean(bbox_lat):.1f} ms mean over {len(bbox_lat)} bbox requests)")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
        if ckan_client is not None and org is not None:
            for pkg in ckan_client.action.package_search(fq=f"owner_org:{org['id']}",
                                                         rows=100)["results"]:
                ckan_client.action.dataset_purge(id=pkg["id"])
            ckan_client.action.organization_purge(id=org["id"])
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
