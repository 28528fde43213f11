//! The glossary: `content/glossary.toml` read and checked into terms, with one term
//! matcher (`glossary/matcher.rs`) per language for the link stage.

pub mod consistency;
mod definitions;
mod matcher;

use definitions::{Definition, inline_html};
pub use definitions::{check_definition_anchors, link_definitions};

pub use matcher::Found;
use matcher::{Matcher, build_matcher};

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};
use unicode_normalization::UnicodeNormalization;

use crate::diag::{Code, Diagnostic, LineIndex, Reported, did_you_mean};
use crate::model::config::Config;
use crate::pipeline::ids::{TermId, index_by};

const TERM_KEYS: &[&str] = &["id", "see_also"];

/// The longest term, abbreviation or alias, in characters: a name, not a sentence. Far longer
/// ones (thousands of one letter) would make building the matcher take seconds.
pub const MAX_NAME: usize = 200;
const LANG_KEYS: &[&str] = &["term", "abbr", "aliases", "definition", "reading"];

/// One term in one language.
#[derive(Debug, Clone)]
pub struct TermLang {
    pub term: String,
    pub abbr: Option<String>,
    pub aliases: Vec<String>,
    /// Inline Markdown, as written.
    pub definition: String,
    /// The definition rendered to inline HTML.
    pub definition_html: String,
    /// The line and column of the definition's string in the glossary file.
    pub definition_at: (usize, usize),
    /// Whether the string is the definition as written, on one line: then a character of the
    /// definition is that many columns after the opening quote.
    pub definition_verbatim: bool,
    /// Whether the definition links to a page or section (`@/guides/x.md`) or a term
    /// (`term:id`): those links are resolved once the site is indexed.
    pub links_content: bool,
    /// Sort key for the glossary page (Japanese: the reading in hiragana).
    pub reading: Option<String>,
}

/// A glossary entry: one concept, with an entry per language.
#[derive(Debug, Clone)]
pub struct Term {
    pub id: String,
    pub see_also: Vec<String>,
    /// The `[[term]]` line in glossary.toml.
    pub line: usize,
    pub langs: BTreeMap<String, TermLang>,
}

index_by!(TermId => Term);

/// The checked glossary with its matchers.
pub struct Glossary {
    /// Path relative to the site root, for diagnostics.
    pub file: String,
    pub terms: Vec<Term>,
    by_id: HashMap<String, TermId>,
    /// One per declared language that has terms; a handful, so a list beats a hash map.
    matchers: Vec<(String, Matcher)>,
    /// Whether building `matchers` reported nothing: only then may a [`reload`] with the same
    /// names reuse them, since it would report nothing either.
    clean_matchers: bool,
    /// The `#fragment`s definitions link to, checked once pages are rendered.
    anchors: Vec<definitions::DefinitionAnchor>,
    /// The pages definitions link to, sorted: their titles and heading ids show in them.
    pub linked_pages: Vec<crate::pipeline::ids::PageId>,
}

impl std::fmt::Debug for Glossary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Glossary")
            .field("file", &self.file)
            .field("terms", &self.terms.len())
            .finish()
    }
}

impl Glossary {
    /// The term whose id is `id`, if there is one.
    pub fn index(&self, id: &str) -> Option<TermId> {
        self.by_id.get(id).copied()
    }

    /// Every term's id, in order.
    pub fn term_ids(&self) -> impl Iterator<Item = TermId> + use<> {
        (0..self.terms.len()).map(TermId::new)
    }

    /// Whether `other` links exactly the same text to the same terms: same ids in the same
    /// order, and the same names, abbreviations and aliases in every language. Then an edit
    /// changed only what a linked term shows (definitions), not where terms are.
    pub fn same_matching(&self, other: &Glossary) -> bool {
        same_names(&self.terms, &other.terms)
    }

    /// The terms whose definition differs in `other` (which matches the same way).
    pub fn changed_definitions(&self, other: &Glossary) -> Vec<TermId> {
        self.changed(other, |a, b| a.definition != b.definition)
    }

    /// The terms whose definition or reading differs in `other` (which matches the same way):
    /// all that their own glossary entries show beyond the names `other` shares.
    pub fn changed_entries(&self, other: &Glossary) -> Vec<TermId> {
        self.changed(other, |a, b| {
            a.definition != b.definition || a.reading != b.reading
        })
    }

