//! Themes: the built-in default theme, overridden file by file by `themes/<name>/` in the site.
//! A theme is templates (Tera 2), static files and interface strings (`i18n.toml`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};
use walkdir::WalkDir;

use toml::de::{DeTable, DeValue};

use crate::diag::{Code, Diagnostic, LineIndex, Reported, did_you_mean, display_path};
use crate::model::config::Config;
use crate::model::content_path::{composed, is_ignored_path};
use crate::pipeline::load;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

/// The name the built-in theme's templates are known by to Tera, before their own name. The
/// site's templates keep their plain names and Tera falls back to this prefix for a name the
/// site does not have, so a site file replaces the built-in one of the same name, and a
/// component defined in any site template replaces the built-in component alone: a
/// `components.html` holding only `search_box` keeps every other built-in component.
const BUILT_IN: &str = "(built-in)/";

/// Where a theme file came from, for diagnostics.
#[derive(Debug, Clone)]
enum FileOrigin {
    BuiltIn,
    Site(PathBuf),
}

/// A static file of the theme, to copy to the output root.
#[derive(Debug, Clone)]
pub enum StaticFile {
    BuiltIn(&'static [u8]),
    Site(PathBuf),
}

/// A loaded theme: compiled templates, static files and interface strings.
pub struct Theme {
    pub tera: Tera,
    /// Output-relative path → file.
    pub statics: BTreeMap<String, StaticFile>,
    /// Interface strings per language code, as TOML tables.
    pub i18n: toml::Table,
    /// The ids its templates write as they are (`id="main"`, `id="search-results"`), sorted:
    /// a heading or footnote in a page body may not take one.
    pub page_ids: Vec<String>,
    origins: BTreeMap<String, FileOrigin>,
    root: PathBuf,
    /// Where the site's i18n.toml writes each string, by (language, key): for problems found
    /// in a string's value after loading (`months`).
    i18n_places: HashMap<(String, String), (usize, usize)>,
}

/// The values of `id="…"` attributes written out in `templates`, not made by an expression.
fn literal_ids<'a>(templates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut ids: Vec<String> = templates
        .flat_map(|text| text.split(" id=\"").skip(1))
        .filter_map(|rest| rest.split_once('"').map(|(id, _)| id))
        .filter(|id| !id.is_empty() && !id.contains(['{', '}', '<', '>']))
        .map(str::to_string)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// What a theme that has errors still tells: the ids its templates write and the static files
/// it has. Page bodies' heading ids avoid the ids (`## Main` is `#main-1` beside the theme's
/// `id="main"`), so the anchors linking to those headings, and links to its files, are checked
/// as they will be once the theme is fixed, rather than reported as broken.
#[derive(Debug)]
pub struct Unloaded {
    pub page_ids: Vec<String>,
    /// The static files it writes, so that links to them are not reported as broken either.
    pub statics: BTreeSet<String>,
}

impl Unloaded {
    fn of(
        templates: &BTreeMap<String, (String, FileOrigin)>,
        statics: &BTreeMap<String, StaticFile>,
    ) -> Unloaded {
        Unloaded {
            page_ids: ids_in_effect(templates),
            statics: statics.keys().cloned().collect(),
        }
    }
}

/// The ids of the templates in effect: a built-in file the site replaces writes none. Read
/// from their text, so known even when one of them does not parse.
fn ids_in_effect(templates: &BTreeMap<String, (String, FileOrigin)>) -> Vec<String> {
    literal_ids(
        templates
            .iter()
            .filter(|(name, _)| {
                name.strip_prefix(BUILT_IN)
                    .is_none_or(|plain| !templates.contains_key(plain))
            })
            .map(|(_, (text, _))| text.as_str()),
    )
}

impl Theme {
    /// Loads theme `name` for the site at `root`: the site's `themes/<name>/` files first, the
    /// built-in default for the rest. `at` is where book.toml names it.
    /// [`Unloaded`] when the theme has errors.
    pub fn load(root: &Path, config: &Config) -> Reported<Result<Theme, Unloaded>> {
        let (name, at) = (config.theme.as_str(), config.theme_at);
        let mut templates: BTreeMap<String, (String, FileOrigin)> = BTreeMap::new();
        let mut statics = BTreeMap::new();
        let mut i18n_sources: Vec<(String, FileOrigin)> = Vec::new();
        for (rel, bytes) in embedded::FILES {
            if let Some(t) = rel.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(bytes).into_owned();
                templates.insert(format!("{BUILT_IN}{t}"), (text, FileOrigin::BuiltIn));
            } else if let Some(s) = rel.strip_prefix("static/") {
                statics.insert(s.to_string(), StaticFile::BuiltIn(bytes));
            } else if *rel == "i18n.toml" {
                i18n_sources.push((
                    String::from_utf8_lossy(bytes).into_owned(),
                    FileOrigin::BuiltIn,
                ));
            }
        }

