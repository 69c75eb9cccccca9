//! `tribute snapshot`: pin the figures of one's own treaties as text snapshots, and be told when
//! one moves.
//!
//! Snapshots live in `DIR/snapshots/ID.snap`, DIR the first --treaties folder, one per treaty;
//! `tribute_core::report::snapshot` makes, reads and compares them. The treaties are those whose
//! file is in DIR, those already snapshotted there, or those named with --treaty. What holds:
//! - `snapshot` writes the snapshots that are missing and never overwrites one whose figures
//!   differ (it shows the difference, exit status 1); `--accept` writes every new and changed
//!   one and removes those whose treaty is gone; `--check` writes nothing and exits 1 if any
//!   figure differs, a treaty has no snapshot, or a snapshot has no treaty; `--print` prints the
//!   snapshots instead of writing them;
//! - a snapshot whose figures are all the same is never rewritten (its header keeps saying what
//!   it was made with), so a folder under version control changes only where a figure did;
//! - every write is atomic (`render::write_atomic`); with `--check --pending` each changed or new
//!   snapshot is written beside the old as `ID.snap.new`, for `cargo insta review`.
//!
//! The stored snapshots are read by `context::snapshot_folder`; this module decides and lays out,
//! and [`apply`] does the writing.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;
use serde::Serialize;
use tribute_core::Layer;
use tribute_core::report::snapshot::{Difference, Snapshots, parse};

use crate::args::Format;
use crate::context::{Context, SnapshotFolder};

/// What `tribute snapshot` does.
#[derive(Debug, Args, Clone)]
#[command(after_help = "Examples:
  tribute --treaties my-paper snapshot            # pin the figures of my-paper/*.toml
  tribute --treaties my-paper snapshot --check    # exit 1, with the figures, if any moved
  tribute --treaties my-paper snapshot --accept   # take the new figures after review")]
pub struct SnapshotArgs {
    /// Only treaty ID (repeatable; the start of exactly one id will do). Without it: every treaty
    /// whose file is in DIR, and every treaty DIR/snapshots already holds a snapshot of.
    #[arg(long = "treaty", value_name = "ID")]
    pub treaty: Vec<String>,
    /// Compare with the stored snapshots and write nothing; exit status 1 if any figure differs,
    /// a treaty has no snapshot or a snapshot has no treaty.
    #[arg(long, conflicts_with_all = ["accept", "print"])]
    pub check: bool,
    /// Write every new and changed snapshot, and remove those whose treaty is gone.
    #[arg(long, conflicts_with = "print")]
    pub accept: bool,
    /// With --check: also write each new or changed snapshot beside the old as ID.snap.new, for
    /// `cargo insta review --workspace-root DIR`.
    #[arg(long, requires = "check")]
    pub pending: bool,
    /// Print the snapshots to standard output instead of writing them.
    #[arg(long)]
    pub print: bool,
}

/// How one treaty's snapshot stands.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The treaty (or, for a snapshot whose treaty is gone, the snapshot's id).
    pub treaty: String,
    /// `DIR/snapshots/ID.snap`, DIR as given.
    pub snapshot: String,
    /// `unchanged`, `new` (no snapshot yet), `changed`, `unreadable` or `no treaty`.
    pub status: &'static str,
    /// What was done: `written`, `rewritten`, `removed`, `pending` (ID.snap.new written) or
    /// `none`.
    pub action: &'static str,
    /// The figures that differ and what changed, for `changed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<Difference>,
    /// Why the stored snapshot cannot be read (file:line:col), for `unreadable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// How to mend it, for `unreadable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Outcome {
    /// True if the snapshot on disk now matches (or was just written).
    fn settled(&self) -> bool {
        matches!(self.action, "written" | "rewritten" | "removed") || self.status == "unchanged"
    }
}

/// The run's result: the outcomes, and what [`apply`] is to write and remove.
#[derive(Debug)]
pub struct Run {
    /// One per treaty (and per snapshot without one), in id order.
    pub outcomes: Vec<Outcome>,
    /// Files to write: path and text.
    pub writes: Vec<(PathBuf, String)>,
    /// Files to remove.
    pub removals: Vec<PathBuf>,
    /// For --print: the snapshots' text.
    pub printed: Option<String>,
    /// The folder, as given.
    pub dir: PathBuf,
}

