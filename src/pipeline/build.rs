//! `tebiki build`: the whole pipeline — load → index → render → write — over one `Site`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diag::{self, Diagnostic};
use crate::error::Error;
use crate::model::config::{self, Config};
use crate::model::content_path::{self, is_ignored_in_static};
use crate::pipeline::aliases;
use crate::pipeline::claims::{self, Claimant};
use crate::pipeline::feeds;
use crate::pipeline::glossary;
use crate::pipeline::index::Site;
use crate::pipeline::link::{self, Sources};
use crate::pipeline::load;
use crate::pipeline::markup::InlineMarkup;
use crate::pipeline::output::{Previous, Staging};
use crate::pipeline::render::{self, Sink};
use crate::pipeline::search::{self, SearchIndex};
use crate::pipeline::theme::{StaticFile, Theme};
use crate::pipeline::timings::stage;
use rayon::prelude::*;

/// What `tebiki build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder (with book.toml).
    pub root: PathBuf,
    /// Output directory; `[build] output_dir` under the root when not given.
    pub out: Option<PathBuf>,
    pub drafts: bool,
    pub base_url: Option<String>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub out: PathBuf,
    pub pages: usize,
    pub elapsed: Duration,
    /// The previous output, moved aside and still to be removed: removed when the report is
    /// dropped, unless handed to [`Previous::remove_in_background`].
    pub previous: Option<Previous>,
    /// What the previous output held at its top that this build did not write, removed with
    /// it (see [`crate::pipeline::output::Committed`]).
    pub dropped: Vec<String>,
    /// Warnings found on the way (what `[markdown] unsafe_html = false` left out), sorted.
    pub warnings: Vec<Diagnostic>,
}

/// A site loaded, indexed and linked, with every problem found on the way.
pub struct Prepared {
    pub site: Site,
    /// `None` when the theme itself has errors (they are in `errors`).
    pub theme: Option<Theme>,
    pub errors: Vec<Diagnostic>,
    /// Problems that do not stop a build.
    pub warnings: Vec<Diagnostic>,
}

/// Runs every stage before rendering: config, theme, load, index, link. Only a book.toml that
/// cannot be read or parsed stops it early; with a wrong value or an unknown key in it the
/// content is still read (with the defaults for what was wrong), so one run reports both.
/// Every problem is collected in `errors`. Pages' Markdown is freed, packed or kept as it is
/// rendered, as `sources` says.
pub fn prepare(
    root: &Path,
    drafts: bool,
    base_url: Option<&str>,
    sources: Sources,
) -> Result<Prepared, Error> {
    let (config, mut errors) = config::load_lenient(root);
    let Some(mut config): Option<Config> = config else {
        return Err(Error::Content(errors));
    };
    if let Some(url) = base_url {
        config.set_base_url(url).map_err(Error::Usage)?;
    }
    let (theme, unloaded) = match stage("theme", || Theme::load(root, &config)).take(&mut errors) {
        Ok(theme) => (Some(theme), None),
        Err(unloaded) => (None, Some(unloaded)),
    };
    let loaded = stage("load", || load::load(root, &config, drafts)).take(&mut errors);
    let glossary = stage("glossary", || glossary::load(root, &config)).take(&mut errors);
    let mut site =
        stage("index", || Site::index(root.to_path_buf(), config, loaded)).take(&mut errors);
    site.glossary = glossary;
    errors.extend(glossary::link_definitions(&mut site));
    if let Some(theme) = &theme {
        site.markup = InlineMarkup::new(&site, theme).take(&mut errors);
    } else if let Some(unloaded) = unloaded {
        site.markup.page_ids = unloaded.page_ids.into();
        site.markup.statics = unloaded.statics;
    }
    errors.extend(special_static_files(root));
    // Every output path claimed once, before anything is written.
    errors.extend(stage("claims", || claims::check(&site, theme.as_ref()))?);
    errors.extend(stage("link", || link::render_all(&mut site, sources)));
    errors.extend(glossary::check_definition_anchors(&site));
    let errors = levels(&site).apply(errors);
    let (errors, mut warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        errors.into_iter().partition(Diagnostic::is_error);
    diag::sort(&mut warnings);
    Ok(Prepared {
        site,
        theme,
        errors,
        warnings,
    })
}

/// The levels in force on `site`: `[check.levels]` and each section's `levels` (those of every
/// language's `_index` of a folder, the default language's first).
pub fn levels(site: &Site) -> crate::diag::codes::Levels {
    let mut levels = crate::diag::codes::Levels {
        book: site.config.check.levels.clone(),
        ..Default::default()
    };
    let mut sections: Vec<_> = site.sections.iter().collect();
    sections.sort_by_key(|s| !site.config.is_default(&s.lang));
    for section in sections {
        if let Some(source) = &section.source {
            let dir = levels.sections.entry(section.dir.clone()).or_default();
            for (code, level) in &source.meta.levels {
                dir.entry(*code).or_insert(*level);
            }
        }
    }
    levels
}

/// Loads, checks and indexes the site at `root`, failing on any error (the warnings are
/// reported with the errors then). Returns the warnings with the site.
pub fn load_site(
    root: &Path,
    drafts: bool,
    base_url: Option<&str>,
) -> Result<(Site, Theme, Vec<Diagnostic>), Error> {
    let Prepared {
        site,
        theme,
        mut errors,
        warnings,
    } = prepare(root, drafts, base_url, Sources::Free)?;
    match theme {
        Some(theme) if errors.is_empty() => Ok((site, theme, warnings)),
        theme => {
            // Render (writing nothing) to report the template errors too, as `check` does.
            if let Some(theme) = &theme {
                errors.extend(render::render_all(&site, theme, &Discard)?);
            }
            errors.extend(warnings);
            diag::sort(&mut errors);
            errors.dedup();
            Err(Error::Content(errors))
        }
    }
}

/// Discards rendered files: rendering to find errors keeps nothing.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
}

