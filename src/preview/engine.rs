//! The rebuild side of `tebiki serve`: keeps the last good site in memory and turns a batch of
//! changed files into a new `Snapshot`. A body-only edit of a page re-renders that page (and its
//! marked translations, whose stale notices depend on it); any other edit of one page that keeps
//! its URL re-renders the pages that show something of it; an edit of glossary definitions
//! re-renders the pages and section intros that use those terms and the glossary pages; any
//! other change rebuilds everything. The result always equals a full build.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{self, Diagnostic};
use crate::error::Error;
use crate::model::content_path::composed;
use crate::pipeline::build;
use crate::pipeline::feeds;
use crate::pipeline::glossary;
use crate::pipeline::ids::{DocId, PageId};
use crate::pipeline::index::{Site, Taxonomy};
use crate::pipeline::link::{self, Sources};
use crate::pipeline::load;
use crate::pipeline::markup::InlineMarkup;
use crate::pipeline::render;
use crate::pipeline::render::invalidate;
use crate::pipeline::search::{self, SearchIndex};
use crate::pipeline::theme::Theme;
use crate::preview::snapshot::{Body, MemorySink, Snapshot};
use crate::preview::watcher::GIT_HEAD;

/// What a batch of changes did to the served site.
pub enum Update {
    /// A new snapshot: `rendered` HTML files were rendered, all of them when `full`.
    Rebuilt {
        snapshot: Arc<Snapshot>,
        rendered: usize,
        full: bool,
        /// Problems that do not stop a build, in what was rendered (all of them when `full`),
        /// sorted: what `[markdown] unsafe_html = false` left out.
        warnings: Vec<Diagnostic>,
    },
    /// Only stylesheets changed. They are read from disk when served: nothing to rebuild.
    Styles,
    /// Only other files served from disk changed (images, static files): a reload shows them.
    Assets,
    /// Nothing the site uses changed.
    Nothing,
}

/// How one changed file affects the site.
#[derive(Debug, PartialEq, Eq)]
enum Change {
    /// Anything that may change more than one page's body: rebuild everything.
    Full,
    /// An existing page file was written: maybe only its body changed.
    Page(PageId),
    /// The glossary was written: maybe only definitions changed.
    Glossary,
    Style,
    Asset,
    Ignored,
}

/// The site being previewed.
pub struct Preview {
    root: PathBuf,
    base_url: String,
    /// The site and theme of the last build, `None` when it failed (the next one is full).
    last: Option<(Site, Theme)>,
    /// The search index of the last build, updated in place after a body edit.
    search: Option<SearchIndex>,
    snapshot: Arc<Snapshot>,
    /// `[build] git_dates` as the last build read book.toml.
    git_dates: bool,
}

impl Preview {
    /// A preview of the site at `root` (an absolute path), linked under `base_url`.
    pub fn new(root: PathBuf, base_url: String) -> Self {
        Preview {
            root,
            base_url,
            last: None,
            search: None,
            snapshot: Arc::default(),
            git_dates: false,
        }
    }

    /// Builds everything, drafts included. On error the last good snapshot stays served.
    pub fn full(&mut self) -> Result<Update, Error> {
        self.last = None;
        self.search = None;
        let prepared = build::prepare(&self.root, true, Some(&self.base_url), Sources::Pack)?;
        self.git_dates = prepared.site.config.git_dates;
        let mut errors = prepared.errors;
        let theme = match prepared.theme {
            Some(theme) if errors.is_empty() => theme,
            _ => {
                self.drop_left_out(&prepared.site);
                // Reported with the errors, as the build reports them: a warning may say why
                // (a link in content/ not followed, so a link to it is broken).
                errors.extend(prepared.warnings);
                diag::sort(&mut errors);
                errors.dedup();
                return Err(Error::Content(errors));
            }
        };
        let sink = MemorySink::new();
        self.search = build::write(&prepared.site, &theme, &sink)?;
        let rendered = sink.html_count();
        self.snapshot = Arc::new(sink.finish());
        self.last = Some((prepared.site, theme));
        Ok(Update::Rebuilt {
            snapshot: self.snapshot.clone(),
            rendered,
            full: true,
            warnings: prepared.warnings,
        })
    }

