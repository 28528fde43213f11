//! `tebiki check --external` against a small HTTP server the test starts on 127.0.0.1 (never
//! the internet): success, permanent and temporary redirects, 404, 500, a server too slow for
//! the timeout, a server that refuses `HEAD`, the per-host limit and the cache.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use crate::common::{BOOK, Fixture};

/// One request the server received.
#[derive(Debug, Clone)]
struct Request {
    method: String,
    path: String,
    user_agent: String,
    at: std::time::Instant,
}

#[derive(Default)]
struct Log {
    requests: Mutex<Vec<Request>>,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

/// A test server: answers by path, records every request. It stops accepting after a bounded
/// number of connections; each answer takes at most three seconds.
struct Server {
    base: String,
    log: Arc<Log>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let log = Arc::new(Log::default());
        let shared = Arc::clone(&log);
        std::thread::spawn(move || {
            for stream in listener.incoming().take(500) {
                let Ok(stream) = stream else { continue };
                let log = Arc::clone(&shared);
                std::thread::spawn(move || answer(stream, &log));
            }
        });
        Server { base, log }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn requests(&self) -> Vec<Request> {
        self.log.requests.lock().expect("log").clone()
    }

    fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path == path).count()
    }
}

fn answer(stream: TcpStream, log: &Log) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(&stream);
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    let mut user_agent = String::new();
    for _ in 0..100 {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("user-agent")
        {
            user_agent = value.trim().to_string();
        }
    }
    let mut parts = first.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    log.requests.lock().expect("log").push(Request {
        method: method.clone(),
        path: path.clone(),
        user_agent,
        at: std::time::Instant::now(),
    });
    let now = log.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    log.most_in_flight.fetch_max(now, Ordering::SeqCst);
    let route = path.split('?').next().unwrap_or("");
    let (status, extra) = match route {
        "/ok" => ("200 OK", String::new()),
        "/moved" => ("301 Moved Permanently", "Location: /ok\r\n".to_string()),
        "/moved-twice" => ("308 Permanent Redirect", "Location: moved\r\n".to_string()),
        "/temp" => ("302 Found", "Location: /ok\r\n".to_string()),
        "/error" => ("500 Internal Server Error", String::new()),
        "/limited" => ("429 Too Many Requests", String::new()),
        "/limited-wait" => ("429 Too Many Requests", "Retry-After: 1\r\n".to_string()),
        "/limited-long" => ("429 Too Many Requests", "Retry-After: 3600\r\n".to_string()),
        "/unavailable" => ("503 Service Unavailable", "Retry-After: 1\r\n".to_string()),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(3));
            ("200 OK", String::new())
        }
        "/busy" => {
            std::thread::sleep(Duration::from_millis(300));
            ("200 OK", String::new())
        }
        "/nohead" if method == "HEAD" => ("405 Method Not Allowed", String::new()),
        "/nohead" => ("200 OK", String::new()),
        _ => ("404 Not Found", String::new()),
    };
    log.in_flight.fetch_sub(1, Ordering::SeqCst);
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
}

fn book(check: &str) -> String {
    format!("{BOOK}\n[check]\nexternal_timeout = 1\nexternal_retries = 1\n{check}")
}

/// `(code, file:line:col, message)` of each diagnostic about external links.
fn external(f: &Fixture, extra: &[&str]) -> (i32, Vec<(String, String, String)>) {
    let mut args = vec!["check", "--external", "--format", "json"];
    args.extend_from_slice(extra);
    let run = f.run(&args);
    let list: Vec<Value> = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    let found = list
        .iter()
        .filter(|d| {
            d["code"]
                .as_str()
                .is_some_and(|c| c.starts_with("external"))
        })
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                format!(
                    "{}:{}:{}",
                    d["file"].as_str().unwrap_or(""),
                    d["line"],
                    d["column"]
                ),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    (run.code, found)
}

fn e(code: &str, place: &str, message: String) -> (String, String, String) {
    (code.to_string(), place.to_string(), message)
}

