//! Issue 12, item 2: safe output. `-o` replaces only regular files, atomically: it follows a
//! symbolic link to its target and leaves the link; it writes a FIFO or a character device in
//! place and leaves it what it was; it refuses a folder; where standard output already goes it
//! writes to standard output; and an interrupted or failed write leaves no `.tribute-*` temporary
//! file and no half-written output.
//!
//! Everything happens in a temporary folder; nothing touches the real /dev. The interrupt tests use
//! the test-only TRIBUTE_TEST_WRITE_DELAY_MS (read by debug builds only, see render.rs) to pause a
//! real write halfway, so the signal lands while the temporary file is there. A large output alone
//! cannot do that reliably: a 20 MB journal is written in tens of milliseconds, after a second or
//! more of computing it.

#![cfg(unix)]

use std::fs::OpenOptions;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::common::{bin, listing, ok, run, stderr};

/// The report every test writes: small, real, the same each run.
const TOTAL: [&str; 5] = ["total", "--payer", "Song", "--payee", "Liao"];

fn text(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temporary path")
}

/// `tribute TOTAL… -o PATH`, required to succeed with nothing on standard output.
fn total_to(path: &Path) {
    let mut args = TOTAL.to_vec();
    args.extend(["-o", text(path)]);
    assert_eq!(ok(&args), "", "nothing on standard output with -o");
}

/// The binary as a std Command, to spawn it or give it other standard streams.
fn command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tribute"));
    cmd.env_remove("TRIBUTE_PATH");
    cmd
}

/// Runs a helper program (mkfifo, mknod, sh), reporting whether it succeeded and its stderr.
fn tool(program: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn symlink(target: &str, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("a symbolic link");
}

#[test]
fn a_link_is_followed_and_its_target_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target.txt");
    std::fs::write(&target, "old\n").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("link");
    symlink("target.txt", &link);

    total_to(&link);

    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("target.txt"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), ok(&TOTAL));
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o640, "the replaced file keeps its permissions");
    assert_eq!(listing(dir.path()), ["link", "target.txt"]);
}

#[test]
fn a_chain_of_links_to_a_missing_file_creates_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    // outer -> inner -> sub/new.txt, which does not exist yet; both links relative.
    symlink("sub/new.txt", &dir.path().join("inner"));
    symlink("inner", &dir.path().join("outer"));

    total_to(&dir.path().join("outer"));

    assert_eq!(
        std::fs::read_to_string(dir.path().join("sub/new.txt")).unwrap(),
        ok(&TOTAL)
    );
    assert_eq!(
        std::fs::read_link(dir.path().join("outer")).unwrap(),
        Path::new("inner")
    );
    assert_eq!(
        std::fs::read_link(dir.path().join("inner")).unwrap(),
        Path::new("sub/new.txt")
    );
    assert_eq!(listing(dir.path()), ["inner", "outer", "sub"]);
    assert_eq!(listing(&dir.path().join("sub")), ["new.txt"]);
}

#[test]
fn a_fifo_is_written_through_and_stays_a_fifo() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let (made, why) = tool("mkfifo", &[text(&fifo)]);
    assert!(made, "mkfifo: {why}");

    // Opening a FIFO blocks until both ends are open: the reader waits for tribute, and tribute
    // for the reader.
    let (tx, rx) = std::sync::mpsc::channel();
    let reading = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send(std::fs::read_to_string(reading));
    });
    let mut args = TOTAL.to_vec();
    args.extend(["-o", text(&fifo)]);
    let out = run(&args);
    assert!(
        out.status.success(),
        "tribute -o FIFO failed: {}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty(), "nothing on standard output with -o");
    let got = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the reader is done once tribute has closed the FIFO")
        .expect("the FIFO reads");
    assert_eq!(got, ok(&TOTAL));
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo(),
        "the FIFO is still a FIFO"
    );
    assert_eq!(listing(dir.path()), ["fifo"]);
}

#[test]
fn a_character_device_is_written_through_and_stays_one() {
    let dir = tempfile::tempdir().unwrap();
    let null = dir.path().join("null");
    // The same device as /dev/null (major 1, minor 3), made here: the real /dev is left alone.
    let (made, why) = tool("mknod", &[text(&null), "c", "1", "3"]);
    if !made {
        eprintln!("skipped: mknod is not permitted here ({})", why.trim());
        return;
    }
    let before = std::fs::symlink_metadata(&null).unwrap();

    total_to(&null);

    let after = std::fs::symlink_metadata(&null).unwrap();
    assert!(
        after.file_type().is_char_device(),
        "still a character device"
    );
    assert_eq!(after.rdev(), before.rdev(), "still the same device");
    assert_eq!(after.ino(), before.ino(), "the very node, not a new one");
    assert_eq!(listing(dir.path()), ["null"]);
}

