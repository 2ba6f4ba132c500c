"""Reading Arrow arrays as numpy: boolean masks and the buffers of text."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

BoolArray = npt.NDArray[np.bool_]


def to_numpy_bool(array: pa.Array | pa.ChunkedArray) -> BoolArray:
    """Arrow booleans as numpy, nulls as False."""
    filled = pc.fill_null(array, False)
    return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)


def text_buffers(text: pa.Array) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.uint8]]:
    """A string or binary array's offsets (one more than its cells, from its
    slice offset) and its data bytes, as numpy views; the data is one zero
    byte when there are none, so that an index clipped to it stays valid."""
    _, offsets_buffer, data_buffer = text.buffers()[:3]
    stop = text.offset + len(text) + 1
    offsets = (np.frombuffer(offsets_buffer, dtype=np.int32)[text.offset:stop]
               if offsets_buffer is not None else np.zeros(1, dtype=np.int32))
    data = (np.frombuffer(data_buffer, dtype=np.uint8)
            if data_buffer is not None and data_buffer.size else np.zeros(1, dtype=np.uint8))
    return offsets, data
