//! A big treaty file parsed in pieces, on all cores: a machine-made file of thousands of items
//! (the 243 kB of amendments and suspensions that `tribute synth --as csv` writes) would otherwise
//! be parsed on one core while the others wait.
//!
//! The file is cut at lines that start with an item header (`[[obligation]]`, `[[amendment]]`,
//! `[[suspension]]`, `[[delivery]]`): the head (everything before the first such line) is parsed as
//! a treaty, each piece after it as items alone ([`RawItems`]), each piece in a copy of the text in
//! which everything before the piece is blanked to spaces, so that every span is the span in the
//! whole file. What must hold: the result is exactly the whole file's parse, or `None` (and the
//! caller parses the whole file, with its errors as ever). That holds because a piece is accepted
//! only if
//! - it parses as TOML on its own: a cut inside a multi-line string, array or inline table leaves
//!   the piece that holds its start unterminated, so the whole file's reading of every piece is
//!   the piece's own (each piece starts where the whole file is at the top level);
//! - the head names no item kind (not even as `amendment = []` or `[amendment]`), so the pieces'
//!   arrays of tables extend nothing the head defined;
//! - a piece holds the four item arrays alone: a `[source.ID]`, `[[claim]]` or any other table
//!   after the items, or an `[amendment.readings.NAME]` whose `[[amendment]]` is in an earlier
//!   piece, makes it refuse (`deny_unknown_fields`; a table where an array of tables is expected).

use std::ops::Range;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::plugin::raw::{RawItems, RawTreaty};

/// The smallest piece worth a core of its own, in bytes: below twice this a file is parsed whole.
pub(super) const PIECE_BYTES: usize = 48 * 1024;

/// Which item kinds a table names (for the head, which must name none).
#[derive(Deserialize)]
struct ItemKeys {
    obligation: Option<IgnoredAny>,
    amendment: Option<IgnoredAny>,
    suspension: Option<IgnoredAny>,
    delivery: Option<IgnoredAny>,
}

/// The whole file's parse, made in pieces of at least `piece_bytes` (one per core), or `None` if
/// the file is too small to cut or a piece does not stand on its own (see the module's notes).
pub(super) fn parse(
    text: &crate::error::Text,
    piece_bytes: usize,
) -> Option<(RawTreaty, Vec<RawItems>)> {
    if text.len() < piece_bytes.saturating_mul(2) {
        return None;
    }
    let threads = rayon::current_num_threads().max(2);
    // Two pieces per thread, so that a thread that starts late still finds some to take.
    let step = text
        .len()
        .checked_div(threads.saturating_mul(2))
        .unwrap_or(0)
        .max(piece_bytes);
    let mut cuts = Vec::new();
    let mut next = 0;
    for (newline, _) in text.match_indices("\n[[") {
        let start = newline.saturating_add(1);
        if start >= next && super::quick::item_header(&text[start..]).is_some() {
            cuts.push(start);
            // The first cut is the first item; the next ones a piece's length apart.
            next = start.saturating_add(step);
        }
    }
    if cuts.len() < 2 {
        return None;
    }
    let head = &text[..cuts[0]];
    let keys: ItemKeys = toml::from_str(head).ok()?;
    if keys.obligation.is_some()
        || keys.amendment.is_some()
        || keys.suspension.is_some()
        || keys.delivery.is_some()
    {
        return None;
    }
    let raw: RawTreaty = toml::from_str(head).ok()?;
    let ends = cuts.iter().skip(1).copied().chain([text.len()]);
    let ranges: Vec<Range<usize>> = cuts.iter().zip(ends).map(|(&a, b)| a..b).collect();
    let pieces = parse_pieces(text, ranges, threads)?;
    Some((raw, pieces))
}

