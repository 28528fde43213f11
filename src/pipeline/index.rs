//! The index stage: turns loaded files into a `Site` — every page and section with its
//! language, slug and URL, the translation pairs, and the lookups later stages need.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diag::{Code, Diagnostic, Reported, did_you_mean};
use crate::model::config::Config;
use crate::model::content_path::normalise_content_path;
use crate::model::dates::Date;
use crate::model::frontmatter::{FrontMatter, Kind, SortBy};
pub use crate::model::slug::fallback_slug;
use crate::model::slug::{MAX_SEGMENT, is_safe_segment, visible};
use crate::model::translation::{Status, status_of};
use crate::pipeline::glossary::Glossary;
use crate::pipeline::hash::FxMap;
use crate::pipeline::ids::{PageId, SectionId, TermId, index_by};
use crate::pipeline::load::{Asset, Loaded, SourceFile};
use crate::pipeline::markdown::Rendered;
use crate::pipeline::markup::InlineMarkup;

/// A page in one language.
#[derive(Debug)]
pub struct Page {
    pub source: SourceFile,
    pub slug: String,
    /// URL path relative to the base URL, always ending in `/` (`ja/guides/ai-act/`).
    pub path: String,
    pub rendered: Rendered,
    /// The pages whose body links here, sorted.
    pub backlinks: Vec<PageId>,
}

impl Page {
    pub fn meta(&self) -> &FrontMatter {
        &self.source.meta
    }

    pub fn title(&self) -> &str {
        self.source.meta.title.as_deref().unwrap_or(&self.slug)
    }
}

/// A section (a folder of `content/`) in one language. Every folder is a section in every
/// declared language; its `_index.LANG.md` is optional.
#[derive(Debug)]
pub struct Section {
    /// Folder relative to `content/` (`` for the home page).
    pub dir: String,
    pub lang: String,
    /// The `_index` file, or the default language's when this language has none.
    pub source: Option<SourceFile>,
    pub title: String,
    pub path: String,
    pub rendered: Rendered,
    /// The pages its intro links to, sorted: a page linked only from an intro is not an
    /// orphan.
    pub links_to: Vec<PageId>,
    /// The pages in this section and language, sorted.
    pub pages: Vec<PageId>,
    /// The direct subsections in this language.
    pub subsections: Vec<SectionId>,
    /// How its list is ordered: its `_index`'s `sort_by`, else the default language's.
    pub sort_by: SortBy,
    /// Entries per list page from its `_index`'s `paginate_by`, else the default language's;
    /// `None` for book.toml's.
    pub paginate_by: Option<usize>,
    /// How many of the default language's originals its list shows besides its own pages
    /// ([`Site::listing`]), counted once when the site is indexed: every list page's language
    /// versions ask for its length, and counting walks the default language's section.
    fallback_count: usize,
}

index_by!(PageId => Page);
index_by!(SectionId => Section);

/// What is at an address of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addressed {
    Page(PageId),
    Section(SectionId),
}

/// One tag or category in one language.
#[derive(Debug)]
pub struct TaxonomyTerm {
    pub name: String,
    pub slug: String,
    pub pages: Vec<PageId>,
}

/// A taxonomy kind; templates see it as `"tags"` or `"categories"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Taxonomy {
    Tags,
    Categories,
}

impl Taxonomy {
    pub const ALL: [Taxonomy; 2] = [Taxonomy::Tags, Taxonomy::Categories];

    pub fn slug(self) -> &'static str {
        match self {
            Taxonomy::Tags => "tags",
            Taxonomy::Categories => "categories",
        }
    }
}

