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
//! An event stream holds its connection for as long as its page is open and never idles long
//! enough to time out: counted only against the connection limit, enough streams (from a
//! local process, or over the network with `--bind 0.0.0.0`) would hold every connection, and
//! page requests would wait until they closed. A new stream beyond the cap ends the oldest
//! rather than being refused: `EventSource` reconnects after a stream ends but gives up on an
//! error status, and the oldest is the likeliest to belong to a page already closed. The
//! stream's response carries `Connection: close`, so an ended stream frees its connection at
//! once instead of idling in keep-alive.
//!
//! DNS rebinding: a request is answered only if its `Host` (or the authority of an
//! absolute-form request target) names this server: `localhost`, `127.0.0.1`, the bound
//! address, or `[::1]` when bound to IPv6, with the served port or none (a browser always
//! sends the port; the name is what a rebinding attack changes). When bound to all
//! interfaces (`0.0.0.0`, `::`), any IP address is accepted too: an IP address cannot be
//! rebound, and it is how other machines reach the preview. Anything else gets 403. HTTP/1.1
//! requires `Host` (400 without it); an HTTP/1.0 request without `Host` is answered, as no
//! browser sends one.

use std::convert::Infallible;
use std::future::Future as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper::body::{Body as HttpBody, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode, Version};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::sync::{Semaphore, mpsc};

use crate::diag::Style;
use crate::error::Error;
use crate::model::config;
use crate::model::url::percent_decode;
use crate::pipeline::render::Sink as _;
use crate::preview::engine::{Preview, Update};
use crate::preview::review::{self, REVIEW_PATH};
use crate::preview::snapshot::{Body, MemorySink, Snapshot};
use crate::preview::watcher::{Watcher, describe};

/// The live-reload script, injected before `</body>` of every served HTML page.
const LIVERELOAD: &str = include_str!("livereload.js");
/// The server-sent-events endpoint the script listens on.
pub const EVENTS_PATH: &str = "/__tebiki/events";
/// Every output path of the served build, as a JSON list (for tools and tests).
pub const FILES_PATH: &str = "/__tebiki/files";
/// The `id` of the injected script element, so tools can strip it.
pub const SCRIPT_ID: &str = "__tebiki_livereload";
/// A comment sent on idle event streams, so closed ones are noticed and dropped.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
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
/// Events waiting for one slow page; a page that falls this far behind is disconnected (its
/// script reconnects and reloads).
const EVENT_QUEUE: usize = 64;

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

/// The live-reload side: who listens, and what a new listener must be told.
#[derive(Default)]
struct Hub {
    clients: Vec<mpsc::Sender<String>>,
    /// Counts the builds served; a page built before the latest one reloads on connecting.
    generation: u64,
    /// The text of the current build error, shown over every page until fixed.
    error: Option<String>,
}

impl Hub {
    /// Sends an event to every page; a page whose queue is full or closed is dropped.
    fn broadcast(&mut self, event: &str, data: &str) {
        let message = sse(event, data);
        self.clients.retain(|c| c.try_send(message.clone()).is_ok());
    }

    /// Adds a page's stream. Beyond [`MAX_EVENT_STREAMS`], the oldest ones are dropped, which
    /// ends their streams and closes their connections; closed ones go first.
    fn join(&mut self, client: mpsc::Sender<String>) {
        self.clients.retain(|c| !c.is_closed());
        let excess = (self.clients.len() + 1).saturating_sub(MAX_EVENT_STREAMS);
        self.clients.drain(..excess);
        self.clients.push(client);
    }

    fn hello(&self) -> String {
        let state = serde_json::json!({"generation": self.generation, "error": self.error});
        sse("hello", &state.to_string())
    }
}

