"""Cutting a CSV file into ranges (publisher.cluster.scan.cut) reads the file once
to count quotes and then each range's first record end, whatever share of the
range starts falls inside quoted cells: searched with the wrong parity every
record end looks quoted and the search ran to the end of the file, so cutting
grew with the square of the file's size. The client's side is run here with a
client that runs each task at once; tests/cluster/test_cluster_scan.py runs it on
the workers."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from publisher.cluster import parts, scan
from publisher.cluster.parts import read_part
from publisher.package.loader import load_package


class AtOnce:
    """Runs each task as it is handed over."""

    def map(self, task: Callable[..., Any], *arguments: Iterable[Any]) -> list[Any]:
        return [task(*one) for one in zip(*arguments, strict=True)]

    def gather(self, results: list[Any]) -> list[Any]:
        return results


def test_cutting_reads_the_file_about_once(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    note = "lange Beschreibung, mit Komma, " * 4  # most bytes lie inside quotes
    lines = ["id,note", *(f'{i},"{note}{i}"' for i in range(60_000))]
    path = folder / "r.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    (folder / "datapackage.json").write_text(
        '{"name": "p", "resources": [{"name": "r", "path": "r.csv", "format": "csv"}]}',
        "utf-8")
    resource = load_package(str(folder)).resources[0]
    read = [0]

    class Counting:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> Counting:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def seek(self, at: int) -> int:
            return int(self.handle.seek(at))

        def read(self, n: int = -1) -> bytes:
            block: bytes = self.handle.read(n)
            read[0] += len(block)
            return block

    monkeypatch.setattr(parts, "open", lambda *a, **k: Counting(builtins.open(*a, **k)),  # noqa: SIM115
                        raising=False)
    size = path.stat().st_size
    cut = scan.cut(AtOnce(), resource, path, ("id", "note"), ("id",),  # type: ignore[arg-type]
                   size // 40)
    monkeypatch.undo()
    assert len(cut) >= 39
    assert read[0] < size + len(cut) * 2 * 65_536  # the counts, then a block a range
    assert sum(read_part(part).num_rows for part in cut) == 60_000
