"""publisher.detect.pool.start: the scan's set-up done before the first batch (the
worker processes started), so that a benchmark can time the scan without it; the
scan after it finds what a scan without it finds."""

from __future__ import annotations

import pyarrow as pa

from publisher.detect import KINDS, pool
from publisher.detect.scan import Memo


def test_start_makes_the_workers_before_the_first_batch() -> None:
    pool.shutdown()
    try:
        pool.start(2)
        assert pool._pool is not None and pool._pool_size == 2
        assert len(pool._pool._processes) == 2  # both started, before any batch
    finally:
        pool.shutdown()


def test_start_for_one_process_makes_no_pool() -> None:
    pool.shutdown()
    pool.start(1)
    assert pool._pool is None


def test_a_scan_after_start_finds_the_same() -> None:
    texts = pa.array(["Tel. 0171 2345678, anna@example.de", "Hauptstr. 12", "nichts"] * 400)
    kinds = list(KINDS.values())
    alone = pool.scan_batch([texts], kinds, Memo(), 1).result()
    pool.shutdown()
    try:
        pool.start(2)
        started = pool.scan_batch([texts], kinds, Memo(), 2).result()
    finally:
        pool.shutdown()
    assert [m.frame().to_dict("list") for m in started] == \
        [m.frame().to_dict("list") for m in alone]
