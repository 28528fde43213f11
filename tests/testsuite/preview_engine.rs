//! The preview engine without HTTP or a watcher: after every edit of the equivalence sequence,
//! `Preview::update` (incremental where it can be) leaves exactly the files a full rebuild in
//! memory makes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use tebiki::preview::engine::{Preview, Update};

use crate::common::{Fixture, snapshot_files};
use crate::serve::{equivalence_site, equivalence_steps};

const BASE_URL: &str = "http://127.0.0.1:1111/";

/// Every source file of the site (not the output), with its bytes.
fn sources(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(e.path()).ok()?;
            Some((rel, bytes))
        })
        .collect()
}

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

#[test]
fn incremental_updates_equal_a_full_rebuild_after_every_edit() {
    let f: Fixture = equivalence_site();
    let root = f.root().canonicalize().expect("root");
    let mut preview = Preview::new(root.clone(), BASE_URL.to_string());
    preview.full().expect("the site builds");
    let mut incremental = 0;
    for (step, apply) in equivalence_steps() {
        let before = sources(&root);
        apply(&f);
        let changed = changed(&before, &sources(&root));
        let update = preview.update(&changed).unwrap_or_else(|e| {
            panic!(
                "after {step}: {}",
                e.render(&root, None, tebiki::diag::Style::Plain)
            )
        });
        if let Update::Rebuilt { full: false, .. } = update {
            incremental += 1;
        }
        let got = snapshot_files(&preview.snapshot());
        let want = full_build(&root);
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
    assert!(incremental >= 6, "only {incremental} incremental updates");
}
