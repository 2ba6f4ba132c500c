"""A bicycle counter's hourly `count` is a measurement, not a statistical cell:
min-cell-count applies only to fields marked `"aggregate": "count"` (issue 16)."""

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from publisher.cli import app
from tests.conftest import CASES

BIKES = CASES / "rules" / "bike-counter"


def _check(path: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(app, ["check", str(path), "--policy", "de-open-data", "--json"])
    return result.exit_code, json.loads(result.output)


def test_hourly_bike_counts_pass_the_default_policy_without_a_personal_flag():
    descriptor = json.loads((BIKES / "datapackage.json").read_text(encoding="utf-8"))
    assert "personal" not in descriptor and "personal" not in descriptor["resources"][0]
    rows = (BIKES / "counts.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert sum(int(r.rsplit(",", 1)[1]) in (1, 2) for r in rows) >= 5  # small hours exist
    code, report = _check(BIKES)
    assert code == 0, report
    assert report["valid"] is True
    assert not [f for f in report["findings"] if f["rule"] in ("min-cell-count", "k-anonymity")]


def test_the_same_table_declared_an_aggregate_is_checked(tmp_path: Path):
    copy = tmp_path / "bikes"
    shutil.copytree(BIKES, copy)
    descriptor = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    [count] = [f for f in descriptor["resources"][0]["schema"]["fields"] if f["name"] == "count"]
    count["aggregate"] = "count"
    (copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    code, report = _check(copy)
    assert code == 1
    small = [f for f in report["findings"] if f["rule"] == "min-cell-count"]
    assert small and all(f["field"] == "count" and f["resource"] == "counts" for f in small)
    validated = CliRunner().invoke(app, ["validate", str(copy), "--json"])
    assert validated.exit_code == 0, validated.output  # the marker is a valid field property
