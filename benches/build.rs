//! `cargo bench`: a full build of the synthetic corpus against pulldown-cmark alone, in one run.
//!
//! The corpus comes from `benches/gen_corpus.py` (10,000 pages by default; set
//! `TEBIKI_BENCH_PAGES` or point `TEBIKI_BENCH_CORPUS` at an existing one). Output goes to
//! `/dev/shm` when it exists. Figures are reported as ratios to the pulldown-cmark-only time,
//! because absolute times drift on shared machines.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rayon::prelude::*;

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
    if !corpus.join("book.toml").is_file() {
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
            .arg(&corpus)
            .status()
            .expect("run gen_corpus.py");
        assert!(status.success(), "gen_corpus.py failed");
    }
    let out = scratch.join("tebiki-bench-out");
    let runs = 3;

    let markdown = best_of(runs, || pulldown_only(&corpus));
    let build = best_of(runs, || {
        let options = tebiki::BuildOptions {
            root: corpus.clone(),
            out: Some(out.clone()),
            ..Default::default()
        };
        tebiki::build(&options).expect("corpus builds");
    });
    println!("corpus: {} ({pages} pages)", corpus.display());
    println!("pulldown-cmark only: {:>7.1} ms", ms(markdown));
    println!(
        "tebiki build:        {:>7.1} ms  = {:.2}x pulldown-cmark (target: 4x)",
        ms(build),
        build.as_secs_f64() / markdown.as_secs_f64()
    );
}

/// Markdown to HTML in memory with pulldown-cmark and nothing else, in parallel: the floor.
fn pulldown_only(corpus: &Path) {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(corpus.join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
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

fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
