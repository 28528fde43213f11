//! `tebiki init DIR`: a small bilingual site that builds at once.

use std::fs;
use std::io::Write;
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

/// Whether `init` writes into a folder that holds `name` already: hidden entries it does not
/// write itself (`.git`, `.github`, an editor's settings) and a README or licence, which a
/// repository made on a forge and cloned holds, are left as they are and written beside.
fn may_stay(name: &str) -> bool {
    let written = FILES
        .iter()
        .any(|(rel, _)| rel.split('/').next() == Some(name));
    if written {
        return false;
    }
    // `README.md`, `LICENSE`, `LICENSE-CC-BY.txt`, `COPYING`.
    let stem = name.split(['.', '-', '_']).next().unwrap_or(name);
    name.starts_with('.')
        || ["README", "LICENSE", "LICENCE", "COPYING"]
            .iter()
            .any(|known| stem.eq_ignore_ascii_case(known))
}

/// Creates a new site in `dir`, which must not exist, be empty, or hold only hidden entries
/// init does not write itself and a README or licence. No file is overwritten: each is
/// created new, and one that appeared in the meantime stops the command.
pub fn init(dir: &Path) -> Result<Vec<&'static str>, Error> {
    if dir.exists() {
        let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        let mut in_the_way = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !may_stay(&name) {
                in_the_way.push(format!("`{name}`"));
            }
        }
        if !in_the_way.is_empty() {
            in_the_way.sort();
            return Err(Error::Usage(format!(
                "`{}` is not empty: it holds {}. `tebiki init` writes into a new or empty folder, or one that holds only a README, a LICENSE and hidden entries it does not write itself (`.git`, `.github`, …); move those aside, or give another folder",
                dir.display(),
                in_the_way.join(", ")
            )));
        }
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        file.write_all(text.as_bytes())
            .map_err(|e| Error::io(&path, e))?;
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
    let mut steps: Vec<(String, &str)> = vec![(format!("cd {}", dir.display()), "")];
    // A folder cloned from a new repository is one already.
    if !dir.join(".git").exists() {
        steps.push((
            "git init".into(),
            "git shows translators what changed in an original",
        ));
    }
    steps.extend([
        // Committed, git holds the versions the translations were just marked against.
        ("git add -A && git commit -m \"First guides\"".into(), ""),
        (
            "tebiki serve".into(),
            "preview at http://127.0.0.1:1111/, updated as you save; Ctrl-C stops it",
        ),
        (
            "tebiki new guides/x.md".into(),
            "a new guide; `--lang ja` starts its translation",
        ),
        (
            "tebiki check --deny warnings".into(),
            "every problem, as the deploy recipes' gate sees them",
        ),
        ("tebiki build".into(), "the site, into public/"),
    ]);
    eprintln!("a new site is ready. Next:");
    for (command, why) in steps {
        if why.is_empty() {
            eprintln!("  {command}");
        } else {
            eprintln!("  {command:<30} ({why})");
        }
    }
    Ok(0)
}
