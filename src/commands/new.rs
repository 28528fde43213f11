//! `tebiki new`: a new guide with every front matter key a guide needs, or the translation of
//! an existing one — a copy of the source, front matter and body, for the translator to
//! rewrite in place, recording the source version it starts from and kept as a draft (readers
//! get the original) until the translator publishes it. With `--kind`, a new page starts from
//! an archetype: the site's `archetypes/KIND.LANG.md` or `archetypes/KIND.md`, else one of the
//! bundled kinds ([`BUNDLED`]).

use std::path::Path;

use crate::diag::{Code, Diagnostic, display_path};
use crate::error::Error;
use crate::model::blob::version_to_record;
use crate::model::config::{self, Config};
use crate::model::content_path::{CONTENT_DIR, ContentPath};
use crate::model::dates::Date;
use crate::model::frontmatter_edit;
use crate::model::slug::{is_safe_segment, slugify};
use crate::pipeline::claims;
use crate::pipeline::index::Site;
use crate::pipeline::load::Loaded;

/// What `new` created.
#[derive(Debug)]
pub struct Created {
    /// The new file, relative to the site root.
    pub file: String,
    /// For a translation: its source and the source version it records.
    pub translation_of: Option<(String, String)>,
}

/// The archetypes built into the binary: (kind, language, text). A kind's entry without a
/// language is its default-language (English) version.
pub const BUNDLED: &[(&str, Option<&str>, &str)] = &[
    ("brief", None, include_str!("archetypes/brief.md")),
    ("brief", Some("ja"), include_str!("archetypes/brief.ja.md")),
    ("guide", None, include_str!("archetypes/guide.md")),
    ("guide", Some("ja"), include_str!("archetypes/guide.ja.md")),
];

/// The folder of a site's own archetypes, relative to its root.
pub const ARCHETYPES_DIR: &str = "archetypes";

/// Creates `path` (relative to `content/`; a leading `content/` is accepted) in the site at
/// `root`: a new guide, or with `lang` the translation of the guide at `path`. A path named
/// `NAME.LANG.md` asks for the translation of `NAME.md` too. With `kind`, the new page starts
/// from that archetype, in `lang` (or the default language) when the page at `path` does not
/// exist yet. Never overwrites a file.
pub fn new(
    root: &Path,
    path: &str,
    lang: Option<&str>,
    kind: Option<&str>,
    today: Date,
) -> Result<Created, Error> {
    let config = config::load(root).map_err(Error::Content)?;
    let rel = content_path(path)?;
    let parsed = ContentPath::parse(&rel);
    let (dir, base, named_lang) = (parsed.dir, parsed.base, parsed.lang);
    url_safe(root, &rel, dir, base, named_lang)?;
    let lang = match (lang, named_lang) {
        (Some(a), Some(b)) if a != b => {
            return Err(Error::Usage(lang_mismatch(&config, &parsed, a, b)));
        }
        (a, b) => a.or(b).filter(|l| !config.is_default(l)),
    };
    if let Some(lang) = lang {
        declared(&config, lang)?;
    }
    // A translation copies an existing page; anything else starts a page that is not there.
    let copies =
        lang.is_some() && kind.is_none() && root.join(CONTENT_DIR).join(parsed.key()).is_file();
    if parsed.is_index() && !copies && (dir.is_empty() || holds_pages(root, dir)) {
        return Err(not_a_bundle(&rel, dir));
    }
    not_generated(root, &config, &parsed, lang)?;
    if let Some(kind) = kind {
        let key = parsed.key();
        if lang.is_some() && root.join(CONTENT_DIR).join(&key).exists() {
            return Err(Error::Usage(format!(
                "`{CONTENT_DIR}/{key}` exists, so its translation starts as a copy of it, not from an archetype: drop --kind (`tebiki new {key} --lang {}`)",
                lang.unwrap_or_default()
            )));
        }
        let page_lang = lang.unwrap_or(&config.default_language);
        let text = archetype(root, kind, page_lang)?;
        let text = fill(&text, &title_from(page_name(base, dir)), today);
        let target = parsed.file_in(lang);
        write_new(root, &target, &text)?;
        return Ok(Created {
            file: format!("{CONTENT_DIR}/{target}"),
            translation_of: None,
        });
    }
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

/// Why `PATH` named for language `named` and `--lang asked` do not go together, and what to
/// run instead. A translation is always made from the default language's file; a page that
/// exists only in another language gets its default-language version written, not generated.
fn lang_mismatch(config: &Config, parsed: &ContentPath<'_>, asked: &str, named: &str) -> String {
    let original = parsed.key();
    let file = parsed.file_in(Some(named));
    let default = &config.default_language;
    if config.is_default(asked) {
        return format!(
            "`{file}` is the `{named}` version of `{original}`, and --lang `{asked}` asks for a translation into the default language; tebiki translates from the default language's file (the original, `{original}`) into the others, not the other way. For a page that exists only in `{named}`, write its `{default}` version yourself: `tebiki new {original}` starts it, and `{file}` is then its translation (run `tebiki translations mark {CONTENT_DIR}/{file}` once they match)"
        );
    }
    format!(
        "`{file}` is named for language `{named}` but --lang is `{asked}`; a translation is named after its original, the default language's file: `tebiki new {original} --lang {asked}` starts `{}`",
        parsed.file_in(Some(asked))
    )
}

fn declared(config: &Config, lang: &str) -> Result<(), Error> {
    if config.language(lang).is_none() {
        let declared: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        return Err(Error::Usage(format!(
            "`{lang}` is not declared in book.toml; declared languages: {}",
            declared.join(", ")
        )));
    }
    Ok(())
}

/// Every kind `new --kind` knows in the site at `root`: the bundled ones and the site's own
/// (`archetypes/KIND.md`, `archetypes/KIND.LANG.md`), sorted.
pub fn kinds(root: &Path) -> Vec<String> {
    let mut kinds: std::collections::BTreeSet<String> =
        BUNDLED.iter().map(|(k, _, _)| k.to_string()).collect();
    if let Ok(entries) = std::fs::read_dir(root.join(ARCHETYPES_DIR)) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(stem) = name.strip_suffix(".md") {
                let kind = stem.split('.').next().unwrap_or(stem);
                if is_kind_name(kind) && entry.path().is_file() {
                    kinds.insert(kind.to_string());
                }
            }
        }
    }
    kinds.into_iter().collect()
}