#[test]
fn every_kind_of_answer_is_reported_at_the_link() {
    let server = Server::start();
    let u = |p: &str| server.url(p);
    let f = Fixture::with_book(&book(""));
    f.write(
        "content/_index.md",
        &format!(
            "---\ntitle: Home\nsources:\n  - title: Gone\n    url: {gone}\n---\n[ok]({ok}) and <{temp}>.\n\n- [moved]({moved})\n- [gone]({gone}#part)\n- [error]({error})\n- [slow]({slow})\n- ![no head]({nohead})\n",
            ok = u("/ok"),
            temp = u("/temp"),
            moved = u("/moved"),
            gone = u("/gone"),
            error = u("/error"),
            slow = u("/slow"),
            nohead = u("/nohead"),
        ),
    );
    let started = std::time::Instant::now();
    let (code, found) = external(&f, &[]);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(code, 1, "a 404 is an error");
    let home = "content/_index.md";
    assert_eq!(
        found,
        [
            e(
                "external-broken",
                &format!("{home}:5:10"),
                format!("`{}` answers 404 Not Found", u("/gone"))
            ),
            e(
                "external-redirect",
                &format!("{home}:9:3"),
                format!("`{}` has moved permanently to `{}`", u("/moved"), u("/ok"))
            ),
            e(
                "external-broken",
                &format!("{home}:10:3"),
                format!("`{}#part` answers 404 Not Found", u("/gone"))
            ),
            e(
                "external-error",
                &format!("{home}:11:3"),
                format!(
                    "`{}` could not be checked: the server answered 500",
                    u("/error")
                )
            ),
            e(
                "external-error",
                &format!("{home}:12:3"),
                format!(
                    "`{}` could not be checked: no answer within 1 s",
                    u("/slow")
                )
            ),
        ]
    );
    let requests = server.requests();
    assert!(
        requests.iter().all(|r| r
            .user_agent
            .starts_with(concat!("tebiki/", env!("CARGO_PKG_VERSION")))),
        "{requests:?}"
    );
    // The fragment is not requested, and `/gone` once (HEAD, then GET) for both links.
    assert_eq!(server.count("/gone"), 2);
    // HEAD then GET, retried once: a failing server is asked twice.
    assert_eq!(server.count("/error"), 4);
    // A server too slow for HEAD is not asked again with GET; it is retried once.
    let slow: Vec<_> = requests
        .iter()
        .filter(|r| r.path == "/slow")
        .map(|r| r.method.as_str())
        .collect();
    assert_eq!(slow, ["HEAD", "HEAD"]);
    let nohead: Vec<_> = requests
        .iter()
        .filter(|r| r.path == "/nohead")
        .map(|r| r.method.as_str())
        .collect();
    assert_eq!(nohead, ["HEAD", "GET"]);
}

#[test]
fn results_are_cached_and_failures_retried() {
    let server = Server::start();
    let f = Fixture::with_book(&book(""));
    f.write(
        "content/_index.md",
        &format!(
            "---\ntitle: Home\n---\n[a]({}) [b]({}) [c]({}) [d]({})\n",
            server.url("/ok"),
            server.url("/moved-twice"),
            server.url("/gone"),
            server.url("/error"),
        ),
    );
    let first = external(&f, &[]);
    let cache: Value =
        serde_json::from_str(&f.read(".tebiki-cache/links.json")).expect("cache is JSON");
    let cached: Vec<&String> = cache["links"].as_object().expect("links").keys().collect();
    assert_eq!(
        cached,
        [
            &server.url("/gone"),
            &server.url("/moved-twice"),
            &server.url("/ok")
        ]
    );
    let before = server.requests().len();
    let second = external(&f, &[]);
    assert_eq!(first, second, "the cache gives the same report");
    let again: Vec<String> = server.requests()[before..]
        .iter()
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(again, ["/error"; 4], "only the failure is requested again");
    assert!(
        second.1.iter().any(|(c, _, m)| c == "external-redirect"
            && m.ends_with(&format!("`{}`", server.url("/ok")))),
        "{second:?}"
    );

    // Without a cache every address is requested each time.
    let f = Fixture::with_book(&book("external_cache_ttl = 0\n"));
    f.write(
        "content/_index.md",
        &format!(
            "---\ntitle: Home\n---\n[a]({})\n",
            server.url("/ok?nocache")
        ),
    );
    external(&f, &[]);
    external(&f, &[]);
    assert_eq!(
        server
            .requests()
            .iter()
            .filter(|r| r.path == "/ok?nocache")
            .count(),
        2
    );
    assert!(!f.path(".tebiki-cache").exists());
}

