//! A page body through the load, index and link stages: cross-links to other pages and their
//! headings, empty-text links, `term:` links and automatic glossary terms in English and
//! Japanese. The first byte picks the page's language; the rest is its Markdown body.
#![no_main]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use tebiki::model::config::{self, Config};
use tebiki::pipeline::index::Site;
use tebiki::pipeline::load::{self, Loaded, SourceFile};
use tebiki::pipeline::glossary::{self, Glossary};
use tebiki::pipeline::link;

const BOOK: &str = "[book]\ntitle = \"T\"\nbase_url = \"https://example.org/guides/\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ja]\nname = \"日本語\"\n[glossary]\nlink = \"all\"\n";

const GLOSSARY: &str = r#"[[term]]
id = "hq"
[term.en]
term = "headquarters"
abbr = "HQ"
aliases = ["AI Strategy HQ"]
definition = "A central body."
[term.ja]
term = "本部"
reading = "ほんぶ"
definition = "中心となる組織。"

[[term]]
id = "meti"
[term.en]
term = "METI"
definition = "A ministry."
[term.ja]
term = "経済産業省"
abbr = "経産省"
reading = "けいざいさんぎょうしょう"
definition = "省。"
"#;

const PAGES: &[(&str, &str)] = &[
    (
        "guides/a.md",
        "---\ntitle: A\n---\nThe headquarters.\n\n## Key dates\n\n## Key dates\n",
    ),
    (
        "guides/a.ja.md",
        "---\ntitle: エー\n---\n本部。\n\n## 日付\n",
    ),
    (
        "briefs/b.md",
        "---\ntitle: B\n---\nSee [](../guides/a.md#key-dates).\n",
    ),
];

struct Fixture {
    root: PathBuf,
    config: Config,
    sources: Vec<SourceFile>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let shm = std::path::Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm)
        } else {
            tempfile::tempdir()
        }
        .unwrap_or_else(|e| panic!("temp dir: {e}"));
        let root = dir.keep();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap_or(&root))
                .and_then(|()| std::fs::write(&path, text))
                .unwrap_or_else(|e| panic!("write {rel}: {e}"));
        };
        write("book.toml", BOOK);
        write("content/glossary.toml", GLOSSARY);
        for (rel, text) in PAGES {
            write(&format!("content/{rel}"), text);
        }
        let config = config::load(&root).unwrap_or_else(|_| panic!("book.toml"));
        let loaded = load::load(&root, &config, true);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        Fixture {
            root,
            config,
            sources: loaded.value.sources,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    let f = fixture();
    let rel = if first & 1 == 0 {
        "guides/fuzz.md"
    } else {
        "guides/fuzz.ja.md"
    };
    let mut text = b"---\ntitle: Fuzz\n---\n".to_vec();
    text.extend_from_slice(body);
    if std::fs::write(f.root.join("content").join(rel), &text).is_err() {
        return;
    }
    let Ok(source) = load::load_one(&f.root, &f.config, rel, &BTreeSet::new()) else {
        return;
    };
    let mut sources = f.sources.clone();
    sources.push(source);
    let loaded = Loaded {
        sources,
        ..Loaded::default()
    };
    let mut site = Site::index(f.root.clone(), f.config.clone(), loaded).value;
    // The glossary is parsed once and moved from site to site (it is not `Clone`).
    let mut kept = GLOSSARY_KEPT.lock().unwrap_or_else(|e| e.into_inner());
    site.glossary = kept
        .take()
        .or_else(|| glossary::parse(GLOSSARY, "content/glossary.toml", &f.config).value);
    let _ = link::render_all(&mut site, link::Sources::Pack);
    *kept = site.glossary.take();
});

static GLOSSARY_KEPT: Mutex<Option<Glossary>> = Mutex::new(None);
