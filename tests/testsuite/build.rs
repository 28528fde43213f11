//! Building fixture sites end to end and reading the HTML a visitor gets.

use crate::common::{Fixture, assert_main_snapshot, files_in, main_of};

#[test]
fn bilingual_pages_have_lang_alternates_and_canonical() {
    let f = Fixture::bilingual();
    f.build_ok(&[]);
    let en = f.read("public/guides/ai-act/index.html");
    let ja = f.read("public/ja/guides/ai-act/index.html");

    assert!(en.contains("<html lang=\"en\""), "{en}");
    assert!(ja.contains("<html lang=\"ja\""));
    for page in [&en, &ja] {
        assert!(page.contains(
            "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/guides/ai-act/\">"
        ));
        assert!(page.contains(
            "<link rel=\"alternate\" hreflang=\"ja\" href=\"https://example.org/ja/guides/ai-act/\">"
        ));
        assert!(page.contains(
            "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/guides/ai-act/\">"
        ));
    }
    assert!(ja.contains("<link rel=\"canonical\" href=\"https://example.org/ja/guides/ai-act/\">"));
    assert!(
        en.contains("<meta name=\"description\" content=\"Japan&#39;s framework law for AI.\">")
    );
    assert!(ja.contains("<meta name=\"description\" content=\"日本のAIに関する枠組み法。\">"));
}

#[test]
fn language_switcher_goes_to_translation_or_home() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/only-english.md",
        "---\ntitle: Only English\n---\nNo translation yet.\n",
    );
    f.build_ok(&[]);
    let en = f.read("public/guides/ai-act/index.html");
    assert!(en.contains("href=\"https://example.org/ja/guides/ai-act/\""));
    let lonely = f.read("public/guides/only-english/index.html");
    // No Japanese version: the switcher leads to the Japanese home instead.
    assert!(lonely.contains("href=\"https://example.org/ja/\""));
    assert!(
        !lonely.contains("hreflang=\"ja\" href=\"https://example.org/ja/guides/only-english/\"")
    );
    assert!(!f.path("public/ja/guides/only-english").exists());
}

#[test]
fn guide_anatomy_dates_sources_tables_footnotes() {
    let f = Fixture::bilingual();
    f.build_ok(&[]);
    let en = f.read("public/guides/ai-act/index.html");
    let ja = f.read("public/ja/guides/ai-act/index.html");
    let main = main_of(&en);
    assert!(main.contains("<h1"));
    assert!(main.contains("The AI Act"));
    assert!(main.contains("<time datetime=\"2026-05-08\">8 May 2026</time>"));
    assert!(main.contains("<time datetime=\"2026-05-18\">18 May 2026</time>"));
    assert!(main.contains("Cabinet Office"));
    assert!(main.contains("AI Act overview"));
    assert!(main.contains("href=\"https://www8.cao.go.jp/cstp/ai/\""));
    // A table scrolls inside a focusable region named by its columns.
    assert!(main.contains(
        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Step, Date\">\n<table>"
    ), "{main}");
    assert!(main.contains("<td class=\"short\">28 May 2025</td>"));
    assert!(main.contains("footnote-definition"));
    assert!(main.contains("href=\"https://example.org/tags/ai-act/\""));
    assert!(main.contains("href=\"https://example.org/categories/governance/\""));

    let main = main_of(&ja);
    assert!(main.contains("<time datetime=\"2026-05-08\">2026年5月8日</time>"));
    assert!(main.contains("<time datetime=\"2025-05-28\">2025年5月28日</time>"));
    assert!(main.contains("内閣府"));
    assert!(main.contains("この法律は<strong>「枠組み法」</strong>である。"));
    assert!(main.contains("<h2 id=\"主な日付\">主な日付</h2>"));
    assert!(main.contains("href=\"https://example.org/ja/tags/ai推進法/\""));
}

#[test]
fn main_of_a_japanese_guide_matches_snapshot() {
    let f = Fixture::bilingual();
    f.build_ok(&[]);
    assert_main_snapshot("ai-act-ja", &f.read("public/ja/guides/ai-act/index.html"));
}

