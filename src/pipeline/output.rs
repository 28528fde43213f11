//! The write stage's safety: a build writes into a fresh staging directory beside the output
//! and swaps it in only when everything succeeded, so a failed build leaves the previous site
//! untouched. Output directories carry a marker file; tebiki refuses to replace a directory
//! without one, and no path can make it write outside the staging directory.

use std::fs;

use rayon::prelude::*;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::error::Error;
use crate::pipeline::hash::FxSet;
use crate::pipeline::render::Sink;

/// Marks a directory as tebiki's output, so it may be replaced by the next build.
pub const MARKER: &str = ".tebiki-output";
const MARKER_TEXT: &str =
    "This directory is written by `tebiki build` and replaced on every build.\n";

/// What `Staging::commit` did: the output directory, and the previous output, moved aside,
/// when there was one.
#[derive(Debug)]
pub struct Committed {
    pub out: PathBuf,
    pub previous: Option<Previous>,
    /// What the previous output held at its top level that this build did not write (a
    /// `CNAME` added by hand): removed with it, and worth a warning.
    pub dropped: Vec<String>,
}

/// A git repository in the output folder (a `gh-pages` worktree, a deploy repository): never
/// output of a build, and carried from the previous output into the new one, not deleted.
const REPOSITORY: &str = ".git";

/// The previous output, moved aside by a successful build's swap and still to be removed.
/// Removing a large site's output takes as long as writing it (a 100,000-page site is 340,000
/// files), so `tebiki build` hands it to a process of its own and returns
/// ([`Previous::remove_in_background`]); dropped, it is removed on the spot.
#[derive(Debug)]
pub struct Previous(Option<PathBuf>);

impl Previous {
    /// Removes it now. Returns a warning naming it when it cannot be removed: the new output
    /// is in place, and the next build tries again.
    pub fn remove(mut self) -> Option<String> {
        let dir = self.0.take()?;
        remove_ours(&dir).err().map(|e| {
            format!(
                "the new output is in place, but the previous one could not be removed: {e}; \
                 the next build tries again, or remove `{}` by hand",
                dir.display()
            )
        })
    }

    /// Starts `remover` with the folder's path as its last argument, detached from this
    /// process (its own process group, no input or output), to remove the folder after this
    /// process has exited. What it cannot remove, the next build removes or reports. When the
    /// process cannot be started, removes the folder now, as [`Previous::remove`].
    pub fn remove_in_background(mut self, mut remover: std::process::Command) -> Option<String> {
        let dir = self.0.as_deref()?;
        remover
            .arg(dir)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut remover, 0);
        match remover.spawn() {
            Ok(_) => {
                self.0 = None;
                None
            }
            Err(_) => self.remove(),
        }
    }
}

impl Drop for Previous {
    fn drop(&mut self) {
        if let Some(dir) = self.0.take() {
            let _ = remove_ours(&dir);
        }
    }
}

/// Removes a previous output that a build moved aside (the hidden command
/// [`Previous::remove_in_background`] starts): only a folder named as one (`.NAME.tebiki-old`)
/// that tebiki made.
pub fn remove_previous(dir: &Path) -> Result<(), Error> {
    let named = dir
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.') && n.ends_with(".tebiki-old"));
    if !named {
        return Err(Error::Usage(format!(
            "`{}` is not a previous output that tebiki moved aside; this command removes only \
             the `.NAME.tebiki-old` folder a build leaves beside its output `NAME`",
            dir.display()
        )));
    }
    remove_ours(dir)
}

/// A fresh directory the build writes into, swapped in place of the output on `commit`.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    /// The folders made so far: most files go into a folder that already exists (the search
    /// index's thousands), and asking the file system again costs two system calls a file.
    made: Mutex<FxSet<PathBuf>>,
    /// Held from before the staging directory is made until the swap is done.
    _lock: BuildLock,
}

