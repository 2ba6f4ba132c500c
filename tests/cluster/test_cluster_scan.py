"""The identifier scan on the real local cluster gives what the single-process
scan gives: the same ResourceScan (hits, examples with their row numbers, name
shares) and so the same findings, however the file is cut."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from publisher.cluster import passes_for
from publisher.cluster.client import ClusterError
from publisher.cluster.scan import PartScan, prescan, wanted_examples
from publisher.errors import SpecError
from publisher.package.loader import load_package
from publisher.rules import _identifiers
from publisher.rules._identifiers import KEEP
from publisher.rules.policy import Policy, check_package, load_policy
from publisher.settings import load_settings
from tests.cluster.conftest import LocalCluster
from tests.conftest import ROOT

DEFECTS = ROOT / "pipelines" / "samples" / "defect-reports"


def _policy() -> Policy:
    return load_policy("de-open-data")


def _single_scan(source: Path) -> _identifiers.ResourceScan:
    package = load_package(str(source))
    return _identifiers.scan_resource(package.resources[0])


def _cluster_scan(source: Path, address: str, part_bytes: int) -> _identifiers.ResourceScan:
    package = load_package(str(source))
    assert prescan(package, address, part_bytes=part_bytes) == [package.resources[0].name]
    resource = package.resources[0]
    cached = _identifiers._CACHE[id(resource)]
    assert cached[0] is resource
    return cached[2]


def test_defect_reports_scan_is_the_same_cut_in_many_ranges(local_cluster: LocalCluster) -> None:
    single = _single_scan(DEFECTS)
    assert single.hits and any(share.judged for share in single.names.values())
    for part_bytes in (3_000, 40_000):
        scan = _cluster_scan(DEFECTS, local_cluster.address, part_bytes)
        assert scan.columns == single.columns
        assert scan.hits == single.hits  # counts, and examples with their row numbers
        assert scan.names == single.names


def test_defect_reports_findings_are_the_same(local_cluster: LocalCluster) -> None:
    policy = _policy()
    single = check_package(policy, load_package(str(DEFECTS)))
    package = load_package(str(DEFECTS))
    on_cluster = check_package(policy, package, passes=passes_for(local_cluster.address))
    assert single.findings and any(f.row for f in single.findings)
    assert on_cluster.findings == single.findings
    assert on_cluster.stats == single.stats
    # the rules read the scan the workers made, not one of their own
    assert _identifiers._CACHE[id(package.resources[0])][0] is package.resources[0]


def _package(folder: Path, data: bytes, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notes.csv").write_bytes(data)
    (folder / "datapackage.json").write_text(json.dumps({
        "name": "notes", "resources": [{"name": "notes", "path": "notes.csv", "format": "csv",
                                        "encoding": encoding}]}), encoding="utf-8")
    return folder


def _tricky(newline: str) -> bytes:
    rows = ['id,text,contact']
    for i in range(60):
        text = (f'"Meldung {i}: Laterne defekt,{newline}bitte melden unter 0341/{9515700 + i}'
                f'{newline}""dringend"" {newline}"')
        if i % 7 == 0:  # a record longer than some of the ranges
            text = '"' + ("Sehr lange Beschreibung ohne Bezug. " * 12) + \
                f'Kontakt: max.mustermann{i}@example.org"'
        rows.append(f'{i},{text},Frau Claudia Becker')
    return (newline.join(rows) + newline).encode("utf-8")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_quoted_line_breaks_and_long_records_are_cut_at_record_ends(
        tmp_path: Path, local_cluster: LocalCluster, newline: str) -> None:
    source = _package(tmp_path / "tricky", _tricky(newline))
    single = _single_scan(source)
    assert single.hits[("phone", "text")].count == 60 - 9
    for part_bytes in (97, 1_000):
        scan = _cluster_scan(source, local_cluster.address, part_bytes)
        assert scan.hits == single.hits
        assert scan.names == single.names


def test_latin1_file_is_cut_too(tmp_path: Path, local_cluster: LocalCluster) -> None:
    data = _tricky("\n").decode("utf-8").replace("Laterne", "Straßenlaterne").encode("latin-1")
    source = _package(tmp_path / "latin", data, encoding="latin-1")
    single = _single_scan(source)
    scan = _cluster_scan(source, local_cluster.address, 500)
    assert scan.hits == single.hits and scan.names == single.names


def test_blank_lines_count_as_rows_as_in_the_single_process_scan(
        tmp_path: Path, local_cluster: LocalCluster) -> None:
    data = _tricky("\n").replace(b"\n0,", b"\n\n0,", 1).replace(b"\n30,", b"\n\n\n30,", 1)
    source = _package(tmp_path / "blank", data)
    single = _single_scan(source)
    for part_bytes in (200, 700):
        scan = _cluster_scan(source, local_cluster.address, part_bytes)
        assert scan.hits == single.hits and scan.names == single.names
    policy = _policy()
    on_cluster = check_package(policy, load_package(str(source)),
                               passes=passes_for(local_cluster.address))
    assert on_cluster.findings == check_package(policy, load_package(str(source))).findings


def test_ragged_records_are_read_as_the_single_process_scan_reads_them(
        tmp_path: Path, local_cluster: LocalCluster) -> None:
    data = _tricky("\n").replace(b"\n40,", b"\n40,extra,", 1)
    source = _package(tmp_path / "ragged", data)
    policy = _policy()
    single = check_package(policy, load_package(str(source)))
    on_cluster = check_package(policy, load_package(str(source)),
                               passes=passes_for(local_cluster.address))
    assert ("extra-cell", 42) in {(f.type, f.row) for f in single.findings}
    assert on_cluster.findings == single.findings


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    package = load_package(str(DEFECTS))
    with pytest.raises(ClusterError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        prescan(package, "tcp://127.0.0.1:9")


def test_cluster_setting_is_an_address() -> None:
    assert load_settings(cluster="tcp://10.0.0.5:8786").cluster == "tcp://10.0.0.5:8786"
    with pytest.raises(SpecError, match="cluster"):
        load_settings(cluster="10.0.0.5")


def test_examples_come_from_the_first_ranges_that_hold_them() -> None:
    phone, mail = ("phone", "text"), ("email", "text")
    scans = [PartScan(held={phone: 600}), PartScan(held={phone: 600, mail: 2}),
             PartScan(held={phone: 600, mail: 5})]
    assert wanted_examples(scans) == [{phone: 600}, {phone: KEEP - 600, mail: 2}, {mail: 5}]


def test_a_scan_with_more_hits_than_it_keeps_is_the_same(
        reports: Path, local_cluster: LocalCluster) -> None:
    single = _single_scan(reports / "latlon")
    assert max(h.count for h in single.hits.values()) > 2 * KEEP
    scan = _cluster_scan(reports / "latlon", local_cluster.address, 1024**2)
    assert scan.hits == single.hits  # the first KEEP examples of each, rows included
    assert scan.names == single.names
