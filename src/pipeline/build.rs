//! `tebiki build`: the whole pipeline — load → index → render → write — over one `Site`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diag::{self, Diagnostic};
use crate::error::Error;
use crate::model::config::{self, Config};
use crate::pipeline::feeds;
use crate::pipeline::glossary;
use crate::pipeline::index::Site;
use crate::pipeline::link;
use crate::pipeline::load;
use crate::pipeline::markup::InlineMarkup;
use crate::pipeline::output::Staging;
use crate::pipeline::render::{self, Sink};
use crate::pipeline::search::{self, SearchIndex};
use crate::pipeline::theme::{StaticFile, Theme};
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
}

/// A site loaded, indexed and linked, with every problem found on the way.
pub struct Prepared {
    pub site: Site,
    /// `None` when the theme itself has errors (they are in `errors`).
    pub theme: Option<Theme>,
    pub errors: Vec<Diagnostic>,
}

/// Runs every stage before rendering: config, theme, load, index, link. Only an unreadable or
/// invalid book.toml stops it early; every other problem is collected in `errors`.
pub fn prepare(root: &Path, drafts: bool, base_url: Option<&str>) -> Result<Prepared, Error> {
    let mut config: Config = config::load(root).map_err(Error::Content)?;
    if let Some(url) = base_url {
        config.set_base_url(url).map_err(Error::Usage)?;
    }
    let theme = Theme::load(root, &config.theme);
    let loaded = load::load(root, &config, drafts);
    let (glossary, glossary_errors) = glossary::load(root, &config);
    let mut errors = loaded.errors.clone();
    errors.extend(glossary_errors);
    let (mut site, index_errors) = Site::index(root.to_path_buf(), config, loaded);
    site.glossary = glossary;
    if let Ok(theme) = &theme {
        let (markup, markup_errors) = InlineMarkup::new(&site, theme);
        site.markup = markup;
        errors.extend(markup_errors);
    }
    errors.extend(index_errors);
    errors.extend(link::render_all(&mut site));
    let theme = match theme {
        Ok(theme) => Some(theme),
        Err(mut theme_errors) => {
            errors.append(&mut theme_errors);
            None
        }
    };
    Ok(Prepared {
        site,
        theme,
        errors,
    })
}

/// Loads, checks and indexes the site at `root`, failing on any error.
pub fn load_site(
    root: &Path,
    drafts: bool,
    base_url: Option<&str>,
) -> Result<(Site, Theme), Error> {
    let Prepared {
        site,
        theme,
        mut errors,
    } = prepare(root, drafts, base_url)?;
    match theme {
        Some(theme) if errors.is_empty() => Ok((site, theme)),
        _ => {
            diag::sort(&mut errors);
            Err(Error::Content(errors))
        }
    }
}

/// Builds the site into a fresh directory and swaps it in place of the output; on any error
/// the previous output is left exactly as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    let started = Instant::now();
    let (site, theme) = load_site(&options.root, options.drafts, options.base_url.as_deref())?;
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| options.root.join(&site.config.output_dir));
    let staging = Staging::prepare(&out)?;
    match write(&site, &theme, &staging) {
        Ok(_) => {
            let out = staging.commit()?;
            Ok(BuildReport {
                out,
                pages: site.pages.len(),
                elapsed: started.elapsed(),
            })
        }
        Err(e) => {
            staging.abandon();
            Err(e)
        }
    }
}

/// Renders every output file of `site` into `sink`: pages, feeds, theme and site static files
/// and content assets. `tebiki build` writes into its staging directory, `tebiki serve` into
/// memory; both get exactly the same files.
pub fn write(site: &Site, theme: &Theme, sink: &dyn Sink) -> Result<Option<SearchIndex>, Error> {
    let mut errors = render::render_all(site, theme, sink);
    if !errors.is_empty() {
        diag::sort(&mut errors);
        return Err(Error::Content(errors));
    }
    let search = write_feeds(site, sink)?;
    let copy = |rel: &str, source: &Path| sink.copy(rel, source).map_err(|e| Error::io(source, e));
    for (rel, file) in &theme.statics {
        if !site.config.search && rel == "search.js" && matches!(file, StaticFile::BuiltIn(_)) {
            // The built-in search client, on a site without search.
            continue;
        }
        match file {
            StaticFile::BuiltIn(bytes) => sink
                .put(rel, bytes)
                .map_err(|e| Error::io(Path::new(rel), e))?,
            StaticFile::Site(path) => copy(rel, path)?,
        }
    }
    let static_dir = site.root.join("static");
    if static_dir.is_dir() {
        for entry in walkdir::WalkDir::new(&static_dir).sort_by_file_name() {
            let entry = entry.map_err(|e| Error::Usage(format!("cannot read static/: {e}")))?;
            if entry.file_type().is_file() {
                let rel = diag::display_path(&static_dir, entry.path());
                copy(&rel, entry.path())?;
            }
        }
    }
    for asset in &site.assets {
        match &asset.bundle {
            Some(bundle) => {
                // Beside every language version of the bundle's page, so relative links work in each.
                let inner = &asset.rel[bundle.len() + 1..];
                let key = format!("{bundle}/index.md");
                for page in site.translations(&key) {
                    copy(&format!("{}{inner}", page.path), &asset.source)?;
                }
            }
            None => copy(&asset.rel, &asset.source)?,
        }
    }
    Ok(search)
}

/// Writes the feeds, search indexes, sitemap and robots.txt; returns the full-text search
/// index (`None` when `[search] enabled = false`), which `serve` keeps to update after edits.
pub fn write_feeds(site: &Site, sink: &dyn Sink) -> Result<Option<SearchIndex>, Error> {
    put_all(sink, feeds::files(site))?;
    if !site.config.search {
        return Ok(None);
    }
    let put = |path: String, text: String| sink.put(&path, text.as_bytes());
    let index = SearchIndex::build(site, &put)
        .and_then(|index| index.write(&put).map(|()| index))
        .map_err(|e| Error::io(Path::new(search::DIR), e))?;
    Ok(Some(index))
}

/// Writes `(path, contents)` pairs into `sink`.
pub fn put_all(sink: &dyn Sink, files: Vec<(String, String)>) -> Result<(), Error> {
    files.par_iter().try_for_each(|(path, text)| {
        sink.put(path, text.as_bytes())
            .map_err(|e| Error::io(Path::new(path), e))
    })
}
