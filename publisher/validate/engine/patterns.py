"""Fixed-width patterns (postcodes, municipality keys, sensor ids) without a regex.

A pattern made only of ASCII literals and ASCII character classes, each
optionally repeated `{n}` times (`[0-9]{5}`, `S[0-9]{3}`, `DE\\d{8}`), has one
width and one set of allowed bytes per position. Checking a block is then a
length test and one table lookup per position on Arrow's byte buffer (one
compiled call where the extension is built, numpy otherwise). It
accepts a subset of what Python's `re.match("^...$")` accepts (no Unicode
digits for `\\d`, no trailing newline before `$`): the cells it leaves out go
to the frictionless reader, as with the regular expression.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from publisher.validate.engine import native
from publisher.validate.engine.arrays import text_buffers, to_numpy_bool

Lookup = npt.NDArray[np.bool_]
MAX_WIDTH = 64
_SPECIAL = set(".^$*+?{}[]\\|()")
_DIGITS = frozenset(range(ord("0"), ord("9") + 1))


def _class(body: str) -> frozenset[int] | None:
    allowed: set[int] = set()
    i = 0
    while i < len(body):
        if body[i] == "\\":
            if body[i + 1:i + 2] != "d":
                return None
            allowed |= _DIGITS
            i += 2
            continue
        if i + 2 < len(body) and body[i + 1] == "-":
            low, high = ord(body[i]), ord(body[i + 2])
            if low > high:
                return None
            allowed |= set(range(low, high + 1))
            i += 3
            continue
        allowed.add(ord(body[i]))
        i += 1
    return frozenset(allowed) if allowed and max(allowed) < 128 else None


def _atoms(pattern: str) -> list[frozenset[int]] | None:
    """One set of allowed bytes per position, or None if the pattern is not
    a plain sequence of ASCII literals and classes with `{n}` counts."""
    atoms: list[frozenset[int]] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "[":
            end = pattern.find("]", i + 2)
            if end < 0 or pattern[i + 1] == "^" or "[" in pattern[i + 1:end]:
                return None
            atom = _class(pattern[i + 1:end])
            i = end + 1
        elif char == "\\":
            following = pattern[i + 1:i + 2]
            if following == "d":
                atom = _DIGITS
            elif following and following in _SPECIAL | {"-", "/"}:
                atom = frozenset({ord(following)})
            else:
                return None
            i += 2
        elif char in _SPECIAL or ord(char) >= 128 or char in "\n\r":
            return None
        else:
            atom = frozenset({ord(char)})
            i += 1
        if atom is None:
            return None
        count = 1
        if pattern[i:i + 1] == "{":
            end = pattern.find("}", i)
            digits = pattern[i + 1:end] if end > 0 else ""
            if not digits.isdecimal() or not digits.isascii():
                return None
            count = int(digits)
            i = end + 1
        if pattern[i:i + 1] in ("*", "+", "?", "{"):
            return None
        atoms.extend([atom] * count)
        if len(atoms) > MAX_WIDTH:
            return None
    return atoms or None


def fixed_width(pattern: str) -> Callable[[pa.Array], pa.Array] | None:
    """A function giving, per cell of a string array, whether it certainly
    matches `pattern` (null cells: False); None for other patterns."""
    atoms = _atoms(pattern)
    if atoms is None:
        return None
    width = len(atoms)
    tables: list[Lookup] = []
    for atom in atoms:
        table = np.zeros(256, dtype=bool)
        table[list(atom)] = True
        tables.append(table)

    flat = np.concatenate(tables).astype(np.uint8)

    def matches(raw: pa.Array) -> pa.Array:
        if native.readable(raw):
            return native.fixed_width(raw, flat, width)
        size = len(raw)
        if not size:
            return pa.array([], pa.bool_())
        offsets, data = text_buffers(raw)
        starts = offsets[:-1]
        ok = (offsets[1:] - starts) == width
        if raw.null_count:
            ok &= to_numpy_bool(raw.is_valid())
        first = int(offsets[0])
        if int(offsets[-1]) - first == size * width and bool(ok.all()):
            # every cell has the width: the cells are the rows of a byte matrix
            cells = data[first:first + size * width].reshape(size, width)
            for position, table in enumerate(tables):
                ok &= table[cells[:, position]]
            return pa.array(ok)
        if len(data) < width:
            return pa.array(np.zeros(size, dtype=bool))
        # cells of another width read other bytes here, but `ok` is False for them
        base = np.minimum(starts, np.int32(len(data) - width))
        for position, table in enumerate(tables):
            ok &= table[data[base + np.int32(position)]]
        return pa.array(ok)

    return matches
