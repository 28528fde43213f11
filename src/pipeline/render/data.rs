//! The data each template gets, as typed structs that borrow from the site. This file is the
//! template contract: `docs/templates.md` describes these types field by field, and a field
//! added here is a variable every theme can use. Lists of pages hold [`PageSummary`] values
//! converted for Tera once per build ([`Lists`](super::context)), so a section listing
//! thousands of guides shares them instead of copying.

use std::borrow::Cow;

use serde::Serialize;

use crate::model::dates::TemplateDate;
use crate::pipeline::index::Taxonomy;
use crate::pipeline::markdown::TocEntry;

/// A list of [`PageSummary`] entries, already converted for Tera.
pub type SummaryList = tera::Value;

/// The variables every template gets.
#[derive(Serialize)]
pub struct Common<'a> {
    /// The language code of the page being rendered (`"en"`, `"ja"`).
    pub lang: &'a str,
    /// The site in this language: a [`SiteData`], converted once per language.
    pub config: tera::Value,
    /// The theme's interface strings in this language (`i18n.toml`), converted once.
    pub t: tera::Value,
    /// The absolute URL of this language's home page.
    pub root_url: String,
    /// The absolute URL of the output root, where static files land.
    pub static_url: &'a str,
    /// The absolute URL of this page, also its canonical URL.
    pub current_url: String,
    /// The meta description: the page's `summary`, else the language's description.
    pub description: &'a str,
    /// Every language version of this page that exists, this one included.
    pub alternates: Vec<Alternate<'a>>,
    /// The URL of the default language's version, for `hreflang="x-default"`.
    pub x_default_url: String,
    /// The language switcher: one entry per declared language.
    pub languages: Vec<LanguageLink<'a>>,
    /// The top-level sections in this language.
    pub nav: Vec<NavLink<'a>>,
    /// This language's glossary page, or none when the site has no glossary.
    pub glossary_url: Option<String>,
    /// The Open Graph locale of this page (`en_US`, `ja_JP`).
    pub og_locale: String,
    /// The Open Graph locales of this page's other language versions.
    pub og_locale_alternates: Vec<String>,
    /// The page's schema.org structured data as JSON-LD, ready to put inside
    /// `<script type="application/ld+json">` (`<` is escaped): a `BreadcrumbList` on every
    /// page below the home page, an `Article` on a page, a `WebSite` on the home page.
    pub json_ld: String,
    /// The way back up from this page, between the link home and the page itself: its
    /// sections (a later list page: its list's first page too), outermost first. Empty on the
    /// home page, a page directly under it and the 404 page.
    pub ancestors: Vec<Crumb>,
    /// The folder of the full-text search index (`…/search/`), or none when
    /// `[search] enabled = false`: the search box shows only when it is set.
    pub search_url: Option<String>,
}

/// `config`: the site as a template sees it in one language.
#[derive(Serialize)]
pub struct SiteData<'a> {
    /// The site title in this language (`[languages.L] title`, else `[book] title`).
    pub title: &'a str,
    /// The description in this language (`[languages.L] description`, else `[book]
    /// description`).
    pub description: &'a str,
    /// The absolute base URL with a trailing slash, sub-path included.
    pub base_url: &'a str,
    pub default_language: &'a str,
    /// `[extra]` of book.toml.
    pub extra: &'a serde_json::Value,
    /// Every declared language and its home page, the default first.
    pub languages: Vec<SiteLanguage<'a>>,
}

/// One declared language in `config.languages`.
#[derive(Serialize)]
pub struct SiteLanguage<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub title: &'a str,
    /// The language's home page.
    pub url: String,
}

/// One language version of the page being rendered, for `<link rel="alternate">`.
#[derive(Serialize)]
pub struct Alternate<'a> {
    pub lang: &'a str,
    pub url: String,
}

/// One entry of the language switcher.
#[derive(Serialize)]
pub struct LanguageLink<'a> {
    pub code: &'a str,
    pub name: &'a str,
    /// The page's translation, or, when `translated` is false, that language's home (on a
    /// tag or category page, its list of tags or categories: `list`).
    pub url: String,
    /// Whether this is the page's own language.
    pub current: bool,
    pub translated: bool,
    /// Whether `url` leads to that language's list of tags or categories.
    pub list: bool,
}

/// A top-level section in the navigation.
#[derive(Serialize)]
pub struct NavLink<'a> {
    pub title: &'a str,
    pub url: String,
    /// Whether the page being rendered is in this section.
    pub current: bool,
}

/// A page as every list shows it.
#[derive(Serialize)]
pub struct PageSummary<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub url: String,
    /// The page's language: differs from the list's when an original stands in for a
    /// missing translation.
    pub lang: &'a str,
    pub date: Option<TemplateDate>,
    /// The page's `updated`, else (with `[build] git_dates`) its file's last commit date
    /// when later than `date`.
    pub updated: Option<TemplateDate>,
    pub as_of: Option<TemplateDate>,
    /// Whole minutes, at least 1.
    pub reading_time: usize,
    pub tags: Vec<TermLink<'a>>,
    pub category: Option<TermLink<'a>>,
}

