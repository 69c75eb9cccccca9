//! Number formatting for labels: amounts with thousands separators, years as plain integers.
//!
//! What must hold: an exact amount prints every digit it has (`1,234.5`, never rounded here); a year
//! prints as a plain integer (`1142`, never `1,142` or `1142.0`); tick values, which are floats
//! chosen by the renderer, print without float noise.

use rust_decimal::Decimal;

/// Groups the digits of a whole-number string in threes: `1234567` → `1,234,567`.
fn group(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// An exact amount with thousands separators: `250,000`, `-50,000`, `1,234.5`.
pub fn amount_text(d: Decimal) -> String {
    let text = d.normalize().to_string();
    let (sign, body) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |b| ("-", b));
    let (whole, frac) = body
        .split_once('.')
        .map_or((body, None), |(w, f)| (w, Some(f)));
    match frac {
        Some(f) => format!("{sign}{}.{f}", group(whole)),
        None => format!("{sign}{}", group(whole)),
    }
}

/// A tick value on an amount axis: whole values grouped (`2,500,000`), others with up to three
/// decimals and no trailing zeros.
pub(crate) fn tick_amount(v: f64) -> String {
    let rounded = format!("{v:.3}");
    let trimmed = rounded.trim_end_matches('0').trim_end_matches('.');
    let trimmed = if trimmed == "-0" { "0" } else { trimmed };
    let (sign, body) = trimmed
        .strip_prefix('-')
        .map_or(("", trimmed), |b| ("-", b));
    let (whole, frac) = body
        .split_once('.')
        .map_or((body, None), |(w, f)| (w, Some(f)));
    match frac {
        Some(f) => format!("{sign}{}.{f}", group(whole)),
        None => format!("{sign}{}", group(whole)),
    }
}

/// A tick value on a year axis: the year if the value is whole, else nothing.
pub(crate) fn tick_year(v: f64) -> String {
    let rounded = format!("{v:.0}");
    if format!("{v:.6}") == format!("{rounded}.000000") {
        rounded
    } else {
        String::new()
    }
}

/// A tick value on a count axis: plain, up to two decimals, no separators beyond thousands.
pub(crate) fn tick_count(v: f64) -> String {
    let rounded = format!("{v:.2}");
    let trimmed = rounded.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" {
        "0".to_string()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_group_thousands_and_keep_every_digit() {
        let d = |s: &str| Decimal::from_str_exact(s).unwrap();
        assert_eq!(amount_text(d("250000")), "250,000");
        assert_eq!(amount_text(d("-50000")), "-50,000");
        assert_eq!(amount_text(d("1234.50")), "1,234.5");
        assert_eq!(amount_text(d("999")), "999");
        assert_eq!(amount_text(d("0")), "0");
    }

    #[test]
    fn ticks_print_plainly() {
        assert_eq!(tick_year(1142.0), "1142");
        assert_eq!(tick_year(1142.5), "");
        assert_eq!(tick_amount(2_500_000.0), "2,500,000");
        assert_eq!(tick_amount(0.25), "0.25");
        assert_eq!(tick_amount(-0.0), "0");
        assert_eq!(tick_count(180.0), "180");
        assert_eq!(tick_count(22.5), "22.5");
    }
}
