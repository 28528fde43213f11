//! Translation status: which translations of every page, section and glossary term are
//! current, stale, untracked or missing, and `tebiki translations mark`. A translation records
//! the git blob id of its source file as it was translated (`translated_from`, see [`blob`]);
//! it is stale as soon as the source file's bytes hash differently.
//!
//! [`blob`]: crate::model::blob

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::commands::Format;
use crate::diag::{Code, Diagnostic, Reported};
use crate::error::Error;
use crate::model::blob::{Version, version_to_record};
use crate::model::config::{self, Config};
use crate::model::content_path::{CONTENT_DIR, ContentPath};
use crate::model::frontmatter::Kind;
use crate::model::frontmatter_edit;
use crate::model::translation::last_change;
use crate::model::translation::{Status, status_of};
use crate::pipeline::load::{self, SourceFile};

/// What a line of `tebiki translations` is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Page,
    Section,
    /// A glossary term (it has no file of its own: only current or missing).
    Term,
}

impl ItemKind {
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Page => "page",
            ItemKind::Section => "section",
            ItemKind::Term => "term",
        }
    }
}

/// One (item, language) line of `tebiki translations`. The JSON format is this struct; its
/// keys are stable.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// `page`, `section` or `term`.
    pub kind: ItemKind,
    /// The content path (`guides/ai-act.md`, `guides/_index.md`) or the glossary term's id.
    pub key: String,
    pub lang: String,
    pub status: Status,
    /// The source file, relative to the site root.
    pub source: String,
    /// The translation's file, or null when it does not exist.
    pub translation: Option<String>,
    /// The source's title (a term's name) in the default language.
    pub title: String,
    /// The source's last change: its `updated`, else its `date` (YYYY-MM-DD), or null.
    pub source_updated: Option<String>,
    /// The blob id of the source file now (null for glossary terms).
    pub source_version: Option<String>,
    /// The version the translation records, or null.
    pub translated_from: Option<String>,
    /// Whether the translation exists as a draft (it is then counted as missing).
    pub draft: bool,
}

/// The front matter keys the listing shows or decides a status by: an error in one of them
/// (a `draft: yes`, a `translated_from` that is a number) would make the listing wrong.
const LISTED_KEYS: &[&str] = &["title", "date", "updated", "draft", "translated_from"];

/// The status of every translation in the site at `root`, for every non-default language
/// or only `only`. Entries are ordered by language, then sections, pages and terms by key.
/// Any error in the content's files is an error here, sorted as `check` sorts them.
pub fn report(root: &Path, only: Option<&str>) -> Result<Vec<Entry>, Error> {
    entries(root, only, true).map(|(entries, _)| entries)
}

/// [`report`], going on past errors that do not change it: an error that leaves a file out
/// of the listing or is in a key it shows (`title`, `date`, `updated`, `draft`,
/// `translated_from`) stops it (sorted, as `check` sorts them);
/// the others (a `weight` that is not a number, an unknown key) are returned beside the
/// entries, sorted, for the listing to show after itself. A translator should see where a
/// translation stands whatever typo another page holds; `check` and `build` fail on it.
pub fn listing(root: &Path, only: Option<&str>) -> Result<(Vec<Entry>, Vec<Diagnostic>), Error> {
    entries(root, only, false)
}

