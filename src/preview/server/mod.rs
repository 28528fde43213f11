//! `tebiki serve`: a local preview. The site is built into memory with a local `base_url`,
//! served from the last good build, and rebuilt when its sources change (`watch` finds the
//! changes, `preview` rebuilds). Served HTML gets a live-reload script that listens for
//! server-sent events: reload after a rebuild, swap stylesheets after a CSS edit, show a build
//! error over the page until it is fixed.
//!
//! HTTP is `hyper` 1.x (HTTP/1.1 only) on a two-thread `tokio` runtime. It replaced
//! `tiny_http`, whose last release is from 2022 and which allocated a request body of the size
//! the client declared, so one `Content-Length` header could abort the process. `hyper` is the
//! maintained HTTP stack most Rust preview servers build on; it gives what the preview needs:
//! streamed bodies for the event stream, keep-alive, a header size and count limit with 431,
//! 400 for a malformed request line, a header read timeout (also for idle keep-alive
//! connections), and it never reads a body the handler does not ask for.
//!
//! Limits on what a client may do: request heads up to [`MAX_HEAD`] bytes and
//! [`MAX_HEADERS`] fields; no request bodies (413, connection closed); at most
//! [`MAX_CONNECTIONS`] open connections (more wait in the listen queue), of which at most
//! [`MAX_EVENT_STREAMS`] are event streams; heads must arrive within [`HEAD_TIMEOUT`], and a
//! response the client takes none of for [`WRITE_TIMEOUT`] ends its connection. Every
//! socket has `TCP_NODELAY` set, so a response on a keep-alive connection is not held back by
//! Nagle's algorithm.
//!
//! The `Host` check against DNS rebinding is in `access`, the live-reload event streams in
//! `events`, the write timeout in `stalling`, and what answers a request in `respond`.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use hyper::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::sync::Semaphore;

use crate::diag::Style;
use crate::error::Error;
use crate::model::config;
use crate::pipeline::render::Sink as _;
use crate::preview::engine::{Preview, Update};
use crate::preview::snapshot::{MemorySink, Snapshot};
use crate::preview::watcher::{Watcher, describe};

use access::Access;
use events::Hub;
use respond::answer;
use stalling::Stalling;

mod access;
mod events;
mod respond;
mod stalling;

/// The server-sent-events endpoint the script listens on.
pub const EVENTS_PATH: &str = "/__tebiki/events";
/// Every output path of the served build, as a JSON list (for tools and tests).
pub const FILES_PATH: &str = "/__tebiki/files";
/// The `id` of the injected script element, so tools can strip it.
pub const SCRIPT_ID: &str = "__tebiki_livereload";
/// The largest request head (request line and headers), in bytes; larger ones get 431.
pub const MAX_HEAD: usize = 16 * 1024;
/// The most header fields a request may have; more get 431.
pub const MAX_HEADERS: usize = 64;
/// The most connections served at once (event streams included); more wait to be accepted.
pub const MAX_CONNECTIONS: usize = 256;
/// The most live-reload event streams open at once, one per open page; a new stream beyond
/// it ends the oldest. Far more than a writer's tabs (a browser opens about 6 connections per
/// host, streams included), and a quarter of [`MAX_CONNECTIONS`]: streams always leave the
/// rest to page requests.
pub const MAX_EVENT_STREAMS: usize = 64;
// Streams must never be able to take every connection.
const _: () = assert!(MAX_EVENT_STREAMS < MAX_CONNECTIONS);
/// How long a connection may take to send a request head, or stay idle between requests.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a response may wait for the client to take any of it. A client that asks for a
/// large file and never reads would otherwise hold its connection for good, and enough such
/// clients every connection.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// What `tebiki serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// `None`: `[serve] port` from book.toml. `Some(0)`: any free port.
    pub port: Option<u16>,
    pub bind: IpAddr,
    pub open: bool,
}

/// What every connection shares: the build being served, the event streams, and which
/// `Host` values are this server.
struct State {
    snapshot: RwLock<Arc<Snapshot>>,
    hub: Mutex<Hub>,
    access: Access,
    /// The site's folder, for the review view (none when serving files alone).
    root: Option<PathBuf>,
}

