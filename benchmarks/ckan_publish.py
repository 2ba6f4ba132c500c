"""CKAN publish: the publisher's CKAN target against ckanapi's `load`, on the
real stack (deploy/local/up), for a 20-resource dataset: first publish and a
no-op republish (wall time, HTTP calls, bytes sent); then a 500 MB resource
through S3 in a subprocess (peak RSS).

    .venv/bin/python benchmarks/ckan_publish.py [--quick]

--quick: 3 resources of 1,000 rows and a 5 MB file instead of 500 MB.

ckanapi `load` is driven through its own worker (load_things_worker) with
--upload-resources, as `ckanapi load datasets` runs it: package_show, then
package_create or a full package_update, then a resource_patch upload of every
resource (ckanapi fetches each file from the dump's URL; a local HTTP server
serves them here).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import http.server
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ckanapi
import requests
from _quick import QUICK_HELP, result
from _stack import stack_env, stack_env_path
from ckanapi.cli.load import load_things_worker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from publisher.package.staged import StagedFile  # noqa: E402
from publisher.settings import Settings  # noqa: E402
from publisher.targets import make_target  # noqa: E402
from publisher.targets.base import PublishRequest  # noqa: E402
from publisher.targets.ckan import CkanTarget  # noqa: E402


@dataclass(frozen=True)
class Sizes:
    resources: int = 20
    rows: int = 20_000  # per resource, ~0.5 MB each
    big_mb: int = 500


QUICK = Sizes(resources=3, rows=1_000, big_mb=5)
DATASET = {"title": "Benchmark", "description": "20 Tabellen für den Benchmark.",
           "publisher": "Stadt Musterstadt", "contact": {"email": "opendata@musterstadt.example"},
           "contributor_id": "freistaatSachsen", "municipality_key": "14713000",
           "themes": ["GOVE"], "keywords": ["Benchmark"], "license": "cc-by/4.0"}


def _env() -> dict[str, str]:
    env = stack_env()
    if env is None:
        sys.exit(f"stack env {stack_env_path()} not found: run deploy/local/up first")
    return env


def _settings(env: dict[str, str]) -> dict[str, str]:
    keys = ("CKAN_URL", "CKAN_API_KEY", "S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY",
            "S3_BUCKET", "S3_REGION")
    return {k.lower(): env[f"PUBLISHER_{k}"] for k in keys}


def _stage(root: Path, name: str, size: Sizes) -> PublishRequest:
    (root / "data").mkdir(parents=True, exist_ok=True)
    files, resources = [], []
    for i in range(size.resources):
        data = "".join(f"{j},{i},wert-{j * 7 % 1000}\n" for j in range(size.rows)).encode()
        rel = f"data/t{i:02d}.csv"
        (root / rel).write_bytes(b"id,tabelle,wert\n" + data)
        body = (root / rel).read_bytes()
        files.append(StagedFile(rel, hashlib.sha256(body).hexdigest(), len(body)))
        resources.append({"name": f"t{i:02d}", "path": rel, "format": "csv"})
    text = json.dumps({"name": name, "resources": resources}).encode()
    (root / "datapackage.json").write_bytes(text)
    files.append(StagedFile("datapackage.json", hashlib.sha256(text).hexdigest(), len(text)))
    return PublishRequest(dataset=name, metadata={**DATASET, "name": name}, staged_dir=root,
                          files=files, reports={}, content_hash="")


def _ours(settings: dict[str, str], org: str, request: PublishRequest) -> dict[str, float]:
    target = make_target({"type": "ckan", "organisation": org, "create_organisation": True},
                         Settings(**settings))  # type: ignore[arg-type]
    assert isinstance(target, CkanTarget)
    s3_calls = [0, 0]
    if target.storage is not None:
        client = target.storage.client  # type: ignore[attr-defined]

        def count(request: Any, **kwargs: Any) -> None:
            s3_calls[0] += 1
            s3_calls[1] += int(request.headers.get("Content-Length") or 0)

        client.meta.events.register("before-send.s3", count)
    start = time.perf_counter()
    target.publish(request)
    wall = time.perf_counter() - start
    t = target.client.traffic
    return {"wall_s": wall, "calls": t.calls + s3_calls[0],
            "bytes_sent": t.bytes_sent + s3_calls[1], "file_bytes": t.file_bytes_sent}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        return None


def _ckanapi_load(env: dict[str, str], org_id: str, request: PublishRequest,
                  file_url: str) -> dict[str, float]:
    """One dataset line through ckanapi's load worker, counting its HTTP traffic."""
    stats = {"calls": 0, "bytes": 0}
    session = requests.Session()

    def record(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        stats["calls"] += 1
        body = response.request.body
        stats["bytes"] += len(body) if isinstance(body, bytes | str) else 0

    session.hooks["response"].append(record)
    ckan = ckanapi.RemoteCKAN(env["PUBLISHER_CKAN_URL"], apikey=env["PUBLISHER_CKAN_API_KEY"],
                              session=session)
    ids = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"{request.dataset}/{f.path}"))
           for f in request.files]
    line = {"name": request.dataset, "title": DATASET["title"], "notes": DATASET["description"],
            "owner_org": org_id, "license_id": "cc-by",
            "resources": [{"id": rid, "name": f.path, "url": f"{file_url}/{f.path}",
                           "url_type": "upload", "format": "CSV"}
                          for rid, f in zip(ids, request.files, strict=True)]}
    args = {"--insecure": False, "--create-only": False, "--update-only": False,
            "--upload-resources": True, "--upload-logo": False}
    out = io.BytesIO()
    start = time.perf_counter()
    load_things_worker(ckan, "datasets", args, stdin=io.BytesIO(json.dumps(line).encode() + b"\n"),
                       stdout=out)
    wall = time.perf_counter() - start
    reply = json.loads(out.getvalue().decode().splitlines()[-1])
    if reply[2]:
        raise SystemExit(f"ckanapi load failed: {reply}")
    file_bytes = sum(f.bytes for f in request.files)
    return {"wall_s": wall, "calls": stats["calls"], "bytes_sent": stats["bytes"],
            "file_bytes": file_bytes}


