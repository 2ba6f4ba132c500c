"""The kept scans of publisher.rules._identifiers are shared by threads (the API
runs pipelines in a thread pool): two checks at once give what each gives alone,
and a scan kept by one thread while another reads the cache breaks nothing."""

from __future__ import annotations

import csv
import json
import threading
import time
from collections import OrderedDict
from pathlib import Path

import pytest

from publisher.package.loader import load_package
from publisher.rules import _identifiers
from publisher.rules.policy import check_package, load_policy


def _package(root: Path, texts: list[str]) -> Path:
    root.mkdir()
    with (root / "meldungen.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "notiz"])
        for i, text in enumerate(texts):
            writer.writerow([i, text])
    (root / "datapackage.json").write_text(json.dumps({
        "name": root.name, "licenses": [{"name": "CC-BY-4.0"}],
        "resources": [{"name": "meldungen", "path": "meldungen.csv", "format": "csv",
                       "schema": {"fields": [{"name": "id", "type": "integer"},
                                             {"name": "notiz", "type": "string"}]}}],
    }), encoding="utf-8")
    return root


class _SlowHits(OrderedDict):
    """A cache whose hits take a while: another thread's scan is kept meanwhile."""

    def get(self, key, default=None):
        found = super().get(key, default)
        if found is not None:
            time.sleep(0.3)
        return found


def test_two_checks_in_threads_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    first = _package(tmp_path / "a", ["Rückruf unter 0171 2345678", "Herr Becker, Hauptstr. 12"]
                     * 20)
    second = _package(tmp_path / "b", ["Mail an k.wagner@example.de", "IBAN DE89 3704 0044 "
                                       "0532 0130 00"] * 20)
    policy = load_policy("de-open-data")

    def findings(path: Path) -> list[dict]:
        return [f.to_dict() for f in check_package(policy, load_package(str(path))).findings]

    alone = [findings(first), findings(second)]
    monkeypatch.setattr(_identifiers, "_CACHE", _SlowHits())
    monkeypatch.setattr(_identifiers, "_CACHE_SIZE", 1)  # each kept scan pushes the other out
    got: dict[int, list[dict]] = {}
    errors: list[BaseException] = []

    def run(i: int, path: Path) -> None:
        try:
            got[i] = findings(path)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, path))
               for i, path in enumerate((first, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [got[0], got[1]] == alone
    assert len(_identifiers._CACHE) == 1


def test_a_hit_survives_a_scan_kept_meanwhile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Thread A finds its resource's scan in the cache; before it marks it as just
    used, thread B keeps another scan, which pushes A's out of the cache."""
    monkeypatch.setattr(_identifiers, "_CACHE", _SlowHits())
    monkeypatch.setattr(_identifiers, "_CACHE_SIZE", 1)
    one = load_package(str(_package(tmp_path / "a", ["Tel. 0171 2345678"] * 5))).resources[0]
    two = load_package(str(_package(tmp_path / "b", ["Herr Becker"] * 5))).resources[0]
    kept = _identifiers.scan_resource(one)
    other = _identifiers.scan_resource(two)
    _identifiers.remember_scan(one, kept)
    errors: list[BaseException] = []
    seen: list[object] = []

    def hit() -> None:
        try:
            seen.append(_identifiers.scan_resource(one))
        except BaseException as exc:  # reported below
            errors.append(exc)

    reader = threading.Thread(target=hit)
    reader.start()
    time.sleep(0.1)  # the reader is inside the cache's slow hit
    _identifiers.remember_scan(two, other)
    reader.join()
    assert errors == []
    assert seen == [kept]