impl Staging {
    /// Checks that `out` may be replaced and creates an empty staging directory beside it.
    /// Waits, saying so through `waiting`, while another build writes the same output.
    pub fn prepare(out: &Path, waiting: impl FnOnce(&Path)) -> Result<Staging, Error> {
        let out = real_output(&absolute(out)?)?;
        check_replaceable(&out)?;
        let parent = out.parent().ok_or_else(|| {
            Error::Usage(format!(
                "cannot use `{}` as output directory",
                out.display()
            ))
        })?;
        let name = out
            .file_name()
            .ok_or_else(|| {
                Error::Usage(format!(
                    "cannot use `{}` as output directory",
                    out.display()
                ))
            })?
            .to_string_lossy()
            .into_owned();
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let lock = BuildLock::take(&parent.join(format!(".{name}.tebiki-lock")), waiting)?;
        let dir = parent.join(format!(".{name}.tebiki-staging"));
        // Left by an interrupted build: ours (it has the marker), so it is cleaned.
        remove_ours(&dir).map_err(|e| {
            Error::Usage(format!(
                "an earlier build left `{}` behind and it cannot be removed ({e}); \
                 remove it by hand, then build again",
                dir.display()
            ))
        })?;
        fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        fs::write(dir.join(MARKER), MARKER_TEXT).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            dir,
            out,
            made: Mutex::default(),
            _lock: lock,
        })
    }

    /// Replaces the output directory with the staging directory. Until the swap, any failure
    /// removes the staging directory and leaves the output as it was. Once the new output is
    /// in place the build has succeeded; the previous output, moved aside, is returned to be
    /// removed ([`Previous`]).
    pub fn commit(self) -> Result<Committed, Error> {
        let old = self.sibling("tebiki-old");
        let swapped = self.swap(&old);
        if let Err(e) = swapped {
            let _ = remove_ours(&self.dir);
            return Err(e);
        }
        let mut dropped = Vec::new();
        if old.exists() {
            let repository = old.join(REPOSITORY);
            if fs::symlink_metadata(&repository).is_ok() {
                let kept = self.out.join(REPOSITORY);
                fs::rename(&repository, &kept).map_err(|e| Error::io(&kept, e))?;
            }
            dropped = foreign_entries(&old, &self.out);
        }
        Ok(Committed {
            previous: old.exists().then_some(Previous(Some(old))),
            out: self.out,
            dropped,
        })
    }

    fn swap(&self, old: &Path) -> Result<(), Error> {
        // Left by an earlier build that was interrupted or could not remove it.
        remove_ours(old).map_err(|e| {
            Error::Usage(format!(
                "an earlier build left `{}` behind and it cannot be removed ({e}); \
                 remove it by hand, then build again",
                old.display()
            ))
        })?;
        if self.out.exists() {
            // Re-checked here: the directory may have changed while the build ran.
            check_replaceable(&self.out)?;
            if is_empty_dir(&self.out) {
                fs::remove_dir(&self.out).map_err(|e| Error::io(&self.out, e))?;
            } else {
                fs::rename(&self.out, old).map_err(|e| Error::io(&self.out, e))?;
            }
        }
        if let Err(e) = fs::rename(&self.dir, &self.out) {
            // Put the previous output back where it was.
            if old.exists() && !self.out.exists() {
                let _ = fs::rename(old, &self.out);
            }
            return Err(Error::io(&self.out, e));
        }
        Ok(())
    }

    /// `.NAME.tebiki-KIND` beside the output directory.
    fn sibling(&self, kind: &str) -> PathBuf {
        let name = self
            .out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.out.with_file_name(format!(".{name}.{kind}"))
    }

    /// Removes the staging directory, leaving the output as it was.
    pub fn abandon(self) {
        let _ = remove_ours(&self.dir);
    }

    /// Where the file for `rel` is written, for messages.
    fn path_of(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    /// The staging path for `rel`, with its parent directories created; `rel` must be a plain
    /// relative path that stays inside the staging directory.
    fn target(&self, rel: &str) -> std::io::Result<PathBuf> {
        let path = Path::new(rel);
        if !is_plain_relative(rel) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("refusing to write `{rel}`: it is not a path inside the output directory"),
            ));
        }
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            let made = self
                .made
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .contains(parent);
            if !made {
                fs::create_dir_all(parent)?;
                self.made
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(parent.to_path_buf());
            }
        }
        Ok(target)
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        fs::write(self.target(path)?, bytes)
    }

    fn path_of(&self, path: &str) -> PathBuf {
        Staging::path_of(self, path)
    }

    fn copy(&self, path: &str, source: &Path) -> std::io::Result<()> {
        fs::copy(source, self.target(path)?).map(|_| ())
    }
}

