//! Cross-links between guides: resolution in the reader's language, fragments, errors with
//! file:line:col, backlinks, and `tebiki check`.

use crate::common::{Fixture, assert_snapshot, main_of};

/// A site with guides and briefs in two languages, one English-only guide, a bundle and a
/// Japanese file name.
fn linked_site() -> Fixture {
    let f = Fixture::bilingual();
    f.write("content/briefs/_index.md", "---\ntitle: Briefs\n---\n");
    f.write(
        "content/briefs/meti.md",
        "---\ntitle: METI warning\n---\n## Outlook\n\nText.\n",
    );
    f.write(
        "content/briefs/meti.ja.md",
        "---\ntitle: 経産省の警告\n---\n## 見通し\n\n本文。\n",
    );
    f.write(
        "content/guides/english-only.md",
        "---\ntitle: English only\n---\n## Scope\n\nText.\n",
    );
    f.write(
        "content/guides/report/index.md",
        "---\ntitle: Report\n---\nReport.\n",
    );
    f.write(
        "content/guides/report/index.ja.md",
        "---\ntitle: 報告書\n---\n報告。\n",
    );
    f.write(
        "content/guides/用語集.md",
        "---\ntitle: Glossary page\n---\nTerms.\n",
    );
    f
}

fn hrefs(html: &str) -> Vec<String> {
    main_of(html)
        .split("href=\"")
        .skip(1)
        .map(|h| h[..h.find('"').unwrap()].to_string())
        .collect()
}

#[test]
fn relative_rooted_bundle_section_and_reference_links_resolve() {
    let f = linked_site();
    f.write(
        "content/guides/links.md",
        "---\ntitle: Links\n---\n\
         [a](ai-act.md) [b](./ai-act.md#key-dates) [c](../briefs/meti.md#outlook)\n\
         [d](@/guides/ai-act.md?x=1#what-it-creates) [e](report/index.md) [f](report/)\n\
         [g](_index.md) [h](../briefs/_index.md) [i][ref] [j](用語集.md)\n\
         [k](%E7%94%A8%E8%AA%9E%E9%9B%86.md) [l](https://example.com/x.md) [m](report/chart.png)\n\
         [n](資料%201.csv)\n\n\
         [ref]: english-only.md#scope\n",
    );
    f.write_bytes("content/guides/資料 1.csv", b"a,b\n");
    f.write_bytes("content/guides/report/chart.png", b"png");
    f.build_ok(&[]);
    let links = hrefs(&f.read("public/guides/links/index.html"));
    let expected = [
        "https://example.org/guides/ai-act/",
        "https://example.org/guides/ai-act/#key-dates",
        "https://example.org/briefs/meti/#outlook",
        "https://example.org/guides/ai-act/?x=1#what-it-creates",
        "https://example.org/guides/report/",
        "https://example.org/guides/report/",
        "https://example.org/guides/",
        "https://example.org/briefs/",
        "https://example.org/guides/english-only/#scope",
        "https://example.org/guides/%E7%94%A8%E8%AA%9E%E9%9B%86/",
        "https://example.org/guides/%E7%94%A8%E8%AA%9E%E9%9B%86/",
        "https://example.com/x.md",
        // Files: one in a bundle, beside the bundle's page; one beside this page, in the
        // section's folder (not in this page's own folder, where `資料 1.csv` would look).
        "https://example.org/guides/report/chart.png",
        "https://example.org/guides/%E8%B3%87%E6%96%99%201.csv",
    ];
    for want in expected {
        assert!(
            links.iter().any(|l| l == want),
            "missing {want} in {links:?}"
        );
    }
}

/// `ガ` stored as `カ` and a combining mark (NFD), as macOS tools and archives often name files.
fn decomposed(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let nfd: String = name.nfd().collect();
    assert_ne!(nfd, name, "{name} must change when decomposed");
    nfd
}

