//! Machine-readable outputs: an Atom feed and a page list for search per language, one `sitemap.xml`
//! with `hreflang` alternates, and `robots.txt`. Dates come from the content, never the clock,
//! so the same input gives the same bytes.

use rayon::prelude::*;

use crate::model::dates::Date;
use crate::model::frontmatter::ChangeNote;
use crate::model::url::uri;
use crate::pipeline::ids::PageId;
use crate::pipeline::index::{Page, Site};
use crate::pipeline::render::pagination;
use crate::pipeline::xml::Xml;

/// How many entries an Atom feed holds.
const FEED_ENTRIES: usize = 20;
/// The `updated` of a feed with no dated page in it (an entry always has a date).
const EPOCH: &str = "1970-01-01T00:00:00Z";

/// One machine-readable output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feed<'a> {
    Atom(&'a str),
    SearchIndex(&'a str),
    /// `sitemap.xml` (0: the whole sitemap, or its index) or `sitemapN.xml` (N ≥ 1).
    Sitemap(usize),
    Robots,
}

impl Feed<'_> {
    /// What the file is, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Feed::Atom(_) => "the Atom feed",
            Feed::SearchIndex(_) => "the search index",
            Feed::Sitemap(_) => "the sitemap",
            Feed::Robots => "the robots.txt file",
        }
    }
}

/// The output path of every feed and index file of the site, and which file it is.
pub fn paths(site: &Site) -> Vec<(String, Feed<'_>)> {
    let languages = &site.config.languages;
    let mut paths: Vec<(String, Feed<'_>)> = languages
        .iter()
        .map(|l| {
            (
                format!("{}atom.xml", site.home_path(&l.code)),
                Feed::Atom(&l.code),
            )
        })
        .collect();
    if site.config.search {
        paths.extend(languages.iter().map(|l| {
            (
                format!("{}search-index.json", site.home_path(&l.code)),
                Feed::SearchIndex(&l.code),
            )
        }));
    }
    paths.push(("sitemap.xml".into(), Feed::Sitemap(0)));
    paths.extend((1..=sitemap_parts(site)).map(|n| (format!("sitemap{n}.xml"), Feed::Sitemap(n))));
    paths.push(("robots.txt".into(), Feed::Robots));
    paths
}

/// `(output path, contents)` for every feed and index file of the site, made in parallel.
pub fn files(site: &Site) -> Vec<(String, String)> {
    let (mut files, sitemaps) = rayon::join(
        || {
            paths(site)
                .into_par_iter()
                .filter_map(|(path, feed)| {
                    let text = match feed {
                        Feed::Atom(lang) => atom(site, lang),
                        Feed::SearchIndex(lang) => search_index(site, lang),
                        // Made at once below: the parts share one list of addresses.
                        Feed::Sitemap(_) => return None,
                        Feed::Robots => robots(site),
                    };
                    Some((path, text))
                })
                .collect::<Vec<_>>()
        },
        || sitemaps(site),
    );
    files.extend(sitemaps);
    files
}

fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
        site.config.base_url
    )
}

/// `(output path, contents)` of the feed and index files that show something of the front
/// matter or headings of `pages` (`serve`, after an edit that changed nothing else): the Atom
/// feeds and search page lists of their languages, and the sitemap (which shows dates) when
/// `sitemap`.
pub fn files_after_edit(site: &Site, pages: &[PageId], sitemap: bool) -> Vec<(String, String)> {
    let mut langs: Vec<&str> = pages
        .iter()
        .map(|&p| site.pages[p].source.lang.as_str())
        .collect();
    langs.sort_unstable();
    langs.dedup();
    let mut files: Vec<(String, String)> = paths(site)
        .into_par_iter()
        .filter_map(|(path, feed)| {
            let text = match feed {
                Feed::Atom(lang) if langs.contains(&lang) => atom(site, lang),
                Feed::SearchIndex(lang) if langs.contains(&lang) => search_index(site, lang),
                _ => return None,
            };
            Some((path, text))
        })
        .collect();
    if sitemap {
        files.extend(sitemaps(site));
    }
    files
}

/// One entry of a feed: a page's publication, or one of its significant updates (a change
/// note), which gets an entry of its own so that readers learn what changed.
struct Entry<'a> {
    page: &'a Page,
    /// What the feed is sorted by: the page's publication date (else its last update) for a
    /// publication, the note's date for an update. Its `updated` is `last_of` it.
    date: Option<Date>,
    note: Option<&'a ChangeNote>,
}

