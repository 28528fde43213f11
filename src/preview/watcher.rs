//! Watching a site's sources (`content/`, `themes/`, `static/`, `book.toml`) with notify, and
//! with `[build] git_dates` the repository's HEAD and branches, whose moves change the dates.
//!
//! A batch starts with the first event that can matter to the site, so a save is acted on at
//! once rather than after a fixed quiet period. What follows it is coalesced: the batch is
//! handed over once the files have been quiet for [`SETTLE`] (and, on Linux, every file written
//! in the batch has been closed), or [`MAX_WAIT`] after its first event, whichever comes
//! first. That joins the steps of every editor's way of saving — in place (truncate, write,
//! close), to a temporary file then renamed over the original (vim, JetBrains safe write),
//! delete then recreate — into one batch of changed paths, and so into one rebuild. Events
//! that arrive while a rebuild runs wait in the channel and make up the next batch.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RenameMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::error::Error;
use crate::model::content_path::is_ignored_path;

/// How long the files must be quiet after an event before the batch is handed over: longer
/// than the gaps between the system calls of one editor's save, short enough to add next to
/// nothing to the time from a save to the reload.
pub const SETTLE: Duration = Duration::from_millis(4);

/// The longest a batch is held after its first event, however busy the files stay (a large
/// checkout, a file kept open for writing): the rest comes in the next batch.
pub const MAX_WAIT: Duration = Duration::from_millis(50);

/// The name a batch gives a move of git's HEAD (a commit, checkout, merge or reset), watched
/// with `[build] git_dates`: pages then show their files' last commit dates, which only a
/// full build reads.
pub const GIT_HEAD: &str = "git HEAD";

/// How long git's files must be quiet before a batch that moved HEAD is handed over, and the
/// longest such a batch is held: a commit, pull or rebase writes one file after another, and
/// each would otherwise start a full rebuild of its own.
const GIT_SETTLE: Duration = Duration::from_millis(100);
const GIT_MAX_WAIT: Duration = Duration::from_secs(1);

/// Whether the platform's watcher reports a written file being closed (inotify does), so a
/// batch can wait for the writes it saw to finish.
const REPORTS_CLOSES: bool = cfg!(any(target_os = "linux", target_os = "android"));

/// The folders watched recursively, when they exist.
const FOLDERS: [&str; 3] = ["content", "themes", "static"];

/// A watcher on one site.
pub struct Watcher {
    root: PathBuf,
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
    watched: BTreeSet<&'static str>,
    /// Whether git's HEAD is to be watched (`[build] git_dates`).
    git_wanted: bool,
    /// The repository's files watched, when wanted and the site is in a repository.
    git: Option<GitFiles>,
}

/// The files of the site's repository that say where HEAD is.
struct GitFiles {
    /// This work tree's git folder (`.git`, or `.git/worktrees/NAME`), which holds HEAD.
    git_dir: PathBuf,
    /// The folder every work tree shares, which holds the branches.
    common_dir: PathBuf,
    /// The commit HEAD was at when last looked: a batch in which it stayed (a branch made
    /// elsewhere, `git gc`) is no move.
    head: Option<String>,
    /// Every path watched, to stop watching them.
    watched: Vec<PathBuf>,
}

impl GitFiles {
    /// Whether a change of `path` may have moved HEAD: HEAD itself, a branch, or the packed
    /// or reftable refs. Lock files are steps of a write whose end is the rename after them.
    fn may_move_head(&self, path: &Path) -> bool {
        if path.extension().is_some_and(|e| e == "lock") {
            return false;
        }
        path == self.git_dir.join("HEAD")
            || path == self.common_dir.join("packed-refs")
            || path.starts_with(self.common_dir.join("refs/heads"))
            || path.starts_with(self.common_dir.join("reftable"))
    }
}

