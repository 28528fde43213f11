//! `book.toml`: the site's configuration. Keys are checked against the known ones first (so a
//! typo anywhere is reported with its line and the closest key), then deserialized with serde.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::de::DeTable;

use crate::diag::codes::Level;
use crate::diag::{Code, Diagnostic};

mod keys;
mod raw;

use keys::{blank, check_keys, find_key, find_level, leaf_entry, toml_error};
use raw::{RawBuild, RawConfig, RawGlossary};

pub const CONFIG_FILE: &str = "book.toml";

/// Which occurrences of a glossary term are linked on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkMode {
    First,
    All,
    None,
}

/// A declared language.
#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    /// Shown in the language switcher, in the language itself ("日本語").
    pub name: String,
    /// The site title in this language.
    pub title: String,
    /// Whether section lists show originals where a translation is missing.
    pub fallback: bool,
    /// The meta description in this language, where `[book] description` is in another.
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute, always ending in `/`; may carry a sub-path.
    pub base_url: String,
    pub default_language: String,
    /// The default language first, then the others in the order of their codes.
    pub languages: Vec<Language>,
    pub output_dir: String,
    /// Where book.toml sets `[build] output_dir` (line, column), for the error when the build
    /// finds it among the site's own files.
    pub output_dir_at: Option<(usize, usize)>,
    pub theme: String,
    /// Where book.toml sets `[build] theme` (line, column), for the error when it is not there.
    pub theme_at: Option<(usize, usize)>,
    pub drafts: bool,
    pub glossary_file: String,
    /// Where book.toml sets `[glossary] file` (line, column); `None` when it is left at its
    /// default. A glossary named on purpose must exist, while a site without the default one
    /// simply has no glossary.
    pub glossary_file_at: Option<(usize, usize)>,
    pub glossary_link: LinkMode,
    pub port: u16,
    /// `[markdown] unsafe_html`: whether raw HTML and `javascript:`, `vbscript:` and `data:`
    /// URLs in content pass through. When false they are dropped, each with a warning.
    pub unsafe_html: bool,
    /// `[markdown] heading_ids`: how heading ids are made from heading text.
    pub heading_ids: HeadingIds,
    /// `[check]`: what `tebiki check` reports and how it checks external links.
    pub check: CheckConfig,
    /// `[book] publisher`: who publishes the site, named in structured data (JSON-LD);
    /// the site title when unset.
    pub publisher: Option<String>,
    /// `[build] git_dates`: where the site is a git repository, a page without `updated`
    /// shows the date of the last commit that touched its file.
    pub git_dates: bool,
    /// `[pagination] paginate_by`: how many entries a section, tag or category page lists
    /// before the next page; a section's `_index` may override it.
    pub paginate_by: usize,
    /// `[search] enabled`: the search box and its index (on unless turned off).
    pub search: bool,
    pub extra: serde_json::Value,
}

/// How heading ids are made from heading text (`[markdown] heading_ids`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HeadingIds {
    /// As GitHub does: lower-cased, punctuation dropped (`_` and `-` kept), each space a `-`,
    /// letters of every script kept. Links written for GitHub or mdBook keep working.
    #[default]
    Github,
    /// tebiki's earlier rule: runs of anything but letters and digits become one `-`, and an
    /// id of digits only gets an `h-` prefix.
    Tebiki,
}

/// `[check]` in book.toml.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckConfig {
    /// Hosts `check --external` leaves alone (a host also covers its subdomains).
    pub skip_external: Vec<String>,
    /// `[check.levels]`: the level of each code that is set.
    pub levels: BTreeMap<Code, Level>,
    /// Seconds before one external request gives up.
    pub external_timeout: u64,
    /// How many times a failed external request (timeout, connection error, 5xx) is retried.
    pub external_retries: u32,
    /// Hours an external link's result is kept in the cache (0: never cached).
    pub external_cache_ttl: u64,
    /// Requests in flight to one host at a time.
    pub external_per_host: usize,
    /// Requests in flight at a time, over all hosts.
    pub external_concurrency: usize,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            skip_external: Vec::new(),
            levels: BTreeMap::new(),
            external_timeout: 10,
            external_retries: 1,
            external_cache_ttl: 24,
            external_per_host: 2,
            external_concurrency: 8,
        }
    }
}