        let dir = root.join("themes").join(name);
        let mut errors = Vec::new();
        if !dir.is_dir() && name != "default" {
            errors.push(
                Diagnostic::error(
                    Code::Theme,
                    "book.toml",
                    format!("theme `{name}` not found: there is no themes/{name}/ folder"),
                )
                .at(at.map_or(0, |a| a.0), at.map_or(0, |a| a.1))
                .suggest(
                    std::fs::read_dir(root.join("themes"))
                        .ok()
                        .and_then(|dirs| {
                            let names: Vec<String> = dirs
                                .flatten()
                                .filter(|d| d.path().is_dir())
                                .map(|d| d.file_name().to_string_lossy().into_owned())
                                .collect();
                            did_you_mean(name, names.iter().map(String::as_str))
                        })
                        .unwrap_or_else(|| {
                            "create the folder, or set `theme = \"default\"` in [build]".into()
                        }),
                ),
            );
            // The built-in templates are what its pages would fall back to.
            return Reported::new(Err(Unloaded::of(&templates, &statics)), errors);
        }
        if dir.is_dir() {
            let mut entries = WalkDir::new(&dir).sort_by_file_name().into_iter();
            while let Some(entry) = entries.next() {
                let Ok(entry) = entry else {
                    continue;
                };
                let path = entry.path().to_path_buf();
                let kind = entry.file_type();
                let rel = display_path(&dir, &path);
                // What the theme leaves out (`.git`, an editor's backups) is not looked into.
                if entry.depth() > 0 && is_ignored_path(&rel) {
                    if kind.is_dir() {
                        entries.skip_current_dir();
                    }
                    continue;
                }
                if entry.file_name().to_str().is_none() {
                    // Its name would reach the output with `�` in it, a file nobody named.
                    errors.push(load::not_utf8_name(root, &path, kind.is_dir()));
                    if kind.is_dir() {
                        entries.skip_current_dir();
                    }
                    continue;
                }
                if !kind.is_file() && !kind.is_dir() && !kind.is_symlink() {
                    // A named pipe is never opened (it would wait for a writer): left out
                    // without a word, a template or string file would simply be missing.
                    errors.push(
                        Diagnostic::error(
                            Code::Io,
                            display_path(root, &path),
                            "not a regular file but a named pipe, socket or device, which the build cannot read",
                        )
                        .suggest("remove it from the theme, or put the file it stands for there"),
                    );
                    continue;
                }
                if !kind.is_file() {
                    continue;
                }
                if let Some(t) = rel.strip_prefix("templates/") {
                    if is_documentation(t) {
                        continue;
                    }
                    match read_text(root, &path) {
                        Ok(text) => {
                            templates.insert(t.to_string(), (text, FileOrigin::Site(path)));
                        }
                        Err(e) => errors.push(e),
                    }
                } else if let Some(s) = rel.strip_prefix("static/") {
                    statics.insert(composed(s).into_owned(), StaticFile::Site(path));
                } else if rel == "i18n.toml" {
                    match read_text(root, &path) {
                        Ok(text) => i18n_sources.push((text, FileOrigin::Site(path))),
                        Err(e) => errors.push(e),
                    }
                }
            }
        }

