//! The resolve step: from parsed arguments to a loaded corpus, chosen readings and a query.
//!
//! Every name a user types is checked here against what is loaded, once, before a command
//! computes anything: `--reading` (when the context is made), `--payer`, `--payee` and `--treaty`
//! ([`Context::query`]), treaty ids given as arguments ([`Context::treaty_id`], a unique prefix
//! is enough) and `--prices` ([`Context::book`]). A name that matches nothing is an error (exit
//! status 2) naming it and the nearest known names, from `tribute_core::suggest`.
//!
//! This is the only place the binary reads plugin folders, font files or the environment
//! (TRIBUTE_PATH, TRIBUTE_MAX_FILE_SIZE, COLUMNS and the terminal's width are read by `main` into
//! an [`Env`] and passed in);
//! commands receive the result and never touch files themselves. A chart's output is resolved here too ([`chart_output`]): its format from the
//! extension, its size, and the bytes of a `--font`, so that a bad one fails before anything is
//! computed or written.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use tribute_plot::{MAX_SIZE, MIN_SIZE, RenderOptions};

use tribute_core::{
    Corpus, Error, ErrorKind, Layer, LoadOptions, PriceBook, Query, Readings, Resolved, Status,
    builtin, builtin_registry, suggest,
};

use crate::args::{CompareArgs, CorpusArgs, Filters, Look, StatusArg};

/// The loaded corpus and what the user selected.
#[derive(Debug)]
pub struct Context {
    /// The merged corpus.
    pub corpus: Corpus,
    /// The readings selected with --reading.
    pub readings: Readings,
}

/// Why a corpus could not be had: every problem found.
#[derive(Debug)]
pub struct LoadFailure(pub Vec<Error>);

/// The environment variables the binary reads, as `main` found them.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// `TRIBUTE_PATH`: folders to read before the --treaties ones.
    pub tribute_path: Option<OsString>,
    /// `TRIBUTE_MAX_FILE_SIZE`: the largest plugin file read, in bytes.
    pub max_file_size: Option<OsString>,
    /// `COLUMNS`: the width tables are fitted to, whatever the output.
    pub columns: Option<OsString>,
    /// The width of the terminal standard output is, if it is one.
    pub terminal_width: Option<usize>,
}

/// The width a table is fitted to ([`crate::render::Layout`]): `COLUMNS` if set (a whole number
/// above zero; anything else is ignored with a warning), else the terminal's width when the
/// report goes to standard output and that is a terminal, else none (no limit: pipelines, files
/// and snapshots see the natural width).
pub fn table_width(env: &Env, to_stdout: bool) -> (Option<usize>, Option<String>) {
    if let Some(raw) = env.columns.as_ref().filter(|v| !v.is_empty()) {
        let text = raw.to_string_lossy();
        match text.trim().parse::<usize>() {
            Ok(n) if n > 0 => return (Some(n), None),
            _ => {
                let warning =
                    format!("COLUMNS is `{text}`, not a number of columns above zero; ignored");
                let width = if to_stdout { env.terminal_width } else { None };
                return (width, Some(warning));
            }
        }
    }
    (if to_stdout { env.terminal_width } else { None }, None)
}

