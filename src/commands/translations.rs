//! `tebiki translations`: prints where every translation stands (worked out in
//! [`crate::pipeline::translations`]), and `tebiki translations mark`, which records in a
//! translation the source version it matches.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use unicode_width::UnicodeWidthStr;

use crate::commands::Format;
use crate::diag::{Code, Diagnostic};
use crate::error::Error;
use crate::model::blob::version_to_record;
use crate::model::config;
use crate::model::frontmatter_edit;
use crate::model::translation::Status;
use crate::pipeline::translations::{Entry, ItemKind, listing, pair};

/// `text` followed by spaces to fill `width` terminal columns: a Japanese character takes two,
/// which `format!`'s padding, counting characters, does not know.
fn padded(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

/// `ja: 9 current, 1 stale, 1 untracked, 2 missing of 13` for every language in `entries`.
pub fn summary_lines(entries: &[Entry]) -> Vec<String> {
    let mut langs: Vec<&str> = Vec::new();
    for e in entries {
        if !langs.contains(&e.lang.as_str()) {
            langs.push(&e.lang);
        }
    }
    langs
        .into_iter()
        .map(|lang| {
            let of_lang: Vec<&Entry> = entries.iter().filter(|e| e.lang == lang).collect();
            let counts: Vec<String> = Status::ALL
                .iter()
                .map(|s| {
                    let n = of_lang.iter().filter(|e| e.status == *s).count();
                    format!("{n} {}", s.name())
                })
                .collect();
            format!("{lang}: {} of {}", counts.join(", "), of_lang.len())
        })
        .collect()
}

/// The text report: per language, a table grouped by status (what needs work first), then
/// the summary line.
pub fn render_text(entries: &[Entry]) -> String {
    let mut out = String::new();
    let summaries = summary_lines(entries);
    let mut langs: Vec<&str> = Vec::new();
    for e in entries {
        if !langs.contains(&e.lang.as_str()) {
            langs.push(&e.lang);
        }
    }
    let key_width = entries
        .iter()
        .map(|e| e.key.width())
        .max()
        .unwrap_or(0)
        .max(4);
    let _ = writeln!(
        out,
        "  {:<8} {}  {:<10}  translation",
        "kind",
        padded("item", key_width),
        "changed"
    );
    for (lang, summary) in langs.iter().zip(&summaries) {
        for status in [
            Status::Stale,
            Status::Missing,
            Status::Untracked,
            Status::Current,
        ] {
            let group: Vec<&Entry> = entries
                .iter()
                .filter(|e| e.lang == *lang && e.status == status)
                .collect();
            if group.is_empty() {
                continue;
            }
            let _ = writeln!(out, "{lang} {} ({}):", status.name(), group.len());
            for e in group {
                let translation = match (&e.translation, e.kind, e.draft) {
                    (Some(t), _, true) => format!("{t} (draft)"),
                    (Some(t), ItemKind::Term, _) => format!("{t} [term.{lang}]"),
                    (Some(t), _, _) => t.clone(),
                    (None, ItemKind::Term, _) => format!("no [term.{lang}] in {}", e.source),
                    (None, _, _) => "-".to_string(),
                };
                let _ = writeln!(
                    out,
                    "  {:<8} {}  {:<10}  {translation}",
                    e.kind.name(),
                    padded(&e.key, key_width),
                    e.source_updated.as_deref().unwrap_or("-"),
                );
            }
        }
        let _ = writeln!(out, "{summary}");
        out.push('\n');
    }
    if entries.iter().any(|e| e.status == Status::Stale) {
        out.push_str("see what changed in a stale translation's source: tebiki translations diff FILE\nonce a translation matches its source again: tebiki translations mark FILE\n");
    } else if entries.iter().any(|e| e.status == Status::Untracked) {
        out.push_str(
            "record that a translation matches its source: tebiki translations mark FILE\n",
        );
    }
    out
}

/// A translation `mark` wrote.
#[derive(Debug)]
pub struct Marked {
    pub file: String,
    pub version: String,
    /// Whether the file already recorded this version (then it is left untouched).
    pub unchanged: bool,
}

/// `tebiki translations mark`: records in each file's front matter the source's current blob
/// id, changing nothing else. Every file is checked before any is written: on an error,
/// nothing is written.
pub fn mark(root: &Path, files: &[PathBuf]) -> Result<Vec<Marked>, Error> {
    let config = config::load(root).map_err(Error::Content)?;
    let mut usage = Vec::new();
    let mut problems = Vec::new();
    let mut writes = Vec::new();
    // A file named twice (`mark x.ja.md content/x.ja.md`, or by a glob and by hand) is marked
    // once: written twice, the second write would find the first's temporary file gone.
    let mut named = std::collections::BTreeSet::new();
    for file in files {
        let pair = match pair(root, &config, file) {
            Ok(pair) => pair,
            Err(Error::Content(mut d)) => {
                problems.append(&mut d);
                continue;
            }
            Err(e) => {
                usage.push(e.to_string());
                continue;
            }
        };
        if !named.insert(pair.file.clone()) {
            continue;
        }
        let path = root.join(&pair.file);
        let source_path = root.join(&pair.source);
        let version = std::fs::read(&source_path)
            .map(|b| version_to_record(root, &source_path, &b))
            .map_err(|e| Error::io(&source_path, e))?;
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                usage.push(Error::io(&path, e).to_string());
                continue;
            }
        };
        match frontmatter_edit::set_key(&text, "translated_from", &format!("\"{version}\"")) {
            Ok(new) => writes.push((path, pair.file, version, new != text, new)),
            Err((line, message)) => problems.push(
                Diagnostic::error(Code::FrontMatter, &pair.file, message)
                    .at(line, 1)
                    .suggest(format!(
                        "then run `tebiki translations mark {}` again",
                        pair.file
                    )),
            ),
        }
    }
    if !usage.is_empty() {
        return Err(Error::Usage(format!(
            "{}; nothing was marked",
            usage.join("\nerror: ")
        )));
    }
    if !problems.is_empty() {
        return Err(Error::Content(problems));
    }
    let changes: Vec<(PathBuf, &str, &str)> = writes
        .iter()
        .filter(|w| w.3)
        .map(|(path, file, _, _, text)| (path.clone(), file.as_str(), text.as_str()))
        .collect();
    let verb = super::replace::Verb {
        done: "marked",
        temp: "tebiki-mark",
    };
    super::replace::replace_all(&changes, &verb)?;
    Ok(writes
        .into_iter()
        .map(|(_, file, version, changed, _)| Marked {
            file,
            version,
            unchanged: !changed,
        })
        .collect())
}

