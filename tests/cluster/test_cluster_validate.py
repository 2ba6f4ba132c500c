"""Validation with the cluster set: the workers check the CSV records of their
byte ranges, and the report (findings, row numbers, counts) is the one of a
run in one process, on a file with bad cells, a duplicate key and a ragged
record spread over many ranges, and on lat/lon and WKT files with bad
positions (the workers run the geometry checks too); a file whose quoted cells
hold line breaks is validated by the client, with the same result."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from publisher.cli import app
from publisher.cluster import passes_for
from publisher.cluster import validate as cluster_validate
from publisher.package.loader import load_package
from publisher.report import Report
from publisher.validate import validate_package
from publisher.validate.engine import stream
from tests.cluster.conftest import LocalCluster
from tests.conftest import ROOT

CASE = ROOT / "tests" / "cases" / "cluster" / "bad-counts"
ROWS = 40_000
BAD = {  # record index -> the row's text
    7: "7,S-7,2024-05-01T07:00:00,abc,0.5,x",  # bikes not an integer
    15_001: "15001,,2024-05-01T07:00:00,3,0.5,x",  # station required
    22_222: "22222,S-22222-TOO-LONG,2024-05-01T07:00:00,3,0.5,x",  # maxLength
    30_000: "30000,S-1,not a time,-4,0.5,x",  # datetime and minimum
    31_000: "12,S-1,2024-05-01T07:00:00,3,0.5,x",  # duplicate primary key (12)
    39_998: "39998,S-1,2024-05-01T07:00:00,3,0.5",  # ragged: a cell missing
}


def _package(root: Path, quoted_newline: bool = False) -> Path:
    shutil.copytree(CASE, root)
    rng = random.Random(22)
    lines = ["id,station,hour,bikes,share,note"]
    for i in range(ROWS):
        note = '"a\nb"' if quoted_newline and i == 20_000 else f"note {rng.randrange(99)}"
        lines.append(BAD.get(i, f"{i},S-{i % 97},2024-05-01T{i % 24:02d}:00:00,"
                                f"{rng.randrange(400)},{rng.random():.3f},{note}"))
    (root / "counts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def _seen(report: Report) -> list[tuple[Any, ...]]:
    return [(f.type, f.rule, f.resource, f.field, f.row, f.message, f.severity)
            for f in report.findings]


@pytest.fixture
def small_ranges(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ranges of 64 kB, so that the 1.1 MB file is cut into about 17 (the client
    cuts the file: the workers only parse the ranges they are given)."""
    monkeypatch.setattr(stream, "CHUNK_SIZE", 64 << 10)


def test_the_workers_find_what_one_process_finds(local_cluster: LocalCluster, tmp_path: Path,
                                                 small_ranges: None,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    package = load_package(str(_package(tmp_path / "pkg")))
    alone = validate_package(package)
    calls: list[int] = []
    on_workers = cluster_validate.validate_ranges_on

    def recorded(*args: Any, **kwargs: Any) -> Any:
        results = on_workers(*args, **kwargs)
        calls.append(-1 if results is None else len(results))
        return results

    monkeypatch.setattr(cluster_validate, "validate_ranges_on", recorded)
    spread = validate_package(load_package(str(tmp_path / "pkg")),
                              ranges=passes_for(local_cluster.address).validate_ranges)
    assert calls and calls[0] > 10  # checked on the workers, range by range
    assert not alone.valid and not spread.valid
    assert _seen(spread) == _seen(alone)
    assert spread.stats["resources"] == alone.stats["resources"]
    rows = {f.row for f in alone.findings if f.row is not None}
    assert {9, 15_003, 22_224, 30_002, 31_002, 40_000} <= rows  # record index + 2


def test_quoted_line_breaks_are_validated_by_the_client(local_cluster: LocalCluster,
                                                        tmp_path: Path, small_ranges: None
                                                        ) -> None:
    root = _package(tmp_path / "pkg", quoted_newline=True)
    alone = validate_package(load_package(str(root)))
    spread = validate_package(load_package(str(root)),
                              ranges=passes_for(local_cluster.address).validate_ranges)
    assert _seen(spread) == _seen(alone)
    assert any(f.row == 31_002 for f in spread.findings)  # the duplicate key, after the break


def test_validate_takes_the_cluster_option(local_cluster: LocalCluster, tmp_path: Path) -> None:
    root = _package(tmp_path / "pkg")
    result = CliRunner().invoke(app, ["validate", str(root), "--json", "--quiet",
                                      "--cluster", local_cluster.address])
    assert result.exit_code == 1, result.output
    rows = sorted({f["row"] for f in json.loads(result.output)["findings"]})
    assert rows == [9, 15_003, 22_224, 30_002, 31_002, 40_000]


def _bad_positions(source: Path, target: Path) -> None:
    """The generated reports with some positions made wrong: swapped, outside the
    extent, empty, not a number (lat/lon) or not WKT."""
    shutil.copytree(source, target)
    csv = next(target.glob("*.csv"))
    lines = csv.read_text("utf-8").splitlines()
    wkt = lines[0].endswith(",wkt,status")
    for n, index in enumerate(range(5, len(lines), max(1, len(lines) // 6))):
        cells = lines[index].split(",")
        if wkt:
            cells[-2] = ["POINT (51.3 12.3)", "POINT (2.0 40.0)", "", "POINT (1 2"][n % 4]
        else:
            cells[-3], cells[-2] = [(cells[-2], cells[-3]), ("40.0", "2.0"), ("", ""),
                                    ("n/a", "12.3")][n % 4]
        lines[index] = ",".join(cells)
    csv.write_text("\n".join(lines) + "\n", "utf-8")


@pytest.mark.parametrize("shape", ["latlon", "wkt"])
def test_the_geometry_checks_run_on_the_workers_too(local_cluster: LocalCluster, reports: Path,
                                                    tmp_path: Path, shape: str,
                                                    small_ranges: None,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _bad_positions(reports / shape, tmp_path / shape)
    alone = validate_package(load_package(str(tmp_path / shape)))
    tapped: list[bool] = []
    on_workers = cluster_validate.validate_ranges_on

    def recorded(*args: Any, **kwargs: Any) -> Any:
        results = on_workers(*args, **kwargs)
        tapped.extend(r[5] is not None for r in results or [])
        return results

    monkeypatch.setattr(cluster_validate, "validate_ranges_on", recorded)
    spread = validate_package(load_package(str(tmp_path / shape)),
                              ranges=passes_for(local_cluster.address).validate_ranges)
    assert len(tapped) > 10 and all(tapped)  # the workers ran the geometry checks
    assert {"empty-geometry", "out-of-extent"} <= {f.type for f in alone.findings}
    assert _seen(spread) == _seen(alone)
    assert spread.stats["resources"] == alone.stats["resources"]
