//! The published site as readers and other programs meet it: paginated lists, the home page's
//! newest guides, Open Graph and JSON-LD, update history (page, feed, check), git dates, the
//! favicon and the landmarks of the 404 page.

use crate::common::{AI_ACT_EN, BOOK, Fixture};

/// A guides section with `n` guides dated one day apart (guide-1 the oldest).
fn guides(f: &Fixture, n: usize) {
    for i in 1..=n {
        f.write(
            &format!("content/guides/guide-{i}.md"),
            &format!(
                "---\ntitle: Guide {i}\ndate: 2026-01-{i:02}\ntags: [\"Common\"]\nsources:\n  - title: S\n---\nText {i}.\n"
            ),
        );
    }
}

fn cards(html: &str) -> usize {
    html.matches("<article class=\"card").count()
}

#[test]
fn sections_and_tags_are_paginated_with_clean_urls() {
    let f = Fixture::with_book(&format!("{BOOK}\n[pagination]\npaginate_by = 4\n"));
    f.write(
        "content/guides/_index.md",
        "---\ntitle: Guides\nsort_by: date\npaginate_by: 2\n---\n",
    );
    guides(&f, 5);
    f.build_ok(&[]);

    // The section's own paginate_by: 5 guides, 2 a page, newest first.
    let first = f.read("public/guides/index.html");
    assert_eq!(cards(&first), 2);
    assert!(first.contains("Guide 5") && first.contains("Guide 4") && !first.contains("Guide 3<"));
    assert!(first.contains("<link rel=\"next\" href=\"https://example.org/guides/page/2/\">"));
    assert!(!first.contains("rel=\"prev\""));
    assert!(first.contains("<span class=\"count\">(5)</span>"));
    let second = f.read("public/guides/page/2/index.html");
    assert_eq!(cards(&second), 2);
    assert!(
        second.contains("<link rel=\"canonical\" href=\"https://example.org/guides/page/2/\">")
    );
    assert!(second.contains("<link rel=\"prev\" href=\"https://example.org/guides/\">"));
    assert!(second.contains("<link rel=\"next\" href=\"https://example.org/guides/page/3/\">"));
    assert!(second.contains("aria-current=\"page\">2</span>"));
    let third = f.read("public/guides/page/3/index.html");
    assert_eq!(cards(&third), 1);
    assert!(!third.contains("rel=\"next\""));
    // Page 1 lives at the section's own URL only.
    assert!(!f.path("public/guides/page/1").exists());
    assert!(!f.path("public/guides/page/4").exists());

    // Tags use book.toml's paginate_by: 4 a page.
    let tag = f.read("public/tags/common/index.html");
    assert_eq!(cards(&tag), 4);
    assert!(tag.contains("<link rel=\"next\" href=\"https://example.org/tags/common/page/2/\">"));
    assert_eq!(cards(&f.read("public/tags/common/page/2/index.html")), 1);

    let sitemap = f.read("public/sitemap.xml");
    for url in [
        "https://example.org/guides/page/2/",
        "https://example.org/guides/page/3/",
        "https://example.org/tags/common/page/2/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "{url}");
    }
    assert!(!sitemap.contains("page/1/"));
}

