//! Reading one treaty file (`<id>.toml`): its header, its items with their readings, its claims.
//!
//! [`read_treaty`] checks the file against the registry alone; what needs other treaties (targets
//! exist, no amendment cycle) is `super::references`, once every file is read. What must hold: the
//! treaty id is the file stem, in kebab-case; item ids are unique per kind within the file, and so
//! are claim ids; the first problem in the file is returned, with its file, line and column.

mod items;
mod pieces;
mod quick;
mod readings;

use compact_str::CompactString;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use toml::Spanned;

use self::items::TreatyCtx;
use self::readings::{ItemKind, item};
use super::claim::claim;
use super::discovery::PluginFile;
use super::fields::{FileCtx, local_sources_each, parse_toml, party, sources, year};
use super::problems::{Opened, Problems, first, open};
use super::raw::{RawItem, RawItems, RawTreaty};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Amendment, Delivery, Item, Obligation, Status, Suspension, Treaty};
use crate::registry::Registry;

/// Parses and validates one treaty file against a registry: the treaty, or the first problem in
/// the file (the corpus reports them all, through [`read_treaty_each`]).
pub fn read_treaty(file: &PluginFile, reg: &Registry) -> Result<Treaty> {
    read_treaty_each(file, reg).map_err(first)
}

/// Parses and validates one treaty file against a registry: the treaty, or every problem in the
/// file, in the order of the file's parts (header, local sources, the header's fields, then each
/// kind of item in turn, duplicate ids, claims), up to [`super::problems::MAX_PER_FILE`]. Each item
/// (all its readings) reports its first problem; a file that is not UTF-8 or not TOML of the
/// right shape reports that alone.
pub(crate) fn read_treaty_each(
    file: &PluginFile,
    reg: &Registry,
) -> std::result::Result<Treaty, Vec<Error>> {
    let Opened {
        text,
        ctx,
        mut problems,
        id,
    } = open(file, "treaty", "song-jin-1142-shaoxing.toml")?;
    // A big file is parsed in pieces on all cores, exactly as it would be whole (`pieces`).
    let (raw, parts) = match pieces::parse(&text, pieces::PIECE_BYTES) {
        Some(cut) => cut,
        None => match parse_toml::<RawTreaty>(&file.display, &text, "treaty file") {
            Ok(mut raw) => {
                let items = raw.take_items();
                (raw, vec![items])
            }
            Err(e) => {
                problems.push(e);
                return Err(problems.into_errors());
            }
        },
    };
    let (local, errors) = local_sources_each(&ctx, &raw.source);
    problems.extend(errors);
    let tc = TreatyCtx {
        ctx: ctx.clone(),
        reg,
        local,
    };
    let status = problems.ok(Status::parse(raw.status.get_ref()).ok_or_else(|| {
        ctx.err(
            ErrorKind::Value,
            raw.status.span(),
            format!("unknown status `{}`", raw.status.get_ref()),
        )
        .help("status is \"in-force\", \"demand\" or \"never-in-force\"")
    }));
    let treaty_sources = problems.ok(match &raw.sources {
        Some(s) => sources(&ctx, reg, &tc.local, s),
        None => Ok(Vec::new()),
    });
    let payer = problems.ok(party(&ctx, reg, &raw.payer));
    let payee = problems.ok(party(&ctx, reg, &raw.payee));
    let signed = problems.ok(year(&ctx, &raw.signed));
    // Each item with the span of its id, so that a duplicate id can be placed; the problems in
    // the order of the file within each kind, kind after kind, however the file was cut.
    let read: Vec<ItemsRead> = parts.iter().map(|p| read_items(&tc, p)).collect();
    drop(parts);
    let mut read = read;
    // One kind after another, each in the file's order.
    macro_rules! gather {
        ($kind:ident) => {{
            let mut out = Vec::with_capacity(read.iter().map(|r| r.$kind.len()).sum());
            for r in &mut read {
                let part = std::mem::take(&mut r.$kind);
                out.extend(part.into_iter().filter_map(|i| problems.ok(i)));
            }
            out
        }};
    }
    let obligations = gather!(obligations);
    let amendments = gather!(amendments);
    let suspensions = gather!(suspensions);
    let deliveries = gather!(deliveries);
    // Ids are unique per kind within the file (among the items that could be read).
    fn unique<T>(
        ctx: &FileCtx,
        items: Vec<(Item<T>, Range<usize>)>,
        kind: &str,
        problems: &mut Problems,
    ) -> Vec<Item<T>> {
        let mut seen = BTreeMap::new();
        let mut out = Vec::with_capacity(items.len());
        for (i, span) in items {
            if let Some(first) = seen.get(&i.id) {
                let line = ctx.loc(Range::clone(first)).line();
                problems.push(ctx
                    .err(
                        ErrorKind::Duplicate,
                        span,
                        format!(
                            "{kind} id `{}` is used twice in this file (first on line {line})",
                            i.id
                        ),
                    )
                    .help(format!(
                        "give each {kind} its own id: amendments and deliveries name it as TREATY/ID; for another reading of the same {kind}, use [{kind}.readings.NAME]"
                    )));
            } else {
                seen.insert(i.id.clone(), span);
            }
            out.push(i);
        }
        out
    }
    let obligations = unique(&ctx, obligations, "obligation", &mut problems);
    let amendments = unique(&ctx, amendments, "amendment", &mut problems);
    let suspensions = unique(&ctx, suspensions, "suspension", &mut problems);
    let deliveries = unique(&ctx, deliveries, "delivery", &mut problems);
    let mut claim_ids = BTreeSet::new();
    let mut claims = Vec::new();
    for c in &raw.claim {
        let Some(c) = problems.ok(claim(&ctx, reg, &tc.local, c.get_ref())) else {
            continue;
        };
        if !claim_ids.insert(c.id.clone()) {
            problems.push(
                ctx.err(
                    ErrorKind::Duplicate,
                    c.at.span.clone(),
                    format!("claim id `{}` is used twice in this file", c.id),
                )
                .help("give each claim its own id"),
            );
            continue;
        }
        claims.push(c);
    }
    problems.finish(|| {
        Some(Treaty {
            id: CompactString::new(&id),
            name: CompactString::new(raw.name.get_ref()),
            payer: CompactString::new(payer?),
            payee: CompactString::new(payee?),
            signed: signed?,
            status: status?,
            label: CompactString::new(raw.label.get_ref()),
            summary: raw.summary.clone(),
            notes: raw.notes.clone(),
            sources: treaty_sources?,
            local_sources: tc.local.clone(),
            obligations,
            amendments,
            suspensions,
            deliveries,
            claims,
            path: file.display.clone(),
            at: ctx.loc(0..0),
        })
    })
}

