//! Bad input that would hurt the output: two things written to one path, an output folder
//! inside the site's own input, paths in book.toml that leave the site, an output folder that
//! cannot be written. Each case asserts the exit code, the `file:line` in the message, and
//! that the previous output is byte-identical afterwards.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::common::{Fixture, removed_in_background};

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
    // An earlier successful build's previous output may still be being removed.
    assert!(removed_in_background(&f.path(".public.tebiki-old")));
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
            "--> static/sitemap.xml\n",
            "the sitemap, which tebiki generates",
            "--> static/guides/ai-act/index.html\n",
            "the page content/guides/ai-act.md:1",
        ],
    );
    // The whole file is the problem: line and column 0 in JSON, as the text names it.
    let run = f.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let sitemap = json
        .as_array()
        .expect("a list")
        .iter()
        .find(|d| d["file"] == "static/sitemap.xml")
        .expect("the sitemap's diagnostic");
    assert_eq!(
        (&sitemap["line"], &sitemap["column"]),
        (&0.into(), &0.into())
    );
}

#[test]
fn a_whole_line_problem_is_named_at_its_line_in_text_and_json() {
    let (f, before) = built();
    f.write(
        "content/guides/copy.md",
        "---\ntitle: Copy\nslug: ai-act\n---\nBody.\n",
    );
    let stderr = fails_leaving_public(&f, &before, &["build"], 1);
    assert!(
        stderr.contains("--> content/guides/copy.md:3\n"),
        "{stderr}"
    );
    let run = f.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let copy = json
        .as_array()
        .expect("a list")
        .iter()
        .find(|d| d["file"] == "content/guides/copy.md" && d["code"] == "output-collision")
        .expect("the copy's diagnostic");
    assert_eq!((&copy["line"], &copy["column"]), (&3.into(), &0.into()));
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
    // HTML files in content/ are published only where writers may write HTML.
    f.write(
        "book.toml",
        &(crate::common::BOOK.to_string() + "\n[markdown]\nunsafe_html = true\n"),
    );
    f.write("content/guides/ai-act/index.html", "<p>old</p>");
    let stderr = fails_leaving_public(&f, &before, &["build"], 1);
    assert_names(
        &stderr,
        &[
            "--> content/guides/ai-act/index.html\n",
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
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = crate::common::BOOK.lines().count() + 3;
    assert_names(
        &run.stderr,
        &[
            "error[config]: `output_dir = \"static/pub\"` is inside the site's static/ folder",
            &format!("--> book.toml:{line}:1\n"),
        ],
    );
    assert!(!f.path("static/pub").exists());
    // `check` reports it too, at the same line, whatever input it names.
    for (value, says) in [
        ("content", "is the site's content/ folder"),
        ("content/x", "is inside the site's content/ folder"),
        ("./themes", "is the site's themes/ folder"),
        (
            "book.toml",
            "is the site's book.toml, which a build would replace",
        ),
    ] {
        f.write(
            "book.toml",
            &format!(
                "{}\n[build]\noutput_dir = \"{value}\"\n",
                crate::common::BOOK
            ),
        );
        let run = f.run(&["check"]);
        assert_eq!(run.code, 1, "{value}: {}", run.stdout);
        assert_names(&run.stdout, &[says, &format!("--> book.toml:{line}:1\n")]);
    }
    // On the command line, it stays a usage error.
    f.write("book.toml", crate::common::BOOK);
    let run = f.run(&["build", "-o", "content/x"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_names(
        &run.stderr,
        &["-o content/x", "inside the site's content/ folder"],
    );
}

#[test]
fn a_glossary_file_that_is_a_folder_is_named_at_its_book_toml_line() {
    let f = Fixture::with_book(
        &(crate::common::BOOK.to_string() + "\n[glossary]\nfile = \"guides\"\n"),
    );
    f.write("content/_index.md", "---\ntitle: Home\n---\n");
    f.write("content/guides/_index.md", "---\ntitle: Guides\n---\n");
    let run = f.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let line = crate::common::BOOK.lines().count() + 3;
    assert_names(
        &run.stdout,
        &[
            "error[config]: `[glossary] file` names `content/guides`, which is a folder, not a file",
            &format!("--> book.toml:{line}:1\n"),
        ],
    );
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

/// Every command that reads a site, in a folder without one. `watch` and `serve` would run on
/// if they did not stop: each run ends after ten seconds at most.
const SITE_COMMANDS: &[&[&str]] = &[
    &["build"],
    &["check"],
    &["check", "--format", "json"],
    &["check", "--external"],
    &["serve", "--port", "0"],
    &["watch"],
    &["translations"],
    &["translations", "--format", "json"],
    &["translations", "mark", "content/a.ja.md"],
    &["translations", "diff", "content/a.ja.md"],
    &["translations", "export", "--lang", "ja", "-o", "ja.xlf"],
    &["translations", "import", "ja.xlf"],
    &["new", "guides/a.md"],
];

/// `tebiki ARGS` in `dir`, stopped after ten seconds: `(exit code, stderr)`, -1 when stopped.
fn run_for_a_while(dir: &std::path::Path, args: &[&str]) -> (i32, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run tebiki");
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code().unwrap_or(-1);
        }
        if std::time::Instant::now() > until {
            let _ = child.kill();
            let _ = child.wait();
            break -1;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
    }
    (code, stderr)
}

/// Exit 2 is for "not run on a site", exit 1 for "the site has errors": a folder without
/// book.toml, or with one that cannot be read, is the first, whatever the command, so that CI
/// can tell a wrong folder from a broken link.
#[test]
fn a_missing_or_unreadable_book_toml_is_a_usage_error_for_every_command() {
    let missing = tempfile::tempdir().expect("temp dir");
    let unreadable = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(unreadable.path().join("book.toml")).expect("a folder named book.toml");
    for (dir, why) in [
        (
            missing.path(),
            "cannot read book.toml: No such file or directory",
        ),
        (
            unreadable.path(),
            "cannot read book.toml: it is a folder, not a file",
        ),
    ] {
        for args in SITE_COMMANDS {
            let (code, stderr) = run_for_a_while(dir, args);
            assert_eq!(code, 2, "{args:?}: {stderr}");
            assert!(
                stderr.contains(why) && stderr.contains("--> book.toml"),
                "{args:?}: {stderr}"
            );
            assert!(!stderr.contains("errors found"), "{args:?}: {stderr}");
        }
    }
    // `--explain` reads no site.
    assert_eq!(
        run_for_a_while(missing.path(), &["check", "--explain", "orphan"]).0,
        0
    );
    // What is wrong inside book.toml is the content's problem: exit 1.
    let f = Fixture::with_book("[book]\ntitle = \"T\"\n");
    assert_eq!(f.run(&["build"]).code, 1);
    assert_eq!(f.run(&["check"]).code, 1);
}

/// Runs `script` as root in a mount namespace of its own (so a mount made there vanishes with
/// it), or returns `None` where that is not allowed.
fn in_own_mounts(script: &str) -> Option<std::process::Output> {
    let probe = std::process::Command::new("unshare")
        .args(["-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"])
        .output()
        .ok()?;
    if !probe.status.success() {
        eprintln!("skipped: cannot mount a tmpfs in a mount namespace here");
        return None;
    }
    std::process::Command::new("unshare")
        .args(["-m", "sh", "-c", script])
        .output()
        .ok()
}

#[test]
fn a_full_disk_exits_2_naming_the_file_and_keeps_the_previous_output() {
    let f = Fixture::bilingual();
    let disk = tempfile::tempdir().expect("temp dir");
    let out = disk.path().join("public");
    // Room for one build of the small site and its staging copy, not for a page of 2 MB.
    let big = format!(
        "---\ntitle: Big\n---\n{}\n",
        "All work and no play. ".repeat(100_000)
    );
    let script = format!(
        r#"set -e
mount -t tmpfs -o size=1500k tmpfs '{disk}'
'{bin}' build --root '{root}' -o '{out}' 2>&1
find '{out}' -type f | sort | xargs sha256sum > /tmp/.tebiki-test-before.$$
cp '{root}/big.md' '{root}/content/guides/big.md'
set +e
'{bin}' build --root '{root}' -o '{out}' > /tmp/.tebiki-test-stderr.$$ 2>&1
code=$?
echo "exit $code"
cat /tmp/.tebiki-test-stderr.$$
find '{out}' -type f | sort | xargs sha256sum | cmp -s - /tmp/.tebiki-test-before.$$ && echo "output unchanged"
ls -a '{disk}'
rm -f /tmp/.tebiki-test-before.$$ /tmp/.tebiki-test-stderr.$$
"#,
        disk = disk.path().display(),
        bin = env!("CARGO_BIN_EXE_tebiki"),
        root = f.root().display(),
        out = out.display(),
    );
    f.write("big.md", &big);
    let Some(output) = in_own_mounts(&script) else {
        return;
    };
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("exit 2"), "{text}");
    assert!(text.contains("No space left on device"), "{text}");
    assert!(text.contains(".public.tebiki-staging/"), "{text}");
    assert!(text.contains("output unchanged"), "{text}");
    assert!(!text.contains("tebiki-old"), "{text}");
    assert!(!text.contains("public.tebiki-staging\n"), "{text}");
}

/// Makes a file immutable, which even root cannot delete, until dropped; the file may move,
/// so the paths it may be found at are all freed.
struct Immutable(Vec<std::path::PathBuf>);

impl Immutable {
    fn set(path: std::path::PathBuf) -> Option<Immutable> {
        let done = std::process::Command::new("chattr")
            .arg("+i")
            .arg(&path)
            .status()
            .is_ok_and(|s| s.success());
        if !done {
            eprintln!("skipped: chattr +i is not available here");
        }
        done.then_some(Immutable(vec![path]))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(path)
                .status();
        }
    }
}

/// Builds `f`, then makes `public/robots.txt` undeletable wherever a build moves it, so that
/// the next build's previous output cannot be removed. None where `chattr` is not available.
fn with_stuck_output(f: &Fixture) -> Option<Immutable> {
    f.build_ok(&[]);
    let mut stuck = Immutable::set(f.path("public/robots.txt"))?;
    stuck.0.push(f.path(".public.tebiki-old/robots.txt"));
    Some(stuck)
}

#[test]
fn an_old_output_that_cannot_be_removed_is_reported_and_cleaned_later() {
    let f = Fixture::bilingual();
    let Some(stuck) = with_stuck_output(&f) else {
        return;
    };
    // The swap succeeds; the previous output is removed after the build has returned, and
    // what cannot be removed stays, marked as tebiki's.
    let run = f.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(f.path(".public.tebiki-old/.tebiki-output").is_file());
    let before = tree(&f.path("public"));
    // While it cannot be removed, a build says so, and changes nothing.
    f.write("content/guides/new.md", "---\ntitle: New\n---\n");
    let run = f.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("an earlier build left")
            && run.stderr.contains(".public.tebiki-old")
            && run.stderr.contains("remove it by hand"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&f.path("public")), before);
    assert!(!f.path(".public.tebiki-staging").exists());
    // Once it can be, the next build cleans it up.
    drop(stuck);
    f.build_ok(&[]);
    assert!(removed_in_background(&f.path(".public.tebiki-old")));
    assert!(f.path("public/guides/new/index.html").is_file());
}

#[test]
fn watch_reports_an_old_output_it_cannot_remove() {
    let f = Fixture::bilingual();
    let Some(_stuck) = with_stuck_output(&f) else {
        return;
    };
    let mut watch = std::process::Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .arg("watch")
        .current_dir(f.root())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start watch");
    let stderr = watch.stderr.take().expect("stderr");
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
        let warning = lines
            .map_while(Result::ok)
            .find(|l| l.starts_with("warning:"));
        let _ = send.send(warning);
    });
    let warning = receive.recv_timeout(std::time::Duration::from_secs(60));
    let _ = watch.kill();
    let _ = watch.wait();
    let warning = warning
        .ok()
        .flatten()
        .expect("a warning from the first build");
    assert!(
        warning.contains("the new output is in place, but the previous one could not be removed")
            && warning.contains(".public.tebiki-old"),
        "{warning}"
    );
}

