//! Bad input that would hurt the output: two things written to one path, an output folder
//! inside the site's own input, paths in book.toml that leave the site, an output folder that
//! cannot be written. Each case asserts the exit code, the `file:line` in the message, and
//! that the previous output is byte-identical afterwards.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::common::Fixture;

/// Every file under `dir` (relative path → bytes), and every folder (→ `None`), so that a
/// comparison catches any file or folder added, removed or changed.
fn tree(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        let rel = entry
            .path()
            .strip_prefix(dir)
            .expect("inside")
            .to_string_lossy()
            .into_owned();
        let bytes = entry
            .file_type()
            .is_file()
            .then(|| fs::read(entry.path()).expect("read"));
        files.insert(rel, bytes);
    }
    files
}

/// A bilingual site built once into `public/`, and the bytes of that output.
fn built() -> (Fixture, BTreeMap<String, Option<Vec<u8>>>) {
    let f = Fixture::bilingual();
    f.build_ok(&[]);
    let before = tree(&f.path("public"));
    (f, before)
}

/// Builds, expecting exit `code`; checks that `public/` and the folder around it are as they
/// were, and returns stderr.
fn fails_leaving_public(
    f: &Fixture,
    before: &BTreeMap<String, Option<Vec<u8>>>,
    args: &[&str],
    code: i32,
) -> String {
    let run = f.run(args);
    assert_eq!(
        run.code, code,
        "expected exit {code}, got {}:\n{}",
        run.code, run.stderr
    );
    assert_eq!(
        &tree(&f.path("public")),
        before,
        "the previous output changed:\n{}",
        run.stderr
    );
    let leftovers: Vec<_> = fs::read_dir(f.root())
        .expect("root")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tebiki-"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
    run.stderr
}

fn assert_names(stderr: &str, places: &[&str]) {
    for place in places {
        assert!(stderr.contains(place), "expected {place:?} in:\n{stderr}");
    }
}

#[test]
fn a_page_beside_a_section_folder_of_its_name_is_an_error_naming_both() {
    let (f, before) = built();
    f.write("content/guides/x.md", "---\ntitle: X\n---\nPage.\n");
    f.write("content/guides/x/_index.md", "---\ntitle: X list\n---\n");
    let stderr = fails_leaving_public(&f, &before, &["build"], 1);
    assert_names(
        &stderr,
        &[
            "error[output-collision]",
            "`guides/x/index.html`",
            "content/guides/x.md:1",
            "content/guides/x/_index.md:1",
        ],
    );
}

#[test]
fn pages_at_the_glossary_and_tags_urls_are_errors() {
    let (f, before) = built();
    f.write(
        "content/glossary.toml",
        "[[term]]\nid = \"meti\"\n[term.en]\nterm = \"METI\"\ndefinition = \"A ministry.\"\n",
    );
    f.write("content/glossary.md", "---\ntitle: My glossary\n---\n");
    f.write("content/tags.md", "---\ntitle: Tags\n---\n");
    let stderr = fails_leaving_public(&f, &before, &["build"], 1);
    assert_names(
        &stderr,
        &[
            "--> content/glossary.md:1",
            "the glossary page, which tebiki generates from content/glossary.toml",
            "--> content/tags.md:1",
            "the list of all tags",
        ],
    );
    assert_eq!(
        stderr.matches("error[output-collision]").count(),
        2,
        "{stderr}"
    );
}

#[test]
fn a_slug_that_takes_another_pages_url_points_at_the_slug_line() {
    let (f, before) = built();
    f.write(
        "content/guides/copy.md",
        "---\ntitle: Copy\nslug: ai-act\n---\n",
    );
    let stderr = fails_leaving_public(&f, &before, &["build"], 1);
    assert_names(
        &stderr,
        &[
            "--> content/guides/copy.md:3",
            "the page content/guides/ai-act.md:1",
            "the page content/guides/copy.md:3",
        ],
    );
}

#[test]
fn static_files_at_generated_paths_are_errors() {
    let (f, before) = built();
    f.write("static/sitemap.xml", "<urlset/>");
    f.write("static/guides/ai-act/index.html", "<p>old</p>");
    let stderr = fails_leaving_public(&f, &before, &["build"], 1);
    assert_names(
        &stderr,
        &[
            "--> static/sitemap.xml:1",
            "the sitemap, which tebiki generates",
            "--> static/guides/ai-act/index.html:1",
            "the page content/guides/ai-act.md:1",
        ],
    );
}

