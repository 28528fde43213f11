//! `cargo bench`: a full build of the synthetic corpus against pulldown-cmark alone, in one run.
//!
//! The corpus comes from `benches/gen_corpus.py` (10,000 pages by default; set
//! `TEBIKI_BENCH_PAGES` or point `TEBIKI_BENCH_CORPUS` at an existing one). Output goes to
//! `/dev/shm` when it exists. Figures are reported as ratios to the pulldown-cmark-only time,
//! because absolute times drift on shared machines: the median of three runs of each after a
//! warm-up, alternating. The build is the `tebiki` binary, timed to its exit, with its peak
//! memory (VmHWM) and its stage times. Then the same corpus is built with `[search] enabled =
//! false`, alternating with the full build, for what the search index costs, and the build's
//! own output is written again alone, as files, for what writing costs on this machine.
//!
//! `TEBIKI_BENCH_SCALE=100000` adds a corpus of that many pages, built alternately with the
//! first (each from an empty output folder), for the time ratio between the two sizes.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rayon::prelude::*;

/// The allocator tebiki's binary uses, so that the floor is not slower for a different one.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let scratch = if Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let pages: usize = std::env::var("TEBIKI_BENCH_PAGES")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(10_000);
    let corpus = std::env::var_os("TEBIKI_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| scratch.join(format!("tebiki-corpus-{pages}")));
    generate(&corpus, pages);
    let out = scratch.join("tebiki-bench-out");
    let runs = 3;

    // One warm-up of each (the page cache, the output directory's first creation), then the
    // median of `runs`, alternating so that a slow spell on a shared machine hits both.
    pulldown_only(&corpus);
    build(&corpus, &out);
    let mut markdown = Vec::new();
    let mut builds = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        pulldown_only(&corpus);
        markdown.push(start.elapsed());
        builds.push(build(&corpus, &out));
    }
    let markdown = median(markdown);
    builds.sort_by_key(|b| b.elapsed);
    let build = &builds[builds.len() / 2];
    println!(
        "corpus: {} ({} Markdown files)",
        corpus.display(),
        markdown_files(&corpus).len()
    );
    println!("pulldown-cmark only: {:>8.1} ms", ms(markdown));
    println!(
        "tebiki build:        {:>8.1} ms  = {:.2}x pulldown-cmark (target: 4x), peak {} MiB",
        ms(build.elapsed),
        build.elapsed.as_secs_f64() / markdown.as_secs_f64(),
        build.peak_kib / 1024
    );
    println!(
        "  then the previous output removed in the background in {:.1} ms",
        ms(build.removal)
    );
    println!("stages of that build (TEBIKI_TIMINGS):");
    for line in &build.stages {
        println!("  {line}");
    }

    // What the full-text search index adds: the same corpus built with and without it,
    // alternating, each a median of `runs`.
    match without_search(&corpus, &scratch) {
        Ok(plain) => {
            let out_plain = scratch.join("tebiki-bench-out-nosearch");
            // `build` above is the median run; the function is the crate's.
            crate::build(&plain, &out_plain);
            let (mut with, mut without) = (Vec::new(), Vec::new());
            for _ in 0..runs {
                with.push(crate::build(&corpus, &out).elapsed);
                without.push(crate::build(&plain, &out_plain).elapsed);
            }
            let (with, without) = (median(with), median(without));
            println!(
                "search index cost:   {:>8.1} ms with, {:.1} ms without = {:.2}x (target: 1.15x)",
                ms(with),
                ms(without),
                with.as_secs_f64() / without.as_secs_f64()
            );
            let _ = std::fs::remove_dir_all(&out_plain);
        }
        Err(why) => println!("search index cost: not measured ({why})"),
    }

    match write_alone(&out, &scratch, runs) {
        Ok(w) => println!(
            "writing that output alone ({} files, {} MB, in parallel): {:.1} ms = {:.2}x pulldown-cmark",
            w.files,
            w.bytes / 1_000_000,
            ms(w.elapsed),
            w.elapsed.as_secs_f64() / markdown.as_secs_f64()
        ),
        Err(why) => println!("writing the output alone: not measured ({why})"),
    }

    if let Some(large) = std::env::var("TEBIKI_BENCH_SCALE")
        .ok()
        .and_then(|p| p.parse::<usize>().ok())
    {
        scale(&corpus, large, &scratch, runs);
    }
}

