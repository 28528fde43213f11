//! `cargo bench --bench serve`: edit-to-preview latency of `tebiki serve` on the synthetic
//! corpus, as a browser sees it — from the write of a source file to the first HTTP response
//! that contains the change, on one keep-alive connection that asks for the page again every
//! millisecond, as a reloading browser would. Measured for an edit of a guide's body (target
//! 25 ms at 10,000 pages), of its title (100 ms), and of the definition of a glossary term the
//! guide uses (200 ms): median and 90th percentile of [`RUNS`] edits each. Also reported: the
//! time to the reload event on an open event stream, the rebuild time the server logs, how
//! many rebuilds each edit caused, the time of repeated GETs on one keep-alive connection
//! (a response held back by delayed ACKs shows as ~40 ms), and the server's peak resident
//! memory (target 512 MiB).
//!
//! Uses a copy of the corpus (`TEBIKI_BENCH_CORPUS`, default `/dev/shm/corpus-10k`, generated
//! by `benches/gen_corpus.py` when missing), so the original is never edited.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// Edits of each kind.
const RUNS: usize = 15;
/// The pause between two requests for the edited page.
const POLL: Duration = Duration::from_millis(1);

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
    // A marker sentence, changed on every edit: the body changes, its word count does not.
    let marked = |n: usize| format!("{original}\nBench marker word{n}.\n");
    std::fs::write(&guide, marked(0)).expect("write");

    let mut child = Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .args(["serve", "--port", "0", "--root"])
        .arg(&site)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start tebiki serve");
    let pid = child.id();
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

    let mut client = KeepAlive::connect(port);
    let url = page_url(&mut client, &site, &guide);
    let (first, later) = keep_alive_gets(&mut client, &url);
    let events = events(port);
    let mut bench = Bench {
        client,
        url,
        events,
        log,
    };

    let mut body = Vec::new();
    for n in 1..=RUNS {
        body.push(bench.edit(&guide, &marked(n), &format!("Bench marker word{n}.")));
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut title = Vec::new();
    for n in 1..=RUNS {
        // A changed title is shown in lists, links and feeds: its dependents are re-rendered.
        let text = marked(RUNS).replacen("title: \"", &format!("title: \"Retitled {n} — "), 1);
        assert_ne!(text, marked(RUNS), "the guide's title is a quoted string");
        title.push(bench.edit(&guide, &text, &format!("Retitled {n} — ")));
        std::thread::sleep(Duration::from_millis(100));
    }
    // A glossary definition edited: the pages using the term are re-rendered, not the site.
    let glossary = site.join("content/glossary.toml");
    let glossary_text = std::fs::read_to_string(&glossary).expect("the corpus has a glossary");
    let (_, page) = bench.client.get(&bench.url);
    let (at, definition) = used_definition(&glossary_text, &String::from_utf8_lossy(&page));
    let mut term = Vec::new();
    for n in 1..=RUNS {
        let marker = format!("(rev {n}) ");
        let text = format!("{}{marker}{}", &glossary_text[..at], &glossary_text[at..]);
        term.push(bench.edit(&glossary, &text, &format!("{marker}{definition}")));
        std::thread::sleep(Duration::from_millis(100));
    }
    let peak = peak_memory(pid);
    drop(bench);
    drop(served);
    let _ = std::fs::remove_dir_all(&site);

    println!(
        "GETs of the guide on one keep-alive connection: first {:.2} ms, next {}: median {:.2} ms, max {:.2} ms",
        ms(first),
        later.len(),
        ms(percentile(&later, 0.5)),
        ms(percentile(&later, 1.0)),
    );
    report("edit of a guide's body", &body, 25.0);
    report("edit of a guide's title", &title, 100.0);
    report("edit of a glossary definition the guide uses", &term, 200.0);
    match peak {
        Some(kib) => println!(
            "server peak memory (VmHWM): {:.0} MiB  (target: 512 MiB)",
            kib as f64 / 1024.0
        ),
        None => println!("server peak memory (VmHWM): not available on this system"),
    }
}

/// What one edit took.
struct Measured {
    /// From the write to the first response with the change.
    response: Duration,
    /// From the write to the reload event, if one came.
    reload: Option<Duration>,
    /// The rebuild times the server logged for this edit, in ms.
    rebuilds: Vec<f64>,
}

struct Bench {
    client: KeepAlive,
    url: String,
    events: Receiver<(String, Instant)>,
    log: Receiver<String>,
}

impl Bench {
    /// Writes `text` to `file`, then asks for the page until it contains `marker`.
    fn edit(&mut self, file: &Path, text: &str, marker: &str) -> Measured {
        while self.events.try_recv().is_ok() {}
        while self.log.try_recv().is_ok() {}
        let start = Instant::now();
        std::fs::write(file, text).expect("write");
        let response = loop {
            let (status, body) = self.client.get(&self.url);
            if status == 200 && contains(&body, marker.as_bytes()) {
                break start.elapsed();
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the edit never reached {}",
                self.url
            );
            std::thread::sleep(POLL);
        };
        let mut reload = None;
        while let Ok((event, at)) = self.events.recv_timeout(Duration::from_millis(500)) {
            assert_ne!(event, "build-error", "the edit broke the build");
            if event == "reload" {
                reload = Some(at.duration_since(start));
                break;
            }
        }
        // Later rebuilds of the same edit (a save seen in two batches) show up here.
        std::thread::sleep(Duration::from_millis(20));
        let rebuilds = self
            .log
            .try_iter()
            .filter(|line| line.contains(" re-rendered ("))
            .filter_map(|line| {
                let (_, tail) = line.rsplit_once(") in ")?;
                tail.strip_suffix(" ms")?.parse().ok()
            })
            .collect();
        Measured {
            response,
            reload,
            rebuilds,
        }
    }
}

