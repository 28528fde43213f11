//! The link stage: renders every Markdown body with its cross-links resolved. A link to
//! another content file (`other.md`, `../briefs/x.md#frag`, `@/guides/x.md`, `bundle/`,
//! `_index.md`) becomes the URL of the version in the linking page's language, falling back to
//! the original with `hreflang` and a language badge. Each link is one hash lookup; fragments
//! are checked against the heading ids the renderer collected, once every page is rendered, so
//! nothing is parsed twice. Backlinks come from the same pass.

use std::cell::OnceCell;

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::pipeline::ids::{PageId, SectionId, TermId};
use crate::pipeline::index::Site;
use crate::pipeline::load::SourceFile;
use crate::pipeline::markdown::{self, Rendered};
use crate::pipeline::packed::Text;

mod page_links;
mod report;
mod resolve;

use page_links::PageLinks;
pub use report::missing_anchor;
use report::{PendingAnchor, Report, check_anchor, dropped_warnings};
pub use resolve::{LinkFrom, Target, has_scheme, link_path};

/// The file a link is written in.
#[derive(Debug, Clone, Copy)]
enum BodyOf {
    Page(PageId),
    Section(SectionId),
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
