//! Phase timings for profiling: with `TRIBUTE_TIMINGS` set, the CLI calls [`enable`] and each
//! [`mark`] prints the time since the first mark, the resident memory (where Linux's
//! `/proc/self/statm` tells it) and the phase just ended to standard error (docs/performance.md shows a run). What must hold: when not enabled a mark costs one
//! relaxed atomic load and prints nothing, so marks may stay on the load path for good.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static ENABLED: AtomicBool = AtomicBool::new(false);
static START: OnceLock<Instant> = OnceLock::new();

/// Turns the marks on (the CLI does so when `TRIBUTE_TIMINGS` is set) and starts the clock.
pub fn enable() {
    START.get_or_init(Instant::now);
    ENABLED.store(true, Ordering::Relaxed);
}

/// Prints `timing 23.69ms  what` to standard error: the time since [`enable`] when the phase `what` ended.
pub fn mark(what: &str) {
    if !ENABLED.load(Ordering::Relaxed) {
        return;
    }
    let start = START.get_or_init(Instant::now);
    let wall = start.elapsed();
    match (resident_mb(), cpu_time()) {
        (Some(mb), Some(cpu)) => {
            eprintln!("timing {wall:>10.2?}  cpu {cpu:>10.2?}  {mb:>4} MB  {what}")
        }
        _ => eprintln!("timing {wall:>10.2?}  {what}"),
    }
}

/// The CPU time of the process's live threads so far, from `/proc/self/task/*/schedstat`
/// (Linux; a thread that has ended no longer counts).
fn cpu_time() -> Option<Duration> {
    let mut ns: u64 = 0;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        let on_cpu: u64 = stat.split_whitespace().next()?.parse().ok()?;
        ns = ns.saturating_add(on_cpu);
    }
    Some(Duration::from_nanos(ns))
}

/// The process's resident memory in whole MB, where `/proc/self/statm` tells it (Linux), read
/// only when marks are on.
fn resident_mb() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // 4 kB pages: the size on every Linux target we build for but a few (checked, not assumed).
    pages.checked_mul(4096).map(|b| b / (1024 * 1024))
}