/// One HTTP/1.1 connection, kept open for every request, as a browser keeps it.
struct KeepAlive {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    port: u16,
}

impl KeepAlive {
    fn connect(port: u16) -> KeepAlive {
        let writer = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        // Browsers send requests without Nagle's delay too.
        writer.set_nodelay(true).expect("TCP_NODELAY");
        let reader = BufReader::new(writer.try_clone().expect("clone the socket"));
        KeepAlive {
            reader,
            writer,
            port,
        }
    }

    /// The status and body of `GET path`, on this connection.
    fn get(&mut self, path: &str) -> (u16, Vec<u8>) {
        write!(
            self.writer,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        )
        .expect("send a request on the kept-alive connection");
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("status line");
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("the server closed the connection or sent `{line}`"));
        let mut length = None;
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("header");
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').expect("a header field");
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok();
            }
            assert!(
                !(name.eq_ignore_ascii_case("connection") && value.trim() == "close"),
                "the server did not keep the connection"
            );
        }
        let mut body = vec![0; length.expect("a Content-Length")];
        self.reader.read_exact(&mut body).expect("body");
        (status, body)
    }
}

/// The first GET's time and those of the following ones, on one connection.
fn keep_alive_gets(client: &mut KeepAlive, url: &str) -> (Duration, Vec<Duration>) {
    let mut times = Vec::new();
    for _ in 0..50 {
        let start = Instant::now();
        let (status, _) = client.get(url);
        assert_eq!(status, 200, "{url}");
        times.push(start.elapsed());
    }
    let first = times.remove(0);
    times.sort();
    (first, times)
}

/// The URL the server gives `guide`, from its list of output files.
fn page_url(client: &mut KeepAlive, site: &Path, guide: &Path) -> String {
    let (_, list) = client.get("/__tebiki/files");
    let files: Vec<String> = serde_json::from_slice(&list).expect("a JSON list of files");
    let rel = guide
        .strip_prefix(site.join("content"))
        .expect("a guide in content/");
    let stem = rel.with_extension("").to_string_lossy().replace('\\', "/");
    let page = format!("{stem}/index.html");
    assert!(files.contains(&page), "{page} is served");
    format!("/{stem}/")
}

/// The byte offset in the glossary file of the English definition of the first term whose
/// definition shows on `page`, and that definition.
fn used_definition(glossary: &str, page: &str) -> (usize, String) {
    let parsed: toml::Table = glossary.parse().expect("the glossary is TOML");
    let terms = parsed["term"].as_array().expect("[[term]] tables");
    for term in terms {
        let Some(definition) = term
            .get("en")
            .and_then(|en| en.get("definition"))
            .and_then(|d| d.as_str())
        else {
            continue;
        };
        let id = term.get("id").and_then(|i| i.as_str()).unwrap_or("");
        if !page.contains(definition) {
            continue;
        }
        let quoted = format!("definition = \"{definition}\"");
        let from = glossary.find(&format!("id = \"{id}\"")).unwrap_or(0);
        if let Some(offset) = glossary[from..].find(&quoted) {
            return (
                from + offset + "definition = \"".len(),
                definition.to_string(),
            );
        }
    }
    panic!("the guide shows no glossary definition");
}

fn report(what: &str, runs: &[Measured], target: f64) {
    let responses: Vec<Duration> = sorted(runs.iter().map(|r| r.response));
    let reloads: Vec<Duration> = sorted(runs.iter().filter_map(|r| r.reload));
    let rebuilds: Vec<f64> = runs.iter().flat_map(|r| r.rebuilds.clone()).collect();
    let mut logged: Vec<f64> = runs
        .iter()
        .filter_map(|r| r.rebuilds.iter().copied().reduce(f64::max))
        .collect();
    logged.sort_by(f64::total_cmp);
    println!("{what}, {} edits:", runs.len());
    println!(
        "  write → first keep-alive response with the change: median {:>6.1} ms, p90 {:>6.1} ms  (target: {target:.0} ms)",
        ms(percentile(&responses, 0.5)),
        ms(percentile(&responses, 0.9)),
    );
    if !reloads.is_empty() {
        println!(
            "  write → reload event:                              median {:>6.1} ms, p90 {:>6.1} ms",
            ms(percentile(&reloads, 0.5)),
            ms(percentile(&reloads, 0.9)),
        );
    }
    if !logged.is_empty() {
        println!(
            "  rebuild as the server logs it:                     median {:>6.0} ms, {:.2} rebuilds per edit",
            logged[logged.len() / 2],
            rebuilds.len() as f64 / runs.len() as f64
        );
    }
}

fn sorted(times: impl Iterator<Item = Duration>) -> Vec<Duration> {
    let mut times: Vec<Duration> = times.collect();
    times.sort();
    times
}

/// The nearest-rank percentile `p` (0 < p ≤ 1) of sorted `times`.
fn percentile(times: &[Duration], p: f64) -> Duration {
    let rank = (p * times.len() as f64).ceil() as usize;
    times[rank.clamp(1, times.len()) - 1]
}

/// The peak resident set of process `pid`, in KiB (Linux).
fn peak_memory(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The names of the events the server sends on its live-reload stream, with when each came.
fn events(port: u16) -> Receiver<(String, Instant)> {
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
                && tx.send((event.to_string(), Instant::now())).is_err()
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