/// A 429 says the checker asked too often, not that the page is gone: a warning, asked again
/// (after the wait the server names) and never cached. So is a 503.
#[test]
fn rate_limiting_and_unavailable_servers_are_warnings_asked_again() {
    let server = Server::start();
    let u = |p: &str| server.url(p);
    let f = Fixture::with_book(&book(""));
    f.write(
        "content/_index.md",
        &format!(
            "---\ntitle: Home\n---\n- [a]({})\n- [b]({})\n- [c]({})\n- [d]({})\n",
            u("/limited"),
            u("/limited-wait"),
            u("/limited-long"),
            u("/unavailable"),
        ),
    );
    // A cache written when a 429 was taken for a broken link.
    let checked = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("time")
        .as_secs();
    f.write(
        ".tebiki-cache/links.json",
        &serde_json::json!({"links": {u("/limited"): {"checked": checked, "kind": "broken", "status": 429}}})
            .to_string(),
    );
    let (code, found) = external(&f, &[]);
    assert_eq!(code, 0, "a warning, not an error: {found:?}");
    let home = "content/_index.md";
    let limited =
        "could not be checked: the server is rate limiting requests (429 Too Many Requests)";
    assert_eq!(
        found,
        [
            e(
                "external-error",
                &format!("{home}:4:3"),
                format!("`{}` {limited}", u("/limited"))
            ),
            e(
                "external-error",
                &format!("{home}:5:3"),
                format!("`{}` {limited} and asks to wait 1 s", u("/limited-wait"))
            ),
            e(
                "external-error",
                &format!("{home}:6:3"),
                format!("`{}` {limited} and asks to wait 3600 s", u("/limited-long"))
            ),
            e(
                "external-error",
                &format!("{home}:7:3"),
                format!(
                    "`{}` could not be checked: the server answered 503",
                    u("/unavailable")
                )
            ),
        ]
    );
    let requests = server.requests();
    let asked = |path: &str| -> Vec<(String, std::time::Instant)> {
        requests
            .iter()
            .filter(|r| r.path == path)
            .map(|r| (r.method.clone(), r.at))
            .collect()
    };
    let methods = |path: &str| -> Vec<String> { asked(path).into_iter().map(|r| r.0).collect() };
    // A 429 is not followed by a GET at once; it is retried once.
    assert_eq!(methods("/limited"), ["HEAD", "HEAD"]);
    // Retried after the wait the server asked for.
    let wait = asked("/limited-wait");
    assert_eq!(wait.len(), 2);
    assert!(wait[1].1 - wait[0].1 >= Duration::from_millis(950));
    // A wait too long to hold the check for: reported without asking again.
    assert_eq!(methods("/limited-long"), ["HEAD"]);
    let unavailable = asked("/unavailable");
    assert_eq!(
        methods("/unavailable"),
        ["HEAD", "GET", "HEAD", "GET"],
        "a 503 is retried"
    );
    assert!(unavailable[2].1 - unavailable[1].1 >= Duration::from_millis(950));

    let cache: Value =
        serde_json::from_str(&f.read(".tebiki-cache/links.json")).expect("cache is JSON");
    assert_eq!(cache["links"], serde_json::json!({}), "nothing cached");
    let before = server.requests().len();
    let (_, second) = external(&f, &[]);
    assert_eq!(found, second);
    assert_eq!(server.requests().len() - before, before, "all asked again");
}

#[test]
fn skipped_hosts_are_never_requested() {
    let server = Server::start();
    let f = Fixture::with_book(&book("skip_external = [\"localhost\"]\n"));
    let port = server.base.rsplit(':').next().expect("port");
    f.write(
        "content/_index.md",
        &format!(
            "---\ntitle: Home\n---\n[a](http://localhost:{port}/gone) [b](http://sub.localhost:{port}/gone)\n"
        ),
    );
    let (code, found) = external(&f, &[]);
    assert_eq!((code, found), (0, vec![]));
    assert!(server.requests().is_empty());
}

#[test]
fn one_host_gets_at_most_per_host_requests_at_a_time() {
    for (per_host, most) in [(2, 2..=2), (8, 3..=8)] {
        busy_host(per_host, most);
    }
}

fn busy_host(per_host: usize, most: std::ops::RangeInclusive<usize>) {
    let server = Server::start();
    let f = Fixture::with_book(&book(&format!(
        "external_per_host = {per_host}\nexternal_concurrency = 8\n"
    )));
    let links: String = (0..8)
        .map(|i| format!("[{i}]({})\n", server.url(&format!("/busy?{i}"))))
        .collect();
    f.write(
        "content/_index.md",
        &format!("---\ntitle: Home\n---\n{links}"),
    );
    let (code, found) = external(&f, &[]);
    assert_eq!((code, found), (0, vec![]));
    assert_eq!(server.requests().len(), 8);
    let seen = server.log.most_in_flight.load(Ordering::SeqCst);
    assert!(
        most.contains(&seen),
        "{seen} at once with per_host = {per_host}"
    );
}

#[test]
fn without_external_nothing_is_requested() {
    let server = Server::start();
    let f = Fixture::with_book(BOOK);
    f.write(
        "content/_index.md",
        &format!("---\ntitle: Home\n---\n[a]({})\n", server.url("/gone")),
    );
    let run = f.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(server.requests().is_empty());
}