/// The whole site, indexed.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// Sorted by (key, language).
    pub pages: Vec<Page>,
    /// Sorted by (folder, language).
    pub sections: Vec<Section>,
    pub assets: Vec<Asset>,
    /// Per (taxonomy, language): terms sorted by slug.
    pub taxonomies: BTreeMap<(Taxonomy, String), Vec<TaxonomyTerm>>,
    /// (key, language) of drafts left out of this build.
    pub drafts: HashSet<(String, String)>,
    /// Content keys of Markdown files left out because they have errors ([`Loaded::unreadable`]).
    pub unreadable: HashSet<String>,
    /// Files in content/ left out of the site ([`Loaded::left_out`]).
    pub left_out: HashSet<String>,
    /// Every page's and section's address, made the first time a link written from the site's
    /// root asks ([`Site::at_address`]). Addresses change only with a slug, a file or a
    /// draft, which `serve` rebuilds in full, so it stays right for the site's life.
    addresses: std::sync::OnceLock<HashMap<String, Addressed>>,
    pub glossary: Option<Glossary>,
    /// The theme's markup for linked glossary terms and language badges, rendered once per
    /// build (empty when the theme has errors).
    pub markup: InlineMarkup,
    /// For each glossary term (by [`TermId`]), the pages that use it, sorted (filled by the
    /// link stage; read it with [`Site::uses_of`]).
    pub term_uses: Vec<Vec<PageId>>,
    /// `[build] git_dates`: each content file's last commit date (empty when off).
    pub git_dates: HashMap<String, Date>,
    page_by_key: ByKeyAndLang<PageId>,
    section_by_dir: ByKeyAndLang<SectionId>,
}

/// Ids by a key (a page's content path, a section's folder) and a language, found without
/// allocating: the link stage looks pages up several times for each of a site's links.
#[derive(Debug)]
struct ByKeyAndLang<Id> {
    map: FxMap<String, Vec<(String, Id)>>,
}

impl<Id: Copy> ByKeyAndLang<Id> {
    /// The last id given for a key and language counts, as with a map's `insert`.
    fn new(entries: impl Iterator<Item = (String, String, Id)>) -> Self {
        let mut map: FxMap<String, Vec<(String, Id)>> = FxMap::default();
        for (key, lang, id) in entries {
            let langs = map.entry(key).or_default();
            match langs.iter_mut().find(|(l, _)| *l == lang) {
                Some(entry) => entry.1 = id,
                None => langs.push((lang, id)),
            }
        }
        ByKeyAndLang { map }
    }

    fn get(&self, key: &str, lang: &str) -> Option<Id> {
        let langs = self.map.get(key)?;
        langs.iter().find(|(l, _)| l == lang).map(|&(_, id)| id)
    }

    /// Every key, once.
    fn keys(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }
}

