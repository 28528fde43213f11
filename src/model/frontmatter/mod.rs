//! Front matter: split a Markdown file into its front matter and body, parse the front matter
//! by its delimiter (`+++` TOML with gray_matter's engine; `---` YAML with [`load_yaml`], which
//! reads yaml-rust2's events into gray_matter's values with bounded time and memory), and
//! check every key and type. The values carry no positions, so each problem is mapped back to
//! the file's own line (`places.rs`); `split.rs` finds the front matter in the file.

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap};

use gray_matter::Pod;
use gray_matter::engine::{Engine, TOML};

use crate::diag::codes::Level;
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::model::dates::Date;

mod places;
mod split;
mod yaml;

use places::{Entries, LineFinder, toml_error};
pub use split::{Format, Split, SplitError, is_draft, split, split_checked};
pub use yaml::{YamlProblem, load_yaml};

/// Front matter keys every page may have (DESIGN.md's table).
pub const PAGE_KEYS: &[&str] = &[
    "title",
    "summary",
    "date",
    "updated",
    "as_of",
    "review_by",
    "tags",
    "category",
    "sources",
    "related",
    "aliases",
    "slug",
    "weight",
    "draft",
    "template",
    "glossary",
    "translated_from",
    "changes",
    "extra",
];
/// Extra keys a section's `_index.md` may have.
pub const SECTION_KEYS: &[&str] = &["sort_by", "levels", "paginate_by"];
const SOURCE_KEYS: &[&str] = &["title", "publisher", "url", "date"];

/// What Zola's and Hugo's front matter keys are in tebiki, for a site moved from them: the key
/// and what to write instead.
const OTHER_TOOLS_KEYS: &[(&str, &str)] = &[
    (
        "description",
        "write it as `summary`: the standfirst, meta description and feed summary",
    ),
    ("lastmod", "write it as `updated`"),
    ("publishDate", "write it as `date`"),
    (
        "expiryDate",
        "tebiki does not unpublish by date: set `draft: true` when a guide is withdrawn",
    ),
    (
        "categories",
        "write one `category` (a string); put the other names in `tags`",
    ),
    (
        "taxonomies",
        "write `tags` (a list) and `category` (one name) as keys of their own, not under `taxonomies`",
    ),
    (
        "path",
        "write the last part as `slug`; the folder gives the rest of the address",
    ),
    (
        "url",
        "write the last part as `slug`; the folder gives the rest of the address",
    ),
    (
        "redirect_to",
        "list this address under `aliases` in the page it should lead to, which then gets a redirect page here",
    ),
    (
        "page_template",
        "set `template` in each page, or override `page.html` in the theme",
    ),
    (
        "author",
        "put it under `extra`, where templates read it as `page.extra.author`",
    ),
    (
        "authors",
        "put it under `extra`, where templates read it as `page.extra.authors`",
    ),
    (
        "summary_separator",
        "tebiki has no summary separator: write the standfirst as `summary`",
    ),
];
const CHANGE_KEYS: &[&str] = &["date", "note"];

/// One entry of a page's `sources`: a document the guide was written from.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    pub title: String,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub date: Option<Date>,
}

/// One entry of a page's `changes`: a significant update, dated, with one line saying what
/// changed, in the page's language.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeNote {
    pub date: Date,
    pub note: String,
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Weight,
    Date,
    Title,
}

/// A value together with the file line it was written on, for later diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct AtLine<T> {
    pub value: T,
    pub line: usize,
}