/// A translated section intro translates words: how the section is listed (`sort_by`,
/// `paginate_by`) comes from the default language's `_index.md` unless it says otherwise.
#[test]
fn a_translated_section_intro_inherits_the_list_settings() {
    let f = Fixture::new();
    f.write(
        "content/guides/_index.md",
        "---\ntitle: Guides\nsort_by: date\npaginate_by: 2\n---\n",
    );
    f.write("content/guides/_index.ja.md", "---\ntitle: ガイド\n---\n");
    guides(&f, 5);
    f.write(
        "content/guides/guide-1.ja.md",
        "---\ntitle: ガイド1\ndate: 2026-01-01\nsources:\n  - title: S\n---\n本文。\n",
    );
    f.build_ok(&[]);
    for (en, ja) in [
        ("public/guides/index.html", "public/ja/guides/index.html"),
        (
            "public/guides/page/3/index.html",
            "public/ja/guides/page/3/index.html",
        ),
    ] {
        assert_eq!(cards(&f.read(en)), cards(&f.read(ja)), "{ja}");
    }
    let first = f.read("public/ja/guides/index.html");
    assert_eq!(cards(&first), 2);
    // Newest first, as in English.
    assert!(first.find("Guide 5").expect("5") < first.find("Guide 4").expect("4"));
    assert!(
        f.read("public/ja/guides/page/3/index.html")
            .contains("ガイド1")
    );
    assert!(!f.path("public/ja/guides/page/4").exists());

    // Its own settings win.
    f.write(
        "content/guides/_index.ja.md",
        "---\ntitle: ガイド\nsort_by: title\npaginate_by: 3\n---\n",
    );
    f.build_ok(&[]);
    let first = f.read("public/ja/guides/index.html");
    assert_eq!(cards(&first), 3);
    assert!(first.find("Guide 2").expect("2") < first.find("Guide 3").expect("3"));
    assert!(!f.path("public/ja/guides/page/3").exists());
    assert_eq!(cards(&f.read("public/guides/index.html")), 2);
}

/// A later list page of a section or a tag has its versions in the other languages: the
/// language switch and the `hreflang` alternates lead to the same page number where that
/// language's list has it, the switch to the list's first page where it is shorter; its title
/// and breadcrumb trail name the page number.
#[test]
fn a_later_list_page_leads_to_the_same_page_in_the_other_language() {
    let book = format!("{BOOK}fallback = false\n\n[pagination]\npaginate_by = 2\n");
    let f = Fixture::with_book(&book);
    f.write(
        "content/guides/_index.md",
        "---\ntitle: Guides\nsort_by: date\n---\n",
    );
    f.write("content/guides/_index.ja.md", "---\ntitle: ガイド\n---\n");
    // Five guides in English (three list pages), three in Japanese (two).
    guides(&f, 5);
    for i in 1..=3 {
        f.write(
            &format!("content/guides/guide-{i}.ja.md"),
            &format!("---\ntitle: ガイド{i}\ndate: 2026-01-{i:02}\ntags: [\"Common\"]\nsources:\n  - title: S\n---\n本文。\n"),
        );
    }
    f.build_ok(&[]);
    let url = |path: &str| format!("https://example.org/{path}");
    let switch = |path: &str| format!("<a href=\"{}\" hreflang=", url(path));
    let alternate = |lang: &str, path: &str| {
        format!(
            "<link rel=\"alternate\" hreflang=\"{lang}\" href=\"{}\">",
            url(path)
        )
    };

    for (en, ja) in [
        ("guides/page/2/", "ja/guides/page/2/"),
        ("tags/common/page/2/", "ja/tags/common/page/2/"),
    ] {
        let en_html = f.read(&format!("public/{en}index.html"));
        let ja_html = f.read(&format!("public/{ja}index.html"));
        for html in [&en_html, &ja_html] {
            assert!(html.contains(&alternate("en", en)), "{html}");
            assert!(html.contains(&alternate("ja", ja)), "{html}");
            assert!(html.contains(&alternate("x-default", en)), "{html}");
        }
        assert!(en_html.contains(&switch(ja)), "{en_html}");
        assert!(ja_html.contains(&switch(en)), "{ja_html}");
        assert!(!en_html.contains("lang-untranslated"), "{en_html}");
    }

    // The third English page: Japanese stops at two, so the switch goes to its first page,
    // as to the same list, and no alternate names a page that does not exist.
    for (en, ja) in [
        ("guides/page/3/", "ja/guides/"),
        ("tags/common/page/3/", "ja/tags/common/"),
    ] {
        let html = f.read(&format!("public/{en}index.html"));
        assert!(
            html.contains(&format!(
                "<a href=\"{}\" hreflang=\"ja\" lang=\"ja\">日本語</a>",
                url(ja)
            )),
            "{html}"
        );
        assert!(!html.contains("hreflang=\"ja\" href="), "{html}");
        assert!(html.contains(&alternate("x-default", en)), "{html}");
    }

    // Each list page has a title of its own, in the page's language.
    let second = f.read("public/guides/page/2/index.html");
    assert!(
        second.contains("<title>Guides – page 2 | Test Guides</title>"),
        "{second}"
    );
    assert!(
        f.read("public/ja/guides/page/2/index.html")
            .contains("<title>ガイド（2ページ目） | テストガイド</title>")
    );
    assert!(
        f.read("public/tags/common/page/2/index.html")
            .contains("<title>Tag: Common – page 2 | Test Guides</title>")
    );
    assert!(
        f.read("public/guides/index.html")
            .contains("<title>Guides | Test Guides</title>")
    );
    // The breadcrumb trail: the section once, then the page.
    assert_eq!(second.matches("\"name\":\"Guides\"").count(), 1, "{second}");
    assert!(
        second.contains("\"item\":\"https://example.org/guides/page/2/\",\"name\":\"Page 2\""),
        "{second}"
    );

    // The sitemap gives page 2 the alternates its <head> gives.
    let sitemap = f.read("public/sitemap.xml");
    let entry = sitemap
        .split("<url>")
        .find(|u| u.contains("<loc>https://example.org/guides/page/2/</loc>"))
        .expect("page 2 in the sitemap");
    assert!(
        entry.contains("hreflang=\"ja\" href=\"https://example.org/ja/guides/page/2/\""),
        "{entry}"
    );
    let third = sitemap
        .split("<url>")
        .find(|u| u.contains("<loc>https://example.org/guides/page/3/</loc>"))
        .expect("page 3 in the sitemap");
    assert!(!third.contains("xhtml:link"), "{third}");
}