#[test]
fn a_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    let link = dir.path().join("link");
    symlink("folder", &link);
    for path in [&folder, &link] {
        let mut args = TOTAL.to_vec();
        args.extend(["-o", text(path)]);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "exit status 2 for {path:?}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("cannot write {}: it is a folder", path.display())),
            "a clear message: {err}"
        );
        assert!(out.stdout.is_empty());
    }
    assert!(listing(&folder).is_empty(), "nothing written in the folder");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_link_to_standard_output_writes_to_the_stream() {
    // What /dev/stdout is, made in the temporary folder.
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("stdout");
    symlink("/proc/self/fd/1", &link);
    let mut args = TOTAL.to_vec();
    args.extend(["-o", text(&link)]);
    let out = bin().args(&args).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), ok(&TOTAL));
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        Path::new("/proc/self/fd/1")
    );
    assert_eq!(listing(dir.path()), ["stdout"]);
}

#[cfg(target_os = "linux")]
#[test]
fn standard_output_appended_to_a_file_is_appended_to() {
    // `tribute … -o /dev/stdout >> log` appends, rather than replacing log.
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("stdout");
    symlink("/proc/self/fd/1", &link);
    let log = dir.path().join("log");
    std::fs::write(&log, "first\n").unwrap();
    let append = OpenOptions::new().append(true).open(&log).unwrap();
    let out = command()
        .args(TOTAL)
        .args(["-o", text(&link)])
        .stdout(append)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        format!("first\n{}", ok(&TOTAL))
    );
    assert_eq!(listing(dir.path()), ["log", "stdout"]);
}

/// The `.tribute-*` temporary files in a folder.
fn temporaries(dir: &Path) -> Vec<String> {
    listing(dir)
        .into_iter()
        .filter(|n| n.starts_with(".tribute-"))
        .collect()
}

/// Waits until `child` has a temporary file in `dir` (true) or has ended (false).
fn wait_for_temporary(child: &mut Child, dir: &Path) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if !temporaries(dir).is_empty() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    panic!("tribute neither wrote nor ended within a minute");
}

/// The report the interrupt tests write: the whole built-in ledger as CSV (about 50 kB).
const LEDGER: [&str; 3] = ["ledger", "--format", "csv"];

/// Starts `tribute ledger -o DIR/out.csv` with its write paused halfway, sends `signal` once the
/// temporary file is there, and returns how tribute ended and whether the signal was sent while
/// the temporary file existed.
fn interrupt(dir: &Path, signal: &str) -> (ExitStatus, bool) {
    let out = dir.join("out.csv");
    let mut child = command()
        .args(LEDGER)
        .args(["-o", text(&out)])
        .env("TRIBUTE_TEST_WRITE_DELAY_MS", "20000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mid_write = wait_for_temporary(&mut child, dir);
    if mid_write {
        // The shell's own `kill`, so no procps is needed.
        let script = format!("kill -{signal} {}", child.id());
        let (sent, why) = tool("sh", &["-c", &script]);
        assert!(sent, "kill -{signal}: {why}");
    }
    (child.wait().unwrap(), mid_write)
}

/// What must hold after [`interrupt`]: no temporary file, and `out.csv` either as it was before
/// (`old`; `None`: absent) when the signal ended tribute, or complete when tribute finished first
/// (possible only in a release build, which has no pause).
fn check_interrupted(dir: &Path, signal: i32, old: Option<&str>, ended: (ExitStatus, bool)) {
    let (status, mid_write) = ended;
    assert!(
        temporaries(dir).is_empty(),
        "no temporary file left: {:?}",
        listing(dir)
    );
    let out = dir.join("out.csv");
    let now = std::fs::read_to_string(&out).ok();
    if cfg!(debug_assertions) {
        assert!(mid_write, "the pause lets the signal land mid-write");
    }
    if mid_write && status.signal() == Some(signal) {
        assert_eq!(status.code(), None, "tribute dies of the signal itself");
        assert_eq!(now.as_deref(), old, "out.csv is as it was before");
    } else {
        assert!(status.success(), "tribute finished first: {status:?}");
        assert_eq!(now.as_deref(), Some(ok(&LEDGER).as_str()), "a whole file");
    }
}

#[test]
fn ctrl_c_during_a_write_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let ended = interrupt(dir.path(), "INT");
    check_interrupted(dir.path(), 2, None, ended);
    if ended.0.signal().is_some() {
        assert!(listing(dir.path()).is_empty(), "out.csv never appeared");
    }
}

#[test]
fn sigterm_during_a_write_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("out.csv"), "old\n").unwrap();
    let ended = interrupt(dir.path(), "TERM");
    check_interrupted(dir.path(), 15, Some("old\n"), ended);
}

#[test]
fn a_write_past_the_file_size_limit_leaves_no_temporary_file() {
    // `ulimit -f 1` (one block) is far below the ledger; without handling, SIGXFSZ would kill
    // tribute mid-write and leave its temporary file.
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join("out.csv");
    std::fs::write(&out, "old\n").unwrap();
    let result = Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 1 && exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_tribute"))
        .args(LEDGER)
        .args(["-o", text(&out)])
        .env_remove("TRIBUTE_PATH")
        .output()
        .unwrap();
    assert_eq!(
        result.status.code(),
        Some(2),
        "an error, not death by SIGXFSZ: {:?}",
        result.status
    );
    let err = stderr(&result);
    assert!(
        err.contains(&format!("cannot write {}", out.display())),
        "{err}"
    );
    assert_eq!(listing(dir.path()), ["out.csv"], "no temporary file left");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old\n");
}
