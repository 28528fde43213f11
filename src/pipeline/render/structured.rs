//! What a page tells search engines and link previews beyond its text: the Open Graph locale
//! names and the schema.org structured data (JSON-LD) of each kind of page.

use serde::Serialize;

use crate::pipeline::index::{Page, Site};

/// The Open Graph locale of a language code: `language_TERRITORY` (`en_US`, `ja_JP`,
/// `pt-br` → `pt_BR`).
pub fn og_locale(code: &str) -> String {
    match code.split_once('-') {
        Some((lang, region)) => format!("{lang}_{}", region.to_ascii_uppercase()),
        None => match code {
            "en" => "en_US".into(),
            "ja" => "ja_JP".into(),
            "zh" => "zh_CN".into(),
            "ko" => "ko_KR".into(),
            other => format!("{other}_{}", other.to_ascii_uppercase()),
        },
    }
}

/// One schema.org item. Typed rather than built with `json!`: a `serde_json::Value` object is
/// a tree of maps and strings allocated for every page; these borrow and are written straight
/// out. Fields are in alphabetical order, as the `Value` maps wrote them.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Item<'a> {
    Article(Article<'a>),
    Breadcrumbs(BreadcrumbList<'a>),
    WebSite(WebSite<'a>),
}

#[derive(Serialize)]
pub struct Article<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    author: Organization<'a>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    description: &'a str,
    headline: &'a str,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    publisher: Organization<'a>,
    url: &'a str,
}

#[derive(Serialize)]
pub struct BreadcrumbList<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "itemListElement")]
    items: Vec<ListItem<'a>>,
}

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    item: &'a str,
    name: &'a str,
    position: usize,
}

#[derive(Serialize)]
pub struct WebSite<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    description: &'a str,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    name: &'a str,
    publisher: Organization<'a>,
    url: &'a str,
}

#[derive(Serialize, Clone, Copy)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: &'a str,
}

/// A `BreadcrumbList` from the language's home through `trail` ((name, absolute URL)).
pub fn breadcrumbs<'a>(trail: &'a [(&'a str, String)]) -> Item<'a> {
    Item::Breadcrumbs(BreadcrumbList {
        kind: "BreadcrumbList",
        items: trail
            .iter()
            .enumerate()
            .map(|(i, (name, url))| ListItem {
                kind: "ListItem",
                item: url,
                name,
                position: i + 1,
            })
            .collect(),
    })
}

/// The organisation that publishes the site (`[book] publisher`, else the site title), at
/// `home`, the language's home page.
fn publisher<'a>(site: &'a Site, lang: &str, home: &'a str) -> Organization<'a> {
    Organization {
        kind: "Organization",
        name: site.config.publisher_in(lang),
        url: home,
    }
}

/// An `Article` for a page at `url`, published from `home` (absolute URLs).
pub fn article<'a>(
    site: &'a Site,
    page: &'a Page,
    description: &'a str,
    url: &'a str,
    home: &'a str,
) -> Item<'a> {
    let meta = page.meta();
    let lang = page.source.lang.as_str();
    let publisher = publisher(site, lang, home);
    Item::Article(Article {
        kind: "Article",
        author: publisher,
        date_modified: site.updated(page).or(meta.date).map(|d| d.iso()),
        date_published: meta.date.map(|d| d.iso()),
        description,
        headline: page.title(),
        in_language: lang,
        keywords: (!meta.tags.is_empty()).then(|| meta.tags.join(", ")),
        main_entity_of_page: url,
        publisher,
        url,
    })
}

/// A `WebSite` for a language's home page at `home` (absolute URL).
pub fn website<'a>(site: &'a Site, lang: &'a str, home: &'a str) -> Item<'a> {
    Item::WebSite(WebSite {
        kind: "WebSite",
        description: site.config.description_in(lang),
        in_language: lang,
        name: site.config.title_in(lang),
        publisher: publisher(site, lang, home),
        url: home,
    })
}

/// The JSON-LD text of `items`, safe inside a `<script>` element: one object, or a `@graph`.
pub fn to_script(items: &[Item<'_>]) -> String {
    #[derive(Serialize)]
    struct One<'a> {
        #[serde(rename = "@context")]
        context: &'static str,
        #[serde(flatten)]
        item: &'a Item<'a>,
    }
    #[derive(Serialize)]
    struct Graph<'a> {
        #[serde(rename = "@context")]
        context: &'static str,
        #[serde(rename = "@graph")]
        graph: &'a [Item<'a>],
    }
    const CONTEXT: &str = "https://schema.org";
    let json = match items {
        [] => return String::new(),
        [item] => serde_json::to_string(&One {
            context: CONTEXT,
            item,
        }),
        graph => serde_json::to_string(&Graph {
            context: CONTEXT,
            graph,
        }),
    };
    script_safe(json.unwrap_or_default())
}

/// `json` with `<`, `>` and `&` written as `\u` escapes, which JSON reads as the same
/// characters but HTML cannot take for the end of the element.
fn script_safe(json: String) -> String {
    if !json.contains(['<', '>', '&']) {
        return json;
    }
    let mut safe = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => safe.push_str("\\u003c"),
            '>' => safe.push_str("\\u003e"),
            '&' => safe.push_str("\\u0026"),
            c => safe.push(c),
        }
    }
    safe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales() {
        assert_eq!(og_locale("en"), "en_US");
        assert_eq!(og_locale("ja"), "ja_JP");
        assert_eq!(og_locale("pt-br"), "pt_BR");
    }

    #[test]
    fn script_text_cannot_close_the_element() {
        let trail = [("</script><b>&", "https://example.org/".to_string())];
        let text = to_script(&[breadcrumbs(&trail)]);
        assert!(!text.contains(['<', '>', '&']), "{text}");
        assert!(
            text.contains(r#""name":"\u003c/script\u003e\u003cb\u003e\u0026""#),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(back["itemListElement"][0]["name"], "</script><b>&");
    }
}