/// `tebiki translations`: prints the report in `format`; with `strict`, exits 1 when a
/// translation is stale or missing. Errors that do not change the listing are printed after
/// it, on stderr, and do not change the exit code: `check` and `build` are the gates for them.
pub fn run(root: &Path, lang: Option<&str>, format: Format, strict: bool) -> Result<u8, Error> {
    let (entries, others) = listing(root, lang)?;
    match format {
        Format::Json => match serde_json::to_string_pretty(&entries) {
            Ok(json) => println!("{json}"),
            Err(e) => return Err(Error::Usage(format!("cannot write JSON: {e}"))),
        },
        Format::Text => print!("{}", render_text(&entries)),
    }
    print_unrelated(root, &others, "the listing");
    let behind = entries
        .iter()
        .any(|e| matches!(e.status, Status::Stale | Status::Missing));
    Ok(u8::from(strict && behind))
}

/// Prints on stderr the errors of `others`, sorted, that did not change `what` a read-only
/// command showed, and says so: they are not its to fail on, but the writer should see them.
pub(crate) fn print_unrelated(root: &Path, others: &[Diagnostic], what: &str) {
    let errors: Vec<&Diagnostic> = others.iter().filter(|d| d.is_error()).collect();
    if errors.is_empty() {
        return;
    }
    let style = crate::diag::Style::for_stream(&std::io::stderr());
    let mut sources = crate::diag::Sources::new(root);
    for d in &errors {
        eprintln!("{}", d.render_in(&mut sources, style));
    }
    let (these, them) = match errors.len() {
        1 => ("this error does", "it"),
        _ => ("these errors do", "them"),
    };
    eprintln!("note: {these} not change {what}; `tebiki check` and `tebiki build` fail on {them}");
}

/// `tebiki translations mark`: marks the files and lists what changed.
pub fn run_mark(root: &Path, files: &[PathBuf]) -> Result<u8, Error> {
    for m in mark(root, files)? {
        let short = &m.version[..7];
        if m.unchanged {
            eprintln!("  {} already records version {short}", m.file);
        } else {
            eprintln!("  marked {} as translated from version {short}", m.file);
        }
    }
    Ok(0)
}
