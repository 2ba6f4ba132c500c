//! Repeated values of one 64-bit key column (unique fields, primary keys).
//!
//! Key columns are usually ids that increase down the file, but for a few
//! rows. Both sides of every descent are suspects, and so is any other row
//! whose value does not exceed the last other row's (a stray that equals a
//! later id without a descent of its own: 186, 190, 191, 189, 190); the
//! values left out then strictly increase, so they are all distinct, a
//! repeated value is a suspect's value, and one merge-walk finds every row
//! that holds one. This reads the column two or three times and allocates
//! only per suspect; when the values are too far from sorted, it gives up
//! (None) and the caller sorts.

/// One chunk of the column: values, and a validity bitmap (empty: all
/// valid) whose bit `bit_offset` belongs to the chunk's first value.
pub struct Chunk<'a> {
    pub values: &'a [i64],
    pub validity: &'a [u8],
    pub bit_offset: usize,
}

impl Chunk<'_> {
    #[inline(always)]
    fn valid(&self, i: usize) -> bool {
        if self.validity.is_empty() {
            return true;
        }
        let bit = self.bit_offset + i;
        self.validity[bit >> 3] & (1 << (bit & 7)) != 0
    }
}

/// Row positions (counted over all chunks) of null values, and of values an
/// earlier row already holds; None when the values are too far from
/// increasing for the suspects to pay.
pub fn repeated(chunks: &[Chunk]) -> Option<(Vec<i64>, Vec<i64>)> {
    let mut nulls = Vec::new();
    let mut suspects: Vec<usize> = Vec::new();
    let mut previous: Option<(usize, i64)> = None;
    let mut valid = 0usize;
    each(chunks, |position, value| match value {
        None => nulls.push(position as i64),
        Some(value) => {
            valid += 1;
            if let Some((at, before)) = previous {
                if value <= before {
                    if suspects.last() != Some(&at) {
                        suspects.push(at);
                    }
                    suspects.push(position);
                }
            }
            previous = Some((position, value));
        }
    });
    if suspects.is_empty() {
        return Some((nulls, Vec::new()));
    }
    let limit = 2 * (valid / 64);
    if suspects.len() > limit {
        return None;
    }
    let suspects = with_strays(chunks, suspects, limit)?;
    Some((nulls, later(holders(chunks, &suspects))))
}

/// The suspects, plus every other row whose value does not exceed the last
/// other row's, in position order; None when they pass `limit`.
fn with_strays(chunks: &[Chunk], suspects: Vec<usize>, limit: usize) -> Option<Vec<usize>> {
    let mut strays: Vec<usize> = Vec::new();
    let mut next_suspect = 0;
    let mut last_other: Option<i64> = None;
    each(chunks, |position, value| {
        let Some(value) = value else { return };
        if suspects.get(next_suspect) == Some(&position) {
            next_suspect += 1;
        } else if last_other.is_some_and(|last| value <= last) {
            strays.push(position);
        } else {
            last_other = Some(value);
        }
    });
    if strays.is_empty() {
        return Some(suspects);
    }
    if suspects.len() + strays.len() > limit {
        return None;
    }
    let mut all = suspects;
    all.extend(strays);
    all.sort_unstable();
    Some(all)
}

/// Calls `visit(position, value)` for every row, None for a null.
#[inline(always)]
fn each(chunks: &[Chunk], mut visit: impl FnMut(usize, Option<i64>)) {
    let mut position = 0;
    for chunk in chunks {
        for (i, &value) in chunk.values.iter().enumerate() {
            visit(position + i, chunk.valid(i).then_some(value));
        }
        position += chunk.values.len();
    }
}

/// (value, position) of every row holding a suspect's value; the values of
/// the other rows strictly increase (`with_strays`).
fn holders(chunks: &[Chunk], suspects: &[usize]) -> Vec<(i64, usize)> {
    let mut wanted: Vec<i64> = Vec::with_capacity(suspects.len());
    let mut found: Vec<(i64, usize)> = Vec::with_capacity(2 * suspects.len());
    let mut next_suspect = 0;
    // first walk: the suspects' values
    each(chunks, |position, value| {
        let Some(value) = value else { return };
        if suspects.get(next_suspect) == Some(&position) {
            next_suspect += 1;
            wanted.push(value);
            found.push((value, position));
        }
    });
    wanted.sort_unstable();
    wanted.dedup();
    // second walk: the others holding a wanted value, merged in value order
    let (mut next_suspect, mut next_wanted) = (0, 0);
    each(chunks, |position, value| {
        let Some(value) = value else { return };
        if suspects.get(next_suspect) == Some(&position) {
            next_suspect += 1;
            return;
        }
        while next_wanted < wanted.len() && wanted[next_wanted] < value {
            next_wanted += 1;
        }
        if wanted.get(next_wanted) == Some(&value) {
            found.push((value, position));
        }
    });
    found
}

/// Positions of the holders that a holder of the same value precedes, ascending.
fn later(mut holders: Vec<(i64, usize)>) -> Vec<i64> {
    holders.sort_unstable();
    let mut out: Vec<i64> = holders
        .windows(2)
        .filter(|pair| pair[0].0 == pair[1].0)
        .map(|pair| pair[1].1 as i64)
        .collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(values: &[i64], validity: &[u8]) -> Option<(Vec<i64>, Vec<i64>)> {
        repeated(&[Chunk { values, validity, bit_offset: 0 }])
    }

    #[test]
    fn finds_nulls_and_later_repeats() {
        let mut values: Vec<i64> = (0..1000).collect();
        values[500] = 3; // repeats row 3
        values[501] = 3;
        values[900] = 2000;
        values[901] = 2000;
        assert_eq!(run(&values, &[]), Some((vec![], vec![500, 501, 901])));
        let mut validity = vec![0xffu8; 125];
        validity[0] = 0b1111_1110; // row 0 null
        assert_eq!(run(&values, &validity).unwrap().0, vec![0]);
    }

    #[test]
    fn a_stray_that_equals_a_later_id_without_a_descent_of_its_own() {
        let mut values: Vec<i64> = (0..2000).collect();
        values[187] = 190; // 186, 190, 191, 189, 190, 191: only 188 and 189 descend
        values[188] = 191;
        assert_eq!(run(&values, &[]), Some((vec![], vec![190, 191])));
    }

    #[test]
    fn gives_up_far_from_sorted() {
        let values: Vec<i64> = (0..1000).rev().collect();
        assert_eq!(run(&values, &[]), None);
    }
}