    /// The terms for which `differs` holds in some language between this glossary and
    /// `other`, which has the same terms and languages.
    fn changed(
        &self,
        other: &Glossary,
        differs: impl Fn(&TermLang, &TermLang) -> bool,
    ) -> Vec<TermId> {
        self.term_ids()
            .filter(|&i| {
                let (a, b) = (&self.terms[i], &other.terms[i]);
                a.langs
                    .values()
                    .zip(b.langs.values())
                    .any(|(a, b)| differs(a, b))
            })
            .collect()
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(|t| t.id.as_str())
    }
}

/// Whether two lists of terms have the same ids in the same order, and the same names,
/// abbreviations and aliases in every language: what the matchers are built from.
fn same_names(a: &[Term], b: &[Term]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(a, b)| {
            a.id == b.id
                && a.langs.len() == b.langs.len()
                && a.langs.iter().zip(&b.langs).all(|((la, a), (lb, b))| {
                    la == lb && a.term == b.term && a.abbr == b.abbr && a.aliases == b.aliases
                })
        })
}

/// Reads and checks the glossary of the site at `root`, if it has one.
pub fn load(root: &Path, config: &Config) -> Reported<Option<Glossary>> {
    read(root, config, None)
}

/// [`load`] after an edit of the glossary that `previous` was loaded from, with the same
/// `config`: when the edit left every name as it was, `previous`'s matchers serve again
/// instead of being built anew (a large automaton, built on every save while `serve` runs).
pub fn reload(root: &Path, config: &Config, previous: &Glossary) -> Reported<Option<Glossary>> {
    read(root, config, Some(previous))
}

fn read(root: &Path, config: &Config, previous: Option<&Glossary>) -> Reported<Option<Glossary>> {
    let rel = format!(
        "{}/{}",
        crate::model::content_path::CONTENT_DIR,
        config.glossary_file
    );
    let text = match crate::model::read_regular(&root.join(&rel)) {
        Ok(bytes) => match crate::diag::decode(&rel, bytes) {
            Ok(text) => text,
            Err(e) => return Reported::new(None, vec![e]),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let errors = config
                .glossary_file_at
                .map(|at| missing(root, config, &rel, at))
                .into_iter()
                .collect();
            return Reported::new(None, errors);
        }
        // A folder named on purpose is book.toml's mistake: shown where it names it.
        Err(_) if root.join(&rel).is_dir() && config.glossary_file_at.is_some() => {
            let (line, col) = config.glossary_file_at.unwrap_or((0, 0));
            let e = Diagnostic::error(
                Code::Config,
                crate::model::config::CONFIG_FILE,
                format!("`[glossary] file` names `{rel}`, which is a folder, not a file"),
            )
            .at(line, col)
            .suggest("set `file` to the glossary's TOML file, relative to content/ (such as `glossary.toml`)");
            return Reported::new(None, vec![e]);
        }
        Err(e) => {
            let e = Diagnostic::error(Code::Io, rel, format!("cannot read the glossary: {e}"));
            return Reported::new(None, vec![e]);
        }
    };
    parse_after(&text, &rel, config, previous)
}

/// The error for a glossary file that book.toml names at `at` but that does not exist: left
/// unreported, a misspelt name would build a site without its glossary, and publish the real
/// file as a plain file.
fn missing(root: &Path, config: &Config, rel: &str, at: (usize, usize)) -> Diagnostic {
    let content = root.join(crate::model::content_path::CONTENT_DIR);
    let tomls: Vec<String> = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(".toml"))
        .map(|e| crate::diag::display_path(&content, e.path()))
        .collect();
    let fix = match crate::diag::closest(&config.glossary_file, tomls.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `file = \"{near}\"`? The path is relative to content/"),
        None => format!(
            "create `{rel}`, or set `file` to the glossary's path relative to content/; remove `file` if the site has no glossary"
        ),
    };
    Diagnostic::error(
        Code::Config,
        crate::model::config::CONFIG_FILE,
        format!("`[glossary] file` names `{rel}`, which does not exist"),
    )
    .at(at.0, at.1)
    .suggest(fix)
}

