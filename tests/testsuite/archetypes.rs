//! `tebiki new --kind`: the bundled archetypes in both languages, a site's own archetypes
//! overriding them (Hugo's `archetypes/KIND.md`, `archetypes/KIND.LANG.md`), unknown kinds,
//! and the translation of a page started from an archetype keeping its structure.

use crate::common::Fixture;

fn new_ok(f: &Fixture, args: &[&str]) -> String {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    let run = f.run(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stderr
}

/// The `## ` headings of a Markdown file, in order.
fn headings(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with("## "))
        .map(|l| l[3..].to_string())
        .collect()
}

#[test]
fn bundled_brief_and_guide_have_the_bundled_structure_and_build() {
    let f = Fixture::bilingual();
    let said = new_ok(&f, &["briefs/new-meeting.md", "--kind", "brief"]);
    assert!(
        said.contains("created content/briefs/new-meeting.md"),
        "{said}"
    );
    let brief = f.read("content/briefs/new-meeting.md");
    assert_eq!(
        headings(&brief),
        ["What happened", "Why it matters", "What to watch"]
    );
    assert!(brief.contains("title: \"New meeting\""), "{brief}");
    assert!(brief.contains("draft: true"));
    assert!(brief.contains("sources: []"));
    assert!(!brief.contains("{{"), "placeholders filled: {brief}");

    new_ok(&f, &["guides/compute.md", "--kind", "guide"]);
    let guide = f.read("content/guides/compute.md");
    assert_eq!(
        headings(&guide),
        [
            "Key dates",
            "The first section",
            "The second section",
            "What to watch"
        ]
    );
    assert!(guide.contains("| Date | Milestone | Reported by |"));

    f.build_ok(&["--drafts"]);
    let html = f.read("public/guides/compute/index.html");
    assert!(html.contains("<h2 id=\"key-dates\">"), "{html}");
    assert!(html.contains("<table>"));
    assert!(
        f.read("public/briefs/new-meeting/index.html")
            .contains("<h2 id=\"why-it-matters\">")
    );
    assert_eq!(f.run(&["check"]).code, 0);
}

#[test]
fn kind_with_lang_starts_a_page_in_that_language() {
    let f = Fixture::bilingual();
    let said = new_ok(&f, &["guides/keisan.md", "--kind", "guide", "--lang", "ja"]);
    assert!(
        said.contains("created content/guides/keisan.ja.md"),
        "{said}"
    );
    let guide = f.read("content/guides/keisan.ja.md");
    assert_eq!(
        headings(&guide),
        ["主な日付", "第一の節", "第二の節", "今後の注目点"]
    );
    assert!(
        !guide.contains("translated_from"),
        "not a translation: {guide}"
    );
    new_ok(&f, &["briefs/kaigi.ja.md", "--kind", "brief"]);
    assert_eq!(
        headings(&f.read("content/briefs/kaigi.ja.md")),
        ["何が起きたのか", "なぜ重要なのか", "今後の注目点"]
    );
    f.build_ok(&["--drafts"]);
    assert!(
        f.read("public/ja/guides/keisan/index.html")
            .contains("主な日付")
    );

    // A page that exists is translated by copying it, not from an archetype.
    let run = f.run(&["new", "guides/ai-act.md", "--kind", "guide", "--lang", "ja"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("drop --kind"), "{}", run.stderr);
}

#[test]
fn translating_a_guide_keeps_its_structure_with_headings_to_translate() {
    let f = Fixture::bilingual();
    new_ok(&f, &["guides/compute.md", "--kind", "guide"]);
    new_ok(&f, &["guides/compute.md", "--lang", "ja"]);
    let en = f.read("content/guides/compute.md");
    let ja = f.read("content/guides/compute.ja.md");
    assert_eq!(
        headings(&ja),
        headings(&en),
        "the same headings, still in English"
    );
    assert!(ja.contains("| Date | Milestone | Reported by |"));
    assert!(ja.contains("translated_from: \""));
}

#[test]
fn site_archetypes_override_and_add_kinds() {
    let f = Fixture::bilingual();
    f.write(
        "archetypes/guide.md",
        "---\ntitle: \"{{ title }}\"\ndate: {{ date }}\nreview_by: {{ review_by }}\ndraft: true\n---\n\n## Background\n\n## Our view\n",
    );
    f.write(
        "archetypes/note.ja.md",
        "---\ntitle: \"{{ title }}\"\ndraft: true\n---\n\n## メモ\n",
    );
    new_ok(&f, &["guides/site-kind.md", "--kind", "guide"]);
    let text = f.read("content/guides/site-kind.md");
    assert_eq!(headings(&text), ["Background", "Our view"]);
    assert!(!text.contains("{{"), "{text}");
    // The site's guide.md serves every language: the headings are left to translate.
    new_ok(
        &f,
        &["guides/site-kind-ja.md", "--kind", "guide", "--lang", "ja"],
    );
    assert_eq!(
        headings(&f.read("content/guides/site-kind-ja.ja.md")),
        ["Background", "Our view"]
    );
    // The bundled brief is still there.
    new_ok(&f, &["briefs/b.md", "--kind", "brief"]);
    // A kind only the site has, in Japanese.
    new_ok(&f, &["notes/n.md", "--kind", "note", "--lang", "ja"]);
    assert_eq!(headings(&f.read("content/notes/n.ja.md")), ["メモ"]);

    let run = f.run(&["new", "guides/x.md", "--kind", "memo"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("there is no archetype `memo`; kinds: brief, guide, note"),
        "{}",
        run.stderr
    );
    let run = f.run(&["new", "guides/x.md", "--kind", "../book"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!f.path("content/guides/x.md").exists());
}
