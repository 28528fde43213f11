//! The link stage: renders every Markdown body with its cross-links resolved. A link to
//! another content file (`other.md`, `../briefs/x.md#frag`, `@/guides/x.md`, `bundle/`,
//! `_index.md`) becomes the URL of the version in the linking page's language, falling back to
//! the original with `hreflang` and a language badge. Each link is one hash lookup; fragments
//! are checked against the heading ids the renderer collected, once every page is rendered, so
//! nothing is parsed twice. Backlinks come from the same pass.

use std::cell::OnceCell;
use std::path::Path;

use rayon::prelude::*;

use crate::diag::{Code, Diagnostic, LineIndex, closest, did_you_mean};
use crate::model::config::LinkMode;
use crate::model::content_path::{CONTENT_DIR, ContentPath, composed, is_ignored_in_static};
use crate::model::url::{self, percent_decode};
use crate::pipeline::claims;
use crate::pipeline::escape::escape;
use crate::pipeline::ids::{PageId, SectionId, TermId};
use crate::pipeline::index::{Addressed, Site, Taxonomy};
use crate::pipeline::load::SourceFile;
use crate::pipeline::markdown::{self, LinkRewrite, Links, Rendered, TermMarkup};
use crate::pipeline::packed::Text;
use crate::pipeline::render::pagination;

/// What a link points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Page(PageId),
    Section(SectionId),
}

impl Target {
    /// Its output path, language and title.
    pub fn parts(self, site: &Site) -> (&str, &str, &str) {
        match self {
            Target::Page(i) => {
                let p = &site.pages[i];
                (&p.path, &p.source.lang, p.title())
            }
            Target::Section(i) => {
                let s = &site.sections[i];
                (&s.path, &s.lang, &s.title)
            }
        }
    }
}

/// The file a link is written in.
#[derive(Debug, Clone, Copy)]
enum BodyOf {
    Page(PageId),
    Section(SectionId),
}

/// A `#fragment` to check once the target is rendered.
struct PendingAnchor {
    origin: BodyOf,
    /// The link's file line and column.
    at: (usize, usize),
    target: Target,
    fragment: String,
}

/// What rendering one body found out about its links.
#[derive(Default)]
struct Report {
    errors: Vec<Diagnostic>,
    anchors: Vec<PendingAnchor>,
    /// Pages this body links to.
    targets: Vec<PageId>,
    /// Glossary terms this page uses (linked automatically or explicitly).
    terms: Vec<TermId>,
    /// What `[markdown] unsafe_html = false` left out, at its file line and column.
    dropped: Vec<(markdown::Dropped, (usize, usize))>,
}

/// What becomes of pages' Markdown once rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sources {
    /// Freed: a one-off build needs only the HTML afterwards. On 100,000 pages that is most
    /// of the memory the stage would hold.
    Free,
    /// Packed: `serve` renders a page again after an edit of a page it links to, and holds
    /// every page's Markdown for as long as it runs (96 MB on 10,000 pages; packed, `serve`
    /// holds about 45 MiB less).
    Pack,
    /// Kept as read: `check` compares originals with their translations.
    Keep,
}

/// Renders every page and section body with links resolved, checks every fragment and fills
/// in backlinks. Returns every broken link, and a warning for each thing `[markdown]
/// unsafe_html = false` left out. Pages' Markdown is then freed, packed or kept (`sources`),
/// a chunk of pages at a time.
pub fn render_all(site: &mut Site, sources: Sources) -> Vec<Diagnostic> {
    const CHUNK: usize = 4096;
    let mut pages: Vec<(Rendered, Report)> = Vec::with_capacity(site.pages.len());
    let ids: Vec<PageId> = site.page_ids().collect();
    for chunk in ids.chunks(CHUNK) {
        let site_ref: &Site = site;
        let done: Vec<((Rendered, Report), Option<Text>)> = chunk
            .par_iter()
            .map(|&i| {
                let body = &site_ref.pages[i].source.body;
                let after = match sources {
                    Sources::Free => Some(Text::default()),
                    Sources::Pack => Some(body.packed()),
                    Sources::Keep => None,
                };
                (render_one(site_ref, BodyOf::Page(i)), after)
            })
            .collect();
        for (&i, (page, after)) in chunk.iter().zip(done) {
            pages.push(page);
            if let Some(body) = after {
                site.pages[i].source.body = body;
            }
        }
    }
    let sections = render_section_bodies(site);

    let mut reports = Vec::with_capacity(pages.len());
    for (i, (rendered, report)) in site.page_ids().zip(pages) {
        site.pages[i].rendered = rendered;
        reports.push((BodyOf::Page(i), report));
    }
    for (i, result) in site.section_ids().zip(sections) {
        if let Some((rendered, report)) = result {
            site.sections[i].rendered = rendered;
            reports.push((BodyOf::Section(i), report));
        }
    }

    let mut errors = Vec::new();
    for (origin, report) in &mut reports {
        errors.extend(dropped_warnings(
            source_of(site, *origin),
            std::mem::take(&mut report.dropped),
        ));
    }
    let mut backlinks: Vec<Vec<PageId>> = vec![Vec::new(); site.pages.len()];
    let term_count = site.glossary.as_ref().map_or(0, |g| g.terms.len());
    let mut term_uses: Vec<Vec<PageId>> = vec![Vec::new(); term_count];
    for (origin, report) in reports {
        errors.extend(report.errors);
        for anchor in report.anchors {
            if let Some(e) = check_anchor(site, &anchor) {
                errors.push(e);
            }
        }
        match origin {
            BodyOf::Page(from) => {
                for target in report.targets {
                    if target != from {
                        backlinks[target.index()].push(from);
                    }
                }
                for term in report.terms {
                    term_uses[term.index()].push(from);
                }
            }
            BodyOf::Section(i) => site.sections[i].links_to = sorted(report.targets),
        }
    }
    for (page, list) in site.pages.iter_mut().zip(backlinks) {
        page.backlinks = sorted(list);
    }
    for list in &mut term_uses {
        list.sort_unstable();
        list.dedup();
    }
    site.term_uses = term_uses;
    errors
}

