"""What a policy does not check: a default list, extended by policy files, in every report."""

from pathlib import Path

import pandas as pd
import pytest

from publisher.errors import SpecError
from publisher.package.model import Package, Resource
from publisher.report import Report
from publisher.rules.not_checked import DEFAULT_NOT_CHECKED
from publisher.rules.policy import check_package, load_policy


def _package() -> Package:
    res = Resource(name="t", format="csv", descriptor={"name": "t"},
                   data=pd.DataFrame({"x": ["a"]}, index=[2]))
    return Package(root=".", descriptor={"name": "p"}, resources=[res])


def test_every_policy_report_lists_the_default_entries():
    report = check_package(load_policy("de-open-data"), _package())
    assert report.not_checked == list(DEFAULT_NOT_CHECKED)
    assert any("scripts other than Latin" in item for item in report.not_checked)
    assert any("photos" in item for item in report.not_checked)
    assert any("combinations of columns" in item for item in report.not_checked)
    assert any("linkage" in item for item in report.not_checked)
    assert any("health" in item for item in report.not_checked)
    again = Report.from_dict(report.to_dict())
    assert again.not_checked == report.not_checked


def test_a_policy_adds_entries_and_a_child_adds_to_its_parent(tmp_path: Path):
    (tmp_path / "city.yaml").write_text(
        "name: city\nextends: de-open-data\nnot_checked: [Schulwege der Kinder]\n",
        encoding="utf-8")
    (tmp_path / "district.yaml").write_text(
        "name: district\nextends: city.yaml\nnot_checked: [Fotos im Anhang]\n",
        encoding="utf-8")
    policy = load_policy(str(tmp_path / "district.yaml"))
    assert policy.not_checked[-2:] == ["Schulwege der Kinder", "Fotos im Anhang"]
    assert policy.not_checked[:len(DEFAULT_NOT_CHECKED)] == list(DEFAULT_NOT_CHECKED)
    assert check_package(policy, _package()).not_checked == policy.not_checked


def test_not_checked_entries_are_checked_by_the_schema(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\nnot_checked: [3, '']\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_policy(str(path))
    assert "not_checked[0]" in str(caught.value) and "not_checked[1]" in str(caught.value)
