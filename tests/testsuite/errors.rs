//! Bad input: every problem is reported with its file:line:col and what to do, all in one
//! run, with the right exit code — and a failed build loses nothing.

use crate::common::{Fixture, assert_snapshot};

#[test]
fn unknown_front_matter_key_with_suggestion_at_file_line() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/typo.md",
        "---\ntitle: Typo\nsumary: A typo.\nextra:\n  anything: goes\n---\nBody.\n",
    );
    let stderr = f.build_err();
    assert_snapshot(
        "errors/unknown_front_matter_key_with_suggestion_at_file_line.txt",
        &stderr,
    );
}

#[test]
fn all_errors_are_reported_in_one_run() {
    let f = Fixture::bilingual();
    f.write("content/guides/a.md", "---\ntitle: A\ntittle: B\n---\n");
    f.write(
        "content/guides/b.md",
        "---\ntitle: B\ndate: 8 May 2026\n---\n",
    );
    f.write(
        "content/guides/c.md",
        "+++\ntitle = \"C\"\nweight = \"heavy\"\n+++\n",
    );
    let stderr = f.build_err();
    assert_snapshot("errors/all_errors_are_reported_in_one_run.txt", &stderr);
}

#[test]
fn malformed_yaml_and_toml_point_at_the_line() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/yaml.md",
        "---\ntitle: YAML\nsummary: \"unterminated\ntags: [a]\n---\nBody.\n",
    );
    f.write(
        "content/guides/toml.md",
        "+++\ntitle = \"TOML\"\nsummary = \"fine\"\ntags = [\"a\",\n+++\nBody.\n",
    );
    let stderr = f.build_err();
    assert_snapshot(
        "errors/malformed_yaml_and_toml_point_at_the_line.txt",
        &stderr,
    );
}

#[test]
fn a_yaml_mistake_is_at_its_own_line_whatever_the_line_breaks() {
    let f = Fixture::bilingual();
    // A line without its `:` is noticed by the YAML reader only on the next line.
    f.write(
        "content/guides/colon.md",
        "---\ntitle: Z\nsummary: \"abcd\"\nfoo bar\n---\nx\n",
    );
    // An unclosed list is noticed only at the end of the front matter.
    f.write(
        "content/guides/list.md",
        "---\ntitle: Z\ntags: [a, b\n---\nx\n",
    );
    // A lone CR breaks a line in an editor, in the front matter and in the body.
    f.write(
        "content/guides/cr.md",
        "---\ntitle: Z\r\r\r\r\r\r\r\r\r\rdate 2025\n---\nx\n",
    );
    f.write(
        "content/guides/body.md",
        "---\ntitle: Z\n---\na\rb\r[x](nope.md)\n",
    );
    let stderr = f.build_err();
    for place in [
        "--> content/guides/colon.md:4:1\n",
        "--> content/guides/list.md:3:12\n",
        "--> content/guides/cr.md:12:1\n",
        "--> content/guides/body.md:6:1\n",
    ] {
        assert!(stderr.contains(place), "{place}: {stderr}");
    }
    assert!(stderr.contains("4 | foo bar\n"), "{stderr}");
    assert!(stderr.contains("6 | [x](nope.md)\n"), "{stderr}");
    assert!(stderr.contains("12 | date 2025\n"), "{stderr}");
}

#[test]
fn unclosed_front_matter() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/open.md",
        "---\ntitle: Open\n\nBody without a closing line.\n",
    );
    let stderr = f.build_err();
    assert_snapshot("errors/unclosed_front_matter.txt", &stderr);
}