/// [`listing`], or with `strict` [`report`]: stopped by any error.
fn entries(
    root: &Path,
    only: Option<&str>,
    strict: bool,
) -> Result<(Vec<Entry>, Vec<Diagnostic>), Error> {
    let config = config::load(root).map_err(Error::Content)?;
    let languages: Vec<&str> = config
        .languages
        .iter()
        .map(|l| l.code.as_str())
        .filter(|l| !config.is_default(l))
        .collect();
    if let Some(lang) = only
        && !languages.contains(&lang)
    {
        return Err(Error::Usage(format!(
            "`{lang}` is not a translation language of this site; choose one of: {}",
            languages.join(", ")
        )));
    }
    let languages: Vec<&str> = languages
        .into_iter()
        .filter(|l| only.is_none_or(|o| o == *l))
        .collect();

    // Drafts are loaded too: a draft original is not reported, a draft translation is missing.
    let Reported {
        value: loaded,
        mut diagnostics,
    } = load::load(root, &config, true);
    crate::diag::sort(&mut diagnostics);
    let key_lines: BTreeMap<&str, Vec<usize>> = loaded
        .sources
        .iter()
        .map(|s| {
            let lines = LISTED_KEYS
                .iter()
                .filter_map(|k| s.meta.key_lines.get(*k).copied())
                .collect();
            (s.file.as_str(), lines)
        })
        .collect();
    // A file left out (no key lines: it was not loaded) or an error at a listed key's line.
    let stops = |d: &Diagnostic| {
        d.is_error()
            && (strict
                || key_lines
                    .get(d.file.as_str())
                    .is_none_or(|lines| lines.contains(&d.line)))
    };
    if diagnostics.iter().any(stops) {
        // Strict: every problem; else those that stop it, the others being beside the point.
        diagnostics.retain(|d| d.is_error() && (strict || stops(d)));
        return Err(Error::Content(diagnostics));
    }
    let others = diagnostics;
    let mut by_key: BTreeMap<(bool, &str), BTreeMap<&str, &SourceFile>> = BTreeMap::new();
    for s in &loaded.sources {
        by_key
            .entry((s.kind == Kind::Page, s.key.as_str()))
            .or_default()
            .insert(s.lang.as_str(), s);
    }
    let originals: Vec<(&SourceFile, &BTreeMap<&str, &SourceFile>)> = by_key
        .values()
        .filter_map(|versions| {
            let original = versions.get(config.default_language.as_str())?;
            (!original.meta.draft).then_some((*original, versions))
        })
        .collect();
    let blobs: Vec<Option<Version>> = originals.iter().map(|(s, _)| s.blob.clone()).collect();
    let terms = glossary_terms(root, &config)?;

    let mut entries = Vec::new();
    for lang in languages {
        for ((original, versions), blob) in originals.iter().zip(&blobs) {
            let translation = versions.get(lang);
            let draft = translation.is_some_and(|t| t.meta.draft);
            let status = match translation {
                None => Status::Missing,
                Some(_) if draft => Status::Missing,
                Some(t) => status_of(&t.meta, || blob.clone()),
            };
            entries.push(Entry {
                kind: match original.kind {
                    Kind::Page => ItemKind::Page,
                    Kind::Section => ItemKind::Section,
                },
                key: original.key.clone(),
                lang: lang.to_string(),
                status,
                source: original.file.clone(),
                translation: translation.map(|t| t.file.clone()),
                title: original.meta.title.clone().unwrap_or_default(),
                source_updated: last_change(&original.meta).map(|d| d.iso()),
                source_version: blob.as_ref().map(|v| v.id.clone()),
                translated_from: translation.and_then(|t| t.meta.translated_from.clone()),
                draft,
            });
        }
        let glossary = format!("{CONTENT_DIR}/{}", config.glossary_file);
        for term in &terms {
            let present = term.languages.iter().any(|l| l == lang);
            entries.push(Entry {
                kind: ItemKind::Term,
                key: term.id.clone(),
                lang: lang.to_string(),
                status: if present {
                    Status::Current
                } else {
                    Status::Missing
                },
                source: glossary.clone(),
                translation: present.then(|| glossary.clone()),
                title: term.name.clone(),
                source_updated: None,
                source_version: None,
                translated_from: None,
                draft: false,
            });
        }
    }
    Ok((entries, others))
}

/// A glossary term as far as translation status needs it: its id, its name in the default
/// language and the languages it has an entry for.
struct GlossaryTerm {
    id: String,
    name: String,
    languages: Vec<String>,
}

