"""`make reliability`: run the reliability and security tests and print a table of
scenarios tried, survived, bytes and records lost (must be 0), and bad inputs
refused cleanly. Exits non-zero if any scenario did not survive.

    .venv/bin/python benchmarks/reliability.py            # needs the stack (deploy/local/up)
    .venv/bin/python benchmarks/reliability.py --no-stack # only what needs no stack
    .venv/bin/python benchmarks/reliability.py --quick    # the first test of each file

The tests run in one pytest subprocess with --junitxml; a test reports what it
lost with `record_property("bytes_lost" | "records_lost" | "leaks", n)`. A test
file named in AREAS that no longer exists stops the run: its area would
otherwise drop out of the table unnoticed.

--quick (`make bench-smoke`) runs only the first test of each file (but for
QUICK_LEAVES_OUT), so that the table and nearly every area's tests still run
end to end in about half a minute; all of these tests run in full in
`make test` anyway, and the full table is `make reliability`.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from _quick import QUICK_HELP, result

ROOT = Path(__file__).resolve().parents[1]
BAD_CASES = ROOT / "tests" / "cases" / "bad"
CORPUS_TEST = "tests/reliability/test_bad_corpus.py"

# area -> test files (relative to the repo); the first area whose file matches wins
AREAS: list[tuple[str, list[str]]] = [
    ("SIGKILL during a local publish", ["tests/targets/test_kill_local.py"]),
    ("SIGKILL during a CKAN + S3 publish", ["tests/targets/test_kill_ckan.py"]),
    ("CKAN / S3 stopped, 500s, slow (proxy)", ["tests/targets/test_fault_proxy.py"]),
    ("CKAN faults (fake CKAN)", ["tests/targets/test_ckan_faults.py"]),
    ("S3 storage (resume, checksums)", ["tests/storage/test_storage.py"]),
    ("steward tokens, rate limits", ["tests/api/test_api_auth.py",
                                     "tests/api/test_api_ratelimit.py",
                                     "tests/api/test_api_steward.py"]),
    ("raw data unreachable by the API", ["tests/api/test_api_raw_unreachable.py"]),
    ("no secret / raw identifier in logs", ["tests/targets/test_no_leaks.py"]),
    ("bad input corpus", [CORPUS_TEST]),
    ("hostile input: limits, patterns, output", [
        "tests/reliability/test_hostile_specs.py", "tests/package/test_pkg_limits.py",
        "tests/package/test_pkg_csv_sizes.py", "tests/package/test_pkg_bounds.py",
        "tests/validate/test_validate_linear.py", "tests/cli/test_safe_output.py"]),
    ("privacy bypasses: disguises, metadata, positions as text", [
        "tests/pipeline/test_run_privacy24.py", "tests/rules/test_rule_metadata.py",
        "tests/rules/test_rule_positions.py", "tests/detect/test_detect_normalise.py"]),
    ("fuzzing and other reliability tests", ["tests/reliability", "tests/fuzz"]),
]


@dataclass
class Area:
    tried: int = 0
    survived: int = 0
    bytes_lost: int = 0
    records_lost: int = 0
    leaks: int = 0
    failed: list[str] = field(default_factory=list)


def _file_of(case: ET.Element) -> str:
    """tests/x/test_y.py from the junit classname tests.x.test_y (or test_y)."""
    classname = case.get("classname", "")
    return classname.replace(".", "/") + ".py"


def _area_of(path: str) -> str:
    for name, files in AREAS:
        if any(path == f or path.startswith(f.rstrip("/") + "/") or path.endswith("/" + f)
               for f in files):
            return name
    return "other"


def collect(junit: Path) -> dict[str, Area]:
    areas: dict[str, Area] = defaultdict(Area)
    for case in ET.parse(junit).getroot().iter("testcase"):
        area = areas[_area_of(_file_of(case))]
        if case.find("skipped") is not None:
            continue
        area.tried += 1
        if case.find("failure") is None and case.find("error") is None:
            area.survived += 1
        else:
            area.failed.append(f"{case.get('classname')}::{case.get('name')}")
        for prop in case.iter("property"):
            value = int(float(prop.get("value") or 0))
            if prop.get("name") == "bytes_lost":
                area.bytes_lost += value
            elif prop.get("name") == "records_lost":
                area.records_lost += value
            elif prop.get("name") == "leaks":
                area.leaks += value
    return areas


def documented_bad_cases() -> dict[str, int]:
    """Cases in tests/cases/bad by the exit code their README expects."""
    counts: dict[str, int] = defaultdict(int)
    for readme in sorted(BAD_CASES.glob("*/README.md")):
        match = re.search(r"Expect:\s*exit\s*(\d+)", readme.read_text(encoding="utf-8"))
        counts[f"exit {match.group(1)}" if match else "no expectation"] += 1
    return dict(counts)


# Files --quick leaves out, and why.
QUICK_LEAVES_OUT = {"tests/targets/test_no_leaks.py": "its one test takes about 40 s"}

# --quick: a pytest plugin that keeps the first collected test of each file.
FIRST_OF_EACH_FILE = textwrap.dedent('''
    def pytest_collection_modifyitems(config, items):
        seen, keep, drop = set(), [], []
        for item in items:
            (drop if item.path in seen else keep).append(item)
            seen.add(item.path)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep
''')


def run(paths: list[str], no_stack: bool, junit: Path, quick: bool = False) -> int:
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            f"--junitxml={junit}", "-o", "junit_family=xunit1", *paths]
    env = None
    if no_stack:
        args += ["-m", "not stack"]
    if quick:
        (junit.parent / "first_of_each_file.py").write_text(FIRST_OF_EACH_FILE)
        args += ["-p", "first_of_each_file"]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(junit.parent), os.environ.get("PYTHONPATH")]))}
    return subprocess.run(args, cwd=ROOT, check=False, env=env).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-stack", action="store_true",
                        help="leave out the tests that need the local stack")
    parser.add_argument("--quick", action="store_true", help=QUICK_HELP)
    options = parser.parse_args()
    missing = [f for _, files in AREAS for f in files if not (ROOT / f).exists()]
    if missing:
        print(f"reliability: test files named in AREAS are gone: {', '.join(missing)} "
              "(update AREAS in benchmarks/reliability.py)")
        return 2
    paths = sorted({f for _, files in AREAS for f in files
                    if not (options.quick and f in QUICK_LEAVES_OUT)})
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        code = run(paths, options.no_stack, junit, options.quick)
        if not junit.is_file():
            print(f"pytest wrote no results (exit {code})")
            return 2
        areas = collect(junit)

    print()
    print(f"{'scenario area':<42} {'tried':>6} {'survived':>9} {'bytes lost':>11} "
          f"{'records lost':>13} {'leaks':>6}")
    total = Area()
    for name, _ in [*AREAS, ("other", [])]:
        area = areas.get(name)
        if area is None or not area.tried:
            continue
        print(f"{name:<42} {area.tried:>6} {area.survived:>9} {area.bytes_lost:>11} "
              f"{area.records_lost:>13} {area.leaks:>6}")
        for attr in ("tried", "survived", "bytes_lost", "records_lost", "leaks"):
            setattr(total, attr, getattr(total, attr) + getattr(area, attr))
        total.failed += area.failed
    print(f"{'total':<42} {total.tried:>6} {total.survived:>9} {total.bytes_lost:>11} "
          f"{total.records_lost:>13} {total.leaks:>6}")

    corpus = areas.get("bad input corpus")
    documented = documented_bad_cases()
    doc = ", ".join(f"{n} {k}" for k, n in sorted(documented.items()))
    print()
    if corpus and corpus.tried:
        print(f"bad inputs refused cleanly: {corpus.survived} of {corpus.tried} corpus tests "
              f"({sum(documented.values())} cases in tests/cases/bad: {doc})")
        not_refused = corpus.tried - corpus.survived
    else:
        print(f"bad inputs: {sum(documented.values())} cases in tests/cases/bad ({doc}); "
              f"{CORPUS_TEST} not present, not run")
        not_refused = 0
    for name in total.failed:
        print(f"NOT SURVIVED {name}")
    print()
    if options.quick:
        print("quick run: the first test of each file only; `make reliability` runs them all")
        for path, why in QUICK_LEAVES_OUT.items():
            print(f"  left out: {path} ({why})")
    q = options.quick
    result("scenarios_not_survived", str(total.tried - total.survived), "== 0", q)
    result("bytes_lost", str(total.bytes_lost), "== 0", q)
    result("records_lost", str(total.records_lost), "== 0", q)
    result("leaks", str(total.leaks), "== 0", q)
    result("bad_inputs_not_refused", str(not_refused), "== 0", q)
    ok = (total.tried > 0 and total.tried == total.survived and not total.bytes_lost
          and not total.records_lost and not total.leaks and not not_refused and code in (0, 1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
