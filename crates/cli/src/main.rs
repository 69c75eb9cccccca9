//! The `tribute` binary: parse arguments (clap), resolve them into a loaded context, run one
//! command, print its report.
//!
//! Exit status: 0 success; 1 `check` found problems, or `snapshot` a figure that moved; 2 any
//! error (bad input, bad arguments, unwritable output). Errors go to standard error with file,
//! line and column; no output file is written when anything fails. A closed pipe on standard
//! output ends the program quietly.
//!
//! Signals (Unix): on SIGINT (Ctrl-C), SIGTERM or SIGHUP the temporary file of an output being
//! written is removed, then the program dies of that same signal, so a shell reports 130 for
//! Ctrl-C and 143 for SIGTERM, and a script running tribute sees it was interrupted. SIGXFSZ (a
//! file-size limit, `ulimit -f`) is caught and ignored, so a write past the limit fails with an
//! error and is cleaned up like any other failure, instead of killing the program mid-write.

mod args;
mod commands;
mod context;
mod diag;
mod render;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::args::{Cli, Command};
use crate::context::{Context, Env, LoadFailure};
use crate::render::emit;

fn print_errors(errors: &[tribute_core::Error]) {
    for e in errors {
        eprint!("{}", diag::render(e));
        eprintln!();
    }
}

fn fail(e: &anyhow::Error) -> ExitCode {
    if let Some(core) = e.downcast_ref::<tribute_core::Error>() {
        print_errors(std::slice::from_ref(core));
    } else {
        eprintln!("error: {e:#}");
    }
    ExitCode::from(2)
}

/// Why a run failed: a corpus that did not load (every problem), or any other error.
enum Failure {
    Load(Vec<tribute_core::Error>),
    Run(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure::Run(e)
    }
}

impl From<LoadFailure> for Failure {
    fn from(LoadFailure(errors): LoadFailure) -> Failure {
        Failure::Load(errors)
    }
}

impl From<tribute_core::Error> for Failure {
    fn from(e: tribute_core::Error) -> Failure {
        Failure::Run(e.into())
    }
}

