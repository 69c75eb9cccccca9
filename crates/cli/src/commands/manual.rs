//! `tribute completions SHELL` and `tribute man`: shell completion scripts (clap_complete) and
//! manual pages (clap_mangen), generated from the very clap definition that parses the command
//! line, so they list exactly the options each command accepts, and the man pages carry the
//! examples of `--help`.
//!
//! What must hold: the output depends on nothing but the program (no date, no path), so
//! `docs/man/` can be checked against it by a test (tests/manual.rs).

use std::path::Path;

use anyhow::{Result, bail};
use clap::CommandFactory;

use crate::args::Cli;
use crate::render::write_atomic;

/// The command tree as the generators see it: built, so that each subcommand has its display
/// name (`tribute-ledger`) and usage name (`tribute ledger`); without clap's `help` subcommand.
fn command() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> String {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "tribute", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The page of one command as roff.
fn render(cmd: clap::Command) -> Result<String> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out)?;
    Ok(String::from_utf8(out)?)
}

/// The page of the command `path` names (`[]`: tribute's own; `["chart", "burden"]`).
pub fn page(path: &[String]) -> Result<String> {
    let mut cmd = command();
    for (depth, name) in path.iter().enumerate() {
        let Some(sub) = cmd.find_subcommand(name).cloned() else {
            let known: Vec<String> = cmd
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            let within = if depth == 0 {
                "tribute".to_string()
            } else {
                format!("tribute {}", path[..depth].join(" "))
            };
            if known.is_empty() {
                bail!(
                    "`{within}` has no commands; `tribute man {}` is its page",
                    path[..depth].join(" ")
                );
            }
            bail!(
                "`{within}` has no command `{name}`; its commands: {}",
                known.join(", ")
            );
        };
        cmd = sub;
    }
    render(cmd)
}

/// Every page, as (file name, roff): tribute.1 and one per command and chart kind
/// (`tribute-chart-burden.1`), sorted by file name.
pub fn pages() -> Result<Vec<(String, String)>> {
    fn walk(cmd: &clap::Command, out: &mut Vec<(String, String)>) -> Result<()> {
        let man = clap_mangen::Man::new(cmd.clone());
        out.push((man.get_filename(), render(cmd.clone())?));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, out)?;
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(&command(), &mut out)?;
    out.sort();
    Ok(out)
}

/// Writes every page into the folder `dir` (which must exist); returns what it wrote, a line
/// per file.
pub fn write_pages(dir: &Path) -> Result<String> {
    if !dir.is_dir() {
        bail!("--dir {}: not a folder", dir.display());
    }
    let mut listing = String::new();
    for (name, text) in pages()? {
        let path = dir.join(&name);
        write_atomic(&path, text.as_bytes())?;
        listing.push_str(&format!("{}\n", path.display()));
    }
    Ok(listing)
}