/// A tag or category of a page, linked to its page.
#[derive(Serialize)]
pub struct TermLink<'a> {
    pub name: &'a str,
    pub url: String,
}

/// `page`, in `page.html`: the fields of the page's [`PageSummary`] and these.
#[derive(Serialize)]
pub struct PageData<'a> {
    /// The rendered HTML body.
    pub content: Cow<'a, str>,
    /// Headings h2–h4 in order.
    pub toc: &'a [TocEntry],
    pub review_by: Option<TemplateDate>,
    pub sources: Vec<SourceData<'a>>,
    /// The `related` guides, in this language where a translation exists.
    pub related: SummaryList,
    /// The pages whose text links to this one.
    pub backlinks: SummaryList,
    /// The section the page is in.
    pub section: Option<SectionLink<'a>>,
    /// The page's free-form `extra` map.
    pub extra: &'a serde_json::Value,
    /// On a translation: where it stands against its original; none in the default language.
    pub translation: Option<TranslationData<'a>>,
    /// The page's change notes (`changes`), newest first.
    pub changes: Vec<ChangeData<'a>>,
}

/// One entry of a page's update history.
#[derive(Serialize)]
pub struct ChangeData<'a> {
    pub date: TemplateDate,
    /// One line saying what changed, in the page's language.
    pub note: &'a str,
}

/// One entry of a page's `sources`.
#[derive(Serialize)]
pub struct SourceData<'a> {
    pub title: &'a str,
    pub publisher: Option<&'a str>,
    pub url: Option<&'a str>,
    pub date: Option<TemplateDate>,
}

/// One step of [`Common::ancestors`].
#[derive(Serialize)]
pub struct Crumb {
    pub title: String,
    pub url: String,
}

/// A section named by a page.
#[derive(Serialize)]
pub struct SectionLink<'a> {
    pub title: &'a str,
    pub url: String,
}

/// `page.translation` (and `section.translation`): a translated page and its original.
#[derive(Serialize)]
pub struct TranslationData<'a> {
    /// `current`, `stale` or `untracked`.
    pub status: crate::model::translation::Status,
    pub original_url: String,
    pub original_lang: &'a str,
    pub original_title: &'a str,
    /// When the original was last updated, as its own page says: its `updated` (or, with
    /// `[build] git_dates`, its last commit). None rather than its `date`: a publication date
    /// presented as the last update would date a change made later.
    pub original_updated: Option<TemplateDate>,
}

/// `section`, in `section.html` and `index.html`.
#[derive(Serialize)]
pub struct SectionData<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    /// The rendered intro.
    pub content: Cow<'a, str>,
    pub url: String,
    /// The section's pages on this list page, in its `sort_by` order, originals standing in
    /// for missing translations where the language falls back (all of them on the home page).
    pub pages: SummaryList,
    pub subsections: Vec<SubsectionData<'a>>,
    /// On a section whose `_index` is a translation: where it stands against its original;
    /// none in the default language or where the section has no `_index` of its own.
    pub translation: Option<TranslationData<'a>>,
}

/// A subsection listed by its parent.
#[derive(Serialize)]
pub struct SubsectionData<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub url: String,
    /// How many pages the subsection lists.
    pub count: usize,
}

/// `taxonomy`, in `taxonomy_list.html` and `taxonomy_term.html`.
#[derive(Serialize)]
pub struct TaxonomyData<'a> {
    /// `tags` or `categories`.
    pub kind: Taxonomy,
    /// The taxonomy's name in this language.
    pub title: &'a str,
    pub url: String,
    /// Sorted by name.
    pub terms: Vec<TaxonomyTermLink<'a>>,
}

/// One tag or category in a taxonomy's list.
#[derive(Serialize)]
pub struct TaxonomyTermLink<'a> {
    pub name: &'a str,
    pub url: String,
    pub count: usize,
}

/// `term`, in `taxonomy_term.html`.
#[derive(Serialize)]
pub struct TaxonomyTermData<'a> {
    pub name: &'a str,
    pub url: String,
    /// The pages on this list page, newest first.
    pub pages: SummaryList,
    /// How many pages have the term, on every list page.
    pub count: usize,
}

/// `glossary`, in `glossary.html`.
#[derive(Serialize)]
pub struct GlossaryData<'a> {
    pub title: &'a str,
    pub url: String,
    /// The index: one group per initial letter or row of the Japanese syllabary, in order.
    pub groups: Vec<GlossaryGroup<'a>>,
}

