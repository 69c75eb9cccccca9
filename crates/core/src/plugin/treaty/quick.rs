//! A quick reading of a piece of machine-made items (`pieces`): the `[[obligation]]`,
//! `[[amendment]]`, `[[suspension]]` and `[[delivery]]` tables that `tribute synth --as csv` and
//! similar tools write, parsed straight into [`RawItems`] with every span the `toml` crate gives.
//!
//! The `toml` crate builds a document tree and then deserialises it through serde: about 270
//! instructions a byte, which made the 243 kB changes file of docs/performance.md take one core
//! for most of the time the streams table was being built on the other. This reader takes one
//! pass over the bytes. What must hold: where it returns items, they are exactly what
//! `toml::from_str::<RawItems>` gives for the same text, spans and all (a property test compares
//! the two); anything it does not read exactly so, it refuses (`None`), and the piece goes to the
//! `toml` crate as before, which parses it or reports its errors. It reads:
//! - item headers (`[[suspension]]`, written exactly so), blank lines and `#` comments;
//! - `key = value` lines with a bare key (no dots, no quotes), each key once per item;
//! - values: basic strings with no escape (`"…"`, no `\`), decimal integers (no `+`, `_` or
//!   leading zero), `true` and `false`, arrays of these (over several lines, with comments and a
//!   trailing comma), and inline tables of these on one line.
//!
//! Everything else — another table header, a dotted or quoted key, an escape, a literal or
//! multi-line string, a float, a date, a carriage return, a nested array or table, a value of
//! the wrong type for its key, a key written twice — is refused.

use std::ops::Range;

use toml::Spanned;

use crate::plugin::raw::{OneOrMany, RawAmounts, RawItem, RawItems};

/// A value as read, with the spans of an inline table's keys and values.
enum Val {
    Str(String),
    Int(i64),
    Bool(bool),
    Array(Vec<Val>),
    /// An inline table: each key with its span, each value with its span.
    Table(Vec<(Spanned<String>, Spanned<Val>)>),
}

impl Val {
    /// The value as the `toml` crate gives it untyped.
    fn into_toml(self) -> toml::Value {
        match self {
            Val::Str(s) => toml::Value::String(s),
            Val::Int(i) => toml::Value::Integer(i),
            Val::Bool(b) => toml::Value::Boolean(b),
            Val::Array(a) => toml::Value::Array(a.into_iter().map(Val::into_toml).collect()),
            Val::Table(t) => toml::Value::Table(
                t.into_iter()
                    .map(|(k, v)| (k.into_inner(), v.into_inner().into_toml()))
                    .collect(),
            ),
        }
    }
}

/// The items of `text[range]` (a piece that starts at an item header, where the whole file is at
/// its top level), with spans in the whole text; `None` if the piece holds anything this reader
/// does not read exactly as the `toml` crate does (see the module's notes).
pub(super) fn items(text: &str, range: Range<usize>) -> Option<RawItems> {
    let end = range.end;
    text.get(range.clone())?;
    let mut r = Reader {
        b: text.as_bytes(),
        text,
        pos: range.start,
        end,
    };
    let mut out = RawItems::default();
    // The item being read: its kind, its header's span, the item and the keys given so far.
    let mut current: Option<(usize, Range<usize>, RawItem, Vec<&str>)> = None;
    loop {
        r.spaces();
        let Some(c) = r.peek() else {
            break;
        };
        match c {
            b'\n' => r.bump(),
            b'#' => r.comment()?,
            b'[' => {
                let (kind, span) = r.header()?;
                r.line_end()?;
                if let Some(item) = current.take() {
                    push(&mut out, item);
                }
                current = Some((kind, span, RawItem::default(), Vec::new()));
            }
            _ => {
                let (_, _, item, keys) = current.as_mut()?;
                let (key, key_span) = r.key()?;
                r.spaces();
                r.expect(b'=')?;
                r.spaces();
                let (value, span) = r.value(true)?;
                r.line_end()?;
                if keys.contains(&key) {
                    return None;
                }
                keys.push(key);
                set(item, key, key_span, Spanned::new(span, value))?;
            }
        }
    }
    if let Some(item) = current.take() {
        push(&mut out, item);
    }
    Some(out)
}

