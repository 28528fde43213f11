//! `tebiki serve`'s output, kept in memory: every file of the last good build, so the server
//! answers from a complete site while the next build runs and never from the publish output
//! directory. Rendered files are bytes (compressed: [`Packed`]); static files and content assets stay on disk and are
//! named by path, read when requested.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::pipeline::output::is_plain_relative;
pub use crate::pipeline::packed::Packed;
use crate::pipeline::render::Sink;

/// One output file.
#[derive(Debug, Clone)]
pub enum Body {
    Bytes(Packed),
    /// A file to read from disk when it is requested.
    File(PathBuf),
}

/// A complete built site: output path (`guides/ai-act/index.html`) → file. Paths are shared,
/// not copied, by the next snapshot, which starts as a copy of this one.
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    files: HashMap<Arc<str>, Body>,
}

impl Snapshot {
    pub fn get(&self, path: &str) -> Option<&Body> {
        self.files.get(path)
    }

    /// Every output path, sorted.
    pub fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.files.keys().map(|p| &**p).collect();
        paths.sort_unstable();
        paths
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// This snapshot without the files read from disk that `gone` names by their real path;
    /// `None` when it names none.
    pub fn without_files(&self, gone: impl Fn(&Path) -> bool) -> Option<Snapshot> {
        let dropped = |body: &Body| matches!(body, Body::File(path) if gone(path));
        if !self.files.values().any(dropped) {
            return None;
        }
        let mut files = self.files.clone();
        files.retain(|_, body| !dropped(body));
        Some(Snapshot { files })
    }
}

/// A `Sink` that fills a `Snapshot`, either from nothing (a full build) or on top of an
/// earlier snapshot (an incremental one replaces just the files it renders).
#[derive(Default)]
pub struct MemorySink {
    files: Mutex<HashMap<Arc<str>, Body>>,
    html: AtomicUsize,
}

impl MemorySink {
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts from the files of `base`.
    pub fn on(base: &Snapshot) -> Self {
        MemorySink {
            files: Mutex::new(base.files.clone()),
            html: AtomicUsize::new(0),
        }
    }

    /// How many HTML files were put.
    pub fn html_count(&self) -> usize {
        self.html.load(Ordering::Relaxed)
    }

    pub fn finish(self) -> Snapshot {
        Snapshot {
            files: self
                .files
                .into_inner()
                .unwrap_or_else(PoisonError::into_inner),
        }
    }

    fn insert(&self, path: &str, body: Body) -> std::io::Result<()> {
        if !is_plain_relative(path) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("refusing to serve `{path}`: it is not a path inside the site"),
            ));
        }
        if path.ends_with(".html") {
            self.html.fetch_add(1, Ordering::Relaxed);
        }
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.into(), body);
        Ok(())
    }
}

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.insert(path, Body::Bytes(Packed::new(bytes)))
    }

    fn copy(&self, path: &str, source: &Path) -> std::io::Result<()> {
        // Fail now, as a build would, rather than when the file is first requested. A link
        // in `static/` is published as the file it points to, as the build copies it, so the
        // file is kept by its real path: the server reads only regular files, never links.
        let real = source.canonicalize()?;
        self.insert(path, Body::File(real))
    }
}