impl Site {
    /// Indexes what the load stage found: every page's URL, the sections and what they list,
    /// the taxonomies. Nothing is rendered yet.
    pub fn index(root: PathBuf, config: Config, loaded: Loaded) -> Reported<Site> {
        let mut errors = Vec::new();
        let (mut section_sources, mut page_sources): (Vec<SourceFile>, Vec<SourceFile>) = loaded
            .sources
            .into_iter()
            .partition(|s| s.kind == Kind::Section);
        page_sources.par_sort_by(|a, b| (&a.key, &a.lang).cmp(&(&b.key, &b.lang)));
        section_sources.sort_by(|a, b| (&a.section, &a.lang).cmp(&(&b.section, &b.lang)));

        let pages = place_pages(&config, page_sources, &mut errors);
        let page_by_key = ByKeyAndLang::new(
            pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.source.key.clone(), p.source.lang.clone(), PageId::new(i))),
        );
        let mut sections = make_sections(&config, &pages, section_sources);
        let section_by_dir = ByKeyAndLang::new(
            sections
                .iter()
                .enumerate()
                .map(|(i, s)| (s.dir.clone(), s.lang.clone(), SectionId::new(i))),
        );
        fill_sections(&mut sections, &pages, &section_by_dir);
        errors.extend(check_related(
            &pages,
            &page_by_key,
            &loaded.unreadable,
            &loaded.drafts,
        ));
        let taxonomies = taxonomies(&config, &pages);
        let git_dates = if config.git_dates {
            crate::model::git_dates::last_commit_dates(&root)
        } else {
            HashMap::new()
        };

        let mut site = Site {
            root,
            config,
            pages,
            sections,
            assets: loaded.assets,
            taxonomies,
            page_by_key,
            section_by_dir,
            drafts: loaded.drafts.into_iter().collect(),
            unreadable: loaded.unreadable.into_iter().collect(),
            left_out: loaded.left_out.into_iter().collect(),
            addresses: std::sync::OnceLock::new(),
            glossary: None,
            markup: InlineMarkup::default(),
            term_uses: Vec::new(),
            git_dates,
        };
        // Which pages have which versions changes only with a full build: an edit that adds
        // or removes a page or a translation, or moves or drafts one, rebuilds the site.
        let counts: Vec<usize> = site
            .sections
            .iter()
            .map(|section| site.fallbacks(section).count())
            .collect();
        for (section, count) in site.sections.iter_mut().zip(counts) {
            section.fallback_count = count;
        }
        Reported::new(site, errors)
    }

    /// When a page was last updated, as readers are told: its `updated`, else (with
    /// `[build] git_dates`) the last commit of its file when later than `date`.
    pub fn updated(&self, page: &Page) -> Option<Date> {
        self.updated_source(&page.source)
    }

    /// [`Site::updated`] of any content file, a section's `_index` included.
    pub fn updated_source(&self, source: &SourceFile) -> Option<Date> {
        let meta = &source.meta;
        meta.updated.or_else(|| {
            self.git_dates
                .get(&source.file)
                .copied()
                .filter(|d| meta.date.is_none_or(|p| *d > p))
        })
    }

    /// Every page's id, in order.
    pub fn page_ids(&self) -> impl Iterator<Item = PageId> + use<> {
        (0..self.pages.len()).map(PageId::new)
    }

    /// Every section's id, in order.
    pub fn section_ids(&self) -> impl Iterator<Item = SectionId> + use<> {
        (0..self.sections.len()).map(SectionId::new)
    }

    /// The pages that use glossary term `term` (none before the link stage ran).
    pub fn uses_of(&self, term: TermId) -> &[PageId] {
        self.term_uses.get(term.index()).map_or(&[], Vec::as_slice)
    }

    /// The id of the page with content path `key` in `lang`, if it exists.
    pub fn page_id(&self, key: &str, lang: &str) -> Option<PageId> {
        self.page_by_key.get(key, lang)
    }

    /// The page with content path `key` in `lang`, if it exists.
    pub fn page(&self, key: &str, lang: &str) -> Option<&Page> {
        self.page_id(key, lang).map(|i| &self.pages[i])
    }

    /// The version of `key` a reader of `lang` should get: the translation if there is one,
    /// else the default language's original, else any version.
    pub fn page_id_for_reader(&self, key: &str, lang: &str) -> Option<PageId> {
        self.page_id(key, lang)
            .or_else(|| self.page_id(key, &self.config.default_language))
            .or_else(|| {
                self.config
                    .languages
                    .iter()
                    .find_map(|l| self.page_id(key, &l.code))
            })
    }

    pub fn section(&self, dir: &str, lang: &str) -> Option<&Section> {
        self.section_id(dir, lang).map(|i| &self.sections[i])
    }

    /// The id of the section of folder `dir` in `lang`, if it exists.
    pub fn section_id(&self, dir: &str, lang: &str) -> Option<SectionId> {
        self.section_by_dir.get(dir, lang)
    }

    /// Every content key of a page, for suggestions.
    pub fn page_keys(&self) -> impl Iterator<Item = &str> {
        self.page_by_key.keys()
    }

    /// Absolute URL of an output path relative to the base.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_url)
    }

    /// Path of a language's home relative to the base (`` or `ja/`).
    pub fn home_path(&self, lang: &str) -> String {
        lang_prefix(&self.config, lang)
    }

    /// Path of a taxonomy's list page, and of one of its terms, in `lang`.
    pub fn taxonomy_path(&self, kind: Taxonomy, lang: &str, term: Option<&str>) -> String {
        let base = format!("{}{}/", lang_prefix(&self.config, lang), kind.slug());
        match term {
            Some(slug) => format!("{base}{slug}/"),
            None => base,
        }
    }

    /// The page or section whose address is `path` (`guides/x/`, `ja/guides/`), or the page
    /// an alias at `path` leads to (a link to a page's earlier address goes to the page).
    pub fn at_address(&self, path: &str) -> Option<Addressed> {
        self.addresses
            .get_or_init(|| {
                let pages = self
                    .page_ids()
                    .map(|i| (self.pages[i].path.clone(), Addressed::Page(i)));
                let sections = self
                    .section_ids()
                    .map(|i| (self.sections[i].path.clone(), Addressed::Section(i)));
                let mut addresses: HashMap<String, Addressed> = pages.chain(sections).collect();
                // An alias taking a page's address is an error of its own (`claims`).
                for (file, i, _) in crate::pipeline::aliases::paths(self) {
                    let address = match file.strip_suffix("index.html") {
                        Some(folder) => folder.to_string(),
                        None => format!("{file}/"),
                    };
                    addresses.entry(address).or_insert(Addressed::Page(i));
                }
                addresses
            })
            .get(path)
            .copied()
    }

    /// The (language, path) of every language's list of `kind` (`/tags/`, `/ja/tags/`): the
    /// languages that have one, in the order of `book.toml`.
    pub fn taxonomy_list_versions(&self, kind: Taxonomy) -> Vec<(&str, String)> {
        self.config
            .languages
            .iter()
            .filter(|l| self.taxonomies.contains_key(&(kind, l.code.clone())))
            .map(|l| (l.code.as_str(), self.taxonomy_path(kind, &l.code, None)))
            .collect()
    }

    /// The (language, path) of every language's page of the tag or category `slug`: a name
    /// that both languages use (`AISI`) has a page in each.
    pub fn taxonomy_term_versions(&self, kind: Taxonomy, slug: &str) -> Vec<(&str, String)> {
        self.config
            .languages
            .iter()
            .filter(|l| {
                self.taxonomies
                    .get(&(kind, l.code.clone()))
                    .is_some_and(|terms| {
                        terms
                            .binary_search_by(|t| t.slug.as_str().cmp(slug))
                            .is_ok()
                    })
            })
            .map(|l| {
                (
                    l.code.as_str(),
                    self.taxonomy_path(kind, &l.code, Some(slug)),
                )
            })
            .collect()
    }

    /// The (language, path) of every language's glossary page, in the order of `book.toml`.
    pub fn glossary_versions(&self) -> Vec<(&str, String)> {
        self.config
            .languages
            .iter()
            .map(|l| (l.code.as_str(), self.glossary_path(&l.code)))
            .collect()
    }

    /// Path of a language's glossary page relative to the base.
    pub fn glossary_path(&self, lang: &str) -> String {
        format!("{}glossary/", lang_prefix(&self.config, lang))
    }

    /// The pages a section's list shows: its own pages and, where its language has
    /// `fallback` (the default), the default language's originals that have no version in
    /// that language, sorted together by the section's `sort_by`.
    pub fn listing(&self, section: &Section) -> Vec<PageId> {
        let mut list = section.pages.clone();
        let before = list.len();
        list.extend(self.fallbacks(section));
        if list.len() > before {
            sort_pages(&mut list, &self.pages, section.sort_by);
        }
        list
    }

    /// How many pages [`Site::listing`] lists, without sorting them.
    pub fn listing_len(&self, section: &Section) -> usize {
        section.pages.len() + section.fallback_count
    }

    /// The default language's originals a section's list shows besides its own pages.
    fn fallbacks<'s>(&'s self, section: &'s Section) -> impl Iterator<Item = PageId> + 's {
        let fallback = self
            .config
            .language(&section.lang)
            .is_some_and(|l| l.fallback)
            && !self.config.is_default(&section.lang);
        let original = fallback
            .then(|| self.section(&section.dir, &self.config.default_language))
            .flatten();
        original
            .into_iter()
            .flat_map(|o| o.pages.iter().copied())
            .filter(move |&i| !self.has_version(i, &section.lang))
    }

    /// Whether page `i`'s content path has a version in `lang` (`i` itself, maybe), as
    /// [`Site::page_id`] finds it: with the pages sorted by (key, language), the versions of
    /// one path are neighbours, which spares a lookup of a new key per page.
    fn has_version(&self, i: PageId, lang: &str) -> bool {
        let key = &self.pages[i].source.key;
        let (before, from) = self.pages.split_at(i.index());
        let same = |p: &&Page| p.source.key == *key;
        before
            .iter()
            .rev()
            .take_while(same)
            .chain(from.iter().take_while(same))
            .any(|p| p.source.lang == lang)
    }

    /// The versions of `key` in every language that has one, in the config's language order.
    pub fn translations(&self, key: &str) -> impl Iterator<Item = &Page> {
        self.config
            .languages
            .iter()
            .filter_map(move |l| self.page(key, &l.code))
    }
}

