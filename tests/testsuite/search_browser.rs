//! The search box in headless Chromium: builds the bundled site under a sub-path, serves it on
//! loopback and runs `tests/browser/search.js` (playwright-core), which types queries in both
//! languages at 390 and 1280 px and checks results, keyboard use, the live region, the layout,
//! the page without JavaScript and that nothing is fetched from another host.
//!
//! Needs Node.js, `npm ci` in `tests/browser/` and Chromium (`/usr/bin/chromium`, or
//! `$CHROMIUM`); `.ci/run` installs them. When one is missing the test fails and says which.
//! Set `TEBIKI_SCREENSHOTS=DIR` to keep screenshots of the results.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;

use crate::search::build_bundled_site;

#[test]
fn search_works_in_headless_chromium_in_both_languages_and_at_phone_width() {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let base_path = "/policy-guides/";
    let out = build_bundled_site(Some(&format!("http://127.0.0.1:{port}{base_path}")));
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut command = Command::new("node");
    command
        .arg(repo.join("tests/browser/search.js"))
        .arg(out.path().join("public"))
        .arg(port.to_string())
        .arg(base_path);
    if let Some(dir) = std::env::var_os("TEBIKI_SCREENSHOTS") {
        command.arg(dir);
    }
    let run = command.output().unwrap_or_else(|e| {
        panic!("cannot start `node` ({e}): install Node.js 18 or later, then run .ci/run's setup")
    });
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.code() != Some(2),
        "the browser test cannot run: {stderr}"
    );
    assert!(
        run.status.success() && stdout.contains(", 0 failed"),
        "browser checks failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("ok   390: \"推進法\" finds the AI推進法 guide first"),
        "{stdout}"
    );
}
