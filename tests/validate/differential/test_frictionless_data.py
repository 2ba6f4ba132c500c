"""The publisher and frictionless agree on frictionless-py's own `data/` fixtures.

Every case built from the folder (frictionless_data.py says how) must agree,
except those listed in frictionless_data.yaml, each with its reason, which
DELIBERATE.md explains. A listed case that no longer differs as recorded fails
too, so the list never outlives its reasons. Without network the download
fails and so does every test here: PyPI is reachable wherever the suite runs.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from frictionless_data import VERSION, Side, agree, build_cases, explain, fetch_data, ours, theirs

HERE = Path(__file__).resolve().parent
LISTED = HERE / "frictionless_data.yaml"
# What the folder of frictionless 5.21 yields; fewer means the cases are no longer built
FLOOR = {"package": 50, "resource": 20, "table": 170, "described": 150}
ENGINE_FLOOR = 110  # of 160 described tables, 120 with frictionless 5.21

Outcomes = dict[str, tuple[Side, Side]]


@pytest.fixture(scope="session")
def outcomes() -> Outcomes:
    try:
        root = fetch_data()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    return {case.id: (ours(case), theirs(root, case)) for case in build_cases(root)}


def _listed() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(LISTED.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_folder_gives_every_kind_of_case(outcomes: Outcomes) -> None:
    kinds = Counter(case.split(":", 1)[0] for case in outcomes)
    assert all(kinds[kind] >= least for kind, least in FLOOR.items()), kinds


def test_most_described_tables_go_through_the_engine(outcomes: Outcomes) -> None:
    described = [mine for case, (mine, _) in outcomes.items() if case.startswith("described:")]
    assert sum(mine.engine > 0 for mine in described) >= ENGINE_FLOOR


def test_every_case_agrees_but_the_listed_differences(outcomes: Outcomes) -> None:
    listed = _listed()
    differing = [f"{case}: {explain(mine, reference)}"
                 for case, (mine, reference) in sorted(outcomes.items())
                 if case not in listed and not agree(mine, reference)]
    agreeing = sum(agree(m, r) for m, r in outcomes.values())
    assert not differing, (f"frictionless {VERSION}: {agreeing} of {len(outcomes)} cases agree; "
                           f"{len(differing)} differ and are not listed in {LISTED.name}:\n"
                           + "\n".join(differing))


def test_listed_differences_still_differ_as_recorded(outcomes: Outcomes) -> None:
    stale = []
    for case, entry in sorted(_listed().items()):
        if case not in outcomes:
            stale.append(f"{case}: no such case any more")
            continue
        mine, reference = outcomes[case]
        if agree(mine, reference):
            stale.append(f"{case}: agrees now; take it off the list")
        elif mine.verdict != entry["publisher"]:
            stale.append(f"{case}: the publisher's verdict is {mine.verdict}, the list says "
                         f"{entry['publisher']} ({explain(mine, reference)})")
    assert not stale, "\n".join(stale)


def test_every_listed_reason_is_explained() -> None:
    text = (HERE / "DELIBERATE.md").read_text(encoding="utf-8")
    explained = set(re.findall(r"^\| `([a-z-]+)` \|", text, flags=re.MULTILINE))
    used = {entry["reason"] for entry in _listed().values()}
    assert used <= explained, sorted(used - explained)
    assert explained - used == set(), f"explained but never used: {sorted(explained - used)}"


def test_a_failed_download_fails_loudly(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match=r"cannot download frictionless 999\.0\.0"):
        fetch_data(tmp_path, version="999.0.0")
    assert not (tmp_path / "frictionless-999.0.0").exists()
