//! The bundled site in a real browser: builds the repository's own site and runs
//! `tests/browser/site.mjs` over every page (headless Chromium through playwright-core:
//! sideways scroll at 320–1280 px, console errors, failed requests, axe-core's WCAG 2.1 AA
//! rules at 390 and 1280 px, glossary tooltips on touch; then the Nu HTML checker). Needs
//! Node.js, `npm ci` in `tests/browser`, Debian's `chromium` and Java, as `.ci/run` installs
//! them: when one is missing this test fails and says which.

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

#[test]
fn every_page_of_the_bundled_site_passes_the_browser_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let suite = root.join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let mut missing = Vec::new();
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("Node.js (`node`): install Debian's `nodejs` and `npm`".to_string());
    }
    if !suite.join("node_modules/playwright-core").is_dir()
        || !suite.join("node_modules/axe-core").is_dir()
        || !suite.join("node_modules/vnu-jar").is_dir()
    {
        missing.push("the node modules: run `npm ci` in tests/browser".to_string());
    }
    if !Path::new(&chromium).exists() {
        missing.push(format!(
            "Chromium at {chromium}: install Debian's `chromium` or set CHROMIUM"
        ));
    }
    if Command::new("java").arg("-version").output().is_err() {
        missing.push("Java (`java`) for the Nu HTML checker: install a JRE 17+".to_string());
    }
    assert!(
        missing.is_empty(),
        "the browser tests cannot run; missing: {}. `.ci/run` installs all of them.",
        missing.join("; ")
    );

    // A free port for the local server the pages are built for.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port");
    let out = tempfile::tempdir().expect("temp dir");
    let site = out.path().join("site");
    let build = Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .args(["build", "--root"])
        .arg(root)
        .arg("-o")
        .arg(&site)
        .arg("--base-url")
        .arg(format!("http://127.0.0.1:{port}/"))
        .output()
        .expect("run tebiki");
    assert!(
        build.status.success(),
        "the bundled site does not build:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );

    let report_file = out.path().join("report.json");
    let run = Command::new("node")
        .arg(suite.join("site.mjs"))
        .arg("--dir")
        .arg(&site)
        .arg("--port")
        .arg(port.to_string())
        .arg("--report")
        .arg(&report_file)
        .env("CHROMIUM", &chromium)
        .current_dir(&suite)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    eprintln!("{stdout}");
    assert_eq!(
        run.status.code(),
        Some(0),
        "the browser checks failed:\n{stdout}\n{stderr}"
    );
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&report_file).expect("the suite writes its report"),
    )
    .expect("the report is JSON");
    let number = |key: &str| report[key].as_u64().unwrap_or(u64::MAX);
    // Every page: the home pages, sections, guides, tags, categories, glossaries and 404.
    assert!(number("pages") >= 40, "too few pages checked: {report}");
    assert_eq!(number("page_loads"), number("pages") * 4, "{report}");
    assert_eq!(number("axe_runs"), number("pages") * 2, "{report}");
    assert_eq!(number("axe_violations"), 0, "{report}");
    assert_eq!(number("vnu_errors"), 0, "{report}");
    assert!(number("touch_pages") >= 1, "{report}");
    assert_eq!(
        report["problems"].as_array().map(Vec::len),
        Some(0),
        "{report}"
    );
}
