//! The glossary: terms linked automatically in English and Japanese running text, explicit
//! `term:` links, the glossary pages, and the glossary's errors and warnings.

use crate::common::{Fixture, assert_snapshot, main_of};

const GLOSSARY: &str = r#"
[[term]]
id = "meti"
see_also = ["aisi"]
[term.en]
term = "Ministry of Economy, Trade and Industry"
abbr = "METI"
definition = "Japan's ministry for *industrial* policy."
[term.ja]
term = "経済産業省"
abbr = "経産省"
reading = "けいざいさんぎょうしょう"
definition = "産業政策を担う省。"

[[term]]
id = "ai"
[term.en]
term = "AI"
definition = "Artificial intelligence."
[term.ja]
term = "AI"
reading = "えーあい"
definition = "人工知能。"

[[term]]
id = "aisi"
[term.en]
term = "AI Safety Institute"
abbr = "AISI"
definition = "Japan's AI safety body."
[term.ja]
term = "AIセーフティ・インスティテュート"
abbr = "AISI"
reading = "えーあいせーふてぃいんすてぃてゅーと"
definition = "AIの安全性評価の中核機関。"

[[term]]
id = "zero-trust"
[term.en]
term = "zero trust"
definition = "Verify every access."
[term.ja]
term = "ゼロトラスト"
reading = "ぜろとらすと"
definition = "すべてのアクセスを検証する考え方。"

[[term]]
id = "keizai"
[term.en]
term = "economy"
definition = "The economy."
[term.ja]
term = "経済"
reading = "けいざい"
definition = "経済活動。"
"#;

fn site() -> Fixture {
    let f = Fixture::bilingual();
    f.write("content/glossary.toml", GLOSSARY);
    f
}