impl Run {
    /// True if every snapshot matches its treaty once the run is applied: exit status 0.
    pub fn ok(&self) -> bool {
        self.printed.is_some() || self.outcomes.iter().all(Outcome::settled)
    }
}

/// The most differing figures listed per treaty; the rest are counted.
const SHOWN: usize = 25;

/// Decides what to write, check or remove. Computes every snapshot; reads and writes nothing.
pub fn run(
    ctx: &Context,
    layers: &[Layer],
    folder: &SnapshotFolder,
    args: &SnapshotArgs,
) -> Result<Run> {
    let resolved = ctx.resolve()?;
    let snaps = Snapshots::new(
        &ctx.corpus,
        &resolved,
        layers,
        folder.layer,
        env!("CARGO_PKG_VERSION"),
    )?;
    let mut ids: Vec<String> = Vec::new();
    let named = !args.treaty.is_empty();
    if named {
        for t in &args.treaty {
            ids.push(ctx.treaty_id(t)?);
        }
    } else {
        ids = snaps.home_treaties();
        ids.extend(
            folder
                .stored
                .keys()
                .filter(|id| ctx.corpus.treaties.contains_key(id.as_str()))
                .cloned(),
        );
    }
    ids.sort();
    ids.dedup();
    if ids.is_empty() && (named || folder.stored.is_empty()) {
        bail!(
            "{} holds no treaty file to snapshot; add one (docs/treaty-format.md), or name a loaded treaty with --treaty ID",
            folder.dir.display()
        );
    }
    let dir = folder.snapshots();
    let mut out = Run {
        outcomes: Vec::new(),
        writes: Vec::new(),
        removals: Vec::new(),
        printed: None,
        dir: folder.dir.clone(),
    };
    if args.print {
        let mut text = String::new();
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            text.push_str(&snaps.take(id)?.text());
        }
        out.printed = Some(text);
        return Ok(out);
    }
    let write = !args.check;
    for id in &ids {
        let new = snaps.take(id)?;
        let path = dir.join(format!("{id}.snap"));
        let mut o = Outcome {
            treaty: id.clone(),
            snapshot: path.display().to_string(),
            status: "unchanged",
            action: "none",
            difference: None,
            error: None,
            help: None,
        };
        let stored = folder.stored.get(id);
        match stored.map(|text| parse(&o.snapshot, text)) {
            None => {
                o.status = "new";
                if write {
                    o.action = "written";
                }
            }
            Some(Err(e)) => {
                o.status = "unreadable";
                o.error = Some(e.to_string());
                o.help = e.help_text().map(str::to_string);
                if args.accept {
                    o.action = "rewritten";
                }
            }
            Some(Ok(old)) => {
                let d = tribute_core::report::snapshot::compare(&old, &new);
                if !d.is_empty() {
                    o.status = "changed";
                    o.difference = Some(d);
                    if args.accept {
                        o.action = "rewritten";
                    }
                }
            }
        }
        if matches!(o.action, "written" | "rewritten") {
            out.writes.push((path, new.text()));
            if folder.pending.contains(id) {
                out.removals.push(dir.join(format!("{id}.snap.new")));
            }
        } else if args.pending && o.status != "unchanged" {
            o.action = "pending";
            out.writes
                .push((dir.join(format!("{id}.snap.new")), new.text()));
        } else if write && o.status == "unchanged" && folder.pending.contains(id) {
            // A pending snapshot of figures that match again is stale.
            out.removals.push(dir.join(format!("{id}.snap.new")));
        }
        out.outcomes.push(o);
    }
    if !named {
        for id in folder.stored.keys() {
            if ctx.corpus.treaties.contains_key(id.as_str()) {
                continue;
            }
            let mut o = Outcome {
                treaty: id.clone(),
                snapshot: dir.join(format!("{id}.snap")).display().to_string(),
                status: "no treaty",
                action: "none",
                difference: None,
                error: None,
                help: None,
            };
            if args.accept {
                o.action = "removed";
                out.removals.push(dir.join(format!("{id}.snap")));
                if folder.pending.contains(id) {
                    out.removals.push(dir.join(format!("{id}.snap.new")));
                }
            }
            out.outcomes.push(o);
        }
        out.outcomes.sort_by(|a, b| a.treaty.cmp(&b.treaty));
    }
    Ok(out)
}