/// One page's body rendered again against the current site, after an edit.
pub struct Rerendered {
    pub rendered: Rendered,
    /// The pages its body links to (itself excluded), sorted: they list it as a backlink.
    pub targets: Vec<PageId>,
    /// Glossary terms the body uses, sorted.
    pub terms: Vec<TermId>,
    /// Broken links and anchors in the body. Anchors are checked against the heading ids the
    /// site holds now, so they are only right if the page's own ids did not change.
    pub errors: Vec<Diagnostic>,
    /// What `[markdown] unsafe_html = false` left out of the body.
    pub warnings: Vec<Diagnostic>,
}

/// Renders the bodies of `pages` again (their sources already replaced in `site`), in parallel,
/// for `serve`'s incremental rebuilds. `site` is not changed.
pub fn render_pages(site: &Site, pages: &[PageId]) -> Vec<Rerendered> {
    pages
        .par_iter()
        .map(|&index| {
            let (mut again, anchors) = render_page(site, index);
            again
                .errors
                .extend(anchors.iter().filter_map(|a| check_anchor(site, a)));
            again
        })
        .collect()
}

/// One page's body rendered again, with its anchors left to check.
fn render_page(site: &Site, index: PageId) -> (Rerendered, Vec<PendingAnchor>) {
    let (rendered, report) = render_one(site, BodyOf::Page(index));
    let mut targets: Vec<PageId> = report.targets.into_iter().filter(|&t| t != index).collect();
    targets.sort_unstable();
    targets.dedup();
    let mut terms = report.terms;
    terms.sort_unstable();
    terms.dedup();
    let again = Rerendered {
        rendered,
        targets,
        terms,
        errors: report.errors,
        warnings: dropped_warnings(source_of(site, BodyOf::Page(index)), report.dropped),
    };
    (again, report.anchors)
}

/// The pages whose backlinks list page `i` today: the pages its body links to.
pub fn targets_of(site: &Site, i: PageId) -> Vec<PageId> {
    site.page_ids()
        .filter(|&t| site.pages[t].backlinks.binary_search(&i).is_ok())
        .collect()
}

/// The glossary terms whose uses list page `i` today.
pub fn terms_of(site: &Site, i: PageId) -> Vec<TermId> {
    (0..site.term_uses.len())
        .map(TermId::new)
        .filter(|&t| site.uses_of(t).binary_search(&i).is_ok())
        .collect()
}

/// What re-linking one page changed in what other pages show of it.
#[derive(Debug, Default)]
pub struct Relinked {
    /// The pages its body linked to before the edit, and after: both list it as a backlink
    /// (or did), so both show something of it.
    pub targets_before: Vec<PageId>,
    pub targets_after: Vec<PageId>,
    /// The glossary terms its body used before and after.
    pub terms_before: Vec<TermId>,
    pub terms_after: Vec<TermId>,
    /// What `[markdown] unsafe_html = false` left out of the bodies rendered again.
    pub warnings: Vec<Diagnostic>,
}

/// Renders page `i`'s body again, and the bodies of `linking` (pages that link to it, which
/// may show its title or point into its headings), after `i`'s source was replaced in `site`;
/// keeps backlinks and term uses in step. `None` when a body has errors (nothing is changed
/// then but the page's source).
pub fn relink(site: &mut Site, i: PageId, linking: &[PageId]) -> Option<Relinked> {
    let targets_before = targets_of(site, i);
    let terms_before = terms_of(site, i);
    // The page first, in place: links into its headings, its own included, are checked
    // against the ids it has now, which the edit may have renamed.
    let (page, anchors) = render_page(site, i);
    let Rerendered {
        rendered,
        targets: targets_after,
        terms: terms_after,
        errors,
        mut warnings,
    } = page;
    if !errors.is_empty() {
        return None;
    }
    let before = std::mem::replace(&mut site.pages[i].rendered, rendered);
    let again = render_pages(site, linking);
    if anchors.iter().any(|a| check_anchor(site, a).is_some())
        || again.iter().any(|a| !a.errors.is_empty())
    {
        site.pages[i].rendered = before;
        return None;
    }
    for (&p, mut again) in linking.iter().zip(again) {
        site.pages[p].rendered = again.rendered;
        warnings.append(&mut again.warnings);
    }
    for &t in targets_before.iter().filter(|t| !targets_after.contains(t)) {
        site.pages[t].backlinks.retain(|&b| b != i);
    }
    for &t in targets_after.iter().filter(|t| !targets_before.contains(t)) {
        insert_sorted(&mut site.pages[t].backlinks, i);
    }
    for &t in terms_before.iter().filter(|t| !terms_after.contains(t)) {
        site.term_uses[t.index()].retain(|&p| p != i);
    }
    for &t in terms_after.iter().filter(|t| !terms_before.contains(t)) {
        insert_sorted(&mut site.term_uses[t.index()], i);
    }
    Some(Relinked {
        targets_before,
        targets_after,
        terms_before,
        terms_after,
        warnings,
    })
}

