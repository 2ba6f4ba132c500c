"""`make bench-smoke`: every benchmark script in its quick mode, so that none
rots unnoticed.

The scripts are every benchmarks/*.py whose name does not start with `_`
(those are helpers, like this runner), found anew on each run: a new
benchmark is in the list without anyone adding it, and fails the run if it
has no `--quick`. Each runs in its own process from the repository root, one
after the other, with a time cap. A script passes when it exits 0 and, if it
prints RESULT lines in a full run, prints them in its quick run too; no
threshold is judged. Prints each script's RESULT lines and time, the output
tail of a script that failed, and exits 1 if any did.

cluster.py starts and stops its own local Dask cluster (deploy/local/cluster).
api.py, ckan_publish.py and reliability.py need the local stack
(deploy/local/up); `make bench-smoke` brings it up, and `make test` runs this
while its stack is up.

    .venv/bin/python benchmarks/_smoke.py [--only NAME ...] [--timeout 600]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULT_SOURCE = re.compile(r"""["']RESULT |\bresult\(""")


def scripts() -> list[Path]:
    """The benchmark scripts: every benchmarks/*.py not starting with `_`."""
    return sorted(p for p in HERE.glob("*.py") if not p.name.startswith("_"))


def prints_results(script: Path) -> bool:
    """Whether the script has RESULT lines (the diagnostics have none): a string
    starting with "RESULT " or a call of _quick.result."""
    return RESULT_SOURCE.search(script.read_text(encoding="utf-8")) is not None


@dataclass
class Outcome:
    script: str
    seconds: float
    code: int | None  # None: killed at the time cap
    output: str
    problem: str = ""

    @property
    def results(self) -> list[str]:
        return [line for line in self.output.splitlines() if line.startswith("RESULT ")]


def run(script: Path, timeout: float) -> Outcome:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, str(script), "--quick"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=timeout, check=False)
        code: int | None = done.returncode
        output = done.stdout + done.stderr
    except subprocess.TimeoutExpired as exc:
        code = None
        output = _text(exc.stdout) + _text(exc.stderr)
    outcome = Outcome(script.name, time.perf_counter() - start, code, output)
    if code is None:
        outcome.problem = f"still running after {timeout:.0f} s: killed"
    elif code != 0:
        outcome.problem = f"exit {code}"
    elif prints_results(script) and not outcome.results:
        outcome.problem = "exit 0 but no RESULT lines"
    elif any("quick" not in line.lower() for line in outcome.results):
        outcome.problem = "RESULT lines not marked as a quick run"
    elif unmeasured := [line.split()[1] for line in outcome.results
                        if len(line.split()) > 2 and line.split()[2].lower() == "nan"]:
        outcome.problem = f"RESULT {', '.join(unmeasured)}: nan, nothing was measured"
    return outcome


def _text(data: bytes | str | None) -> str:
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return data or ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="run only these scripts (e.g. api.py)")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds a script may take before it is killed (default 600)")
    args = parser.parse_args()
    chosen = scripts()
    if args.only:
        unknown = set(args.only) - {p.name for p in chosen}
        if unknown:
            print(f"bench-smoke: no benchmark script {', '.join(sorted(unknown))} in {HERE}")
            return 2
        chosen = [p for p in chosen if p.name in args.only]
    outcomes = []
    for script in chosen:
        print(f"== {script.name} --quick", flush=True)
        outcome = run(script, args.timeout)
        outcomes.append(outcome)
        for line in outcome.results:
            print(f"   {line}")
        if outcome.problem:
            print(f"   FAILED ({outcome.problem}); the end of its output:")
            for line in outcome.output.rstrip().splitlines()[-30:]:
                print(f"   | {line}")
        print(f"   {outcome.seconds:.1f} s", flush=True)
    print()
    print(f"{'script':<28} {'seconds':>8} {'RESULT lines':>13}  verdict")
    for o in outcomes:
        print(f"{o.script:<28} {o.seconds:>8.1f} {len(o.results):>13}  {o.problem or 'ran'}")
    failed = [o.script for o in outcomes if o.problem]
    total = sum(o.seconds for o in outcomes)
    print(f"{len(outcomes)} benchmark scripts in quick mode, {total:.0f} s; "
          + (f"FAILED: {', '.join(failed)}" if failed else "all ran"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
