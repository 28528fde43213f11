//! The preview engine without HTTP or a watcher: after every edit of the equivalence sequence,
//! `Preview::update` (incremental where it can be) leaves exactly the files a full rebuild in
//! memory makes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use tebiki::preview::engine::{Preview, Update};

use crate::common::{Fixture, files_in, snapshot_files};
use crate::serve::{equivalence_site, equivalence_steps};

const BASE_URL: &str = "http://127.0.0.1:1111/";

/// The paths a watcher would report: files added, removed or changed.
fn changed(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut paths: Vec<String> = before
        .iter()
        .filter(|(path, bytes)| after.get(*path) != Some(*bytes))
        .map(|(path, _)| path.clone())
        .chain(after.keys().filter(|p| !before.contains_key(*p)).cloned())
        .collect();
    paths.sort();
    paths
}

fn full_build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut fresh = Preview::new(root.to_path_buf(), BASE_URL.to_string());
    fresh.full().expect("the site builds");
    snapshot_files(&fresh.snapshot())
}

/// Fails, naming the files, unless `preview` holds exactly what a full rebuild of `root` makes.
fn assert_same_as_full_build(preview: &Preview, root: &Path, step: &str) {
    let got = snapshot_files(&preview.snapshot());
    let want = full_build(root);
    let differ: BTreeSet<&String> = want
        .keys()
        .chain(got.keys())
        .filter(|k| got.get(*k) != want.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "after {step}: {differ:?} differ from a full rebuild"
    );
}

#[test]
fn incremental_updates_equal_a_full_rebuild_after_every_edit() {
    let f: Fixture = equivalence_site();
    let root = f.root().canonicalize().expect("root");
    let mut preview = Preview::new(root.clone(), BASE_URL.to_string());
    preview.full().expect("the site builds");
    let mut incremental = 0;
    for (step, apply) in equivalence_steps() {
        let before = files_in(&root);
        apply(&f);
        let changed = changed(&before, &files_in(&root));
        let update = preview.update(&changed).unwrap_or_else(|e| {
            panic!(
                "after {step}: {}",
                e.render(&root, None, tebiki::diag::Style::Plain)
            )
        });
        if let Update::Rebuilt { full: false, .. } = update {
            incremental += 1;
        }
        assert_same_as_full_build(&preview, &root, step);
    }
    assert!(incremental >= 6, "only {incremental} incremental updates");
}

/// How many guides [`listed_site`] has.
const LISTED: usize = 40;

/// A guide of [`listed_site`]: `n` from 0, using a glossary term and linking to the next (the
/// last to the first).
fn listed_guide(n: usize, title: &str, date: &str, tags: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\ntags: [{tags}]\n---\nThe headquarters decide. See [the next one](g{:02}.md).\n\n## Part one\n\nText {n}.\n",
        (n + 1) % LISTED
    )
}

/// Guide `n`'s date: the later the guide, the newer.
fn listed_date(n: usize) -> String {
    format!("2025-{:02}-{:02}", 1 + n / 28, 1 + n % 28)
}

fn group(n: usize) -> &'static str {
    if n.is_multiple_of(2) {
        "\"Common\", \"Even\""
    } else {
        "\"Common\", \"Odd\""
    }
}

/// Forty guides, each with a translation, in lists of two entries a page: the home page shows
/// the ten newest as recent, the glossary the first twenty under its term.
fn listed_site() -> Fixture {
    let f = Fixture::bilingual();
    f.write(
        "book.toml",
        &format!("{}\n[pagination]\npaginate_by = 2\n", crate::common::BOOK),
    );
    f.write(
        "content/glossary.toml",
        "[[term]]\nid = \"hq\"\n[term.en]\nterm = \"headquarters\"\ndefinition = \"A central body.\"\n[term.ja]\nterm = \"本部\"\ndefinition = \"中心となる組織。\"\n",
    );
    for n in 0..LISTED {
        let date = listed_date(n);
        f.write(
            &format!("content/guides/g{n:02}.md"),
            &listed_guide(n, &format!("Guide {n}"), &date, group(n)),
        );
        f.write(
            &format!("content/guides/g{n:02}.ja.md"),
            &format!(
                "---\ntitle: \"ガイド {n}\"\ndate: {date}\ntags: [\"共通\"]\n---\n本部が決める。\n"
            ),
        );
    }
    f
}

