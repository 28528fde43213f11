//! Hostile and careless input: each case fails (or is made harmless) quickly, names its
//! `file:line:col` and what to do, exits with the right code, and a failed build leaves the
//! previous output byte for byte as it was.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::Fixture;

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read output dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("inside").to_string_lossy();
                files.insert(rel.into_owned(), std::fs::read(&path).expect("read output"));
            }
        }
    }
    files
}

/// Builds `f` once, then writes `rel` with `bytes` and builds again: the second build must fail
/// with exit 1 within a few seconds and leave `public/` exactly as the first wrote it. Returns
/// the second build's stderr.
fn fails_and_keeps_output(f: &Fixture, rel: &str, bytes: &[u8]) -> String {
    f.build_ok(&[]);
    let before = tree(&f.path("public"));
    f.write_bytes(rel, bytes);
    let started = Instant::now();
    let stderr = f.build_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        before == tree(&f.path("public")),
        "the failed build changed public/"
    );
    stderr
}

#[test]
fn yaml_billion_laughs_is_refused_at_the_alias() {
    let f = Fixture::bilingual();
    let mut text = String::from(
        "---\ntitle: Laughs\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(",");
        text.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    text.push_str("---\nBody.\n");
    let stderr = fails_and_keeps_output(&f, "content/guides/laughs.md", text.as_bytes());
    assert!(
        stderr.contains("YAML aliases (`*name`) are not allowed in front matter"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> content/guides/laughs.md:4:8"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: write the value out in full"),
        "{stderr}"
    );
}

#[test]
fn duplicate_yaml_key_is_named_plainly() {
    let f = Fixture::bilingual();
    let stderr = fails_and_keeps_output(
        &f,
        "content/guides/twice.md",
        b"---\ntitle: One\nsummary: S\ntitle: Two\n---\nBody.\n",
    );
    assert!(stderr.contains("duplicate key `title`"), "{stderr}");
    assert!(!stderr.contains("String("), "{stderr}");
    assert!(
        stderr.contains("--> content/guides/twice.md:4:1"),
        "{stderr}"
    );
}

#[test]
fn sixteen_thousand_equal_headings_build_quickly() {
    let f = Fixture::bilingual();
    let body = "## Same\n\n".repeat(16_000);
    f.write(
        "content/guides/same.md",
        &format!("---\ntitle: Same\n---\n{body}"),
    );
    let started = Instant::now();
    f.build_ok(&[]);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    let html = f.read("public/guides/same/index.html");
    assert!(html.contains("<h2 id=\"same\">Same</h2>"));
    assert!(html.contains("<h2 id=\"same-1\">Same</h2>"));
    assert!(html.contains("<h2 id=\"same-15999\">Same</h2>"));
}

#[test]
fn headings_and_footnotes_never_repeat_an_id_the_page_has() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/ids.md",
        "---\ntitle: Ids\n---\n## Main\n\n## Search results\n\n## 1\n\nA note.[^1]\n\n[^1]: 脚注。\n",
    );
    f.build_ok(&[]);
    let html = f.read("public/guides/ids/index.html");
    let mut ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(id, _)| id))
        .collect();
    ids.sort_unstable();
    let repeated: Vec<_> = ids.windows(2).filter(|w| w[0] == w[1]).collect();
    assert!(repeated.is_empty(), "repeated ids {repeated:?}");
    assert!(html.contains("<h2 id=\"main-1\">Main</h2>"), "{html}");
    assert!(html.contains("<h2 id=\"search-results-1\">Search results</h2>"));
    assert!(html.contains("<a href=\"#1-1\">1</a>"), "{html}");
    // The skip link still leads to the page's main content.
    assert!(html.contains("href=\"#main\"") && html.contains("<main id=\"main\""));
}

/// Parses `text` as XML, panicking with the parser's message if it is not well-formed.
fn parse_xml<'a>(name: &str, text: &'a str) -> roxmltree::Document<'a> {
    roxmltree::Document::parse(text)
        .unwrap_or_else(|e| panic!("{name} is not well-formed: {e}\n{text}"))
}

#[test]
fn feeds_and_sitemap_are_well_formed_for_any_base_url_and_title() {
    let book = crate::common::BOOK
        .replace(
            "base_url = \"https://example.org/\"",
            "base_url = \"https://example.org/a&b'c/\"",
        )
        .replace(
            "title = \"Test Guides\"\n",
            "title = \"Tests & <Guides>\"\n",
        );
    let f = Fixture::with_book(&book);
    f.write("content/_index.md", "---\ntitle: Home\n---\n");
    f.write(
        "content/guides/odd.md",
        "---\ntitle: \"Odd \\x01 <title> & \\\"quotes\\\"\"\nsummary: \"Bell \\a, form feed \\f, end ]]>\"\ndate: 2026-05-08\n---\nBody.\n",
    );
    f.write(
        "content/guides/odd.ja.md",
        "---\ntitle: \"変 & ＜\"\ndate: 2026-05-08\n---\n本文。\n",
    );
    f.build_ok(&[]);
    for name in [
        "public/atom.xml",
        "public/ja/atom.xml",
        "public/sitemap.xml",
    ] {
        let text = f.read(name);
        let doc = parse_xml(name, &text);
        let hrefs: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("href"))
            .chain(
                doc.descendants()
                    .filter(|n| n.has_tag_name("id") || n.has_tag_name("loc"))
                    .filter_map(|n| n.text()),
            )
            .collect();
        assert!(!hrefs.is_empty(), "{name}: {text}");
        for href in hrefs {
            assert!(
                href.starts_with("https://example.org/a&b'c/"),
                "{name}: {href}"
            );
        }
    }
    let atom = f.read("public/atom.xml");
    let doc = parse_xml("atom.xml", &atom);
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(titles[0], "Tests & <Guides>");
    assert!(
        titles.contains(&"Odd \u{fffd} <title> & \"quotes\""),
        "{titles:?}"
    );
}

