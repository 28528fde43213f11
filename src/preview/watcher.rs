//! Watching a site's sources (`content/`, `themes/`, `static/`, `book.toml`) with notify and a
//! short debounce, so every editor's way of saving — in place, to a temporary file then
//! renamed, delete then recreate — arrives as one batch of changed paths.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::error::Error;
use crate::model::content_path::is_ignored;

/// How long the files must be quiet before a batch is handed over: long enough to join the
/// steps of an editor's save, short enough to stay well inside a 100 ms edit-to-reload budget.
pub const DEBOUNCE: Duration = Duration::from_millis(30);

/// The folders watched recursively, when they exist.
const FOLDERS: [&str; 3] = ["content", "themes", "static"];

/// A watcher on one site.
pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    events: Receiver<DebounceEventResult>,
    watched: BTreeSet<&'static str>,
}

impl Watcher {
    /// Starts watching the site at `root` (made absolute, symlinks resolved).
    pub fn new(root: &Path) -> Result<Watcher, Error> {
        let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
        let (tx, events) = channel();
        let debouncer = new_debouncer(DEBOUNCE, Some(DEBOUNCE / 4), tx)
            .map_err(|e| Error::Usage(format!("cannot watch files: {e}")))?;
        let mut watcher = Watcher {
            root,
            debouncer,
            events,
            watched: BTreeSet::new(),
        };
        // The root alone, for book.toml and for folders created later.
        watcher
            .debouncer
            .watch(&watcher.root, RecursiveMode::NonRecursive)
            .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", watcher.root.display())))?;
        watcher.watch_folders();
        Ok(watcher)
    }

    /// The site folder, absolute.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn watch_folders(&mut self) {
        for folder in FOLDERS {
            let path = self.root.join(folder);
            if self.watched.contains(folder) && !path.is_dir() {
                // Gone: watch it again if it comes back.
                let _ = self.debouncer.unwatch(&path);
                self.watched.remove(folder);
            }
            if !self.watched.contains(folder)
                && path.is_dir()
                && self
                    .debouncer
                    .watch(&path, RecursiveMode::Recursive)
                    .is_ok()
            {
                self.watched.insert(folder);
            }
        }
    }

    /// Waits for the next batch of changes that can matter to the site and returns their
    /// paths relative to the root, `/`-separated and sorted; `None` once the watcher stops.
    pub fn next_batch(&mut self) -> Option<Vec<String>> {
        loop {
            let batch = self.events.recv().ok()?;
            let events = match batch {
                Ok(events) => events,
                Err(errors) => {
                    for e in errors {
                        eprintln!("warning: file watcher: {e}");
                    }
                    continue;
                }
            };
            let mut changed = BTreeSet::new();
            for event in &events {
                // Reading a file (as every build does) is no change; closing one written is.
                if matches!(event.kind, EventKind::Access(a) if a != AccessKind::Close(AccessMode::Write))
                {
                    continue;
                }
                for path in &event.paths {
                    if let Some(rel) = self.relevant(path) {
                        changed.insert(rel);
                    }
                }
            }
            // A folder may have appeared (or come back) since the last batch.
            self.watch_folders();
            if !changed.is_empty() {
                return Some(changed.into_iter().collect());
            }
        }
    }

    /// The root-relative path of a changed file the site may use, or `None` for editor swap
    /// and backup files, hidden files and anything outside the watched sources.
    fn relevant(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let first = parts.first()?;
        let wanted = first == "book.toml" && parts.len() == 1 || FOLDERS.contains(&first.as_str());
        if !wanted || parts.iter().any(|p| is_ignored(p)) {
            return None;
        }
        Some(parts.join("/"))
    }
}

/// "content/a.md changed", "3 files changed (content/a.md, …)".
pub fn describe(changed: &[String]) -> String {
    match changed {
        [one] => format!("{one} changed"),
        [first, ..] => format!("{} files changed ({first}, …)", changed.len()),
        [] => "nothing changed".to_string(),
    }
}
