//! The built-in corpus: `treaties/` embedded in the binary at build time.
//!
//! `build.rs` names every file under `treaties/` so that adding or removing one rebuilds the crate;
//! the binary therefore works from any directory and always carries the corpus it was built with.
//! [`builtin_registry`] is the registry alone (units, commodities, parties, sources): the base a
//! corpus of one's own builds on when the built-in treaties, price books and series are left out.

use include_dir::{Dir, include_dir};

use crate::loader::{FileKind, Layer, PluginFile};

static TREATIES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../treaties");

/// The name the built-in layer is shown under.
pub const BUILTIN: &str = "<built-in>";

/// The embedded corpus as a layer (every `.toml` file under `treaties/`).
pub fn builtin() -> Layer {
    let mut files = Vec::new();
    collect(&TREATIES, &mut files);
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    Layer {
        name: BUILTIN.to_string(),
        files,
    }
}

/// The built-in registry files alone (`registry/`), as a layer named like [`builtin`]: what
/// `--no-builtin` keeps, so a folder of one's own may name silver, taels and the Song without
/// declaring them, and may still override any of them by id.
pub fn builtin_registry() -> Layer {
    let mut layer = builtin();
    layer.files.retain(|f| f.kind() == FileKind::Registry);
    layer
}

fn collect(dir: &Dir<'static>, out: &mut Vec<PluginFile>) {
    for file in dir.files() {
        let path = file.path();
        if path.extension().is_some_and(|e| e == "toml") {
            let relative = path
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
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