#[test]
fn nul_in_a_body_becomes_the_replacement_character() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/nul.md",
        "---\ntitle: NUL\n---\nBefore\0after.\n\n```\ncode\0here\n```\n",
    );
    f.build_ok(&[]);
    let html = f.read("public/guides/nul/index.html");
    assert!(!html.contains('\0'), "a NUL reached the HTML");
    assert!(html.contains("Before\u{FFFD}after."), "{html}");
    assert!(html.contains("code\u{FFFD}here"), "{html}");
}

#[test]
fn invalid_utf8_names_line_column_and_byte_offset() {
    let f = Fixture::bilingual();
    let stderr = fails_and_keeps_output(
        &f,
        "content/guides/latin1.md",
        b"---\ntitle: Caf\xc3\xa9\n---\nline four\nna\xefve\n",
    );
    assert!(stderr.contains("error[not-utf8]"), "{stderr}");
    assert!(
        stderr.contains("byte 0xEF at byte offset 33 (line 5)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> content/guides/latin1.md:5:3"),
        "{stderr}"
    );
    assert!(stderr.contains("help: save the file as UTF-8"), "{stderr}");
}

#[test]
fn empty_glossary_alias_is_an_error_at_its_line() {
    let f = Fixture::bilingual();
    f.write(
        "content/glossary.toml",
        "[[term]]\nid = \"ai\"\n[term.en]\nterm = \"AI\"\ndefinition = \"Artificial intelligence.\"\n",
    );
    let stderr = fails_and_keeps_output(
        &f,
        "content/glossary.toml",
        b"[[term]]\nid = \"ai\"\n[term.en]\nterm = \"AI\"\naliases = [\"A.I.\", \"\", \" \"]\ndefinition = \"Artificial intelligence.\"\n",
    );
    assert!(stderr.contains("an alias must not be empty"), "{stderr}");
    assert!(
        stderr.contains("--> content/glossary.toml:5:20"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> content/glossary.toml:5:24"),
        "{stderr}"
    );
    assert!(stderr.contains("2 errors found"), "{stderr}");
}

#[test]
fn terms_are_not_linked_inside_bare_urls() {
    let book = format!("{}\n[glossary]\nlink = \"all\"\n", crate::common::BOOK);
    let f = Fixture::with_book(&book);
    f.write("content/_index.md", "---\ntitle: Home\n---\n");
    f.write(
        "content/glossary.toml",
        "[[term]]\nid = \"a\"\n[term.en]\nterm = \"a\"\ndefinition = \"The letter.\"\n",
    );
    f.write(
        "content/guides/urls.md",
        "---\ntitle: URLs\n---\nSee https://example.org/a/b?a=1 and www.example.org/a, or <https://example.org/a>, for a start.\n",
    );
    f.build_ok(&[]);
    let html = f.read("public/guides/urls/index.html");
    let main = crate::common::main_of(&html);
    assert!(
        main.contains("See https://example.org/a/b?a=1 and www.example.org/a, or"),
        "{main}"
    );
    // Only the word "a" in "for a start" is linked.
    assert_eq!(main.matches("class=\"glossary-term\"").count(), 1, "{main}");
}

#[test]
fn new_refuses_a_name_that_cannot_be_a_url() {
    let f = Fixture::bilingual();
    let run = f.run(&["new", "guides/new one.md"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("use a slug instead: `tebiki new guides/new-one.md`"),
        "{}",
        run.stderr
    );
    assert!(!f.path("content/guides/new one.md").exists());
    let run = f.run(&["new", "guides/new-one.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    f.build_ok(&["--drafts"]);
}

#[test]
fn new_refuses_paths_that_would_break_the_next_build() {
    let f = Fixture::bilingual();
    f.write(
        "content/glossary.toml",
        "[[term]]\nid = \"ai\"\n[term.en]\nterm = \"AI\"\ndefinition = \"Artificial intelligence.\"\n[term.ja]\nterm = \"AI\"\nreading = \"えーあい\"\ndefinition = \"人工知能。\"\n",
    );
    let refused = [
        (
            "guides/",
            "`guides/index.md` would make its folder a page bundle, whose folder holds one page only",
        ),
        (
            "guides/index.md",
            "`guides/index.md` would make its folder a page bundle, whose folder holds one page only",
        ),
        (
            "glossary",
            "`content/glossary.md` cannot be created: its page would be written to `glossary/index.html` in the output, the place of the glossary page, which tebiki generates from content/glossary.toml; choose another name",
        ),
        (
            "glossary.ja.md",
            "its page would be written to `ja/glossary/index.html` in the output, the place of the glossary page",
        ),
        (
            "tags/政策.md",
            "`content/tags/政策.md` cannot be created: the section page of its folder `tags/` would be written to `tags/index.html` in the output, the place of the list of all tags, which tebiki generates; choose another folder",
        ),
        (
            "search-index.json",
            "its page would be written to `search-index.json/index.html` in the output, inside `search-index.json`, the place of the search index",
        ),
    ];
    for (path, message) in refused {
        let run = f.run(&["new", path]);
        assert_eq!(run.code, 2, "{path}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{path}: {}", run.stderr);
    }
    // A new page bundle, in a folder of its own, is made; so is its translation.
    let run = f.run(&["new", "guides/report/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(f.path("content/guides/report/index.md").is_file());
    let run = f.run(&["new", "guides/report/index.md", "--lang", "ja"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(f.path("content/guides/report/index.ja.md").is_file());
    f.build_ok(&["--drafts"]);
    assert!(!f.path("content/guides/index.md").exists());
    assert!(!f.path("content/glossary.md").exists());
}

#[test]
fn new_names_a_file_in_the_way_of_a_folder() {
    let f = Fixture::bilingual();
    for path in ["guides/ai-act.md/y.md", "guides/ai-act.md/deeper/y.md"] {
        let run = f.run(&["new", path]);
        assert_eq!(run.code, 2, "{path}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "cannot create `content/{path}`: `content/guides/ai-act.md` is a file, not a folder"
            )) && run.stderr.contains("rename or move that file"),
            "{path}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("os error"), "{}", run.stderr);
    }
}

#[cfg(unix)]
#[test]
fn new_refuses_a_path_through_a_symlink_out_of_content() {
    let f = Fixture::bilingual();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    std::os::unix::fs::symlink(elsewhere.path(), f.path("content/ext")).expect("symlink");
    let run = f.run(&["new", "ext/evil"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "`content/ext` is a symbolic link (to {}), which the build does not follow: create the page in a real folder inside content/",
            elsewhere.path().display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_dir(elsewhere.path()).expect("read").count(),
        0,
        "nothing is written outside the site"
    );
}

const HOSTILE_PAGE: &str = "---\ntitle: Hostile\n---\nIntro.\n\n<script>alert(1)</script>\n\nText <img src=x onerror=alert(2)> and [click](javascript:alert(3)).\n\n![pic](data:image/svg+xml;base64,AAAA)\n\n## Heading {onclick=alert(4)}\n";

#[test]
fn raw_html_and_script_urls_are_dropped_by_default_with_warnings() {
    let f = Fixture::bilingual();
    f.write("content/guides/hostile.md", HOSTILE_PAGE);
    let run = f.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = f.read("public/guides/hostile/index.html");
    let main = crate::common::main_of(&html);
    for bad in [
        "<script>",
        "onerror",
        "javascript:",
        "data:image",
        "onclick",
    ] {
        assert!(!main.contains(bad), "{bad} reached the page: {main}");
    }
    assert!(main.contains("<a href=\"\">click</a>"), "{main}");
    let stderr = &run.stderr;
    for (code, at) in [
        ("raw-html", "content/guides/hostile.md:6:1"),
        ("raw-html", "content/guides/hostile.md:8:6"),
        ("unsafe-url", "content/guides/hostile.md:8:39"),
        ("unsafe-url", "content/guides/hostile.md:10:1"),
        ("heading-attributes", "content/guides/hostile.md:12:1"),
    ] {
        assert!(
            stderr.contains(&format!("warning[{code}]")) && stderr.contains(&format!("--> {at}\n")),
            "{code} at {at}:\n{stderr}"
        );
    }
    assert!(
        stderr.contains("set `unsafe_html = true` under `[markdown]`"),
        "{stderr}"
    );

    // `tebiki check` lists them as warnings and still succeeds.
    let run = f.run(&["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("0 error(s), ") && run.stdout.contains("warning[unsafe-url]"),
        "{}",
        run.stdout
    );
}

#[test]
fn unsafe_html_true_passes_raw_html_through_silently() {
    let book = format!("{}\n[markdown]\nunsafe_html = true\n", crate::common::BOOK);
    let f = Fixture::with_book(&book);
    f.write("content/_index.md", "---\ntitle: Home\n---\n");
    f.write("content/guides/hostile.md", HOSTILE_PAGE);
    let run = f.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let html = f.read("public/guides/hostile/index.html");
    assert!(html.contains("<script>alert(1)</script>"));
    assert!(html.contains("href=\"javascript:alert(3)\""));
}

#[test]
fn a_failed_build_lists_raw_html_warnings_with_its_errors() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/both.md",
        "---\ntitle: Both\n---\n<span>x</span> [broken](missing.md)\n",
    );
    let stderr = f.build_err();
    assert!(stderr.contains("warning[raw-html]"), "{stderr}");
    assert!(stderr.contains("1 error found"), "{stderr}");
}

#[test]
fn thousands_of_raw_html_tags_give_a_bounded_list_of_warnings() {
    let f = Fixture::bilingual();
    let body = "word<br>".repeat(5000);
    f.write(
        "content/guides/tags.md",
        &format!("---\ntitle: Tags\n---\n{body}\n"),
    );
    let started = Instant::now();
    let run = f.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(run.stderr.matches("warning[raw-html]").count(), 21);
    assert!(
        run.stderr
            .contains("4980 more pieces of raw HTML or unsafe URLs were left out of this file"),
        "{}",
        run.stderr
    );
}

#[test]
fn deep_nesting_on_a_huge_line_is_refused_with_a_short_message() {
    let f = Fixture::bilingual();
    let n = 100_000;
    let text = format!(
        "---\ntitle: Deep\nextra:\n  x: {}{}\n---\nBody.\n",
        "[".repeat(n),
        "]".repeat(n)
    );
    let stderr = fails_and_keeps_output(&f, "content/guides/deep.md", text.as_bytes());
    assert!(stderr.contains("--> content/guides/deep.md:4:"), "{stderr}");
    assert!(stderr.len() < 2000, "{} bytes of stderr", stderr.len());
}

#[test]
fn translations_mark_refuses_yaml_aliases_without_expanding_them() {
    let f = Fixture::bilingual();
    let mut text = String::from(
        "---\ntitle: L\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(",");
        text.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    text.push_str("---\n本文。\n");
    f.write("content/guides/ai-act.ja.md", &text);
    let started = Instant::now();
    let run = f.run(&["translations", "mark", "content/guides/ai-act.ja.md"]);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("--> content/guides/ai-act.ja.md:4"),
        "{}",
        run.stderr
    );
    assert_eq!(
        f.read("content/guides/ai-act.ja.md"),
        text,
        "the file was changed"
    );
}

#[test]
fn raw_html_in_a_glossary_definition_is_dropped_with_a_warning() {
    let f = Fixture::bilingual();
    f.write(
        "content/glossary.toml",
        "[[term]]\nid = \"ai\"\n[term.en]\nterm = \"AI\"\ndefinition = \"Artificial <img src=x onerror=alert(1)>intelligence.\"\n",
    );
    let run = f.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning[raw-html]"), "{}", run.stderr);
    assert!(
        run.stderr.contains("--> content/glossary.toml:5:14"),
        "{}",
        run.stderr
    );
    let page = f.read("public/glossary/index.html");
    assert!(!page.contains("onerror"), "{page}");
    assert!(page.contains("Artificial intelligence."), "{page}");
}

#[cfg(unix)]
#[test]
fn links_in_content_are_reported_and_links_in_static_are_followed() {
    let f = Fixture::bilingual();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        elsewhere.path().join("page.md"),
        "---\ntitle: 外部\n---\n本文。\n",
    )
    .expect("write");
    std::fs::write(elsewhere.path().join("plan.pdf"), "pdf").expect("write");
    std::os::unix::fs::symlink(
        elsewhere.path().join("page.md"),
        f.path("content/guides/outside.md"),
    )
    .expect("link");
    std::fs::create_dir_all(f.path("static")).expect("static");
    std::os::unix::fs::symlink(elsewhere.path(), f.path("static/shared")).expect("link");
    let run = f.build_ok(&[]);
    assert!(
        run.stderr.contains("warning[symlink]")
            && run.stderr.contains("--> content/guides/outside.md")
            && run.stderr.contains("copy the file or folder into content/"),
        "{}",
        run.stderr
    );
    assert!(!f.path("public/guides/outside").exists());
    assert_eq!(f.read("public/shared/plan.pdf"), "pdf");
}

#[test]
fn an_empty_slug_is_told_how_to_fix_it() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/empty.md",
        "---\ntitle: 空\nslug: \"\"\n---\n本文。\n",
    );
    let stderr = f.build_err();
    assert!(
        stderr.contains("--> content/guides/empty.md:3:1")
            && stderr.contains("or remove `slug` to take the file's name")
            && !stderr.contains("such as ``"),
        "{stderr}"
    );
}

#[test]
fn a_footnote_defined_twice_is_an_error_at_the_second() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/notes.md",
        "---\ntitle: 注\n---\n本文[^a]。\n\n[^a]: 一つ目。\n\n[^a]: 二つ目。\n",
    );
    let stderr = f.build_err();
    assert!(
        stderr.contains("error[duplicate-footnote]: footnote `[^a]` is defined twice")
            && stderr.contains("--> content/guides/notes.md:8:1"),
        "{stderr}"
    );
}

#[test]
fn html_and_script_files_in_content_follow_unsafe_html() {
    let f = Fixture::bilingual();
    f.write("content/guides/widget.html", "<script>alert(1)</script>");
    f.write("content/guides/app.js", "alert(1)");
    f.write_bytes("content/guides/chart.svg", b"<svg/>");
    let run = f.build_ok(&[]);
    assert!(
        run.stderr.contains("warning[raw-html]")
            && run.stderr.contains("--> content/guides/widget.html")
            && run.stderr.contains("--> content/guides/app.js")
            && run.stderr.contains("put trusted files in static/"),
        "{}",
        run.stderr
    );
    assert!(!f.path("public/guides/widget.html").exists());
    assert!(!f.path("public/guides/app.js").exists());
    assert!(f.path("public/guides/chart.svg").is_file());
    f.write(
        "book.toml",
        &(crate::common::BOOK.to_string() + "\n[markdown]\nunsafe_html = true\n"),
    );
    f.build_ok(&[]);
    assert!(f.path("public/guides/widget.html").is_file());
}

#[test]
fn new_says_draft_only_of_a_draft() {
    let f = Fixture::bilingual();
    let run = f.run(&["new", "notes/_index.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("created content/notes/_index.md") && !run.stderr.contains("draft"),
        "{}",
        run.stderr
    );
    let run = f.run(&["new", "notes/first.md"]);
    assert!(
        run.stderr
            .contains("as a draft: remove `draft: true` to publish it"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_backslash_in_a_file_name_is_named_as_it_is() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/back\\slash.md",
        "---\ntitle: x\n---\n本文。\n",
    );
    let stderr = f.build_err();
    assert!(
        stderr.contains("error[bad-slug]: the file name `back\\slash.md` holds a `\\`")
            && stderr.contains("--> content/guides/back\\slash.md"),
        "{stderr}"
    );
}

/// A file or folder name that is not UTF-8 is named (lossily) with what to do, and the rest
/// of the site is still reported.
#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_an_error_naming_it() {
    use std::os::unix::ffi::OsStrExt;
    let f = Fixture::bilingual();
    let guides = f.path("content/guides");
    let page = "---\ntitle: Z\n---\nx\n";
    std::fs::write(guides.join(std::ffi::OsStr::from_bytes(b"a\xffb.md")), page).expect("write");
    let folder = f
        .path("content")
        .join(std::ffi::OsStr::from_bytes(b"d\xff"));
    std::fs::create_dir(&folder).expect("folder");
    std::fs::write(folder.join("x.md"), page).expect("write");
    f.write(
        "content/guides/other.md",
        "---\ntitle: Z\nwieght: 1\n---\nx\n",
    );
    // In static/ too: copied, it would be published under a name with `�` in it.
    let statics = f.path("static");
    std::fs::create_dir_all(&statics).expect("static");
    std::fs::write(
        statics.join(std::ffi::OsStr::from_bytes(b"logo\xfe.png")),
        "png",
    )
    .expect("write");
    let stderr = f.build_err();
    for want in [
        "error[bad-slug]: the file name `logo\u{FFFD}.png` is not UTF-8 text",
        "--> static/logo\u{FFFD}.png\n",
        "error[bad-slug]: the file name `a\u{FFFD}b.md` is not UTF-8 text",
        "--> content/guides/a\u{FFFD}b.md\n",
        "error[bad-slug]: the folder name `d\u{FFFD}` is not UTF-8 text",
        "--> content/d\u{FFFD}\n",
        "help: rename the file with a UTF-8 name",
        "--> content/guides/other.md:3:1",
    ] {
        assert!(stderr.contains(want), "{want}: {stderr}");
    }
    assert!(!stderr.contains("cannot read the file"), "{stderr}");
    assert!(!stderr.contains("x.md"), "{stderr}");
}

/// In a theme's own static/ too: the file would be published under a name nobody gave it.
#[cfg(unix)]
#[test]
fn a_theme_file_name_that_is_not_utf8_is_an_error_naming_it() {
    use std::os::unix::ffi::OsStrExt;
    let f = Fixture::bilingual();
    let book = f.read("book.toml");
    f.write("book.toml", &format!("{book}\n[build]\ntheme = \"mine\"\n"));
    f.write("themes/mine/static/site.css", "body {}");
    let statics = f.path("themes/mine/static");
    std::fs::write(
        statics.join(std::ffi::OsStr::from_bytes(b"fig\xfe.svg")),
        "<svg/>",
    )
    .expect("write");
    let folder = statics.join(std::ffi::OsStr::from_bytes(b"img\xff"));
    std::fs::create_dir(&folder).expect("folder");
    std::fs::write(folder.join("a.png"), "png").expect("write");
    // Inside what the theme leaves out (a theme kept as a git checkout), nothing is looked at.
    let git = f.path("themes/mine/.git/objects");
    std::fs::create_dir_all(&git).expect("git folder");
    std::fs::write(git.join(std::ffi::OsStr::from_bytes(b"pack\xfe")), "x").expect("write");
    let stderr = f.build_err();
    assert!(!stderr.contains(".git"), "{stderr}");
    for want in [
        "error[bad-slug]: the file name `fig\u{FFFD}.svg` is not UTF-8 text",
        "--> themes/mine/static/fig\u{FFFD}.svg\n",
        "error[bad-slug]: the folder name `img\u{FFFD}` is not UTF-8 text",
        "--> themes/mine/static/img\u{FFFD}\n",
    ] {
        assert!(stderr.contains(want), "{want}: {stderr}");
    }
    assert!(!stderr.contains("a.png"), "{stderr}");
    assert!(!f.path("public").exists());
}

/// Runs `tebiki COMMAND` in `f`, failing the test if it has not ended within `limit` (a named
/// pipe opened for reading would wait for a writer for ever).
#[cfg(unix)]
fn run_within(f: &Fixture, command: &str, limit: Duration) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .arg(command)
        .current_dir(f.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run tebiki");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("`tebiki {command}` hung on a named pipe");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

/// A named pipe where the build expects a file (left by a tool, or made by mistake) would make
/// the build wait forever for a writer: it is an error naming the file, and the build goes on
/// to report the rest.
#[cfg(unix)]
#[test]
fn a_named_pipe_in_place_of_a_file_is_an_error_not_a_hang() {
    for (rel, says) in [
        ("book.toml", "book.toml"),
        ("content/glossary.toml", "content/glossary.toml"),
        ("content/guides/pipe.md", "content/guides/pipe.md"),
    ] {
        let f = Fixture::bilingual();
        f.write("content/glossary.toml", "");
        let _ = std::fs::remove_file(f.path(rel));
        let made = std::process::Command::new("mkfifo")
            .arg(f.path(rel))
            .status()
            .expect("mkfifo");
        assert!(made.success());
        let out = run_within(&f, "build", Duration::from_secs(20));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(0), "{rel}: {stderr}");
        assert!(stderr.contains(says), "{rel}: {stderr}");
        assert!(
            stderr.contains("named pipe, socket or device"),
            "{rel}: {stderr}"
        );
    }
}

/// Outside content/, a named pipe or a link to a device would be left out of the output
/// without a word: each is an error naming it, found without opening the pipe, in `build`
/// and `check` alike.
#[cfg(unix)]
#[test]
fn a_named_pipe_or_device_in_static_or_the_theme_is_an_error_not_silence() {
    let f = Fixture::bilingual();
    f.write("static/kept.txt", "kept");
    std::fs::create_dir_all(f.path("themes/default/templates")).expect("theme folder");
    for fifo in ["static/fifo.txt", "themes/default/templates/x.html"] {
        let made = std::process::Command::new("mkfifo")
            .arg(f.path(fifo))
            .status()
            .expect("mkfifo");
        assert!(made.success());
    }
    std::os::unix::fs::symlink("/dev/zero", f.path("static/zero.bin")).expect("symlink");
    for command in ["build", "check"] {
        let out = run_within(&f, command, Duration::from_secs(20));
        let text = String::from_utf8_lossy(&out.stderr) + String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{command}: {text}");
        for want in [
            "error[io]: not a regular file but a named pipe, socket or device, which the build cannot copy\n--> static/fifo.txt\n",
            "error[io]: not a regular file but a named pipe, socket or device (through a symbolic link), which the build cannot copy\n--> static/zero.bin\n",
            "error[io]: not a regular file but a named pipe, socket or device, which the build cannot read\n--> themes/default/templates/x.html\n",
        ] {
            assert!(text.contains(want), "{command}: {want}: {text}");
        }
    }
    assert!(!f.path("public").exists());
}

/// A NUL in the front matter is an error at its place, not the silent end of the front
/// matter (the YAML reader would stop there and drop the keys after it).
#[test]
fn nul_in_the_front_matter_is_an_error_at_its_place() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/nul.md",
        "---\ntitle: A\0B\nsummary: Kept\n---\nBody.\n",
    );
    let out = f.build_err();
    assert!(out.contains("content/guides/nul.md:2:9"), "{out}");
    assert!(out.contains("NUL character"), "{out}");
}

/// Invisible characters (a zero-width space, a direction override) and characters a URL must
/// escape make addresses that look like others: they are refused in slugs and file names,
/// and the message shows them.
#[test]
fn invisible_and_unsafe_characters_in_slugs_are_refused_and_shown() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/zw.md",
        "---\ntitle: ZW\nslug: \"zw\u{200B}sp\"\n---\nText.\n",
    );
    f.write(
        "content/guides/quote.md",
        "---\ntitle: Q\nslug: 'q\"<b>'\n---\nText.\n",
    );
    f.write(
        "content/guides/bidi\u{202E}txt.md",
        "---\ntitle: B\n---\nText.\n",
    );
    let stderr = f.build_err();
    assert!(
        stderr.contains("`slug: zw\\u{200B}sp` is not a single safe URL segment")
            && stderr.contains("such as `zw-sp`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`slug: q\"<b>` is not a single safe URL segment"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the file name `bidi\\u{202E}txt` cannot be used in a URL")
            && stderr.contains("such as `bidi-txt.md`"),
        "{stderr}"
    );
}