/// The default of `[pagination] paginate_by`.
pub const PAGINATE_BY: usize = 20;

impl Config {
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    pub fn is_default(&self, code: &str) -> bool {
        self.default_language == code
    }

    /// The title of the site in `lang`.
    pub fn title_in(&self, lang: &str) -> &str {
        self.language(lang).map_or(&self.title, |l| &l.title)
    }

    /// The meta description of pages in `lang` without a summary of their own: the
    /// language's `description`, else `[book] description`.
    pub fn description_in(&self, lang: &str) -> &str {
        self.language(lang)
            .and_then(|l| l.description.as_deref())
            .unwrap_or(&self.description)
    }

    /// Who publishes the site, as structured data and feeds name it: `[book] publisher`,
    /// else the site's title in `lang`.
    pub fn publisher_in(&self, lang: &str) -> &str {
        self.publisher
            .as_deref()
            .unwrap_or_else(|| self.title_in(lang))
    }

    /// Replaces the base URL (from `--base-url` or `serve`), normalised like the one in the file.
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        self.base_url = normalise_base_url(url)?;
        Ok(())
    }

    /// The path part of the base URL (`/` or `/guides/`), for links that stay on the site.
    pub fn base_path(&self) -> &str {
        let after_scheme = self.base_url.find("://").map_or(0, |i| i + 3);
        self.base_url[after_scheme..]
            .find('/')
            .map_or("/", |i| &self.base_url[after_scheme + i..])
    }
}

/// Reads and checks `book.toml` in `root`. Every problem found is returned, not just the first.
pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    let (config, errors) = load_lenient(root);
    match config {
        Some(config) if errors.is_empty() => Ok(config),
        _ => Err(errors),
    }
}

/// Reads `book.toml` in `root` as far as it can: with its problems, the configuration made
/// from what could be read (unknown keys ignored, a wrong value replaced by its default), so
/// that one run also reports the content's problems. `None` when the file cannot be read or
/// parsed at all.
pub fn load_lenient(root: &Path) -> (Option<Config>, Vec<Diagnostic>) {
    let text = match read(root) {
        Ok(bytes) => match crate::diag::decode(CONFIG_FILE, bytes) {
            Ok(text) => text,
            Err(e) => return (None, vec![e]),
        },
        Err(e) => return (None, vec![*e]),
    };
    parse_lenient(&text)
}

/// The bytes of `book.toml` in `root`, or why it cannot be read, with what to do. Commands
/// ask this first: a site folder without a readable book.toml is a usage error (exit 2), not
/// a problem of the content.
pub fn read(root: &Path) -> Result<Vec<u8>, Box<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    crate::model::read_regular(&path).map_err(|e| {
        let help = if e.kind() == std::io::ErrorKind::NotFound {
            match ["config.toml", "hugo.toml", "config.yaml", "hugo.yaml", "zola.toml"]
                .iter()
                .find(|other| root.join(other).is_file())
            {
                // A site moved from Zola or Hugo, whose content/ may serve as it is.
                Some(other) => format!(
                    "tebiki reads book.toml, not {other}: write one beside it, at least `[book]`, `title = \"…\"` and `base_url = \"https://…/\"` (the README's book.toml lists the rest)"
                ),
                None => format!(
                    "run tebiki in a site folder (one with book.toml), pass --root, or create one with `tebiki init` (looked in {})",
                    root.display()
                ),
            }
        } else {
            "make book.toml a file tebiki can read (see `tebiki init` for one to start from)"
                .to_string()
        };
        Box::new(
            Diagnostic::error(
                Code::Config,
                CONFIG_FILE,
                format!("cannot read book.toml: {e}"),
            )
            .suggest(help),
        )
    })
}

