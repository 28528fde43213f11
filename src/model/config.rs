//! `book.toml`: the site's configuration. Keys are checked against the known ones first (so a
//! typo anywhere is reported with its line and the closest key), then deserialized with serde.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, did_you_mean, line_col};

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
    pub theme: String,
    pub drafts: bool,
    pub glossary_file: String,
    pub glossary_link: LinkMode,
    pub port: u16,
    /// `[search] enabled`: the search box and its index (on unless turned off).
    pub search: bool,
    pub extra: serde_json::Value,
}

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

#[derive(Deserialize)]
struct RawConfig {
    book: RawBook,
    #[serde(default)]
    languages: BTreeMap<String, RawLanguage>,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    glossary: RawGlossary,
    #[serde(default)]
    serve: RawServe,
    #[serde(default)]
    search: RawSearch,
    #[serde(default)]
    extra: Option<toml::Table>,
}

#[derive(Deserialize)]
struct RawBook {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    #[serde(default = "default_language")]
    default_language: String,
}

fn default_language() -> String {
    "en".to_string()
}

#[derive(Deserialize)]
struct RawLanguage {
    name: Option<String>,
    title: Option<String>,
    #[serde(default = "yes")]
    fallback: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(default)]
struct RawBuild {
    output_dir: String,
    theme: String,
    drafts: bool,
}

impl Default for RawBuild {
    fn default() -> Self {
        RawBuild {
            output_dir: "public".into(),
            theme: "default".into(),
            drafts: false,
        }
    }
}

#[derive(Deserialize)]
#[serde(default)]
struct RawGlossary {
    file: String,
    link: LinkMode,
}

impl Default for RawGlossary {
    fn default() -> Self {
        RawGlossary {
            file: "glossary.toml".into(),
            link: LinkMode::First,
        }
    }
}

#[derive(Deserialize)]
#[serde(default)]
struct RawServe {
    port: u16,
}

impl Default for RawServe {
    fn default() -> Self {
        RawServe { port: 1111 }
    }
}

#[derive(Deserialize)]
#[serde(default)]
struct RawSearch {
    enabled: bool,
}

impl Default for RawSearch {
    fn default() -> Self {
        RawSearch { enabled: true }
    }
}

/// The keys each table of book.toml may hold; `[extra]` is free-form and `[languages]` holds
/// one table per language code.
const TABLES: &[(&str, &[&str])] = &[
    (
        "book",
        &["title", "description", "base_url", "default_language"],
    ),
    ("build", &["output_dir", "theme", "drafts"]),
    ("glossary", &["file", "link"]),
    ("serve", &["port"]),
    ("search", &["enabled"]),
];
const LANGUAGE_KEYS: &[&str] = &["name", "title", "fallback"];
const TOP_LEVEL: &[&str] = &[
    "book",
    "languages",
    "build",
    "glossary",
    "serve",
    "search",
    "extra",
];

/// Reads and checks `book.toml` in `root`. Every problem found is returned, not just the first.
pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            return Err(vec![
                Diagnostic::error("config", CONFIG_FILE, format!("cannot read book.toml: {e}"))
                    .suggest(format!(
                        "run tebiki in a site folder (one with book.toml), pass --root, or create one with `tebiki init` (looked in {})",
                        root.display()
                    )),
            ]);
        }
    };
    parse(&text)
}

