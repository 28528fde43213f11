//! `TEBIKI_TIMINGS=1`: the wall-clock time of each build stage on stderr, so a slow build can
//! be broken down without a profiler.

use std::sync::OnceLock;
use std::time::Instant;

/// Runs `f`, printing how long it took when `TEBIKI_TIMINGS` is set.
pub fn stage<T>(name: &str, f: impl FnOnce() -> T) -> T {
    static ON: OnceLock<bool> = OnceLock::new();
    if !*ON.get_or_init(|| std::env::var_os("TEBIKI_TIMINGS").is_some()) {
        return f();
    }
    let started = Instant::now();
    let value = f();
    eprintln!(
        "timing: {name:<14} {:>8.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    value
}
