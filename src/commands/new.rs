//! `tebiki new`: a new guide with every front matter key a guide needs, or the translation of
//! an existing one — a copy of the source, front matter and body, for the translator to
//! rewrite in place, recording the source version it starts from and kept as a draft (readers
//! get the original) until the translator publishes it.

use std::path::Path;

use crate::diag::{Code, Diagnostic};
use crate::error::Error;
use crate::model::blob::blob_id;
use crate::model::config::{self, Config};
use crate::model::content_path::{CONTENT_DIR, ContentPath};
use crate::model::dates::Date;
use crate::model::frontmatter_edit;
use crate::model::slug::{is_safe_segment, slugify};

/// What `new` created.
#[derive(Debug)]
pub struct Created {
    /// The new file, relative to the site root.
    pub file: String,
    /// For a translation: its source and the source version it records.
    pub translation_of: Option<(String, String)>,
}

/// Creates `path` (relative to `content/`; a leading `content/` is accepted) in the site at
/// `root`: a new guide, or with `lang` the translation of the guide at `path`. A path named
/// `NAME.LANG.md` asks for the translation of `NAME.md` too. Never overwrites a file.
pub fn new(root: &Path, path: &str, lang: Option<&str>, today: Date) -> Result<Created, Error> {
    let config = config::load(root).map_err(Error::Content)?;
    let rel = content_path(path)?;
    let parsed = ContentPath::parse(&rel);
    let (dir, base, named_lang) = (parsed.dir, parsed.base, parsed.lang);
    url_safe(root, &rel, dir, base, named_lang)?;
    let lang = match (lang, named_lang) {
        (Some(a), Some(b)) if a != b => {
            return Err(Error::Usage(format!(
                "`{path}` is named for language `{b}` but --lang is `{a}`"
            )));
        }
        (a, b) => a.or(b).filter(|l| !config.is_default(l)),
    };
    match lang {
        None => {
            let target = parsed.key();
            let text = guide_skeleton(base, dir, today);
            write_new(root, &target, &text)?;
            Ok(Created {
                file: format!("{CONTENT_DIR}/{target}"),
                translation_of: None,
            })
        }
        Some(lang) => translation(
            root,
            &config,
            &parsed.key(),
            &parsed.file_in(Some(lang)),
            lang,
        ),
    }
}

fn translation(
    root: &Path,
    config: &Config,
    source_rel: &str,
    target: &str,
    lang: &str,
) -> Result<Created, Error> {
    if config.language(lang).is_none() {
        let declared: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        return Err(Error::Usage(format!(
            "`{lang}` is not declared in book.toml; declared languages: {}",
            declared.join(", ")
        )));
    }
    let source = format!("{CONTENT_DIR}/{source_rel}");
    let source_path = root.join(&source);
    let bytes = match std::fs::read(&source_path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Usage(format!(
                "`{source}` does not exist, so there is nothing to translate; create the guide first with `tebiki new {source_rel}`"
            )));
        }
        Err(e) => return Err(Error::io(&source_path, e)),
    };
    let text = String::from_utf8(bytes.clone()).map_err(|_| {
        Error::Content(vec![
            Diagnostic::error(Code::Io, &source, "the source is not UTF-8 text")
                .suggest("save the file as UTF-8"),
        ])
    })?;
    let version = blob_id(&bytes);
    let edit = |text: &str, key: &str, literal: &str| {
        frontmatter_edit::set_key(text, key, literal).map_err(|(line, message)| {
            Error::Content(vec![
                Diagnostic::error(Code::FrontMatter, &source, message)
                    .at(line, 1)
                    .suggest("fix the source's front matter, then run `tebiki new` again"),
            ])
        })
    };
    let text = edit(&text, "translated_from", &format!("\"{version}\""))?;
    let text = edit(&text, "draft", "true")?;
    write_new(root, target, &text)?;
    Ok(Created {
        file: format!("{CONTENT_DIR}/{target}"),
        translation_of: Some((source, version)),
    })
}

/// `guides/x.md` from what the user typed: `content/guides/x.md`, `guides/x`, `guides/x/`
/// (a page bundle's `index.md`). Absolute paths and `..` are refused.
fn content_path(path: &str) -> Result<String, Error> {
    let p = path.replace('\\', "/");
    let p = p.trim_start_matches("./");
    let p = p.strip_prefix(&format!("{CONTENT_DIR}/")).unwrap_or(p);
    if p.is_empty() || p.starts_with('/') || p.split('/').any(|s| s == ".." || s == ".") {
        return Err(Error::Usage(format!(
            "`{path}` must be a path inside content/, such as `guides/my-guide.md`"
        )));
    }
    Ok(if p.ends_with('/') {
        format!("{p}index.md")
    } else if p.ends_with(".md") {
        p.to_string()
    } else {
        format!("{p}.md")
    })
}

