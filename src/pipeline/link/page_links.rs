//! How a body's links, images and glossary terms are written as it is rendered.

use std::cell::OnceCell;

use crate::diag::{Code, Diagnostic, LineIndex, closest, did_you_mean};
use crate::model::config::LinkMode;
use crate::model::content_path::CONTENT_DIR;
use crate::model::url::{self, percent_decode};
use crate::pipeline::escape::escape;
use crate::pipeline::ids::TermId;
use crate::pipeline::index::{Addressed, Site};
use crate::pipeline::load::SourceFile;
use crate::pipeline::markdown::{self, LinkRewrite, Links, TermMarkup};

use super::BodyOf;
use super::report::{PendingAnchor, Report};
use super::resolve::{
    LinkFrom, Target, builds, folder_and_name, has_scheme, link_path, normalise, page_address,
};

pub(super) struct PageLinks<'a> {
    pub(super) site: &'a Site,
    pub(super) source: &'a SourceFile,
    /// The source's Markdown, unpacked.
    pub(super) body: &'a str,
    pub(super) origin: BodyOf,
    pub(super) lang: &'a str,
    pub(super) report: Report,
    /// How often each term was linked on this page so far (by term index): `link = "first"`
    /// skips linked terms, and later occurrences' tooltips get numbered ids.
    pub(super) linked_terms: Vec<u32>,
    /// The body's line starts, made the first time a position is needed.
    pub(super) lines: OnceCell<LineIndex<'a>>,
}

impl Links for PageLinks<'_> {
    fn unsafe_html(&self) -> bool {
        self.site.config.unsafe_html
    }

    fn heading_ids(&self) -> crate::model::config::HeadingIds {
        self.site.config.heading_ids
    }

    fn duplicate_footnote(&mut self, label: &str, offset: usize) {
        let e = Diagnostic::error(
            Code::DuplicateFootnote,
            &self.source.file,
            format!("footnote `[^{label}]` is defined twice; references show the first"),
        )
        .suggest("give this definition a label of its own and refer to it, or remove it");
        self.report_error(e, offset);
    }

    fn taken_ids(&self) -> std::sync::Arc<[String]> {
        self.site.markup.page_ids.clone()
    }

    fn lang(&self) -> &str {
        self.lang
    }

    fn dropped(&mut self, what: markdown::Dropped, offset: usize) {
        let at = self.at(offset);
        self.report.dropped.push((what, at));
    }

    fn link(&mut self, dest: &str, title: &str, offset: usize) -> Option<LinkRewrite> {
        if let Some(id) = dest.strip_prefix("term:") {
            return self.term_link(id, offset);
        }
        if let Some(fragment) = dest.strip_prefix('#') {
            if let BodyOf::Page(i) = self.origin
                && !fragment.is_empty()
            {
                self.report.anchors.push(PendingAnchor {
                    origin: self.origin,
                    at: self.at(offset),
                    target: Target::Page(i),
                    fragment: percent_decode(fragment),
                });
            }
            return None;
        }
        if has_scheme(dest) || dest.starts_with("//") {
            return None;
        }
        if let Some(rooted) = dest.strip_prefix('/') {
            // A page or section: a link like `@/` ones (backlinks, its #fragment checked).
            let (path, suffix) = rooted.split_at(rooted.find(['?', '#']).unwrap_or(rooted.len()));
            if let Some(at) = self.site.at_address(&page_address(&link_path(path))) {
                let target = match at {
                    Addressed::Page(i) => Target::Page(i),
                    Addressed::Section(i) => Target::Section(i),
                };
                let fragment = suffix.split_once('#').map(|(_, f)| percent_decode(f));
                return Some(self.rewrite(target, suffix, fragment, title, offset));
            }
            return self.rooted(rooted, offset).map(|href| LinkRewrite {
                href,
                ..LinkRewrite::default()
            });
        }
        let (path, suffix) = dest.split_at(dest.find(['?', '#']).unwrap_or(dest.len()));
        let fragment = suffix.split_once('#').map(|(_, f)| percent_decode(f));
        let path = link_path(path);
        let rooted = path.strip_prefix("@/");
        let is_content = rooted.is_some() || path.ends_with(".md") || path.ends_with('/');
        if !is_content {
            // A PDF or another file beside the page.
            return self.file(&path, suffix, offset).map(|href| LinkRewrite {
                href,
                ..LinkRewrite::default()
            });
        }
        match self
            .from()
            .resolve(rooted.unwrap_or(&path), rooted.is_some())
        {
            Ok(Some(target)) => Some(self.rewrite(target, suffix, fragment, title, offset)),
            Ok(None) => None,
            Err(e) => {
                self.report_error(e, offset);
                None
            }
        }
    }

    fn image(&mut self, dest: &str, offset: usize) -> Option<String> {
        if url::is_remote(dest) {
            let e = Diagnostic::warning(
                Code::RemoteImage,
                &self.source.file,
                format!("the image `{dest}` is loaded from another host: every reader's browser asks that host for it"),
            )
            .suggest("save the image beside the page or in static/ and show it from there");
            self.report_error(e, offset);
            return None;
        }
        if dest.starts_with('#') || has_scheme(dest) || dest.starts_with("//") {
            return None;
        }
        if let Some(rooted) = dest.strip_prefix('/') {
            return self.rooted(rooted, offset);
        }
        let (path, suffix) = dest.split_at(dest.find(['?', '#']).unwrap_or(dest.len()));
        self.file(&link_path(path), suffix, offset)
    }

    fn terms(&mut self, text: &str, sentence_start: bool) -> Vec<TermMarkup> {
        let Some(glossary) = &self.site.glossary else {
            return Vec::new();
        };
        let mode = self.site.config.glossary_link;
        if mode == LinkMode::None || !self.source.meta.glossary {
            return Vec::new();
        }
        let mut out = Vec::new();
        let first_only = mode == LinkMode::First;
        let linked = &self.linked_terms;
        let found = glossary.find(text, self.lang, sentence_start, |term| {
            first_only && linked[term.index()] > 0
        });
        for found in found {
            if mode == LinkMode::First && self.linked_terms[found.term.index()] > 0 {
                continue;
            }
            let (_, open_html, close_html) = self.term_markup(found.term);
            out.push(TermMarkup {
                range: found.range,
                open_html,
                close_html,
            });
        }
        out
    }
}

