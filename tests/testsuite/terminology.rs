//! `term-missing`: a glossary term the original uses in a section (aligned by heading order)
//! that the same section of its translation lacks, warned at the translation's heading, with
//! English originals translated into Japanese and Japanese originals into English.

use crate::common::{BOOK, Fixture};

const GLOSSARY: &str = r#"[[term]]
id = "aisi"
[term.en]
term = "AI Safety Institute"
abbr = "AISI"
definition = "The institute."
[term.ja]
term = "AIセーフティ・インスティテュート"
abbr = "AISI"
aliases = ["AI安全研究所"]
reading = "えーあいせーふてぃ"
definition = "研究所。"

[[term]]
id = "hq"
[term.en]
term = "headquarters"
definition = "A central body."
[term.ja]
term = "本部"
reading = "ほんぶ"
definition = "中心となる組織。"
"#;

/// The `term-missing` warnings of `tebiki check`, as (file:line, term id).
fn missing(f: &Fixture) -> Vec<(String, String)> {
    let run = f.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "warnings only: {}", run.stdout);
    let all: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("JSON");
    all.iter()
        .filter(|d| d["code"] == "term-missing")
        .map(|d| {
            let message = d["message"].as_str().unwrap_or_default();
            let id = message
                .split("glossary term `")
                .nth(1)
                .and_then(|s| s.split('`').next())
                .unwrap_or_default();
            (
                format!("{}:{}", d["file"].as_str().unwrap_or_default(), d["line"]),
                id.to_string(),
            )
        })
        .collect()
}

fn site(book: &str) -> Fixture {
    let f = Fixture::with_book(book);
    f.write(
        "content/_index.md",
        "---\ntitle: Home\n---\n[a](guides/a.md)\n",
    );
    f.write("content/glossary.toml", GLOSSARY);
    f
}

#[test]
fn english_original_japanese_translation() {
    let f = site(BOOK);
    f.write(
        "content/guides/a.md",
        "---\ntitle: A\nsources: [{title: S}]\n---\nThe AISI opened.\n\n## Key dates\n\nThe AI Safety Institute and the headquarters met.\n\n## Outlook\n\nNothing here.\n",
    );
    f.write(
        "content/guides/a.ja.md",
        "---\ntitle: エー\nsources: [{title: S}]\n---\nAI安全研究所が開所した。\n\n## 主な日付\n\n研究所と本部が会合した。\n\n## 見通し\n\n本部の話。\n",
    );
    // The intro uses an alias, the second section lacks the institute; the third section of
    // the original uses no term, so the translation's extra term is fine.
    assert_eq!(
        missing(&f),
        [("content/guides/a.ja.md:7".to_string(), "aisi".to_string())]
    );
    let run = f.run(&["check"]);
    assert!(
        run.stdout.contains("section `主な日付` does not use the glossary term `aisi` that the same section of `content/guides/a.md` uses (`AI Safety Institute`)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("use `AIセーフティ・インスティテュート` or `AISI` or `AI安全研究所` here")
    );

    // The original's words kept as they are (a quoted title) count as the term.
    f.write(
        "content/guides/a.ja.md",
        "---\ntitle: エー\nsources: [{title: S}]\n---\nAI安全研究所が開所した。\n\n## 主な日付\n\n“The AI Safety Institute opens”（英文）と本部。\n\n## 見通し\n\n本部の話。\n",
    );
    assert_eq!(missing(&f), []);

    // A `term:` link counts as using the term.
    f.write(
        "content/guides/a.ja.md",
        "---\ntitle: エー\nsources: [{title: S}]\n---\nAI安全研究所が開所した。\n\n## 主な日付\n\n[研究所](term:aisi)と本部が会合した。\n\n## 見通し\n\n本部の話。\n",
    );
    assert_eq!(missing(&f), []);
}

#[test]
fn japanese_original_english_translation_and_section_intros() {
    let book = BOOK.replace("default_language = \"en\"", "default_language = \"ja\"");
    let f = site(&book);
    f.write(
        "content/_index.en.md",
        "---\ntitle: Home\n---\n[a](guides/a.md)\n",
    );
    f.write(
        "content/guides/_index.md",
        "---\ntitle: ガイド\n---\n本部の指針。\n",
    );
    f.write(
        "content/guides/_index.en.md",
        "---\ntitle: Guides\n---\nThe guidance.\n",
    );
    f.write(
        "content/guides/a.md",
        "---\ntitle: エー\nsources: [{title: S}]\n---\n前置き。\n\n## 背景\n\n```\n## 本部（コードの中）\n```\n\n## 体制\n\n本部とAISIが連携する。\n",
    );
    f.write(
        "content/guides/a.en.md",
        "---\ntitle: A\nsources: [{title: S}]\n---\nA preface.\n\n## Background\n\n```\n## code\n```\n\n## Structure\n\nThe AI Safety Institute works with others.\n",
    );
    let mut found = missing(&f);
    found.sort();
    assert_eq!(
        found,
        [
            (
                "content/guides/_index.en.md:4".to_string(),
                "hq".to_string()
            ),
            ("content/guides/a.en.md:13".to_string(), "hq".to_string()),
        ]
    );
}
