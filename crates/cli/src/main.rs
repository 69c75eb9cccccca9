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
mod layout;
mod render;

use std::process::ExitCode;

use std::io::IsTerminal;

use clap::{CommandFactory, FromArgMatches};

use crate::args::{Choice, Cli, Command, CorpusArgs, Format, JournalFormat, Pricing, ReportOutput};
use crate::context::{Context, Env, LoadFailure};
use crate::render::{Layout, Selection, emit};

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

/// The corpus options of the command: those given before its name, then those after it. A
/// command that reads no corpus refuses them.
fn corpus_args(cli: &Cli) -> anyhow::Result<CorpusArgs> {
    match cli.command.corpus() {
        Some(after) => Ok(cli.corpus.then(after)),
        None if cli.corpus.is_given() => Err(anyhow::anyhow!(
            "--treaties, --no-builtin and --reading choose a corpus; `tribute {}` reads none",
            cli.command.name()
        )),
        None => Ok(CorpusArgs::default()),
    }
}

/// Renders a report as `out` asks (with `choice` applied) and writes it.
fn print_report(
    mut report: render::Report,
    out: &ReportOutput,
    choice: &Selection,
    env: &Env,
) -> anyhow::Result<()> {
    let format = out.format();
    if !choice.is_empty() {
        if format == Format::Json {
            anyhow::bail!(
                "--commodity and --columns choose what a table shows; --format json is always the whole report"
            );
        }
        report.select(choice)?;
    }
    let to_stdout = out.file().is_none();
    let (width, warning) = context::table_width(env, to_stdout);
    if let Some(w) = warning {
        eprintln!("warning: {w}");
    }
    emit(out.file(), &report.render(format, Layout { width }))
}

/// What `--commodity` and `--columns` ask for, checked against the corpus. Commodities are
/// refused with a price book, whose values sum every commodity.
fn selection(ctx: &Context, choice: &Choice, pricing: &Pricing) -> anyhow::Result<Selection> {
    if !choice.commodities.is_empty() && pricing.prices.is_some() {
        anyhow::bail!(
            "--commodity cannot go with --prices: the values sum every commodity selected; leave out --commodity, or choose columns with --columns"
        );
    }
    Ok(Selection {
        commodities: choice
            .commodities
            .iter()
            .map(|c| ctx.commodity(c))
            .collect::<Result<_, _>>()?,
        columns: choice.columns.clone(),
    })
}