/// Parses the text of a `book.toml`.
pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
    match parse_lenient(text) {
        (Some(config), errors) if errors.is_empty() => Ok(config),
        (_, errors) => Err(errors),
    }
}

/// Parses the text of a `book.toml` as far as it can (see [`load_lenient`]).
pub fn parse_lenient(text: &str) -> (Option<Config>, Vec<Diagnostic>) {
    let lines = crate::diag::LineIndex::new(text);
    let at = |span: std::ops::Range<usize>| lines.line_col(span.start);
    let doc = match DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => return (None, vec![toml_error(text, &e)]),
    };
    // Unknown keys are reported; serde then reads the known ones and ignores the rest.
    let mut errors = check_keys(doc.get_ref(), &at);
    crate::diag::sort(&mut errors);
    // A value of the wrong type is reported, then blanked out (spaces keep every other
    // offset) so the rest is read with its default; a problem that is not one value (a
    // missing `[book]` or `title`) stops here.
    let mut patched = text.to_string();
    let mut raw: RawConfig = loop {
        match toml::from_str(&patched) {
            Ok(raw) => break raw,
            Err(e) => {
                errors.push(toml_error(text, &e));
                let value = e
                    .span()
                    .and_then(|span| leaf_entry(doc.get_ref(), span.start));
                match value {
                    Some(range) if errors.len() < 64 => blank(&mut patched, range),
                    _ => return (None, errors),
                }
            }
        }
    };

    let base_url = normalise_base_url(&raw.book.base_url).unwrap_or_else(|msg| {
        let (line, col) = find_key(doc.get_ref(), "book", "base_url")
            .map(&at)
            .unwrap_or((0, 0));
        errors.push(Diagnostic::error(Code::Config, CONFIG_FILE, msg).at(line, col));
        "http://localhost/".to_string()
    });

    let defaults = (RawBuild::default(), RawGlossary::default());
    for (table, key, value, example) in [
        ("build", "output_dir", &mut raw.build.output_dir, "public"),
        ("build", "theme", &mut raw.build.theme, "default"),
        ("glossary", "file", &mut raw.glossary.file, "glossary.toml"),
    ] {
        if !stays_inside(value) {
            let (line, col) = find_key(doc.get_ref(), table, key)
                .map(&at)
                .unwrap_or((0, 0));
            let (within, hint) = match key {
                "output_dir" => (
                    "the site folder",
                    "; to build somewhere else, pass `-o DIR` on the command line",
                ),
                "theme" => ("themes/", ""),
                _ => ("content/", ""),
            };
            errors.push(
                Diagnostic::error(
                    Code::Config,
                    CONFIG_FILE,
                    format!(
                        "`{key} = \"{value}\"` is not a path inside {within}: it must not be absolute, empty or contain `..`"
                    ),
                )
                .at(line, col)
                .suggest(format!("write a relative path such as `{example}`{hint}")),
            );
            *value = match key {
                "output_dir" => defaults.0.output_dir.clone(),
                "theme" => defaults.0.theme.clone(),
                _ => defaults.1.file.clone(),
            };
        }
    }

    let output_dir_at = find_key(doc.get_ref(), "build", "output_dir").map(&at);
    if let Some(problem) = output_in_input(&raw.build.output_dir) {
        let value = &raw.build.output_dir;
        let (line, col) = output_dir_at.unwrap_or((0, 0));
        errors.push(
            Diagnostic::error(
                Code::Config,
                CONFIG_FILE,
                format!("`output_dir = \"{value}\"` {problem}"),
            )
            .at(line, col)
            .suggest("choose a folder outside content/, static/ and themes/, such as `public`"),
        );
    }
    let theme_at = find_key(doc.get_ref(), "build", "theme").map(&at);
    // A `file` already reported as wrong is not reported again as missing.
    let glossary_file_at = find_key(doc.get_ref(), "glossary", "file")
        .map(&at)
        .filter(|(line, _)| !errors.iter().any(|e| e.line == *line));

    if raw.pagination.paginate_by < 1 {
        let (line, col) = find_key(doc.get_ref(), "pagination", "paginate_by")
            .map(&at)
            .unwrap_or((0, 0));
        errors.push(
            Diagnostic::error(
                Code::Config,
                CONFIG_FILE,
                format!(
                    "`paginate_by = {}` must be a whole number of at least 1",
                    raw.pagination.paginate_by
                ),
            )
            .at(line, col)
            .suggest(format!("write `paginate_by = {PAGINATE_BY}`, the default")),
        );
    }

    let default = raw.book.default_language.clone();
    if !raw.languages.contains_key(&default) && !raw.languages.is_empty() {
        let (line, col) = find_key(doc.get_ref(), "book", "default_language")
            .map(&at)
            .unwrap_or((1, 1));
        errors.push(
            Diagnostic::error(
                Code::Config,
                CONFIG_FILE,
                format!("the default language `{default}` has no `[languages.{default}]` table"),
            )
            .at(line, col)
            .suggest(format!(
                "add `[languages.{default}]` with `name` and `title`, or set default_language to one of: {}",
                raw.languages.keys().cloned().collect::<Vec<_>>().join(", ")
            )),
        );
    }
    for code in raw.languages.keys() {
        if !is_language_code(code) {
            let (line, col) = find_key(doc.get_ref(), "languages", code)
                .map(&at)
                .unwrap_or((0, 0));
            errors.push(
                Diagnostic::error(
                    Code::Config,
                    CONFIG_FILE,
                    format!("`{code}` is not a language code"),
                )
                .at(line, col)
                .suggest("use a BCP 47 code such as `en`, `ja` or `pt-br`"),
            );
        }
    }
    let mut levels = BTreeMap::new();
    for (name, value) in &raw.check.levels {
        match crate::diag::codes::parse_setting(name, value.as_str()) {
            Ok((code, level)) => {
                levels.insert(code, level);
            }
            Err(bad) => {
                let (line, col) = find_level(doc.get_ref(), name).map(&at).unwrap_or((0, 0));
                let code = if Code::from_name(name).is_none() {
                    Code::UnknownKey
                } else {
                    Code::Config
                };
                errors.push(
                    Diagnostic::error(
                        code,
                        CONFIG_FILE,
                        format!("{} in [check.levels]", bad.message),
                    )
                    .at(line, col)
                    .maybe_suggest(bad.suggestion),
                );
            }
        }
    }
    let mut languages: Vec<Language> = raw
        .languages
        .into_iter()
        .map(|(code, l)| Language {
            name: l.name.unwrap_or_else(|| code.clone()),
            title: l.title.unwrap_or_else(|| raw.book.title.clone()),
            fallback: l.fallback,
            description: l.description,
            code,
        })
        .collect();
    // A default language without its table (reported above) is still declared.
    if !languages.iter().any(|l| l.code == default) {
        languages.push(Language {
            code: default.clone(),
            name: default.clone(),
            title: raw.book.title.clone(),
            fallback: true,
            description: None,
        });
    }
    languages.sort_by_key(|l| (l.code != default, l.code.clone()));

    let config = Config {
        title: raw.book.title,
        description: raw.book.description,
        base_url,
        default_language: default,
        languages,
        output_dir: raw.build.output_dir,
        theme: raw.build.theme,
        theme_at,
        output_dir_at,
        drafts: raw.build.drafts,
        glossary_file: raw.glossary.file,
        glossary_file_at,
        glossary_link: raw.glossary.link,
        port: raw.serve.port,
        unsafe_html: raw.markdown.unsafe_html,
        heading_ids: raw.markdown.heading_ids,
        check: CheckConfig {
            skip_external: raw.check.skip_external,
            levels,
            external_timeout: raw.check.external_timeout,
            external_retries: raw.check.external_retries,
            external_cache_ttl: raw.check.external_cache_ttl,
            external_per_host: raw.check.external_per_host.max(1),
            external_concurrency: raw.check.external_concurrency.max(1),
        },
        publisher: raw.book.publisher.filter(|p| !p.trim().is_empty()),
        git_dates: raw.build.git_dates,
        paginate_by: usize::try_from(raw.pagination.paginate_by)
            .ok()
            .filter(|n| *n >= 1)
            .unwrap_or(PAGINATE_BY),
        search: raw.search.enabled,
        extra: raw
            .extra
            .map(|t| serde_json::to_value(t).unwrap_or_default())
            .unwrap_or_else(|| serde_json::Value::Object(Default::default())),
    };
    (Some(config), errors)
}

