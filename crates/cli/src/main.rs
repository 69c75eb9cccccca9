//! The `tribute` binary: parse arguments (clap), resolve them into a loaded context, run one
//! command, print its report.
//!
//! Exit status: 0 success; 1 `check` found problems; 2 any error (bad input, bad arguments,
//! unwritable output). Errors go to standard error with file, line and column; no output file is
//! written when anything fails. A closed pipe on standard output ends the program quietly.

mod args;
mod commands;
mod context;
mod diag;
mod render;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::context::{Context, LoadFailure};
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let tribute_path = std::env::var_os("TRIBUTE_PATH");
    let g = &cli.global;
    if let Command::Check = cli.command {
        let loaded = context::load(g, tribute_path);
        let outcome = match &loaded {
            Ok(corpus) => commands::check::run(Ok(corpus)),
            Err(LoadFailure(errors)) => commands::check::run(Err(errors)),
        };
        print_errors(&outcome.problems);
        if let Err(e) = emit(g.output.as_deref(), &outcome.report.render(g.format)) {
            return fail(&e);
        }
        return if outcome.problems.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        };
    }
    let ctx = match Context::new(g, tribute_path) {
        Ok(c) => c,
        Err(LoadFailure(errors)) => {
            print_errors(&errors);
            return ExitCode::from(2);
        }
    };
    let report = match &cli.command {
        Command::List => commands::list::run(&ctx),
        Command::Show { id } => commands::show::run(&ctx, id),
        Command::Ledger { filters, pricing } => commands::ledger::run(&ctx, filters, pricing),
        Command::Total {
            filters,
            by,
            pricing,
        } => commands::total::run(&ctx, filters, *by, pricing),
        Command::Compare(args) => commands::compare::run(&ctx, args),
        Command::Check => unreachable!("handled above"),
    };
    match report.and_then(|r| emit(g.output.as_deref(), &r.render(g.format))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}