/// Checked front matter of a page or section. Comparable, so that `serve` can tell a
/// body-only edit from one that changes what other pages show.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub as_of: Option<Date>,
    pub review_by: Option<Date>,
    pub tags: Vec<String>,
    pub category: Option<String>,
    pub sources: Vec<Citation>,
    pub related: Vec<AtLine<String>>,
    /// Earlier addresses of the page, from the site's root: each gets a page that redirects
    /// here.
    pub aliases: Vec<AtLine<String>>,
    pub slug: Option<AtLine<String>>,
    pub weight: i64,
    pub draft: bool,
    pub template: Option<AtLine<String>>,
    pub glossary: bool,
    pub translated_from: Option<String>,
    pub extra: serde_json::Value,
    pub sort_by: SortBy,
    /// A section's `levels`: the level of diagnostic codes on its pages (and those of the
    /// sections inside it), over book.toml's `[check.levels]`.
    pub levels: BTreeMap<Code, Level>,
    /// The page's change notes, newest first.
    pub changes: Vec<ChangeNote>,
    /// A section's `paginate_by`: entries per list page, overriding book.toml's.
    pub paginate_by: Option<usize>,
    /// 1-based file line of each top-level key.
    pub key_lines: HashMap<String, usize>,
}

/// What kind of file the front matter belongs to, which decides the allowed keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Page,
    Section,
}

