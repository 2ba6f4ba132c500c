//! Compiled parts of publisher's columnar validation engine: a splitter of
//! plain CSV text into columns (`split`), cell readers (`cells`), and the
//! repeated values of a key column (`keys`); and of its identifier scan: the
//! name lexicon (`lexicon`) and the kinds' prefilters as one set (`prefilter`).
//!
//! The cell readers read one Arrow string or binary array through its two
//! buffers, given as numpy arrays: `offsets` (one more than the cells, from
//! the array's slice offset) and `data` (the bytes). Every function releases
//! the GIL while it works, so the engine's worker threads run side by side.

mod cells;
mod keys;
mod lexicon;
mod prefilter;
mod split;

use std::collections::HashMap;

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1, PyReadwriteArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// Per cell a bit (Arrow's validity layout: least significant bit first),
/// and per cell a value.
type Checked<'py, T> = (Bound<'py, PyArray1<u8>>, Bound<'py, PyArray1<T>>);

/// The bitmap (Arrow's validity layout: least significant bit first) of
/// `test` over cells 0..size, built a 64-bit word at a time in a register.
#[inline(always)]
fn bitmap_of(size: usize, mut test: impl FnMut(usize) -> bool) -> Vec<u8> {
    let mut bits = Vec::with_capacity(size.div_ceil(8));
    let mut start = 0;
    while start < size {
        let count = (size - start).min(64);
        let mut word = 0u64;
        for j in 0..count {
            word |= u64::from(test(start + j)) << j;
        }
        bits.extend_from_slice(&word.to_le_bytes()[..count.div_ceil(8)]);
        start += count;
    }
    bits
}

fn cells_of<'a>(
    offsets: &'a PyReadonlyArray1<'_, i32>,
    data: &'a PyReadonlyArray1<'_, u8>,
) -> PyResult<(&'a [i32], &'a [u8])> {
    let offsets = offsets.as_slice()?;
    if offsets.is_empty() {
        return Err(PyValueError::new_err("offsets need at least one entry"));
    }
    Ok((offsets, data.as_slice()?))
}

/// Runs `read` over every cell without the GIL: per cell, whether it was
/// taken (a bit), and its value (0 where not).
fn read_all<'py, T, F>(
    py: Python<'py>,
    offsets: PyReadonlyArray1<'py, i32>,
    data: PyReadonlyArray1<'py, u8>,
    read: F,
) -> PyResult<Checked<'py, T>>
where
    T: numpy::Element + Default + Copy + Send,
    F: Fn(&[u8]) -> Option<T> + Send + Sync,
{
    let (offsets, data) = cells_of(&offsets, &data)?;
    let (ok, values) = py.detach(|| {
        let size = offsets.len() - 1;
        let mut values = Vec::with_capacity(size);
        let ok = bitmap_of(size, |i| {
            let value = cells::cell(offsets, data, i).and_then(&read);
            values.push(value.unwrap_or_default());
            value.is_some()
        });
        (ok, values)
    });
    Ok((ok.into_pyarray(py), values.into_pyarray(py)))
}

/// One Python function per cell reader: `name(offsets, data) -> (ok, values)`.
macro_rules! readers {
    ($($(#[$doc:meta])* $name:ident -> $kind:ty = $read:expr;)*) => {$(
        $(#[$doc])*
        #[pyfunction]
        fn $name<'py>(
            py: Python<'py>,
            offsets: PyReadonlyArray1<'py, i32>,
            data: PyReadonlyArray1<'py, u8>,
        ) -> PyResult<Checked<'py, $kind>> {
            read_all(py, offsets, data, $read)
        }
    )*};
}

readers! {
    /// Integers `-?[0-9]{1,18}`.
    integers -> i64 = cells::integer;
    /// Years of four ASCII digits.
    years -> i64 = cells::year;
    /// Plain decimal numbers, as floats.
    numbers -> f64 = cells::number;
    /// ISO dates `YYYY-MM-DD`: days since 1970-01-01 (an i32 holds years 1 to 9999).
    dates -> i32 = |b: &[u8]| cells::date(b).map(|d| d as i32);
    /// Times `hh:mm:ss`: microseconds since midnight.
    times -> i64 = |b: &[u8]| cells::time(b).map(|s| s * 1_000_000);
    /// ISO datetimes `YYYY-MM-DD[T ]hh:mm:ss`: seconds since the epoch.
    datetimes -> i64 = cells::datetime;
}

/// Up to 8 bytes as one integer, zero-padded (so compare the lengths too).
#[inline(always)]
fn pack(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    for (slot, &b) in word.iter_mut().zip(bytes) {
        *slot = b;
    }
    u64::from_le_bytes(word)
}