fn insert_sorted(list: &mut Vec<PageId>, value: PageId) {
    if let Err(at) = list.binary_search(&value) {
        list.insert(at, value);
    }
}

/// Renders the body of every section that has an `_index` file, in parallel.
fn render_section_bodies(site: &Site) -> Vec<Option<(Rendered, Report)>> {
    (0..site.sections.len())
        .into_par_iter()
        .map(SectionId::new)
        .map(|i| {
            site.sections[i]
                .source
                .as_ref()
                .map(|_| render_one(site, BodyOf::Section(i)))
        })
        .collect()
}

/// Renders the intro of every section again, after an edit that may change what an intro
/// shows: a glossary definition, or a page's title or heading ids (an intro's links may show
/// the title, or point into the headings). Returns the sections whose intro came out
/// different, or `None` when an intro now has a broken link or anchor (only a full build
/// reports it).
pub fn render_sections(site: &mut Site) -> Option<Vec<SectionId>> {
    let rendered = render_section_bodies(site);
    let broken = |report: &Report| {
        !report.errors.is_empty()
            || report
                .anchors
                .iter()
                .any(|a| check_anchor(site, a).is_some())
    };
    if rendered.iter().flatten().any(|(_, report)| broken(report)) {
        return None;
    }
    let mut changed = Vec::new();
    for (i, rendered) in site.section_ids().zip(rendered) {
        if let Some((rendered, report)) = rendered
            && rendered.html != site.sections[i].rendered.html
        {
            site.sections[i].rendered = rendered;
            site.sections[i].links_to = sorted(report.targets);
            changed.push(i);
        }
    }
    Some(changed)
}

/// The address a root-relative link names as a page's or section's: `guides/x/` for
/// `guides/x`, `guides/x/` and `guides/x/index.html`.
fn page_address(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) => dir.to_string(),
        None if path.is_empty() || path.ends_with('/') => path.to_string(),
        None => format!("{path}/"),
    }
}

/// Whether the build writes anything at `path` (from the site's root, `/` removed): a page or
/// a section's list, or what [`site_writes`] finds. Both relative and rooted links to
/// something that is not a page go through it, so they agree on what exists.
fn builds(site: &Site, path: &str) -> bool {
    site.at_address(&page_address(path)).is_some() || site_writes(site, path)
}

/// Whether the build writes a file or a list page at `path` (from the site's root, `/`
/// removed; pages and sections are found by [`Site::at_address`]): a file from static/ or the
/// theme, a file from content/ (one in a page bundle beside each language version of its
/// page), a generated file (feeds, the sitemap, the search index), a later page of a
/// section's list, a tag or category page, or the glossary page.
fn site_writes(site: &Site, path: &str) -> bool {
    if path.split('/').any(|part| part == ".." || part == ".") {
        return false;
    }
    // A file's address has no `/` at its end: only pages and lists answer to one.
    let file = if path.ends_with('/') { "" } else { path };
    let in_static = !file.is_empty()
        && !file.split('/').any(is_ignored_in_static)
        && is_file_in(&site.root.join("static"), file);
    let in_theme =
        site.markup.statics.contains(file) && (site.config.search || file != "search.js");
    let asset = |rel: &str| {
        site.assets
            .binary_search_by(|a| a.rel.as_str().cmp(rel))
            .ok()
            .map(|at| &site.assets[at])
    };
    let in_content = asset(file).is_some_and(|a| a.bundle.is_none())
        // A bundle's file, beside a language version of its page (`ja/guides/report/x.png`).
        || file.match_indices('/').any(|(at, _)| {
            let (dir, inner) = (&file[..=at], &file[at + 1..]);
            matches!(
                site.at_address(dir),
                Some(Addressed::Page(i)) if site.pages[i].source.bundle.as_ref().is_some_and(|b| {
                    asset(&format!("{b}/{inner}")).is_some()
                })
            )
        });
    if !file.is_empty()
        && (in_static || in_theme || in_content || claims::generated_file(site, file))
    {
        return true;
    }
    // A folder of static/ with an index.html, as hosts serve it (`/docs/`).
    if path.ends_with('/')
        && !path.split('/').any(is_ignored_in_static)
        && is_file_in(&site.root.join("static"), &format!("{path}index.html"))
    {
        return true;
    }
    let page = page_address(path);
    // A later page of a list: `…/page/N/`, N from 2 to its number of pages.
    let later = |list: &str, pages: usize| {
        page.strip_prefix(list)
            .and_then(|rest| rest.strip_prefix("page/"))
            .and_then(|n| n.strip_suffix('/'))
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| (2..=pages).contains(&n))
    };
    if let Some((list, _)) = page.rsplit_once("page/")
        && let Some(Addressed::Section(i)) = site.at_address(list)
        && later(list, pagination::section_pages(site, &site.sections[i]))
    {
        return true;
    }
    site.config.languages.iter().any(|l| {
        (site.glossary.is_some() && page == site.glossary_path(&l.code))
            || Taxonomy::ALL.iter().any(|&kind| {
                let list = site.taxonomy_path(kind, &l.code, None);
                let Some(rest) = page.strip_prefix(list.as_str()) else {
                    return false;
                };
                rest.is_empty()
                    || site
                        .taxonomies
                        .get(&(kind, l.code.clone()))
                        .is_some_and(|terms| {
                            terms.iter().enumerate().any(|(i, t)| {
                                let term = format!("{list}{}/", t.slug);
                                page == term
                                    || later(&term, pagination::term_pages(site, kind, &l.code, i))
                            })
                        })
            })
    })
}