/// The pieces of `text` at `ranges`, parsed by the calling thread and up to `threads - 1` helpers
/// on the thread pool, each taking the next piece no one has taken. The caller never waits for a
/// piece that no one has begun (on a loaded machine a helper may start late, or only once the
/// caller has taken every piece, and then finds nothing to do), only for one a helper is parsing.
fn parse_pieces(
    text: &crate::error::Text,
    ranges: Vec<Range<usize>>,
    threads: usize,
) -> Option<Vec<RawItems>> {
    let helpers = threads.min(ranges.len()).saturating_sub(1);
    let shared = Arc::new(Shared {
        text: Arc::clone(text),
        next: AtomicUsize::new(0),
        done: Mutex::new(ranges.iter().map(|_| None).collect()),
        ranges,
        ready: Condvar::new(),
    });
    for _ in 0..helpers {
        let helper = Arc::clone(&shared);
        rayon::spawn(move || helper.work());
    }
    shared.work();
    let mut done = lock(&shared.done);
    while done.iter().any(Option::is_none) {
        done = shared
            .ready
            .wait(done)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
    }
    std::mem::take(&mut *done)
        .into_iter()
        .map(Option::flatten)
        .collect()
}

/// The pieces of one file and their parses, shared by the threads that take them.
struct Shared {
    text: crate::error::Text,
    ranges: Vec<Range<usize>>,
    /// The next piece to take.
    next: AtomicUsize,
    /// Each piece's parse once made: `Some(None)` if it was refused.
    done: Mutex<Vec<Option<Option<RawItems>>>>,
    /// Signalled as each piece is done.
    ready: Condvar,
}

