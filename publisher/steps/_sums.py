"""Exact sums of float64 values as integers (scaled by 2**SCALE): a tally that adds
partial sums over batches and byte ranges in any grouping gets the same total, so a
mean does not depend on how the records were cut (reduce-precision's and
displace-points' shifts)."""

from __future__ import annotations

import numpy as np

# a float64 is m * 2**e with m an integer of 53 bits and e >= -1074 - 53: times 2**SCALE
# every one is an integer
SCALE = 1074 + 53


def scaled_sum(values: np.ndarray) -> int:
    """The exact sum of finite float64 values times 2**SCALE: their 53-bit mantissas
    summed per exponent, in halves of 27 and 26 bits whose sums over up to 2**26
    values a float64 holds exactly, then shifted."""
    total = 0
    for start in range(0, len(values), 1 << 26):
        mantissa, exponent = np.frexp(values[start:start + (1 << 26)].astype(np.float64))
        whole = np.ldexp(mantissa, 53).astype(np.int64)
        low_exponent = int(exponent.min())
        bins = exponent - low_exponent
        high = np.bincount(bins, weights=(whole >> 26).astype(np.float64))
        low = np.bincount(bins, weights=(whole & ((1 << 26) - 1)).astype(np.float64))
        for offset in np.flatnonzero((high != 0) | (low != 0)):
            exact = (int(high[offset]) << 26) + int(low[offset])
            total += exact << (low_exponent + int(offset) - 53 + SCALE)
    return total
