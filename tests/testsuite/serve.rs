//! `tebiki serve` and `tebiki watch` end to end: the real binary on an ephemeral port, a
//! plain HTTP client over `TcpStream`, and files edited the ways editors save them.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::Fixture;

/// Generous: the machine may be busy with other builds.
pub(crate) const PATIENCE: Duration = Duration::from_secs(20);

/// A running `tebiki serve`, killed when dropped.
pub(crate) struct Served {
    pub(crate) child: Child,
    pub(crate) port: u16,
    log: Arc<Mutex<String>>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response.
struct Got {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Got {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

fn spawn_logged(mut command: Command) -> (Child, Arc<Mutex<String>>) {
    let mut child = command
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start tebiki");
    let stderr = child.stderr.take().expect("stderr");
    let log = Arc::new(Mutex::new(String::new()));
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let mut log = sink.lock().expect("log");
            log.push_str(&line);
            log.push('\n');
        }
    });
    (child, log)
}

fn poll<T>(what: &str, log: &Mutex<String>, mut check: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = check() {
            return v;
        }
        if start.elapsed() > PATIENCE {
            panic!(
                "timed out waiting for {what}; log:\n{}",
                log.lock().expect("log")
            );
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

impl Served {
    pub(crate) fn start(f: &Fixture) -> Served {
        Served::start_with(f, &[])
    }

    /// [`Served::start`] with more arguments to `serve`.
    fn start_with(f: &Fixture, args: &[&str]) -> Served {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tebiki"));
        command
            .args(["serve", "--port", "0"])
            .args(args)
            .arg("--root")
            .arg(f.root());
        let (child, log) = spawn_logged(command);
        let mut served = Served {
            child,
            port: 0,
            log,
        };
        let log = served.log.clone();
        served.port = poll("the server to start", &log, || {
            let text = log.lock().expect("log").clone();
            let rest = text.split("serving http://127.0.0.1:").nth(1)?;
            rest.split('/').next()?.parse().ok()
        });
        served
    }

    pub(crate) fn log(&self) -> String {
        self.log.lock().expect("log").clone()
    }

    /// Waits until the server's terminal output contains `text` (it may print its rebuild line
    /// a moment after the browser got the reload).
    fn wait_for_log(&self, text: &str) {
        let start = Instant::now();
        while !self.log().contains(text) {
            assert!(
                start.elapsed() < PATIENCE,
                "the server never printed {text:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn request(&self, method: &str, path: &str) -> Got {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(PATIENCE))
            .expect("read timeout");
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
        )
        .expect("send");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read response");
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response head");
        let headers = String::from_utf8_lossy(&raw[..split]).into_owned();
        let status = headers
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status");
        Got {
            status,
            headers,
            body: raw[split + 4..].to_vec(),
        }
    }

    fn get(&self, path: &str) -> Got {
        self.request("GET", path)
    }

    /// Polls `path` until its body satisfies `check`.
    fn wait_for(&self, path: &str, what: &str, check: impl Fn(&Got) -> bool) -> Got {
        poll(what, &self.log, || {
            Some(self.get(path)).filter(|g| check(g))
        })
    }

    /// Opens an event stream, as a page's live-reload script does, and waits for `hello`.
    pub(crate) fn events(&self) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(
            stream,
            "GET /__tebiki/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .expect("send");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let (mut event, mut data) = (String::new(), String::new());
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(e) = line.strip_prefix("event: ") {
                    event = e.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data = d.to_string();
                } else if line.is_empty()
                    && !event.is_empty()
                    && tx
                        .send((std::mem::take(&mut event), std::mem::take(&mut data)))
                        .is_err()
                {
                    return;
                }
            }
        });
        let events = Events { rx };
        events.expect("hello", self);
        events
    }
}

/// The events one page's stream receives.
pub(crate) struct Events {
    rx: Receiver<(String, String)>,
}

impl Events {
    /// Waits for the next event called `name`, skipping others; returns its data.
    pub(crate) fn expect(&self, name: &str, served: &Served) -> String {
        let deadline = Instant::now() + PATIENCE;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.rx.recv_timeout(left) {
                Ok((event, data)) if event == name => return data,
                Ok(_) => {}
                Err(_) => break,
            }
        }
        panic!("no `{name}` event; log:\n{}", served.log())
    }
}

fn rename(f: &Fixture, from: &str, to: &str) {
    std::fs::rename(f.path(from), f.path(to)).expect("rename");
}