fn atom(site: &Site, lang: &str) -> String {
    let mut entries: Vec<Entry<'_>> = Vec::new();
    for page in site.pages.iter().filter(|p| p.source.lang == lang) {
        let meta = page.meta();
        // A page with no date at all (an about page, say) is no news to a feed reader, and an
        // entry must say when it was updated: left out, as Zola leaves it out.
        if let Some(date) = meta.date.or(site.updated(page)) {
            entries.push(Entry {
                page,
                date: Some(date),
                note: None,
            });
        }
        entries.extend(meta.changes.iter().map(|c| Entry {
            page,
            date: Some(c.date),
            note: Some(c),
        }));
    }
    // Newest first; on one day an update before the publication it follows.
    entries.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| b.note.is_some().cmp(&a.note.is_some()))
            .then_with(|| a.page.path.cmp(&b.page.path))
            .then_with(|| a.note.map(|n| &n.note).cmp(&b.note.map(|n| &n.note)))
    });
    entries.truncate(FEED_ENTRIES);
    // An entry's own `updated`: the note's date, or the page's last update (a publication
    // entry is dated and sorted by its publication). The feed's is the latest of them.
    let last_of = |entry: &Entry<'_>| match entry.note {
        Some(_) => entry.date,
        None => site.updated(entry.page).or(entry.page.meta().date),
    };
    let rfc3339 = |date: Option<Date>| date.map_or_else(|| EPOCH.to_string(), |d| d.rfc3339());
    let updated = rfc3339(entries.iter().filter_map(last_of).max());
    let home = site.url(&site.home_path(lang));
    let feed_url = format!("{home}atom.xml");
    let mut xml = Xml::new();
    xml.open(
        "feed",
        &[("xmlns", "http://www.w3.org/2005/Atom"), ("xml:lang", lang)],
    );
    xml.text("title", site.config.title_in(lang));
    // RFC 4287 asks for an author of every entry, given once for the feed: the publisher, as
    // the pages' structured data names it.
    xml.open("author", &[]);
    xml.text("name", site.config.publisher_in(lang));
    xml.close("author");
    xml.empty(
        "link",
        &[
            ("rel", "self"),
            ("type", "application/atom+xml"),
            ("href", &feed_url),
        ],
    );
    xml.empty(
        "link",
        &[("rel", "alternate"), ("type", "text/html"), ("href", &home)],
    );
    xml.text("updated", &updated);
    xml.text("id", &feed_url);
    for entry in entries {
        let page = entry.page;
        let url = site.url(&page.path);
        let (link, id) = match entry.note {
            Some(note) => (
                format!("{url}#updates"),
                format!("{url}#update-{}", note.date.iso()),
            ),
            None => (url.clone(), url.clone()),
        };
        let stamp = entry
            .date
            .map_or_else(|| EPOCH.to_string(), |d| d.rfc3339());
        xml.open("entry", &[("xml:lang", lang)]);
        match entry.note {
            Some(_) => xml.text("title", &site.markup.feed_update_title(lang, page.title())),
            None => xml.text("title", page.title()),
        }
        xml.empty(
            "link",
            &[("rel", "alternate"), ("type", "text/html"), ("href", &link)],
        );
        xml.text("id", &id);
        match entry.note {
            Some(_) => xml.text("published", &stamp),
            None => {
                if let Some(d) = page.meta().date {
                    xml.text("published", &d.rfc3339());
                }
            }
        }
        xml.text("updated", &rfc3339(last_of(&entry)));
        match entry.note {
            Some(note) => xml.text("summary", &note.note),
            None => {
                if let Some(summary) = &page.meta().summary {
                    xml.text("summary", summary);
                }
            }
        }
        xml.close("entry");
    }
    xml.close("feed");
    xml.finish()
}

/// A compact JSON list of the pages in `lang` for client-side search: title, URL, summary,
/// section, tags and headings (not the full text, which would make the file as big as the site).
/// Made in parallel, a run of pages at a time.
fn search_index(site: &Site, lang: &str) -> String {
    const RUN: usize = 256;
    let pages: Vec<&Page> = site
        .pages
        .iter()
        .filter(|p| p.source.lang == lang)
        .collect();
    let runs: Result<Vec<Vec<u8>>, serde_json::Error> = pages
        .par_chunks(RUN)
        .map(|run| {
            let mut out = Vec::with_capacity(RUN * 512);
            // The pages of one section come together: look each section up once.
            let mut section: Option<(&str, Option<&str>)> = None;
            for p in run {
                let dir = p.source.section.as_str();
                let title = match section {
                    Some((d, title)) if d == dir => title,
                    _ => {
                        let title = site.section(dir, lang).map(|s| s.title.as_str());
                        section = Some((dir, title));
                        title
                    }
                };
                out.push(b',');
                serde_json::to_writer(&mut out, &SearchEntry::new(site, p, title))?;
            }
            Ok(out)
        })
        .collect();
    let Ok(runs) = runs else {
        return "[]\n".to_string();
    };
    let mut json = Vec::with_capacity(runs.iter().map(Vec::len).sum::<usize>() + 3);
    json.push(b'[');
    for run in &runs {
        // Each run starts with a comma; the list's first does not.
        json.extend_from_slice(if json.len() == 1 { &run[1..] } else { run });
    }
    json.extend_from_slice(b"]\n");
    String::from_utf8(json).unwrap_or_else(|_| "[]\n".to_string())
}