impl State {
    fn new(snapshot: Arc<Snapshot>, access: Access, root: Option<PathBuf>) -> Self {
        State {
            snapshot: RwLock::new(snapshot),
            hub: Mutex::default(),
            access,
            root,
        }
    }

    fn lock_hub(&self) -> std::sync::MutexGuard<'_, Hub> {
        self.hub.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The snapshot served now and the generation its pages carry, taken together: a page
    /// must never carry a newer generation than its content, or the reload that brings the
    /// new content would be taken as already seen.
    fn current(&self) -> (Arc<Snapshot>, u64) {
        let hub = self.lock_hub();
        (self.snapshot(), hub.generation)
    }

    /// Puts `snapshot` in the served one's place; returns the one it replaces.
    fn replace(&self, snapshot: Arc<Snapshot>) -> Arc<Snapshot> {
        std::mem::replace(
            &mut *self
                .snapshot
                .write()
                .unwrap_or_else(PoisonError::into_inner),
            snapshot,
        )
    }

    /// Serves `snapshot` from now on and tells every page to reload.
    fn publish(&self, snapshot: Arc<Snapshot>) {
        let mut hub = self.lock_hub();
        let old = self.replace(snapshot);
        hub.generation += 1;
        hub.error = None;
        let generation = hub.generation.to_string();
        hub.broadcast("reload", &generation);
        drop(hub);
        // Freeing the last snapshot's files takes a while: not while requests wait for it.
        drop(old);
    }

    /// Serves `snapshot` from now on without telling the pages: after a failed build, the
    /// last good site less the files that build leaves out.
    fn keep(&self, snapshot: Arc<Snapshot>) {
        drop(self.replace(snapshot));
    }

    fn fail(&self, text: String) {
        let mut hub = self.lock_hub();
        let data = serde_json::Value::from(text.as_str()).to_string();
        hub.error = Some(text);
        hub.broadcast("build-error", &data);
    }

    /// Tells every page to reload without a new build (files served from disk changed), or
    /// only to fetch its stylesheets again.
    fn notify(&self, event: &str) {
        let mut hub = self.lock_hub();
        if hub.error.is_none() {
            hub.generation += 1;
            let generation = hub.generation.to_string();
            hub.broadcast(event, &generation);
        }
    }
}

/// Runs the preview server until Ctrl-C.
pub fn serve(options: &ServeOptions) -> Result<u8, Error> {
    let port = match options.port {
        Some(port) => port,
        None => config::load(&options.root).map_err(Error::Content)?.port,
    };
    let listener = bind(options.bind, port)?;
    let port = listener.local_addr().map_or(port, |addr| addr.port());
    let access = Access {
        bind: options.bind,
        port,
    };
    let url = access.base_url();
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}, which other machines may reach; the preview is meant for \
             this machine only (the default is --bind 127.0.0.1)",
            options.bind
        );
    }

    // Watch before the first build, so that no change made during it is missed.
    let mut watcher = Watcher::new(&options.root)?;
    let root = watcher.root().to_path_buf();
    let mut preview = Preview::new(root.clone(), url.clone());
    let state = Arc::new(State::new(Arc::default(), access, Some(root.clone())));
    let started = Instant::now();
    match preview.full() {
        Ok(Update::Rebuilt {
            snapshot, warnings, ..
        }) => {
            state.publish(snapshot);
            crate::diag::eprint_warnings(&root, &warnings);
            // Counted as `tebiki build` counts: pages, not every list and tag page; drafts,
            // which `build` leaves out, apart.
            let (pages, drafts) = preview.pages();
            let s = if pages == 1 { "" } else { "s" };
            let drafts = match drafts {
                0 => String::new(),
                1 => " and 1 draft".to_string(),
                n => format!(" and {n} drafts"),
            };
            eprintln!(
                "built {pages} page{s}{drafts} in {} ms",
                started.elapsed().as_millis()
            );
        }
        Ok(_) => {}
        Err(e) => {
            let text = e.render(&root, None, Style::Plain);
            eprintln!("{text}");
            state.fail(text);
        }
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("tebiki-http")
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the server: {e}")))?;
    let listener = {
        let _entered = runtime.enter();
        listener
            .set_nonblocking(true)
            .and_then(|()| tokio::net::TcpListener::from_std(listener))
            .map_err(|e| Error::Usage(format!("cannot serve on {url}: {e}")))?
    };
    runtime.spawn(accept(listener, state.clone()));
    {
        let state = state.clone();
        watcher.watch_git(preview.git_dates());
        std::thread::spawn(move || {
            while let Some(changed) = watcher.next_batch() {
                rebuild(&mut preview, &state, &changed);
                // book.toml may have turned `[build] git_dates` on or off.
                watcher.watch_git(preview.git_dates());
            }
        });
    }

    let (stop_tx, stop) = channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .map_err(|e| Error::Usage(format!("cannot handle Ctrl-C: {e}")))?;
    eprintln!("serving {url} (Ctrl-C to stop)");
    if options.open {
        open_browser(&url);
    }
    let _ = stop.recv();
    runtime.shutdown_background();
    eprintln!("stopped");
    Ok(0)
}