/// The item kinds, in the order of [`RawItems`]' fields.
const KINDS: [&str; 4] = ["obligation", "amendment", "suspension", "delivery"];

/// The kind (its index in [`KINDS`]) and the length of the item header that `text` starts with,
/// written exactly `[[kind]]`; `None` if it starts with none. `pieces` cuts a file at these.
pub(super) fn item_header(text: &str) -> Option<(usize, usize)> {
    let inner = text.strip_prefix("[[")?;
    let close = inner.find("]]")?;
    let kind = KINDS.iter().position(|k| Some(*k) == inner.get(..close))?;
    // `[[`, the kind, `]]`.
    Some((kind, close.saturating_add(4)))
}

fn push(out: &mut RawItems, (kind, span, item, _): (usize, Range<usize>, RawItem, Vec<&str>)) {
    let list = match kind {
        0 => &mut out.obligation,
        1 => &mut out.amendment,
        2 => &mut out.suspension,
        _ => &mut out.delivery,
    };
    list.push(Spanned::new(span, item));
}

/// Puts `key`'s value into its field of `item`, as the item's `Deserialize` would (raw.rs), or
/// `None` if the value's type is not the field's (the `toml` crate reports that).
fn set(item: &mut RawItem, key: &str, key_span: Range<usize>, value: Spanned<Val>) -> Option<()> {
    let span = value.span();
    let string = |v: Val| match v {
        Val::Str(s) => Some(Spanned::new(span.clone(), s)),
        _ => None,
    };
    let integer = |v: Val| match v {
        Val::Int(i) => Some(Spanned::new(span.clone(), i)),
        _ => None,
    };
    let amounts = |v: Val| -> Option<Spanned<RawAmounts>> {
        let Val::Table(t) = v else {
            return None;
        };
        let map: RawAmounts = t
            .into_iter()
            .map(|(k, v)| {
                let s = v.span();
                (k, Spanned::new(s, v.into_inner().into_toml()))
            })
            .collect();
        Some(Spanned::new(span.clone(), map))
    };
    let any = |v: Val| Spanned::new(span.clone(), OneOrMany(v.into_toml()));
    let v = value.into_inner();
    match key {
        "id" => item.id = Some(string(v)?),
        "reading" => item.reading = Some(string(v)?),
        "label" => item.label = Some(string(v)?),
        "schedule" => item.schedule = Some(string(v)?),
        "action" => item.action = Some(string(v)?),
        "target" => item.target = Some(string(v)?),
        "targets" => item.targets = Some(any(v)),
        "year" => item.year = Some(integer(v)?),
        "from" => item.from = Some(integer(v)?),
        "to" => item.to = Some(integer(v)?),
        "every" => item.every = Some(integer(v)?),
        "count" => item.count = Some(integer(v)?),
        "amounts" => item.amounts = Some(amounts(v)?),
        "total" => item.total = Some(amounts(v)?),
        "delivery" => item.delivery = Some(string(v)?),
        "reason" => item.reason = Some(string(v)?),
        "ground" => item.ground = Some(string(v)?),
        "arrears" => item.arrears = Some(string(v)?),
        "into" => item.into = Some(string(v)?),
        "balance" => item.balance = Some(amounts(v)?),
        "payer" => item.payer = Some(string(v)?),
        "payee" => item.payee = Some(string(v)?),
        "finances" => item.finances = Some(string(v)?),
        "received" => item.received = Some(amounts(v)?),
        "source" => item.source = Some(any(v)),
        "note" => item.note = Some(string(v)?),
        // Readings are tables of items: left to the `toml` crate.
        "readings" => return None,
        _ => {
            item.rest.insert(
                key.to_string(),
                (key_span, Spanned::new(span, v.into_toml())),
            );
        }
    }
    Some(())
}