#[test]
fn front_matter_edits_re_render_only_the_lists_that_show_them() {
    let f = listed_site();
    let root = f.root().canonicalize().expect("root");
    let mut preview = Preview::new(root.clone(), BASE_URL.to_string());
    preview.full().expect("the site builds");
    let steps: Vec<(&str, usize, String, Option<usize>)> = vec![
        // The guide, its translation, the guide linking to it and the one it links to (their
        // bodies and backlinks show its title), and the list page of its section and of each
        // of its two tags that holds it: not the home pages (it is not among the newest), the
        // Japanese lists, the glossary pages (it is past the pages listed under the term) or
        // the lists of all tags.
        (
            "a title edit of a guide that neither home page nor glossary lists",
            25,
            listed_guide(25, "Guide 25 renamed", &listed_date(25), group(25)),
            Some(7),
        ),
        (
            "a title edit of a guide the glossary lists",
            1,
            listed_guide(1, "Guide 1 renamed", &listed_date(1), group(1)),
            None,
        ),
        (
            "a date edit that makes a guide the newest",
            25,
            listed_guide(25, "Guide 25 renamed", "2026-01-01", group(25)),
            None,
        ),
        (
            "a tag dropped, so that the lists of tags show a new count",
            25,
            listed_guide(25, "Guide 25 renamed", "2026-01-01", "\"Common\""),
            None,
        ),
        (
            "a title edit of a guide whose translation is gone",
            12,
            listed_guide(12, "Guide 12 renamed", &listed_date(12), group(12)),
            None,
        ),
    ];
    for (step, n, text, expected) in steps {
        let before = files_in(&root);
        if n == 12 {
            std::fs::remove_file(root.join("content/guides/g12.ja.md")).expect("delete");
            let changed = changed(&before, &files_in(&root));
            preview.update(&changed).expect("the site builds");
        }
        let before = files_in(&root);
        f.write(&format!("content/guides/g{n:02}.md"), &text);
        let changed = changed(&before, &files_in(&root));
        match preview.update(&changed) {
            Ok(Update::Rebuilt {
                full: false,
                rendered,
                ..
            }) => {
                if let Some(expected) = expected {
                    assert_eq!(rendered, expected, "after {step}");
                }
            }
            Ok(_) => panic!("after {step}: not an incremental rebuild"),
            Err(e) => panic!(
                "after {step}: {}",
                e.render(&root, None, tebiki::diag::Style::Plain)
            ),
        }
        assert_same_as_full_build(&preview, &root, step);
    }
}

/// Writes `text` to `rel` and applies the change as the watcher reports it; an error as the
/// user reads it.
fn apply(preview: &mut Preview, f: &Fixture, rel: &str, text: &str) -> Result<Update, String> {
    let root = f.root().canonicalize().expect("root");
    let before = files_in(&root);
    f.write(rel, text);
    preview
        .update(&changed(&before, &files_in(&root)))
        .map_err(|e| e.render(&root, None, tebiki::diag::Style::Plain))
}

fn edit(preview: &mut Preview, f: &Fixture, rel: &str, text: &str) -> Update {
    apply(preview, f, rel, text).unwrap_or_else(|e| panic!("after writing {rel}: {e}"))
}

#[test]
fn what_an_edit_changes_on_pages_it_did_not_touch_is_rendered_again() {
    let f = listed_site();
    let root = f.root().canonicalize().expect("root");
    let mut preview = Preview::new(root.clone(), BASE_URL.to_string());
    preview.full().expect("the site builds");

    // A section intro shows a guide's title through a link without text.
    let intro = "---\ntitle: Guides\n---\nStart with [](g05.md).\n";
    edit(&mut preview, &f, "content/guides/_index.md", intro);
    let renamed = listed_guide(5, "Guide five, renamed", &listed_date(5), group(5));
    let update = edit(&mut preview, &f, "content/guides/g05.md", &renamed);
    assert!(matches!(update, Update::Rebuilt { full: false, .. }));
    let section = snapshot_files(&preview.snapshot())["guides/index.html"].clone();
    let section = String::from_utf8(section).expect("UTF-8");
    assert!(section.contains(">Guide five, renamed</a>"), "{section}");
    assert_same_as_full_build(&preview, &root, "a title edit of a guide an intro links to");

    // A tag spelt anew on the page whose spelling names it: every list page of the tag shows
    // the name, not only the one that lists the page.
    let respelt = listed_guide(0, "Guide 0", &listed_date(0), "\"Common\", \"EVEN\"");
    let update = edit(&mut preview, &f, "content/guides/g00.md", &respelt);
    assert!(matches!(update, Update::Rebuilt { full: false, .. }));
    assert_same_as_full_build(&preview, &root, "a tag spelt anew");
}

