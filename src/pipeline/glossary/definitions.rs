//! Glossary definitions rendered to inline HTML. The glossary is read before the site's pages
//! are known, so a definition's links to pages and sections (`@/guides/x.md`, `x.md` from the
//! glossary file's folder) and to other terms (`term:id`) are resolved once the site is
//! indexed ([`link_definitions`]), and their `#fragment`s checked once the pages are rendered
//! ([`check_definition_anchors`]), as pages' own links are.

use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::model::config::Config;
use crate::pipeline::escape::escape;
use crate::pipeline::ids::PageId;
use crate::pipeline::index::Site;
use crate::pipeline::link::{self, LinkFrom, Target};
use crate::pipeline::markdown::{Dropped, LinkRewrite, Links};

/// A `#fragment` a definition links to, to check against its target's headings.
#[derive(Debug, Clone)]
pub(super) struct DefinitionAnchor {
    /// The link's line and column in the glossary file.
    at: (usize, usize),
    target: Target,
    fragment: String,
}

/// How a definition is rendered: an address from the site's root (`/guides/x/`) gets
/// `base_url`'s path as in pages (it is not checked); raw HTML as `[markdown] unsafe_html`
/// says; links to pages, sections and terms as the site says, once it is known (`from`).
pub(super) struct Definition<'a> {
    unsafe_html: bool,
    base_url: &'a str,
    pub dropped: Vec<Dropped>,
    /// Whether the definition has a link to a page, section or term.
    pub links_content: bool,
    /// The site, the glossary file and the definition's language, once the site is indexed.
    from: Option<LinkFrom<'a>>,
    /// Broken links, with their byte offsets in the definition.
    errors: Vec<(Diagnostic, usize)>,
    anchors: Vec<(Target, String, usize)>,
    targets: Vec<PageId>,
}

impl<'a> Definition<'a> {
    /// For reading the glossary: links to content are noted, not resolved.
    pub fn new(config: &'a Config) -> Self {
        Definition {
            unsafe_html: config.unsafe_html,
            base_url: &config.base_url,
            dropped: Vec::new(),
            links_content: false,
            from: None,
            errors: Vec::new(),
            anchors: Vec::new(),
            targets: Vec::new(),
        }
    }

    fn rooted(&self, dest: &str) -> Option<String> {
        let rest = dest.strip_prefix('/').filter(|r| !r.starts_with('/'))?;
        Some(format!("{}{rest}", self.base_url))
    }

    /// A link to another term: to its entry on the glossary page of the definition's language.
    fn term(&mut self, id: &str, offset: usize) -> Option<LinkRewrite> {
        let from = self.from.as_ref()?;
        let site = from.site;
        let glossary = site.glossary.as_ref()?;
        let Some(term) = glossary.index(id) else {
            let mut e = from
                .error(format!("`term:{id}` names no glossary term"))
                .maybe_suggest(did_you_mean(id, glossary.ids()));
            e.code = Code::UnknownTerm;
            self.errors.push((e, offset));
            return None;
        };
        let entry = &glossary.terms[term];
        let lang = if entry.langs.contains_key(from.lang) {
            from.lang
        } else {
            entry.langs.keys().next().map_or(from.lang, String::as_str)
        };
        Some(LinkRewrite {
            href: format!("{}#{}", site.url(&site.glossary_path(lang)), entry.id),
            empty_text: entry.langs.get(lang).map_or(id, |t| &t.term).to_string(),
            ..LinkRewrite::default()
        })
    }

    /// A link to a page or section, `path` from the glossary file's folder or, `rooted`, from
    /// content/.
    fn content(
        &mut self,
        path: &str,
        rooted: bool,
        suffix: &str,
        offset: usize,
    ) -> Option<LinkRewrite> {
        let from = self.from.as_ref()?;
        let site = from.site;
        let target = match from.resolve(path, rooted) {
            Ok(Some(target)) => target,
            Ok(None) => return None,
            Err(e) => {
                self.errors.push((e, offset));
                return None;
            }
        };
        if let Target::Page(i) = target {
            self.targets.push(i);
        }
        let (address, lang, title) = target.parts(site);
        if let Some((_, fragment)) = suffix.split_once('#').filter(|(_, f)| !f.is_empty()) {
            let fragment = crate::model::url::percent_decode(fragment);
            self.anchors.push((target, fragment, offset));
        }
        let href = format!("{}{suffix}", site.url(address));
        let open_html = (lang != from.lang).then(|| {
            format!(
                "<a href=\"{}\" hreflang=\"{}\">",
                escape(&href),
                escape(lang)
            )
        });
        Some(LinkRewrite {
            href,
            open_html,
            close_html: None,
            empty_text: title.to_string(),
        })
    }
}