#[test]
fn taxonomy_pages_per_language() {
    let f = Fixture::bilingual();
    f.build_ok(&[]);
    let tags = f.read("public/tags/index.html");
    assert!(tags.contains("href=\"https://example.org/tags/cabinet-office/\""));
    let term = f.read("public/tags/ai-act/index.html");
    assert!(term.contains("href=\"https://example.org/guides/ai-act/\""));
    let ja_term = f.read("public/ja/tags/ai推進法/index.html");
    assert!(ja_term.contains("<html lang=\"ja\""));
    assert!(ja_term.contains("href=\"https://example.org/ja/guides/ai-act/\""));
    let ja_categories = f.read("public/ja/categories/index.html");
    assert!(ja_categories.contains("ガバナンス"));
}

#[test]
fn sub_path_base_url_is_in_every_link() {
    let f = Fixture::bilingual();
    f.build_ok(&["--base-url", "https://example.org/policy/guides"]);
    let en = f.read("public/guides/ai-act/index.html");
    assert!(en.contains("href=\"https://example.org/policy/guides/style.css\""));
    assert!(
        en.contains("hreflang=\"ja\" href=\"https://example.org/policy/guides/ja/guides/ai-act/\"")
    );
    // Every link to this site carries the sub-path.
    for href in en.split("href=\"").skip(1) {
        let url = &href[..href.find('"').unwrap()];
        if url.starts_with("https://example.org/") {
            assert!(
                url.starts_with("https://example.org/policy/guides/"),
                "{url}"
            );
        }
    }
    let sitemap = f.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/policy/guides/ja/guides/ai-act/</loc>"));
    assert!(
        f.read("public/robots.txt")
            .contains("https://example.org/policy/guides/sitemap.xml")
    );
}

#[test]
fn home_sections_feeds_and_404() {
    let f = Fixture::bilingual();
    f.build_ok(&[]);
    let home = f.read("public/index.html");
    assert!(home.contains("Welcome."));
    assert!(home.contains("href=\"https://example.org/guides/ai-act/\""));
    let ja_home = f.read("public/ja/index.html");
    assert!(ja_home.contains("ようこそ。"));
    let section = f.read("public/ja/guides/index.html");
    assert!(section.contains("AI推進法"));
    let feed = f.read("public/ja/atom.xml");
    assert!(feed.contains("<title>AI推進法</title>"));
    assert!(feed.contains("<updated>2026-05-08T00:00:00Z</updated>"));
    let sitemap = f.read("public/sitemap.xml");
    assert!(sitemap.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"ja\" href=\"https://example.org/ja/guides/ai-act/\"/>"
    ));
    // One 404 page for every reader: it says the same in each language, marked as such.
    let not_found = f.read("public/404.html");
    assert!(
        not_found.contains("<div class=\"not-found-other\" lang=\"ja\">")
            && not_found.contains("<h2>ページが見つかりません</h2>")
            && not_found.contains("href=\"https://example.org/ja/\" hreflang=\"ja\""),
        "{not_found}"
    );
    assert!(f.path("public/style.css").is_file());
    let index: serde_json::Value =
        serde_json::from_str(&f.read("public/ja/search-index.json")).expect("JSON");
    assert_eq!(index[0]["title"], "AI推進法");
    assert_eq!(index[0]["url"], "https://example.org/ja/guides/ai-act/");
    assert_eq!(index[0]["headings"][0], "主な日付");
}

#[test]
fn nothing_loads_from_another_host() {
    let f = Fixture::bilingual();
    f.build_ok(&[]);
    for page in [
        "public/index.html",
        "public/ja/guides/ai-act/index.html",
        "public/404.html",
    ] {
        let html = f.read(page);
        for tag in html.split('<').skip(1) {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            let loads = ["script", "img", "iframe", "video", "audio", "source"]
                .iter()
                .any(|t| tag.starts_with(t))
                || (tag.starts_with("link")
                    && ["stylesheet", "icon", "preload", "manifest"]
                        .iter()
                        .any(|r| tag.contains(r)));
            if !loads {
                continue;
            }
            for attr in ["src=\"", "href=\""] {
                if let Some(at) = tag.find(attr) {
                    let url = tag[at + attr.len()..].split('"').next().unwrap_or_default();
                    assert!(
                        !url.contains("//") || url.starts_with("https://example.org/"),
                        "{page} loads {url}"
                    );
                }
            }
        }
    }
    let css = f.read("public/style.css");
    assert!(!css.contains("@import") && !css.contains("url(http") && !css.contains("url(//"));
}