    /// After a failed build the last good site stays served, but not its content files that
    /// this build leaves out (an SVG given a script since): they are read from disk when
    /// requested, so they would be served as they are now.
    fn drop_left_out(&mut self, site: &Site) {
        if site.left_out.is_empty() {
            return;
        }
        let Ok(content) = self.root.join("content").canonicalize() else {
            return;
        };
        let left_out = |file: &Path| {
            file.strip_prefix(&content).is_ok_and(|rel| {
                let rel = rel.to_string_lossy().replace('\\', "/");
                site.left_out.contains(composed(&rel).as_ref())
            })
        };
        if let Some(kept) = self.snapshot.without_files(left_out) {
            self.snapshot = Arc::new(kept);
        }
    }

    /// Applies a batch of changed files (paths relative to the site root, `/`-separated).
    pub fn update(&mut self, changed: &[String]) -> Result<Update, Error> {
        let Some((site, _)) = &self.last else {
            return self.full();
        };
        let changes: Vec<Change> = changed.iter().map(|rel| self.classify(site, rel)).collect();
        if changes.contains(&Change::Full) {
            return self.full();
        }
        if changes.contains(&Change::Glossary) {
            let only_glossary = changes
                .iter()
                .all(|c| matches!(c, Change::Glossary | Change::Ignored));
            if !only_glossary {
                return self.full();
            }
            return match self.glossary_update() {
                Some(update) => Ok(update),
                None => self.full(),
            };
        }
        let mut pages: Vec<PageId> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Page(i) => Some(*i),
                _ => None,
            })
            .collect();
        pages.sort_unstable();
        pages.dedup();
        if !pages.is_empty() {
            return match self.rerender(&pages) {
                Some(update) => Ok(update),
                None => self.full(),
            };
        }
        Ok(if changes.contains(&Change::Asset) {
            Update::Assets
        } else if changes.contains(&Change::Style) {
            Update::Styles
        } else {
            Update::Nothing
        })
    }

    fn classify(&self, site: &Site, rel: &str) -> Change {
        if rel == GIT_HEAD {
            // A commit, checkout or merge: the last commit dates are read in a full build.
            return if site.config.git_dates {
                Change::Full
            } else {
                Change::Ignored
            };
        }
        let path = self.root.join(rel);
        if matches!(rel, "book.toml" | "content" | "themes" | "static") {
            // A watched folder itself appeared or went away.
            return Change::Full;
        }
        // The snapshot keeps a served file by its real path (a link in static/ resolved).
        let served_file = |out: &str| {
            matches!(self.snapshot.get(out), Some(Body::File(p)) if path.canonicalize().is_ok_and(|real| *p == real))
                && path.is_file()
        };
        let on_disk = |out: &str| match (served_file(out), rel.ends_with(".css")) {
            (true, true) => Change::Style,
            (true, false) => Change::Asset,
            (false, _) => Change::Full,
        };
        if let Some(inner) = rel.strip_prefix("themes/") {
            let out = inner.split_once("/static/").map_or("", |(_, out)| out);
            return on_disk(&composed(out));
        }
        if let Some(out) = rel.strip_prefix("static/") {
            return on_disk(&composed(out));
        }
        let Some(content_rel) = rel.strip_prefix("content/") else {
            return Change::Ignored;
        };
        if through_link(&self.root, rel) {
            // The build does not follow a link in content/ (it warns, and what the link stands
            // for is missing): only a full build reports it.
            return Change::Full;
        }
        if content_rel == site.config.glossary_file {
            return Change::Glossary;
        }
        if path.is_file() {
            if rel.ends_with(".md") {
                return site
                    .pages
                    .iter()
                    .position(|p| p.source.file == rel)
                    .map_or(Change::Full, |i| Change::Page(PageId::new(i)));
            }
            // An edit may make a served picture one the build leaves out (an SVG given a
            // script): only a full build reports it and drops the file.
            let kept = !load::leaves_out(content_rel, &self.root.join("content"), &site.config);
            return if kept && site.assets.iter().any(|a| a.source == path) {
                Change::Asset
            } else {
                Change::Full
            };
        }
        if path.exists() {
            // A folder created, or renamed into place with its files.
            return Change::Full;
        }
        // Gone: it matters if the site used it or anything under it.
        let used = |file: &str| file == rel || file.starts_with(&format!("{rel}/"));
        let pages = site.pages.iter().map(|p| p.source.file.as_str());
        let sections = site
            .sections
            .iter()
            .filter_map(|s| s.source.as_ref().map(|s| s.file.as_str()));
        if pages.chain(sections).any(used)
            || site.assets.iter().any(|a| a.source.starts_with(&path))
        {
            Change::Full
        } else {
            Change::Ignored
        }
    }

    /// After an edit of the glossary that changed only definitions (no term, abbreviation or
    /// alias, so the same text is linked): re-renders the pages that use the changed terms, the
    /// section intros and the glossary pages. `None` means a full rebuild is needed.
    fn glossary_update(&mut self) -> Option<Update> {
        let (site, theme) = self.last.as_mut()?;
        let old = site.glossary.as_ref()?;
        let loaded = glossary::reload(&self.root, &site.config, old);
        let new = loaded
            .value
            .filter(|_| !loaded.diagnostics.iter().any(diag::Diagnostic::is_error))?;
        if !old.same_matching(&new) {
            return None;
        }
        let mut selection = invalidate::shown_by_terms(site, &old.changed_definitions(&new));
        // Glossary entries are search documents of their own, after the pages; only those
        // of the edited terms can change.
        let entries = match self.search {
            Some(_) => search::entry_docs(site, &old.changed_entries(&new)),
            None => Vec::new(),
        };
        let before: Vec<_> = entries
            .iter()
            .map(|&d| (search::doc_terms(site, d), search::doc_fragment(site, d)))
            .collect();
        site.glossary = Some(new);
        // A broken link in a definition: the full build reports it.
        if !glossary::link_definitions(site).is_empty()
            || !glossary::check_definition_anchors(site).is_empty()
        {
            return None;
        }
        let markup = InlineMarkup::new(site, theme);
        if markup.diagnostics.iter().any(diag::Diagnostic::is_error) {
            return None;
        }
        site.markup = markup.value;
        let again = link::render_pages(site, &selection.pages);
        let mut warnings = Vec::new();
        for (&i, mut again) in selection.pages.iter().zip(again) {
            site.pages[i].rendered = again.rendered;
            warnings.append(&mut again.warnings);
        }
        selection.sections = link::render_sections(site)?;
        let mut files = Vec::new();
        if let Some(index) = self.search.as_mut() {
            for (d, (old, old_fragment)) in entries.into_iter().zip(before) {
                let new = search::doc_terms(site, d);
                // Punctuation, Markdown marks or case changed: the same terms, a new snippet.
                if new != old || search::doc_fragment(site, d) != old_fragment {
                    files.extend(index.update_doc(site, d, &old, &new));
                }
            }
        }
        publish(site, theme, &selection, files, warnings, &mut self.snapshot)
    }

    /// Re-reads and re-renders `pages` alone, if each edit left everything other pages show
    /// unchanged: front matter, heading ids and titles, reading time and outgoing links.
    /// `None` means a full rebuild is needed.
    fn rerender(&mut self, pages: &[PageId]) -> Option<Update> {
        let (site, theme) = self.last.as_mut()?;
        let bundles: BTreeSet<String> = site
            .pages
            .iter()
            .filter_map(|p| p.source.bundle.clone())
            .collect();
        let mut changed = Vec::new();
        let mut search_files = Vec::new();
        let mut warnings = Vec::new();
        for &i in pages {
            let old = &site.pages[i];
            let rel = old.source.file.strip_prefix("content/")?;
            let new = load::load_one(&self.root, &site.config, rel, &bundles).ok()?;
            if new.key != old.source.key
                || new.lang != old.source.lang
                || new.kind != old.source.kind
                || new.bundle != old.source.bundle
            {
                return None;
            }
            if new.body_line != old.source.body_line || new.meta != old.source.meta {
                // More than the body changed: other pages show this one's front matter.
                return match pages {
                    [_] => self.page_update(i, new),
                    _ => None,
                };
            }
            if new.body == old.source.body {
                continue;
            }
            let old_targets = link::targets_of(site, i);
            // The glossary pages list the pages that use each term.
            let old_terms = link::terms_of(site, i);
            let previous = std::mem::replace(&mut site.pages[i].source, new);
            let Some(again) = link::render_pages(site, &[i]).pop() else {
                site.pages[i].source = previous;
                return None;
            };
            let old_search = self
                .search
                .as_ref()
                .map(|_| search::doc_terms(site, DocId::of_page(i)));
            let old = &site.pages[i].rendered;
            let same_outside = again.errors.is_empty()
                && again.targets == old_targets
                && again.terms == old_terms
                && again.rendered.ids == old.ids
                && again.rendered.toc == old.toc
                && again.rendered.reading_time() == old.reading_time();
            if !same_outside {
                // Other pages show what changed: re-render those too.
                let new = std::mem::replace(&mut site.pages[i].source, previous);
                return match pages {
                    [_] => self.page_update(i, new),
                    _ => None,
                };
            }
            site.pages[i].rendered = again.rendered;
            warnings.extend(again.warnings);
            if let (Some(index), Some(old)) = (self.search.as_mut(), old_search) {
                let new = search::doc_terms(site, DocId::of_page(i));
                search_files.extend(index.update_doc(site, DocId::of_page(i), &old, &new));
            }
            changed.push(i);
        }
        if changed.is_empty() {
            return Some(Update::Nothing);
        }
        // An original's new version may make its translations stale: their notices change.
        let selection = render::Selection {
            pages: invalidate::shown_by_bodies(site, &changed),
            ..Default::default()
        };
        publish(
            site,
            theme,
            &selection,
            search_files,
            warnings,
            &mut self.snapshot,
        )
    }

    /// After an edit of page `i` (now `new`) that changed more than its body but kept its URL,
    /// language, template, draft state and related list: re-renders the page and every page
    /// that shows something of it — its translations, the pages and section intros linking to it
    /// or to which it links, the pages listing it as related, the list pages of its section, home, tags and
    /// categories that show it or whose order changed, its language's glossary page when that
    /// lists it, the feeds and search page lists of its language, the sitemap when its date
    /// changed, and the search index. `None` means a full rebuild is needed (the site is then
    /// rebuilt from disk, whatever state it was left in).
    fn page_update(&mut self, i: PageId, new: load::SourceFile) -> Option<Update> {
        let (site, theme) = self.last.as_mut()?;
        let old = site.pages[i].meta();
        let values = |list: &[crate::model::frontmatter::AtLine<String>]| -> Vec<String> {
            list.iter().map(|r| r.value.clone()).collect()
        };
        let same_frame = new.meta.slug.as_ref().map(|s| &s.value)
            == old.slug.as_ref().map(|s| &s.value)
            && new.meta.draft == old.draft
            && new.meta.template.as_ref().map(|t| &t.value)
                == old.template.as_ref().map(|t| &t.value)
            && values(&new.meta.related) == values(&old.related)
            && values(&new.meta.aliases) == values(&old.aliases)
            // An alias's redirect page shows the page's title.
            && (old.aliases.is_empty() || new.meta.title == old.title);
        // A glossary definition that links the page may show its title, or point into its
        // headings: every page using the term shows the definition.
        let in_definitions = site
            .glossary
            .as_ref()
            .is_some_and(|g| g.linked_pages.binary_search(&i).is_ok());
        let same_frame = same_frame && (!in_definitions || new.meta.title == old.title);
        if !same_frame {
            return None;
        }
        let new_terms = invalidate::taxonomy_terms_of(&new.meta);
        // A tag or category no page had before gets a new output page, which may meet another
        // file: only a full build claims its path (see `pipeline::claims`).
        let is_new = |(kind, slug): &(Taxonomy, String)| {
            site.taxonomies
                .get(&(*kind, new.lang.clone()))
                .is_none_or(|terms| terms.iter().all(|t| &t.slug != slug))
        };
        if new_terms.iter().any(is_new) {
            return None;
        }
        let mut taxonomy_terms = invalidate::taxonomy_terms_of(old);
        taxonomy_terms.extend(new_terms);
        taxonomy_terms.sort_unstable();
        taxonomy_terms.dedup();
        // Of the page itself, the sitemap shows only its date (its URL and translations stay).
        let lastmod = |site: &Site| {
            let page = &site.pages[i];
            site.updated(page).or(page.meta().date)
        };
        let lastmod_before = lastmod(site);
        let linking = site.pages[i].backlinks.clone();
        let shape = render::pagination::shape(site);
        let lists = invalidate::lists_of(site, i, &taxonomy_terms);
        // The search documents that may change: this page, and the pages linking to it (a link
        // without text shows its title).
        let mut docs: Vec<DocId> = linking.iter().copied().map(DocId::of_page).collect();
        docs.push(DocId::of_page(i));
        let before: Vec<_> = match &self.search {
            Some(_) => docs.iter().map(|&d| search::doc_terms(site, d)).collect(),
            None => Vec::new(),
        };
        let ids_before = in_definitions.then(|| site.pages[i].rendered.ids.clone());
        site.pages[i].source = new;
        // Renders `i` and `linking` again, no other page.
        let relinked = link::relink(site, i, &linking)?;
        if ids_before.is_some_and(|ids| ids != site.pages[i].rendered.ids) {
            return None;
        }
        site.refresh_lists_of(i, &taxonomy_terms);
        // A list page that appears or disappears (a tag's list growing past a page) changes
        // the set of output files: only a full build claims paths and drops old ones.
        if render::pagination::shape(site) != shape {
            return None;
        }
        let mut selection =
            invalidate::shown_by_page(site, i, &linking, &relinked, &taxonomy_terms)?;
        invalidate::narrow_lists(site, i, &lists, &mut selection);
        // Section intros may link to the page: they show its title or point into its headings.
        for s in link::render_sections(site)? {
            selection.list_pages.remove(&render::ListId::Section(s));
            selection.sections.push(s);
        }
        selection.sections.sort_unstable();
        selection.sections.dedup();
        // The feeds and search page lists of the pages rendered again (a linking page's
        // headings may show this one's title).
        let rendered: Vec<PageId> = docs
            .iter()
            .filter_map(|d| d.page(site.pages.len()))
            .collect();
        let dated = lastmod(site) != lastmod_before;
        let mut files = feeds::files_after_edit(site, &rendered, dated);
        if let Some(index) = self.search.as_mut() {
            for (&d, old) in docs.iter().zip(before) {
                files.extend(index.update_doc(site, d, &old, &search::doc_terms(site, d)));
            }
        }
        let warnings = relinked.warnings;
        publish(site, theme, &selection, files, warnings, &mut self.snapshot)
    }

    /// How many pages the last good build has, as `tebiki build` counts them, and how many
    /// drafts besides (`serve` shows drafts; `build` leaves them out).
    pub fn pages(&self) -> (usize, usize) {
        self.last.as_ref().map_or((0, 0), |(site, _)| {
            let drafts = site.pages.iter().filter(|p| p.meta().draft).count();
            (site.pages.len() - drafts, drafts)
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether pages show their files' last commit dates (`[build] git_dates` as the last
    /// build read it): the watcher then watches git's HEAD, whose moves change them.
    pub fn git_dates(&self) -> bool {
        self.git_dates
    }

    /// The site as served now: the last good build.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.clone()
    }
}

/// Whether the file at `rel` (`content/…`, relative to `root`), or a folder on its way below
/// content/, is a symbolic link.
fn through_link(root: &Path, rel: &str) -> bool {
    let mut path = root.join("content");
    rel.split('/').skip(1).any(|part| {
        path.push(part);
        path.symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
    })
}

/// Renders `selection` over the last snapshot, with `files` (feeds and search index files, in
/// the order they were made), and makes the result the served snapshot. `None` when rendering
/// failed, or when `[check.levels]` makes one of `warnings` an error: the caller then rebuilds
/// everything, which reports it as a build does.
fn publish(
    site: &Site,
    theme: &Theme,
    selection: &render::Selection,
    files: Vec<(String, String)>,
    warnings: Vec<Diagnostic>,
    snapshot: &mut Arc<Snapshot>,
) -> Option<Update> {
    let mut warnings = build::levels(site).apply(warnings);
    if warnings.iter().any(Diagnostic::is_error) {
        return None;
    }
    diag::sort(&mut warnings);
    let sink = MemorySink::on(snapshot);
    let rendered = render::render_selection(site, theme, selection, &sink).ok()?;
    // A shard that several documents touched comes once per document, oldest first: only its
    // last version may be written (put_all writes in parallel, in no set order).
    let files: std::collections::BTreeMap<String, String> = files.into_iter().collect();
    build::put_all(&sink, files.into_iter().collect()).ok()?;
    *snapshot = Arc::new(sink.finish());
    Some(Update::Rebuilt {
        snapshot: snapshot.clone(),
        rendered,
        full: false,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE_URL: &str = "http://127.0.0.1:1111/";

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        std::fs::write(path, text).expect("write");
    }

    /// The smallest site: a book.toml and a home page.
    fn site(root: &Path) {
        let book = "[book]\ntitle = \"T\"\nbase_url = \"https://example.org/\"\n";
        write(root, "book.toml", book);
        write(root, "content/_index.md", "---\ntitle: Home\n---\n");
    }

    #[test]
    fn an_edit_that_adds_a_tag_page_over_a_page_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |rel: &str, text: &str| write(dir.path(), rel, text);
        site(dir.path());
        write("static/tags/foo/index.html", "<p>About foo</p>");
        write("content/a.md", "---\ntitle: A\n---\nText.\n");
        let mut preview = Preview::new(dir.path().to_path_buf(), BASE_URL.to_string());
        assert!(preview.full().is_ok());
        write("content/a.md", "---\ntitle: A\ntags: [foo]\n---\nText.\n");
        match preview.update(&["content/a.md".to_string()]) {
            Err(Error::Content(errors)) => assert!(
                errors.iter().any(|d| d.code.name() == "output-collision"
                    && d.message.contains("static/tags/foo/index.html")),
                "{errors:?}"
            ),
            Err(e) => panic!("expected a content error, got {e}"),
            Ok(_) => panic!("the tag page would replace static/tags/foo/index.html"),
        }
    }

    #[test]
    fn a_full_rebuild_refuses_two_files_at_one_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |rel: &str, text: &str| write(dir.path(), rel, text);
        site(dir.path());
        write("content/guides/x.md", "---\ntitle: X\n---\n");
        write("content/guides/x/_index.md", "---\ntitle: X section\n---\n");
        let mut preview = Preview::new(dir.path().to_path_buf(), BASE_URL.to_string());
        match preview.full() {
            Err(Error::Content(errors)) => {
                let collision = errors
                    .iter()
                    .find(|d| d.code.name() == "output-collision")
                    .expect("a collision error");
                assert!(
                    collision.message.contains("content/guides/x.md:1")
                        && collision.message.contains("content/guides/x/_index.md:1"),
                    "{collision:?}"
                );
            }
            Err(e) => panic!("expected a content error, got {e}"),
            Ok(_) => panic!("expected the collision to fail the rebuild"),
        }
    }
}