        // The built-in strings come first: a site's are checked against them.
        let mut builtin_strings = toml::Table::new();
        let site_templates: Vec<&str> = templates
            .iter()
            .filter(|(_, (_, origin))| matches!(origin, FileOrigin::Site(_)))
            .map(|(_, (text, _))| text.as_str())
            .collect();
        let mut i18n = toml::Table::new();
        let mut i18n_places = HashMap::new();
        for (text, origin) in &i18n_sources {
            match text.parse::<toml::Table>() {
                Ok(table) => {
                    if let FileOrigin::BuiltIn = origin {
                        builtin_strings = table.clone();
                    } else {
                        i18n_places = string_places(text);
                        let file = origin_name(root, origin, "i18n.toml");
                        errors.extend(check_strings(
                            text,
                            &file,
                            &builtin_strings,
                            &site_templates,
                        ));
                    }
                    merge(&mut i18n, table);
                }
                Err(e) => {
                    let file = origin_name(root, origin, "i18n.toml");
                    let (line, col) = e
                        .span()
                        .map_or((0, 0), |s| crate::diag::line_col(text, s.start));
                    errors.push(
                        Diagnostic::error(Code::I18n, file, e.message().trim().to_string())
                            .at(line, col),
                    );
                }
            }
        }

        let origins: BTreeMap<String, FileOrigin> = templates
            .iter()
            .map(|(name, (_, origin))| (name.clone(), origin.clone()))
            .collect();
        let theme_root = root.to_path_buf();
        let tera = match compile(&templates, &theme_root, &origins, &mut errors) {
            Some(tera) if errors.is_empty() => tera,
            _ => return Reported::new(Err(Unloaded::of(&templates, &statics)), errors),
        };
        let warnings = missing_strings(&i18n, config, &format!("themes/{name}/i18n.toml"));
        let page_ids = ids_in_effect(&templates);
        Reported::new(
            Ok(Theme {
                tera,
                statics,
                i18n,
                page_ids,
                origins,
                root: theme_root,
                i18n_places,
            }),
            warnings,
        )
    }

    /// How template `name` is named in messages: its file in the site, or the built-in
    /// theme's.
    pub fn template_file(&self, name: &str) -> String {
        if self.origins.contains_key(name) {
            file_of(name, &self.root, &self.origins)
        } else {
            file_of(&format!("{BUILT_IN}{name}"), &self.root, &self.origins)
        }
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.origins.contains_key(name) || self.origins.contains_key(&format!("{BUILT_IN}{name}"))
    }

    /// Names of all templates, as a site names them, for suggestions.
    pub fn template_names(&self) -> impl Iterator<Item = &str> {
        let names: std::collections::BTreeSet<&str> = self
            .origins
            .keys()
            .map(|name| name.strip_prefix(BUILT_IN).unwrap_or(name))
            .collect();
        names.into_iter()
    }

    /// Converts a Tera error into a diagnostic that names the template file, line and column.
    pub fn error(&self, e: &tera::Error) -> Diagnostic {
        template_error(e, &self.root, &self.origins)
    }

    /// Where the site's i18n.toml writes `key` in `lang`'s table (line, column), if it does.
    pub fn i18n_at(&self, lang: &str, key: &str) -> Option<(usize, usize)> {
        self.i18n_places
            .get(&(lang.to_string(), key.to_string()))
            .copied()
    }

    /// The interface strings for `lang`: `[en]`, overlaid by the default language's table, then
    /// by `lang`'s own, so a string missing in one language falls back instead of failing.
    pub fn strings(&self, lang: &str, default_lang: &str) -> toml::Table {
        let mut out = toml::Table::new();
        for code in ["en", default_lang, lang] {
            if let Some(toml::Value::Table(t)) = self.i18n.get(code) {
                merge(&mut out, t.clone());
            }
        }
        out
    }
}

