//! Command-line syntax (clap). Parsing only: nothing here reads a file or the environment, and
//! nothing is interpreted beyond its type; `context` turns these into a resolved context.

mod examples;

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use examples::*;

/// Exact, sourced accounts of what states paid each other under treaties.
#[derive(Debug, Parser)]
#[command(
    name = "tribute",
    version,
    about,
    long_about = None,
    max_term_width = 100,
    after_help = TOP_EXAMPLES
)]
pub struct Cli {
    /// The corpus options may also come before the command; they add to the command's own.
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Which treaties, price books and readings are loaded: every command that reads the corpus
/// takes these, before or after its name.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Corpus")]
pub struct CorpusArgs {
    /// Add treaties, registry entries and price books from DIR (repeatable; later folders
    /// override earlier ones and the built-in corpus by id; also read from TRIBUTE_PATH).
    #[arg(long = "treaties", value_name = "DIR")]
    pub treaties: Vec<PathBuf>,
    /// Leave out the built-in treaties, price books and context series (use only --treaties and
    /// TRIBUTE_PATH folders); the built-in registry of units, commodities, parties and sources
    /// stays, and the folders may override it.
    #[arg(long)]
    pub no_builtin: bool,
    /// Use reading NAME wherever an item offers it (repeatable); `tribute show ID` lists readings.
    #[arg(long = "reading", value_name = "NAME")]
    pub readings: Vec<String>,
}

impl CorpusArgs {
    /// True if any option is given.
    pub fn is_given(&self) -> bool {
        !self.treaties.is_empty() || self.no_builtin || !self.readings.is_empty()
    }

    /// The options given before the command (`self`) followed by those given after it.
    pub fn then(&self, after: &CorpusArgs) -> CorpusArgs {
        CorpusArgs {
            treaties: self
                .treaties
                .iter()
                .chain(&after.treaties)
                .cloned()
                .collect(),
            no_builtin: self.no_builtin || after.no_builtin,
            readings: self
                .readings
                .iter()
                .chain(&after.readings)
                .cloned()
                .collect(),
        }
    }
}

/// Where a report goes and in which format.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Output")]
pub struct ReportOutput {
    /// Output format [default: the -o file's extension (.csv, .json, .md), else table].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// Write to FILE instead of standard output (`-` is standard output). A regular file is
    /// replaced atomically; a link is followed; a device or FIFO is written in place.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Which commodities and columns a report's table shows (table, markdown and csv; not json,
/// which is always the whole report).
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Output")]
pub struct Choice {
    /// Show only commodity C (repeatable; by id or alias).
    #[arg(long = "commodity", value_name = "C")]
    pub commodities: Vec<String>,
    /// Show only these columns, besides those that name a row (comma-separated csv keys, e.g.
    /// `owed,assumed`; a name within a commodity, such as `owed`, picks it for every commodity).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub columns: Vec<String>,
}

/// Which columns a report's table shows (`list`).
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Output")]
pub struct ColumnChoice {
    /// Show only these columns, besides the one that names a row (comma-separated csv keys,
    /// e.g. `payer,payee,years`).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub columns: Vec<String>,
}

impl From<&ColumnChoice> for Choice {
    fn from(c: &ColumnChoice) -> Choice {
        Choice {
            commodities: Vec::new(),
            columns: c.columns.clone(),
        }
    }
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned table for people (thousands separators), fitted to the terminal's width.
    Table,
    /// Comma-separated values: plain decimals, one header row.
    Csv,
    /// JSON: amounts as decimal strings, with metadata.
    Json,
    /// A Markdown table.
    Markdown,
}

impl Format {
    /// The format a file's extension names: `.csv`, `.json`, `.md` or `.markdown`.
    pub fn from_extension(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_string_lossy().to_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}

impl ReportOutput {
    /// The format asked for: `--format`, else the `-o` file's extension, else a table.
    pub fn format(&self) -> Format {
        self.format
            .or_else(|| self.output.as_deref().and_then(Format::from_extension))
            .unwrap_or(Format::Table)
    }

