"""Finding and redacting identifiers in a string column.

The work per column: Arrow encodes the column as its distinct texts (a column of
names, categories or template sentences holds few), and each distinct text is
scanned once. Per kind, pyarrow's RE2 kernel tests every distinct text at once
(C++, no Python per cell; with the compiled extension, three compiled sets
of the kinds' prefilters read each text once: publisher.detect.prefilters); the
Python pattern runs only on the texts that passed, and the validator runs once
per distinct candidate text (and whether a context word such as "Tel." stands
before it). A `Memo` kept over the batches
of a scan remembers the verdicts, and each short text's matches, so a value
that recurs in later batches (an e-mail column, an address) is searched once.
Matches of different kinds that overlap are resolved: the longer span wins,
then the kind of lower `priority` (checksummed identifiers before phone numbers
before addresses). The matches are then repeated for every row holding their
text (publisher.detect.matches).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from publisher.detect import prefilters
from publisher.detect import validators as v
from publisher.detect.kinds import KINDS, Kind, kind
from publisher.detect.matches import (
    MATCH_COLUMNS,
    Matches,
    empty_frame,
    gather,
    resolve,
    to_rows,
)
from publisher.detect.normalise import Normalised, normalise

__all__ = ["MATCH_COLUMNS", "Candidates", "Matches", "Memo", "candidates", "confirm",
           "detect", "find", "redact", "to_arrow"]

CONTEXT_WINDOW = 60  # characters before a match in which a kind's context word counts
_Found = tuple[list[int], list[int], list[int], list[str]]  # cells, starts, ends, values


class Memo:
    """What a scan remembers over its batches and columns, per kind: the
    validator's verdict on each distinct candidate (with whether a context word
    stood before it), and the matches in each text of at most `short` characters
    it searched. At most `limit` entries each per kind (then that kind's are
    forgotten)."""

    def __init__(self, limit: int = 200_000, short: int = 100) -> None:
        self.limit = limit
        self.short = short
        self._verdicts: dict[str, dict[tuple[str, bool], v.Verdict]] = {}
        self._texts: dict[str, dict[str, tuple[tuple[int, int, str], ...]]] = {}

    def verdicts(self, kind_name: str) -> dict[tuple[str, bool], v.Verdict]:
        return _bounded(self._verdicts, kind_name, self.limit)

    def texts(self, kind_name: str) -> dict[str, tuple[tuple[int, int, str], ...]]:
        return _bounded(self._texts, kind_name, self.limit)


def _bounded(store: dict[str, dict[Any, Any]], key: str, limit: int) -> dict[Any, Any]:
    known = store.setdefault(key, {})
    if len(known) > limit:
        known.clear()
    return known


def to_arrow(column: Any) -> pa.Array:
    """A pyarrow string array from a pyarrow array, pandas Series or sequence;
    non-text values become their text, missing values null."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if isinstance(column, pa.Array):
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            return column
        return pc.cast(column, pa.string())
    if isinstance(column, pd.Series):
        text = column.astype("string")
        values: list[Any] = text.astype(object).where(text.notna(), None).tolist()
        return pa.array(values, type=pa.string())
    return pa.array([None if x is None else str(x) for x in column], type=pa.string())


def resolve_kinds(kinds: Iterable[str] | None) -> list[Kind]:
    return [kind(k) for k in kinds] if kinds is not None else list(KINDS.values())


def detect(column: Any, kinds: Iterable[str] | None = None, *,
           resolve_overlaps: bool = True) -> pd.DataFrame:
    """Every confirmed identifier in a string column.

    Returns a DataFrame with columns kind, row (0-based position in `column`),
    start, end (character offsets, end exclusive) and value (the matched text:
    raw, for the caller to mask before it is shown), sorted by row and start.
    """
    found = find(to_arrow(column), resolve_kinds(kinds), resolve_overlaps=resolve_overlaps)
    return found.frame() if len(found) else empty_frame()


def find(array: pa.Array, kinds: Sequence[Kind], *, resolve_overlaps: bool = True,
         memo: Memo | None = None) -> Matches:
    """detect() as columns (publisher.detect.matches.Matches; `cell` is the row):
    every confirmed identifier of the kinds in a string array."""
    return confirm(candidates([array], kinds)[0], memo or Memo(),
                   resolve_overlaps=resolve_overlaps)


@dataclass(frozen=True)
class Candidates:
    """What the Arrow kernels of a scan leave for Python: per kind, the distinct
    texts its prefilter let through (positions among the distinct texts, and the
    texts), and per row the position of its text (None: each row its own). The
    kinds read the distinct texts normalised (publisher.detect.normalise):
    `normalised` maps their matches back to the original text."""

    kinds: tuple[Kind, ...]
    cells: np.ndarray | None
    passed: tuple[tuple[np.ndarray, list[str]], ...]
    normalised: Normalised | None = None


