//! `tebiki translations export` and `import`: XLIFF 2.1 checked against the core schema's
//! rules (a structural validation in Rust, `tebiki::commands::xliff::validate_core`: no XLIFF
//! schema package is available to validate with xmllint), a round trip that builds with the
//! original's structure and links, and the refusals that write nothing.

use tebiki::commands::xliff::validate_core;

use crate::common::Fixture;

const PLAN: &str = "---\ntitle: \"The Plan\"\nsummary: \"What the plan says.\"\ndate: 2026-01-02\nsources: [{title: S}]\n---\n\nSee [the act](ai-act.md) and the **headquarters**, with `code` kept.[^n]\n\n## Pillars\n\n- First *pillar*\n- Second, see [](ai-act.md)\n\n| Step | When |\n|---|---|\n| Adopted | 2026 |\n\n[^n]: A note.\n";

const GLOSSARY: &str = "[[term]]\nid = \"hq\"\n[term.en]\nterm = \"headquarters\"\ndefinition = \"A central body.\"\n[term.ja]\nterm = \"本部\"\nreading = \"ほんぶ\"\ndefinition = \"中心となる組織。\"\n";

fn site() -> Fixture {
    let f = Fixture::bilingual();
    f.write("content/guides/plan.md", PLAN);
    f.write("content/glossary.toml", GLOSSARY);
    f
}

