//! Splitting plain CSV text into columns in Arrow's string layout.
//!
//! "Plain" means what any CSV parser reads the same way: no quote character
//! anywhere, every record on its own line ending in LF or CRLF, and every
//! line holding exactly `width` cells. Text that is not plain is refused as
//! a whole (None), and the caller hands it to Arrow's parser, which knows
//! the rest of CSV.
//!
//! Two passes: `scan` finds where every cell ends and how many bytes each
//! column holds, so that the caller can allocate the columns exactly; `fill`
//! then copies the cells into them.

/// Where the cells of a plain text end, row by row, and what they add up to.
pub struct Scan {
    pub rows: usize,
    /// Bytes per column.
    pub sizes: Vec<usize>,
    /// Per cell (row-major), the position of the byte that ends it: the
    /// delimiter, the LF, the CR of a CRLF, or the end of the text.
    pub ends: Vec<u32>,
}

/// Extra bytes each column's data needs past its cells: `fill` copies short
/// cells 16 bytes at a time.
pub const SLACK: usize = 16;

/// The cells of `text`, or (giving `ends`, a buffer to reuse, back) an
/// error when it is not plain (see the module), not UTF-8, empty, or too
/// long for 32-bit offsets.
pub fn scan(
    text: &[u8],
    delimiter: u8,
    quote: u8,
    width: usize,
    ends: Vec<u32>,
) -> Result<Scan, Vec<u32>> {
    if width == 0
        || text.is_empty()
        || text.len() >= i32::MAX as usize
        || matches!(delimiter, b'\r' | b'\n')
        || delimiter == quote
        || simdutf8::basic::from_utf8(text).is_err()
    {
        return Err(ends);
    }
    let mut state = State { text, width, column: 0, start: 0, sizes: vec![0; width], ends };
    state.ends.clear();
    match state.walk(Special::new(delimiter, quote), delimiter) {
        Some(()) => {
            Ok(Scan { rows: state.ends.len() / width, sizes: state.sizes, ends: state.ends })
        }
        None => Err(state.ends),
    }
}

struct State<'a> {
    text: &'a [u8],
    width: usize,
    column: usize,
    start: usize,
    sizes: Vec<usize>,
    ends: Vec<u32>,
}

impl State<'_> {
    /// Every special byte of the text in order, then the last line.
    fn walk(&mut self, special: Special, delimiter: u8) -> Option<()> {
        let text = self.text;
        let mut base = 0;
        while base + 64 <= text.len() {
            let mut bits = special.mask64(&text[base..base + 64]);
            while bits != 0 {
                self.at(base + bits.trailing_zeros() as usize, delimiter)?;
                bits &= bits - 1;
            }
            base += 64;
        }
        for at in base..text.len() {
            if special.is(text[at]) {
                self.at(at, delimiter)?;
            }
        }
        if self.start < text.len() {
            self.end_line(text.len())
        } else if self.column != 0 {
            None
        } else {
            Some(())
        }
    }

    /// A special byte at `at`.
    #[inline(always)]
    fn at(&mut self, at: usize, delimiter: u8) -> Option<()> {
        let byte = self.text[at];
        if at < self.start {
            return Some(()); // the LF of a CRLF, already taken
        }
        if byte == delimiter {
            if self.column + 1 >= self.width {
                return None; // more cells than the header has
            }
            self.cell(at);
            self.column += 1;
            self.start = at + 1;
            return Some(());
        }
        match byte {
            b'\n' => {
                self.end_line(at)?;
                self.start = at + 1;
            }
            b'\r' if self.text.get(at + 1) == Some(&b'\n') => {
                self.end_line(at)?;
                self.start = at + 2;
            }
            _ => return None, // a quote, or a CR alone
        }
        Some(())
    }

    #[inline(always)]
    fn cell(&mut self, stop: usize) {
        self.sizes[self.column] += stop - self.start;
        self.ends.push(stop as u32);
    }

    /// The last cell of a line: the line must have had exactly `width` cells,
    /// and a blank line is not plain (parsers disagree on what it holds).
    #[inline(always)]
    fn end_line(&mut self, stop: usize) -> Option<()> {
        if self.column + 1 != self.width || (self.width == 1 && self.start == stop) {
            return None;
        }
        self.cell(stop);
        self.column = 0;
        Some(())
    }
}

impl Scan {
    /// Where each column's bytes start in one shared data buffer: each
    /// after the one before, SLACK bytes apart.
    pub fn bases(&self) -> Vec<usize> {
        let mut at = 0;
        self.sizes
            .iter()
            .map(|size| {
                let base = at;
                at += size + SLACK;
                base
            })
            .collect()
    }

