"""The identifier scan in worker processes (publisher.detect.pool) gives what the
single-process scan gives: the same matches in the same order, the same counts,
examples with their rows, name shares, and findings of the whole policy."""

from __future__ import annotations

import functools
import gc
import random
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from publisher.detect import KINDS, pool
from publisher.detect.scan import Memo
from publisher.package import batches
from publisher.package.loader import load_package
from publisher.rules import _identifiers
from publisher.rules.policy import check_package, load_policy
from tests.rules.scan_package import reports_package

ZWSP, RLO, PDF = "\u200b", "\u202e", "\u202c"
TEMPLATES = [
    "Rückruf unter {phone} bitte", "Tel. {phone}, {name}", "Mail an {email}",
    "{name} hat angerufen", "Erstattung auf {iban}", "Herr {surname} wohnt {street}",
    "geb. {date}, Steuer-ID 36 574 261 809",
    "Kennzeichen {plate} parkt vor {street}", "IP {ip} gesperrt", "Viele Grüße\n{name}",
    "Laterne defekt am {street}", "Version 1.2.3.4 installiert", "Bestellnr. 12345678901",
    "Kontakt {RLO}ed.elpmaxe@reiem_anna{PDF} danke", "Handy ０１７６ ４７{ZWSP}６３７０９６",
    "Albert-Schweitzer-Schule, Bäckerei {surname}", "{name}, {email}, {phone}",
]
FIRST = ["Klaus", "Elif", "Anna", "Jürgen", "Taanish", "Neşrin", "Hans-Peter"]
SURNAMES = ["Wagner", "Öztürk", "Müller", "Becker", "Çamurcuoğlu", "Krause", "Kranz"]