fn run(cli: &Cli, env: &Env) -> Result<ExitCode, Failure> {
    let g = &cli.global;
    // The corpus lives as long as the process: it is leaked rather than freed at exit, which on a
    // large corpus would only spend time (tens of milliseconds per million postings).
    let load = || -> Result<&'static Context, LoadFailure> {
        Ok(Box::leak(Box::new(Context::new(g, env)?)))
    };
    let is_export = matches!(cli.command, Command::Export { .. });
    if g.format.is_journal() && !is_export {
        return Err(anyhow::anyhow!(
            "--format {:?} is a journal format, for `tribute export` only",
            g.format
        )
        .into());
    }
    let report = match &cli.command {
        Command::Check => {
            let loaded = context::load(g, env);
            let outcome = match &loaded {
                Ok(corpus) => commands::check::run(Ok(corpus)),
                Err(LoadFailure(errors)) => commands::check::run(Err(errors)),
            };
            print_errors(&outcome.problems);
            emit(g.output.as_deref(), &outcome.report.render(g.format))?;
            return Ok(if outcome.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            });
        }
        Command::Snapshot(args) => {
            let layers = context::layers(g, env)?;
            let folder = context::snapshot_folder(g, layers.len())?;
            let ctx = Context::from_layers(g, &layers)?;
            let outcome = commands::snapshot::run(&ctx, &layers, &folder, args)?;
            commands::snapshot::apply(&outcome)?;
            emit(
                g.output.as_deref(),
                &commands::snapshot::render(&outcome, g.format, args)?,
            )?;
            return Ok(ExitCode::from(u8::from(!outcome.ok())));
        }
        Command::Schema { report } => {
            let all = tribute_core::report::schemas();
            let text = match report {
                None => serde_json::to_string_pretty(
                    &all.into_iter()
                        .map(|(name, schema)| (name.to_string(), schema))
                        .collect::<serde_json::Map<_, _>>(),
                ),
                Some(name) => match all.iter().find(|(n, _)| n == name) {
                    Some((_, schema)) => serde_json::to_string_pretty(schema),
                    None => {
                        let names: Vec<&str> = all.iter().map(|(n, _)| *n).collect();
                        return Err(anyhow::anyhow!(
                            "no report `{name}` has a JSON schema; reports: {}",
                            names.join(", ")
                        )
                        .into());
                    }
                },
            }
            .map_err(anyhow::Error::from)?;
            emit(g.output.as_deref(), &format!("{text}\n"))?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Synth {
            count,
            seed,
            out,
            no_journals,
            form,
        } => {
            let args = commands::synth::SynthArgs {
                count: *count,
                seed: *seed,
                out: out.clone(),
                no_journals: *no_journals,
                form: *form,
            };
            emit(None, &commands::synth::run(g, &args)?)?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Chart { kind } => {
            let out = context::chart_output(g, kind.look())?;
            let picture = commands::chart::run(load()?, kind, &out)?;
            render::write_atomic(&out.path, &picture.bytes)?;
            for w in &picture.warnings {
                eprintln!("warning: {w}");
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Export {
            filters,
            delivered,
            pricing,
        } => {
            let dialect = match g.format {
                args::Format::Hledger => commands::export::Journal::Hledger,
                args::Format::Ledger => commands::export::Journal::Ledger,
                args::Format::Beancount => commands::export::Journal::Beancount,
                other => {
                    return Err(anyhow::anyhow!(
                        "export writes journals: give --format hledger, ledger or beancount (not {other:?})"
                    )
                    .into());
                }
            };
            let ctx = load()?;
            let resolved = ctx.resolve()?;
            let book = pricing.prices.as_deref().map(|b| ctx.book(b)).transpose()?;
            let text =
                commands::export::journal(ctx, &resolved, filters, dialect, *delivered, book)?;
            emit(g.output.as_deref(), &text)?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::List => commands::list::run(load()?),
        Command::Show { id } => commands::show::run(load()?, id),
        Command::Ledger { filters, pricing } => commands::ledger::run(load()?, filters, pricing),
        Command::Total {
            filters,
            by,
            pricing,
        } => commands::total::run(load()?, filters, *by, pricing),
        Command::Compare(args) => commands::compare::run(load()?, args),
    }?;
    emit(g.output.as_deref(), &report.render(g.format))?;
    Ok(ExitCode::SUCCESS)
}

/// Installs the signal handling described in the module docs: a thread that waits for the
/// signals and, for each that ends the program, removes the output's temporary file first.
#[cfg(unix)]
fn clean_up_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGXFSZ};
    let handler = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP, SIGXFSZ]).and_then(
        |mut signals| {
            std::thread::Builder::new()
                .name("signals".into())
                .spawn(move || {
                    for signal in signals.forever() {
                        if signal == SIGXFSZ {
                            continue;
                        }
                        render::abandon_output();
                        // Dies of the signal itself; should that fail, exits with the status a
                        // shell would show for it.
                        let _ = signal_hook::low_level::emulate_default_handler(signal);
                        std::process::exit(128 + signal);
                    }
                })
        },
    );
    if let Err(e) = handler {
        eprintln!(
            "warning: cannot handle signals ({e}); an interrupted -o may leave a .tribute-* file"
        );
    }
}

fn main() -> ExitCode {
    // The environment is read here only; everything below is given what it needs.
    let env = Env {
        tribute_path: std::env::var_os("TRIBUTE_PATH"),
        max_file_size: std::env::var_os("TRIBUTE_MAX_FILE_SIZE"),
    };
    // `--version` names the corpus in use too: its text is made before the parse, if asked for.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut command = Cli::command();
    if let Some(version) = commands::version::text(&args, &env) {
        let version: &'static str = Box::leak(version.into_boxed_str());
        command = command.version(version).long_version(version);
    }
    let matches = command.clone().get_matches_from(args);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.format(&mut command).exit());
    #[cfg(unix)]
    clean_up_on_signals();
    match run(&cli, &env) {
        Ok(code) => code,
        Err(Failure::Load(errors)) => {
            print_errors(&errors);
            ExitCode::from(2)
        }
        Err(Failure::Run(e)) => fail(&e),
    }
}
