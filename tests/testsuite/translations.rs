//! The translator's workflow: blob ids equal to git's, `translations` status (text, JSON,
//! --strict), `mark` preserving every other byte, `diff` inside and outside git, `new`, the
//! stale notice and section lists falling back to originals.

use crate::common::{AI_ACT_EN, AI_ACT_JA, Fixture};

fn hash_object(f: &Fixture, rel: &str) -> String {
    f.git(&["hash-object", rel]).trim().to_string()
}

fn json(f: &Fixture, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["translations", "--format", "json"];
    all.extend_from_slice(args);
    let run = f.run(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("JSON output")
}

fn entry<'a>(entries: &'a [serde_json::Value], key: &str) -> &'a serde_json::Value {
    entries
        .iter()
        .find(|e| e["key"] == key)
        .unwrap_or_else(|| panic!("no entry {key} in {entries:?}"))
}

fn mark_ok(f: &Fixture, files: &[&str]) {
    let mut args = vec!["translations", "mark"];
    args.extend_from_slice(files);
    let run = f.run(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn blob_ids_equal_git_hash_object_for_ascii_japanese_and_crlf() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/crlf.md",
        "---\r\ntitle: CRLF\r\n---\r\nLine one.\r\nLine two.\r\n",
    );
    f.write(
        "content/guides/crlf.ja.md",
        "---\ntitle: 改行\n---\n本文。\n",
    );
    f.git_init();
    let entries = json(&f, &[]);
    for (key, file) in [
        ("guides/ai-act.md", "content/guides/ai-act.md"), // ASCII
        ("_index.md", "content/_index.md"),
        ("guides/crlf.md", "content/guides/crlf.md"),
    ] {
        assert_eq!(
            entry(&entries, key)["source_version"],
            hash_object(&f, file),
            "{key}"
        );
    }
    // Japanese bytes: the id `mark` records for a source in Japanese.
    f.write("content/guides/ja-source.md", AI_ACT_JA);
    f.write("content/guides/ja-source.ja.md", AI_ACT_JA);
    mark_ok(&f, &["content/guides/ja-source.ja.md"]);
    let want = format!(
        "translated_from: \"{}\"",
        hash_object(&f, "content/guides/ja-source.md")
    );
    assert!(f.read("content/guides/ja-source.ja.md").contains(&want));
}

#[test]
fn mark_adds_the_key_to_yaml_and_changes_nothing_else() {
    let f = Fixture::bilingual();
    mark_ok(&f, &["content/guides/ai-act.ja.md"]);
    let id = hash_object_free(AI_ACT_EN.as_bytes());
    let closing = AI_ACT_JA.find("---\n\n").expect("closing delimiter");
    let want = format!(
        "{}translated_from: \"{id}\"\n{}",
        &AI_ACT_JA[..closing],
        &AI_ACT_JA[closing..]
    );
    assert_eq!(f.read("content/guides/ai-act.ja.md"), want);
    // Marking again is a no-op.
    mark_ok(&f, &["content/guides/ai-act.ja.md"]);
    assert_eq!(f.read("content/guides/ai-act.ja.md"), want);
}

#[cfg(unix)]
#[test]
fn mark_keeps_a_translations_permissions() {
    use std::os::unix::fs::PermissionsExt as _;
    let f = Fixture::bilingual();
    let file = f.path("content/guides/ai-act.ja.md");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    mark_ok(&f, &["content/guides/ai-act.ja.md"]);
    assert!(
        f.read("content/guides/ai-act.ja.md")
            .contains("translated_from: ")
    );
    let mode = std::fs::metadata(&file).expect("stat").permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
    assert!(!f.path("content/guides/.ai-act.ja.md.tebiki-mark").exists());
}