#[test]
fn renaming_a_heading_that_links_point_to_fails_as_a_full_build_does() {
    let f = listed_site();
    let root = f.root().canonicalize().expect("root");
    let mut preview = Preview::new(root.clone(), BASE_URL.to_string());
    preview.full().expect("the site builds");
    let guide = |n: usize| listed_guide(n, &format!("Guide {n}"), &listed_date(n), group(n));
    let linking = |n: usize, to: &str| {
        guide(n).replace("Text", &format!("See [part one]({to}#part-one). Text"))
    };
    // Guide 7 links into guide 8's heading, guide 9 into its own.
    edit(
        &mut preview,
        &f,
        "content/guides/g07.md",
        &linking(7, "g08.md"),
    );
    edit(&mut preview, &f, "content/guides/g09.md", &linking(9, ""));
    assert_same_as_full_build(&preview, &root, "links into headings");

    let renamed = |text: String| text.replace("## Part one", "## Part 1");
    for (rel, text, link_at) in [
        (
            "content/guides/g08.md",
            guide(8),
            "content/guides/g07.md:10:5",
        ),
        (
            "content/guides/g09.md",
            linking(9, ""),
            "content/guides/g09.md:10:5",
        ),
    ] {
        let Err(e) = apply(&mut preview, &f, rel, &renamed(text.clone())) else {
            panic!("renaming the heading of {rel} left the link at {link_at} unreported");
        };
        assert!(
            e.contains("`#part-one` is not a heading id") && e.contains(link_at),
            "{e}"
        );
        edit(&mut preview, &f, rel, &text);
        assert_same_as_full_build(&preview, &root, "the heading put back");
    }
}

/// A stylesheet edit swaps the stylesheet without a rebuild, in a static/ folder of the site's
/// own or one that is a link to another folder: the engine keeps served files by their real
/// path, and still knows the edited one for what it is.
#[cfg(unix)]
#[test]
fn a_stylesheet_edit_is_a_swap_even_through_a_linked_static_folder() {
    for linked in [false, true] {
        let f = Fixture::bilingual();
        let elsewhere = tempfile::tempdir().expect("temp dir");
        if linked {
            std::fs::write(elsewhere.path().join("extra.css"), "p { color: red; }").expect("write");
            std::os::unix::fs::symlink(elsewhere.path(), f.path("static")).expect("symlink");
        } else {
            f.write("static/extra.css", "p { color: red; }");
        }
        let root = f.root().canonicalize().expect("root");
        let mut preview = Preview::new(root.clone(), BASE_URL.to_string());
        preview.full().expect("the site builds");
        std::fs::write(f.path("static/extra.css"), "p { color: blue; }").expect("edit");
        let update = preview
            .update(&["static/extra.css".to_string()])
            .unwrap_or_else(|_| panic!("linked {linked}: the update fails"));
        assert!(
            matches!(update, Update::Styles),
            "linked {linked}: {}",
            match update {
                Update::Rebuilt { full, .. } => format!("rebuilt, full {full}"),
                _ => "another update".to_string(),
            }
        );
    }
}

