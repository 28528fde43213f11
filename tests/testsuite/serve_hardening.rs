//! `tebiki serve` against hostile and careless clients: oversized and malformed requests,
//! request bodies, foreign `Host` names (DNS rebinding), many connections or event streams at
//! once. Every request gets a status or a closed connection, and the server keeps answering.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use tebiki::preview::server::{MAX_CONNECTIONS, MAX_EVENT_STREAMS};

use crate::common::Fixture;
use crate::serve::{PATIENCE, Served};

impl Served {
    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends `raw` on a new connection and reads until the server closes it (or a timeout).
    pub fn exchange(&self, raw: &[u8]) -> Vec<u8> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        let _ = stream.write_all(raw);
        let mut out = Vec::new();
        let _ = stream.read_to_end(&mut out);
        out
    }

    /// `GET path` with a proper Host and `Connection: close`: status and body.
    pub fn fetch(&self, path: &str) -> (u16, Vec<u8>) {
        let raw = self.exchange(
            format!(
                "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
                self.port
            )
            .as_bytes(),
        );
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(raw.len(), |at| at + 4);
        (status(&raw), raw[split..].to_vec())
    }
}

/// The status code of a raw response, 0 when there is none.
pub fn status(raw: &[u8]) -> u16 {
    String::from_utf8_lossy(raw)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn no_request_stops_the_server() {
    let f = Fixture::bilingual();
    let mut served = Served::start(&f);
    let host = format!("Host: 127.0.0.1:{}", served.port);
    let many: String = (0..200).map(|i| format!("X-{i}: {i}\r\n")).collect();
    let cases: Vec<(&str, Vec<u8>, &[u16])> = vec![
        (
            "a huge Content-Length",
            format!("GET / HTTP/1.1\r\n{host}\r\nContent-Length: 99999999999\r\n\r\n").into(),
            &[413],
        ),
        (
            "a chunked body on GET",
            format!("GET / HTTP/1.1\r\n{host}\r\nTransfer-Encoding: chunked\r\n\r\n").into(),
            &[413],
        ),
        (
            "a huge body on POST",
            format!("POST / HTTP/1.1\r\n{host}\r\nContent-Length: 99999999999\r\n\r\n").into(),
            &[405],
        ),
        (
            "an invalid Content-Length",
            format!("GET / HTTP/1.1\r\n{host}\r\nContent-Length: -1\r\n\r\n").into(),
            &[400],
        ),
        (
            "raw non-ASCII bytes in the path",
            [
                b"GET /\xe6\x89\x8b\xff HTTP/1.1\r\n".as_slice(),
                host.as_bytes(),
                b"\r\n\r\n",
            ]
            .concat(),
            &[400],
        ),
        (
            "raw non-ASCII bytes in the method",
            [
                b"G\xc3\x89T / HTTP/1.1\r\n".as_slice(),
                host.as_bytes(),
                b"\r\n\r\n",
            ]
            .concat(),
            &[400],
        ),
        (
            "too many header fields",
            format!("GET / HTTP/1.1\r\n{host}\r\n{many}\r\n").into(),
            &[431],
        ),
        (
            "one huge header",
            format!(
                "GET / HTTP/1.1\r\n{host}\r\nX: {}\r\n\r\n",
                "a".repeat(64 * 1024)
            )
            .into(),
            // The server may close before reading all of it: the client then sees a reset.
            &[431, 0],
        ),
        (
            "a very long path",
            format!("GET /{} HTTP/1.1\r\n{host}\r\n\r\n", "a/".repeat(40_000)).into(),
            &[414, 431, 0],
        ),
        ("NUL bytes", b"\0\0\0\0\r\n\r\n".to_vec(), &[400]),
        (
            "an unknown version",
            format!("GET / HTTP/9.9\r\n{host}\r\n\r\n").into(),
            &[400, 505],
        ),
        (
            "binary noise",
            (0..=255u8).cycle().take(100_000).collect(),
            &[400, 0],
        ),
        (
            "a head that never ends",
            format!("GET / HTTP/1.1\r\n{host}\r\nX: y").into(),
            // Written, then the write side stays open until the read times out; nothing
            // comes back before the server's head timeout.
            &[0],
        ),
    ];
    for (what, raw, expected) in cases {
        let got = if what == "a head that never ends" {
            let mut stream = TcpStream::connect(("127.0.0.1", served.port)).expect("connect");
            stream
                .set_read_timeout(Some(Duration::from_millis(300)))
                .expect("timeout");
            stream.write_all(&raw).expect("send");
            let mut out = Vec::new();
            let _ = stream.read_to_end(&mut out);
            status(&out)
        } else {
            status(&served.exchange(&raw))
        };
        assert!(
            expected.contains(&got),
            "{what}: got {got}, expected one of {expected:?}"
        );
        assert!(
            served.alive(),
            "{what} stopped the server:\n{}",
            served.log()
        );
        assert_eq!(
            served.fetch("/").0,
            200,
            "{what}: the server stopped answering"
        );
    }
}

#[test]
fn only_requests_for_this_server_are_answered() {
    let f = Fixture::bilingual();
    let served = Served::start(&f);
    let port = served.port;
    let ask = |head: String| {
        let raw = served.exchange(head.as_bytes());
        (status(&raw), String::from_utf8_lossy(&raw).into_owned())
    };
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("LocalHost:{port}"),
    ] {
        let (code, _) = ask(format!(
            "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(code, 200, "{host}");
    }
    for (path, host) in [
        ("/", format!("rebind.example:{port}")),
        ("/__tebiki/files", format!("rebind.example:{port}")),
        ("/__tebiki/events", format!("rebind.example:{port}")),
        ("/", format!("127.0.0.1.rebind.example:{port}")),
        ("/", format!("127.0.0.1:{}", port.wrapping_add(1))),
    ] {
        let (code, text) = ask(format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(code, 403, "{path} with {host}");
        assert!(text.contains("DNS rebinding"), "{text}");
        assert!(text.contains("text/plain; charset=utf-8"), "{text}");
        assert!(!text.contains("<html"), "{text}");
    }
    // The authority of an absolute-form request target counts instead of Host.
    let (code, _) = ask(format!(
        "GET http://rebind.example:{port}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(code, 403);
    let (code, _) = ask("GET / HTTP/1.1\r\nConnection: close\r\n\r\n".to_string());
    assert_eq!(code, 400, "HTTP/1.1 requires Host");
    let (code, _) = ask("GET / HTTP/1.0\r\n\r\n".to_string());
    assert_eq!(code, 200, "HTTP/1.0 without Host is answered");
}

#[test]
fn one_keep_alive_connection_answers_request_after_request() {
    let f = Fixture::bilingual();
    let served = Served::start(&f);
    let mut stream = TcpStream::connect(("127.0.0.1", served.port)).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut took = Vec::new();
    for _ in 0..20 {
        let start = Instant::now();
        // One write, as a browser sends a request.
        let request = format!(
            "GET /guides/ai-act/ HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            served.port
        );
        stream.write_all(request.as_bytes()).expect("send");
        let mut line = String::new();
        reader.read_line(&mut line).expect("status line");
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        let mut length = 0;
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).expect("header");
            if header == "\r\n" {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().expect("length");
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).expect("body");
        assert!(String::from_utf8_lossy(&body).contains("__tebiki_livereload"));
        took.push(start.elapsed());
    }
    // Without TCP_NODELAY a response split across writes waits for the client's delayed ACK
    // (40 ms on Linux) on every request after the first. A busy machine may slow any one
    // request, never all of them: the fastest of the later ones shows whether they stall.
    let fastest = took[1..].iter().min().copied().unwrap_or_default();
    assert!(fastest < Duration::from_millis(30), "{took:?}");
}

#[test]
fn more_connections_than_the_limit_only_wait() {
    let f = Fixture::bilingual();
    let mut served = Served::start(&f);
    // Idle connections beyond the limit (256) are queued, not refused, and never stop the
    // server; once they close, requests are answered at once.
    let idle: Vec<TcpStream> = (0..300)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", served.port)).ok())
        .collect();
    assert!(idle.len() >= 256);
    assert!(served.alive());
    drop(idle);
    let start = Instant::now();
    let port = served.port;
    let workers: Vec<_> = (0..16)
        .map(|_| {
            std::thread::spawn(move || {
                (0..10)
                    .map(|_| {
                        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
                        stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
                        write!(
                            stream,
                            "GET / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
                        )
                        .expect("send");
                        let mut out = Vec::new();
                        let _ = stream.read_to_end(&mut out);
                        status(&out)
                    })
                    .collect::<Vec<u16>>()
            })
        })
        .collect();
    for worker in workers {
        assert!(worker.join().expect("worker").iter().all(|&s| s == 200));
    }
    assert!(start.elapsed() < PATIENCE);
    assert!(served.alive());
}

#[test]
fn event_streams_never_take_the_connections_pages_need() {
    let f = Fixture::bilingual();
    let mut served = Served::start(&f);
    let port = served.port;
    // More idle event streams than the server has connections: without a cap of their own,
    // they would hold every connection for as long as they stayed open.
    let flood: Vec<TcpStream> = (0..MAX_CONNECTIONS + 44)
        .map(|_| {
            let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
            write!(
                stream,
                "GET /__tebiki/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
            )
            .expect("send");
            stream
        })
        .collect();
    let start = Instant::now();
    let (code, _) = served.fetch("/");
    assert_eq!(code, 200, "a page request waited behind the event streams");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert!(served.alive());
    // Beyond the cap the oldest streams were ended (a page's script then reconnects), with
    // the end of the chunked body and a closed connection.
    assert!(flood.len() > MAX_EVENT_STREAMS + 10);
    for mut stream in flood.iter().take(10) {
        stream
            .set_read_timeout(Some(PATIENCE))
            .expect("read timeout");
        let mut out = Vec::new();
        stream
            .read_to_end(&mut out)
            .expect("the oldest streams end");
        let text = String::from_utf8_lossy(&out);
        assert!(text.starts_with("HTTP/1.1 200"), "{text}");
        assert!(text.contains("event: hello"), "{text}");
        assert!(text.ends_with("0\r\n\r\n"), "{text}");
    }
    // A page opened now, within the cap, still gets live reload.
    let events = served.events();
    f.write(
        "content/guides/ai-act.md",
        &crate::common::AI_ACT_EN.replace("established in 2025", "established in May 2025"),
    );
    events.expect("reload", &served);
    assert!(served.alive());
    drop(flood);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let f = Fixture::bilingual();
    let mut served = Served::start(&f);
    // An open event stream and an idle keep-alive connection do not hold it up.
    let mut events = TcpStream::connect(("127.0.0.1", served.port)).expect("connect");
    let request = format!(
        "GET /__tebiki/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        served.port
    );
    events.write_all(request.as_bytes()).expect("send");
    let _idle = TcpStream::connect(("127.0.0.1", served.port)).expect("connect");
    let interrupted = Command::new("kill")
        .args(["-INT", &served.child.id().to_string()])
        .status()
        .expect("kill");
    assert!(interrupted.success());
    let start = Instant::now();
    let code = loop {
        if let Ok(Some(status)) = served.child.try_wait() {
            break status.code();
        }
        assert!(start.elapsed() < PATIENCE, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(code, Some(0));
    let start = Instant::now();
    while !served.log().contains("stopped") {
        assert!(start.elapsed() < PATIENCE, "{}", served.log());
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every response with a body says its type is to be taken as given, not guessed from the
/// bytes (`nosniff`), and not cached: pages, the file list, the event stream, a missing page.
#[test]
fn every_response_is_uncached_and_not_sniffed() {
    let f = Fixture::bilingual();
    let served = Served::start(&f);
    for path in [
        "/guides/ai-act/",
        "/__tebiki/files",
        "/nope/",
        "/__tebiki/events",
    ] {
        let raw = served.exchange(
            format!(
                "HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
                served.port
            )
            .as_bytes(),
        );
        let head = String::from_utf8_lossy(&raw).to_ascii_lowercase();
        assert!(
            head.contains("x-content-type-options: nosniff")
                && head.contains("cache-control: no-store"),
            "{path}:\n{head}"
        );
    }
}
