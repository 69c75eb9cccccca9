//! Plugin data: reading the files of a corpus (treaties, registry, price books, context series,
//! tables) strictly, with every problem at its file, line and column.
//!
//! A corpus is read from layers, lowest first: the built-in corpus, then each folder the user names.
//! Within a layer, `registry/**.toml` are registry files, `prices/**.toml` are price books,
//! `context/**.toml` are context series, and every other `*.toml` (in any subfolder) is a treaty
//! whose id is its file stem; `streams/*.csv` and `deliveries/*.csv` are tables, read by
//! `crate::table`. A later layer overrides an earlier one by id; the same id twice in one layer is
//! an error naming both files. Every problem is an [`crate::Error`] with file, line and column;
//! nothing is skipped silently. The layers are merged into a [`crate::Corpus`] by `crate::corpus`.
//!
//! The modules, leaves first (no module imports one below it, so there are no cycles):
//! - [`raw`]: the TOML shapes, as written (spanned, nothing interpreted);
//! - [`fields`]: the spanned field parsers every file kind shares (ids, years, amounts, sources,
//!   parties, quality, stream references), also used by `crate::valuation` (price books),
//!   `crate::series` and `crate::table`;
//! - [`discovery`]: layers, the folder walk, the regular-file and size checks, the parallel map;
//!   [`builtin`]: the corpus embedded in the binary, as a layer;
//! - [`registry`]: registry files; [`treaty`] (with its items and readings) and [`claim`]: treaty
//!   files;
//! - [`references`]: the cross-file checks once every treaty is read;
//! - [`problems`]: a file's problems, collected so one run reports them all (up to a limit).

pub(crate) mod builtin;
pub(crate) mod claim;
pub(crate) mod discovery;
pub(crate) mod fields;
pub(crate) mod problems;
pub(crate) mod raw;
pub(crate) mod references;
pub(crate) mod registry;
pub(crate) mod treaty;

pub use builtin::{BUILTIN, builtin, builtin_registry};
pub(crate) use discovery::parallel_map;
pub use discovery::{DEFAULT_MAX_FILE_SIZE, FileKind, Layer, LoadOptions, PluginFile};
pub(crate) use references::check_references;
pub(crate) use registry::{RegistryParts, check_registry, read_registry_layer};
pub use treaty::read_treaty;
pub(crate) use treaty::read_treaty_each;