/// A theme's text file, or the error naming it (a byte that is not UTF-8 at its line and
/// column).
fn read_text(root: &Path, path: &Path) -> Result<String, Diagnostic> {
    let file = display_path(root, path);
    let bytes = crate::model::read_regular(path).map_err(|e| {
        Diagnostic::error(Code::Io, file.clone(), format!("cannot read the file: {e}"))
    })?;
    crate::diag::decode(&file, bytes)
}

/// A README, licence or notes file kept beside the templates, which is not one: a theme's
/// templates are HTML (or XML, SVG…) files.
fn is_documentation(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    match file.rsplit_once('.') {
        Some((_, ext)) => ["md", "markdown", "txt"].contains(&ext.to_ascii_lowercase().as_str()),
        None => true,
    }
}

/// The line and column of every `key` in every `[lang]` table of an i18n.toml.
fn string_places(text: &str) -> HashMap<(String, String), (usize, usize)> {
    let Ok(doc) = DeTable::parse(text) else {
        return HashMap::new();
    };
    let lines = LineIndex::new(text);
    let mut places = HashMap::new();
    for (lang, table) in doc.get_ref() {
        if let DeValue::Table(table) = table.get_ref() {
            for (key, _) in table {
                places.insert(
                    (lang.get_ref().to_string(), key.get_ref().to_string()),
                    lines.line_col(key.span().start),
                );
            }
        }
    }
    places
}

/// Mistakes in a site's `i18n.toml` that TOML accepts but that would leave the interface
/// unchanged without a word: a string outside a language's table, a value that is not text
/// where the built-in theme has text, and a key neither the built-in theme nor any of the
/// site's templates uses (a misspelt one, most often).
fn check_strings(
    text: &str,
    file: &str,
    builtin: &toml::Table,
    site_templates: &[&str],
) -> Vec<Diagnostic> {
    let Ok(doc) = DeTable::parse(text) else {
        return Vec::new(); // reported as a TOML error
    };
    let lines = LineIndex::new(text);
    let english = builtin.get("en").and_then(toml::Value::as_table);
    let known: Vec<&str> = english.map_or(Vec::new(), |t| t.keys().map(String::as_str).collect());
    let mut errors = Vec::new();
    let mut error = |span: std::ops::Range<usize>, message: String, help: String| {
        let (line, col) = lines.line_col(span.start);
        errors.push(
            Diagnostic::error(Code::I18n, file, message)
                .at(line, col)
                .suggest(help),
        );
    };
    for (lang, table) in doc.get_ref() {
        let lang_name = lang.get_ref().as_ref();
        let DeValue::Table(table) = table.get_ref() else {
            error(
                lang.span(),
                format!("`{lang_name}` is outside any language's table, so no page shows it"),
                "put it under the table of its language (`[en]`, `[ja]`…)".to_string(),
            );
            continue;
        };
        for (key, value) in table {
            let key_name = key.get_ref().as_ref();
            match english.and_then(|t| t.get(key_name)) {
                Some(toml::Value::String(_)) if !matches!(value.get_ref(), DeValue::String(_)) => {
                    error(
                        value.span(),
                        format!("`{key_name}` in [{lang_name}] is not text"),
                        "write it in quotes: `key = \"words\"`".to_string(),
                    )
                }
                Some(_) => {}
                None if site_templates.iter().any(|t| t.contains(key_name)) => {}
                None => error(
                    key.span(),
                    format!(
                        "`{key_name}` in [{lang_name}] is not a string of the built-in theme, and no template of the site uses it"
                    ),
                    did_you_mean(key_name, known.iter().copied()).unwrap_or_else(|| {
                        "remove it, or use it in a template as `t.KEY`".to_string()
                    }),
                ),
            }
        }
    }
    errors
}

