//! Themes: the built-in default theme, overridden file by file by `themes/<name>/` in the site.
//! A theme is templates (Tera 2), static files and interface strings (`i18n.toml`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};
use walkdir::WalkDir;

use crate::diag::{Code, Diagnostic, Reported, display_path};
use crate::model::content_path::{composed, is_ignored_path};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

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

impl Theme {
    /// Loads theme `name` for the site at `root`: the site's `themes/<name>/` files first, the
    /// built-in default for the rest. `at` is where book.toml names it.
    /// `None` when the theme has errors.
    pub fn load(root: &Path, name: &str, at: Option<(usize, usize)>) -> Reported<Option<Theme>> {
        let mut templates: BTreeMap<String, (String, FileOrigin)> = BTreeMap::new();
        let mut statics = BTreeMap::new();
        let mut i18n_sources: Vec<(String, FileOrigin)> = Vec::new();
        for (rel, bytes) in embedded::FILES {
            if let Some(t) = rel.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(bytes).into_owned();
                templates.insert(t.to_string(), (text, FileOrigin::BuiltIn));
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
                .suggest("create the folder, or set `theme = \"default\"` in [build]"),
            );
            return Reported::new(None, errors);
        }
        if dir.is_dir() {
            for entry in WalkDir::new(&dir).sort_by_file_name().into_iter().flatten() {
                let path = entry.path().to_path_buf();
                let rel = display_path(&dir, &path);
                if !entry.file_type().is_file() || is_ignored_path(&rel) {
                    continue;
                }
                if let Some(t) = rel.strip_prefix("templates/") {
                    match std::fs::read_to_string(&path) {
                        Ok(text) => {
                            templates.insert(t.to_string(), (text, FileOrigin::Site(path)));
                        }
                        Err(e) => errors.push(Diagnostic::error(
                            Code::Io,
                            display_path(root, &path),
                            format!("cannot read template: {e}"),
                        )),
                    }
                } else if let Some(s) = rel.strip_prefix("static/") {
                    statics.insert(composed(s).into_owned(), StaticFile::Site(path));
                } else if rel == "i18n.toml" {
                    match std::fs::read_to_string(&path) {
                        Ok(text) => i18n_sources.push((text, FileOrigin::Site(path))),
                        Err(e) => errors.push(Diagnostic::error(
                            Code::Io,
                            display_path(root, &path),
                            format!("cannot read: {e}"),
                        )),
                    }
                }
            }
        }

        let mut i18n = toml::Table::new();
        for (text, origin) in &i18n_sources {
            match text.parse::<toml::Table>() {
                Ok(table) => merge(&mut i18n, table),
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

        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        let origins: BTreeMap<String, FileOrigin> = templates
            .iter()
            .map(|(name, (_, origin))| (name.clone(), origin.clone()))
            .collect();
        let theme_root = root.to_path_buf();
        if let Err(e) = tera.add_raw_templates(
            templates
                .iter()
                .map(|(name, (text, _))| (name.as_str(), text.as_str())),
        ) {
            errors.push(template_error(&e, &theme_root, &origins));
        }
        if !errors.is_empty() {
            return Reported::new(None, errors);
        }
        let page_ids = literal_ids(templates.values().map(|(text, _)| text.as_str()));
        Reported::new(
            Some(Theme {
                tera,
                statics,
                i18n,
                page_ids,
                origins,
                root: theme_root,
            }),
            Vec::new(),
        )
    }

    /// How template `name` is named in messages: its file in the site, or the built-in
    /// theme's.
    pub fn template_file(&self, name: &str) -> String {
        let rel = format!("templates/{name}");
        match self.origins.get(name) {
            Some(origin) => origin_name(&self.root, origin, &rel),
            None => rel,
        }
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.origins.contains_key(name)
    }

    /// Names of all templates, for suggestions.
    pub fn template_names(&self) -> impl Iterator<Item = &str> {
        self.origins.keys().map(String::as_str)
    }

    /// Converts a Tera error into a diagnostic that names the template file, line and column.
    pub fn error(&self, e: &tera::Error) -> Diagnostic {
        template_error(e, &self.root, &self.origins)
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

fn template_error(
    e: &tera::Error,
    root: &Path,
    origins: &BTreeMap<String, FileOrigin>,
) -> Diagnostic {
    let file_of = |name: &str| match origins.get(name) {
        Some(origin) => origin_name(root, origin, &format!("templates/{name}")),
        None => format!("templates/{name}"),
    };
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
        ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            Code::Template,
            file_of(current),
            format!("template extends `{parent}`, which does not exist"),
        ),
        ErrorKind::CircularInclude { tpl, include_chain } => Diagnostic::error(
            Code::Template,
            file_of(tpl),
            format!(
                "template `{tpl}` includes itself: {}",
                include_chain.join(" → ")
            ),
        )
        .suggest("remove the `{% include %}` that closes the loop"),
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => Diagnostic::error(
            Code::Template,
            file_of(tpl),
            format!(
                "template `{tpl}` extends itself: {tpl} → {}",
                inheritance_chain
                    .iter()
                    .skip_while(|t| *t == tpl)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" → ")
            ),
        )
        .suggest("make one template of the loop extend another, or none"),
        ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            Code::MissingTemplate,
            format!("templates/{name}"),
            format!("template `{name}` not found"),
        ),
        _ => Diagnostic::error(Code::Template, "templates", format!("template error: {e}")),
    }
}