/// A file named twice, by two spellings of its path, is marked once and the command succeeds.
#[test]
fn mark_takes_a_file_named_twice_once() {
    let f = Fixture::bilingual();
    let run = f.run(&[
        "translations",
        "mark",
        "content/guides/ai-act.ja.md",
        "./content/guides/ai-act.ja.md",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = f.read("content/guides/ai-act.ja.md");
    assert_eq!(text.matches("translated_from: ").count(), 1, "{text}");
    assert!(!f.path("content/guides/.ai-act.ja.md.tebiki-mark").exists());
}

#[test]
fn mark_updates_an_existing_key_in_place() {
    let f = Fixture::bilingual();
    let old = "---\ntitle: \"AI推進法\"\ntranslated_from: 'deadbeef'   # set by mark\ntags: [\"x\"]\n---\n本文\n";
    f.write("content/guides/ai-act.ja.md", old);
    mark_ok(&f, &["content/guides/ai-act.ja.md"]);
    let id = hash_object_free(AI_ACT_EN.as_bytes());
    assert_eq!(
        f.read("content/guides/ai-act.ja.md"),
        old.replace("'deadbeef'", &format!("\"{id}\""))
    );
}

#[test]
fn mark_keeps_toml_crlf_and_bom_byte_for_byte() {
    let f = Fixture::bilingual();
    let absent = "\u{feff}+++\r\ntitle = \"AI推進法\"  # 題名\r\ndate = 2026-05-08\r\n\r\n[[sources]]\r\ntitle = \"概要\"\r\n+++\r\n本文。\r\n";
    f.write("content/guides/ai-act.ja.md", absent);
    let present = "+++\r\ntranslated_from = \"0000000000000000000000000000000000000000\"\r\ntitle = \"ガイド\"\r\n[extra]\r\nnote = 1\r\n+++\r\n";
    f.write("content/guides/_index.ja.md", present);
    mark_ok(
        &f,
        &["content/guides/ai-act.ja.md", "content/guides/_index.ja.md"],
    );
    let id = hash_object_free(AI_ACT_EN.as_bytes());
    assert_eq!(
        f.read("content/guides/ai-act.ja.md"),
        absent.replace(
            "2026-05-08\r\n\r\n",
            &format!("2026-05-08\r\ntranslated_from = \"{id}\"\r\n\r\n")
        )
    );
    let section_id = hash_object_free(b"---\ntitle: Guides\n---\n");
    assert_eq!(
        f.read("content/guides/_index.ja.md"),
        present.replace("0000000000000000000000000000000000000000", &section_id)
    );
    f.build_ok(&[]);
}

#[test]
fn mark_refuses_originals_and_orphans_and_writes_nothing() {
    let f = Fixture::bilingual();
    let run = f.run(&[
        "translations",
        "mark",
        "content/guides/ai-act.ja.md",
        "content/guides/ai-act.md",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("is in the default language (en), so it is a source, not a translation"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was marked"), "{}", run.stderr);
    assert_eq!(f.read("content/guides/ai-act.ja.md"), AI_ACT_JA);

    f.write("content/guides/orphan.ja.md", "---\ntitle: 孤児\n---\n");
    let run = f.run(&["translations", "mark", "content/guides/orphan.ja.md"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("this translation's source `content/guides/orphan.md` does not exist"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("help: a translation is named after its original")
    );

    let run = f.run(&["translations", "mark", "content/guides/nothing.ja.md"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn statuses_current_stale_untracked_missing_sections_and_terms() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/english-only.md",
        "---\ntitle: English only\nupdated: 2026-05-20\n---\nText.\n",
    );
    f.write(
        "content/guides/draft-ja.md",
        "---\ntitle: Drafted\n---\nText.\n",
    );
    f.write(
        "content/guides/draft-ja.ja.md",
        "---\ntitle: 下書き\ndraft: true\n---\n本文。\n",
    );
    f.write(
        "content/glossary.toml",
        "[[term]]\nid = \"aisi\"\n[term.en]\nterm = \"AI Safety Institute\"\ndefinition = \"x\"\n[term.ja]\nterm = \"AISI\"\ndefinition = \"x\"\n\n[[term]]\nid = \"meti\"\n[term.en]\nterm = \"METI\"\ndefinition = \"x\"\n",
    );
    mark_ok(&f, &["content/guides/ai-act.ja.md", "content/_index.ja.md"]);
    let entries = json(&f, &[]);
    let status = |key: &str| entry(&entries, key)["status"].as_str().unwrap().to_string();
    assert_eq!(status("guides/ai-act.md"), "current");
    assert_eq!(status("_index.md"), "current");
    assert_eq!(status("guides/_index.md"), "untracked");
    assert_eq!(status("guides/english-only.md"), "missing");
    assert_eq!(status("guides/draft-ja.md"), "missing");
    assert_eq!(entry(&entries, "guides/draft-ja.md")["draft"], true);
    assert_eq!(status("aisi"), "current");
    assert_eq!(status("meti"), "missing");
    assert_eq!(entry(&entries, "guides/_index.md")["kind"], "section");
    assert_eq!(entry(&entries, "meti")["kind"], "term");

    // Editing the source makes its translation stale.
    f.write(
        "content/guides/ai-act.md",
        &AI_ACT_EN.replace("in 2025.", "in May 2025."),
    );
    let entries = json(&f, &["--lang", "ja"]);
    assert_eq!(entry(&entries, "guides/ai-act.md")["status"], "stale");

    let run = f.run(&["translations"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("ja: 2 current, 1 stale, 1 untracked, 3 missing of 7"),
        "{}",
        run.stdout
    );
    let stale = run.stdout.find("ja stale (1):").expect("stale group");
    let missing = run.stdout.find("ja missing (3):").expect("missing group");
    assert!(stale < missing, "{}", run.stdout);
    assert!(
        run.stdout.contains("guides/english-only.md") && run.stdout.contains("2026-05-20"),
        "source's last change shown: {}",
        run.stdout
    );
    assert!(run.stdout.contains("content/guides/draft-ja.ja.md (draft)"));
    assert!(run.stdout.contains("no [term.ja] in content/glossary.toml"));
}

#[test]
fn strict_exits_1_only_when_stale_or_missing() {
    let f = Fixture::bilingual();
    // Untracked is not a failure.
    assert_eq!(f.run(&["translations", "--strict"]).code, 0);
    mark_ok(
        &f,
        &[
            "content/guides/ai-act.ja.md",
            "content/_index.ja.md",
            "content/guides/_index.ja.md",
        ],
    );
    assert_eq!(f.run(&["translations", "--strict"]).code, 0);
    f.write("content/guides/new.md", "---\ntitle: New\n---\n");
    assert_eq!(f.run(&["translations", "--strict"]).code, 1);
    assert_eq!(f.run(&["translations"]).code, 0);
    let run = f.run(&["translations", "--lang", "fr"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("choose one of: ja"), "{}", run.stderr);
}

#[test]
fn json_entries_have_a_stable_shape() {
    let f = Fixture::bilingual();
    mark_ok(&f, &["content/guides/ai-act.ja.md"]);
    let entries = json(&f, &[]);
    let e = entry(&entries, "guides/ai-act.md");
    let mut keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "draft",
            "key",
            "kind",
            "lang",
            "source",
            "source_updated",
            "source_version",
            "status",
            "title",
            "translated_from",
            "translation"
        ]
    );
    assert_eq!(e["kind"], "page");
    assert_eq!(e["lang"], "ja");
    assert_eq!(e["source"], "content/guides/ai-act.md");
    assert_eq!(e["translation"], "content/guides/ai-act.ja.md");
    assert_eq!(e["title"], "The AI Act");
    assert_eq!(e["source_updated"], "2026-05-18");
    assert_eq!(e["translated_from"], e["source_version"]);
}

#[test]
fn diff_shows_the_source_changes_since_the_recorded_version() {
    let f = Fixture::bilingual();
    f.git_init();
    f.git(&["add", "-A"]);
    f.git(&["commit", "-qm", "first"]);
    mark_ok(&f, &["content/guides/ai-act.ja.md"]);
    let run = f.run(&["translations", "diff", "content/guides/ai-act.ja.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty() && run.stderr.contains("has not changed"));

    f.write(
        "content/guides/ai-act.md",
        &AI_ACT_EN.replace("A headquarters.", "A headquarters, chaired by the PM."),
    );
    let before = f.git(&["status", "--porcelain", "--untracked-files=all"]);
    let run = f.run(&["translations", "diff", "content/guides/ai-act.ja.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("diff --git a/content/guides/ai-act.md b/content/guides/ai-act.md\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("--- a/content/guides/ai-act.md\n"));
    assert!(run.stdout.contains("+++ b/content/guides/ai-act.md\n"));
    assert!(run.stdout.contains("\n-A headquarters.[^hq]\n"));
    assert!(
        run.stdout
            .contains("\n+A headquarters, chaired by the PM.[^hq]\n")
    );
    assert!(!run.stdout.contains("mode"), "{}", run.stdout);
    // Run from a hook of another repository, which sets GIT_DIR for that one: the site's own
    // repository is still the one read.
    let other = Fixture::new();
    other.git_init();
    let hooked = f.run_with(
        &["translations", "diff", "content/guides/ai-act.ja.md"],
        &[
            ("GIT_DIR", &other.path(".git")),
            ("GIT_WORK_TREE", other.root()),
        ],
    );
    assert_eq!(
        (hooked.code, &hooked.stdout),
        (0, &run.stdout),
        "{}",
        hooked.stderr
    );
    // Nothing was written into the repository.
    assert_eq!(
        f.git(&["status", "--porcelain", "--untracked-files=all"]),
        before
    );
}

#[test]
fn diff_says_plainly_when_git_cannot_help() {
    let f = Fixture::bilingual();
    mark_ok(&f, &["content/guides/ai-act.ja.md"]);
    f.write(
        "content/guides/ai-act.md",
        &AI_ACT_EN.replace("2025", "2026"),
    );
    let run = f.run(&["translations", "diff", "content/guides/ai-act.ja.md"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("the site is not in a git repository"),
        "{}",
        run.stderr
    );

    // In git, but the recorded version was never committed.
    f.git_init();
    let run = f.run(&["translations", "diff", "content/guides/ai-act.ja.md"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("is not in this git repository"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/guides/ai-act.ja.md:"),
        "{}",
        run.stderr
    );

    // Not a blob id: never handed to git.
    f.write(
        "content/guides/ai-act.ja.md",
        "---\ntitle: AI推進法\ntranslated_from: --output=x\n---\n",
    );
    let run = f.run(&["translations", "diff", "content/guides/ai-act.ja.md"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("is not a source version"),
        "{}",
        run.stderr
    );

    // Never marked.
    let run = f.run(&["translations", "diff", "content/_index.ja.md"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("records no source version"),
        "{}",
        run.stderr
    );
}

#[test]
fn new_creates_a_draft_guide_and_a_draft_translation() {
    let f = Fixture::bilingual();
    let run = f.run(&["new", "guides/english-only"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let guide = f.read("content/guides/english-only.md");
    assert!(guide.contains("title: \"English only\"\n"), "{guide}");
    assert!(guide.contains("draft: true\n"));
    assert!(guide.contains("sources: []\n"));
    f.build_ok(&["--drafts"]);

    // Refuses to overwrite.
    let run = f.run(&["new", "content/guides/english-only.md"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);

    f.write(
        "content/guides/plan.md",
        &AI_ACT_EN.replace("The AI Act", "The Plan"),
    );
    let run = f.run(&["new", "guides/plan.md", "--lang", "ja"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let id = hash_object_free(f.read("content/guides/plan.md").as_bytes());
    let ja = f.read("content/guides/plan.ja.md");
    let original = AI_ACT_EN.replace("The AI Act", "The Plan");
    let closing = original.find("---\n\n").unwrap();
    assert_eq!(
        ja,
        format!(
            "{}translated_from: \"{id}\"\ndraft: true\n{}",
            &original[..closing],
            &original[closing..]
        )
    );
    // A draft translation is missing for readers, and the build still works.
    let entries = json(&f, &[]);
    assert_eq!(entry(&entries, "guides/plan.md")["status"], "missing");
    f.build_ok(&[]);

    let run = f.run(&["new", "guides/missing.md", "--lang", "ja"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("create the original first"),
        "{}",
        run.stderr
    );
    assert_eq!(f.run(&["new", "guides/plan.md", "--lang", "ja"]).code, 2);
}

/// What `new` says names what the file holds, in the file's own syntax: a TOML page's
/// `draft = true`, no tags or category for a section intro, which has none.
#[test]
fn new_names_what_to_translate_and_the_draft_key_as_the_file_writes_them() {
    let f = Fixture::bilingual();
    let said = |args: &[&str]| {
        let mut all = vec!["new"];
        all.extend_from_slice(args);
        let run = f.run(&all);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        run.stderr
    };
    f.write(
        "content/guides/toml.md",
        "+++\ntitle = \"TOML\"\ntags = [\"AI\"]\n+++\nText.\n",
    );
    let run = said(&["guides/toml.md", "--lang", "ja"]);
    assert!(
        run.contains(
            "as a draft: translate the title, tags and text, then remove `draft = true`\n"
        ),
        "{run}"
    );
    assert!(
        f.read("content/guides/toml.ja.md")
            .contains("draft = true\n")
    );
    f.write("content/guides/plan.md", AI_ACT_EN);
    let run = said(&["guides/plan.md", "--lang", "ja"]);
    assert!(
        run.contains(
            "translate the title, summary, tags, category and text, then remove `draft: true`\n"
        ),
        "{run}"
    );
    f.write(
        "content/briefs/_index.md",
        "---\ntitle: Briefs\nsummary: Short notes.\nsort_by: date\n---\nIntro.\n",
    );
    let run = said(&["briefs/_index.md", "--lang", "ja"]);
    assert!(
        run.contains(": translate the title, summary and text, then remove `draft: true`\n"),
        "{run}"
    );
    assert!(!run.contains("tags") && !run.contains("category"), "{run}");
    f.write(
        "archetypes/note.md",
        "+++\ntitle = \"{{ title }}\"\ndraft = true\n+++\nNote.\n",
    );
    let run = said(&["guides/note.md", "--kind", "note"]);
    assert!(
        run.contains("as a draft: remove `draft = true` to publish it"),
        "{run}"
    );
}

/// A translation is made from the default language's file. Asking for one the other way, or
/// from an original that is not there, says so and what to do with a page that exists only
/// in Japanese.
#[test]
fn new_explains_that_translations_start_from_the_default_language() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/jaonly.ja.md",
        "---\ntitle: 日本語のみ\n---\n本文。\n",
    );
    let run = f.run(&["new", "guides/jaonly.ja.md", "--lang", "en"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    for said in [
        "`guides/jaonly.ja.md` is the `ja` version of `guides/jaonly.md`",
        "tebiki translates from the default language's file (the original, `guides/jaonly.md`) into the others",
        "`tebiki new guides/jaonly.md` starts it",
    ] {
        assert!(run.stderr.contains(said), "{said}: {}", run.stderr);
    }
    assert!(!run.stderr.contains("named for language"), "{}", run.stderr);
    let run = f.run(&["new", "guides/jaonly.ja.md"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`content/guides/jaonly.ja.md` is a page written only in `ja`"),
        "{}",
        run.stderr
    );
    // What it says to run works: the Japanese page becomes the translation of the new one.
    assert_eq!(f.run(&["new", "guides/jaonly.md"]).code, 0);
    let written = f
        .read("content/guides/jaonly.md")
        .replace("draft: true\n", "");
    f.write("content/guides/jaonly.md", &written);
    let entries = json(&f, &[]);
    assert_eq!(entry(&entries, "guides/jaonly.md")["status"], "untracked");

    let run = f.run(&["new", "guides/fresh.ja.md"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("for a page written only in `ja`, start `content/guides/fresh.ja.md` from an archetype: `tebiki new guides/fresh.ja.md --kind guide`"),
        "{}",
        run.stderr
    );
    assert_eq!(
        f.run(&["new", "guides/fresh.ja.md", "--kind", "guide"])
            .code,
        0
    );
}

#[test]
fn stale_translation_shows_a_notice_in_its_language() {
    let f = Fixture::bilingual();
    mark_ok(&f, &["content/guides/ai-act.ja.md"]);
    f.build_ok(&[]);
    let ja = f.read("public/ja/guides/ai-act/index.html");
    assert!(!ja.contains("translation-notice"), "current: no notice");

    f.write(
        "content/guides/ai-act.md",
        &AI_ACT_EN.replace("2025.", "2025!"),
    );
    f.build_ok(&[]);
    let ja = f.read("public/ja/guides/ai-act/index.html");
    assert!(ja.contains("class=\"translation-notice\""), "{ja}");
    assert!(ja.contains("この翻訳は最新ではない可能性があります。"));
    assert!(ja.contains("原文の最終更新日は2026年5月18日です。"));
    // The language's own name stands apart from the Japanese around it.
    assert!(ja.contains(
        "<a href=\"https://example.org/guides/ai-act/\" hreflang=\"en\">原文（English）を読む</a>"
    ));
    let en = f.read("public/guides/ai-act/index.html");
    assert!(!en.contains("translation-notice"));

    // An original with a publication date and no `updated`: the change came later than that
    // date, so no date is given as its last update.
    f.write(
        "content/guides/ai-act.md",
        &AI_ACT_EN.replace("updated: 2026-05-18\n", ""),
    );
    f.build_ok(&[]);
    let ja = f.read("public/ja/guides/ai-act/index.html");
    let notice = &ja[ja.find("class=\"translation-notice\"").expect("notice")..];
    let notice = &notice[..notice.find("</aside>").expect("end")];
    assert!(
        notice.contains("翻訳した後に原文が更新されています。</p>"),
        "{notice}"
    );
    assert!(
        !notice.contains("最終更新日") && !notice.contains("2026"),
        "{notice}"
    );
}

#[test]
fn stale_translated_section_index_shows_the_notice() {
    let f = Fixture::bilingual();
    mark_ok(&f, &["content/_index.ja.md", "content/guides/_index.ja.md"]);
    f.build_ok(&[]);
    for out in ["public/ja/index.html", "public/ja/guides/index.html"] {
        assert!(
            !f.read(out).contains("translation-notice"),
            "current: {out}"
        );
    }

    f.write(
        "content/guides/_index.md",
        "---\ntitle: Guides\nupdated: 2026-06-01\n---\nEvery guide.\n",
    );
    f.write(
        "content/_index.md",
        "---\ntitle: Home\nsummary: The home page.\n---\nWelcome back.\n",
    );
    f.build_ok(&[]);
    let guides = f.read("public/ja/guides/index.html");
    assert!(guides.contains("class=\"translation-notice\""), "{guides}");
    assert!(guides.contains("この翻訳は最新ではない可能性があります。"));
    assert!(guides.contains("原文の最終更新日は2026年6月1日です。"));
    assert!(guides.contains(
        "<a href=\"https://example.org/guides/\" hreflang=\"en\">原文（English）を読む</a>"
    ));
    let home = f.read("public/ja/index.html");
    assert!(home.contains("class=\"translation-notice\""), "{home}");
    assert!(
        !home.contains("最終更新日"),
        "no `updated`, no date: {home}"
    );
    assert!(home.contains("<a href=\"https://example.org/\" hreflang=\"en\">"));
    for out in ["public/index.html", "public/guides/index.html"] {
        assert!(
            !f.read(out).contains("translation-notice"),
            "original: {out}"
        );
    }
}

#[test]
fn section_lists_fall_back_to_originals_with_a_badge() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/english-only.md",
        "---\ntitle: English only\n---\nText.\n",
    );
    f.build_ok(&[]);
    let list = f.read("public/ja/guides/index.html");
    assert!(list.contains("English only"), "{list}");
    assert!(list.contains("class=\"lang-badge\""));
    assert!(list.contains("hreflang=\"en\""));
    assert!(list.contains("AI推進法"));

    let f2 = Fixture::with_book(&format!("{}fallback = false\n", crate::common::BOOK));
    for rel in [
        "content/_index.md",
        "content/guides/_index.md",
        "content/guides/english-only.md",
    ] {
        let src = f.path(rel);
        f2.write(rel, &std::fs::read_to_string(src).unwrap());
    }
    f2.build_ok(&[]);
    let list = f2.read("public/ja/guides/index.html");
    assert!(!list.contains("English only"), "{list}");
}

/// `git hash-object` without git, to build expected files (the tests above check it equals
/// git's own answer).
fn hash_object_free(bytes: &[u8]) -> String {
    tebiki::model::blob::blob_id(bytes)
}

#[test]
fn an_original_listed_for_readers_of_another_language_gives_its_dates_in_theirs() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/english-only.md",
        "---\ntitle: English only\ndate: 2026-01-02\nupdated: 2026-03-04\n---\nText.\n",
    );
    f.build_ok(&[]);
    // The Japanese list labels the dates in Japanese: the dates are Japanese too.
    let ja = f.read("public/ja/guides/index.html");
    let card = ja
        .split("<article class=\"card card-other-lang\">")
        .nth(1)
        .and_then(|rest| rest.split("</article>").next())
        .unwrap_or_else(|| panic!("no card in another language:\n{ja}"));
    assert!(card.contains("English only"), "{card}");
    assert!(
        card.contains("公開 <time datetime=\"2026-01-02\">2026年1月2日</time>"),
        "{card}"
    );
    assert!(
        card.contains("更新 <time datetime=\"2026-03-04\">2026年3月4日</time>"),
        "{card}"
    );
    assert!(!card.contains("January"), "{card}");
    // Readers of its own language get its dates as before.
    let en = f.read("public/guides/index.html");
    assert!(
        en.contains("<time datetime=\"2026-01-02\">2 January 2026</time>"),
        "{en}"
    );
}

#[test]
fn check_warns_about_stale_translations() {
    let f = Fixture::bilingual();
    mark_ok(&f, &["content/guides/ai-act.ja.md"]);
    assert!(!f.run(&["check"]).stdout.contains("stale-translation"));
    f.write(
        "content/guides/ai-act.md",
        &AI_ACT_EN.replace("2025.", "2025!"),
    );
    let run = f.run(&["check"]);
    assert_eq!(run.code, 0, "a warning only: {}", run.stdout);
    assert!(
        run.stdout.contains(
            "warning[stale-translation]: `content/guides/ai-act.md` has changed since this translation was made"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("--> content/guides/ai-act.ja.md:12:1"),
        "{}",
        run.stdout
    );
}

#[test]
fn check_warns_about_stale_section_intros() {
    let f = Fixture::bilingual();
    mark_ok(&f, &["content/guides/_index.ja.md"]);
    assert!(!f.run(&["check"]).stdout.contains("stale-translation"));
    f.write(
        "content/guides/_index.md",
        "---\ntitle: Guides\n---\nEvery guide, newly sorted.\n",
    );
    let run = f.run(&["check"]);
    assert!(
        run.stdout.contains(
            "warning[stale-translation]: `content/guides/_index.md` has changed since this translation was made"
        ) && run.stdout.contains("--> content/guides/_index.ja.md:3:1"),
        "{}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn output_to_a_reader_that_went_away_ends_without_a_panic() {
    use std::os::unix::process::ExitStatusExt;
    let f = Fixture::bilingual();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .args(["translations", "--format", "json"])
        .current_dir(f.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run tebiki");
    // The reader goes away before the first line is written.
    drop(child.stdout.take());
    let done = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        done.status.success() || done.status.signal() == Some(libc::SIGPIPE),
        "{:?}: {stderr}",
        done.status
    );
}

#[test]
fn a_translation_whose_original_is_gone_is_warned_about() {
    let f = Fixture::bilingual();
    mark_ok(&f, &["content/guides/ai-act.ja.md"]);
    std::fs::remove_file(f.path("content/guides/ai-act.md")).expect("remove");
    let run = f.run(&["check"]);
    assert!(
        run.stdout.contains(
            "warning[lost-original]: this translation's original `content/guides/ai-act.md` does not exist"
        ) && run.stdout.contains("--> content/guides/ai-act.ja.md:12:1"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_checkout_with_crlf_line_ends_agrees_with_one_with_lf() {
    let f = Fixture::bilingual();
    f.git_init();
    mark_ok(&f, &["content/guides/ai-act.ja.md"]);
    f.git(&["add", "-A"]);
    f.git(&["commit", "-qm", "marked"]);
    let lf_version = hash_object(&f, "content/guides/ai-act.md");
    assert!(f.read("content/guides/ai-act.ja.md").contains(&lf_version));
    // The same repository checked out on Windows (`core.autocrlf = true`): the source is on
    // disk with CRLF line ends, its text unchanged.
    f.git(&["config", "core.autocrlf", "true"]);
    f.write("content/guides/ai-act.md", &AI_ACT_EN.replace('\n', "\r\n"));
    let entries = json(&f, &[]);
    assert_eq!(entry(&entries, "guides/ai-act.md")["status"], "current");
    assert!(!f.run(&["check"]).stdout.contains("stale-translation"));
    let diff = f.run(&["translations", "diff", "content/guides/ai-act.ja.md"]);
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    assert!(diff.stderr.contains("has not changed"), "{}", diff.stderr);
    // Marked there, it records the version git stores, which an LF checkout shares.
    f.write(
        "content/guides/ai-act.ja.md",
        &f.read("content/guides/ai-act.ja.md")
            .replace(&lf_version, "0000000000000000000000000000000000000000"),
    );
    mark_ok(&f, &["content/guides/ai-act.ja.md"]);
    assert!(f.read("content/guides/ai-act.ja.md").contains(&lf_version));
}

/// `translations` only reads: a typo in another page's `weight` does not hide where the
/// translations stand, its errors come sorted as `check` sorts them, and nothing claims that
/// something was or was not written. An error in what the listing shows stops it.
#[test]
fn the_listing_goes_on_past_errors_that_do_not_change_it() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/typo.md",
        "---\ntitle: Typo\nweight: \"heavy\"\ntags: 7\nglossary: \"maybe\"\nsumary: A typo.\n---\nText.\n",
    );
    let run = f.run(&["translations"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("guides/typo.md"), "{}", run.stdout);
    assert!(run.stdout.contains("ja: "), "{}", run.stdout);
    let at = |line: usize| {
        run.stderr
            .find(&format!("content/guides/typo.md:{line}:"))
            .unwrap_or_else(|| panic!("line {line}: {}", run.stderr))
    };
    assert!(
        at(3) < at(4) && at(4) < at(5) && at(5) < at(6),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "note: these errors do not change the listing; `tebiki check` and `tebiki build` fail on them"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("written"), "{}", run.stderr);
    // JSON on stdout stays a document; the errors go to stderr.
    let run = f.run(&["translations", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str::<serde_json::Value>(&run.stdout).expect("JSON");
    // --strict still exits on the statuses alone: the typo page is untranslated.
    assert_eq!(f.run(&["translations", "--strict"]).code, 1);

    // A draft the listing cannot read would be listed wrongly: that stops it, sorted.
    f.write(
        "content/guides/ai-act.ja.md",
        "---\ntitle: AI推進法\ntranslated_from: 1234\ndraft: \"no\"\n---\n本文。\n",
    );
    let run = f.run(&["translations"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let version = run
        .stderr
        .find("content/guides/ai-act.ja.md:3:")
        .expect("translated_from");
    let draft = run
        .stderr
        .find("content/guides/ai-act.ja.md:4:")
        .expect("draft");
    assert!(version < draft, "{}", run.stderr);
    assert!(!run.stderr.contains("typo.md"), "{}", run.stderr);
    assert!(
        run.stderr.ends_with("error: 2 errors found\n"),
        "{}",
        run.stderr
    );

    // `diff` reads too: when it cannot help, it says so without "nothing was written".
    let run = f.run(&["translations", "diff", "content/guides/ai-act.ja.md"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.ends_with("found\n"), "{}", run.stderr);
    assert!(!run.stderr.contains("written"), "{}", run.stderr);
}

/// `diff` shows what changed in the source whatever typo the translation holds elsewhere, and
/// names the typo after it.
#[test]
fn diff_goes_on_past_errors_that_do_not_concern_the_version() {
    let f = Fixture::bilingual();
    f.git_init();
    f.git(&["add", "-A"]);
    f.git(&["commit", "-qm", "first"]);
    mark_ok(&f, &["content/guides/ai-act.ja.md"]);
    let marked = f.read("content/guides/ai-act.ja.md");
    f.write(
        "content/guides/ai-act.ja.md",
        &marked.replacen("---\n", "---\nweight: \"heavy\"\n", 1),
    );
    f.write(
        "content/guides/ai-act.md",
        &AI_ACT_EN.replace("A headquarters.", "A headquarters, chaired by the PM."),
    );
    let run = f.run(&["translations", "diff", "content/guides/ai-act.ja.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("+A headquarters, chaired by the PM."),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("content/guides/ai-act.ja.md:2:")
            && run
                .stderr
                .contains("note: this error does not change the diff"),
        "{}",
        run.stderr
    );
}

/// The listing's columns line up under a Japanese file name, which takes two terminal columns
/// a character.
#[test]
fn the_listing_lines_up_under_japanese_file_names() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/用語集.md",
        "---\ntitle: 用語集\n---\n本文。\n",
    );
    f.write(
        "content/guides/long-english-name.md",
        "---\ntitle: Long\n---\nText.\n",
    );
    let run = f.run(&["translations"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let column = |key: &str| {
        let line = run
            .stdout
            .lines()
            .find(|l| l.contains(key))
            .unwrap_or_else(|| panic!("no line for {key}:\n{}", run.stdout));
        let at = line.find(" -").expect("the changed column");
        unicode_width::UnicodeWidthStr::width(&line[..at])
    };
    assert_eq!(
        column("guides/用語集.md"),
        column("guides/long-english-name.md"),
        "{}",
        run.stdout
    );
}
