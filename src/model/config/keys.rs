//! The keys of `book.toml` in its text: the known ones, and where a key or value was written.

use toml::de::{DeTable, DeValue};

use super::CONFIG_FILE;
use crate::diag::{Code, Diagnostic, did_you_mean, line_col};

/// The keys each table of book.toml may hold; `[extra]` is free-form and `[languages]` holds
/// one table per language code.
const TABLES: &[(&str, &[&str])] = &[
    (
        "book",
        &[
            "title",
            "description",
            "base_url",
            "default_language",
            "publisher",
        ],
    ),
    ("build", &["output_dir", "theme", "drafts", "git_dates"]),
    ("glossary", &["file", "link"]),
    ("serve", &["port"]),
    ("markdown", &["unsafe_html", "heading_ids"]),
    ("pagination", &["paginate_by"]),
    (
        "check",
        &[
            "skip_external",
            "levels",
            "external_timeout",
            "external_retries",
            "external_cache_ttl",
            "external_per_host",
            "external_concurrency",
        ],
    ),
    ("search", &["enabled"]),
];
const LANGUAGE_KEYS: &[&str] = &["name", "title", "fallback", "description"];
const TOP_LEVEL: &[&str] = &[
    "book",
    "languages",
    "build",
    "glossary",
    "serve",
    "markdown",
    "check",
    "pagination",
    "search",
    "extra",
];

pub(super) type At<'a> = dyn Fn(std::ops::Range<usize>) -> (usize, usize) + 'a;

pub(super) fn check_keys(doc: &DeTable<'_>, at: &At<'_>) -> Vec<Diagnostic> {
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
                Code::UnknownKey,
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

/// The span of the `key = value` entry whose value (not a table) holds byte `at`. A table's
/// own span does not always cover its entries (`[build]` headers), so every table is searched.
pub(super) fn leaf_entry(table: &DeTable<'_>, at: usize) -> Option<std::ops::Range<usize>> {
    table.iter().find_map(|(key, value)| match value.get_ref() {
        DeValue::Table(inner) => leaf_entry(inner, at),
        _ => {
            let span = value.span();
            (span.start <= at && at < span.end.max(span.start + 1))
                .then(|| key.span().start..span.end)
        }
    })
}

/// `range` of `text` replaced by spaces, newlines kept, so every other offset stays put.
pub(super) fn blank(text: &mut String, range: std::ops::Range<usize>) {
    let Some(part) = text.get(range.clone()) else {
        return;
    };
    let spaces: String = part
        .chars()
        .map(|c| {
            if c == '\n' {
                "\n".to_string()
            } else {
                " ".repeat(c.len_utf8())
            }
        })
        .collect();
    text.replace_range(range, &spaces);
}

/// The span of `name` in `[check.levels]`.
pub(super) fn find_level(doc: &DeTable<'_>, name: &str) -> Option<std::ops::Range<usize>> {
    let (_, check) = doc.iter().find(|(k, _)| k.get_ref().as_ref() == "check")?;
    let DeValue::Table(check) = check.get_ref() else {
        return None;
    };
    let (_, levels) = check
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == "levels")?;
    let DeValue::Table(levels) = levels.get_ref() else {
        return None;
    };
    levels
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == name)
        .map(|(k, _)| k.span())
}

pub(super) fn find_key(
    doc: &DeTable<'_>,
    table: &str,
    key: &str,
) -> Option<std::ops::Range<usize>> {
    let (_, value) = doc.iter().find(|(k, _)| k.get_ref().as_ref() == table)?;
    let DeValue::Table(t) = value.get_ref() else {
        return None;
    };
    t.iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(k, _)| k.span())
}

pub(super) fn toml_error(text: &str, e: &toml::de::Error) -> Diagnostic {
    let (line, col) = e.span().map_or((0, 0), |s| line_col(text, s.start));
    Diagnostic::error(Code::Config, CONFIG_FILE, plain_message(e.message().trim())).at(line, col)
}

/// The deserializer's message with Rust's type names said as a writer of book.toml reads them
/// (`expected u16` → `expected a whole number from 0 to 65535`).
fn plain_message(message: &str) -> String {
    const TYPES: &[(&str, &str)] = &[
        ("expected u16", "expected a whole number from 0 to 65535"),
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        ),
        ("expected u64", "expected a whole number of at least 0"),
        ("expected usize", "expected a whole number of at least 0"),
        ("expected a boolean", "expected true or false"),
    ];
    TYPES.iter().fold(message.to_string(), |m, (rust, plain)| {
        m.replace(rust, plain)
    })
}
