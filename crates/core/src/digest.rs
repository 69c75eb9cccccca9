//! Digests of a corpus: which files, byte for byte, a figure was computed from.
//!
//! A digest is SHA-256 (the `sha2` crate) over a stable encoding of what is loaded: for a layer,
//! every file's path inside the layer and its bytes, in the layer's order (sorted by relative
//! path); for a corpus, its layers lowest first. Every length is written before the bytes it
//! counts, so no two different corpora encode alike. What must always hold:
//! - the digest depends on the files' relative paths and bytes and on the order of the layers,
//!   never on where a folder lies on disk, its name, the time or the machine (a temporary folder
//!   gives the same digest as the folder it was copied from);
//! - it covers exactly what the loader reads (a layer's `.toml` files and tables), so a file the
//!   loader ignores (a README, a snapshot) never changes it.
//!
//! People see the first [`SHORT`] hex digits ([`Digest::short`]); the full digest is there for
//! scripts ([`Digest::hex`]).

use std::fmt;

use sha2::{Digest as _, Sha256};

use crate::plugin::{Layer, PluginFile};

/// How many hex digits [`Digest::short`] shows: 64 bits, enough to tell corpora apart.
pub const SHORT: usize = 16;

/// A SHA-256 digest.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest([u8; 32]);

impl Digest {
    /// All 64 hex digits.
    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The first [`SHORT`] hex digits, as shown to people.
    pub fn short(&self) -> String {
        let mut h = self.hex();
        h.truncate(SHORT);
        h
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({})", self.short())
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.short())
    }
}

fn put(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

fn put_file(h: &mut Sha256, f: &PluginFile) {
    put(h, f.relative.as_bytes());
    put(h, f.bytes());
}

fn finish(h: Sha256) -> Digest {
    Digest(h.finalize().into())
}

/// The digest of one file's bytes.
pub fn file_digest(bytes: &[u8]) -> Digest {
    let mut h = Sha256::new();
    h.update(b"tribute file v1\n");
    put(&mut h, bytes);
    finish(h)
}

/// The digest of one layer: its files' relative paths and bytes, in the layer's order.
pub fn layer_digest(layer: &Layer) -> Digest {
    let mut h = Sha256::new();
    h.update(b"tribute layer v1\n");
    h.update((layer.files.len() as u64).to_le_bytes());
    for f in &layer.files {
        put_file(&mut h, f);
    }
    finish(h)
}

/// The digest of a corpus read from `layers` (lowest first): what `tribute --version` and
/// snapshots show as "corpus".
pub fn corpus_digest(layers: &[Layer]) -> Digest {
    let mut h = Sha256::new();
    h.update(b"tribute corpus v1\n");
    h.update((layers.len() as u64).to_le_bytes());
    for layer in layers {
        h.update((layer.files.len() as u64).to_le_bytes());
        for f in &layer.files {
            put_file(&mut h, f);
        }
    }
    finish(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(name: &str, files: &[(&str, &str)]) -> Layer {
        Layer {
            name: name.to_string(),
            files: files
                .iter()
                .map(|(rel, text)| {
                    PluginFile::new(rel.to_string(), format!("{name}/{rel}"), text.as_bytes())
                })
                .collect(),
        }
    }

    #[test]
    fn sha256_is_the_hash() {
        // The file digest is SHA-256 of a fixed prefix, the length (8 bytes, little-endian) and
        // the bytes; computed here from the definition with the hash alone.
        let mut h = Sha256::new();
        h.update(b"tribute file v1\n");
        h.update(3u64.to_le_bytes());
        h.update(b"abc");
        let expected: [u8; 32] = h.finalize().into();
        assert_eq!(file_digest(b"abc").0, expected);
        assert_eq!(file_digest(b"abc").hex().len(), 64);
        assert_eq!(file_digest(b"abc").short().len(), SHORT);
        assert!(
            file_digest(b"abc")
                .hex()
                .starts_with(&file_digest(b"abc").short())
        );
    }

    #[test]
    fn the_folder_name_does_not_count_but_paths_bytes_and_order_do() {
        let a = layer("/tmp/one", &[("a.toml", "x"), ("b.toml", "y")]);
        let same = layer("/home/me/two", &[("a.toml", "x"), ("b.toml", "y")]);
        assert_eq!(layer_digest(&a), layer_digest(&same));
        assert_eq!(
            corpus_digest(std::slice::from_ref(&a)),
            corpus_digest(&[same])
        );
        let renamed = layer("/tmp/one", &[("a.toml", "x"), ("c.toml", "y")]);
        let edited = layer("/tmp/one", &[("a.toml", "x"), ("b.toml", "z")]);
        assert_ne!(layer_digest(&a), layer_digest(&renamed));
        assert_ne!(layer_digest(&a), layer_digest(&edited));
        // Moving bytes between a path and its contents changes the digest (lengths are encoded).
        let shifted = layer("/tmp/one", &[("a.tomlx", ""), ("b.toml", "y")]);
        assert_ne!(layer_digest(&a), layer_digest(&shifted));
        // The same files split into two layers, or layers swapped, are another corpus.
        let first = layer("1", &[("a.toml", "x")]);
        let second = layer("2", &[("b.toml", "y")]);
        assert_ne!(
            corpus_digest(&[first.clone(), second.clone()]),
            corpus_digest(&[second, first])
        );
        assert_ne!(
            corpus_digest(std::slice::from_ref(&a)),
            corpus_digest(&[a.clone(), a])
        );
    }

    #[test]
    fn the_builtin_corpus_has_a_stable_digest_within_a_build() {
        let a = corpus_digest(&[crate::plugin::builtin()]);
        let b = corpus_digest(&[crate::plugin::builtin()]);
        assert_eq!(a, b);
        assert_ne!(a, corpus_digest(&[crate::plugin::builtin_registry()]));
    }
}
