//! The markup the link stage writes into page bodies, from the theme's components
//! (`markup.html`): a linked glossary term with its tooltip, and the badge after a link to
//! another language's page. Each is rendered once per term (or language) and reader language,
//! with markers where the linked text and the tooltip's id go, and then copied into every page
//! that needs it: no template runs per occurrence.

use std::collections::HashMap;

use tera::Context;

use crate::diag::{Code, Diagnostic, Reported};
use crate::model::dates::DateStyle;
use crate::pipeline::escape::escape;
use crate::pipeline::ids::TermId;
use crate::pipeline::index::Site;
use crate::pipeline::theme::Theme;

/// Stands for the linked text while a component is rendered (a private-use character, which
/// no escaping touches).
const TEXT: &str = "\u{E000}";
/// Stands for the tooltip's id.
const TIP: &str = "\u{E001}";

/// A glossary term's markup for one reader language.
#[derive(Debug, Clone, Default)]
pub struct TermParts {
    /// The URL of the term's glossary entry.
    pub href: String,
    /// The whole markup around a page's first occurrence (tooltip id `tebiki-term-ID`),
    /// ready to copy: most linked terms are their page's first.
    pub first_open: String,
    pub first_close: String,
    /// The same with the [`TIP`] marker for the id, for later occurrences.
    open: String,
    close: String,
}

impl TermParts {
    /// The markup before and after the linked text, with tooltip id `tip`.
    pub fn with_tip(&self, tip: &str) -> (String, String) {
        (self.open.replace(TIP, tip), self.close.replace(TIP, tip))
    }
}

/// The theme's markup for one build.
#[derive(Debug, Default)]
pub struct InlineMarkup {
    /// Indexed like `config.languages` (the reader's language), then by glossary term.
    terms: Vec<Vec<TermParts>>,
    /// (reader's language, page's language) → the badge after the link, `</a>` included.
    badges: HashMap<(String, String), String>,
    /// The ids the theme's templates write ([`Theme::page_ids`]), which page bodies avoid.
    pub page_ids: std::sync::Arc<[String]>,
    /// The theme's static files (`style.css`, …), which a root-relative address may name.
    pub statics: std::collections::BTreeSet<String>,
    /// How dates are written in each language, by the theme's strings or tebiki's rules.
    dates: HashMap<String, DateStyle>,
    /// The theme's `feed_update` string in each language: a feed entry for an update of a
    /// page, told apart from the page's own entry (`Updated: {title}`).
    feed_updates: HashMap<String, String>,
}

impl InlineMarkup {
    /// Renders the theme's components for every glossary term and language pair of `site`.
    pub fn new(site: &Site, theme: &Theme) -> Reported<InlineMarkup> {
        let mut errors = Vec::new();
        let render = |component: &str, context: &Context| {
            theme
                .tera
                .render_component(component, context, None, true)
                .map_err(|e| theme.error(&e))
        };
        let config = &site.config;
        let mut badges = HashMap::new();
        for reader in &config.languages {
            let strings = theme.strings(&reader.code, &config.default_language);
            let note = strings.get("other_language").and_then(|v| v.as_str());
            for lang in &config.languages {
                let mut context = Context::new();
                context.insert("lang", &lang.code);
                context.insert("name", &lang.name);
                context.insert(
                    "note",
                    &note.map_or(String::new(), |n| n.replace("{lang}", &lang.name)),
                );
                match render("language_badge", &context) {
                    Ok(badge) => {
                        let key = (reader.code.clone(), lang.code.clone());
                        badges.insert(key, format!("</a>{badge}"));
                    }
                    Err(e) => errors.push(e),
                }
            }
        }
        let mut terms = Vec::new();
        if let Some(glossary) = &site.glossary {
            for reader in &config.languages {
                let mut parts = Vec::with_capacity(glossary.terms.len());
                for entry in &glossary.terms {
                    // The entry in the reader's language, else the default language's.
                    let lang = [reader.code.as_str(), config.default_language.as_str()]
                        .into_iter()
                        .find(|l| entry.langs.contains_key(*l))
                        .or_else(|| entry.langs.keys().next().map(String::as_str))
                        .unwrap_or(reader.code.as_str());
                    let text = entry.langs.get(lang);
                    let href = format!("{}#{}", site.url(&site.glossary_path(lang)), entry.id);
                    let mut context = Context::new();
                    context.insert("href", &href);
                    context.insert("hreflang", if lang == reader.code { "" } else { lang });
                    context.insert("tip", TIP);
                    context.insert("lang", lang);
                    context.insert("term", text.map_or(entry.id.as_str(), |t| t.term.as_str()));
                    context.insert(
                        "definition",
                        text.map_or("", |t| t.definition_html.as_str()),
                    );
                    context.insert("text", TEXT);
                    let html = match render("glossary_term", &context) {
                        Ok(html) => html,
                        Err(e) => {
                            errors.push(e);
                            return Reported::new(InlineMarkup::default(), errors);
                        }
                    };
                    // The term's text goes where `text` is printed: printed twice, the second
                    // would be a stray placeholder in every page.
                    let printed = html.matches(TEXT).count();
                    let Some((open, close)) = html.split_once(TEXT).filter(|_| printed == 1) else {
                        let what = if printed == 0 {
                            "does not print its `text` argument".to_string()
                        } else {
                            format!("prints its `text` argument {printed} times")
                        };
                        errors.push(
                            Diagnostic::error(
                                Code::Theme,
                                theme.template_file("markup.html"),
                                format!("the `glossary_term` component {what}"),
                            )
                            .suggest("print `{{ text }}` inside the link, once"),
                        );
                        return Reported::new(InlineMarkup::default(), errors);
                    };
                    let first = format!("tebiki-term-{}", escape(&entry.id));
                    parts.push(TermParts {
                        href,
                        first_open: open.replace(TIP, &first),
                        first_close: close.replace(TIP, &first),
                        open: open.to_string(),
                        close: close.to_string(),
                    });
                }
                terms.push(parts);
            }
        }
        let dates = config
            .languages
            .iter()
            .map(|l| {
                let style = date_style(theme, &l.code, &config.theme).unwrap_or_else(|e| {
                    errors.push(e);
                    DateStyle::of_language(&l.code)
                });
                (l.code.clone(), style)
            })
            .collect();
        let feed_updates = config
            .languages
            .iter()
            .filter_map(|l| {
                let strings = theme.strings(&l.code, &config.default_language);
                let text = strings.get("feed_update")?.as_str()?.to_string();
                Some((l.code.clone(), text))
            })
            .collect();
        let markup = InlineMarkup {
            terms,
            badges,
            dates,
            feed_updates,
            page_ids: theme.page_ids.as_slice().into(),
            statics: theme.statics.keys().cloned().collect(),
        };
        Reported::new(markup, errors)
    }

