//! Machine-readable outputs: an Atom feed and a search index per language, one `sitemap.xml`
//! with `hreflang` alternates, and `robots.txt`. Dates come from the content, never the clock,
//! so the same input gives the same bytes.

use crate::pipeline::index::Site;
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
    paths.extend(languages.iter().map(|l| {
        (
            format!("{}search-index.json", site.home_path(&l.code)),
            Feed::SearchIndex(&l.code),
        )
    }));
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

fn atom(site: &Site, lang: &str) -> String {
    let mut pages: Vec<_> = site
        .pages
        .iter()
        .filter(|p| p.source.lang == lang)
        .collect();
    pages.sort_by(|a, b| {
        let newest = |p: &crate::pipeline::index::Page| p.meta().updated.or(p.meta().date);
        newest(b).cmp(&newest(a)).then_with(|| a.path.cmp(&b.path))
    });
    pages.truncate(FEED_ENTRIES);
    let updated = pages
        .iter()
        .filter_map(|p| p.meta().updated.or(p.meta().date))
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
    for page in pages {
        let url = site.url(&page.path);
        let published = page.meta().date;
        let updated = page.meta().updated.or(published);
        xml.open("entry", &[("xml:lang", lang)]);
        xml.text("title", page.title());
        xml.empty(
            "link",
            &[("rel", "alternate"), ("type", "text/html"), ("href", &url)],
        );
        xml.text("id", &url);
        if let Some(d) = published {
            xml.text("published", &d.rfc3339());
        }
        xml.text(
            "updated",
            &updated.map_or_else(|| EPOCH.to_string(), |d| d.rfc3339()),
        );
        if let Some(summary) = &page.meta().summary {
            xml.text("summary", summary);
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
        let lastmod = page.meta().updated.or(page.meta().date).map(|d| d.iso());
        entry(&page.path, lastmod, alternates);
    }
    xml.close("urlset");
    xml.finish()
}