/// The folders to read, lowest layer first: TRIBUTE_PATH entries in order, then --treaties in order.
pub fn folders(corpus: &CorpusArgs, tribute_path: Option<&OsString>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = tribute_path
        .map(|p| {
            std::env::split_paths(p)
                .filter(|d| !d.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default();
    dirs.extend(corpus.treaties.iter().cloned());
    dirs
}

/// How folders are read: the file-size limit from TRIBUTE_MAX_FILE_SIZE (unset or empty: the
/// default), or an error if it is not a whole number of bytes above zero.
pub fn load_options(env: &Env) -> Result<LoadOptions, Error> {
    let mut options = LoadOptions::default();
    let Some(raw) = env.max_file_size.as_ref().filter(|v| !v.is_empty()) else {
        return Ok(options);
    };
    let text = raw.to_string_lossy();
    match text.trim().parse::<u64>() {
        Ok(n) if n > 0 => options.max_file_size = n,
        _ => {
            return Err(Error::new(
                ErrorKind::Query,
                format!("TRIBUTE_MAX_FILE_SIZE is `{text}`, not a whole number of bytes above zero"),
            )
            .help(format!(
                "set it to a number of bytes, e.g. TRIBUTE_MAX_FILE_SIZE=134217728 for 128 MiB, or unset it for the default of {} bytes (64 MiB)",
                tribute_core::DEFAULT_MAX_FILE_SIZE
            )));
        }
    }
    Ok(options)
}

/// Reads the layers, lowest first: the built-in corpus (with --no-builtin its registry alone),
/// then the folders.
pub fn layers(corpus: &CorpusArgs, env: &Env) -> Result<Vec<Layer>, LoadFailure> {
    let options = load_options(env).map_err(|e| LoadFailure(vec![e]))?;
    let mut layers = vec![if corpus.no_builtin {
        builtin_registry()
    } else {
        builtin()
    }];
    for dir in folders(corpus, env.tribute_path.as_ref()) {
        layers.push(Layer::from_dir_with(&dir, &options).map_err(|e| LoadFailure(vec![e]))?);
    }
    Ok(layers)
}

/// Loads the layers into a corpus.
pub fn load(corpus: &CorpusArgs, env: &Env) -> Result<Corpus, LoadFailure> {
    Corpus::load(&layers(corpus, env)?).map_err(LoadFailure)
}

impl Context {
    /// Loads the corpus and checks the reading names.
    pub fn new(args: &CorpusArgs, env: &Env) -> Result<Context, LoadFailure> {
        Context::from_layers(args, &layers(args, env)?)
    }

    /// Loads the corpus from layers already read ([`layers`]) and checks the reading names.
    pub fn from_layers(args: &CorpusArgs, layers: &[Layer]) -> Result<Context, LoadFailure> {
        let corpus = Corpus::load(layers).map_err(LoadFailure)?;
        let readings =
            Readings::select(&args.readings, &corpus).map_err(|e| LoadFailure(vec![e]))?;
        Ok(Context { corpus, readings })
    }

    /// The loaded price book `name`, or an error with the nearest names.
    pub fn book(&self, name: &str) -> Result<&PriceBook, Error> {
        self.corpus.price_books.get(name).ok_or_else(|| {
            Error::new(
                ErrorKind::Query,
                format!("no price book `{name}` is loaded"),
            )
            .help(suggest::with_advice(
                name,
                "price books",
                self.corpus.price_books.keys().map(String::as_str),
                "a book is a file prices/ID.toml in the built-in corpus or a --treaties folder",
            ))
        })
    }

    /// All streams under the selected readings.
    pub fn resolve(&self) -> Result<Resolved, Error> {
        Resolved::new(&self.corpus, &self.readings)
    }

    /// The id of the treaty a user means by `given` (a whole id, or the start of exactly one):
    /// for treaty ids given as arguments (`show ID`, `compare A --against B`).
    pub fn treaty_id(&self, given: &str) -> Result<String, Error> {
        self.corpus.find_treaty(given).map(|t| t.id.to_string())
    }

    /// The id of the commodity `--commodity NAME` means (an id or an alias of the registry), or
    /// an error with the nearest names.
    pub fn commodity(&self, name: &str) -> Result<String, Error> {
        let reg = &self.corpus.registry;
        reg.find_commodity(name.trim())
            .map(|c| reg.commodity(c).id.clone())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Query,
                    format!("--commodity: unknown commodity `{name}`"),
                )
                .help(suggest::with_advice(
                    name,
                    "commodities",
                    reg.commodities().iter().map(|c| c.id.as_str()),
                    "a commodity is declared with [[commodity]] in a registry file (docs/treaty-format.md#registry-files)",
                ))
            })
    }

    /// A comparison's arguments with A and B resolved to whole treaty ids.
    pub fn compare_args(&self, args: &CompareArgs) -> Result<CompareArgs, Error> {
        Ok(CompareArgs {
            a: self.treaty_id(&args.a)?,
            against: self
                .treaty_id(&args.against)
                .map_err(|e| flagged("--against", &e))?,
            ..args.clone()
        })
    }

    /// The engine query for report filters, resolved against the corpus: `--payer` and `--payee`
    /// must name parties of the registry (by id or alias; the query holds the id), and each
    /// `--treaty` a loaded treaty (a whole id or the start of exactly one). Anything else is an
    /// error naming the value and the nearest names.
    pub fn query(&self, filters: &Filters) -> Result<Query, Error> {
        let reg = &self.corpus.registry;
        let party = |flag: &str, name: &Option<String>| -> Result<Option<String>, Error> {
            name.as_deref()
                .map(|n| {
                    reg.find_party(n)
                        .map(|p| p.id.clone())
                        .ok_or_else(|| flagged(flag, &reg.unknown_party(n)))
                })
                .transpose()
        };
        let mut treaties = Vec::new();
        for t in &filters.treaty {
            let id = self.treaty_id(t).map_err(|e| flagged("--treaty", &e))?;
            if !treaties.contains(&id) {
                treaties.push(id);
            }
        }
        Ok(Query {
            payer: party("--payer", &filters.payer)?,
            payee: party("--payee", &filters.payee)?,
            treaties,
            from: filters.from,
            to: filters.to,
            statuses: statuses(filters),
        })
    }
}

/// `e` with the option it concerns in front of its message (`--payee: unknown party `Lioa``).
fn flagged(flag: &str, e: &Error) -> Error {
    let out = Error::new(e.kind(), format!("{flag}: {}", e.message()));
    match e.help_text() {
        Some(h) => out.help(h),
        None => out,
    }
}

/// The statuses a report includes: as given, else in force only, else (for treaties named with
/// --treaty) all.
fn statuses(filters: &Filters) -> Vec<Status> {
    if filters.status.contains(&StatusArg::All)
        || (filters.status.is_empty() && !filters.treaty.is_empty())
    {
        Status::ALL.to_vec()
    } else if filters.status.is_empty() {
        vec![Status::InForce]
    } else {
        filters
            .status
            .iter()
            .map(|s| match s {
                StatusArg::InForce | StatusArg::All => Status::InForce,
                StatusArg::Demand => Status::Demand,
                StatusArg::NeverInForce => Status::NeverInForce,
            })
            .collect()
    }
}