#[test]
fn the_home_page_lists_the_newest_guides_not_the_whole_site() {
    let f = Fixture::new();
    f.write("content/_index.md", "---\ntitle: Home\n---\n");
    f.write("content/guides/_index.md", "---\ntitle: Guides\n---\n");
    guides(&f, 25);
    f.build_ok(&[]);
    let home = f.read("public/index.html");
    let recent = &home[home.find("home-recent").expect("recent list")..];
    assert_eq!(cards(recent), 10);
    assert!(recent.contains("Guide 25") && !recent.contains("Guide 15<"));
    assert!(home.contains("href=\"https://example.org/guides/\""));
    // The section lists 20 (the default) and links to the rest.
    assert_eq!(cards(&f.read("public/guides/index.html")), 20);
    assert_eq!(cards(&f.read("public/guides/page/2/index.html")), 5);
}

/// The home page's list and a section's count say "pages": they hold briefs, an about page
/// or a timeline as well as guides.
#[test]
fn the_home_page_counts_pages_not_guides() {
    let f = Fixture::bilingual();
    f.write("content/briefs/_index.md", "---\ntitle: Briefs\n---\n");
    f.write("content/briefs/_index.ja.md", "---\ntitle: 短信\n---\n");
    for (file, title) in [
        ("a.md", "A"),
        ("b.md", "B"),
        ("a.ja.md", "エー"),
        ("b.ja.md", "ビー"),
    ] {
        f.write(
            &format!("content/briefs/{file}"),
            &format!("---\ntitle: {title}\ndate: 2026-02-01\n---\nText.\n"),
        );
    }
    f.write(
        "content/about.md",
        "---\ntitle: About\ndate: 2026-03-01\n---\nText.\n",
    );
    f.build_ok(&[]);
    let en = f.read("public/index.html");
    assert!(en.contains(">Recently published</h2>"), "{en}");
    assert!(en.contains("<p class=\"tile-count\">2 pages</p>"), "{en}");
    assert!(
        !en.contains("guides<") && !en.contains("Recent guides"),
        "{en}"
    );
    let ja = f.read("public/ja/index.html");
    assert!(ja.contains(">新着ページ</h2>"), "{ja}");
    assert!(ja.contains("<p class=\"tile-count\">2件</p>"), "{ja}");
    assert!(!ja.contains("件のガイド"), "{ja}");
    let briefs = f.read("public/briefs/index.html");
    assert!(
        briefs.contains(">In this section <span class=\"count\">(2)</span>"),
        "{briefs}"
    );
}

