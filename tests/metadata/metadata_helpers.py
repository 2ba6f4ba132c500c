"""Helpers shared by the metadata tests."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from publisher.metadata import DatasetMetadata, build_metadata
from publisher.package.loader import load_package
from publisher.package.staged import StagedFile
from publisher.pipeline.descriptor import build_descriptor, strip_raw_texts
from publisher.pipeline.spec import load_spec
from publisher.pipeline.staging import stage

ROOT = Path(__file__).resolve().parents[2]
PIPELINES = sorted((ROOT / "pipelines").glob("*.yaml"))
CASES = ROOT / "tests" / "cases" / "metadata"
BASE = "https://daten.musterstadt.example"


def staged_metadata(pipeline: Path, tmp_path: Path) -> DatasetMetadata:
    """Run the pipeline's steps on its sample, build its descriptor and stage it as a
    run does, and build the record."""
    spec = load_spec(pipeline)
    source = load_package(spec.source_path(), workdir=tmp_path / "src")
    package = source.copy()
    strip_raw_texts(package, spec.texts.carry_over)
    steps = spec.build_steps()
    for step in steps:
        step.apply(package)
    build_descriptor(spec, source, package, policy=spec.load_policy(), steps=steps,
                     audit={"html": "reports/audit.html"})
    files = stage(package, tmp_path / "staged")
    descriptor = json.loads((tmp_path / "staged" / "datapackage.json").read_text("utf-8"))
    return build_metadata(spec.dataset, descriptor, files, base_uri=BASE)


def minimal_metadata(case: dict[str, Any], **dataset: Any) -> DatasetMetadata:
    section = {**case["dataset"], **dataset}
    section = {k: v for k, v in section.items() if v is not None}
    files = [StagedFile("data/table.csv", hashlib.sha256(b"a\n1\n").hexdigest(), 4),
             StagedFile("datapackage.json", hashlib.sha256(b"{}").hexdigest(), 2)]
    return build_metadata(section, case["descriptor"], files, base_uri=BASE)
