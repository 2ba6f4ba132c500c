"""What the benchmark scripts share for their quick mode.

Every script in benchmarks/ (a file not starting with `_`) takes `--quick`:
small sizes, a few seconds, the same RESULT lines, each marked as a quick
run. `make bench-smoke` (benchmarks/_smoke.py) runs them all that way, so a
benchmark that no longer runs is noticed. Modules starting with `_` are
helpers like this one, not benchmarks.
"""

from __future__ import annotations

QUICK_HELP = ("small sizes, a few seconds: checks that the benchmark runs; its RESULT lines "
              "are marked and no threshold is judged (make bench-smoke)")
QUICK_MARK = "(quick run: thresholds are judged only in full runs)"


def result(name: str, value: str, target: str, quick: bool, note: str = "") -> None:
    """One RESULT line: `RESULT name value target ...`, marked in a quick run."""
    tail = [part for part in (note, QUICK_MARK if quick else "") if part]
    print(" ".join(["RESULT", name, value, "target", target, *tail]), flush=True)