/// The 404 page is served at addresses that do not exist, in every language: it has no
/// canonical address, language versions or language switch, and asks not to be indexed.
#[test]
fn the_404_page_has_no_address_of_its_own() {
    let f = Fixture::bilingual();
    f.build_ok(&[]);
    let html = f.read("public/404.html");
    for part in [
        "rel=\"canonical\"",
        "hreflang=\"x-default\"",
        "rel=\"alternate\" hreflang",
        "og:url",
        "class=\"lang-switch\"",
        "not-translated",
        "Not translated yet",
    ] {
        assert!(!html.contains(part), "{part}: {html}");
    }
    assert!(
        html.contains("<meta name=\"robots\" content=\"noindex\">"),
        "{html}"
    );
    // Both homes are still linked, each in its own language.
    assert!(
        html.contains("<a href=\"https://example.org/ja/\" hreflang=\"ja\">"),
        "{html}"
    );
    // Other pages keep theirs.
    let page = f.read("public/guides/ai-act/index.html");
    assert!(page.contains("<link rel=\"canonical\""), "{page}");
    assert!(page.contains("class=\"lang-switch\""), "{page}");
}

#[test]
fn paginate_by_must_be_a_positive_whole_number() {
    let f = Fixture::with_book(&format!("{BOOK}\n[pagination]\npaginate_by = 0\n"));
    f.write("content/guides/a.md", "---\ntitle: A\n---\n");
    let err = f.build_err();
    assert!(
        err.contains("`paginate_by = 0` must be a whole number of at least 1"),
        "{err}"
    );
    assert!(err.contains("book.toml:16"), "{err}");

    let f = Fixture::new();
    f.write(
        "content/guides/_index.md",
        "---\ntitle: Guides\npaginate_by: many\n---\n",
    );
    let err = f.build_err();
    assert!(
        err.contains("`paginate_by` must be a whole number of at least 1"),
        "{err}"
    );
    assert!(err.contains("content/guides/_index.md:3"), "{err}");
}

/// The JSON-LD document of a page.
fn json_ld(html: &str) -> serde_json::Value {
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("the page has JSON-LD")
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").expect("closed");
    serde_json::from_str(&html[start..end]).expect("JSON-LD parses")
}

/// The items of a JSON-LD document: its `@graph`, or itself.
fn items(doc: &serde_json::Value) -> Vec<serde_json::Value> {
    match doc.get("@graph").and_then(|g| g.as_array()) {
        Some(graph) => graph.clone(),
        None => vec![doc.clone()],
    }
}

fn of_type(doc: &serde_json::Value, kind: &str) -> serde_json::Value {
    items(doc)
        .into_iter()
        .find(|i| i["@type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {doc}"))
}