#[test]
fn edits_renames_replacements_and_deletions_reach_the_browser() {
    let f = Fixture::bilingual();
    let served = Served::start(&f);
    let events = served.events();
    let page = served.get("/guides/ai-act/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("id=\"__tebiki_livereload\""));
    assert_eq!(
        page.header("Content-Type").as_deref(),
        Some("text/html; charset=utf-8")
    );

    // Written in place: a body-only edit.
    f.write(
        "content/guides/ai-act.md",
        &crate::common::AI_ACT_EN.replace("established in 2025", "established in May 2025"),
    );
    events.expect("reload", &served);
    served.wait_for("/guides/ai-act/", "the in-place edit", |g| {
        g.text().contains("established in May 2025")
    });
    served.wait_for_log("(incremental)");

    // Written to a temporary file, then renamed over the original (vim, JetBrains); a swap
    // file on the way is ignored.
    f.write("content/guides/.ai-act.md.swp", "swap");
    f.write(
        "content/guides/ai-act.md___jb_tmp___",
        &crate::common::AI_ACT_EN.replace("established in 2025", "passed in 2025"),
    );
    rename(
        &f,
        "content/guides/ai-act.md___jb_tmp___",
        "content/guides/ai-act.md",
    );
    served.wait_for("/guides/ai-act/", "the atomic replace", |g| {
        g.text().contains("passed in 2025")
    });

    // Deleted and created again.
    std::fs::remove_file(f.path("content/guides/ai-act.md")).expect("delete");
    f.write("content/guides/ai-act.md", crate::common::AI_ACT_EN);
    served.wait_for("/guides/ai-act/", "delete and recreate", |g| {
        g.status == 200 && g.text().contains("established in 2025")
    });

    // A new page, then renamed, then deleted.
    f.write(
        "content/guides/new-one.md",
        "---\ntitle: A New One\n---\nFresh text.\n",
    );
    served.wait_for("/guides/new-one/", "the new page", |g| {
        g.status == 200 && g.text().contains("Fresh text.")
    });
    rename(&f, "content/guides/new-one.md", "content/guides/renamed.md");
    served.wait_for("/guides/renamed/", "the renamed page", |g| g.status == 200);
    let gone = served.wait_for("/guides/new-one/", "the old URL to go", |g| g.status == 404);
    assert!(gone.text().contains("<html"), "the theme's 404 page");
    std::fs::remove_file(f.path("content/guides/renamed.md")).expect("delete");
    served.wait_for("/guides/renamed/", "the deleted page to go", |g| {
        g.status == 404
    });

    // A whole folder renamed.
    rename(&f, "content/guides", "content/advice");
    served.wait_for("/advice/ai-act/", "the renamed folder", |g| g.status == 200);
    served.wait_for("/guides/ai-act/", "the old folder to go", |g| {
        g.status == 404
    });
    let log = served.log();
    assert!(log.contains("re-rendered"), "{log}");
    assert!(!log.contains(".swp"), "swap files are ignored:\n{log}");
}

#[test]
fn serve_prints_what_unsafe_html_false_left_out_at_start_and_after_an_edit() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/raw.md",
        "---\ntitle: Raw\n---\nFirst line.\n\n<div onclick=\"x()\">Boxed</div>\n",
    );
    let served = Served::start(&f);
    served.wait_for_log("warning[raw-html]");
    assert!(
        served.log().contains("--> content/guides/raw.md:6:1\n"),
        "{}",
        served.log()
    );
    // A body edit, rendered incrementally: its new raw HTML is reported where it now is.
    f.write(
        "content/guides/ai-act.ja.md",
        &format!(
            "{}\n本文の追記。<span class=\"x\">強調</span>\n",
            crate::common::AI_ACT_JA
        ),
    );
    served.wait_for("/ja/guides/ai-act/", "the edited page", |g| {
        g.text().contains("本文の追記。")
    });
    let line = crate::common::AI_ACT_JA.lines().count() + 2;
    served.wait_for_log(&format!("--> content/guides/ai-act.ja.md:{line}:7\n"));
    let log = served.log();
    assert!(log.contains("(incremental)"), "{log}");
}

#[test]
fn a_css_edit_swaps_stylesheets_without_a_rebuild() {
    let f = Fixture::bilingual();
    f.write("static/extra.css", "p { color: black }\n");
    let served = Served::start(&f);
    let events = served.events();
    f.write("static/extra.css", "p { color: navy }\n");
    events.expect("css", &served);
    let css = served.get("/extra.css");
    assert_eq!(css.text(), "p { color: navy }\n");
    assert_eq!(
        css.header("Content-Type").as_deref(),
        Some("text/css; charset=utf-8")
    );
}

#[test]
fn a_glossary_definition_edit_re_renders_only_the_pages_that_use_the_term() {
    let f = Fixture::bilingual();
    let glossary = |definition: &str| {
        format!(
            "[[term]]\nid = \"hq\"\n[term.en]\nterm = \"headquarters\"\ndefinition = \"{definition}\"\n"
        )
    };
    f.write("content/glossary.toml", &glossary("A central body."));
    f.write(
        "content/guides/hq.md",
        "---\ntitle: HQ\n---\nThe headquarters decides.\n",
    );
    let served = Served::start(&f);
    let events = served.events();
    f.write(
        "content/glossary.toml",
        &glossary("The body that steers the others."),
    );
    events.expect("reload", &served);
    served.wait_for("/guides/hq/", "the new definition", |g| {
        g.text().contains("The body that steers the others.")
    });
    assert!(
        served
            .get("/glossary/")
            .text()
            .contains("The body that steers the others.")
    );
    // The page that uses the term, the section intros and the glossary pages: not the site.
    served.wait_for_log("content/glossary.toml changed");
    let log = served.log();
    let line = log
        .lines()
        .find(|l| l.contains("content/glossary.toml changed"))
        .expect("the rebuild line");
    assert!(line.contains("(incremental)"), "{line}");
}