_CHILD = """
import hashlib, json, resource, sys
from pathlib import Path
from publisher.settings import Settings
from publisher.targets import make_target
from publisher.targets.base import PublishRequest, StagedFile
root, org = Path(sys.argv[1]), sys.argv[2]
settings, meta = json.loads(sys.argv[3]), json.loads(sys.argv[4])
files = []
for p in sorted(x for x in root.rglob("*") if x.is_file()):
    d = hashlib.sha256()
    with p.open("rb") as fh:
        while b := fh.read(1 << 20):
            d.update(b)
    files.append(StagedFile(p.relative_to(root).as_posix(), d.hexdigest(), p.stat().st_size))
t = make_target({"type": "ckan", "organisation": org, "storage": "s3"}, Settings(**settings))
r = t.publish(PublishRequest(meta["name"], meta, root, files, {}, ""))
bucket = settings["s3_bucket"]
for url in r.files:  # leave no 500 MB object behind
    t.storage.client.delete_object(Bucket=bucket, Key=url.split(f"/{bucket}/", 1)[1])
# VmHWM: this process's peak; ru_maxrss would carry the parent's over fork and exec
hwm = [ln for ln in Path("/proc/self/status").read_text().splitlines() if ln.startswith("VmHWM")]
peak_kb = int(hwm[0].split()[1]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(peak_kb / 1024)
"""


def _big(settings: dict[str, str], org: str, tmp: Path, megabytes: int) -> float:
    root = tmp / "big"
    (root / "data").mkdir(parents=True)
    block = b"".join(b"%09d,%s\n" % (i, b"x" * 40) for i in range(20_000))
    big = root / "data" / "big.csv"
    with big.open("wb") as fh:
        while fh.tell() < megabytes * 1024 * 1024:
            fh.write(block)
    (root / "datapackage.json").write_text(json.dumps({"name": "big", "resources": [
        {"name": "big", "path": "data/big.csv", "format": "csv"}]}))
    name = f"bench-big-{uuid.uuid4().hex[:8]}"
    try:
        done = subprocess.run([sys.executable, "-c", _CHILD, str(root), org, json.dumps(settings),
                               json.dumps({**DATASET, "name": name})], capture_output=True,
                              text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    finally:
        big.unlink()
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=QUICK_HELP)
    args = parser.parse_args()
    size = QUICK if args.quick else Sizes()
    env = _env()
    settings = _settings(env)
    admin = ckanapi.RemoteCKAN(env["PUBLISHER_CKAN_URL"], apikey=env["PUBLISHER_CKAN_API_KEY"])
    org = admin.action.organization_create(name=f"bench-{uuid.uuid4().hex[:8]}")
    try:
        with tempfile.TemporaryDirectory(prefix="ckan-bench-") as tmp_name:
            tmp = Path(tmp_name)
            ours_req = _stage(tmp / "ours", f"bench-ours-{uuid.uuid4().hex[:8]}", size)
            theirs_req = _stage(tmp / "theirs", f"bench-load-{uuid.uuid4().hex[:8]}", size)
            server = http.server.ThreadingHTTPServer(
                ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp / "theirs")))
            threading.Thread(target=server.serve_forever, daemon=True).start()
            url = f"http://127.0.0.1:{server.server_address[1]}"
            rows = {
                "first publish": (_ours(settings, org["name"], ours_req),
                                  _ckanapi_load(env, org["id"], theirs_req, url)),
                "no-op republish": (_ours(settings, org["name"], ours_req),
                                    _ckanapi_load(env, org["id"], theirs_req, url)),
            }
            server.shutdown()
            print(f"{size.resources} resources, "
                  f"{sum(f.bytes for f in ours_req.files) / 1e6:.2f} MB")
            print(f"{'case':<18}{'metric':<14}{'publisher':>14}{'ckanapi load':>16}")
            for case, (ours, theirs) in rows.items():
                for metric in ("wall_s", "calls", "bytes_sent", "file_bytes"):
                    a, b = ours[metric], theirs[metric]
                    fmt = "{:>14.3f}{:>16.3f}" if metric == "wall_s" else "{:>14,.0f}{:>16,.0f}"
                    print(f"{case:<18}{metric:<14}" + fmt.format(a, b))
            peak = _big(settings, org["name"], tmp, size.big_mb)
            print(f"{size.big_mb} MB through S3: peak RSS {peak:.0f} MB")
            noop = rows["no-op republish"][0]
            result("noop_republish_s", f"{noop['wall_s']:.3f}", "< 1", args.quick)
            result("noop_file_bytes_sent", f"{noop['file_bytes']:.0f}", "== 0", args.quick)
            result("upload_500mb_peak_rss_mb", f"{peak:.0f}", "< 300", args.quick,
                   "" if size.big_mb == 500 else f"(a {size.big_mb} MB file)")
    finally:
        for pkg in admin.action.package_search(fq=f"owner_org:{org['id']}", rows=1000,
                                               include_private=True)["results"]:
            admin.action.dataset_purge(id=pkg["id"])
        admin.action.organization_purge(id=org["id"])


if __name__ == "__main__":
    main()
