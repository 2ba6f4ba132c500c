"""The identifier scan of a batch in worker processes (threads cannot split the
Python stage of publisher.detect.scan: patterns, validators, the name finder).

Each column's distinct texts are found here (Arrow), then cut into contiguous
pieces, a few per process; a worker runs both stages of the scan
(`candidates`, `confirm`) on its pieces, whose texts are all distinct, and
returns their matches by position among them. Every distinct text is judged on
its own (the caches of the scan only remember verdicts), so putting the pieces
back in order and repeating each text's matches for its rows gives the
single-process scan's matches, in the same order.

A batch with fewer than `MIN_TEXTS` distinct texts is scanned in this process:
below that, sending the texts costs more than the pool saves. The pool is made
on first use and kept for the life of the process. On Linux its workers are
forked with the name lists and the kinds' tables loaded: from this process
when no other thread runs in it, else from a fork server that loaded them
once (publisher.detect._preload), so no thread's lock is copied in a fork;
elsewhere they are spawned and load the lists from the per-user cache
(publisher.detect.name_cache). Forked from this process, they start with its
objects frozen for the garbage collector (`_fork_frozen`). A pool that breaks (a worker
killed) is dropped and the batch is scanned in this process; so is every batch
of a daemonic process (itself a pool's worker), which may start none.

A batch sent to the pool may bring the sample of short values whose person-name
scores the scan's column shares need (publisher.detect.name_columns.NameShare):
they are judged by one more task per worker, queued after the pieces, so each
worker takes a share as it finishes its pieces, its word judgements warm, while
this process only waits (one task alone left the other workers idle at the end of
a batch: with two workers, a tenth of a 50,000-row scan's wall time).
"""

from __future__ import annotations

import atexit
import gc
import itertools
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import numpy as np
import pyarrow as pa

from publisher.detect.kinds import KINDS, Kind
from publisher.detect.matches import Matches, to_rows
from publisher.detect.name_columns import name_scores
from publisher.detect.name_lists import name_lists
from publisher.detect.scan import Memo, _distinct, candidates, confirm

MIN_TEXTS = 8_192  # distinct texts in a batch from which the pool pays for itself
PIECES_PER_PROCESS = 2  # pieces per worker: one slow piece does not hold up the batch

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_size = 0
_worker_memo: Memo | None = None


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def processes_for(setting: int) -> int:
    """The number of processes a `scan_processes` setting asks for (0: one per core)."""
    return cores() if setting == 0 else setting


class Scanned:
    """The matches of a batch's columns, by row: ready, or coming from the pool."""

    def __init__(self, arrays: Sequence[pa.Array], kinds: Sequence[Kind], memo: Memo,
                 futures: list[tuple[list[tuple[int, int]], Future[list[Matches]]]] | None,
                 distinct: list[tuple[pa.Array, np.ndarray | None]] | None,
                 ready: list[Matches] | None, names: Sequence[str] = (),
                 scores: Sequence[Future[dict[str, int]]] = ()) -> None:
        self._arrays, self._kinds, self._memo = arrays, kinds, memo
        self._futures, self._distinct, self._ready = futures, distinct, ready
        self._names, self._scores = names, scores

    def name_scores(self) -> dict[str, int]:
        """name_columns.name_scores of the values scan_batch was given."""
        if self._scores:
            try:
                return {value: score for future in self._scores
                        for value, score in future.result().items()}
            except BrokenProcessPool:
                _drop_pool()
        return name_scores(self._names)

    def result(self) -> list[Matches]:
        if self._ready is not None:
            return self._ready
        assert self._futures is not None and self._distinct is not None
        parts: list[list[tuple[int, Matches]]] = [[] for _ in self._distinct]
        try:
            for columns, future in self._futures:
                for (column, offset), found in zip(columns, future.result(), strict=True):
                    parts[column].append((offset, found))
        except BrokenProcessPool:
            _drop_pool()
            return _here(self._arrays, self._kinds, self._memo)
        names = tuple(k.name for k in self._kinds)
        return [to_rows(_joined(names, column_parts), cells)
                for column_parts, (_, cells) in zip(parts, self._distinct, strict=True)]

    def cancel(self) -> None:
        for _, future in self._futures or []:
            future.cancel()
        for score in self._scores:
            score.cancel()