#[test]
fn a_guide_has_open_graph_and_schema_org_article_and_breadcrumbs() {
    let f = Fixture::with_book(&BOOK.replace(
        "default_language = \"en\"",
        "default_language = \"en\"\npublisher = \"Policy Desk\"",
    ));
    f.write("content/_index.md", "---\ntitle: Home\n---\n");
    f.write("content/guides/_index.md", "---\ntitle: Guides\n---\n");
    f.write("content/guides/ai-act.md", AI_ACT_EN);
    f.write(
        "content/guides/ai-act.ja.md",
        "---\ntitle: \"AI推進法 </script>\"\ndate: 2026-05-08\n---\n本文。\n",
    );
    f.build_ok(&[]);
    let en = f.read("public/guides/ai-act/index.html");
    for tag in [
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:title\" content=\"The AI Act\">",
        "<meta property=\"og:description\" content=\"Japan&#39;s framework law for AI.\">",
        "<meta property=\"og:url\" content=\"https://example.org/guides/ai-act/\">",
        "<meta property=\"og:site_name\" content=\"Test Guides\">",
        "<meta property=\"og:locale\" content=\"en_US\">",
        "<meta property=\"og:locale:alternate\" content=\"ja_JP\">",
    ] {
        assert!(en.contains(tag), "missing {tag}");
    }

    let doc = json_ld(&en);
    assert_eq!(doc["@context"], "https://schema.org");
    let article = of_type(&doc, "Article");
    assert_eq!(article["headline"], "The AI Act");
    assert_eq!(article["description"], "Japan's framework law for AI.");
    assert_eq!(article["datePublished"], "2026-05-08");
    assert_eq!(article["dateModified"], "2026-05-18");
    assert_eq!(article["inLanguage"], "en");
    assert_eq!(article["url"], "https://example.org/guides/ai-act/");
    assert_eq!(
        article["mainEntityOfPage"],
        "https://example.org/guides/ai-act/"
    );
    assert_eq!(article["publisher"]["@type"], "Organization");
    assert_eq!(article["publisher"]["name"], "Policy Desk");
    assert_eq!(article["author"]["name"], "Policy Desk");
    let crumbs = of_type(&doc, "BreadcrumbList");
    let list = crumbs["itemListElement"].as_array().expect("a list");
    let trail: Vec<(u64, &str, &str)> = list
        .iter()
        .map(|i| {
            assert_eq!(i["@type"], "ListItem");
            (
                i["position"].as_u64().expect("position"),
                i["name"].as_str().expect("name"),
                i["item"].as_str().expect("item"),
            )
        })
        .collect();
    assert_eq!(
        trail,
        vec![
            (1, "Home", "https://example.org/"),
            (2, "Guides", "https://example.org/guides/"),
            (3, "The AI Act", "https://example.org/guides/ai-act/"),
        ]
    );

    // The Japanese page: its own language, and a title that cannot end the script element.
    let ja = f.read("public/ja/guides/ai-act/index.html");
    assert!(ja.contains("<meta property=\"og:locale\" content=\"ja_JP\">"));
    assert!(ja.contains("<meta property=\"og:locale:alternate\" content=\"en_US\">"));
    let doc = json_ld(&ja);
    let article = of_type(&doc, "Article");
    assert_eq!(article["inLanguage"], "ja");
    assert_eq!(article["headline"], "AI推進法 </script>");
    assert_eq!(article["dateModified"], "2026-05-08");

    // The home page is a WebSite; a section has its breadcrumbs.
    let home = json_ld(&f.read("public/index.html"));
    assert_eq!(of_type(&home, "WebSite")["name"], "Test Guides");
    let section = json_ld(&f.read("public/guides/index.html"));
    assert_eq!(
        of_type(&section, "BreadcrumbList")["itemListElement"][1]["item"],
        "https://example.org/guides/"
    );
}

const WITH_CHANGES: &str = r#"---
title: "The AI Act"
date: 2026-05-08
updated: 2026-07-01
changes:
  - date: 2026-06-01
    note: "Added the date the Act came fully into force."
  - date: 2026-07-01
    note: "Corrected the name of the headquarters."
sources:
  - title: S
---
Text.
"#;