/// What a translated page knows about its original, for the page template.
#[derive(Debug, Clone, Copy)]
pub struct PageTranslation {
    pub status: Status,
    /// The default language's original.
    pub original: PageId,
}

/// Where a translated section's `_index` stands against its original.
#[derive(Debug, Clone, Copy)]
pub struct SectionTranslation {
    pub status: Status,
    /// The default language's section.
    pub original: SectionId,
}

impl Site {
    /// The translation status of page `page`: `None` for a page in the default language or
    /// one whose original is not in the site.
    pub fn translation_status(&self, page: PageId) -> Option<PageTranslation> {
        let page = &self.pages[page];
        if self.config.is_default(&page.source.lang) {
            return None;
        }
        let original = self.page_id(&page.source.key, &self.config.default_language)?;
        let status = status_of(page.meta(), || self.pages[original].source.blob.clone());
        Some(PageTranslation { status, original })
    }

    /// The translation status of section `section`'s `_index` file: `None` in the default
    /// language, for a section with no `_index` in its own language (it shows the original's),
    /// or when the default language's section has no `_index`.
    pub fn section_translation_status(&self, section: SectionId) -> Option<SectionTranslation> {
        let section = &self.sections[section];
        let source = section.source.as_ref()?;
        if self.config.is_default(&section.lang) || source.lang != section.lang {
            return None;
        }
        let original = self.section_id(&section.dir, &self.config.default_language)?;
        let original_source = self.sections[original].source.as_ref()?;
        let status = status_of(&source.meta, || original_source.blob.clone());
        Some(SectionTranslation { status, original })
    }