/// A kind is a plain file name: letters, digits, `-` and `_`.
fn is_kind_name(kind: &str) -> bool {
    !kind.is_empty()
        && kind
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The text of archetype `kind` for a page in `lang`: the site's `archetypes/KIND.LANG.md`,
/// then its `archetypes/KIND.md` (a site's own kind serves every language), then the bundled
/// version in `lang`, then the bundled default. An unknown kind is a usage error listing the
/// kinds there are.
pub fn archetype(root: &Path, kind: &str, lang: &str) -> Result<String, Error> {
    let unknown = || {
        Error::Usage(format!(
            "there is no archetype `{kind}`; kinds: {} (add one as {ARCHETYPES_DIR}/{kind}.md)",
            kinds(root).join(", ")
        ))
    };
    if !is_kind_name(kind) {
        return Err(unknown());
    }
    for name in [format!("{kind}.{lang}.md"), format!("{kind}.md")] {
        let rel = format!("{ARCHETYPES_DIR}/{name}");
        let path = root.join(&rel);
        if !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        return String::from_utf8(bytes).map_err(|_| {
            Error::Content(vec![
                Diagnostic::error(Code::Io, &rel, "the archetype is not UTF-8 text")
                    .suggest("save the file as UTF-8"),
            ])
        });
    }
    BUNDLED
        .iter()
        .find(|(k, l, _)| *k == kind && *l == Some(lang))
        .or_else(|| BUNDLED.iter().find(|(k, l, _)| *k == kind && l.is_none()))
        .map(|(_, _, text)| text.to_string())
        .ok_or_else(unknown)
}

/// An archetype with its placeholders filled: `{{ title }}` (escaped for a double-quoted YAML
/// or TOML string), `{{ date }}` (today) and `{{ review_by }}` (a year from today).
fn fill(text: &str, title: &str, today: Date) -> String {
    let title = title.replace('\\', "\\\\").replace('"', "\\\"");
    text.replace("{{ title }}", &title)
        .replace("{{ date }}", &today.iso())
        .replace("{{ review_by }}", &a_year_after(today).iso())
}

/// The name a new page's title starts from: the file's, or its folder's for `index.md` and
/// `_index.md`.
fn page_name<'a>(base: &'a str, dir: &'a str) -> &'a str {
    match base {
        "index" | "_index" => dir.rsplit('/').next().unwrap_or(dir),
        _ => base,
    }
}

/// The same day a year later (the 28th for days past it, so every month has it).
fn a_year_after(today: Date) -> Date {
    Date::parse(&format!(
        "{:04}-{:02}-{:02}",
        today.year + 1,
        today.month,
        today.day.min(28)
    ))
    .unwrap_or(today)
}

fn translation(
    root: &Path,
    config: &Config,
    source_rel: &str,
    target: &str,
    lang: &str,
) -> Result<Created, Error> {
    declared(config, lang)?;
    let source = format!("{CONTENT_DIR}/{source_rel}");
    let source_path = root.join(&source);
    let bytes = match crate::model::read_regular(&source_path) {
        Ok(bytes) => bytes,
        Err(e)
            if e.kind() == std::io::ErrorKind::NotFound
                && root.join(CONTENT_DIR).join(target).exists() =>
        {
            return Err(Error::Usage(format!(
                "`{source}` does not exist: `{CONTENT_DIR}/{target}` is a page written only in `{lang}`, and tebiki translates from the default language's file, not into it; to give the page its `{default}` version, write it yourself: `tebiki new {source_rel}` starts it, and `{CONTENT_DIR}/{target}` is then its translation",
                default = config.default_language
            )));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Usage(format!(
                "`{source}` does not exist, so there is nothing to translate (a translation starts as a copy of its original, the default language's file); create the original first with `tebiki new {source_rel}`, or, for a page written only in `{lang}`, start `{CONTENT_DIR}/{target}` from an archetype: `tebiki new {target} --kind guide`"
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
    let version = version_to_record(root, &source_path, &bytes);
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

/// Whether folder `dir` of content/ holds a Markdown file, at any depth: a page bundle's
/// folder may hold no page but its own.
fn holds_pages(root: &Path, dir: &str) -> bool {
    walkdir::WalkDir::new(root.join(CONTENT_DIR).join(dir))
        .into_iter()
        .flatten()
        .any(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
}

/// The refusal of a new `index.md` in a folder that holds pages: it would make the folder a
/// page bundle, which may hold no other pages (`guides/index.md` would break every guide
/// beside it).
fn not_a_bundle(rel: &str, dir: &str) -> Error {
    if dir.is_empty() {
        return Error::Usage(format!(
            "`{rel}` is not the home page, which is `_index.md`: `tebiki new _index.md`"
        ));
    }
    Error::Usage(format!(
        "`{rel}` would make its folder a page bundle, whose folder holds one page only; for a page in `{dir}/`, name it: `tebiki new {dir}/my-guide.md`; for the section's intro: `tebiki new {dir}/_index.md` (to give a page files of its own, move it to `NAME/index.md` yourself)"
    ))
}

/// Refuses a page whose output would take a path tebiki generates (`glossary.md` would be
/// written where the glossary page is), by the rules of the build's output map: the next
/// build would fail.
fn not_generated(
    root: &Path,
    config: &Config,
    parsed: &ContentPath<'_>,
    lang: Option<&str>,
) -> Result<(), Error> {
    let lang = lang.filter(|l| !config.is_default(l));
    // Only the generated paths are wanted: no content, no git.
    let config = Config {
        git_dates: false,
        ..config.clone()
    };
    let site = Site::index(root.to_path_buf(), config, Loaded::default()).value;
    let home = site.home_path(lang.unwrap_or(&site.config.default_language));
    let file = format!("{CONTENT_DIR}/{}", parsed.file_in(lang));
    let taken = |path: &str, what: &str, instead: &str| match claims::generated_at(&site, path) {
        None => Ok(()),
        Some((claimed, by)) => {
            let inside = if claimed == path {
                String::new()
            } else {
                format!(", inside `{claimed}`")
            };
            Err(Error::Usage(format!(
                "`{file}` cannot be created: {what} would be written to `{path}` in the output{inside}, the place of {by}; {instead}"
            )))
        }
    };
    // Each folder the page is in becomes a section, with a list page of its own.
    let mut dir = String::new();
    for segment in parsed.dir.split('/').filter(|s| !s.is_empty()) {
        dir = format!("{dir}{segment}/");
        let what = format!("the section page of its folder `{dir}`");
        taken(
            &format!("{home}{dir}index.html"),
            &what,
            "choose another folder",
        )?;
    }
    // A section intro's and a bundle's page are their folder's, checked above.
    if parsed.is_section() || parsed.is_index() {
        return Ok(());
    }
    let page = format!("{home}{dir}{}/index.html", parsed.base);
    taken(&page, "its page", "choose another name")
}

/// Refuses a path that passes through a symbolic link under `content/`: the build does not
/// follow links, and the file could land outside the site.
pub(crate) fn no_symlink(root: &Path, rel: &str) -> Result<(), Error> {
    let mut at = root.join(CONTENT_DIR);
    for segment in rel.split('/') {
        at.push(segment);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let shown = display_path(root, &at);
                let target = std::fs::read_link(&at)
                    .map(|t| format!(" (to {})", t.display()))
                    .unwrap_or_default();
                return Err(Error::Usage(format!(
                    "`{shown}` is a symbolic link{target}, which the build does not follow: create the page in a real folder inside content/"
                )));
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(())
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
    no_symlink(root, rel)?;
    let path = root.join(CONTENT_DIR).join(rel);
    if path.exists() {
        return Err(Error::Usage(format!(
            "`{CONTENT_DIR}/{rel}` already exists; tebiki new never overwrites a file"
        )));
    }
    // A folder of the path that is a file (`x.md` in `guides/x.md/y.md`) would fail as
    // "File exists", which names neither the file nor what to do.
    let folders = rel.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut at = root.join(CONTENT_DIR);
    for (i, part) in folders.split('/').filter(|p| !p.is_empty()).enumerate() {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| !m.is_dir()) {
            let file = folders.split('/').take(i + 1).collect::<Vec<_>>().join("/");
            return Err(Error::Usage(format!(
                "cannot create `{CONTENT_DIR}/{rel}`: `{CONTENT_DIR}/{file}` is a file, not a folder; choose a path without it as a folder, or rename or move that file first"
            )));
        }
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
    let title = title_from(page_name(base, dir))
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    if base == "_index" {
        return format!(
            "---\ntitle: \"{title}\"\nsummary: \"\"\nsort_by: weight\n---\n\nWhat the guides in this section cover.\n"
        );
    }
    let next_year = a_year_after(today);
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

/// What `tebiki new` tells the writer about the file it made: whether it is a draft, how its
/// `draft` line is written (`draft: true` in YAML, `draft = true` in TOML), and for a
/// translation which words it holds to translate (a section intro has no tags or category).
struct Made {
    draft: Option<&'static str>,
    to_translate: String,
}

impl Made {
    fn of(text: &str, file: &str) -> Made {
        use crate::model::frontmatter::{self, Format, Kind};
        let rel = file
            .strip_prefix(&format!("{CONTENT_DIR}/"))
            .unwrap_or(file);
        let kind = match ContentPath::parse(rel).is_section() {
            true => Kind::Section,
            false => Kind::Page,
        };
        let Ok(split) = frontmatter::split(text) else {
            return Made {
                draft: None,
                to_translate: "the text".to_string(),
            };
        };
        let (meta, _) = frontmatter::parse(&split, file, kind);
        let draft = meta.draft.then(|| match split.matter.map(|(f, _)| f) {
            Some(Format::Toml) => "draft = true",
            _ => "draft: true",
        });
        let mut words: Vec<&str> = ["title", "summary", "tags", "category"]
            .into_iter()
            .filter(|k| meta.key_lines.contains_key(*k))
            .collect();
        words.push("text");
        let to_translate = match words.split_last() {
            Some((last, rest)) if !rest.is_empty() => {
                format!("the {} and {last}", rest.join(", "))
            }
            _ => "the text".to_string(),
        };
        Made {
            draft,
            to_translate,
        }
    }
}

/// `tebiki new`: creates the page and says what to do next.
pub fn run(root: &Path, path: &str, lang: Option<&str>, kind: Option<&str>) -> Result<u8, Error> {
    let created = new(root, path, lang, kind, Date::today())?;
    // A section intro, or a site's archetype without `draft: true`, is not a draft.
    let made = std::fs::read_to_string(root.join(&created.file))
        .map(|text| Made::of(&text, &created.file))
        .unwrap_or(Made {
            draft: None,
            to_translate: "the text".to_string(),
        });
    let words = &made.to_translate;
    match (created.translation_of, made.draft) {
        (Some((source, version)), Some(draft)) => eprintln!(
            "created {} from {source} (version {}), as a draft: translate {words}, then remove `{draft}`",
            created.file,
            &version[..7]
        ),
        (Some((source, version)), None) => eprintln!(
            "created {} from {source} (version {}): translate {words}",
            created.file,
            &version[..7]
        ),
        (None, Some(draft)) => eprintln!(
            "created {}, as a draft: remove `{draft}` to publish it",
            created.file
        ),
        (None, None) => eprintln!("created {}", created.file),
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

    #[test]
    fn bundled_archetypes_parse_once_filled() {
        let today = Date::parse("2026-03-31").unwrap();
        for (kind, lang, text) in BUNDLED {
            let text = fill(text, "A \"quoted\" title", today);
            let split = crate::model::frontmatter::split(&text).unwrap();
            let (meta, errors) = crate::model::frontmatter::parse(
                &split,
                "x.md",
                crate::model::frontmatter::Kind::Page,
            );
            assert!(errors.is_empty(), "{kind} {lang:?}: {errors:?}");
            assert_eq!(meta.title.as_deref(), Some("A \"quoted\" title"));
            assert_eq!(meta.review_by.unwrap().iso(), "2027-03-28");
            assert!(meta.draft);
        }
    }
}