/// The glossary's terms that have a default-language entry. A term has no file of its own to
/// hash, so terms are only ever current (the language's entry exists) or missing.
fn glossary_terms(root: &Path, config: &Config) -> Result<Vec<GlossaryTerm>, Error> {
    let Reported {
        value: glossary,
        diagnostics,
    } = crate::pipeline::glossary::load(root, config);
    if diagnostics.iter().any(Diagnostic::is_error) {
        let mut diagnostics = diagnostics;
        crate::diag::sort(&mut diagnostics);
        return Err(Error::Content(diagnostics));
    }
    let mut terms: Vec<GlossaryTerm> = glossary
        .map(|g| g.terms)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| {
            let name = t.langs.get(&config.default_language)?.term.clone();
            Some(GlossaryTerm {
                languages: t.langs.keys().cloned().collect(),
                id: t.id,
                name,
            })
        })
        .collect();
    terms.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(terms)
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
        .map(|e| e.key.chars().count())
        .max()
        .unwrap_or(0)
        .max(4);
    let _ = writeln!(
        out,
        "  {:<8} {:<key_width$}  {:<10}  translation",
        "kind", "item", "changed"
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
                    "  {:<8} {:<key_width$}  {:<10}  {translation}",
                    e.kind.name(),
                    e.key,
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

/// A translation file and its source.
#[derive(Debug, Clone)]
pub struct Pair {
    /// The translation, relative to the site root (`content/guides/ai-act.ja.md`).
    pub file: String,
    /// The source in the default language (`content/guides/ai-act.md`).
    pub source: String,
    pub lang: String,
    pub kind: Kind,
}

/// Finds the source of the translation `file` (a path as the user typed it). The source is
/// the file of the same name without the language code, beside it. A file outside
/// `content/`, or an original, is a usage error; an undeclared language or a missing
/// source is a content error.
pub fn pair(root: &Path, config: &Config, file: &Path) -> Result<Pair, Error> {
    let content = root.join(CONTENT_DIR);
    let canonical = |p: &Path| p.canonicalize().map_err(|e| Error::io(p, e));
    let abs = canonical(file)?;
    let rel = abs
        .strip_prefix(canonical(&content)?)
        .map_err(|_| {
            Error::Usage(format!(
                "`{}` is not inside the site's content/ folder ({})",
                file.display(),
                content.display()
            ))
        })?
        .to_string_lossy()
        .replace('\\', "/");
    let shown = format!("{CONTENT_DIR}/{rel}");
    if !rel.ends_with(".md") {
        return Err(Error::Usage(format!("`{shown}` is not a Markdown file")));
    }
    let path = ContentPath::parse(&rel);
    let lang = path
        .language(config, &shown)
        .map_err(|e| Error::Content(vec![e]))?;
    if config.is_default(&lang) {
        let example = config
            .languages
            .iter()
            .map(|l| l.code.as_str())
            .find(|l| !config.is_default(l))
            .unwrap_or("ja");
        return Err(Error::Usage(format!(
            "`{shown}` is in the default language ({}), so it is a source, not a translation; name a translation such as `{}.{example}.md`",
            config.default_language,
            shown.trim_end_matches(".md"),
        )));
    }
    let source_rel = path.key();
    let source = format!("{CONTENT_DIR}/{source_rel}");
    if !content.join(&source_rel).is_file() {
        return Err(Error::Content(vec![
            Diagnostic::error(
                Code::NoSource,
                &shown,
                format!("this translation's source `{source}` does not exist"),
            )
            .suggest(format!(
                "a translation is named after its original, the default language's file: restore `{source}`, or rename this file to `NAME.{lang}.md` beside the original it translates; a page written only in `{lang}` has no original, and nothing to mark"
            )),
        ]));
    }
    Ok(Pair {
        file: shown,
        source,
        lang,
        kind: if path.is_section() {
            Kind::Section
        } else {
            Kind::Page
        },
    })
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
    replace_all(&changes)?;
    Ok(writes
        .into_iter()
        .map(|(_, file, version, changed, _)| Marked {
            file,
            version,
            unchanged: !changed,
        })
        .collect())
}

/// Replaces every file of `changes` (path, name shown, new text) with its new text, all or
/// nothing as far as the file system allows: each new text is first written in full to a
/// temporary file beside its file (which also checks the file may be changed and the disk has
/// room), and only when all are written are they renamed over the files. If a rename still
/// fails, the error says which files were changed and which were not.
fn replace_all(changes: &[(PathBuf, &str, &str)]) -> Result<(), Error> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    for (path, file, text) in changes {
        match stage(path, text) {
            Ok(pair) => staged.push(pair),
            Err(e) => {
                for (temp, _) in &staged {
                    let _ = std::fs::remove_file(temp);
                }
                return Err(Error::Usage(format!(
                    "cannot write {file}: {e}; nothing was marked, no file was changed"
                )));
            }
        }
    }
    for (i, (temp, target)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(temp, target) {
            for (temp, _) in &staged[i..] {
                let _ = std::fs::remove_file(temp);
            }
            let names = |range: &[(PathBuf, &str, &str)]| -> String {
                range
                    .iter()
                    .map(|(_, file, _)| *file)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let done = match i {
                0 => "none".to_string(),
                _ => names(&changes[..i]),
            };
            return Err(Error::Usage(format!(
                "cannot write {}: {e}; marked: {done}; not marked: {}",
                changes[i].1,
                names(&changes[i..])
            )));
        }
    }
    Ok(())
}

/// Writes `text` to a new temporary file beside `path` (beside the real file when `path` is a
/// symbolic link), with `path`'s permissions, after checking `path` itself may be written.
/// Returns (temporary file, file it replaces).
fn stage(path: &Path, text: &str) -> std::io::Result<(PathBuf, PathBuf)> {
    use std::io::Write as _;
    let target = path.canonicalize()?;
    // Opening for appending writes nothing, and fails on a file that may not be changed.
    drop(std::fs::OpenOptions::new().append(true).open(&target)?);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = target.with_file_name(format!(".{name}.tebiki-mark"));
    if std::fs::symlink_metadata(&temp).is_ok_and(|m| m.is_file()) {
        // Left by an interrupted mark: ours, by its name.
        std::fs::remove_file(&temp)?;
    }
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)?;
    let written = out
        .write_all(text.as_bytes())
        .and_then(|()| out.sync_all())
        .and_then(|()| std::fs::metadata(&target))
        .and_then(|meta| std::fs::set_permissions(&temp, meta.permissions()));
    drop(out);
    match written {
        Ok(()) => Ok((temp, target)),
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(e)
        }
    }
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
