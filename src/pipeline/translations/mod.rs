//! Where a site's translations stand: which translations of every page, section and glossary
//! term are current, stale, untracked or missing, and which file a translation translates. A
//! translation records the git blob id of its source file as it was translated
//! (`translated_from`, see [`blob`]); it is stale as soon as the source file's bytes hash
//! differently. `tebiki translations`, the XLIFF export and `serve`'s review view all read it
//! from here.
//!
//! [`blob`]: crate::model::blob

pub mod diff;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::diag::{Code, Diagnostic, Reported};
use crate::error::Error;
use crate::model::blob::Version;
use crate::model::config::{self, Config};
use crate::model::content_path::{CONTENT_DIR, ContentPath};
use crate::model::frontmatter::Kind;
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
