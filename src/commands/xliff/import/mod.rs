//! `tebiki translations import`: translations rebuilt from an XLIFF file's targets.
//!
//! One module a job: `read` parses the XLIFF file into units with their positions, `compose`
//! turns one target back into Markdown, `escape` keeps a target's text inside its block; this
//! module checks each `<file>` against the site, rebuilds its translation and writes them all.

mod compose;
mod escape;
mod read;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use self::compose::compose;
use self::read::{At, Piece, ReadFile, ReadUnit, read_xliff};
use super::{Parsed, inline, links, parse_bytes, parse_file};
use crate::commands::new::no_symlink;
use crate::commands::replace::{Verb, replace_all};
use crate::commands::xliff::segments::{Tok, Unit, block_structure, rebuild, units};
use crate::diag::{Code, Diagnostic};
use crate::error::Error;
use crate::model::blob::{blob_id, is_blob_id, version_to_record};
use crate::model::config;
use crate::model::content_path::{CONTENT_DIR, ContentPath};
use crate::model::frontmatter;
use crate::model::frontmatter_edit;

/// What `import` wrote.
#[derive(Debug)]
pub struct Imported {
    /// (translation written, version it records, whether it is still a draft).
    pub files: Vec<(String, String, bool)>,
}

/// A content file named in an XLIFF: relative, inside `content/`, a Markdown file.
fn content_file(name: &str) -> bool {
    name.starts_with(&format!("{CONTENT_DIR}/"))
        && name.ends_with(".md")
        && !name
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == ".." || s.contains('\\'))
}

/// Reads `xliff` and writes every translation it holds, or nothing when any file or unit
/// cannot be imported.
pub fn import(root: &Path, xliff: &Path) -> Result<Imported, Error> {
    let config = config::load(root).map_err(Error::Content)?;
    let shown = xliff.display().to_string();
    // An export of a whole site is a few MB; reading a far larger file would take the memory.
    const MAX_BYTES: u64 = 64 << 20;
    let size = std::fs::metadata(xliff)
        .map_err(|e| Error::io(xliff, e))?
        .len();
    if size > MAX_BYTES {
        return Err(Error::Content(vec![
            Diagnostic::error(
                Code::XliffImport,
                &shown,
                format!(
                    "the file is {} MB, more than the {} MB an import reads",
                    size >> 20,
                    MAX_BYTES >> 20
                ),
            )
            .suggest("import the file tebiki exported, with the targets filled in"),
        ]));
    }
    let bytes = std::fs::read(xliff).map_err(|e| Error::io(xliff, e))?;
    let text = super::decode(&bytes).map_err(|not| {
        Error::Content(vec![
            Diagnostic::error(Code::XliffImport, &shown, not.message)
                .at(not.line, not.column)
                .suggest("save the file as UTF-8 in your CAT tool (or as UTF-16, with a byte order mark), and import that"),
        ])
    })?;
    let ((lang, lang_at), files) = read_xliff(&text, &shown)?;
    if config.language(&lang).is_none() || config.is_default(&lang) {
        return Err(Error::Content(vec![
            Diagnostic::error(
                Code::XliffImport,
                &shown,
                format!("`trgLang` is `{lang}`, not a translation language of this site"),
            )
            .at(lang_at.0, lang_at.1),
        ]));
    }
    let mut problems = Vec::new();
    let mut writes: Vec<(String, String, String)> = Vec::new();
    let mut translations = BTreeSet::new();
    for f in &files {
        let Some(checked) = check_file(root, f, &lang, &shown, &mut translations, &mut problems)?
        else {
            continue;
        };
        if let Some(write) = translate_file(root, f, checked, &shown, &mut problems) {
            writes.push(write);
        }
    }
    if !problems.is_empty() {
        return Err(Error::Content(problems));
    }
    let changes: Vec<(PathBuf, &str, &str)> = writes
        .iter()
        .map(|(file, _, text)| (root.join(file), file.as_str(), text.as_str()))
        .collect();
    let verb = Verb {
        done: "imported",
        temp: "tebiki-import",
    };
    replace_all(&changes, &verb)?;
    Ok(Imported {
        files: writes
            .into_iter()
            .map(|(f, v, text)| {
                let draft = frontmatter::is_draft(&text, &f);
                (f, v, draft)
            })
            .collect(),
    })
}

/// An error of the XLIFF file `shown` at `at`, and what to do about it.
fn fail(shown: &str, (line, column): At, message: String, hint: &str) -> Diagnostic {
    Diagnostic::error(Code::XliffImport, shown, message)
        .at(line, column)
        .suggest(hint.to_string())
}

/// What [`check_file`] lets through of a `<file>`: its original, and its translation's bytes
/// as they are now (none for a page not translated yet).
struct Checked {
    original: Parsed,
    existing: Option<Vec<u8>>,
}