#[test]
fn a_build_error_shows_in_the_browser_and_clears_when_fixed() {
    let f = Fixture::bilingual();
    let served = Served::start(&f);
    let events = served.events();
    f.write(
        "content/guides/ai-act.md",
        &crate::common::AI_ACT_EN.replace(
            "The Act was",
            "See [the plan](no-such-plan.md). The Act was",
        ),
    );
    let error = events.expect("build-error", &served);
    assert!(
        error.contains("content/guides/ai-act.md:") && error.contains("no-such-plan.md"),
        "{error}"
    );
    served.wait_for_log("no-such-plan.md");
    // The last good build is still served, and a page opened now shows the error at once.
    assert_eq!(served.get("/guides/ai-act/").status, 200);
    let late = served.events_with_hello();
    assert!(late.contains("no-such-plan.md"), "{late}");

    f.write("content/guides/ai-act.md", crate::common::AI_ACT_EN);
    events.expect("reload", &served);
    let hello = served.events_with_hello();
    assert!(hello.contains("\"error\":null"), "{hello}");
}

/// An SVG the site links, edited to hold a script: the build fails as `tebiki build` fails,
/// and the file is not served as it now is while the last good site stays served.
#[test]
fn an_svg_given_a_script_fails_the_build_and_is_not_served() {
    let f = Fixture::bilingual();
    let plain = "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>";
    f.write(
        "content/guides/report/index.md",
        "---\ntitle: Report\n---\n![icon](icon.svg)\n",
    );
    f.write("content/guides/report/icon.svg", plain);
    let served = Served::start(&f);
    let events = served.events();
    assert_eq!(served.get("/guides/report/icon.svg").status, 200);
    f.write(
        "content/guides/report/icon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
    );
    let error = events.expect("build-error", &served);
    assert!(error.contains("broken-link"), "{error}");
    let icon = served.get("/guides/report/icon.svg");
    assert_eq!(icon.status, 404);
    assert!(!icon.text().contains("alert(1)"));
    assert_eq!(served.get("/guides/report/").status, 200);

    f.write("content/guides/report/icon.svg", plain);
    events.expect("reload", &served);
    assert_eq!(served.get("/guides/report/icon.svg").status, 200);
}

/// With `[build] git_dates`, a commit reaches the browser with its date, in a site that is a
/// folder of its repository too.
#[test]
fn a_commit_reaches_the_preview_with_git_dates() {
    let repo = Fixture::new();
    repo.git_init();
    let f = Fixture {
        dir: tempfile::tempdir_in(repo.root()).expect("temp dir"),
    };
    f.write(
        "book.toml",
        &format!("{}\n[build]\ngit_dates = true\n", crate::common::BOOK),
    );
    f.write("content/_index.md", "---\ntitle: Home\n---\n");
    let page = "---\ntitle: Dated\ndate: 2020-01-01\n---\nFirst text.\n";
    f.write("content/dated.md", page);
    let commit = |date: &str| repo.commit_all_at(date);
    commit("2024-03-01");
    let served = Served::start(&f);
    assert!(served.get("/dated/").text().contains("2024-03-01"));
    let events = served.events();
    f.write("content/dated.md", &page.replace("First", "Second"));
    events.expect("reload", &served);
    commit("2025-06-15");
    events.expect("reload", &served);
    served.wait_for("/dated/", "the commit's date", |g| {
        g.text().contains("2025-06-15")
    });
    served.wait_for_log("git HEAD changed");
}

impl Served {
    /// Opens a new event stream and returns its `hello` data.
    fn events_with_hello(&self) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(PATIENCE))
            .expect("read timeout");
        write!(
            stream,
            "GET /__tebiki/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .expect("send");
        let mut lines = BufReader::new(stream).lines().map_while(Result::ok);
        lines
            .by_ref()
            .find(|l| l == "event: hello")
            .expect("hello event");
        lines.next().expect("hello data")
    }
}

