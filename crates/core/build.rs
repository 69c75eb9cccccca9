//! Tells cargo to rebuild tribute-core when the embedded corpus changes.
//!
//! `include_dir!` alone does not notice added or removed files, so every file and folder under
//! `treaties/` is named here; a new treaty file therefore always reaches the binary.

use std::path::Path;

fn walk(dir: &Path) {
    println!("cargo::rerun-if-changed={}", dir.display());
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path);
            } else {
                println!("cargo::rerun-if-changed={}", path.display());
            }
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../treaties");
    walk(&root);
}