/// The README's own example once had a comment on its opening line: the front matter became
/// a heading of the section, and on a page "no front matter" was all that was said.
#[test]
fn text_after_the_opening_delimiter_is_an_error_at_line_1() {
    let f = Fixture::bilingual();
    f.write(
        "content/reference/_index.md",
        "---                     # content/reference/_index.md\ntitle: Reference\nlevels:\n  no-sources: allow\n---\n",
    );
    f.write(
        "content/guides/toml.md",
        "+++ title = \"TOML\"\n+++\nBody.\n",
    );
    let run = f.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("content/reference/_index.md:1:25"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("no front matter"), "{}", run.stdout);
    let stderr = f.build_err();
    assert_snapshot(
        "errors/text_after_the_opening_delimiter_is_an_error_at_line_1.txt",
        &stderr,
    );
}

/// Spaces after a delimiter are invisible in an editor, so they stay allowed.
#[test]
fn trailing_whitespace_after_the_delimiters_is_accepted() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/spaces.md",
        "--- \t\ntitle: Spaces\n---  \nBody.\n",
    );
    f.write(
        "content/guides/toml.md",
        "+++  \r\ntitle = \"TOML\"\r\n+++\r\nBody.\r\n",
    );
    f.build_ok(&[]);
    assert!(
        f.read("public/guides/spaces/index.html")
            .contains("<h1>Spaces</h1>")
    );
    assert!(
        f.read("public/guides/toml/index.html")
            .contains("<h1>TOML</h1>")
    );
}

#[test]
fn undeclared_language_is_an_error() {
    let f = Fixture::bilingual();
    f.write("content/guides/ai-act.fr.md", "---\ntitle: La loi\n---\n");
    let stderr = f.build_err();
    assert_snapshot("errors/undeclared_language_is_an_error.txt", &stderr);
}

#[test]
fn missing_template_names_the_line() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/custom.md",
        "---\ntitle: Custom\ntemplate: pgae.html\n---\n",
    );
    let stderr = f.build_err();
    assert_snapshot("errors/missing_template_names_the_line.txt", &stderr);
}

#[test]
fn template_errors_name_template_line_and_column() {
    let f = Fixture::bilingual();
    f.write(
        "themes/default/templates/taxonomy_term.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ term.nmae }}</p>\n{% endblock content %}\n",
    );
    let stderr = f.build_err();
    assert_snapshot(
        "errors/template_errors_name_template_line_and_column.txt",
        &stderr,
    );

    f.write(
        "themes/default/templates/taxonomy_term.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ term.name \n{% endblock content %}\n",
    );
    let stderr = f.build_err();
    assert_snapshot(
        "errors/template_errors_name_template_line_and_column-2.txt",
        &stderr,
    );
}

