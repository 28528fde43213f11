//! What each output page shows: the builders of every template's data ([`super::data`]). Their
//! reverse, which pages must be rendered again when a page, a glossary term or a section
//! changes, is [`super::invalidate`]: a field added to a builder that shows something of
//! another page needs its rule there too; the preview's equivalence tests fail otherwise.

use std::collections::HashMap;
use std::sync::OnceLock;

use rayon::prelude::*;
use tera::{Context, TeraResult};

use crate::model::content_path::normalise_content_path;
use crate::model::dates::{Date, TemplateDate};
use crate::pipeline::glossary;
use crate::pipeline::ids::{PageId, TermId};
use crate::pipeline::index::{Page, Section, Site, Taxonomy, fallback_slug};
use crate::pipeline::render::data::*;
use crate::pipeline::render::{pagination, structured};
use crate::pipeline::theme::Theme;

/// How many of the pages that use a term its glossary entry lists at most; `used_by_count`
/// has the total, so a large site's glossary page stays readable.
pub const USED_BY_SHOWN: usize = 20;

/// How many "used in" links a glossary page holds in all: a glossary of many terms lists fewer
/// pages a term (at least one), so that its page stays small on a phone (about 150 KB at 200
/// terms and 10,000 pages).
pub const USED_BY_BUDGET: usize = 300;

/// How many of the newest pages the home page lists; the sections list the rest.
pub const RECENT_SHOWN: usize = 10;

/// Per-language values shared by every page of that language, computed once.
struct LangCommon {
    config: tera::Value,
    strings: tera::Value,
    /// The translated name of each taxonomy.
    taxonomy_titles: HashMap<&'static str, String>,
    glossary_title: String,
    /// The theme's name for the home page in breadcrumbs (`home`).
    home_title: String,
    /// The theme's name for list page `{n}` of a list in breadcrumbs (`page_n`).
    page_n: String,
    /// Top-level sections: (title, path).
    nav: Vec<(String, String)>,
}

