//! Maps a request to a response: the checks, then one route per path (the event stream, the
//! review view, the file list, a file of the served build).

use std::convert::Infallible;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use hyper::body::{Body as HttpBody, Bytes, Frame, SizeHint};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

use super::access::{check_host, request_host};
use super::events::{EventStream, events};
use super::{EVENTS_PATH, FILES_PATH, SCRIPT_ID, State};
use crate::model::url::percent_decode;
use crate::preview::review::{self, REVIEW_PATH};
use crate::preview::snapshot::{Body, Snapshot};

/// The live-reload script, injected before `</body>` of every served HTML page.
const LIVERELOAD: &str = include_str!("../livereload.js");

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
pub(super) fn answer<B: HttpBody>(state: &State, request: &Request<B>) -> Response<Reply> {
    let has_body = !request.body().is_end_stream();
    let mut response = match check_host(&state.access, request) {
        Some((status, text)) => plain(status, text),
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

/// The answer to a request that names this server: GET and HEAD without a body only, then
/// the route its path leads to.
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
    if path == EVENTS_PATH {
        return answer_events(state, request);
    }
    let review_root = REVIEW_PATH.trim_end_matches('/');
    if let Some(root) = &state.root
        && (path == review_root || path.starts_with(REVIEW_PATH))
    {
        return answer_review(state, root, path);
    }
    let (snapshot, generation) = state.current();
    if path == FILES_PATH {
        return answer_file_list(&snapshot);
    }
    answer_output(state, request, &snapshot, generation)
}

/// [`EVENTS_PATH`]: the page's live-reload stream (to HEAD, its headers alone).
fn answer_events<B>(state: &State, request: &Request<B>) -> Response<Reply> {
    let body = if request.method() == Method::HEAD {
        Reply::Full(None)
    } else {
        Reply::Events(events(state))
    };
    let mut response = uncached(StatusCode::OK, "text/event-stream; charset=utf-8", body);
    // A stream ended to make room for a newer one must free its connection, not leave it
    // idle in keep-alive.
    set(&mut response, header::CONNECTION, "close");
    response
}

/// [`REVIEW_PATH`]: the review view of the site in `root`, read from its files now.
fn answer_review(state: &State, root: &Path, path: &str) -> Response<Reply> {
    let rest = percent_decode(path.get(REVIEW_PATH.len()..).unwrap_or(""));
    let (status, html) = review::answer(root, &rest);
    let generation = state.lock_hub().generation;
    uncached(
        StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        "text/html; charset=utf-8",
        Reply::bytes(inject(html.as_bytes(), generation)),
    )
}

/// [`FILES_PATH`]: every output path of the served build.
fn answer_file_list(snapshot: &Snapshot) -> Response<Reply> {
    let list = serde_json::Value::from(snapshot.paths()).to_string();
    uncached(
        StatusCode::OK,
        "application/json; charset=utf-8",
        Reply::bytes(list),
    )
}

/// Any other path: the output file it leads to, a redirect to its folder, or the 404 page; an
/// HTML page carries the live-reload script of `generation`.
fn answer_output<B>(
    state: &State,
    request: &Request<B>,
    snapshot: &Snapshot,
    generation: u64,
) -> Response<Reply> {
    let path = request.uri().path();
    let target = request
        .uri()
        .path_and_query()
        .map_or(path, |pq| pq.as_str());
    let (status, rel) = match resolve(snapshot, target) {
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
            return uncached(
                StatusCode::NOT_FOUND,
                "text/html; charset=utf-8",
                Reply::bytes(inject(page.as_bytes(), generation)),
            );
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
    uncached(status, content_type, body)
}

/// A plain-text answer.
fn plain(status: StatusCode, text: String) -> Response<Reply> {
    uncached(status, "text/plain; charset=utf-8", Reply::bytes(text))
}

/// A response with a body of `content_type` that the browser must not cache (the preview
/// changes under it with every build) and must take as that type rather than guess it from
/// the bytes (`nosniff`). Every response with a body is made here, so their headers, and the
/// order they are sent in, cannot drift apart.
fn uncached(status: StatusCode, content_type: &'static str, body: Reply) -> Response<Reply> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    set(&mut response, header::CONTENT_TYPE, content_type);
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
pub(super) enum Reply {
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
    use std::net::{IpAddr, Ipv4Addr};

    use super::*;
    use crate::pipeline::render::Sink;
    use crate::preview::server::access::Access;
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
