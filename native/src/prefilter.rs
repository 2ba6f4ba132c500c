//! The identifier scan's prefilters (publisher.detect.kinds: one RE2-syntax
//! pattern per kind), compiled once into a few `regex` crate sets and run over
//! an Arrow string array, each cell read once per set.
//!
//! pyarrow compiles a pattern at each call and reads the column once per
//! pattern (or per screen of joined patterns); here one pass of a set's
//! automaton over a cell tells every pattern of the set that matches in it,
//! and the result is one bitmask per cell. A set's lazy DFA builds its states
//! as it meets text, which costs the more the more patterns it holds, so the
//! kinds come in a few sets (as publisher.detect.kinds groups them in screens)
//! rather than one: a fresh process's first batch pays less. The patterns use
//! only syntax that RE2 and the `regex` crate share; where their classes
//! differ (`\s` is ASCII in RE2, Unicode here) the crate's is the wider, so the
//! sets let through at least what RE2 does (tests/detect/test_detect_prefilters.py
//! checks each kind against its Python pattern through this path too).

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use regex::bytes::{RegexSet, RegexSetBuilder};

/// Up to 64 patterns, one bit each.
const MAX_BIT: u32 = 63;

/// Compiled prefilters: sets of patterns, and the bit each pattern sets.
#[pyclass(frozen, module = "publisher_kernels")]
pub struct Prefilters {
    sets: Vec<(RegexSet, Vec<u32>)>,
}

impl Prefilters {
    fn build(sets: Vec<Vec<(u32, String, bool)>>) -> Result<Self, String> {
        let mut out = Vec::with_capacity(sets.len());
        for patterns in sets {
            if let Some((bit, _, _)) = patterns.iter().find(|(bit, _, _)| *bit > MAX_BIT) {
                return Err(format!("a prefilter's bit must be at most {MAX_BIT}, not {bit}"));
            }
            let set = RegexSetBuilder::new(patterns.iter().map(|(_, pattern, ignore_case)| {
                if *ignore_case {
                    format!("(?i:{pattern})")
                } else {
                    pattern.clone()
                }
            }))
            .size_limit(256 << 20)
            .dfa_size_limit(64 << 20)
            .build()
            .map_err(|e| format!("a prefilter does not compile: {e}"))?;
            out.push((set, patterns.iter().map(|(bit, _, _)| *bit).collect()));
        }
        Ok(Prefilters { sets: out })
    }

    #[inline]
    fn mask(&self, cell: &[u8]) -> u64 {
        let mut mask = 0u64;
        for (set, bits) in &self.sets {
            for k in set.matches(cell).iter() {
                mask |= 1u64 << bits[k];
            }
        }
        mask
    }

    fn masks(&self, offsets: &[i32], data: &[u8]) -> Option<Vec<u64>> {
        let size = offsets.len().checked_sub(1)?;
        let mut out = Vec::with_capacity(size);
        for i in 0..size {
            out.push(self.mask(crate::cells::cell(offsets, data, i)?));
        }
        Some(out)
    }
}

#[pymethods]
impl Prefilters {
    /// `sets`: lists of (bit, pattern, ignore_case), bits at most 63; each
    /// list one set. ValueError if a pattern does not compile.
    #[new]
    fn new(py: Python<'_>, sets: Vec<Vec<(u32, String, bool)>>) -> PyResult<Self> {
        py.detach(|| Self::build(sets)).map_err(PyValueError::new_err)
    }

    /// Per cell of a string array (its `offsets`, one more than the cells, and
    /// `data`), the bits of the patterns that match somewhere in it.
    fn scan<'py>(
        &self,
        py: Python<'py>,
        offsets: PyReadonlyArray1<'py, i32>,
        data: PyReadonlyArray1<'py, u8>,
    ) -> PyResult<Bound<'py, PyArray1<u64>>> {
        let (offsets, data) = crate::cells_of(&offsets, &data)?;
        let masks = py
            .detach(|| self.masks(offsets, data))
            .ok_or_else(|| PyValueError::new_err("offsets outside the data"))?;
        Ok(masks.into_pyarray(py))
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Prefilters>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(texts: &[&str]) -> (Vec<i32>, Vec<u8>) {
        let mut offsets = vec![0i32];
        let mut data = Vec::new();
        for t in texts {
            data.extend_from_slice(t.as_bytes());
            offsets.push(data.len() as i32);
        }
        (offsets, data)
    }

    #[test]
    fn the_bits_of_every_pattern_that_matches() {
        let set = Prefilters::build(vec![
            vec![(0, "@".into(), false), (5, "straße".into(), true)],
            vec![(63, r"\p{Nd}{3}".into(), false)],
            vec![],
        ])
        .unwrap();
        let (offsets, data) = cells(&["a@b", "STRASSE", "STRAßE 123 @", "", "x"]);
        let want = vec![1, 0, 1 | 1 << 5 | 1 << 63, 0, 0];
        assert_eq!(set.masks(&offsets, &data).unwrap(), want);
    }

    #[test]
    fn bad_patterns_bits_and_offsets() {
        assert!(Prefilters::build(vec![vec![(0, "(".into(), false)]]).is_err());
        assert!(Prefilters::build(vec![vec![(64, "a".into(), false)]]).is_err());
        let set = Prefilters::build(vec![vec![(0, "a".into(), false)]]).unwrap();
        assert!(set.masks(&[0, 5], b"ab").is_none());
        assert_eq!(set.masks(&[0], b"").unwrap(), Vec::<u64>::new());
    }
}
