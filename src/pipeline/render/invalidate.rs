//! What shows what: the reverse of the template data builders ([`super::context`]), for
//! `serve`'s incremental rebuilds. Each rule says which outputs must be rendered again when a
//! page, a glossary term or a section changes; a field added to a builder that shows
//! something of another page needs its rule here too, and the preview's equivalence tests
//! fail otherwise.

use crate::model::content_path::normalise_content_path;
use crate::model::frontmatter::FrontMatter;
use crate::pipeline::ids::{PageId, SectionId, TermId};
use crate::pipeline::index::{Site, Taxonomy, fallback_slug};
use crate::pipeline::link::Relinked;
use crate::pipeline::render::Selection;
use crate::pipeline::render::{context, pagination};

// The template data the rules below name.
#[cfg(doc)]
use crate::pipeline::render::data::*;

/// The translations of the changed originals in `pages` that record a version: their stale
/// notice ([`PageData::translation`]) depends on the original's bytes. For a body-only edit.
pub fn shown_by_bodies(site: &Site, pages: &[PageId]) -> Vec<PageId> {
    let mut shown = pages.to_vec();
    for &i in pages {
        let page = &site.pages[i];
        if !site.config.is_default(&page.source.lang) {
            continue;
        }
        shown.extend(
            site.translations(&page.source.key)
                .filter(|t| t.meta().translated_from.is_some())
                .filter_map(|t| site.page_id(&t.source.key, &t.source.lang))
                .filter(|&t| t != i),
        );
    }
    shown.sort_unstable();
    shown.dedup();
    shown
}

/// Everything that shows something of page `i` after an edit of its front matter, headings or
/// links that kept its URL: the page; its translations ([`PageData::translation`],
/// [`Common::alternates`]); the pages linking to it (`linking`: their bodies show its title)
/// and linked from it ([`PageData::backlinks`]); pages listing it as related
/// ([`PageData::related`]); its section and the home page in every language
/// ([`SectionData::pages`], [`SubsectionData::count`], `recent`); the tag and category pages
/// it was or is on (`taxonomy_terms`, with every taxonomy list of its language); the glossary
/// page of its language when that lists it or the terms it uses changed
/// ([`GlossaryEntry::used_by`]). [`narrow_lists`] then drops the lists that did not change.
/// `None` when a tag page would have to disappear, which only a full build does.
pub fn shown_by_page(
    site: &Site,
    i: PageId,
    linking: &[PageId],
    relinked: &Relinked,
    taxonomy_terms: &[(Taxonomy, String)],
) -> Option<Selection> {
    let page = &site.pages[i];
    let (key, lang, section) = (&page.source.key, &page.source.lang, &page.source.section);
    let mut pages = vec![i];
    pages.extend(
        site.translations(key)
            .filter_map(|t| site.page_id(&t.source.key, &t.source.lang)),
    );
    pages.extend(linking);
    pages.extend(&relinked.targets_before);
    pages.extend(&relinked.targets_after);
    pages.extend(site.page_ids().filter(|&p| {
        site.pages[p]
            .meta()
            .related
            .iter()
            .any(|r| normalise_content_path(&r.value) == *key)
    }));
    pages.sort_unstable();
    pages.dedup();
    let mut sections: Vec<SectionId> = site
        .config
        .languages
        .iter()
        .flat_map(|l| {
            [
                site.section_id(section, &l.code),
                site.section_id("", &l.code),
            ]
        })
        .flatten()
        .collect();
    sections.sort_unstable();
    sections.dedup();
    let mut terms = Vec::new();
    for (kind, slug) in taxonomy_terms {
        let list = site.taxonomies.get(&(*kind, lang.clone()))?;
        let at = list.iter().position(|t| t.slug == *slug)?;
        terms.push((*kind, lang.clone(), at));
    }
    terms.sort();
    terms.dedup();
    Some(Selection {
        pages,
        sections,
        taxonomy_lists: Taxonomy::ALL.iter().map(|k| (*k, lang.clone())).collect(),
        taxonomy_terms: terms,
        glossary: glossary_shows(site, i, relinked)
            .then(|| lang.clone())
            .into_iter()
            .collect(),
        list_pages: Default::default(),
    })
}

