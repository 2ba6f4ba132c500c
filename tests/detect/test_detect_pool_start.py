"""publisher.detect.pool.start: the scan's set-up done before the first batch (the
worker processes started), so that a benchmark can time the scan without it; the
scan after it finds what a scan without it finds."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys

import pyarrow as pa
import pytest

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


# run in a fresh process: a test process whose earlier tests left threads running
# forks no workers itself (they come from the fork server then)
_FROZEN = """
import gc, json, threading
from publisher.detect import pool
assert threading.active_count() == 1
before = gc.get_freeze_count()
pool.start(2)
assert pool._pool is not None
frozen = [pool._pool.submit(gc.get_freeze_count).result() for _ in range(4)]
pool.shutdown()
print(json.dumps({"frozen": frozen, "before": before, "after": gc.get_freeze_count()}))
"""


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_forked_workers_start_with_this_process_objects_frozen() -> None:
    """A forked worker's collector never walks what it inherited (so it copies no
    page for it); this process's own collector is left as it was."""
    done = subprocess.run([sys.executable, "-c", _FROZEN], capture_output=True, text=True,
                          check=False, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert min(seen["frozen"]) > 10_000  # the modules, the kinds, the name lists' objects
    assert seen["after"] == seen["before"]