/// Parses glossary.toml text. `file` names it in diagnostics.
pub fn parse(text: &str, file: &str, config: &Config) -> Reported<Option<Glossary>> {
    parse_after(text, file, config, None)
}

/// [`parse`], reusing the matchers of `previous` (see [`reload`]) when it can.
fn parse_after(
    text: &str,
    file: &str,
    config: &Config,
    previous: Option<&Glossary>,
) -> Reported<Option<Glossary>> {
    let lines = LineIndex::new(text);
    let at = |span: Range<usize>| lines.line_col(span.start);
    let err = |span: Range<usize>, message: String| {
        let (line, col) = at(span);
        Diagnostic::error(Code::Glossary, file, message).at(line, col)
    };
    let doc = match DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let (line, col) = e.span().map_or((0, 0), at);
            let e = Diagnostic::error(Code::Glossary, file, e.message().trim().to_string());
            return Reported::new(None, vec![e.at(line, col)]);
        }
    };
    let mut errors = Vec::new();
    let mut terms: Vec<Term> = Vec::new();
    for (key, value) in doc.get_ref() {
        if key.get_ref().as_ref() != "term" {
            errors.push(
                err(
                    key.span(),
                    format!("unknown key `{}` at the top level", key.get_ref()),
                )
                .suggest("the glossary is a list of `[[term]]` tables"),
            );
            continue;
        }
        let DeValue::Array(items) = value.get_ref() else {
            errors.push(err(
                value.span(),
                "`term` must be a list of `[[term]]` tables".into(),
            ));
            continue;
        };
        for item in items {
            let DeValue::Table(table) = item.get_ref() else {
                errors.push(err(item.span(), "each `[[term]]` must be a table".into()));
                continue;
            };
            if let Some(term) = parse_term(table, item.span(), text, config, &err, &mut errors) {
                terms.push(term);
            }
        }
    }

    let mut by_id = HashMap::new();
    for (i, term) in terms.iter().enumerate() {
        if let Some(&first) = by_id.get(&term.id) {
            let first: &Term = &terms[first];
            errors.push(
                Diagnostic::error(
                    Code::Glossary,
                    file,
                    format!("duplicate term id `{}`", term.id),
                )
                .at(term.line, 1)
                .suggest(format!(
                    "ids must be unique; `{}` is already defined on line {}",
                    term.id, first.line
                )),
            );
        } else {
            by_id.insert(term.id.clone(), TermId::new(i));
        }
    }
    for term in &terms {
        for other in &term.see_also {
            if !by_id.contains_key(other) {
                errors.push(
                    Diagnostic::error(
                        Code::Glossary,
                        file,
                        format!(
                            "`see_also` of `{}` names `{other}`, which is not a term",
                            term.id
                        ),
                    )
                    .at(term.line, 1)
                    .maybe_suggest(did_you_mean(other, by_id.keys().map(String::as_str))),
                );
            }
        }
    }

    let reusable = previous.filter(|old| old.clean_matchers && same_names(&old.terms, &terms));
    let (matchers, clean_matchers) = match reusable {
        Some(old) => (old.matchers.clone(), true),
        None => {
            let mut matchers = Vec::new();
            let mut clean = true;
            for lang in &config.languages {
                let Reported {
                    value: matcher,
                    diagnostics: mut claim_errors,
                } = build_matcher(&terms, &lang.code, file);
                clean &= claim_errors.is_empty();
                errors.append(&mut claim_errors);
                if let Some(m) = matcher {
                    matchers.push((lang.code.clone(), m));
                }
            }
            (matchers, clean)
        }
    };
    let glossary = Glossary {
        file: file.to_string(),
        terms,
        by_id,
        matchers,
        clean_matchers,
        anchors: Vec::new(),
        linked_pages: Vec::new(),
    };
    Reported::new(Some(glossary), errors)
}

type Err<'a> = dyn Fn(Range<usize>, String) -> Diagnostic + 'a;

