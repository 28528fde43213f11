//! The load stage: walk `content/`, classify every file (page, section, bundle asset, plain
//! asset), read the Markdown files in parallel and check their front matter. Nothing is
//! rendered yet: rendering needs the index of all pages, which the next stage builds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diag::{Code, Diagnostic, Reported, display_path};
use crate::model::config::Config;
use crate::model::content_path::{CONTENT_DIR, ContentPath, composed, is_ignored};
use crate::model::frontmatter::{self, FrontMatter, Kind};
use crate::pipeline::packed::Text;

/// A Markdown file as read from disk, before indexing.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root (`content/guides/ai-act.ja.md`), for diagnostics.
    pub file: String,
    pub kind: Kind,
    /// The language-neutral content path the translations of one page share
    /// (`guides/ai-act.md`, `guides/report/index.md`, `guides/_index.md`).
    pub key: String,
    pub lang: String,
    /// The content folder the page is listed in (`guides`; `` for the home section).
    pub section: String,
    /// The slug the file name gives (bundle: the folder name).
    pub file_slug: String,
    /// For a page bundle, its folder (relative to `content/`).
    pub bundle: Option<String>,
    pub meta: FrontMatter,
    /// The Markdown after the front matter: packed once rendered in `serve`, emptied in a
    /// one-off build (see [`crate::pipeline::link::Sources`]).
    pub body: Text,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
    /// For a file in the default language, its version, computed while its bytes are in
    /// memory: translations record it to know when they fall behind.
    pub blob: Option<crate::model::blob::Version>,
}

/// A non-Markdown file to copy into the output.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    /// Path relative to `content/` (`guides/report/chart.png`).
    pub rel: String,
    /// The bundle folder it belongs to, if any.
    pub bundle: Option<String>,
}

/// Everything the load stage found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Vec<SourceFile>,
    /// Sorted by `rel`.
    pub assets: Vec<Asset>,
    /// (content key, language) of drafts left out of this build, so links into them are
    /// reported as links into a draft rather than to a missing file.
    pub drafts: Vec<(String, String)>,
    /// Content keys of Markdown files that could not be loaded (their errors are reported),
    /// so that links to them are not reported again as links to a missing file.
    pub unreadable: Vec<String>,
    /// Files in content/ left out of the site (paths relative to content/): scripts, pages a
    /// browser runs, a host's configuration. A link to one is told so, not that it is missing.
    pub left_out: Vec<String>,
}

enum Entry {
    Markdown { rel: String },
    Asset { rel: String },
}