/// The git folder of the work tree holding `root`, and the folder its work trees share, both
/// absolute with links resolved; `None` outside a repository or without git.
fn git_dirs(root: &Path) -> Option<(PathBuf, PathBuf)> {
    let out = crate::model::git::command(root)
        .args(["rev-parse", "--absolute-git-dir", "--git-common-dir"])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let mut lines = text.lines();
    let git_dir = PathBuf::from(lines.next()?);
    // Relative to the folder git ran in, unless absolute.
    let common_dir = root.join(lines.next()?);
    Some((
        git_dir.canonicalize().ok()?,
        common_dir.canonicalize().ok()?,
    ))
}

/// The commit HEAD is at, `None` before the first commit or when git cannot say.
fn head_commit(root: &Path) -> Option<String> {
    let out = crate::model::git::command(root)
        .args(["rev-parse", "--verify", "--quiet", "HEAD"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The changes gathered for one batch.
#[derive(Default)]
struct Batch {
    /// Root-relative paths of the changed files the site may use.
    changed: BTreeSet<String>,
    /// Of those, the files written to (or created) and not closed yet.
    writing: BTreeSet<String>,
    /// Watched folders that were themselves created, removed or renamed: one deleted and made
    /// again within the batch (`rm -rf content && cp -r backup content`) is a new folder, and
    /// the watch on the old one would report nothing more.
    replaced: BTreeSet<&'static str>,
    /// Whether HEAD may have moved: the batch then waits for git to finish.
    git: bool,
}

impl Watcher {
    /// Starts watching the site at `root` (made absolute, symlinks resolved).
    pub fn new(root: &Path) -> Result<Watcher, Error> {
        let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
        let (tx, events) = channel();
        let watcher = notify::recommended_watcher(tx)
            .map_err(|e| Error::Usage(format!("cannot watch files: {e}")))?;
        let mut watcher = Watcher {
            root,
            watcher,
            events,
            watched: BTreeSet::new(),
            git_wanted: false,
            git: None,
        };
        // The root alone, for book.toml and for folders created later.
        watcher
            .watcher
            .watch(&watcher.root, RecursiveMode::NonRecursive)
            .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", watcher.root.display())))?;
        watcher.watch_folders(&BTreeSet::new());
        Ok(watcher)
    }

    /// The site folder, absolute.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Watches the folders that exist and are not watched yet, and again those in `replaced`.
    fn watch_folders(&mut self, replaced: &BTreeSet<&'static str>) {
        for folder in FOLDERS {
            let path = self.root.join(folder);
            if self.watched.contains(folder) && (!path.is_dir() || replaced.contains(folder)) {
                // Gone, or a new folder in its place: watch it again as it is now.
                let _ = self.watcher.unwatch(&path);
                self.watched.remove(folder);
            }
            if !self.watched.contains(folder)
                && path.is_dir()
                && self.watcher.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(folder);
            }
        }
    }

    /// Watches the repository's HEAD and branches when `on` (`[build] git_dates`), so that a
    /// commit, checkout or merge is reported as [`GIT_HEAD`]; stops when not. Outside a
    /// repository nothing is watched (until `on` is set again).
    pub fn watch_git(&mut self, on: bool) {
        if on == self.git_wanted {
            return;
        }
        self.git_wanted = on;
        if let Some(git) = self.git.take() {
            for path in &git.watched {
                let _ = self.watcher.unwatch(path);
            }
        }
        let Some((git_dir, common_dir)) = on.then(|| git_dirs(&self.root)).flatten() else {
            return;
        };
        let mut watched = Vec::new();
        let mut folders = vec![(git_dir.clone(), RecursiveMode::NonRecursive)];
        if common_dir != git_dir {
            folders.push((common_dir.clone(), RecursiveMode::NonRecursive));
        }
        folders.push((common_dir.join("refs/heads"), RecursiveMode::Recursive));
        folders.push((common_dir.join("reftable"), RecursiveMode::Recursive));
        for (path, mode) in folders {
            if path.is_dir() && self.watcher.watch(&path, mode).is_ok() {
                watched.push(path);
            }
        }
        self.git = Some(GitFiles {
            git_dir,
            common_dir,
            head: head_commit(&self.root),
            watched,
        });
    }

    /// Waits for the next batch of changes that can matter to the site and returns their
    /// paths relative to the root, `/`-separated and sorted ([`GIT_HEAD`] for a move of HEAD);
    /// `None` once the watcher stops.
    pub fn next_batch(&mut self) -> Option<Vec<String>> {
        loop {
            let mut batch = self.gather()?;
            if batch.git && batch.changed.contains(GIT_HEAD) && !self.head_moved() {
                batch.changed.remove(GIT_HEAD);
            }
            if !batch.changed.is_empty() {
                return Some(batch.changed.into_iter().collect());
            }
        }
    }

    /// Whether HEAD is at another commit than when last looked.
    fn head_moved(&mut self) -> bool {
        let Some(git) = self.git.as_mut() else {
            return false;
        };
        let now = head_commit(&self.root);
        let moved = now != git.head;
        git.head = now;
        moved
    }

    /// Gathers one batch of events, as the module's documentation says; `None` once the
    /// watcher stops.
    fn gather(&mut self) -> Option<Batch> {
        let mut batch = Batch::default();
        // Reads (every build makes many) and changes to ignored files start no batch.
        while batch.changed.is_empty() {
            let event = self.events.recv().ok()?;
            self.take(event, &mut batch);
        }
        let first = Instant::now();
        let mut last = first;
        loop {
            let (settle, max_wait) = if batch.git {
                (GIT_SETTLE, GIT_MAX_WAIT)
            } else {
                (SETTLE, MAX_WAIT)
            };
            let deadline = if batch.writing.is_empty() {
                (last + settle).min(first + max_wait)
            } else {
                first + max_wait
            };
            let Some(wait) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            match self.events.recv_timeout(wait) {
                Ok(event) => {
                    if self.take(event, &mut batch) {
                        last = Instant::now();
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                // The watcher stopped: hand over what came; the next call returns `None`.
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        // A folder may have appeared (or come back) with this batch.
        self.watch_folders(&batch.replaced);
        Some(batch)
    }

    /// Adds one event to `batch`; whether it was activity on the files (any change, to an
    /// ignored file too), as opposed to a read or an error.
    fn take(&self, event: notify::Result<Event>, batch: &mut Batch) -> bool {
        let event = match event {
            Ok(event) => event,
            Err(e) => {
                eprintln!("warning: file watcher: {e}");
                return false;
            }
        };
        if event.need_rescan() {
            // Events were lost: any file may have changed, so everything is rebuilt.
            batch.changed.extend(FOLDERS.map(String::from));
            return true;
        }
        // Reading a file (as every build does) is no change; closing one written is.
        if matches!(event.kind, EventKind::Access(a) if a != AccessKind::Close(AccessMode::Write)) {
            return false;
        }
        for path in &event.paths {
            if self.git.as_ref().is_some_and(|git| git.may_move_head(path)) {
                batch.changed.insert(GIT_HEAD.to_string());
                batch.git = true;
                continue;
            }
            let Some(rel) = self.relevant(path) else {
                continue;
            };
            if matches!(
                event.kind,
                EventKind::Create(_)
                    | EventKind::Remove(_)
                    | EventKind::Modify(ModifyKind::Name(_))
            ) && let Some(folder) = FOLDERS.into_iter().find(|f| *f == rel)
            {
                batch.replaced.insert(folder);
            }
            if REPORTS_CLOSES {
                match event.kind {
                    EventKind::Create(CreateKind::File)
                    | EventKind::Modify(ModifyKind::Data(_)) => {
                        batch.writing.insert(rel.clone());
                    }
                    EventKind::Access(_)
                    | EventKind::Remove(_)
                    | EventKind::Modify(ModifyKind::Name(RenameMode::From)) => {
                        batch.writing.remove(&rel);
                    }
                    _ => {}
                }
            }
            batch.changed.insert(rel);
        }
        true
    }

    /// The root-relative path of a changed file the site may use, or `None` for editor swap
    /// and backup files, hidden files outside `static/` and anything outside the watched
    /// sources: what the build leaves out, by the same rule.
    fn relevant(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let first = parts.first()?;
        let wanted = first == "book.toml" && parts.len() == 1 || FOLDERS.contains(&first.as_str());
        let rel = parts.join("/");
        if !wanted || is_ignored_path(&rel) {
            return None;
        }
        Some(rel)
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

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{DataChange, RemoveKind};
    use std::sync::mpsc::Sender;

    /// A watcher on a fresh site, and the site's folder.
    fn site() -> (tempfile::TempDir, Watcher) {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("content/guides")).expect("mkdir");
        std::fs::write(dir.path().join("book.toml"), "title = \"t\"\n").expect("write");
        std::fs::write(
            dir.path().join("content/guides/a.md"),
            "---\ntitle: A\n---\nA.\n",
        )
        .expect("write");
        let watcher = Watcher::new(dir.path()).expect("watch");
        (dir, watcher)
    }

    /// A watcher fed by hand rather than by the file system.
    fn fed() -> (tempfile::TempDir, Watcher, Sender<notify::Result<Event>>) {
        let (dir, mut watcher) = site();
        let (tx, rx) = channel();
        watcher.events = rx;
        (dir, watcher, tx)
    }

    fn event(kind: EventKind, root: &Path, rel: &str) -> notify::Result<Event> {
        Ok(Event::new(kind).add_path(root.join(rel)))
    }

    fn modify() -> EventKind {
        EventKind::Modify(ModifyKind::Data(DataChange::Any))
    }

    fn close() -> EventKind {
        EventKind::Access(AccessKind::Close(AccessMode::Write))
    }

    #[test]
    fn events_queued_during_a_rebuild_make_one_batch() {
        let (_dir, mut watcher, tx) = fed();
        let root = watcher.root().to_path_buf();
        let read = EventKind::Access(AccessKind::Open(AccessMode::Any));
        for (kind, rel) in [
            (read, "content/guides/a.md"),
            (modify(), "content/guides/b.md"),
            (close(), "content/guides/b.md"),
            (modify(), "content/guides/.b.md.swp"),
            (
                EventKind::Modify(ModifyKind::Name(RenameMode::To)),
                "content/guides/a.md",
            ),
            (modify(), "public/index.html"),
            (EventKind::Remove(RemoveKind::File), "book.toml"),
        ] {
            tx.send(event(kind, &root, rel)).expect("send");
        }
        assert_eq!(
            watcher.next_batch(),
            Some(vec![
                "book.toml".to_string(),
                "content/guides/a.md".to_string(),
                "content/guides/b.md".to_string(),
            ])
        );
        drop(tx);
        assert_eq!(watcher.next_batch(), None);
    }

    #[test]
    fn reads_and_ignored_files_start_no_batch() {
        let (_dir, mut watcher, tx) = fed();
        let root = watcher.root().to_path_buf();
        let read = EventKind::Access(AccessKind::Open(AccessMode::Any));
        tx.send(event(read, &root, "content/guides/a.md"))
            .expect("send");
        tx.send(event(modify(), &root, "content/guides/a.md~"))
            .expect("send");
        tx.send(event(modify(), &root, "README.md")).expect("send");
        drop(tx);
        assert_eq!(watcher.next_batch(), None);
    }

    #[test]
    fn a_batch_waits_for_a_written_file_to_be_closed() {
        if !REPORTS_CLOSES {
            return;
        }
        let (_dir, mut watcher, tx) = fed();
        let root = watcher.root().to_path_buf();
        tx.send(event(modify(), &root, "content/guides/a.md"))
            .expect("send");
        let writer = std::thread::spawn(move || {
            // Longer than the quiet period, well inside the longest wait.
            std::thread::sleep(SETTLE * 3);
            tx.send(event(modify(), &root, "content/guides/b.md"))
                .expect("send");
            tx.send(event(close(), &root, "content/guides/a.md"))
                .expect("send");
            tx.send(event(close(), &root, "content/guides/b.md"))
                .expect("send");
            tx
        });
        let batch = watcher.next_batch();
        let _tx = writer.join().expect("writer");
        assert_eq!(
            batch,
            Some(vec![
                "content/guides/a.md".to_string(),
                "content/guides/b.md".to_string(),
            ])
        );
    }

    #[test]
    fn a_busy_stream_of_changes_is_cut_into_batches() {
        let (_dir, mut watcher, tx) = fed();
        let root = watcher.root().to_path_buf();
        let writer = std::thread::spawn(move || {
            let started = Instant::now();
            let mut i = 0;
            while started.elapsed() < MAX_WAIT * 6 {
                tx.send(event(modify(), &root, &format!("content/guides/p{i}.md")))
                    .expect("send");
                i += 1;
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        let first = watcher.next_batch().expect("a batch");
        assert!(!writer.is_finished(), "handed over before the writes ended");
        assert!(!first.is_empty());
        writer.join().expect("writer");
    }

    /// Every editor's way of saving, on the real file system: each is seen as a change of the
    /// page and nothing else the site uses.
    #[test]
    fn every_way_of_saving_is_seen() {
        let (dir, mut watcher) = site();
        let page = dir.path().join("content/guides/a.md");
        let saves: [(&str, &dyn Fn()); 3] = [
            ("in place", &|| {
                std::fs::write(&page, "---\ntitle: B\n---\nB.\n").expect("write")
            }),
            ("renamed into place", &|| {
                let tmp = dir.path().join("content/guides/a.md___jb_tmp___");
                std::fs::write(&tmp, "---\ntitle: C\n---\nC.\n").expect("write");
                let old = dir.path().join("content/guides/a.md~");
                std::fs::rename(&page, &old).expect("rename");
                std::fs::rename(&tmp, &page).expect("rename");
                std::fs::remove_file(&old).expect("remove");
            }),
            ("deleted and recreated", &|| {
                std::fs::remove_file(&page).expect("remove");
                std::fs::write(&page, "---\ntitle: D\n---\nD.\n").expect("write");
            }),
        ];
        for (how, save) in saves {
            save();
            let batch = watcher.next_batch().expect("a batch");
            assert_eq!(batch, vec!["content/guides/a.md".to_string()], "{how}");
            // Whatever of this save came late is taken now, not with the next one.
            while watcher.events.recv_timeout(MAX_WAIT).is_ok() {}
        }
    }

    #[test]
    fn a_folder_created_later_is_watched() {
        let (dir, mut watcher) = site();
        std::fs::create_dir(dir.path().join("static")).expect("mkdir");
        assert_eq!(watcher.next_batch(), Some(vec!["static".to_string()]));
        std::fs::write(dir.path().join("static/x.css"), "p {}").expect("write");
        let batch = watcher.next_batch().expect("a batch");
        assert!(batch.contains(&"static/x.css".to_string()), "{batch:?}");
    }

    /// A folder deleted and made again between two batches (`rm -rf content && cp -r saved
    /// content`) is watched as the new folder it is.
    #[test]
    fn a_folder_replaced_within_one_batch_is_watched_again() {
        let (dir, mut watcher) = site();
        let content = dir.path().join("content");
        let saved = dir.path().join("saved");
        std::fs::create_dir_all(saved.join("guides")).expect("mkdir");
        std::fs::write(saved.join("guides/a.md"), "---\ntitle: S\n---\nS.\n").expect("write");
        std::fs::remove_dir_all(&content).expect("rm");
        std::fs::rename(&saved, &content).expect("mv");
        let batch = watcher.next_batch().expect("a batch");
        assert!(batch.contains(&"content".to_string()), "{batch:?}");
        while watcher.events.recv_timeout(MAX_WAIT).is_ok() {}
        std::fs::write(content.join("guides/a.md"), "---\ntitle: T\n---\nT.\n").expect("write");
        assert_eq!(
            watcher.next_batch(),
            Some(vec!["content/guides/a.md".to_string()])
        );
    }

    /// `git` in `dir`, with a committer and no signing; fails the test if git fails.
    fn git(dir: &Path, args: &[&str]) {
        let out = crate::model::git::command(dir)
            .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .output()
            .expect("run git");
        assert!(out.status.success(), "git {args:?}: {out:?}");
    }

    /// Writes `rel` under `root`, then gathers batches until one holds it: every batch from
    /// now to that write, joined.
    fn until_written(watcher: &mut Watcher, root: &Path, rel: &str) -> Vec<String> {
        std::fs::write(root.join(rel), format!("---\ntitle: {rel}\n---\n")).expect("write");
        let mut seen = Vec::new();
        while !seen.iter().any(|p| p == rel) {
            seen.extend(watcher.next_batch().expect("a batch"));
        }
        seen
    }

    /// With `[build] git_dates`, a commit is reported once as [`GIT_HEAD`], even in a site
    /// that is a folder of its repository; a branch made without moving HEAD is not.
    #[test]
    fn a_commit_moves_head_once_and_a_new_branch_does_not() {
        let repo = tempfile::tempdir().expect("tempdir");
        let root = repo.path().join("site");
        std::fs::create_dir_all(root.join("content")).expect("mkdir");
        std::fs::write(root.join("book.toml"), "title = \"t\"\n").expect("write");
        std::fs::write(root.join("content/a.md"), "---\ntitle: A\n---\nA.\n").expect("write");
        git(repo.path(), &["init", "-q"]);
        git(repo.path(), &["add", "."]);
        git(repo.path(), &["commit", "-q", "-m", "first"]);
        let mut watcher = Watcher::new(&root).expect("watch");
        watcher.watch_git(true);
        let heads = |seen: &[String]| seen.iter().filter(|p| *p == GIT_HEAD).count();

        std::fs::write(repo.path().join("notes.txt"), "notes").expect("write");
        git(repo.path(), &["add", "notes.txt"]);
        git(repo.path(), &["commit", "-q", "-m", "second"]);
        let seen = until_written(&mut watcher, &root, "content/b.md");
        assert_eq!(heads(&seen), 1, "{seen:?}");

        git(repo.path(), &["branch", "other"]);
        let seen = until_written(&mut watcher, &root, "content/c.md");
        assert_eq!(heads(&seen), 0, "{seen:?}");

        // Off again: a commit is no change of the site.
        watcher.watch_git(false);
        git(repo.path(), &["add", "."]);
        git(repo.path(), &["commit", "-q", "-m", "third"]);
        let seen = until_written(&mut watcher, &root, "content/d.md");
        assert_eq!(heads(&seen), 0, "{seen:?}");
    }

    /// The watcher leaves out what the build leaves out: hidden files everywhere but in
    /// `static/`, editors' files everywhere.
    #[test]
    fn hidden_files_in_static_are_seen_and_editors_files_are_not() {
        let (dir, watcher) = site();
        let seen = |rel: &str| watcher.relevant(&dir.path().join(rel));
        assert_eq!(
            seen("static/.well-known/security.txt").as_deref(),
            Some("static/.well-known/security.txt")
        );
        assert_eq!(
            seen("themes/t/static/.nojekyll").as_deref(),
            Some("themes/t/static/.nojekyll")
        );
        for ignored in [
            "static/.a.js.swp",
            "static/a.js~",
            "static/a.js.bak",
            "static/.DS_Store",
            "static/.gitkeep",
            "content/.hidden.md",
            "themes/t/templates/.page.html.swp",
            "themes/t/.git/config",
        ] {
            assert_eq!(seen(ignored), None, "{ignored}");
        }
    }
}