#[test]
fn a_bundle_folder_named_like_a_generated_file_is_a_content_error() {
    let (f, before) = built();
    f.write("content/atom.xml/index.md", "---\ntitle: Feed\n---\n");
    let stderr = fails_leaving_public(&f, &before, &["build"], 1);
    assert_names(
        &stderr,
        &[
            "--> content/atom.xml/index.md:1",
            "`atom.xml` in the output would be both a file, for the Atom feed",
        ],
    );
}

#[test]
fn a_content_file_at_a_page_path_is_an_error() {
    let (f, before) = built();
    f.write("content/guides/ai-act/index.html", "<p>old</p>");
    let stderr = fails_leaving_public(&f, &before, &["build"], 1);
    assert_names(
        &stderr,
        &[
            "--> content/guides/ai-act/index.html:1",
            "the page content/guides/ai-act.md:1",
        ],
    );
    // `check` reports it too, without writing anything.
    let run = f.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("output-collision") || run.stderr.contains("output-collision"));
}

#[test]
fn an_output_directory_inside_the_sites_input_is_refused() {
    let (f, before) = built();
    f.write("static/logo.txt", "logo");
    for (out, says) in [
        ("static/pub", "inside the site's static/ folder"),
        ("content/out", "inside the site's content/ folder"),
        ("themes/out", "inside the site's themes/ folder"),
        (".", "is the site folder itself"),
        ("..", "holds the site folder"),
    ] {
        let stderr = fails_leaving_public(&f, &before, &["build", "-o", out], 2);
        assert_names(&stderr, &[says, &format!("(-o {out})")]);
    }
    assert!(!f.path("static/pub").exists());
    assert!(!f.path("content/out").exists());
}

#[test]
fn output_dir_in_book_toml_inside_the_input_is_refused() {
    let f = Fixture::with_book(
        &(crate::common::BOOK.to_string() + "\n[build]\noutput_dir = \"static/pub\"\n"),
    );
    f.write("content/_index.md", "---\ntitle: Home\n---\n");
    f.write("static/logo.txt", "logo");
    let run = f.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_names(
        &run.stderr,
        &[
            "output_dir = \"static/pub\" in book.toml",
            "inside the site's static/ folder",
        ],
    );
    assert!(!f.path("static/pub").exists());
}

#[test]
fn a_relative_output_directory_is_relative_to_the_root() {
    let f = Fixture::bilingual();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .args(["build", "-o", "out", "--root"])
        .arg(f.root())
        .current_dir(elsewhere.path())
        .output()
        .expect("run tebiki");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(f.path("out/index.html").is_file());
    assert!(!elsewhere.path().join("out").exists());
}

#[test]
fn paths_in_book_toml_that_leave_the_site_are_config_errors() {
    let book = crate::common::BOOK.to_string()
        + "\n[build]\ntheme = \"../../shared\"\n\n[glossary]\nfile = \"../../../../../../etc/passwd\"\n";
    let f = Fixture::with_book(&book);
    f.write("content/_index.md", "---\ntitle: Home\n---\n");
    let base = crate::common::BOOK.lines().count() + 1;
    let run = f.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_names(
        &run.stderr,
        &[
            &format!("--> book.toml:{}:1", base + 2),
            "`theme = \"../../shared\"` is not a path inside themes/",
            &format!("--> book.toml:{}:1", base + 5),
            "is not a path inside content/",
            "help: write a relative path such as `glossary.toml`",
        ],
    );
    assert!(!run.stderr.contains("root:"), "{}", run.stderr);
    assert!(!f.path("public").exists());
}

#[test]
fn a_missing_root_is_a_usage_error_for_every_command() {
    let f = Fixture::new();
    for args in [
        &["build", "--root", "/nonexistent/site"][..],
        &["check", "--root", "/nonexistent/site"],
        &["serve", "--root", "/nonexistent/site", "--port", "0"],
        &["watch", "--root", "/nonexistent/site"],
        &["translations", "--root", "/nonexistent/site"],
        &[
            "translations",
            "mark",
            "a.ja.md",
            "--root",
            "/nonexistent/site",
        ],
        &["new", "guides/a.md", "--root", "/nonexistent/site"],
    ] {
        let run = f.run(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("the site folder `/nonexistent/site` does not exist"),
            "{args:?}: {}",
            run.stderr
        );
    }
}