fn export(f: &Fixture, args: &[&str]) -> String {
    let mut all = vec!["translations", "export", "--lang", "ja", "-o", "out.xlf"];
    all.extend_from_slice(args);
    let run = f.run(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    f.read("out.xlf")
}

/// Gives every unit without a target one: `訳 ` and its source, inline codes kept.
fn fill(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(at) = rest.find("<source xml:space=\"preserve\">") {
        let end = rest[at..].find("</source>").expect("source end") + at + "</source>".len();
        out.push_str(&rest[..end]);
        let source = &rest[at + "<source xml:space=\"preserve\">".len()..end - "</source>".len()];
        rest = &rest[end..];
        if !rest.trim_start().starts_with("<target") {
            out.push_str(&format!(
                "\n        <target xml:space=\"preserve\">訳 {}</target>",
                source.replace("headquarters", "本部")
            ));
        }
    }
    out.push_str(rest);
    out
}

/// The tags and link targets of a page's article, languages aside: its structure.
fn structure(html: &str) -> Vec<String> {
    let main = crate::common::main_of(html);
    let mut out = Vec::new();
    for part in main.split('<').skip(1) {
        let tag: String = part
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if matches!(
            tag.as_str(),
            "h2" | "h3" | "table" | "td" | "th" | "li" | "ul" | "strong" | "em" | "code" | "sup"
        ) {
            out.push(tag.clone());
        }
        if tag == "a"
            && let Some(href) = part
                .split("href=\"")
                .nth(1)
                .and_then(|h| h.split('"').next())
        {
            out.push(format!("a {}", href.replace("/ja/", "/")));
        }
    }
    out
}

#[test]
fn export_writes_valid_xliff_with_units_codes_notes_and_targets() {
    let f = site();
    let xml = export(&f, &[]);
    validate_core(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    // The default: stale and missing pages only (ai-act.ja.md is untracked).
    assert!(xml.contains("<file id=\"f1\" original=\"content/guides/plan.md\" tbk:translation=\"content/guides/plan.ja.md\" tbk:version=\""), "{xml}");
    assert!(!xml.contains("original=\"content/guides/ai-act.md\""));
    for unit in [
        "<unit id=\"title\" name=\"title\">",
        "<unit id=\"summary\" name=\"summary\">",
        "<unit id=\"u1\" name=\"paragraph\">",
        "<unit id=\"u2\" name=\"heading\">",
        "<unit id=\"u3\" name=\"list item\">",
        "<unit id=\"u5\" name=\"table cell\">",
    ] {
        assert!(xml.contains(unit), "{unit}\n{xml}");
    }
    assert!(xml.contains("<source xml:space=\"preserve\">See <pc id=\"1\" dataRefStart=\"d1s\" dataRefEnd=\"d1e\">the act</pc> and the <pc id=\"2\" dataRefStart=\"d2s\" dataRefEnd=\"d2e\">headquarters</pc>, with <ph id=\"3\" dataRef=\"d3\"/> kept.<ph id=\"4\" dataRef=\"d4\"/></source>"), "{xml}");
    assert!(xml.contains("<data id=\"d1e\" xml:space=\"preserve\">](ai-act.md)</data>"));
    assert!(xml.contains("<note category=\"glossary\">headquarters → 本部</note>"));

    // Named pages are exported whatever their status, with the translation as target.
    let xml = export(&f, &["content/guides/ai-act.md"]);
    validate_core(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert!(
        xml.contains("<target xml:space=\"preserve\">AI推進法</target>"),
        "{xml}"
    );
    assert!(
        xml.contains("<target xml:space=\"preserve\">主な日付</target>"),
        "{xml}"
    );

    let run = f.run(&["translations", "export", "--lang", "en", "-o", "x.xlf"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = f.run(&[
        "translations",
        "export",
        "--lang",
        "ja",
        "guides/nothing.md",
        "-o",
        "x.xlf",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

/// Pages named as files from where tebiki was started, as `mark` and `diff` take them (and as
/// a shell completes them), whether through `--root` or by an absolute path.
#[test]
fn export_takes_pages_as_files_from_the_starting_folder() {
    let f = site();
    f.write("content/guides/other.md", "---\ntitle: Other\n---\nText.\n");
    let parent = f.root().parent().expect("parent");
    let name = f.root().file_name().and_then(|n| n.to_str()).expect("name");
    let plan = format!("{name}/content/guides/plan.md");
    let absolute = f.path("content/guides/plan.md").display().to_string();
    for page in [plan.as_str(), absolute.as_str()] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tebiki"))
            .args(["translations", "--root", name, "export", "--lang", "ja"])
            .args(["-o", &format!("{name}/out.xlf"), page])
            .current_dir(parent)
            .output()
            .expect("run tebiki");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{page}: {stderr}");
        let xml = f.read("out.xlf");
        assert!(xml.contains("original=\"content/guides/plan.md\""), "{xml}");
        assert!(!xml.contains("other.md"), "{xml}");
    }
    // A folder of content/ named `content` keeps its name.
    f.write("content/content/deep.md", "---\ntitle: Deep\n---\nText.\n");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .args(["translations", "--root", name, "export", "--lang", "ja"])
        .args(["-o", &format!("{name}/deep.xlf")])
        .arg(format!("{name}/content/content/deep.md"))
        .current_dir(parent)
        .output()
        .expect("run tebiki");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let xml = f.read("deep.xlf");
    assert!(
        xml.contains("original=\"content/content/deep.md\""),
        "{xml}"
    );
}

#[test]
fn validation_catches_broken_documents() {
    let good = "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.1\" srcLang=\"en\"><file id=\"f\"><unit id=\"u\"><segment><source>x</source></segment></unit></file></xliff>";
    assert_eq!(validate_core(good), Ok(()));
    for bad in [
        good.replace("version=\"2.1\"", "version=\"1.2\""),
        good.replace("<source>x</source>", "<target>x</target><source>x</source>"),
        good.replace(
            "<source>x</source>",
            "<source><ph id=\"1\" dataRef=\"d1\"/></source>",
        ),
        good.replace(
            "</unit>",
            "</unit><unit id=\"u\"><segment><source>y</source></segment></unit>",
        ),
        good.replace("<segment>", "<segment><notes/>"),
        good.replace("<unit id=\"u\">", "<unit id=\"u\" id=\"v\">"),
    ] {
        assert!(validate_core(&bad).is_err(), "{bad}");
    }
}

#[test]
fn round_trip_builds_with_the_originals_structure_and_links() {
    let f = site();
    let xml = fill(&export(&f, &[]));
    validate_core(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    f.write("filled.xlf", &xml);
    let run = f.run(&["translations", "import", "filled.xlf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("imported content/guides/plan.ja.md"),
        "{}",
        run.stderr
    );
    let ja = f.read("content/guides/plan.ja.md");
    let version = tebiki::model::blob::blob_id(PLAN.as_bytes());
    assert!(
        ja.contains(&format!("translated_from: \"{version}\"")),
        "{ja}"
    );
    assert!(ja.contains("title: \"訳 The Plan\""), "{ja}");
    assert!(
        ja.contains("訳 See [the act](ai-act.md) and the **本部**, with `code` kept.[^n]"),
        "{ja}"
    );
    assert!(ja.contains("## 訳 Pillars"), "{ja}");
    assert!(ja.contains("| 訳 Adopted | 訳 2026 |"), "{ja}");

    let entries = f.run(&["translations", "--format", "json", "--lang", "ja"]);
    assert!(entries.stdout.contains("\"content/guides/plan.ja.md\""));
    f.build_ok(&[]);
    let en = f.read("public/guides/plan/index.html");
    let ja = f.read("public/ja/guides/plan/index.html");
    assert_eq!(structure(&ja), structure(&en));
    assert!(
        structure(&en)
            .iter()
            .any(|s| s == "a https://example.org/guides/ai-act/"),
        "{:?}",
        structure(&en)
    );
}

#[test]
fn import_refuses_changed_originals_and_mismatched_codes_writing_nothing() {
    let f = site();
    let xml = fill(&export(&f, &[]));

    let broken = xml.replacen("<ph id=\"3\" dataRef=\"d3\"/>", "", 2);
    f.write("broken.xlf", &broken);
    let run = f.run(&["translations", "import", "broken.xlf"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[xliff-import]"), "{}", run.stderr);
    // A code's problem is shown at the target, or at the code.
    let (line, column) = place(&broken, "<target xml:space=\"preserve\">訳 See");
    assert!(
        run.stderr.contains(&format!(
            "lacks the source's inline code `3`\n  --> broken.xlf:{line}:{column}\n"
        )),
        "{}",
        run.stderr
    );
    assert!(!f.path("content/guides/plan.ja.md").exists());

    let extra = xml.replacen("訳 See", "訳 <ph id=\"9\" dataRef=\"d3\"/>See", 1);
    f.write("extra.xlf", &extra);
    let run = f.run(&["translations", "import", "extra.xlf"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let (line, column) = place(&extra, "<ph id=\"9\"");
    assert!(
        run.stderr.contains(&format!(
            "placeholder `9` the source does not\n  --> extra.xlf:{line}:{column}\n"
        )),
        "{}",
        run.stderr
    );

    f.write("filled.xlf", &xml);
    f.write(
        "content/guides/plan.md",
        &PLAN.replace("A note.", "A longer note."),
    );
    let run = f.run(&["translations", "import", "filled.xlf"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("has changed since the export"),
        "{}",
        run.stderr
    );
    assert!(!f.path("content/guides/plan.ja.md").exists());
}

#[test]
fn a_translation_exported_and_imported_unchanged_comes_back_the_same() {
    let f = site();
    let ja = "---\ntitle: \"計画\"\nsummary: \"計画の要点。\"\ndate: 2026-01-02\ntags: [\"計画\"]\nsources: [{title: S}]\n---\n\n[法律](ai-act.md)と**本部**を参照。`code`はそのまま。[^n]\n\n## 柱\n\n- 第一の*柱*\n- 第二、[](ai-act.md)を参照\n\n| 段階 | 時期 |\n|---|---|\n| 採択 | 2026年 |\n\n[^n]: 注。\n";
    f.write("content/guides/plan.ja.md", ja);
    let xml = export(&f, &["guides/plan.md"]);
    validate_core(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert_eq!(
        xml.matches("<target").count(),
        xml.matches("<source").count(),
        "every block lines up: {xml}"
    );
    f.write("same.xlf", &xml);
    let run = f.run(&["translations", "import", "same.xlf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let version = tebiki::model::blob::blob_id(PLAN.as_bytes());
    assert_eq!(
        f.read("content/guides/plan.ja.md"),
        ja.replace(
            "sources: [{title: S}]\n",
            &format!("sources: [{{title: S}}]\ntranslated_from: \"{version}\"\n")
        )
    );
    f.build_ok(&[]);
}

#[test]
fn export_replaces_an_earlier_export_and_no_other_file() {
    let f = site();
    let first = export(&f, &[]);
    // Exported again over the first: the same document.
    assert_eq!(export(&f, &[]), first);
    for (target, kept) in [
        ("book.toml", f.read("book.toml")),
        (
            "content/guides/ai-act.ja.md",
            f.read("content/guides/ai-act.ja.md"),
        ),
    ] {
        let run = f.run(&["translations", "export", "--lang", "ja", "-o", target]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("refusing to write over `{target}`"))
                && run.stderr.contains("not an XLIFF file"),
            "{}",
            run.stderr
        );
        assert_eq!(f.read(target), kept);
    }
}

#[test]
fn export_of_a_folder_takes_every_page_in_it() {
    let f = site();
    f.write("content/briefs/_index.md", "---\ntitle: Briefs\n---\n");
    f.write(
        "content/briefs/meti.md",
        "---\ntitle: METI\nsources: [{title: S}]\n---\nText.\n",
    );
    // `guides/` names the section intro and both guides, the translated one included.
    let xml = export(&f, &["guides/"]);
    for original in [
        "content/guides/_index.md",
        "content/guides/ai-act.md",
        "content/guides/plan.md",
    ] {
        assert!(
            xml.contains(&format!("original=\"{original}\"")),
            "{original}"
        );
    }
    assert!(!xml.contains("content/briefs/"), "{xml}");
    assert_eq!(export(&f, &["content/guides"]), xml);
    let run = f.run(&[
        "translations",
        "export",
        "--lang",
        "ja",
        "-o",
        "x.xlf",
        "notes/",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "`content/notes/` holds no page or section of this site in the default language"
        ),
        "{}",
        run.stderr
    );
}

/// The plan, exported and filled, with `edit` applied to the XLIFF; imports it and returns
/// the run.
fn import_edited(f: &Fixture, edit: impl Fn(String) -> String) -> crate::common::Run {
    let xml = edit(fill(&export(f, &["guides/plan.md"])));
    f.write("edited.xlf", &xml);
    f.run(&["translations", "import", "edited.xlf"])
}

#[test]
fn a_cat_tools_annotations_leave_their_text() {
    let f = site();
    // A term mark and a reviewer's comment, as CAT tools add them to targets.
    let run = import_edited(&f, |xml| {
        xml.replacen(
            ">訳 Pillars<",
            "><mrk id=\"m1\" type=\"term\">柱</mrk>の<sm id=\"m2\" type=\"comment\" value=\"確認\"/>一覧<em startRef=\"m2\"/><",
            1,
        )
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ja = f.read("content/guides/plan.ja.md");
    assert!(ja.contains("\n## 柱の一覧\n"), "{ja}");
    f.build_ok(&[]);
}

#[test]
fn targets_keep_the_block_they_translate() {
    let f = site();
    let run = import_edited(&f, |xml| {
        xml.replace(">訳 Adopted<", ">前年比 | 今年<")
            .replace(">訳 Pillars<", ">\n          柱\n        <")
            .replace(">訳 See ", ">* 注意 See ")
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ja = f.read("content/guides/plan.ja.md");
    assert!(ja.contains("| 前年比 \\| 今年 |"), "{ja}");
    assert!(ja.contains("\n## 柱\n"), "{ja}");
    assert!(ja.contains("\n\\* 注意 See [the act]"), "{ja}");
    f.build_ok(&[]);
    let en = f.read("public/guides/plan/index.html");
    let ja = f.read("public/ja/guides/plan/index.html");
    assert_eq!(structure(&ja), structure(&en));
}

#[test]
fn a_unit_split_into_segments_is_imported_whole() {
    let f = site();
    let split = "訳 Pillars</target>\n      </segment>\n      <segment>\n        <source xml:space=\"preserve\"> and more</source>\n        <target xml:space=\"preserve\">の一覧</target>";
    let run = import_edited(&f, |xml| xml.replace("訳 Pillars</target>", split));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        f.read("content/guides/plan.ja.md")
            .contains("## 訳 Pillarsの一覧\n")
    );

    // A segment left untranslated is refused, and nothing is written.
    std::fs::remove_file(f.path("content/guides/plan.ja.md")).expect("remove");
    let untranslated = "訳 Pillars</target>\n      </segment>\n      <segment>\n        <source xml:space=\"preserve\"> and more</source>";
    let run = import_edited(&f, |xml| xml.replace("訳 Pillars</target>", untranslated));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("unit `u2` of `content/guides/plan.md` has a segment without a target"),
        "{}",
        run.stderr
    );
    assert!(!f.path("content/guides/plan.ja.md").exists());
}

/// `xml` with the one segment of unit `u2` (the heading `Pillars`) split in two, `between`
/// them.
fn split_u2(xml: &str, between: &str) -> String {
    let unit = xml.find("<unit id=\"u2\"").expect("u2");
    let start = unit + xml[unit..].find("<segment").expect("segment");
    let end = unit + xml[unit..].find("</segment>").expect("end") + "</segment>".len();
    format!(
        "{}<segment><source>The</source><target>主な</target></segment>{between}<segment><source>pillars</source><target>柱</target></segment>{}",
        &xml[..start],
        &xml[end..]
    )
}

/// A CAT tool that splits a unit into sentences keeps the space between them apart, as an
/// `<ignorable>`, which is not translated: its source is the target's text there, unless the
/// tool gave it a target.
#[test]
fn the_text_between_segments_is_kept() {
    let f = site();
    let run = import_edited(&f, |xml| {
        split_u2(
            &xml,
            "<ignorable><source xml:space=\"preserve\"> </source></ignorable>",
        )
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ja = f.read("content/guides/plan.ja.md");
    assert!(ja.contains("\n## 主な 柱\n"), "{ja}");

    std::fs::remove_file(f.path("content/guides/plan.ja.md")).expect("remove");
    let run = import_edited(&f, |xml| {
        split_u2(
            &xml,
            "<ignorable><source> </source><target>・</target></ignorable>",
        )
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ja = f.read("content/guides/plan.ja.md");
    assert!(ja.contains("\n## 主な・柱\n"), "{ja}");
}

#[test]
fn import_refuses_repeated_and_unknown_units_and_files_writing_nothing() {
    let f = site();
    let unit = |xml: &str| {
        let start = xml.find("    <unit id=\"u2\"").expect("u2");
        let end = xml[start..].find("</unit>\n").expect("end") + start + "</unit>\n".len();
        xml[start..end].to_string()
    };
    let file = |xml: &str| {
        let start = xml.find("  <file ").expect("file");
        let end = xml.find("</file>\n").expect("end") + "</file>\n".len();
        xml[start..end].to_string()
    };
    for (edit, says) in [
        (
            Box::new(|xml: String| xml.replacen(&unit(&xml), &unit(&xml).repeat(2), 1))
                as Box<dyn Fn(String) -> String>,
            "unit `u2` of `content/guides/plan.md` appears twice",
        ),
        (
            Box::new(|xml: String| {
                let extra = unit(&xml).replace("id=\"u2\"", "id=\"u99\"");
                xml.replacen(&unit(&xml), &(unit(&xml) + &extra), 1)
            }),
            "unit `u99` is not a block of `content/guides/plan.md`",
        ),
        (
            Box::new(|xml: String| xml.replacen(&file(&xml), &file(&xml).repeat(2), 1)),
            "a second `<file>` for `content/guides/plan.md`",
        ),
    ] {
        let run = import_edited(&f, edit);
        assert_eq!(run.code, 1, "{says}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{says}: {}", run.stderr);
        assert!(!f.path("content/guides/plan.ja.md").exists(), "{says}");
    }
}

#[test]
fn import_reads_tebikis_attributes_under_any_prefix() {
    let f = site();
    let run = import_edited(&f, |xml| {
        xml.replace("xmlns:tbk=", "xmlns:ns1=")
            .replace(" tbk:", " ns1:")
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(f.path("content/guides/plan.ja.md").is_file());
}

#[cfg(unix)]
#[test]
fn import_never_writes_through_a_link_out_of_content() {
    let f = site();
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("plan.md"), PLAN).expect("write");
    std::os::unix::fs::symlink(outside.path(), f.path("content/evil")).expect("link");
    let run = import_edited(&f, |xml| {
        xml.replace("content/guides/plan", "content/evil/plan")
    });
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is a symbolic link"), "{}", run.stderr);
    assert!(!outside.path().join("plan.ja.md").exists());
}

#[cfg(unix)]
#[test]
fn import_keeps_a_translations_permissions_and_leaves_no_temporary_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let f = site();
    let file = "content/guides/plan.ja.md";
    let leftovers = |f: &Fixture| -> Vec<String> {
        std::fs::read_dir(f.path("content/guides"))
            .expect("read dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.contains("tebiki-"))
            .collect()
    };
    // A new translation is created; one there already is replaced with its mode kept.
    assert_eq!(import_edited(&f, |xml| xml).code, 0);
    assert_eq!(leftovers(&f), Vec::<String>::new());
    std::fs::set_permissions(f.path(file), std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let xml = export(&f, &["guides/plan.md"]).replace("訳 ", "新訳 ");
    f.write("again.xlf", &xml);
    let run = f.run(&["translations", "import", "again.xlf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(f.read(file).contains("新訳 "), "{}", f.read(file));
    let mode = std::fs::metadata(f.path(file))
        .expect("stat")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
    assert_eq!(leftovers(&f), Vec::<String>::new());
}

#[test]
fn import_writes_nothing_when_one_translation_cannot_be_written() {
    let f = site();
    let xml =
        fill(&export(&f, &["guides/ai-act.md", "guides/plan.md"])).replace("AI推進法", "新しい題");
    f.write("both.xlf", &xml);
    // Where the plan's translation would go, a folder: it cannot be replaced by a file.
    std::fs::create_dir(f.path("content/guides/plan.ja.md")).expect("mkdir");
    let before = f.read("content/guides/ai-act.ja.md");
    let run = f.run(&["translations", "import", "both.xlf"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("cannot write content/guides/plan.ja.md: ")
            && run
                .stderr
                .contains("; nothing was imported, no file was changed"),
        "{}",
        run.stderr
    );
    assert_eq!(f.read("content/guides/ai-act.ja.md"), before);
    assert!(
        !f.path("content/guides/.ai-act.ja.md.tebiki-import")
            .exists()
    );
    assert!(!f.path("content/guides/.plan.ja.md.tebiki-import").exists());
}

#[test]
fn import_refuses_to_overwrite_a_translation_edited_since_the_export() {
    let f = site();
    assert_eq!(import_edited(&f, |xml| xml).code, 0);
    let xml = export(&f, &["guides/plan.md"]);
    f.write("again.xlf", &xml);
    let edited = f.read("content/guides/plan.ja.md") + "\n訳注：出典を追加した。\n";
    f.write("content/guides/plan.ja.md", &edited);
    let run = f.run(&["translations", "import", "again.xlf"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`content/guides/plan.ja.md` has changed since the export")
            && run
                .stderr
                .contains("importing would overwrite what was written in it since"),
        "{}",
        run.stderr
    );
    assert_eq!(f.read("content/guides/plan.ja.md"), edited);
}

#[test]
fn a_stale_pages_old_text_is_offered_for_review_only_where_its_source_changed() {
    let f = site();
    assert_eq!(import_edited(&f, |xml| xml).code, 0);
    f.git_init();
    f.git(&["add", "-A"]);
    f.git(&["commit", "-qm", "translated"]);
    f.write(
        "content/guides/plan.md",
        &PLAN.replace("- First *pillar*", "- First *pillar*, now funded"),
    );
    let xml = export(&f, &[]);
    let segment_of = |id: &str| {
        let at = xml.find(&format!("<unit id=\"{id}\"")).expect("unit");
        let seg = xml[at..].find("<segment").expect("segment") + at;
        xml[seg..seg + 30].to_string()
    };
    // The changed list item is offered its old translation for review; the rest as it was,
    // translated (XLIFF takes a segment without a state for untranslated).
    assert!(
        segment_of("u3").starts_with("<segment state=\"initial\">"),
        "{xml}"
    );
    for id in ["title", "u1", "u2", "u4"] {
        assert!(
            segment_of(id).starts_with("<segment state=\"translated\">"),
            "{id}: {xml}"
        );
    }
    f.write("review.xlf", &xml);
    let run = f.run(&["translations", "import", "review.xlf"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "unit `u3` of `content/guides/plan.md` still has the old translation of a changed source"
        ),
        "{}",
        run.stderr
    );
    // Confirmed by a translator, it is imported.
    f.write(
        "review.xlf",
        &xml.replace(
            "<segment state=\"initial\">",
            "<segment state=\"translated\">",
        ),
    );
    let run = f.run(&["translations", "import", "review.xlf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn export_with_nothing_to_translate_writes_no_file() {
    let f = Fixture::bilingual();
    for file in [
        "content/_index.ja.md",
        "content/guides/_index.ja.md",
        "content/guides/ai-act.ja.md",
    ] {
        let run = f.run(&["translations", "mark", file]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let run = f.run(&["translations", "export", "--lang", "ja", "-o", "ja.xlf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "nothing to export: every page and section intro has a current `ja` translation"
        ),
        "{}",
        run.stderr
    );
    assert!(!f.path("ja.xlf").exists());
}

#[test]
fn export_does_not_take_a_page_about_xliff_for_an_export() {
    let f = site();
    let notes = "---\ntitle: Vendors\n---\nVendors send back `<xliff version=\"2.1\">` files.\n";
    f.write("content/guides/vendors.md", notes);
    let run = f.run(&[
        "translations",
        "export",
        "--lang",
        "ja",
        "-o",
        "content/guides/vendors.md",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(f.read("content/guides/vendors.md"), notes);
}

#[test]
fn importing_into_a_draft_says_it_is_still_a_draft() {
    let f = site();
    let run = f.run(&["new", "guides/plan.md", "--lang", "ja"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The draft's text, a copy of the original, is offered for review only.
    let xml = export(&f, &["guides/plan.md"]);
    assert!(xml.contains("<unit id=\"u1\" name=\"paragraph\">"), "{xml}");
    assert!(!xml.contains("<segment>"), "{xml}");
    let run = import_edited(&f, |xml| {
        // Every unit translated and confirmed.
        xml.replace("<segment state=\"initial\">", "<segment>")
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("imported content/guides/plan.ja.md, translated from version")
            && run
                .stderr
                .contains("(still a draft: remove `draft: true` to publish it)"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_images_alt_text_is_translated() {
    let f = site();
    f.write_bytes("content/guides/chart.png", b"png");
    f.write(
        "content/guides/budget.md",
        "---\ntitle: Budget\nsources: [{title: S}]\n---\n![Chart of the budget](chart.png)\n",
    );
    let xml = fill(&export(&f, &["guides/budget.md"]))
        .replace(">訳 <pc", "><pc")
        .replace(
            "Chart of the budget</pc></target>",
            "予算の図</pc></target>",
        );
    f.write("budget.xlf", &xml);
    let run = f.run(&["translations", "import", "budget.xlf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        f.read("content/guides/budget.ja.md")
            .contains("![予算の図](chart.png)"),
        "{}",
        f.read("content/guides/budget.ja.md")
    );
    f.build_ok(&[]);
    assert!(
        f.read("public/ja/guides/budget/index.html")
            .contains("alt=\"予算の図\"")
    );
}

/// The blocks of a page's article, in order: what a translation must keep.
fn blocks(html: &str) -> Vec<String> {
    let main = crate::common::main_of(html);
    main.split('<')
        .skip(1)
        .map(|part| {
            part.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
                .collect::<String>()
        })
        .filter(|tag| {
            matches!(
                tag.trim_start_matches('/'),
                "p" | "h2"
                    | "h3"
                    | "pre"
                    | "ul"
                    | "ol"
                    | "li"
                    | "blockquote"
                    | "hr"
                    | "table"
                    | "tr"
                    | "td"
                    | "th"
                    | "div"
            )
        })
        .collect()
}

#[test]
fn a_target_cannot_open_a_block_of_its_own() {
    let f = site();
    f.write(
        "content/guides/src.md",
        "---\ntitle: Src\nsources: [{title: S}]\n---\n\nFirst para.\n\n## Heading\n\n- one\n- two\n\n> Quoted.\n\nPlain para.\n",
    );
    let xml = export(&f, &["guides/src.md"]);
    let mut filled = xml.clone();
    for (source, target) in [
        ("Src", "ソ"),
        ("First para.", "最初\n\n```\nfence"),
        ("Heading", "見出し"),
        ("one", "一\n\n1. 二"),
        ("two", "二\n    コード\n---"),
        ("Quoted.", "引用\n&lt;div>\n[a]: /u"),
        ("Plain para.", "段落\n~~~\n***"),
    ] {
        let at = format!(">{source}</source>");
        filled = filled.replacen(&at, &format!("{at}<target>{target}</target>"), 1);
    }
    f.write("filled.xlf", &filled);
    let run = f.run(&["translations", "import", "filled.xlf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ja = f.read("content/guides/src.ja.md");
    assert!(ja.contains("\n最初\n\\```\nfence\n\n## 見出し\n"), "{ja}");
    assert!(
        ja.contains("\n- 一\n1\\. 二\n- 二\nコード\n\\---\n"),
        "{ja}"
    );
    assert!(ja.contains("\n> 引用\n\\<div>\n\\[a]: /u\n"), "{ja}");
    assert!(ja.contains("\n段落\n\\~~~\n\\***\n"), "{ja}");
    f.build_ok(&[]);
    let en = f.read("public/guides/src/index.html");
    let ja = f.read("public/ja/guides/src/index.html");
    assert_eq!(blocks(&ja), blocks(&en), "{}", crate::common::main_of(&ja));
    assert!(ja.contains("```"), "{ja}");
}

#[test]
fn a_target_whose_codes_would_open_a_block_is_refused() {
    let f = site();
    f.write(
        "content/guides/src.md",
        "---\ntitle: Src\nsources: [{title: S}]\n---\n\nLine one\\\ntwo with <!-- c --> a comment.\n",
    );
    let xml = fill(&export(&f, &["guides/src.md"])).replace(
        ">訳 Line one<ph id=\"1\" dataRef=\"d1\"/>two with <ph id=\"2\" dataRef=\"d2\"/> a comment.</target>",
        ">一行目<ph id=\"1\" dataRef=\"d1\"/><ph id=\"2\" dataRef=\"d2\"/>二行目</target>",
    );
    assert!(xml.contains(">一行目<"), "{xml}");
    f.write("filled.xlf", &xml);
    let run = f.run(&["translations", "import", "filled.xlf"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let (line, column) = place(&xml, "<target xml:space=\"preserve\">一行目");
    assert!(
        run.stderr.contains(&format!(
            "error[xliff-import]: unit `u1` of `content/guides/src.md`: its target would not stay one paragraph, as its source is\n  --> filled.xlf:{line}:{column}\n"
        )),
        "{}",
        run.stderr
    );
    assert!(!f.path("content/guides/src.ja.md").exists());
}

#[test]
fn import_refuses_an_attribute_given_twice() {
    let f = site();
    let run = import_edited(&f, |xml| {
        xml.replacen(
            "<unit id=\"u2\" name=\"heading\">",
            "<unit id=\"u2\" name=\"heading\" id=\"u1\">",
            1,
        )
    });
    assert_eq!(run.code, 1, "{}", run.stderr);
    let xml = f.read("edited.xlf");
    let (line, column) = place(&xml, " id=\"u1\">");
    let column = column + 1;
    assert!(
        run.stderr.contains(&format!(
            "error[xliff-import]: this is not well-formed XML: the attribute `id` is given twice\n  --> edited.xlf:{line}:{column}\n"
        )),
        "{}",
        run.stderr
    );
    assert!(!f.path("content/guides/plan.ja.md").exists());
}

/// Line and column (in characters) of the first `what` in `text`, as an error shows them.
fn place(text: &str, what: &str) -> (usize, usize) {
    let at = text
        .find(what)
        .unwrap_or_else(|| panic!("{what} in {text}"));
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    (
        text[..at].matches('\n').count() + 1,
        text[line_start..at].chars().count() + 1,
    )
}

#[test]
fn import_errors_point_at_the_element_or_attribute() {
    let f = site();
    type Edit = Box<dyn Fn(String) -> String>;
    let cases: [(Edit, &str, &str); 7] = [
        (
            Box::new(|xml: String| xml.replacen(">訳 Pillars</target>", ">柱</targe>", 1)),
            "</targe>",
            "this is not well-formed XML: ill-formed document: expected `</target>`",
        ),
        (
            // After Japanese text on its line: the column counts characters.
            Box::new(|xml: String| xml.replacen(">訳 Pillars<", ">柱の<b>一覧</b><", 1)),
            "<b>",
            "`<b>` in a target: only text, `<pc>`, `<ph>` and annotations (`<mrk>`, `<sm/>`, `<em/>`) can be imported",
        ),
        (
            Box::new(|xml: String| xml.replacen("trgLang=\"ja\"", "trgLang=\"jp\"", 1)),
            "trgLang=",
            "`trgLang` is `jp`, not a translation language of this site",
        ),
        (
            Box::new(|xml: String| xml.replacen(">訳 Pillars<", ">柱 &nbsp;<", 1)),
            "&nbsp;",
            "unknown entity `&nbsp;`",
        ),
        (
            Box::new(|xml: String| {
                xml.replacen("<unit id=\"u2\"", "<unit id=\"u2\" state=\"initial\"", 1)
                    .replacen("<segment>", "<segment state=\"initial\">", 3)
            }),
            "state=\"initial\">",
            "unit `title` of `content/guides/plan.md` still has the old translation",
        ),
        (
            // A state XLIFF 2 does not have.
            Box::new(|xml: String| xml.replacen("<segment>", "<segment state=\"done\">", 2)),
            "state=\"done\">",
            "`state=\"done\"` is not a state of XLIFF 2: a segment is `initial`, `translated`, `reviewed` or `final`",
        ),
        (
            // A segment left without a target, where the tool split the unit.
            Box::new(|xml: String| {
                xml.replacen(
                    "訳 Pillars</target>",
                    "訳 Pillars</target></segment><segment id=\"s2\"><source>More</source>",
                    1,
                )
            }),
            "<segment id=\"s2\">",
            "unit `u2` of `content/guides/plan.md` has a segment without a target",
        ),
    ];
    for (edit, at, says) in cases {
        let run = import_edited(&f, edit);
        assert_eq!(run.code, 1, "{says}: {}", run.stderr);
        let xml = f.read("edited.xlf");
        let (line, column) = place(&xml, at);
        assert!(column > 1, "{at} starts its line");
        assert!(run.stderr.contains(says), "{says}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("> edited.xlf:{line}:{column}\n")),
            "{says} at {line}:{column}: {}",
            run.stderr
        );
    }
}

/// A file that is not XLIFF at all (empty, plain text, another XML document, NULs) is said to
/// be so, at the place that shows it, not judged by an attribute it cannot have.
#[test]
fn a_file_that_is_not_xliff_is_named_as_such() {
    let f = site();
    for (bytes, says, at) in [
        (
            &b""[..],
            "this is not an XLIFF file: it is empty",
            "--> e.xlf\n",
        ),
        (
            b"  \n\n",
            "this is not an XLIFF file: it is empty",
            "--> e.xlf\n",
        ),
        (
            b"garbage text",
            "this is not an XLIFF file: it is not well-formed XML (text before any element)",
            "--> e.xlf:1:1\n",
        ),
        (
            b"\0\0\0",
            "this is not an XLIFF file: it is not well-formed XML (text before any element)",
            "--> e.xlf:1:1\n",
        ),
        (
            b"<?xml version=\"1.0\"?>\n<html><body/></html>",
            "this is not an XLIFF file: its root element is `<html>`, not `<xliff>`",
            "--> e.xlf:2:1\n",
        ),
        (
            b"<!-- only a comment -->",
            "this is not an XLIFF file: it is not well-formed XML (it holds no element)",
            "--> e.xlf\n",
        ),
    ] {
        f.write_bytes("e.xlf", bytes);
        let run = f.run(&["translations", "import", "e.xlf"]);
        assert_eq!(run.code, 1, "{says}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{says}: {}", run.stderr);
        assert!(run.stderr.contains(at), "{at}: {}", run.stderr);
        assert!(!run.stderr.contains("trgLang"), "{}", run.stderr);
    }
}

/// The current translation is offered as the target of a block only where it has the same
/// inline codes: where the original wraps a line the translation does not (a soft break is
/// text, not a code), the translation is still offered; where it made a glossary link of the
/// original's bold, it is not, or import would turn the link into bold.
#[test]
fn targets_are_offered_by_their_markup_not_by_line_wrapping() {
    let f = site();
    f.write(
        "content/guides/wrap.md",
        "---\ntitle: \"Wrap\"\n---\n\nThe smart meter data is\nwrapped here.\n\nThe **smart meter** data counts.\n",
    );
    f.write(
        "content/guides/wrap.ja.md",
        "---\ntitle: \"折り返し\"\n---\n\nスマートメーターのデータはここで折り返さない。\n\n[スマートメーター](term:hq)のデータを数える。\n",
    );
    let xml = export(&f, &["guides/wrap.md"]);
    let unit = |n: &str| {
        let at = xml.find(&format!("<unit id=\"{n}\"")).expect("unit");
        xml[at..at + xml[at..].find("</unit>").expect("end")].to_string()
    };
    // The wrapped paragraph: no code for the break, and the translation is its target.
    assert!(!unit("u1").contains("<ph"), "{}", unit("u1"));
    assert!(
        unit("u1").contains(
            "<target xml:space=\"preserve\">スマートメーターのデータはここで折り返さない。</target>"
        ),
        "{}",
        unit("u1")
    );
    // Bold in the original, a glossary link in the translation: no target.
    assert!(!unit("u2").contains("<target"), "{}", unit("u2"));
}

/// A quote or list item wrapped over lines: the marks that start its next lines (`> `, the
/// item's indent) are the container's, not text to translate, and import puts them back.
#[test]
fn a_wrapped_quote_or_item_keeps_its_marks_out_of_the_text() {
    let f = site();
    f.write(
        "content/guides/wrap.md",
        "---\ntitle: \"W\"\n---\n\n> Quote that\n> wraps, with a break  \n> after it.\n\n- An item that\n  wraps.\n",
    );
    let xml = export(&f, &["guides/wrap.md"]);
    assert!(xml.contains(">Quote that\nwraps, with a break<ph"), "{xml}");
    assert!(
        !xml.contains("&gt; wraps") && !xml.contains("\n  wraps"),
        "{xml}"
    );
    f.write("filled.xlf", &fill(&xml));
    let run = f.run(&["translations", "import", "filled.xlf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ja = f.read("content/guides/wrap.ja.md");
    assert!(
        ja.contains("> 訳 Quote that\n> wraps, with a break  \n> after it.\n"),
        "{ja}"
    );
    assert!(ja.contains("- 訳 An item that\n  wraps.\n"), "{ja}");
    f.build_ok(&[]);
    let html = f.read("public/ja/guides/wrap/index.html");
    assert!(!html.contains("&gt; wraps"), "{html}");
}

/// The marks of a quote stay the container's around what import writes at a line's start: a
/// line that begins with an escape (`\-`), and a line after a hard break.
#[test]
fn a_quotes_marks_stay_around_escapes_and_hard_breaks() {
    let f = site();
    f.write(
        "content/guides/q.md",
        "---\ntitle: \"Q\"\n---\n\n> A first line\n> \\- an escaped dash\n> and a break  \n> last.\n",
    );
    let xml = export(&f, &["guides/q.md"]);
    assert!(
        !xml.contains("&gt; "),
        "the source text holds no quote marks: {xml}"
    );
    // The translator starts the line after the break with a dash of their own.
    let filled = fill(&xml).replacen("/>last.</target>", "/>\n- 最後。</target>", 1);
    assert_ne!(filled, fill(&xml), "{xml}");
    f.write("q.xlf", &filled);
    let run = f.run(&["translations", "import", "q.xlf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ja = f.read("content/guides/q.ja.md");
    assert!(
        ja.contains("> 訳 A first line\n> \\- an escaped dash\n> and a break  \n> \\- 最後。\n"),
        "{ja}"
    );
    f.build_ok(&[]);
}

/// Runs `export --lang ja -o FILE PATHS` over `existing` and returns the run.
fn export_over(f: &Fixture, file: &str, existing: &str, paths: &[&str]) -> crate::common::Run {
    f.write(file, existing);
    let mut args = vec!["translations", "export", "--lang", "ja", "-o", file];
    args.extend_from_slice(paths);
    f.run(&args)
}

#[test]
fn export_refuses_xliff_it_did_not_write_or_for_another_language() {
    let f = site();
    let ours = export(&f, &[]);
    let v12 = "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n <file original=\"m.po\" source-language=\"en\" target-language=\"de\" datatype=\"po\">\n  <body><trans-unit id=\"1\"><source>Hello</source><target>Hallo</target></trans-unit></body>\n </file>\n</xliff>\n";
    let other = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.1\" srcLang=\"en\" trgLang=\"de\">\n<file id=\"f\"><unit id=\"u\"><segment><source>Hello</source><target>Hallo</target></segment></unit></file>\n</xliff>\n";
    let for_de = ours.replacen("trgLang=\"ja\"", "trgLang=\"de\"", 1);
    for (existing, says) in [
        (v12, "it is an XLIFF 1.2 file that tebiki did not write"),
        (other, "it is an XLIFF 2.1 file that tebiki did not write"),
        (for_de.as_str(), "it is an export for `de`, not for `ja`"),
    ] {
        let run = export_over(&f, "messages.xlf", existing, &[]);
        assert_eq!(run.code, 2, "{says}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("refusing to write over `messages.xlf`: {says}"))
                && run
                    .stderr
                    .contains("name a new file with -o, such as `ja.xlf`"),
            "{says}: {}",
            run.stderr
        );
        assert_eq!(f.read("messages.xlf"), existing);
    }
}

#[test]
fn export_refuses_an_export_a_translator_has_worked_on() {
    let f = site();
    let untouched = export(&f, &["guides/plan.md", "guides/ai-act.md"]);
    assert!(untouched.contains(" tbk:digest=\""), "{untouched}");
    let says = "refusing to write over `out.xlf`: it is an export for `ja` that has been worked on since tebiki wrote it";
    let first_target = untouched.find("<target").expect("a target");
    let returned = [
        // Targets filled in.
        fill(&untouched),
        // An offered target changed.
        untouched.replacen("主な日付</target>", "重要な日付</target>", 1),
        // An offered target confirmed by a reviewer.
        {
            let seg = untouched[..first_target]
                .rfind("<segment")
                .expect("segment");
            let close = seg + untouched[seg..].find('>').expect(">");
            format!(
                "{}<segment state=\"final\"{}",
                &untouched[..seg],
                &untouched[close..]
            )
        },
    ];
    for existing in &returned {
        assert_ne!(existing, &untouched);
        let run = export_over(&f, "out.xlf", existing, &[]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains(says), "{}", run.stderr);
        assert!(
            run.stderr
                .contains("import it first (`tebiki translations import out.xlf`), delete it if that work is not wanted, or name a new file with -o"),
            "{}",
            run.stderr
        );
        assert_eq!(&f.read("out.xlf"), existing);
    }
    // The reviewer's state is named.
    let run = export_over(&f, "out.xlf", &returned[2], &[]);
    assert!(
        run.stderr.contains("has a target marked `final`"),
        "{}",
        run.stderr
    );

    // An untouched export is replaced, also when the translation changed since it was written.
    f.write("out.xlf", &untouched);
    f.write(
        "content/guides/ai-act.ja.md",
        &crate::common::AI_ACT_JA.replace("主な日付", "重要な日付"),
    );
    let again = export(&f, &["guides/plan.md", "guides/ai-act.md"]);
    assert!(again.contains("重要な日付</target>"), "{again}");
}

/// An export written before exports recorded their digest is replaced only when each of its
/// targets is the one written now and none is confirmed.
#[test]
fn export_replaces_an_older_export_only_when_its_targets_are_tebikis() {
    let f = site();
    let current = export(&f, &["guides/ai-act.md"]);
    let digest_at = current.find(" tbk:digest=\"").expect("digest");
    // As an earlier tebiki wrote it: no digest, no state on a target offered as it is.
    let older = format!(
        "{}{}",
        &current[..digest_at],
        &current[digest_at + " tbk:digest=\"".len() + 40 + 1..]
    )
    .replace("<segment state=\"translated\">", "<segment>");
    assert!(!older.contains("digest"), "{older}");
    let edited = older.replacen("主な日付</target>", "重要な日付</target>", 1);
    let run = export_over(&f, "out.xlf", &edited, &["guides/ai-act.md"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "unit `u2` of `content/guides/ai-act.md` has a target that tebiki did not write"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(f.read("out.xlf"), edited);
    let run = export_over(&f, "out.xlf", &older, &["guides/ai-act.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(f.read("out.xlf"), current);
}

const CODES: &str = "---\ntitle: Codes\nsources: [{title: S}]\n---\n\nSee *one* and *two*.\n\nBoth **first** and **second**.\n\nRun `a` then `b`.\n\nA note[^1] on the [guide](ai-act.md).\n\nThis is _really_ important.\n\nA note[^1] (in brackets) and *really*.\n\nSee [the act][] and [AI Act].\n\n[the act]: ai-act.md\n[ai act]: ai-act.md\n\n[^1]: The note.\n";

/// `xml` with the targets given by unit id, each written after its unit's `<source>`, and the
/// other units filled by [`fill`].
fn with_targets(xml: &str, targets: &[(&str, &str)]) -> String {
    let mut xml = xml.to_string();
    for (unit, target) in targets {
        let at = xml.find(&format!("<unit id=\"{unit}\"")).expect("unit");
        let end = at + xml[at..].find("</source>").expect("source") + "</source>".len();
        xml.insert_str(end, &format!("\n        <target>{target}</target>"));
    }
    fill(&xml)
}

/// Codes written side by side or inside a word, as Japanese has them: where the source's
/// markup would read otherwise, import writes the markup that reads the same (`*` for `_`
/// inside a word, a full reference for a collapsed or shortcut link whose text is translated);
/// where none does, it refuses the unit at the code, writing nothing.
#[test]
fn codes_that_touch_are_written_as_they_read_or_refused() {
    let f = site();
    f.write("content/guides/codes.md", CODES);
    let xml = export(&f, &["guides/codes.md"]);
    // A collapsed reference's `[]` is its code's markup, not text to translate.
    assert!(
        xml.contains("<data id=\"d1e\" xml:space=\"preserve\">][]</data>")
            && !xml.contains("</pc>[]"),
        "{xml}"
    );
    let touching = with_targets(
        &xml,
        &[
            ("u1", "<pc id=\"1\">一</pc><pc id=\"2\">二</pc>を見る。"),
            ("u2", "<pc id=\"1\">第一</pc><pc id=\"2\">第二</pc>の両方。"),
            ("u3", "<ph id=\"1\"/><ph id=\"2\"/>を実行。"),
            ("u4", "注<ph id=\"1\"/><pc id=\"2\">ガイド</pc>。"),
            ("u5", "これは<pc id=\"1\">本当に</pc>重要。"),
            (
                "u6",
                "脚注<ph id=\"1\"/>(括弧内)と<pc id=\"2\">「本当に」</pc>。",
            ),
            (
                "u7",
                "<pc id=\"1\">法律</pc>と<pc id=\"2\">AI法</pc>を参照。",
            ),
        ],
    );
    f.write("touching.xlf", &touching);
    let run = f.run(&["translations", "import", "touching.xlf"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (at, says) in [
        (
            "<pc id=\"1\">一",
            "unit `u1` of `content/guides/codes.md`: the inline codes `1` (emphasis) and `2` (emphasis) touch: written side by side, as `*一**二*を見る。`, Markdown would read them as other markup than the source's",
        ),
        (
            "<pc id=\"1\">第一",
            "unit `u2` of `content/guides/codes.md`: the inline codes `1` (strong text) and `2` (strong text) touch",
        ),
        (
            "<ph id=\"1\"/><ph id=\"2\"/>を実行",
            "unit `u3` of `content/guides/codes.md`: the inline codes `1` (inline code) and `2` (inline code) touch: written side by side, as ``a``b`を実行。`",
        ),
        (
            "<ph id=\"1\"/><pc id=\"2\">ガイド",
            "unit `u4` of `content/guides/codes.md`: the inline codes `1` (footnote reference) and `2` (link) touch: written side by side, as `注[^1][ガイド](ai-act.md)。`",
        ),
        (
            "<ph id=\"1\"/>(括弧内)",
            "unit `u6` of `content/guides/codes.md`: the inline code `1` would not be read as a footnote reference where the target puts it: written as `脚注[^1](括弧内)と*「本当…`, Markdown reads it otherwise",
        ),
        (
            // Emphasis cannot open between a letter and a bracket.
            "<pc id=\"2\">「本当に」",
            "unit `u6` of `content/guides/codes.md`: the inline code `2` would not be read as emphasis where the target puts it: written as `…[^1](括弧内)と*「本当に」*。`, Markdown reads it otherwise",
        ),
    ] {
        let (line, column) = place(&touching, at);
        assert!(
            run.stderr.contains(&format!("error[xliff-import]: {says}")),
            "{says}:\n{}",
            run.stderr
        );
        let from = run.stderr.find(says).expect("said");
        assert!(
            run.stderr[from..].contains(&format!("--> touching.xlf:{line}:{column}\n")),
            "{says} at {line}:{column}:\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains(
            "help: put a character between the two codes (a space, `・` or `、`), or put one code around both"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("6 errors found"), "{}", run.stderr);
    assert!(!f.path("content/guides/codes.ja.md").exists());

    // With a character between the codes, the page is imported; the emphasis inside a word is
    // written with `*`, the translated reference links as full references.
    let apart = with_targets(
        &xml,
        &[
            ("u1", "<pc id=\"1\">一</pc>・<pc id=\"2\">二</pc>を見る。"),
            (
                "u2",
                "<pc id=\"1\">第一</pc>と<pc id=\"2\">第二</pc>の両方。",
            ),
            ("u3", "<ph id=\"1\"/>、<ph id=\"2\"/>を実行。"),
            ("u4", "注<ph id=\"1\"/>、<pc id=\"2\">ガイド</pc>。"),
            ("u5", "これは<pc id=\"1\">本当に</pc>重要。"),
            (
                "u6",
                "脚注<ph id=\"1\"/> (括弧内)と「<pc id=\"2\">本当に</pc>」。",
            ),
            (
                "u7",
                "<pc id=\"1\">法律</pc>と<pc id=\"2\">AI法</pc>を参照。",
            ),
        ],
    );
    f.write("apart.xlf", &apart);
    let run = f.run(&["translations", "import", "apart.xlf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ja = f.read("content/guides/codes.ja.md");
    for written in [
        "\n*一*・*二*を見る。\n",
        "\n`a`、`b`を実行。\n",
        "\n注[^1]、[ガイド](ai-act.md)。\n",
        "\nこれは*本当に*重要。\n",
        "\n脚注[^1] (括弧内)と「*本当に*」。\n",
        "\n[法律][the act]と[AI法][AI Act]を参照。\n",
    ] {
        assert!(ja.contains(written), "{written:?} in\n{ja}");
    }
    f.build_ok(&[]);
    let html = f.read("public/ja/guides/codes/index.html");
    for rendered in [
        "<em>一</em>・<em>二</em>",
        "<strong>第一</strong>と<strong>第二</strong>",
        "<code>a</code>、<code>b</code>",
        "これは<em>本当に</em>重要",
        "「<em>本当に</em>」",
        ">法律</a>と<a",
        ">AI法</a>を参照",
    ] {
        assert!(html.contains(rendered), "{rendered} in\n{html}");
    }
    let main = crate::common::main_of(&html);
    assert!(
        !main.contains("[法律]") && !main.contains("_本当に_"),
        "{main}"
    );
}

/// CAT tools save XLIFF as UTF-16 too: it is read, and a file in neither encoding is refused
/// saying what it is and what to do.
#[test]
fn import_reads_utf16_and_says_what_else_it_cannot_read() {
    let f = site();
    let xml = fill(&export(&f, &["guides/plan.md"])).replacen(
        "encoding=\"UTF-8\"",
        "encoding=\"UTF-16\"",
        1,
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(xml.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    f.write_bytes("m-u16.xlf", &utf16);
    let run = f.run(&["translations", "import", "m-u16.xlf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        f.read("content/guides/plan.ja.md")
            .contains("## 訳 Pillars"),
        "{}",
        f.read("content/guides/plan.ja.md")
    );

    std::fs::remove_file(f.path("content/guides/plan.ja.md")).expect("remove");
    let sjis = xml
        .replacen("encoding=\"UTF-16\"", "encoding=\"Shift_JIS\"", 1)
        .replacen("訳 Pillars", "\u{1}", 1);
    let at = sjis.find('\u{1}').expect("marker");
    // `柱` in Shift_JIS.
    let bytes = [
        &sjis.as_bytes()[..at],
        &[0x92, 0x8C],
        &sjis.as_bytes()[at + 1..],
    ]
    .concat();
    f.write_bytes("m-sjis.xlf", &bytes);
    let run = f.run(&["translations", "import", "m-sjis.xlf"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let (line, column) = place(&sjis, "\u{1}");
    assert!(
        run.stderr.contains(&format!(
            "error[xliff-import]: the file is neither UTF-8 nor UTF-16: byte 0x92 at byte offset {at} (line {line}) cannot be read\n--> m-sjis.xlf:{line}:{column}\n"
        )) && run.stderr.contains(
            "help: save the file as UTF-8 in your CAT tool (or as UTF-16, with a byte order mark), and import that"
        ),
        "{}",
        run.stderr
    );
    assert!(!f.path("content/guides/plan.ja.md").exists());
}

/// A code that a tool split over segments (`<sc>`, `<ec>`) is refused, saying so, at the code.
#[test]
fn import_says_codes_that_span_segments_are_not_supported() {
    let f = site();
    let run = import_edited(&f, |xml| {
        xml.replacen(
            ">訳 First <pc id=\"1\" dataRefStart=\"d1s\" dataRefEnd=\"d1e\">pillar</pc></target>",
            ">訳 第一の<sc id=\"1\" dataRef=\"d1s\"/>柱</target>",
            1,
        )
    });
    assert_eq!(run.code, 1, "{}", run.stderr);
    let xml = f.read("edited.xlf");
    assert!(xml.contains("<sc id"), "{xml}");
    let (line, column) = place(&xml, "<sc id");
    assert!(
        run.stderr.contains(&format!(
            "error[xliff-import]: `<sc>` in a target: codes that span segments (`<sc>` and `<ec>`) are not supported\n  --> edited.xlf:{line}:{column}\n"
        )) && run.stderr.contains(
            "help: keep each `<pc>` within one segment in your CAT tool, or merge the segments it spans"
        ),
        "{}",
        run.stderr
    );
    assert!(!f.path("content/guides/plan.ja.md").exists());
}

/// A mark that opens a block only with a space after it (`1. `, `- `, `# `) is escaped only
/// then: `26.7%` at a block's start is written as it is.
#[test]
fn import_escapes_only_what_would_open_a_block() {
    let f = site();
    let run = import_edited(&f, |xml| {
        xml.replacen(">訳 Adopted<", ">26.7%<", 1).replacen(
            ">訳 See <pc",
            ">26.7%が利用。\n-5%の減少、+1件。\n#1の順位。\n1. 最初に <pc",
            1,
        )
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ja = f.read("content/guides/plan.ja.md");
    assert!(
        ja.contains("\n26.7%が利用。\n-5%の減少、+1件。\n#1の順位。\n1\\. 最初に [the act]"),
        "{ja}"
    );
    assert!(ja.contains("| 26.7% |"), "{ja}");
    f.build_ok(&[]);
    let html = f.read("public/ja/guides/plan/index.html");
    assert!(
        html.contains("<p>26.7%が利用。\n-5%の減少、+1件。\n#1の順位。\n1. 最初に <a"),
        "{}",
        crate::common::main_of(&html)
    );
}

/// `--lang` may be left out where the site has one language to translate into, and the
/// summary counts section intros as what they are.
#[test]
fn export_takes_the_only_translation_language_and_counts_what_it_wrote() {
    let f = site();
    let run = f.run(&["translations", "export", "-o", "x.xlf", "guides/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let xml = f.read("x.xlf");
    assert!(xml.contains("trgLang=\"ja\""), "{xml}");
    let units = xml.matches("<unit ").count();
    assert_eq!(
        run.stderr,
        format!("exported 2 pages and 1 section intro ({units} units) for `ja` to x.xlf\n")
    );
    let run = f.run(&["translations", "export", "-o", "y.xlf", "guides/_index.md"]);
    assert_eq!(
        run.stderr,
        "exported 1 section intro (1 unit) for `ja` to y.xlf\n"
    );

    let help = f.run(&["translations", "export", "--help"]);
    assert!(
        help.stdout.contains(
            "--lang <LANG>        The language to translate into (default: the site's only language besides the default one; needed when it has several)"
        ),
        "{}",
        help.stdout
    );

    let three = Fixture::with_book(&format!(
        "{}\n[languages.de]\nname = \"Deutsch\"\ntitle = \"Testführer\"\n",
        crate::common::BOOK
    ));
    three.write("content/guides/plan.md", PLAN);
    let run = three.run(&["translations", "export", "-o", "x.xlf"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: this site has several languages to translate into: choose one with --lang (de, ja)\n"
    );
    assert!(!three.path("x.xlf").exists());
}

/// A translation links to its own headings: a round trip keeps its destinations where its
/// block lines up with the original's, and takes the original's where the original changed
/// them since the translation was made.
#[test]
fn import_keeps_the_translations_own_link_destinations() {
    let f = site();
    let source = "---\ntitle: Dates\nsources: [{title: S}]\n---\n\nSee [the key dates](#key-dates) and [the act](ai-act.md).\n\n## Key dates\n\nIn two steps.\n";
    f.write("content/guides/dates.md", source);
    let version = tebiki::model::blob::blob_id(source.as_bytes());
    let ja = format!(
        "---\ntitle: \"日付\"\nsources: [{{title: S}}]\ntranslated_from: \"{version}\"\n---\n\n[主な日付](#主な日付)と[法律](ai-act.md)を参照。\n\n## 主な日付\n\n二段階で。\n"
    );
    f.write("content/guides/dates.ja.md", &ja);
    let xml = export(&f, &["guides/dates.md"]);
    f.write("same.xlf", &xml);
    let run = f.run(&["translations", "import", "same.xlf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(f.read("content/guides/dates.ja.md"), ja);
    f.build_ok(&[]);

    // The original changes the paragraph and one link's destination since.
    f.git_init();
    f.git(&["add", "-A"]);
    f.git(&["commit", "-qm", "translated"]);
    f.write(
        "content/guides/dates.md",
        &source.replace(
            "See [the key dates](#key-dates) and [the act](ai-act.md).",
            "Read [the key dates](#key-dates) and [the plan](plan.md).",
        ),
    );
    let xml = export(&f, &["guides/dates.md"]);
    assert!(xml.contains("<segment state=\"initial\">"), "{xml}");
    f.write(
        "reviewed.xlf",
        &xml.replace(
            "<segment state=\"initial\">",
            "<segment state=\"reviewed\">",
        ),
    );
    let run = f.run(&["translations", "import", "reviewed.xlf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ja = f.read("content/guides/dates.ja.md");
    assert!(
        ja.contains("\n[主な日付](#主な日付)と[法律](plan.md)を参照。\n"),
        "{ja}"
    );
    f.build_ok(&[]);
}

/// A hard line break the translator moved to the end of a target breaks nothing there: it is
/// left out, not written as a `\` that Markdown would show.
#[test]
fn a_line_break_moved_to_the_end_is_left_out() {
    let f = site();
    f.write(
        "content/guides/src.md",
        "---\ntitle: Src\nsources: [{title: S}]\n---\n\nLine one\\\ntwo.\n",
    );
    let xml = fill(&export(&f, &["guides/src.md"])).replace(
        ">訳 Line one<ph id=\"1\" dataRef=\"d1\"/>two.</target>",
        ">一行目と二行目。<ph id=\"1\" dataRef=\"d1\"/></target>",
    );
    assert!(xml.contains(">一行目と二行目。<"), "{xml}");
    f.write("filled.xlf", &xml);
    let run = f.run(&["translations", "import", "filled.xlf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ja = f.read("content/guides/src.ja.md");
    assert!(ja.ends_with("\n一行目と二行目。\n"), "{ja}");
    f.build_ok(&[]);
}

/// A page with blocks of every kind in one section, and its complete translation.
const MEASURES: &str = "---\ntitle: \"Measures\"\nsources: [{title: S}]\n---\n\nThe plan has three parts.\n\n## Measures\n\nThe government will act.\n\n- Transparency\n- Safety\n- Accountability\n\nThe council meets each year, see [the outlook](#outlook).\n\n| Step | When |\n|---|---|\n| Adopted | spring |\n| Reviewed | autumn |\n\n> A word from the minister.\n\n1. First step\n2. Second step\n\n## Outlook\n\nMore work follows.\n";

const MEASURES_JA: &str = "\n計画は三つの部分からなる。\n\n## 施策\n\n政府が行動する。\n\n- 透明性\n- 安全性\n- 説明責任\n\n評議会は毎年開かれる([見通し](#見通し)を参照)。\n\n| 段階 | 時期 |\n|---|---|\n| 採択 | 春 |\n| 見直し | 秋 |\n\n> 大臣の言葉。\n\n1. 第一段階\n2. 第二段階\n\n## 見通し\n\nさらに作業が続く。\n";

/// Every block of `MEASURES` and its translation, the heading's link and the paragraph's
/// destination as written in each.
const MEASURES_PAIRS: &[(&str, &str)] = &[
    ("The plan has three parts.", "計画は三つの部分からなる。"),
    ("Measures", "施策"),
    ("The government will act.", "政府が行動する。"),
    ("Transparency", "透明性"),
    ("Safety", "安全性"),
    ("Accountability", "説明責任"),
    (
        "The council meets each year, see <pc id=\"1\" dataRefStart=\"d1s\" dataRefEnd=\"d1e\">the outlook</pc>.",
        "評議会は毎年開かれる(<pc id=\"1\" dataRefStart=\"d1s\" dataRefEnd=\"d1e\">見通し</pc>を参照)。",
    ),
    ("Step", "段階"),
    ("When", "時期"),
    ("Adopted", "採択"),
    ("spring", "春"),
    ("Reviewed", "見直し"),
    ("autumn", "秋"),
    ("A word from the minister.", "大臣の言葉。"),
    ("First step", "第一段階"),
    ("Second step", "第二段階"),
    ("Outlook", "見通し"),
    ("More work follows.", "さらに作業が続く。"),
];

/// Each unit of an export's body: its source, its target if offered, and its segment's state.
fn body_units(xml: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let mut out = Vec::new();
    for unit in xml.split("<unit id=\"u").skip(1) {
        let between = |open: &str, close: &str| {
            let at = unit.find(open)? + open.len();
            let end = unit[at..].find(close)? + at;
            Some(unit[at..end].to_string())
        };
        let source = between("<source xml:space=\"preserve\">", "</source>").expect("source");
        let target = between("<target xml:space=\"preserve\">", "</target>");
        let state = between("<segment state=\"", "\"");
        out.push((source, target, state));
    }
    out
}

/// The translation of `MEASURES` committed with the original, then the original edited by
/// `edit`: every block the edit left as it was is offered its own translation, `translated`;
/// the blocks in `new` are offered none. Imported (the new blocks given `訳 ` and their
/// source), the translation is `MEASURES_JA` edited by `edit_ja`, every kept block its own
/// text and link destination.
fn blocks_keep_their_translation(
    edit: impl Fn(&str) -> String,
    new: &[&str],
    edit_ja: impl Fn(&str) -> String,
) {
    let f = site();
    f.write("content/guides/measures.md", MEASURES);
    let version = tebiki::model::blob::blob_id(MEASURES.as_bytes());
    let head = "---\ntitle: \"施策\"\nsources: [{title: S}]\n";
    f.write(
        "content/guides/measures.ja.md",
        &format!("{head}translated_from: \"{version}\"\n---\n{MEASURES_JA}"),
    );
    f.git_init();
    f.git(&["add", "-A"]);
    f.git(&["commit", "-qm", "translated"]);
    let edited = edit(MEASURES);
    assert_ne!(edited, MEASURES, "the edit changes the original");
    f.write("content/guides/measures.md", &edited);

    let xml = export(&f, &["guides/measures.md"]);
    validate_core(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let units = body_units(&xml);
    for (source, target, state) in &units {
        if new.contains(&source.as_str()) {
            assert_eq!(target, &None, "`{source}` is new: {xml}");
            continue;
        }
        let own = MEASURES_PAIRS
            .iter()
            .find(|(en, _)| en == source)
            .map(|(_, ja)| ja.to_string());
        assert!(own.is_some(), "`{source}` is neither new nor the page's");
        assert_eq!(target, &own, "`{source}` keeps its translation: {xml}");
        assert_eq!(state.as_deref(), Some("translated"), "`{source}`: {xml}");
    }
    assert_eq!(
        units
            .iter()
            .filter(|(s, _, _)| new.contains(&s.as_str()))
            .count(),
        new.len(),
        "{xml}"
    );

    f.write("filled.xlf", &fill(&xml));
    let run = f.run(&["translations", "import", "filled.xlf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let now = tebiki::model::blob::blob_id(edited.as_bytes());
    assert_eq!(
        f.read("content/guides/measures.ja.md"),
        format!(
            "{head}translated_from: \"{now}\"\n---\n{}",
            edit_ja(MEASURES_JA)
        )
    );
    f.build_ok(&[]);
}

#[test]
fn a_block_inserted_in_a_section_leaves_the_others_their_translation() {
    blocks_keep_their_translation(
        |en| en.replace("- Transparency", "The measures are:\n\n- Transparency"),
        &["The measures are:"],
        |ja| ja.replace("- 透明性", "訳 The measures are:\n\n- 透明性"),
    );
}

#[test]
fn a_block_removed_from_a_section_leaves_the_others_their_translation() {
    blocks_keep_their_translation(
        |en| en.replace("The government will act.\n\n", ""),
        &[],
        |ja| ja.replace("政府が行動する。\n\n", ""),
    );
}

#[test]
fn a_list_item_added_leaves_the_others_their_translation() {
    blocks_keep_their_translation(
        |en| en.replace("- Safety\n", "- Safety\n- Fairness\n"),
        &["Fairness"],
        |ja| ja.replace("- 安全性\n", "- 安全性\n- 訳 Fairness\n"),
    );
}

#[test]
fn a_table_row_added_leaves_the_others_their_translation() {
    blocks_keep_their_translation(
        |en| {
            en.replace(
                "| Adopted | spring |\n",
                "| Drafted | winter |\n| Adopted | spring |\n",
            )
        },
        &["Drafted", "winter"],
        |ja| {
            ja.replace(
                "| 採択 | 春 |\n",
                "| 訳 Drafted | 訳 winter |\n| 採択 | 春 |\n",
            )
        },
    );
}

#[test]
fn a_section_added_and_a_block_moved_leave_the_others_their_translation() {
    blocks_keep_their_translation(
        |en| {
            en.replace("> A word from the minister.\n\n", "").replace(
                "## Outlook\n",
                "## Funding\n\nThe budget grows.\n\n## Outlook\n\n> A word from the minister.\n",
            )
        },
        &["Funding", "The budget grows."],
        |ja| {
            ja.replace("> 大臣の言葉。\n\n", "").replace(
                "## 見通し\n",
                "## 訳 Funding\n\n訳 The budget grows.\n\n## 見通し\n\n> 大臣の言葉。\n",
            )
        },
    );
}
