"""The kinds' RE2 prefilters compiled once into a few sets, run over a column
in one pass each (`publisher_kernels.Prefilters`, native/src/prefilter.rs).

pyarrow compiles a pattern at each call (the street prefilter alone takes
about 5 ms) and reads the whole column once per pattern or screen. Where the
compiled extension is installed, the scan (publisher.detect.scan.candidates)
instead reads each text once per set of the kinds' string prefilters (three
sets) and gets one bitmask per text: on red-team text a third to a quarter of
the Arrow path's time, in a fresh process's first batch too. The
`regex` crate reads the patterns as RE2 does, or wider (its `\\s` is Unicode),
so it lets through every text the Arrow path lets through; without the
extension the Arrow path serves.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa

from publisher.detect import name_cache
from publisher.detect.kinds import Kind
from publisher.validate.engine.arrays import text_buffers

_MAX = 64  # one bit per kind in a uint64


def compiled(kinds: tuple[Kind, ...]) -> Any | None:
    """The kinds' string prefilters as one compiled set (bit i: kinds[i]), or None
    where the extension is not used (absent, built without Prefilters, or switched
    off as `name_cache.kernels = None`)."""
    kernels = name_cache.kernels
    if kernels is None or not hasattr(kernels, "Prefilters") or len(kinds) > _MAX:
        return None
    return _compiled(kernels, kinds)


@cache
def _compiled(kernels: Any, kinds: tuple[Kind, ...]) -> Any:
    """One set per screen (publisher.detect.kinds), one for the kinds in none: a set's
    lazy DFA builds its states as it meets text, at a cost that grows with the
    patterns it holds, so a few smaller sets serve a fresh process's first batch
    better than one of all (and as well after it)."""
    sets: dict[str | None, list[tuple[int, str, bool]]] = {}
    for i, k in enumerate(kinds):
        if isinstance(k.prefilter, str):
            sets.setdefault(k.screen, []).append((i, k.prefilter, k.ignore_case))
    return kernels.Prefilters(list(sets.values()))


def masks(texts: pa.Array, prefilters: Any) -> np.ndarray:
    """Per text of a string array, the bits of the kinds whose prefilter lets it
    through (a missing text: none)."""
    found: np.ndarray = prefilters.scan(*text_buffers(texts))
    if texts.null_count:
        found[~np.asarray(texts.is_valid().to_numpy(zero_copy_only=False), dtype=bool)] = 0
    return found


def passed(found: np.ndarray, bit: int) -> np.ndarray:
    """The positions of the texts whose mask has the bit."""
    positions: np.ndarray = np.flatnonzero(found & np.uint64(1 << bit))
    return positions

