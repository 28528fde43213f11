//! Replays the fuzz targets' seed corpora (`fuzz/seeds/TARGET/`) and every input that once
//! made a target fail (`fuzz/regressions/TARGET/`) through the same library code as the
//! targets in `fuzz/fuzz_targets/`, so that they run in every `cargo test`, without nightly.
//! Each must finish quickly and without a panic.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tebiki::model::config;
use tebiki::model::frontmatter::{self, Kind};
use tebiki::pipeline::index::Site;
use tebiki::pipeline::load::{self, Loaded};
use tebiki::pipeline::{glossary, link};
use tebiki::preview::server::answer_raw;

/// Every input of `target`: its seeds and its regressions.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut found = Vec::new();
    for kind in ["seeds", "regressions"] {
        let Ok(dir) = std::fs::read_dir(fuzz.join(kind).join(target)) else {
            continue;
        };
        for entry in dir.flatten() {
            let bytes = std::fs::read(entry.path()).expect("read fuzz input");
            found.push((entry.path(), bytes));
        }
    }
    found.sort();
    assert!(!found.is_empty(), "no inputs for {target}");
    found
}

/// Runs `check` on every input of `target`, each within two seconds.
fn replay(target: &str, mut check: impl FnMut(&[u8])) {
    for (path, bytes) in inputs(target) {
        let start = Instant::now();
        check(&bytes);
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{} took {:?}",
            path.display(),
            start.elapsed()
        );
    }
}

const BOOK: &str = "[book]\ntitle = \"T\"\nbase_url = \"https://example.org/guides/\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ja]\nname = \"日本語\"\n[glossary]\nlink = \"all\"\n";

#[test]
fn front_matter_inputs() {
    replay("front_matter", |data| {
        let Some((&first, rest)) = data.split_first() else {
            return;
        };
        let delimiter = if first & 1 == 0 { "---" } else { "+++" };
        let kind = if first & 2 == 0 {
            Kind::Page
        } else {
            Kind::Section
        };
        let text = format!("{delimiter}\n{}", String::from_utf8_lossy(rest));
        if let Ok(split) = frontmatter::split(&text) {
            let _ = frontmatter::parse(&split, "content/guides/fuzz.md", kind);
        }
    });
}

#[test]
fn book_toml_inputs() {
    replay("book_toml", |data| {
        let _ = config::parse(&String::from_utf8_lossy(data));
    });
}

#[test]
fn glossary_inputs() {
    let config = config::parse(BOOK).unwrap_or_else(|_| panic!("the fixed book.toml parses"));
    replay("glossary", |data| {
        let _ = glossary::parse(
            &String::from_utf8_lossy(data),
            "content/glossary.toml",
            &config,
        );
    });
}

#[test]
fn markdown_inputs() {
    let f = crate::common::Fixture::with_book(BOOK);
    let glossary_text = "[[term]]\nid = \"hq\"\n[term.en]\nterm = \"headquarters\"\nabbr = \"HQ\"\ndefinition = \"A body.\"\n[term.ja]\nterm = \"本部\"\nreading = \"ほんぶ\"\ndefinition = \"組織。\"\n";
    f.write("content/glossary.toml", glossary_text);
    f.write(
        "content/guides/a.md",
        "---\ntitle: A\n---\nThe headquarters.\n\n## Key dates\n",
    );
    f.write("content/guides/a.ja.md", "---\ntitle: エー\n---\n本部。\n");
    f.write(
        "content/briefs/b.md",
        "---\ntitle: B\n---\nSee [](../guides/a.md#key-dates).\n",
    );
    let root = f.root().to_path_buf();
    let config = config::load(&root).unwrap_or_else(|_| panic!("book.toml"));
    let base = load::load(&root, &config, true).value.sources;
    replay("markdown", |data| {
        let Some((&first, body)) = data.split_first() else {
            return;
        };
        let rel = if first & 1 == 0 {
            "guides/fuzz.md"
        } else {
            "guides/fuzz.ja.md"
        };
        let mut text = b"---\ntitle: Fuzz\n---\n".to_vec();
        text.extend_from_slice(body);
        f.write_bytes(&format!("content/{rel}"), &text);
        let Ok(source) = load::load_one(&root, &config, rel, &BTreeSet::new()) else {
            return;
        };
        let mut sources = base.clone();
        sources.push(source);
        let loaded = Loaded {
            sources,
            ..Loaded::default()
        };
        let mut site = Site::index(root.clone(), config.clone(), loaded).value;
        site.glossary = glossary::parse(glossary_text, "content/glossary.toml", &config).value;
        let _ = link::render_all(&mut site, link::Sources::Pack);
        let _ = std::fs::remove_file(root.join("content").join(rel));
    });
}

const SITE: &[(&str, &[u8])] = &[
    (
        "index.html",
        b"<!doctype html><html><body>home</body></html>",
    ),
    ("guides/index.html", b"<html><body>guides</body></html>"),
    ("guides/a/index.html", b"<html><body>a</body></html>"),
    ("404.html", b"<html><body>missing</body></html>"),
];

#[test]
fn http_request_inputs() {
    replay("http_request", |data| {
        let response = answer_raw(SITE, data);
        assert!(response.is_empty() || response.starts_with(b"HTTP/1."));
    });
}