impl Shared {
    /// Takes and parses pieces until none is left.
    fn work(&self) {
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(range) = self.ranges.get(i) else {
                return;
            };
            // A panic in the parser refuses the piece (the whole file is then parsed as before).
            let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                piece(&self.text, range.clone())
            }))
            .ok()
            .flatten();
            if let Some(slot) = lock(&self.done).get_mut(i) {
                *slot = Some(parsed);
            }
            self.ready.notify_all();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The items of `text[range]`, parsed with everything before it blanked (so spans are the whole
/// file's), or `None` if the piece is not items alone.
fn piece(text: &str, range: Range<usize>) -> Option<RawItems> {
    // Machine-made items are read in one pass; anything else goes to the `toml` crate.
    if let Some(items) = super::quick::items(text, range.clone()) {
        return Some(items);
    }
    let mut padded = String::with_capacity(range.end);
    padded.extend(std::iter::repeat_n(' ', range.start));
    padded.push_str(text.get(range)?);
    toml::from_str(&padded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "name = \"Amendments and suspensions\"\npayer = \"Song\"\npayee = \"Jin\"\nsigned = 1900\nstatus = \"in-force\"\nlabel = \"payment\"\nsummary = \"\"\"\n  [[amendment]] (indented: not a cut)\"\"\"\n\n[source.s]\ntitle = \"S\"\nquality = \"A\"\n";

    /// `n` items of every kind, in turn, with readings and inline tables.
    fn items(n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            s.push_str(&format!(
                "\n[[suspension]]\nid = \"war-{i}\"\ntargets = [\"t-{i}\",\n  \"u-{i}\"]\nfrom = 1100\nto = 1101 # a comment\nsource = \"s\"\n\n[[amendment]]\nid = \"end-{i}\"\naction = \"end\"\ntarget = \"t-{i}/annual\"\nfrom = 1200\nsource = \"s, p. {i}\"\nreading = \"a\"\n\n[amendment.readings.b]\nfrom = 1201\n\n[[obligation]]\nid = \"o-{i}\"\nschedule = \"one-time\"\nyear = 1900\namounts = {{ silver = \"5 tael\" }}\nsource = \"s\"\n\n[[delivery]]\nid = \"d-{i}\"\ntarget = \"t-{i}\"\nyear = 1901\namounts.silver = 5\nsource = \"s\"\n"
            ));
        }
        s
    }

    fn whole(text: &str) -> Option<(RawTreaty, RawItems)> {
        let mut raw: RawTreaty = toml::from_str(text).ok()?;
        let items = raw.take_items();
        Some((raw, items))
    }

    /// The pieces' parse, as the whole file's would be (items concatenated), if it was made.
    fn in_pieces(text: &str) -> Option<(RawTreaty, RawItems)> {
        let (raw, pieces) = parse(&Arc::new(text.to_string()), 512)?;
        let mut all = RawItems::default();
        for p in pieces {
            all.obligation.extend(p.obligation);
            all.amendment.extend(p.amendment);
            all.suspension.extend(p.suspension);
            all.delivery.extend(p.delivery);
        }
        Some((raw, all))
    }

    #[test]
    fn a_big_file_parses_in_pieces_exactly_as_whole_spans_and_all() {
        let text = format!("{HEAD}{}", items(40));
        let (raw, pieces) = parse(&Arc::new(text.clone()), 512).expect("cut");
        assert!(pieces.len() >= 2, "{} pieces", pieces.len());
        assert!(raw.obligation.is_empty() && raw.amendment.is_empty());
        let fast = in_pieces(&text).expect("parsed in pieces");
        let slow = whole(&text).expect("parses whole");
        assert_eq!(fast.1.amendment.len(), 40);
        assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
    }

    #[test]
    fn a_small_file_is_left_whole() {
        let text = format!("{HEAD}{}", items(40));
        assert!(parse(&Arc::new(text.clone()), text.len()).is_none());
    }

    #[test]
    fn what_a_piece_cannot_hold_alone_sends_the_file_to_the_whole_parse() {
        let cases = [
            // A table other than the items after them (the whole file reads it fine).
            format!(
                "{HEAD}{}\n[source.t]\ntitle = \"T\"\nquality = \"B\"\n",
                items(40)
            ),
            format!("{HEAD}{}\n[[claim]]\nid = \"c\"\n", items(40)),
            // A line of the head's string that looks like an item header: the head is cut short.
            HEAD.replace(
                "(indented: not a cut)",
                "\n[[amendment]]\nid = \"in-a-string\"",
            ) + &items(40),
            // The head names an item kind: the whole file is an error, each piece alone is not.
            HEAD.replace("label = \"payment\"", "label = \"payment\"\namendment = []") + &items(40),
            HEAD.replace(
                "label = \"payment\"",
                "label = \"payment\"\n\"\\u0061mendment\" = []",
            ) + &items(40),
        ];
        for (i, text) in cases.iter().enumerate() {
            assert!(in_pieces(text).is_none(), "case {i} was parsed in pieces");
        }
        assert!(whole(&cases[0]).is_some() && whole(&cases[2]).is_some());
        assert!(whole(&cases[3]).is_none() && whole(&cases[4]).is_none());
    }

    #[test]
    fn a_cut_inside_a_multi_line_string_is_refused() {
        // The note holds most of the file, header lines and all: a cut falls inside it.
        let text = format!(
            "{HEAD}{}[[delivery]]\nid = \"x\"\nnote = \"\"\"\n{}\"\"\"\n",
            items(3),
            items(60)
        );
        let slow = whole(&text).expect("parses whole");
        assert_eq!(slow.1.delivery.len(), 4);
        assert!(in_pieces(&text).is_none());
    }

    #[test]
    fn a_reading_whose_item_is_in_an_earlier_piece_is_refused() {
        let text = format!("{HEAD}{}", items(2));
        let tail = "[[suspension]]\nid = \"w\"\ntargets = [\"t\"]\nfrom = 1\nto = 2\nsource = \"s\"\n\n[amendment.readings.c]\nfrom = 1202\n";
        let text = format!("{text}\n{tail}");
        let at = text.len() - tail.len();
        // Whole, the reading belongs to the last amendment; the piece alone cannot place it.
        assert!(whole(&text).is_some());
        assert!(piece(&text, at..text.len()).is_none());
        assert!(piece(&text, at..at + tail.find("\n[amendment").unwrap() + 1).is_some());
    }

    #[test]
    fn every_parse_in_pieces_is_the_whole_files() {
        // Cut wherever the pieces fall, for files of several sizes and piece lengths.
        for n in [3, 10, 41] {
            let text = format!("{HEAD}{}", items(n));
            for bytes in [64, 300, 2000] {
                let Some((raw, pieces)) = parse(&Arc::new(text.clone()), bytes) else {
                    continue;
                };
                let mut all = RawItems::default();
                for p in pieces {
                    all.obligation.extend(p.obligation);
                    all.amendment.extend(p.amendment);
                    all.suspension.extend(p.suspension);
                    all.delivery.extend(p.delivery);
                }
                assert_eq!(
                    format!("{:?}", (raw, all)),
                    format!("{:?}", whole(&text).expect("parses")),
                    "{n} items, pieces of {bytes} bytes"
                );
            }
        }
    }
}