#[test]
fn the_background_removal_removes_only_a_previous_output() {
    let f = Fixture::bilingual();
    f.write("notes/.tebiki-output", "");
    f.write("notes/mine.txt", "mine");
    f.write(".notes.tebiki-staging/.tebiki-output", "");
    for dir in ["notes", ".notes.tebiki-staging", "content"] {
        let run = f.run(&["remove-previous-output", dir]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr
                .contains("is not a previous output that tebiki moved aside"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(f.read("notes/mine.txt"), "mine");
    assert!(f.path(".notes.tebiki-staging/.tebiki-output").is_file());
    f.write(".notes.tebiki-old/mine.txt", "mine");
    let run = f.run(&["remove-previous-output", ".notes.tebiki-old"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("was not made by tebiki"),
        "{}",
        run.stderr
    );
    assert_eq!(f.read(".notes.tebiki-old/mine.txt"), "mine");
}

#[test]
fn leftovers_of_an_interrupted_build_are_cleaned_only_when_tebiki_made_them() {
    let (f, before) = built();
    f.write(".public.tebiki-staging/.tebiki-output", "");
    f.write(".public.tebiki-staging/half/index.html", "<p>half");
    f.write(".public.tebiki-old/.tebiki-output", "");
    f.write(".public.tebiki-old/guides/index.html", "<p>old");
    f.build_ok(&[]);
    assert!(!f.path(".public.tebiki-staging").exists());
    assert!(removed_in_background(&f.path(".public.tebiki-old")));
    assert_eq!(tree(&f.path("public")), before);

    // Not made by tebiki: reported, never deleted.
    f.write(".public.tebiki-old/notes.txt", "mine");
    let run = f.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(".public.tebiki-old") && run.stderr.contains("was not made by tebiki"),
        "{}",
        run.stderr
    );
    assert_eq!(f.read(".public.tebiki-old/notes.txt"), "mine");
    assert_eq!(tree(&f.path("public")), before);
    assert!(!f.path(".public.tebiki-staging").exists());
}

#[test]
fn a_read_only_output_is_replaced_whole() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::bilingual();
    f.build_ok(&[]);
    for dir in ["public/guides/ai-act", "public/guides", "public"] {
        fs::set_permissions(f.path(dir), fs::Permissions::from_mode(0o555)).expect("chmod");
    }
    f.write("content/guides/new.md", "---\ntitle: New\n---\n");
    let run = f.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert!(f.path("public/guides/new/index.html").is_file());
    assert!(removed_in_background(&f.path(".public.tebiki-old")));
}

/// A site with two translations to mark, in two folders.
fn two_translations() -> Fixture {
    let f = Fixture::bilingual();
    f.write("content/briefs/note.md", "---\ntitle: Note\n---\nText.\n");
    f.write(
        "content/briefs/note.ja.md",
        "---\ntitle: メモ\n---\n本文。\n",
    );
    f
}

#[test]
fn mark_changes_nothing_when_one_file_cannot_be_written() {
    let f = two_translations();
    let files = ["content/guides/ai-act.ja.md", "content/briefs/note.ja.md"];
    let before = tree(&f.path("content"));
    let Some(_stuck) = Immutable::set(f.path(files[1])) else {
        return;
    };
    let run = f.run(&["translations", "mark", files[0], files[1]]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("cannot write content/briefs/note.ja.md: Operation not permitted")
            && run
                .stderr
                .contains("nothing was marked, no file was changed"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&f.path("content")), before);
}

#[test]
fn mark_changes_nothing_when_a_folder_cannot_take_a_new_file() {
    let f = two_translations();
    let files = ["content/guides/ai-act.ja.md", "content/briefs/note.ja.md"];
    let before = tree(&f.path("content"));
    let Some(_stuck) = Immutable::set(f.path("content/briefs")) else {
        return;
    };
    let run = f.run(&["translations", "mark", files[0], files[1]]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("cannot write content/briefs/note.ja.md")
            && run.stderr.contains("no file was changed"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&f.path("content")), before);
}

#[test]
fn mark_reports_each_file_it_changed_and_leaves_no_temporary_file() {
    let f = two_translations();
    let run = f.run(&[
        "translations",
        "mark",
        "content/guides/ai-act.ja.md",
        "content/briefs/note.ja.md",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("marked content/guides/ai-act.ja.md"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("marked content/briefs/note.ja.md"),
        "{}",
        run.stderr
    );
    assert!(
        f.read("content/briefs/note.ja.md")
            .contains("translated_from: \"")
    );
    let temps: Vec<String> = tree(&f.path("content"))
        .into_keys()
        .filter(|k| k.contains("tebiki"))
        .collect();
    assert!(temps.is_empty(), "{temps:?}");
}

#[test]
fn a_page_beside_a_folder_without_index_points_at_the_page() {
    let (f, before) = built();
    f.write("content/guides/y.md", "---\ntitle: Y\n---\n");
    f.write("content/guides/y/z.md", "---\ntitle: Z\n---\n");
    let stderr = fails_leaving_public(&f, &before, &["build"], 1);
    assert_names(
        &stderr,
        &[
            "--> content/guides/y.md:1",
            "the `en` section page of the folder content/guides/y/",
        ],
    );
}

#[test]
fn files_in_the_search_index_folders_are_errors() {
    let (f, before) = built();
    f.write("static/search/index.json", "{}");
    f.write("static/search/s/3.json", "[]");
    let stderr = fails_leaving_public(&f, &before, &["build"], 1);
    assert_names(
        &stderr,
        &[
            "--> static/search/index.json\n",
            "--> static/search/s/3.json\n",
            "the full-text search index, which tebiki generates",
        ],
    );
}

#[cfg(unix)]
#[test]
fn an_output_folder_that_is_a_link_is_built_into_where_it_leads() {
    let f = Fixture::bilingual();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let www = elsewhere.path().join("www");
    f.build_ok(&["-o", www.to_str().expect("UTF-8 path")]);
    fs::write(elsewhere.path().join("keep.txt"), "beside the output").expect("write");
    std::os::unix::fs::symlink(&www, f.path("public")).expect("link");
    f.write(
        "content/guides/ai-act.md",
        &crate::common::AI_ACT_EN.replace("A headquarters.", "推進本部を置く。"),
    );
    for round in 0..2 {
        f.build_ok(&[]);
        assert!(
            fs::symlink_metadata(f.path("public"))
                .expect("public")
                .file_type()
                .is_symlink(),
            "build {round} replaced the link"
        );
        assert!(
            fs::read_to_string(www.join("guides/ai-act/index.html"))
                .expect("the page, built where the link leads")
                .contains("推進本部を置く。")
        );
        assert!(removed_in_background(
            &elsewhere.path().join(".www.tebiki-old")
        ));
    }
    assert_eq!(
        fs::read_to_string(elsewhere.path().join("keep.txt")).expect("kept"),
        "beside the output"
    );
    let names: Vec<_> = fs::read_dir(f.root())
        .expect("root")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tebiki-"))
        .collect();
    assert!(names.is_empty(), "left behind: {names:?}");
}

#[cfg(unix)]
#[test]
fn an_output_inside_a_content_folder_reached_through_a_link_is_refused() {
    let f = Fixture::bilingual();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let real = elsewhere.path().join("content");
    fs::rename(f.path("content"), &real).expect("move content");
    std::os::unix::fs::symlink(&real, f.path("content")).expect("link");
    let out = real.join("out");
    let run = f.run(&["build", "-o", out.to_str().expect("UTF-8 path")]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_names(&run.stderr, &["inside the site's content/ folder"]);
    assert!(!out.exists());
}

#[test]
fn a_second_build_of_one_output_waits_for_the_first() {
    let (f, before) = built();
    // Another build of `public/` holds the lock.
    let lock = fs::File::create(f.path(".public.tebiki-lock")).expect("lock file");
    lock.lock().expect("lock");
    f.write(
        "content/guides/ai-act.md",
        &crate::common::AI_ACT_EN.replace("A headquarters.", "推進本部を置く。"),
    );
    let mut second = std::process::Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .arg("build")
        .current_dir(f.root())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run tebiki");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        second.try_wait().expect("wait").is_none(),
        "the second build did not wait"
    );
    assert_eq!(
        tree(&f.path("public")),
        before,
        "written while the lock was held"
    );
    assert!(!f.path(".public.tebiki-staging").exists());
    lock.unlock().expect("unlock");
    let done = second.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(done.status.success(), "{stderr}");
    assert!(
        stderr.contains("waiting for the other build writing")
            && stderr.contains("public` to finish"),
        "{stderr}"
    );
    assert!(
        f.read("public/guides/ai-act/index.html")
            .contains("推進本部を置く。")
    );
    assert!(!f.path(".public.tebiki-lock").exists());
}

#[test]
fn an_output_path_ending_in_a_dot_is_the_folder_itself() {
    let (f, _) = built();
    f.write(
        "content/guides/ai-act.md",
        &crate::common::AI_ACT_EN.replace("A headquarters.", "推進本部を置く。"),
    );
    f.build_ok(&["-o", "public/."]);
    assert!(
        f.read("public/guides/ai-act/index.html")
            .contains("推進本部を置く。")
    );
    assert!(removed_in_background(&f.path(".public.tebiki-old")));
}

#[test]
fn watch_refuses_an_output_directory_inside_the_input_and_exits_2() {
    let f = Fixture::bilingual();
    let run = f.run(&["watch", "-o", "content/out"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_names(&run.stderr, &["inside the site's content/ folder"]);
    assert!(!run.stderr.contains("watching"), "{}", run.stderr);
}