/// Binds the port, or explains that it is taken and which one is free.
fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, Error> {
    let addr = SocketAddr::new(ip, port);
    TcpListener::bind(addr).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            let free = (port.saturating_add(1)..=port.saturating_add(50))
                .find(|&p| TcpListener::bind(SocketAddr::new(ip, p)).is_ok());
            let hint = free.map_or_else(
                || "choose another with --port".to_string(),
                |p| format!("try `tebiki serve --port {p}`"),
            );
            Error::Usage(format!("port {port} on {ip} is already in use; {hint}"))
        } else {
            Error::Usage(format!("cannot serve on {addr}: {e}"))
        }
    })
}

/// Accepts connections, at most [`MAX_CONNECTIONS`] at a time, each served on its own task.
async fn accept(listener: tokio::net::TcpListener, state: Arc<State>) {
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors, or a connection reset before it was accepted:
                // wait a moment rather than spin.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let state = state.clone();
        tokio::spawn(async move {
            connection(TokioIo::new(Stalling::new(stream, WRITE_TIMEOUT)), state).await;
            drop(permit);
        });
    }
}

/// Serves one connection (HTTP/1.1, keep-alive) until the client closes it or breaks a limit.
async fn connection<I>(io: I, state: Arc<State>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let response = answer(&state, &request);
        async move { Ok::<_, Infallible>(response) }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .half_close(true)
        .header_read_timeout(HEAD_TIMEOUT)
        .max_header_size(MAX_HEAD)
        .max_headers(MAX_HEADERS)
        .serve_connection(io, service)
        .await;
}

/// Answers one raw HTTP/1.1 exchange against a site made of `files`, as the server does, and
/// returns the bytes sent back (for fuzzing and tests; this server is `127.0.0.1:1111`).
#[doc(hidden)]
pub fn answer_raw(files: &[(&str, &[u8])], request: &[u8]) -> Vec<u8> {
    let sink = MemorySink::new();
    for (path, bytes) in files {
        let _ = sink.put(path, bytes);
    }
    let access = Access {
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 1111,
    };
    let state = Arc::new(State::new(Arc::new(sink.finish()), access, None));
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return Vec::new();
    };
    runtime.block_on(async {
        let (client, server) = tokio::io::duplex(64 * 1024);
        let task = tokio::spawn(connection(TokioIo::new(server), state));
        let (mut read, mut write) = tokio::io::split(client);
        let mut out = Vec::new();
        let exchange = async {
            let _ = write.write_all(request).await;
            let _ = write.shutdown().await;
            let _ = read.read_to_end(&mut out).await;
        };
        let _ = tokio::time::timeout(Duration::from_millis(250), exchange).await;
        task.abort();
        out
    })
}

/// Applies one batch of changes and tells the browsers; prints one line.
fn rebuild(preview: &mut Preview, state: &State, changed: &[String]) {
    let started = Instant::now();
    let why = describe(changed);
    let result = preview.update(changed);
    let ms = started.elapsed().as_millis();
    match result {
        Ok(Update::Rebuilt {
            snapshot,
            rendered,
            full,
            warnings,
        }) => {
            state.publish(snapshot);
            crate::diag::eprint_warnings(preview.root(), &warnings);
            let how = if full { "full rebuild" } else { "incremental" };
            let s = if rendered == 1 { "" } else { "s" };
            eprintln!("{why}: {rendered} page{s} re-rendered ({how}) in {ms} ms");
        }
        Ok(Update::Styles) => {
            state.notify("css");
            eprintln!("{why}: stylesheets swapped in {ms} ms");
        }
        Ok(Update::Assets) => {
            state.notify("reload");
            eprintln!("{why}: reloaded in {ms} ms");
        }
        Ok(Update::Nothing) => eprintln!("{why}: nothing to rebuild"),
        Err(e) => {
            let text = e.render(preview.root(), None, Style::Plain);
            eprintln!("{text}");
            eprintln!("{why}: build failed in {ms} ms; still serving the last good build");
            let kept = preview.snapshot();
            if !Arc::ptr_eq(&kept, &state.snapshot()) {
                state.keep(kept);
            }
            state.fail(text);
        }
    }
}