    /// How dates are written for readers of `lang`.
    pub fn date_style(&self, lang: &str) -> std::borrow::Cow<'_, DateStyle> {
        match self.dates.get(lang) {
            Some(style) => std::borrow::Cow::Borrowed(style),
            None => std::borrow::Cow::Owned(DateStyle::of_language(lang)),
        }
    }

    /// The title of a feed entry for an update of the page titled `title`, in `lang`.
    pub fn feed_update_title(&self, lang: &str, title: &str) -> String {
        match self.feed_updates.get(lang) {
            Some(pattern) if pattern.contains("{title}") => pattern.replace("{title}", title),
            _ => title.to_string(),
        }
    }

    /// Term `term`'s markup for readers in the `reader`-th language, if the theme gave one.
    pub fn term(&self, reader: usize, term: TermId) -> Option<&TermParts> {
        self.terms.get(reader)?.get(term.index())
    }

    /// What closes a link from a page in `reader` to a page in `lang`: `</a>` and a badge.
    pub fn badge(&self, reader: &str, lang: &str) -> &str {
        self.badges
            .get(&(reader.to_string(), lang.to_string()))
            .map_or("</a>", String::as_str)
    }
}

/// `e` at `place` when the site's i18n.toml writes the key there.
fn at_key(e: Diagnostic, place: Option<(usize, usize)>) -> Diagnostic {
    match place {
        Some((line, column)) => e.at(line, column),
        None => e,
    }
}

/// The date style `lang`'s own strings give (`date_format`, and `months` when it names the
/// month), else tebiki's rule for the language. Only the language's own table counts: a
/// language without a format of its own would otherwise take English month names.
fn date_style(theme: &Theme, lang: &str, theme_name: &str) -> Result<DateStyle, Diagnostic> {
    let own = theme.i18n.get(lang).and_then(toml::Value::as_table);
    let Some(format) = own
        .and_then(|t| t.get("date_format"))
        .and_then(toml::Value::as_str)
    else {
        return Ok(DateStyle::of_language(lang));
    };
    let file = format!("themes/{theme_name}/i18n.toml");
    let months = match own.and_then(|t| t.get("months")) {
        Some(toml::Value::Array(names)) => {
            let names: Vec<String> = names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect();
            let names: [String; 12] = names.try_into().map_err(|_| {
                at_key(
                    Diagnostic::error(
                        Code::I18n,
                        &file,
                        format!("`months` in [{lang}] is not a list of 12 month names"),
                    ),
                    theme.i18n_at(lang, "months"),
                )
                .suggest("write the twelve names in order, January first, each in quotes")
            })?;
            Some(Box::new(names))
        }
        _ if format.contains("{month_name}") => {
            return Err(at_key(Diagnostic::error(
                Code::I18n,
                file,
                format!("`date_format` in [{lang}] names the month by `{{month_name}}`, but [{lang}] has no `months`"),
            ), theme.i18n_at(lang, "date_format"))
            .suggest("add `months = [\"…\", …]` with the twelve names, or write the month as `{month}`"));
        }
        _ => None,
    };
    Ok(DateStyle::Pattern {
        format: format.to_string(),
        months,
    })
}
