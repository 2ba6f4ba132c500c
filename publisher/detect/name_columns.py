"""Columns whose values are person names (publisher.detect.names): a column of
"Wagner", "Öztürk, Elif" and "K. Becker" is personal by its values, whatever
it is called."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from publisher.detect import name_lists as L
from publisher.detect.name_tokens import CAP, UPPER

# Cells this long are free text, not a column value (for the column share).
VALUE_CHARS = 60
_SAMPLE = 5000
# The column share counts a lone capitalised word that no list knows (a rare
# surname) only where at least this share of the values are sure names.
_SURE_SHARE = 0.2
DEFAULT_COLUMN_SHARE = 0.5


def name_value(text: str) -> int:
    """How sure is it that a short cell is a person's name? 2: sure (the finder
    covers it, or a list knows it: "Wagner", "Öztürk, Elif"), 1: maybe (a lone
    capitalised word that no list knows and that is no common word), 0: not."""
    from publisher.detect.names import names_and_words  # names imports this module

    value = text.strip()
    if not value or len(value) > VALUE_CHARS:
        return 0
    letters = sum(map(str.isalpha, value))
    if letters == 0:
        return 0
    spans, toks = names_and_words(value)
    covered = sum(sum(map(str.isalpha, value[s:e])) for s, e in spans)
    if covered >= 0.6 * letters:
        return 2
    if not toks or len(toks) > 3:
        return 0
    names = [t for t in toks if not t.info & L.PARTICLE]
    if not names or not all(t.info & (CAP | UPPER) and not t.info & L.STOP for t in names):
        return 0
    if sum(len(t.text) for t in toks) < 0.8 * letters:
        return 0
    if len(names) == 1 and not names[0].dot:
        t = names[0]
        if t.info & L.PLACE and not t.info & L.SURNAME:
            return 0
        if t.info & L.SURNAME or (t.info & L.FIRST and t.lvl == 3):
            return 2
        if t.lvl == 2:
            return 1
    return 0


@dataclass
class NameShare:
    """How many of a column's values are person names, gathered batch by batch.

    Cells longer than a name are never names; of the rest at most `limit`
    (evenly spaced in each batch) are judged one by one with `name_value`,
    and the share found among them is taken for all the short cells."""

    limit: int = _SAMPLE
    nonempty: int = 0
    short: int = 0
    judged: int = 0
    sure: int = 0
    maybe: int = 0

    def add(self, array: pa.Array) -> None:
        values = self.pick(array)
        self.count(values, name_scores(values))

    def pick(self, array: pa.Array) -> list[str]:
        """add() in two halves: the batch's cells counted, and the values of the
        sample to judge (counted as judged); count() then takes their scores, which
        may be worked out elsewhere (a scan pool's worker: name_scores)."""
        if len(array) == 0:
            return []
        text = pc.utf8_trim_whitespace(array)
        length = pc.fill_null(pc.utf8_length(text), 0)
        self.nonempty += int(pc.sum(pc.greater(length, 0)).as_py() or 0)
        short = pc.indices_nonzero(pc.and_(pc.greater(length, 0),
                                           pc.less_equal(length, VALUE_CHARS))).to_numpy()
        self.short += int(short.size)
        room = min(self.limit - self.judged, short.size)
        if room <= 0:
            return []
        pick = short[np.linspace(0, short.size - 1, room).astype(np.int64)]
        self.judged += room
        values: list[str] = text.take(pa.array(pick)).to_pylist()
        return values

    def count(self, values: list[str], scores: Mapping[str, int]) -> None:
        """The picked values' scores (name_value), as name_scores gives them."""
        for value in values:
            score = scores[value]
            self.sure += score == 2
            self.maybe += score == 1

    @property
    def share(self) -> float:
        """The share of the non-empty cells that hold a person's name."""
        if not self.judged or not self.nonempty:
            return 0.0
        counted = self.sure + (self.maybe if self.sure >= _SURE_SHARE * self.judged else 0)
        return counted / self.judged * self.short / self.nonempty

    @property
    def cells(self) -> int:
        """The estimated number of cells that hold a person's name."""
        return round(self.share * self.nonempty)


def name_scores(values: Iterable[str]) -> dict[str, int]:
    """name_value of each distinct value."""
    return {value: name_value(value) for value in dict.fromkeys(values)}


def name_column_share(array: pa.Array) -> float:
    """The share of a column's non-empty cells that hold a person's name."""
    share = NameShare()
    share.add(array)
    return share.share