#[test]
fn every_template_mistake_is_reported_at_its_own_file_and_line_in_one_run() {
    let f = Fixture::bilingual();
    // Two syntax errors in two files: both reported, not one build each, and with them the
    // unknown filter of a third file that parses.
    f.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}{% endblok content %}\n",
    );
    f.write(
        "themes/default/templates/section.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ section.title }\n{% endblock content %}\n",
    );
    f.write(
        "themes/default/templates/glossary.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ lang | shout }}\n{% endblock content %}\n",
    );
    let stderr = f.build_err();
    assert!(
        stderr.contains("--> themes/default/templates/page.html:2:")
            && stderr.contains("--> themes/default/templates/section.html:3:")
            && stderr
                .contains("Unknown filter `shout`\n --> themes/default/templates/glossary.html:3:")
            && stderr.contains("3 errors found"),
        "{stderr}"
    );
    std::fs::remove_file(f.path("themes/default/templates/glossary.html")).expect("remove");
    // Unknown filters and components: one error each, at the site's file and line, not one
    // error at `templates` holding them all.
    f.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title | upcase }}</h1>\n{% endblock content %}\n",
    );
    f.write(
        "themes/default/templates/section.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ <breadcrumbz /> }}\n{% endblock content %}\n",
    );
    let stderr = f.build_err();
    assert!(
        stderr.contains(
            "error[template]: template error: Unknown filter `upcase`\n --> themes/default/templates/page.html:3:"
        ) && stderr.contains(
            "error[template]: template error: Unknown component `breadcrumbz`\n --> themes/default/templates/section.html:3:"
        ) && stderr.contains("2 errors found"),
        "{stderr}"
    );
    let json = f.run(&["check", "--format", "json"]).stdout;
    assert!(
        json.contains("\"file\": \"themes/default/templates/page.html\",\n    \"line\": 3"),
        "{json}"
    );
    // A parent that does not exist: at the `extends`, with the closest name.
    f.write(
        "themes/default/templates/page.html",
        "{# a guide #}\n{% extends \"bse.html\" %}\n",
    );
    f.write(
        "themes/default/templates/section.html",
        "{% extends \"base.html\" %}\n",
    );
    let stderr = f.build_err();
    assert!(
        stderr.contains("template extends `bse.html`, which does not exist\n --> themes/default/templates/page.html:2:12")
            && stderr.contains("did you mean `base.html`?"),
        "{stderr}"
    );
    // A missing parent does not hide the unknown filters and components of the others, nor
    // another missing parent; what only follows from it (a template extending the one whose
    // parent is missing) is not reported.
    f.write(
        "themes/default/templates/section.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ section.title | nofilter }}\n{% endblock content %}\n",
    );
    f.write(
        "themes/default/templates/taxonomy_list.html",
        "{% extends \"bsae.html\" %}\n",
    );
    f.write(
        "themes/default/templates/glossary.html",
        "{% extends \"mine.html\" %}\n",
    );
    f.write(
        "themes/default/templates/mine.html",
        "{% extends \"nope.html\" %}\n",
    );
    let stderr = f.build_err();
    for want in [
        "template extends `bse.html`, which does not exist\n --> themes/default/templates/page.html:2:12",
        "template extends `bsae.html`, which does not exist\n --> themes/default/templates/taxonomy_list.html:1:12",
        "template extends `nope.html`, which does not exist\n --> themes/default/templates/mine.html:1:12",
        "Unknown filter `nofilter`\n --> themes/default/templates/section.html:3:",
        "4 errors found",
    ] {
        assert!(stderr.contains(want), "{want}:\n{stderr}");
    }
    assert!(!stderr.contains("mine.html`, which"), "{stderr}");
}

#[test]
fn a_template_error_in_every_page_is_reported_once() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/second.md",
        "---\ntitle: Second\n---\nText.\n",
    );
    f.write(
        "themes/default/templates/partials/summary_meta.html",
        "{{ item.reading_tim }}",
    );
    let stderr = f.build_err();
    assert_eq!(
        stderr.matches("Field `reading_tim` is not defined").count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("1 error found"), "{stderr}");
}

#[test]
fn a_site_component_replaces_the_built_in_one_alone() {
    let f = Fixture::bilingual();
    // Only `search_box`, as docs/templates.md describes: every other built-in component stays.
    f.write(
        "themes/default/templates/components.html",
        "{% component search_box(search_url: string, @lang, @t, @config, @static_url) %}<p class=\"my-search\">{{ lang }}</p>{% endcomponent search_box %}\n",
    );
    // A README beside the templates is not one (its `{% raw %}` would not compile).
    f.write("themes/default/templates/README.md", "Notes {% raw %}\n");
    f.build_ok(&[]);
    let page = f.read("public/guides/ai-act/index.html");
    assert!(page.contains("<p class=\"my-search\">en</p>"), "{page}");
    assert!(page.contains("class=\"breadcrumb\""), "{page}");
    assert!(!page.contains("data-search-panel"), "{page}");
    // The same component in a file of another name replaces it too.
    std::fs::rename(
        f.path("themes/default/templates/components.html"),
        f.path("themes/default/templates/my-search.html"),
    )
    .expect("rename");
    f.build_ok(&[]);
    assert!(
        f.read("public/ja/guides/ai-act/index.html")
            .contains("<p class=\"my-search\">ja</p>")
    );
}