/// In TOML front matter a table header or a dotted key names a key too: an unknown one is
/// reported at that line, not at the front matter's first.
#[test]
fn unknown_toml_tables_and_dotted_keys_are_reported_at_their_line() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/t.md",
        "+++\ntitle = \"T\"\n\n[extr]\na = 1\n+++\nBody.\n",
    );
    f.write(
        "content/guides/d.md",
        "+++\ntitle = \"D\"\nsummary = \"S\"\nbogus.inner = 1\n+++\nBody.\n",
    );
    f.write("content/guides/n.md", "+++\nsummary = \"S\"\n+++\nBody.\n");
    let stderr = f.build_err();
    assert!(stderr.contains("content/guides/t.md:4:1"), "{stderr}");
    assert!(stderr.contains("content/guides/d.md:4:1"), "{stderr}");
    // Help in the front matter's own syntax.
    assert!(
        stderr.contains("add `title = \"…\"` to the front matter"),
        "{stderr}"
    );
}

/// A page moved from Hugo or Zola: each key tebiki names differently is an error that says
/// what to write instead, not "put it under `extra`", which would lose what it does.
#[test]
fn keys_from_hugo_and_zola_say_what_tebiki_calls_them() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/hugo.md",
        "---\ntitle: From Hugo\nDescription: The standfirst.\nlastMod: 2026-01-02\nredirect_to: /new/\ncategory: [Policy, Energy]\n---\nText.\n",
    );
    let stderr = f.build_err();
    // Hugo reads keys in any case.
    for (key, help) in [
        ("Description", "write it as `summary`"),
        ("lastMod", "write it as `updated`"),
        (
            "redirect_to",
            "list this address under `aliases` in the page it should lead to",
        ),
    ] {
        assert!(
            stderr.contains(&format!("unknown key `{key}`")) && stderr.contains(help),
            "{key}: {stderr}"
        );
    }
    assert!(
        stderr.contains("`category` must be one name, not a list")
            && stderr.contains("put the others in `tags`"),
        "{stderr}"
    );
    assert!(!stderr.contains("under `extra`"), "{stderr}");
}

