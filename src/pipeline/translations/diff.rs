//! What changed in a translation's source since the version it records, as a unified diff
//! made by the git command line. The recorded version is a git blob id, so git can restore it
//! when it was ever committed; nothing is written into the repository (the old version goes to
//! a temporary file).

use std::path::Path;
use std::process::Output;

use crate::diag::{Code, Diagnostic};
use crate::error::Error;
use crate::model::blob::{Version, is_blob_id};
use crate::model::config;
use crate::model::frontmatter;
use crate::model::git;
use crate::pipeline::translations::pair;

/// What `diff` found.
#[derive(Debug)]
pub struct SourceDiff {
    /// The source file, relative to the site root.
    pub source: String,
    /// The version the translation records.
    pub from: String,
    /// The source's version now.
    pub to: String,
    /// The unified diff; empty when the source has not changed.
    pub diff: String,
    /// Errors in the translation's front matter that do not concern `translated_from`, sorted:
    /// the diff is right whatever they are, and `check` fails on them.
    pub others: Vec<Diagnostic>,
}

/// Diffs the source of translation `file` from the version it records to the working tree.
/// A translation that records no version, a site outside git, and a version git does not
/// have are content errors (exit 1) that say what to do instead.
pub fn diff(root: &Path, file: &Path) -> Result<SourceDiff, Error> {
    let config = config::load(root).map_err(Error::Content)?;
    let pair = pair(root, &config, file)?;
    let text = std::fs::read_to_string(root.join(&pair.file))
        .map_err(|e| Error::io(&root.join(&pair.file), e))?;
    let split = frontmatter::split_checked(&text)
        .map_err(|e| Error::Content(vec![e.diagnostic(&pair.file)]))?;
    let (meta, mut errors) = frontmatter::parse(&split, &pair.file, pair.kind);
    crate::diag::sort(&mut errors);
    let line = meta.key_lines.get("translated_from").copied().unwrap_or(1);
    if errors
        .iter()
        .any(|e| e.code == Code::FrontMatter || e.line == line)
    {
        return Err(Error::Content(errors));
    }
    let fail = |message: String, suggestion: &str| {
        Error::Content(vec![
            Diagnostic::error(Code::TranslationDiff, &pair.file, message)
                .at(line, 1)
                .suggest(suggestion),
        ])
    };
    let Some(from) = meta.translated_from.map(|s| s.trim().to_string()) else {
        return Err(fail(
            "this translation records no source version (`translated_from`), so there is nothing to compare with".into(),
            &format!(
                "once the translation matches its source, run `tebiki translations mark {}`",
                pair.file
            ),
        ));
    };
    if !is_blob_id(&from) {
        return Err(fail(
            format!("`translated_from: {from}` is not a source version (40 hex digits)"),
            &format!(
                "once the translation matches its source, run `tebiki translations mark {}` to write the right value",
                pair.file
            ),
        ));
    }
    let source_path = root.join(&pair.source);
    let current = std::fs::read(&source_path).map_err(|e| Error::io(&source_path, e))?;
    let now = Version::of(&current);
    let to = now.id.clone();
    let mut result = SourceDiff {
        source: pair.source.clone(),
        from: from.clone(),
        to: to.clone(),
        diff: String::new(),
        others: errors,
    };
    if now.is(&from) {
        return Ok(result);
    }
    let by_hand = "compare the source with the translation by hand; when they match, run `tebiki translations mark` on the translation";
    let toplevel = run_git(root, &["rev-parse", "--show-toplevel"]);
    if !toplevel.as_ref().is_ok_and(|o| o.status.success()) {
        return Err(fail(
            format!(
                "cannot show what changed in `{}`: the site is not in a git repository (or git is not installed)",
                pair.source
            ),
            by_hand,
        ));
    }
    let Some(old) = git::blob(root, &from) else {
        return Err(fail(
            format!(
                "the recorded version {from} of `{}` is not in this git repository: it was never committed, or the id was written by hand",
                pair.source
            ),
            by_hand,
        ));
    };
    let dir = tempfile::tempdir().map_err(|e| Error::io(&std::env::temp_dir(), e))?;
    let old_path = dir.path().join("recorded");
    std::fs::write(&old_path, &old).map_err(|e| Error::io(&old_path, e))?;
    // The same mode as the source, so git reports the text changes only.
    if let Ok(meta) = std::fs::metadata(&source_path) {
        let _ = std::fs::set_permissions(&old_path, meta.permissions());
    }
    let old_arg = old_path.to_string_lossy().into_owned();
    let output = run_git(
        root,
        &[
            "-c",
            "core.quotePath=false",
            "diff",
            "--no-index",
            "--no-color",
            "--no-ext-diff",
            "--",
            &old_arg,
            &pair.source,
        ],
    )
    .map_err(|e| Error::Usage(format!("cannot run git: {e}")))?;
    // `git diff --no-index` exits 1 when the files differ, 0 when they do not.
    if output.status.code().is_none_or(|c| c > 1) {
        return Err(Error::Usage(format!(
            "git diff failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let shown_old = old_arg.trim_start_matches('/');
    result.diff = String::from_utf8_lossy(&output.stdout)
        .split_inclusive('\n')
        .map(|l| {
            if l.starts_with("diff --git ") || l.starts_with("--- ") {
                l.replace(shown_old, &pair.source)
            } else {
                l.to_string()
            }
        })
        .collect();
    Ok(result)
}

fn run_git(root: &Path, args: &[&str]) -> std::io::Result<Output> {
    git::command(root).args(args).output()
}