#[test]
fn files_named_in_decomposed_unicode_are_linked_and_published_under_the_composed_name() {
    let f = linked_site();
    let (guide, bundle, chart, logo) = (
        decomposed("ガイド"),
        decomposed("データ"),
        decomposed("グラフ.png"),
        decomposed("ロゴ.svg"),
    );
    f.write(
        &format!("content/guides/{guide}.md"),
        "---\ntitle: Guide\n---\n![chart](データ/グラフ.png)\n",
    );
    f.write(
        &format!("content/guides/{guide}.ja.md"),
        "---\ntitle: ガイド\n---\n本文。\n",
    );
    f.write(
        &format!("content/guides/{bundle}/index.md"),
        "---\ntitle: Data\n---\n![chart](グラフ.png)\n",
    );
    f.write_bytes(&format!("content/guides/{bundle}/{chart}"), b"png");
    f.write_bytes(&format!("static/{logo}"), b"<svg/>");
    // Links typed as writers type them (composed), and one pasted from a decomposed name.
    f.write(
        "content/guides/links.md",
        &format!(
            "---\ntitle: Links\n---\n[a](ガイド.md) [b](@/guides/データ/index.md) \
             [c](/guides/ガイド/) ![d](/ロゴ.svg) [e]({guide}.md)\n"
        ),
    );
    f.build_ok(&[]);

    let guide_url = "https://example.org/guides/%E3%82%AC%E3%82%A4%E3%83%89/";
    let links = hrefs(&f.read("public/guides/links/index.html"));
    for want in [
        guide_url,
        "https://example.org/guides/%E3%83%87%E3%83%BC%E3%82%BF/",
    ] {
        assert!(
            links.iter().any(|l| l == want),
            "missing {want} in {links:?}"
        );
    }
    assert!(
        f.read("public/guides/links/index.html")
            .contains("src=\"https://example.org/%E3%83%AD%E3%82%B4.svg\""),
        "the static file is linked by its composed name"
    );
    // The translation is found as one, and every file is written under its composed name,
    // which is what the HTML links to and what a host looks up.
    let page = f.read("public/guides/ガイド/index.html");
    assert!(
        page.contains("hreflang=\"ja\" href=\"https://example.org/ja/guides/ガイド/\""),
        "{page}"
    );
    for file in [
        "public/ja/guides/ガイド/index.html",
        "public/guides/データ/グラフ.png",
        "public/guides/データ/index.html",
        "public/ロゴ.svg",
    ] {
        assert!(f.path(file).is_file(), "{file} is not written");
    }
    let decomposed_names: Vec<_> = walkdir::WalkDir::new(f.path("public"))
        .into_iter()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !unicode_normalization::is_nfc(name))
        .collect();
    assert!(decomposed_names.is_empty(), "{decomposed_names:?}");
}

#[test]
fn links_follow_the_readers_language_and_fall_back_with_a_badge() {
    let f = linked_site();
    f.write(
        "content/guides/links.md",
        "---\ntitle: Links\n---\n[law](ai-act.md) and [Japanese law](ai-act.ja.md)\n",
    );
    f.write(
        "content/guides/links.ja.md",
        "---\ntitle: リンク\n---\n[法律](ai-act.md)と[英語のみ](english-only.md#scope)と[報告](report/)\n",
    );
    f.build_ok(&[]);
    let en = f.read("public/guides/links/index.html");
    assert!(hrefs(&en).contains(&"https://example.org/guides/ai-act/".to_string()));
    assert!(hrefs(&en).contains(&"https://example.org/ja/guides/ai-act/".to_string()));
    let ja = main_of(&f.read("public/ja/guides/links/index.html")).to_string();
    assert!(
        ja.contains("<a href=\"https://example.org/ja/guides/ai-act/\">法律</a>"),
        "{ja}"
    );
    assert!(
        ja.contains("<a href=\"https://example.org/ja/guides/report/\">報告</a>"),
        "{ja}"
    );
    assert!(
        ja.contains(
            "<a href=\"https://example.org/guides/english-only/#scope\" hreflang=\"en\">英語のみ</a> <span class=\"lang-badge\" title=\"未翻訳のため原文（English）を表示しています\"><span lang=\"en\">English</span></span>"
        ),
        "{ja}"
    );
}

#[test]
fn empty_link_text_is_the_target_title_in_the_readers_language() {
    let f = linked_site();
    f.write(
        "content/guides/links.md",
        "---\ntitle: Links\n---\nSee [](ai-act.md).\n",
    );
    f.write(
        "content/guides/links.ja.md",
        "---\ntitle: リンク\n---\n[](ai-act.md)を参照。\n",
    );
    f.build_ok(&[]);
    assert!(
        f.read("public/guides/links/index.html")
            .contains("See <a href=\"https://example.org/guides/ai-act/\">The AI Act</a>.")
    );
    assert!(
        f.read("public/ja/guides/links/index.html")
            .contains("<a href=\"https://example.org/ja/guides/ai-act/\">AI推進法</a>を参照。")
    );
}

