"""Why GDAL could not open a GeoJSON file, said as precisely as it can be:
the line and column where it stops being JSON, or the feature nested too
deeply for a JSON parser.

Only asked after GDAL failed, and only for files up to DIAGNOSE_MB: the
nesting is found by one numpy pass over the bytes (brackets outside strings,
a quote escaped by an odd number of backslashes being inside one).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import numpy.typing as npt

from publisher import limits

DIAGNOSE_MB = 64
_FEATURE_DEPTH = 3  # { FeatureCollection  [ features  { feature


def why_unreadable(path: Path) -> str:
    """A reason to add to "cannot open the geojson file" (may be empty)."""
    if path.stat().st_size > DIAGNOSE_MB * limits.MIB:
        return ""
    data = path.read_bytes()
    try:
        json.loads(data.decode("utf-8-sig"))
    except json.JSONDecodeError as exc:
        return f"it is not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
    except RecursionError:
        deepest, feature = _deepest(data)
        where = f"feature {feature}" if feature else "the file"
        return (f"{where} nests objects and arrays {deepest:,} levels deep, deeper than "
                "GDAL reads")
    except (UnicodeDecodeError, ValueError):
        return ""
    return ""


def _deepest(data: bytes) -> tuple[int, int]:
    """The deepest nesting of objects and arrays, and the 1-based number of the
    feature (an object at depth 3) where it is first reached (0: outside one)."""
    text = np.frombuffer(data, dtype=np.uint8)
    if not len(text):
        return 0, 0
    outside = ~_in_string(text)
    step = np.zeros(len(text), dtype=np.int32)
    step[outside & ((text == ord("{")) | (text == ord("[")))] = 1
    step[outside & ((text == ord("}")) | (text == ord("]")))] = -1
    depth = np.cumsum(step, dtype=np.int32)
    at = int(np.argmax(depth))
    starts = np.flatnonzero((step == 1) & (depth == _FEATURE_DEPTH)
                            & (text == ord("{")))
    feature = int(np.searchsorted(starts, at, side="right"))
    return int(depth[at]), feature


def _in_string(text: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    """Whether each byte lies inside a JSON string (its quotes count as inside)."""
    quotes = np.flatnonzero(text == ord('"'))
    if not len(quotes):
        return np.zeros(len(text), dtype=bool)
    # the backslashes in a row just before each quote: from the last other byte
    is_backslash = text == ord("\\")
    last_other = np.where(is_backslash, -1, np.arange(len(text)))
    last_other = np.maximum.accumulate(last_other)
    before = quotes - 1
    run = np.zeros(len(quotes), dtype=np.int64)
    run[before >= 0] = before[before >= 0] - last_other[before[before >= 0]]
    real = quotes[run % 2 == 0]
    toggles = np.zeros(len(text), dtype=np.int32)
    toggles[real] = 1
    inside = (np.cumsum(toggles) % 2).astype(bool)
    inside[real] = True
    return inside
