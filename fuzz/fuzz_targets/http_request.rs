//! The HTTP request path of `tebiki serve`: any bytes a client may send on one connection,
//! answered by the real server code (hyper, the Host check, routing) over an in-memory pipe.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tebiki::preview::server::answer_raw;

const SITE: &[(&str, &[u8])] = &[
    (
        "index.html",
        b"<!doctype html><html><body>home</body></html>",
    ),
    ("guides/index.html", b"<html><body>guides</body></html>"),
    ("guides/a/index.html", b"<html><body>a</body></html>"),
    (
        "ja/index.html",
        "<html><body>ホーム</body></html>".as_bytes(),
    ),
    ("404.html", b"<html><body>missing</body></html>"),
    ("style.css", b"body{}"),
    ("atom.xml", b"<feed/>"),
];

fuzz_target!(|data: &[u8]| {
    let response = answer_raw(SITE, data);
    // Whatever came in, anything sent back starts as an HTTP/1.x response.
    assert!(response.is_empty() || response.starts_with(b"HTTP/1."));
});