/// Checks a `<file>`'s attributes against the site: it names a page of it and that page's
/// translation, once in the XLIFF file, and neither changed since the export. What is wrong is
/// added to `problems`, and the file left out (`None`); a translation reached through a
/// symbolic link stops the import.
fn check_file<'a>(
    root: &Path,
    f: &'a ReadFile,
    lang: &str,
    shown: &str,
    translations: &mut BTreeSet<&'a str>,
    problems: &mut Vec<Diagnostic>,
) -> Result<Option<Checked>, Error> {
    let expected = content_file(&f.original).then(|| {
        let rel = &f.original[CONTENT_DIR.len() + 1..];
        format!(
            "{CONTENT_DIR}/{}",
            ContentPath::parse(rel).file_in(Some(lang))
        )
    });
    if expected.as_deref() != Some(f.translation.as_str()) || !is_blob_id(&f.version) {
        problems.push(fail(
            shown,
            f.at,
            format!("`<file original=\"{}\">` does not name a page of this site with its translation and version", f.original),
            "import the file tebiki exported, without changing its `<file>` attributes",
        ));
        return Ok(None);
    }
    if !translations.insert(f.translation.as_str()) {
        problems.push(fail(
            shown,
            f.at,
            format!("a second `<file>` for `{}`", f.original),
            "import one translation of each page: remove the other `<file>`",
        ));
        return Ok(None);
    }
    no_symlink(root, &f.translation[CONTENT_DIR.len() + 1..])?;
    let original = match parse_file(root, &f.original) {
        Ok(p) => p,
        Err(Error::Content(mut d)) => {
            problems.append(&mut d);
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let now = blob_id(&original.bytes);
    if now != f.version {
        problems.push(fail(
            shown,
            f.at,
            format!(
                "`{}` has changed since the export (exported version {}, now {})",
                f.original,
                &f.version[..7],
                &now[..7]
            ),
            "export again and have the new file translated; tebiki does not merge translations of an older version",
        ));
        return Ok(None);
    }
    // Read once: its version now, and below the front matter it keeps.
    let existing = std::fs::read(root.join(&f.translation)).ok();
    let translation_now = existing
        .as_deref()
        .map_or_else(|| "new".to_string(), blob_id);
    if let Some(then) = &f.translation_version
        && *then != translation_now
    {
        let said = |v: &str| match v {
            "new" => "none".to_string(),
            v => format!("version {}", v.get(..7).unwrap_or(v)),
        };
        problems.push(fail(
            shown,
            f.at,
            format!(
                "`{}` has changed since the export (then {}, now {}): importing would overwrite what was written in it since",
                f.translation,
                said(then),
                said(&translation_now)
            ),
            "export again, so that the file sent for translation holds those changes",
        ));
        return Ok(None);
    }
    Ok(Some(Checked { original, existing }))
}

/// The translation a checked `<file>`'s units rebuild: the original's body with every unit's
/// text replaced by its target, under the translation's own front matter (the original's for
/// a new one) with the targets of `title` and `summary` and the version translated. Returns
/// (translation, version it records, its text), or `None` with what is wrong added to
/// `problems`.
fn translate_file(
    root: &Path,
    f: &ReadFile,
    checked: Checked,
    shown: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<(String, String, String)> {
    let Checked { original, existing } = checked;
    let body_units = units(&original.body);
    let translation = existing
        .clone()
        .and_then(|bytes| parse_bytes(&f.translation, bytes).ok());
    let own = links::own_links(
        root,
        &f.original,
        &original,
        &body_units,
        translation.as_ref(),
    );
    let by_id: BTreeMap<&str, &ReadUnit> = f.units.iter().map(|u| (u.id.as_str(), u)).collect();
    // Each unit once, and only the page's: a tool that duplicated or added one would have
    // one of the copies win unseen.
    let known = |id: &str| {
        matches!(id, "title" | "summary")
            || id
                .strip_prefix('u')
                .and_then(|n| n.parse::<usize>().ok())
                .is_some_and(|n| (1..=body_units.len()).contains(&n))
    };
    let mut seen = BTreeSet::new();
    for u in &f.units {
        let problem = if !seen.insert(u.id.as_str()) {
            format!("unit `{}` of `{}` appears twice", u.id, f.original)
        } else if !known(&u.id) {
            format!("unit `{}` is not a block of `{}`", u.id, f.original)
        } else {
            continue;
        };
        problems.push(fail(
            shown,
            u.at,
            problem,
            "import the units tebiki exported, once each",
        ));
    }
    let definitions = inline::definitions(&original.body);
    let mut texts = Vec::new();
    let mut fm: Vec<(&str, String)> = Vec::new();
    let mut ok = true;
    let mut target_of = |id: &str,
                         toks: &[Tok],
                         kind: &str,
                         at: (usize, usize)|
     -> Option<String> {
        let Some(unit) = by_id.get(id) else {
            problems.push(fail(
                shown,
                at,
                format!("unit `{id}` of `{}` is missing from the file", f.original),
                "export again",
            ));
            return None;
        };
        if let Some(state_at) = unit.unreviewed {
            problems.push(fail(
                shown,
                state_at,
                format!(
                    "unit `{id}` of `{}` still has the old translation of a changed source (`state=\"initial\"`)",
                    f.original
                ),
                "review the unit against its new source, then confirm it (state `translated`) in your tool",
            ));
            return None;
        }
        if let Some(segment_at) = unit.untranslated_segment {
            problems.push(fail(
                shown,
                segment_at,
                format!(
                    "unit `{id}` of `{}` has a segment without a target",
                    f.original
                ),
                "translate every segment of every unit before importing",
            ));
            return None;
        }
        let Some(target) = unit.target.as_ref().filter(|t| {
            t.iter()
                .any(|p| !matches!(p, Piece::Text(s) if s.trim().is_empty()))
        }) else {
            problems.push(fail(
                shown,
                unit.at,
                format!("unit `{id}` of `{}` has no target", f.original),
                "translate every unit before importing",
            ));
            return None;
        };
        match compose(toks, target, kind, &definitions) {
            Ok(md) => Some(md),
            Err(refusals) => {
                for refusal in refusals {
                    problems.push(fail(
                        shown,
                        refusal.at.or(unit.target_at).unwrap_or(unit.at),
                        format!("unit `{id}` of `{}`: {}", f.original, refusal.message),
                        &refusal.help,
                    ));
                }
                None
            }
        }
    };
    for (key, value) in [("title", &original.title), ("summary", &original.summary)] {
        if value.as_ref().is_some_and(|v| !v.trim().is_empty()) {
            match target_of(key, &[Tok::Text(String::new())], "", f.at) {
                Some(t) => fm.push((key, t)),
                None => ok = false,
            }
        }
    }
    for (i, unit) in body_units.iter().enumerate() {
        let toks = links::with_own(&unit.toks, own.get(i));
        match target_of(&format!("u{}", i + 1), &toks, unit.kind, f.at) {
            Some(t) => texts.push(unit.continued(&t)),
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    let body = rebuild(&original.body, &body_units, &texts);
    // Escaping keeps text from starting a block; a code's markup moved to a line's start
    // (an HTML comment after a line break) cannot be escaped, and is refused.
    let blocks = block_structure(&original.body);
    if block_structure(&body) != blocks {
        let mut found = false;
        for (i, unit) in body_units.iter().enumerate() {
            let mut alone: Vec<String> = body_units.iter().map(Unit::markdown).collect();
            alone[i] = texts[i].clone();
            if block_structure(&rebuild(&original.body, &body_units, &alone)) != blocks {
                found = true;
                let id = format!("u{}", i + 1);
                let at = by_id
                    .get(id.as_str())
                    .map_or(f.at, |u| u.target_at.unwrap_or(u.at));
                problems.push(fail(
                    shown,
                    at,
                    format!(
                        "unit `{id}` of `{}`: its target would not stay one {}, as its source is",
                        f.original, unit.kind
                    ),
                    "keep the target's inline codes off the start of a line",
                ));
            }
        }
        if !found {
            problems.push(fail(
                shown,
                f.at,
                format!(
                    "the targets of `{}` would change the page's blocks",
                    f.original
                ),
                "keep the targets' inline codes off the start of a line",
            ));
        }
        return None;
    }
    // The translation keeps its own front matter where it has one (tags, category in its
    // language); a new one starts from the original's.
    let base = existing
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_else(|| original.text.clone());
    let mut new = match frontmatter::split(&base) {
        Ok(split) => {
            let head_len = base.len() - split.body.len();
            format!("{}{body}", &base[..head_len])
        }
        Err(_) => original.text.clone(),
    };
    let mut edits: Vec<(&str, String)> = fm
        .into_iter()
        .map(|(k, v)| (k, serde_json::Value::from(v.trim()).to_string()))
        .collect();
    // As `mark` records it: git's version of the original (the same text as exported).
    let recorded = version_to_record(root, &root.join(&f.original), &original.bytes);
    edits.push(("translated_from", format!("\"{recorded}\"")));
    for (key, literal) in edits {
        match frontmatter_edit::set_key(&new, key, &literal) {
            Ok(text) => new = text,
            Err((line, message)) => {
                problems.push(
                    Diagnostic::error(Code::FrontMatter, &f.translation, message).at(line, 1),
                );
                return None;
            }
        }
    }
    Some((f.translation.clone(), recorded, new))
}

/// `tebiki translations import`.
pub fn run_import(root: &Path, xliff: &Path) -> Result<u8, Error> {
    let done = import(root, xliff)?;
    // A translation started with `tebiki new --lang` is a draft until an editor publishes it.
    for (file, version, draft) in &done.files {
        eprintln!(
            "  imported {file}, translated from version {}{}",
            &version[..7],
            if *draft {
                " (still a draft: remove `draft: true` to publish it)"
            } else {
                ""
            }
        );
    }
    Ok(0)
}