impl Links for Definition<'_> {
    fn link(&mut self, dest: &str, _: &str, offset: usize) -> Option<LinkRewrite> {
        if let Some(id) = dest.strip_prefix("term:") {
            self.links_content = true;
            return self.term(id, offset);
        }
        if dest.starts_with('#') || link::has_scheme(dest) || dest.starts_with("//") {
            return None;
        }
        if dest.starts_with('/') {
            return self.rooted(dest).map(|href| LinkRewrite {
                href,
                ..Default::default()
            });
        }
        let (path, suffix) = dest.split_at(dest.find(['?', '#']).unwrap_or(dest.len()));
        let path = link::link_path(path);
        let rooted = path.strip_prefix("@/");
        if rooted.is_some() || path.ends_with(".md") || path.ends_with('/') {
            self.links_content = true;
            return self.content(rooted.unwrap_or(&path), rooted.is_some(), suffix, offset);
        }
        // Any other file named relative to the glossary would be looked for beside every
        // page that shows the definition.
        self.links_content = true;
        if let Some(from) = &self.from {
            let e = from
                .error(format!(
                    "`{dest}` in a definition is relative to each page that shows it"
                ))
                .suggest(format!(
                    "write the file's address from the site's root (`/{}`), or a page's with `@/`",
                    path.trim_start_matches("./")
                ));
            self.errors.push((e, offset));
        }
        None
    }

    fn image(&mut self, dest: &str, offset: usize) -> Option<String> {
        // A tooltip is on every page that uses the term, shown or not: an image from another
        // host there would be requested by every page view.
        if crate::model::url::is_remote(dest) {
            self.dropped.push(Dropped::RemoteImage(dest.to_string()));
            return Some(String::new());
        }
        if dest.starts_with('/') || link::has_scheme(dest) {
            return self.rooted(dest);
        }
        // Relative to each page that shows the definition, as a link to a file would be.
        self.links_content = true;
        if let Some(from) = &self.from {
            let e = from
                .error(format!(
                    "the image `{dest}` in a definition is looked for beside each page that shows it"
                ))
                .suggest(format!(
                    "write its address from the site's root (`/{}`)",
                    dest.trim_start_matches("./")
                ));
            self.errors.push((e, offset));
        }
        None
    }

    fn unsafe_html(&self) -> bool {
        self.unsafe_html
    }

    fn dropped(&mut self, what: Dropped, _offset: usize) {
        self.dropped.push(what);
    }
}

impl super::TermLang {
    /// The line and column in the glossary file of the byte `offset` of the definition: exact
    /// where the string is the definition as written, else the string's start.
    fn position(&self, offset: usize) -> (usize, usize) {
        let (line, column) = self.definition_at;
        match self.definition.get(..offset) {
            Some(before) if self.definition_verbatim => (line, column + 1 + before.chars().count()),
            _ => (line, column),
        }
    }
}

/// Renders inline Markdown to HTML without the paragraph around it.
pub(super) fn inline_html(markdown: &str, links: &mut Definition<'_>) -> String {
    let html = crate::pipeline::markdown::render(markdown, links)
        .html
        .into_string();
    let html = html.trim();
    html.strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .unwrap_or(html)
        .to_string()
}

/// Renders again, with their links resolved, the definitions that link to pages, sections or
/// terms; returns the broken links, at the definition's line in the glossary file.
pub fn link_definitions(site: &mut Site) -> Vec<Diagnostic> {
    let Some(glossary) = &site.glossary else {
        return Vec::new();
    };
    let mut errors = Vec::new();
    let mut rendered = Vec::new();
    let mut anchors = Vec::new();
    let mut linked_pages = Vec::new();
    for term in glossary.term_ids() {
        for (lang, text) in &glossary.terms[term].langs {
            if !text.links_content {
                continue;
            }
            let mut definition = Definition::new(&site.config);
            definition.from = Some(LinkFrom {
                site,
                file: &glossary.file,
                key: &site.config.glossary_file,
                lang,
            });
            let html = inline_html(&text.definition, &mut definition);
            errors.extend(
                definition
                    .errors
                    .into_iter()
                    .map(|(e, offset)| e.at(text.position(offset).0, text.position(offset).1)),
            );
            anchors.extend(
                definition
                    .anchors
                    .into_iter()
                    .map(|(target, fragment, offset)| DefinitionAnchor {
                        at: text.position(offset),
                        target,
                        fragment,
                    }),
            );
            linked_pages.extend(definition.targets);
            rendered.push((term, lang.clone(), html));
        }
    }
    linked_pages.sort_unstable();
    linked_pages.dedup();
    if let Some(glossary) = &mut site.glossary {
        for (term, lang, html) in rendered {
            if let Some(text) = glossary.terms[term].langs.get_mut(&lang) {
                text.definition_html = html;
            }
        }
        glossary.anchors = anchors;
        glossary.linked_pages = linked_pages;
    }
    errors
}

/// The `#fragment`s definitions link to that are not heading ids of their targets, once the
/// site's pages are rendered.
pub fn check_definition_anchors(site: &Site) -> Vec<Diagnostic> {
    let Some(glossary) = &site.glossary else {
        return Vec::new();
    };
    glossary
        .anchors
        .iter()
        .filter_map(|anchor| {
            link::missing_anchor(site, anchor.target, &anchor.fragment, &glossary.file, false)
                .map(|e| e.at(anchor.at.0, anchor.at.1))
        })
        .collect()
}
