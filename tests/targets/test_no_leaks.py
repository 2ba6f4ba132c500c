"""No secret and no raw identifier in any log or report: run the shipped
pipelines and a CKAN + S3 publish with a known pseudonym key, CKAN API key and
S3 secret (and failing runs with wrong ones), then search every file under
PUBLISHER_HOME (run journals, run reports, catalogue, published files), the
captured stdout/stderr, the published S3 objects and the CKAN record."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from convergence import ROOT, child_env

from publisher.settings import Settings
from tests.api.raw_markers import RAW, raw_markers, variants

pytestmark = pytest.mark.stack
PSEUDONYM_KEY = "pseudonym-key-known-7f3a9c2e51d84b06"
WRONG_CKAN_KEY = "wrong-ckan-api-key-0b5e8d7c6a4f3e21"
WRONG_S3_SECRET = "wrong-s3-secret-9a8b7c6d5e4f3a2b1c0d"


def _env(settings: Settings, home: Path, **override: str) -> dict[str, str]:
    env = child_env()
    env.update({
        "PUBLISHER_HOME": str(home), "PUBLISHER_PSEUDONYM_KEY": PSEUDONYM_KEY,
        "PUBLISHER_CKAN_URL": str(settings.ckan_url),
        "PUBLISHER_CKAN_API_KEY": settings.ckan_api_key.get_secret_value(),  # type: ignore[union-attr]
        "PUBLISHER_S3_ENDPOINT": str(settings.s3_endpoint),
        "PUBLISHER_S3_ACCESS_KEY": settings.s3_access_key.get_secret_value(),  # type: ignore[union-attr]
        "PUBLISHER_S3_SECRET_KEY": settings.s3_secret_key.get_secret_value(),  # type: ignore[union-attr]
        "PUBLISHER_S3_BUCKET": str(settings.s3_bucket),
        "PUBLISHER_S3_REGION": str(settings.s3_region)})
    env.update(override)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    cli = Path(sys.executable).with_name("publisher")
    return subprocess.run([str(cli), *args], capture_output=True, timeout=600, check=False,
                          env=env, cwd=ROOT)


def _ckan_pipeline(folder: Path, org: str, name: str) -> Path:
    spec = yaml.safe_load((ROOT / "pipelines" / "defect-reports.yaml").read_text("utf-8"))
    spec["source"] = str(RAW)
    spec["target"] = {"type": "ckan", "organisation": org, "create_organisation": True,
                      "storage": "s3"}
    spec["dataset"]["name"] = name
    path = folder / "defect-reports-ckan.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def test_no_secret_or_raw_identifier_in_any_log_report_or_published_file(
        ckan: Any, s3: Any, stack_settings: Settings, publisher_org: str, unique: str,
        tmp_path: Path, record_property: Any) -> None:
    home = tmp_path / "home"
    env = _env(stack_settings, home)
    outputs: list[bytes] = []
    shipped = sorted(str(p) for p in (ROOT / "pipelines").glob("*.yaml"))
    for args in (["run", *shipped], ["run", "--json", *shipped]):
        done = _run(args, env)
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        outputs += [done.stdout, done.stderr]

    pipeline = _ckan_pipeline(tmp_path, publisher_org, unique)
    done = _run(["run", str(pipeline)], env)
    assert done.returncode == 0, (done.stdout + done.stderr).decode()[-2000:]
    outputs += [done.stdout, done.stderr]
    for wrong in ({"PUBLISHER_CKAN_API_KEY": WRONG_CKAN_KEY},
                  {"PUBLISHER_S3_SECRET_KEY": WRONG_S3_SECRET}):
        failing = tmp_path / "changed.yaml"  # other content, so that files must be sent
        spec = yaml.safe_load(pipeline.read_text("utf-8"))
        spec["dataset"]["title"] += " (neu)"
        spec["steps"][1]["resolution"] = 1000
        failing.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
        for args in (["run", str(failing)], ["run", "--debug", str(failing)]):
            done = _run(args, _env(stack_settings, home, **wrong))
            assert done.returncode != 0, wrong
            outputs += [done.stdout, done.stderr]

    secrets = {PSEUDONYM_KEY, WRONG_CKAN_KEY, WRONG_S3_SECRET,
               stack_settings.ckan_api_key.get_secret_value(),  # type: ignore[union-attr]
               stack_settings.s3_secret_key.get_secret_value()}  # type: ignore[union-attr]
    needles = {form for s in secrets for form in variants(s)} | raw_markers()

    places: dict[str, bytes] = {f"output {i}": out for i, out in enumerate(outputs)}
    for path in sorted(p for p in home.rglob("*") if p.is_file()):
        places[str(path.relative_to(home))] = path.read_bytes()
    bucket = str(stack_settings.s3_bucket)
    for page in s3.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=f"datasets/{unique}/"):
        for item in page.get("Contents", []):
            places[f"s3 {item['Key']}"] = s3.get_object(Bucket=bucket, Key=item["Key"])[
                "Body"].read()
    places["ckan record"] = json.dumps(ckan.action.package_show(id=unique),
                                       ensure_ascii=False).encode()
    journals = [p for p in places if p.endswith("journal.jsonl")]
    reports = [p for p in places if p.endswith("run-report.json")]
    assert len(journals) >= 8 and len(reports) >= 8  # every run was searched
    assert any(p.startswith("s3 ") and p.endswith(".csv") for p in places)

    found = [(place, needle) for place, data in places.items()
             for needle in needles if needle.encode("utf-8") in data]
    record_property("leaks", len(found))
    assert not found, found[:10]
