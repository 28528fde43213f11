//! `tebiki serve`: a local preview. The site is built into memory with a local `base_url`,
//! served by `tiny_http` from the last good build, and rebuilt when its sources change
//! (`watch` finds the changes, `preview` rebuilds). Served HTML gets a live-reload script that
//! listens for server-sent events: reload after a rebuild, swap stylesheets after a CSS edit,
//! show a build error over the page until it is fixed.

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use crate::diag::Style;
use crate::error::Error;
use crate::model::config;
use crate::model::url::percent_decode;
use crate::preview::engine::{Preview, Update};
use crate::preview::snapshot::{Body, Snapshot};
use crate::preview::watcher::{Watcher, describe};

/// The live-reload script, injected before `</body>` of every served HTML page.
const LIVERELOAD: &str = include_str!("livereload.js");
/// The server-sent-events endpoint the script listens on.
pub const EVENTS_PATH: &str = "/__tebiki/events";
/// Every output path of the served build, as a JSON list (for tools and tests).
pub const FILES_PATH: &str = "/__tebiki/files";
/// The `id` of the injected script element, so tools can strip it.
pub const SCRIPT_ID: &str = "__tebiki_livereload";
/// Threads answering ordinary requests; each event stream gets its own.
const WORKERS: usize = 4;
/// A comment sent on idle event streams, so closed ones are noticed and dropped.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What `tebiki serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// `None`: `[serve] port` from book.toml. `Some(0)`: any free port.
    pub port: Option<u16>,
    pub bind: IpAddr,
    pub open: bool,
}

/// What every request thread shares: the build being served and the event streams.
struct State {
    snapshot: RwLock<Arc<Snapshot>>,
    hub: Mutex<Hub>,
}

/// The live-reload side: who listens, and what a new listener must be told.
#[derive(Default)]
struct Hub {
    clients: Vec<Sender<String>>,
    /// Counts the builds served; a page built before the latest one reloads on connecting.
    generation: u64,
    /// The text of the current build error, shown over every page until fixed.
    error: Option<String>,
}

impl Hub {
    fn broadcast(&mut self, event: &str, data: &str) {
        let message = sse(event, data);
        self.clients.retain(|c| c.send(message.clone()).is_ok());
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
    fn lock_hub(&self) -> std::sync::MutexGuard<'_, Hub> {
        self.hub.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Serves `snapshot` from now on and tells every page to reload.
    fn publish(&self, snapshot: Arc<Snapshot>) {
        let mut hub = self.lock_hub();
        *self
            .snapshot
            .write()
            .unwrap_or_else(PoisonError::into_inner) = snapshot;
        hub.generation += 1;
        hub.error = None;
        let generation = hub.generation.to_string();
        hub.broadcast("reload", &generation);
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
    let server = bind(options.bind, port)?;
    let port = server
        .server_addr()
        .to_ip()
        .map_or(port, |addr| addr.port());
    let host = match options.bind {
        ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        ip => ip,
    };
    let url = format!("http://{}/", SocketAddr::new(host, port));
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
    let state = Arc::new(State {
        snapshot: RwLock::default(),
        hub: Mutex::default(),
    });
    let started = Instant::now();
    match preview.full() {
        Ok(Update::Rebuilt {
            snapshot, rendered, ..
        }) => {
            state.publish(snapshot);
            eprintln!(
                "built {rendered} pages in {} ms",
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

    let server = Arc::new(server);
    for _ in 0..WORKERS {
        let (server, state) = (server.clone(), state.clone());
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                handle(request, &state);
            }
        });
    }
    {
        let state = state.clone();
        std::thread::spawn(move || {
            while let Some(changed) = watcher.next_batch() {
                rebuild(&mut preview, &state, &changed);
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
    server.unblock();
    eprintln!("stopped");
    Ok(0)
}

/// Binds the server, or explains that the port is taken and which one is free.
fn bind(ip: IpAddr, port: u16) -> Result<Server, Error> {
    let addr = SocketAddr::new(ip, port);
    Server::http(addr).map_err(|e| {
        let in_use = e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::AddrInUse);
        if in_use {
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
        }) => {
            state.publish(snapshot);
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

fn handle(request: Request, state: &State) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response = Response::from_string(
            "405 method not allowed: the preview only answers GET and HEAD\n",
        )
        .with_status_code(405)
        .with_header(header("Allow", "GET, HEAD"))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"));
        let _ = request.respond(response);
        return;
    }
    let url = request.url().to_string();
    let path = url.split('?').next().unwrap_or("");
    if path == EVENTS_PATH {
        let receiver = {
            let mut hub = state.lock_hub();
            let (tx, rx) = channel();
            let _ = tx.send(hub.hello());
            hub.clients.push(tx);
            rx
        };
        std::thread::spawn(move || stream_events(request, receiver));
        return;
    }
    let snapshot = state.snapshot();
    if path == FILES_PATH {
        let list = serde_json::Value::from(snapshot.paths()).to_string();
        let _ = request.respond(
            Response::from_string(list)
                .with_header(header("Content-Type", "application/json; charset=utf-8"))
                .with_header(header("Cache-Control", "no-store")),
        );
        return;
    }
    let (status, rel) = match resolve(&snapshot, &url) {
        Resolved::File(rel) => (200, rel),
        Resolved::Redirect(location) => {
            let _ = request.respond(
                Response::empty(301)
                    .with_header(header("Location", &location))
                    .with_header(header("Cache-Control", "no-store")),
            );
            return;
        }
        Resolved::NotFound => (404, "404.html".to_string()),
    };
    let bytes = match snapshot.get(&rel).map(read_body) {
        Some(Ok(bytes)) => bytes,
        _ => {
            let generation = state.lock_hub().generation;
            // No build yet (the first one failed) or no 404 page: a bare page that still
            // carries the live-reload script, so the error overlay shows.
            let page = format!(
                "<!doctype html><html><head><meta charset=\"utf-8\"><title>{status}</title></head><body><p>{}</p></body></html>",
                if status == 404 {
                    "Not found."
                } else {
                    "This file cannot be read."
                }
            );
            let _ = request.respond(
                Response::from_data(inject(page.as_bytes(), generation))
                    .with_status_code(404)
                    .with_header(header("Content-Type", "text/html; charset=utf-8"))
                    .with_header(header("Cache-Control", "no-store")),
            );
            return;
        }
    };
    let content_type = content_type(&rel);
    let bytes = if content_type.starts_with("text/html") {
        inject(&bytes, state.lock_hub().generation)
    } else {
        bytes.to_vec()
    };
    let response = Response::from_data(bytes)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    let _ = request.respond(response);
}

/// A served file's bytes. Files on disk are read now, and only if they are still regular
/// files: a symlink put in their place is not followed.
fn read_body(body: &Body) -> std::io::Result<Arc<[u8]>> {
    match body {
        Body::Bytes(bytes) => Ok(bytes.clone()),
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

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
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

/// Sends server-sent events to one page until it goes away. `tiny_http` buffers response
/// bodies, so the stream takes over the connection and writes each event as it comes.
fn stream_events(request: Request, events: Receiver<String>) {
    let version = request.http_version().clone();
    let mut out = request.into_writer();
    let head = format!(
        "HTTP/{}.{} 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n",
        version.0, version.1
    );
    if out
        .write_all(head.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return;
    }
    loop {
        let message = match events.recv_timeout(KEEP_ALIVE) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if out
            .write_all(message.as_bytes())
            .and_then(|()| out.flush())
            .is_err()
        {
            return;
        }
    }
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
