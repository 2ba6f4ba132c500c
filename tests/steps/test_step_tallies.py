"""What a row-wise change counts (publisher.steps.rowpass.Tally) merges from
copies that counted parts of the records, as a cluster's workers hand them back:
the figures of the whole, however the records are cut."""

from __future__ import annotations

import copy
from fractions import Fraction

import numpy as np

from publisher.steps._sums import SCALE, scaled_sum
from publisher.steps.redact_text import _Found
from publisher.steps.reduce_precision import _Shifts
from publisher.steps.rowpass import Count


def test_the_shift_sum_is_exact_and_does_not_depend_on_the_cut() -> None:
    rng = np.random.default_rng(7)
    shifts = np.r_[rng.random(10_000) * 250, 1e-300, 5e-324, 0.0, 1e9]
    assert Fraction(scaled_sum(shifts), 2**SCALE) == sum(map(Fraction, shifts.tolist()),
                                                            Fraction(0))
    whole = _Shifts()
    whole.add(shifts)
    for cuts in ([3_333], [1, 5_000, 9_999], list(range(500, 10_000, 500))):
        merged = _Shifts()
        for piece in np.split(shifts, cuts):
            worker = copy.deepcopy(merged)  # a copy as a worker unpickles it
            worker.reset()
            for batch in np.array_split(piece, 3):
                worker.add(batch)
            merged.merge(worker)
        assert (merged.points, merged.total, merged.largest) == \
            (whole.points, whole.total, whole.largest)


def test_counts_merge_from_copies_counted_from_nothing() -> None:
    found = _Found({"email": 2}, {"r.text": 1})
    worker = copy.deepcopy(found)
    worker.reset()
    worker.kinds["email"] = worker.kinds.get("email", 0) + 3
    worker.kinds["phone"] = 1
    worker.cells["r.text"] = 4
    found.merge(worker)
    assert (found.kinds, found.cells) == ({"email": 5, "phone": 1}, {"r.text": 5})
    values = Count(10)
    other = copy.deepcopy(values)
    other.reset()
    other.n += 4
    values.merge(other)
    assert values.n == 14