/// A comment is a note between writers that no reader sees, with or without raw HTML: it is
/// left out without a warning, except Zola's and Hugo's summary separator, which a moved site
/// expects to mark its summary.
#[test]
fn comments_are_left_out_quietly_but_the_summary_separator_is_named() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/notes.md",
        "---\ntitle: Notes\n---\nFirst paragraph.\n\n<!-- more -->\n\nText <!-- check this figure --> here.\n\n<!--\nA longer note\nfor other writers.\n-->\n",
    );
    let out = f.run(&["check"]).stdout;
    assert!(
        out.contains("`<!-- more -->` marks no summary")
            && out.contains("content/guides/notes.md:6:1")
            && out.contains("write the summary as `summary`"),
        "{out}"
    );
    assert!(!out.contains("check this figure"), "{out}");
    assert!(!out.contains("A longer note"), "{out}");
    f.build_ok(&[]);
    let html = f.read("public/guides/notes/index.html");
    assert!(
        !html.contains("more -->") && !html.contains("check this figure"),
        "{html}"
    );
}

/// A Zola or Hugo site has its own configuration file: the missing book.toml is named with
/// what to write in it, not only "create one with `tebiki init`", which refuses a folder that
/// is not empty.
#[test]
fn a_zola_site_without_book_toml_is_told_what_to_write() {
    let f = Fixture::new();
    std::fs::remove_file(f.path("book.toml")).expect("rm");
    f.write(
        "config.toml",
        "base_url = \"https://x.org\"\ntitle = \"Z\"\n",
    );
    f.write("content/p.md", "+++\ntitle = \"P\"\n+++\nText.\n");
    let run = f.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("tebiki reads book.toml, not config.toml")
            && run.stderr.contains("`[book]`"),
        "{}",
        run.stderr
    );
}