/// The cell at `start..stop` packed as `pack` does, reading 8 bytes at once
/// where the buffer has them.
#[inline(always)]
fn pack_at(data: &[u8], start: usize, stop: usize) -> u64 {
    let length = stop - start;
    match data.get(start..start + 8) {
        Some(window) => {
            let word = u64::from_le_bytes(window.try_into().unwrap_or([0; 8]));
            if length >= 8 {
                word
            } else {
                word & ((1u64 << (8 * length)) - 1)
            }
        }
        None => pack(&data[start..stop]),
    }
}

/// Bitmaps of the cells `find` places in the set, and of those it places
/// among the first `first` values.
fn mark(size: usize, first: usize, find: impl Fn(usize) -> Option<usize>) -> (Vec<u8>, Vec<u8>) {
    let mut early = Vec::with_capacity(size.div_ceil(8));
    let mut word = 0u64;
    let member = bitmap_of(size, |i| {
        let at = find(i);
        let j = i % 64;
        word |= u64::from(at.is_some_and(|at| at < first)) << j;
        if j == 63 || i + 1 == size {
            early.extend_from_slice(&word.to_le_bytes()[..(j + 1).div_ceil(8)]);
            word = 0;
        }
        at.is_some()
    });
    (member, early)
}

/// Per cell, whether it equals one of the set's values (`set_offsets`,
/// `set_data`) byte for byte, and whether one of the first `first` of them
/// (bitmaps).
#[pyfunction]
fn members<'py>(
    py: Python<'py>,
    offsets: PyReadonlyArray1<'py, i32>,
    data: PyReadonlyArray1<'py, u8>,
    set_offsets: PyReadonlyArray1<'py, i32>,
    set_data: PyReadonlyArray1<'py, u8>,
    first: usize,
) -> PyResult<(Bound<'py, PyArray1<u8>>, Bound<'py, PyArray1<u8>>)> {
    let (offsets, data) = cells_of(&offsets, &data)?;
    let (set_offsets, set_data) = cells_of(&set_offsets, &set_data)?;
    let found = py.detach(|| -> Option<(Vec<u8>, Vec<u8>)> {
        let count = set_offsets.len() - 1;
        let mut values: Vec<&[u8]> = Vec::with_capacity(count);
        for i in 0..count {
            values.push(cells::cell(set_offsets, set_data, i)?);
        }
        let size = offsets.len() - 1;
        if count <= 16 && values.iter().all(|v| v.len() <= 8) {
            // short values compare as one integer each
            let packed: Vec<(u64, usize)> = values.iter().map(|v| (pack(v), v.len())).collect();
            Some(mark(size, first, |i| {
                let c = cells::cell(offsets, data, i).filter(|c| c.len() <= 8)?;
                let start = offsets[i] as u32 as usize; // in the buffer: `cell` checked
                let key = (pack_at(data, start, start + c.len()), c.len());
                packed.iter().position(|p| *p == key)
            }))
        } else {
            let mut index: HashMap<&[u8], usize> = HashMap::with_capacity(count);
            for (at, value) in values.iter().enumerate().rev() {
                index.insert(value, at);
            }
            Some(mark(size, first, |i| {
                cells::cell(offsets, data, i).and_then(|c| index.get(c)).copied()
            }))
        }
    });
    let (member, early) =
        found.ok_or_else(|| PyValueError::new_err("set offsets outside the set data"))?;
    Ok((member.into_pyarray(py), early.into_pyarray(py)))
}

/// Per cell, whether it has `width` bytes, each allowed at its position by
/// `table` (`width` rows of 256 flags), as a bitmap.
#[pyfunction]
fn fixed_width<'py>(
    py: Python<'py>,
    offsets: PyReadonlyArray1<'py, i32>,
    data: PyReadonlyArray1<'py, u8>,
    table: PyReadonlyArray1<'py, u8>,
    width: usize,
) -> PyResult<Bound<'py, PyArray1<u8>>> {
    let (offsets, data) = cells_of(&offsets, &data)?;
    let table = table.as_slice()?;
    if table.len() != width * 256 {
        return Err(PyValueError::new_err("the table needs 256 flags per position"));
    }
    let ok = py.detach(|| {
        bitmap_of(offsets.len() - 1, |i| {
            cells::cell(offsets, data, i).is_some_and(|c| cells::fixed_width(c, table, width))
        })
    });
    Ok(ok.into_pyarray(py))
}