/// Refuses a path the build would then reject because its name cannot be part of a URL
/// (`guides/new one.md`), suggesting the slug (`guides/new-one.md`). Folders that already
/// exist are the site's own business and are left alone.
fn url_safe(
    root: &Path,
    rel: &str,
    dir: &str,
    base: &str,
    lang: Option<&str>,
) -> Result<(), Error> {
    let content = root.join(CONTENT_DIR);
    let mut bad = false;
    let mut fixed: Vec<String> = Vec::new();
    let mut so_far = String::new();
    for segment in dir.split('/').filter(|s| !s.is_empty()) {
        so_far = if so_far.is_empty() {
            segment.to_string()
        } else {
            format!("{so_far}/{segment}")
        };
        if is_safe_segment(segment) || content.join(&so_far).is_dir() {
            fixed.push(segment.to_string());
        } else {
            bad = true;
            fixed.push(slug_or(segment, "section"));
        }
    }
    let file = if matches!(base, "index" | "_index") || is_safe_segment(base) {
        base.to_string()
    } else {
        bad = true;
        slug_or(base, "guide")
    };
    if !bad {
        return Ok(());
    }
    let mut suggestion = fixed;
    suggestion.push(match lang {
        Some(lang) => format!("{file}.{lang}.md"),
        None => format!("{file}.md"),
    });
    let suggestion = suggestion.join("/");
    Err(Error::Usage(format!(
        "`{rel}` cannot be part of a URL (a page name may not hold spaces, start with `.` or contain `\\ : ? # %`); use a slug instead: `tebiki new {suggestion}`"
    )))
}

fn slug_or(text: &str, fallback: &str) -> String {
    let slug = slugify(text);
    if slug.is_empty() {
        fallback.to_string()
    } else {
        slug
    }
}

fn write_new(root: &Path, rel: &str, text: &str) -> Result<(), Error> {
    let path = root.join(CONTENT_DIR).join(rel);
    if path.exists() {
        return Err(Error::Usage(format!(
            "`{CONTENT_DIR}/{rel}` already exists; tebiki new never overwrites a file"
        )));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| Error::io(&path, e))
}

/// The front matter and a short body for a new guide (or a section, for `_index.md`), as a
/// draft dated today with a review a year from now.
fn guide_skeleton(base: &str, dir: &str, today: Date) -> String {
    let name = match base {
        "index" | "_index" => dir.rsplit('/').next().unwrap_or(dir),
        _ => base,
    };
    let title = title_from(name).replace('\\', "\\\\").replace('"', "\\\"");
    if base == "_index" {
        return format!(
            "---\ntitle: \"{title}\"\nsummary: \"\"\nsort_by: weight\n---\n\nWhat the guides in this section cover.\n"
        );
    }
    let next_year = Date::parse(&format!(
        "{:04}-{:02}-{:02}",
        today.year + 1,
        today.month,
        today.day.min(28)
    ))
    .unwrap_or(today);
    format!(
        "---\n\
         title: \"{title}\"\n\
         summary: \"\"\n\
         date: {today}\n\
         as_of: {today}\n\
         review_by: {next}\n\
         tags: []\n\
         weight: 0\n\
         draft: true\n\
         sources: []\n\
         # sources:\n\
         #   - title: \"…\"\n\
         #     publisher: \"…\"\n\
         #     url: \"https://…\"\n\
         #     date: YYYY-MM-DD\n\
         ---\n\
         \n\
         Write the guide here. Remove `draft: true` to publish it.\n",
        today = today.iso(),
        next = next_year.iso(),
    )
}

/// `ai-safety-institute` → `Ai safety institute`: a starting point the writer replaces.
fn title_from(slug: &str) -> String {
    let words = slug.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `tebiki new`: creates the page and says what to do next.
pub fn run(root: &Path, path: &str, lang: Option<&str>) -> Result<u8, Error> {
    let created = new(root, path, lang, Date::today())?;
    match created.translation_of {
        Some((source, version)) => eprintln!(
            "created {} from {source} (version {}), as a draft: translate the title, summary, tags, category and text, then remove `draft: true`",
            created.file,
            &version[..7]
        ),
        None => eprintln!(
            "created {}, as a draft: remove `draft: true` to publish it",
            created.file
        ),
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_paths() {
        assert_eq!(content_path("content/guides/x.md").unwrap(), "guides/x.md");
        assert_eq!(content_path("guides/x").unwrap(), "guides/x.md");
        assert_eq!(content_path("guides/x/").unwrap(), "guides/x/index.md");
        assert!(content_path("../x.md").is_err());
        assert!(content_path("/etc/x.md").is_err());
    }

    #[test]
    fn skeleton_parses() {
        let today = Date::parse("2024-02-29").unwrap();
        let text = guide_skeleton("new-guide", "guides", today);
        let split = crate::model::frontmatter::split(&text).unwrap();
        let (meta, errors) =
            crate::model::frontmatter::parse(&split, "x.md", crate::model::frontmatter::Kind::Page);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(meta.title.as_deref(), Some("New guide"));
        assert_eq!(meta.review_by.unwrap().iso(), "2025-02-28");
        assert!(meta.draft);
    }
}
