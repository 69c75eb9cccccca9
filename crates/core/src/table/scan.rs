//! The byte scanner behind [`super::Table::read`]: a CSV text's records as the `csv` crate reads
//! them, in one pass over the bytes, eight at a time where no quote is near, keeping where each
//! cell ends rather than a record per row. What must hold: the same records, fields and field
//! places as the `csv` crate with `#` comments (a property test in this module and in the parent
//! compare the two on arbitrary text); no allocation per record.

use super::Row;

/// The records of a CSV text as the `csv` crate reads them (with `#` as its comment byte):
/// RFC 4180 quoting with doubled quotes, a quote opening a quoted field only as its first byte,
/// `\r`, `\n` and `\r\n` each ending a record, blank lines skipped, a line starting with `#`
/// skipped up to its `\n`, a byte-order mark at the start left out. Each record's fields are
/// appended to `cells` as the offsets they end at (quotes included), and a field whose value is
/// not its text less the outer quotes is unescaped into `escaped`. One pass over the bytes, no
/// allocation per record.
///
/// The caller checks that the text's length fits in a `u32`.
#[expect(
    clippy::arithmetic_side_effects,
    reason = "`i` only grows by one or two up to the text's length, and cell indices count fields of the text, so neither overflows"
)]
pub(super) fn scan(
    text: &str,
    cells: &mut Vec<u32>,
    escaped: &mut Vec<(usize, String)>,
) -> Vec<Row> {
    let b = text.as_bytes();
    // Each cell but the last ends at a comma or a line end, each record but the last at a line
    // end: sized once, the lists are never copied as they grow (capacity not written to costs
    // no memory).
    let masks: Vec<(u64, u64)> = b.chunks(64).map(block_masks).collect();
    let (ends, lines) = masks.iter().fold((0, 0), |(e, l), (d, n)| {
        (e + d.count_ones() as usize, l + n.count_ones() as usize)
    });
    cells.reserve(ends + 1);
    let mut rows = Vec::with_capacity(lines + 1);
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    if b.contains(&b'"') {
        scan_quoted(text, bom, cells, escaped, &mut rows);
    } else {
        scan_unquoted(b, &masks, bom, cells, &mut rows);
    }
    // A record right after the mark is placed at the file's start, as the `csv` crate places it,
    // and so is its first cell (whose value leaves the mark out, `Table::field`).
    if let Some(row) = rows.first_mut().filter(|r| bom > 0 && r.start == bom) {
        row.start = 0;
    }
    rows
}

/// For a block of at most 64 bytes, a mask of its commas and line ends and one of its line ends
/// (bit `j` for byte `j`), found eight bytes at a time with word arithmetic.
pub(super) fn block_masks(block: &[u8]) -> (u64, u64) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const COMMAS: u64 = 0x2c2c_2c2c_2c2c_2c2c;
    const LFS: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    const CRS: u64 = 0x0d0d_0d0d_0d0d_0d0d;
    // The high bit of each byte of `v` that is zero (exactly: no carry crosses a byte).
    let zero = |v: u64| !((v & LOW7).wrapping_add(LOW7) | v | LOW7);
    // Bits 7, 15, …, 63 gathered into bits 0 to 7 (the products land on distinct bits).
    let gather = |m: u64| (m >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
    let (mut ends, mut lines) = (0u64, 0u64);
    let mut words = block.chunks_exact(8);
    for (w, word) in (&mut words).enumerate() {
        let x = word.try_into().map_or(0, u64::from_le_bytes);
        let line = zero(x ^ LFS) | zero(x ^ CRS);
        let shift = w.saturating_mul(8);
        ends |= gather(line | zero(x ^ COMMAS)) << shift;
        lines |= gather(line) << shift;
    }
    let base = block.len().saturating_sub(words.remainder().len());
    for (j, &c) in words.remainder().iter().enumerate() {
        let line = u64::from(c == b'\n' || c == b'\r');
        let bit = base.saturating_add(j);
        ends |= (line | u64::from(c == b',')) << bit;
        lines |= line << bit;
    }
    (ends, lines)
}