/// Opens `url` in the desktop's browser; a failure is only a warning.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("warning: cannot open a browser with `{opener}`: {e}; open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &[(&str, &[u8])] = &[
        ("index.html", b"<html><body>home</body></html>"),
        ("guides/index.html", b"<html><body>guides</body></html>"),
        ("404.html", b"<html><body>missing</body></html>"),
    ];

    fn status(raw: &[u8]) -> u16 {
        let text = String::from_utf8_lossy(raw);
        text.split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    }

    fn get(head: &str) -> u16 {
        status(&answer_raw(SITE, head.as_bytes()))
    }

    #[test]
    fn hostile_requests_get_a_status() {
        let ok = "GET / HTTP/1.1\r\nHost: 127.0.0.1:1111\r\n\r\n";
        assert_eq!(get(ok), 200);
        assert_eq!(
            get("GET / HTTP/1.1\r\nHost: evil.example:1111\r\n\r\n"),
            403
        );
        assert_eq!(
            get("GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1:1111\r\n\r\n"),
            403
        );
        assert_eq!(get("GET / HTTP/1.1\r\n\r\n"), 400);
        assert_eq!(get("GET / HTTP/1.0\r\n\r\n"), 200);
        assert_eq!(
            get("GET / HTTP/1.1\r\nHost: 127.0.0.1:1111\r\nHost: evil\r\n\r\n"),
            400
        );
        assert_eq!(
            get("GET / HTTP/1.1\r\nHost: 127.0.0.1:1111\r\nContent-Length: 99999999999\r\n\r\n"),
            413
        );
        assert_eq!(
            get("GET / HTTP/1.1\r\nHost: 127.0.0.1:1111\r\nTransfer-Encoding: chunked\r\n\r\n"),
            413
        );
        assert_eq!(
            get("POST / HTTP/1.1\r\nHost: 127.0.0.1:1111\r\nContent-Length: 5\r\n\r\nhello"),
            405
        );
        let raw = answer_raw(
            SITE,
            b"GET /\xff\xfe HTTP/1.1\r\nHost: 127.0.0.1:1111\r\n\r\n",
        );
        assert_eq!(status(&raw), 400);
        let raw = answer_raw(
            SITE,
            b"G\xc3\x89T / HTTP/1.1\r\nHost: 127.0.0.1:1111\r\n\r\n",
        );
        assert_eq!(status(&raw), 400);
        let many: String = (0..100).map(|i| format!("X-{i}: {i}\r\n")).collect();
        assert_eq!(
            get(&format!(
                "GET / HTTP/1.1\r\nHost: 127.0.0.1:1111\r\n{many}\r\n"
            )),
            431
        );
        let long = "a".repeat(MAX_HEAD);
        assert_eq!(
            get(&format!(
                "GET / HTTP/1.1\r\nHost: 127.0.0.1:1111\r\nX: {long}\r\n\r\n"
            )),
            431
        );
        assert_eq!(
            get("GET /guides HTTP/1.1\r\nHost: localhost:1111\r\n\r\n"),
            301
        );
        assert_eq!(
            get("GET /nope HTTP/1.1\r\nHost: localhost:1111\r\n\r\n"),
            404
        );
    }

    #[test]
    fn keep_alive_answers_several_requests_on_one_connection() {
        let one = "GET / HTTP/1.1\r\nHost: 127.0.0.1:1111\r\n\r\n";
        let raw = answer_raw(SITE, one.repeat(3).as_bytes());
        let text = String::from_utf8_lossy(&raw);
        assert_eq!(text.matches("HTTP/1.1 200 OK").count(), 3, "{text}");
    }
}
