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

/// Text for roff: backslashes and hyphens escaped, a line never starting with a control
/// character.
fn roff_text(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

/// The EXAMPLES section, from the examples that end the command's help (`  tribute …` lines,
/// each followed by what it answers, indented further), and any paragraph after them.
fn examples_section(help: &str) -> String {
    // No adjusting or hyphenation: a command is shown as typed.
    let mut out = String::from(".SH EXAMPLES\n.na\n.nh\n");
    let mut paragraph = false;
    for line in help.lines() {
        let trimmed = line.trim();
        if trimmed == "Examples:" {
            continue;
        }
        if trimmed.is_empty() {
            paragraph = true;
            continue;
        }
        if let Some(cmd) = line
            .strip_prefix("  ")
            .filter(|l| l.starts_with("tribute "))
        {
            out.push_str(&format!(".TP\n\\fB{}\\fR\n", roff_text(cmd)));
        } else if paragraph {
            out.push_str(&format!(".PP\n{}\n", roff_text(trimmed)));
            paragraph = false;
        } else {
            out.push_str(&format!("{}\n", roff_text(trimmed)));
        }
    }
    out
}

/// The page of one command as roff: clap_mangen's sections, then the examples of its help in
/// an EXAMPLES section (clap_mangen would call it EXTRA), then tribute's version on its own page.
fn render(cmd: clap::Command) -> Result<String> {
    let help = cmd.get_after_help().map(ToString::to_string);
    let top = cmd.get_name() == "tribute";
    let man =
        clap_mangen::Man::new(cmd.clone()).source(format!("tribute {}", env!("CARGO_PKG_VERSION")));
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    if cmd.has_subcommands() {
        man.render_subcommands_section(&mut out)?;
    }
    let mut text = String::from_utf8(out)?;
    if let Some(help) = help {
        text.push_str(&examples_section(&help));
    }
    if top {
        let mut version = Vec::new();
        man.render_version_section(&mut version)?;
        text.push_str(&String::from_utf8(version)?);
    } else {
        text.push_str(".SH \"SEE ALSO\"\n\\fBtribute\\fR(1)\n");
    }
    Ok(ascii(&text))
}

/// The page in ASCII: every other character as a roff `\[uXXXX]` escape (`–` is `\[u2013]`), so
/// that groff reads it without preconv and mandoc alike.
fn ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch.is_ascii() {
            out.push(ch);
        } else {
            out.push_str(&format!("\\[u{:04X}]", u32::from(ch)));
        }
    }
    out
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