/// Loads `content/` under `root`. Drafts are dropped unless `drafts` is true.
pub fn load(root: &Path, config: &Config, drafts: bool) -> Reported<Loaded> {
    let content = root.join(CONTENT_DIR);
    let mut loaded = Loaded::default();
    let mut errors = Vec::new();
    if !content.is_dir() {
        errors.push(
            Diagnostic::error(
                Code::NoContent,
                CONTENT_DIR,
                "the site has no content/ folder",
            )
            .suggest("create content/_index.md for the home page and add guides under content/"),
        );
        return Reported::new(loaded, errors);
    }
    let mut entries = Vec::new();
    let mut walk = WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| display_path(root, p)).unwrap_or_default();
                errors.push(Diagnostic::error(
                    Code::Io,
                    path,
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        // A name that is not UTF-8 cannot become a URL, and its lossy form names no file
        // that can be opened: it is reported once, a folder with everything in it.
        if entry.file_name().to_str().is_none() {
            let is_dir = entry.file_type().is_dir();
            if is_dir {
                walk.skip_current_dir();
            }
            errors.push(not_utf8_name(root, entry.path(), is_dir));
            continue;
        }
        if entry.file_type().is_symlink() {
            errors.push(
                Diagnostic::warning(
                    Code::Symlink,
                    display_path(root, entry.path()),
                    "a symbolic link, which the build does not follow: what it points to is not part of the site",
                )
                .suggest("copy the file or folder into content/ instead of linking to it"),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            if !entry.file_type().is_dir() {
                errors.push(
                    Diagnostic::error(
                        Code::Io,
                        display_path(root, entry.path()),
                        "not a regular file but a named pipe, socket or device, which the build cannot read",
                    )
                    .suggest("remove it from content/, or put the file it stands for there"),
                );
            }
            continue;
        }
        // On Windows `\` separates folders; in a name it would be read as one, and cannot be
        // part of a URL either.
        let name = entry.file_name().to_string_lossy();
        if cfg!(unix) && name.contains('\\') {
            let shown = entry.path().strip_prefix(root).unwrap_or(entry.path());
            errors.push(
                Diagnostic::error(
                    Code::BadSlug,
                    shown.to_string_lossy().into_owned(),
                    format!(
                        "the file name `{name}` holds a `\\`, which no URL or Windows path can"
                    ),
                )
                .suggest("rename the file without `\\` (use `-` between words)"),
            );
            continue;
        }
        let rel = display_path(&content, entry.path());
        if rel == config.glossary_file {
            continue;
        }
        if rel.ends_with(".md") {
            entries.push(Entry::Markdown { rel });
        } else {
            entries.push(Entry::Asset { rel });
        }
    }

    let bundles: BTreeSet<String> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Markdown { rel } => {
                let rel = composed(rel);
                let path = ContentPath::parse(&rel);
                (path.is_index() && !path.dir.is_empty()).then(|| path.dir.to_string())
            }
            Entry::Asset { .. } => None,
        })
        .collect();
    let bundle_of = |rel: &str| bundle_of(&bundles, rel);

    let mut markdown = Vec::new();
    for entry in entries {
        match entry {
            Entry::Asset { rel } if is_host_file(&rel) => {
                loaded.left_out.push(composed(&rel).into_owned());
                errors.push(
                    Diagnostic::warning(
                        Code::HostFile,
                        format!("{CONTENT_DIR}/{rel}"),
                        "a host's configuration file, left out of the site: at the output's root it could redirect or proxy every page",
                    )
                    .suggest("move it to static/, which is copied to the output's root as it is"),
                );
            }
            Entry::Asset { rel } if !config.unsafe_html && runs_scripts(&rel, &content) => {
                loaded.left_out.push(composed(&rel).into_owned());
                errors.push(
                    Diagnostic::warning(
                        Code::RawHtml,
                        format!("{CONTENT_DIR}/{rel}"),
                        "a file a browser runs scripts in (HTML, XML, SVG with scripts), left out of the site: with `[markdown] unsafe_html = false` writers cannot put scripts on it",
                    )
                    .suggest("put trusted files in static/, or set `unsafe_html = true` under [markdown] if every writer is trusted"),
                );
            }
            Entry::Asset { rel } => {
                let name = composed(&rel).into_owned();
                loaded.assets.push(Asset {
                    source: content.join(&rel),
                    bundle: bundle_of(&name),
                    rel: name,
                })
            }
            Entry::Markdown { rel } => markdown.push(rel),
        }
    }

    let results: Vec<ReadSource> = markdown
        .par_iter()
        .map(|rel| read_source(&content, rel, config, &bundles, bundle_of(&composed(rel))))
        .collect();
    let keep_drafts = drafts || config.drafts;
    for (result, rel) in results.into_iter().zip(&markdown) {
        match result {
            Ok((source, mut found)) => {
                // Errors in some of its keys: reported, and the page still built as far as it
                // can be, so that its body's problems are reported in the same run.
                errors.append(&mut found);
                if source.meta.draft && !keep_drafts {
                    loaded.drafts.push((source.key, source.lang));
                } else {
                    loaded.sources.push(source);
                }
            }
            Err(mut found) => {
                errors.append(&mut found);
                loaded
                    .unreadable
                    .push(ContentPath::parse(&composed(rel)).key());
            }
        }
    }
    // Sorted, for the link stage to find a linked file by its path.
    loaded.assets.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    Reported::new(loaded, errors)
}