    /// The file to write, or `None` for standard output (`-o -` included).
    pub fn file(&self) -> Option<&Path> {
        self.output.as_deref().filter(|p| p.as_os_str() != "-")
    }
}

/// Journal formats (`export`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum JournalFormat {
    /// An hledger journal.
    Hledger,
    /// A ledger journal (years before 1400 are shifted, see the header).
    Ledger,
    /// A beancount file.
    Beancount,
}

impl JournalFormat {
    /// The format a file's extension names: `.hledger` or `.journal`, `.ledger`, `.beancount`
    /// or `.bean`.
    pub fn from_extension(path: &Path) -> Option<JournalFormat> {
        let ext = path.extension()?.to_string_lossy().to_lowercase();
        match ext.as_str() {
            "hledger" | "journal" => Some(JournalFormat::Hledger),
            "ledger" => Some(JournalFormat::Ledger),
            "beancount" | "bean" => Some(JournalFormat::Beancount),
            _ => None,
        }
    }
}

/// Where a journal goes and in which format.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Output")]
pub struct JournalOutput {
    /// Journal format [default: the -o file's extension (.hledger or .journal, .ledger,
    /// .beancount or .bean)].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<JournalFormat>,
    /// Write to FILE instead of standard output (`-` is standard output).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl JournalOutput {
    /// The file to write, or `None` for standard output (`-o -` included).
    pub fn file(&self) -> Option<&Path> {
        self.output.as_deref().filter(|p| p.as_os_str() != "-")
    }
}

/// Where a chart goes: its format is the file's extension.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Output")]
pub struct PictureOutput {
    /// The picture to write: FILE.svg or FILE.png (the extension gives the format). A regular
    /// file is replaced atomically.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
}

/// Which streams and years a report covers.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Selection")]
pub struct Filters {
    /// Only payments by PARTY, a party of the registry by id or alias (`Song` includes Northern
    /// and Southern Song).
    #[arg(long, value_name = "PARTY")]
    pub payer: Option<String>,
    /// Only payments to PARTY (as --payer).
    #[arg(long, value_name = "PARTY")]
    pub payee: Option<String>,
    /// Only treaty ID (repeatable; the start of exactly one id will do).
    #[arg(long = "treaty", value_name = "ID")]
    pub treaty: Vec<String>,
    /// First year (inclusive).
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true)]
    pub from: Option<i32>,
    /// Last year (inclusive).
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true)]
    pub to: Option<i32>,
    /// Treaty statuses to include [default: in-force; all statuses for treaties named by --treaty].
    #[arg(long, value_enum, value_delimiter = ',', value_name = "STATUS")]
    pub status: Vec<StatusArg>,
}

/// Treaty statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    /// In force.
    InForce,
    /// A demand.
    Demand,
    /// Never in force.
    NeverInForce,
    /// All of them.
    All,
}

/// Valuation with a price book (`ledger`, `total`).
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Valuation")]
pub struct Pricing {
    /// Add values in price book BOOK's numeraire (low, central, high) and what it cannot price.
    #[arg(long = "prices", value_name = "BOOK")]
    pub prices: Option<String>,
}

/// Worth across time (`total`): what the payments are worth at a year, accumulated or
/// discounted at a yearly rate (docs/worth.md).
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Worth across time")]
pub struct WorthArgs {
    /// Accumulate every payment to --to-year at RATE a year (0.05; a range 0.03..0.05 or
    /// 0.03..0.04..0.05), or at the yearly rates of a rate series in context/ (its id).
    #[arg(
        long,
        value_name = "RATE|SERIES",
        conflicts_with = "discount",
        requires = "to_year"
    )]
    pub accumulate: Option<String>,
    /// Discount every payment to --to-year at RATE a year (0.05; a range 0.03..0.05 or
    /// 0.03..0.04..0.05).
    #[arg(long, value_name = "RATE", requires = "to_year")]
    pub discount: Option<String>,
    /// The year the values are taken at (with --accumulate or --discount).
    #[arg(long = "to-year", value_name = "YEAR", allow_negative_numbers = true)]
    pub to_year: Option<i32>,
}

/// What `compare` compares, and how.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Comparison")]
pub struct CompareArgs {
    /// The treaty whose total is measured: every stream, any status (usually a demand). Here and
    /// in --against, the start of exactly one treaty id will do.
    #[arg(value_name = "A")]
    pub a: String,
    /// The treaty it is measured against: its yearly flow (recurring obligations), or its total
    /// with --ratio.
    #[arg(long, value_name = "B")]
    pub against: String,
    /// Value both sides with price book BOOK; without it each shared commodity is compared alone.
    #[arg(long = "prices", value_name = "BOOK")]
    pub prices: Option<String>,
    /// The year of B's yearly flow [default: B's first payment year].
    #[arg(
        long,
        value_name = "YEAR",
        allow_negative_numbers = true,
        conflicts_with = "ratio"
    )]
    pub year: Option<i32>,
    /// A plain ratio of A's total to B's total instead of years of B's flow.
    #[arg(long)]
    pub ratio: bool,
    /// One row per combination of the readings of A's and B's items.
    #[arg(long)]
    pub all_readings: bool,
    /// One row per loaded price book.
    #[arg(long, conflicts_with = "prices")]
    pub all_books: bool,
    /// Also state each side's value per person of its payer (population series in context/).
    #[arg(long)]
    pub per_capita: bool,
    /// Also state each side's value as a share of its payer's yearly revenue (revenue series).
    #[arg(long)]
    pub share_of_revenue: bool,
    /// Find the rate of COMMODITY (in the book's numeraire) that makes the central value TARGET.
    #[arg(long, value_name = "COMMODITY=TARGET")]
    pub solve: Option<String>,
}