#[test]
fn broken_links_are_errors_with_position_and_suggestion() {
    let f = linked_site();
    f.write(
        "content/guides/drafty.md",
        "---\ntitle: Draft\ndraft: true\n---\nSoon.\n",
    );
    f.write(
        "content/guides/broken.md",
        "---\ntitle: Broken\n---\nIntro.\n\nSee [the act](ai-acts.md) and [x](../../outside.md).\n\
         Also [draft](drafty.md), [anchor](ai-act.md#key-date) and [self](#nowhere).\n\n## Here\n",
    );
    let stderr = f.build_err();
    assert_snapshot(
        "links/broken_links_are_errors_with_position_and_suggestion.txt",
        &stderr,
    );
    // With --drafts the draft is published and the link is fine.
    f.write(
        "content/guides/broken.md",
        "---\ntitle: Broken\n---\n[draft](drafty.md)\n",
    );
    f.build_ok(&["--drafts"]);
}

#[test]
fn a_page_with_errors_of_its_own_is_reported_once_not_at_every_link_to_it() {
    let f = linked_site();
    f.write(
        "content/guides/typo.md",
        "---\ntitle: 誤記\nbogus: 1\n---\n本文。[壊れた](nowhere.md)\n",
    );
    f.write(
        "content/guides/linker.md",
        "---\ntitle: Linker\nrelated: [\"guides/typo.md\", \"guides/later.md\"]\n---\nSee [a](typo.md), [b](@/guides/typo.md) and [c](AI-ACT.md).\n\n[d](linkr.md)\n",
    );
    f.write(
        "content/guides/later.md",
        "---\ntitle: Later\ndraft: true\n---\nNot yet.\n",
    );
    let stderr = f.build_err();
    assert!(
        stderr.contains("unknown key `bogus`") && stderr.contains("content/guides/typo.md:3"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("typo.md`, which does not exist"),
        "{stderr}"
    );
    // A link in another case is told the page's name; a near miss is never told its own page.
    assert!(stderr.contains("did you mean `ai-act.md`?"), "{stderr}");
    assert!(
        stderr.contains("link to `linkr.md`, which does not exist"),
        "{stderr}"
    );
    assert!(!stderr.contains("did you mean `linker.md`?"), "{stderr}");
    // Nor is it a related guide that "does not exist"; a draft is named as a draft.
    assert!(
        !stderr.contains("`guides/typo.md` does not exist"),
        "{stderr}"
    );
    assert!(
        stderr.contains("related guide `guides/later.md` is a draft and is not published"),
        "{stderr}"
    );
    // A page whose front matter has a wrong or unknown key is still read: its body's
    // problems come in the same run.
    assert!(
        stderr.contains("link to `nowhere.md`, which does not exist")
            && stderr.contains("content/guides/typo.md:5:4"),
        "{stderr}"
    );
    assert!(stderr.contains("error: 5 errors found"), "{stderr}");
    // A title of the wrong type leaves nothing to title the page by: it is left out.
    f.write(
        "content/guides/typo.md",
        "---\ntitle: 2024\n---\n本文。[壊れた](nowhere.md)\n",
    );
    let stderr = f.build_err();
    assert!(stderr.contains("`title` must be"), "{stderr}");
    assert!(!stderr.contains("nowhere.md"), "{stderr}");
}

#[test]
fn a_translation_linking_to_an_anchor_only_in_the_original_is_reported_on_the_translation() {
    let f = linked_site();
    f.write(
        "content/guides/links.md",
        "---\ntitle: Links\n---\n[dates](ai-act.md#key-dates)\n",
    );
    f.write(
        "content/guides/links.ja.md",
        "---\ntitle: リンク\n---\n[日付](ai-act.md#key-dates)\n",
    );
    let stderr = f.build_err();
    assert_snapshot(
        "links/a_translation_linking_to_an_anchor_only_in_the_original_is_reported_on_the_translation.txt",
        &stderr,
    );
    // The Japanese heading id, written as is or percent-encoded, is right.
    f.write("content/guides/links.ja.md", "---\ntitle: リンク\n---\n[日付](ai-act.md#主な日付) [同](ai-act.md#%E4%B8%BB%E3%81%AA%E6%97%A5%E4%BB%98)\n");
    f.build_ok(&[]);
}

#[test]
fn exact_position_deep_in_a_crlf_file_with_long_front_matter() {
    let f = linked_site();
    let mut text = String::from("---\r\ntitle: Deep\r\n");
    for i in 0..30 {
        text.push_str(&format!("# comment line {i}\r\n"));
    }
    text.push_str("tags: [\"a\"]\r\n---\r\n\r\n");
    for i in 0..40 {
        text.push_str(&format!("Paragraph {i} of text.\r\n\r\n"));
    }
    text.push_str("日本語の文と [リンク](missing.md) です。\r\n");
    f.write("content/guides/deep.md", &text);
    let stderr = f.build_err();
    assert_snapshot(
        "links/exact_position_deep_in_a_crlf_file_with_long_front_matter.txt",
        &stderr,
    );
    // 34 front matter lines, a blank line and 80 body lines: the link is on line 116.
}

#[test]
fn backlinks_and_related_are_shown() {
    let f = linked_site();
    f.write(
        "content/guides/links.md",
        "---\ntitle: Links\nrelated: [\"guides/ai-act.md\"]\n---\n[law](ai-act.md)\n",
    );
    f.write(
        "content/guides/links.ja.md",
        "---\ntitle: リンク\nrelated: [\"guides/ai-act.md\"]\n---\n[英語](english-only.md)\n",
    );
    f.build_ok(&[]);
    let act = main_of(&f.read("public/guides/ai-act/index.html")).to_string();
    assert!(act.contains("Referenced by"), "{act}");
    assert!(
        act.contains("href=\"https://example.org/guides/links/\""),
        "{act}"
    );
    let only = main_of(&f.read("public/guides/english-only/index.html")).to_string();
    // The Japanese page fell back to this English page, so it is listed with a badge.
    assert!(
        only.contains("href=\"https://example.org/ja/guides/links/\" hreflang=\"ja\""),
        "{only}"
    );
    let links_ja = main_of(&f.read("public/ja/guides/links/index.html")).to_string();
    assert!(links_ja.contains("関連ガイド"), "{links_ja}");
    assert!(
        links_ja.contains("href=\"https://example.org/ja/guides/ai-act/\""),
        "{links_ja}"
    );
}

#[test]
fn check_reports_errors_and_warnings_as_json_without_writing() {
    let f = linked_site();
    f.write(
        "content/guides/old.md",
        "---\ntitle: Old\nreview_by: 2001-01-01\nsources:\n  - title: Doc\n---\n[x](nope.md)\n",
    );
    let run = f.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!f.path("public").exists());
    // Valid JSON, and exactly the diagnostics a tool gets, keys and all.
    let _: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_snapshot("check/errors-and-warnings.json", &run.stdout);
}

