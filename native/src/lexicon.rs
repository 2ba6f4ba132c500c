//! The person-name lexicon (publisher.detect.name_lists: lower-case word ->
//! flags) as one block of bytes, for the identifier scan.
//!
//! As a Python dict the lexicon costs every scan process about 0.15 s to
//! load (350,000 strings made one by one); as this block it loads in a few
//! milliseconds: one copy of the bytes and a pass of checks, as the block
//! holds its own hash table. A lookup (`get`) hashes the word and compares
//! bytes. The block is what `encode` writes: a header (magic, count, sizes,
//! a checksum of the rest), then the flags (u64), the end offset of each
//! word (u32), the open-addressing table of word positions (u32, a power of
//! two of slots, linear probing) and the words (UTF-8, sorted); all little-endian.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

const MAGIC: &[u8; 8] = b"PUBLEX02";
const HEADER: usize = 8 * 5; // magic, count, word bytes, slots, checksum
const EMPTY: u32 = u32::MAX;

/// FNV-1a over 8-byte words (the tail zero-padded): a cheap check that a
/// cached block is the one written, not a cut or damaged file.
fn checksum(data: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut chunks = data.chunks_exact(8);
    for chunk in &mut chunks {
        hash ^= u64::from_le_bytes(chunk.try_into().unwrap());
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    hash ^= u64::from_le_bytes(tail) ^ data.len() as u64;
    hash.wrapping_mul(0x0000_0100_0000_01b3)
}

/// FNV-1a of a word's bytes (the table's hash).
#[inline(always)]
fn hash_word(word: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in word {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash ^ (hash >> 29)
}

#[inline(always)]
fn u32_at(data: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(data[at..at + 4].try_into().unwrap())
}

#[inline(always)]
fn u64_at(data: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(data[at..at + 8].try_into().unwrap())
}

/// The lexicon: per word its flags, found through the block's hash table.
#[pyclass(frozen, module = "publisher_kernels")]
pub struct Lexicon {
    data: Vec<u8>,
    count: usize,
    mask: usize,
    ends: usize,  // where the sections start in `data`
    table: usize,
    words: usize,
}

impl Lexicon {
    #[inline(always)]
    fn word(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { u32_at(&self.data, self.ends + 4 * (i - 1)) as usize };
        let end = u32_at(&self.data, self.ends + 4 * i) as usize;
        &self.data[self.words + start..self.words + end]
    }

    #[inline(always)]
    fn flags(&self, i: usize) -> u64 {
        u64_at(&self.data, HEADER + 8 * i)
    }

    fn find(&self, word: &[u8]) -> Option<usize> {
        let mut slot = hash_word(word) as usize & self.mask;
        loop {
            let at = u32_at(&self.data, self.table + 4 * slot);
            if at == EMPTY {
                return None;
            }
            if self.word(at as usize) == word {
                return Some(at as usize);
            }
            slot = (slot + 1) & self.mask;
        }
    }

    fn parse(data: &[u8]) -> Result<Self, String> {
        if data.len() < HEADER || &data[..8] != MAGIC {
            return Err("not a lexicon block".into());
        }
        let (count, size, slots) =
            (u64_at(data, 8) as usize, u64_at(data, 16) as usize, u64_at(data, 24) as usize);
        if count >= EMPTY as usize || !slots.is_power_of_two() || slots <= count
            || data.len() != HEADER + count * 12 + slots * 4 + size
        {
            return Err("lexicon block of the wrong size".into());
        }
        if checksum(&data[HEADER..]) != u64_at(data, 32) {
            return Err("lexicon block damaged (checksum)".into());
        }
        let (ends, table) = (HEADER + count * 8, HEADER + count * 12);
        let words = table + slots * 4;
        let mut last = 0u32;
        for i in 0..count {
            let end = u32_at(data, ends + 4 * i);
            if end < last || end as usize > size {
                return Err("lexicon block with bad word offsets".into());
            }
            last = end;
        }
        let mut empty = 0usize;
        for slot in 0..slots {
            let at = u32_at(data, table + 4 * slot);
            if at == EMPTY {
                empty += 1;
            } else if at as usize >= count {
                return Err("lexicon block with a bad table".into());
            }
        }
        if last as usize != size || empty == 0 || simdutf8::basic::from_utf8(&data[words..]).is_err()
        {
            return Err("lexicon block with bad words".into());
        }
        Ok(Lexicon { data: data.to_vec(), count, mask: slots - 1, ends, table, words })
    }
}

/// The block of a lexicon given as (word, flags) pairs (words distinct).
pub fn encode_pairs(mut pairs: Vec<(String, u64)>) -> Result<Vec<u8>, String> {
    pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    if pairs.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err("a word given twice".into());
    }
    let size: usize = pairs.iter().map(|(w, _)| w.len()).sum();
    if size >= EMPTY as usize || pairs.len() >= (EMPTY / 2) as usize {
        return Err("lexicon too big".into());
    }
    let slots = (pairs.len() * 2).next_power_of_two().max(16);
    let mut table = vec![EMPTY; slots];
    for (i, (w, _)) in pairs.iter().enumerate() {
        let mut slot = hash_word(w.as_bytes()) as usize & (slots - 1);
        while table[slot] != EMPTY {
            slot = (slot + 1) & (slots - 1);
        }
        table[slot] = i as u32;
    }
    let mut body = Vec::with_capacity(pairs.len() * 12 + slots * 4 + size);
    for (_, f) in &pairs {
        body.extend_from_slice(&f.to_le_bytes());
    }
    let mut end = 0u32;
    for (w, _) in &pairs {
        end += w.len() as u32;
        body.extend_from_slice(&end.to_le_bytes());
    }
    for at in &table {
        body.extend_from_slice(&at.to_le_bytes());
    }
    for (w, _) in &pairs {
        body.extend_from_slice(w.as_bytes());
    }
    let mut out = Vec::with_capacity(HEADER + body.len());
    out.extend_from_slice(MAGIC);
    for field in [pairs.len() as u64, size as u64, slots as u64, checksum(&body)] {
        out.extend_from_slice(&field.to_le_bytes());
    }
    out.extend_from_slice(&body);
    Ok(out)
}

#[pymethods]
impl Lexicon {
    /// The lexicon in a block that `encode` wrote; ValueError if it is not one.
    #[new]
    fn new(py: Python<'_>, data: &[u8]) -> PyResult<Self> {
        py.detach(|| Self::parse(data)).map_err(PyValueError::new_err)
    }

    /// The word's flags, or `default` (None) if the lexicon lacks it (dict.get).
    #[pyo3(signature = (word, default=None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        word: &str,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match self.find(word.as_bytes()) {
            Some(i) => Ok(self.flags(i).into_pyobject(py)?.into_any()),
            None => Ok(default.unwrap_or_else(|| py.None().into_bound(py))),
        }
    }

    fn __contains__(&self, word: &str) -> bool {
        self.find(word.as_bytes()).is_some()
    }

    fn __len__(&self) -> usize {
        self.count
    }

    /// Every (word, flags), in the order of the words.
    fn items(&self) -> Vec<(String, u64)> {
        (0..self.count)
            .map(|i| (String::from_utf8_lossy(self.word(i)).into_owned(), self.flags(i)))
            .collect()
    }
}