/// How a chart looks: size, title, font. The picture's format is the `-o` file's extension.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Picture")]
pub struct Look {
    /// Width of the picture in pixels (640–8192).
    #[arg(long, value_name = "PIXELS", default_value_t = 1200)]
    pub width: u32,
    /// Height of the picture in pixels (480–8192).
    #[arg(long, value_name = "PIXELS", default_value_t = 900)]
    pub height: u32,
    /// Print TEXT as the chart's title instead of its own.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Draw the text with the TrueType or OpenType font FILE; needed for Chinese characters, which
    /// the built-in DejaVu Sans lacks (it covers Latin, Greek and Cyrillic).
    #[arg(long, value_name = "FILE")]
    pub font: Option<PathBuf>,
}

/// How the burden chart splits each year's bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StackBy {
    /// A panel per commodity (valued: the commodities' values piled up).
    Commodity,
    /// Each commodity's bar split by payee (valued: the payees' values piled up).
    Payee,
}

/// The charts.
#[derive(Debug, Subcommand)]
pub enum ChartKind {
    /// What was paid each year, recorded and assumed: a panel per commodity in its own unit, or with --prices the
    /// values piled up in the book's numeraire.
    #[command(after_help = BURDEN_EXAMPLES)]
    Burden {
        /// Which streams and years.
        #[command(flatten)]
        filters: Filters,
        /// Value the deliveries with a price book.
        #[command(flatten)]
        pricing: Pricing,
        /// Split each year's bar by commodity or by payee.
        #[arg(long, value_enum, default_value_t = StackBy::Commodity, help_heading = "Picture")]
        stack_by: StackBy,
        /// Size, title, font.
        #[command(flatten)]
        look: Look,
        /// The corpus.
        #[command(flatten)]
        corpus: CorpusArgs,
        /// The picture file.
        #[command(flatten)]
        out: PictureOutput,
    },
    /// Running totals paid (recorded and assumed) and owed (dashed), per commodity; with --prices, per
    /// payer → payee in the book's numeraire with the low–high band.
    #[command(after_help = CUMULATIVE_EXAMPLES)]
    Cumulative {
        /// Which streams and years.
        #[command(flatten)]
        filters: Filters,
        /// Value the amounts with a price book.
        #[command(flatten)]
        pricing: Pricing,
        /// Size, title, font.
        #[command(flatten)]
        look: Look,
        /// The corpus.
        #[command(flatten)]
        corpus: CorpusArgs,
        /// The picture file.
        #[command(flatten)]
        out: PictureOutput,
    },
    /// One bar per payment stream: years assumed paid, recorded, suspended, of unknown delivery.
    #[command(after_help = TIMELINE_EXAMPLES)]
    Timeline {
        /// Which streams and years.
        #[command(flatten)]
        filters: Filters,
        /// Size, title, font.
        #[command(flatten)]
        look: Look,
        /// The corpus.
        #[command(flatten)]
        corpus: CorpusArgs,
        /// The picture file.
        #[command(flatten)]
        out: PictureOutput,
    },
    /// A's total against the running total of B's yearly flow (the arguments of `tribute
    /// compare`; --prices BOOK is needed).
    #[command(after_help = CHART_COMPARE_EXAMPLES)]
    Compare {
        /// What is compared (as `tribute compare`).
        #[command(flatten)]
        compare: CompareArgs,
        /// Size, title, font.
        #[command(flatten)]
        look: Look,
        /// The corpus.
        #[command(flatten)]
        corpus: CorpusArgs,
        /// The picture file.
        #[command(flatten)]
        out: PictureOutput,
    },
}