/// One page's entry in [`search_index`]; the fields in name order, as a JSON object map
/// writes them.
#[derive(serde::Serialize)]
struct SearchEntry<'a> {
    headings: Vec<&'a str>,
    section: Option<&'a str>,
    summary: Option<&'a str>,
    tags: &'a [String],
    title: &'a str,
    url: Url<'a>,
}

impl<'a> SearchEntry<'a> {
    fn new(site: &'a Site, p: &'a Page, section: Option<&'a str>) -> Self {
        SearchEntry {
            headings: p.rendered.toc.iter().map(|t| t.title.as_str()).collect(),
            section,
            summary: p.meta().summary.as_deref(),
            tags: &p.meta().tags,
            title: p.title(),
            url: Url(&site.config.base_url, &p.path),
        }
    }
}

/// A page's URL (base URL, path), written without making it first.
struct Url<'a>(&'a str, &'a str);

impl serde::Serialize for Url<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{}{}", self.0, self.1))
    }
}

/// Addresses a sitemap file holds at most. The protocol's limits are 50,000 URLs and 50 MB a
/// file; as Zola does, a site with more addresses than this gets `sitemap.xml` as a sitemap
/// index naming `sitemap1.xml`, `sitemap2.xml`…, each well inside both limits even with
/// every address's language alternates.
const SITEMAP_URLS: usize = 30_000;

/// One address of the sitemap: its path, last change and language versions.
struct SitemapUrl {
    path: String,
    lastmod: Option<String>,
    alternates: Vec<(String, String)>,
}

/// How many sitemap files follow the index: 0 when one `sitemap.xml` holds every address.
fn sitemap_parts(site: &Site) -> usize {
    let count = sitemap_count(site);
    if count <= SITEMAP_URLS {
        0
    } else {
        count.div_ceil(SITEMAP_URLS)
    }
}

/// The number of addresses [`sitemap_urls`] lists, counted without making them: the output
/// paths are known before the files are written (and `serve` asks on every edit).
fn sitemap_count(site: &Site) -> usize {
    let sections: usize = site
        .sections
        .iter()
        .map(|s| pagination::section_pages(site, s).max(1))
        .sum();
    let taxonomies: usize = site
        .taxonomies
        .iter()
        .map(|((kind, lang), terms)| {
            1 + (0..terms.len())
                .map(|i| pagination::term_pages(site, *kind, lang, i).max(1))
                .sum::<usize>()
        })
        .sum();
    let glossary = if site.glossary.is_some() {
        site.glossary_versions().len()
    } else {
        0
    };
    sections + taxonomies + glossary + site.pages.len()
}

/// Every address of the site, with the alternates each page's `<head>` gives.
fn sitemap_urls(site: &Site) -> Vec<SitemapUrl> {
    let mut urls = Vec::with_capacity(sitemap_count(site));
    let mut entry = |path: &str, lastmod: Option<String>, alternates: Vec<(String, String)>| {
        urls.push(SitemapUrl {
            path: path.to_string(),
            lastmod,
            alternates,
        });
    };
    // Alternates as each page's <head> gives them: only where more than one language has it.
    let several = |versions: Vec<(&str, String)>| -> Vec<(String, String)> {
        if versions.len() > 1 {
            versions
                .into_iter()
                .map(|(l, p)| (l.to_string(), p))
                .collect()
        } else {
            Vec::new()
        }
    };
    for section in &site.sections {
        let alternates = site
            .config
            .languages
            .iter()
            .filter_map(|l| site.section(&section.dir, &l.code))
            .map(|s| (s.lang.clone(), s.path.clone()))
            .collect();
        entry(&section.path, None, alternates);
        for n in 2..=pagination::section_pages(site, section) {
            entry(
                &pagination::page_path(&section.path, n),
                None,
                several(pagination::section_versions(site, &section.dir, n)),
            );
        }
    }
    for ((kind, lang), terms) in &site.taxonomies {
        let list = site.taxonomy_path(*kind, lang, None);
        entry(&list, None, several(site.taxonomy_list_versions(*kind)));
        for (i, term) in terms.iter().enumerate() {
            let path = site.taxonomy_path(*kind, lang, Some(&term.slug));
            entry(
                &path,
                None,
                several(site.taxonomy_term_versions(*kind, &term.slug)),
            );
            for n in 2..=pagination::term_pages(site, *kind, lang, i) {
                entry(
                    &pagination::page_path(&path, n),
                    None,
                    several(pagination::term_versions(site, *kind, &term.slug, n)),
                );
            }
        }
    }
    if site.glossary.is_some() {
        let versions = site.glossary_versions();
        for (_, path) in &versions {
            entry(path, None, several(versions.clone()));
        }
    }
    for page in &site.pages {
        let alternates: Vec<(String, String)> = site
            .translations(&page.source.key)
            .map(|p| (p.source.lang.clone(), p.path.clone()))
            .collect();
        let alternates = if alternates.len() > 1 {
            alternates
        } else {
            Vec::new()
        };
        let lastmod = site.updated(page).or(page.meta().date).map(|d| d.iso());
        entry(&page.path, lastmod, alternates);
    }
    debug_assert_eq!(urls.len(), sitemap_count(site), "sitemap_count is off");
    urls
}

