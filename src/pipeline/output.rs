//! The write stage's safety: a build writes into a fresh staging directory beside the output
//! and swaps it in only when everything succeeded, so a failed build leaves the previous site
//! untouched. Output directories carry a marker file; tebiki refuses to replace a directory
//! without one, and no path can make it write outside the staging directory.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;
use crate::pipeline::render::Sink;

/// Marks a directory as tebiki's output, so it may be replaced by the next build.
pub const MARKER: &str = ".tebiki-output";
const MARKER_TEXT: &str =
    "This directory is written by `tebiki build` and replaced on every build.\n";

/// A fresh directory the build writes into, swapped in place of the output on `commit`.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
}

impl Staging {
    /// Checks that `out` may be replaced and creates an empty staging directory beside it.
    pub fn prepare(out: &Path) -> Result<Staging, Error> {
        let out = absolute(out)?;
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
        let dir = parent.join(format!(".{name}.tebiki-staging"));
        remove_ours(&dir)?;
        fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        fs::write(dir.join(MARKER), MARKER_TEXT).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging { dir, out })
    }

    /// Replaces the output directory with the staging directory.
    pub fn commit(self) -> Result<PathBuf, Error> {
        let name = self
            .out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let old = self.out.with_file_name(format!(".{name}.tebiki-old"));
        remove_ours(&old)?;
        if self.out.exists() {
            // Re-checked here: the directory may have changed while the build ran.
            check_replaceable(&self.out)?;
            if is_empty_dir(&self.out) {
                fs::remove_dir(&self.out).map_err(|e| Error::io(&self.out, e))?;
            } else {
                fs::rename(&self.out, &old).map_err(|e| Error::io(&self.out, e))?;
            }
        }
        fs::rename(&self.dir, &self.out).map_err(|e| Error::io(&self.out, e))?;
        remove_ours(&old)?;
        Ok(self.out)
    }

    /// Removes the staging directory, leaving the output as it was.
    pub fn abandon(self) {
        let _ = remove_ours(&self.dir);
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
            fs::create_dir_all(parent)?;
        }
        Ok(target)
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        fs::write(self.target(path)?, bytes)
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

/// An output directory may be replaced if it does not exist, is empty, or holds the marker.
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
    if is_empty_dir(out) || out.join(MARKER).is_file() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "refusing to replace `{}`: tebiki did not create it (it has no {MARKER} file) and it is not empty; \
         move it away or choose another output directory with -o",
        out.display()
    )))
}

/// Removes a staging or old-output directory, but only one tebiki made (it holds the marker).
fn remove_ours(dir: &Path) -> Result<(), Error> {
    if !dir.exists() {
        return Ok(());
    }
    if dir.join(MARKER).is_file() || is_empty_dir(dir) {
        fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))
    } else {
        Err(Error::Usage(format!(
            "`{}` is in the way and was not made by tebiki; remove it by hand",
            dir.display()
        )))
    }
}