/// The picture formats a chart is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureFormat {
    /// SVG text.
    Svg,
    /// PNG image.
    Png,
}

/// Where and how a chart is written: the file, its format, and the render options (size, font).
#[derive(Debug)]
pub struct ChartOutput {
    /// The file to write (atomically).
    pub path: PathBuf,
    /// From the file's extension.
    pub format: PictureFormat,
    /// Size and font bytes.
    pub options: RenderOptions,
    /// The title asked for, if any.
    pub title: Option<String>,
}

/// The format a file's extension names (case-insensitive), or an error naming the ones known.
fn picture_format(path: &Path) -> anyhow::Result<PictureFormat> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase());
    match ext.as_deref() {
        Some("svg") => Ok(PictureFormat::Svg),
        Some("png") => Ok(PictureFormat::Png),
        Some(other) => bail!(
            "-o {}: cannot write a chart as `.{other}`; give a file ending in .svg or .png",
            path.display()
        ),
        None => bail!(
            "-o {}: the file name has no extension; give a file ending in .svg or .png",
            path.display()
        ),
    }
}

/// Resolves a chart's output: `-o` (required, `.svg` or `.png`), the size, and the font file's
/// bytes (read and checked here). Nothing is written.
pub fn chart_output(path: &Path, look: &Look) -> anyhow::Result<ChartOutput> {
    if path.as_os_str() == "-" {
        bail!("a chart is a picture file: give -o FILE.svg or -o FILE.png, not standard output");
    }
    let format = picture_format(path)?;
    let fits = |v: u32, lo: u32, hi: u32| (lo..=hi).contains(&v);
    if !fits(look.width, MIN_SIZE.0, MAX_SIZE.0) || !fits(look.height, MIN_SIZE.1, MAX_SIZE.1) {
        bail!(
            "--width {} --height {}: a chart must be {}–{} pixels wide and {}–{} high",
            look.width,
            look.height,
            MIN_SIZE.0,
            MAX_SIZE.0,
            MIN_SIZE.1,
            MAX_SIZE.1
        );
    }
    let font = look
        .font
        .as_ref()
        .map(|f| -> anyhow::Result<Vec<u8>> {
            let bytes = std::fs::read(f)
                .with_context(|| format!("--font {}: cannot read the font file", f.display()))?;
            tribute_plot::check_font(&bytes)
                .map_err(|e| anyhow::anyhow!("--font {}: {e}", f.display()))?;
            Ok(bytes)
        })
        .transpose()?;
    Ok(ChartOutput {
        path: path.to_path_buf(),
        format,
        options: RenderOptions {
            width: look.width,
            height: look.height,
            font,
        },
        title: look.title.clone(),
    })
}

/// The folder `tribute snapshot` keeps its snapshots in, and what is stored there.
#[derive(Debug)]
pub struct SnapshotFolder {
    /// The first --treaties folder, as given.
    pub dir: PathBuf,
    /// Its layer's position among the layers ([`layers`]).
    pub layer: usize,
    /// `DIR/snapshots/ID.snap` files by id, with their text.
    pub stored: std::collections::BTreeMap<String, String>,
    /// Ids with a `DIR/snapshots/ID.snap.new` file (a pending snapshot for `cargo insta review`).
    pub pending: std::collections::BTreeSet<String>,
}

impl SnapshotFolder {
    /// `DIR/snapshots`.
    pub fn snapshots(&self) -> PathBuf {
        self.dir.join("snapshots")
    }
}

/// Resolves `tribute snapshot`'s folder: the first --treaties folder (an error if there is none)
/// and the snapshots stored in its `snapshots/` (none if it does not exist yet). `layer_count` is
/// the number of layers read, the --treaties folders last.
pub fn snapshot_folder(corpus: &CorpusArgs, layer_count: usize) -> anyhow::Result<SnapshotFolder> {
    let Some(dir) = corpus.treaties.first() else {
        bail!(
            "tribute snapshot writes into the first --treaties folder, and none is given: run `tribute --treaties DIR snapshot`, DIR the folder of your treaty files (snapshots go to DIR/snapshots/)"
        );
    };
    let layer = layer_count.saturating_sub(corpus.treaties.len());
    let mut out = SnapshotFolder {
        dir: dir.clone(),
        layer,
        stored: Default::default(),
        pending: Default::default(),
    };
    let folder = out.snapshots();
    let entries = match std::fs::read_dir(&folder) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read {}", folder.display()));
        }
    };
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", folder.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(id) = name.strip_suffix(".snap.new") {
            out.pending.insert(id.to_string());
        } else if let Some(id) = name.strip_suffix(".snap") {
            let path = entry.path();
            let text = std::fs::read_to_string(&path).with_context(|| {
                format!(
                    "cannot read the snapshot {} (a snapshot is UTF-8 text written by tribute snapshot)",
                    path.display()
                )
            })?;
            out.stored.insert(id.to_string(), text);
        }
    }
    Ok(out)
}
