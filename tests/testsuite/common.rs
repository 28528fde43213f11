//! Fixture sites for integration tests: write a small site into a temporary folder, build it
//! with the real `tebiki` binary, and read what a user would read — the output HTML, the
//! diagnostics on stderr and the exit code.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const BOOK: &str = r#"[book]
title = "Test Guides"
description = "Guides for tests."
base_url = "https://example.org/"
default_language = "en"

[languages.en]
name = "English"
title = "Test Guides"

[languages.ja]
name = "日本語"
title = "テストガイド"
"#;

/// A site in a temporary folder.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

/// The result of running the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Waits until `dir`, a previous output that `tebiki build` moved aside and left to a process
/// of its own to remove, is gone; false if it is still there after 30 s.
pub fn removed_in_background(dir: &Path) -> bool {
    gone_within(dir, std::time::Duration::from_secs(30))
}

/// Waits until `path` is gone, at most `limit`; whether it is.
fn gone_within(path: &Path, limit: std::time::Duration) -> bool {
    let until = std::time::Instant::now() + limit;
    while path.exists() {
        if std::time::Instant::now() > until {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    true
}

impl Drop for Fixture {
    /// Lets a build's background removal finish before the folder is deleted under it.
    fn drop(&mut self) {
        let old = self.path(".public.tebiki-old");
        if old.join(".tebiki-output").exists() {
            gone_within(&old, std::time::Duration::from_secs(5));
        }
    }
}

impl Fixture {
    /// An empty site with the standard book.toml.
    pub fn new() -> Self {
        Self::with_book(BOOK)
    }

    pub fn with_book(book: &str) -> Self {
        let fixture = Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        fixture.write("book.toml", book);
        fixture
    }

    /// A small bilingual site: a home page, a guides section and one guide in en and ja.
    pub fn bilingual() -> Self {
        let f = Self::new();
        f.write(
            "content/_index.md",
            "---\ntitle: Home\nsummary: The home page.\n---\nWelcome.\n",
        );
        f.write(
            "content/_index.ja.md",
            "---\ntitle: ホーム\n---\nようこそ。\n",
        );
        f.write("content/guides/_index.md", "---\ntitle: Guides\n---\n");
        f.write("content/guides/_index.ja.md", "---\ntitle: ガイド\n---\n");
        f.write("content/guides/ai-act.md", AI_ACT_EN);
        f.write("content/guides/ai-act.ja.md", AI_ACT_JA);
        f
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("create dirs");
        fs::write(path, bytes).expect("write fixture file");
    }

    /// Runs `tebiki ARGS` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    /// Runs `tebiki ARGS` in the site folder with the environment variables `env` set.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &Path)]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_tebiki"))
            .args(args)
            .envs(env.iter().copied())
            .current_dir(self.root())
            .output()
            .expect("run tebiki");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// `git` in the site folder, its repository found from there: the tests' scratch
    /// repositories stay theirs when the suite runs inside a git hook or `git rebase --exec`,
    /// which set `GIT_DIR` and its like for the repository around them.
    pub fn git_command(&self) -> Command {
        tebiki::model::git::command(self.root())
    }

    /// Runs git in the site folder and returns its stdout, failing the test if git fails.
    pub fn git(&self, args: &[&str]) -> String {
        let out = self.git_command().args(args).output().expect("run git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Commits everything in the repository the site folder is in, dated `date` (YYYY-MM-DD)
    /// at noon UTC, as author and committer.
    pub fn commit_all_at(&self, date: &str) {
        self.git(&["add", "-A", "."]);
        let at = format!("{date}T12:00:00Z");
        let out = self
            .git_command()
            .args(["commit", "-q", "-m", "edit"])
            .env("GIT_AUTHOR_DATE", &at)
            .env("GIT_COMMITTER_DATE", &at)
            .output()
            .expect("run git");
        assert!(out.status.success(), "{out:?}");
    }

    /// A git repository in the site folder, with a committer and no signing.
    pub fn git_init(&self) {
        self.git(&["init", "-q"]);
        self.git(&["config", "user.name", "Test"]);
        self.git(&["config", "user.email", "test@example.org"]);
        self.git(&["config", "commit.gpgsign", "false"]);
    }

    /// Builds into `public/` and panics with the diagnostics if the build fails.
    pub fn build_ok(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        let run = self.run(&args);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    /// Builds and expects content errors (exit 1); returns stderr.
    pub fn build_err(&self) -> String {
        let run = self.run(&["build"]);
        assert_eq!(
            run.code, 1,
            "expected exit 1, got {}:\n{}",
            run.code, run.stderr
        );
        run.stderr
    }

    /// A built output file as text.
    pub fn read(&self, rel: &str) -> String {
        let path = self.path(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }
}

/// The `<main>…</main>` element of a page.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.rfind("</main>").expect("page has </main>") + "</main>".len();
    &html[start..end]
}

/// Compares the `<main>` of `html` with `tests/testsuite/snapshots/NAME.html`.
pub fn assert_main_snapshot(name: &str, html: &str) {
    assert_snapshot(&format!("{name}.html"), &(main_of(html).to_string() + "\n"));
}

/// Compares `actual` with the file `tests/testsuite/snapshots/NAME` (a whole page, a whole
/// error report, a whole JSON document). Run with `TEBIKI_BLESS=1` to write the snapshots,
/// then read the diff before committing it.
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/testsuite/snapshots")
        .join(name);
    if std::env::var_os("TEBIKI_BLESS").is_some() {
        fs::create_dir_all(path.parent().expect("parent")).expect("snapshot dir");
        fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}; run with TEBIKI_BLESS=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "`{name}` differs from {}\n--- expected\n{expected}\n--- actual\n{actual}\n(run with TEBIKI_BLESS=1 if the change is right)",
            path.display()
        );
    }
}

pub const AI_ACT_EN: &str = r#"---
title: "The AI Act"
summary: "Japan's framework law for AI."
date: 2026-05-08
updated: 2026-05-18
as_of: 2026-05-08
category: Governance
tags: ["AI Act", "Cabinet Office"]
sources:
  - title: "AI Act overview"
    publisher: "Cabinet Office"
    url: "https://www8.cao.go.jp/cstp/ai/"
    date: 2025-05-28
---

The Act was established in 2025.

## Key dates

| Step | Date |
|---|---|
| Established | 28 May 2025 |
| Fully in force | 1 September 2025 |

## What it creates

A headquarters.[^hq]

[^hq]: Chaired by the Prime Minister.
"#;

pub const AI_ACT_JA: &str = r#"---
title: "AI推進法"
summary: "日本のAIに関する枠組み法。"
date: 2026-05-08
as_of: 2026-05-08
category: ガバナンス
tags: ["AI推進法"]
sources:
  - title: "AI法の概要"
    publisher: "内閣府"
    date: 2025-05-28
---

この法律は**「枠組み法」**である。

## 主な日付

2025年5月28日に成立した。

## 法律がつくるもの

AI戦略本部を置く。
"#;

/// Every file under `dir` (an output directory) by its `/`-separated path, without tebiki's
/// `.tebiki-output` marker: what a visitor of the built site can fetch. A link counts as the
/// file it leads to.
pub fn files_in(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, fs::read(e.path()).expect("read"))
        })
        .filter(|(rel, _)| rel != ".tebiki-output")
        .collect()
}

/// Every file `serve` holds in `snapshot`, by output path, with the bytes it would send.
pub fn snapshot_files(snapshot: &tebiki::preview::snapshot::Snapshot) -> BTreeMap<String, Vec<u8>> {
    use tebiki::preview::snapshot::Body;
    snapshot
        .paths()
        .into_iter()
        .map(|path| {
            let bytes = match snapshot.get(path) {
                Some(Body::Bytes(bytes)) => bytes.bytes().to_vec(),
                Some(Body::File(file)) => fs::read(file).expect("read served file"),
                None => Vec::new(),
            };
            (path.to_string(), bytes)
        })
        .collect()
}