/// Generates a corpus of `pages` pages into `corpus` with `gen_corpus.py`, unless it is there.
fn generate(corpus: &Path, pages: usize) {
    if corpus.join("book.toml").is_file() {
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen_corpus.py");
    eprintln!("generating {pages} pages into {}", corpus.display());
    let status = Command::new("python3")
        .arg(&script)
        .args([
            "--pages",
            &pages.to_string(),
            "--format",
            "tebiki",
            "--force",
            "--out",
        ])
        .arg(corpus)
        .status()
        .expect("run gen_corpus.py");
    assert!(status.success(), "gen_corpus.py failed");
}

/// How a build's time grows with the site: `corpus` and a generated corpus of `pages` pages,
/// built alternately, each from an empty output folder (an output left from the run before
/// would be moved aside and held in memory on tmpfs while the next is written).
fn scale(corpus: &Path, pages: usize, scratch: &Path, runs: usize) {
    let large = scratch.join(format!("tebiki-corpus-{pages}"));
    generate(&large, pages);
    let small_out = scratch.join("tebiki-bench-out");
    let large_out = scratch.join("tebiki-bench-out-scale");
    let fresh = |corpus: &Path, out: &Path| {
        let _ = std::fs::remove_dir_all(out);
        build(corpus, out)
    };
    fresh(&large, &large_out);
    let (mut small, mut big) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        small.push(fresh(corpus, &small_out));
        big.push(fresh(&large, &large_out));
    }
    let _ = std::fs::remove_dir_all(&large_out);
    let peak = big.iter().map(|r| r.peak_kib).max().unwrap_or(0);
    let small = median(small.into_iter().map(|r| r.elapsed).collect());
    let big = median(big.into_iter().map(|r| r.elapsed).collect());
    println!(
        "scale: {} Markdown files in {:.1} ms, {} in {:.1} ms = {:.2}x (target: 11x for 10x the pages), peak {} MiB",
        markdown_files(&large).len(),
        ms(big),
        markdown_files(corpus).len(),
        ms(small),
        big.as_secs_f64() / small.as_secs_f64(),
        peak / 1024
    );
}

/// Writing a build's output again, as it is, into a new folder: every directory first, then
/// the files in parallel, median of `runs`. What the build spends on writing at the least;
/// pulldown-cmark alone writes nothing.
struct WriteAlone {
    files: usize,
    bytes: usize,
    elapsed: Duration,
}

fn write_alone(out: &Path, scratch: &Path, runs: usize) -> Result<WriteAlone, String> {
    /// Held in memory while it is written: larger outputs are not measured.
    const LIMIT: usize = 1 << 30;
    let mut files = Vec::new();
    let mut bytes = 0;
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.map_err(|e| e.to_string())?;
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(out)
                .map_err(|e| e.to_string())?
                .to_path_buf();
            bytes += entry.metadata().map_err(|e| e.to_string())?.len() as usize;
            if bytes > LIMIT {
                return Err("the output is over 1 GiB".into());
            }
            let text = std::fs::read(entry.path()).map_err(|e| e.to_string())?;
            files.push((rel, text));
        }
    }
    let mut dirs: Vec<&Path> = files.iter().filter_map(|(rel, _)| rel.parent()).collect();
    dirs.sort();
    dirs.dedup();
    let target = scratch.join("tebiki-bench-write");
    let mut times = Vec::new();
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(&target);
        let start = Instant::now();
        dirs.par_iter()
            .try_for_each(|dir| std::fs::create_dir_all(target.join(dir)))
            .map_err(|e| e.to_string())?;
        files
            .par_iter()
            .try_for_each(|(rel, text)| std::fs::write(target.join(rel), text))
            .map_err(|e| e.to_string())?;
        times.push(start.elapsed());
    }
    let _ = std::fs::remove_dir_all(&target);
    Ok(WriteAlone {
        files: files.len(),
        bytes,
        elapsed: median(times),
    })
}

