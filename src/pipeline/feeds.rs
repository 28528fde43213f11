//! Machine-readable outputs: an Atom feed and a page list for search per language, one `sitemap.xml`
//! with `hreflang` alternates, and `robots.txt`. Dates come from the content, never the clock,
//! so the same input gives the same bytes.

use std::fmt::Write as _;

use crate::pipeline::escape::escape;
use crate::pipeline::index::Site;

/// How many entries an Atom feed holds.
const FEED_ENTRIES: usize = 20;
/// The date of an entry or feed without any dated page.
const EPOCH: &str = "1970-01-01T00:00:00Z";

/// `(output path, contents)` for every feed and index file of the site.
pub fn files(site: &Site) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = site
        .config
        .languages
        .iter()
        .map(|l| {
            (
                format!("{}atom.xml", site.home_path(&l.code)),
                atom(site, &l.code),
            )
        })
        .collect();
    if site.config.search {
        files.extend(site.config.languages.iter().map(|l| {
            (
                format!("{}search-index.json", site.home_path(&l.code)),
                search_index(site, &l.code),
            )
        }));
    }
    files.push(("sitemap.xml".into(), sitemap(site)));
    files.push((
        "robots.txt".into(),
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
            site.config.base_url
        ),
    ));
    files
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
    let mut xml = String::new();
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{home}atom.xml\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>\n  <updated>{updated}</updated>\n  <id>{home}atom.xml</id>\n",
        escape(lang),
        escape(site.config.title_in(lang)),
    );
    for page in pages {
        let url = site.url(&page.path);
        let published = page.meta().date;
        let updated = page.meta().updated.or(published);
        let _ = write!(
            xml,
            "  <entry xml:lang=\"{}\">\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <id>{}</id>\n",
            escape(lang),
            escape(page.title()),
            escape(&url),
            escape(&url),
        );
        if let Some(d) = published {
            let _ = writeln!(xml, "    <published>{}</published>", d.rfc3339());
        }
        let _ = writeln!(
            xml,
            "    <updated>{}</updated>",
            updated.map_or_else(|| EPOCH.to_string(), |d| d.rfc3339())
        );
        if let Some(summary) = &page.meta().summary {
            let _ = writeln!(xml, "    <summary>{}</summary>", escape(summary));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
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
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let mut entry = |path: &str, lastmod: Option<String>, alternates: Vec<(String, String)>| {
        let _ = write!(xml, "  <url>\n    <loc>{}</loc>\n", escape(&site.url(path)));
        if let Some(d) = lastmod {
            let _ = writeln!(xml, "    <lastmod>{d}</lastmod>");
        }
        for (lang, alt) in alternates {
            let _ = writeln!(
                xml,
                "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                escape(&lang),
                escape(&site.url(&alt))
            );
        }
        xml.push_str("  </url>\n");
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
    xml.push_str("</urlset>\n");
    xml
}
