"""Making the scan faster changes no finding: the findings on red-team sets and the
shipped samples are those main found before (digests in tests/cases/detect/), and
every kind finds on the prefiltered texts what it finds on all of them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from benchmarks.redteam import generate
from publisher.detect import KINDS, detect
from publisher.detect.scan import Candidates, Memo, candidates, confirm

_ROOT = Path(__file__).resolve().parents[2]
_KEPT = json.loads((_ROOT / "tests/cases/detect/findings-main.json").read_text())


def _digest(frame: pd.DataFrame) -> str:
    return hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()[:20] + f":{len(frame)}"


@pytest.mark.parametrize("seed", [3, 11, 2024])
def test_red_team_findings_are_mains(seed):
    assert _digest(detect(generate(1500, seed=seed).texts)) == _KEPT[f"redteam:{seed}"]


def test_shipped_samples_findings_are_mains():
    found = {}
    for source in _KEPT:
        if source.startswith("redteam:"):
            continue
        path, column = source.rsplit(":", 1)
        frame = pd.read_csv(_ROOT / path, dtype=str, keep_default_na=False)
        found[source] = _digest(detect(frame[column]))
    assert found == {k: v for k, v in _KEPT.items() if not k.startswith("redteam:")}
    assert found  # the samples are there


@pytest.mark.parametrize("seed", [5, 17])
def test_each_kind_finds_on_its_candidates_what_it_finds_on_every_text(seed):
    # distinct texts, so that the scan's cells are the rows
    array = pa.array(list(dict.fromkeys(generate(2000, seed=seed).texts)), pa.string())
    kinds = [k for k in KINDS.values() if k.finder is None]
    screened = candidates([array], kinds)[0]
    assert screened.cells is None
    everything = screened.normalised.text if screened.normalised is not None else array
    texts = everything.to_pylist()
    unfiltered = Candidates(screened.kinds, screened.cells,
                            tuple((np.arange(len(texts)), texts) for _ in kinds),
                            screened.normalised)
    assert all(len(p) < len(texts) for p, _ in screened.passed)  # the prefilters do filter
    assert confirm(screened, Memo()).frame().equals(confirm(unfiltered, Memo()).frame())
    assert len(confirm(screened, Memo())) > 500