/// Zola's and Hugo's shortcodes are their templates' calls; tebiki has none, and says so at
/// each rather than putting the call on the page without a word. Code keeps them quietly.
#[test]
fn shortcodes_from_zola_and_hugo_are_named() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/moved.md",
        "---\ntitle: Moved\n---\nA video: {{ youtube(id=\"dQw4w9WgXcQ\") }} and {{ vimeo(id=\"b\") }}\n\nSee {{< ref \"second.md\" >}} and {{% notice %}}.\n\n{% note() %}\nBody\n{% end %}\n\n`{{ not_a_call() }}` and\n\n```\n{{< also code >}}\n```\n\nSets like {a, b} and {{braces}} are prose, and \\{{ escaped() }} and \\{{% also_escaped %}} are text on purpose, but \\\\{{ after_a_backslash() }} is a call.\n",
    );
    let out = f.run(&["check"]).stdout;
    for (place, call) in [
        (
            "moved.md:4:10",
            "`{{ youtube(id=\"dQw4w9WgXcQ\") }}` looks like a Zola or Hugo shortcode",
        ),
        ("moved.md:6:5", "`{{< ref \"second.md\" >}}` looks like"),
        ("moved.md:8:1", "`{% note() %}` looks like"),
    ] {
        assert!(out.contains(place) && out.contains(call), "{place}: {out}");
    }
    assert!(out.contains("tebiki has no shortcodes"), "{out}");
    assert!(
        !out.contains("not_a_call") && !out.contains("also code"),
        "{out}"
    );
    for quiet in [
        "{{braces}}` looks",
        "escaped() }}` looks",
        "also_escaped %}}` looks",
    ] {
        assert!(!out.contains(quiet), "{quiet}: {out}");
    }
    assert!(
        out.contains("`{{ after_a_backslash() }}` looks like"),
        "{out}"
    );
    assert!(
        out.contains("moved.md:6:33") && out.contains("`{{% notice %}}` looks like"),
        "{out}"
    );
    // Every one on a line, not the first only.
    assert!(out.contains("moved.md:4:46"), "{out}");
    assert_eq!(out.matches("warning[shortcode]").count(), 6, "{out}");
}

