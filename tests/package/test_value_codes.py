"""publisher.package.value_codes: a column read batch by batch as codes, equal exactly
where the values are, with each code's value and first row."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.package.value_codes import ValueCodes

VALUES = st.lists(st.one_of(st.none(), st.sampled_from(["", "a", "b", "ä", "2024-05-07T14:00Z"]),
                            st.text(max_size=4)), max_size=60)


def _encoded(values: list[str | None], batch: int, first_row: int = 2) -> ValueCodes:
    encoder = ValueCodes()
    for start in range(0, len(values), batch):
        part = values[start:start + batch]
        encoder.add(pa.array(part, type=pa.large_string()),
                    np.arange(first_row + start, first_row + start + len(part), dtype=np.int64))
    return encoder


@settings(max_examples=200, deadline=None)
@given(VALUES, st.integers(1, 13))
def test_codes_equal_where_the_values_are_and_name_them(values: list[str | None],
                                                        batch: int) -> None:
    encoded = _encoded(values, batch).encoded(values=True)
    assert encoded.values is not None and encoded.first_rows is not None
    assert len(encoded.codes) == len(values) and encoded.codes.dtype == np.int32
    assert len(encoded.values) == len(set(values)) == len(encoded.first_rows)
    assert encoded.size == max(len(set(values)), 1)
    assert encoded.values.to_pylist() == [None] * (None in values) + sorted(
        v for v in set(values) if v is not None)
    named = encoded.values.take(pa.array(encoded.codes)).to_pylist()
    assert named == values  # each record's code names its own value
    for code, value in enumerate(encoded.values.to_pylist()):
        assert encoded.first_rows[code] == values.index(value) + 2  # its first record


def test_a_missing_value_is_code_0_and_no_value_costs_one_code() -> None:
    encoded = _encoded(["b", None, "a", None, "b"], 2).encoded()
    assert encoded.codes.tolist() == [2, 0, 1, 0, 2] and encoded.size == 3
    assert encoded.values is None  # not asked for; the first rows, as rows were given
    assert encoded.first_rows is not None and encoded.first_rows.tolist() == [3, 4, 2]
    assert _encoded(["b", "a", "b"], 2).encoded().codes.tolist() == [1, 0, 1]
    empty = ValueCodes().encoded(values=True)
    assert (len(empty.codes), empty.size, len(empty.values or [])) == (0, 1, 0)


def test_other_types_are_coded_alike() -> None:
    encoder = ValueCodes()
    for part in ([3, 1, 3], [2, 1]):
        encoder.add(pa.array(part, type=pa.int64()))
    encoded = encoder.encoded()
    assert encoded.codes.tolist() == [2, 0, 2, 1, 0] and encoded.first_rows is None