/// One server-sent event; `data` must be a single line.
fn sse(event: &str, data: &str) -> String {
    format!("event: {event}\ndata: {data}\n\n")
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

/// The names a request may use for this server (its `Host`), against DNS rebinding.
#[derive(Debug, Clone, Copy)]
struct Access {
    bind: IpAddr,
    port: u16,
}

impl Access {
    /// Whether `host` (`name[:port]` or `[v6][:port]`) is this server.
    fn allows(&self, host: &str) -> bool {
        let Some((name, port, bracketed)) = split_host(host) else {
            return false;
        };
        // Browsers always send the port (unless 80); a tool may leave it out.
        if port.is_some_and(|port| port != self.port) {
            return false;
        }
        if !bracketed && name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let ip = match name.parse::<IpAddr>() {
            Ok(ip @ IpAddr::V6(_)) if bracketed => ip,
            Ok(ip @ IpAddr::V4(_)) if !bracketed => ip,
            _ => return false,
        };
        ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
            || ip == self.bind
            || (self.bind.is_ipv6() && ip == IpAddr::V6(Ipv6Addr::LOCALHOST))
            || self.bind.is_unspecified()
    }

    /// The base URL the site is built with: the bound address, `127.0.0.1` when bound to all.
    fn base_url(&self) -> String {
        let host = match self.bind {
            ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}/", SocketAddr::new(host, self.port))
    }

    /// The base URL as another machine reaches the server by `host` (`192.0.2.2:1111`), when
    /// that is not the one the site is built with: its pages' links are then written with it,
    /// or they would lead that machine's browser to its own `127.0.0.1`. Only when bound beyond
    /// loopback; `host` has passed [`Access::allows`].
    fn base_for(&self, host: &str) -> Option<String> {
        if self.bind.is_loopback() {
            return None;
        }
        let theirs = format!("http://{host}/");
        (theirs != self.base_url()).then_some(theirs)
    }

    /// The addresses to name in a refusal.
    fn names(&self) -> String {
        let port = self.port;
        format!("http://localhost:{port}/ or http://127.0.0.1:{port}/")
    }
}

/// `name[:port]` → name, port, whether the name was in brackets. `None` when malformed.
fn split_host(host: &str) -> Option<(&str, Option<u16>, bool)> {
    let (name, rest, bracketed) = match host.strip_prefix('[') {
        Some(inner) => {
            let (name, rest) = inner.split_once(']')?;
            (name, rest, true)
        }
        None => match host.find(':') {
            Some(at) => (&host[..at], &host[at..], false),
            None => (host, "", false),
        },
    };
    let port = match rest {
        "" => None,
        rest => {
            let digits = rest.strip_prefix(':')?;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some(digits.parse().ok()?)
        }
    };
    Some((name, port, bracketed))
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

/// A connection whose writes fail once they have waited `limit` for the client to read: hyper
/// has a timeout for reading a request head, none for a client that stops reading.
struct Stalling<S> {
    inner: S,
    limit: Duration,
    /// Started when a write first has to wait; dropped when one goes through.
    waiting: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<S> Stalling<S> {
    fn new(inner: S, limit: Duration) -> Self {
        Stalling {
            inner,
            limit,
            waiting: None,
        }
    }

    /// `poll` of a write, failed once it has waited longer than the limit.
    fn guard<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: impl FnOnce(Pin<&mut S>, &mut Context<'_>) -> Poll<std::io::Result<T>>,
    ) -> Poll<std::io::Result<T>>
    where
        S: Unpin,
    {
        match poll(Pin::new(&mut self.inner), cx) {
            Poll::Ready(result) => {
                self.waiting = None;
                Poll::Ready(result)
            }
            Poll::Pending => {
                let limit = self.limit;
                let waiting = self
                    .waiting
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
                match waiting.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the client took none of the response",
                    ))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

impl<S: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for Stalling<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for Stalling<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.get_mut()
            .guard(cx, |inner, cx| inner.poll_write(cx, buf))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.get_mut().guard(cx, |inner, cx| inner.poll_flush(cx))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
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

/// Where a request path leads in the served build.
#[derive(Debug, PartialEq, Eq)]
enum Resolved {
    /// An output path.
    File(String),
    /// `/dir` for a folder with an index: send the browser to `/dir/`.
    Redirect(String),
    NotFound,
}

/// Maps a request URL to an output path. Only paths the build produced can be found: the
/// decoded path is looked up, never joined to a directory, and `.`/`..` segments are refused.
fn resolve(snapshot: &Snapshot, url: &str) -> Resolved {
    let raw = url.split(['?', '#']).next().unwrap_or("");
    let path = percent_decode(raw);
    let Some(rel) = path.strip_prefix('/') else {
        return Resolved::NotFound;
    };
    if rel
        .split('/')
        .any(|s| s == "." || s == ".." || s.contains(['\\', '\0']))
    {
        return Resolved::NotFound;
    }
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return match snapshot.get(&index) {
            Some(_) => Resolved::File(index),
            None => Resolved::NotFound,
        };
    }
    if snapshot.get(rel).is_some() {
        return Resolved::File(rel.to_string());
    }
    if snapshot.get(&format!("{rel}/index.html")).is_some() {
        let query = url.find('?').map_or("", |i| &url[i..]);
        return Resolved::Redirect(format!("{raw}/{query}"));
    }
    Resolved::NotFound
}

/// The answer to one request. Checks come first, in this order: a `Host` that is not this
/// server (403), a method other than GET and HEAD (405), a request body (413).
fn answer<B: HttpBody>(state: &State, request: &Request<B>) -> Response<Reply> {
    let has_body = !request.body().is_end_stream();
    let mut response = match check_host(&state.access, request) {
        Some(refusal) => refusal,
        None => answer_checked(state, request, has_body),
    };
    if has_body {
        // The body is never read: the connection cannot carry another request.
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

fn answer_checked<B>(state: &State, request: &Request<B>, has_body: bool) -> Response<Reply> {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut response = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "405 method not allowed: the preview only answers GET and HEAD\n".into(),
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    if has_body {
        return plain(
            StatusCode::PAYLOAD_TOO_LARGE,
            "413 content too large: the preview takes no request bodies\n".into(),
        );
    }
    let path = request.uri().path();
    let target = request
        .uri()
        .path_and_query()
        .map_or(path, |pq| pq.as_str());
    if path == EVENTS_PATH {
        let mut response = Response::new(if request.method() == Method::HEAD {
            Reply::Full(None)
        } else {
            Reply::Events(events(state))
        });
        set(
            &mut response,
            header::CONTENT_TYPE,
            "text/event-stream; charset=utf-8",
        );
        set(&mut response, header::CACHE_CONTROL, "no-store");
        // A stream ended to make room for a newer one must free its connection, not leave it
        // idle in keep-alive.
        set(&mut response, header::CONNECTION, "close");
        return response;
    }
    let review_root = REVIEW_PATH.trim_end_matches('/');
    if let Some(root) = &state.root
        && (path == review_root || path.starts_with(REVIEW_PATH))
    {
        let rest = percent_decode(path.get(REVIEW_PATH.len()..).unwrap_or(""));
        let (status, html) = review::answer(root, &rest);
        let generation = state.lock_hub().generation;
        let mut response = Response::new(Reply::bytes(inject(html.as_bytes(), generation)));
        *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
        set(
            &mut response,
            header::CONTENT_TYPE,
            "text/html; charset=utf-8",
        );
        set(&mut response, header::CACHE_CONTROL, "no-store");
        set(&mut response, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
        return response;
    }
    let (snapshot, generation) = state.current();
    if path == FILES_PATH {
        let list = serde_json::Value::from(snapshot.paths()).to_string();
        let mut response = Response::new(Reply::bytes(list));
        set(
            &mut response,
            header::CONTENT_TYPE,
            "application/json; charset=utf-8",
        );
        set(&mut response, header::CACHE_CONTROL, "no-store");
        return response;
    }
    let (status, rel) = match resolve(&snapshot, target) {
        Resolved::File(rel) => (StatusCode::OK, rel),
        Resolved::Redirect(location) => {
            let mut response = Response::new(Reply::Full(None));
            *response.status_mut() = StatusCode::MOVED_PERMANENTLY;
            if let Ok(location) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            set(&mut response, header::CACHE_CONTROL, "no-store");
            return response;
        }
        Resolved::NotFound => (StatusCode::NOT_FOUND, "404.html".to_string()),
    };
    let bytes = match snapshot.get(&rel).map(read_body) {
        Some(Ok(bytes)) => bytes,
        _ => {
            // No build yet (the first one failed), no 404 page, or a served file gone from
            // disk: a bare page that still carries the live-reload script, so the error
            // overlay shows. Titled by the status it is sent with, whatever was asked.
            let page = format!(
                "<!doctype html><html><head><meta charset=\"utf-8\"><title>{}</title></head><body><p>{}</p></body></html>",
                StatusCode::NOT_FOUND.as_u16(),
                if status == StatusCode::NOT_FOUND {
                    "Not found."
                } else {
                    "This file cannot be read."
                }
            );
            let mut response = Response::new(Reply::bytes(inject(page.as_bytes(), generation)));
            *response.status_mut() = StatusCode::NOT_FOUND;
            set(
                &mut response,
                header::CONTENT_TYPE,
                "text/html; charset=utf-8",
            );
            set(&mut response, header::CACHE_CONTROL, "no-store");
            return response;
        }
    };
    let content_type = content_type(&rel);
    let rebased = request_host(request)
        .and_then(|host| state.access.base_for(host))
        .filter(|_| content_type.contains("charset"))
        .and_then(|theirs| {
            let text = std::str::from_utf8(&bytes).ok()?;
            Some(text.replace(&state.access.base_url(), &theirs).into_bytes())
        });
    let html = content_type.starts_with("text/html");
    let body = match rebased {
        Some(text) if html => Reply::bytes(inject(&text, generation)),
        Some(text) => Reply::bytes(text),
        None if html => Reply::bytes(inject(&bytes, generation)),
        None => Reply::bytes(Bytes::from_owner(bytes)),
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    set(&mut response, header::CONTENT_TYPE, content_type);
    set(&mut response, header::CACHE_CONTROL, "no-store");
    set(&mut response, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    response
}

/// The server as the request names it: the authority of an absolute-form target, else `Host`.
fn request_host<B>(request: &Request<B>) -> Option<&str> {
    match request.uri().authority() {
        Some(authority) => Some(authority.as_str()),
        None => request.headers().get(header::HOST)?.to_str().ok(),
    }
}

/// `None` when the request names this server; otherwise the refusal: 403 for another name,
/// 400 for a missing (HTTP/1.1) or repeated `Host`. The authority of an absolute-form target
/// (`GET http://host/ HTTP/1.1`) counts instead of `Host`, as RFC 9112 says.
fn check_host<B>(access: &Access, request: &Request<B>) -> Option<Response<Reply>> {
    let host = match request.uri().authority() {
        Some(authority) => Some(authority.as_str()),
        None => {
            let mut hosts = request.headers().get_all(header::HOST).iter();
            let first = hosts.next();
            if hosts.next().is_some() {
                return Some(plain(
                    StatusCode::BAD_REQUEST,
                    "400 bad request: more than one Host header\n".into(),
                ));
            }
            first.map(|value| value.to_str().unwrap_or(""))
        }
    };
    match host {
        Some(host) if access.allows(host) => None,
        Some(host) => Some(plain(
            StatusCode::FORBIDDEN,
            format!(
                "403 forbidden: this preview answers only requests addressed to {}, not to \
                 `{}` (other names are refused to protect it from DNS rebinding)\n",
                access.names(),
                printable(host)
            ),
        )),
        None if request.version() <= Version::HTTP_10 => None,
        None => Some(plain(
            StatusCode::BAD_REQUEST,
            "400 bad request: an HTTP/1.1 request needs a Host header\n".into(),
        )),
    }
}

/// `text` shortened and limited to printable ASCII, to quote a client's header back.
fn printable(text: &str) -> String {
    let mut out: String = text
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(100)
        .collect();
    if text.len() > out.len() {
        out.push('…');
    }
    out
}

/// A plain-text answer.
fn plain(status: StatusCode, text: String) -> Response<Reply> {
    let mut response = Response::new(Reply::bytes(text));
    *response.status_mut() = status;
    set(
        &mut response,
        header::CONTENT_TYPE,
        "text/plain; charset=utf-8",
    );
    set(&mut response, header::CACHE_CONTROL, "no-store");
    set(&mut response, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    response
}

fn set(response: &mut Response<Reply>, name: header::HeaderName, value: &'static str) {
    response
        .headers_mut()
        .insert(name, HeaderValue::from_static(value));
}

/// A response body: all of it at once, or a page's event stream.
enum Reply {
    Full(Option<Bytes>),
    Events(EventStream),
}

impl Reply {
    fn bytes(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        Reply::Full((!bytes.is_empty()).then_some(bytes))
    }
}

impl HttpBody for Reply {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Reply::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Reply::Events(events) => events.poll_next(cx).map(|m| m.map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Reply::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Reply::Full(bytes) => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            Reply::Events(_) => SizeHint::default(),
        }
    }
}

/// Server-sent events for one page: what the hub sends, and a comment when it is quiet.
struct EventStream {
    events: mpsc::Receiver<String>,
    idle: Pin<Box<tokio::time::Sleep>>,
}

/// Registers a new page with the hub; its stream starts with the reconnect delay and `hello`.
fn events(state: &State) -> EventStream {
    let mut hub = state.lock_hub();
    let (tx, rx) = mpsc::channel(EVENT_QUEUE);
    let _ = tx.try_send(format!("retry: 500\n\n{}", hub.hello()));
    hub.join(tx);
    EventStream {
        events: rx,
        idle: Box::pin(tokio::time::sleep(KEEP_ALIVE)),
    }
}

impl EventStream {
    fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        if let Poll::Ready(message) = self.events.poll_recv(cx) {
            self.idle
                .as_mut()
                .reset(tokio::time::Instant::now() + KEEP_ALIVE);
            return Poll::Ready(message.map(Bytes::from));
        }
        if self.idle.as_mut().poll(cx).is_ready() {
            self.idle
                .as_mut()
                .reset(tokio::time::Instant::now() + KEEP_ALIVE);
            return Poll::Ready(Some(Bytes::from_static(b": keep-alive\n\n")));
        }
        Poll::Pending
    }
}

/// A served file's bytes. Files on disk are read now, and only if they are still regular
/// files: a symlink put in their place is not followed.
fn read_body(body: &Body) -> std::io::Result<Arc<[u8]>> {
    match body {
        Body::Bytes(packed) => Ok(packed.bytes()),
        Body::File(path) => {
            if !std::fs::symlink_metadata(path)?.file_type().is_file() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "not a regular file",
                ));
            }
            Ok(std::fs::read(path)?.into())
        }
    }
}

/// The live-reload script, put before the last `</body>` (or at the end).
fn inject(html: &[u8], generation: u64) -> Vec<u8> {
    let script = format!(
        "<script id=\"{SCRIPT_ID}\" data-generation=\"{generation}\">{LIVERELOAD}</script>"
    );
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The `Content-Type` of an output file, `charset=utf-8` for text.
fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    if path.rsplit('/').next() == Some("atom.xml") {
        return "application/atom+xml; charset=utf-8";
    }
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_that_stops_reading_loses_its_connection_one_that_reads_slowly_does_not() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let limit = Duration::from_millis(100);
            let big = vec![b'x'; 1 << 20];
            // Never read: the write gives up after the limit, not never.
            let (_client, server) = tokio::io::duplex(4096);
            let mut stalled = Stalling::new(server, limit);
            let started = Instant::now();
            let result = stalled.write_all(&big).await;
            let error = result.expect_err("a write nobody reads fails");
            assert_eq!(error.kind(), std::io::ErrorKind::TimedOut);
            assert!(started.elapsed() < Duration::from_secs(5));
            // Read slowly, each wait shorter than the limit: everything arrives.
            let (mut client, server) = tokio::io::duplex(64 * 1024);
            let reader = tokio::spawn(async move {
                let mut got = Vec::new();
                let mut chunk = vec![0; 64 * 1024];
                loop {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    match client.read(&mut chunk).await {
                        Ok(0) | Err(_) => return got.len(),
                        Ok(n) => got.extend_from_slice(&chunk[..n]),
                    }
                }
            });
            let mut slow = Stalling::new(server, limit);
            slow.write_all(&big)
                .await
                .expect("a reading client gets it all");
            slow.shutdown().await.expect("shutdown");
            drop(slow);
            assert_eq!(reader.await.expect("reader"), big.len());
        });
    }
    use crate::pipeline::render::Sink;
    use crate::preview::snapshot::MemorySink;

    fn snapshot() -> Snapshot {
        let sink = MemorySink::new();
        for path in [
            "index.html",
            "guides/index.html",
            "guides/a/index.html",
            "style.css",
        ] {
            sink.put(path, b"x").expect("put");
        }
        sink.finish()
    }

    #[test]
    fn resolves_indexes_redirects_and_refuses_traversal() {
        let s = snapshot();
        assert_eq!(resolve(&s, "/"), Resolved::File("index.html".into()));
        assert_eq!(
            resolve(&s, "/guides/a/"),
            Resolved::File("guides/a/index.html".into())
        );
        assert_eq!(
            resolve(&s, "/style.css?v=2"),
            Resolved::File("style.css".into())
        );
        assert_eq!(
            resolve(&s, "/guides"),
            Resolved::Redirect("/guides/".into())
        );
        assert_eq!(
            resolve(&s, "/guides?x=1"),
            Resolved::Redirect("/guides/?x=1".into())
        );
        for bad in [
            "/../book.toml",
            "/%2e%2e/book.toml",
            "/guides/%2E%2E/index.html",
            "/./index.html",
            "/missing",
        ] {
            assert_eq!(resolve(&s, bad), Resolved::NotFound, "{bad}");
        }
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out =
            String::from_utf8(inject(b"<html><body><p>x</p></body></html>", 3)).expect("utf-8");
        assert!(out.starts_with(
            "<html><body><p>x</p><script id=\"__tebiki_livereload\" data-generation=\"3\">"
        ));
        assert!(out.ends_with("</script></body></html>"));
    }

    #[test]
    fn event_streams_beyond_the_cap_end_the_oldest_closed_ones_first() {
        use tokio::sync::mpsc::error::TryRecvError;
        fn ended(page: &mut Option<mpsc::Receiver<String>>) -> bool {
            page.as_mut()
                .is_some_and(|rx| rx.try_recv() == Err(TryRecvError::Disconnected))
        }
        let mut hub = Hub::default();
        let mut pages = Vec::new();
        for _ in 0..MAX_EVENT_STREAMS + 5 {
            let (tx, rx) = mpsc::channel(EVENT_QUEUE);
            hub.join(tx);
            pages.push(Some(rx));
        }
        assert_eq!(hub.clients.len(), MAX_EVENT_STREAMS);
        assert!(pages[..5].iter_mut().all(ended));
        assert!(!pages[5..].iter_mut().any(ended));
        // A page that went away makes room before any open one is ended.
        pages[20] = None;
        let (tx, _rx) = mpsc::channel(EVENT_QUEUE);
        hub.join(tx);
        assert_eq!(hub.clients.len(), MAX_EVENT_STREAMS);
        assert!(!pages[5..].iter_mut().any(ended));
    }

    #[test]
    fn a_served_file_gone_from_disk_is_a_404_page_titled_404() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("report.pdf");
        std::fs::write(&file, "%PDF-1.4\n").expect("write");
        let sink = MemorySink::new();
        sink.copy("report.pdf", &file).expect("copy");
        std::fs::remove_file(&file).expect("remove");
        let access = Access {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
        };
        let state = State::new(Arc::new(sink.finish()), access, None);
        let request = Request::builder()
            .uri("/report.pdf")
            .header(header::HOST, "127.0.0.1:1111")
            .body(String::new())
            .expect("request");
        let response = answer(&state, &request);
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let Reply::Full(Some(body)) = response.body() else {
            panic!("no page");
        };
        let page = String::from_utf8_lossy(body);
        assert!(
            page.contains("<title>404</title>") && page.contains("This file cannot be read."),
            "{page}"
        );
    }

    #[test]
    fn text_types_carry_a_charset() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(
            content_type("ja/atom.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(content_type("chart.PNG"), "image/png");
    }
}

#[cfg(test)]
mod http_tests {
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
    fn hosts_that_name_this_server() {
        let access = Access {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
        };
        for ok in [
            "localhost:1111",
            "LOCALHOST:1111",
            "127.0.0.1:1111",
            "127.0.0.1",
        ] {
            assert!(access.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "127.0.0.1:1112",
            "localhost:",
            "localhost:+1111",
            "[::1]:1111",
            "[localhost]:1111",
            "127.0.0.1.nip.io:1111",
            "user@localhost:1111",
            "",
            "[",
            "::1",
        ] {
            assert!(!access.allows(bad), "{bad}");
        }
        let v6 = Access {
            bind: IpAddr::V6(Ipv6Addr::LOCALHOST),
            port: 8080,
        };
        assert!(v6.allows("[::1]:8080") && v6.allows("localhost:8080"));
        let all = Access {
            bind: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            port: 8080,
        };
        assert!(all.allows("192.168.1.20:8080") && !all.allows("evil.example:8080"));
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