/// One part of a file's items (all of them, or one piece's), read: each item with its id's span,
/// or its first problem, in the order of the file.
struct ItemsRead {
    obligations: Vec<Result<(Item<Obligation>, Range<usize>)>>,
    amendments: Vec<Result<(Item<Amendment>, Range<usize>)>>,
    suspensions: Vec<Result<(Item<Suspension>, Range<usize>)>>,
    deliveries: Vec<Result<(Item<Delivery>, Range<usize>)>>,
}

fn read_items(tc: &TreatyCtx, raw: &RawItems) -> ItemsRead {
    fn each<T>(
        tc: &TreatyCtx,
        kind: ItemKind,
        list: &[Spanned<RawItem>],
        make: impl Fn(&TreatyCtx, &RawItem, Range<usize>) -> Result<T>,
    ) -> Vec<Result<(Item<T>, Range<usize>)>> {
        list.iter()
            .map(|r| {
                let id = r.get_ref().id.as_ref().map_or(r.span(), |s| s.span());
                item(&tc.ctx, kind, r, |x, s| make(tc, x, s)).map(|i| (i, id))
            })
            .collect()
    }
    ItemsRead {
        obligations: each(tc, ItemKind::Obligation, &raw.obligation, |t, r, s| {
            t.obligation(r, s)
        }),
        amendments: each(tc, ItemKind::Amendment, &raw.amendment, |t, r, s| {
            t.amendment(r, s)
        }),
        suspensions: each(tc, ItemKind::Suspension, &raw.suspension, |t, r, s| {
            t.suspension(r, s)
        }),
        deliveries: each(tc, ItemKind::Delivery, &raw.delivery, |t, r, s| {
            t.delivery(r, s)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Corpus;
    use crate::plugin::builtin_registry;
    use crate::plugin::problems::MAX_PER_FILE;

    const HEAD: &str = "name = \"T\"\npayer = \"Song\"\npayee = \"Jin\"\nsigned = 1900\nstatus = \"in-force\"\nlabel = \"payment\"\n\n[source.s]\ntitle = \"S\"\nquality = \"A\"\n";

    fn obligation(id: &str, amounts: &str) -> String {
        format!(
            "\n[[obligation]]\nid = \"{id}\"\nschedule = \"one-time\"\nyear = 1900\namounts = {{ {amounts} }}\nsource = \"s\"\n"
        )
    }

    fn read(text: &str) -> std::result::Result<Treaty, Vec<Error>> {
        let corpus = Corpus::load(&[builtin_registry()]).expect("the built-in registry loads");
        let file = PluginFile::new("t.toml".into(), "t.toml".into(), text.as_bytes());
        read_treaty_each(&file, &corpus.registry)
    }

    fn messages(errors: &[Error]) -> Vec<String> {
        errors.iter().map(|e| e.message().to_string()).collect()
    }

    #[test]
    fn a_good_file_reads_as_before() {
        let t = read(&format!("{HEAD}{}", obligation("a", "silver = 5"))).expect("loads");
        assert_eq!(t.obligations.len(), 1);
    }

    #[test]
    fn every_item_reports_its_first_problem_and_duplicates_are_found_among_the_rest() {
        let text = format!(
            "{HEAD}{}{}{}{}",
            obligation("a", "silver = 5"),
            obligation("b", "slik = 5"),
            obligation("a", "silver = 6"),
            obligation("c", "silver = \"5 bolt\""),
        );
        let errors = read(&text).unwrap_err();
        assert_eq!(
            messages(&errors),
            [
                "unknown commodity `slik`",
                "silver is measured by weight but `bolt` is a unit of cloth",
                // The third obligation's id (line 27) repeats the first's (line 13).
                "obligation id `a` is used twice in this file (first on line 13)",
            ]
        );
        let lines: Vec<usize> = errors
            .iter()
            .map(|e| e.location().map_or(0, |l| l.line()))
            .collect();
        // HEAD is 10 lines and each obligation 7 (a blank line first): the amounts of the second
        // and fourth are on lines 10 + 7 + 6 and 10 + 21 + 6, the third's id on 10 + 14 + 3.
        assert_eq!(lines, [23, 37, 27]);
        // The single-error form gives the first, as it always did.
        let file = PluginFile::new("t.toml".into(), "t.toml".into(), text.as_bytes());
        let corpus = Corpus::load(&[builtin_registry()]).expect("loads");
        assert_eq!(
            read_treaty(&file, &corpus.registry).unwrap_err().message(),
            "unknown commodity `slik`"
        );
    }

    #[test]
    fn a_big_file_read_in_pieces_reads_and_reports_as_it_would_whole() {
        let n = 1200;
        let mut good = HEAD.to_string();
        let mut bad = HEAD.to_string();
        for i in 0..n {
            good.push_str(&obligation(&format!("o{i}"), "silver = 5"));
            let amounts = if i == 7 || i == n - 3 {
                "slik = 5"
            } else {
                "silver = 5"
            };
            let id = if i == n - 1 {
                "o3".to_string()
            } else {
                format!("o{i}")
            };
            bad.push_str(&obligation(&id, amounts));
        }
        for text in [&good, &bad] {
            let cut = pieces::parse(&std::sync::Arc::new(text.clone()), pieces::PIECE_BYTES)
                .expect("cut in pieces");
            assert!(cut.1.len() >= 2);
        }
        let t = read(&good).expect("loads");
        let ids: Vec<&str> = t.obligations.iter().map(|o| o.id.as_str()).collect();
        let expected: Vec<String> = (0..n).map(|i| format!("o{i}")).collect();
        assert_eq!(ids, expected);
        let errors = read(&bad).unwrap_err();
        assert_eq!(
            messages(&errors),
            [
                "unknown commodity `slik`",
                "unknown commodity `slik`",
                "obligation id `o3` is used twice in this file (first on line 34)",
            ]
        );
        // HEAD is 10 lines and each obligation 7 (a blank line first), with its id on its third
        // line and its amounts on its sixth: o3's id is on line 10 + 3 * 7 + 3 = 34.
        let lines: Vec<usize> = errors
            .iter()
            .map(|e| e.location().map_or(0, |l| l.line()))
            .collect();
        assert_eq!(
            lines,
            [10 + 7 * 7 + 6, 10 + 7 * (n - 3) + 6, 10 + 7 * (n - 1) + 3]
        );
    }

    #[test]
    fn a_bad_local_source_is_reported_once_not_again_at_each_item_citing_it() {
        let text =
            HEAD.replace("quality = \"A\"", "quality = \"Z\"") + &obligation("a", "silver = 5");
        let errors = read(&text).unwrap_err();
        assert_eq!(messages(&errors), ["unknown quality `Z`"]);
    }

    #[test]
    fn past_the_limit_one_line_counts_the_rest() {
        let n = MAX_PER_FILE + 5;
        let mut text = HEAD.to_string();
        for i in 0..n {
            text.push_str(&obligation(&format!("o{i}"), "slik = 1"));
        }
        let errors = read(&text).unwrap_err();
        assert_eq!(errors.len(), MAX_PER_FILE + 1);
        assert!(
            errors[..MAX_PER_FILE]
                .iter()
                .all(|e| e.message() == "unknown commodity `slik`")
        );
        assert_eq!(
            errors[MAX_PER_FILE].message(),
            "5 more problems in this file not shown (at most 20 are reported per file)"
        );
        assert!(errors[MAX_PER_FILE].help_text().is_some());
    }

    #[test]
    fn a_file_that_is_not_toml_of_the_right_shape_reports_that_alone() {
        let errors = read("name = \"T\"\n[[obligation]\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].kind(), ErrorKind::Syntax);
    }
}