#[test]
fn only_get_and_head_inside_the_site() {
    let f = Fixture::bilingual();
    f.write("static/robots-note.txt", "note\n");
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("linked.txt"), "linked").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("linked.txt"), f.path("static/link.txt"))
        .expect("symlink");
    let served = Served::start(&f);

    for path in [
        "/../book.toml",
        "/%2e%2e/book.toml",
        "/%2E%2E/%2E%2E/book.toml",
        "/guides/..%2f..%2fbook.toml",
        "/..%5c..%5cbook.toml",
    ] {
        let got = served.get(path);
        assert_eq!(got.status, 404, "{path}");
        assert!(!got.text().contains("[book]"));
    }
    // A link in static/ is published as the file it points to, as the build copies it.
    #[cfg(unix)]
    assert_eq!(served.get("/link.txt").text(), "linked");
    let not_found = served.get("/no/such/page/");
    assert_eq!(not_found.status, 404);
    assert!(not_found.text().contains("<html lang=\"en\""));

    let post = served.request("POST", "/");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("Allow").as_deref(), Some("GET, HEAD"));
    assert_eq!(served.request("DELETE", "/guides/ai-act/").status, 405);

    let head = served.request("HEAD", "/guides/ai-act/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());

    let redirect = served.get("/guides");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("Location").as_deref(), Some("/guides/"));
    assert_eq!(served.get("/guides/index.html").status, 200);
    assert_eq!(served.get("/robots-note.txt").text(), "note\n");
    assert_eq!(
        served.get("/atom.xml").header("Content-Type").as_deref(),
        Some("application/atom+xml; charset=utf-8")
    );
    // Links are local.
    assert!(
        served
            .get("/")
            .text()
            .contains(&format!("http://127.0.0.1:{}/guides/ai-act/", served.port))
    );
}

/// Every file the server has, with the live-reload script taken out of HTML.
fn served_site(served: &Served) -> BTreeMap<String, Vec<u8>> {
    let list = served.get("/__tebiki/files").text();
    let paths: Vec<String> = serde_json::from_str(&list).expect("file list");
    paths
        .into_iter()
        .map(|p| {
            let body = served.get(&format!("/{}", encode(&p))).body;
            (p, strip_script(body))
        })
        .collect()
}