#[test]
fn files_beside_a_page_are_linked_where_the_build_puts_them_and_missing_ones_are_errors() {
    let f = linked_site();
    f.write_bytes("content/guides/図表.png", b"png");
    f.write_bytes("content/guides/report.pdf", b"pdf");
    f.write_bytes("static/files/plan.pdf", b"pdf");
    f.write(
        "content/guides/files.md",
        "---\ntitle: Files\n---\n![Chart](図表.png) [Report](report.pdf#page=2)\n",
    );
    f.write(
        "content/guides/files.ja.md",
        "---\ntitle: ファイル\n---\n![図表](図表.png)\n",
    );
    f.write(
        "content/_index.md",
        "---\ntitle: Home\n---\nThe [plan](files/plan.pdf), the [feed](atom.xml) and the \
         [style sheet](style.css).\n",
    );
    f.build_ok(&[]);
    let chart = "src=\"https://example.org/guides/%E5%9B%B3%E8%A1%A8.png\"";
    let en = f.read("public/guides/files/index.html");
    assert!(en.contains(chart), "{en}");
    assert!(en.contains("href=\"https://example.org/guides/report.pdf#page=2\""));
    assert!(f.read("public/ja/guides/files/index.html").contains(chart));
    assert!(f.path("public/guides/図表.png").is_file());
    // A file of static/, and one the build writes, where the links lead from the home page.
    let home = f.read("public/index.html");
    assert!(home.contains("href=\"files/plan.pdf\"") && home.contains("href=\"atom.xml\""));
    // A file of the theme's own (the built-in one, which has no folder to look in).
    assert!(home.contains("href=\"style.css\""), "{home}");
    // The search script and index are written only with search on: without it, a link to
    // them is broken.
    f.write(
        "content/_index.md",
        "---\ntitle: Home\n---\nThe [search script](search.js) and [index](/search/index.json).\n",
    );
    f.build_ok(&[]);
    let book = f.read("book.toml");
    f.write("book.toml", &format!("{book}\n[search]\nenabled = false\n"));
    let stderr = f.build_err();
    assert!(
        stderr.contains("`search.js` does not exist")
            && stderr.contains("--> content/_index.md:4:5"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`/search/index.json` is not an address of this site"),
        "{stderr}"
    );
    f.write("book.toml", &book);

    f.write(
        "content/guides/files.md",
        "---\ntitle: Files\n---\nSee the [report](reprot.pdf) and ![a chart](chart.png).\n",
    );
    let stderr = f.build_err();
    for expected in [
        "`reprot.pdf` does not exist: there is no file content/guides/reprot.pdf",
        "--> content/guides/files.md:4:9",
        "did you mean `report.pdf`?",
        "`chart.png` does not exist: there is no file content/guides/chart.png",
        "--> content/guides/files.md:4:34",
        "put the file at content/guides/chart.png, or correct the address",
    ] {
        assert!(stderr.contains(expected), "{expected}:\n{stderr}");
    }
    // From another folder, the suggestion keeps the link's own path.
    f.write(
        "content/guides/files.md",
        "---\ntitle: Files\n---\nFiles.\n",
    );
    f.write(
        "content/_index.md",
        "---\ntitle: Home\n---\nThe [report](guides/reprot.pdf).\n",
    );
    let stderr = f.build_err();
    for expected in [
        "`guides/reprot.pdf` does not exist: there is no file content/guides/reprot.pdf",
        "did you mean `guides/report.pdf`?",
    ] {
        assert!(stderr.contains(expected), "{expected}:\n{stderr}");
    }
}

/// Addresses written from the site's root (`/img/logo.gif`, as Zola and Hugo sites write them)
/// get base_url's path, so they still lead there under a sub-path, and one the build does not
/// write is a broken link like any other.
#[test]
fn addresses_from_the_root_get_the_base_path_and_are_checked() {
    let f = Fixture::bilingual();
    f.write_bytes("static/img/logo.gif", b"GIF89a");
    f.write(
        "static/docs/index.html",
        "<!doctype html><title>Docs</title>",
    );
    f.write(
        "content/guides/rooted.md",
        "---\ntitle: Rooted\n---\n![logo](/img/logo.gif) [act](/guides/ai-act/) [tags](/tags/) [feed](/atom.xml) [home](/) [style](/style.css) [q](/guides/ai-act/?x=1#key-dates) [docs](/docs/)\n",
    );
    f.build_ok(&["--base-url", "https://example.org/policy/"]);
    let html = f.read("public/guides/rooted/index.html");
    for href in [
        "src=\"https://example.org/policy/img/logo.gif\"",
        "href=\"https://example.org/policy/guides/ai-act/\"",
        "href=\"https://example.org/policy/tags/\"",
        "href=\"https://example.org/policy/atom.xml\"",
        "href=\"https://example.org/policy/\"",
        "href=\"https://example.org/policy/style.css\"",
        "href=\"https://example.org/policy/guides/ai-act/?x=1#key-dates\"",
        // A folder of static/ with an index.html, as hosts serve it.
        "href=\"https://example.org/policy/docs/\"",
    ] {
        assert!(html.contains(href), "{href}: {html}");
    }
    // A page linked from the root is linked like any other: it lists the linking page.
    let act = f.read("public/guides/ai-act/index.html");
    assert!(
        act.contains("https://example.org/policy/guides/rooted/"),
        "{act}"
    );
    // A file in a page bundle, beside each language version of its page.
    f.write(
        "content/guides/report/index.md",
        "---\ntitle: Report\n---\nText.\n",
    );
    f.write_bytes("content/guides/report/chart.png", b"PNG");
    f.write_bytes("static/notes.txt.bak", b"old");
    f.write(
        "content/guides/rooted.md",
        "---\ntitle: Rooted\n---\n![c](/guides/report/chart.png)\n",
    );
    f.build_ok(&[]);
    f.write(
        "content/guides/rooted.md",
        "---\ntitle: Rooted\n---\n[gone](/no/such/page/)\n\n[twice](/policy/guides/ai-act/)\n\n[a](/guides/ai-act/#nowhere) [b](/notes.txt.bak) [c](/../book.toml) [d](/tags/ai-act/page/9/) [e](/img/logo.gif/)\n",
    );
    let run = f.run(&["build", "--base-url", "https://example.org/policy/"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Its #fragment is checked, and what the build does not publish is no address.
    assert!(
        run.stderr.contains("`#nowhere` is not a heading id"),
        "{}",
        run.stderr
    );
    for gone in [
        "/notes.txt.bak",
        "/../book.toml",
        "/tags/ai-act/page/9/",
        "/img/logo.gif/",
    ] {
        assert!(
            run.stderr
                .contains(&format!("`{gone}` is not an address of this site")),
            "{gone}: {}",
            run.stderr
        );
    }
    assert!(
        run.stderr
            .contains("`/no/such/page/` is not an address of this site")
            && run.stderr.contains("content/guides/rooted.md:4:1")
            && run.stderr.contains("link a page as `@/guides/x.md`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "write it as `/guides/ai-act/`: tebiki adds base_url's path (`/policy/`) itself"
        ),
        "{}",
        run.stderr
    );
}