/// `targets` sorted, each once.
fn sorted(mut targets: Vec<PageId>) -> Vec<PageId> {
    targets.sort_unstable();
    targets.dedup();
    targets
}

fn source_of(site: &Site, origin: BodyOf) -> &SourceFile {
    match origin {
        BodyOf::Page(i) => &site.pages[i].source,
        BodyOf::Section(i) => site.sections[i]
            .source
            .as_ref()
            .expect("only sections with a source are rendered"),
    }
}

fn render_one(site: &Site, origin: BodyOf) -> (Rendered, Report) {
    let source = source_of(site, origin);
    let lang = match origin {
        BodyOf::Page(i) => site.pages[i].source.lang.as_str(),
        BodyOf::Section(i) => site.sections[i].lang.as_str(),
    };
    let body = source.body.as_str();
    let mut links = PageLinks {
        site,
        source,
        body: &body,
        origin,
        lang,
        report: Report::default(),
        linked_terms: vec![0; site.glossary.as_ref().map_or(0, |g| g.terms.len())],
        lines: OnceCell::new(),
    };
    let mut rendered = markdown::render(&body, &mut links);
    // Every body's HTML is held until the site is written (in `serve`, for as long as it
    // runs): packed, a 10,000-page site holds about 90 MiB less.
    rendered.html.pack();
    (rendered, links.report)
}

/// One warning for each thing `[markdown] unsafe_html = false` left out of a body, at its
/// file line and column (one line index a body, however many there are).
fn dropped_warnings(
    source: &SourceFile,
    dropped: Vec<(markdown::Dropped, (usize, usize))>,
) -> Vec<Diagnostic> {
    let total = dropped.len();
    let mut warnings: Vec<Diagnostic> = dropped
        .into_iter()
        .take(MAX_DROPPED_WARNINGS)
        .map(|(what, (line, col))| {
            let (code, instead) = match what {
                markdown::Dropped::Html(_) => (Code::RawHtml, "write it in Markdown"),
                markdown::Dropped::Url(_) => {
                    (Code::UnsafeUrl, "link to an http(s) address or a file of the site")
                }
                markdown::Dropped::Attributes(_) => {
                    (Code::HeadingAttributes, "keep only `#id` and `.class`")
                }
                markdown::Dropped::Shortcode(_) => {
                    return Diagnostic::warning(Code::Shortcode, &source.file, what.describe())
                        .at(line, col)
                        .suggest("tebiki has no shortcodes: write a link to a page as `[text](@/guides/x.md)`, an image as `![text](file.png)`, the rest in Markdown");
                }
                markdown::Dropped::RemoteImage(_) => {
                    return Diagnostic::warning(Code::RemoteImage, &source.file, what.describe())
                        .at(line, col);
                }
                markdown::Dropped::More => {
                    return Diagnostic::warning(Code::RawHtml, &source.file, what.describe())
                        .at(line, col)
                        .suggest("write the summary as `summary` in the front matter, and remove the marker");
                }
            };
            Diagnostic::warning(code, &source.file, what.describe())
                .at(line, col)
                .suggest(format!(
                    "{instead}; if every writer of this site is trusted, set `unsafe_html = true` under `[markdown]` in book.toml"
                ))
        })
        .collect();
    if total > MAX_DROPPED_WARNINGS
        && let Some(last) = warnings.last()
    {
        let more = total - MAX_DROPPED_WARNINGS;
        warnings.push(
            Diagnostic::warning(
                Code::RawHtml,
                &source.file,
                format!("{more} more pieces of raw HTML or unsafe URLs were left out of this file"),
            )
            .at(last.line, last.column)
            .suggest("set `unsafe_html = true` under `[markdown]` in book.toml if every writer of this site is trusted"),
        );
    }
    warnings
}

/// Warnings about left-out HTML shown one by one for a file; the rest are counted in one more.
const MAX_DROPPED_WARNINGS: usize = 20;

fn check_anchor(site: &Site, anchor: &PendingAnchor) -> Option<Diagnostic> {
    let same_page =
        matches!((anchor.origin, anchor.target), (BodyOf::Page(a), Target::Page(b)) if a == b);
    let file = &source_of(site, anchor.origin).file;
    missing_anchor(site, anchor.target, &anchor.fragment, file, same_page)
        .map(|e| e.at(anchor.at.0, anchor.at.1))
}

/// The error for a `#fragment` that is not a heading id of `target`, once `target` is
/// rendered, with the nearest id suggested, in `file` (the position is the caller's).
pub fn missing_anchor(
    site: &Site,
    target: Target,
    fragment: &str,
    file: &str,
    same_page: bool,
) -> Option<Diagnostic> {
    let (ids, target_file) = match target {
        Target::Page(i) => (
            &site.pages[i].rendered.ids,
            site.pages[i].source.file.as_str(),
        ),
        Target::Section(i) => {
            let s = &site.sections[i];
            (
                &s.rendered.ids,
                s.source
                    .as_ref()
                    .map_or(s.dir.as_str(), |src| src.file.as_str()),
            )
        }
    };
    if ids.iter().any(|id| id == fragment) {
        return None;
    }
    let place = if same_page {
        "on this page".to_string()
    } else {
        format!("in {target_file}")
    };
    Some(
        Diagnostic::error(
            Code::MissingAnchor,
            file,
            format!("`#{fragment}` is not a heading id {place}"),
        )
        .maybe_suggest(
            did_you_mean(fragment, ids.iter().map(String::as_str)).or_else(|| {
                (!ids.is_empty()).then(|| format!("the headings there are: #{}", ids.join(", #")))
            }),
        ),
    )
}