/// A glossary definition shows the title of a page it links to without text, and points into
/// its headings: on every page that uses the term, and the glossary pages.
#[test]
fn a_page_that_a_definition_links_to_updates_the_definition_everywhere() {
    let f = listed_site();
    let root = f.root().canonicalize().expect("root");
    let glossary = "[[term]]\nid = \"hq\"\n[term.en]\nterm = \"headquarters\"\ndefinition = \"A central body; see [](@/guides/g03.md) and [its first part](@/guides/g03.md#part-one).\"\n[term.ja]\nterm = \"本部\"\ndefinition = \"中心となる組織。\"\n";
    f.write("content/glossary.toml", glossary);
    let mut preview = Preview::new(root.clone(), BASE_URL.to_string());
    preview.full().expect("the site builds");

    let renamed = listed_guide(3, "Guide three, renamed", &listed_date(3), group(3));
    edit(&mut preview, &f, "content/guides/g03.md", &renamed);
    let using = snapshot_files(&preview.snapshot())["guides/g10/index.html"].clone();
    let using = String::from_utf8(using).expect("UTF-8");
    assert!(using.contains(">Guide three, renamed</a>"), "{using}");
    assert_same_as_full_build(&preview, &root, "a title edit of a page a definition links");

    let heading_renamed = renamed.replace("## Part one", "## Part 1");
    let Err(e) = apply(&mut preview, &f, "content/guides/g03.md", &heading_renamed) else {
        panic!("renaming the heading a definition links to left it unreported");
    };
    assert!(
        e.contains("`#part-one` is not a heading id") && e.contains("content/glossary.toml:5:"),
        "{e}"
    );
    edit(&mut preview, &f, "content/guides/g03.md", &renamed);
    assert_same_as_full_build(&preview, &root, "the heading put back");

    // A definition edited to link another page, then a page that does not exist.
    edit(
        &mut preview,
        &f,
        "content/glossary.toml",
        &glossary.replace("g03.md)", "g04.md)"),
    );
    assert_same_as_full_build(&preview, &root, "a definition linking another page");
    let Err(e) = apply(
        &mut preview,
        &f,
        "content/glossary.toml",
        &glossary.replace("g03.md)", "g99.md)"),
    ) else {
        panic!("a definition's broken link left unreported");
    };
    assert!(
        e.contains("link to `guides/g99.md`, which does not exist"),
        "{e}"
    );
}

const PLAIN_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>";

/// An SVG in content/ edited to hold a script is left out as a full build leaves it out: a
/// linked one fails the build (and is no longer served from the last good site), an unlinked
/// one is dropped with a warning.
#[test]
fn an_svg_given_a_script_is_left_out_as_a_full_build_leaves_it_out() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/report/index.md",
        "---\ntitle: Report\n---\n![icon](icon.svg)\n",
    );
    f.write("content/guides/report/icon.svg", PLAIN_SVG);
    f.write("content/guides/chart.svg", PLAIN_SVG);
    let root = f.root().canonicalize().expect("root");
    let mut preview = Preview::new(root.clone(), BASE_URL.to_string());
    preview.full().expect("the site builds");
    let served = |preview: &Preview, path: &str| preview.snapshot().get(path).is_some();
    assert!(served(&preview, "guides/report/icon.svg") && served(&preview, "guides/chart.svg"));

    let scripted = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
    let Err(e) = apply(&mut preview, &f, "content/guides/report/icon.svg", scripted) else {
        panic!("a linked SVG given a script is still served");
    };
    assert!(
        e.contains("error[broken-link]") && e.contains("icon.svg"),
        "{e}"
    );
    assert!(!served(&preview, "guides/report/icon.svg"));
    assert!(served(&preview, "guides/report/index.html"));
    edit(
        &mut preview,
        &f,
        "content/guides/report/icon.svg",
        PLAIN_SVG,
    );
    assert!(served(&preview, "guides/report/icon.svg"));
    assert_same_as_full_build(&preview, &root, "the plain SVG put back");

    let handler = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect/></svg>";
    let update = edit(&mut preview, &f, "content/guides/chart.svg", handler);
    let Update::Rebuilt { warnings, .. } = update else {
        panic!("an unlinked SVG given an event handler is still served");
    };
    assert!(
        warnings.iter().any(|w| w.message.contains("runs scripts")),
        "{warnings:?}"
    );
    assert!(!served(&preview, "guides/chart.svg"));
    assert_same_as_full_build(&preview, &root, "an unlinked SVG given an event handler");
}