/// What a writer puts in content/ cannot run script on the site or send its readers'
/// browsers to another host: a source's `javascript:` address, an SVG or XML file with
/// scripts, a host's configuration file, an image on another host.
#[test]
fn content_cannot_run_script_or_send_readers_elsewhere() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/sourced.md",
        "---\ntitle: Sourced\nsources:\n  - title: Act\n    url: \" JaVaScRiPt:alert(1)\"\n  - title: Plan\n    url: https://example.go.jp/plan\n---\n![chart](chart.svg) ![far](https://images.example.com/x.png)\n",
    );
    f.write(
        "content/guides/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>Based on data</text></svg>",
    );
    f.write(
        "content/guides/bad.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"\n  onload=\"alert(1)\"><rect/></svg>",
    );
    f.write(
        "content/guides/data.xml",
        "<html xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></html>",
    );
    f.write(
        "content/_redirects",
        "/*  https://evil.example/:splat  200!\n",
    );
    f.write("static/_headers", "/*\n  X-Frame-Options: DENY\n");
    f.write(
        "content/glossary.toml",
        "[[term]]\nid = \"ai\"\n[term.en]\nterm = \"AI\"\ndefinition = \"Artificial intelligence. ![logo](https://images.example.com/ai.png)\"\n",
    );
    f.write(
        "book.toml",
        &format!(
            "{}\n[glossary]\nfile = \"glossary.toml\"\n",
            crate::common::BOOK
        ),
    );
    let run = f.build_ok(&[]);
    for want in [
        "warning[unsafe-url]: a source's `url` with the `javascript:` scheme, left out: it would run in the reader's browser\n --> content/guides/sourced.md:5:",
        "warning[raw-html]: a file a browser runs scripts in (HTML, XML, SVG with scripts), left out of the site",
        "--> content/guides/bad.svg",
        "--> content/guides/data.xml",
        "warning[host-file]: a host's configuration file, left out of the site",
        "--> content/_redirects",
        "warning[remote-image]: the image `https://images.example.com/x.png` is loaded from another host",
        "warning[remote-image]: the image `https://images.example.com/ai.png` on another host was left out of the tooltip",
    ] {
        assert!(
            run.stderr.contains(want),
            "missing {want:?} in\n{}",
            run.stderr
        );
    }
    let page = f.read("public/guides/sourced/index.html");
    assert!(!page.to_ascii_lowercase().contains("javascript:"), "{page}");
    assert!(
        page.contains("<cite><a href=\"https://example.go.jp/plan\">Plan</a></cite>"),
        "{page}"
    );
    assert!(f.path("public/guides/chart.svg").is_file());
    assert!(!f.path("public/guides/bad.svg").exists());
    assert!(!f.path("public/guides/data.xml").exists());
    assert!(!f.path("public/_redirects").exists());
    assert!(
        f.path("public/_headers").is_file(),
        "static/ is the maintainers' own"
    );
    assert!(
        !f.read("public/guides/ai-act/index.html")
            .contains("images.example.com")
    );

    // A link to a file left out says so, rather than that the file is missing.
    f.write(
        "content/guides/linked.md",
        "---\ntitle: Linked\n---\n![bad](bad.svg)\n",
    );
    let stderr = f.build_err();
    assert!(
        stderr.contains("error[broken-link]: `bad.svg` names content/guides/bad.svg, which is left out of the site (its own warning says why)"),
        "{stderr}"
    );
}