    /// The length of the shared data buffer.
    pub fn data_size(&self) -> usize {
        self.sizes.iter().map(|size| size + SLACK).sum()
    }
}

/// Copies the cells `scan` found into one data buffer (`scan.data_size()`
/// bytes, column after column from `scan.bases()`) and one offsets buffer
/// (column after column, `rows + 1` offsets each, into the data buffer).
pub fn fill(text: &[u8], scan: &Scan, offsets: &mut [i32], data: &mut [u8]) {
    let width = scan.sizes.len();
    let rows = scan.rows;
    let mut filled = scan.bases();
    for (column, &base) in filled.iter().enumerate() {
        offsets[column * (rows + 1)] = base as i32;
    }
    let mut start = 0;
    for (row, ends) in scan.ends.chunks_exact(width).enumerate() {
        for (column, &end) in ends.iter().enumerate() {
            let end = end as usize;
            let length = end - start;
            let at = filled[column];
            if length <= 16 && start + 16 <= text.len() {
                data[at..at + 16].copy_from_slice(&text[start..start + 16]);
            } else {
                data[at..at + length].copy_from_slice(&text[start..end]);
            }
            filled[column] = at + length;
            offsets[column * (rows + 1) + row + 1] = (at + length) as i32;
            start = end + if text.get(end) == Some(&b'\r') { 2 } else { 1 };
        }
    }
}

/// Which bytes end a cell or refuse the text: the delimiter, LF, CR, quote.
struct Special {
    bytes: [u8; 4],
}

impl Special {
    fn new(delimiter: u8, quote: u8) -> Self {
        Special { bytes: [delimiter, b'\n', b'\r', quote] }
    }

    #[inline(always)]
    fn is(&self, byte: u8) -> bool {
        self.bytes.contains(&byte)
    }

    /// Bit k set when byte k of the 64 is special.
    #[inline(always)]
    fn mask64(&self, block: &[u8]) -> u64 {
        #[cfg(target_arch = "x86_64")]
        {
            // SSE2 is part of x86-64 itself
            use std::arch::x86_64::*;
            // SAFETY: `block` holds 64 bytes; unaligned loads; SSE2 is baseline.
            unsafe {
                let [d, n, r, q] = self.bytes.map(|b| _mm_set1_epi8(b as i8));
                let mut bits = 0u64;
                for k in 0..4 {
                    let v = _mm_loadu_si128(block.as_ptr().add(16 * k) as *const __m128i);
                    let hit = _mm_or_si128(
                        _mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, n)),
                        _mm_or_si128(_mm_cmpeq_epi8(v, r), _mm_cmpeq_epi8(v, q)),
                    );
                    bits |= u64::from(_mm_movemask_epi8(hit) as u16) << (16 * k);
                }
                bits
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            block
                .iter()
                .enumerate()
                .fold(0u64, |bits, (k, &b)| bits | (u64::from(self.is(b)) << k))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &[u8], width: usize) -> Option<Vec<Vec<String>>> {
        let scan = scan(text, b',', b'"', width, Vec::new()).ok()?;
        let rows = scan.rows;
        let mut offsets = vec![0i32; width * (rows + 1)];
        let mut data = vec![0u8; scan.data_size()];
        fill(text, &scan, &mut offsets, &mut data);
        Some(
            offsets
                .chunks_exact(rows + 1)
                .map(|column| {
                    column
                        .windows(2)
                        .map(|w| {
                            String::from_utf8(data[w[0] as usize..w[1] as usize].to_vec()).unwrap()
                        })
                        .collect()
                })
                .collect(),
        )
    }

    #[test]
    fn splits_lines_and_cells() {
        let out = split(b"1,a\r\n22,\n,c", 2).unwrap();
        assert_eq!(out, [vec!["1", "22", ""], vec!["a", "", "c"]]);
        let long = "x".repeat(100);
        let text = format!("{long},{long}\n").repeat(3);
        let out = split(text.as_bytes(), 2).unwrap();
        assert_eq!(out[1], vec![long.clone(); 3]);
    }

    #[test]
    fn refuses_what_is_not_plain() {
        for text in [&b"1,\"a\"\n"[..], b"1,a\rb\n", b"1\n", b"1,2,3\n", b"1,2\n\n3,4\n", b"\xff,1\n"] {
            assert!(split(text, 2).is_none(), "{text:?}");
        }
        assert!(split(b"a\n\nb\n", 1).is_none());
    }
}
