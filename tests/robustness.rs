//! Issue 12, item 3: no panic, no hang, no runaway on any input. Each input is generated here, in
//! a temporary folder, and must end with a clear message (exit 2, the file named, a help line)
//! or a correct result: an error at column 70,000, a file of 16,000 obligations, a chain of
//! 100,000 amending treaties, a named pipe and a link to /dev/zero named `*.toml`, broken and
//! looping links, a file over the size limit, and years outside -9999..=9999.
//!
//! No test measures time; the commands that could hang run with a generous timeout, so that a
//! regression fails instead of blocking the suite.

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use crate::common::{TREATY, bin, folder, stderr};

/// Guards against a hang (a blocking read, an endless walk); far above any normal run.
const HANG: Duration = Duration::from_secs(300);

/// Runs `tribute --treaties DIR ARGS` with `env` set.
fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = bin();
    cmd.timeout(HANG)
        .arg("--treaties")
        .arg(dir)
        .args(args)
        .envs(env.iter().copied());
    cmd.output().expect("the binary runs")
}

/// Requires exit 2 with a help line and `needles` in standard error; returns standard error.
fn fails(out: &Output, needles: &[&str]) -> String {
    let err = stderr(out);
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected exit 2, stderr:\n{err}"
    );
    assert!(err.contains("help:"), "no advice in:\n{err}");
    for n in needles {
        assert!(err.contains(n), "expected {n:?} in:\n{err}");
    }
    assert!(
        out.stdout.is_empty(),
        "something was printed on standard output"
    );
    err
}

/// Requires success; returns standard output.
fn succeeds(out: &Output) -> String {
    assert!(out.status.success(), "failed:\n{}", stderr(out));
    String::from_utf8(out.stdout.clone()).expect("utf-8 output")
}

fn shown(dir: &Path, file: &str) -> String {
    dir.join(file).display().to_string()
}

#[test]
fn an_error_at_column_70000_is_located_and_shown_cut_to_size() {
    // A syntax error after a long string, on the first line.
    let prefix = format!("summary = \"{}\" ", "x".repeat(69_986));
    assert_eq!(prefix.chars().count() + 1, 70_000);
    let text = format!("{prefix}oops\n{TREATY}");
    let dir = folder(&[("t.toml", text.as_bytes())]);
    let out = run_in(dir.path(), &["total"], &[]);
    let place = format!("{}:1:70000", shown(dir.path(), "t.toml"));
    let err = fails(&out, &[&place]);
    assert!(
        err.lines().all(|l| l.chars().count() < 400),
        "a line of the message is not cut to size:\n{err}"
    );
    assert!(err.contains("…"), "the long line is not elided:\n{err}");
    // `check` reports the same error among its problems (exit 2: bad input), and does not crash.
    let check = run_in(dir.path(), &["check"], &[]);
    assert_eq!(check.status.code(), Some(2), "{}", stderr(&check));
    assert!(stderr(&check).contains(&place), "{}", stderr(&check));
}

#[test]
fn a_long_unknown_key_is_reported_whole_in_the_message() {
    let key = "k".repeat(70_000);
    let text = TREATY.replace("source = \"s\"\n", &format!("source = \"s\"\n{key} = 1\n"));
    let dir = folder(&[("t.toml", text.as_bytes())]);
    let line = text[..text.find(&key).unwrap()].matches('\n').count() + 1;
    let out = run_in(dir.path(), &["total"], &[]);
    let place = format!("{}:{line}:1", shown(dir.path(), "t.toml"));
    fails(&out, &[&place, "unknown field"]);
    let check = run_in(dir.path(), &["check"], &[]);
    assert_eq!(check.status.code(), Some(2), "{}", stderr(&check));
}

#[test]
fn a_file_of_16000_obligations_loads_and_totals() {
    let n: u64 = 16_000;
    let mut text = TREATY.to_string();
    for i in 0..n {
        text.push_str(&format!(
            "\n[[obligation]]\nid = \"o{i}\"\nschedule = \"one-time\"\nyear = {}\namounts = {{ silver = \"{} tael\" }}\nsource = \"s\"\n",
            1000 + i % 900,
            i + 1
        ));
    }
    let dir = folder(&[("t.toml", text.as_bytes())]);
    let out = succeeds(&run_in(
        dir.path(),
        &["total", "--treaty", "t", "--format", "csv"],
        &[],
    ));
    // The fixture's 10 × 100 taels, plus 1 + 2 + … + 16,000.
    let expected = 10 * 100 + n * (n + 1) / 2;
    assert!(
        out.contains(&format!("silver,tael,{expected},0,{expected},0")),
        "expected {expected} taels in:\n{out}"
    );
    // An error in the last obligation is located by line too.
    let bad = format!("{text}\n[[obligation]]\nid = \"last\"\nschedule = \"weekly\"\n");
    let line = bad.lines().count();
    let dir = folder(&[("t.toml", bad.as_bytes())]);
    let out = run_in(dir.path(), &["total"], &[]);
    fails(
        &out,
        &[&format!("{}:{line}:12", shown(dir.path(), "t.toml"))],
    );
}