struct PageLinks<'a> {
    site: &'a Site,
    source: &'a SourceFile,
    /// The source's Markdown, unpacked.
    body: &'a str,
    origin: BodyOf,
    lang: &'a str,
    report: Report,
    /// How often each term was linked on this page so far (by term index): `link = "first"`
    /// skips linked terms, and later occurrences' tooltips get numbered ids.
    linked_terms: Vec<u32>,
    /// The body's line starts, made the first time a position is needed.
    lines: OnceCell<LineIndex<'a>>,
}

impl Links for PageLinks<'_> {
    fn unsafe_html(&self) -> bool {
        self.site.config.unsafe_html
    }

    fn heading_ids(&self) -> crate::model::config::HeadingIds {
        self.site.config.heading_ids
    }

    fn duplicate_footnote(&mut self, label: &str, offset: usize) {
        let e = Diagnostic::error(
            Code::DuplicateFootnote,
            &self.source.file,
            format!("footnote `[^{label}]` is defined twice; references show the first"),
        )
        .suggest("give this definition a label of its own and refer to it, or remove it");
        self.report_error(e, offset);
    }

    fn taken_ids(&self) -> std::sync::Arc<[String]> {
        self.site.markup.page_ids.clone()
    }

    fn lang(&self) -> &str {
        self.lang
    }

    fn dropped(&mut self, what: markdown::Dropped, offset: usize) {
        let at = self.at(offset);
        self.report.dropped.push((what, at));
    }

    fn link(&mut self, dest: &str, title: &str, offset: usize) -> Option<LinkRewrite> {
        if let Some(id) = dest.strip_prefix("term:") {
            return self.term_link(id, offset);
        }
        if let Some(fragment) = dest.strip_prefix('#') {
            if let BodyOf::Page(i) = self.origin
                && !fragment.is_empty()
            {
                self.report.anchors.push(PendingAnchor {
                    origin: self.origin,
                    at: self.at(offset),
                    target: Target::Page(i),
                    fragment: percent_decode(fragment),
                });
            }
            return None;
        }
        if has_scheme(dest) || dest.starts_with("//") {
            return None;
        }
        if let Some(rooted) = dest.strip_prefix('/') {
            // A page or section: a link like `@/` ones (backlinks, its #fragment checked).
            let (path, suffix) = rooted.split_at(rooted.find(['?', '#']).unwrap_or(rooted.len()));
            if let Some(at) = self.site.at_address(&page_address(&link_path(path))) {
                let target = match at {
                    Addressed::Page(i) => Target::Page(i),
                    Addressed::Section(i) => Target::Section(i),
                };
                let fragment = suffix.split_once('#').map(|(_, f)| percent_decode(f));
                return Some(self.rewrite(target, suffix, fragment, title, offset));
            }
            return self.rooted(rooted, offset).map(|href| LinkRewrite {
                href,
                ..LinkRewrite::default()
            });
        }
        let (path, suffix) = dest.split_at(dest.find(['?', '#']).unwrap_or(dest.len()));
        let fragment = suffix.split_once('#').map(|(_, f)| percent_decode(f));
        let path = link_path(path);
        let rooted = path.strip_prefix("@/");
        let is_content = rooted.is_some() || path.ends_with(".md") || path.ends_with('/');
        if !is_content {
            // A PDF or another file beside the page.
            return self.file(&path, suffix, offset).map(|href| LinkRewrite {
                href,
                ..LinkRewrite::default()
            });
        }
        match self
            .from()
            .resolve(rooted.unwrap_or(&path), rooted.is_some())
        {
            Ok(Some(target)) => Some(self.rewrite(target, suffix, fragment, title, offset)),
            Ok(None) => None,
            Err(e) => {
                self.report_error(e, offset);
                None
            }
        }
    }

    fn image(&mut self, dest: &str, offset: usize) -> Option<String> {
        if url::is_remote(dest) {
            let e = Diagnostic::warning(
                Code::RemoteImage,
                &self.source.file,
                format!("the image `{dest}` is loaded from another host: every reader's browser asks that host for it"),
            )
            .suggest("save the image beside the page or in static/ and show it from there");
            self.report_error(e, offset);
            return None;
        }
        if dest.starts_with('#') || has_scheme(dest) || dest.starts_with("//") {
            return None;
        }
        if let Some(rooted) = dest.strip_prefix('/') {
            return self.rooted(rooted, offset);
        }
        let (path, suffix) = dest.split_at(dest.find(['?', '#']).unwrap_or(dest.len()));
        self.file(&link_path(path), suffix, offset)
    }

    fn terms(&mut self, text: &str, sentence_start: bool) -> Vec<TermMarkup> {
        let Some(glossary) = &self.site.glossary else {
            return Vec::new();
        };
        let mode = self.site.config.glossary_link;
        if mode == LinkMode::None || !self.source.meta.glossary {
            return Vec::new();
        }
        let mut out = Vec::new();
        let first_only = mode == LinkMode::First;
        let linked = &self.linked_terms;
        let found = glossary.find(text, self.lang, sentence_start, |term| {
            first_only && linked[term.index()] > 0
        });
        for found in found {
            if mode == LinkMode::First && self.linked_terms[found.term.index()] > 0 {
                continue;
            }
            let (_, open_html, close_html) = self.term_markup(found.term);
            out.push(TermMarkup {
                range: found.range,
                open_html,
                close_html,
            });
        }
        out
    }
}