#[test]
fn a_glossary_term_component_printing_its_text_twice_is_an_error() {
    let f = Fixture::bilingual();
    f.write(
        "content/glossary.toml",
        "[[term]]\nid = \"ai\"\n[term.en]\nterm = \"AI\"\ndefinition = \"Artificial intelligence.\"\n",
    );
    f.write(
        "book.toml",
        &format!(
            "{}\n[glossary]\nfile = \"glossary.toml\"\n",
            crate::common::BOOK
        ),
    );
    f.write(
        "themes/default/templates/markup.html",
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/templates/markup.html"
        ))
        .expect("built-in markup.html")
        .replacen("{{ text }}", "{{ text }}/{{ text }}", 1),
    );
    let stderr = f.build_err();
    assert!(
        stderr.contains("the `glossary_term` component prints its `text` argument 2 times"),
        "{stderr}"
    );
}

#[test]
fn i18n_mistakes_are_errors_at_their_line_and_missing_strings_a_warning() {
    let book = crate::common::BOOK.replace(
        "[languages.ja]",
        "[languages.fr]\nname = \"Français\"\ntitle = \"Guides\"\n\n[languages.ja]",
    );
    let f = Fixture::with_book(&book);
    f.write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
    f.write(
        "themes/default/i18n.toml",
        "home = \"Start\"\n[en]\nskip_to_contnet = \"Jump\"\n[ja]\nhome = 42\n[fr]\nhome = \"Accueil\"\n",
    );
    let stderr = f.build_err();
    for want in [
        "error[i18n]: `home` is outside any language's table, so no page shows it\n --> themes/default/i18n.toml:1:1",
        "error[i18n]: `skip_to_contnet` in [en] is not a string of the built-in theme, and no template of the site uses it\n --> themes/default/i18n.toml:3:1",
        "did you mean `skip_to_content`?",
        "error[i18n]: `home` in [ja] is not text\n --> themes/default/i18n.toml:5:8",
    ] {
        assert!(stderr.contains(want), "missing {want:?} in\n{stderr}");
    }
    // A key the site's own template uses is the site's own string, not a mistake.
    f.write(
        "themes/default/i18n.toml",
        "[fr]\nhome = \"Accueil\"\n[en]\nmy_motto = \"Plain words\"\n[ja]\nmy_motto = \"平易な言葉\"\n",
    );
    f.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ t.my_motto }}{% endblock content %}\n",
    );
    let run = f.build_ok(&[]);
    assert!(
        run.stderr.contains(
            "warning[i18n-missing]: language `fr` lacks 76 of the theme's 77 interface strings"
        ) && !run.stderr.contains("language `ja` lacks"),
        "{}",
        run.stderr
    );
}

#[test]
fn template_loops_name_the_template() {
    let f = Fixture::bilingual();
    f.write(
        "themes/default/templates/loop.html",
        "{% include \"loop.html\" %}\n",
    );
    let stderr = f.build_err();
    assert!(
        stderr.contains("template `loop.html` includes itself: loop.html → loop.html")
            && stderr.contains("--> themes/default/templates/loop.html"),
        "{stderr}"
    );
    f.write(
        "themes/default/templates/loop.html",
        "{% extends \"loop2.html\" %}\n",
    );
    f.write(
        "themes/default/templates/loop2.html",
        "{% extends \"loop.html\" %}\n",
    );
    let stderr = f.build_err();
    // Whichever template Tera starts from, the loop is named whole, at the tag closing it.
    let (loop1, loop2) = (
        "loop.html → loop2.html → loop.html\n --> themes/default/templates/loop2.html:1:1\n",
        "loop2.html → loop.html → loop2.html\n --> themes/default/templates/loop.html:1:1\n",
    );
    assert!(
        stderr.contains("templates extend each other in a loop: ")
            && (stderr.contains(loop1) || stderr.contains(loop2)),
        "{stderr}"
    );
}