/// The linked terms of a page, in order: (text, id).
fn linked(html: &str) -> Vec<(String, String)> {
    main_of(html)
        .split("<a class=\"glossary-term\" href=\"")
        .skip(1)
        .map(|rest| {
            let href = &rest[..rest.find('"').unwrap()];
            let id = href.rsplit('#').next().unwrap().to_string();
            let text_start = rest.find('>').unwrap() + 1;
            let text = &rest[text_start..text_start + rest[text_start..].find("</a>").unwrap()];
            (text.to_string(), id)
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn english_terms_link_first_occurrence_on_word_boundaries_longest_first() {
    let f = site();
    f.write(
        "content/guides/terms.md",
        "---\ntitle: Terms\n---\nMETI leads. METIS is a name, not METI's.\n\n\
         The AI Safety Institute studies AI. Zero trust is a model; zero trust again.\n\n\
         At the end comes AISI\n",
    );
    f.build_ok(&[]);
    let html = f.read("public/guides/terms/index.html");
    assert_eq!(
        linked(&html),
        pairs(&[
            ("METI", "meti"),
            ("AI Safety Institute", "aisi"),
            ("AI", "ai"),
            ("Zero trust", "zero-trust"),
        ])
    );
    // The definition is in a tooltip that describes the link, with no script needed.
    let main = main_of(&html);
    assert!(main.contains(
        "<span class=\"glossary\"><a class=\"glossary-term\" href=\"https://example.org/glossary/#meti\" aria-describedby=\"tebiki-term-meti\">METI</a><span class=\"glossary-tip\" role=\"tooltip\" id=\"tebiki-term-meti\" lang=\"en\"><span class=\"glossary-tip-term\">Ministry of Economy, Trade and Industry</span> Japan's ministry for <em>industrial</em> policy.</span></span> leads."
    ), "{main}");
    assert!(main.contains("METIS is a name"));
}

#[test]
fn link_all_and_a_term_across_a_soft_line_break() {
    let f =
        Fixture::with_book(&(crate::common::BOOK.to_string() + "\n[glossary]\nlink = \"all\"\n"));
    f.write("content/glossary.toml", GLOSSARY);
    f.write(
        "content/guides/terms.md",
        "---\ntitle: Terms\n---\nThe AI Safety\nInstitute and METI, then METI.\n",
    );
    f.build_ok(&[]);
    let html = f.read("public/guides/terms/index.html");
    assert_eq!(
        linked(&html),
        pairs(&[
            ("AI Safety\nInstitute", "aisi"),
            ("METI", "meti"),
            ("METI", "meti")
        ])
    );
}

#[test]
fn japanese_terms_match_anywhere_longest_first_next_to_punctuation() {
    let f = site();
    f.write(
        "content/guides/terms.ja.md",
        "---\ntitle: 用語\n---\n経済産業省は「経済」を語る。\n\n（AISI）とＡＩ、ｾﾞﾛﾄﾗｽﾄ。\n\nゼロトラストで終わる経産省\n",
    );
    f.write("content/guides/terms.md", "---\ntitle: Terms\n---\nText.\n");
    f.build_ok(&[]);
    let html = f.read("public/ja/guides/terms/index.html");
    assert_eq!(
        linked(&html),
        pairs(&[
            ("経済産業省", "meti"),
            ("経済", "keizai"),
            ("AISI", "aisi"),
            ("ＡＩ", "ai"),
            ("ｾﾞﾛﾄﾗｽﾄ", "zero-trust"),
        ])
    );
    assert!(html.contains("href=\"https://example.org/ja/glossary/#meti\""));
}

#[test]
fn terms_are_never_linked_in_headings_links_code_html_or_alt_text() {
    let f = site();
    // Raw HTML passes through only when the site allows it.
    f.write(
        "book.toml",
        &(crate::common::BOOK.to_string() + "\n[markdown]\nunsafe_html = true\n"),
    );
    f.write_bytes("content/guides/x.png", b"png");
    f.write(
        "content/guides/terms.md",
        "---\ntitle: METI in the title\nsummary: About METI.\n---\n## METI heading\n\n\
         [METI link](https://example.com) `METI code` <span>METI html</span> ![METI alt](x.png)\n\n\
         ```\nMETI block\n```\n\nFinally METI.\n",
    );
    f.build_ok(&[]);
    let html = f.read("public/guides/terms/index.html");
    assert_eq!(linked(&html), pairs(&[("METI", "meti")]));
    assert!(main_of(&html).contains("Finally <span class=\"glossary\">"));
}

#[test]
fn glossary_false_turns_automatic_links_off_for_a_page() {
    let f = site();
    f.write(
        "content/guides/terms.md",
        "---\ntitle: Terms\nglossary: false\n---\nMETI and [the institute](term:aisi).\n",
    );
    f.build_ok(&[]);
    let html = f.read("public/guides/terms/index.html");
    assert_eq!(linked(&html), pairs(&[("the institute", "aisi")]));
}

#[test]
fn explicit_term_links_fill_empty_text_and_unknown_ids_are_errors() {
    let f = site();
    f.write(
        "content/guides/terms.md",
        "---\ntitle: Terms\n---\n## About [](term:aisi)\n\nSee [](term:meti).\n",
    );
    f.write(
        "content/guides/terms.ja.md",
        "---\ntitle: 用語\n---\n[](term:meti)を参照。\n",
    );
    f.build_ok(&[]);
    let en = main_of(&f.read("public/guides/terms/index.html")).to_string();
    assert!(
        en.contains("aria-describedby=\"tebiki-term-aisi\">AI Safety Institute</a>"),
        "{en}"
    );
    assert!(
        en.contains(">Ministry of Economy, Trade and Industry</a>"),
        "{en}"
    );
    let ja = main_of(&f.read("public/ja/guides/terms/index.html")).to_string();
    assert!(ja.contains(">経済産業省</a>"), "{ja}");

    f.write(
        "content/guides/terms.md",
        "---\ntitle: Terms\n---\nIntro.\n\nSee [x](term:metti).\n",
    );
    let stderr = f.build_err();
    assert_snapshot(
        "glossary/explicit_term_links_fill_empty_text_and_unknown_ids_are_errors.txt",
        &stderr,
    );
}

#[test]
fn glossary_pages_sort_by_language_with_index_anchors_and_uses() {
    let f = site();
    f.write(
        "content/guides/terms.md",
        "---\ntitle: Terms\n---\nMETI and zero trust.\n",
    );
    f.write(
        "content/guides/terms.ja.md",
        "---\ntitle: 用語\n---\n経産省とゼロトラスト。\n",
    );
    f.build_ok(&[]);
    let en = f.read("public/glossary/index.html");
    let order = |html: &str, ids: &[&str]| {
        let positions: Vec<usize> = ids
            .iter()
            .map(|id| {
                html.find(&format!("id=\"{id}\""))
                    .unwrap_or_else(|| panic!("no #{id}"))
            })
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "{ids:?} out of order"
        );
    };
    // English: alphabetical, ignoring case (AI, AI Safety Institute, economy, Ministry…, zero trust).
    order(&en, &["ai", "aisi", "keizai", "meti", "zero-trust"]);
    // Japanese: by reading in gojūon order (えーあい, えーあいせーふてぃ…, けいざい, けいざいさんぎょうしょう, ぜろ…).
    let ja = f.read("public/ja/glossary/index.html");
    order(&ja, &["ai", "aisi", "keizai", "meti", "zero-trust"]);
    assert!(ja.contains("<html lang=\"ja\""));
    let index = ja.split("class=\"glossary-index\"").nth(1).unwrap();
    let labels: Vec<&str> = index
        .split("<li><a href=\"#group-")
        .skip(1)
        .map(|l| &l[l.find('>').unwrap() + 1..l.find("</a>").unwrap()])
        .collect();
    assert_eq!(labels, ["あ", "か", "さ"]);
    let meti = &ja[ja.find("id=\"meti\"").unwrap()..];
    let meti = &meti[..meti.find("</div>").unwrap()];
    assert!(meti.contains("<dfn>経済産業省</dfn>"), "{meti}");
    assert!(
        meti.contains("href=\"https://example.org/ja/glossary/#aisi\""),
        "{meti}"
    );
    assert!(
        meti.contains("href=\"https://example.org/ja/guides/terms/\""),
        "{meti}"
    );
    assert!(
        meti.contains("href=\"https://example.org/glossary/#meti\" hreflang=\"en\""),
        "{meti}"
    );
    assert!(
        !meti.contains("https://example.org/guides/terms/"),
        "uses are per language: {meti}"
    );
}

#[test]
fn glossary_errors_name_the_line() {
    let f = site();
    f.write(
        "content/glossary.toml",
        &(GLOSSARY.to_string()
            + "\n[[term]]\nid = \"meti\"\nsee_also = [\"nope\"]\n[term.en]\nterm = \"Other\"\nabbr = \"AISI\"\ndefinition = \"x\"\n[term.fr]\nterm = \"Autre\"\ndefinition = \"y\"\n"),
    );
    let stderr = f.build_err();
    assert_snapshot("glossary/glossary_errors_name_the_line.txt", &stderr);
}

/// A term's id is its anchor on the glossary page and in `term:` links: one that cannot be
/// (a space, a `/`) is an error at its line with a usable id, and only that error.
#[test]
fn a_term_id_that_cannot_be_an_anchor_is_an_error_at_its_line() {
    let f = site();
    f.write(
        "content/glossary.toml",
        &(GLOSSARY.to_string()
            + "\n[[term]]\nid = \"a b/../c\"\n[term.en]\nterm = \"Alpha\"\ndefinition = \"d\"\n"),
    );
    let stderr = f.build_err();
    let line = GLOSSARY.lines().count() + 3;
    assert!(
        stderr.contains("`id = \"a b/../c\"` cannot be an anchor in a URL")
            && stderr.contains(&format!("content/glossary.toml:{line}:"))
            && stderr.contains("such as `id = \"a-b-c\"`"),
        "{stderr}"
    );
    assert!(!stderr.contains("has no `id`"), "{stderr}");
    assert!(stderr.contains("error: 1 error found"), "{stderr}");
}

#[test]
fn a_glossary_file_set_in_book_toml_must_exist() {
    let book = crate::common::BOOK.to_string() + "\n[glossary]\nfile = \"glosary.toml\"\n";
    let f = Fixture::with_book(&book);
    f.write(
        "content/_index.md",
        "---\ntitle: ホーム\n---\n経済産業省の手引き。\n",
    );
    f.write("content/glossary.toml", GLOSSARY);
    let line = crate::common::BOOK.lines().count() + 3;
    for command in ["build", "check"] {
        // `check` reports on stdout, `build` on stderr.
        let run = f.run(&[command]);
        let report = run.stdout + &run.stderr;
        assert_eq!(run.code, 1, "{report}");
        assert!(
            report.contains(
                "error[config]: `[glossary] file` names `content/glosary.toml`, which does not exist"
            ),
            "{report}"
        );
        assert!(
            report.contains(&format!("--> book.toml:{line}:1")),
            "{report}"
        );
        assert!(
            report.contains(
                "help: did you mean `file = \"glossary.toml\"`? The path is relative to content/"
            ),
            "{report}"
        );
    }
    assert!(!f.path("public/glossary.toml").exists());

    // Left at its default, a glossary that is not there is no glossary, as before.
    let f = Fixture::bilingual();
    f.build_ok(&[]);
    assert!(!f.path("public/glossary/index.html").exists());
}

#[test]
fn check_warns_about_unused_terms_and_missing_languages() {
    let f = site();
    f.write(
        "content/glossary.toml",
        &(GLOSSARY.to_string()
            + "\n[[term]]\nid = \"lonely\"\n[term.en]\nterm = \"lonely word\"\ndefinition = \"Never used.\"\n"),
    );
    f.write(
        "content/guides/terms.md",
        "---\ntitle: Terms\n---\nMETI and AI.\n",
    );
    let run = f.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let found: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let has = |code: &str, text: &str| {
        found
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == code && d["message"].as_str().unwrap().contains(text))
    };
    assert!(has(
        "unused-term",
        "`lonely` is defined but no page uses it"
    ));
    assert!(has(
        "term-missing-language",
        "term `lonely` has no entry in ja"
    ));
    assert!(!has("unused-term", "`meti`"));
}

#[test]
fn a_theme_restyles_linked_terms_and_language_badges_through_markup_html() {
    let f = site();
    f.write(
        "content/guides/plan.md",
        "---\ntitle: Plan\n---\nMETI and METI again, see [](only-en.md).\n",
    );
    f.write(
        "content/guides/only-en.md",
        "---\ntitle: Only English\n---\nText.\n",
    );
    f.write(
        "content/guides/plan.ja.md",
        "---\ntitle: 計画\n---\n経産省について。[](only-en.md)\n",
    );
    f.write(
        "themes/default/templates/markup.html",
        concat!(
            "{% component glossary_term(href: string, hreflang: string, tip: string, lang: string, term: string, definition: string, text: string) -%}",
            "<a href=\"{{ href }}\" data-tip=\"{{ tip }}\" title=\"{{ term }}\">{{ text }}</a>",
            "{%- endcomponent glossary_term %}",
            "{% component language_badge(lang: string, name: string, note: string) %} <small lang=\"{{ lang }}\">({{ name }})</small>{% endcomponent language_badge %}",
        ),
    );
    f.build_ok(&[]);
    let en = f.read("public/guides/plan/index.html");
    assert!(
        main_of(&en).contains(
            "<a href=\"https://example.org/glossary/#meti\" data-tip=\"tebiki-term-meti\" title=\"Ministry of Economy, Trade and Industry\">METI</a>"
        ),
        "{en}"
    );
    let ja = f.read("public/ja/guides/plan/index.html");
    assert!(
        main_of(&ja).contains(
            "<a href=\"https://example.org/guides/only-en/\" hreflang=\"en\">Only English</a> <small lang=\"en\">(English)</small>"
        ),
        "{ja}"
    );
}

#[test]
fn a_term_component_that_drops_the_linked_text_is_an_error() {
    let f = site();
    f.write("content/guides/plan.md", "---\ntitle: Plan\n---\nMETI.\n");
    f.write(
        "themes/default/templates/markup.html",
        "{% component glossary_term(href: string, hreflang: string, tip: string, lang: string, term: string, definition: string, text: string) %}<a href=\"{{ href }}\">{{ term }}</a>{% endcomponent glossary_term %}{% component language_badge(lang: string, name: string, note: string) %}{% endcomponent language_badge %}",
    );
    let stderr = f.build_err();
    assert_snapshot(
        "glossary/a_term_component_that_drops_the_linked_text_is_an_error.txt",
        &stderr,
    );
}

/// One mistake, one error: an empty `term` is not also an entry missing its term, nor a term
/// with no entry in any language; a missing key is named in the help.
#[test]
fn an_empty_or_missing_term_key_is_one_error() {
    let f = site();
    f.write(
        "content/glossary.toml",
        &(GLOSSARY.to_string()
            + "\n[[term]]\nid = \"empty\"\n[term.en]\nterm = \"\"\ndefinition = \"d\"\n\n[[term]]\nid = \"half\"\n[term.en]\nterm = \"Half\"\n\n[[term]]\nid = \"both\"\n[term.en]\nterm = \"\"\n\n[[term]]\nid = \"none\"\n[term.en]\nabbr = \"N\"\n"),
    );
    let stderr = f.build_err();
    assert!(
        stderr.contains("`term` must be a non-empty string"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the `en` entry needs both `term` and `definition`")
            && stderr.contains("add `definition = \"…\"`"),
        "{stderr}"
    );
    assert!(!stderr.contains("has no entry in any language"), "{stderr}");
    // An empty term and no definition: both said; neither key: both named.
    assert!(
        stderr.contains("add `term = \"…\"` and `definition = \"…\"`"),
        "{stderr}"
    );
    assert!(stderr.contains("error: 5 errors found"), "{stderr}");
}

/// A definition's address written from the site's root gets base_url's path, as in pages, so
/// that it leads there under a sub-path.
#[test]
fn a_definitions_address_from_the_root_gets_the_base_path() {
    let f = Fixture::bilingual();
    f.write(
        "content/glossary.toml",
        "[[term]]\nid = \"act\"\n[term.en]\nterm = \"Act\"\ndefinition = \"See [the guide](/guides/ai-act/) and [METI](https://www.meti.go.jp/).\"\n[term.ja]\nterm = \"法\"\ndefinition = \"[ガイド](/ja/guides/ai-act/)を参照。\"\n",
    );
    f.build_ok(&["--base-url", "https://example.org/policy/"]);
    let en = f.read("public/glossary/index.html");
    assert!(
        en.contains("href=\"https://example.org/policy/guides/ai-act/\""),
        "{en}"
    );
    assert!(en.contains("href=\"https://www.meti.go.jp/\""), "{en}");
    let ja = f.read("public/ja/glossary/index.html");
    assert!(
        ja.contains("href=\"https://example.org/policy/ja/guides/ai-act/\""),
        "{ja}"
    );
}

#[test]
fn a_definitions_links_to_pages_and_terms_resolve_in_its_language_and_are_checked() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/only-en.md",
        "---\ntitle: Only in English\n---\nText.\n",
    );
    f.write(
        "content/glossary.toml",
        r#"[[term]]
id = "act"
[term.en]
term = "Act"
definition = "See [the guide](@/guides/ai-act.md#key-dates), [](guides/only-en.md) and [](term:body)."
[term.ja]
term = "推進法"
reading = "すいしんほう"
definition = "[ガイド](@/guides/ai-act.md)と[](guides/only-en.md)、[](term:body)を参照。"

[[term]]
id = "body"
[term.en]
term = "Headquarters"
definition = "A body; [the guides](guides/)."
[term.ja]
term = "本部"
reading = "ほんぶ"
definition = "組織。"
"#,
    );
    f.build_ok(&[]);
    let en = f.read("public/glossary/index.html");
    assert!(
        en.contains(r#"See <a href="https://example.org/guides/ai-act/#key-dates">the guide</a>, <a href="https://example.org/guides/only-en/">Only in English</a> and <a href="https://example.org/glossary/#body">Headquarters</a>."#),
        "{en}"
    );
    assert!(
        en.contains(r#"A body; <a href="https://example.org/guides/">the guides</a>."#),
        "{en}"
    );
    // The Japanese definition links the Japanese versions; a page with none in English, with
    // its language said.
    let ja = f.read("public/ja/glossary/index.html");
    assert!(
        ja.contains(r#"<a href="https://example.org/ja/guides/ai-act/">ガイド</a>と<a href="https://example.org/guides/only-en/" hreflang="en">Only in English</a>、<a href="https://example.org/ja/glossary/#body">本部</a>を参照。"#),
        "{ja}"
    );
    // Pages that use the term carry the resolved definition in their tooltips.
    f.write(
        "content/guides/uses.md",
        "---\ntitle: Uses\n---\nThe Act applies.\n",
    );
    f.build_ok(&[]);
    let uses = f.read("public/guides/uses/index.html");
    assert!(
        uses.contains(r#"<a href="https://example.org/guides/ai-act/#key-dates">the guide</a>"#),
        "{uses}"
    );

    f.write(
        "content/glossary.toml",
        r#"[[term]]
id = "act"
[term.en]
term = "Act"
definition = "See [the guide](@/guides/ai-act.md#key-date), [x](guides/ai-akt.md), [](term:bodi) and [the PDF](files/act.pdf). ![A chart](chart.png)"
"#,
    );
    let stderr = f.build_err();
    assert_snapshot(
        "glossary/a_definitions_links_to_pages_and_terms_resolve_in_its_language_and_are_checked.txt",
        &stderr,
    );
}
