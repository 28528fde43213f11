//! What a page tells search engines and link previews beyond its text: the Open Graph locale
//! names and the schema.org structured data (JSON-LD) of each kind of page.

use serde_json::{Value, json};

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

/// A `BreadcrumbList` from the language's home through `trail` ((name, absolute URL)).
pub fn breadcrumbs(trail: &[(&str, String)]) -> Value {
    let items: Vec<Value> = trail
        .iter()
        .enumerate()
        .map(|(i, (name, url))| {
            json!({"@type": "ListItem", "position": i + 1, "name": name, "item": url})
        })
        .collect();
    json!({"@type": "BreadcrumbList", "itemListElement": items})
}

/// The organisation that publishes the site: `[book] publisher`, else the site title.
pub fn publisher(site: &Site, lang: &str) -> Value {
    let name = site
        .config
        .publisher
        .as_deref()
        .unwrap_or_else(|| site.config.title_in(lang));
    json!({"@type": "Organization", "name": name, "url": site.url(&site.home_path(lang))})
}

/// An `Article` for a page.
pub fn article(site: &Site, page: &Page, description: &str) -> Value {
    let meta = page.meta();
    let lang = page.source.lang.as_str();
    let url = site.url(&page.path);
    let mut article = json!({
        "@type": "Article",
        "headline": page.title(),
        "description": description,
        "inLanguage": lang,
        "url": url,
        "mainEntityOfPage": url,
        "publisher": publisher(site, lang),
        "author": publisher(site, lang),
    });
    if let Value::Object(map) = &mut article {
        if let Some(d) = meta.date {
            map.insert("datePublished".into(), d.iso().into());
        }
        if let Some(d) = site.updated(page).or(meta.date) {
            map.insert("dateModified".into(), d.iso().into());
        }
        if !meta.tags.is_empty() {
            map.insert("keywords".into(), meta.tags.join(", ").into());
        }
    }
    article
}

/// A `WebSite` for a language's home page.
pub fn website(site: &Site, lang: &str) -> Value {
    json!({
        "@type": "WebSite",
        "name": site.config.title_in(lang),
        "description": site.config.description,
        "url": site.url(&site.home_path(lang)),
        "inLanguage": lang,
        "publisher": publisher(site, lang),
    })
}

/// The JSON-LD text of `items`, safe inside a `<script>` element: one object, or a `@graph`.
pub fn to_script(items: Vec<Value>) -> String {
    if items.is_empty() {
        return String::new();
    }
    let mut doc = json!({"@context": "https://schema.org"});
    if let Value::Object(map) = &mut doc {
        match <[Value; 1]>::try_from(items) {
            Ok([Value::Object(one)]) => map.extend(one),
            Ok([other]) => {
                map.insert("@graph".into(), Value::Array(vec![other]));
            }
            Err(items) => {
                map.insert("@graph".into(), Value::Array(items));
            }
        }
    }
    serde_json::to_string(&doc)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
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
        let text = to_script(vec![json!({"@type": "Thing", "name": "</script><b>"})]);
        assert!(!text.contains('<'));
        assert!(text.contains("\"@type\":\"Thing\""));
    }
}