    /// Sorts page `i`'s section again and updates the tags and categories `terms` (as
    /// (taxonomy, slug)) of its language, after its front matter changed (`serve`'s
    /// incremental rebuilds): `terms` must hold every one it was or is on. Leaves the lists as
    /// [`Site::index`] makes them from the pages as they are now; a term left with no page is
    /// removed.
    pub fn refresh_lists_of(&mut self, i: PageId, terms: &[(Taxonomy, String)]) {
        let page = &self.pages[i];
        if let Some(s) = self.section_id(&page.source.section, &page.source.lang) {
            let section = &mut self.sections[s];
            sort_pages(&mut section.pages, &self.pages, section.sort_by);
        }
        let pages = &self.pages;
        for (kind, slug) in terms {
            let Some(list) = self.taxonomies.get_mut(&(*kind, page.source.lang.clone())) else {
                continue;
            };
            let on_it = term_name(page.meta(), *kind, slug).is_some();
            let at = match list.binary_search_by(|t| t.slug.as_str().cmp(slug)) {
                Ok(at) => at,
                Err(_) if !on_it => continue,
                Err(at) => {
                    list.insert(
                        at,
                        TaxonomyTerm {
                            name: String::new(),
                            slug: slug.clone(),
                            pages: Vec::new(),
                        },
                    );
                    at
                }
            };
            let term = &mut list[at];
            term.pages.retain(|&p| p != i);
            if on_it {
                term.pages.push(i);
            }
            // The name is the one the first page (in page order) gives it.
            match term.pages.iter().min() {
                Some(&first) => {
                    if let Some(name) = term_name(pages[first].meta(), *kind, slug) {
                        term.name = name.to_string();
                    }
                    sort_pages(&mut term.pages, pages, SortBy::Date);
                }
                None => {
                    list.remove(at);
                }
            }
        }
    }
}