/// Builds template data for one build: holds what every page of a language shares and every
/// page's summary, converted for Tera once.
pub struct Contexts<'a> {
    site: &'a Site,
    common: HashMap<&'a str, LangCommon>,
    /// Every page's list entry, by the reader's language (its place in `[languages]`) and
    /// [`PageId`], converted for Tera once (on first use): lists share them instead of
    /// copying. A page listed for readers of another language (an original shown where there
    /// is no translation, a backlink) has its dates written in theirs, as the list's labels are.
    summaries: Vec<Vec<OnceLock<tera::Value>>>,
    /// Every section's list ([`Site::listing`], by [`SectionId`]), computed once: each of a
    /// long section's list pages needs it.
    listings: Vec<OnceLock<Vec<PageId>>>,
    /// Each taxonomy of each language ([`Contexts::taxonomy`], with every term), converted for
    /// Tera once: every list page of every one of its terms gets it.
    taxonomies: Vec<((Taxonomy, &'a str), OnceLock<tera::Value>)>,
}

impl<'a> Contexts<'a> {
    pub fn new(site: &'a Site, theme: &Theme) -> Self {
        let config = &site.config;
        let languages: Vec<SiteLanguage<'_>> = config
            .languages
            .iter()
            .map(|l| SiteLanguage {
                code: &l.code,
                name: &l.name,
                title: &l.title,
                url: site.url(&site.home_path(&l.code)),
            })
            .collect();
        let common = config
            .languages
            .iter()
            .map(|l| {
                let nav = site
                    .section("", &l.code)
                    .map(|home| {
                        home.subsections
                            .iter()
                            .map(|&i| {
                                let s = &site.sections[i];
                                (s.title.clone(), s.path.clone())
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let strings = theme.strings(&l.code, &config.default_language);
                let taxonomy_titles = Taxonomy::ALL
                    .iter()
                    .map(|k| {
                        let title = strings
                            .get(k.slug())
                            .and_then(|v| v.as_str())
                            .unwrap_or(k.slug());
                        (k.slug(), title.to_string())
                    })
                    .collect();
                let glossary_title = strings
                    .get("glossary")
                    .and_then(|v| v.as_str())
                    .unwrap_or("Glossary")
                    .to_string();
                let home_title = strings
                    .get("home")
                    .and_then(|v| v.as_str())
                    .unwrap_or("Home")
                    .to_string();
                let page_n = strings
                    .get("page_n")
                    .and_then(|v| v.as_str())
                    .unwrap_or("Page {n}")
                    .to_string();
                let site_data = SiteData {
                    title: config.title_in(&l.code),
                    description: config.description_in(&l.code),
                    base_url: &config.base_url,
                    default_language: &config.default_language,
                    extra: &config.extra,
                    languages: languages
                        .iter()
                        .map(|l| SiteLanguage {
                            code: l.code,
                            name: l.name,
                            title: l.title,
                            url: l.url.clone(),
                        })
                        .collect(),
                };
                let lc = LangCommon {
                    glossary_title,
                    home_title,
                    page_n,
                    config: tera::Value::from_serializable(&site_data),
                    strings: tera::Value::from_serializable(&strings),
                    taxonomy_titles,
                    nav,
                };
                (l.code.as_str(), lc)
            })
            .collect();
        let summaries = config
            .languages
            .iter()
            .map(|_| site.pages.iter().map(|_| OnceLock::new()).collect())
            .collect();
        let listings = site.sections.iter().map(|_| OnceLock::new()).collect();
        let taxonomies = site
            .taxonomies
            .keys()
            .map(|(kind, lang)| ((*kind, lang.as_str()), OnceLock::new()))
            .collect();
        Contexts {
            site,
            common,
            summaries,
            listings,
            taxonomies,
        }
    }

    /// Converts every page's summary for readers of its own language up front, in parallel: a
    /// full build's lists need most.
    pub fn convert_all_summaries(&self) {
        self.site
            .pages
            .par_iter()
            .enumerate()
            .for_each(|(i, page)| {
                self.summary_of(PageId::new(i), &page.source.lang);
            });
    }

    /// The variables every template gets. `versions` are the (language, path) pairs of every
    /// language version of this output page, this one included.
    pub fn common<'s>(
        &'s self,
        lang: &'s str,
        path: &str,
        versions: &[(&'s str, String)],
        summary: Option<&'s str>,
    ) -> Common<'s> {
        let site = self.site;
        let config = &site.config;
        let lc = &self.common[lang];
        let x_default = versions
            .iter()
            .find(|(l, _)| config.is_default(l))
            .map_or(path, |(_, p)| p.as_str());
        Common {
            lang,
            config: lc.config.clone(),
            t: lc.strings.clone(),
            root_url: site.url(&site.home_path(lang)),
            static_url: &config.base_url,
            current_url: site.url(path),
            description: summary
                .filter(|s| !s.trim().is_empty())
                .unwrap_or(config.description_in(lang)),
            alternates: versions
                .iter()
                .map(|(l, p)| Alternate {
                    lang: l,
                    url: site.url(p),
                })
                .collect(),
            x_default_url: site.url(x_default),
            languages: config
                .languages
                .iter()
                .map(|l| {
                    let version = versions.iter().find(|(code, _)| *code == l.code);
                    LanguageLink {
                        code: &l.code,
                        name: &l.name,
                        url: version.map_or_else(
                            || site.url(&site.home_path(&l.code)),
                            |(_, p)| site.url(p),
                        ),
                        current: l.code == lang,
                        translated: version.is_some(),
                        list: false,
                    }
                })
                .collect(),
            nav: lc
                .nav
                .iter()
                .map(|(title, p)| NavLink {
                    title,
                    url: site.url(p),
                    current: path.starts_with(p.as_str()),
                })
                .collect(),
            glossary_url: site
                .glossary
                .as_ref()
                .map(|_| site.url(&site.glossary_path(lang))),
            og_locale: structured::og_locale(lang),
            og_locale_alternates: versions
                .iter()
                .filter(|(l, _)| *l != lang)
                .map(|(l, _)| structured::og_locale(l))
                .collect(),
            json_ld: String::new(),
            ancestors: Vec::new(),
            search_url: site
                .config
                .search
                .then(|| site.url(&format!("{}/", crate::pipeline::search::DIR))),
        }
    }

    /// Places a page below a language's home: its JSON-LD (the breadcrumb trail after any
    /// `items`) and its `ancestors`, from one `trail` (home left out, the page itself last,
    /// as (name, path) pairs), so that what readers and search engines see agrees.
    pub fn place(
        &self,
        lang: &str,
        trail: &[(&str, String)],
        items: Vec<structured::Item<'_>>,
    ) -> (String, Vec<Crumb>) {
        let site = self.site;
        let home = self
            .common
            .get(lang)
            .map_or("Home", |lc| lc.home_title.as_str());
        let mut steps: Vec<(&str, String)> = vec![(home, site.url(&site.home_path(lang)))];
        steps.extend(trail.iter().map(|(name, path)| (*name, site.url(path))));
        let mut all = items;
        all.push(structured::breadcrumbs(&steps));
        let json_ld = structured::to_script(&all);
        // Home and the page itself are left out: the theme links home on its own and names
        // the page in its heading.
        let above = steps.len().saturating_sub(1);
        let ancestors = steps
            .drain(..above)
            .skip(1)
            .map(|(title, url)| Crumb {
                title: title.to_string(),
                url,
            })
            .collect();
        (json_ld, ancestors)
    }

    /// The theme's name for list page `n` (`Page 2`), the last step of a later list page's
    /// breadcrumb trail.
    fn page_n(&self, lang: &str, n: usize) -> String {
        self.common
            .get(lang)
            .map_or("Page {n}", |lc| lc.page_n.as_str())
            .replace("{n}", &n.to_string())
    }

    /// `page`, for `page.html`, with its body's HTML `content` (unpacked by the caller into a
    /// buffer it keeps, so that the body is copied only into the template's value).
    pub fn page<'s>(&'s self, index: PageId, content: &'s str) -> PageData<'s> {
        let site = self.site;
        let page = &site.pages[index];
        let lang = page.source.lang.as_str();
        let meta = page.meta();
        let related: Vec<PageId> = meta
            .related
            .iter()
            .filter_map(|r| site.page_id_for_reader(&normalise_content_path(&r.value), lang))
            .collect();
        PageData {
            content: content.into(),
            toc: &page.rendered.toc,
            review_by: date(site, meta.review_by, lang),
            sources: meta
                .sources
                .iter()
                .map(|s| SourceData {
                    title: &s.title,
                    publisher: s.publisher.as_deref(),
                    url: s.url.as_deref(),
                    date: date(site, s.date, lang),
                })
                .collect(),
            related: self.list(&related, lang),
            backlinks: self.list(&page.backlinks, lang),
            section: site
                .section(&page.source.section, lang)
                .map(|s| SectionLink {
                    title: &s.title,
                    url: site.url(&s.path),
                }),
            extra: &meta.extra,
            translation: site.translation_status(index).map(|t| {
                let original = &site.pages[t.original];
                TranslationData {
                    status: t.status,
                    original_url: site.url(&original.path),
                    original_lang: &original.source.lang,
                    original_title: original.title(),
                    original_updated: date(site, site.updated(original), lang),
                }
            }),
            changes: meta
                .changes
                .iter()
                .map(|c| ChangeData {
                    date: c.date.for_template(&site.markup.date_style(lang)),
                    note: &c.note,
                })
                .collect(),
        }
    }

    /// `section`, for `section.html` and `index.html`, and its `paginator` on list page `n`
    /// (none on the home page, which lists all of its own pages).
    pub fn section<'s>(
        &'s self,
        section: &'s Section,
        n: usize,
    ) -> (SectionData<'s>, Option<Paginator>) {
        let site = self.site;
        let listing = self.listing(section);
        let (shown, paginator) = if section.dir.is_empty() {
            (listing, None)
        } else {
            let per_page = pagination::per_page(site, section);
            let total = pagination::count(listing.len(), per_page);
            let pager =
                pagination::paginator(site, &section.path, n, total, per_page, listing.len());
            let range = pagination::slice(listing.len(), per_page, n);
            (&listing[range], Some(pager))
        };
        let data = SectionData {
            title: &section.title,
            summary: section_summary(section),
            content: section.rendered.html.as_str(),
            url: site.url(&section.path),
            pages: self.list(shown, &section.lang),
            subsections: section
                .subsections
                .iter()
                .map(|&i| {
                    let s = &site.sections[i];
                    SubsectionData {
                        title: &s.title,
                        summary: section_summary(s),
                        url: site.url(&s.path),
                        count: self.listing(s).len(),
                    }
                })
                .collect(),
            translation: site
                .section_id(&section.dir, &section.lang)
                .and_then(|i| site.section_translation_status(i))
                .and_then(|t| {
                    let original = &site.sections[t.original];
                    let source = original.source.as_ref()?;
                    Some(TranslationData {
                        status: t.status,
                        original_url: site.url(&original.path),
                        original_lang: &original.lang,
                        original_title: &original.title,
                        original_updated: date(site, site.updated_source(source), &section.lang),
                    })
                }),
        };
        (data, paginator)
    }

    /// `recent`, for `index.html`: the newest [`RECENT_SHOWN`] pages in `lang`.
    pub fn recent(&self, lang: &str) -> SummaryList {
        self.list(&recent(self.site, lang), lang)
    }

    /// `taxonomy`, for `taxonomy_list.html` and `taxonomy_term.html`.
    pub fn taxonomy(&self, kind: Taxonomy, lang: &str) -> TaxonomyData<'_> {
        let site = self.site;
        TaxonomyData {
            kind,
            title: self.taxonomy_title(kind, lang),
            url: site.url(&site.taxonomy_path(kind, lang, None)),
            terms: site.taxonomies[&(kind, lang.to_string())]
                .iter()
                .map(|t| TaxonomyTermLink {
                    name: &t.name,
                    url: site.url(&site.taxonomy_path(kind, lang, Some(&t.slug))),
                    count: t.pages.len(),
                })
                .collect(),
        }
    }

    /// The translated name of taxonomy `kind` in `lang`.
    fn taxonomy_title(&self, kind: Taxonomy, lang: &str) -> &str {
        &self.common[lang].taxonomy_titles[kind.slug()]
    }

    /// [`Contexts::taxonomy`] as a Tera value, converted once.
    fn taxonomy_value(&self, kind: Taxonomy, lang: &str) -> tera::Value {
        let convert = || tera::Value::from_serializable(&self.taxonomy(kind, lang));
        match self.taxonomies.iter().find(|(key, _)| *key == (kind, lang)) {
            Some((_, value)) => value.get_or_init(convert).clone(),
            None => convert(),
        }
    }

    /// `term` and `paginator`, for list page `n` of `taxonomy_term.html`.
    pub fn taxonomy_term(
        &self,
        kind: Taxonomy,
        lang: &str,
        i: usize,
        n: usize,
    ) -> (TaxonomyTermData<'_>, Paginator) {
        let site = self.site;
        let term = &site.taxonomies[&(kind, lang.to_string())][i];
        let path = site.taxonomy_path(kind, lang, Some(&term.slug));
        let per_page = site.config.paginate_by;
        let items = term.pages.len();
        let total = pagination::count(items, per_page);
        let range = pagination::slice(items, per_page, n);
        let data = TaxonomyTermData {
            name: &term.name,
            url: site.url(&path),
            pages: self.list(&term.pages[range], lang),
            count: items,
        };
        (
            data,
            pagination::paginator(site, &path, n, total, per_page, items),
        )
    }

    /// `glossary`, for `glossary.html`: the entries of `lang` in its order, grouped for the
    /// index. `None` when the site has no glossary.
    pub fn glossary(&self, lang: &str) -> Option<GlossaryData<'_>> {
        let site = self.site;
        let glossary = site.glossary.as_ref()?;
        let mut entries: Vec<(String, TermId)> = glossary
            .term_ids()
            .zip(&glossary.terms)
            .filter_map(|(i, t)| t.langs.get(lang).map(|l| (glossary::sort_key(l), i)))
            .collect();
        entries.sort();
        let page_url = site.url(&site.glossary_path(lang));
        let shown = used_by_shown(entries.len());
        let mut groups: Vec<GlossaryGroup<'_>> = Vec::new();
        for (key, i) in entries {
            let term = &glossary.terms[i];
            let text = &term.langs[lang];
            let used_by: Vec<PageId> = site
                .uses_of(i)
                .iter()
                .copied()
                .filter(|&p| site.pages[p].source.lang == lang)
                .collect();
            let entry = GlossaryEntry {
                id: &term.id,
                term: &text.term,
                abbr: text.abbr.as_deref(),
                aliases: &text.aliases,
                reading: text.reading.as_deref(),
                definition: &text.definition_html,
                see_also: term
                    .see_also
                    .iter()
                    .filter_map(|id| glossary.index(id))
                    .map(|j| {
                        let other = &glossary.terms[j];
                        let name = other
                            .langs
                            .get(lang)
                            .or_else(|| other.langs.values().next())
                            .map_or(other.id.as_str(), |l| l.term.as_str());
                        GlossaryLink {
                            id: &other.id,
                            term: name,
                            url: format!("{page_url}#{}", other.id),
                        }
                    })
                    .collect(),
                translations: term
                    .langs
                    .iter()
                    .filter(|(code, _)| code.as_str() != lang)
                    .map(|(code, l)| GlossaryTranslation {
                        lang: code,
                        name: site
                            .config
                            .language(code)
                            .map_or(code.as_str(), |c| c.name.as_str()),
                        term: &l.term,
                        url: format!("{}#{}", site.url(&site.glossary_path(code)), term.id),
                    })
                    .collect(),
                used_by: self.list(&used_by[..used_by.len().min(shown)], lang),
                used_by_count: used_by.len(),
            };
            let label = glossary::index_group(&key);
            match groups.last_mut() {
                Some(group) if group.label == label => group.entries.push(entry),
                _ => groups.push(GlossaryGroup {
                    label,
                    id: format!("group-{}", groups.len() + 1),
                    entries: vec![entry],
                }),
            }
        }
        Some(GlossaryData {
            title: &self.common[lang].glossary_title,
            url: page_url,
            groups,
        })
    }

    // One template's whole context per kind of output page.

    /// `page.html` (or the page's own `template`) for page `index`.
    pub fn page_context(&self, index: PageId) -> (String, TeraResult<Context>) {
        let site = self.site;
        let page = &site.pages[index];
        let lang = page.source.lang.as_str();
        let versions: Vec<(&str, String)> = site
            .translations(&page.source.key)
            .map(|p| (p.source.lang.as_str(), p.path.clone()))
            .collect();
        let mut common = self.common(lang, &page.path, &versions, page.meta().summary.as_deref());
        let mut trail = section_trail(site, &page.source.section, lang);
        trail.push((page.title(), page.path.clone()));
        let article = structured::article(
            site,
            page,
            common.description,
            &common.current_url,
            &common.root_url,
        );
        (common.json_ld, common.ancestors) = self.place(lang, &trail, vec![article]);
        let template = page
            .meta()
            .template
            .as_ref()
            .map_or("page.html".to_string(), |t| t.value.clone());
        let context = page
            .rendered
            .html
            .with_str(|content| fields(&self.page(index, content)))
            .and_then(|mut data| {
                // The page's summary, converted once for every list it is in, and the rest.
                if let Some(summary) = self.summary_of(index, lang).as_map() {
                    data.extend(summary.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                let own = PageVars {
                    page: tera::Value::from(data),
                };
                to_context(&Vars { common, own })
            });
        (template, context)
    }

    /// List page `n` (from 1) of `section.html`, or `index.html` for the home page (or the
    /// section's own `template`).
    pub fn section_context(&self, section: &Section, n: usize) -> (String, TeraResult<Context>) {
        let site = self.site;
        let lang = section.lang.as_str();
        let path = pagination::page_path(&section.path, n);
        // List page `n` in every language whose list has that many pages.
        let versions = pagination::section_versions(site, &section.dir, n);
        let mut common = self.common(lang, &path, &versions, section_summary(section));
        // A language whose list is shorter: the switch leads to its list's first page, not to
        // its home page.
        if n > 1 {
            for link in common.languages.iter_mut().filter(|l| !l.translated) {
                if let Some(first) = site.section(&section.dir, link.code) {
                    link.url = site.url(&first.path);
                    link.translated = true;
                }
            }
        }
        let is_home = section.dir.is_empty();
        if is_home {
            common.json_ld =
                structured::to_script(&[structured::website(site, lang, &common.root_url)]);
        } else {
            let mut trail = section_trail(site, &section.dir, lang);
            let numbered;
            if n > 1 {
                numbered = self.page_n(lang, n);
                trail.push((numbered.as_str(), path.clone()));
            }
            (common.json_ld, common.ancestors) = self.place(lang, &trail, Vec::new());
        }
        let (data, paginator) = self.section(section, n);
        let own = SectionVars {
            section: data,
            recent: is_home.then(|| self.recent(lang)),
            paginator,
        };
        let template = section
            .source
            .as_ref()
            .and_then(|s| s.meta.template.as_ref())
            .map(|t| t.value.clone())
            .unwrap_or_else(|| {
                if is_home {
                    "index.html"
                } else {
                    "section.html"
                }
                .into()
            });
        (template, to_context(&Vars { common, own }))
    }

    /// `taxonomy_list.html`: every tag or category of `lang`.
    pub fn taxonomy_list_context(
        &self,
        kind: Taxonomy,
        lang: &str,
    ) -> (String, TeraResult<Context>) {
        let site = self.site;
        let path = site.taxonomy_path(kind, lang, None);
        let versions = site.taxonomy_list_versions(kind);
        let mut common = self.common(lang, &path, &versions, None);
        let title = self.taxonomy_title(kind, lang);
        (common.json_ld, common.ancestors) = self.place(lang, &[(title, path.clone())], Vec::new());
        let own = TaxonomyVars {
            taxonomy: self.taxonomy_value(kind, lang),
        };
        (
            "taxonomy_list.html".into(),
            to_context(&Vars { common, own }),
        )
    }

    /// List page `n` (from 1) of `taxonomy_term.html`: the pages of the `i`-th tag or
    /// category of `lang`.
    pub fn taxonomy_term_context(
        &self,
        kind: Taxonomy,
        lang: &str,
        i: usize,
        n: usize,
    ) -> (String, TeraResult<Context>) {
        let site = self.site;
        let term = &site.taxonomies[&(kind, lang.to_string())][i];
        let first_path = site.taxonomy_path(kind, lang, Some(&term.slug));
        let path = pagination::page_path(&first_path, n);
        // List page `n` of the tag in every language whose list of it has that many pages.
        let versions = pagination::term_versions(site, kind, &term.slug, n);
        let term_versions = site.taxonomy_term_versions(kind, &term.slug);
        let mut common = self.common(lang, &path, &versions, None);
        // The switch leads to the tag's first page in a language where its list is shorter,
        // else to that language's list of tags, not to its home page.
        let lists = site.taxonomy_list_versions(kind);
        for link in common.languages.iter_mut().filter(|l| !l.translated) {
            if let Some((_, first)) = term_versions.iter().find(|(code, _)| *code == link.code) {
                link.url = site.url(first);
                link.translated = true;
            } else if let Some((_, list)) = lists.iter().find(|(code, _)| *code == link.code) {
                link.url = site.url(list);
                link.list = true;
            }
        }
        let (term, paginator) = self.taxonomy_term(kind, lang, i, n);
        let list_path = site.taxonomy_path(kind, lang, None);
        let mut trail = vec![
            (self.taxonomy_title(kind, lang), list_path),
            (term.name, first_path),
        ];
        let numbered;
        if n > 1 {
            numbered = self.page_n(lang, n);
            trail.push((numbered.as_str(), path.clone()));
        }
        (common.json_ld, common.ancestors) = self.place(lang, &trail, Vec::new());
        let own = TaxonomyTermVars {
            taxonomy: self.taxonomy_value(kind, lang),
            term,
            paginator,
        };
        (
            "taxonomy_term.html".into(),
            to_context(&Vars { common, own }),
        )
    }

    /// `glossary.html` of `lang`.
    pub fn glossary_context(&self, lang: &str) -> (String, TeraResult<Context>) {
        let site = self.site;
        let path = site.glossary_path(lang);
        let versions = site.glossary_versions();
        let mut common = self.common(lang, &path, &versions, None);
        let context = match self.glossary(lang) {
            Some(glossary) => {
                (common.json_ld, common.ancestors) =
                    self.place(lang, &[(glossary.title, path.clone())], Vec::new());
                to_context(&Vars {
                    common,
                    own: GlossaryVars { glossary },
                })
            }
            None => to_context(&Vars {
                common,
                own: NoVars {},
            }),
        };
        ("glossary.html".into(), context)
    }

    /// `404.html`, in the default language, with what it says in the others.
    pub fn not_found_context(&self) -> (String, TeraResult<Context>) {
        let site = self.site;
        let lang = site.config.default_language.as_str();
        let common = self.common(lang, "404.html", &[], None);
        let other_languages = site
            .config
            .languages
            .iter()
            // A language the theme has no strings for would repeat the default's text.
            .filter(|l| {
                l.code != lang && self.common[l.code.as_str()].strings != self.common[lang].strings
            })
            .map(|l| NotFoundLanguage {
                code: &l.code,
                name: &l.name,
                t: self.common[l.code.as_str()].strings.clone(),
                root_url: site.url(&site.home_path(&l.code)),
            })
            .collect();
        let context = to_context(&Vars {
            common,
            own: NotFoundVars { other_languages },
        });
        ("404.html".into(), context)
    }

    /// The pages `section` lists, once per build.
    fn listing(&self, section: &Section) -> &[PageId] {
        match self.site.section_id(&section.dir, &section.lang) {
            Some(i) => self.listings[i.index()].get_or_init(|| self.site.listing(section)),
            None => &[],
        }
    }

    /// Page `index`'s summary for readers of `reader`, converted once per build.
    fn summary_of(&self, index: PageId, reader: &str) -> &tera::Value {
        let languages = &self.site.config.languages;
        let at = languages.iter().position(|l| l.code == reader).unwrap_or(0);
        self.summaries[at][index.index()].get_or_init(|| {
            tera::Value::from_serializable(&summary(self.site, &self.site.pages[index], reader))
        })
    }

    /// A list of page summaries for readers of `reader`, sharing the converted entries.
    fn list(&self, pages: &[PageId], reader: &str) -> SummaryList {
        pages
            .iter()
            .map(|&i| self.summary_of(i, reader).clone())
            .collect::<Vec<_>>()
            .into()
    }
}

/// The newest [`RECENT_SHOWN`] pages in `lang`, newest first.
pub(super) fn recent(site: &Site, lang: &str) -> Vec<PageId> {
    let mut recent: Vec<PageId> = site
        .page_ids()
        .filter(|&i| site.pages[i].source.lang == lang)
        .collect();
    let newest_first = |a: &PageId, b: &PageId| {
        let (a, b) = (&site.pages[*a], &site.pages[*b]);
        b.meta()
            .date
            .cmp(&a.meta().date)
            .then_with(|| a.path.cmp(&b.path))
    };
    if recent.len() > RECENT_SHOWN {
        // Pages have distinct paths: the newest are the same whatever the order of the rest.
        recent.select_nth_unstable_by(RECENT_SHOWN - 1, newest_first);
        recent.truncate(RECENT_SHOWN);
    }
    recent.sort_by(newest_first);
    recent
}

/// How many of the pages that use a term a glossary page of `entries` terms lists.
pub(super) fn used_by_shown(entries: usize) -> usize {
    (USED_BY_BUDGET / entries.max(1)).clamp(1, USED_BY_SHOWN)
}

/// The breadcrumb trail of the section in folder `dir` in `lang`, its ancestors first, as
/// (title, path) pairs; empty for the home page.
fn section_trail<'s>(site: &'s Site, dir: &str, lang: &str) -> Vec<(&'s str, String)> {
    let mut trail = Vec::new();
    let mut prefix = String::new();
    for part in dir.split('/').filter(|p| !p.is_empty()) {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(part);
        if let Some(section) = site.section(&prefix, lang) {
            trail.push((section.title.as_str(), section.path.clone()));
        }
    }
    trail
}

/// A template's variables as a Tera context, field by field. Not with `#[serde(flatten)]`:
/// serde passes a flattened struct's field names as map keys, and Tera copies each into a
/// new string, for every field of every page; a struct's own fields keep their static names.
fn to_context<T: serde::Serialize>(vars: &Vars<'_, T>) -> TeraResult<Context> {
    let mut context = Context::new();
    for (key, value) in fields(&vars.common)?.into_iter().chain(fields(&vars.own)?) {
        match key {
            tera::value::Key::Str(name) => context.insert_value(name, value),
            other => context.insert_value(other.to_string(), value),
        }
    }
    Ok(context)
}

/// The fields of a struct, converted to Tera values.
fn fields<T: serde::Serialize>(vars: &T) -> TeraResult<tera::Map> {
    let value = tera::Value::try_from_serializable(vars)?;
    let kind = value.name();
    value.into_map().ok_or_else(|| {
        tera::Error::message(format!("template variables must be a map, not {kind}"))
    })
}

fn section_summary(section: &Section) -> Option<&str> {
    section
        .source
        .as_ref()
        .and_then(|s| s.meta.summary.as_deref())
}

/// `d` as readers of `lang` read it, in the style the theme gives their language.
fn date(site: &Site, d: Option<Date>, lang: &str) -> Option<TemplateDate> {
    d.map(|d| d.for_template(&site.markup.date_style(lang)))
}

/// The fields of a page that every list shows, to readers of `reader`: the dates are written
/// in their language, the rest is the page's own.
fn summary<'s>(site: &'s Site, page: &'s Page, reader: &str) -> PageSummary<'s> {
    let lang = page.source.lang.as_str();
    let meta = page.meta();
    let term_link = |kind: Taxonomy, name: &'s str| TermLink {
        name,
        url: site.url(&site.taxonomy_path(kind, lang, Some(&fallback_slug(name)))),
    };
    PageSummary {
        title: page.title(),
        summary: meta.summary.as_deref(),
        url: site.url(&page.path),
        lang,
        date: date(site, meta.date, reader),
        updated: date(site, site.updated(page), reader),
        as_of: date(site, meta.as_of, reader),
        reading_time: page.rendered.reading_time(),
        // One link a tag: names written two ways (`ＡＩ Act`, `AI Act`) are one tag.
        tags: {
            let mut links: Vec<TermLink<'s>> = Vec::with_capacity(meta.tags.len());
            for t in &meta.tags {
                let link = term_link(Taxonomy::Tags, t);
                if !links.iter().any(|l| l.url == link.url) {
                    links.push(link);
                }
            }
            links
        },
        category: meta
            .category
            .as_deref()
            .map(|c| term_link(Taxonomy::Categories, c)),
    }
}