def scan_batch(arrays: Sequence[pa.Array], kinds: Sequence[Kind], memo: Memo,
               processes: int, names: Sequence[str] = ()) -> Scanned:
    """Start scanning the columns of a batch for the kinds: in the pool of `processes`
    workers if there are two or more and the batch is big enough, else here (then it
    is done when this returns). Its result() is what confirm(candidates(...)) gives
    for each column; its name_scores() what name_scores(names) gives."""
    if processes < 2:
        return Scanned(arrays, kinds, memo, None, None, _here(arrays, kinds, memo), names)
    distinct = [_distinct(array) for array in arrays]
    total = sum(len(texts) for texts, _ in distinct)
    if total < MIN_TEXTS:
        return Scanned(arrays, kinds, memo, None, None, _here(arrays, kinds, memo), names)
    pool = _get_pool(processes)
    if pool is None:
        return Scanned(arrays, kinds, memo, None, None, _here(arrays, kinds, memo), names)
    kind_names = tuple(k.name for k in kinds)
    futures = []
    scores = []
    try:
        for piece in _pieces([len(texts) for texts, _ in distinct], processes * PIECES_PER_PROCESS):
            texts = [_copy(distinct[column][0], lo, hi) for column, lo, hi in piece]
            futures.append(([(column, lo) for column, lo, _ in piece],
                            pool.submit(_scan_piece, texts, kind_names)))
        distinct_names = list(dict.fromkeys(names))
        for share in np.array_split(np.arange(len(distinct_names)), processes):
            if share.size:
                scores.append(pool.submit(name_scores,
                                          distinct_names[share[0]:share[-1] + 1]))
    except BrokenProcessPool:
        for _, future in futures:
            future.cancel()
        for score in scores:
            score.cancel()
        _drop_pool()
        return Scanned(arrays, kinds, memo, None, None, _here(arrays, kinds, memo), names)
    return Scanned(arrays, kinds, memo, futures, distinct, None, names, scores)


def _here(arrays: Sequence[pa.Array], kinds: Sequence[Kind], memo: Memo) -> list[Matches]:
    return [confirm(found, memo) for found in candidates(list(arrays), kinds)]


def _pieces(sizes: list[int], count: int) -> list[list[tuple[int, int, int]]]:
    """The distinct texts of all columns cut into `count` contiguous pieces of about
    the same size: per piece, (column, first, end) of each column's part in it."""
    total = sum(sizes)
    bounds = np.linspace(0, total, count + 1).round().astype(np.int64).tolist()
    starts = np.cumsum([0, *sizes]).tolist()
    pieces = []
    for lo, hi in itertools.pairwise(bounds):
        piece = []
        for column, size in enumerate(sizes):
            first, end = max(lo - starts[column], 0), min(hi - starts[column], size)
            if first < end:
                piece.append((column, first, end))
        if piece:
            pieces.append(piece)
    return pieces


def _copy(texts: pa.Array, lo: int, hi: int) -> pa.Array:
    """Texts lo..hi as an array of their own (a slice would send all its buffers)."""
    return texts.take(pa.array(np.arange(lo, hi, dtype=np.int64)))


def _joined(names: tuple[str, ...], parts: list[tuple[int, Matches]]) -> Matches:
    """The matches of a column's pieces as one, cells counted over the whole column."""
    if not parts:
        empty = np.empty(0, dtype=np.int64)
        return Matches(names, empty, empty, empty, empty, np.empty(0, dtype=object))
    return Matches(names, np.concatenate([m.kind for _, m in parts]),
                   np.concatenate([m.cell + offset for offset, m in parts]),
                   np.concatenate([m.start for _, m in parts]),
                   np.concatenate([m.end for _, m in parts]),
                   np.concatenate([m.value for _, m in parts]))