impl PageLinks<'_> {
    /// The file line and column of a byte offset in the body. Positions are resolved as they
    /// are found, so nothing later needs the body (a one-off build frees it).
    fn at(&self, offset: usize) -> (usize, usize) {
        let lines = self.lines.get_or_init(|| LineIndex::new(self.body));
        let (line, col) = lines.line_col(offset);
        (self.source.body_line + line - 1, col)
    }

    /// This body's file, for resolving its links.
    fn from(&self) -> LinkFrom<'_> {
        LinkFrom {
            site: self.site,
            file: &self.source.file,
            key: &self.source.key,
            lang: self.lang,
        }
    }

    fn report_error(&mut self, mut e: Diagnostic, offset: usize) {
        let (line, col) = self.at(offset);
        e.line = line;
        e.column = col;
        self.report.errors.push(e);
    }

    /// The address of a file (not a page) that a link or image names, `path` relative to this
    /// body's file, followed by `suffix` (`?query#fragment` as written). A file beside a page
    /// bundle's page is copied beside every language version of it, where the address as written
    /// finds it. A file beside any other page is copied once, to its place under content/, not
    /// into the page's own folder: the address becomes its URL. A file that is not there is a
    /// broken link, unless the address climbs out of the folder (`../`), or the build writes a
    /// file there (a page, a feed) or static/ has one.
    fn file(&mut self, path: &str, suffix: &str, offset: usize) -> Option<String> {
        if path.is_empty() || path.starts_with('/') {
            return None;
        }
        let site = self.site;
        let base = self.from().base_dir();
        let rel = normalise(&if base.is_empty() {
            path.to_string()
        } else {
            format!("{base}/{path}")
        })?;
        if let Ok(at) = site.assets.binary_search_by(|a| a.rel.as_str().cmp(&rel)) {
            let asset = &site.assets[at];
            let path = match &asset.bundle {
                None => url::percent_encode_path(&asset.rel),
                Some(bundle) if self.source.bundle.as_ref() == Some(bundle) => return None,
                Some(bundle) => {
                    let page = site.page_id_for_reader(&format!("{bundle}/index.md"), self.lang)?;
                    let inner = &asset.rel[bundle.len() + 1..];
                    format!(
                        "{}{}",
                        site.pages[page].path,
                        url::percent_encode_path(inner)
                    )
                }
            };
            return Some(site.url(&format!("{path}{suffix}")));
        }
        if path.split('/').any(|part| part == "..") {
            return None;
        }
        let out_dir = match self.origin {
            BodyOf::Page(i) => &site.pages[i].path,
            BodyOf::Section(i) => &site.sections[i].path,
        };
        let out_path = normalise(&format!("{out_dir}{path}"))?;
        // A file the build writes there itself (`atom.xml` from the home page, a file from
        // static/), rarely linked by a relative address: looked up only for a file not found
        // in content/.
        if builds(site, &out_path) {
            return None;
        }
        if site.left_out.contains(&rel) {
            let e = self
                .from().error(format!(
                    "`{path}` names {CONTENT_DIR}/{rel}, which is left out of the site (its own warning says why)"
                ))
                .suggest("show a file that runs scripts from static/, which the site's maintainers control, or link another");
            self.report_error(e, offset);
            return None;
        }
        // Files in the same folder, by name.
        let (folder, name) = folder_and_name(&rel);
        let beside = site
            .assets
            .iter()
            .map(|a| folder_and_name(&a.rel))
            .filter(|(dir, _)| *dir == folder)
            .map(|(_, name)| name);
        // Said as the link writes it: `guides/Report.pdf` for `guides/report.pdf`.
        let written_dir = path.rsplit_once('/').map(|(dir, _)| dir);
        let suggestion = closest(name, beside).map(|near| match written_dir {
            Some(dir) => format!("did you mean `{dir}/{near}`?"),
            None => format!("did you mean `{near}`?"),
        });
        let e = self
            .from()
            .error(format!(
                "`{path}` does not exist: there is no file {CONTENT_DIR}/{rel}"
            ))
            .maybe_suggest(suggestion.or_else(|| {
                Some(format!(
                    "put the file at {CONTENT_DIR}/{rel}, or correct the address"
                ))
            }));
        self.report_error(e, offset);
        None
    }

    /// The address of `/rooted` (written from the site's root, as Zola's and Hugo's sites
    /// often write them): the site's own address, `base_url`'s path included, so that it
    /// still leads there when the site is published under a sub-path. What the build does not
    /// write there is a broken link.
    fn rooted(&mut self, rooted: &str, offset: usize) -> Option<String> {
        let site = self.site;
        let path = &rooted[..rooted.find(['?', '#']).unwrap_or(rooted.len())];
        let decoded = link_path(path);
        let exists = |path: &str| builds(site, path);
        if !exists(&decoded) {
            // Written with base_url's path already (`/policy/guides/x/`), which tebiki adds.
            let base = site.config.base_path().trim_start_matches('/');
            let suggestion = match decoded.strip_prefix(base) {
                Some(rest) if !base.is_empty() && exists(rest) => format!(
                    "write it as `/{rest}`: tebiki adds base_url's path (`/{base}`) itself"
                ),
                _ => "link a page as `@/guides/x.md` and a file by its path from static/ (`/img/x.png`); a page of another site needs its full `https://` address".to_string(),
            };
            let e = self
                .from()
                .error(format!("`/{path}` is not an address of this site"))
                .suggest(suggestion);
            self.report_error(e, offset);
            return None;
        }
        Some(site.url(rooted))
    }

    /// `[text](term:id)`: a link to the term's glossary entry, with its tooltip.
    fn term_link(&mut self, id: &str, offset: usize) -> Option<LinkRewrite> {
        let site = self.site;
        let Some(glossary) = &site.glossary else {
            let file = format!(
                "{}/{}",
                crate::model::content_path::CONTENT_DIR,
                site.config.glossary_file
            );
            let e = Diagnostic::error(
                Code::UnknownTerm,
                &self.source.file,
                format!("link to term `{id}`, but the site has no glossary"),
            )
            .suggest(format!(
                "create {file} with a `[[term]]` whose id is `{id}`"
            ));
            self.report_error(e, offset);
            return None;
        };
        let Some(term) = glossary.index(id) else {
            let e = Diagnostic::error(
                Code::UnknownTerm,
                &self.source.file,
                format!("`{id}` is not a term in the glossary"),
            )
            .maybe_suggest(
                did_you_mean(id, glossary.ids())
                    .map(|s| s.replace("did you mean `", "did you mean `term:")),
            );
            self.report_error(e, offset);
            return None;
        };
        let (href, open_html, close_html) = self.term_markup(term);
        let entry = &glossary.terms[term];
        let name = entry
            .langs
            .get(self.lang)
            .or_else(|| entry.langs.get(&site.config.default_language))
            .or_else(|| entry.langs.values().next())
            .map(|l| l.term.clone())
            .unwrap_or_default();
        Some(LinkRewrite {
            href,
            open_html: Some(open_html),
            close_html: Some(close_html),
            empty_text: name,
        })
    }

    /// The URL of a term's glossary entry and the markup around a linked occurrence: a link
    /// described by a tooltip that holds the definition, shown on hover and keyboard focus and
    /// read by screen readers, with no script.
    fn term_markup(&mut self, term: TermId) -> (String, String, String) {
        let site = self.site;
        if let BodyOf::Page(_) = self.origin {
            self.report.terms.push(term);
        }
        let reader = site
            .config
            .languages
            .iter()
            .position(|l| l.code == self.lang)
            .unwrap_or(0);
        self.linked_terms[term.index()] += 1;
        let id = site
            .glossary
            .as_ref()
            .map_or("", |g| g.terms[term].id.as_str());
        let Some(parts) = site.markup.term(reader, term) else {
            // The theme has errors (reported already): a plain link keeps the check going.
            let href = site.url(&site.glossary_path(self.lang)) + "#" + id;
            let open = format!("<a href=\"{}\">", escape(&href));
            return (href, open, "</a>".to_string());
        };
        let (open, close) = match self.linked_terms[term.index()] {
            1 => (parts.first_open.clone(), parts.first_close.clone()),
            n => parts.with_tip(&format!("tebiki-term-{}-{n}", escape(id))),
        };
        (parts.href.clone(), open, close)
    }

    fn rewrite(
        &mut self,
        target: Target,
        suffix: &str,
        fragment: Option<String>,
        title: &str,
        offset: usize,
    ) -> LinkRewrite {
        let site = self.site;
        if let Target::Page(i) = target {
            self.report.targets.push(i);
        }
        let (path, lang, title_text) = target.parts(site);
        let title_text = title_text.to_string();
        if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
            self.report.anchors.push(PendingAnchor {
                origin: self.origin,
                at: self.at(offset),
                target,
                fragment,
            });
        }
        let href = format!("{}{suffix}", site.url(path));
        if lang == self.lang {
            return LinkRewrite {
                href,
                empty_text: title_text,
                ..LinkRewrite::default()
            };
        }
        // Another language's page, where the reader's has none: say so with hreflang and a badge.
        let mut open = format!(
            "<a href=\"{}\" hreflang=\"{}\"",
            escape(&href),
            escape(lang)
        );
        if !title.is_empty() {
            open.push_str(&format!(" title=\"{}\"", escape(title)));
        }
        open.push('>');
        LinkRewrite {
            href,
            open_html: Some(open),
            close_html: Some(site.markup.badge(self.lang, lang).to_string()),
            empty_text: title_text,
        }
    }
}