#[test]
fn template_loops_are_at_the_tag_with_the_whole_chain() {
    let f = Fixture::bilingual();
    f.write(
        "themes/default/templates/partials/card.html",
        "<div>\n  {%- include \"partials/card.html\" %}\n</div>\n",
    );
    let stderr = f.build_err();
    assert!(
        stderr.contains(
            "template `partials/card.html` includes itself: partials/card.html → partials/card.html"
        ) && stderr.contains("--> themes/default/templates/partials/card.html:2:3\n"),
        "{stderr}"
    );
    f.write(
        "themes/default/templates/partials/card.html",
        "<div></div>\n",
    );
    f.write(
        "themes/default/templates/page.html",
        "{# a page #}\n{% extends \"page.html\" %}\n",
    );
    let stderr = f.build_err();
    assert!(
        stderr.contains("template `page.html` extends itself: page.html → page.html\n")
            && stderr.contains("--> themes/default/templates/page.html:2:1\n"),
        "{stderr}"
    );
}

#[test]
fn a_wrong_months_list_is_at_its_line() {
    let f = Fixture::bilingual();
    f.write(
        "themes/default/i18n.toml",
        "[ja]\ndate_format = \"{day} {month_name} {year}\"\nmonths = [\"January\"]\n",
    );
    let stderr = f.build_err();
    assert!(
        stderr.contains("`months` in [ja] is not a list of 12 month names")
            && stderr.contains("--> themes/default/i18n.toml:3:1\n"),
        "{stderr}"
    );
}

#[test]
fn book_toml_unknown_key_and_missing_default_language() {
    let f = Fixture::with_book(&crate::common::BOOK.replace("description =", "descripton ="));
    f.write("content/_index.md", "---\ntitle: Home\n---\n");
    let stderr = f.build_err();
    assert_snapshot(
        "errors/book_toml_unknown_key_and_missing_default_language.txt",
        &stderr,
    );

    let f = Fixture::with_book(&crate::common::BOOK.replace("[languages.en]", "[languages.de]"));
    let stderr = f.build_err();
    assert_snapshot(
        "errors/book_toml_unknown_key_and_missing_default_language-2.txt",
        &stderr,
    );
}

#[test]
fn a_missing_theme_is_reported_at_its_line_in_book_toml() {
    let book = format!(
        "{}\n[build]\ntheme = \"tebiki-dark\"\n",
        crate::common::BOOK
    );
    let line = book
        .lines()
        .position(|l| l.starts_with("theme ="))
        .expect("line")
        + 1;
    let f = Fixture::with_book(&book);
    f.write("content/_index.md", "---\ntitle: Home\n---\n");
    let stderr = f.build_err();
    assert!(
        stderr.contains("theme `tebiki-dark` not found: there is no themes/tebiki-dark/ folder")
            && stderr.contains(&format!("--> book.toml:{line}:1")),
        "{stderr}"
    );
    // A theme folder of a close name is offered.
    f.write("themes/tebiki-drak/templates/.keep", "");
    let stderr = f.build_err();
    assert!(stderr.contains("did you mean `tebiki-drak`?"), "{stderr}");
}