/// Builds the site into a fresh directory and swaps it in place of the output; on any error
/// the previous output is left exactly as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    let started = Instant::now();
    let (site, theme, warnings) =
        load_site(&options.root, options.drafts, options.base_url.as_deref())?;
    let out = output_dir(
        &options.root,
        options.out.as_deref(),
        &site.config.output_dir,
        site.config.output_dir_at,
    )?;
    let staging = stage("staging", || {
        Staging::prepare(&out, |_| {
            eprintln!(
                "waiting for the other build writing `{}` to finish",
                out.display()
            );
        })
    })?;
    match write(&site, &theme, &staging) {
        Ok(_) => {
            let committed = stage("commit", || staging.commit())?;
            Ok(BuildReport {
                out: committed.out,
                pages: site.pages.len(),
                elapsed: started.elapsed(),
                previous: committed.previous,
                dropped: committed.dropped,
                warnings,
            })
        }
        Err(e) => {
            staging.abandon();
            Err(e)
        }
    }
}

/// Where a build writes: `-o` if given (a relative one is relative to `root`, like
/// `[build] output_dir`), else `output_dir` under `root`. Refused when it is the site folder,
/// holds it, or is inside `content/`, `static/` or `themes/`: the build reads those, so each
/// build would copy the previous output into the next one.
pub fn output_dir(
    root: &Path,
    out: Option<&Path>,
    output_dir: &str,
    output_dir_at: Option<(usize, usize)>,
) -> Result<PathBuf, Error> {
    let (out, given) = match out {
        Some(out) => (root.join(out), format!("-o {}", out.display())),
        None => {
            let place = output_dir_at.map_or(String::new(), |(line, col)| format!(":{line}:{col}"));
            (
                root.join(output_dir),
                format!("output_dir = \"{output_dir}\" in book.toml{place}"),
            )
        }
    };
    // `public/.` is `public`: renaming a path that ends in `.` fails.
    let out: PathBuf = out.components().collect();
    let site = resolved(root)?;
    let target = resolved(&out)?;
    // Each input folder resolved too: one may be a link to a folder elsewhere.
    let mut inside = None;
    for dir in ["content", "static", "themes"] {
        if target.starts_with(resolved(&site.join(dir))?) {
            inside = Some(dir);
            break;
        }
    }
    let problem = if let Some(dir) = inside {
        format!(
            "is inside the site's {dir}/ folder, which the build reads: every build would copy the previous output into the next"
        )
    } else if target == site {
        "is the site folder itself".to_string()
    } else if site.starts_with(&target) {
        "holds the site folder, which a build would replace".to_string()
    } else {
        return Ok(out);
    };
    Err(Error::Usage(format!(
        "the output directory `{}` ({given}) {problem}; choose a folder outside content/, static/ and themes/, such as `public`",
        target.display()
    )))
}

