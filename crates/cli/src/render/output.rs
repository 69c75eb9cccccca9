//! Safe output (`-o`). Output files ([`write_atomic`]) go by what the path names, and what must
//! hold is that nothing but a regular file is ever replaced:
//! - a regular file, or nothing yet: written to a temporary `.tribute-XXXXXX` file in the same
//!   folder and renamed into place, so a failure never leaves a half-written file; a replaced file
//!   keeps its permissions.
//! - a symbolic link: the chain of links is followed one `read_link` at a time (so a dangling
//!   link's target is created, as `cat > link` would) and the final target is replaced as above;
//!   the links themselves are left as they are.
//! - a character device or a FIFO (`/dev/null`, a terminal, a named pipe): written through in
//!   place, opened for writing with neither create nor truncate. Opening a FIFO blocks until it has
//!   a reader, as `cat > fifo` does.
//! - where standard output or standard error already goes (`/dev/stdout`, `/dev/fd/2`, or the very
//!   file it is redirected to): written to that stream, so `-o /dev/stdout >> log` appends.
//! - a folder, a socket, a block device: refused with an error, nothing written.
//!
//! The temporary file of a write in progress is named in a registry ([`abandon_output`]) so that
//! the signal handler (`main`) can remove it on Ctrl-C or SIGTERM; any other failure drops the
//! `NamedTempFile`, which removes it.

use std::fs::Metadata;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use anyhow::{Context as _, Result, bail};

/// Writes `text` to `path` as [`write_atomic`] says, or to standard output for `None` or `-`. A
/// closed pipe on standard output is not an error.
pub fn emit(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        None => write_stdout(text),
        Some(p) if p.as_os_str() == "-" => write_stdout(text),
        Some(p) => write_atomic(p, text.as_bytes()),
    }
}

fn write_stdout(text: &str) -> Result<()> {
    write_stream(Stream::Stdout, text.as_bytes())
}

/// One of the standard streams an output may turn out to name.
#[derive(Debug, Clone, Copy)]
enum Stream {
    Stdout,
    Stderr,
}

/// Writes to a standard stream; a closed pipe is not an error.
fn write_stream(stream: Stream, bytes: &[u8]) -> Result<()> {
    let (result, name) = match stream {
        Stream::Stdout => {
            let mut out = std::io::stdout().lock();
            (
                out.write_all(bytes).and_then(|()| out.flush()),
                "standard output",
            )
        }
        Stream::Stderr => {
            let mut err = std::io::stderr().lock();
            (
                err.write_all(bytes).and_then(|()| err.flush()),
                "standard error",
            )
        }
    };
    match result {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        other => other.with_context(|| format!("cannot write to {name}")),
    }
}

/// The standard stream that is the file `meta` describes, if any (same device and inode).
#[cfg(unix)]
fn standard_stream(meta: &Metadata) -> Option<Stream> {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let same = |fd: std::os::fd::BorrowedFd<'_>| {
        fd.try_clone_to_owned()
            .map(std::fs::File::from)
            .and_then(|f| f.metadata())
            .is_ok_and(|m| m.dev() == meta.dev() && m.ino() == meta.ino())
    };
    if same(std::io::stdout().as_fd()) {
        Some(Stream::Stdout)
    } else if same(std::io::stderr().as_fd()) {
        Some(Stream::Stderr)
    } else {
        None
    }
}

#[cfg(not(unix))]
fn standard_stream(_meta: &Metadata) -> Option<Stream> {
    None
}

/// Writes bytes to the `-o` path: a regular file (or a new one) atomically, through a temporary
/// file renamed into place; through symbolic links to their final target; into a character
/// device or FIFO in place; never replacing anything but a regular file (see the module docs).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::NotFound => return replace(path, bytes),
        Err(e) => return Err(e).with_context(|| format!("cannot write {}", path.display())),
    };
    if let Some(stream) = standard_stream(&meta) {
        return write_stream(stream, bytes);
    }
    let kind = meta.file_type();
    if kind.is_file() {
        return replace(path, bytes);
    }
    if kind.is_dir() {
        bail!(
            "cannot write {}: it is a folder; give a file name",
            path.display()
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() || kind.is_fifo() {
            return write_through(path, bytes);
        }
        let what = if kind.is_socket() {
            "a socket"
        } else if kind.is_block_device() {
            "a block device"
        } else {
            "neither a file nor a device"
        };
        bail!(
            "cannot write {}: it is {what}; -o writes a regular file, a character device or a FIFO",
            path.display()
        );
    }
    #[cfg(not(unix))]
    bail!("cannot write {}: it is not a regular file", path.display());
}