/// The tags and category of a page's front matter, as (taxonomy, slug): the pages that list it.
pub fn taxonomy_terms_of(meta: &FrontMatter) -> Vec<(Taxonomy, String)> {
    let tags = meta.tags.iter().map(|t| (Taxonomy::Tags, fallback_slug(t)));
    let category = meta
        .category
        .iter()
        .map(|c| (Taxonomy::Categories, fallback_slug(c)));
    tags.chain(category).collect()
}

/// Everything that shows the definitions of the glossary terms `terms`: the pages that use
/// them (their tooltips) and the glossary pages. Section intros may use them too: the caller
/// adds the sections whose intro came out different.
pub fn shown_by_terms(site: &Site, terms: &[TermId]) -> Selection {
    let mut pages: Vec<PageId> = terms
        .iter()
        .flat_map(|&t| site.uses_of(t).iter().copied())
        .collect();
    pages.sort_unstable();
    pages.dedup();
    Selection {
        pages,
        glossary: site
            .config
            .languages
            .iter()
            .map(|l| l.code.clone())
            .collect(),
        ..Default::default()
    }
}

/// Whether the glossary page of page `i`'s language shows something of it after an edit
/// re-linked its body: the terms it uses changed (their counts and lists of pages did), or it
/// is among the pages listed under a term it uses.
fn glossary_shows(site: &Site, i: PageId, relinked: &Relinked) -> bool {
    if relinked.terms_before != relinked.terms_after {
        return true;
    }
    let Some(glossary) = &site.glossary else {
        return false;
    };
    let lang = &site.pages[i].source.lang;
    let entries = glossary
        .terms
        .iter()
        .filter(|t| t.langs.contains_key(lang))
        .count();
    let shown = context::used_by_shown(entries);
    relinked.terms_after.iter().any(|&t| {
        glossary.terms[t].langs.contains_key(lang)
            && site
                .uses_of(t)
                .iter()
                .filter(|&&p| site.pages[p].source.lang == *lang)
                .take(shown)
                .any(|&p| p == i)
    })
}

/// The lists that may show page `i`, as they stand: its section and the home page in every
/// language, the tags and categories `taxonomy_terms` of its language and the lists of all
/// tags and categories there. Taken before an edit and given to [`narrow_lists`] after it.
pub fn lists_of(site: &Site, i: PageId, taxonomy_terms: &[(Taxonomy, String)]) -> ListsBefore {
    let page = &site.pages[i];
    let languages = &site.config.languages;
    let sections = languages
        .iter()
        .filter_map(|l| site.section_id(&page.source.section, &l.code))
        .map(|s| (s, site.listing(&site.sections[s])))
        .collect();
    let homes = languages
        .iter()
        .filter_map(|l| site.section_id("", &l.code))
        .map(|s| (s, home_lists(site, s)))
        .collect();
    let lang = &page.source.lang;
    let terms = taxonomy_terms
        .iter()
        .filter_map(|(kind, slug)| {
            let list = site.taxonomies.get(&(*kind, lang.clone()))?;
            let at = list.iter().position(|t| t.slug == *slug)?;
            Some(TermBefore {
                at: (*kind, lang.clone(), at),
                pages: list[at].pages.clone(),
                name: list[at].name.clone(),
            })
        })
        .collect();
    let taxonomy_lists = Taxonomy::ALL
        .iter()
        .map(|&kind| ((kind, lang.clone()), taxonomy_list(site, kind, lang)))
        .collect();
    ListsBefore {
        sections,
        homes,
        terms,
        taxonomy_lists,
    }
}

/// What [`lists_of`] saw.
pub struct ListsBefore {
    sections: Vec<(SectionId, Vec<PageId>)>,
    homes: Vec<(SectionId, HomeLists)>,
    terms: Vec<TermBefore>,
    taxonomy_lists: Vec<((Taxonomy, String), TermCounts)>,
}

/// A tag or category as [`lists_of`] saw it: (kind, language, index into the language's
/// terms), its pages, and its name (the first page's spelling, which all its list pages show).
struct TermBefore {
    at: (Taxonomy, String, usize),
    pages: Vec<PageId>,
    name: String,
}

/// What a home page shows of pages: its own pages ([`SectionData::pages`]), the newest pages
/// (`recent`) and how many pages each section lists ([`SubsectionData::count`]).
#[derive(PartialEq, Eq)]
struct HomeLists {
    pages: Vec<PageId>,
    recent: Vec<PageId>,
    counts: Vec<usize>,
}