/// Whether `rel` is a non-empty relative path of plain names (no `..`, `.`, root or prefix), so
/// that joining it to a directory stays inside that directory.
pub fn is_plain_relative(rel: &str) -> bool {
    !rel.is_empty()
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// The folder a build replaces: `out`, or where it leads when it is a symbolic link. The swap
/// renames folders, and renaming the link would leave the folder it points to behind, to be
/// emptied as the previous output; the site goes into that folder instead, and the link keeps
/// pointing at it.
fn real_output(out: &Path) -> Result<PathBuf, Error> {
    if !fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink()) {
        return Ok(out.to_path_buf());
    }
    fs::canonicalize(out).map_err(|e| {
        Error::Usage(format!(
            "the output directory `{}` is a symbolic link to a folder that cannot be reached ({e}); \
             create the folder it points to, or remove the link",
            out.display()
        ))
    })
}

/// An exclusive lock on a file beside the output, so that two builds of one output (`tebiki
/// watch` running while someone types `tebiki build`, two jobs in one workspace) take turns
/// instead of removing each other's staging directory. The operating system releases it when
/// the process ends, however it ends; the file itself is removed when the build is done.
struct BuildLock {
    file: fs::File,
    path: PathBuf,
}

impl BuildLock {
    fn take(path: &Path, waiting: impl FnOnce(&Path)) -> Result<BuildLock, Error> {
        let mut waiting = Some(waiting);
        loop {
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(path)
                .map_err(|e| Error::io(path, e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    if let Some(say) = waiting.take() {
                        say(path);
                    }
                    file.lock().map_err(|e| Error::io(path, e))?;
                }
                Err(fs::TryLockError::Error(e)) => return Err(Error::io(path, e)),
            }
            // The build before may have removed the file while this one waited for it: a lock
            // counts only on the file that is at the path now.
            if is_same_file(&file, path) {
                return Ok(BuildLock {
                    file,
                    path: path.to_path_buf(),
                });
            }
        }
    }
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        // Removed while still locked, so that no other build locks a file about to go.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

#[cfg(unix)]
fn is_same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_same_file(_: &fs::File, path: &Path) -> bool {
    path.exists()
}

fn absolute(path: &Path) -> Result<PathBuf, Error> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        let cwd = std::env::current_dir().map_err(|e| Error::io(Path::new("."), e))?;
        Ok(cwd.join(path))
    }
}

fn is_empty_dir(path: &Path) -> bool {
    fs::read_dir(path).is_ok_and(|mut d| d.next().is_none())
}

/// Whether `path` holds nothing but a git repository: a fresh `gh-pages` worktree.
fn is_bare_repository(path: &Path) -> bool {
    fs::read_dir(path).is_ok_and(|d| {
        let mut names = d.flatten().map(|e| e.file_name());
        names.next().is_some_and(|n| n == REPOSITORY) && names.next().is_none()
    })
}

/// The names at the top of `previous` that `new` does not have, but for the marker, sorted.
fn foreign_entries(previous: &Path, new: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(previous) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name())
        .filter(|name| name != MARKER && fs::symlink_metadata(new.join(name)).is_err())
        .map(|name| name.to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// An output directory may be replaced if it does not exist, is empty, holds the marker, or
/// holds only a git repository (which the new output keeps).
fn check_replaceable(out: &Path) -> Result<(), Error> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(Error::Usage(format!(
            "the output path `{}` is a file, not a directory; choose another with -o",
            out.display()
        )));
    }
    if is_empty_dir(out) || out.join(MARKER).is_file() || is_bare_repository(out) {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "refusing to replace `{}`: tebiki did not create it (it has no {MARKER} file) and it is not empty; \
         move it away or choose another output directory with -o",
        out.display()
    )))
}