/// Whether a path from book.toml stays inside the folder it is relative to: relative, made
/// of plain names (`.` allowed), never `..`, and not empty.
fn stays_inside(path: &str) -> bool {
    let mut named = false;
    for c in Path::new(path).components() {
        match c {
            std::path::Component::Normal(_) => named = true,
            std::path::Component::CurDir => {}
            _ => return false,
        }
    }
    named
}

/// Why an `output_dir` (already known to stay inside the site) names the site's own input,
/// told from its text alone: a build would replace what it reads (`content`, `static/x`,
/// `themes`) or a file of the site (`book.toml`). A folder reached through a link is found
/// when the build resolves the path.
fn output_in_input(path: &str) -> Option<String> {
    let parts: Vec<&std::ffi::OsStr> = Path::new(path)
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(name) => Some(name),
            _ => None,
        })
        .collect();
    let first = parts.first()?.to_str()?;
    match first {
        "content" | "static" | "themes" => Some(format!(
            "{} the site's {first}/ folder, which the build reads: every build would copy the previous output into the next",
            if parts.len() == 1 { "is" } else { "is inside" }
        )),
        CONFIG_FILE if parts.len() == 1 => Some(format!(
            "is the site's {CONFIG_FILE}, which a build would replace"
        )),
        _ => None,
    }
}

