//! `cargo bench --bench serve`: edit-to-reload latency of `tebiki serve` on the synthetic
//! corpus — from a file written to the reload event received by a browser's event stream.
//!
//! Uses a copy of the corpus (`TEBIKI_BENCH_CORPUS`, default `/dev/shm/corpus-10k`, generated
//! by `benches/gen_corpus.py` when missing), so the original is never edited.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// The server, killed when dropped.
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() {
    let scratch = if Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let corpus = std::env::var_os("TEBIKI_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| scratch.join("corpus-10k"));
    if !corpus.join("book.toml").is_file() {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen_corpus.py");
        let status = Command::new("python3")
            .arg(&script)
            .args(["--pages", "10000", "--format", "tebiki", "--force", "--out"])
            .arg(&corpus)
            .status()
            .expect("run gen_corpus.py");
        assert!(status.success(), "gen_corpus.py failed");
    }
    let site = scratch.join(format!("tebiki-serve-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&site);
    let status = Command::new("cp")
        .arg("-r")
        .arg(&corpus)
        .arg(&site)
        .status()
        .expect("copy the corpus");
    assert!(status.success());
    let guide = first_guide(&site.join("content"));
    let original = std::fs::read_to_string(&guide).expect("read guide");
    // A marker word, swapped on every edit: the body changes, its word count does not.
    std::fs::write(&guide, format!("{original}\nBench marker word0.\n")).expect("write");

    let mut child = Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .args(["serve", "--port", "0", "--root"])
        .arg(&site)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start tebiki serve");
    let stderr = child.stderr.take().expect("stderr");
    let served = Served(child);
    let (log_tx, log) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = log_tx.send(line);
        }
    });
    let started = Instant::now();
    let port: u16 = loop {
        let line = log.recv().expect("server output");
        eprintln!("  {line}");
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            break rest
                .split('/')
                .next()
                .and_then(|p| p.parse().ok())
                .expect("port");
        }
    };
    println!(
        "corpus: {} ({} pages copied to {})",
        corpus.display(),
        count_md(&site.join("content")),
        site.display()
    );
    println!(
        "first build and server start: {:>7.1} ms",
        ms(started.elapsed())
    );
    let events = events(port);

    let runs = 10;
    let mut body = Vec::new();
    for i in 0..runs {
        let text = format!("{original}\nBench marker word{}.\n", i + 1);
        body.push(edit_to_reload(&guide, &text, &events));
        std::thread::sleep(Duration::from_millis(150));
    }
    // A glossary definition edited: the pages using the term are re-rendered, not the site.
    let glossary = site.join("content/glossary.toml");
    let glossary_text = std::fs::read_to_string(&glossary).expect("the corpus has a glossary");
    let mut term = Vec::new();
    for i in 0..5 {
        let text =
            glossary_text.replacen("definition = \"", &format!("definition = \"(rev {i}) "), 1);
        term.push(edit_to_reload(&glossary, &text, &events));
        std::thread::sleep(Duration::from_millis(300));
    }
    let mut full = Vec::new();
    for i in 0..3 {
        // A changed title is shown in lists, links and feeds: its dependents are re-rendered.
        let text = original.replacen("title:", &format!("title: Retitled {i} —"), 1);
        full.push(edit_to_reload(&guide, &text, &events));
        std::thread::sleep(Duration::from_millis(300));
    }
    drop(events);
    drop(served);
    while let Ok(line) = log.try_recv() {
        eprintln!("  {line}");
    }
    let _ = std::fs::remove_dir_all(&site);

    report("edit of one guide's body (incremental)", &mut body, 100.0);
    report(
        "edit of one glossary definition (pages using it)",
        &mut term,
        1000.0,
    );
    report("edit of one guide's title (dependents)", &mut full, 0.0);
}

fn report(what: &str, times: &mut [Duration], target: f64) {
    times.sort();
    let median = times[times.len() / 2];
    let worst = times[times.len() - 1];
    let target = if target > 0.0 {
        format!("  (target: {target:.0} ms)")
    } else {
        String::new()
    };
    println!(
        "{what}: file written → reload event: median {:>7.1} ms, worst {:>7.1} ms over {} runs{target}",
        ms(median),
        ms(worst),
        times.len()
    );
}

/// Writes `text` to `file` and waits for the next reload event.
fn edit_to_reload(file: &Path, text: &str, events: &Receiver<String>) -> Duration {
    while events.try_recv().is_ok() {}
    let start = Instant::now();
    std::fs::write(file, text).expect("write");
    loop {
        let event = events
            .recv_timeout(Duration::from_secs(60))
            .expect("a reload event");
        if event == "reload" {
            return start.elapsed();
        }
        assert_ne!(event, "build-error", "the edit broke the build");
    }
}

/// The names of the events the server sends on its live-reload stream.
fn events(port: u16) -> Receiver<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "GET /__tebiki/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .expect("send");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(event) = line.strip_prefix("event: ")
                && tx.send(event.to_string()).is_err()
            {
                return;
            }
        }
    });
    rx
}

/// The first English guide (not a section index) in file-name order.
fn first_guide(content: &Path) -> PathBuf {
    let mut guides: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            name.ends_with(".md") && !name.starts_with('_') && name.matches('.').count() == 1
        })
        .collect();
    guides.sort();
    guides.into_iter().next().expect("a guide in the corpus")
}

fn count_md(content: &Path) -> usize {
    walkdir::WalkDir::new(content)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