/// `path` made absolute, with symbolic links and `..` resolved as far as it exists, so that
/// two spellings of one folder compare equal.
fn resolved(path: &Path) -> Result<PathBuf, Error> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| Error::io(Path::new("."), e))?
            .join(path)
    };
    let mut clean = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    let mut existing = clean.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return Ok(rest.iter().rev().fold(real, |p, name| p.join(name)));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(clean),
        }
    }
}

/// Renders every output file of `site` into `sink`: pages, feeds, theme and site static files
/// and content assets. `tebiki build` writes into its staging directory, `tebiki serve` into
/// memory; both get exactly the same files.
pub fn write(site: &Site, theme: &Theme, sink: &dyn Sink) -> Result<Option<SearchIndex>, Error> {
    let mut errors = stage("render", || render::render_all(site, theme, sink))?;
    if !errors.is_empty() {
        diag::sort(&mut errors);
        return Err(Error::Content(errors));
    }
    let search = write_feeds(site, sink)?;
    for (rel, copied) in stage("static files", || copied_files(site, Some(theme)))? {
        match copied {
            Copied::BuiltIn(bytes) => sink
                .put(&rel, bytes)
                .map_err(|e| Error::io(&sink.path_of(&rel), e))?,
            Copied::File(source) => sink.copy(&rel, &source).map_err(|e| {
                // Name the side that failed: the file read, or the copy written.
                let failed = if std::fs::File::open(&source).is_err() {
                    source.clone()
                } else {
                    sink.path_of(&rel)
                };
                Error::io(&failed, e)
            })?,
        }
    }
    Ok(search)
}

/// A file copied into the output as it is.
pub enum Copied {
    BuiltIn(&'static [u8]),
    File(PathBuf),
}

impl Copied {
    pub fn claimant(&self) -> Claimant<'static> {
        match self {
            Copied::BuiltIn(_) => Claimant::BuiltIn,
            Copied::File(path) => Claimant::File(path.clone()),
        }
    }
}

/// The files in `static/` the build cannot copy as they are: named pipes, sockets and devices,
/// there or through a link (`zero.bin -> /dev/zero`), and names that are not UTF-8 (copied,
/// they would be published under a name with `�` in it). Each would be missing from the
/// output, or wrong there, without a word, as it is an error in content/. Found by their
/// metadata: a pipe is never opened, which would wait for a writer.
pub fn special_static_files(root: &Path) -> Vec<Diagnostic> {
    let static_dir = root.join("static");
    if !static_dir.is_dir() {
        return Vec::new();
    }
    let mut errors = Vec::new();
    let mut entries = walkdir::WalkDir::new(&static_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = entries.next() {
        let Ok(e) = entry else {
            continue;
        };
        let is_dir = e.file_type().is_dir();
        let named = e.file_name().to_str();
        if e.depth() > 0 && (named.is_none() || named.is_some_and(is_ignored_in_static)) {
            if named.is_none() {
                errors.push(crate::pipeline::load::not_utf8_name(root, e.path(), is_dir));
            }
            if is_dir {
                entries.skip_current_dir();
            }
            continue;
        }
        if e.file_type().is_file() || is_dir {
            continue;
        }
        let through = if e.path_is_symlink() {
            " (through a symbolic link)"
        } else {
            ""
        };
        errors.push(
            Diagnostic::error(
                diag::Code::Io,
                diag::display_path(root, e.path()),
                format!(
                    "not a regular file but a named pipe, socket or device{through}, which the build cannot copy"
                ),
            )
            .suggest("remove it from static/, or put the file it stands for there"),
        );
    }
    errors
}

/// Every file copied into the output as it is, by output path: the theme's static files (when
/// `theme` is given), the site's `static/` folder, and the files beside pages in `content/`
/// (a bundle's files beside every language version of its page). Symbolic links in `static/`
/// are followed, those in `content/` are not (see [`diag::Code::Symlink`]). A file in the site's
/// `static/` replaces the theme's file of the same name, as in Zola and Hugo: that is an
/// override, not a clash.
pub fn copied_files(site: &Site, theme: Option<&Theme>) -> Result<Vec<(String, Copied)>, Error> {
    let mut own = Vec::new();
    let static_dir = site.root.join("static");
    if static_dir.is_dir() {
        // Links are followed: a linked file is copied as the file it points to.
        for entry in walkdir::WalkDir::new(&static_dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || !is_ignored_in_static(&e.file_name().to_string_lossy())
            })
        {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(&static_dir).to_path_buf();
                Error::io(&path, e.into())
            })?;
            if entry.file_type().is_file() {
                let rel = diag::display_path(&static_dir, entry.path());
                let rel = content_path::composed(&rel).into_owned();
                own.push((rel, Copied::File(entry.path().to_path_buf())));
            }
        }
    }
    let overridden: HashSet<&str> = own.iter().map(|(rel, _)| rel.as_str()).collect();
    let mut files = Vec::new();
    for (rel, file) in theme.map(|t| &t.statics).into_iter().flatten() {
        if overridden.contains(rel.as_str()) {
            continue;
        }
        if !site.config.search && rel == "search.js" && matches!(file, StaticFile::BuiltIn(_)) {
            // The built-in search client, on a site without search.
            continue;
        }
        files.push((
            rel.clone(),
            match file {
                StaticFile::BuiltIn(bytes) => Copied::BuiltIn(bytes),
                StaticFile::Site(path) => Copied::File(path.clone()),
            },
        ));
    }
    files.extend(own);
    for asset in &site.assets {
        match &asset.bundle {
            Some(bundle) => {
                // Beside every language version of the bundle's page, so relative links work in each.
                let inner = &asset.rel[bundle.len() + 1..];
                let key = format!("{bundle}/index.md");
                for page in site.translations(&key) {
                    files.push((
                        format!("{}{inner}", page.path),
                        Copied::File(asset.source.clone()),
                    ));
                }
            }
            None => files.push((asset.rel.clone(), Copied::File(asset.source.clone()))),
        }
    }
    Ok(files)
}

