//! Command-line syntax (clap). Parsing only: nothing here reads a file or the environment, and
//! nothing is interpreted beyond its type; `context` turns these into a resolved context.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Exact, sourced accounts of what states paid each other under treaties.
#[derive(Debug, Parser)]
#[command(name = "tribute", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every command.
#[derive(Debug, Args)]
pub struct Global {
    /// Add treaties, registry entries and price books from DIR (repeatable; later folders
    /// override earlier ones and the built-in corpus by id; also read from TRIBUTE_PATH).
    #[arg(long = "treaties", value_name = "DIR", global = true)]
    pub treaties: Vec<PathBuf>,
    /// Leave out the built-in treaties, price books and context series (use only --treaties and
    /// TRIBUTE_PATH folders); the built-in registry of units, commodities, parties and sources
    /// stays, and the folders may override it.
    #[arg(long, global = true)]
    pub no_builtin: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table, global = true)]
    pub format: Format,
    /// Write to FILE instead of standard output (`-` is standard output). A regular file is
    /// replaced atomically; a link is followed; a device or FIFO is written in place.
    #[arg(short = 'o', long = "output", value_name = "FILE", global = true)]
    pub output: Option<PathBuf>,
    /// Use reading NAME wherever an item offers it (repeatable); `tribute show ID` lists readings.
    #[arg(long = "reading", value_name = "NAME", global = true)]
    pub readings: Vec<String>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned table for people (thousands separators).
    Table,
    /// Comma-separated values: plain decimals, one header row.
    Csv,
    /// JSON: amounts as decimal strings, with metadata.
    Json,
    /// A Markdown table.
    Markdown,
    /// An hledger journal (`export` only).
    Hledger,
    /// A ledger journal (`export` only; years before 1400 are shifted, see the header).
    Ledger,
    /// A beancount file (`export` only).
    Beancount,
}

impl Format {
    /// True for the journal formats of `export`.
    pub fn is_journal(self) -> bool {
        matches!(self, Format::Hledger | Format::Ledger | Format::Beancount)
    }
}

/// Which streams and years a report covers.
#[derive(Debug, Args, Clone)]
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
pub struct Pricing {
    /// Add values in price book BOOK's numeraire (low, central, high) and what it cannot price.
    #[arg(long = "prices", value_name = "BOOK")]
    pub prices: Option<String>,
}

/// What `compare` compares, and how.
#[derive(Debug, Args, Clone)]
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
    /// What was delivered each year: a panel per commodity in its own unit, or with --prices the
    /// values piled up in the book's numeraire.
    Burden {
        /// Which streams and years.
        #[command(flatten)]
        filters: Filters,
        /// Value the deliveries with a price book.
        #[command(flatten)]
        pricing: Pricing,
        /// Split each year's bar by commodity or by payee.
        #[arg(long, value_enum, default_value_t = StackBy::Commodity)]
        stack_by: StackBy,
        /// Size, title, font.
        #[command(flatten)]
        look: Look,
    },
    /// Running totals delivered (solid) and owed (dashed), per commodity; with --prices, per
    /// payer → payee in the book's numeraire with the low–high band.
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
    },
    /// One bar per payment stream: years delivered, suspended, of unknown delivery.
    Timeline {
        /// Which streams and years.
        #[command(flatten)]
        filters: Filters,
        /// Size, title, font.
        #[command(flatten)]
        look: Look,
    },
    /// A's total against the running total of B's yearly flow (the arguments of `tribute
    /// compare`; --prices BOOK is needed).
    Compare {
        /// What is compared (as `tribute compare`).
        #[command(flatten)]
        compare: CompareArgs,
        /// Size, title, font.
        #[command(flatten)]
        look: Look,
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
    List,
    /// Show one treaty: terms, readings, amendments, sources, and its streams as resolved.
    Show {
        /// Treaty id (the file name without .toml; the start of exactly one id will do).
        id: String,
    },
    /// Year-by-year owed and delivered amounts per commodity, with cumulative columns.
    Ledger {
        /// Which streams and years.
        #[command(flatten)]
        filters: Filters,
        /// Valuation with a price book.
        #[command(flatten)]
        pricing: Pricing,
    },
    /// Totals per commodity (owed, delivered, suspended, delivery unknown).
    Total {
        /// Which streams and years.
        #[command(flatten)]
        filters: Filters,
        /// Grouping of the rows.
        #[arg(long, value_enum, default_value_t = By::Pair)]
        by: By,
        /// Valuation with a price book.
        #[command(flatten)]
        pricing: Pricing,
    },
    /// One treaty's total as years of another's yearly flow (or as a ratio of totals), valued
    /// with a price book, per commodity without one.
    Compare(CompareArgs),
    /// Draw a chart to -o FILE.svg or FILE.png (the extension gives the format).
    Chart {
        /// Which chart.
        #[command(subcommand)]
        kind: ChartKind,
    },
    /// Validate every treaty, registry file and reading; exit 1 if a problem is found.
    Check,
    /// Pin treaties' figures as snapshots in DIR/snapshots (DIR the first --treaties folder);
    /// --check compares, --accept takes the new figures (docs/snapshots.md).
    Snapshot(crate::commands::snapshot::SnapshotArgs),
    /// Write the payments as a journal: --format hledger, ledger or beancount.
    Export {
        /// Which streams and years.
        #[command(flatten)]
        filters: Filters,
        /// Export what is known to have been delivered instead of what was owed.
        #[arg(long)]
        delivered: bool,
        /// Add price directives from price book BOOK (central rates, in a commodity `VALUE`).
        #[command(flatten)]
        pricing: Pricing,
    },
    /// Print the JSON Schema of a report's `--format json` output (ledger, total, compare,
    /// compare-matrix, check, show, list), or of all of them.
    Schema {
        /// The report; all of them if left out.
        report: Option<String>,
    },
    /// Write a synthetic corpus (treaty files, journals, streams.json) for tests and benchmarks.
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
}

/// How `synth` writes its treaties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SynthForm {
    /// One TOML file per treaty.
    Toml,
    /// One streams table, `streams/synth.csv`, plus `synth-changes.toml`.
    Csv,
}