/// Removes a staging or old-output directory, but only one tebiki made (it holds the marker,
/// or is empty). The marker goes last, so a removal that stops halfway (a file that cannot be
/// deleted, a killed process) leaves a directory the next build still knows as its own. Folders
/// tebiki made may have lost their write permission (an output made read-only): it is given
/// back to them so that they can be emptied.
fn remove_ours(dir: &Path) -> Result<(), Error> {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return Ok(());
    };
    // A link is never followed: what it points to was not made beside the output.
    if !meta.is_dir() || !(dir.join(MARKER).is_file() || is_empty_dir(dir)) {
        if fs::symlink_metadata(dir).is_err() {
            // Removed meanwhile: the process removing a previous output may still be at work.
            return Ok(());
        }
        return Err(Error::Usage(format!(
            "`{}` is in the way and was not made by tebiki; remove it by hand",
            dir.display()
        )));
    }
    let emptied = match empty(dir) {
        Err((_, e)) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            allow_writes(dir);
            empty(dir)
        }
        other => other,
    };
    emptied.map_err(|(path, e)| Error::io(&path, e))?;
    let marker = dir.join(MARKER);
    gone_or(fs::remove_file(&marker)).map_err(|e| Error::io(&marker, e))?;
    gone_or(fs::remove_dir(dir)).map_err(|e| Error::io(dir, e))
}

/// A removal's result, where "it was already gone" is success: two processes may remove the
/// same previous output at once (a build started while the last one's is still removed).
fn gone_or(removed: std::io::Result<()>) -> std::io::Result<()> {
    match removed {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Removes everything in `dir` but the marker, folders in parallel (a site's output is tens of
/// thousands of files, and removing them one by one is most of the time a build takes to
/// finish once its files are written). Returns the path that failed with the error.
fn empty(dir: &Path) -> Result<(), (PathBuf, std::io::Error)> {
    entries_of(dir)?
        .par_iter()
        .filter(|entry| entry.file_name() != MARKER)
        .try_for_each(|entry| remove_tree(&entry.path(), entry.file_type().ok()))
}

/// Removes `path`, a folder with everything in it (its entries in parallel) or a file. A
/// symbolic link is removed, never followed.
fn remove_tree(path: &Path, kind: Option<fs::FileType>) -> Result<(), (PathBuf, std::io::Error)> {
    if !kind.is_some_and(|t| t.is_dir()) {
        return gone_or(fs::remove_file(path)).map_err(|e| (path.to_path_buf(), e));
    }
    entries_of(path)?
        .par_iter()
        .try_for_each(|entry| remove_tree(&entry.path(), entry.file_type().ok()))?;
    gone_or(fs::remove_dir(path)).map_err(|e| (path.to_path_buf(), e))
}

/// The entries of folder `dir`; none when it is gone.
fn entries_of(dir: &Path) -> Result<Vec<fs::DirEntry>, (PathBuf, std::io::Error)> {
    match fs::read_dir(dir).and_then(|entries| entries.collect()) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        other => other.map_err(|e| (dir.to_path_buf(), e)),
    }
}

/// Gives the owner write permission on `dir` and every folder under it (never following
/// symbolic links), so a tree tebiki made can be removed after someone made it read-only.
fn allow_writes(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            if !entry.file_type().is_dir() {
                continue;
            }
            if let Ok(meta) = entry.metadata() {
                let mode = meta.permissions().mode();
                if mode & 0o300 != 0o300 {
                    let _ =
                        fs::set_permissions(entry.path(), fs::Permissions::from_mode(mode | 0o700));
                }
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
}