/// A position in the text, up to the piece's end.
struct Reader<'a> {
    b: &'a [u8],
    text: &'a str,
    pos: usize,
    end: usize,
}

impl<'a> Reader<'a> {
    /// Steps over one byte (never past the text's end: callers have peeked at it).
    fn bump(&mut self) {
        self.pos = self.pos.saturating_add(1);
    }

    fn peek(&self) -> Option<u8> {
        (self.pos < self.end).then(|| self.b.get(self.pos).copied())?
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.bump())
    }

    /// Skips spaces and tabs.
    fn spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.bump();
        }
    }

    /// A `#` comment, up to (not including) its line end; refused if it holds a control
    /// character other than a tab.
    fn comment(&mut self) -> Option<()> {
        self.expect(b'#')?;
        while let Some(c) = self.peek() {
            match c {
                b'\n' => break,
                b'\t' => {}
                0..=0x1f | 0x7f => return None,
                _ => {}
            }
            self.bump();
        }
        Some(())
    }

    /// The end of a line after a header or a key's value: spaces, an optional comment, then a
    /// line feed (taken) or the piece's end.
    fn line_end(&mut self) -> Option<()> {
        self.spaces();
        if self.peek() == Some(b'#') {
            self.comment()?;
        }
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.bump();
                Some(())
            }
            Some(_) => None,
        }
    }

    /// An item header written exactly `[[kind]]`: the kind's index and the header's span.
    fn header(&mut self) -> Option<(usize, Range<usize>)> {
        let start = self.pos;
        let (kind, len) = item_header(self.text.get(start..self.end)?)?;
        self.pos = start.saturating_add(len);
        Some((kind, start..self.pos))
    }

    /// A bare key (letters, digits, `_`, `-`) and its span; a dotted key is refused.
    fn key(&mut self) -> Option<(&'a str, Range<usize>)> {
        let start = self.pos;
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        {
            self.bump();
        }
        if self.pos == start || self.peek() == Some(b'.') {
            return None;
        }
        Some((self.text.get(start..self.pos)?, start..self.pos))
    }

    /// A value and its span; arrays and inline tables only at the top (`nest`).
    fn value(&mut self, nest: bool) -> Option<(Val, Range<usize>)> {
        let start = self.pos;
        let v = match self.peek()? {
            b'"' => Val::Str(self.string()?),
            b'-' | b'0'..=b'9' => Val::Int(self.integer()?),
            b't' | b'f' => Val::Bool(self.boolean()?),
            b'[' if nest => Val::Array(self.array()?),
            b'{' if nest => Val::Table(self.table()?),
            _ => return None,
        };
        Some((v, start..self.pos))
    }

    /// After a scalar: it ends here (white space, a separator, a comment or a line end).
    fn ended(&self) -> bool {
        matches!(
            self.peek(),
            None | Some(b' ' | b'\t' | b'\n' | b'#' | b',' | b']' | b'}')
        )
    }

    /// A basic string with no escape, on one line.
    fn string(&mut self) -> Option<String> {
        self.expect(b'"')?;
        let start = self.pos;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' | 0..=0x08 | 0x0a..=0x1f | 0x7f => return None,
                _ => self.bump(),
            }
        }
        let s = self.text.get(start..self.pos)?.to_string();
        self.bump();
        // `"""` opens a multi-line string: `""` followed by a quote.
        if s.is_empty() && self.peek() == Some(b'"') {
            return None;
        }
        self.ended().then_some(s)
    }

    /// A decimal integer: an optional `-`, then `0` or digits not starting with `0`.
    fn integer(&mut self) -> Option<i64> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.bump();
        }
        let digits = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.bump();
        }
        let n = self.pos.saturating_sub(digits);
        if n == 0 || (n > 1 && self.b.get(digits) == Some(&b'0')) || !self.ended() {
            return None;
        }
        self.text.get(start..self.pos)?.parse().ok()
    }

    fn boolean(&mut self) -> Option<bool> {
        let rest = self.text.get(self.pos..self.end)?;
        let (value, len) = if rest.starts_with("true") {
            (true, 4)
        } else if rest.starts_with("false") {
            (false, 5)
        } else {
            return None;
        };
        self.pos = self.pos.saturating_add(len);
        self.ended().then_some(value)
    }

    /// White space inside an array: spaces, tabs, line feeds and comments.
    fn array_space(&mut self) -> Option<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n') => self.bump(),
                Some(b'#') => self.comment()?,
                _ => return Some(()),
            }
        }
    }

    /// `[v, v, …]` of scalars, over lines if need be, a trailing comma allowed.
    fn array(&mut self) -> Option<Vec<Val>> {
        self.expect(b'[')?;
        let mut out = Vec::new();
        loop {
            self.array_space()?;
            if self.peek()? == b']' {
                break;
            }
            out.push(self.value(false)?.0);
            self.array_space()?;
            match self.peek()? {
                b',' => self.bump(),
                b']' => break,
                _ => return None,
            }
        }
        self.bump();
        Some(out)
    }

    /// `{ k = v, … }` of scalars with bare keys, on one line, each key once, no trailing comma.
    fn table(&mut self) -> Option<Vec<(Spanned<String>, Spanned<Val>)>> {
        self.expect(b'{')?;
        let mut out: Vec<(Spanned<String>, Spanned<Val>)> = Vec::new();
        self.spaces();
        if self.peek()? == b'}' {
            self.bump();
            return Some(out);
        }
        loop {
            self.spaces();
            let (key, key_span) = self.key()?;
            if out.iter().any(|(k, _)| k.get_ref() == key) {
                return None;
            }
            self.spaces();
            self.expect(b'=')?;
            self.spaces();
            let (v, span) = self.value(false)?;
            out.push((
                Spanned::new(key_span, key.to_string()),
                Spanned::new(span, v),
            ));
            self.spaces();
            match self.peek()? {
                b',' => self.bump(),
                b'}' => break,
                _ => return None,
            }
        }
        self.bump();
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::arithmetic_side_effects,
        reason = "test code: an overflow panics and fails the test"
    )]
    use super::*;
    use crate::plugin::raw::ITEM_KEYS;
    use proptest::prelude::*;

    /// What the `toml` crate reads from `text[start..]`, with spans in the whole text (everything
    /// before `start` blanked, as `pieces` does).
    fn by_toml(text: &str, start: usize) -> Option<RawItems> {
        let padded = format!("{}{}", " ".repeat(start), &text[start..]);
        toml::from_str(&padded).ok()
    }

    /// Checks the quick reading of `text[start..]` against the `toml` crate's: equal where it
    /// reads, and the crate reads whatever it reads. Returns whether it read.
    fn agrees(text: &str, start: usize) -> Result<bool, TestCaseError> {
        let Some(quick) = items(text, start..text.len()) else {
            return Ok(false);
        };
        let Some(slow) = by_toml(text, start) else {
            return Err(TestCaseError::fail(format!(
                "read quickly, refused by toml:\n{}",
                &text[start..]
            )));
        };
        prop_assert_eq!(
            format!("{quick:?}"),
            format!("{slow:?}"),
            "{}",
            &text[start..]
        );
        Ok(true)
    }

    /// A scalar as written: strings (wide characters, spaces, `#`, `[`), integers, booleans.
    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z0-9 ,#\\[\\]{}=銀-]{0,8}".prop_map(|s| format!("\"{s}\"")),
            (-3000i64..3000).prop_map(|i| i.to_string()),
            Just(i64::MIN.to_string()),
            any::<bool>().prop_map(|b| b.to_string()),
        ]
    }

    /// A value: a scalar, an array (on one line or several, comments, a trailing comma), an
    /// inline table with distinct bare keys.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => scalar(),
            1 => (proptest::collection::vec(scalar(), 0..4), any::<bool>(), any::<bool>()).prop_map(
                |(vs, lines, trailing)| {
                    let sep = if lines { ",\n  # between\n  " } else { ", " };
                    let mut s = format!("[{}", vs.join(sep));
                    if trailing && !vs.is_empty() {
                        s.push(',');
                    }
                    if lines {
                        s.push('\n');
                    }
                    s.push(']');
                    s
                }
            ),
            1 => proptest::collection::btree_map("[a-z][a-z_]{0,5}", scalar(), 0..4).prop_map(|m| {
                let pairs: Vec<String> = m.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", pairs.join(", "))
            }),
        ]
    }

    /// A value of the type the item's field `key` takes (any value where it takes any).
    fn typed(key: &'static str) -> BoxedStrategy<String> {
        match key {
            "year" | "from" | "to" | "every" | "count" => {
                (-3000i64..3000).prop_map(|i| i.to_string()).boxed()
            }
            "amounts" | "total" | "balance" | "received" => {
                proptest::collection::btree_map("[a-z]{1,6}", scalar(), 0..3)
                    .prop_map(|m| {
                        let pairs: Vec<String> =
                            m.iter().map(|(k, v)| format!("{k}={v}")).collect();
                        format!("{{{}}}", pairs.join(","))
                    })
                    .boxed()
            }
            "targets" | "source" => value().boxed(),
            k if ITEM_KEYS.contains(&k) => {
                "[a-z /銀-]{0,10}".prop_map(|s| format!("\"{s}\"")).boxed()
            }
            _ => value().boxed(),
        }
    }

    /// Every key an item reads into a field, but `readings` (tables of items), and some it keeps
    /// as the rest.
    fn keys() -> Vec<&'static str> {
        ITEM_KEYS
            .iter()
            .copied()
            .filter(|k| *k != "readings")
            .chain(["rate", "principal", "zz-top", "n_2"])
            .collect()
    }

    /// An item: a header, then each chosen key once with a value of its type, with spaces,
    /// comments and blank lines about.
    fn item(well_typed: bool) -> impl Strategy<Value = String> {
        let keys = keys();
        (
            proptest::sample::select(KINDS.to_vec()),
            proptest::sample::subsequence(keys, 0..8),
            any::<u64>(),
        )
            .prop_flat_map(move |(kind, keys, seed)| {
                let values: Vec<BoxedStrategy<String>> = keys
                    .iter()
                    .map(|k| {
                        if well_typed {
                            typed(k)
                        } else {
                            value().boxed()
                        }
                    })
                    .collect();
                (Just(kind), Just(keys), values, Just(seed))
            })
            .prop_map(|(kind, keys, values, seed)| {
                let mut rng = fastrand::Rng::with_seed(seed);
                let mut s = format!("[[{kind}]]");
                if rng.bool() {
                    s.push_str("  # a header");
                }
                s.push('\n');
                for (k, v) in keys.iter().zip(values) {
                    if rng.u8(..8) == 0 {
                        s.push_str("\n# a comment line\n");
                    }
                    let pad = ["", " ", "\t", "  "];
                    s.push_str(&format!(
                        "{}{k}{}={}{v}{}\n",
                        pad[rng.usize(..2)],
                        pad[rng.usize(..4)],
                        pad[rng.usize(..4)],
                        if rng.u8(..6) == 0 { " # after" } else { "" },
                    ));
                }
                s.push('\n');
                s
            })
    }

    proptest! {
        /// Items whose values have their fields' types are read quickly, exactly as the `toml`
        /// crate reads them, wherever the piece starts in the file.
        #[test]
        fn well_typed_items_are_read_as_the_toml_crate_reads_them(
            items in proptest::collection::vec(item(true), 1..5),
            head in "(name = \"h\"\n){0,3}",
        ) {
            let text = format!("{head}{}", items.concat());
            prop_assert!(agrees(&text, head.len())?, "refused:\n{}", &text[head.len()..]);
        }

        /// Values of any type under any key: where the quick reading reads, it is the crate's.
        #[test]
        fn any_items_are_read_as_the_toml_crate_reads_them_or_refused(
            items in proptest::collection::vec(item(false), 1..5),
        ) {
            agrees(&items.concat(), 0)?;
        }
    }

    #[test]
    fn the_synthetic_changes_file_is_read_quickly_as_the_crate_reads_it() {
        let mut rng = fastrand::Rng::with_seed(1);
        let corpus = crate::synth::corpus(&mut rng, 400);
        let text = crate::synth::changes_file(&corpus).expect("some changes");
        let start = text.find("\n[[").expect("an item") + 1;
        let read = items(&text, start..text.len()).expect("read quickly");
        assert!(read.amendment.len() + read.suspension.len() > 20);
        assert_eq!(
            format!("{read:?}"),
            format!("{:?}", by_toml(&text, start).expect("toml reads it"))
        );
    }

    #[test]
    fn what_it_does_not_read_exactly_is_refused() {
        let cases = [
            // Not the items alone, or not written as the reader reads them.
            "id = \"before any header\"\n",
            "[[ suspension ]]\nid = \"a\"\n",
            "[[suspension]]\nid = \"a\"\n[suspension.readings.b]\nfrom = 1\n",
            "[[claim]]\nid = \"a\"\n",
            "[[suspension]]\namounts.silver = 5\n",
            "[[suspension]]\n\"id\" = \"a\"\n",
            "[[suspension]]\nid = \"a\"\r\n",
            "[[suspension]]\nreadings = { b = { from = 1 } }\n",
            // Values it leaves to the crate: escapes, other strings, floats, dates, odd integers.
            "[[suspension]]\nid = \"a\\\"b\"\n",
            "[[suspension]]\nid = 'a'\n",
            "[[suspension]]\nnote = \"\"\"a\"\"\"\n",
            "[[suspension]]\nrate = 1.5\n",
            "[[suspension]]\nrate = 1e3\n",
            "[[suspension]]\nrate = 1979-05-27\n",
            "[[suspension]]\nfrom = 01\n",
            "[[suspension]]\nfrom = +1\n",
            "[[suspension]]\nfrom = 1_000\n",
            "[[suspension]]\nfrom = 99999999999999999999\n",
            "[[suspension]]\nrate = [[1]]\n",
            "[[suspension]]\namounts = { a = 1, }\n",
            "[[suspension]]\namounts = { a = 1,\n b = 2 }\n",
            "[[suspension]]\namounts = { a = 1, a = 2 }\n",
            // What the crate refuses too: a key twice, a wrong type, a control character.
            "[[suspension]]\nid = \"a\"\nid = \"b\"\n",
            "[[suspension]]\nfrom = \"1100\"\n",
            "[[suspension]]\nid = 5\n",
            "[[suspension]]\namounts = 5\n",
            "[[suspension]]\nid = \"a\u{1}\"\n",
            "[[suspension]]\nid = \"a\" # \u{1}\n",
            "[[suspension]]\nid = \"a\" b\n",
            "[[suspension]]\nfrom = 12x\n",
        ];
        for case in cases {
            assert!(items(case, 0..case.len()).is_none(), "read: {case:?}");
        }
    }

    #[test]
    fn spans_are_those_of_the_whole_file() {
        let text =
            "head = 1\n[[delivery]]\nid = \"d\"\namounts = { silver = \"5\" }\nzz = [1, 2]\n";
        let start = text.find("[[").expect("a header");
        let read = items(text, start..text.len()).expect("read");
        let d = &read.delivery[0];
        assert_eq!(&text[d.span()], "[[delivery]]");
        let item = d.get_ref();
        assert_eq!(&text[item.id.as_ref().expect("id").span()], "\"d\"");
        assert_eq!(
            &text[item.amounts.as_ref().expect("amounts").span()],
            "{ silver = \"5\" }"
        );
        let (key, value) = &item.rest["zz"];
        assert_eq!((&text[key.clone()], &text[value.span()]), ("zz", "[1, 2]"));
    }
}
