//! Replacing a set of Markdown files all together or not at all, as `tebiki translations mark`
//! and `import` do: a translator who sees an error should find either every file changed or
//! none, each keeping its permissions, and no temporary file left behind.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// How a command names what it does to the files, in its messages and its temporary files.
pub struct Verb {
    /// The past tense, as in "nothing was marked" and "marked: a.md; not marked: b.md".
    pub done: &'static str,
    /// The end of a temporary file's name (`.NAME.tebiki-mark`): a command finds one left by an
    /// interrupted run of its own by it.
    pub temp: &'static str,
}

/// Replaces every file of `changes` (path, name shown, new text) with its new text, all or
/// nothing as far as the file system allows: each new text is first written in full to a
/// temporary file beside its file (which also checks the file may be changed and the disk has
/// room), and only when all are written are they renamed over the files. If a rename still
/// fails, the error says which files were changed and which were not. A file that does not
/// exist yet is created.
pub fn replace_all(changes: &[(PathBuf, &str, &str)], verb: &Verb) -> Result<(), Error> {
    let staged = stage_all(changes, verb)?;
    rename_all(changes, &staged, verb.done)
}

/// Writes every new text of `changes` to its temporary file: (temporary file, file it
/// replaces), in the order of `changes`. On the first failure, removes those written so far.
fn stage_all(
    changes: &[(PathBuf, &str, &str)],
    verb: &Verb,
) -> Result<Vec<(PathBuf, PathBuf)>, Error> {
    let done = verb.done;
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    for (path, file, text) in changes {
        match stage(path, text, verb.temp) {
            Ok(pair) => staged.push(pair),
            Err(e) => {
                for (temp, _) in &staged {
                    let _ = std::fs::remove_file(temp);
                }
                return Err(Error::Usage(format!(
                    "cannot write {file}: {e}; nothing was {done}, no file was changed"
                )));
            }
        }
    }
    Ok(staged)
}

/// Renames each staged temporary file over the file it replaces, in order. If one cannot be,
/// the temporary files not yet renamed are removed and the error names the files changed and
/// those left as they were.
fn rename_all(
    changes: &[(PathBuf, &str, &str)],
    staged: &[(PathBuf, PathBuf)],
    done: &str,
) -> Result<(), Error> {
    for (i, (temp, target)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(temp, target) {
            for (temp, _) in &staged[i..] {
                let _ = std::fs::remove_file(temp);
            }
            let names = |range: &[(PathBuf, &str, &str)]| -> String {
                range
                    .iter()
                    .map(|(_, file, _)| *file)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let changed = match i {
                0 => "none".to_string(),
                _ => names(&changes[..i]),
            };
            return Err(Error::Usage(format!(
                "cannot write {}: {e}; {done}: {changed}; not {done}: {}",
                changes[i].1,
                names(&changes[i..])
            )));
        }
    }
    Ok(())
}

/// Writes `text` to a new temporary file beside `path` (beside the real file when `path` is a
/// symbolic link), with `path`'s permissions, after checking `path` itself may be written; a
/// `path` that does not exist yet gets the permissions any new file gets. Returns (temporary
/// file, file it replaces).
fn stage(path: &Path, text: &str, temp_end: &str) -> std::io::Result<(PathBuf, PathBuf)> {
    use std::io::Write as _;
    let (target, permissions) = match path.canonicalize() {
        Ok(target) => {
            // Opening for appending writes nothing, and fails on a file that may not be changed.
            drop(std::fs::OpenOptions::new().append(true).open(&target)?);
            let permissions = std::fs::metadata(&target)?.permissions();
            (target, Some(permissions))
        }
        // Nothing there, not even a broken symbolic link: a new file.
        Err(e)
            if e.kind() == std::io::ErrorKind::NotFound
                && std::fs::symlink_metadata(path).is_err() =>
        {
            (path.to_path_buf(), None)
        }
        Err(e) => return Err(e),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = target.with_file_name(format!(".{name}.{temp_end}"));
    if std::fs::symlink_metadata(&temp).is_ok_and(|m| m.is_file()) {
        // Left by an interrupted run: ours, by its name.
        std::fs::remove_file(&temp)?;
    }
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)?;
    let written = out
        .write_all(text.as_bytes())
        .and_then(|()| out.sync_all())
        .and_then(|()| match permissions {
            Some(permissions) => std::fs::set_permissions(&temp, permissions),
            None => Ok(()),
        });
    drop(out);
    match written {
        Ok(()) => Ok((temp, target)),
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rename that fails part way (the second file's place has become a folder since it was
    /// staged) leaves the first file changed, the others as they were, no temporary file
    /// behind, and says so.
    #[test]
    fn a_failed_rename_names_what_was_changed_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = |name: &str| dir.path().join(name);
        let changes: Vec<(PathBuf, &str, &str)> = ["a.ja.md", "b.ja.md", "c.ja.md"]
            .into_iter()
            .map(|name| (path(name), name, "新しい訳\n"))
            .collect();
        for (target, _, _) in &changes {
            std::fs::write(target, "旧い訳\n").expect("write");
        }
        let verb = Verb {
            done: "marked",
            temp: "tebiki-mark",
        };
        let staged = stage_all(&changes, &verb).expect("every new text is staged");
        // Between staging and renaming, the second file's place becomes a folder.
        std::fs::remove_file(path("b.ja.md")).expect("remove b");
        std::fs::create_dir(path("b.ja.md")).expect("folder b");
        std::fs::write(path("b.ja.md").join("keep"), "").expect("write in b");

        let Err(Error::Usage(message)) = rename_all(&changes, &staged, verb.done) else {
            panic!("a rename over a folder must fail");
        };

        assert!(
            message.starts_with("cannot write b.ja.md: ")
                && message.ends_with("; marked: a.ja.md; not marked: b.ja.md, c.ja.md"),
            "{message}"
        );
        let read = |name: &str| std::fs::read_to_string(path(name)).expect("read");
        assert_eq!(read("a.ja.md"), "新しい訳\n");
        assert_eq!(read("c.ja.md"), "旧い訳\n");
        assert!(path("b.ja.md").join("keep").is_file());
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["a.ja.md", "b.ja.md", "c.ja.md"]);
    }
}