/// Parses the text of a `book.toml`.
pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
    let lines = crate::diag::LineIndex::new(text);
    let at = |span: std::ops::Range<usize>| lines.line_col(span.start);
    let doc = DeTable::parse(text).map_err(|e| vec![toml_error(text, &e)])?;
    let mut errors = check_keys(doc.get_ref(), &at);
    crate::diag::sort(&mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let raw: RawConfig = toml::from_str(text).map_err(|e| vec![toml_error(text, &e)])?;

    let base_url = normalise_base_url(&raw.book.base_url).map_err(|msg| {
        let (line, col) = find_key(doc.get_ref(), "book", "base_url")
            .map(&at)
            .unwrap_or((0, 0));
        vec![Diagnostic::error("config", CONFIG_FILE, msg).at(line, col)]
    })?;

    let default = raw.book.default_language.clone();
    if !raw.languages.contains_key(&default) && !raw.languages.is_empty() {
        let (line, col) = find_key(doc.get_ref(), "book", "default_language")
            .map(&at)
            .unwrap_or((1, 1));
        errors.push(
            Diagnostic::error(
                "config",
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
                    "config",
                    CONFIG_FILE,
                    format!("`{code}` is not a language code"),
                )
                .at(line, col)
                .suggest("use a BCP 47 code such as `en`, `ja` or `pt-br`"),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut languages: Vec<Language> = raw
        .languages
        .into_iter()
        .map(|(code, l)| Language {
            name: l.name.unwrap_or_else(|| code.clone()),
            title: l.title.unwrap_or_else(|| raw.book.title.clone()),
            fallback: l.fallback,
            code,
        })
        .collect();
    if languages.is_empty() {
        languages.push(Language {
            code: default.clone(),
            name: default.clone(),
            title: raw.book.title.clone(),
            fallback: true,
        });
    }
    languages.sort_by_key(|l| (l.code != default, l.code.clone()));

    Ok(Config {
        title: raw.book.title,
        description: raw.book.description,
        base_url,
        default_language: default,
        languages,
        output_dir: raw.build.output_dir,
        theme: raw.build.theme,
        drafts: raw.build.drafts,
        glossary_file: raw.glossary.file,
        glossary_link: raw.glossary.link,
        port: raw.serve.port,
        search: raw.search.enabled,
        extra: raw
            .extra
            .map(|t| serde_json::to_value(t).unwrap_or_default())
            .unwrap_or_else(|| serde_json::Value::Object(Default::default())),
    })
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

type At<'a> = dyn Fn(std::ops::Range<usize>) -> (usize, usize) + 'a;

fn check_keys(doc: &DeTable<'_>, at: &At<'_>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut unknown = |key: &str, span: std::ops::Range<usize>, known: &[&str], table: &str| {
        let (line, col) = at(span);
        let place = if table.is_empty() {
            "at the top level".to_string()
        } else {
            format!("in [{table}]")
        };
        errors.push(
            Diagnostic::error(
                "unknown-key",
                CONFIG_FILE,
                format!("unknown key `{key}` {place}"),
            )
            .at(line, col)
            .maybe_suggest(
                did_you_mean(key, known.iter().copied())
                    .or_else(|| Some(format!("the keys allowed here are: {}", known.join(", ")))),
            ),
        );
    };
    for (key, value) in doc {
        let name = key.get_ref().as_ref();
        if !TOP_LEVEL.contains(&name) {
            unknown(name, key.span(), TOP_LEVEL, "");
            continue;
        }
        let DeValue::Table(table) = value.get_ref() else {
            continue; // the typed pass reports the wrong type with its line
        };
        if name == "languages" {
            for (code, lang) in table {
                if let DeValue::Table(lang) = lang.get_ref() {
                    for (k, _) in lang {
                        if !LANGUAGE_KEYS.contains(&k.get_ref().as_ref()) {
                            let table_name = format!("languages.{}", code.get_ref());
                            unknown(k.get_ref(), k.span(), LANGUAGE_KEYS, &table_name);
                        }
                    }
                }
            }
        } else if let Some((_, known)) = TABLES.iter().find(|(t, _)| *t == name) {
            for (k, _) in table {
                if !known.contains(&k.get_ref().as_ref()) {
                    unknown(k.get_ref(), k.span(), known, name);
                }
            }
        }
    }
    errors
}

fn find_key(doc: &DeTable<'_>, table: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let (_, value) = doc.iter().find(|(k, _)| k.get_ref().as_ref() == table)?;
    let DeValue::Table(t) = value.get_ref() else {
        return None;
    };
    t.iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(k, _)| k.span())
}

fn toml_error(text: &str, e: &toml::de::Error) -> Diagnostic {
    let (line, col) = e.span().map_or((0, 0), |s| line_col(text, s.start));
    Diagnostic::error("config", CONFIG_FILE, e.message().trim().to_string()).at(line, col)
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
    fn wrong_type_has_a_line() {
        let text = GOOD.to_string() + "\n[serve]\nport = \"eleven\"\n";
        let errors = parse(&text).unwrap_err();
        assert_eq!(errors[0].line, 15);
    }
}
