//! "Did you mean …?": the names nearest to one that matches nothing, for every error about an
//! unknown party, treaty, reading or price book.
//!
//! One helper for all of them, so every such error ranks and words its suggestions alike. What
//! must hold: comparison ignores case and surrounding space; a name is close when its Jaro–Winkler
//! similarity is at least [`THRESHOLD`] (which rewards a shared beginning, as in `song-jn-1142` and
//! `song-jin-1142-shaoxing`), or when it is at most one edit per three characters away, counting a
//! swap of neighbours as one edit (`Lioa` and `Liao`, `jni` and `Jin`); close names are ranked by
//! the larger of the two similarities, best first, ties in alphabetical order, so the result is
//! deterministic; a close name far behind the best ([`MARGIN`]) is left out, so `song-silvr`
//! suggests `song-silver` and not also `song-cash`; and no help text lists more than
//! [`MAX_LISTED`] names. The only floats here are similarity scores of two names, never an amount.

/// The Jaro–Winkler similarity (0 to 1) that makes a name close whatever its edit distance.
pub const THRESHOLD: f64 = 0.85;

/// How far behind the best a close name may score and still be suggested with it.
pub const MARGIN: f64 = 0.1;

/// How many close names [`nearest`] returns at most.
pub const MAX_NEAREST: usize = 5;

/// How many names a help text lists at most.
pub const MAX_LISTED: usize = 10;

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

/// How alike two names are, from 0 (nothing shared) to 1 (equal but for case): the larger of
/// their Jaro–Winkler and normalised Damerau–Levenshtein similarities.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (norm(a), norm(b));
    strsim::jaro_winkler(&a, &b).max(strsim::normalized_damerau_levenshtein(&a, &b))
}

/// True if `known` is close enough to `wanted` to be suggested for it (see the module docs), or
/// if `wanted` (three characters or more) is one whole word of it: `Xia` for `Western Xia`.
pub fn is_close(wanted: &str, known: &str) -> bool {
    let (w, k) = (norm(wanted), norm(known));
    let edits = (w.chars().count() / 3).max(1);
    let a_word = w.chars().count() >= 3 && k.split([' ', '-']).any(|part| part == w);
    a_word
        || strsim::jaro_winkler(&w, &k) >= THRESHOLD
        || strsim::damerau_levenshtein(&w, &k) <= edits
}

/// The known names closest to `wanted`, best first, at most [`MAX_NEAREST`], each close as
/// [`is_close`] says and within [`MARGIN`] of the best; the same name given twice counts once.
#[allow(
    clippy::float_arithmetic,
    reason = "a similarity score of two names, never an amount"
)]
pub fn nearest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &'a str)> = known
        .into_iter()
        .filter(|k| is_close(wanted, k))
        .map(|k| (similarity(wanted, k), k))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let best = scored.first().map_or(0.0, |(s, _)| *s);
    let mut out: Vec<&'a str> = Vec::new();
    for (_, k) in scored.into_iter().take_while(|(s, _)| *s >= best - MARGIN) {
        if !out.contains(&k) {
            out.push(k);
        }
        if out.len() == MAX_NEAREST {
            break;
        }
    }
    out
}

/// `a`, `` `a` or `b` ``, `` `a`, `b` or `c` ``.
fn either(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// Names as a list for a help text: sorted, each once, at most [`MAX_LISTED`], then how many more.
pub fn listing<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut names: Vec<&str> = names.into_iter().collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        return "(none)".to_string();
    }
    let shown = names[..names.len().min(MAX_LISTED)].join(", ");
    match names.len().saturating_sub(MAX_LISTED) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// The start of a help text for `wanted`, which matches none of `known` (`what` names them in the
/// plural, e.g. "parties"): `did you mean `Song`?` when some are close, else the known names,
/// at most [`MAX_LISTED`] of them.
pub fn did_you_mean<'a>(
    wanted: &str,
    what: &str,
    known: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    let close = nearest(wanted, known.clone());
    if close.is_empty() {
        format!("known {what}: {}", listing(known))
    } else {
        format!("did you mean {}?", either(&close))
    }
}

