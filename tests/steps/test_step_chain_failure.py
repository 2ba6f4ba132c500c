"""A row-wise step that fails inside its chain's shared pass over the records
(publisher.steps.base.run_steps): the steps of the chain before it are still
reported to the run (its step list and journal), each with a note that its
changes were not made; the error is the step's own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from publisher.errors import InputError
from publisher.package import batches
from publisher.package.loader import load_package
from publisher.pipeline.run import Status, run_pipeline
from publisher.settings import load_settings
from publisher.steps.base import Step, StepContext, StepOutcome, run_steps, steps
from tests.conftest import ROOT

KEY = "a-test-key-of-some-length"
ROWS = ["id,alter,seit", "1,30,gestern", "2,30,2024-05-07", "3,40,2024-05-08",
        "4,45,morgen", "5,50,2024-05-09"]


def _package(root: Path) -> Path:
    root.mkdir()
    (root / "r.csv").write_text("\n".join(ROWS) + "\n", "utf-8")
    (root / "datapackage.json").write_text(json.dumps({
        "name": "p", "resources": [{"name": "r", "path": "r.csv", "format": "csv",
                                    "schema": {"fields": [
                                        {"name": n, "type": "string"}
                                        for n in ("id", "alter", "seit")]}}]}), "utf-8")
    return root


def _step(spec: dict[str, Any]) -> Step[Any]:
    cls = steps.get(spec["type"])
    return cls(cls.Params.model_validate({k: v for k, v in spec.items() if k != "type"}))


def _run(tmp_path: Path, specs: list[dict[str, Any]]) -> tuple[list[tuple[str, StepOutcome]],
                                                                 InputError]:
    reported: list[tuple[str, StepOutcome]] = []
    chosen = [_step({"resource": "r", **spec}) for spec in specs]
    context = StepContext(secret=KEY, workdir=tmp_path / "steps")
    with pytest.raises(InputError) as raised:
        run_steps(chosen, load_package(_package(tmp_path / "p")), context,
                  on_outcome=lambda step, outcome: reported.append((step.type, outcome)))
    return reported, raised.value


def test_the_steps_of_a_failed_chain_are_reported(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batches, "BATCH_ROWS", 2)
    reported, error = _run(tmp_path, [
        {"type": "band-numbers", "columns": ["alter"], "width": 10},
        # reads the records: the chain before it is settled first, and finishes; its
        # classes are written back in the next pass
        {"type": "k-anonymise", "k": 2, "max_suppression": 0.5,
         "quasi_identifiers": [{"column": "alter"}]},
        {"type": "pseudonymise", "columns": ["id"]},
        {"type": "truncate-datetime", "columns": ["seit"], "unit": "day"}])
    assert "column 'seit' holds 2 value(s) that are not ISO dates" in str(error)
    assert [name for name, _ in reported] == ["band-numbers", "k-anonymise", "pseudonymise",
                                              "truncate-datetime"]
    assert not any("not finished" in note for note in reported[0][1].notes)
    for _, outcome in reported[1:]:
        assert outcome.notes[-1].startswith(
            "not finished: the run stopped before the pass over the records shared by "
            "k-anonymise, pseudonymise, truncate-datetime completed")


def test_a_step_that_fails_before_its_pass_leaves_the_queued_ones_reported(
        tmp_path: Path) -> None:
    reported, error = _run(tmp_path, [
        {"type": "pseudonymise", "columns": ["id"]},
        {"type": "truncate-datetime", "columns": ["nowhere"], "unit": "day"}])
    assert "nowhere" in str(error)
    assert [name for name, _ in reported] == ["pseudonymise"]
    assert "not finished" in reported[0][1].notes[-1]


def test_a_run_whose_chain_fails_lists_the_steps_of_the_chain(tmp_path: Path) -> None:
    """The shipped pipeline with a chain whose last step fails on the records: the
    run fails with that step's error, and its step list names the steps before it."""
    shipped = ROOT / "pipelines" / "defect-reports.yaml"
    spec = yaml.safe_load(shipped.read_text("utf-8"))
    spec["source"] = str(shipped.parent / spec["source"])
    spec["steps"] = [
        {"type": "drop-columns", "resource": "reports",
         "columns": ["reporter_name", "reporter_email", "description"]},
        {"type": "truncate-datetime", "resource": "reports", "columns": ["reported_at"],
         "unit": "hour"},
        {"type": "band-numbers", "resource": "reports", "columns": ["status"], "width": 5}]
    pipeline = tmp_path / "failing.yaml"
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "utf-8")
    result = run_pipeline(pipeline, load_settings(home=tmp_path / "home"))
    assert result.status is Status.FAILED
    assert "column 'status'" in (result.message or "")
    assert [s["type"] for s in result.steps] == ["drop-columns", "truncate-datetime"]
    dropped, truncated = result.steps
    assert not any("not finished" in note for note in dropped["notes"])  # narrowed: done
    assert truncated["notes"][-1].startswith("not finished")  # queued for the failed pass
