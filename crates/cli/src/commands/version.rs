//! `tribute --version`: the program's version and the digest of the corpus in use, so that a
//! figure in a paper can name exactly what produced it.
//!
//! clap prints the version; its text is made here, before the real parse, and only when the
//! arguments ask for it (reading the corpus costs nothing otherwise). The arguments are first
//! read leniently for --treaties and --no-builtin, so `tribute --treaties DIR --version` gives
//! the digest of the built-in corpus plus DIR, as any command would load it (TRIBUTE_PATH
//! included). The digest is `tribute_core::digest`: SHA-256 of every file's path and bytes,
//! layer by layer, of which the first 16 hex digits are shown.

use std::ffi::OsString;

use clap::{CommandFactory, FromArgMatches};
use tribute_core::digest::{corpus_digest, layer_digest};

use crate::args::{Cli, CorpusArgs};
use crate::context::{Env, LoadFailure, layers};

/// True if the arguments ask for the version (`-V` or `--version`).
fn asked(args: &[OsString]) -> bool {
    args.iter().skip(1).any(|a| a == "-V" || a == "--version")
}

/// The version text clap is to print after the program's name, if the arguments ask for it.
pub fn text(args: &[OsString], env: &Env) -> Option<String> {
    if !asked(args) {
        return None;
    }
    let lenient = Cli::command()
        .ignore_errors(true)
        .disable_version_flag(true)
        .subcommand_required(false);
    // The version flag itself is left out: an argument the lenient parse does not know ends it.
    let rest = args.iter().filter(|a| *a != "-V" && *a != "--version");
    let global = lenient
        .try_get_matches_from(rest)
        .ok()
        .and_then(|m| CorpusArgs::from_arg_matches(&m).ok());
    let mut out = env!("CARGO_PKG_VERSION").to_string();
    let Some(global) = global else {
        return Some(out);
    };
    match layers(&global, env) {
        Ok(layers) => {
            out.push_str(&format!(
                "\ncorpus {} (SHA-256 of every file loaded, first 16 hex digits; docs/snapshots.md)",
                corpus_digest(&layers).short()
            ));
            let width = layers.iter().map(|l| l.name.len()).max().unwrap_or(0);
            for l in &layers {
                let n = l.files.len();
                out.push_str(&format!(
                    "\n  {:width$}  {}  {n} file{}",
                    l.name,
                    layer_digest(l).short(),
                    if n == 1 { "" } else { "s" }
                ));
            }
        }
        Err(LoadFailure(errors)) => {
            for e in errors {
                out.push_str(&format!("\ncorpus: cannot be read: {e}"));
            }
        }
    }
    Some(out)
}