/// Positions of the set bits among bits `offset..offset + length` of
/// `bitmap` (Arrow's validity layout), ascending, counted from `offset`.
#[pyfunction]
fn positions<'py>(
    py: Python<'py>,
    bitmap: PyReadonlyArray1<'py, u8>,
    offset: usize,
    length: usize,
) -> PyResult<Bound<'py, PyArray1<i64>>> {
    let bits = bitmap.as_slice()?;
    if (offset + length).div_ceil(8) > bits.len() {
        return Err(PyValueError::new_err("the bitmap is shorter than offset + length"));
    }
    let found = py.detach(|| {
        let mut found = Vec::new();
        let stop = offset + length;
        let mut word_start = offset & !63;
        while word_start < stop {
            let mut word = [0u8; 8];
            let first = word_start / 8;
            let last = (first + 8).min(bits.len());
            word[..last - first].copy_from_slice(&bits[first..last]);
            let mut word = u64::from_le_bytes(word);
            if word_start < offset {
                word &= !0u64 << (offset - word_start);
            }
            if stop < word_start + 64 {
                word &= (1u64 << (stop - word_start)) - 1;
            }
            while word != 0 {
                found.push((word_start + word.trailing_zeros() as usize - offset) as i64);
                word &= word - 1;
            }
            word_start += 64;
        }
        found
    });
    Ok(found.into_pyarray(py))
}

/// Of one 64-bit key column, given as chunks of (values, validity bitmap or
/// an empty array, the bitmap's bit offset): the positions of its nulls and
/// of the values an earlier row holds, or None when the values are too far
/// from increasing (see `keys`).
#[pyfunction]
fn repeated_keys<'py>(
    py: Python<'py>,
    chunks: Vec<(PyReadonlyArray1<'py, i64>, PyReadonlyArray1<'py, u8>, usize)>,
) -> PyResult<Option<(Bound<'py, PyArray1<i64>>, Bound<'py, PyArray1<i64>>)>> {
    let mut parts = Vec::with_capacity(chunks.len());
    for (values, validity, bit_offset) in &chunks {
        let (values, validity) = (values.as_slice()?, validity.as_slice()?);
        if !validity.is_empty() && validity.len() < (bit_offset + values.len()).div_ceil(8) {
            return Err(PyValueError::new_err("a validity bitmap shorter than its values"));
        }
        parts.push(keys::Chunk { values, validity, bit_offset: *bit_offset });
    }
    let found = py.detach(|| keys::repeated(&parts));
    Ok(found.map(|(nulls, later)| (nulls.into_pyarray(py), later.into_pyarray(py))))
}

thread_local! {
    /// Cell ends of the last text split on this thread: reused, so that
    /// splitting does not map fresh pages for them each time.
    static ENDS: std::cell::Cell<Vec<u32>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Splits plain CSV `text` (see `split`) into `width` columns of Arrow's
/// string layout, in the two writable uint8 numpy arrays (the offsets one
/// 4-byte aligned) that `allocate(offsets_size, data_size)` gives: column
/// after column, `rows + 1` offsets each, all into the one data buffer. The
/// number of rows, or None when the text is not plain (nothing is
/// allocated then). One call back into Python, so one wait for the GIL.
#[pyfunction]
fn split_plain<'py>(
    py: Python<'py>,
    text: PyReadonlyArray1<'py, u8>,
    delimiter: u8,
    quote: u8,
    width: usize,
    allocate: Bound<'py, PyAny>,
) -> PyResult<Option<usize>> {
    let text = text.as_slice()?;
    let scan = match py.detach(|| split::scan(text, delimiter, quote, width, ENDS.take())) {
        Ok(scan) => scan,
        Err(ends) => {
            ENDS.set(ends);
            return Ok(None);
        }
    };
    let rows = scan.rows;
    let (mut offsets, mut data) = allocate
        .call1((4 * width * (rows + 1), scan.data_size()))?
        .extract::<(PyReadwriteArray1<'py, u8>, PyReadwriteArray1<'py, u8>)>()?;
    let data = data.as_slice_mut()?;
    // SAFETY: any 4 bytes are a valid i32; alignment is checked here
    let (head, offsets, _) = unsafe { offsets.as_slice_mut()?.align_to_mut::<i32>() };
    if !head.is_empty() || offsets.len() < width * (rows + 1) || data.len() < scan.data_size() {
        return Err(PyValueError::new_err("allocate gave buffers too short or misaligned"));
    }
    py.detach(|| split::fill(text, &scan, offsets, data));
    ENDS.set(scan.ends);
    Ok(Some(rows))
}

#[pymodule]
fn publisher_kernels(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(integers, m)?)?;
    m.add_function(wrap_pyfunction!(years, m)?)?;
    m.add_function(wrap_pyfunction!(numbers, m)?)?;
    m.add_function(wrap_pyfunction!(dates, m)?)?;
    m.add_function(wrap_pyfunction!(times, m)?)?;
    m.add_function(wrap_pyfunction!(datetimes, m)?)?;
    m.add_function(wrap_pyfunction!(members, m)?)?;
    m.add_function(wrap_pyfunction!(fixed_width, m)?)?;
    m.add_function(wrap_pyfunction!(split_plain, m)?)?;
    m.add_function(wrap_pyfunction!(positions, m)?)?;
    m.add_function(wrap_pyfunction!(repeated_keys, m)?)?;
    lexicon::register(m)?;
    prefilter::register(m)?;
    Ok(())
}