/// A definition edit that changes only punctuation, Markdown marks or letter case leaves the
/// entry's search terms as they were, but not its snippet in the search index (which holds
/// the punctuation and the case, not the marks) nor the glossary page.
#[test]
fn a_definition_edit_that_keeps_its_words_updates_the_search_snippet() {
    let f = listed_site();
    let root = f.root().canonicalize().expect("root");
    let mut preview = Preview::new(root.clone(), BASE_URL.to_string());
    preview.full().expect("the site builds");
    let glossary = f.read("content/glossary.toml");
    // The snippet is the definition as it reads, without its Markdown marks; the glossary
    // page shows them.
    for (step, definition, text, shown) in [
        (
            "punctuation",
            "A central body!",
            "A central body!",
            "A central body!",
        ),
        (
            "Markdown marks",
            "A *central* body!",
            "A central body!",
            "A <em>central</em> body!",
        ),
        (
            "letter case",
            "A Central Body!",
            "A Central Body!",
            "A Central Body!",
        ),
    ] {
        let edited = glossary.replace("A central body.", definition);
        let update = edit(&mut preview, &f, "content/glossary.toml", &edited);
        assert!(
            matches!(update, Update::Rebuilt { full: false, .. }),
            "{step}"
        );
        let fragments = snapshot_files(&preview.snapshot());
        assert!(
            fragments
                .iter()
                .any(|(path, bytes)| path.starts_with("search/f/")
                    && String::from_utf8_lossy(bytes).contains(&format!("\"{text}\""))),
            "{step}: no search fragment holds {text:?}"
        );
        assert!(
            fragments
                .iter()
                .any(|(path, bytes)| path.ends_with("glossary/index.html")
                    && String::from_utf8_lossy(bytes).contains(shown)),
            "{step}: the glossary page does not show {shown:?}"
        );
        assert_same_as_full_build(&preview, &root, step);
    }
    // A page's body edited the same way: its search fragment is always written again.
    let guide = listed_guide(5, "Guide 5", &listed_date(5), group(5));
    let update = edit(
        &mut preview,
        &f,
        "content/guides/g05.md",
        &guide.replace("Text 5.", "TEXT 5!"),
    );
    assert!(matches!(update, Update::Rebuilt { full: false, .. }));
    assert_same_as_full_build(&preview, &root, "a page body's punctuation and case");
}

/// A glossary edit that keeps every name re-indexes only the entries it changed and matches
/// with the automaton it had, yet every file equals a fresh build's: after a reading edit
/// (which only the search index holds), a definition edit of one of two terms, and a new
/// alias (which pages must now link) followed by a definition edit that keeps it.
#[test]
fn glossary_edits_that_keep_the_names_equal_a_full_rebuild() {
    let f = listed_site();
    let two_terms = |hq_ja: &str, hq_aliases: &str, council: &str| {
        format!(
            "[[term]]\nid = \"hq\"\n[term.en]\nterm = \"headquarters\"\n{hq_aliases}definition = \"A central body.\"\n[term.ja]\nterm = \"本部\"\n{hq_ja}\n\
             [[term]]\nid = \"council\"\n[term.en]\nterm = \"council\"\ndefinition = \"{council}\"\n"
        )
    };
    f.write(
        "content/glossary.toml",
        &two_terms("definition = \"中心となる組織。\"", "", "An advisory body."),
    );
    f.write(
        "content/guides/g07.md",
        "---\ntitle: Guide 7\n---\nThe council advises the HQ.\n",
    );
    let root = f.root().canonicalize().expect("root");
    let mut preview = Preview::new(root.clone(), BASE_URL.to_string());
    preview.full().expect("the site builds");
    let steps = [
        (
            "a reading added",
            two_terms(
                "reading = \"ほんぶ\"\ndefinition = \"中心となる組織。\"",
                "",
                "An advisory body.",
            ),
            false,
        ),
        (
            "one of two definitions edited",
            two_terms(
                "reading = \"ほんぶ\"\ndefinition = \"中心となる組織。\"",
                "",
                "A body that advises.",
            ),
            false,
        ),
        (
            "an alias added",
            two_terms(
                "reading = \"ほんぶ\"\ndefinition = \"中心となる組織。\"",
                "aliases = [\"HQ\"]\n",
                "A body that advises.",
            ),
            true,
        ),
        (
            "a definition edited after the alias",
            two_terms(
                "reading = \"ほんぶ\"\ndefinition = \"政策の中心となる組織。\"",
                "aliases = [\"HQ\"]\n",
                "A body that advises.",
            ),
            false,
        ),
    ];
    for (step, glossary, full) in steps {
        let update = edit(&mut preview, &f, "content/glossary.toml", &glossary);
        assert!(
            matches!(update, Update::Rebuilt { full: was_full, .. } if was_full == full),
            "{step}"
        );
        assert_same_as_full_build(&preview, &root, step);
    }
    // The alias is still linked after the edit that reused the automaton.
    let page = snapshot_files(&preview.snapshot())["guides/g07/index.html"].clone();
    let page = String::from_utf8(page).expect("UTF-8");
    assert!(page.contains(">HQ</a>"), "{page}");
    assert!(page.contains(">council</a>"), "{page}");
}