/// Whether `code` is shaped like a BCP 47 language code (`ja`, `en`, `pt-br`): also how a file
/// name's last dotted part (`ai-act.ja.md`) is told from an ordinary one (`report.final.md`).
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts
            .all(|p| !p.is_empty() && p.len() <= 8 && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn normalise_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let ok = (url.starts_with("http://") || url.starts_with("https://"))
        && url.split("://").nth(1).is_some_and(|rest| {
            !rest.is_empty() && !rest.starts_with('/') && !rest.contains(char::is_whitespace)
        });
    if !ok {
        return Err(format!(
            "base_url `{url}` must be an absolute http(s) address such as `https://example.org/` or `https://example.org/guides/`"
        ));
    }
    if url.contains(['?', '#']) {
        return Err(format!(
            "base_url `{url}` must not have a query or fragment"
        ));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[book]
title = "Guides"
base_url = "https://example.org/guides"
default_language = "en"

[languages.en]
name = "English"
title = "Guides"
[languages.ja]
name = "日本語"
title = "ガイド"
"#;

    #[test]
    fn a_value_of_the_wrong_type_is_reported_and_defaulted() {
        let text =
            format!("{GOOD}\n[build]\ndrafts = \"yes\"\ntheme = 3\n[serve]\nport = \"eleven\"\n");
        let (config, errors) = parse_lenient(&text);
        let config = config.unwrap_or_else(|| panic!("the rest is read: {errors:?}"));
        assert!(!config.drafts);
        assert_eq!(config.theme, "default");
        assert_eq!(config.port, 1111);
        let places: Vec<_> = errors.iter().map(|e| (e.line, e.message.clone())).collect();
        assert_eq!(places.len(), 3, "{places:?}");
        assert_eq!(places[0].0, 15);
        assert!(
            places.iter().all(|(_, m)| m.starts_with("invalid type")),
            "{places:?}"
        );
        // A missing required key is not one value: nothing to default to.
        let (config, errors) = parse_lenient("[book]\ntitle = \"T\"\n");
        assert!(config.is_none());
        assert_eq!(errors.len(), 1, "{errors:?}");
    }

    #[test]
    fn wrong_values_are_said_in_book_toml_terms() {
        let text = format!("{GOOD}\n[build]\ndrafts = \"yes\"\n[serve]\nport = 99999\n");
        let (_, errors) = parse_lenient(&text);
        let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "invalid type: string \"yes\", expected true or false",
                "invalid value: integer `99999`, expected a whole number from 0 to 65535",
            ]
        );
    }

    #[test]
    fn paths_that_leave_the_site_are_refused_at_their_line() {
        let text = GOOD.to_string()
            + "\n[build]\noutput_dir = \"../elsewhere\"\ntheme = \"/etc\"\n[glossary]\nfile = \"../../../../etc/passwd\"\n";
        let errors = parse(&text).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        let base = GOOD.lines().count() + 1;
        assert_eq!(lines, vec![base + 2, base + 3, base + 5], "{errors:?}");
        assert!(errors[0].message.contains("../elsewhere"), "{errors:?}");
        assert!(
            errors[0].suggestion.as_deref().unwrap_or("").contains("-o"),
            "{errors:?}"
        );
        assert!(parse(&(GOOD.to_string() + "\n[build]\noutput_dir = \"./site/out\"\n")).is_ok());
        assert!(parse(&(GOOD.to_string() + "\n[build]\noutput_dir = \"\"\n")).is_err());
    }

    #[test]
    fn parses_and_normalises() {
        let config = parse(GOOD).unwrap();
        assert_eq!(config.base_url, "https://example.org/guides/");
        assert_eq!(config.base_path(), "/guides/");
        let codes: Vec<_> = config.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["en", "ja"]);
        assert_eq!(config.title_in("ja"), "ガイド");
    }

    #[test]
    fn reports_every_unknown_key_with_its_line() {
        let text = GOOD.replace("name = \"English\"", "nmae = \"English\"")
            + "\n[build]\noutput_dri = \"out\"\n";
        let errors = parse(&text).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].message, "unknown key `nmae` in [languages.en]");
        assert_eq!(errors[0].line, 8);
        assert_eq!(
            errors[0].suggestion.as_deref(),
            Some("did you mean `name`?")
        );
        assert_eq!(errors[1].message, "unknown key `output_dri` in [build]");
        assert_eq!(
            errors[1].suggestion.as_deref(),
            Some("did you mean `output_dir`?")
        );
    }

    #[test]
    fn default_language_must_be_declared() {
        let text = GOOD.replace("default_language = \"en\"", "default_language = \"fr\"");
        let errors = parse(&text).unwrap_err();
        assert!(errors[0].message.contains("`fr` has no `[languages.fr]`"));
        assert_eq!(errors[0].line, 5);
    }

    #[test]
    fn markdown_unsafe_html_is_known_and_off_by_default() {
        assert!(!parse(GOOD).unwrap().unsafe_html);
        let on = GOOD.to_string() + "\n[markdown]\nunsafe_html = true\n";
        assert!(parse(&on).unwrap().unsafe_html);
        let typo = GOOD.to_string() + "\n[markdown]\nunsafe_htm = true\n";
        let errors = parse(&typo).unwrap_err();
        assert_eq!(errors[0].message, "unknown key `unsafe_htm` in [markdown]");
        assert_eq!(
            errors[0].suggestion.as_deref(),
            Some("did you mean `unsafe_html`?")
        );
    }

    #[test]
    fn wrong_type_has_a_line() {
        let text = GOOD.to_string() + "\n[serve]\nport = \"eleven\"\n";
        let errors = parse(&text).unwrap_err();
        assert_eq!(errors[0].line, 15);
    }
}