fn parse_term(
    table: &DeTable<'_>,
    span: Range<usize>,
    text: &str,
    config: &Config,
    err: &Err<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Term> {
    let line = err(span.clone(), String::new()).line;
    let mut id = None;
    // An `id` that is there but wrong has its own error: not also "has no `id`".
    let mut bad_id = false;
    // Likewise an entry in a language that has errors: not also "no entry in any language".
    let mut written_lang = false;
    let mut see_also = Vec::new();
    let mut langs = BTreeMap::new();
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        match name {
            "id" => match value.get_ref() {
                // The id is the entry's anchor on the glossary page and in `term:` links.
                DeValue::String(s) if crate::model::slug::is_safe_segment(s) => {
                    id = Some(s.to_string())
                }
                DeValue::String(s) if !s.trim().is_empty() => {
                    bad_id = true;
                    let example = crate::model::slug::name_slug(s);
                    errors.push(
                        err(
                            value.span(),
                            format!(
                                "`id = \"{}\"` cannot be an anchor in a URL",
                                crate::model::slug::visible(s)
                            ),
                        )
                        .suggest(if example.is_empty() {
                            "use letters, digits and dashes only".to_string()
                        } else {
                            format!(
                                "use letters, digits and dashes only, such as `id = \"{example}\"`"
                            )
                        }),
                    );
                }
                _ => {
                    bad_id = true;
                    errors.push(err(value.span(), "`id` must be a non-empty string".into()));
                }
            },
            "see_also" => match strings(value.get_ref()) {
                Some(list) => see_also = list,
                None => errors.push(err(
                    value.span(),
                    "`see_also` must be a list of term ids".into(),
                )),
            },
            code if config.language(code).is_some() => {
                written_lang = true;
                let DeValue::Table(entry) = value.get_ref() else {
                    errors.push(err(
                        value.span(),
                        format!("`{code}` must be a table with `term` and `definition`"),
                    ));
                    continue;
                };
                if let Some(l) = parse_lang(entry, value.span(), text, code, config, err, errors) {
                    langs.insert(code.to_string(), l);
                }
            }
            other => {
                let known: Vec<&str> = TERM_KEYS
                    .iter()
                    .copied()
                    .chain(config.languages.iter().map(|l| l.code.as_str()))
                    .collect();
                let diagnostic = if crate::model::config::is_language_code(other) {
                    err(
                        key.span(),
                        format!(
                            "term entry in language `{other}`, which book.toml does not declare"
                        ),
                    )
                    .suggest(format!(
                        "add `[languages.{other}]` to book.toml, or use one of: {}",
                        known[2..].join(", ")
                    ))
                } else {
                    err(key.span(), format!("unknown key `{other}` in a term"))
                        .maybe_suggest(did_you_mean(other, known.iter().copied()))
                };
                errors.push(diagnostic);
            }
        }
    }
    let Some(id) = id else {
        if !bad_id {
            errors.push(
                err(span, "this `[[term]]` has no `id`".into())
                    .suggest("add `id = \"short-name\"`"),
            );
        }
        return None;
    };
    if langs.is_empty() {
        if written_lang {
            return None;
        }
        errors.push(
            err(span, format!("term `{id}` has no entry in any language")).suggest(format!(
                "add `[term.{}]` with `term` and `definition`",
                config.default_language
            )),
        );
        return None;
    }
    Some(Term {
        id,
        see_also,
        line,
        langs,
    })
}