#[test]
fn a_guide_shows_its_update_history_and_the_feed_carries_each_update() {
    let f = Fixture::new();
    f.write("content/guides/ai-act.md", WITH_CHANGES);
    f.build_ok(&[]);
    let page = f.read("public/guides/ai-act/index.html");
    assert!(page.contains(
        "<p class=\"guide-dates\"><span>Published <time datetime=\"2026-05-08\">8 May 2026</time></span><span class=\"sep\" aria-hidden=\"true\"> · </span><span>Last updated <time datetime=\"2026-07-01\">1 July 2026</time></span> <a class=\"see-updates\" href=\"#updates\">See all updates</a>"
    ), "{page}");
    let updates = &page[page.find("id=\"updates\"").expect("the updates list")..];
    let newest = updates.find("Corrected the name").expect("newest note");
    let older = updates.find("Added the date").expect("older note");
    let first = updates.find("First published.").expect("first publication");
    assert!(newest < older && older < first);

    let feed = f.read("public/atom.xml");
    roxmltree::Document::parse(&feed).expect("the feed is XML");
    assert!(feed.contains("<id>https://example.org/guides/ai-act/#update-2026-07-01</id>"));
    assert!(feed.contains("<summary>Corrected the name of the headquarters.</summary>"));
    assert!(feed.contains("<id>https://example.org/guides/ai-act/#update-2026-06-01</id>"));
    assert!(feed.contains("<id>https://example.org/guides/ai-act/</id>"));
    // An update's entry is told apart from the page's own by its title.
    assert_eq!(
        feed.matches("<title>Updated: The AI Act</title>").count(),
        2,
        "{feed}"
    );
    assert_eq!(
        feed.matches("<title>The AI Act</title>").count(),
        1,
        "{feed}"
    );
    // Newest first: the latest update before the publication.
    assert!(feed.find("#update-2026-07-01").unwrap() < feed.find("#update-2026-06-01").unwrap());

    let check = f.run(&["check"]);
    assert!(
        !check.stdout.contains("unexplained-update"),
        "{}",
        check.stdout
    );
}

/// A feed's `updated` is the latest of its entries' (RFC 4287 4.2.15): a reader polling it
/// must not see the feed older than a page it lists.
#[test]
fn a_feed_is_updated_when_its_latest_entry_is() {
    let f = Fixture::new();
    f.write(
        "content/guides/ai-act.md",
        &WITH_CHANGES.replace("updated: 2026-07-01", "updated: 2026-08-15"),
    );
    f.build_ok(&[]);
    let feed = f.read("public/atom.xml");
    let doc = roxmltree::Document::parse(&feed).expect("the feed is XML");
    let updated = |node: roxmltree::Node<'_, '_>| {
        node.children()
            .find(|n| n.has_tag_name("updated"))
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_string()
    };
    let root = doc.root_element();
    let entries: Vec<String> = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .map(updated)
        .collect();
    assert!(
        entries.contains(&"2026-08-15T00:00:00Z".to_string()),
        "{feed}"
    );
    assert_eq!(updated(root), "2026-08-15T00:00:00Z", "{feed}");
}

/// A page with no date at all is not in the feed, where it would claim to date from 1970.
#[test]
fn a_page_without_a_date_is_left_out_of_the_feed() {
    let f = Fixture::new();
    f.write("content/guides/ai-act.md", WITH_CHANGES);
    f.write(
        "content/about.md",
        "---\ntitle: About us\n---\nWho we are.\n",
    );
    f.build_ok(&[]);
    let feed = f.read("public/atom.xml");
    assert!(!feed.contains("About us"), "{feed}");
    assert!(!feed.contains("1970"), "{feed}");
    assert!(feed.contains("<title>The AI Act</title>"), "{feed}");
    assert!(f.read("public/about/index.html").contains("About us"));
}

