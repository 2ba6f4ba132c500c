"""Data API benchmark, on loopback only, bounded (fixed request counts and a
time cap per phase), stopping by itself.

1. Dataset list: GET /datasets?limit=20 of this API (uvicorn, one worker) vs
   CKAN's package_search (rows=20) over the same 20 datasets, created in a
   fresh organisation of the local stack's CKAN (deploy/local/up) and purged
   afterwards. Same load generator: 4 threads, keep-alive clients.
2. Bounding-box row query over a 1M-row point table (Parquet query file, warm):
   sequential requests, random boxes of about 1 % of the extent, limit 100.

The API's rate limit (default 20 requests/s per client address after a burst
of 600) would answer this load from one address with 429: the server runs with
PUBLISHER_API_RATE_PER_SECOND=0 (no limit), and says so. A request that fails
(an error status or no answer) is counted and reported beside the figures;
any failure makes the run exit 1, its figures not being comparable.

Run: .venv/bin/python benchmarks/api.py [--quick]

--quick: 5 datasets, one of 20,000 rows, 200 list and 50 bbox requests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pandas as pd
from _quick import QUICK_HELP, result
from _stack import stack_env

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from publisher.package.staged import StagedFile  # noqa: E402
from publisher.settings import Settings  # noqa: E402
from publisher.targets.base import PublishRequest  # noqa: E402
from publisher.targets.local import LocalTarget  # noqa: E402

THREADS = 4
EXTENT = (12.20, 51.20, 12.60, 51.45)  # lon/lat around Leipzig


@dataclass(frozen=True)
class Sizes:
    datasets: int = 20
    rows: int = 1_000_000
    list_requests: int = 2000
    bbox_requests: int = 400
    phase_cap_s: float = 60.0


QUICK = Sizes(datasets=5, rows=20_000, list_requests=200, bbox_requests=50, phase_cap_s=15.0)


@dataclass
class Phase:
    """One load phase: latencies (ms) of the requests answered 200, and failures."""

    rps: float = float("nan")
    latencies: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)

    @property
    def failed(self) -> int:
        return sum(self.failures.values())


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


def _load(url_for: Any, requests: int, threads: int, cap_s: float,
          headers: dict[str, str] | None = None) -> Phase:
    """REQUESTS GETs spread over THREADS, for at most cap_s seconds: requests/s
    answered 200, their latencies, and the failed ones by status (or error)."""
    phase = Phase()
    lock = threading.Lock()
    deadline = time.monotonic() + cap_s
    per_thread = max(requests // threads, 1)

    def worker() -> None:
        local: list[float] = []
        failures: Counter[str] = Counter()
        with httpx.Client(timeout=30, headers=headers) as client:
            for _ in range(per_thread):
                if time.monotonic() > deadline:
                    break
                t0 = time.perf_counter()
                try:
                    status = str(client.get(url_for()).status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                if status == "200":
                    local.append((time.perf_counter() - t0) * 1000)
                else:
                    failures[status] += 1
        with lock:
            phase.latencies.extend(local)
            phase.failures.update(failures)

    start = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    phase.rps = len(phase.latencies) / (time.perf_counter() - start)
    return phase


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def _row(label: str, phase: Phase) -> str:
    failed = ", ".join(f"{n} x {status}" for status, n in sorted(phase.failures.items()))
    return (f"{label:34} {phase.rps:8.0f} {_pct(phase.latencies, 50):8.1f} "
            f"{_pct(phase.latencies, 99):8.1f} {phase.failed:8d}" +
            (f"  ({failed})" if failed else ""))


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the API server exited with {proc.returncode} before it answered")
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"the API server did not answer {base}/healthz within {timeout_s:.0f} s")


def _ckan() -> tuple[str, str] | None:
    values = stack_env()
    if values is None:
        return None
    return values.get("PUBLISHER_CKAN_URL", ""), values.get("PUBLISHER_CKAN_API_KEY", "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=QUICK_HELP)
    args = parser.parse_args()
    size = QUICK if args.quick else Sizes()
    big = f"points-{size.rows // 1000}k"
    tmp = Path(tempfile.mkdtemp(prefix="publisher-bench-api-"))
    proc: subprocess.Popen[bytes] | None = None
    ckan_client: Any = None
    org: dict[str, Any] | None = None
    try:
        target = LocalTarget(tmp / "home" / "catalog")
        t0 = time.perf_counter()
        target.publish(_stage(tmp, big, size.rows, 1))
        for i in range(size.datasets - 1):
            target.publish(_stage(tmp, f"small-{i:02d}", 50, i + 2))
        print(f"setup: {size.datasets} datasets, one of {size.rows:,} rows "
              f"({time.perf_counter() - t0:.1f} s)")

        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        # One address sends all the load: the rate limit would answer most of it with 429.
        env = {**os.environ, "PUBLISHER_HOME": str(tmp / "home"), "PUBLISHER_PUBLIC_URL": base,
               "PUBLISHER_API_RATE_PER_SECOND": "0"}
        defaults = Settings.model_fields
        print("rate limit: off for this load (PUBLISHER_API_RATE_PER_SECOND=0); deployed "
              f"default {defaults['api_rate_per_second'].default:g} requests/s per client "
              f"address after a burst of {defaults['api_rate_burst'].default}")
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "publisher.api.app:app",
                                 "--host", "127.0.0.1", "--port", str(port),
                                 "--log-level", "warning", "--no-access-log"],
                                env=env, cwd=ROOT)
        _wait_healthy(base, proc)
        rows_url = f"{base}/datasets/{big}/resources/points/rows"
        t0 = time.perf_counter()
        httpx.get(rows_url, params={"limit": 1}, timeout=600).raise_for_status()
        print(f"first row query builds the Parquet query file: {time.perf_counter() - t0:.1f} s")

        cap = size.phase_cap_s
        warm = [_load(lambda: f"{base}/datasets?limit=20", 200, THREADS, cap)]
        api = _load(lambda: f"{base}/datasets?limit=20", size.list_requests, THREADS, cap)

        ckan = Phase()
        stack = _ckan()
        if stack:
            import ckanapi

            ckan_client = ckanapi.RemoteCKAN(stack[0], apikey=stack[1])
            org = ckan_client.action.organization_create(name=f"bench-{uuid.uuid4().hex[:8]}")
            for entry in target.store.entries():
                ckan_client.action.package_create(
                    name=f"{org['name']}-{entry.name}", title=entry.title, owner_org=org["id"],
                    notes=entry.metadata["description"], tags=[{"name": "benchmark"}])
            search = (f"{stack[0]}/api/3/action/package_search?"
                      f"fq=owner_org:{org['id']}&rows=20")
            warm.append(_load(lambda: search, 100, THREADS, cap))
            ckan = _load(lambda: search, size.list_requests // 4, THREADS, cap)
        else:
            print("CKAN: the local stack is not up (deploy/local/up); no comparison")

        rng = random.Random(7)
        span_x, span_y = (EXTENT[2] - EXTENT[0]) * 0.1, (EXTENT[3] - EXTENT[1]) * 0.1

        def bbox_url() -> str:
            x = rng.uniform(EXTENT[0], EXTENT[2] - span_x)
            y = rng.uniform(EXTENT[1], EXTENT[3] - span_y)
            return f"{rows_url}?limit=100&bbox={x:.5f},{y:.5f},{x + span_x:.5f},{y + span_y:.5f}"

        warm.append(_load(bbox_url, 50, 1, cap))
        bbox = _load(bbox_url, size.bbox_requests, 1, cap)

        print()
        print(f"{'':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'failed':>8}")
        print(_row(f"publisher GET /datasets ({size.datasets})", api))
        print(_row(f"CKAN package_search (rows={size.datasets})", ckan))
        print(_row(f"publisher bbox rows, {size.rows:,} (seq.)", bbox))
        if bbox.latencies:
            print(f"({float(np.mean(bbox.latencies)):.1f} ms mean over "
                  f"{len(bbox.latencies)} bbox requests answered 200)")
        failed = sum(p.failed for p in (api, ckan, bbox, *warm))
        if failed:
            print(f"{failed} request(s) failed (warm-up included): the figures above count "
                  "only the requests answered 200")
        print()
        ratio = api.rps / ckan.rps if ckan.rps == ckan.rps and ckan.rps else float("nan")
        result("list_rps_vs_ckan_package_search", f"{ratio:.1f}", ">= 3", args.quick)
        result("bbox_query_p99_ms", f"{_pct(bbox.latencies, 99):.1f}", "< 100", args.quick)
        result("failed_requests", str(failed), "== 0", args.quick)
        return 1 if failed else 0
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
    sys.exit(main())
