"""The rules that count (k-anonymity, residual uniqueness, dominance with and
without a contributor column) counted on the workers range by range: the same
findings, samples and figures as the single-process check, on 60,000 generated
defect reports cut into about ten ranges."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from publisher.cluster import classes, dominance, passes_for, scan
from publisher.package.loader import load_package
from publisher.report import Report
from publisher.rules.policy import check_package, load_policy
from tests.cluster.conftest import LocalCluster
from tests.conftest import ROOT

POLICY = ROOT / "tests" / "cases" / "cluster" / "counting-policy.yaml"


def _recorded(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[bool]:
    """Whether each call of module.name counted on the workers (None: it did not)."""
    calls: list[bool] = []
    function = getattr(module, name)

    def recorded(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(module, name, recorded)
    return calls


def _check(package: Path, cluster: str | None) -> Report:
    return check_package(load_policy(str(POLICY)), load_package(str(package)),
                         passes=passes_for(cluster))


def test_counting_rules_on_the_workers_find_what_one_process_finds(
        reports: Path, local_cluster: LocalCluster, monkeypatch: pytest.MonkeyPatch) -> None:
    single = _check(reports / "latlon", None)
    monkeypatch.setattr(scan, "PART_BYTES", 1024**2)  # about 10 ranges
    monkeypatch.setattr(scan, "prescan", lambda *args, **kwargs: [])  # no identifier rules
    summaries = _recorded(monkeypatch, classes, "class_summary_on")
    cells = _recorded(monkeypatch, dominance, "dominated_on")
    on_cluster = _check(reports / "latlon", local_cluster.address)
    assert summaries == [True, True]  # k-anonymity, residual uniqueness
    assert cells == [True, True]  # by record, by contributor
    by_rule = single.stats["findings_per_rule"]
    assert by_rule["k-anonymity"] == 1 and by_rule["residual-uniqueness"] == 1
    assert by_rule["dominance-records"] == 51  # 50 listed, the rest counted
    assert by_rule["dominance-contributors"] == 21  # 20 listed
    assert single.stats["rule_stats"]["dominance-contributors"]["dominated_cells"][
        "reports"] > 20
    assert on_cluster.findings == single.findings  # messages, masked samples, order
    assert on_cluster.stats == single.stats
