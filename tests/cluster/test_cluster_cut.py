"""The first pass of cutting a CSV file into ranges (publisher.cluster.parts.first_cut)
reads its own range and the next record end, not the rest of the file: a range that
begins outside quotes is never searched as if inside them (every record end would
then look quoted, and the search ran to the end of the file: cutting grew with the
square of the file's size)."""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import pytest

from publisher.cluster import parts


def test_first_cut_reads_its_range_and_the_next_record_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.csv"
    lines = ["id,note"] + [f'{i},"quoted, {i}"' for i in range(200_000)]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    size = path.stat().st_size
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

    monkeypatch.setattr(parts, "open", lambda *a, **k: Counting(builtins.open(*a, **k)),
                        raising=False)
    start, end = 1_000_000, 1_100_000
    found = parts.first_cut(str(path), start, end, b'"', size)
    assert start < found.even < start + 100
    assert path.read_bytes()[found.even - 1:found.even] == b"\n"
    assert read[0] < (end - start) + 2 * 1024**2  # the range and one read block beyond
    assert size > 4 * 1024**2
