"""The compiled cell readers (the `publisher_kernels` extension, in `native/`).

Each reads a whole block of text in one call without holding the GIL, and
takes exactly the cells of a fixed shape that frictionless certainly accepts
(`-?[0-9]{1,18}`, `YYYY-MM-DD` real dates, plain decimals read to the nearest
float, ...), with their values. Python's own Arrow fast paths (fast.py) take
over where the extension is not installed: they keep the same promise, with
more Arrow calls per block.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from publisher.validate.engine.arrays import text_buffers

kernels: ModuleType | None
try:
    kernels = importlib.import_module("publisher_kernels")
except ImportError:  # the extension is not built here: the Arrow fast paths serve
    kernels = None

Kernel = Callable[[Any, Any], tuple[npt.NDArray[Any], npt.NDArray[Any]]]
_TEXT = (pa.string(), pa.binary())


def available() -> bool:
    return kernels is not None


@contextmanager
def disabled() -> Iterator[None]:
    """Inside the block, fast paths built and run use Arrow alone (to test
    and compare both routes)."""
    global kernels
    saved, kernels = kernels, None
    try:
        yield
    finally:
        kernels = saved


def readable(raw: pa.Array) -> bool:
    """Whether the kernels can read `raw` (a plain string or binary array)."""
    return kernels is not None and raw.type in _TEXT


def _bits(bits: npt.NDArray[np.uint8], raw: pa.Array) -> pa.Array:
    """A kernel's bitmap as an Arrow boolean array (null cells: False)."""
    flags = pa.Array.from_buffers(pa.bool_(), len(raw), [None, pa.py_buffer(bits)])
    return pc.and_(flags, pc.is_valid(raw)) if raw.null_count else flags


def read(name: str, raw: pa.Array, kind: pa.DataType) -> tuple[pa.Array, pa.Array]:
    """(ok, values as `kind`) by the kernel `name`; values of cells not ok are 0."""
    assert kernels is not None
    kernel: Kernel = getattr(kernels, name)
    ok, values = kernel(*text_buffers(raw))
    typed = pa.array(values)
    if typed.type != kind:
        typed = typed.view(kind)
    return _bits(ok, raw), typed


def members(raw: pa.Array, values: pa.Array, first: int = 0) -> tuple[pa.Array, pa.Array]:
    """Per cell, whether it equals one of `values`, and whether one of the
    first `first` of them (null cells: False)."""
    assert kernels is not None
    member, early = kernels.members(*text_buffers(raw), *text_buffers(values), first)
    return _bits(member, raw), _bits(early, raw)


def member(raw: pa.Array, values: pa.Array) -> pa.Array:
    return members(raw, values)[0]


def positions(mask: pa.Array) -> npt.NDArray[np.int64]:
    """Positions of the true values of a boolean array without nulls."""
    assert kernels is not None
    bits = np.frombuffer(mask.buffers()[1], dtype=np.uint8)
    found: npt.NDArray[np.int64] = kernels.positions(bits, mask.offset, len(mask))
    return found


_WORDS = {pa.int64(), pa.timestamp("us"), pa.time64("us")}  # 64-bit values, no NaN


def repeated_keys(column: pa.ChunkedArray
                  ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None:
    """Of a key column with 64-bit integer values: the positions of its nulls
    and of the values an earlier row holds, ascending; None where the kernel
    does not apply (another type, or values too far from increasing)."""
    if kernels is None or column.type not in _WORDS:
        return None
    chunks = []
    for chunk in column.chunks:
        validity, values = chunk.buffers()[:2]
        words = np.frombuffer(values, dtype=np.int64)[chunk.offset:chunk.offset + len(chunk)] \
            if values is not None else np.zeros(0, dtype=np.int64)
        bits = np.frombuffer(validity, dtype=np.uint8) if validity is not None and \
            chunk.null_count else np.zeros(0, dtype=np.uint8)
        chunks.append((words, bits, chunk.offset))
    found: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None = \
        kernels.repeated_keys(chunks)
    return found


def split(text: memoryview, delimiter: str, quote: str, width: int) -> list[pa.Array] | None:
    """Plain CSV text (no quote character, a record per line, `width` cells
    on each) as `width` string columns; None for text that is not plain or
    not UTF-8, which Arrow's parser then reads. The columns share two
    buffers from Arrow's memory pool, which keeps freed memory for the next."""
    if kernels is None or not (delimiter.isascii() and quote.isascii()):
        return None
    buffers: list[pa.Buffer] = []

    def allocate(offsets_size: int, data_size: int) -> tuple[npt.NDArray[np.uint8], ...]:
        buffers.extend((pa.allocate_buffer(offsets_size), pa.allocate_buffer(data_size)))
        return tuple(np.frombuffer(buffer, dtype=np.uint8) for buffer in buffers)

    rows = kernels.split_plain(np.frombuffer(text, dtype=np.uint8), ord(delimiter), ord(quote),
                               width, allocate)
    if rows is None:
        return None
    offsets, data = buffers
    step = 4 * (rows + 1)
    return [pa.Array.from_buffers(pa.string(), rows, [None, offsets.slice(k * step, step), data])
            for k in range(width)]


def fixed_width(raw: pa.Array, table: npt.NDArray[np.uint8], width: int) -> pa.Array:
    assert kernels is not None
    return _bits(kernels.fixed_width(*text_buffers(raw), table, width), raw)