def candidates(arrays: Sequence[pa.Array], kinds: Sequence[Kind]) -> list[Candidates]:
    """The first stage of find(), for several columns at once: each column's distinct
    texts, then the screens and each kind's prefilter over all of them together (a
    prefilter costs a fixed time per call, its RE2 pattern being compiled each time);
    Arrow's kernels, which release the GIL, do nearly all of it. Where the compiled
    extension is installed, its sets of the prefilters, compiled once, read each text
    once for all of them (publisher.detect.prefilters)."""
    distinct = [_distinct(array) for array in arrays]
    normalised = [normalise(texts if texts.type == pa.string() else texts.cast(pa.string()))
                  for texts, _ in distinct]
    parts = [n.text for n in normalised]
    texts = parts[0] if len(parts) == 1 else pa.concat_arrays(parts)
    bounds = np.cumsum([0, *(len(part) for part in parts)])
    compiled = prefilters.compiled(tuple(kinds))
    found_by = prefilters.masks(texts, compiled) if compiled is not None else None
    screened = _screen(texts, kinds) if found_by is None else {}
    passed: list[list[tuple[np.ndarray, list[str]]]] = [[] for _ in parts]
    for bit, k in enumerate(kinds):
        if found_by is not None and isinstance(k.prefilter, str):
            positions = prefilters.passed(found_by, bit)
        else:
            positions = _prefiltered(texts, k, screened.get(k.screen))
        found = texts.take(pa.array(positions)).to_pylist() if positions.size else []
        cuts = np.searchsorted(positions, bounds).tolist()
        for i, (lo, hi) in enumerate(itertools.pairwise(cuts)):
            passed[i].append((positions[lo:hi] - bounds[i], found[lo:hi]))
    return [Candidates(tuple(kinds), cells, tuple(column), norm if norm.maps else None)
            for (_, cells), column, norm in zip(distinct, passed, normalised, strict=True)]


def confirm(found: Candidates, memo: Memo, *, resolve_overlaps: bool = True) -> Matches:
    """The second stage of find(): each kind's pattern and validator (or finder) on its
    candidates, overlaps resolved, matches repeated for every row of their text."""
    kinds = found.kinds
    parts = [_confirm_kind(k, positions, texts, memo)
             for k, (positions, texts) in zip(kinds, found.passed, strict=True)]
    matches = gather([k.name for k in kinds], parts)
    if resolve_overlaps:
        matches = resolve(matches, np.array([k.priority for k in kinds], dtype=np.int64),
                          np.array([k.weak for k in kinds], dtype=bool))
    if found.normalised is not None:
        matches = found.normalised.restore_matches(matches)
    return to_rows(matches, found.cells)


def _distinct(array: pa.Array) -> tuple[pa.Array, np.ndarray | None]:
    """The distinct texts of the array, and per row the position of its text among
    them (-1: missing); None when every row holds a text of its own."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    encoded = pc.dictionary_encode(array)
    texts = encoded.dictionary
    if len(texts) == len(array) and array.null_count == 0:
        return array, None  # codes in order of first appearance: row i is text i
    cells = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    return texts, cells.astype(np.int64, copy=False)


def _passed(hit: pa.Array) -> np.ndarray:
    """The positions where a boolean array is true."""
    positions: np.ndarray = pc.indices_nonzero(pc.fill_null(hit, False)).to_numpy()
    return positions


def _screen(texts: pa.Array,
            kinds: Sequence[Kind]) -> dict[str | None, tuple[pa.Array, np.ndarray]]:
    """Per screen of two or more of the kinds: the texts that one of their
    prefilters may let through (one joined RE2 pass), with their positions."""
    members: dict[str, list[Kind]] = {}
    for k in kinds:
        if k.screen is not None and isinstance(k.prefilter, str):
            members.setdefault(k.screen, []).append(k)
    out: dict[str | None, tuple[pa.Array, np.ndarray]] = {}
    for screen, group in members.items():
        if len(group) > 1:
            at = _passed(pc.match_substring_regex(texts, _joined(tuple(group))))
            out[screen] = texts.take(pa.array(at)), at
    return out


@cache
def _joined(kinds: tuple[Kind, ...]) -> str:
    """One RE2 pattern that a text matches when one of the kinds' prefilters does."""
    return "|".join(f"(?{'i' if k.ignore_case else ''}:{k.prefilter})" for k in kinds)


def _prefiltered(texts: pa.Array, k: Kind,
                 screened: tuple[pa.Array, np.ndarray] | None) -> np.ndarray:
    """The positions of the texts the kind's prefilter lets through."""
    if not isinstance(k.prefilter, str):
        return _passed(k.prefilter(texts))
    if screened is None:
        return _passed(pc.match_substring_regex(texts, k.prefilter, ignore_case=k.ignore_case))
    few, at = screened
    passed: np.ndarray = at[_passed(pc.match_substring_regex(few, k.prefilter,
                                                             ignore_case=k.ignore_case))]
    return passed