/// Writes and removes what the run decided: each file atomically, the folder made if need be.
pub fn apply(run: &Run) -> Result<()> {
    if let Some(parent) = run.writes.first().and_then(|(p, _)| p.parent()) {
        std::fs::create_dir_all(parent).map_err(|e| {
            anyhow::anyhow!("cannot make the snapshot folder {}: {e}", parent.display())
        })?;
    }
    for (path, text) in &run.writes {
        crate::render::write_atomic(path, text.as_bytes())?;
    }
    for path in &run.removals {
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => bail!("cannot remove {}: {e}", path.display()),
        }
    }
    Ok(())
}

/// The JSON form of a run.
#[derive(Debug, Serialize)]
struct RunOut<'a> {
    ok: bool,
    treaties: &'a [Outcome],
}

/// The run as text for people (`table`, `markdown`) or as JSON.
pub fn render(run: &Run, format: Format, command: &SnapshotArgs) -> Result<String> {
    if let Some(text) = &run.printed {
        return Ok(text.clone());
    }
    match format {
        Format::Json => {
            let out = RunOut {
                ok: run.ok(),
                treaties: &run.outcomes,
            };
            return Ok(format!("{}\n", serde_json::to_string_pretty(&out)?));
        }
        Format::Table | Format::Markdown => {}
        other => bail!(
            "tribute snapshot reports as text or JSON: give --format table or --format json (not {other:?})"
        ),
    }
    let mut lines = Vec::new();
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for o in &run.outcomes {
        let count = counts.entry(o.status).or_default();
        *count = count.saturating_add(1);
        let s = &o.snapshot;
        match (o.status, o.action) {
            ("unchanged", _) => lines.push(format!("{}: unchanged ({s})", o.treaty)),
            ("new", "written") => lines.push(format!("{}: new, written to {s}", o.treaty)),
            ("new", _) => lines.push(format!("{}: no snapshot yet ({s})", o.treaty)),
            ("no treaty", "removed") => lines.push(format!(
                "{}: no treaty `{}` is loaded; removed {s}",
                o.treaty, o.treaty
            )),
            ("no treaty", _) => lines.push(format!(
                "{}: {s} has no treaty: none with id `{}` is loaded",
                o.treaty, o.treaty
            )),
            ("unreadable", action) => {
                lines.push(format!(
                    "{}: {s} cannot be read{}",
                    o.treaty,
                    if action == "rewritten" {
                        "; written anew"
                    } else {
                        ""
                    }
                ));
                if let Some(e) = &o.error {
                    lines.push(format!("  error: {e}"));
                }
                if let Some(h) = &o.help {
                    lines.push(format!("  help: {h}"));
                }
            }
            (_, action) => {
                let Some(d) = &o.difference else { continue };
                let n = d.changes.len();
                let figures = if n == 1 { "figure" } else { "figures" };
                let verb = if n == 1 { "differs" } else { "differ" };
                let tail = match action {
                    "rewritten" => "; rewritten",
                    "pending" => "; the new one is in .snap.new",
                    _ => "",
                };
                lines.push(format!("{}: {n} {figures} {verb} from {s}{tail}", o.treaty));
                for c in d.changes.iter().take(SHOWN) {
                    let old = c.old.as_deref().unwrap_or("(absent)");
                    let new = c.new.as_deref().unwrap_or("(absent)");
                    lines.push(format!("  [{}] {}: {old} → {new}", c.section, c.key));
                }
                if n > SHOWN {
                    lines.push(format!("  … and {} more", n.saturating_sub(SHOWN)));
                }
                for cause in &d.causes {
                    lines.push(format!("  since the snapshot: {cause}"));
                }
            }
        }
    }
    let total = run.outcomes.len();
    let summary: Vec<String> = counts
        .iter()
        .map(|(status, n)| format!("{n} {status}"))
        .collect();
    lines.push(format!(
        "{total} snapshot{}: {}",
        if total == 1 { "" } else { "s" },
        summary.join(", ")
    ));
    if !run.ok() {
        let dir = run.dir.display();
        lines.push(if command.check {
            format!(
                "Review the differences; to take the new figures, run `tribute --treaties {dir} snapshot --accept` with the same options."
            )
        } else {
            format!(
                "Snapshots that differ were left as they are; review, then run `tribute --treaties {dir} snapshot --accept` with the same options."
            )
        });
    }
    let mut text = lines.join("\n");
    text.push('\n');
    Ok(text)
}