/// While the theme has errors, a link to a heading whose id avoids the theme's own (`## Main`
/// is `#main-1` beside the theme's `<main id="main">`) is not reported as broken, with a
/// suggestion that would break it, nor is a link to a file of the theme: only the theme's
/// errors are.
#[test]
fn a_broken_theme_does_not_make_links_to_headings_or_its_files_look_broken() {
    let page = "---\ntitle: Page\n---\n## Main\n\nSee [the main part](#main-1) and [the style \
                sheet](/style.css).\n";
    let missing = format!("{}\n[build]\ntheme = \"mine\"\n", crate::common::BOOK);
    let f = Fixture::with_book(&missing);
    f.write("content/guides/page.md", page);
    let stderr = f.build_err();
    assert!(stderr.contains("theme `mine` not found"), "{stderr}");
    assert!(!stderr.contains("missing-anchor"), "{stderr}");
    assert!(!stderr.contains("broken-link"), "{stderr}");

    let f = Fixture::new();
    f.write("content/guides/page.md", page);
    f.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block content %}{{ page.title {% endblock content %}",
    );
    let stderr = f.build_err();
    assert!(stderr.contains("error[template]"), "{stderr}");
    assert!(!stderr.contains("missing-anchor"), "{stderr}");
    assert!(!stderr.contains("broken-link"), "{stderr}");
    // A link that is broken whatever the theme still is.
    f.write(
        "content/guides/page.md",
        &page.replace("#main-1", "#mian-1"),
    );
    let stderr = f.build_err();
    assert!(
        stderr.contains("error[missing-anchor]: `#mian-1`"),
        "{stderr}"
    );
}

#[test]
fn slug_cannot_escape_the_output_directory() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/evil.md",
        "---\ntitle: Evil\nslug: ../../x\n---\n",
    );
    let stderr = f.build_err();
    assert_snapshot(
        "errors/slug_cannot_escape_the_output_directory.txt",
        &stderr,
    );
    // `public/guides/../../x` would be the site root's `x`.
    assert!(!f.path("x").exists());
    assert!(!f.path("x/index.html").exists());
    assert!(
        !f.path("public").exists(),
        "a failed first build writes nothing"
    );
}