fn run(cli: &Cli, env: &Env) -> Result<ExitCode, Failure> {
    let corpus = corpus_args(cli)?;
    // The corpus lives as long as the process: it is leaked rather than freed at exit, which on a
    // large corpus would only spend time (tens of milliseconds per million postings).
    let load = || -> Result<&'static Context, LoadFailure> {
        Ok(Box::leak(Box::new(Context::new(&corpus, env)?)))
    };
    let none = Selection::default();
    match &cli.command {
        Command::Check { out, strict, .. } => {
            let loaded = context::load(&corpus, env);
            let outcome = match &loaded {
                Ok(corpus) => commands::check::run(Ok(corpus), *strict),
                Err(LoadFailure(errors)) => commands::check::run(Err(errors), *strict),
            };
            print_errors(&outcome.problems);
            print_report(outcome.report, out, &none, env)?;
            // A corpus that does not load is bad input, as for every command (2); problems found
            // in a corpus that loads (a claim, a report that fails) are check's own finding (1).
            Ok(if loaded.is_err() {
                ExitCode::from(2)
            } else if outcome.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Snapshot { args, out, .. } => {
            let layers = context::layers(&corpus, env)?;
            let folder = context::snapshot_folder(&corpus, layers.len())?;
            let ctx = Context::from_layers(&corpus, &layers)?;
            let outcome = commands::snapshot::run(&ctx, &layers, &folder, args)?;
            commands::snapshot::apply(&outcome)?;
            emit(
                out.file(),
                &commands::snapshot::render(&outcome, out.format(), args)?,
            )?;
            Ok(ExitCode::from(u8::from(!outcome.ok())))
        }
        Command::Schema { report, output } => {
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
            emit(output.as_deref(), &format!("{text}\n"))?;
            Ok(ExitCode::SUCCESS)
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
            emit(None, &commands::synth::run(&args)?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            emit(None, &commands::manual::completions(*shell))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man { command, dir } => {
            let text = match dir {
                Some(dir) => commands::manual::write_pages(dir)?,
                None => commands::manual::page(command)?,
            };
            emit(None, &text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Chart { kind } => {
            let out = context::chart_output(kind.output(), kind.look())?;
            let picture = commands::chart::run(load()?, kind, &out)?;
            render::write_atomic(&out.path, &picture.bytes)?;
            for w in &picture.warnings {
                eprintln!("warning: {w}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            filters,
            pricing,
            out,
            ..
        } => {
            let format = out
                .format
                .or_else(|| out.file().and_then(JournalFormat::from_extension));
            let dialect = match format {
                Some(JournalFormat::Hledger) => commands::export::Journal::Hledger,
                Some(JournalFormat::Ledger) => commands::export::Journal::Ledger,
                Some(JournalFormat::Beancount) => commands::export::Journal::Beancount,
                None => {
                    return Err(anyhow::anyhow!(
                        "export writes journals: give --format hledger, ledger or beancount, or -o a file ending in .hledger, .journal, .ledger, .beancount or .bean"
                    )
                    .into());
                }
            };
            let ctx = load()?;
            let resolved = ctx.resolve()?;
            let book = pricing.prices.as_deref().map(|b| ctx.book(b)).transpose()?;
            let text = commands::export::journal(ctx, &resolved, filters, dialect, book)?;
            emit(out.file(), &text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::List { out, choice, .. } => {
            let report = commands::list::run(load()?)?;
            let choice = Selection {
                commodities: Vec::new(),
                columns: choice.columns.clone(),
            };
            print_report(report, out, &choice, env)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { id, out, .. } => {
            print_report(commands::show::run(load()?, id)?, out, &none, env)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Ledger {
            filters,
            pricing,
            out,
            choice,
            ..
        } => {
            let ctx = load()?;
            let choice = selection(ctx, choice, pricing)?;
            let json = out.format() == Format::Json;
            let report = commands::ledger::run(ctx, filters, pricing, json)?;
            print_report(report, out, &choice, env)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Total {
            filters,
            by,
            pricing,
            worth,
            out,
            choice,
            ..
        } => {
            let ctx = load()?;
            let choice = selection(ctx, choice, pricing)?;
            let json = out.format() == Format::Json;
            let report = commands::total::run(ctx, filters, *by, pricing, worth, json)?;
            print_report(report, out, &choice, env)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Compare {
            args, out, worth, ..
        } => {
            print_report(
                commands::compare::run(load()?, args, worth)?,
                out,
                &none,
                env,
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
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
                        std::process::exit(128_i32.saturating_add(signal));
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

/// jemalloc, configured when built (`.cargo/config.toml`): the heap in huge pages where the kernel
/// offers them, one arena for all threads. On a million postings it takes a fifth off the run, as
/// glibc's malloc faults in every 4 kB page of some 40 MB one at a time (docs/performance.md).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Reserves the heap's first 64 MB of address space in one piece, touching none of it. jemalloc
/// (`oversize_threshold:0`, `.cargo/config.toml`) maps it from its one arena as a single mapping;
/// Linux places a mapping that is a whole number of 2 MB at a 2 MB boundary, and jemalloc advises
/// huge pages for it (`thp:always`). Freed at once, it stays in the arena's cache (decay off) and
/// every later allocation is carved from it, so a first touch brings in a 2 MB page rather than a
/// 4 kB one. Without it the heap grows by mappings of 2.5, 3, 3.5, 5 and 7 MB, which no 2 MB page
/// fits: on a million postings, 2,700 faults of 4 kB against some 370 (docs/performance.md).
/// Where the kernel gives no huge pages, this costs one mapping; made only where jemalloc serves.
fn reserve_heap() {
    const RESERVE: usize = 64 << 20;
    // black_box: an allocation never used may otherwise be left out by the optimiser.
    drop(std::hint::black_box(Vec::<u8>::with_capacity(RESERVE)));
}

fn main() -> ExitCode {
    if cfg!(not(target_env = "msvc")) {
        reserve_heap();
    }
    // The environment is read here only; everything below is given what it needs.
    if std::env::var_os("TRIBUTE_TIMINGS").is_some() {
        tribute_core::timing::enable();
    }
    let stdout = std::io::stdout();
    let env = Env {
        tribute_path: std::env::var_os("TRIBUTE_PATH"),
        max_file_size: std::env::var_os("TRIBUTE_MAX_FILE_SIZE"),
        columns: std::env::var_os("COLUMNS"),
        terminal_width: stdout
            .is_terminal()
            .then(|| terminal_size::terminal_size_of(&stdout))
            .flatten()
            .map(|(w, _)| usize::from(w.0)),
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
    tribute_core::timing::mark("arguments parsed");
    // Once the arguments are parsed (`--help` needs no pool), the main thread becomes one of
    // rayon's workers (one thread per core in all, not one more): a parallel step starts on it at
    // once, and glibc keeps one malloc arena per thread, so a thread fewer is a smaller peak
    // (docs/performance.md). If a pool exists already, keep it.
    let _ = rayon::ThreadPoolBuilder::new()
        .use_current_thread()
        .build_global();
    let outcome = run(&cli, &env);
    tribute_core::timing::mark("command run and output written");
    match outcome {
        Ok(code) => code,
        Err(Failure::Load(errors)) => {
            print_errors(&errors);
            ExitCode::from(2)
        }
        Err(Failure::Run(e)) => fail(&e),
    }
}