def _confirm_kind(k: Kind, positions: np.ndarray, texts: list[str], memo: Memo) -> _Found:
    if not texts:
        return [], [], [], []
    if k.finder is not None:
        found = list(k.finder(positions.tolist(), texts))
        return ([f[0] for f in found], [f[1] for f in found], [f[2] for f in found],
                [f[3] for f in found])
    return _confirmed(k, positions.tolist(), texts, memo.verdicts(k.name), memo.texts(k.name),
                      memo.short)


def _confirmed(k: Kind, positions: list[int], texts: list[str],
               verdicts: dict[tuple[str, bool], v.Verdict],
               known: dict[str, tuple[tuple[int, int, str], ...]], short: int) -> _Found:
    """(cell, start, end, value) of every confirmed match of the kind's pattern in
    the cells.

    A candidate its validator rejects or cuts short gives the rest of its text back
    to the search, so a run-on candidate ("ab 123 gemeldet. Erstattung auf DE58 ...")
    cannot hide the identifier inside it. Verdicts are kept per distinct candidate
    and context in `verdicts`, the matches of texts of at most `short` characters
    in `known`."""
    confirm, context, lax = k.confirm, k.context, k.confirm_in_context
    search = k.search or k.pattern.search
    cells: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    values: list[str] = []
    for cell, text in zip(positions, texts, strict=True):
        remember = len(text) <= short
        if remember and (seen := known.get(text)) is not None:
            for start, end, value in seen:
                cells.append(cell)
                starts.append(start)
                ends.append(end)
                values.append(value)
            continue
        first = len(cells)
        pos = 0
        while (m := search(text, pos)) is not None:
            start, end = m.span("v")
            value = m.group("v")
            in_context = context is not None and context.search(
                text, max(0, start - CONTEXT_WINDOW), start) is not None
            judge = lax if in_context and lax is not None else confirm
            verdict: v.Verdict = True
            if judge is not None:
                judged = verdicts.get((value, in_context))
                if judged is None:
                    judged = verdicts[value, in_context] = judge(value)
                verdict = judged
            if verdict is False:
                pos = m.start() + 1
                continue
            if verdict is not True:
                end = start + int(verdict)
                value = value[:int(verdict)]
            cells.append(cell)
            starts.append(start)
            ends.append(end)
            values.append(value)
            pos = end
        if remember:
            known[text] = tuple(zip(starts[first:], ends[first:], values[first:], strict=True))
    return cells, starts, ends, values


def redact(column: Any, kinds: Iterable[str] | None = None,
           labels: dict[str, str] | None = None) -> Any:
    """The column with every confirmed identifier replaced by its kind's label
    ([EMAIL], [PHONE], [IBAN], ...; `labels` overrides them by kind name).

    Returns the same type it was given: a pyarrow array, a pandas Series (same
    index and name) or a list. Cells without a match are not touched.
    """
    array = to_arrow(column)
    matches = find(array, resolve_kinds(kinds))
    if not len(matches):
        return column
    names = [(labels or {}).get(name, KINDS[name].label) for name in matches.kinds]
    rows = matches.cell
    bounds = np.flatnonzero(np.diff(rows)) + 1
    starts = np.concatenate(([0], bounds))
    stops = np.concatenate((bounds, [len(rows)]))
    positions = rows[starts]
    texts = array.take(pa.array(positions)).to_pylist()
    kinds_col = matches.kind.tolist()
    begin, end = matches.start.tolist(), matches.end.tolist()
    replaced = []
    for text, lo, hi in zip(texts, starts.tolist(), stops.tolist(), strict=True):
        out, last = [], 0
        for i in range(lo, hi):
            out.append(text[last:begin[i]])
            out.append(names[kinds_col[i]])
            last = end[i]
        out.append(text[last:])
        replaced.append("".join(out))
    mask = np.zeros(len(array), dtype=bool)
    mask[positions] = True
    result = pc.replace_with_mask(array, pa.array(mask), pa.array(replaced, type=array.type))
    return _like(column, result)


def _like(column: Any, result: pa.Array) -> Any:
    if isinstance(column, pa.ChunkedArray):
        return pa.chunked_array([result])
    if isinstance(column, pa.Array):
        return result
    if isinstance(column, pd.Series):
        dtype = column.dtype
        keep = isinstance(dtype, pd.StringDtype) or pd.api.types.is_object_dtype(dtype)
        return pd.Series(result.to_pylist(), index=column.index, name=column.name,
                         dtype=dtype if keep else "string")
    return result.to_pylist()