/// Writes the feeds, search indexes, sitemap, robots.txt and the aliases' redirect pages; returns the full-text search
/// index (`None` when `[search] enabled = false`), which `serve` keeps to update after edits.
pub fn write_feeds(site: &Site, sink: &dyn Sink) -> Result<Option<SearchIndex>, Error> {
    stage("feeds", || {
        put_all(sink, feeds::files(site))?;
        put_all(sink, aliases::files(site))
    })?;
    if !site.config.search {
        return Ok(None);
    }
    let put = |path: String, text: String| sink.put(&path, text.as_bytes());
    let index = stage("search index", || SearchIndex::build(site, &put))
        .and_then(|index| stage("search write", || index.write(&put)).map(|()| index))
        .map_err(|e| Error::io(Path::new(search::DIR), e))?;
    Ok(Some(index))
}

/// Writes `(path, contents)` pairs into `sink`.
pub fn put_all(sink: &dyn Sink, files: Vec<(String, String)>) -> Result<(), Error> {
    files.par_iter().try_for_each(|(path, text)| {
        sink.put(path, text.as_bytes())
            .map_err(|e| Error::io(&sink.path_of(path), e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sink on a full disk.
    struct Full;

    impl Sink for Full {
        fn put(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
            Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
        }

        fn path_of(&self, path: &str) -> PathBuf {
            Path::new("/out").join(path)
        }
    }

    #[test]
    fn a_full_disk_is_an_io_error_naming_the_file_not_a_content_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let put = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
            std::fs::write(path, text).expect("write");
        };
        put(
            "book.toml",
            "[book]\ntitle = \"T\"\nbase_url = \"https://example.org/\"\n",
        );
        put("content/_index.md", "---\ntitle: Home\n---\n");
        put("content/a.md", "---\ntitle: A\n---\nText.\n");
        let (site, theme, _) = load_site(dir.path(), false, None).expect("site loads");
        let Err(error) = write(&site, &theme, &Full) else {
            panic!("the disk is full, yet the site was written");
        };
        assert_eq!(error.exit_code(), 2, "{error}");
        match &error {
            Error::Io { path, .. } => assert!(path.starts_with("/out"), "{error}"),
            other => panic!("expected an I/O error, got {other:?}"),
        }
    }
}