/// The first name a page gives the tag or category `slug` of `kind`, if it has it.
fn term_name<'m>(meta: &'m FrontMatter, kind: Taxonomy, slug: &str) -> Option<&'m str> {
    let names: Vec<&String> = match kind {
        Taxonomy::Tags => meta.tags.iter().collect(),
        Taxonomy::Categories => meta.category.iter().collect(),
    };
    names
        .into_iter()
        .find(|name| fallback_slug(name) == slug)
        .map(String::as_str)
}

/// Sorts every section's pages by the section's `sort_by`.
fn sort_sections(sections: &mut [Section], pages: &[Page]) {
    for section in sections {
        sort_pages(&mut section.pages, pages, section.sort_by);
    }
}

/// The tags and categories of every language, each term's pages newest first.
fn taxonomies(config: &Config, pages: &[Page]) -> BTreeMap<(Taxonomy, String), Vec<TaxonomyTerm>> {
    let mut taxonomies = BTreeMap::new();
    for kind in Taxonomy::ALL {
        for lang in &config.languages {
            let mut terms: BTreeMap<String, TaxonomyTerm> = BTreeMap::new();
            // Each name's slug, made once: a large site names its few tags many times over.
            let mut slugs: FxMap<&str, String> = FxMap::default();
            for (i, page) in pages.iter().enumerate() {
                let i = PageId::new(i);
                if page.source.lang != lang.code {
                    continue;
                }
                let names: Vec<&String> = match kind {
                    Taxonomy::Tags => page.meta().tags.iter().collect(),
                    Taxonomy::Categories => page.meta().category.iter().collect(),
                };
                for name in names {
                    let slug = slugs.entry(name).or_insert_with(|| fallback_slug(name));
                    if !terms.contains_key(slug.as_str()) {
                        let term = TaxonomyTerm {
                            name: name.clone(),
                            slug: slug.clone(),
                            pages: Vec::new(),
                        };
                        terms.insert(slug.clone(), term);
                    }
                    // Pages come in order, so a page naming a tag twice is the last one added.
                    if let Some(term) = terms.get_mut(slug.as_str())
                        && term.pages.last() != Some(&i)
                    {
                        term.pages.push(i);
                    }
                }
            }
            let mut terms: Vec<TaxonomyTerm> = terms.into_values().collect();
            for term in &mut terms {
                sort_pages(&mut term.pages, pages, SortBy::Date);
            }
            taxonomies.insert((kind, lang.code.clone()), terms);
        }
    }
    taxonomies
}