/// One group of the glossary's index.
#[derive(Serialize)]
pub struct GlossaryGroup<'a> {
    pub label: String,
    /// The group's anchor (`group-1`, …).
    pub id: String,
    pub entries: Vec<GlossaryEntry<'a>>,
}

/// One term on a glossary page.
#[derive(Serialize)]
pub struct GlossaryEntry<'a> {
    /// The stable anchor (`#aisi`).
    pub id: &'a str,
    pub term: &'a str,
    pub abbr: Option<&'a str>,
    pub aliases: &'a [String],
    pub reading: Option<&'a str>,
    /// The definition as HTML.
    pub definition: &'a str,
    pub see_also: Vec<GlossaryLink<'a>>,
    /// The same entry in the other languages.
    pub translations: Vec<GlossaryTranslation<'a>>,
    /// The pages in this language that use the term, at most
    /// [`USED_BY_SHOWN`](super::context::USED_BY_SHOWN), fewer on a glossary of more than 15
    /// terms ([`USED_BY_BUDGET`](super::context::USED_BY_BUDGET) links on the page in all).
    pub used_by: SummaryList,
    /// How many pages in this language use the term.
    pub used_by_count: usize,
}

/// A see-also link to another entry.
#[derive(Serialize)]
pub struct GlossaryLink<'a> {
    pub id: &'a str,
    pub term: &'a str,
    pub url: String,
}

/// The same entry in another language.
#[derive(Serialize)]
pub struct GlossaryTranslation<'a> {
    pub lang: &'a str,
    /// The language's name.
    pub name: &'a str,
    pub term: &'a str,
    pub url: String,
}

/// The variables of one template: the fields of [`Common`] and of the template's own, side
/// by side.
pub struct Vars<'a, T: Serialize> {
    pub common: Common<'a>,
    pub own: T,
}

/// `page.html` (or a page's own `template`).
#[derive(Serialize)]
pub struct PageVars {
    /// The fields of a [`PageSummary`] and of a [`PageData`], in one map.
    pub page: tera::Value,
}

/// `section.html` and `index.html` (or a section's own `template`).
#[derive(Serialize)]
pub struct SectionVars<'a> {
    pub section: SectionData<'a>,
    /// On the home page only: the newest pages in the language, at most
    /// [`RECENT_SHOWN`](super::context::RECENT_SHOWN).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recent: Option<SummaryList>,
    /// Where this list page stands among the section's list pages; none on the home page.
    pub paginator: Option<Paginator>,
}

/// `paginator`: one page of a paginated list (a section, a tag or a category).
#[derive(Serialize)]
pub struct Paginator {
    /// This list page's number, from 1.
    pub number: usize,
    pub total_pages: usize,
    pub per_page: usize,
    /// How many entries the whole list has.
    pub total_items: usize,
    /// The 1-based positions of the first and last entries shown here (0 when empty).
    pub first_item: usize,
    pub last_item: usize,
    /// The list's own URL (page 1).
    pub first_url: String,
    pub last_url: String,
    /// For `rel="prev"` / `rel="next"`: none on the first / last page.
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    /// Numbered links: the first and last pages and those around this one, in order.
    pub pages: Vec<PagerLink>,
}

/// One numbered link of a pager.
#[derive(Serialize)]
pub struct PagerLink {
    pub number: usize,
    pub url: String,
    /// Whether this is the page being rendered.
    pub current: bool,
    /// Whether numbers were skipped before this one (show "…").
    pub gap_before: bool,
}

/// `taxonomy_list.html`.
#[derive(Serialize)]
pub struct TaxonomyVars {
    /// A [`TaxonomyData`], converted once per taxonomy and language.
    pub taxonomy: tera::Value,
}

/// `taxonomy_term.html`.
#[derive(Serialize)]
pub struct TaxonomyTermVars<'a> {
    /// A [`TaxonomyData`], converted once per taxonomy and language: every list page of
    /// every term has it.
    pub taxonomy: tera::Value,
    pub term: TaxonomyTermData<'a>,
    /// Where this list page stands among the term's list pages.
    pub paginator: Paginator,
}

/// `glossary.html`.
#[derive(Serialize)]
pub struct GlossaryVars<'a> {
    pub glossary: GlossaryData<'a>,
}

/// Only the common variables (`glossary.html` on a site without a glossary).
#[derive(Serialize)]
pub struct NoVars {}

/// `404.html`: the common variables, in the default language, and what the page says in each
/// other language: a host serves one 404 page to readers of every language.
#[derive(Serialize)]
pub struct NotFoundVars<'a> {
    pub other_languages: Vec<NotFoundLanguage<'a>>,
}

/// Another language on the 404 page.
#[derive(Serialize)]
pub struct NotFoundLanguage<'a> {
    pub code: &'a str,
    pub name: &'a str,
    /// That language's strings, as `t` on its own pages.
    pub t: tera::Value,
    /// Its home page.
    pub root_url: String,
}