impl PageLinks<'_> {
    /// The file line and column of a byte offset in the body. Positions are resolved as they
    /// are found, so nothing later needs the body (a one-off build frees it).
    fn at(&self, offset: usize) -> (usize, usize) {
        let lines = self.lines.get_or_init(|| LineIndex::new(self.body));
        let (line, col) = lines.line_col(offset);
        (self.source.body_line + line - 1, col)
    }

    /// This body's file, for resolving its links.
    fn from(&self) -> LinkFrom<'_> {
        LinkFrom {
            site: self.site,
            file: &self.source.file,
            key: &self.source.key,
            lang: self.lang,
        }
    }

    fn report_error(&mut self, mut e: Diagnostic, offset: usize) {
        let (line, col) = self.at(offset);
        e.line = line;
        e.column = col;
        self.report.errors.push(e);
    }

    /// The address of a file (not a page) that a link or image names, `path` relative to this
    /// body's file, followed by `suffix` (`?query#fragment` as written). A file beside a page
    /// bundle's page is copied beside every language version of it, where the address as written
    /// finds it. A file beside any other page is copied once, to its place under content/, not
    /// into the page's own folder: the address becomes its URL. A file that is not there is a
    /// broken link, unless the address climbs out of the folder (`../`), or the build writes a
    /// file there (a page, a feed) or static/ has one.
    fn file(&mut self, path: &str, suffix: &str, offset: usize) -> Option<String> {
        if path.is_empty() || path.starts_with('/') {
            return None;
        }
        let site = self.site;
        let base = self.from().base_dir();
        let rel = normalise(&if base.is_empty() {
            path.to_string()
        } else {
            format!("{base}/{path}")
        })?;
        if let Ok(at) = site.assets.binary_search_by(|a| a.rel.as_str().cmp(&rel)) {
            let asset = &site.assets[at];
            let path = match &asset.bundle {
                None => url::percent_encode_path(&asset.rel),
                Some(bundle) if self.source.bundle.as_ref() == Some(bundle) => return None,
                Some(bundle) => {
                    let page = site.page_id_for_reader(&format!("{bundle}/index.md"), self.lang)?;
                    let inner = &asset.rel[bundle.len() + 1..];
                    format!(
                        "{}{}",
                        site.pages[page].path,
                        url::percent_encode_path(inner)
                    )
                }
            };
            return Some(site.url(&format!("{path}{suffix}")));
        }
        if path.split('/').any(|part| part == "..") {
            return None;
        }
        let out_dir = match self.origin {
            BodyOf::Page(i) => &site.pages[i].path,
            BodyOf::Section(i) => &site.sections[i].path,
        };
        let out_path = normalise(&format!("{out_dir}{path}"))?;
        // A file the build writes there itself (`atom.xml` from the home page, a file from
        // static/), rarely linked by a relative address: looked up only for a file not found
        // in content/.
        if builds(site, &out_path) {
            return None;
        }
        if site.left_out.contains(&rel) {
            let e = self
                .from().error(format!(
                    "`{path}` names {CONTENT_DIR}/{rel}, which is left out of the site (its own warning says why)"
                ))
                .suggest("show a file that runs scripts from static/, which the site's maintainers control, or link another");
            self.report_error(e, offset);
            return None;
        }
        // Files in the same folder, by name.
        let (folder, name) = folder_and_name(&rel);
        let beside = site
            .assets
            .iter()
            .map(|a| folder_and_name(&a.rel))
            .filter(|(dir, _)| *dir == folder)
            .map(|(_, name)| name);
        // Said as the link writes it: `guides/Report.pdf` for `guides/report.pdf`.
        let written_dir = path.rsplit_once('/').map(|(dir, _)| dir);
        let suggestion = closest(name, beside).map(|near| match written_dir {
            Some(dir) => format!("did you mean `{dir}/{near}`?"),
            None => format!("did you mean `{near}`?"),
        });
        let e = self
            .from()
            .error(format!(
                "`{path}` does not exist: there is no file {CONTENT_DIR}/{rel}"
            ))
            .maybe_suggest(suggestion.or_else(|| {
                Some(format!(
                    "put the file at {CONTENT_DIR}/{rel}, or correct the address"
                ))
            }));
        self.report_error(e, offset);
        None
    }

    /// The address of `/rooted` (written from the site's root, as Zola's and Hugo's sites
    /// often write them): the site's own address, `base_url`'s path included, so that it
    /// still leads there when the site is published under a sub-path. What the build does not
    /// write there is a broken link.
    fn rooted(&mut self, rooted: &str, offset: usize) -> Option<String> {
        let site = self.site;
        let path = &rooted[..rooted.find(['?', '#']).unwrap_or(rooted.len())];
        let decoded = link_path(path);
        let exists = |path: &str| builds(site, path);
        if !exists(&decoded) {
            // Written with base_url's path already (`/policy/guides/x/`), which tebiki adds.
            let base = site.config.base_path().trim_start_matches('/');
            let suggestion = match decoded.strip_prefix(base) {
                Some(rest) if !base.is_empty() && exists(rest) => format!(
                    "write it as `/{rest}`: tebiki adds base_url's path (`/{base}`) itself"
                ),
                _ => "link a page as `@/guides/x.md` and a file by its path from static/ (`/img/x.png`); a page of another site needs its full `https://` address".to_string(),
            };
            let e = self
                .from()
                .error(format!("`/{path}` is not an address of this site"))
                .suggest(suggestion);
            self.report_error(e, offset);
            return None;
        }
        Some(site.url(rooted))
    }

    /// `[text](term:id)`: a link to the term's glossary entry, with its tooltip.
    fn term_link(&mut self, id: &str, offset: usize) -> Option<LinkRewrite> {
        let site = self.site;
        let Some(glossary) = &site.glossary else {
            let file = format!(
                "{}/{}",
                crate::model::content_path::CONTENT_DIR,
                site.config.glossary_file
            );
            let e = Diagnostic::error(
                Code::UnknownTerm,
                &self.source.file,
                format!("link to term `{id}`, but the site has no glossary"),
            )
            .suggest(format!(
                "create {file} with a `[[term]]` whose id is `{id}`"
            ));
            self.report_error(e, offset);
            return None;
        };
        let Some(term) = glossary.index(id) else {
            let e = Diagnostic::error(
                Code::UnknownTerm,
                &self.source.file,
                format!("`{id}` is not a term in the glossary"),
            )
            .maybe_suggest(
                did_you_mean(id, glossary.ids())
                    .map(|s| s.replace("did you mean `", "did you mean `term:")),
            );
            self.report_error(e, offset);
            return None;
        };
        let (href, open_html, close_html) = self.term_markup(term);
        let entry = &glossary.terms[term];
        let name = entry
            .langs
            .get(self.lang)
            .or_else(|| entry.langs.get(&site.config.default_language))
            .or_else(|| entry.langs.values().next())
            .map(|l| l.term.clone())
            .unwrap_or_default();
        Some(LinkRewrite {
            href,
            open_html: Some(open_html),
            close_html: Some(close_html),
            empty_text: name,
        })
    }

    /// The URL of a term's glossary entry and the markup around a linked occurrence: a link
    /// described by a tooltip that holds the definition, shown on hover and keyboard focus and
    /// read by screen readers, with no script.
    fn term_markup(&mut self, term: TermId) -> (String, String, String) {
        let site = self.site;
        if let BodyOf::Page(_) = self.origin {
            self.report.terms.push(term);
        }
        let reader = site
            .config
            .languages
            .iter()
            .position(|l| l.code == self.lang)
            .unwrap_or(0);
        self.linked_terms[term.index()] += 1;
        let id = site
            .glossary
            .as_ref()
            .map_or("", |g| g.terms[term].id.as_str());
        let Some(parts) = site.markup.term(reader, term) else {
            // The theme has errors (reported already): a plain link keeps the check going.
            let href = site.url(&site.glossary_path(self.lang)) + "#" + id;
            let open = format!("<a href=\"{}\">", escape(&href));
            return (href, open, "</a>".to_string());
        };
        let (open, close) = match self.linked_terms[term.index()] {
            1 => (parts.first_open.clone(), parts.first_close.clone()),
            n => parts.with_tip(&format!("tebiki-term-{}-{n}", escape(id))),
        };
        (parts.href.clone(), open, close)
    }

    fn rewrite(
        &mut self,
        target: Target,
        suffix: &str,
        fragment: Option<String>,
        title: &str,
        offset: usize,
    ) -> LinkRewrite {
        let site = self.site;
        if let Target::Page(i) = target {
            self.report.targets.push(i);
        }
        let (path, lang, title_text) = target.parts(site);
        let title_text = title_text.to_string();
        if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
            self.report.anchors.push(PendingAnchor {
                origin: self.origin,
                at: self.at(offset),
                target,
                fragment,
            });
        }
        let href = format!("{}{suffix}", site.url(path));
        if lang == self.lang {
            return LinkRewrite {
                href,
                empty_text: title_text,
                ..LinkRewrite::default()
            };
        }
        // Another language's page, where the reader's has none: say so with hreflang and a badge.
        let mut open = format!(
            "<a href=\"{}\" hreflang=\"{}\"",
            escape(&href),
            escape(lang)
        );
        if !title.is_empty() {
            open.push_str(&format!(" title=\"{}\"", escape(title)));
        }
        open.push('>');
        LinkRewrite {
            href,
            open_html: Some(open),
            close_html: Some(site.markup.badge(self.lang, lang).to_string()),
            empty_text: title_text,
        }
    }
}

