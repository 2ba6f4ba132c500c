"""Finding and redacting identifiers in a string column.

The work per kind: pyarrow's RE2 kernel tests every cell at once (C++, no
Python per cell); the Python pattern runs only on the cells that passed, and
the validator runs once per distinct candidate text (and whether a context word
such as "Tel." stands before it). Matches of different kinds that overlap are
resolved: the longer span wins, then the kind of lower `priority` (checksummed
identifiers before phone numbers before addresses).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from publisher.detect.kinds import KINDS, Kind, kind
from publisher.detect.normalise import normalise

MATCH_COLUMNS = ("kind", "row", "start", "end", "value")
CONTEXT_WINDOW = 60  # characters before a match in which a kind's context word counts


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
    The kinds search the text as a reader sees it (publisher.detect.normalise);
    offsets and values are those of the original text.
    """
    text = normalise(to_arrow(column))
    frames = [_detect_kind(text.text, k) for k in resolve_kinds(kinds)]
    found = [f for f in frames if len(f)]
    if not found:
        return _empty()
    matches = pd.concat(found, ignore_index=True)
    if resolve_overlaps:
        matches = _resolve(matches)
    matches = text.restore(matches)
    return matches.sort_values(["row", "start"], kind="stable").reset_index(drop=True)


def redact(column: Any, kinds: Iterable[str] | None = None,
           labels: dict[str, str] | None = None) -> Any:
    """The column with every confirmed identifier replaced by its kind's label
    ([EMAIL], [PHONE], [IBAN], ...; `labels` overrides them by kind name).

    Returns the same type it was given: a pyarrow array, a pandas Series (same
    index and name) or a list. Cells without a match are not touched.
    """
    array = to_arrow(column)
    matches = detect(array, kinds)
    if matches.empty:
        return column
    names = {k.name: (labels or {}).get(k.name, k.label) for k in KINDS.values()}
    rows = matches["row"].to_numpy()
    bounds = np.flatnonzero(np.diff(rows)) + 1
    starts = np.concatenate(([0], bounds))
    stops = np.concatenate((bounds, [len(rows)]))
    positions = rows[starts]
    texts = array.take(pa.array(positions)).to_pylist()
    kinds_col = matches["kind"].tolist()
    begin, end = matches["start"].tolist(), matches["end"].tolist()
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


def _detect_kind(array: pa.Array, k: Kind) -> pd.DataFrame:
    hit = (pc.match_substring_regex(array, k.prefilter, ignore_case=k.ignore_case)
           if isinstance(k.prefilter, str) else k.prefilter(array))
    positions = pc.indices_nonzero(pc.fill_null(hit, False)).to_numpy()
    if positions.size == 0:
        return _empty()
    texts = array.take(pa.array(positions)).to_pylist()
    if k.finder is not None:
        return _frame(k.name, list(k.finder(positions.tolist(), texts)))
    verdicts: dict[tuple[str, bool], Any] = {}
    found = [(position, start, end, value)
             for position, text in zip(positions.tolist(), texts, strict=True)
             for start, end, value in _confirmed(k, text, verdicts)]
    return _frame(k.name, found)


def _confirmed(k: Kind, text: str, verdicts: dict[tuple[str, bool], Any]
               ) -> Iterator[tuple[int, int, str]]:
    """(start, end, value) of every confirmed match of the kind's pattern in one cell.

    A candidate its validator rejects or cuts short gives the rest of its text back
    to the search, so a run-on candidate ("ab 123 gemeldet. Erstattung auf DE58 ...")
    cannot hide the identifier inside it. Verdicts are kept per distinct candidate
    and context in `verdicts`."""
    confirm, context, lax = k.confirm, k.context, k.confirm_in_context
    search = k.pattern.search
    pos = 0
    while (m := search(text, pos)) is not None:
        start, end = m.span("v")
        value = m.group("v")
        in_context = context is not None and context.search(
            text, max(0, start - CONTEXT_WINDOW), start) is not None
        judge = lax if in_context and lax is not None else confirm
        verdict: Any = True
        if judge is not None:
            verdict = verdicts.get((value, in_context))
            if verdict is None:
                verdict = verdicts[value, in_context] = judge(value)
        if verdict is False:
            pos = m.start() + 1
            continue
        if verdict is not True:
            end = start + int(verdict)
            value = value[:int(verdict)]
        yield start, end, value
        pos = end


def _frame(kind_name: str, found: list[tuple[int, int, int, str]]) -> pd.DataFrame:
    if not found:
        return _empty()
    rows, starts, ends, values = zip(*found, strict=True)
    return pd.DataFrame({"kind": kind_name, "row": np.asarray(rows, dtype=np.int64),
                         "start": np.asarray(starts, dtype=np.int64),
                         "end": np.asarray(ends, dtype=np.int64), "value": list(values)},
                        columns=list(MATCH_COLUMNS))


def _resolve(matches: pd.DataFrame) -> pd.DataFrame:
    """Drop matches that overlap a longer (or equally long, higher-priority) one;
    a weak kind's match (a person's name, found by the words around it) gives
    way to any other kind's, whatever their lengths ("Ecke Wiesenstr. 5")."""
    priority = matches["kind"].map({k.name: k.priority for k in KINDS.values()})
    weak = matches["kind"].map({k.name: k.weak for k in KINDS.values()})
    order = matches.assign(_weak=weak, _len=matches["end"] - matches["start"], _prio=priority) \
        .sort_values(["row", "_weak", "_len", "_prio"], ascending=[True, True, False, True],
                     kind="stable")
    keep: list[int] = []
    taken: dict[int, list[tuple[int, int]]] = {}
    # A loop over matches (not cells): matches are few next to the cells.
    for idx, row, start, end in zip(order.index.tolist(), order["row"].tolist(),
                                    order["start"].tolist(), order["end"].tolist(),
                                    strict=True):
        spans = taken.setdefault(row, [])
        if any(start < e and s < end for s, e in spans):
            continue
        spans.append((start, end))
        keep.append(idx)
    return matches.loc[sorted(keep)]


def _empty() -> pd.DataFrame:
    return pd.DataFrame({"kind": pd.Series(dtype=object), "row": pd.Series(dtype=np.int64),
                         "start": pd.Series(dtype=np.int64), "end": pd.Series(dtype=np.int64),
                         "value": pd.Series(dtype=object)}, columns=list(MATCH_COLUMNS))


def kinds_found(matches: pd.DataFrame) -> Sequence[str]:
    return sorted(set(matches["kind"]))