/// The block of a lexicon given as a dict of word -> flags (non-negative ints
/// below 2**64).
#[pyfunction]
pub fn encode<'py>(py: Python<'py>, words: &Bound<'py, PyDict>) -> PyResult<Bound<'py, PyBytes>> {
    let mut pairs = Vec::with_capacity(words.len());
    for (word, flags) in words.iter() {
        pairs.push((word.extract::<String>()?, flags.extract::<u64>()?));
    }
    let block = py.detach(|| encode_pairs(pairs)).map_err(PyValueError::new_err)?;
    Ok(PyBytes::new(py, &block))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Lexicon>()?;
    m.add_function(wrap_pyfunction!(encode, m)?)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(pairs: &[(&str, u64)]) -> Lexicon {
        let block = encode_pairs(pairs.iter().map(|(w, f)| (w.to_string(), *f)).collect()).unwrap();
        Lexicon::parse(&block).unwrap()
    }

    #[test]
    fn finds_every_word_and_no_other() {
        let pairs: Vec<(String, u64)> =
            (0..5000u64).map(|i| (format!("wört{i}"), i * 3 + 1)).collect();
        let block = encode_pairs(pairs.clone()).unwrap();
        let lex = Lexicon::parse(&block).unwrap();
        for (w, f) in &pairs {
            assert_eq!(lex.find(w.as_bytes()).map(|i| lex.flags(i)), Some(*f));
        }
        assert_eq!(lex.find("wört5000".as_bytes()), None);
        assert_eq!(lex.find(b""), None);
    }

    #[test]
    fn empty_word_and_empty_lexicon() {
        let lex = lexicon(&[("", 7), ("a", 1)]);
        assert_eq!(lex.find(b"").map(|i| lex.flags(i)), Some(7));
        let none = lexicon(&[]);
        assert_eq!(none.find(b"a"), None);
    }

    #[test]
    fn rejects_damaged_blocks() {
        let block = encode_pairs(vec![("müller".into(), 3), ("wagner".into(), 5)]).unwrap();
        assert!(Lexicon::parse(&block[..block.len() - 1]).is_err());
        let mut bad = block.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert!(Lexicon::parse(&bad).is_err());
        assert!(Lexicon::parse(b"PUBLEX02").is_err());
        assert!(encode_pairs(vec![("a".into(), 1), ("a".into(), 2)]).is_err());
    }
}
