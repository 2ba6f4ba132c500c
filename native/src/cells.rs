//! Cell readers over Arrow's string layout (offsets into one byte buffer).
//!
//! Each reader accepts only cells that frictionless certainly accepts for
//! its type, and gives their value; every other cell is left to the field's
//! own frictionless reader. Readers never fail: a cell they do not take is
//! simply not `ok`, and its value is 0.

/// The cell's bytes; None for offsets outside the buffer.
#[inline(always)]
pub fn cell<'a>(offsets: &[i32], data: &'a [u8], i: usize) -> Option<&'a [u8]> {
    data.get(offsets[i] as u32 as usize..offsets[i + 1] as u32 as usize)
}

/// The decimal value of ASCII digits; None if any byte is not one. No early
/// exit: cells are short, and a loop without branches runs faster.
#[inline(always)]
fn digits(bytes: &[u8]) -> Option<i64> {
    let mut value: i64 = 0;
    let mut bad = false;
    for &b in bytes {
        let digit = b.wrapping_sub(b'0');
        bad |= digit > 9;
        value = value * 10 + i64::from(digit);
    }
    (!bad).then_some(value)
}

/// `-?[0-9]{1,18}`: never beyond an i64.
pub fn integer(bytes: &[u8]) -> Option<i64> {
    let negative = bytes.first() == Some(&b'-');
    let body = &bytes[usize::from(negative)..];
    if body.is_empty() || body.len() > 18 {
        return None;
    }
    let value = digits(body)?;
    Some(if negative { -value } else { value })
}

/// Exactly four ASCII digits.
pub fn year(bytes: &[u8]) -> Option<i64> {
    if bytes.len() != 4 {
        return None;
    }
    digits(bytes)
}

const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?`, read as the
/// nearest float, as Python's float(Decimal) reads it. Up to 15 significant
/// digits and a power of ten up to 22 are both exact floats, so one
/// multiplication or division rounds correctly (Clinger's fast path); other
/// cells go through Rust's parser, which also rounds correctly. Not taken:
/// values beyond a float, and nonzero values that round to zero
/// (frictionless keeps them apart as Decimals). -0 reads as 0.
pub fn number(bytes: &[u8]) -> Option<f64> {
    let negative = bytes.first() == Some(&b'-');
    let mut i = usize::from(negative);
    let mut mantissa: u64 = 0;
    let mut significant = 0usize; // digits from the first nonzero one
    let mut count = 0usize;
    let mut scale = 0i32; // digits after the point
    let mut fraction = false;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            if significant > 0 || b != b'0' {
                significant += 1;
                mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(b - b'0'));
            }
            count += 1;
            scale += i32::from(fraction);
        } else if b == b'.' && !fraction {
            fraction = true;
        } else {
            break;
        }
        i += 1;
    }
    if count == 0 {
        return None;
    }
    let mut exponent = 0i32;
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        let minus = i < bytes.len() && bytes[i] == b'-';
        if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
            i += 1;
        }
        let first = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            exponent = exponent * 10 + i32::from(bytes[i] - b'0');
            i += 1;
        }
        if i == first || i - first > 3 {
            return None;
        }
        if minus {
            exponent = -exponent;
        }
    }
    if i != bytes.len() {
        return None;
    }
    let power = exponent - scale;
    let magnitude = if significant <= 15 && (-22..=22).contains(&power) {
        let exact = mantissa as f64;
        if power >= 0 {
            exact * POWERS_OF_TEN[power as usize]
        } else {
            exact / POWERS_OF_TEN[(-power) as usize]
        }
    } else {
        let text = std::str::from_utf8(&bytes[usize::from(negative)..]).ok()?;
        text.parse::<f64>().ok()?
    };
    if !magnitude.is_finite() || (magnitude == 0.0 && significant > 0) {
        return None;
    }
    Some(if negative { -magnitude + 0.0 } else { magnitude })
}

const fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (civil calendar arithmetic).
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Per year 0..=9999: days from 1970-01-01 to its January 1, and whether it
/// is a leap year (the low bit: days * 2 + leap). A table lookup instead of
/// the calendar arithmetic on every cell.
static YEARS: [i32; 10_000] = {
    let mut table = [0i32; 10_000];
    let mut year = 1;
    while year < 10_000 {
        let days = days_from_civil(year as i64, 1, 1);
        table[year] = (days * 2) as i32 + is_leap(year as i64) as i32;
        year += 1;
    }
    table
};

/// Days before each month (1-12) in a common year, and month lengths.
const MONTH_START: [i32; 13] = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const MONTH_DAYS: [i32; 13] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// Two ASCII digits at `at` as a number, or None.
#[inline(always)]
fn two(bytes: &[u8], at: usize) -> (i64, bool) {
    let tens = bytes[at].wrapping_sub(b'0');
    let ones = bytes[at + 1].wrapping_sub(b'0');
    (i64::from(tens) * 10 + i64::from(ones), tens > 9 || ones > 9)
}

/// `YYYY-MM-DD`, a real calendar date from year 1 on (no roll-over of
/// 2023-02-29 into March): days since 1970-01-01.
pub fn date(bytes: &[u8]) -> Option<i64> {
    let bytes: &[u8; 10] = bytes.try_into().ok()?;
    let (century, bad_century) = two(bytes, 0);
    let (rest, bad_rest) = two(bytes, 2);
    let (month, bad_month) = two(bytes, 5);
    let (day, bad_day) = two(bytes, 8);
    let year = century * 100 + rest;
    let shape = (bytes[4] == b'-') & (bytes[7] == b'-');
    if !shape | bad_century | bad_rest | bad_month | bad_day {
        return None;
    }
    if year < 1 || !(1..=12).contains(&month) || day < 1 {
        return None;
    }
    let entry = YEARS[year as usize];
    let leap = entry & 1;
    let month = month as usize;
    let after_february = i32::from(month > 2);
    if day as i32 > MONTH_DAYS[month] + (leap & i32::from(month == 2)) {
        return None;
    }
    Some(i64::from((entry >> 1) + MONTH_START[month] + (leap & after_february) + day as i32 - 1))
}

/// `hh:mm:ss` from 00:00:00 to 23:59:59: seconds since midnight.
pub fn time(bytes: &[u8]) -> Option<i64> {
    let bytes: &[u8; 8] = bytes.try_into().ok()?;
    let (hour, bad_hour) = two(bytes, 0);
    let (minute, bad_minute) = two(bytes, 3);
    let (second, bad_second) = two(bytes, 6);
    let shape = (bytes[2] == b':') & (bytes[5] == b':');
    if !shape | bad_hour | bad_minute | bad_second | (hour > 23) | (minute > 59) | (second > 59) {
        return None;
    }
    Some(hour * 3600 + minute * 60 + second)
}

/// `YYYY-MM-DDThh:mm:ss` or with a space for the T, no zone, no fraction:
/// seconds since 1970-01-01T00:00:00.
pub fn datetime(bytes: &[u8]) -> Option<i64> {
    if bytes.len() != 19 || (bytes[10] != b'T' && bytes[10] != b' ') {
        return None;
    }
    Some(date(&bytes[..10])? * 86_400 + time(&bytes[11..])?)
}

/// A pattern of one width: per position, the bytes allowed there
/// (`table[position * 256 + byte] != 0`).
pub fn fixed_width(bytes: &[u8], table: &[u8], width: usize) -> bool {
    bytes.len() == width
        && bytes
            .iter()
            .enumerate()
            .all(|(position, &b)| table[position * 256 + usize::from(b)] != 0)
}
