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
