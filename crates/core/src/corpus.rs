//! The built-in corpus: `treaties/` embedded in the binary at build time.
//!
//! `build.rs` names every file under `treaties/` so that adding or removing one rebuilds the crate;
//! the binary therefore works from any directory and always carries the corpus it was built with.

use include_dir::{Dir, include_dir};

use crate::loader::{Layer, PluginFile};

static TREATIES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../treaties");

/// The name the built-in layer is shown under.
pub const BUILTIN: &str = "<built-in>";

/// The embedded corpus as a layer (every `.toml` file under `treaties/`, and the tables in its
/// `streams/` and `deliveries/`).
pub fn builtin() -> Layer {
    let mut files = Vec::new();
    collect(&TREATIES, &mut files);
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    Layer {
        name: BUILTIN.to_string(),
        files,
    }
}

fn collect(dir: &Dir<'static>, out: &mut Vec<PluginFile>) {
    for file in dir.files() {
        let path = file.path();
        let relative = path
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if path.extension().is_some_and(|e| e == "toml")
            || crate::table::kind_of(&relative).is_some()
        {
            out.push(PluginFile {
                display: format!("{BUILTIN}/{relative}"),
                relative,
                bytes: file.contents().into(),
            });
        }
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}