fn parse_lang(
    table: &DeTable<'_>,
    span: Range<usize>,
    text: &str,
    code: &str,
    config: &Config,
    err: &Err<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Option<TermLang> {
    let mut term = None;
    let mut abbr = None;
    let mut aliases = Vec::new();
    let mut definition = None;
    let mut reading = None;
    let mut definition_span = span.clone();
    // Keys that are there but wrong have errors of their own: not also "needs both".
    let (mut wrong_term, mut wrong_definition) = (false, false);
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        if name == "definition" {
            definition_span = value.span();
        }
        let string = || match value.get_ref() {
            DeValue::String(s) if !s.trim().is_empty() => Some(s.to_string()),
            _ => None,
        };
        let slot = match name {
            "term" => &mut term,
            "abbr" => &mut abbr,
            "definition" => &mut definition,
            "reading" => &mut reading,
            "aliases" => {
                match strings(value.get_ref()) {
                    Some(list) => aliases = list,
                    None => errors.push(err(
                        value.span(),
                        "`aliases` must be a list of strings".into(),
                    )),
                }
                // An empty alias would match nothing and show as ", " on the glossary page.
                if let DeValue::Array(items) = value.get_ref() {
                    for item in items {
                        if matches!(item.get_ref(), DeValue::String(s) if s.trim().is_empty()) {
                            errors.push(
                                err(item.span(), "an alias must not be empty".into())
                                    .suggest("remove the empty string from `aliases`"),
                            );
                        }
                    }
                }
                aliases.retain(|a| !a.trim().is_empty());
                if let DeValue::Array(items) = value.get_ref() {
                    for item in items {
                        if let Some(e) = too_long(item.get_ref(), "an alias", item.span(), err) {
                            errors.push(e);
                        }
                    }
                }
                aliases.retain(|a| a.chars().count() <= MAX_NAME);
                continue;
            }
            other => {
                errors.push(
                    err(
                        key.span(),
                        format!("unknown key `{other}` in a `{code}` term entry"),
                    )
                    .maybe_suggest(did_you_mean(other, LANG_KEYS.iter().copied())),
                );
                continue;
            }
        };
        if matches!(name, "term" | "abbr")
            && let Some(e) = too_long(value.get_ref(), &format!("`{name}`"), value.span(), err)
        {
            // Left out, as a wrong value is: the entry is reported, not built.
            errors.push(e);
            wrong_term |= name == "term";
            continue;
        }
        match string() {
            Some(s) => *slot = Some(s),
            None => {
                wrong_term |= name == "term";
                wrong_definition |= name == "definition";
                errors.push(err(
                    value.span(),
                    format!("`{name}` must be a non-empty string"),
                ));
            }
        }
    }
    let missing: Vec<&str> = [
        ("term", term.is_none() && !wrong_term),
        ("definition", definition.is_none() && !wrong_definition),
    ]
    .iter()
    .filter(|(_, missing)| *missing)
    .map(|(key, _)| *key)
    .collect();
    let (Some(term), Some(definition)) = (term, definition) else {
        if !missing.is_empty() {
            let add: Vec<String> = missing.iter().map(|k| format!("`{k} = \"…\"`")).collect();
            errors.push(
                err(
                    span,
                    format!("the `{code}` entry needs both `term` and `definition`"),
                )
                .suggest(format!("add {}", add.join(" and "))),
            );
        }
        return None;
    };
    let mut sanitise = Definition::new(config);
    let definition_html = inline_html(&definition, &mut sanitise);
    for what in sanitise.dropped {
        use crate::diag::Code;
        use crate::pipeline::markdown::Dropped;
        let (code, help) = match what {
            Dropped::RemoteImage(_) => (
                Code::RemoteImage,
                "save the image in static/ and show it from there, or leave it out of the definition",
            ),
            Dropped::Url(_) => (
                Code::UnsafeUrl,
                "link to an http(s) address or a page of the site",
            ),
            _ => (
                Code::RawHtml,
                "write the definition in Markdown; if every writer of this site is trusted, set `unsafe_html = true` under `[markdown]` in book.toml",
            ),
        };
        let mut warning = err(definition_span.clone(), what.describe()).suggest(help);
        warning.severity = crate::diag::Severity::Warning;
        warning.code = code;
        errors.push(warning);
    }
    let at = err(definition_span.clone(), String::new());
    // A one-line string with no escapes: a position in the definition is one in the file.
    let verbatim = text.get(definition_span).is_some_and(|raw| {
        raw.len() == definition.len() + 2
            && raw.get(1..raw.len() - 1) == Some(definition.as_str())
            && !definition.contains('\n')
    });
    Some(TermLang {
        definition_html,
        definition_at: (at.line, at.column),
        definition_verbatim: verbatim,
        links_content: sanitise.links_content,
        term,
        abbr,
        aliases,
        definition,
        reading,
    })
}

/// The error for a name longer than [`MAX_NAME`] characters, if `value` is one.
fn too_long(
    value: &DeValue<'_>,
    what: &str,
    span: Range<usize>,
    err: &Err<'_>,
) -> Option<Diagnostic> {
    let DeValue::String(name) = value else {
        return None;
    };
    let length = name.chars().count();
    (length > MAX_NAME).then(|| {
        err(
            span,
            format!("{what} of {length} characters is too long to be a name"),
        )
        .suggest(format!(
            "terms, abbreviations and aliases are at most {MAX_NAME} characters; put the rest in the definition"
        ))
    })
}