/// The corpus with `[search] enabled = false`: a folder beside the scratch output holding a
/// copy of its book.toml with that table added and a link to its content.
fn without_search(corpus: &Path, scratch: &Path) -> Result<PathBuf, String> {
    let toml = std::fs::read_to_string(corpus.join("book.toml")).map_err(|e| e.to_string())?;
    if toml.lines().any(|l| l.trim() == "[search]") {
        return Err("its book.toml has a [search] table already".into());
    }
    let dir = scratch.join("tebiki-bench-corpus-nosearch");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(
        dir.join("book.toml"),
        format!("{toml}\n[search]\nenabled = false\n"),
    )
    .map_err(|e| e.to_string())?;
    let content = dir.join("content");
    let _ = std::fs::remove_file(&content);
    link_dir(
        &std::path::absolute(corpus.join("content")).map_err(|e| e.to_string())?,
        &content,
    )?;
    Ok(dir)
}

#[cfg(unix)]
fn link_dir(target: &Path, link: &Path) -> Result<(), String> {
    std::os::unix::fs::symlink(target, link).map_err(|e| e.to_string())
}

#[cfg(not(unix))]
fn link_dir(_: &Path, _: &Path) -> Result<(), String> {
    Err("it needs a symbolic link to the corpus's content".into())
}

/// One `tebiki build` run as a user runs it: the time to exit, the peak memory and the
/// stage times it printed.
struct Run {
    elapsed: Duration,
    /// From the exit until the previous output was gone.
    removal: Duration,
    peak_kib: u64,
    stages: Vec<String>,
}

fn build(corpus: &Path, out: &Path) -> Run {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .args(["build", "--root"])
        .arg(corpus)
        .arg("-o")
        .arg(out)
        .env("TEBIKI_TIMINGS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start tebiki build");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0;
    let status = loop {
        // VmHWM only grows: the last reading before the exit is the peak.
        if let Some(hwm) = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmHWM:").map(str::to_owned))
            })
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak_kib = peak_kib.max(hwm);
        }
        if let Some(status) = child.try_wait().expect("wait for tebiki build") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    // The build returns once its output is in place and leaves the previous one to a process
    // of its own: let that finish, so that it does not slow whatever is timed next.
    let name = out.file_name().expect("output name").to_string_lossy();
    let previous = out.with_file_name(format!(".{name}.tebiki-old"));
    let removing = Instant::now();
    while previous.exists() {
        assert!(
            removing.elapsed() < Duration::from_secs(600),
            "the previous output is never removed"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let removal = removing.elapsed();
    let mut stderr = String::new();
    use std::io::Read;
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read stderr");
    assert!(status.success(), "the corpus builds:\n{stderr}");
    Run {
        elapsed,
        removal,
        peak_kib,
        stages: stderr
            .lines()
            .filter_map(|l| l.strip_prefix("timing: ").map(str::to_owned))
            .collect(),
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The corpus's Markdown files.
fn markdown_files(corpus: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(corpus.join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect()
}

/// Markdown to HTML in memory with pulldown-cmark and nothing else, in parallel: the floor.
fn pulldown_only(corpus: &Path) {
    let files = markdown_files(corpus);
    let bytes: usize = files
        .par_iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).expect("read");
            let body = text.splitn(3, "---\n").nth(2).unwrap_or(&text);
            let parser = pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::all());
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, parser);
            html.len()
        })
        .sum();
    assert!(bytes > 0);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
