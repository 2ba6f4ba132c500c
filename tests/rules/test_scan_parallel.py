"""The resource scan with worker threads (the Arrow stage of later batches run
ahead) gives what a serial scan gives: counts, examples with their rows, name
shares, and the findings of the whole policy."""

import functools
from pathlib import Path

import pytest

from publisher.package import batches
from publisher.package.loader import load_package
from publisher.rules import _identifiers
from publisher.rules.policy import check_package, load_policy
from tests.rules.scan_package import reports_package

TEXTS = ["Rückruf unter 0171 2345678 bitte", "Laterne defekt", "IBAN DE89 3704 0044 0532 0130 00",
         "Herr Becker hat angerufen, Hauptstr. 12", "geb. 12.03.1980, Steuer-ID 36 574 261 809",
         "Kennzeichen B-AB 1234 parkt", "IP 192.168.0.1 gesperrt", ""]
NAMES = ["Klaus Wagner", "Elif Öztürk", "Anna Müller", ""]


def _package(root: Path, rows: int) -> Path:
    return reports_package(root, (_row(i) for i in range(rows)))


def _row(i: int) -> tuple[str, str, str]:
    text = TEXTS[i % len(TEXTS)]
    if i % 7 == 0:  # texts of their own beside the repeated ones
        text = f"Rückruf {i}: Tel. 0341 {1000000 + i * 37}, Mail an n{i}@example.de"
    return text, NAMES[i % len(NAMES)], f"person{i % 301}@example.org"


def _scan(package_dir: Path, workers: int, in_memory: bool) -> tuple[object, list[dict]]:
    _identifiers._CACHE.clear()
    package = load_package(str(package_dir))
    if in_memory:
        package.resources[0].table()
    scan = _identifiers.scan_resource(package.resources[0], workers=workers)
    got = (scan.columns, {key: (hits.count, hits.examples) for key, hits in scan.hits.items()},
           {name: vars(share) for name, share in scan.names.items()})
    _identifiers._CACHE.clear()
    _identifiers.WORKERS = workers
    report = check_package(load_policy("de-open-data"), load_package(str(package_dir)))
    return got, [finding.to_dict() for finding in report.findings]


@pytest.mark.parametrize("in_memory", [False, True], ids=["csv-stream", "in-memory"])
def test_threaded_scan_gives_the_serial_scan(tmp_path, monkeypatch, in_memory):
    monkeypatch.setattr(_identifiers, "iter_batches",
                        functools.partial(batches.iter_batches, batch_rows=50))
    monkeypatch.setattr(_identifiers, "WORKERS", _identifiers.WORKERS)
    package_dir = _package(tmp_path, 1300)  # 26 batches
    serial, serial_findings = _scan(package_dir, 0, in_memory)
    threaded, threaded_findings = _scan(package_dir, 2, in_memory)
    assert threaded == serial
    assert threaded_findings == serial_findings
    hits = serial[1]
    emails = hits[("email", "email")]
    assert emails[0] == 1300 and len(emails[1]) == _identifiers.KEEP  # capped, over batches
    assert [row for row, _ in emails[1]] == list(range(2, 2 + _identifiers.KEEP))
    assert {kind for kind, column in hits if column == "notiz"} >= {
        "phone", "iban", "email", "street-address", "de-tax-id", "date-of-birth", "de-plate",
        "ip-address", "person-name"}
    assert any(f["rule"] == "person-name-in-text" and f["field"] == "melder"
               for f in serial_findings)
