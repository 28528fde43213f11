//! Paginated lists: how many list pages a section, tag or category has, where each is, and
//! the pager a list page shows ([`Paginator`]). Page 1 is at the list's own URL; page `n`
//! (from 2) at `page/n/` below it. There is no `page/1/`: one URL per list page.

use crate::pipeline::index::{Section, Site, Taxonomy};
use crate::pipeline::render::data::{PagerLink, Paginator};

/// How many numbered links a pager shows on each side of the current page, besides the first
/// and the last.
const PAGER_WINDOW: usize = 2;

/// Entries per list page of `section`: its `_index`'s `paginate_by` (or the default
/// language's), else book.toml's.
pub fn per_page(site: &Site, section: &Section) -> usize {
    section
        .paginate_by
        .unwrap_or(site.config.paginate_by)
        .max(1)
}

/// How many list pages show `items` entries, `per_page` a page: at least one.
pub fn count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// How many list pages `section` has. The home page is one page: it lists the newest guides
/// and links to the sections instead of listing everything.
pub fn section_pages(site: &Site, section: &Section) -> usize {
    if section.dir.is_empty() {
        return 1;
    }
    count(site.listing_len(section), per_page(site, section))
}

/// How many list pages tag or category `i` of `lang` has.
pub fn term_pages(site: &Site, kind: Taxonomy, lang: &str, i: usize) -> usize {
    let term = &site.taxonomies[&(kind, lang.to_string())][i];
    count(term.pages.len(), site.config.paginate_by)
}

/// The output path of list page `n` of the list at `path` (`guides/` → `guides/page/2/`).
pub fn page_path(path: &str, n: usize) -> String {
    if n <= 1 {
        path.to_string()
    } else {
        format!("{path}page/{n}/")
    }
}

/// The (language, path) of list page `n` of every language's version of the section in folder
/// `dir` that has that many list pages, in the order of `book.toml`: a later list page's
/// versions in other languages, for its `hreflang` alternates and language switch.
pub fn section_versions<'s>(site: &'s Site, dir: &str, n: usize) -> Vec<(&'s str, String)> {
    site.config
        .languages
        .iter()
        .filter_map(|l| site.section(dir, &l.code))
        .filter(|s| n <= section_pages(site, s))
        .map(|s| (s.lang.as_str(), page_path(&s.path, n)))
        .collect()
}

/// The (language, path) of list page `n` of every language's page of the tag or category
/// `slug` that has that many list pages, in the order of `book.toml`.
pub fn term_versions<'s>(
    site: &'s Site,
    kind: Taxonomy,
    slug: &str,
    n: usize,
) -> Vec<(&'s str, String)> {
    site.taxonomy_term_versions(kind, slug)
        .into_iter()
        .filter(|(lang, _)| {
            site.taxonomies
                .get(&(kind, lang.to_string()))
                .and_then(|terms| terms.binary_search_by(|t| t.slug.as_str().cmp(slug)).ok())
                .is_some_and(|i| n <= term_pages(site, kind, lang, i))
        })
        .map(|(lang, path)| (lang, page_path(&path, n)))
        .collect()
}

/// The number of list pages of every section, tag and category, in a fixed order: when it
/// changes, list pages appear or disappear, which only a full build does.
pub fn shape(site: &Site) -> Vec<usize> {
    let mut shape: Vec<usize> = site
        .sections
        .iter()
        .map(|s| section_pages(site, s))
        .collect();
    for ((kind, lang), terms) in &site.taxonomies {
        shape.push(usize::MAX);
        shape.extend((0..terms.len()).map(|i| term_pages(site, *kind, lang, i)));
    }
    shape
}

/// The range of `items` shown on list page `n`.
pub fn slice(items: usize, per_page: usize, n: usize) -> std::ops::Range<usize> {
    let start = (n.saturating_sub(1) * per_page).min(items);
    start..(start + per_page).min(items)
}

/// The pager of list page `n` of `total` pages of the list at `path`, listing `items` entries.
pub fn paginator(
    site: &Site,
    path: &str,
    n: usize,
    total: usize,
    per_page: usize,
    items: usize,
) -> Paginator {
    let url = |k: usize| site.url(&page_path(path, k));
    let mut numbers: Vec<usize> = vec![1, total];
    numbers.extend(n.saturating_sub(PAGER_WINDOW).max(1)..=(n + PAGER_WINDOW).min(total));
    numbers.sort_unstable();
    numbers.dedup();
    let mut previous = 0;
    let pages = numbers
        .into_iter()
        .map(|k| {
            let link = PagerLink {
                number: k,
                url: url(k),
                current: k == n,
                gap_before: k > previous + 1,
            };
            previous = k;
            link
        })
        .collect();
    let range = slice(items, per_page, n);
    Paginator {
        number: n,
        total_pages: total,
        per_page,
        total_items: items,
        first_item: if items == 0 { 0 } else { range.start + 1 },
        last_item: range.end,
        first_url: url(1),
        last_url: url(total),
        prev_url: (n > 1).then(|| url(n - 1)),
        next_url: (n < total).then(|| url(n + 1)),
        pages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_slices() {
        assert_eq!(count(0, 20), 1);
        assert_eq!(count(20, 20), 1);
        assert_eq!(count(21, 20), 2);
        assert_eq!(slice(45, 20, 3), 40..45);
        assert_eq!(slice(0, 20, 1), 0..0);
        assert_eq!(page_path("guides/", 1), "guides/");
        assert_eq!(page_path("guides/", 2), "guides/page/2/");
    }
}