/// `(output path, contents)` of the sitemap: one `sitemap.xml`, or an index and its parts.
fn sitemaps(site: &Site) -> Vec<(String, String)> {
    let urls = sitemap_urls(site);
    let default = site.config.default_language.as_str();
    let url = |path: &str| uri(&site.url(path));
    split_sitemap(&urls, SITEMAP_URLS, default, &url)
}

/// The sitemap files of `urls`, at most `per_file` addresses a file. `url` makes an output
/// path absolute.
fn split_sitemap(
    urls: &[SitemapUrl],
    per_file: usize,
    default_lang: &str,
    url: &dyn Fn(&str) -> String,
) -> Vec<(String, String)> {
    if urls.len() <= per_file {
        return vec![("sitemap.xml".into(), urlset(urls, default_lang, url))];
    }
    let mut files = Vec::new();
    let mut index = Xml::new();
    index.open(
        "sitemapindex",
        &[("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")],
    );
    for (i, part) in urls.chunks(per_file).enumerate() {
        let name = format!("sitemap{}.xml", i + 1);
        index.open("sitemap", &[]);
        index.text("loc", &url(&name));
        index.close("sitemap");
        files.push((name, urlset(part, default_lang, url)));
    }
    index.close("sitemapindex");
    files.insert(0, ("sitemap.xml".into(), index.finish()));
    files
}

/// A `<urlset>` of `urls`.
fn urlset(urls: &[SitemapUrl], default_lang: &str, url: &dyn Fn(&str) -> String) -> String {
    let mut xml = Xml::new();
    xml.open(
        "urlset",
        &[
            ("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"),
            ("xmlns:xhtml", "http://www.w3.org/1999/xhtml"),
        ],
    );
    for entry in urls {
        xml.open("url", &[]);
        xml.text("loc", &url(&entry.path));
        if let Some(d) = &entry.lastmod {
            xml.text("lastmod", d);
        }
        // As each page's <head>: `x-default` is the default language's version.
        let x_default = entry
            .alternates
            .iter()
            .find(|(lang, _)| lang == default_lang)
            .map(|(_, alt)| ("x-default", alt.as_str()));
        let alternates = entry
            .alternates
            .iter()
            .map(|(l, p)| (l.as_str(), p.as_str()));
        for (lang, alt) in alternates.chain(x_default) {
            xml.empty(
                "xhtml:link",
                &[
                    ("rel", "alternate"),
                    ("hreflang", lang),
                    ("href", &url(alt)),
                ],
            );
        }
        xml.close("url");
    }
    xml.close("urlset");
    xml.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(path: &str, lang: &str) -> SitemapUrl {
        SitemapUrl {
            path: path.to_string(),
            lastmod: None,
            alternates: vec![(lang.to_string(), path.to_string())],
        }
    }

    #[test]
    fn a_sitemap_over_the_limit_becomes_an_index_of_parts() {
        let absolute = |path: &str| format!("https://example.org/{path}");
        let urls = [url("a/", "en"), url("b/", "en"), url("ja/c/", "ja")];
        let one = split_sitemap(&urls, 3, "en", &absolute);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].0, "sitemap.xml");
        assert_eq!(one[0].1.matches("<url>").count(), 3);

        let parts = split_sitemap(&urls, 2, "en", &absolute);
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap1.xml", "sitemap2.xml"]);
        let index = &parts[0].1;
        assert!(
            index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
        );
        assert!(index.contains("<loc>https://example.org/sitemap1.xml</loc>"));
        assert!(index.contains("<loc>https://example.org/sitemap2.xml</loc>"));
        assert_eq!(parts[1].1.matches("<url>").count(), 2);
        assert_eq!(parts[2].1.matches("<url>").count(), 1);
        // Each part keeps its addresses' alternates, `x-default` the default language's.
        assert!(
            parts[1]
                .1
                .contains("hreflang=\"x-default\" href=\"https://example.org/a/\"")
        );
        assert!(!parts[2].1.contains("x-default"));
    }
}