/// [`scan`] of a text with no quote, where every comma and line end ends a cell: the work per
/// cell is a step to the next bit of its block's mask ([`block_masks`]), not a byte-by-byte loop
/// whose exit the processor mispredicts at every cell.
#[expect(
    clippy::arithmetic_side_effects,
    reason = "offsets stay below the text's length, which the caller checked fits in a u32; cell indices count fields of the text"
)]
fn scan_unquoted(
    b: &[u8],
    masks: &[(u64, u64)],
    bom: usize,
    cells: &mut Vec<u32>,
    rows: &mut Vec<Row>,
) {
    let n = b.len();
    // Where the cell being read starts.
    let mut i = bom;
    // The record being read: its start and first cell; `None` between records.
    let mut record: Option<(usize, usize)> = None;
    // Inside a `#` comment line, up to its `\n`.
    let mut comment = false;
    for (k, &(mut mask, _)) in masks.iter().enumerate() {
        while mask != 0 {
            let d = k * 64 + mask.trailing_zeros() as usize;
            mask &= mask - 1;
            if d < i {
                continue;
            }
            let c = b[d];
            if comment {
                if c == b'\n' {
                    comment = false;
                    i = d + 1;
                }
                continue;
            }
            let (start, first) = match record {
                Some(r) => r,
                None if d == i && c != b',' => {
                    // A blank line between records.
                    i = d + 1;
                    continue;
                }
                None if b[i] == b'#' => {
                    comment = c != b'\n';
                    i = d + 1;
                    continue;
                }
                None => (i, cells.len()),
            };
            // The caller checked that the text's length fits in a u32.
            cells.push(d as u32);
            i = d + 1;
            if c == b',' {
                record = Some((start, first));
            } else {
                rows.push(Row {
                    start,
                    line_end: d,
                    first,
                    len: cells.len() - first,
                });
                record = None;
            }
        }
    }
    // The last record, if the text does not end with a line end.
    let (start, first) = match record {
        Some(r) => r,
        None if comment || i >= n || b[i] == b'#' => return,
        None => (i, cells.len()),
    };
    cells.push(n as u32);
    rows.push(Row {
        start,
        line_end: n,
        first,
        len: cells.len() - first,
    });
}

/// [`scan`] of a text with quotes: byte by byte, a quote at a cell's start opening a quoted cell.
#[expect(
    clippy::arithmetic_side_effects,
    reason = "`i` only grows by one or two up to the text's length, and cell indices count fields of the text, so neither overflows"
)]
fn scan_quoted(
    text: &str,
    bom: usize,
    cells: &mut Vec<u32>,
    escaped: &mut Vec<(usize, String)>,
    rows: &mut Vec<Row>,
) {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = bom;
    loop {
        while i < n && matches!(b[i], b'\n' | b'\r') {
            i += 1;
        }
        if i >= n {
            break;
        }
        if b[i] == b'#' {
            i = b[i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(n, |k| i + k + 1);
            continue;
        }
        let (start, first) = (i, cells.len());
        // Where the first line ends, if a quoted cell holds a line break.
        let mut line_end = None;
        loop {
            let begin = i;
            if i < n && b[i] == b'"' {
                i += 1;
                while i < n {
                    match b[i] {
                        b'"' if i + 1 < n && b[i + 1] == b'"' => i += 2,
                        b'"' => {
                            i += 1;
                            break;
                        }
                        b'\n' | b'\r' => {
                            line_end.get_or_insert(i);
                            i += 1;
                        }
                        _ => i += 1,
                    }
                }
            }
            while i < n && !matches!(b[i], b',' | b'\n' | b'\r') {
                i += 1;
            }
            if b.get(begin) == Some(&b'"') {
                let raw = &text[begin..i];
                if plain_quoted(raw).is_none() {
                    escaped.push((cells.len(), unescape(raw)));
                }
            }
            // The caller checked that the text's length fits in a u32.
            cells.push(i as u32);
            if i < n && b[i] == b',' {
                i += 1;
                continue;
            }
            break;
        }
        rows.push(Row {
            start,
            line_end: line_end.unwrap_or(i),
            first,
            len: cells.len() - first,
        });
    }
}

/// `text` without leading and trailing white space ([`str::trim`]), found without decoding a
/// character when it starts and ends with a printable ASCII one, as most cells do.
#[inline]
pub(super) fn trim(text: &str) -> &str {
    let printable = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b.is_ascii());
    let bytes = text.as_bytes();
    if printable(bytes.first()) && printable(bytes.last()) {
        text
    } else {
        text.trim()
    }
}

/// The value of a field written `"…"` with no quote inside: the text between the quotes.
pub(super) fn plain_quoted(raw: &str) -> Option<&str> {
    raw.strip_prefix('"')?
        .strip_suffix('"')
        .filter(|inner| !inner.contains('"'))
}

/// The value of a field written starting with a quote, as the `csv` crate reads it: up to the
/// closing quote a doubled quote is one quote; after it, every byte is kept as written.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw.strip_prefix('"').unwrap_or(raw);
    while let Some(k) = rest.find('"') {
        out.push_str(&rest[..k]);
        let after = &rest[k..];
        if let Some(more) = after.strip_prefix("\"\"") {
            out.push('"');
            rest = more;
        } else {
            rest = after.strip_prefix('"').unwrap_or(after);
            out.push_str(rest);
            return out;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A block's masks have a bit for each comma and line end, and only for those.
        #[test]
        fn block_masks_mark_every_comma_and_line_end(block in proptest::collection::vec(proptest::sample::select(vec![b',', b'\n', b'\r', b'a', b'"', 0u8, 0x2d, 0x8c, 0xff, 0x0b]), 0..=64)) {
            let (ends, lines) = block_masks(&block);
            for (j, &c) in block.iter().enumerate() {
                proptest::prop_assert_eq!(ends >> j & 1 == 1, matches!(c, b',' | b'\n' | b'\r'));
                proptest::prop_assert_eq!(lines >> j & 1 == 1, matches!(c, b'\n' | b'\r'));
            }
            proptest::prop_assert_eq!(ends.count_ones() as usize, block.iter().filter(|&&c| matches!(c, b',' | b'\n' | b'\r')).count());
        }
    }
}