#[test]
fn a_chain_of_100000_amending_treaties_loads() {
    let n = 100_000;
    // 100,000 files are made and removed several times faster in memory than on a disk.
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .expect("a temporary folder");
    std::fs::create_dir(dir.path().join("registry")).unwrap();
    std::fs::write(
        dir.path().join("registry/s.toml"),
        "[[source]]\nid = \"s\"\ntitle = \"A test source\"\nquality = \"A\"\n",
    )
    .unwrap();
    // Treaty i amends treaty i - 1. Names count down, so that the cycle check, which starts from
    // the first name, walks the whole chain at once.
    let name = |i: usize| format!("c{:06}", n - i);
    let head = "name = \"Link\"\npayer = \"Song\"\npayee = \"Jin\"\nsigned = 1900\nstatus = \"in-force\"\nlabel = \"indemnity\"\n";
    std::fs::write(
        dir.path().join(format!("{}.toml", name(0))),
        format!("{head}\n[[obligation]]\nid = \"annual\"\nschedule = \"recurring\"\nfrom = 1900\nto = 1909\namounts = {{ silver = \"100 tael\" }}\nsource = \"s\"\n"),
    )
    .unwrap();
    for i in 1..n {
        std::fs::write(
            dir.path().join(format!("{}.toml", name(i))),
            format!("{head}\n[[amendment]]\nid = \"a\"\naction = \"adjust\"\ntarget = \"{}\"\nfrom = 1901\namounts = {{ silver = \"1 tael\" }}\nsource = \"s\"\n", name(i - 1)),
        )
        .unwrap();
    }
    let out = succeeds(&run_in(
        dir.path(),
        &["total", "--treaty", &name(0), "--format", "csv"],
        &[],
    ));
    // Ten payments of 100 taels, and the one direct amendment's 1 tael in each of 1901–1909.
    assert!(out.contains("silver,tael,1009,0,1009,0"), "{out}");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_not_read() {
    let dir = folder(&[("t.toml", TREATY.as_bytes())]);
    let fifo = dir.path().join("x.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let out = run_in(dir.path(), &["total"], &[]);
    fails(&out, &[&shown(dir.path(), "x.toml"), "named pipe"]);
}

#[cfg(unix)]
#[test]
fn a_link_to_dev_zero_is_refused_not_read() {
    let dir = folder(&[("t.toml", TREATY.as_bytes())]);
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("z.toml")).unwrap();
    let out = run_in(dir.path(), &["total"], &[]);
    fails(&out, &[&shown(dir.path(), "z.toml"), "/dev/zero", "device"]);
}

#[cfg(unix)]
#[test]
fn links_are_followed_and_a_broken_one_or_a_loop_is_reported() {
    // A link to a regular file is read like the file.
    let dir = folder(&[("real/t.toml", TREATY.as_bytes())]);
    std::os::unix::fs::symlink(dir.path().join("real/t.toml"), dir.path().join("u.toml")).unwrap();
    let out = succeeds(&run_in(dir.path(), &["list", "--format", "csv"], &[]));
    assert!(out.contains("\nu,") && out.contains("\nt,"), "{out}");

    let dir = folder(&[("t.toml", TREATY.as_bytes())]);
    std::os::unix::fs::symlink("gone.toml", dir.path().join("b.toml")).unwrap();
    let out = run_in(dir.path(), &["total"], &[]);
    fails(&out, &[&shown(dir.path(), "b.toml"), "broken", "gone.toml"]);

    let dir = folder(&[("sub/t.toml", TREATY.as_bytes())]);
    std::os::unix::fs::symlink("..", dir.path().join("sub/up")).unwrap();
    let out = run_in(dir.path(), &["total"], &[]);
    fails(&out, &[&shown(dir.path(), "sub/up"), "already read"]);
}

#[test]
fn a_file_over_the_size_limit_is_refused_and_the_limit_can_be_raised() {
    let dir = folder(&[("t.toml", TREATY.as_bytes())]);
    let size = TREATY.len().to_string();
    let out = run_in(dir.path(), &["total"], &[("TRIBUTE_MAX_FILE_SIZE", "100")]);
    let err = fails(
        &out,
        &[
            &shown(dir.path(), "t.toml"),
            &size,
            "TRIBUTE_MAX_FILE_SIZE=",
        ],
    );
    assert!(err.contains("limit of 100 bytes"), "{err}");
    let limit = TREATY.len().to_string();
    succeeds(&run_in(
        dir.path(),
        &["total"],
        &[("TRIBUTE_MAX_FILE_SIZE", &limit)],
    ));
    let out = run_in(dir.path(), &["total"], &[("TRIBUTE_MAX_FILE_SIZE", "64M")]);
    fails(&out, &["TRIBUTE_MAX_FILE_SIZE is `64M`"]);
}

/// 1-based line and character column of the first `needle` in `text`.
fn pos(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in fixture"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// Writes `files` (the first is the one with the error), runs `total`, and requires exit 2 with
/// the error located at `needle` in the first file, `message` and a help line.
fn located(files: &[(&str, &str)], needle: &str, message: &str) -> String {
    let bytes: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    let dir = folder(&bytes);
    let (file, text) = files[0];
    let (line, col) = pos(text, needle);
    let place = format!("{}:{line}:{col}", shown(dir.path(), file));
    let out = run_in(dir.path(), &["total"], &[]);
    fails(&out, &[&place, message])
}

#[test]
fn years_outside_minus_9999_to_9999_are_located_errors() {
    let range = "outside the supported range -9999 to 9999";
    let one_time = TREATY.replace(
        "schedule = \"recurring\"\nfrom = 1900\nto = 1909",
        "schedule = \"one-time\"\nyear = 10000",
    );
    located(&[("t.toml", &one_time)], "10000", range);
    let signed = TREATY.replace("signed = 1900", "signed = -10000");
    located(&[("t.toml", &signed)], "-10000", range);
    let from = TREATY.replace("from = 1900", "from = -10000");
    located(&[("t.toml", &from)], "-10000", range);
    // Far outside the year type too: no wrap, the same error.
    let huge = TREATY.replace("to = 1909", "to = 9223372036854775807");
    located(&[("t.toml", &huge)], "9223372036854775807", range);
    let amendment = format!(
        "{TREATY}\n[[amendment]]\nid = \"cut\"\naction = \"end\"\ntarget = \"t/annual\"\nfrom = 10000\nsource = \"s\"\n"
    );
    located(&[("t.toml", &amendment)], "10000", range);
    let party = "[[party]]\nid = \"A\"\nfrom = 1000\nto = 10000\n";
    located(
        &[("registry/p.toml", party), ("t.toml", TREATY)],
        "10000",
        range,
    );
}

#[test]
fn payments_that_would_run_past_9999_are_located_errors() {
    let installments = TREATY.replace(
        "schedule = \"recurring\"\nfrom = 1900\nto = 1909\namounts = { silver = \"100 tael\" }",
        "schedule = \"installments\"\nfrom = 9000\ncount = 1001\ntotal = { silver = \"1001 tael\" }",
    );
    located(&[("t.toml", &installments)], "1001\n", "after 9999");
    // 1,000 installments from 9000 end in 9999 exactly, and total correctly.
    let last = installments.replace("1001", "1000");
    let dir = folder(&[("t.toml", last.as_bytes())]);
    let out = succeeds(&run_in(
        dir.path(),
        &["total", "--format", "csv", "--treaty", "t"],
        &[],
    ));
    assert!(out.contains("silver,tael,1000,0,1000,0"), "{out}");
    let every = TREATY.replace("to = 1909", "to = 1909\nevery = 20000");
    located(&[("t.toml", &every)], "20000", "from 1 to 19999");
}

#[test]
fn query_years_at_the_limits_of_the_year_type_give_correct_results() {
    let dir = folder(&[("t.toml", TREATY.as_bytes())]);
    // The whole range of a year, and a range that ends at its last year.
    let args = ["total", "--treaty", "t", "--format", "csv"];
    for (from, to, owed) in [
        ("-2147483648", "2147483647", 1000),
        ("1905", "2147483647", 500),
        ("-2147483648", "1900", 100),
        ("2147483640", "2147483647", 0),
    ] {
        let mut all = args.to_vec();
        all.extend(["--from", from, "--to", to]);
        let out = succeeds(&run_in(dir.path(), &all, &[]));
        let want = if owed == 0 {
            // Nothing is owed: no row.
            !out.contains("silver")
        } else {
            out.contains(&format!("silver,tael,{owed},0,{owed},0"))
        };
        assert!(want, "{from}..={to}: expected {owed} in:\n{out}");
    }
    let out = succeeds(&run_in(
        dir.path(),
        &[
            "ledger",
            "--treaty",
            "t",
            "--format",
            "csv",
            "--from",
            "2147483645",
            "--to",
            "2147483647",
        ],
        &[],
    ));
    assert_eq!(out.lines().count(), 4, "a header and three years:\n{out}");
    let out = succeeds(&run_in(
        dir.path(),
        &[
            "ledger",
            "--treaty",
            "t",
            "--format",
            "csv",
            "--from",
            "-2147483648",
            "--to",
            "-2147483646",
        ],
        &[],
    ));
    assert_eq!(out.lines().count(), 4, "a header and three years:\n{out}");
}