#[test]
fn an_address_part_longer_than_a_folder_name_is_an_error_at_its_line() {
    let f = Fixture::bilingual();
    // 86 kanji: 258 bytes, one more than a folder name may have.
    let long_tag = "語".repeat(86);
    let long_slug = "a".repeat(256);
    let page = format!(
        "---\ntitle: Long names\ncategory: \"{}\"\ntags: [\"short\", \"{long_tag}\"]\nslug: {long_slug}\n---\nText.\n",
        "b".repeat(300),
    );
    f.write(
        "content/guides/moved.md",
        &format!(
            "---\ntitle: Moved\naliases: [\"/old/{}/\"]\n---\nText.\n",
            "c".repeat(300)
        ),
    );
    f.write("content/guides/long.md", &page);
    let stderr = f.build_err();
    for (line, what) in [
        (
            3,
            "error[bad-slug]: the category `bbbbbbbbbbbbbbbbbbbb…` makes an address part of 300 bytes, and a folder name may have at most 255",
        ),
        (
            4,
            "error[bad-slug]: the tag `語語語語語語語語語語語語語語語語語語語語…` makes an address part of 258 bytes",
        ),
        (
            5,
            "error[bad-slug]: `slug` is 256 bytes long, and a folder name may have at most 255",
        ),
        (
            3,
            "has a part of 300 bytes, and a folder name may have at most 255",
        ),
    ] {
        let file = if what.starts_with("has a part") {
            "moved"
        } else {
            "long"
        };
        let at = format!("content/guides/{file}.md:{line}:1");
        let found = stderr
            .split("\n\n")
            .any(|block| block.contains(what) && block.contains(&at));
        assert!(found, "no `{what}` at {at}:\n{stderr}");
    }
    assert!(!stderr.contains("os error"), "{stderr}");
    let check = f.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(check.stdout.contains("bad-slug"), "{}", check.stdout);
}