/// Parses and checks the front matter of `split`. `file` names the file in diagnostics.
/// Returns the front matter even when some keys were wrong, so that one run reports every
/// problem in the file.
pub fn parse(split: &Split<'_>, file: &str, kind: Kind) -> (FrontMatter, Vec<Diagnostic>) {
    let mut fm = FrontMatter {
        glossary: true,
        extra: serde_json::Value::Object(Default::default()),
        ..Default::default()
    };
    let mut errors = Vec::new();
    let Some((format, matter)) = split.matter else {
        if kind == Kind::Page {
            errors.push(
                Diagnostic::error(Code::MissingTitle, file, "this page has no front matter")
                    .at(1, 1)
                    .suggest("start the file with front matter: `---`, `title: \"…\"`, `---`"),
            );
        }
        return (fm, errors);
    };
    let lines = LineFinder::new(matter, split.matter_line, format == Format::Toml);
    let parsed = match format {
        Format::Yaml => load_yaml(matter),
        Format::Toml => TOML::parse(matter).map_err(|e| {
            let (line, column, message) = toml_error(&e.to_string());
            YamlProblem {
                line,
                column,
                message: format!("TOML front matter is malformed: {message}"),
                suggestion: None,
            }
        }),
    };
    let pod = match parsed {
        Ok(pod) => pod,
        Err(problem) => {
            errors.push(
                Diagnostic::error(Code::FrontMatter, file, problem.message)
                    .at(
                        split.matter_line + problem.line.saturating_sub(1),
                        problem.column.max(1),
                    )
                    .maybe_suggest(problem.suggestion),
            );
            return (fm, errors);
        }
    };
    let map = match pod {
        Pod::Hash(map) => map,
        Pod::Null => HashMap::new(),
        _ => {
            errors.push(
                Diagnostic::error(
                    Code::FrontMatter,
                    file,
                    "front matter must be a table of keys",
                )
                .at(split.matter_line, 1),
            );
            return (fm, errors);
        }
    };
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    for key in keys {
        let value = &map[key];
        let line = lines.key(key, 0).unwrap_or(split.matter_line);
        fm.key_lines.insert(key.clone(), line);
        let mut wrong = |what: &str| {
            errors.push(
                Diagnostic::error(
                    Code::FrontMatterType,
                    file,
                    format!("`{key}` must be {what}"),
                )
                .at(line, 1),
            );
        };
        match key.as_str() {
            "title" => match string(value) {
                Some(s) if !s.trim().is_empty() => fm.title = Some(s),
                _ => wrong("a non-empty string"),
            },
            "summary" => match string(value) {
                Some(s) => fm.summary = Some(s),
                None => wrong("a string"),
            },
            "category" => match string(value) {
                Some(s) if let Some(e) = name_too_long(&s, "category") => {
                    errors.push(too_long(file, e, line));
                }
                Some(s) if !s.trim().is_empty() => fm.category = Some(s),
                _ if matches!(value, Pod::Array(_)) => errors.push(
                    Diagnostic::error(
                        Code::FrontMatterType,
                        file,
                        "`category` must be one name, not a list",
                    )
                    .at(line, 1)
                    .suggest(
                        "a page has one category: keep the main one, and put the others in `tags`",
                    ),
                ),
                _ => wrong("a non-empty string"),
            },
            "translated_from" => match string(value) {
                Some(s) => fm.translated_from = Some(s),
                None => wrong("a string (the source's blob id)"),
            },
            "date" | "updated" | "as_of" | "review_by" => {
                match string(value).and_then(|s| Date::parse(&s)) {
                    Some(d) => {
                        let slot = match key.as_str() {
                            "date" => &mut fm.date,
                            "updated" => &mut fm.updated,
                            "as_of" => &mut fm.as_of,
                            _ => &mut fm.review_by,
                        };
                        *slot = Some(d);
                    }
                    None => wrong("a date written YYYY-MM-DD, such as 2026-05-08"),
                }
            }
            "tags" => match string_list(value) {
                Some(mut list) => {
                    list.retain(|name| match name_too_long(name, "tag") {
                        Some(e) => {
                            errors.push(too_long(file, e, line));
                            false
                        }
                        None => true,
                    });
                    fm.tags = list;
                }
                None => wrong("a list of strings, such as [\"AI Act\", \"METI\"]"),
            },
            "related" | "aliases" => match string_list(value) {
                // Each entry at its own line, for messages about one of them.
                Some(list) => {
                    let list = list
                        .into_iter()
                        .map(|value| AtLine {
                            line: lines.value(&value, line).unwrap_or(line),
                            value,
                        })
                        .collect();
                    match key.as_str() {
                        "related" => fm.related = list,
                        _ => fm.aliases = list,
                    }
                }
                None if key == "related" => {
                    wrong("a list of content paths, such as [\"guides/ai-act.md\"]")
                }
                None => wrong("a list of earlier addresses, such as [\"/old/ai-act/\"]"),
            },
            "slug" => match string(value) {
                Some(s) => fm.slug = Some(AtLine { value: s, line }),
                None => wrong("a string"),
            },
            "template" => match string(value) {
                Some(s) => fm.template = Some(AtLine { value: s, line }),
                None => wrong("a template file name, such as \"page.html\""),
            },
            "weight" => match value {
                Pod::Integer(i) => fm.weight = *i,
                _ => wrong("a whole number"),
            },
            "draft" | "glossary" => match value {
                Pod::Boolean(b) if key == "draft" => fm.draft = *b,
                Pod::Boolean(b) => fm.glossary = *b,
                _ => wrong("true or false"),
            },
            "extra" => match value {
                Pod::Hash(_) => fm.extra = to_json(value),
                _ => wrong("a table"),
            },
            "sources" | "changes" => {
                let entries = Entries {
                    format,
                    matter,
                    key,
                    first_line: split.matter_line,
                    key_line: line,
                    places: OnceCell::new(),
                };
                match key.as_str() {
                    "sources" => fm.sources = sources(value, &entries, file, &mut errors),
                    _ => fm.changes = changes(value, &entries, file, &mut errors),
                }
            }
            "paginate_by" if kind == Kind::Section => match value {
                Pod::Integer(i) if *i >= 1 => fm.paginate_by = usize::try_from(*i).ok(),
                _ => wrong("a whole number of at least 1"),
            },
            "sort_by" if kind == Kind::Section => match string(value).as_deref() {
                Some("weight") => fm.sort_by = SortBy::Weight,
                Some("date") => fm.sort_by = SortBy::Date,
                Some("title") => fm.sort_by = SortBy::Title,
                _ => wrong("one of \"weight\", \"date\", \"title\""),
            },
            "levels" if kind == Kind::Section => match value {
                Pod::Hash(map) => {
                    let mut names: Vec<&String> = map.keys().collect();
                    names.sort();
                    for name in names {
                        let at = lines.key(name, line + 1).unwrap_or(line);
                        let column = lines.column_of(at, name);
                        match crate::diag::codes::parse_setting(name, string(&map[name]).as_deref())
                        {
                            Ok((code, level)) => {
                                fm.levels.insert(code, level);
                            }
                            Err(bad) => errors.push(
                                Diagnostic::error(
                                    if crate::diag::codes::Code::from_name(name).is_none() {
                                        Code::UnknownKey
                                    } else {
                                        Code::FrontMatterType
                                    },
                                    file,
                                    format!("{} in `levels`", bad.message),
                                )
                                .at(at, column)
                                .maybe_suggest(bad.suggestion),
                            ),
                        }
                    }
                }
                _ => wrong("a table of diagnostic codes and levels (`no-sources: allow`)"),
            },
            _ => {
                let known: Vec<&str> = match kind {
                    Kind::Page => PAGE_KEYS.to_vec(),
                    Kind::Section => PAGE_KEYS.iter().chain(SECTION_KEYS).copied().collect(),
                };
                errors.push(
                    Diagnostic::error(Code::UnknownKey, file, format!("unknown key `{key}`"))
                        .at(line, 1)
                        .maybe_suggest(
                            OTHER_TOOLS_KEYS
                                .iter()
                                .find(|(other, _)| other.eq_ignore_ascii_case(key))
                                .map(|(_, instead)| instead.to_string())
                                .or_else(|| did_you_mean(key, known.iter().copied()))
                                .or_else(|| Some("put free-form values under `extra`".to_string())),
                        ),
                );
            }
        }
    }
    // A misspelt `title` is already reported with its suggestion; say it once.
    let misspelt_title = errors
        .iter()
        .any(|e| e.suggestion.as_deref() == Some("did you mean `title`?"));
    if kind == Kind::Page && fm.title.is_none() && !map.contains_key("title") && !misspelt_title {
        errors.push(
            Diagnostic::error(Code::MissingTitle, file, "this page has no `title`")
                .at(split.matter_line, 1)
                .suggest(match format {
                    Format::Yaml => "add `title: \"…\"` to the front matter",
                    Format::Toml => "add `title = \"…\"` to the front matter",
                }),
        );
    }
    (fm, errors)
}