/// Where a link to a content file is written, for resolving it: pages and section intros,
/// and glossary definitions.
pub struct LinkFrom<'a> {
    pub site: &'a Site,
    /// The file, relative to the site root, for diagnostics.
    pub file: &'a str,
    /// The file relative to `content/`, whose folder relative links start from; it is never
    /// suggested as a link's target.
    pub key: &'a str,
    /// The reader's language: a link goes to the version in it when there is one.
    pub lang: &'a str,
}

impl<'a> LinkFrom<'a> {
    /// The folder of the linking file, relative to `content/`.
    fn base_dir(&self) -> &'a str {
        self.key.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// A broken link in this file.
    pub fn error(&self, message: String) -> Diagnostic {
        Diagnostic::error(Code::BrokenLink, self.file, message)
    }

    /// Finds the target of a content path (`guides/x.md`, `../x.md`, `bundle/`, `_index.md`),
    /// relative to this file's folder or, `rooted`, to content/ (`@/`). `Ok(None)` leaves a folder link that matches no
    /// page or section alone (it may be a static folder).
    pub fn resolve(&self, path: &str, rooted: bool) -> Result<Option<Target>, Diagnostic> {
        let joined = if rooted || self.base_dir().is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.base_dir())
        };
        let Some(rel) = normalise(&joined) else {
            return Err(self
                .error(format!("link `{path}` leaves the content/ folder"))
                .suggest("link to files inside content/, or use an absolute https:// link"));
        };
        let site = self.site;
        if rel.is_empty() || rel.ends_with('/') {
            let dir = rel.trim_end_matches('/');
            if let Some(i) = site.page_id_for_reader(&format!("{dir}/index.md"), self.lang) {
                return Ok(Some(Target::Page(i)));
            }
            return Ok(site.section_id(dir, self.lang).map(Target::Section));
        }
        let target = ContentPath::parse(&rel);
        let (base, explicit_lang) = (target.base, target.lang);
        let lang = explicit_lang.unwrap_or(self.lang);
        if target.is_section() {
            return match site.section_id(target.dir, lang) {
                Some(i) => Ok(Some(Target::Section(i))),
                None => Err(self.error(format!("link to section `{rel}`, which does not exist"))),
            };
        }
        let key = target.key();
        let found = match explicit_lang {
            Some(l) => site.page_id(&key, l),
            None => site.page_id_for_reader(&key, lang),
        };
        if let Some(i) = found {
            return Ok(Some(Target::Page(i)));
        }
        let is_draft = site
            .drafts
            .iter()
            .any(|(k, l)| *k == key && explicit_lang.is_none_or(|e| e == l));
        if is_draft {
            return Err(self
                .error(format!(
                    "link to `{path}`, which is a draft and is not published"
                ))
                .suggest("publish the target (remove `draft: true`) or remove the link"));
        }
        // The target is there but has errors of its own, reported once, at their lines: a
        // build with them fails anyway, and a link to it would only repeat them.
        if site.unreadable.contains(&key) {
            return Ok(None);
        }
        if let Some(l) = explicit_lang
            && site.page_id_for_reader(&key, l).is_some()
        {
            return Err(self
                .error(format!(
                    "link to `{path}`, but that page has no `{l}` version"
                ))
                .suggest(format!(
                    "link to `{base}.md` to get the version for the reader's language"
                )));
        }
        // Pages whose file name is near the link's (keys in one folder all look alike), then
        // the nearest of them by path; never the page the link is on.
        let name = |k: &str| k.rsplit('/').next().unwrap_or(k).to_string();
        let wanted = name(&key);
        let near = site
            .page_keys()
            .filter(|k| *k != self.key && closest(&wanted, [name(k).as_str()]).is_some());
        let suggestion = closest(&key, near)
            .map(|target| format!("did you mean `{}`?", self.relative(target, rooted)));
        Err(self
            .error(format!("link to `{path}`, which does not exist"))
            .maybe_suggest(suggestion))
    }

    /// How to write the content path `key` from this file: relative if the link was relative.
    fn relative(&self, key: &str, rooted: bool) -> String {
        let base = self.base_dir();
        if rooted {
            return format!("@/{key}");
        }
        if !base.is_empty()
            && let Some(rest) = key.strip_prefix(&format!("{base}/"))
        {
            return rest.to_string();
        }
        let depth = if base.is_empty() {
            0
        } else {
            base.split('/').count()
        };
        format!("{}{key}", "../".repeat(depth))
    }
}