#[test]
fn same_input_gives_identical_output() {
    let f = Fixture::bilingual();
    f.build_ok(&["-o", "one"]);
    f.build_ok(&["-o", "two"]);
    let (one, two) = (files_in(&f.path("one")), files_in(&f.path("two")));
    assert!(one.len() > 10);
    assert_eq!(one, two);
}

#[test]
fn drafts_only_with_the_flag() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/wip.md",
        "---\ntitle: Work in progress\ndraft: true\n---\nSoon.\n",
    );
    f.build_ok(&[]);
    assert!(!f.path("public/guides/wip").exists());
    f.build_ok(&["--drafts"]);
    assert!(f.path("public/guides/wip/index.html").is_file());
}

#[test]
fn page_bundle_files_are_copied_beside_each_language() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/report/index.md",
        "---\ntitle: Report\n---\n![Chart](chart.svg)\n",
    );
    f.write(
        "content/guides/report/index.ja.md",
        "---\ntitle: 報告書\n---\n![図](chart.svg)\n",
    );
    f.write(
        "content/guides/report/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    f.build_ok(&[]);
    assert!(
        f.read("public/guides/report/index.html")
            .contains("<img src=\"chart.svg\" alt=\"Chart\"")
    );
    assert!(f.path("public/guides/report/chart.svg").is_file());
    assert!(f.path("public/ja/guides/report/chart.svg").is_file());
}

#[test]
fn toml_front_matter_and_crlf_files_build() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/toml.md",
        "+++\r\ntitle = \"TOML guide\"\r\ndate = 2026-01-02\r\ntags = [\"TOML\"]\r\n+++\r\n\r\n## Heading\r\n\r\nText.\r\n",
    );
    f.build_ok(&[]);
    let html = f.read("public/guides/toml/index.html");
    assert!(html.contains("TOML guide"));
    assert!(html.contains("<time datetime=\"2026-01-02\">2 January 2026</time>"));
    assert!(html.contains("<h2 id=\"heading\">Heading</h2>"));
}

#[test]
fn site_without_themes_folder_uses_the_built_in_theme_and_overrides_file_by_file() {
    let f = Fixture::bilingual();
    f.build_ok(&[]);
    assert!(f.read("public/index.html").contains("<html lang=\"en\""));
    f.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Custom not found</p>{% endblock content %}",
    );
    f.build_ok(&[]);
    assert!(
        f.read("public/404.html")
            .contains("<p>Custom not found</p>")
    );
    assert!(f.read("public/index.html").contains("Welcome."));
}