def _texts(n: int, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    for i in range(n):
        surname = rng.choice(SURNAMES)
        yield rng.choice(TEMPLATES).format(
            phone=rng.choice(["0171/", "(0231) ", "+49 (0)89 ", "0043 1 "]) + str(
                rng.randrange(1_000_000, 9_999_999)),
            name=f"{rng.choice(FIRST)} {surname}", surname=surname,
            email=f"{surname.lower()}{i}@example.de",
            iban=rng.choice(["DE89 3704 0044 0532 0130 00", "de89370400440532013000",
                             "AT61 1904 3002 3457 3201"]),
            street=rng.choice(["Hauptstr.", "Am Hang ", "Schillergasse "]) + str(
                rng.randrange(1, 99)),
            date=f"{rng.randrange(1, 28)}.{rng.randrange(1, 12)}.19{rng.randrange(40, 99)}",
            plate=rng.choice(["B-AB 1234", "M XY 77", "W 12345 A"]),
            ip=f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            RLO=RLO, PDF=PDF, ZWSP=ZWSP)


def _same(a, b) -> None:
    assert a.kinds == b.kinds
    for field in ("kind", "cell", "start", "end", "value"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(pool, "MIN_TEXTS", 10)  # the pool for test-sized batches
    yield
    pool.shutdown()


def test_pool_matches_are_the_single_process_matches(small_batches):
    texts = list(_texts(3000, seed=5))
    repeated = [texts[i % 700] if i % 3 else None for i in range(2000)]  # repeats, nulls
    arrays = [pa.array(texts, pa.string()), pa.array(repeated, pa.string()),
              pa.array(["Klaus Wagner", "Hauptstr. 1", ""] * 50, pa.string())]
    kinds = list(KINDS.values())
    alone = pool.scan_batch(arrays, kinds, Memo(), 1).result()
    spread = pool.scan_batch(arrays, kinds, Memo(), 3)
    assert spread._futures, "the batch went to the pool"
    got = spread.result()
    assert len(got) == len(alone)
    for a, b in zip(got, alone, strict=True):
        _same(a, b)
    assert len(alone[0]) > 3000 and {alone[0].kinds[k] for k in set(alone[0].kind.tolist())} >= {
        "phone", "email", "iban", "person-name", "street-address", "ip-address"}


def test_the_pool_judges_the_name_share_sample(small_batches):
    from publisher.detect.name_columns import name_scores

    arrays = [pa.array(list(_texts(500, seed=6)), pa.string())]
    values = ["Klaus Wagner", "Wagner", "Laterne defekt", "Öztürk, Elif", "Wagner", "Rose"]
    spread = pool.scan_batch(arrays, list(KINDS.values()), Memo(), 2, names=values)
    assert len(spread._scores) == 2  # one share of the distinct values per worker
    scores = spread.name_scores()
    assert scores == name_scores(values) and scores["Klaus Wagner"] == 2
    assert scores["Laterne defekt"] == 0
    here = pool.scan_batch(arrays, list(KINDS.values()), Memo(), 1, names=values)
    assert not here._scores and here.name_scores() == scores


def test_small_batches_stay_in_this_process():
    arrays = [pa.array(["Tel. 0171 2345678", "Herr Becker"], pa.string())]
    scanned = pool.scan_batch(arrays, list(KINDS.values()), Memo(), 4)
    assert scanned._futures is None  # fewer than MIN_TEXTS distinct texts


def test_pieces_cover_every_text_once_in_order():
    pieces = pool._pieces([5, 0, 7, 1], 4)
    flat = [(c, i) for piece in pieces for c, lo, hi in piece for i in range(lo, hi)]
    assert flat == [(c, i) for c, n in enumerate([5, 0, 7, 1]) for i in range(n)]
    assert len(pieces) == 4


def _package(root: Path, rows: int) -> Path:
    return reports_package(root, ((text, f"{FIRST[i % 7]} {SURNAMES[i % 5]}",
                                   f"p{i % 301}@example.org")
                                  for i, text in enumerate(_texts(rows, seed=11))))


def _scan(package_dir: Path, processes: int, monkeypatch: pytest.MonkeyPatch):
    _identifiers._CACHE.clear()
    scan = _identifiers.scan_resource(load_package(str(package_dir)).resources[0],
                                      processes=processes)
    got = (scan.columns, {key: (hits.count, hits.examples) for key, hits in scan.hits.items()},
           {name: vars(share) for name, share in scan.names.items()})
    _identifiers._CACHE.clear()
    monkeypatch.setenv("PUBLISHER_SCAN_PROCESSES", str(processes))  # the setting
    report = check_package(load_policy("de-open-data"), load_package(str(package_dir)))
    return got, [finding.to_dict() for finding in report.findings]


def test_resource_scan_in_processes_gives_the_single_process_scan(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_batches):
    monkeypatch.setattr(_identifiers, "iter_batches",
                        functools.partial(batches.iter_batches, batch_rows=400))
    package_dir = _package(tmp_path, 2500)  # 7 batches
    calls: list[int] = []
    judged: list[bool] = []
    real = pool.scan_batch

    def counted(arrays, kinds, memo, processes, **kwargs):
        scanned = real(arrays, kinds, memo, processes, **kwargs)
        calls.append(len(scanned._futures or []))
        judged.append(scanned._scores is not None)
        return scanned

    monkeypatch.setattr(_identifiers, "scan_batch", counted)
    alone, alone_findings = _scan(package_dir, 1, monkeypatch)
    assert calls == []
    spread, spread_findings = _scan(package_dir, 2, monkeypatch)
    assert calls and all(n == 2 * pool.PIECES_PER_PROCESS for n in calls[:7])
    assert all(judged[:7])  # the name-share samples were judged by the pool
    assert spread == alone  # name shares too
    assert spread_findings == alone_findings
    assert len(alone[1]) >= 8 and any(f.get("field") == "melder" for f in alone_findings)


def test_scan_processes_setting(monkeypatch: pytest.MonkeyPatch):
    from publisher.settings import load_settings

    monkeypatch.delenv("PUBLISHER_SCAN_PROCESSES", raising=False)
    assert load_settings().scan_processes == 0
    assert pool.processes_for(0) == pool.cores() >= 1
    assert pool.processes_for(1) == 1
    monkeypatch.setenv("PUBLISHER_SCAN_PROCESSES", "3")
    assert load_settings().scan_processes == 3


def test_a_broken_pool_is_dropped_and_the_batch_scanned_here(small_batches):
    arrays = [pa.array(list(_texts(400, seed=3)), pa.string())]
    kinds = list(KINDS.values())
    alone = pool.scan_batch(arrays, kinds, Memo(), 1).result()
    workers = pool._get_pool(2)
    assert workers is not None
    workers.submit(int, "1").result()  # the workers are up
    processes = workers._processes  # the submits below may start more
    for process in list(processes.values()):
        process.kill()
        process.join()
    broken = pool.scan_batch(arrays, kinds, Memo(), 2, names=["Klaus Wagner"])
    _same(broken.result()[0], alone[0])
    assert pool._pool is None  # dropped; the next big batch makes a new one
    assert broken.name_scores() == {"Klaus Wagner": 2}  # judged here
    # none of its workers is left waiting on the queue a killed one held: the pool's
    # manager thread, and the interpreter at exit, would wait on it for ever
    for process in list(processes.values()):
        process.join(10)
        assert not process.is_alive()


def test_a_daemonic_process_scans_in_itself(monkeypatch: pytest.MonkeyPatch, small_batches):
    import multiprocessing

    monkeypatch.setattr(multiprocessing.current_process(), "daemon", True, raising=False)
    arrays = [pa.array(list(_texts(100, seed=4)), pa.string())]
    scanned = pool.scan_batch(arrays, list(KINDS.values()), Memo(), 2)
    assert scanned._futures is None and len(scanned.result()[0])


def test_with_other_threads_the_workers_come_from_a_fork_server(small_batches):
    texts = list(_texts(1500, seed=9))
    arrays = [pa.array(texts, pa.string())]
    kinds = list(KINDS.values())
    alone = pool.scan_batch(arrays, kinds, Memo(), 1).result()
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)  # as the API's threads or a progress display
    other.start()
    try:
        spread = pool.scan_batch(arrays, kinds, Memo(), 2)
        assert spread._futures, "the batch went to the pool"
        assert pool._pool is not None
        assert pool._pool._mp_context.get_start_method() == "forkserver"
        got = spread.result()
        # the server froze what it loaded: a worker's collector never walks it
        assert pool._pool.submit(gc.get_freeze_count).result() > 10_000
    finally:
        stop.set()
        other.join()
    _same(alone[0], got[0])
