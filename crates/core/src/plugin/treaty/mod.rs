//! Reading one treaty file (`<id>.toml`): its header, its items with their readings, its claims.
//!
//! [`read_treaty`] checks the file against the registry alone; what needs other treaties (targets
//! exist, no amendment cycle) is `super::references`, once every file is read. What must hold: the
//! treaty id is the file stem, in kebab-case; item ids are unique per kind within the file, and so
//! are claim ids; the first problem in the file is returned, with its file, line and column.

mod items;
mod readings;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use toml::Spanned;

use self::items::TreatyCtx;
use self::readings::{ItemKind, item};
use super::claim::claim;
use super::discovery::PluginFile;
use super::fields::{FileCtx, local_sources_each, parse_toml, party, sources, year};
use super::problems::{Opened, Problems, first, open};
use super::raw::{RawItem, RawTreaty};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Item, Status, Treaty};
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
    let raw: RawTreaty = match parse_toml(&file.display, &text, "treaty file") {
        Ok(raw) => raw,
        Err(e) => {
            problems.push(e);
            return Err(problems.into_errors());
        }
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
    // Each item with its table, so that a duplicate id can be placed.
    let mut obligations = Vec::new();
    for o in &raw.obligation {
        let read = item(&ctx, ItemKind::Obligation, o, |r, s| tc.obligation(r, s));
        obligations.extend(problems.ok(read).map(|i| (i, o)));
    }
    let mut amendments = Vec::new();
    for a in &raw.amendment {
        let read = item(&ctx, ItemKind::Amendment, a, |r, s| tc.amendment(r, s));
        amendments.extend(problems.ok(read).map(|i| (i, a)));
    }
    let mut suspensions = Vec::new();
    for s in &raw.suspension {
        let read = item(&ctx, ItemKind::Suspension, s, |r, sp| tc.suspension(r, sp));
        suspensions.extend(problems.ok(read).map(|i| (i, s)));
    }
    let mut deliveries = Vec::new();
    for d in &raw.delivery {
        let read = item(&ctx, ItemKind::Delivery, d, |r, s| tc.delivery(r, s));
        deliveries.extend(problems.ok(read).map(|i| (i, d)));
    }
    // Ids are unique per kind within the file (among the items that could be read).
    fn unique<T>(
        ctx: &FileCtx,
        items: Vec<(Item<T>, &Spanned<RawItem>)>,
        kind: &str,
        problems: &mut Problems,
    ) -> Vec<Item<T>> {
        let mut seen = BTreeMap::new();
        let mut out = Vec::with_capacity(items.len());
        for (i, r) in items {
            let span = r.get_ref().id.as_ref().map_or(r.span(), |s| s.span());
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
            id,
            name: raw.name.get_ref().clone(),
            payer: payer?,
            payee: payee?,
            signed: signed?,
            status: status?,
            label: raw.label.get_ref().clone(),
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
        let file = PluginFile {
            relative: "t.toml".into(),
            display: "t.toml".into(),
            bytes: text.as_bytes().into(),
        };
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
        let file = PluginFile {
            relative: "t.toml".into(),
            display: "t.toml".into(),
            bytes: text.as_bytes().into(),
        };
        let corpus = Corpus::load(&[builtin_registry()]).expect("loads");
        assert_eq!(
            read_treaty(&file, &corpus.registry).unwrap_err().message(),
            "unknown commodity `slik`"
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