#[test]
fn check_warns_when_updated_moves_without_a_note() {
    let f = Fixture::new();
    f.write(
        "content/guides/ai-act.md",
        &WITH_CHANGES.replace("updated: 2026-07-01", "updated: 2026-08-15"),
    );
    f.write(
        "content/guides/plain.md",
        "---\ntitle: Plain\ndate: 2026-05-08\nupdated: 2026-05-09\nsources:\n  - title: S\n---\nText.\n",
    );
    let check = f.run(&["check", "--format", "json"]);
    let found: serde_json::Value = serde_json::from_str(&check.stdout).expect("JSON");
    let warnings: Vec<(&str, u64)> = found
        .as_array()
        .expect("a list")
        .iter()
        .filter(|d| d["code"] == "unexplained-update")
        .map(|d| {
            (
                d["file"].as_str().unwrap_or(""),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        warnings,
        vec![
            ("content/guides/ai-act.md", 4),
            ("content/guides/plain.md", 4)
        ]
    );
    assert_eq!(check.code, 0, "a warning, not an error");
}

#[test]
fn a_change_note_needs_a_date_and_a_note() {
    let f = Fixture::new();
    f.write(
        "content/guides/a.md",
        "---\ntitle: A\nchanges:\n  - date: 2026-06-01\n  - note: \"No date.\"\n  - {date: 2026-06-02, note: \"x\", major: true}\n---\n",
    );
    let err = f.build_err();
    assert!(
        err.contains("every change note needs a one-line `note`"),
        "{err}"
    );
    assert!(err.contains("every change note needs a `date`"), "{err}");
    assert!(
        err.contains("unknown key `major` in a change note"),
        "{err}"
    );
    assert!(err.contains("content/guides/a.md:5"), "{err}");
}

#[test]
fn git_dates_stand_in_for_a_missing_updated_when_asked() {
    let book = BOOK.replace(
        "[languages.en]",
        "[build]\ngit_dates = true\n\n[languages.en]",
    );
    let f = Fixture::with_book(&book);
    f.write(
        "content/guides/a.md",
        "---\ntitle: A\ndate: 2026-01-05\n---\nText.\n",
    );
    f.write(
        "content/guides/b.md",
        "---\ntitle: B\ndate: 2026-01-05\nupdated: 2026-02-01\n---\nText.\n",
    );
    // Without git: the build goes on, and shows no date it does not know.
    f.build_ok(&[]);
    assert!(
        !f.read("public/guides/a/index.html")
            .contains("Last updated")
    );

    let git = |args: &[&str]| {
        let out = f
            .git_command()
            .args(args)
            .env("GIT_AUTHOR_DATE", "2026-03-04T10:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-03-04T10:00:00Z")
            .env("GIT_AUTHOR_NAME", "T")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "T")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "Add guides"]);
    f.build_ok(&[]);
    let a = f.read("public/guides/a/index.html");
    assert!(
        a.contains("Last updated <time datetime=\"2026-03-04\">"),
        "{a}"
    );
    // Front matter wins over git.
    let b = f.read("public/guides/b/index.html");
    assert!(
        b.contains("Last updated <time datetime=\"2026-02-01\">"),
        "{b}"
    );
    assert!(
        f.read("public/sitemap.xml")
            .contains("<lastmod>2026-03-04</lastmod>")
    );

    // Off by default.
    f.write("book.toml", BOOK);
    f.build_ok(&[]);
    assert!(
        !f.read("public/guides/a/index.html")
            .contains("Last updated")
    );
}

#[test]
fn every_page_has_a_favicon_and_landmarks_the_404_page_too() {
    let f = Fixture::bilingual();
    f.build_ok(&[]);
    assert!(f.read("public/favicon.svg").starts_with("<svg"));
    for page in [
        "public/404.html",
        "public/index.html",
        "public/guides/ai-act/index.html",
        "public/ja/tags/index.html",
    ] {
        let html = f.read(page);
        for part in [
            "<link rel=\"icon\" href=\"https://example.org/favicon.svg\" type=\"image/svg+xml\">",
            "<header class=\"site-header\">",
            "<nav ",
            "<main id=\"main\"",
            "<footer class=\"site-footer\">",
        ] {
            assert!(html.contains(part), "{page} lacks {part}");
        }
    }
    // A site's own static/favicon.svg replaces the theme's.
    f.write("static/favicon.svg", "<svg id=\"own\"/>");
    f.build_ok(&[]);
    assert_eq!(f.read("public/favicon.svg"), "<svg id=\"own\"/>");
}