fn home_lists(site: &Site, home: SectionId) -> HomeLists {
    let section = &site.sections[home];
    HomeLists {
        pages: site.listing(section),
        recent: context::recent(site, &section.lang),
        counts: section
            .subsections
            .iter()
            .map(|&s| site.listing_len(&site.sections[s]))
            .collect(),
    }
}

/// What a list of all tags or categories shows of each ([`TaxonomyTermLink`]): its name and
/// how many pages it has (its slug is in the name's place in the list).
type TermCounts = Vec<(String, usize)>;

fn taxonomy_list(site: &Site, kind: Taxonomy, lang: &str) -> TermCounts {
    site.taxonomies
        .get(&(kind, lang.to_string()))
        .map_or_else(Vec::new, |terms| {
            terms
                .iter()
                .map(|t| (t.name.clone(), t.pages.len()))
                .collect()
        })
}

/// After an edit of page `i` that kept every list's number of list pages: limits `selection`
/// to the list pages that show something different — those holding an entry that moved or
/// page `i` itself; a list that holds neither (another language's section, whose order did not
/// change) is not rendered at all. A list whose length changed shows a new total on every list
/// page: all of them stay selected. A home page or a list of tags or categories that shows the
/// same as before is dropped too.
pub fn narrow_lists(site: &Site, i: PageId, before: &ListsBefore, selection: &mut Selection) {
    use crate::pipeline::render::ListId;
    for (s, old) in &before.sections {
        let section = &site.sections[*s];
        if section.dir.is_empty() {
            continue;
        }
        let new = site.listing(section);
        let per_page = pagination::per_page(site, section);
        match changed_pages(old, &new, i, per_page) {
            ListChange::All => {}
            ListChange::None => selection.sections.retain(|x| x != s),
            ListChange::Pages(range) => {
                selection.list_pages.insert(ListId::Section(*s), range);
            }
        }
    }
    for (s, old) in &before.homes {
        let shows_i = |lists: &HomeLists| lists.pages.contains(&i) || lists.recent.contains(&i);
        if !shows_i(old) && home_lists(site, *s) == *old {
            selection.sections.retain(|x| x != s);
        }
    }
    for TermBefore {
        at: (kind, lang, at),
        pages: old,
        name: old_name,
    } in &before.terms
    {
        let Some(term) = site
            .taxonomies
            .get(&(*kind, lang.clone()))
            .and_then(|list| list.get(*at))
        else {
            continue;
        };
        let id = (*kind, lang.clone(), *at);
        // Every list page of a term carries its name in its heading and title.
        let change = if term.name == *old_name {
            changed_pages(old, &term.pages, i, site.config.paginate_by)
        } else {
            ListChange::All
        };
        match change {
            ListChange::All => {}
            ListChange::None => selection.taxonomy_terms.retain(|x| *x != id),
            ListChange::Pages(range) => {
                selection
                    .list_pages
                    .insert(ListId::Term(*kind, lang.clone(), *at), range);
            }
        }
    }
    for ((kind, lang), old) in &before.taxonomy_lists {
        if taxonomy_list(site, *kind, lang) == *old {
            selection
                .taxonomy_lists
                .retain(|(k, l)| (k, l) != (kind, lang));
        }
    }
}

/// Which list pages of one list an edit changed.
enum ListChange {
    /// Every one: the list's length changed.
    All,
    /// None: the same entries in the same order, without the edited page.
    None,
    /// The list pages (first, last; from 1).
    Pages((usize, usize)),
}

/// The list pages where `old` and `new` differ or that hold `page`.
fn changed_pages(old: &[PageId], new: &[PageId], page: PageId, per_page: usize) -> ListChange {
    if old.len() != new.len() {
        return ListChange::All;
    }
    let mut positions: Vec<usize> = (0..old.len()).filter(|&k| old[k] != new[k]).collect();
    positions.extend(old.iter().position(|&p| p == page));
    positions.extend(new.iter().position(|&p| p == page));
    let (Some(first), Some(last)) = (positions.iter().min(), positions.iter().max()) else {
        return ListChange::None;
    };
    let per_page = per_page.max(1);
    ListChange::Pages((first / per_page + 1, last / per_page + 1))
}