#[test]
fn a_failed_build_keeps_the_previous_output_byte_for_byte() {
    let f = Fixture::bilingual();
    f.build_ok(&[]);
    let before = f.read("public/guides/ai-act/index.html");
    let home_before = f.read("public/index.html");
    f.write(
        "content/guides/ai-act.md",
        &crate::common::AI_ACT_EN.replace("title:", "titel:"),
    );
    let stderr = f.build_err();
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(f.read("public/guides/ai-act/index.html"), before);
    assert_eq!(f.read("public/index.html"), home_before);
    let leftovers: Vec<_> = std::fs::read_dir(f.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tebiki"))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

#[test]
fn refuses_to_replace_a_directory_it_did_not_create() {
    let f = Fixture::bilingual();
    f.write("mine/notes.txt", "precious");
    let run = f.run(&["build", "-o", "mine"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("refusing to replace"), "{}", run.stderr);
    assert!(run.stderr.contains(".tebiki-output"), "{}", run.stderr);
    assert_eq!(f.read("mine/notes.txt"), "precious");
    assert_eq!(std::fs::read_dir(f.path("mine")).unwrap().count(), 1);

    // Its own output it replaces, and an empty folder it may use.
    f.build_ok(&[]);
    f.build_ok(&[]);
    std::fs::create_dir(f.path("empty")).unwrap();
    f.build_ok(&["-o", "empty"]);
    assert!(f.path("empty/index.html").is_file());
}

#[test]
fn usage_errors_exit_2() {
    let f = Fixture::bilingual();
    assert_eq!(f.run(&["build", "--nonsense"]).code, 2);
    let run = f.run(&["build", "--base-url", "example.org"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("must be an absolute http(s) address"),
        "{}",
        run.stderr
    );
    let run = f.run(&["build", "--root", "nowhere"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("the site folder `nowhere` does not exist"),
        "{}",
        run.stderr
    );
}

/// Each diagnostic of a build's stderr as (location, message).
fn located(stderr: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = stderr.lines().collect();
    lines
        .windows(2)
        .filter_map(|pair| {
            let (_, message) = pair[0].split_once("]: ")?;
            let location = pair[1].trim_start().strip_prefix("--> ")?;
            Some((location.to_string(), message.to_string()))
        })
        .collect()
}

#[test]
fn each_bad_source_and_change_note_is_reported_at_its_own_entry() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/yaml.md",
        "---\ntitle: 出典\nsources:\n  - title: AI法の概要\n    publisher: 内閣府\n  - publisher: 経済産業省\n  - title: 基本計画\n    date: 五月\n  - publisher: 総務省\nchanges:\n  - date: 2026-06-01\n    note: 出典を追加した。\n  - date: 2026-06-02\n  - {date: 2026-06-03}\n---\n本文。\n",
    );
    f.write(
        "content/guides/toml.md",
        "+++\ntitle = \"出典\"\n[[sources]]\ntitle = \"AI法の概要\"\npublisher = \"内閣府\"\n\n[[sources]]\npublisher = \"経済産業省\"\n\n[[changes]]\ndate = 2026-06-01\nnote = \"出典を追加した。\"\n[[changes]]\nnote = \"日付がない。\"\ndate = \"六月\"\n+++\n本文。\n",
    );
    let stderr = f.build_err();
    let title = "every source needs a `title`";
    let note = "every change note needs a one-line `note` saying what changed";
    let expected = [
        ("content/guides/toml.md:7:1", title),
        (
            "content/guides/toml.md:15:1",
            "every change note needs a `date` written YYYY-MM-DD",
        ),
        ("content/guides/yaml.md:6:5", title),
        (
            "content/guides/yaml.md:8:5",
            "a source's `date` must be a date written YYYY-MM-DD",
        ),
        ("content/guides/yaml.md:9:5", title),
        ("content/guides/yaml.md:13:5", note),
        ("content/guides/yaml.md:14:6", note),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(at, message)| (at.to_string(), message.to_string()))
        .collect();
    assert_eq!(located(&stderr), expected, "{stderr}");
}

#[test]
fn a_source_field_written_as_a_number_is_an_error_at_it() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/numbers.md",
        "---\ntitle: 数\nsources:\n  - title: 2025\n    publisher: 内閣府\n  - title: 基本計画\n    url: 5\n---\n本文。\n",
    );
    let stderr = f.build_err();
    let expected = vec![
        (
            "content/guides/numbers.md:4:5".to_string(),
            "a source's `title` must be text: quote it, such as `title: \"…\"`".to_string(),
        ),
        (
            "content/guides/numbers.md:7:5".to_string(),
            "a source's `url` must be text: quote it, such as `url: \"…\"`".to_string(),
        ),
    ];
    assert_eq!(located(&stderr), expected, "{stderr}");
}

#[test]
fn a_repository_in_the_output_is_kept_and_files_added_by_hand_are_named_as_they_go() {
    let f = Fixture::bilingual();
    // A fresh `gh-pages` worktree: nothing but its repository.
    f.write(
        "site-out/.git",
        "gitdir: /elsewhere/.git/worktrees/gh-pages\n",
    );
    let run = f.build_ok(&["-o", "site-out"]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(
        f.read("site-out/.git"),
        "gitdir: /elsewhere/.git/worktrees/gh-pages\n"
    );
    assert!(f.path("site-out/index.html").is_file());

    // Files added to the output by hand go with the previous output, and the build says so.
    f.write("site-out/CNAME", "guides.example.org\n");
    f.write("site-out/.nojekyll", "");
    let run = f.build_ok(&["-o", "site-out"]);
    assert!(
        run.stderr.contains(
            "warning: the previous output had .nojekyll, CNAME, which the build does not write: removed with it"
        ) && run.stderr.contains("put files to publish in static/"),
        "{}",
        run.stderr
    );
    assert!(!f.path("site-out/CNAME").exists());
    assert_eq!(
        f.read("site-out/.git"),
        "gitdir: /elsewhere/.git/worktrees/gh-pages\n"
    );

    // From static/, they are the build's own: no warning.
    f.write("static/CNAME", "guides.example.org\n");
    f.build_ok(&["-o", "site-out"]);
    let run = f.build_ok(&["-o", "site-out"]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(f.read("site-out/CNAME"), "guides.example.org\n");
}