/// `https:`, `mailto:`, `term:`: a scheme before any `/`, `?` or `#`.
pub fn has_scheme(dest: &str) -> bool {
    let end = dest.find(['/', '?', '#']).unwrap_or(dest.len());
    dest[..end].find(':').is_some_and(|i| {
        i > 0
            && dest[..i]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    })
}

/// Resolves `.` and `..` in a `/`-separated path. `None` when `..` climbs above the start.
/// `guides/report.pdf` → (`guides`, `report.pdf`).
fn folder_and_name(rel: &str) -> (&str, &str) {
    rel.rsplit_once('/').unwrap_or(("", rel))
}

fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Whether `rel` (composed, as links are) names a file in `dir`, stored under that name or
/// under its decomposed form, as macOS tools often store names: the build publishes it
/// under the composed one.
fn is_file_in(dir: &Path, rel: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    dir.join(rel).is_file()
        || (!rel.is_ascii() && dir.join(rel.nfd().collect::<String>()).is_file())
}

/// A link's path as the files and addresses it names are known: percent-decoded, and
/// composed ([`composed`]), so a name pasted from a macOS file name still finds its file.
pub fn link_path(path: &str) -> String {
    let decoded = percent_decode(path);
    match composed(&decoded) {
        std::borrow::Cow::Borrowed(_) => decoded,
        std::borrow::Cow::Owned(name) => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert!(has_scheme("https://example.org"));
        assert!(has_scheme("mailto:a@b.c"));
        assert!(has_scheme("term:aisi"));
        assert!(!has_scheme("other.md"));
        assert!(!has_scheme("../x.md#a:b"));
    }

    #[test]
    fn normalises_paths() {
        assert_eq!(
            normalise("guides/../briefs/x.md").as_deref(),
            Some("briefs/x.md")
        );
        assert_eq!(normalise("guides/./x.md").as_deref(), Some("guides/x.md"));
        assert_eq!(
            normalise("guides/report/").as_deref(),
            Some("guides/report/")
        );
        assert_eq!(normalise("guides/../../x.md"), None);
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("%E4%B8%BB%E3%81%AA"), "主な");
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
