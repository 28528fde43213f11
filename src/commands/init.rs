//! `tebiki init DIR`: a small bilingual site that builds at once.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// (path inside the new site, contents)
const FILES: &[(&str, &str)] = &[
    ("book.toml", include_str!("scaffold/book.toml")),
    ("content/_index.md", include_str!("scaffold/_index.md")),
    (
        "content/_index.ja.md",
        include_str!("scaffold/_index.ja.md"),
    ),
    (
        "content/guides/_index.md",
        include_str!("scaffold/guides_index.md"),
    ),
    (
        "content/guides/_index.ja.md",
        include_str!("scaffold/guides_index.ja.md"),
    ),
    (
        "content/guides/first-guide.md",
        include_str!("scaffold/first-guide.md"),
    ),
    (
        "content/guides/first-guide.ja.md",
        include_str!("scaffold/first-guide.ja.md"),
    ),
    (
        "content/glossary.toml",
        include_str!("scaffold/glossary.toml"),
    ),
    ("static/.gitkeep", ""),
    (".gitignore", "/public/\n/.tebiki-cache/\n"),
];

/// Creates a new site in `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<Vec<&'static str>, Error> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "`{}` is not empty; `tebiki init` only writes into a new or empty folder",
                dir.display()
            )));
        }
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    }
    // The Japanese pages are translations of the English ones as scaffolded: record that, so
    // `tebiki translations` starts from "current" and notices the first change to an original.
    let translations: Vec<PathBuf> = FILES
        .iter()
        .filter(|(rel, _)| rel.ends_with(".ja.md"))
        .map(|(rel, _)| dir.join(rel))
        .collect();
    crate::commands::translations::mark(dir, &translations)?;
    Ok(FILES.iter().map(|(rel, _)| *rel).collect())
}

/// `tebiki init`: creates the site and lists the files it wrote.
pub fn run(dir: &Path) -> Result<u8, Error> {
    for f in init(dir)? {
        eprintln!("  created {}", dir.join(f).display());
    }
    let root = dir.display();
    eprintln!(
        "a new site is ready. Next:\n  cd {root}\n  git init                 (git shows translators what changed in an original)\n  tebiki serve             (preview at http://127.0.0.1:1111/, updated as you save)\n  tebiki new guides/x.md   (a new guide; `--lang ja` starts its translation)\n  tebiki check             (every problem, as the deploy gate sees them)\n  tebiki build             (the site, into public/)"
    );
    Ok(0)
}
