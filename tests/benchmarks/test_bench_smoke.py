"""`make bench-smoke`: every benchmark script has a quick mode and is in the
smoke list, the runner tells a broken benchmark from one that ran, and
`make test` runs it. The benchmarks themselves run in `make bench-smoke`, not
here; nothing here measures time."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "benchmarks"


def _runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_smoke", BENCHMARKS / "_smoke.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


smoke = _runner()


def _has_main_block(tree: ast.Module) -> bool:
    return any(isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)
               for node in tree.body)


def _adds_quick(tree: ast.Module) -> bool:
    return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
               and node.func.attr == "add_argument" and node.args
               and isinstance(node.args[0], ast.Constant) and node.args[0].value == "--quick"
               for node in ast.walk(tree))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_the_smoke_list_is_every_script_in_benchmarks() -> None:
    listed = {p.name for p in smoke.scripts()}
    runnable = {p.name for p in BENCHMARKS.glob("*.py")
                if _has_main_block(_tree(p)) and p.name != "_smoke.py"}
    assert listed == runnable, (
        "a file in benchmarks/ runs as a script but is not in the smoke list (a name "
        "starting with '_' is for helpers), or a listed file is no script: "
        f"{sorted(listed ^ runnable)}")
    assert {"api.py", "pipeline_run.py", "policy_scan.py", "reliability.py"} <= listed


@pytest.mark.parametrize("name", [p.name for p in smoke.scripts()])
def test_every_benchmark_script_has_a_quick_mode(name: str) -> None:
    assert _adds_quick(_tree(BENCHMARKS / name)), (
        f"benchmarks/{name} has no --quick flag (parser.add_argument('--quick', ...)): "
        "make bench-smoke runs every benchmark script with it")


def _script(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "bench.py"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_runner_passes_a_script_that_ran_in_quick_mode(tmp_path: Path) -> None:
    script = _script(tmp_path, "import sys\nassert sys.argv[1:] == ['--quick']\n"
                               "print('RESULT x 1 target >= 2 (quick run)')\n")
    outcome = smoke.run(script, timeout=60)
    assert outcome.problem == ""
    assert outcome.results == ["RESULT x 1 target >= 2 (quick run)"]


def test_the_runner_passes_a_diagnostic_without_result_lines(tmp_path: Path) -> None:
    script = _script(tmp_path, "print('# quick run: a diagnostic, no RESULT lines')\n")
    outcome = smoke.run(script, timeout=60)
    assert (outcome.problem, outcome.results) == ("", [])


@pytest.mark.parametrize(("body", "problem"), [
    ("raise SystemExit(3)\n", "exit 3"),
    ("import argparse\nargparse.ArgumentParser().parse_args()\n", "exit 2"),  # no --quick
    ("import sys\nif '--quick' not in sys.argv:\n    print('RESULT x 1 target >= 2')\n",
     "exit 0 but no RESULT lines"),
    ("print('RESULT x 1 target >= 2')\n", "RESULT lines not marked as a quick run"),
    ("print('RESULT x 1 target >= 2 (quick run)')\nprint('RESULT y 1 target >= 2')\n",
     "RESULT lines not marked as a quick run"),
    ("print('RESULT x nan target >= 2 (quick run)')\n", "RESULT x: nan, nothing was measured"),
    ("import time\ntime.sleep(30)\n", "still running after 1 s: killed"),
])
def test_the_runner_fails_a_broken_script(tmp_path: Path, body: str, problem: str) -> None:
    outcome = smoke.run(_script(tmp_path, body), timeout=1)
    assert outcome.problem == problem


def test_make_test_runs_the_smoke_while_the_stack_is_up() -> None:
    done = subprocess.run(["make", "-n", "--no-print-directory", "test", "bench-smoke"],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    lines = done.stdout.splitlines()
    smoke_runs = [i for i, line in enumerate(lines) if "benchmarks/_smoke.py" in line]
    ups = [i for i, line in enumerate(lines) if line.startswith("deploy/local/up")]
    assert len(smoke_runs) == 2 and len(ups) == 2, done.stdout
    for up, run in zip(ups, smoke_runs, strict=True):
        assert up < run
        assert "deploy/local/down" in lines[run]  # taken down after the smoke, in one line
        assert lines[run].index("_smoke.py") < lines[run].index("deploy/local/down")
    assert "-m pytest" in lines[smoke_runs[0]]  # in `make test`, after the whole suite