fn strings(value: &DeValue<'_>) -> Option<Vec<String>> {
    match value {
        DeValue::Array(items) => items
            .iter()
            .map(|i| match i.get_ref() {
                DeValue::String(s) => Some(s.to_string()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// The row of the Japanese syllabary (あ か さ た な は ま や ら わ) a reading starts in, or the
/// upper-cased first letter for other scripts: the glossary page's index groups.
pub fn index_group(key: &str) -> String {
    let Some(c) = key.chars().next() else {
        return String::new();
    };
    // Katakana → hiragana.
    let c = if ('\u{30A1}'..='\u{30F6}').contains(&c) {
        char::from_u32(c as u32 - 0x60).unwrap_or(c)
    } else {
        c
    };
    let row = match c {
        '\u{3041}'..='\u{304A}' | 'ゔ' => "あ",
        '\u{304B}'..='\u{3054}' => "か",
        '\u{3055}'..='\u{305E}' => "さ",
        '\u{305F}'..='\u{3069}' => "た",
        '\u{306A}'..='\u{306E}' => "な",
        '\u{306F}'..='\u{307D}' => "は",
        '\u{307E}'..='\u{3082}' => "ま",
        '\u{3083}'..='\u{3088}' => "や",
        '\u{3089}'..='\u{308D}' => "ら",
        '\u{308E}'..='\u{3093}' => "わ",
        _ => "",
    };
    if !row.is_empty() {
        return row.to_string();
    }
    let c = c.to_uppercase().next().unwrap_or(c);
    if c.is_alphabetic() {
        c.to_string()
    } else {
        "#".to_string()
    }
}

/// The sort key of a term in `lang`: the reading if given (hiragana), else the term; case
/// folded so English sorts alphabetically ignoring case.
pub fn sort_key(entry: &TermLang) -> String {
    let key = entry.reading.as_deref().unwrap_or(&entry.term);
    let folded: String = key.nfkc().collect::<String>().to_lowercase();
    // Katakana sorts with hiragana.
    folded
        .chars()
        .map(|c| {
            if ('\u{30A1}'..='\u{30F6}').contains(&c) {
                char::from_u32(c as u32 - 0x60).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::matcher::url_runs;
    use super::*;

    fn config() -> Config {
        crate::model::config::parse(
            "[book]\ntitle = \"T\"\nbase_url = \"https://example.org/\"\n[languages.en]\n[languages.ja]\n",
        )
        .unwrap()
    }

    const GLOSSARY: &str = r#"
[[term]]
id = "meti"
[term.en]
term = "Ministry of Economy, Trade and Industry"
abbr = "METI"
definition = "Japan's ministry for industry."
[term.ja]
term = "経済産業省"
abbr = "経産省"
reading = "けいざいさんぎょうしょう"
definition = "産業政策を担う省。"

[[term]]
id = "ai"
[term.en]
term = "AI"
definition = "Artificial intelligence."
[term.ja]
term = "AI"
reading = "えーあい"
definition = "人工知能。"

[[term]]
id = "aisi"
see_also = ["ai"]
[term.en]
term = "AI Safety Institute"
abbr = "AISI"
definition = "Safety body."
[term.ja]
term = "AIセーフティ・インスティテュート"
reading = "えーあいせーふてぃ"
definition = "安全性評価の中核機関。"

[[term]]
id = "zero-trust"
[term.en]
term = "zero trust"
definition = "Never trust, always verify."
[term.ja]
term = "ゼロトラスト"
reading = "ぜろとらすと"
definition = "常に検証する考え方。"

[[term]]
id = "keizai"
[term.ja]
term = "経済"
reading = "けいざい"
definition = "経済。"
"#;

    fn glossary() -> Glossary {
        let Reported {
            value: g,
            diagnostics: errors,
        } = parse(GLOSSARY, "content/glossary.toml", &config());
        assert!(errors.is_empty(), "{errors:?}");
        g.unwrap()
    }

    fn words(g: &Glossary, text: &str, lang: &str) -> Vec<String> {
        g.find(text, lang, true, |_| false)
            .into_iter()
            .map(|f| format!("{}={}", &text[f.range], g.terms[f.term].id))
            .collect()
    }

    #[test]
    fn a_reload_matches_by_the_names_it_reads() {
        let old = glossary();
        let reparse = |text: &str| {
            let Reported { value, diagnostics } =
                parse_after(text, "content/glossary.toml", &config(), Some(&old));
            assert!(diagnostics.is_empty(), "{diagnostics:?}");
            value.expect("a glossary")
        };
        // Only a definition changed: the same matches (with the automaton it had).
        let defined = reparse(&GLOSSARY.replace("Safety body.", "A safety body."));
        assert_eq!(
            words(&defined, "The AISI and METI.", "en"),
            ["AISI=aisi", "METI=meti"]
        );
        assert_eq!(defined.changed_entries(&old).len(), 1);
        // A name changed: the new name is matched, whatever the glossary before it.
        let renamed = reparse(&GLOSSARY.replace("abbr = \"AISI\"", "abbr = \"JAISI\""));
        assert_eq!(
            words(&renamed, "The AISI and the JAISI.", "en"),
            ["JAISI=aisi"]
        );
    }

    #[test]
    fn latin_terms_need_word_boundaries() {
        let g = glossary();
        assert_eq!(words(&g, "METIS is not METI.", "en"), ["METI=meti"]);
        assert_eq!(words(&g, "METI's plan, METI, and (METI)", "en").len(), 3);
        assert!(words(&g, "FAIR and MAIN", "en").is_empty());
    }

    #[test]
    fn terms_are_not_linked_inside_bare_urls() {
        let g = glossary();
        assert_eq!(
            words(
                &g,
                "METI (https://www.meti.go.jp/AI/METI-a) and www.x.org/AI then METI.",
                "en"
            ),
            ["METI=meti", "METI=meti"]
        );
        assert_eq!(words(&g, "AI: http://AI.example/AI", "en"), ["AI=ai"]);
        // Not URLs: a colon alone, or `www.` inside a word.
        assert_eq!(words(&g, "AI: METI", "en").len(), 2);
        assert_eq!(words(&g, "awww. AI", "en"), ["AI=ai"]);
        // Many URLs in one run, and many terms beside many URLs, stay fast.
        let run = "a://".repeat(200_000);
        let started = std::time::Instant::now();
        assert_eq!(
            url_runs(&run),
            vec![Range {
                start: 0,
                end: run.len()
            }]
        );
        let many = "AI https://x.org/AI ".repeat(20_000);
        assert_eq!(words(&g, &many, "en").len(), 20_000);
        assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
    }

    #[test]
    fn longest_match_wins_in_both_scripts() {
        let g = glossary();
        assert_eq!(
            words(&g, "The AI Safety Institute and AI", "en"),
            ["AI Safety Institute=aisi", "AI=ai"]
        );
        assert_eq!(
            words(&g, "経済産業省と経済", "ja"),
            ["経済産業省=meti", "経済=keizai"]
        );
    }

    #[test]
    fn japanese_terms_match_next_to_punctuation() {
        let g = glossary();
        assert_eq!(
            words(
                &g,
                "「経産省」（AISI）、AIセーフティ・インスティテュート。",
                "ja"
            ),
            ["経産省=meti", "AIセーフティ・インスティテュート=aisi"]
        );
        assert_eq!(words(&g, "AIの活用", "ja"), ["AI=ai"]);
    }

    #[test]
    fn abbreviations_are_case_sensitive_and_plain_terms_capitalise_at_sentence_start() {
        let g = glossary();
        assert!(words(&g, "meti and Metis", "en").is_empty());
        assert_eq!(
            words(&g, "Zero trust matters.", "en"),
            ["Zero trust=zero-trust"]
        );
        assert_eq!(
            words(&g, "It is zero trust. Zero trust again", "en").len(),
            2
        );
        assert!(words(&g, "Use Zero trust here", "en").is_empty());
    }

    #[test]
    fn full_width_and_half_width_forms_match_and_keep_their_text() {
        let g = glossary();
        assert_eq!(words(&g, "ＡＩの活用とﾞ", "ja"), ["ＡＩ=ai"]);
        assert_eq!(words(&g, "ｾﾞﾛﾄﾗｽﾄを導入", "ja"), ["ｾﾞﾛﾄﾗｽﾄ=zero-trust"]);
    }

    #[test]
    fn errors_have_lines() {
        let text = r#"
[[term]]
id = "a"
see_also = ["bb"]
[term.en]
term = "Alpha"
abbr = "A"
definition = "x"
[term.fr]
term = "Alpha"

[[term]]
id = "a"
[term.en]
term = "Beta"
definition = "y"
definitoin = "y"
"#;
        let errors = parse(text, "content/glossary.toml", &config()).diagnostics;
        let got: Vec<(usize, &str)> = errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert!(
            got.contains(&(
                9,
                "term entry in language `fr`, which book.toml does not declare"
            )),
            "{got:?}"
        );
        assert!(
            got.contains(&(17, "unknown key `definitoin` in a `en` term entry")),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|(l, m)| *l == 12 && m.starts_with("duplicate term id `a`")),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|(l, m)| *l == 2 && m.contains("`bb`, which is not a term")),
            "{got:?}"
        );
    }

    #[test]
    fn empty_aliases_are_errors_at_their_line() {
        let text = "[[term]]\nid = \"a\"\n[term.en]\nterm = \"Alpha\"\naliases = [\"Al\",\n  \"\",\n  \" \"]\ndefinition = \"x\"\n";
        let errors = parse(text, "content/glossary.toml", &config()).diagnostics;
        let got: Vec<(usize, usize, &str)> = errors
            .iter()
            .map(|e| (e.line, e.column, e.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (6, 3, "an alias must not be empty"),
                (7, 3, "an alias must not be empty")
            ]
        );
    }

    #[test]
    fn a_name_too_long_to_be_one_is_an_error_at_its_line_and_left_out() {
        let long = "a".repeat(MAX_NAME + 1);
        let text = format!(
            "[[term]]\nid = \"a\"\n[term.en]\nterm = \"Alpha\"\naliases = [\"Al\", \"{long}\"]\nabbr = \"{long}\"\ndefinition = \"x\"\n\n[[term]]\nid = \"b\"\n[term.en]\nterm = \"{long}\"\ndefinition = \"y\"\n"
        );
        let Reported {
            value: glossary,
            diagnostics: errors,
        } = parse(&text, "content/glossary.toml", &config());
        let got: Vec<(usize, usize, &str)> = errors
            .iter()
            .map(|e| (e.line, e.column, e.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (6, 8, "`abbr` of 201 characters is too long to be a name"),
                (5, 18, "an alias of 201 characters is too long to be a name"),
                (12, 8, "`term` of 201 characters is too long to be a name"),
            ]
        );
        // What is left still links: the term and its short alias.
        let glossary = glossary.expect("the glossary");
        assert_eq!(glossary.terms.len(), 1);
        assert_eq!(glossary.terms[0].langs["en"].aliases, ["Al"]);
        assert_eq!(glossary.terms[0].langs["en"].abbr, None);
    }

    #[test]
    fn claimed_twice_is_an_error() {
        let text = "[[term]]\nid = \"a\"\n[term.en]\nterm = \"Alpha\"\nabbr = \"X\"\ndefinition = \"x\"\n\n[[term]]\nid = \"b\"\n[term.en]\nterm = \"Beta\"\naliases = [\"X\"]\ndefinition = \"y\"\n";
        let errors = parse(text, "content/glossary.toml", &config()).diagnostics;
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 8);
        assert!(
            errors[0]
                .message
                .contains("`X` (en) is claimed by both `a` and `b`")
        );
    }

    #[test]
    fn index_groups_and_sort_keys() {
        assert_eq!(index_group("けいざい"), "か");
        assert_eq!(index_group("ぜろ"), "さ");
        assert_eq!(index_group("えーあい"), "あ");
        assert_eq!(index_group("ガイド"), "か");
        assert_eq!(index_group("zero trust"), "Z");
        assert_eq!(index_group("2025"), "#");
    }
}