/// [`did_you_mean`] followed by `advice` (lower-case, on how to add or find such a name): a
/// question ends its sentence and the advice starts the next one; a list is followed by `; `.
pub fn with_advice<'a>(
    wanted: &str,
    what: &str,
    known: impl IntoIterator<Item = &'a str> + Clone,
    advice: &str,
) -> String {
    let hint = did_you_mean(wanted, what, known);
    if hint.ends_with('?') {
        let mut chars = advice.chars();
        let advice: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        format!("{hint} {advice}")
    } else {
        format!("{hint}; {advice}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_whole_word_of_a_name_suggests_it() {
        assert_eq!(
            super::nearest("Xia", ["Western Xia", "Liao", "Jin"]),
            ["Western Xia"]
        );
        assert!(super::nearest("We", ["Western Xia"]).is_empty());
    }

    use super::*;

    const PARTIES: [&str; 6] = [
        "Jin",
        "Liao",
        "Northern Song",
        "Song",
        "Southern Song",
        "Western Xia",
    ];

    #[test]
    fn a_misspelt_party_finds_the_right_one() {
        assert_eq!(nearest("Sung", PARTIES), ["Song"]);
        assert_eq!(nearest("Lioa", PARTIES), ["Liao"]);
        assert_eq!(nearest("northern sung", PARTIES)[0], "Northern Song");
        assert_eq!(nearest("jni", PARTIES), ["Jin"]);
    }

    #[test]
    fn case_and_space_do_not_count() {
        assert_eq!(similarity(" LIAO ", "liao"), 1.0);
        assert_eq!(nearest("SONG", PARTIES)[0], "Song");
    }

    #[test]
    fn nothing_alike_gives_nothing() {
        assert!(nearest("Byzantium", PARTIES).is_empty());
        assert!(nearest("x", PARTIES).is_empty());
        assert!(nearest("Song", []).is_empty());
    }

    #[test]
    fn the_closest_come_first_and_at_most_five() {
        let ids: Vec<String> = (1120..1140).map(|y| format!("song-jin-{y}")).collect();
        let got = nearest("song-jin-1123", ids.iter().map(String::as_str));
        assert_eq!(got.len(), MAX_NEAREST);
        assert_eq!(got[0], "song-jin-1123");
        let got = nearest(
            "song-jn-1142",
            ["song-jin-1142-shaoxing", "haiti-france-1825"],
        );
        assert_eq!(got, ["song-jin-1142-shaoxing"]);
        // A close name far behind the best one is left out.
        assert_eq!(
            nearest("song-silvr", ["song-silver", "song-cash", "units"]),
            ["song-silver"]
        );
        // Equal scores come in alphabetical order, and a name given twice counts once.
        assert_eq!(nearest("ab", ["ac", "aa", "ac"]), ["aa", "ac"]);
    }

    #[test]
    fn help_suggests_or_lists_at_most_ten() {
        assert_eq!(
            did_you_mean("Sung", "parties", PARTIES),
            "did you mean `Song`?"
        );
        assert_eq!(
            did_you_mean("Song Dynasty", "parties", ["Song dynasty", "Song Dynasty!"]),
            "did you mean `Song dynasty` or `Song Dynasty!`?"
        );
        assert_eq!(
            did_you_mean("Rome", "parties", PARTIES),
            "known parties: Jin, Liao, Northern Song, Song, Southern Song, Western Xia"
        );
        let many: Vec<String> = (0..25).map(|i| format!("book-{i:02}")).collect();
        let help = did_you_mean("zzz", "price books", many.iter().map(String::as_str));
        assert_eq!(help.matches("book-").count(), MAX_LISTED);
        assert!(help.ends_with("book-09 and 15 more"), "{help}");
        assert_eq!(did_you_mean("x", "readings", []), "known readings: (none)");
        assert_eq!(
            with_advice("Sung", "parties", PARTIES, "declare it"),
            "did you mean `Song`? Declare it"
        );
        assert_eq!(
            with_advice("Rome", "parties", ["Jin"], "declare it"),
            "known parties: Jin; declare it"
        );
    }
}