/// A content file replaced by a link to a file outside content/ fails the update as it fails
/// a build: the build does not follow links in content/, so what linked to the file is broken.
/// The link's target has the same bytes, so only the watcher's report says what changed.
#[cfg(unix)]
#[test]
fn a_content_file_replaced_by_a_link_fails_as_a_build_fails() {
    let f = Fixture::bilingual();
    f.write("content/guides/report.pdf", "%PDF-1.4\n");
    f.write(
        "content/guides/epsilon.md",
        "---\ntitle: Epsilon\n---\nText.\n",
    );
    f.write(
        "content/guides/links.md",
        "---\ntitle: Links\n---\nSee [the report](report.pdf) and [epsilon](epsilon.md).\n",
    );
    let root = f.root().canonicalize().expect("root");
    let outside = tempfile::tempdir().expect("temp dir");
    let mut preview = Preview::new(root.clone(), BASE_URL.to_string());
    preview.full().expect("the site builds");
    for rel in ["content/guides/report.pdf", "content/guides/epsilon.md"] {
        let name = rel.rsplit('/').next().expect("a name");
        let copy = outside.path().join(name);
        std::fs::copy(f.path(rel), &copy).expect("copy");
        std::fs::remove_file(f.path(rel)).expect("remove");
        std::os::unix::fs::symlink(&copy, f.path(rel)).expect("symlink");
        let e = match preview.update(&[rel.to_string()]) {
            Err(e) => e.render(&root, None, tebiki::diag::Style::Plain),
            Ok(_) => panic!("{rel} replaced by a link: the update succeeds"),
        };
        assert!(
            e.contains("warning[symlink]") && e.contains("error[broken-link]") && e.contains(name),
            "{rel}: {e}"
        );
        std::fs::remove_file(f.path(rel)).expect("remove");
        std::fs::copy(&copy, f.path(rel)).expect("copy back");
        preview.update(&[rel.to_string()]).expect("the site builds");
        assert_same_as_full_build(&preview, &root, "the file put back");
    }
}

/// With `[build] git_dates`, a commit (reported by the watcher as a move of git's HEAD)
/// rebuilds the site with the commit's dates, as a build reads them; without it a commit
/// changes nothing.
#[test]
fn a_commit_shows_its_dates_with_git_dates() {
    use tebiki::preview::watcher::GIT_HEAD;
    let f = Fixture::bilingual();
    f.write(
        "book.toml",
        &format!("{}\n[build]\ngit_dates = true\n", crate::common::BOOK),
    );
    let page = "---\ntitle: Dated\ndate: 2020-01-01\n---\nFirst text.\n";
    f.write("content/guides/dated.md", page);
    f.git_init();
    let commit = |date: &str| f.commit_all_at(date);
    commit("2024-03-01");
    let root = f.root().canonicalize().expect("root");
    let mut preview = Preview::new(root.clone(), BASE_URL.to_string());
    preview.full().expect("the site builds");
    assert!(preview.git_dates());
    let shown = |preview: &Preview| {
        let files = snapshot_files(&preview.snapshot());
        String::from_utf8_lossy(&files["guides/dated/index.html"]).into_owned()
    };
    assert!(shown(&preview).contains("2024-03-01"));

    edit(
        &mut preview,
        &f,
        "content/guides/dated.md",
        &page.replace("First", "Second"),
    );
    commit("2025-06-15");
    let update = preview
        .update(&[GIT_HEAD.to_string()])
        .expect("the site builds");
    assert!(matches!(update, Update::Rebuilt { full: true, .. }));
    assert!(shown(&preview).contains("2025-06-15"));
    assert_same_as_full_build(&preview, &root, "a commit");

    f.write("book.toml", crate::common::BOOK);
    preview
        .update(&["book.toml".to_string()])
        .expect("the site builds");
    assert!(!preview.git_dates());
    assert!(matches!(
        preview.update(&[GIT_HEAD.to_string()]),
        Ok(Update::Nothing)
    ));
}