/// Gives every page its slug and URL path; a page whose slug cannot be a URL segment is
/// reported and left out. Two pages at one URL are reported by the output map (`claims`), with
/// everything else that writes files.
fn place_pages(
    config: &Config,
    sources: Vec<SourceFile>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Page> {
    let mut pages: Vec<Page> = Vec::with_capacity(sources.len());
    for source in sources {
        let slug = match &source.meta.slug {
            Some(s) if is_safe_segment(&s.value) => s.value.clone(),
            Some(s) if s.value.len() > MAX_SEGMENT => {
                errors.push(
                    Diagnostic::error(
                        Code::BadSlug,
                        &source.file,
                        format!(
                            "`slug` is {} bytes long, and a folder name may have at most {MAX_SEGMENT}",
                            s.value.len()
                        ),
                    )
                    .at(s.line, 1)
                    .suggest("shorten it (a Japanese character takes 3 bytes)"),
                );
                continue;
            }
            Some(s) => {
                errors.push(
                    Diagnostic::error(
                        Code::BadSlug,
                        &source.file,
                        format!(
                            "`slug: {}` is not a single safe URL segment",
                            visible(&s.value)
                        ),
                    )
                    .at(s.line, 1)
                    .suggest(match fallback_slug(&s.value) {
                        example if example.is_empty() => {
                            "use letters, digits and dashes only, or remove `slug` to take the file's name"
                                .to_string()
                        }
                        example => {
                            format!("use letters, digits and dashes only, such as `{example}`")
                        }
                    }),
                );
                continue;
            }
            None if is_safe_segment(&source.file_slug) => source.file_slug.clone(),
            None => {
                errors.push(
                    Diagnostic::error(
                        Code::BadSlug,
                        &source.file,
                        format!(
                            "the file name `{}` cannot be used in a URL",
                            visible(&source.file_slug)
                        ),
                    )
                    .suggest(match fallback_slug(&source.file_slug) {
                        example if example.is_empty() => {
                            "rename the file with letters, digits and dashes, or set `slug`"
                                .to_string()
                        }
                        example => format!(
                            "rename the file with letters, digits and dashes (such as `{example}.md`), or set `slug`"
                        ),
                    }),
                );
                continue;
            }
        };
        let path = format!(
            "{}{}{slug}/",
            lang_prefix(config, &source.lang),
            dir_prefix(&source.section)
        );
        pages.push(Page {
            source,
            slug,
            path,
            rendered: Rendered::default(),
            backlinks: Vec::new(),
        });
    }
    pages
}

/// One section per folder with content (and each of its ancestors) and language. A language
/// without its own `_index` borrows the default language's title and intro; one with its own
/// takes the list settings (`sort_by`, `paginate_by`) it does not set from the default
/// language's, since a translation of the intro translates words and should not change how
/// the section is listed.
fn make_sections(
    config: &Config,
    pages: &[Page],
    section_sources: Vec<SourceFile>,
) -> Vec<Section> {
    let mut dirs: BTreeSet<String> = BTreeSet::from([String::new()]);
    for dir in pages
        .iter()
        .map(|p| p.source.section.as_str())
        .chain(section_sources.iter().map(|s| s.section.as_str()))
    {
        let mut d = dir;
        while !d.is_empty() {
            dirs.insert(d.to_string());
            d = d.rsplit_once('/').map_or("", |(parent, _)| parent);
        }
    }
    let mut by_dir_lang: HashMap<(String, String), SourceFile> = section_sources
        .into_iter()
        .map(|s| ((s.section.clone(), s.lang.clone()), s))
        .collect();
    let mut sections = Vec::new();
    for dir in &dirs {
        for lang in config.languages.iter().map(|l| l.code.clone()) {
            let own = by_dir_lang.remove(&(dir.clone(), lang.clone()));
            sections.push((dir.clone(), lang, own));
        }
    }
    let defaults: HashMap<String, SourceFile> = sections
        .iter_mut()
        .filter(|(_, lang, _)| config.is_default(lang))
        .filter_map(|(dir, _, own)| own.take().map(|s| (dir.clone(), s)))
        .collect();
    sections
        .into_iter()
        .map(|(dir, lang, own)| {
            let source = own.or_else(|| defaults.get(&dir).cloned());
            let title = source
                .as_ref()
                .and_then(|s| s.meta.title.clone())
                .unwrap_or_else(|| folder_title(&dir, config, &lang));
            let own_meta = source.as_ref().map(|s| &s.meta);
            let default_meta = defaults.get(&dir).map(|s| &s.meta);
            let sort_by = own_meta
                .filter(|m| m.key_lines.contains_key("sort_by"))
                .or(default_meta)
                .map_or(SortBy::default(), |m| m.sort_by);
            let paginate_by = own_meta
                .and_then(|m| m.paginate_by)
                .or_else(|| default_meta.and_then(|m| m.paginate_by));
            Section {
                sort_by,
                paginate_by,
                path: format!("{}{}", lang_prefix(config, &lang), dir_prefix(&dir)),
                dir,
                lang,
                source,
                title,
                rendered: Rendered::default(),
                links_to: Vec::new(),
                pages: Vec::new(),
                subsections: Vec::new(),
                fallback_count: 0,
            }
        })
        .collect()
}

/// Puts every page in its section and every section in its parent, then sorts them.
fn fill_sections(
    sections: &mut [Section],
    pages: &[Page],
    section_by_dir: &ByKeyAndLang<SectionId>,
) {
    for (i, page) in pages.iter().enumerate() {
        if let Some(s) = section_by_dir.get(&page.source.section, &page.source.lang) {
            sections[s].pages.push(PageId::new(i));
        }
    }
    for i in 0..sections.len() {
        if sections[i].dir.is_empty() {
            continue;
        }
        let parent = sections[i].dir.rsplit_once('/').map_or("", |(p, _)| p);
        if let Some(p) = section_by_dir.get(parent, &sections[i].lang) {
            sections[p].subsections.push(SectionId::new(i));
        }
    }
    sort_sections(sections, pages);
}

/// Every `related` entry must name a page of the site. A page left out for errors of its own
/// is not named again (its errors are reported at their lines); a draft is named as one.
fn check_related(
    pages: &[Page],
    page_by_key: &ByKeyAndLang<PageId>,
    unreadable: &[String],
    drafts: &[(String, String)],
) -> Vec<Diagnostic> {
    let keys: HashSet<&str> = page_by_key.keys().collect();
    let mut errors = Vec::new();
    for page in pages {
        for related in &page.source.meta.related {
            let key = normalise_content_path(&related.value);
            if keys.contains(key.as_str()) || unreadable.contains(&key) {
                continue;
            }
            if drafts.iter().any(|(k, _)| *k == key) {
                errors.push(
                    Diagnostic::error(
                        Code::Related,
                        &page.source.file,
                        format!(
                            "related guide `{}` is a draft and is not published",
                            related.value
                        ),
                    )
                    .at(related.line, 1)
                    .suggest("publish it (remove `draft: true`) or remove it from `related`"),
                );
            } else {
                errors.push(
                    Diagnostic::error(
                        Code::Related,
                        &page.source.file,
                        format!("related guide `{}` does not exist", related.value),
                    )
                    .at(related.line, 1)
                    .maybe_suggest(
                        did_you_mean(&key, keys.iter().copied()).or_else(|| {
                            Some("write the path from content/, such as `guides/ai-act.md`".into())
                        }),
                    ),
                );
            }
        }
    }
    errors
}

fn lang_prefix(config: &Config, lang: &str) -> String {
    if config.is_default(lang) {
        String::new()
    } else {
        format!("{lang}/")
    }
}

fn dir_prefix(dir: &str) -> String {
    if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    }
}