/// Whether the build leaves the file `rel` (relative to `content/`, not Markdown) out of the
/// site: a host's configuration, or a file a browser runs scripts in. `serve` asks again after
/// every edit of a served file, since an edit can make a picture a script.
pub fn leaves_out(rel: &str, content: &Path, config: &Config) -> bool {
    is_host_file(rel) || !config.unsafe_html && runs_scripts(rel, content)
}

/// The error for a file or folder whose name is not UTF-8 (written by an old tool or copied
/// from a system with another encoding): shown with `�` for the bytes that cannot be read.
pub fn not_utf8_name(root: &Path, path: &Path, is_dir: bool) -> Diagnostic {
    let what = if is_dir { "folder" } else { "file" };
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    Diagnostic::error(
        Code::BadSlug,
        display_path(root, path),
        format!(
            "the {what} name `{name}` is not UTF-8 text (shown here with `�` for the bytes that cannot be read), so it cannot be part of a URL{}",
            if is_dir { "; nothing in it was read" } else { "" }
        ),
    )
    .suggest(format!(
        "rename the {what} with a UTF-8 name (a file manager or `mv` in a UTF-8 terminal can)"
    ))
}

/// Files a browser runs as a page or script when opened from the site at their own address:
/// HTML and XML documents (an XHTML namespace or a stylesheet runs script in any of them),
/// scripts, and an SVG image that holds a script, an event handler or a `javascript:` link.
/// An SVG without them is a picture, as charts are.
fn runs_scripts(rel: &str, content: &Path) -> bool {
    let lower = rel.to_ascii_lowercase();
    let scripted = [
        ".html", ".htm", ".xhtml", ".xht", ".shtml", ".xml", ".xsl", ".xslt", ".js", ".mjs",
    ];
    if scripted.iter().any(|ext| lower.ends_with(ext)) {
        return true;
    }
    if !lower.ends_with(".svg") {
        return false;
    }
    // Unreadable, it is reported when copied; read, it is looked at as a browser would run it.
    let Ok(bytes) = std::fs::read(content.join(rel)) else {
        return false;
    };
    let text = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
    // An attribute `on…=` after a space, tab or line break: an event handler.
    let handler = text.match_indices("on").any(|(at, on)| {
        let after_space = text[..at].ends_with(|c: char| c.is_ascii_whitespace());
        let rest = &text[at + on.len()..];
        let name_end = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        after_space && name_end > 0 && rest[name_end..].trim_start().starts_with('=')
    });
    handler
        || [
            "<script",
            "javascript:",
            "<foreignobject",
            "<iframe",
            "<embed",
            "<object",
        ]
        .iter()
        .any(|tag| text.contains(tag))
}

/// A file at the top of content/ that a static host reads as its own configuration.
fn is_host_file(rel: &str) -> bool {
    [
        "_redirects",
        "_headers",
        "_routes.json",
        "CNAME",
        "netlify.toml",
        "vercel.json",
        "staticwebapp.config.json",
        "firebase.json",
    ]
    .iter()
    .any(|name| rel.eq_ignore_ascii_case(name))
}

/// Reads one Markdown file (`rel`, relative to `content/`) exactly as `load` would, given the
/// site's page-bundle folders: `serve` re-reads only the file that changed.
pub fn load_one(
    root: &Path,
    config: &Config,
    rel: &str,
    bundles: &BTreeSet<String>,
) -> Result<SourceFile, Vec<Diagnostic>> {
    let content = root.join(CONTENT_DIR);
    let bundle = bundle_of(bundles, &composed(rel));
    match read_source(&content, rel, config, bundles, bundle)? {
        (source, errors) if errors.is_empty() => Ok(source),
        (_, errors) => Err(errors),
    }
}

/// The innermost page-bundle folder holding `rel`, if any.
fn bundle_of(bundles: &BTreeSet<String>, rel: &str) -> Option<String> {
    let mut dir = split_dir(rel).0;
    while !dir.is_empty() {
        if bundles.contains(dir) {
            return Some(dir.to_string());
        }
        dir = split_dir(dir).0;
    }
    None
}

fn split_dir(rel: &str) -> (&str, &str) {
    rel.rsplit_once('/').unwrap_or(("", rel))
}

