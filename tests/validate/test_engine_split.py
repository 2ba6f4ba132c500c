"""The compiled splitter of plain CSV ranges (native.split).

It must read every text it accepts exactly as Arrow's parser does with the
engine's options, and refuse (None) the rest, which Arrow then parses: it is
fuzzed against Arrow on texts made of delimiters, quotes, CR, LF, blank lines
and non-ASCII letters. It must also accept what plain files hold, or every
range would go the slow way.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.csv as pa_csv
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from publisher.validate.engine import native


def _arrow(text: bytes, width: int, delimiter: str) -> list[list[str]] | None:
    """Arrow's reading with the options of stream._parse_range; None where
    it finds a row of another width (the engine's ragged rows)."""
    names = [str(i) for i in range(width)]
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(text),
            read_options=pa_csv.ReadOptions(column_names=names, block_size=len(text) + 1,
                                            use_threads=False),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                  strings_can_be_null=False))
    except pa.ArrowInvalid:
        return None
    return [table.column(i).to_pylist() for i in range(width)]


def _split(text: bytes, width: int, delimiter: str = ",") -> list[list[str]] | None:
    columns = native.split(memoryview(text), delimiter, '"', width)
    if columns is None:
        return None
    assert all(column.type == pa.string() for column in columns)
    for column in columns:
        column.validate(full=True)
    return [column.to_pylist() for column in columns]


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list('ab1é,;\n\r" ')), max_size=60),
       width=st.integers(1, 4), delimiter=st.sampled_from([",", ";"]))
@example(text="1,a\r\n22,\n,c", width=2, delimiter=",")
@example(text="x\n\ny\n", width=1, delimiter=",")
def test_what_the_splitter_takes_it_reads_as_arrow_does(text: str, width: int,
                                                        delimiter: str) -> None:
    data = text.encode()
    ours = _split(data, width, delimiter)
    if ours is not None:
        assert ours == _arrow(data, width, delimiter)


def test_plain_text_is_taken() -> None:
    lines = [f"{i},S{i:03d},2024-01-0{i % 9 + 1},Süd,{i * 0.5}" for i in range(1000)]
    for ending in ("\n", "\r\n"):
        text = ending.join(lines).encode()
        for data in (text, text + ending.encode()):
            ours = _split(data, 5)
            assert ours is not None, repr(ending)
            assert ours == _arrow(data, 5, ",")
            assert ours[3][0] == "Süd" and len(ours[0]) == 1000


def test_long_cells_and_the_last_bytes_are_copied_whole() -> None:
    long = "é" * 40
    text = f"{long},x\ny,{long}".encode()
    assert _split(text, 2) == [[long, "y"], ["x", long]]


@pytest.mark.parametrize("text", [
    b'1,"a"\n', b"1,a\rb\n", b"1\n", b"1,2,3\n", b"1,2\n\n3,4\n", b"\xff,1\n", b"1,",
    b"1,2\r",
])
def test_what_is_not_plain_is_refused(text: bytes) -> None:
    assert _split(text, 2) is None


def test_nothing_is_split_without_the_extension() -> None:
    with native.disabled():
        assert native.split(memoryview(b"1,2\n"), ",", '"', 2) is None
