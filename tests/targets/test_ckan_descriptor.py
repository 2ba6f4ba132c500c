"""What goes to CKAN is the built metadata (issue 17): the demo's grid published to the
real stack carries the pipeline's texts and the cells' extent, its datapackage.json is
the built one, nothing of the raw package's texts arrives, and publishing it again
changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import shapely
import yaml

from publisher.pipeline.run import Status, run_pipeline
from publisher.settings import Settings

pytestmark = pytest.mark.stack
ROOT = Path(__file__).resolve().parents[2]
RAW = json.loads((ROOT / "pipelines/samples/defect-reports/datapackage.json").read_text("utf-8"))


def test_the_grid_goes_to_ckan_with_its_built_metadata(
        ckan: Any, s3: Any, stack_settings: Settings, publisher_org: str, unique: str,
        tmp_path: Path) -> None:
    spec = yaml.safe_load((ROOT / "pipelines" / "defect-reports.yaml").read_text("utf-8"))
    spec["source"] = str(ROOT / "pipelines" / "samples" / "defect-reports")
    spec["target"] = {"type": "ckan", "organisation": publisher_org,
                      "create_organisation": True}
    spec["dataset"]["name"] = unique
    pipeline = tmp_path / "defect-reports.yaml"
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    settings = stack_settings.model_copy(update={"home": tmp_path / "home"})

    first = run_pipeline(pipeline, settings)
    assert first.status is Status.PUBLISHED, first.message
    pkg = ckan.action.package_show(id=unique)
    assert pkg["title"] == spec["dataset"]["title"]
    assert pkg["notes"] == spec["dataset"]["description"].strip()
    text = json.dumps(pkg, ensure_ascii=False)
    for raw in (RAW["title"], RAW["description"], RAW["resources"][0]["title"]):
        assert raw not in text
    by_key = {r["publisher_key"]: r for r in pkg["resources"]}
    assert by_key["data/reports.csv"]["name"] == "Mängelmeldungen je Rasterzelle"
    bucket = stack_settings.s3_bucket
    key = by_key["datapackage.json"]["url"].split(f"/{bucket}/", 1)[1]
    descriptor = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    assert descriptor["title"] == spec["dataset"]["title"]
    assert descriptor["provenance"]["steps"][1]["type"] == "grid-aggregate"
    [box] = [r["bbox"] for r in descriptor["resources"]]
    assert shapely.from_wkt(pkg["geographic_bbox"]).bounds == tuple(box)

    again = run_pipeline(pipeline, settings)
    assert again.status is Status.UNCHANGED, again.message