/// One warning for each language of the site that lacks some of the interface strings English
/// has: its pages would show those words in English, under the page's own `lang`.
fn missing_strings(i18n: &toml::Table, config: &Config, file: &str) -> Vec<Diagnostic> {
    let Some(english) = i18n.get("en").and_then(toml::Value::as_table) else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    for language in config.languages.iter().filter(|l| l.code != "en") {
        let own = i18n.get(&language.code).and_then(toml::Value::as_table);
        let missing: Vec<&str> = english
            .keys()
            .filter(|k| own.is_none_or(|t| !t.contains_key(k.as_str())))
            .map(String::as_str)
            .collect();
        if missing.is_empty() {
            continue;
        }
        let shown: Vec<String> = missing.iter().take(6).map(|k| format!("`{k}`")).collect();
        let more = if missing.len() > shown.len() {
            ", …"
        } else {
            ""
        };
        warnings.push(
            Diagnostic::warning(
                Code::I18nMissing,
                file,
                format!(
                    "language `{}` lacks {} of the theme's {} interface strings ({}{more}): its pages show them in English",
                    language.code,
                    missing.len(),
                    english.len(),
                    shown.join(", "),
                ),
            )
            .suggest(format!(
                "add a `[{}]` table to {file} with those keys, translated",
                language.code
            )),
        );
    }
    warnings
}

fn merge(into: &mut toml::Table, from: toml::Table) {
    for (k, v) in from {
        match (into.get_mut(&k), v) {
            (Some(toml::Value::Table(a)), toml::Value::Table(b)) => merge(a, b),
            (_, v) => {
                into.insert(k, v);
            }
        }
    }
}

fn origin_name(root: &Path, origin: &FileOrigin, rel: &str) -> String {
    match origin {
        FileOrigin::BuiltIn => format!("(built-in default theme) {rel}"),
        FileOrigin::Site(path) => display_path(root, path),
    }
}

/// How the template Tera knows as `name` is named in messages: the site's file, or the
/// built-in theme's.
fn file_of(name: &str, root: &Path, origins: &BTreeMap<String, FileOrigin>) -> String {
    let rel = format!("templates/{}", name.strip_prefix(BUILT_IN).unwrap_or(name));
    match origins.get(name) {
        Some(origin) => origin_name(root, origin, &rel),
        None => rel,
    }
}

/// A loop of templates (`tag` is `include` or `extends`) at the tag that closes it, with the
/// whole loop: `a.html → b.html → a.html`. `chain` ends with the template named again; what
/// comes before its first place is the way to the loop, not part of it.
fn loop_error(
    chain: &[String],
    tag: &str,
    root: &Path,
    origins: &BTreeMap<String, FileOrigin>,
) -> Diagnostic {
    let shown = |name: &str| name.strip_prefix(BUILT_IN).unwrap_or(name).to_string();
    let last = chain.last().map_or("", String::as_str);
    let start = chain.iter().position(|t| t == last).unwrap_or(0);
    let cycle: Vec<String> = chain[start..].iter().map(|t| shown(t)).collect();
    let cycle = if cycle.len() < 2 {
        vec![shown(last), shown(last)]
    } else {
        cycle
    };
    // The template whose tag names the one that starts the loop again.
    let closer = chain
        .len()
        .checked_sub(2)
        .and_then(|i| chain.get(i))
        .map_or(last, String::as_str);
    let verb = if tag == "include" {
        "includes"
    } else {
        "extends"
    };
    let message = if cycle.len() == 2 {
        format!("template `{}` {verb} itself", cycle[0])
    } else {
        format!(
            "templates {} each other in a loop",
            if tag == "include" {
                "include"
            } else {
                "extend"
            }
        )
    };
    let e = Diagnostic::error(
        Code::Template,
        file_of(closer, root, origins),
        format!("{message}: {}", cycle.join(" → ")),
    );
    // Where the tag is, read again from the site's file on this error.
    let place = match origins.get(closer) {
        Some(FileOrigin::Site(path)) => std::fs::read_to_string(path)
            .ok()
            .and_then(|text| tag_at(&text, tag, &shown(last))),
        _ => None,
    };
    match place {
        Some((line, col)) => e.at(line, col),
        None => e,
    }
}