fn folder_title(dir: &str, config: &Config, lang: &str) -> String {
    if dir.is_empty() {
        return config.title_in(lang).to_string();
    }
    let name = dir
        .rsplit('/')
        .next()
        .unwrap_or(dir)
        .replace(['-', '_'], " ");
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Sorts a list of pages: by weight (then date, newest first), by date (newest first), or by title;
/// always ending with the URL so ties are broken the same way every build.
fn sort_pages(list: &mut [PageId], pages: &[Page], by: SortBy) {
    list.par_sort_by(|&a, &b| {
        let (a, b) = (&pages[a], &pages[b]);
        let by_date = b.meta().date.cmp(&a.meta().date);
        let order = match by {
            SortBy::Weight => a.meta().weight.cmp(&b.meta().weight).then(by_date),
            SortBy::Date => by_date,
            SortBy::Title => a.title().to_lowercase().cmp(&b.title().to_lowercase()),
        };
        order.then_with(|| a.path.cmp(&b.path))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_paths_normalise() {
        assert_eq!(
            normalise_content_path("@/guides/ai-act.md"),
            "guides/ai-act.md"
        );
        assert_eq!(
            normalise_content_path("guides/report/"),
            "guides/report/index.md"
        );
        assert_eq!(
            normalise_content_path("guides/ai-act.ja.md"),
            "guides/ai-act.md"
        );
        assert_eq!(
            normalise_content_path("/guides/ai-act.md"),
            "guides/ai-act.md"
        );
    }
}
