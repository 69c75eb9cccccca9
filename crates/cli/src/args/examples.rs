//! The examples at the end of each command's `--help`, one constant per command. Every line that
//! starts with `  tribute ` is run by `tests/help_examples.rs`, so they cannot rot.

// Examples at the end of each command's help. Every line that starts with `  tribute ` is run
// by tests/help_examples.rs (in a temporary folder; `> FILE` takes standard output), so they
// cannot rot. Each is followed by what it answers, indented further.

/// `tribute --help`.
pub(super) const TOP_EXAMPLES: &str = "\
Examples:
  tribute ledger --payer Song --payee Jin
      Year by year, what the Song owed the Jin, what is recorded and what is assumed paid.
  tribute total --payee Liao --to 1121
      Totals per commodity of what the Liao received.
  tribute compare jin-demand-1126 --against song-jin-1123 --prices units
      The 1126 demand in years of the 1123 tribute.

Tables fit the terminal's width (COLUMNS overrides); `tribute COMMAND --help` has more.";

pub(super) const LIST_EXAMPLES: &str = "\
Examples:
  tribute list
      Every treaty, with payer, payee, years and readings.
  tribute list --columns payer,payee,years,readings
      Only the columns asked for (the id always stays).
  tribute list -o treaties.csv
      The list as csv (the extension gives the format).";

pub(super) const SHOW_EXAMPLES: &str = "\
Examples:
  tribute show song-jin-1142-shaoxing
      The Shaoxing treaty: terms, readings, streams, sources.
  tribute show song-jin-1142 --format json
      The same by the start of its id, as JSON.";

pub(super) const LEDGER_EXAMPLES: &str = "\
Examples:
  tribute ledger --payer Song --payee Jin
      Year by year, what the Song owed the Jin, what is recorded and what is assumed paid.
  tribute ledger --payee Liao --from 1040 --to 1045 --commodity silver
      Six years of the silver paid to the Liao.
  tribute ledger --payer Song --payee Jin --prices song-silver -o song-jin.csv
      Valued in taels of silver, written as csv.

Tables fit the terminal's width (COLUMNS overrides): a table too wide is split into blocks of
columns, each repeating the year.";

pub(super) const TOTAL_EXAMPLES: &str = "\
Examples:
  tribute total --payee Liao --to 1121
      Totals per commodity of what the Liao received.
  tribute total --payer Song --payee Jin --by treaty --columns owed,assumed
      Owed and assumed paid per treaty.
  tribute total --payer Song --prices song-silver --format json
      Valued in taels of silver, as JSON.";

pub(super) const COMPARE_EXAMPLES: &str = "\
Examples:
  tribute compare jin-demand-1126 --against song-jin-1123 --prices units
      The 1126 demand in years of the 1123 tribute, a tael and a bolt counted alike.
  tribute compare jin-demand-1126 --against song-jin-1123 --all-readings
      Every combination of readings, each commodity on its own.
  tribute compare jin-demand-1126 --against song-jin-1123 --prices song-silver --solve gold=180
      The rate of gold that makes the demand 180 years of tribute.";

pub(super) const CHART_EXAMPLES: &str = "\
Examples:
  tribute chart burden --payer Song -o burden.svg
      What the Song paid each year (recorded and assumed), a panel per commodity.
  tribute chart timeline --payer Song --payee Jin -o timeline.png
      One bar per stream: assumed paid, suspended, unknown.";

pub(super) const BURDEN_EXAMPLES: &str = "\
Examples:
  tribute chart burden --payer Song -o burden.svg
      What the Song paid each year (recorded and assumed), a panel per commodity.
  tribute chart burden --payer Song --prices song-silver --stack-by payee -o burden.png
      Valued in taels of silver, split by payee.";

pub(super) const CUMULATIVE_EXAMPLES: &str = "\
Examples:
  tribute chart cumulative --payer Song -o cumulative.svg
      Running totals owed and paid (recorded and assumed), per commodity.
  tribute chart cumulative --payer Song --payee Jin --prices song-silver -o cumulative.png
      Their values in taels of silver, with the low–high band.";

pub(super) const TIMELINE_EXAMPLES: &str = "\
Examples:
  tribute chart timeline --payer Song -o timeline.svg
      One bar per stream of the Song's payments.
  tribute chart timeline --payee Jin --width 800 --height 600 -o timeline.png
      The streams to the Jin, as a smaller PNG.";

pub(super) const CHART_COMPARE_EXAMPLES: &str = "\
Examples:
  tribute chart compare jin-demand-1126 --against song-jin-1123 --prices song-silver -o compare.svg
      The 1126 demand against the running total of the 1123 tribute.
  tribute chart compare jin-demand-1126 --against song-jin-1123 --prices units -o compare.png
      The same with a tael and a bolt counted alike.";

pub(super) const CHECK_EXAMPLES: &str = "\
Examples:
  tribute check
      Validate everything; exit status 2 if a file does not load, 1 if a claim or report fails.
  tribute check --format json
      The same report as JSON.";

pub(super) const SNAPSHOT_EXAMPLES: &str = "\
Examples:
  tribute snapshot --treaties . --treaty song-liao-1005-chanyuan
      Pin one treaty's figures in ./snapshots/; later, --check says if one moved.
  tribute snapshot --treaties . --treaty song-liao-1005-chanyuan --print
      Show the snapshot instead of writing it.";

pub(super) const EXPORT_EXAMPLES: &str = "\
Examples:
  tribute export --format hledger --payee Liao --to 1006
      Two years of the Liao tribute as an hledger journal.
  tribute export --payer Haiti --to 1837 -o haiti.beancount
      Haiti's dues and arrears to 1837, as beancount (the extension gives the format).
  tribute export --prices song-silver -o tribute.ledger
      Everything, with price directives, for ledger.";

pub(super) const SCHEMA_EXAMPLES: &str = "\
Examples:
  tribute schema ledger
      The JSON Schema of `tribute ledger --format json`.
  tribute schema -o schemas.json
      Every report's schema, keyed by name.";

pub(super) const SYNTH_EXAMPLES: &str = "\
Examples:
  tribute synth --count 20 --out synth-20
      Twenty made-up treaty files, with their journals.
  tribute synth --count 20 --seed 7 --as csv --no-journals --out synth-csv
      The same as one streams table, without journals.";

pub(super) const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  tribute completions bash > tribute.bash
      For bash: `source tribute.bash`, or put it in ~/.local/share/bash-completion/completions/tribute.
  tribute completions zsh > _tribute
      For zsh: put _tribute in a folder of $fpath.
  tribute completions fish > tribute.fish
      For fish: put it in ~/.config/fish/completions/.";

pub(super) const MAN_EXAMPLES: &str = "\
Examples:
  tribute man > tribute.1
      The manual page; read it with `man -l tribute.1`.
  tribute man chart burden > tribute-chart-burden.1
      The page of one command.
  tribute man --dir .
      Every page, written into the current folder.";