/// The line and column of the `{%` of a `{% TAG "NAME" %}` tag in a template's `text`.
fn tag_at(text: &str, tag: &str, name: &str) -> Option<(usize, usize)> {
    [format!("\"{name}\""), format!("'{name}'")]
        .iter()
        .flat_map(|quoted| text.match_indices(quoted.as_str()).map(|(at, _)| at))
        .filter_map(|at| {
            let before = text[..at].trim_end();
            let open = before.strip_suffix(tag)?.trim_end();
            let open = open.strip_suffix('-').unwrap_or(open);
            open.ends_with("{%").then(|| open.len() - 2)
        })
        .min()
        .map(|offset| crate::diag::line_col(text, offset))
}

/// The templates compiled, or `None` with every problem in `errors`. Tera stops at the first
/// file that does not parse, and at the first template whose parent is missing or that closes
/// a loop of `extends` or `include`; the unknown filters, components and includes of all the
/// others it reports together. So every file is parsed alone when one does not parse, and the
/// templates that stop Tera are left out and the rest compiled again (a site's template left
/// out falls back to the built-in one of its name), so that one build reports the problems of
/// every template. A template left out is checked again once its own problem is fixed: its
/// unknown filters, say, come then. What follows only from a template left out (a child of
/// it, an include of it) is not reported: it is no mistake of its own.
fn compile(
    templates: &BTreeMap<String, (String, FileOrigin)>,
    root: &Path,
    origins: &BTreeMap<String, FileOrigin>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Tera> {
    let mut left_out: BTreeSet<String> = BTreeSet::new();
    let is_left_out = |left_out: &BTreeSet<String>, name: &str| {
        left_out.contains(name) || left_out.contains(&format!("{BUILT_IN}{name}"))
    };
    loop {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        if let Err(e) = tera.set_fallback_prefixes([BUILT_IN]) {
            errors.push(Diagnostic::error(
                Code::Template,
                "templates",
                e.to_string(),
            ));
            return None;
        }
        let result = tera.add_raw_templates(
            templates
                .iter()
                .filter(|(name, _)| !left_out.contains(*name))
                .map(|(name, (text, _))| (name.as_str(), text.as_str())),
        );
        let Err(e) = result else {
            // Compiled with templates left out: their errors are reported already.
            return left_out.is_empty().then_some(tera);
        };
        let reported = errors.len();
        let culprits: Vec<String> = match e.kind() {
            ErrorKind::SyntaxError(_) => {
                let mut unreadable = Vec::new();
                for (name, (text, _)) in templates.iter().filter(|(n, _)| !left_out.contains(*n)) {
                    if let Err(e) = Tera::new().add_raw_template(name, text)
                        && matches!(e.kind(), ErrorKind::SyntaxError(_))
                    {
                        errors.push(template_error(&e, root, origins));
                        unreadable.push(name.clone());
                    }
                }
                unreadable
            }
            ErrorKind::MissingParent { current, parent } => {
                if !is_left_out(&left_out, parent) {
                    errors.push(template_error(&e, root, origins));
                }
                vec![current.clone()]
            }
            ErrorKind::CircularExtend {
                tpl,
                inheritance_chain,
            } => {
                errors.push(template_error(&e, root, origins));
                std::iter::once(tpl.clone())
                    .chain(inheritance_chain.iter().cloned())
                    .collect()
            }
            ErrorKind::CircularInclude { include_chain, .. } => {
                errors.push(template_error(&e, root, origins));
                include_chain.clone()
            }
            _ => {
                errors.extend(template_errors(&e, root, origins).into_iter().filter(|d| {
                    !left_out.iter().any(|name| {
                        let plain = name.strip_prefix(BUILT_IN).unwrap_or(name);
                        d.message.contains(&format!("`{plain}`"))
                    })
                }));
                return None;
            }
        };
        let before = left_out.len();
        left_out.extend(culprits.into_iter().filter(|c| templates.contains_key(c)));
        if left_out.len() == before {
            // Nothing more to leave out: the error as Tera gives it, if it said nothing yet.
            if errors.len() == reported {
                errors.push(template_error(&e, root, origins));
            }
            return None;
        }
    }
}

/// Every problem in `e`: Tera checks all templates' filters, tests, components, includes and
/// blocks at once and reports them in one message of `error: …` / `--> name:line:col`
/// reports, which become one diagnostic each, at their own file and line.
fn template_errors(
    e: &tera::Error,
    root: &Path,
    origins: &BTreeMap<String, FileOrigin>,
) -> Vec<Diagnostic> {
    let ErrorKind::Msg(text) = e.kind() else {
        return vec![template_error(e, root, origins)];
    };
    let mut found = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let at = lines
            .next()
            .and_then(|l| l.trim_start().strip_prefix("--> "));
        let Some((name, line, col)) = at.and_then(|at| {
            let mut parts = at.rsplitn(3, ':');
            let col = parts.next()?.parse::<usize>().ok()?;
            let line = parts.next()?.parse::<usize>().ok()?;
            Some((parts.next()?, line, col))
        }) else {
            continue;
        };
        let message = message.replace(BUILT_IN, "");
        found.push(
            Diagnostic::error(
                Code::Template,
                file_of(name, root, origins),
                format!("template error: {message}"),
            )
            .at(line, col),
        );
    }
    if found.is_empty() {
        found.push(template_error(e, root, origins));
    }
    found
}

