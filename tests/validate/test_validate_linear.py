"""Table Schema patterns run on RE2, in linear time, in the engine and in
frictionless alike (publisher.validate.linear), with Python's meaning."""

from __future__ import annotations

import json
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import frictionless as fl
import pytest

from publisher.package.loader import load_package
from publisher.validate import validate_package
from publisher.validate.linear import Unexpressible, compile_re2, problem, to_re2


@contextmanager
def bounded(seconds: int) -> Iterator[None]:
    """Fail (rather than hang the suite) if the block runs past `seconds`; a
    backtracking engine would take hours on these inputs, RE2 milliseconds."""
    def stop(signum: int, frame: object) -> None:
        raise AssertionError(f"still running after {seconds} s: the pattern backtracks")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


AGREE = [
    (r"[0-9]{5}", ["04109", "0410", "041090", "٠٤١٠٩", ""]),
    (r"\d+(,\d+)?", ["12", "12,5", "١٢", "12,", "a1"]),
    (r"\w+", ["Müller", "Straße", "a_b", "a b", "Ⅻ", "é"]),
    (r"[A-ZÄÖÜ][a-zäöüß]+", ["Äpfel", "äpfel", "Straße", "X"]),
    (r"(?i:straße|weg)", ["STRASSE", "Straße", "WEG", "Weg", "pfad"]),
    (r"\s*x\s*", [" x ", "\u00a0x\u2009", "\tx", "y"]),
    (r"[^\d\s]+", ["abc", "a1", "a b", "ä"]),
    (r"[\D]+", ["abc", "a1"]),
    (r"\W+", ["!?", "a!"]),
    (r"SP-[0-9]{4}|[A-Z]{2}\.[0-9]+", ["SP-0001", "AB.12", "AB12", "sp-0001"]),
    (r"(a|ab)(c|bcd)(d*)", ["abcd", "acd", "abcdd", "abd"]),
    (r".+", ["x", "a\nb", ""]),
    (r"\u00e4|\x41|\N{LATIN SMALL LETTER SHARP S}", ["ä", "A", "ß", "a"]),
]


@pytest.mark.parametrize(("pattern", "cells"), AGREE, ids=[p for p, _ in AGREE])
def test_re2_agrees_with_python_on_whole_cells(pattern: str, cells: list[str]) -> None:
    compiled = compile_re2(to_re2(f"^{pattern}$"))
    for cell in cells:
        expected = re.match(f"^{pattern}$", cell) is not None
        assert (compiled.match(cell) is not None) is expected, (pattern, cell)


def test_end_of_pattern_means_end_of_cell() -> None:
    """The one deliberate difference: Python's `$` also matches before a final
    line break; a Table Schema pattern means the whole value."""
    assert re.match(r"^[0-9]{5}$", "04109\n")
    assert compile_re2(to_re2(r"^[0-9]{5}$")).match("04109\n") is None


@pytest.mark.parametrize(("pattern", "reason"), [
    (r"(?P<x>a)(?P=x)", "backreference"),
    (r"(a)\1", "backreference"),
    (r"(?=a)a", "lookahead"),
    (r"(?<!x)a", "negative lookahead or lookbehind"),
    (r"(?>a+)b", "atomic group"),
    (r"a++b", "possessive repeat"),
    (r"(a)?(?(1)b|c)", "conditional"),
    (r"\bword\b", "word boundary"),
    (r"[\Wa]", r"\W or \S"),
    (r"a{2000}", "repetition size"),
])
def test_what_re2_cannot_run_is_refused_with_its_reason(pattern: str, reason: str) -> None:
    with pytest.raises(Unexpressible, match=re.escape(reason)):
        to_re2(f"^{pattern}$")
    found = problem(pattern)
    assert found is not None and "cannot be checked in linear time" in found


def test_invalid_pattern_is_still_called_invalid() -> None:
    assert problem("([a-z]") == ("the constraint pattern is not a valid regular expression "
                                 "(missing ), unterminated subpattern)")
    assert problem("[0-9]{5}") is None


def test_frictionless_cell_reader_uses_re2() -> None:
    """frictionless compiles `pattern` with the module's `re`: once publisher.validate
    is imported, that is RE2, so a megabyte of a's answers at once."""
    field = fl.fields.StringField(name="code", constraints={"pattern": "(a+)+b"})
    reader = field.create_cell_reader()
    with bounded(20):
        _, notes = reader("a" * 1024**2)
    assert notes is not None and "pattern" in notes
    assert reader("aaab")[1] is None


def _package(root: Path, cells: list[str], pattern: str) -> Path:
    root.mkdir()
    (root / "data.csv").write_text("code\n" + "\n".join(cells) + "\n", encoding="utf-8")
    (root / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [{
        "name": "codes", "path": "data.csv", "format": "csv",
        "schema": {"fields": [{"name": "code", "type": "string",
                               "constraints": {"pattern": pattern}}]}}]}), encoding="utf-8")
    return root


@pytest.mark.parametrize("engine", [True, False], ids=["engine", "frictionless"])
def test_megabyte_adversarial_cells_validate_in_linear_time(tmp_path: Path,
                                                            engine: bool) -> None:
    cells = ["a" * 1024**2, "a" * 1024**2 + "c", "aab", "x" * 40 + "y"]
    package = load_package(_package(tmp_path / "p", cells, "(a+)+b|(x+x+)+y"))
    with bounded(60):
        report = validate_package(package, engine=engine)
    rows = sorted(f.row for f in report.findings if f.type == "constraint-error")
    assert rows == [2, 3]
    assert all("aaaa" not in f.message for f in report.findings)


def test_unexpressible_pattern_is_a_schema_error_and_no_record_is_read(tmp_path: Path) -> None:
    package = load_package(_package(tmp_path / "p", ["AA-1"], r"(?P<x>[A-Z])(?P=x)-[0-9]+"))
    report = validate_package(package)
    errors = [f for f in report.findings if f.type == "schema-error"]
    assert len(errors) == 1 and errors[0].field == "code"
    assert "backreference" in errors[0].message
    assert not report.valid