/// A Markdown file read: the source and the errors of some of its front matter's keys (it
/// is still built), or only errors (there is nothing to build).
type ReadSource = Result<(SourceFile, Vec<Diagnostic>), Vec<Diagnostic>>;

fn read_source(
    content: &Path,
    rel: &str,
    config: &Config,
    bundles: &BTreeSet<String>,
    bundle: Option<String>,
) -> ReadSource {
    // The file as it is named on disk, for reading it and for messages; its identity (key,
    // slug, language) from the composed name.
    let file = format!("{CONTENT_DIR}/{rel}");
    let name = composed(rel);
    let path = ContentPath::parse(&name);
    let (dir, base) = (path.dir, path.base);
    let lang = path.language(config, &file).map_err(|e| vec![e])?;
    let is_bundle_index = path.is_index() && bundles.contains(dir);
    if bundle.is_some() && !is_bundle_index {
        return Err(vec![Diagnostic::error(
            Code::Bundle,
            file,
            format!(
                "`{rel}` is inside the page bundle `{}`, which only reads index.md and its translations",
                bundle.as_deref().unwrap_or_default()
            ),
        )
        .suggest("move the file out of the bundle folder, or make it the bundle's index.md")]);
    }
    if dir.is_empty() && path.is_index() {
        return Err(vec![
            Diagnostic::error(
                Code::Home,
                file,
                "the home page is `content/_index.md`, not `index.md`",
            )
            .suggest("rename the file to _index.md"),
        ]);
    }

    let bytes = crate::model::read_regular(&content.join(rel)).map_err(|e| {
        vec![Diagnostic::error(
            Code::Io,
            file.clone(),
            format!("cannot read the file: {e}"),
        )]
    })?;
    let text = crate::diag::decode_str(&file, &bytes).map_err(|e| vec![e])?;
    let split = frontmatter::split_checked(text).map_err(|e| vec![e.diagnostic(&file)])?;
    let kind = if path.is_section() {
        Kind::Section
    } else {
        Kind::Page
    };
    let (meta, errors) = frontmatter::parse(&split, &file, kind);
    // Front matter that cannot be read, or a page without a title, leaves nothing to build;
    // a wrong or unknown key leaves the rest of the page.
    if (kind == Kind::Page && meta.title.is_none())
        || errors.iter().any(|e| e.code == Code::FrontMatter)
    {
        return Err(errors);
    }
    let blob = config
        .is_default(&lang)
        .then(|| crate::model::blob::Version::of(text.as_bytes()));
    let (key, section, file_slug) = match kind {
        Kind::Section => (path.key(), dir.to_string(), String::new()),
        Kind::Page if is_bundle_index => {
            let (parent, folder) = split_dir(dir);
            (
                format!("{dir}/index.md"),
                parent.to_string(),
                folder.to_string(),
            )
        }
        Kind::Page => (path.key(), dir.to_string(), base.to_string()),
    };
    let source = SourceFile {
        file,
        kind,
        key,
        lang,
        section,
        file_slug,
        bundle: is_bundle_index.then(|| dir.to_string()),
        meta,
        body: Text::Plain(without_nul(split.body)),
        body_line: split.body_line,
        blob,
    };
    Ok((source, errors))
}

/// The body with NUL characters replaced by U+FFFD, as CommonMark asks, so none reaches
/// the HTML.
fn without_nul(body: &str) -> String {
    if body.contains('\0') {
        body.replace('\0', "\u{FFFD}")
    } else {
        body.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::is_language_code;

    #[test]
    fn language_suffixes() {
        assert!(is_language_code("ja"));
        assert!(is_language_code("pt-br"));
        assert!(!is_language_code("final"));
        assert!(!is_language_code("v2"));
    }

    #[test]
    fn editor_files_are_ignored() {
        for name in [
            ".ai-act.md.swp",
            "ai-act.md~",
            ".#ai-act.md",
            "4913",
            "#x#",
            "ai-act.md___jb_tmp___",
            "ai-act.ja.md.bak",
            "ai-act.md.orig",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("ai-act.md"));
    }
}