/// Writes into an existing character device or FIFO, never replacing it: no create, no truncate.
/// The open blocks until a FIFO has a reader. A reader that has gone (a closed pipe) is not an
/// error, as on standard output.
fn write_through(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    match file.write_all(bytes).and_then(|()| file.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        other => other.with_context(|| format!("cannot write {}", path.display())),
    }
}

/// How many links [`final_target`] follows before it gives up (the kernel's own limit).
const MAX_LINKS: usize = 40;

/// The path at the end of a chain of symbolic links starting at `path` (`path` itself if it is
/// not a link), whether or not it exists. A relative link is read from the link's own folder.
/// The links are followed with `read_link` rather than `canonicalize`, which fails when the
/// final target does not exist yet; the path is not otherwise rewritten.
fn final_target(path: &Path) -> Result<PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let next = std::fs::read_link(&at)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                at = match at.parent() {
                    Some(folder) if next.is_relative() => folder.join(next),
                    _ => next,
                };
            }
            _ => return Ok(at),
        }
    }
    bail!(
        "cannot write {}: more than {MAX_LINKS} symbolic links in a row",
        path.display()
    )
}

/// Replaces the regular file at the end of `path`'s links (or creates it) atomically: a temporary
/// file in the same folder, written, given the permissions of the file it replaces (or 0644),
/// renamed into place.
fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    let target = final_target(path)?;
    let what = if target == path {
        path.display().to_string()
    } else {
        format!("{} (a link to {})", path.display(), target.display())
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // Declared before the file, so dropped after it: the registry names the temporary file for
    // as long as it can exist.
    let in_flight = InFlight;
    let mut tmp = in_flight.create_in(dir).with_context(|| {
        format!(
            "cannot write {what}: cannot create a file in {}",
            dir.display()
        )
    })?;
    let (first, rest) = bytes.split_at(bytes.len() / 2);
    tmp.write_all(first)
        .map(|()| test_pause())
        .and_then(|()| tmp.write_all(rest))
        .and_then(|()| tmp.flush())
        .with_context(|| format!("cannot write {what}"))?;
    // The temporary file is private (0600); the file it becomes keeps the permissions of the one
    // it replaces, or gets the usual 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&target).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot write {what}"))?;
    }
    tmp.persist(&target)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {what}"))?;
    Ok(())
}

/// The temporary file of the write in progress, if any. It is set while the lock is held across
/// the file's creation, and cleared only once the file is gone (renamed into place or removed),
/// so whenever a temporary file exists, this names it.
static IN_FLIGHT: Mutex<Option<PathBuf>> = Mutex::new(None);

fn in_flight() -> MutexGuard<'static, Option<PathBuf>> {
    IN_FLIGHT.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A write's entry in [`IN_FLIGHT`], cleared when dropped.
#[derive(Debug)]
struct InFlight;

impl InFlight {
    /// Creates the temporary file and names it in the registry, under one lock.
    fn create_in(&self, dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
        let mut slot = in_flight();
        let tmp = tempfile::Builder::new()
            .prefix(".tribute-")
            .tempfile_in(dir)?;
        *slot = Some(tmp.path().to_path_buf());
        Ok(tmp)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        *in_flight() = None;
    }
}

/// For the signal handler, as the program is about to end: removes the temporary file of the
/// write in progress, if any, and keeps the registry locked for good, so that no other temporary
/// file is created before the end. Never call it otherwise: any later write would wait forever.
pub fn abandon_output() {
    let mut slot = in_flight();
    if let Some(tmp) = slot.take() {
        // Gone already (renamed or removed a moment ago) is as good as removed.
        let _ = std::fs::remove_file(tmp);
    }
    std::mem::forget(slot);
}

/// Test-only: in debug builds, `TRIBUTE_TEST_WRITE_DELAY_MS` pauses a regular-file write halfway,
/// with the temporary file half written, so that tests/output.rs can interrupt a write at a known
/// moment. Not a user setting; release builds do not read it.
#[cfg(debug_assertions)]
fn test_pause() {
    if let Some(ms) = std::env::var("TRIBUTE_TEST_WRITE_DELAY_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

#[cfg(not(debug_assertions))]
fn test_pause() {}
