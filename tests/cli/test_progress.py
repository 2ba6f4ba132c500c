"""Progress of long work: the stages report rows or bytes through a typed callback
(publisher.progress), and the command line draws it on stderr only when that is a
terminal (publisher.progress_display), never with --quiet or --json."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from publisher.package.loader import load_package
from publisher.pipeline.run import Status, run_pipeline
from publisher.progress import Total, Unit, records
from publisher.progress_display import Display
from publisher.rules.policy import check_package, load_policy
from publisher.settings import load_settings
from publisher.validate import validate_package
from tests.conftest import ROOT

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Recorder:
    """A Progress that keeps what it was told."""

    def __init__(self) -> None:
        self.events: list[tuple[Any, ...]] = []

    def start(self, what: str, total: Total, unit: Unit) -> None:
        self.events.append(("start", what, total() if callable(total) else total, unit))

    def advance(self, amount: int) -> None:
        self.events.append(("advance", amount))

    def finish(self) -> None:
        self.events.append(("finish",))

    def work(self, what: str) -> tuple[tuple[Any, ...], list[int], bool]:
        """The start of `what`, the amounts advanced until the next start, and
        whether it was finished."""
        at = next(i for i, e in enumerate(self.events) if e[:2] == ("start", what))
        after = list(self.events[at + 1:])
        end = next((i for i, e in enumerate(after) if e[0] == "start"), len(after))
        amounts = [e[1] for e in after[:end] if e[0] == "advance"]
        return self.events[at], amounts, ("finish",) in after[:end]


def write_package(root: Path, rows: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "notes.csv", "w", encoding="utf-8") as out:
        out.write("id,note,amount\n")
        for i in range(rows):
            out.write(f"{i},Vermerk {i} ohne Personenbezug,{i % 97}\n")
    fields = [{"name": "id", "type": "integer"}, {"name": "note", "type": "string"},
              {"name": "amount", "type": "integer"}]
    (root / "datapackage.json").write_text(json.dumps({
        "name": "notes", "licenses": [{"name": "CC0-1.0",
                                       "path": "https://creativecommons.org/publicdomain/zero/1.0/"}],
        "resources": [{"name": "notes", "path": "notes.csv", "format": "csv",
                       "schema": {"fields": fields}}]}), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_package(tmp_path_factory.mktemp("progress") / "notes", 20_000)


def test_the_engine_reports_the_bytes_it_validates(notes: Path) -> None:
    recorder = Recorder()
    report = validate_package(load_package(str(notes)), progress=recorder)
    assert report.valid
    csv_file = notes / "notes.csv"
    start, amounts, finished = recorder.work("notes: validate")
    assert start == ("start", "notes: validate", csv_file.stat().st_size, "bytes")
    header = len(csv_file.read_bytes().split(b"\n", 1)[0]) + 1
    assert sum(amounts) == csv_file.stat().st_size - header and all(a > 0 for a in amounts)
    assert finished


def test_the_identifier_scan_reports_the_rows_it_scans(notes: Path) -> None:
    recorder = Recorder()
    check_package(load_policy("de-open-data"), load_package(str(notes)), progress=recorder)
    assert ("start", "check: email-in-text", None, "rows") in recorder.events
    start, amounts, finished = recorder.work("notes: identifier scan")
    assert start == ("start", "notes: identifier scan", 20_000, "rows")
    assert sum(amounts) == 20_000 and len(amounts) >= 1 and finished


def test_a_csv_files_records_are_counted_without_parsing_it(tmp_path: Path) -> None:
    package = load_package(str(write_package(tmp_path / "p", 1234)))
    (resource,) = package.resources
    assert records(resource)() == 1234
    (tmp_path / "p" / "notes.csv").write_bytes(b"id,note,amount\n1,a,2\n3,b,4")
    assert records(resource)() == 2  # no newline after the last record
    resource.table()
    assert records(resource)() == 2  # in memory: its length


def test_each_step_reports_the_rows_it_sees(home: Path) -> None:
    recorder = Recorder()
    result = run_pipeline(ROOT / "pipelines" / "defect-reports.yaml", load_settings(home=home),
                          progress=recorder)
    assert result.status is Status.PUBLISHED, result.message
    raw = ROOT / "pipelines" / "samples" / "defect-reports" / "reports.csv"
    rows = len(raw.read_text(encoding="utf-8").splitlines()) - 1
    start, _, finished = recorder.work("anonymise: drop-columns (1 of 2)")
    assert start[2:] == (rows, "rows") and finished
    start, _, finished = recorder.work("anonymise: grid-aggregate (2 of 2)")
    assert start[2:] == (rows, "rows") and finished
    assert recorder.work("recheck: email-in-text")[0][0] == "start"


def _forced(width: int = 140) -> tuple[Console, Callable[[], str]]:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=width)
    return console, lambda: ANSI.sub("", buffer.getvalue())


def test_the_display_shows_amount_percentage_and_time_left() -> None:
    console, text = _forced()
    with Display(console, enabled=True) as display:
        display.start("notes: validate", 2_000_000, "bytes")
        display.advance(500_000)
        display.bars.refresh()
        shown = text()
        assert "notes: validate" in shown and "25%" in shown
        assert "500.0 kB of 2.0 MB" in shown
        assert re.search(r"\d:\d\d:\d\d", shown)  # time left and elapsed
        display.start("notes: identifier scan", lambda: 1000, "rows")
        display.advance(250)
        display.bars.refresh()
        assert "250/1,000 rows" in text()


def test_a_pipeline_line_shows_its_stage() -> None:
    console, text = _forced()
    with Display(console, enabled=True) as display:
        line = display.line("defect-reports", 9, "stages")
        display.update(line, "defect-reports: check", 3)
        display.bars.refresh()
        assert "defect-reports: check" in text() and "3/9 stages" in text()


def test_a_disabled_display_draws_nothing() -> None:
    console, text = _forced()
    with Display(console, enabled=False) as display:
        display.start("notes: validate", 100, "bytes")
        display.advance(50)
        display.finish()
    assert text() == ""


def _publisher(args: list[str], *, terminal: bool) -> tuple[int, str, str]:
    """Run the command with stderr on a pseudo-terminal (or a pipe); (exit code,
    stdout, what reached stderr)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR")}
    env.update(PYTHONPATH=str(ROOT), COLUMNS="160", TERM="xterm-256color")
    command = [sys.executable, "-m", "publisher.cli", *args]
    if not terminal:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300,
                              check=False, stdin=subprocess.DEVNULL)
        return done.returncode, done.stdout, done.stderr
    main, side = pty.openpty()
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=side, env=env)
    os.close(side)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([main], [], [], 0.2)
        if ready:
            try:
                data = os.read(main, 1 << 16)
            except OSError:  # the other end closed
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(main)
    assert proc.stdout is not None
    out = proc.stdout.read().decode("utf-8")
    return proc.wait(timeout=60), out, ANSI.sub("", b"".join(chunks).decode("utf-8", "replace"))


def test_progress_is_drawn_on_a_terminal(notes: Path) -> None:
    code, out, err = _publisher(["validate", str(notes)], terminal=True)
    assert code == 0, out + err
    assert "validate: valid" in out and "━" not in out  # the report on stdout, unmixed
    assert "notes: validate" in err and "100%" in err
    size = (notes / "notes.csv").stat().st_size
    assert f"{size / 1e3:.1f} kB of {size / 1e3:.1f} kB" in err


@pytest.mark.parametrize("args", [["--quiet"], ["--json"]])
def test_no_progress_with_quiet_or_json(notes: Path, args: list[str]) -> None:
    code, out, err = _publisher(["validate", str(notes), *args], terminal=True)
    assert code == 0, out + err
    assert "notes: validate" not in err and "%" not in err


def test_no_progress_when_stderr_is_not_a_terminal(notes: Path) -> None:
    code, out, err = _publisher(["check", str(notes), "--policy", "de-open-data"],
                                terminal=False)
    assert code == 0, out + err
    assert err == ""