fn template_error(
    e: &tera::Error,
    root: &Path,
    origins: &BTreeMap<String, FileOrigin>,
) -> Diagnostic {
    let file_of = |name: &str| file_of(name, root, origins);
    match e.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            Diagnostic::error(
                Code::Template,
                file_of(report.filename()),
                format!("template error: {}", report.message()),
            )
            .at(span.start_line, span.start_col + 1)
        }
        ErrorKind::MissingParent { current, parent } => {
            let names = origins
                .keys()
                .map(|name| name.strip_prefix(BUILT_IN).unwrap_or(name));
            let e = Diagnostic::error(
                Code::Template,
                file_of(current),
                format!("template extends `{parent}`, which does not exist"),
            )
            .suggest(
                did_you_mean(parent, names)
                    .unwrap_or_else(|| "extend `base.html`, or add the template it names".into()),
            );
            // Where the `{% extends %}` is, read again from the site's file on this error.
            let at = match origins.get(current.as_str()) {
                Some(FileOrigin::Site(path)) => {
                    std::fs::read_to_string(path).ok().and_then(|text| {
                        let quoted = [format!("\"{parent}\""), format!("'{parent}'")];
                        let offset = quoted.iter().find_map(|q| text.find(q.as_str()))?;
                        Some(crate::diag::line_col(&text, offset))
                    })
                }
                _ => None,
            };
            match at {
                Some((line, col)) => e.at(line, col),
                None => e,
            }
        }
        ErrorKind::CircularInclude { include_chain, .. } => {
            loop_error(include_chain, "include", root, origins)
                .suggest("remove the `{% include %}` that closes the loop")
        }
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            // Tera's chain leaves out the template it started from.
            let chain: Vec<String> = std::iter::once(tpl.clone())
                .chain(inheritance_chain.iter().cloned())
                .collect();
            loop_error(&chain, "extends", root, origins)
                .suggest("make one template of the loop extend another, or none")
        }
        ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            Code::MissingTemplate,
            format!("templates/{name}"),
            format!("template `{name}` not found"),
        ),
        _ => Diagnostic::error(Code::Template, "templates", format!("template error: {e}")),
    }
}