#[test]
fn a_glossary_of_many_terms_lists_fewer_uses_of_each() {
    let f = Fixture::new();
    // 30 terms, each used by 12 pages: 300 links shared out is 10 a term.
    let mut glossary = String::new();
    for t in 0..30 {
        glossary.push_str(&format!(
            "[[term]]\nid = \"t{t}\"\n[term.en]\nterm = \"zork{t}\"\ndefinition = \"Term {t}.\"\n"
        ));
    }
    f.write("content/glossary.toml", &glossary);
    let body: Vec<String> = (0..30).map(|t| format!("zork{t}")).collect();
    for p in 0..12 {
        f.write(
            &format!("content/guides/p{p}.md"),
            &format!("---\ntitle: Page {p}\n---\n{}.\n", body.join(" and ")),
        );
    }
    f.build_ok(&[]);
    let page = f.read("public/glossary/index.html");
    let entry = &page[page.find("id=\"t7\"").expect("entry")..];
    let entry = &entry[..entry.find("</dd>").expect("end")];
    assert_eq!(
        entry.matches("href=\"https://example.org/guides/p").count(),
        10
    );
    assert!(entry.contains("and 2 more"), "{entry}");
}

/// The links of a page's visible breadcrumb trail, home first.
fn breadcrumb_links(html: &str) -> Vec<&str> {
    let start = html
        .find("<nav class=\"breadcrumb\"")
        .expect("a breadcrumb trail");
    let end = start + html[start..].find("</nav>").expect("its end");
    html[start..end]
        .split("<a href=\"")
        .skip(1)
        .filter_map(|link| link.split('"').next())
        .collect()
}

#[test]
fn the_breadcrumb_trail_names_every_section_above_a_page_once() {
    let f = Fixture::bilingual();
    f.write("content/guides/tax/_index.md", "---\ntitle: Tax\n---\n");
    f.write("content/guides/tax/_index.ja.md", "---\ntitle: 税制\n---\n");
    f.write(
        "content/guides/tax/credit.ja.md",
        "---\ntitle: 税額控除\nsources:\n  - title: S\n---\n本文。\n",
    );
    f.write(
        "content/about.md",
        "---\ntitle: About\nsources:\n  - title: S\n---\nText.\n",
    );
    for i in 1..=3 {
        f.write(
            &format!("content/guides/tax/rule-{i}.md"),
            &format!(
                "---\ntitle: Rule {i}\ndate: 2026-01-0{i}\nsources:\n  - title: S\n---\nText.\n"
            ),
        );
    }
    f.write(
        "book.toml",
        &format!("{BOOK}\n[pagination]\npaginate_by = 2\n"),
    );
    f.build_ok(&[]);
    let home = "https://example.org/";
    // A nested section's page: home, then each section above it, outermost first.
    assert_eq!(
        breadcrumb_links(&f.read("public/ja/guides/tax/credit/index.html")),
        [
            "https://example.org/ja/",
            "https://example.org/ja/guides/",
            "https://example.org/ja/guides/tax/",
        ]
    );
    // A page directly under the home page: home alone, not home twice.
    assert_eq!(breadcrumb_links(&f.read("public/about/index.html")), [home]);
    // A section: the sections above it; its later list pages lead back to its first.
    assert_eq!(
        breadcrumb_links(&f.read("public/guides/tax/index.html")),
        [home, "https://example.org/guides/"]
    );
    assert_eq!(
        breadcrumb_links(&f.read("public/guides/tax/page/2/index.html")),
        [
            home,
            "https://example.org/guides/",
            "https://example.org/guides/tax/",
        ]
    );
    // The trail readers see is the one search engines read.
    let page = f.read("public/ja/guides/tax/credit/index.html");
    assert!(
        page.contains("\"item\":\"https://example.org/ja/guides/tax/\",\"name\":\"税制\""),
        "{page}"
    );
    // A site's template may still give the component a trail of its own.
    f.write(
        "themes/default/templates/section.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ <breadcrumb trail={[{\"title\": \"Index\", \"url\": \"/index/\"}]} /> }}\n{% endblock content %}\n",
    );
    f.build_ok(&[]);
    assert_eq!(
        breadcrumb_links(&f.read("public/guides/tax/index.html")),
        [home, "/index/"]
    );
}