#[test]
fn init_scaffolds_a_site_that_builds() {
    let f = Fixture::new();
    let run = f.run(&["init", "newsite"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The next steps it prints are the README's: commit, so that git holds the versions the
    // translations are marked against, and the deploy recipes' gate.
    for step in [
        "  git add -A && git commit -m \"First guides\"\n",
        "  tebiki serve ",
        "  tebiki check --deny warnings ",
    ] {
        assert!(run.stderr.contains(step), "{step}: {}", run.stderr);
    }
    let run = f.run(&["build", "--root", "newsite"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // It passes the deploy recipes' gate as it is: no page is left unlinked.
    let gate = f.run(&["check", "--root", "newsite", "--deny", "warnings"]);
    assert_eq!(gate.code, 0, "{}{}", gate.stdout, gate.stderr);
    let ja = f.read("newsite/public/ja/guides/first-guide/index.html");
    assert!(ja.contains("<html lang=\"ja\""));
    assert!(ja.contains("<strong>「すべて」</strong>"));
    // Its translations are recorded as current from the start.
    let status = f.run(&["translations", "--root", "newsite", "--strict"]);
    assert_eq!(status.code, 0, "{}", status.stdout);
    assert!(
        status
            .stdout
            .contains("ja: 5 current, 0 stale, 0 untracked, 0 missing of 5"),
        "{}",
        status.stdout
    );
    // A second init into the same folder is refused.
    let run = f.run(&["init", "newsite"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
}

/// Create a repository on a forge, clone it, scaffold it: the clone holds `.git` and often a
/// README and a licence, which init leaves as they are. Anything it would write, or any other
/// file, still stops it, and nothing is overwritten.
#[test]
fn init_writes_into_a_fresh_clone_and_never_overwrites() {
    let f = Fixture::new();
    f.write("clone/.git/HEAD", "ref: refs/heads/main\n");
    f.write("clone/.github/CODEOWNERS", "* @someone\n");
    f.write("clone/README.md", "# Our guides\n");
    f.write("clone/LICENSE", "CC BY 4.0\n");
    let run = f.run(&["init", "clone"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(f.read("clone/README.md"), "# Our guides\n");
    assert_eq!(f.read("clone/.git/HEAD"), "ref: refs/heads/main\n");
    assert!(f.path("clone/book.toml").is_file());
    assert!(f.path("clone/content/guides/first-guide.ja.md").is_file());
    // It is a repository already.
    assert!(!run.stderr.contains("git init"), "{}", run.stderr);
    assert_eq!(f.run(&["build", "--root", "clone"]).code, 0);

    for (rel, text) in [
        ("gitignored/.gitignore", "/target/\n"),
        ("notes/notes.txt", "mine\n"),
        ("half/content/_index.md", "---\ntitle: Mine\n---\n"),
    ] {
        f.write(rel, text);
        let (dir, name) = rel.split_once('/').expect("a folder");
        let run = f.run(&["init", dir]);
        assert_eq!(run.code, 2, "{rel}: {}", run.stderr);
        let top = name.split('/').next().expect("a name");
        assert!(
            run.stderr
                .contains(&format!("`{dir}` is not empty: it holds `{top}`")),
            "{rel}: {}",
            run.stderr
        );
        assert_eq!(f.read(rel), text, "{rel} is left as it was");
        assert!(!f.path(&format!("{dir}/book.toml")).exists());
    }
}

#[test]
fn site_static_files_are_copied_and_win_over_the_theme() {
    let f = Fixture::bilingual();
    f.write(
        "static/images/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    f.write("static/style.css", "body { color: black; }");
    f.build_ok(&[]);
    assert!(f.path("public/images/logo.svg").is_file());
    assert_eq!(f.read("public/style.css"), "body { color: black; }");
}

/// static/ is published as it is, hidden files too (`.well-known/`, `.nojekyll` and
/// `.htaccess` are there for the host), but not what editors and git leave in it.
#[test]
fn static_hidden_files_are_published_and_editors_files_are_not() {
    let f = Fixture::bilingual();
    for rel in [
        "static/.well-known/security.txt",
        "static/.nojekyll",
        "static/.htaccess",
        "static/app.js",
        "static/app.js~",
        "static/.app.js.swp",
        "static/app.js.bak",
        "static/.#app.js",
        "static/.DS_Store",
        "static/.gitkeep",
        "static/.git/config",
    ] {
        f.write(rel, "x");
    }
    f.build_ok(&[]);
    for published in [
        ".well-known/security.txt",
        ".nojekyll",
        ".htaccess",
        "app.js",
    ] {
        assert!(
            f.path(&format!("public/{published}")).is_file(),
            "{published}"
        );
    }
    for left_out in [
        "app.js~",
        ".app.js.swp",
        "app.js.bak",
        ".#app.js",
        ".DS_Store",
        ".gitkeep",
        ".git",
    ] {
        assert!(
            !f.path(&format!("public/{left_out}")).exists(),
            "{left_out}"
        );
    }
}

/// The sitemap lists every page a reader can reach, the glossary too, by escaped URLs, with
/// each page's other languages as its `<head>` gives them; a tag page's language switch leads
/// to the same tag in the other language, or to that language's tags; feeds name an author.
#[test]
fn sitemap_feeds_and_tag_pages_name_their_languages() {
    let f = Fixture::bilingual();
    f.write(
        "content/glossary.toml",
        "[[term]]\nid = \"hq\"\n[term.en]\nterm = \"headquarters\"\ndefinition = \"A central body.\"\n[term.ja]\nterm = \"本部\"\ndefinition = \"中心となる組織。\"\n",
    );
    f.write(
        "content/guides/aisi.md",
        "---\ntitle: AISI\ntags: [\"AISI\"]\n---\nThe institute.\n",
    );
    f.write(
        "content/guides/aisi.ja.md",
        "---\ntitle: AISI\ntags: [\"AISI\"]\n---\n研究所。\n",
    );
    f.build_ok(&[]);
    let sitemap = f.read("public/sitemap.xml");
    let entry = |loc: &str| -> String {
        let at = sitemap
            .find(&format!("<loc>{loc}</loc>"))
            .unwrap_or_else(|| panic!("no entry for {loc}:\n{sitemap}"));
        sitemap[at..at + sitemap[at..].find("</url>").expect("end")].to_string()
    };
    let alternate = |lang: &str, href: &str| {
        format!("<xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{href}\"/>")
    };
    assert!(
        entry("https://example.org/glossary/")
            .contains(&alternate("ja", "https://example.org/ja/glossary/"))
    );
    // And x-default, as the pages' <head> names it.
    assert!(
        entry("https://example.org/ja/glossary/")
            .contains(&alternate("x-default", "https://example.org/glossary/"))
    );
    assert!(
        entry("https://example.org/ja/glossary/")
            .contains(&alternate("en", "https://example.org/glossary/"))
    );
    assert!(
        entry("https://example.org/tags/")
            .contains(&alternate("ja", "https://example.org/ja/tags/"))
    );
    assert!(
        entry("https://example.org/tags/aisi/")
            .contains(&alternate("ja", "https://example.org/ja/tags/aisi/"))
    );
    // A tag only one language uses has no alternates.
    assert!(!entry("https://example.org/tags/ai-act/").contains("xhtml:link"));
    // Japanese addresses escaped, as the sitemap protocol asks.
    entry("https://example.org/ja/tags/ai%E6%8E%A8%E9%80%B2%E6%B3%95/");
    assert!(!sitemap.contains("推進法"), "{sitemap}");

    let aisi = f.read("public/tags/aisi/index.html");
    assert!(
        aisi.contains(
            "<a href=\"https://example.org/ja/tags/aisi/\" hreflang=\"ja\" lang=\"ja\">日本語</a>"
        ),
        "{aisi}"
    );
    assert!(
        aisi.contains("hreflang=\"ja\" href=\"https://example.org/ja/tags/aisi/\""),
        "{aisi}"
    );
    let act = f.read("public/tags/ai-act/index.html");
    assert!(
        act.contains("class=\"lang-untranslated\" href=\"https://example.org/ja/tags/\""),
        "{act}"
    );
    // And says where it goes: the list, not the home page.
    assert!(
        act.contains("title=\"Not available (日本語): goes to the list instead\""),
        "{act}"
    );

    assert!(
        f.read("public/atom.xml")
            .contains("<author>\n    <name>Test Guides</name>\n  </author>")
    );
    assert!(
        f.read("public/ja/atom.xml")
            .contains("<author>\n    <name>テストガイド</name>\n  </author>")
    );
}

/// A tag written decomposed (as macOS writes text), or in full-width letters, is the same tag
/// as the one written as usual: one page, listing every guide that names it.
#[test]
fn a_tag_is_one_page_however_its_name_is_written() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/mac.md",
        "---\ntitle: Mac\ntags: [\"\u{30AB}\u{3099}イト\u{3099}ライン\", \"ＡＩ Act\"]\n---\nText.\n",
    );
    f.write(
        "content/guides/pc.md",
        "---\ntitle: PC\ntags: [\"ガイドライン\"]\n---\nText.\n",
    );
    f.build_ok(&[]);
    let tags: Vec<String> = std::fs::read_dir(f.path("public/tags"))
        .expect("tags")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(tags.contains(&"ガイドライン".to_string()), "{tags:?}");
    assert_eq!(
        tags.iter().filter(|t| t.contains("イ")).count(),
        1,
        "{tags:?}"
    );
    assert!(!tags.iter().any(|t| t.contains('ａ')), "{tags:?}");
    let page = f.read("public/tags/ガイドライン/index.html");
    assert!(
        page.contains("/guides/mac/") && page.contains("/guides/pc/"),
        "{page}"
    );
    let act = f.read("public/tags/ai-act/index.html");
    assert!(
        act.contains("/guides/mac/") && act.contains("/guides/ai-act/"),
        "{act}"
    );
    // A page naming one tag two ways links it once.
    f.write(
        "content/guides/twice.md",
        "---\ntitle: Twice\ntags: [\"ＡＩ Act\", \"AI Act\"]\n---\nText.\n",
    );
    f.build_ok(&[]);
    let twice = f.read("public/guides/twice/index.html");
    assert_eq!(
        twice
            .matches("href=\"https://example.org/tags/ai-act/\"")
            .count(),
        1,
        "{twice}"
    );
}

/// A Japanese paragraph wrapped in the source reads as one line: the break between two
/// Japanese characters is dropped (browsers would show it as a space, which Japanese does not
/// have); English, Korean and a break beside a Latin letter keep theirs.
#[test]
fn a_line_break_between_japanese_characters_is_not_a_space() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/wrapped.md",
        "---\ntitle: Wrapped\n---\n日本語の文章を途中で\n改行しました。「引用」も\n（括弧）も同じ。\n\nEnglish wrapped\nhere.\n\n한국어\n문장.\n\n生成\nAI と AI\n推進法。\n\n[法律](ai-act.md)\nで定める。日本\n**語**も。脚注[^a]\nです。吉野\n𠮷野家。\n\n[^a]: 注。\n",
    );
    f.build_ok(&[]);
    let html = f.read("public/guides/wrapped/index.html");
    assert!(
        html.contains("<p>日本語の文章を途中で改行しました。「引用」も（括弧）も同じ。</p>"),
        "{html}"
    );
    assert!(html.contains("English wrapped\nhere."), "{html}");
    assert!(html.contains("한국어\n문장."), "{html}");
    assert!(html.contains("生成\nAI と AI\n推進法。"), "{html}");
    // Beside links and emphasis too.
    assert!(
        html.contains("</a>で定める。日本<strong>語</strong>も。脚注"),
        "{html}"
    );
    // Beside a footnote reference, and before characters beyond the first plane (𠮷).
    assert!(html.contains("</sup>です。吉野𠮷野家。"), "{html}");
}

/// A table's region is named by its header cells, listed as the page's language lists them.
#[test]
fn a_tables_region_is_named_in_the_pages_language() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/t.md",
        "---\ntitle: T\n---\n| Term | 用語 |\n|---|---|\n| a | b |\n",
    );
    f.write(
        "content/guides/t.ja.md",
        "---\ntitle: 表\n---\n| | 2025年 | 2026年 |\n|---|---|---|\n| 予算 | 1 | 2 |\n",
    );
    f.build_ok(&[]);
    assert!(
        f.read("public/guides/t/index.html")
            .contains("role=\"region\" aria-label=\"Term, 用語\"")
    );
    assert!(
        f.read("public/ja/guides/t/index.html")
            .contains("role=\"region\" aria-label=\"2025年、2026年\"")
    );
}

/// A later page of a tag's list leads, in the language switch, to the same tag in the other
/// language when it has it, not to its list of tags.
#[test]
fn a_later_tag_page_switches_to_the_same_tag() {
    let f = Fixture::with_book(&format!(
        "{}\n[pagination]\npaginate_by = 1\n",
        crate::common::BOOK
    ));
    f.write("content/_index.md", "---\ntitle: Home\n---\n");
    f.write("content/_index.ja.md", "---\ntitle: ホーム\n---\n");
    for (file, title) in [("a.md", "A"), ("b.md", "B"), ("a.ja.md", "エー")] {
        f.write(
            &format!("content/guides/{file}"),
            &format!("---\ntitle: {title}\ntags: [\"AISI\"]\n---\nText.\n"),
        );
    }
    f.build_ok(&[]);
    let second = f.read("public/tags/aisi/page/2/index.html");
    assert!(
        second.contains(
            "<a href=\"https://example.org/ja/tags/aisi/\" hreflang=\"ja\" lang=\"ja\">日本語</a>"
        ),
        "{second}"
    );
}

/// The 404 page says its message once for each language the theme has strings for: a
/// language without its own strings would repeat another's text under its own `lang`.
#[test]
fn the_404_page_does_not_repeat_a_language_without_strings() {
    let f = Fixture::with_book(&format!(
        "{}\n[languages.ko]\nname = \"한국어\"\ntitle = \"가이드\"\n",
        crate::common::BOOK
    ));
    f.write("content/_index.md", "---\ntitle: Home\n---\n");
    f.build_ok(&[]);
    let not_found = f.read("public/404.html");
    assert!(not_found.contains("lang=\"ja\">"), "{not_found}");
    assert!(
        !not_found.contains("class=\"not-found-other\" lang=\"ko\""),
        "{not_found}"
    );
}

#[test]
fn a_language_has_its_own_meta_description() {
    let book = crate::common::BOOK.replace(
        "title = \"テストガイド\"",
        "title = \"テストガイド\"\ndescription = \"試験用のガイドです。\"",
    );
    let f = Fixture::bilingual();
    f.write("book.toml", &book);
    f.build_ok(&[]);
    // A Japanese page without a summary of its own, and the Japanese tag list.
    for page in ["public/ja/index.html", "public/ja/tags/index.html"] {
        let html = f.read(page);
        assert!(
            html.contains("<meta name=\"description\" content=\"試験用のガイドです。\">"),
            "{page}: {html}"
        );
    }
    assert!(
        f.read("public/tags/index.html")
            .contains("<meta name=\"description\" content=\"Guides for tests.\">")
    );
}

#[test]
fn a_language_writes_dates_by_its_own_format_and_month_names() {
    let book = crate::common::BOOK.replace(
        "[languages.ja]",
        "[languages.fr]\nname = \"Français\"\ntitle = \"Guides\"\n\n[languages.ja]",
    );
    let f = Fixture::bilingual();
    f.write("book.toml", &book);
    f.write(
        "content/guides/ai-act.fr.md",
        "---\ntitle: Loi sur l'IA\ndate: 2025-05-28\n---\nTexte.\n",
    );
    f.write(
        "themes/default/i18n.toml",
        "[fr]\ndate_format = \"{day} {month_name} {year}\"\nmonths = [\"janvier\", \"février\", \"mars\", \"avril\", \"mai\", \"juin\", \"juillet\", \"août\", \"septembre\", \"octobre\", \"novembre\", \"décembre\"]\n",
    );
    f.build_ok(&[]);
    let fr = f.read("public/fr/guides/ai-act/index.html");
    assert!(
        fr.contains("<time datetime=\"2025-05-28\">28 mai 2025</time>"),
        "{fr}"
    );
    let ja = f.read("public/ja/guides/ai-act/index.html");
    assert!(
        ja.contains("<time datetime=\"2026-05-08\">2026年5月8日</time>"),
        "{ja}"
    );

    // A format naming the month without the names to name it with.
    f.write(
        "themes/default/i18n.toml",
        "[fr]\ndate_format = \"le {day} {month_name} {year}\"\n",
    );
    let stderr = f.build_err();
    assert!(
        stderr.contains("error[i18n]: `date_format` in [fr] names the month by `{month_name}`, but [fr] has no `months`"),
        "{stderr}"
    );
}

#[test]
fn aliases_redirect_earlier_addresses_to_the_page() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/ai-act.md",
        &crate::common::AI_ACT_EN.replacen(
            "---\n",
            "---\naliases: [\"/policy/ai-act/\", \"/old/ai-act.html\", \"/guides/%E6%97%A7/\"]\n",
            1,
        ),
    );
    f.build_ok(&[]);
    let redirect = f.read("public/policy/ai-act/index.html");
    for want in [
        "<html lang=\"en\">",
        "<meta name=\"robots\" content=\"noindex\">",
        "<link rel=\"canonical\" href=\"https://example.org/guides/ai-act/\">",
        "<meta http-equiv=\"refresh\" content=\"0; url=https://example.org/guides/ai-act/\">",
    ] {
        assert!(redirect.contains(want), "missing {want} in {redirect}");
    }
    assert!(f.path("public/old/ai-act.html").is_file());
    assert!(f.path("public/guides/旧/index.html").is_file());
    // Redirects are not addresses of their own for search engines.
    assert!(!f.read("public/sitemap.xml").contains("policy/ai-act"));
    // A link to an earlier address, as an old page of a moved site has, goes to the page.
    f.write(
        "content/guides/linker.md",
        "---\ntitle: Linker\n---\n[old](/policy/ai-act/) [older](/old/ai-act.html#key-dates)\n",
    );
    f.build_ok(&[]);
    let linker = f.read("public/guides/linker/index.html");
    assert!(
        linker.contains("href=\"https://example.org/guides/ai-act/\"")
            && linker.contains("href=\"https://example.org/guides/ai-act/#key-dates\""),
        "{linker}"
    );

    // An alias that takes another page's address, or leaves the output, is an error at its line.
    f.write(
        "content/guides/ai-act.md",
        &crate::common::AI_ACT_EN.replacen(
            "---\n",
            "---\naliases: [\"/guides/\", \"/../up/\"]\n",
            1,
        ),
    );
    let stderr = f.build_err();
    assert!(
        stderr.contains(
            "error[output-collision]: `guides/index.html` would be written twice in the output"
        ) && stderr.contains("an alias of the page content/guides/ai-act.md:2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error[bad-slug]: the alias `/../up/` has the part `..`, which cannot be a file or folder name\n --> content/guides/ai-act.md:2:1"),
        "{stderr}"
    );
}
