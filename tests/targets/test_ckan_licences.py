"""CKAN's licence list (deploy/ckan/publisher_licences.json): generated from the licence
crosswalk, wired into both CKAN setups, served by the local stack, and a shipped
pipeline under dl-by-de/2.0 published to it."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from publisher.cli import app
from publisher.licences import DCAT_AP_DE_BASE, crosswalk, normalise

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
LICENCES = DEPLOY / "ckan" / "publisher_licences.json"
DL_BY_DE = DCAT_AP_DE_BASE + "dl-by-de/2.0"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ckan_licences", DEPLOY / "ckan" / "licences.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shipped() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(LICENCES.read_text(encoding="utf-8"))
    return entries


def test_the_file_is_what_the_generator_makes_from_the_crosswalk() -> None:
    assert LICENCES.read_text(encoding="utf-8") == generator().render(), \
        "stale: run .venv/bin/python deploy/ckan/licences.py"
    assert generator().main(["--check"]) == 0


def test_every_dcat_ap_de_licence_once_with_an_id_the_crosswalk_reads_back() -> None:
    entries = shipped()
    wanted = {lic.id for lic in crosswalk().licences if lic.dcat_ap_de}
    found = {}
    for entry in entries:
        assert {"id", "title", "url", "od_conformance", "osd_conformance"} <= set(entry)
        by_id, by_url, by_title = (normalise(entry[k]) for k in ("id", "url", "title"))
        assert by_id is not None and by_id == by_url == by_title, entry["id"]
        assert by_id.id not in found, f"{by_id.id} listed twice"
        found[by_id.id] = entry
        assert (entry["od_conformance"] == "approved") is by_id.is_open
    assert set(found) == wanted
    # the licence of the shipped German pipelines: its DCAT-AP.de URI as the CKAN id
    assert found["dl-by-de/2.0"]["id"] == DL_BY_DE
    assert found["dl-by-de/2.0"]["url"] == "https://www.govdata.de/dl-de/by-2-0"
    # licences CKAN already knows keep CKAN's ids, so existing datasets keep theirs
    assert found["cc-by/4.0"]["id"] == "cc-by" and found["odbl"]["id"] == "odc-odbl"


def test_both_ckan_setups_load_the_list() -> None:
    ini = (DEPLOY / "ckan" / "publisher.ini").read_text(encoding="utf-8")
    assert re.search(r"^licenses_group_url = file://%\(here\)s/publisher_licences\.json$",
                     ini, re.M)
    local = (DEPLOY / "local" / "services" / "ckan.sh").read_text(encoding="utf-8")
    assert 'cp "$DEPLOY_DIR/ckan/publisher_licences.json" "$CKAN_ROOT/' in local
    dockerfile = (DEPLOY / "ckan" / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^COPY .*publisher_licences\.json \$\{APP_DIR\}/", dockerfile, re.M)
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    mounts = [m for m in compose["services"]["ckan"]["volumes"] if isinstance(m, dict)]
    assert {"type": "bind", "source": "./ckan/publisher_licences.json",
            "target": "/srv/app/publisher_licences.json", "read_only": True} in mounts
    assert (DEPLOY / "ckan" / "publisher_licences.json").is_file()


@pytest.mark.stack
def test_the_local_ckan_offers_the_list(ckan: Any) -> None:
    offered = [entry["id"] for entry in ckan.action.license_list()]
    assert offered == [entry["id"] for entry in shipped()], \
        "CKAN serves another licence list: run deploy/local/up to reload it"


@pytest.mark.stack
def test_tree_cadastre_publishes_to_ckan_under_its_dcat_ap_de_licence(
        stack: Any, ckan: Any, publisher_org: str, unique: str, tmp_path: Path) -> None:
    spec = yaml.safe_load((ROOT / "pipelines" / "tree-cadastre.yaml").read_text("utf-8"))
    assert spec["dataset"]["license"] == "dl-by-de/2.0"
    spec["source"] = str(ROOT / "pipelines" / "samples" / "tree-cadastre")
    spec["target"] = {"type": "ckan", "organisation": publisher_org,
                      "create_organisation": True}
    spec["dataset"]["name"] = unique
    path = tmp_path / "tree-cadastre.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    keys = ("CKAN_URL", "CKAN_API_KEY", "S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY",
            "S3_BUCKET", "S3_REGION")
    env = {**{f"PUBLISHER_{k}": stack[f"PUBLISHER_{k}"] for k in keys},
           "PUBLISHER_HOME": str(tmp_path / "home")}

    result = CliRunner().invoke(app, ["run", str(path), "--json"], env=env)

    assert result.exit_code == 0, result.output[-3000:]
    [run] = json.loads(result.output)["runs"]
    assert run["status"] == "published", run
    pkg = ckan.action.package_show(id=unique)
    assert pkg["license_id"] == DL_BY_DE
    assert pkg["license_url"] == "https://www.govdata.de/dl-de/by-2-0"
    assert pkg["isopen"] is True
    assert pkg["license_attribution_by_text"]  # the DL-DE BY 2.0 source note
    assert {r["license"] for r in pkg["resources"]} == {DL_BY_DE}
