//! The built-in corpus: `treaties/` embedded in the binary at build time.
//!
//! `build.rs` names every file under `treaties/` so that adding or removing one rebuilds the crate;
//! the binary therefore works from any directory and always carries the corpus it was built with.
//! [`builtin_registry`] is the registry alone (units, commodities, parties, sources): the base a
//! corpus of one's own builds on when the built-in treaties, price books and series are left out.

use include_dir::{Dir, include_dir};

use super::discovery::{FileKind, Layer, PluginFile, kind_of};

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
        let relative = path
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if path.extension().is_some_and(|e| e == "toml") || kind_of(&relative).is_some() {
            let display = format!("{BUILTIN}/{relative}");
            out.push(PluginFile::new(relative, display, file.contents()));
        }
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Corpus;

    #[test]
    fn the_registry_layer_is_the_registry_files_alone() {
        let layer = builtin_registry();
        assert!(!layer.files.is_empty());
        assert!(layer.files.iter().all(|f| f.kind() == FileKind::Registry));
        let corpus = Corpus::load(&[layer]).expect("the built-in registry loads alone");
        assert!(corpus.treaties.is_empty() && corpus.price_books.is_empty());
        assert!(corpus.registry.find_party("Southern Song").is_some());
    }

    #[test]
    fn a_treaty_is_found_by_its_id_or_a_unique_prefix() {
        let corpus = Corpus::load(&[builtin()]).expect("the built-in corpus loads");
        let id = |given: &str| corpus.find_treaty(given).map(|t| t.id.as_str());
        assert_eq!(id("song-jin-1123").ok(), Some("song-jin-1123"));
        assert_eq!(id("song-jin-1142").ok(), Some("song-jin-1142-shaoxing"));
        let ambiguous = id("song-jin-12").unwrap_err();
        assert_eq!(
            ambiguous.message(),
            "`song-jin-12` is the start of 2 treaty ids"
        );
        assert!(
            ambiguous
                .help_text()
                .is_some_and(|h| h.contains("song-jin-1208-jiading, song-jin-1224")),
            "{ambiguous:?}"
        );
        let unknown = id("song-lia-1042").unwrap_err();
        assert_eq!(unknown.message(), "no treaty `song-lia-1042` is loaded");
        assert!(
            unknown
                .help_text()
                .is_some_and(|h| h.starts_with("did you mean `song-liao-1042`")),
            "{unknown:?}"
        );
        assert!(id("").is_err());
    }

    #[test]
    fn an_unknown_party_suggests_the_nearest() {
        let corpus = Corpus::load(&[builtin_registry()]).expect("loads");
        let e = corpus.registry.unknown_party("Western Xai");
        assert_eq!(e.message(), "unknown party `Western Xai`");
        assert!(
            e.help_text()
                .is_some_and(|h| h.starts_with("did you mean `Western Xia`?")),
            "{e:?}"
        );
    }
}