/// Percent-encodes a path for the request line.
pub(crate) fn encode(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub(crate) fn strip_script(body: Vec<u8>) -> Vec<u8> {
    let text = match String::from_utf8(body) {
        Ok(text) => text,
        Err(e) => return e.into_bytes(),
    };
    match text.find("<script id=\"__tebiki_livereload\"") {
        Some(start) => {
            let end = start + text[start..].find("</script>").expect("script end") + 9;
            format!("{}{}", &text[..start], &text[end..]).into_bytes()
        }
        None => text.into_bytes(),
    }
}

fn built_site(f: &Fixture, port: u16) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().expect("temp dir");
    let out_dir = out.path().join("site");
    let base = format!("http://127.0.0.1:{port}/");
    let run = f.run(&[
        "build",
        "--drafts",
        "--base-url",
        &base,
        "-o",
        out_dir.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    crate::common::files_in(&out_dir)
}

/// Waits until the served site equals a fresh build, file for file and byte for byte.
fn assert_equivalent(f: &Fixture, served: &Served, step: &str) {
    let built = built_site(f, served.port);
    for (path, bytes) in &built {
        assert!(
            !String::from_utf8_lossy(bytes).contains("__tebiki"),
            "the live-reload script leaked into the build: {path}"
        );
    }
    let start = Instant::now();
    loop {
        let got = served_site(served);
        if got == built {
            return;
        }
        if start.elapsed() > PATIENCE {
            let missing: Vec<_> = built.keys().filter(|k| !got.contains_key(*k)).collect();
            let extra: Vec<_> = got.keys().filter(|k| !built.contains_key(*k)).collect();
            let differ: Vec<_> = built
                .iter()
                .filter(|(k, v)| got.get(*k).is_some_and(|g| g != *v))
                .map(|(k, _)| k)
                .collect();
            panic!(
                "after {step}: served site differs from a fresh build\nmissing {missing:?}\nextra {extra:?}\ndiffer {differ:?}\nlog:\n{}",
                served.log()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A one-term glossary: `names` are the English entry's name lines, then its definition; the
/// Japanese entry stays the same.
fn hq_glossary(names: &str, definition: &str) -> String {
    format!(
        "[[term]]\nid = \"hq\"\n[term.en]\n{names}\ndefinition = \"{definition}\"\n[term.ja]\nterm = \"本部\"\nreading = \"ほんぶ\"\ndefinition = \"中心となる組織。\"\n"
    )
}

/// One change to a fixture site.
pub(crate) type Step = Box<dyn Fn(&Fixture)>;

/// Two entries a list page, so that edits move guides between list pages.
const PAGINATION: &str = "\n[pagination]\npaginate_by = 2\n";

/// The site the equivalence tests start from: pages that link to, list as related and use
/// glossary terms of each other, a bundle with an asset, a draft, a marked translation, and
/// lists of two entries a page.
pub(crate) fn equivalence_site() -> Fixture {
    let f = Fixture::bilingual();
    f.write("book.toml", &format!("{}{PAGINATION}", crate::common::BOOK));
    f.write(
        "content/guides/plan.md",
        "---\ntitle: The Plan\ntags: [\"Plans\"]\ndate: 2026-01-02\n---\nSee [the act](ai-act.md#key-dates).\n\n## Pillars\n\nFour of them.\n",
    );
    f.write(
        "content/guides/report/index.md",
        "---\ntitle: Report\n---\n![chart](chart.png)\n",
    );
    f.write_bytes("content/guides/report/chart.png", b"\x89PNG fake");
    f.write(
        "content/notes/draft.md",
        "---\ntitle: Draft\ndraft: true\n---\nNot yet.\n",
    );
    // Lists the act as related without linking to it.
    f.write(
        "content/guides/companion.md",
        "---\ntitle: Companion\ntags: [\"Plans\"]\nrelated: [\"guides/ai-act.md\"]\naliases: [\"/old/companion/\"]\n---\nA companion.\n",
    );
    // Long enough for `serve` to keep its Markdown packed: it is rendered again from that when
    // the act's front matter or the glossary changes.
    f.write(
        "content/guides/long.md",
        &format!(
            "---\ntitle: Long\n---\n[](ai-act.md) and the headquarters.\n\n{}",
            "本部が計画を進める。The headquarters steer the plan, step by step.\n\n".repeat(40)
        ),
    );
    f.write(
        "content/glossary.toml",
        &hq_glossary("term = \"headquarters\"", "A central body."),
    );
    let mark = f.run(&[
        "translations",
        "mark",
        "content/guides/ai-act.ja.md",
        "content/guides/_index.ja.md",
    ]);
    assert_eq!(mark.code, 0, "{}", mark.stderr);
    f
}

/// The edits the equivalence tests make, in order: each kind of incremental rebuild and
/// each kind of change that needs a full one.
pub(crate) fn equivalence_steps() -> Vec<(&'static str, Step)> {
    vec![
        (
            "a body-only edit of an original whose translation is marked (now stale)",
            Box::new(|f: &Fixture| {
                f.write(
                    "content/guides/ai-act.md",
                    &crate::common::AI_ACT_EN.replace(
                        "The Act was established in 2025.",
                        "The Act was passed in 2025.",
                    ),
                )
            }),
        ),
        (
            "a glossary definition edited",
            Box::new(|f: &Fixture| {
                f.write(
                    "content/glossary.toml",
                    &hq_glossary(
                        "term = \"headquarters\"",
                        "A central body that steers the others.",
                    ),
                )
            }),
        ),
        (
            "a body edit that starts using a glossary term",
            Box::new(|f: &Fixture| {
                f.write("content/guides/plan.md", "---\ntitle: The Plan\ntags: [\"Plans\"]\ndate: 2026-01-02\n---\nSee [the act](ai-act.md#key-dates).\n\n## Pillars\n\nFour of them, headquarters.\n")
            }),
        ),
        (
            "a body-only edit",
            Box::new(|f: &Fixture| {
                f.write("content/guides/plan.md", "---\ntitle: The Plan\ntags: [\"Plans\"]\ndate: 2026-01-02\n---\nSee [the act](ai-act.md#key-dates).\n\n## Pillars\n\nFour of them, in order.\n")
            }),
        ),
        (
            "a title and tag edit",
            Box::new(|f: &Fixture| {
                f.write("content/guides/plan.md", "---\ntitle: The Basic Plan\ntags: [\"Plans\", \"Strategy\"]\ndate: 2026-01-02\n---\nSee [the act](ai-act.md#key-dates).\n\n## Pillars\n\nFour of them, in order.\n")
            }),
        ),
        (
            "a weight edit that moves a guide to the other list page",
            Box::new(|f: &Fixture| {
                f.write("content/guides/plan.md", "---\ntitle: The Basic Plan\ntags: [\"Plans\", \"Strategy\"]\nweight: 10\ndate: 2025-01-02\n---\nSee [the act](ai-act.md#key-dates).\n\n## Pillars\n\nFour of them, in order.\n")
            }),
        ),
        (
            "a tag added so that its list needs a second page",
            Box::new(|f: &Fixture| {
                f.write(
                    "content/guides/report/index.md",
                    "---\ntitle: Report\ntags: [\"Plans\"]\n---\n![chart](chart.png)\n",
                )
            }),
        ),
        (
            "the tag removed again so that the second page goes",
            Box::new(|f: &Fixture| {
                f.write(
                    "content/guides/report/index.md",
                    "---\ntitle: Report\n---\n![chart](chart.png)\n",
                )
            }),
        ),
        (
            "a heading edit",
            Box::new(|f: &Fixture| {
                f.write("content/guides/plan.md", "---\ntitle: The Basic Plan\ntags: [\"Plans\", \"Strategy\"]\ndate: 2026-01-02\n---\nSee [the act](ai-act.md#key-dates).\n\n## Four pillars\n\nFour of them, in order.\n")
            }),
        ),
        (
            "a link removed",
            Box::new(|f: &Fixture| {
                f.write("content/guides/plan.md", "---\ntitle: The Basic Plan\ntags: [\"Plans\", \"Strategy\"]\ndate: 2026-01-02\n---\nNo links now.\n\n## Four pillars\n\nFour of them, in order.\n")
            }),
        ),
        (
            "a summary and date edit of a page another lists as related",
            Box::new(|f: &Fixture| {
                f.write(
                    "content/guides/ai-act.md",
                    &crate::common::AI_ACT_EN
                        .replace(
                            "summary: \"Japan's framework law for AI.\"",
                            "summary: \"The framework law.\"",
                        )
                        .replace("date: 2026-05-08", "date: 2026-06-01"),
                )
            }),
        ),
        (
            "a heading renamed that another page links into",
            Box::new(|f: &Fixture| {
                f.write(
                    "content/guides/ai-act.md",
                    &crate::common::AI_ACT_EN.replace("## Key dates", "## Key dates and steps"),
                )
            }),
        ),
        (
            "the link into the renamed heading mended",
            Box::new(|f: &Fixture| {
                f.write("content/guides/plan.md", "---\ntitle: The Basic Plan\ntags: [\"Plans\", \"Strategy\"]\nrelated: [\"guides/ai-act.md\"]\ndate: 2026-01-02\n---\nSee [the act](ai-act.md#key-dates-and-steps) and [](ai-act.md).\n\n## Four pillars\n\nFour of them, in order.\n")
            }),
        ),
        (
            "a title edit of a page another links to with empty text and lists as related",
            Box::new(|f: &Fixture| {
                f.write(
                    "content/guides/ai-act.md",
                    &crate::common::AI_ACT_EN
                        .replace("## Key dates", "## Key dates and steps")
                        .replace("title: \"The AI Act\"", "title: \"Japan's AI Act\""),
                )
            }),
        ),
        (
            "a tag dropped so that its page goes",
            Box::new(|f: &Fixture| {
                f.write("content/guides/plan.md", "---\ntitle: The Basic Plan\ntags: [\"Plans\"]\nrelated: [\"guides/ai-act.md\"]\ndate: 2026-01-02\n---\nSee [the act](ai-act.md#key-dates-and-steps) and [](ai-act.md).\n\n## Four pillars\n\nFour of them, in order.\n")
            }),
        ),
        (
            "a translation added",
            Box::new(|f: &Fixture| {
                f.write(
                    "content/guides/plan.ja.md",
                    "---\ntitle: 計画\n---\n[](ai-act.md)を参照。\n",
                )
            }),
        ),
        (
            "a glossary term renamed",
            Box::new(|f: &Fixture| {
                f.write(
                    "content/glossary.toml",
                    &hq_glossary(
                        "term = \"head office\"\naliases = [\"headquarters\"]",
                        "A central body that steers the others.",
                    ),
                )
            }),
        ),
        (
            "a page renamed",
            Box::new(|f: &Fixture| {
                rename(f, "content/guides/plan.md", "content/guides/basic-plan.md")
            }),
        ),
        (
            "an asset added",
            Box::new(|f: &Fixture| f.write_bytes("content/guides/report/table.csv", b"a,b\n")),
        ),
        (
            "a bundle asset deleted",
            Box::new(|f: &Fixture| {
                std::fs::remove_file(f.path("content/guides/report/table.csv")).expect("delete")
            }),
        ),
        (
            "an original section index edited whose translation is marked (now stale)",
            Box::new(|f: &Fixture| {
                f.write(
                    "content/guides/_index.md",
                    "---\ntitle: Guides\nupdated: 2026-06-01\n---\nEvery guide.\n",
                )
            }),
        ),
        (
            "a section index deleted",
            Box::new(|f: &Fixture| {
                std::fs::remove_file(f.path("content/guides/_index.ja.md")).expect("delete")
            }),
        ),
        (
            "hidden files and editors' files put in static/",
            Box::new(|f: &Fixture| {
                f.write(
                    "static/.well-known/security.txt",
                    "Contact: mailto:a@example.org\n",
                );
                f.write("static/.nojekyll", "");
                f.write("static/app.js", "let a = 1;\n");
                f.write("static/app.js~", "let a = 0;\n");
                f.write("static/.app.js.swp", "swap");
                f.write("static/app.js.bak", "let a = 0;\n");
                f.write("static/.gitkeep", "");
            }),
        ),
        (
            "a file in static/ that is a link to a file elsewhere",
            Box::new(|f: &Fixture| {
                f.write("elsewhere/notice.txt", "Linked in.\n");
                #[cfg(unix)]
                std::os::unix::fs::symlink(
                    f.path("elsewhere/notice.txt"),
                    f.path("static/notice.txt"),
                )
                .expect("symlink");
            }),
        ),
        (
            "content/ deleted and made again in one go",
            Box::new(|f: &Fixture| {
                for (rel, bytes) in crate::common::files_in(&f.path("content")) {
                    f.write_bytes(&format!("saved/{rel}"), &bytes);
                }
                std::fs::remove_dir_all(f.path("content")).expect("rm");
                rename(f, "saved", "content");
            }),
        ),
        (
            "a folder renamed",
            Box::new(|f: &Fixture| rename(f, "content/notes", "content/later")),
        ),
        (
            "a template overridden",
            Box::new(|f: &Fixture| {
                f.write(
                    "themes/default/templates/404.html",
                    "{% extends \"base.html\" %}{% block content %}<p>Lost.</p>{% endblock content %}",
                )
            }),
        ),
        (
            "the title of a page with an alias edited, and the alias moved",
            Box::new(|f: &Fixture| {
                f.write(
                    "content/guides/companion.md",
                    "---\ntitle: The Companion\ntags: [\"Plans\"]\nrelated: [\"guides/ai-act.md\"]\naliases: [\"/older/companion.html\"]\n---\nA companion.\n",
                )
            }),
        ),
        (
            "book.toml edited",
            Box::new(|f: &Fixture| {
                f.write(
                    "book.toml",
                    &format!(
                        "{}{PAGINATION}",
                        crate::common::BOOK.replace("Guides for tests.", "Guides for the tests.")
                    ),
                )
            }),
        ),
    ]
}

#[test]
fn the_served_site_always_equals_a_fresh_build() {
    let f = equivalence_site();
    let served = Served::start(&f);
    assert_equivalent(&f, &served, "the first build");

    let steps = equivalence_steps();
    for (step, apply) in steps {
        apply(&f);
        assert_equivalent(&f, &served, step);
    }
    // Front-matter, heading and link edits of one page re-render its dependents, not the site.
    let log = served.log();
    for edit in [
        "content/guides/plan.md changed",
        "content/guides/ai-act.md changed",
    ] {
        assert!(
            log.lines()
                .any(|l| l.contains(edit) && l.contains("(incremental)")),
            "{edit} was never incremental:\n{log}"
        );
    }
    let incremental = log.lines().filter(|l| l.contains("(incremental)")).count();
    assert!(
        incremental >= 6,
        "only {incremental} incremental rebuilds:\n{log}"
    );
}

#[test]
fn a_taken_port_is_reported_with_a_free_one() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let f = Fixture::bilingual();
    let run = f.run(&["serve", "--port", &port.to_string()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("port {port}")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("already in use"), "{}", run.stderr);
    assert!(
        run.stderr.contains("tebiki serve --port "),
        "{}",
        run.stderr
    );
}

/// A running `tebiki watch`, killed when dropped.
struct Watching(Child);

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn watch_rebuilds_the_output_directory() {
    let f = Fixture::bilingual();
    let mut command = Command::new(env!("CARGO_BIN_EXE_tebiki"));
    command.args(["watch", "--root"]).arg(f.root());
    let (child, log) = spawn_logged(command);
    let _guard = Watching(child);
    let page = f.path("public/guides/ai-act/index.html");
    let read = |p: &Path| std::fs::read_to_string(p).ok();
    poll("the first build", &log, || {
        read(&page).filter(|_| log.lock().expect("log").contains("watching"))
    });
    f.write(
        "content/guides/ai-act.md",
        &crate::common::AI_ACT_EN.replace("established in 2025", "established in May 2025"),
    );
    poll("the rebuild", &log, || {
        read(&page).filter(|t| t.contains("established in May 2025"))
    });
    let html = read(&page).expect("page");
    assert!(!html.contains("__tebiki"), "no live-reload script on disk");
    assert!(html.contains("https://example.org/guides/ai-act/"));
}

/// A stale translation in git: the original gained a line using a glossary term in its
/// "Key dates" section, which the translation's section lacks.
fn review_site(with_git: bool) -> Fixture {
    let f = Fixture::bilingual();
    f.write(
        "content/glossary.toml",
        &hq_glossary("term = \"headquarters\"", "A central body."),
    );
    let mark = f.run(&["translations", "mark", "content/guides/ai-act.ja.md"]);
    assert_eq!(mark.code, 0, "{}", mark.stderr);
    if with_git {
        f.git(&["init", "-q"]);
        f.git(&["config", "user.name", "Test"]);
        f.git(&["config", "user.email", "test@example.org"]);
        f.git(&["config", "commit.gpgsign", "false"]);
        f.git(&["add", "-A"]);
        f.git(&["commit", "-q", "-m", "start"]);
    }
    f.write(
        "content/guides/ai-act.md",
        &crate::common::AI_ACT_EN.replace(
            "| Step | Date |",
            "The headquarters met.\n\n| Step | Date |",
        ),
    );
    f
}

#[test]
fn the_review_view_shows_a_translation_beside_its_original_live() {
    let f = review_site(true);
    let served = Served::start(&f);
    let list = served.get("/__tebiki/review/");
    assert_eq!(list.status, 200);
    let text = list.text();
    assert!(
        text.contains(
            "<a href=\"/__tebiki/review/guides/ai-act.ja.md\">content/guides/ai-act.ja.md</a>"
        ),
        "{text}"
    );
    assert!(text.contains("<tr class=\"status-stale\">"), "{text}");
    assert!(text.contains("id=\"__tebiki_livereload\""));
    assert_eq!(served.get("/__tebiki/review").status, 200);

    let page = served.get("/__tebiki/review/guides/ai-act.ja.md");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("Content-Type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    let text = page.text();
    let original = f.read("content/guides/ai-act.md");
    let line = original
        .lines()
        .position(|l| l == "The headquarters met.")
        .expect("the new line")
        + 1;
    assert!(
        text.contains(&format!(
            "<div class=\"line changed\"><span class=\"ln\">{line}</span><span class=\"tx\">The <mark class=\"term\" title=\"hq\">headquarters</mark> met.</span></div>"
        )),
        "{text}"
    );
    assert!(text.contains("(from git)"), "{text}");
    assert!(text.contains("<span class=\"tx\">## 主な日付</span>"));
    assert!(text.contains("AI戦略<mark class=\"term\" title=\"hq\">本部</mark>を置く。"));
    assert!(text.contains("Missing terms: <mark class=\"missing-term\" title=\"hq\">本部</mark>"));
    assert!(text.contains("id=\"__tebiki_livereload\""));

    // Live: an edit of the translation reloads the page, which shows it.
    let events = served.events();
    f.write(
        "content/guides/ai-act.ja.md",
        &crate::common::AI_ACT_JA.replace(
            "2025年5月28日に成立した。",
            "本部の設置は2025年5月28日に決まった。",
        ),
    );
    events.expect("reload", &served);
    served.wait_for(
        "/__tebiki/review/guides/ai-act.ja.md",
        "the edited translation",
        |g| g.text().contains("設置は2025年5月28日") && !g.text().contains("Missing terms"),
    );

    for path in [
        "/__tebiki/review/guides/nothing.ja.md",
        "/__tebiki/review/guides/ai-act.md",
        "/__tebiki/review/%2e%2e/book.toml",
        "/__tebiki/review/guides/../../book.toml",
    ] {
        assert_eq!(served.get(path).status, 404, "{path}");
    }

    // Never part of a build.
    f.build_ok(&[]);
    for entry in walkdir::WalkDir::new(f.path("public"))
        .into_iter()
        .flatten()
    {
        let path = entry.path().to_string_lossy().into_owned();
        assert!(!path.contains("__tebiki"), "{path}");
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).expect("read");
            assert!(
                !String::from_utf8_lossy(&bytes).contains("tebiki-review"),
                "{path}"
            );
        }
    }
}

#[test]
fn the_review_view_says_when_git_cannot_show_the_changes() {
    let f = review_site(false);
    let root = f.root().canonicalize().expect("root");
    let (status, html) = tebiki::preview::review::answer(&root, "guides/ai-act.ja.md");
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("Changes to the original cannot be shown"),
        "{html}"
    );
    assert!(!html.contains("line changed"));
    assert!(html.contains("<mark class=\"term\" title=\"hq\">headquarters</mark>"));
}

#[test]
fn bound_to_every_address_pages_link_to_the_address_they_were_asked_at() {
    let f = Fixture::bilingual();
    let served = Served::start_with(&f, &["--bind", "0.0.0.0"]);
    let page = |host: &str| {
        let mut stream = TcpStream::connect(("127.0.0.1", served.port)).expect("connect");
        write!(
            stream,
            "GET /guides/ai-act/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read response");
        String::from_utf8_lossy(&raw).into_owned()
    };
    let port = served.port;
    // Another machine, by this machine's address: links lead back to it.
    let other = page(&format!("192.0.2.2:{port}"));
    assert!(other.starts_with("HTTP/1.1 200"), "{other}");
    assert!(
        other.contains(&format!(
            "href=\"http://192.0.2.2:{port}/ja/guides/ai-act/\""
        )),
        "{other}"
    );
    assert!(!other.contains(&format!("127.0.0.1:{port}")), "{other}");
    // This machine gets the pages as built.
    let local = page(&format!("127.0.0.1:{port}"));
    assert!(
        local.contains(&format!(
            "href=\"http://127.0.0.1:{port}/ja/guides/ai-act/\""
        )),
        "{local}"
    );
}

/// `serve` and `build` count a site the same way: its pages, not every list and tag page.
#[test]
fn serve_and_build_count_the_same_pages() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/later.md",
        "---\ntitle: Later\ndraft: true\n---\nNot yet.\n",
    );
    let built = f.build_ok(&[]);
    let count = built
        .stderr
        .split("built ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .expect("a count")
        .to_string();
    let served = Served::start(&f);
    let log = served.log();
    assert!(
        // Drafts, which serve shows and build leaves out, are counted apart.
        log.contains(&format!("built {count} pages and 1 draft in ")),
        "build: {}\nserve: {log}",
        built.stderr
    );
}
