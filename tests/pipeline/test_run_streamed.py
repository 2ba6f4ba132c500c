"""A whole run whose steps stream (drop-columns, truncate-datetime,
reduce-precision, then k-anonymise on its quasi-identifiers) publishes the
bytes of the same run on whole tables in memory, in small batches."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

import publisher.package.writer as writer_module
import publisher.pipeline.audit as audit_module
import publisher.steps._stream as stream_module
import publisher.steps.k_anonymise as kanon_module
from publisher.package import batches
from publisher.pipeline.run import Status, run_pipeline
from publisher.settings import load_settings
from tests.conftest import ROOT

SHIPPED = ROOT / "pipelines" / "defect-reports.yaml"
STEPS: list[dict[str, Any]] = [
    {"type": "drop-columns", "resource": "reports",
     "columns": ["reporter_name", "reporter_email", "description"]},
    {"type": "truncate-datetime", "resource": "reports", "columns": ["reported_at"],
     "unit": "hour"},
    {"type": "reduce-precision", "resource": "reports", "decimals": 2},
    {"type": "k-anonymise", "resource": "reports", "k": 5, "quasi_identifiers": [
        {"column": "reported_at", "kind": "datetime", "levels": ["day", "month"]},
        {"column": "category"}, {"column": "status"}]},
]


def _pipeline(folder: Path) -> Path:
    spec = yaml.safe_load(SHIPPED.read_text("utf-8"))
    spec = {**copy.deepcopy(spec), "steps": STEPS,
            "source": str(SHIPPED.parent / spec["source"])}
    path = folder / "k5.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _published(home: Path, pipeline: Path) -> tuple[dict[str, bytes], list[dict[str, Any]]]:
    result = run_pipeline(pipeline, load_settings(home=home))
    assert result.status is Status.PUBLISHED, result.message
    assert result.publish is not None
    location = Path(result.publish.location)
    files = {p.relative_to(location).as_posix(): p.read_bytes()
             for p in sorted(location.rglob("*")) if (p.is_file() and "data" in p.parts)
             or p.name == "datapackage.json"}
    return files, [s["stats"] for s in result.steps]


def test_a_streamed_run_publishes_the_whole_table_bytes(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    pipeline = _pipeline(tmp_path)
    with monkeypatch.context() as whole:  # every stage on the table in memory
        for module in (stream_module, kanon_module, writer_module, audit_module):
            whole.setattr(module, "file_columns", lambda resource: None)
        expected = _published(tmp_path / "whole", pipeline)
    monkeypatch.setattr(batches, "BATCH_ROWS", 64)
    monkeypatch.setattr(writer_module, "WRITE_ROWS", 50)
    assert _published(tmp_path / "streamed", pipeline) == expected
    assert any(name.endswith(".csv") for name in expected[0])