def _scan_piece(texts: list[pa.Array], names: tuple[str, ...]) -> list[Matches]:
    """In a worker: both stages of the scan on distinct texts (matches by position)."""
    global _worker_memo
    if _worker_memo is None:
        _worker_memo = Memo()
    kinds = [KINDS[name] for name in names]
    return [confirm(found, _worker_memo) for found in candidates(texts, kinds)]


def _get_pool(processes: int) -> ProcessPoolExecutor | None:
    """The pool of `processes` workers; None where this process may have none (it is
    itself a daemonic worker, as in a process pool or on some Dask workers)."""
    global _pool, _pool_size
    if multiprocessing.current_process().daemon:
        return None
    with _lock:
        if _pool is None or _pool_size != processes:
            if _pool is not None:
                _pool.shutdown(wait=False, cancel_futures=True)
            context = _context()
            _pool = ProcessPoolExecutor(max_workers=processes, mp_context=context)
            _pool_size = processes
            if context.get_start_method() == "fork":
                _fork_frozen(_pool)
        return _pool


def _fork_frozen(pool: ProcessPoolExecutor) -> None:
    """Fork the pool's workers now (a fork pool forks them all at its first task),
    with every object of this process frozen for the garbage collector (gc.freeze):
    a worker's collections then never walk them, so the memory pages they lie in
    stay shared with this process instead of being copied on the walk's writes
    (half the workers' page faults, and CPU, in a fresh 50,000-row scan). This
    process unfreezes them at once, so its own collections are as before."""
    gc.freeze()
    try:
        pool.submit(int)
    finally:
        gc.unfreeze()


# a text of each kind: scanning it loads what the kinds load on first use (the name
# lists, phonenumbers' DE and AT plans, the plate districts, stdnum's registries)
_WARM_UP = ("Herr Klaus Wagner, Tel. 0171 2345678, +43 664 1234567, k.wagner@example.de, "
            "IBAN DE89 3704 0044 0532 0130 00, AT61 1904 3002 3457 3201, Steuer-ID 36 574 "
            "261 809, SVNR 1237 010180, RV-Nr. 12 010180 M 123, Kennzeichen B-AB 1234, "
            "W 12345 A, geb. 12.03.1980, Hauptstr. 12, IP 192.168.0.1, fe80::1",
            "Viele Grüße\nElif Öztürk")


def _context() -> multiprocessing.context.BaseContext:
    """Fork where only this thread runs (workers start in milliseconds, sharing what
    warm_up loaded); with other threads about (the API's, a progress display) a
    fork could copy a lock one of them holds, so a fork server that loaded the same
    once (publisher.detect._preload) forks the workers; spawn where neither exists."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        warm_up()
        return multiprocessing.get_context("fork")
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["publisher.detect._preload"])
    return context


def warm_up() -> None:
    """Load what the kinds load on first use, by scanning a text of each kind."""
    name_lists()
    _here([pa.array(_WARM_UP, pa.string())], list(KINDS.values()), Memo())


def start(processes: int) -> None:
    """Start the pool of `processes` workers now, with what the kinds load on first
    use, rather than at the first batch (a benchmark times the scan without it)."""
    if processes <= 1:
        warm_up()
        return
    pool = _get_pool(processes)
    if pool is None:
        warm_up()
        return
    for _ in pool.map(_started, range(processes * 2)):
        pass


def _started(_: int) -> None:
    """A task that only makes a worker start (and load what warm_up loads)."""
    warm_up()


def _drop_pool() -> None:
    """Drop a broken pool and stop its workers. A worker started while the pool broke
    (a submit spawns one) can wait for ever on the queue lock a killed worker held;
    the pool's manager thread joins it, and so does the interpreter at exit: a run
    would never end."""
    global _pool
    with _lock:
        if _pool is None:
            return
        processes = _pool._processes  # after shutdown no submit spawns another
        _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None
    for process in list((processes or {}).values()):
        process.kill()


def shutdown(wait: bool = True) -> None:
    """Stop the workers (at exit; tests; without waiting when the pool broke)."""
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=wait, cancel_futures=True)
            _pool = None


atexit.register(shutdown)