impl ChartKind {
    /// The size, title and font asked for.
    pub fn look(&self) -> &Look {
        match self {
            ChartKind::Burden { look, .. }
            | ChartKind::Cumulative { look, .. }
            | ChartKind::Timeline { look, .. }
            | ChartKind::Compare { look, .. } => look,
        }
    }

    /// The corpus options given after the chart's name.
    pub fn corpus(&self) -> &CorpusArgs {
        match self {
            ChartKind::Burden { corpus, .. }
            | ChartKind::Cumulative { corpus, .. }
            | ChartKind::Timeline { corpus, .. }
            | ChartKind::Compare { corpus, .. } => corpus,
        }
    }

    /// The picture file.
    pub fn output(&self) -> &Path {
        match self {
            ChartKind::Burden { out, .. }
            | ChartKind::Cumulative { out, .. }
            | ChartKind::Timeline { out, .. }
            | ChartKind::Compare { out, .. } => &out.output,
        }
    }
}

/// How `total` groups its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// Per payer → payee.
    Pair,
    /// Per treaty.
    Treaty,
    /// Per obligation stream.
    Stream,
    /// Everything selected together.
    All,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the treaties in the corpus.
    #[command(after_help = LIST_EXAMPLES)]
    List {
        /// The corpus.
        #[command(flatten)]
        corpus: CorpusArgs,
        /// Format and file.
        #[command(flatten)]
        out: ReportOutput,
        /// Columns shown.
        #[command(flatten)]
        choice: ColumnChoice,
    },
    /// Show one treaty: terms, readings, amendments, sources, and its streams as resolved.
    #[command(after_help = SHOW_EXAMPLES)]
    Show {
        /// Treaty id (the file name without .toml; the start of exactly one id will do).
        id: String,
        /// The corpus.
        #[command(flatten)]
        corpus: CorpusArgs,
        /// Format and file.
        #[command(flatten)]
        out: ReportOutput,
    },
    /// Year by year per commodity: owed, recorded, assumed and arrears, with cumulative columns.
    #[command(after_help = LEDGER_EXAMPLES)]
    Ledger {
        /// Which streams and years.
        #[command(flatten)]
        filters: Filters,
        /// Valuation with a price book.
        #[command(flatten)]
        pricing: Pricing,
        /// The corpus.
        #[command(flatten)]
        corpus: CorpusArgs,
        /// Format and file.
        #[command(flatten)]
        out: ReportOutput,
        /// Commodities and columns shown.
        #[command(flatten)]
        choice: Choice,
    },
    /// Totals per commodity: owed, recorded, assumed, unknown, suspended, withheld, arrears.
    #[command(after_help = TOTAL_EXAMPLES)]
    Total {
        /// Which streams and years.
        #[command(flatten)]
        filters: Filters,
        /// Grouping of the rows.
        #[arg(long, value_enum, default_value_t = By::Pair, help_heading = "Selection")]
        by: By,
        /// Valuation with a price book.
        #[command(flatten)]
        pricing: Pricing,
        /// Worth across time.
        #[command(flatten)]
        worth: WorthArgs,
        /// The corpus.
        #[command(flatten)]
        corpus: CorpusArgs,
        /// Format and file.
        #[command(flatten)]
        out: ReportOutput,
        /// Commodities and columns shown.
        #[command(flatten)]
        choice: Choice,
    },
    /// One treaty's total as years of another's yearly flow (or as a ratio of totals), valued
    /// with a price book, per commodity without one.
    #[command(after_help = COMPARE_EXAMPLES)]
    Compare {
        /// What is compared.
        #[command(flatten)]
        args: CompareArgs,
        /// Worth across time.
        #[command(flatten)]
        worth: WorthArgs,
        /// The corpus.
        #[command(flatten)]
        corpus: CorpusArgs,
        /// Format and file.
        #[command(flatten)]
        out: ReportOutput,
    },
    /// Draw a chart to -o FILE.svg or FILE.png (the extension gives the format).
    #[command(after_help = CHART_EXAMPLES)]
    Chart {
        /// Which chart.
        #[command(subcommand)]
        kind: ChartKind,
    },
    /// Validate every treaty, registry file and reading; exit 2 if a file does not load, 1 if a
    /// claim or report fails.
    #[command(after_help = CHECK_EXAMPLES)]
    Check {
        /// Fail (exit 1) on cautions too: an obligation assumed paid without a `ground`, a default
        /// reading resting on a C source alone (what a paper's author would want to fix).
        #[arg(long)]
        strict: bool,
        /// The corpus.
        #[command(flatten)]
        corpus: CorpusArgs,
        /// Format and file.
        #[command(flatten)]
        out: ReportOutput,
    },
    /// Pin treaties' figures as snapshots in DIR/snapshots (DIR the first --treaties folder);
    /// --check compares, --accept takes the new figures (docs/snapshots.md).
    #[command(after_help = SNAPSHOT_EXAMPLES)]
    Snapshot {
        /// What to write, check or accept.
        #[command(flatten)]
        args: crate::commands::snapshot::SnapshotArgs,
        /// The corpus.
        #[command(flatten)]
        corpus: CorpusArgs,
        /// Format and file.
        #[command(flatten)]
        out: ReportOutput,
    },
    /// Write the account of record as a journal for hledger, ledger or beancount.
    ///
    /// Dues are liabilities (Liabilities:Owed), cleared by recorded, assumed or unknown
    /// deliveries, lapses and settlements, so `hledger bal Liabilities` shows the arrears.
    #[command(after_help = EXPORT_EXAMPLES)]
    Export {
        /// Which streams and years.
        #[command(flatten)]
        filters: Filters,
        /// Add price directives from price book BOOK (central rates, in a commodity `VALUE`).
        #[command(flatten)]
        pricing: Pricing,
        /// The corpus.
        #[command(flatten)]
        corpus: CorpusArgs,
        /// Format and file.
        #[command(flatten)]
        out: JournalOutput,
    },
    /// Print the JSON Schema of a report's `--format json` output (ledger, total, compare,
    /// compare-matrix, check, show, list), or of all of them.
    #[command(after_help = SCHEMA_EXAMPLES)]
    Schema {
        /// The report; all of them if left out.
        report: Option<String>,
        /// Write to FILE instead of standard output (`-` is standard output).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write a synthetic corpus (treaty files, journals, streams.json) for tests and benchmarks.
    #[command(after_help = SYNTH_EXAMPLES)]
    Synth {
        /// Number of treaty files.
        #[arg(long, value_name = "N")]
        count: usize,
        /// Seed of the random generator (the same seed and count give the same files).
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
        /// Folder to create (must be new or empty).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Write only the treaty files and streams.json, not the journals.
        #[arg(long)]
        no_journals: bool,
        /// Write the treaties as one TOML file each, or as one streams table (streams/synth.csv)
        /// plus one TOML file of their amendments and suspensions.
        #[arg(long = "as", value_name = "FORM", value_enum, default_value_t = SynthForm::Toml)]
        form: SynthForm,
    },
    /// Print a completion script for SHELL to standard output.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page of tribute, or of one command, as roff to standard output.
    #[command(after_help = MAN_EXAMPLES)]
    Man {
        /// The command whose page is printed (`ledger`, `chart burden`); tribute's own page if
        /// left out.
        #[arg(value_name = "COMMAND", conflicts_with = "dir")]
        command: Vec<String>,
        /// Write every page (tribute.1, tribute-ledger.1, …) into the folder DIR instead, and
        /// list them.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

impl Command {
    /// The command's name, as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::List { .. } => "list",
            Command::Show { .. } => "show",
            Command::Ledger { .. } => "ledger",
            Command::Total { .. } => "total",
            Command::Compare { .. } => "compare",
            Command::Chart { .. } => "chart",
            Command::Check { .. } => "check",
            Command::Snapshot { .. } => "snapshot",
            Command::Export { .. } => "export",
            Command::Schema { .. } => "schema",
            Command::Synth { .. } => "synth",
            Command::Completions { .. } => "completions",
            Command::Man { .. } => "man",
        }
    }

    /// The corpus options given after the command's name, for the commands that read the
    /// corpus; `None` for those that do not (schema, synth, completions, man).
    pub fn corpus(&self) -> Option<&CorpusArgs> {
        match self {
            Command::List { corpus, .. }
            | Command::Show { corpus, .. }
            | Command::Ledger { corpus, .. }
            | Command::Total { corpus, .. }
            | Command::Compare { corpus, .. }
            | Command::Check { corpus, .. }
            | Command::Snapshot { corpus, .. }
            | Command::Export { corpus, .. } => Some(corpus),
            Command::Chart { kind } => Some(kind.corpus()),
            Command::Schema { .. }
            | Command::Synth { .. }
            | Command::Completions { .. }
            | Command::Man { .. } => None,
        }
    }
}

/// How `synth` writes its treaties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SynthForm {
    /// One TOML file per treaty.
    Toml,
    /// One streams table, `streams/synth.csv`, plus `synth-changes.toml`.
    Csv,
}