/// What a front matter list of tables (`sources`, `changes`) looks like, for its messages.
struct Shape<'a> {
    /// The message when the value is not a list.
    list: &'a str,
    /// The message when an entry is not a table.
    entry: &'a str,
    /// The keys an entry may hold.
    keys: &'a [&'a str],
    /// An entry, in messages ("a source").
    what: &'a str,
}

/// The tables of a list such as `sources`, each with its index in the list; a value that is
/// not a list, an entry that is not a table and a key not in `shape.keys` are reported.
fn tables<'p>(
    value: &'p Pod,
    entries: &Entries<'_>,
    file: &str,
    errors: &mut Vec<Diagnostic>,
    shape: &Shape<'_>,
) -> Vec<(usize, &'p HashMap<String, Pod>)> {
    let Pod::Array(items) = value else {
        errors.push(
            Diagnostic::error(Code::FrontMatterType, file, shape.list).at(entries.key_line, 1),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Pod::Hash(map) = item else {
            let (line, column) = entries.entry(i);
            errors
                .push(Diagnostic::error(Code::FrontMatterType, file, shape.entry).at(line, column));
            continue;
        };
        let mut keys: Vec<&String> = map.keys().collect();
        keys.sort();
        for key in keys {
            if !shape.keys.contains(&key.as_str()) {
                let (line, column) = entries.field(i, key);
                errors.push(
                    Diagnostic::error(
                        Code::UnknownKey,
                        file,
                        format!("unknown key `{key}` in {}", shape.what),
                    )
                    .at(line, column)
                    .maybe_suggest(did_you_mean(key, shape.keys.iter().copied())),
                );
            }
        }
        out.push((i, map));
    }
    out
}

fn sources(
    value: &Pod,
    entries: &Entries<'_>,
    file: &str,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Citation> {
    let mut out = Vec::new();
    let shape = Shape {
        list: "`sources` must be a list of {title, publisher, url, date}",
        entry: "each entry of `sources` must be a table with `title`, `publisher`, `url`, `date`",
        keys: SOURCE_KEYS,
        what: "a source",
    };
    for (i, map) in tables(value, entries, file, errors, &shape) {
        let field = |k: &str| map.get(k).and_then(string);
        let mut error = |at: (usize, usize), message: &str| {
            errors.push(Diagnostic::error(Code::FrontMatterType, file, message).at(at.0, at.1));
        };
        let date = map.get("date").and_then(|d| {
            let parsed = string(d).and_then(|s| Date::parse(&s));
            if parsed.is_none() {
                error(
                    entries.field(i, "date"),
                    "a source's `date` must be a date written YYYY-MM-DD",
                );
            }
            parsed
        });
        // Text written as a number or a yes/no is an error at its key, not dropped.
        for key in ["title", "publisher", "url"] {
            if map.get(key).is_some_and(|v| string(v).is_none()) {
                error(
                    entries.field(i, key),
                    &format!("a source's `{key}` must be text: quote it, such as `{key}: \"…\"`"),
                );
            }
        }
        // A source's address becomes a link: one that runs script is dropped, as in a body.
        let url = field("url");
        let scheme = url.as_deref().and_then(crate::model::url::dangerous_scheme);
        let url = url.filter(|_| scheme.is_none());
        match field("title") {
            Some(title) => out.push(Citation {
                title,
                publisher: field("publisher"),
                url,
                date,
            }),
            None if !map.contains_key("title") => {
                error(entries.field(i, "title"), "every source needs a `title`")
            }
            None => {}
        }
        if let Some(scheme) = scheme {
            let (line, col) = entries.field(i, "url");
            errors.push(
                Diagnostic::warning(
                    Code::UnsafeUrl,
                    file,
                    format!("a source's `url` with the `{scheme}:` scheme, left out: it would run in the reader's browser"),
                )
                .at(line, col)
                .suggest("give the source's http(s) address"),
            );
        }
    }
    out
}

fn changes(
    value: &Pod,
    entries: &Entries<'_>,
    file: &str,
    errors: &mut Vec<Diagnostic>,
) -> Vec<ChangeNote> {
    let list =
        "`changes` must be a list of {date, note}, such as `- {date: 2026-05-08, note: \"…\"}`";
    let shape = Shape {
        list,
        entry: list,
        keys: CHANGE_KEYS,
        what: "a change note",
    };
    let mut out = Vec::new();
    for (i, map) in tables(value, entries, file, errors, &shape) {
        let date = map
            .get("date")
            .and_then(string)
            .and_then(|s| Date::parse(&s));
        let note = map
            .get("note")
            .and_then(string)
            .filter(|n| !n.trim().is_empty());
        let mut error = |at: (usize, usize), message: &str| {
            errors.push(Diagnostic::error(Code::FrontMatterType, file, message).at(at.0, at.1));
        };
        if date.is_none() {
            error(
                entries.field(i, "date"),
                "every change note needs a `date` written YYYY-MM-DD",
            );
        }
        if note.is_none() {
            error(
                entries.field(i, "note"),
                "every change note needs a one-line `note` saying what changed",
            );
        }
        if let (Some(date), Some(note)) = (date, note) {
            out.push(ChangeNote { date, note });
        }
    }
    // Newest first, as the page lists them; stable for notes of one day.
    out.sort_by_key(|c| std::cmp::Reverse(c.date));
    out
}

fn string(value: &Pod) -> Option<String> {
    match value {
        Pod::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn too_long(file: &str, message: String, line: usize) -> Diagnostic {
    Diagnostic::error(Code::BadSlug, file, message)
        .at(line, 1)
        .suggest("shorten it (a Japanese character takes 3 bytes)")
}

/// What is wrong with a tag's or category's name whose address part (its slug) is longer
/// than a folder name may be: the build could not write its page.
fn name_too_long(name: &str, what: &str) -> Option<String> {
    use crate::model::slug::{MAX_SEGMENT, fallback_slug};
    let bytes = fallback_slug(name).len();
    (bytes > MAX_SEGMENT).then(|| {
        let shown: String = name.chars().take(20).collect();
        format!(
            "the {what} `{shown}…` makes an address part of {bytes} bytes, and a folder name may have at most {MAX_SEGMENT}"
        )
    })
}

fn string_list(value: &Pod) -> Option<Vec<String>> {
    match value {
        Pod::Array(items) => items.iter().map(string).collect(),
        _ => None,
    }
}

/// Converts a gray_matter value to JSON for templates, with map keys sorted so output is
/// deterministic.
pub fn to_json(value: &Pod) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Pod::Null => Value::Null,
        Pod::String(s) => Value::String(s.clone()),
        Pod::Integer(i) => Value::from(*i),
        Pod::Float(f) => Value::from(*f),
        Pod::Boolean(b) => Value::Bool(*b),
        Pod::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Pod::Hash(map) => {
            let sorted: std::collections::BTreeMap<_, _> = map.iter().collect();
            Value::Object(
                sorted
                    .into_iter()
                    .map(|(k, v)| (k.clone(), to_json(v)))
                    .collect(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> (FrontMatter, Vec<Diagnostic>) {
        let s = split(text).unwrap();
        parse(&s, "x.md", Kind::Page)
    }

    #[test]
    fn unknown_key_has_line_and_suggestion() {
        let (_, errors) = check("---\ntitle: A\ndate: 2026-05-08\ntittle: B\n---\n");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "unknown key `tittle`");
        assert_eq!(errors[0].line, 4);
        assert_eq!(
            errors[0].suggestion.as_deref(),
            Some("did you mean `title`?")
        );
    }

    #[test]
    fn wrong_types_are_reported_together() {
        let (_, errors) =
            check("+++\ntitle = \"A\"\ndate = \"8 May 2026\"\nweight = \"ten\"\n+++\n");
        let messages: Vec<_> = errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    3,
                    "`date` must be a date written YYYY-MM-DD, such as 2026-05-08"
                ),
                (4, "`weight` must be a whole number"),
            ]
        );
    }

    #[test]
    fn toml_dates_and_sources() {
        let (fm, errors) = check(
            "+++\ntitle = \"A\"\ndate = 2026-05-08\n[[sources]]\ntitle = \"Overview\"\npublisher = \"Cabinet Office\"\ndate = 2025-05-28\n+++\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(fm.date.unwrap().iso(), "2026-05-08");
        assert_eq!(fm.sources[0].publisher.as_deref(), Some("Cabinet Office"));
        assert_eq!(fm.sources[0].date.unwrap().iso(), "2025-05-28");
    }

    #[test]
    fn malformed_yaml_points_into_the_file() {
        let (_, errors) = check("---\ntitle: A\ntags: [a, b\ndate: 2026-05-08\n---\n");
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .message
                .starts_with("YAML front matter is malformed")
        );
        assert!(errors[0].line >= 3, "{:?}", errors[0]);
    }

    #[test]
    fn malformed_toml_points_into_the_file() {
        let (_, errors) = check("+++\ntitle = \"A\"\ndate = = 3\n+++\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].line, errors[0].column), (3, 8));
    }

    #[test]
    fn yaml_aliases_are_refused_at_the_alias() {
        let laughs = "title: A\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
        let started = std::time::Instant::now();
        let (_, errors) = check(&format!("---\n{laughs}---\nBody\n"));
        assert!(started.elapsed().as_secs() < 2);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].message,
            "YAML aliases (`*name`) are not allowed in front matter"
        );
        // `b: &b [*a,` : line 4 of the file, the `*` in column 8.
        assert_eq!((errors[0].line, errors[0].column), (4, 8));
        assert!(errors[0].suggestion.is_some());
        // Anchors alone, and `*` or `&` inside quoted text, are fine.
        let (fm, errors) = check("---\ntitle: \"*a & *b\"\nsummary: &s '*x'\n---\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(fm.title.as_deref(), Some("*a & *b"));
    }

    #[test]
    fn duplicate_yaml_key_is_named_at_its_line() {
        let (_, errors) = check("---\ntitle: A\nsummary: S\ntitle: B\n---\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].message, "duplicate key `title`");
        assert_eq!((errors[0].line, errors[0].column), (4, 1));
        let (_, errors) = check("---\ntitle: A\nextra:\n  a: 1\n  b: [1, {c: 1, c: 2}]\n---\n");
        assert_eq!(errors[0].message, "duplicate key `c`");
        assert_eq!(errors[0].line, 5);
        // The same key in different tables, and values equal to keys, are not duplicates.
        let (_, errors) = check(
            "---\ntitle: title\nsources:\n  - title: A\n  - title: B\nextra: {title: x}\n---\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
    }

    /// Front matter the loader must read exactly as gray_matter's YAML engine did.
    const YAML_SAMPLES: &[&str] = &[
        "",
        "# only a comment\n",
        "title: A\ndate: 2026-05-08\nweight: -3\ndraft: true\nsummary: ~\n",
        "title: \"3\"\nweight: 0x1F\nx: 0o17\ny: +5\nz: 1.5e3\nw: .inf\nv: 1_000\nu: null\nt: ''\n",
        "a: !!int \"7\"\nb: !!int 7\nc: !!float 2\nd: !!bool True\ne: !!str 5\nf: !!null ~\ng: !custom x\nh: !!bool maybe\n",
        "text: |\n  line one\n  line two\nfolded: >\n  a\n  b\n",
        "tags: [a, \"b\", 'c']\nsources:\n  - title: T\n    date: 2025-05-28\n  - {title: U, url: \"https://x\"}\n",
        "1: one\ntrue: yes\n~: nothing\n2.5: real\n",
        "? [a, b]\n: complex\nplain: kept\n",
        "extra:\n  nested:\n    deeper: [1, [2, [3]]]\n  empty: {}\n  list: []\n",
        "anchored: &x value\nother: 1\n",
        "just a string\n",
        "- a\n- b\n",
        "title: A\n...\n---\nsecond: document\n",
    ];

    #[test]
    fn yaml_is_read_as_gray_matter_read_it() {
        use gray_matter::engine::YAML;
        for sample in YAML_SAMPLES {
            let expected = YAML::parse(sample).expect("gray_matter reads the sample");
            assert_eq!(load_yaml(sample).as_ref(), Ok(&expected), "{sample:?}");
        }
    }

    #[test]
    fn malformed_yaml_has_its_position() {
        let problem = load_yaml("title: A\ntags: [a, b\n").unwrap_err();
        assert!(
            problem
                .message
                .starts_with("YAML front matter is malformed: ")
        );
        assert_eq!((problem.line, problem.column), (2, 12), "{problem:?}");
        assert!(problem.suggestion.is_none());
    }

    #[test]
    fn malformed_yaml_is_at_the_line_an_editor_shows() {
        // (front matter, line, column of the mistake within it)
        for (matter, line, column) in [
            ("title: Z\nsummary: \"abcd\"\nfoo bar\n", 3, 1),
            ("title: Z\nfoo bar\n\n# note\ndate: 2025-01-01\n", 2, 1),
            ("title: Z\n  indented: x\n", 2, 11),
            ("title: Z\nsummary: \"abcd\n", 2, 10),
            ("title: Z\ntags:\n  - a\n - b\n", 4, 2),
            ("title: Z\r\r\rdate 2025\n", 4, 1),
            ("title: Z\r\nfoo\r\ndate: x\r\n", 2, 1),
        ] {
            let problem = load_yaml(matter).unwrap_err();
            assert_eq!((problem.line, problem.column), (line, column), "{matter:?}");
        }
        let split = split_checked("---\ntitle: Z\r\rdate: 2025-01-01\n---\na\rb\n").unwrap();
        assert_eq!(split.body_line, 6);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = format!(
            "---\ntitle: A\nextra:\n  x: {}{}\n---\n",
            "[".repeat(200),
            "]".repeat(200)
        );
        let (_, errors) = check(&deep);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("levels deep"), "{errors:?}");
        assert_eq!(errors[0].line, 4);
    }

    #[test]
    fn unknown_source_key() {
        let (_, errors) =
            check("---\ntitle: A\nsources:\n  - title: Overview\n    publsher: METI\n---\n");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 5);
        assert_eq!(
            errors[0].suggestion.as_deref(),
            Some("did you mean `publisher`?")
        );
    }
}
