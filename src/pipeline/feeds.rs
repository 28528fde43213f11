//! Machine-readable outputs: an Atom feed and a page list for search per language, one `sitemap.xml`
//! with `hreflang` alternates, and `robots.txt`. Dates come from the content, never the clock,
//! so the same input gives the same bytes.

use crate::model::dates::Date;
use crate::model::frontmatter::ChangeNote;
use crate::pipeline::index::{Page, Site};
use crate::pipeline::render::pagination;
use crate::pipeline::xml::Xml;

/// How many entries an Atom feed holds.
const FEED_ENTRIES: usize = 20;
/// The date of an entry or feed without any dated page.
const EPOCH: &str = "1970-01-01T00:00:00Z";

/// One machine-readable output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feed<'a> {
    Atom(&'a str),
    SearchIndex(&'a str),
    Sitemap,
    Robots,
}

impl Feed<'_> {
    /// What the file is, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Feed::Atom(_) => "the Atom feed",
            Feed::SearchIndex(_) => "the search index",
            Feed::Sitemap => "the sitemap",
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
    paths.push(("sitemap.xml".into(), Feed::Sitemap));
    paths.push(("robots.txt".into(), Feed::Robots));
    paths
}

/// `(output path, contents)` for every feed and index file of the site.
pub fn files(site: &Site) -> Vec<(String, String)> {
    paths(site)
        .into_iter()
        .map(|(path, feed)| {
            let text = match feed {
                Feed::Atom(lang) => atom(site, lang),
                Feed::SearchIndex(lang) => search_index(site, lang),
                Feed::Sitemap => sitemap(site),
                Feed::Robots => format!(
                    "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
                    site.config.base_url
                ),
            };
            (path, text)
        })
        .collect()
}

/// One entry of a feed: a page's publication, or one of its significant updates (a change
/// note), which gets an entry of its own so that readers learn what changed.
struct Entry<'a> {
    page: &'a Page,
    /// The entry's date: the page's last update for a publication, the note's date for an update.
    date: Option<Date>,
    note: Option<&'a ChangeNote>,
}

fn atom(site: &Site, lang: &str) -> String {
    let mut entries: Vec<Entry<'_>> = Vec::new();
    for page in site.pages.iter().filter(|p| p.source.lang == lang) {
        let meta = page.meta();
        entries.push(Entry {
            page,
            date: meta.date.or(site.updated(page)),
            note: None,
        });
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
    let updated = entries
        .iter()
        .filter_map(|e| e.date)
        .max()
        .map_or_else(|| EPOCH.to_string(), |d| d.rfc3339());
    let home = site.url(&site.home_path(lang));
    let feed_url = format!("{home}atom.xml");
    let mut xml = Xml::new();
    xml.open(
        "feed",
        &[("xmlns", "http://www.w3.org/2005/Atom"), ("xml:lang", lang)],
    );
    xml.text("title", site.config.title_in(lang));
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
        xml.text("title", page.title());
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
        let last = match entry.note {
            Some(_) => stamp.clone(),
            None => site
                .updated(page)
                .or(page.meta().date)
                .map_or_else(|| EPOCH.to_string(), |d| d.rfc3339()),
        };
        xml.text("updated", &last);
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
fn search_index(site: &Site, lang: &str) -> String {
    let entries: Vec<serde_json::Value> = site
        .pages
        .iter()
        .filter(|p| p.source.lang == lang)
        .map(|p| {
            let headings: Vec<&str> = p.rendered.toc.iter().map(|t| t.title.as_str()).collect();
            serde_json::json!({
                "title": p.title(),
                "url": site.url(&p.path),
                "summary": p.meta().summary,
                "section": site.section(&p.source.section, lang).map(|s| s.title.as_str()),
                "tags": p.meta().tags,
                "headings": headings,
            })
        })
        .collect();
    serde_json::to_string(&entries).unwrap_or_else(|_| "[]".to_string()) + "\n"
}

fn sitemap(site: &Site) -> String {
    let mut xml = Xml::new();
    xml.open(
        "urlset",
        &[
            ("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"),
            ("xmlns:xhtml", "http://www.w3.org/1999/xhtml"),
        ],
    );
    let mut entry = |path: &str, lastmod: Option<String>, alternates: Vec<(String, String)>| {
        xml.open("url", &[]);
        xml.text("loc", &site.url(path));
        if let Some(d) = lastmod {
            xml.text("lastmod", &d);
        }
        for (lang, alt) in alternates {
            xml.empty(
                "xhtml:link",
                &[
                    ("rel", "alternate"),
                    ("hreflang", &lang),
                    ("href", &site.url(&alt)),
                ],
            );
        }
        xml.close("url");
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
            entry(&pagination::page_path(&section.path, n), None, Vec::new());
        }
    }
    for ((kind, lang), terms) in &site.taxonomies {
        let list = site.taxonomy_path(*kind, lang, None);
        entry(&list, None, Vec::new());
        for (i, term) in terms.iter().enumerate() {
            let path = site.taxonomy_path(*kind, lang, Some(&term.slug));
            for n in 1..=pagination::term_pages(site, *kind, lang, i) {
                entry(&pagination::page_path(&path, n), None, Vec::new());
            }
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
    xml.close("urlset");
    xml.finish()
}
