//! The render stage: one Tera context per output page, rendered in parallel with the theme.
//! Every rendered file goes to a `Sink` (the staging directory of a build, or memory). What
//! each template gets is typed in [`data`] and built in [`context`].

pub mod context;
pub mod data;
pub mod invalidate;
pub mod pagination;
pub mod structured;

use std::cell::RefCell;

use rayon::prelude::*;
use tera::Context;

use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::error::Error;
use crate::pipeline::claims::Claimant;
use crate::pipeline::ids::{PageId, SectionId};
use crate::pipeline::index::{Section, Site, Taxonomy};
use crate::pipeline::theme::Theme;
use context::Contexts;

/// Where rendered files go. Paths are relative to the output root, with `/` separators.
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()>;

    /// Adds a file that exists on disk (a static file or content asset) at `path`. An
    /// in-memory sink may keep just the source path instead of the bytes.
    fn copy(&self, path: &str, source: &std::path::Path) -> std::io::Result<()> {
        self.put(path, &std::fs::read(source)?)
    }

    /// Where the file for `path` goes, for messages: the real path on disk, where there is one.
    fn path_of(&self, path: &str) -> std::path::PathBuf {
        std::path::PathBuf::from(path)
    }
}

/// One HTML file to render.
///
/// A paginated list (a section, a tag or category) is one job per list page, numbered from 1;
/// page 1 is at the list's own URL, page `n` at `page/n/` below it.
enum Job<'a> {
    Page(PageId),
    Section(&'a Section, usize),
    TaxonomyList(Taxonomy, &'a str),
    TaxonomyTerm(Taxonomy, &'a str, usize, usize),
    Glossary(&'a str),
    NotFound,
}

/// Renders every page, section, taxonomy page and the 404 page into `sink`, in parallel.
/// Returns every template error; a page that fails does not stop the others. A file the sink
/// cannot write is an I/O error, returned as `Err`.
pub fn render_all(site: &Site, theme: &Theme, sink: &dyn Sink) -> Result<Vec<Diagnostic>, Error> {
    let renderer = Renderer::new(site, theme);
    renderer.contexts.convert_all_summaries();
    let mut errors = renderer.check_templates();
    if !errors.is_empty() {
        return Ok(errors);
    }
    errors.extend(renderer.run(&all_jobs(site), sink)?);
    // One broken template fails every page that uses it, in whatever order the pages were
    // rendered: report each distinct problem once, where it first came.
    let mut seen = std::collections::HashSet::new();
    errors.retain(|e| seen.insert((e.file.clone(), e.line, e.column, e.message.clone())));
    Ok(errors)
}

/// Every HTML file of a full build.
fn all_jobs(site: &Site) -> Vec<Job<'_>> {
    let mut jobs: Vec<Job<'_>> = Vec::new();
    jobs.extend(site.page_ids().map(Job::Page));
    for section in &site.sections {
        jobs.extend(section_jobs(site, section));
    }
    for ((kind, lang), terms) in &site.taxonomies {
        jobs.push(Job::TaxonomyList(*kind, lang));
        for i in 0..terms.len() {
            jobs.extend(term_jobs(site, *kind, lang, i));
        }
    }
    if site.glossary.is_some() {
        jobs.extend(site.config.languages.iter().map(|l| Job::Glossary(&l.code)));
    }
    jobs.push(Job::NotFound);
    jobs
}

/// Every list page of a section.
fn section_jobs<'a>(site: &Site, section: &'a Section) -> impl Iterator<Item = Job<'a>> {
    (1..=pagination::section_pages(site, section)).map(move |n| Job::Section(section, n))
}

/// Every list page of a tag or category.
fn term_jobs<'a>(
    site: &Site,
    kind: Taxonomy,
    lang: &'a str,
    i: usize,
) -> impl Iterator<Item = Job<'a>> {
    (1..=pagination::term_pages(site, kind, lang, i))
        .map(move |n| Job::TaxonomyTerm(kind, lang, i, n))
}

/// The output path of every HTML file a full build renders, with what makes it: the same
/// list `render_all` renders, so the output map cannot miss one.
pub fn output_paths(site: &Site) -> Vec<(String, Claimant<'_>)> {
    all_jobs(site)
        .iter()
        .map(|job| {
            let origin = match *job {
                Job::Page(i) => Claimant::Page(&site.pages[i]),
                Job::Section(section, _) => Claimant::Section(section),
                Job::TaxonomyList(kind, _) => Claimant::TaxonomyList(kind),
                Job::TaxonomyTerm(kind, lang, i, _) => {
                    Claimant::TaxonomyTerm(kind, &site.taxonomies[&(kind, lang.to_string())][i])
                }
                Job::Glossary(_) => Claimant::Glossary,
                Job::NotFound => Claimant::Generated("the 404 page"),
            };
            (output_path(site, job), origin)
        })
        .collect()
}

/// Where a job's HTML goes, relative to the output root.
fn output_path(site: &Site, job: &Job<'_>) -> String {
    match job {
        Job::Page(i) => format!("{}index.html", site.pages[*i].path),
        Job::Section(section, n) => {
            format!("{}index.html", pagination::page_path(&section.path, *n))
        }
        Job::TaxonomyList(kind, lang) => {
            format!("{}index.html", site.taxonomy_path(*kind, lang, None))
        }
        Job::TaxonomyTerm(kind, lang, i, n) => {
            let term = &site.taxonomies[&(*kind, lang.to_string())][*i];
            let path = site.taxonomy_path(*kind, lang, Some(&term.slug));
            format!("{}index.html", pagination::page_path(&path, *n))
        }
        Job::Glossary(lang) => format!("{}index.html", site.glossary_path(lang)),
        Job::NotFound => "404.html".into(),
    }
}

/// What an incremental rebuild renders again.
#[derive(Debug, Default)]
pub struct Selection {
    pub pages: Vec<PageId>,
    pub sections: Vec<SectionId>,
    /// Tag and category list pages, by language.
    pub taxonomy_lists: Vec<(Taxonomy, String)>,
    /// Tag and category pages: (kind, language, index into the language's terms).
    pub taxonomy_terms: Vec<(Taxonomy, String, usize)>,
    /// The languages whose glossary page to render.
    pub glossary: Vec<String>,
    /// The list pages (first, last; from 1) to render of a section in `sections` or a term in
    /// `taxonomy_terms`, when not all of them: an edit that reorders a few entries of a long
    /// list changes only the list pages they are on.
    pub list_pages: std::collections::HashMap<ListId, (usize, usize)>,
}

/// A paginated list: a section or a tag or category.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ListId {
    Section(SectionId),
    Term(Taxonomy, String, usize),
}

/// Renders the selected pages into `sink` (for `serve`'s incremental rebuilds). Returns how
/// many were rendered.
pub fn render_selection(
    site: &Site,
    theme: &Theme,
    selection: &Selection,
    sink: &dyn Sink,
) -> Result<usize, Error> {
    let renderer = Renderer::new(site, theme);
    let mut jobs: Vec<Job<'_>> = selection.pages.iter().map(|&i| Job::Page(i)).collect();
    let within = |id: ListId, n: usize| {
        selection
            .list_pages
            .get(&id)
            .is_none_or(|&(first, last)| (first..=last).contains(&n))
    };
    for &i in &selection.sections {
        jobs.extend(
            section_jobs(site, &site.sections[i])
                .filter(|job| matches!(job, Job::Section(_, n) if within(ListId::Section(i), *n))),
        );
    }
    jobs.extend(
        selection
            .taxonomy_lists
            .iter()
            .map(|(kind, lang)| Job::TaxonomyList(*kind, lang)),
    );
    for (kind, lang, i) in &selection.taxonomy_terms {
        let id = ListId::Term(*kind, lang.clone(), *i);
        jobs.extend(
            term_jobs(site, *kind, lang, *i)
                .filter(|job| matches!(job, Job::TaxonomyTerm(.., n) if within(id.clone(), *n))),
        );
    }
    if site.glossary.is_some() {
        jobs.extend(
            site.config
                .languages
                .iter()
                .filter(|l| selection.glossary.contains(&l.code))
                .map(|l| Job::Glossary(&l.code)),
        );
    }
    let errors = renderer.run(&jobs, sink)?;
    if errors.is_empty() {
        Ok(jobs.len())
    } else {
        Err(Error::Content(errors))
    }
}

impl Renderer<'_> {
    /// Renders `jobs` in parallel into `sink`; returns the template errors, or the first
    /// file the sink could not write (an I/O error: exit 2, not a content error).
    fn run(&self, jobs: &[Job<'_>], sink: &dyn Sink) -> Result<Vec<Diagnostic>, Error> {
        let theme = self.theme;
        let results: Vec<Result<(), Failure>> = jobs
            .par_iter()
            .map(|job| {
                let path = output_path(self.site, job);
                let (template, context) = self.context(job, &path).map_err(Failure::Template)?;
                OUTPUT.with(|html| {
                    let mut html = html.borrow_mut();
                    html.clear();
                    theme
                        .tera
                        .render_to(&template, &context, &mut *html)
                        .map_err(|e| Failure::Template(theme.error(&e)))?;
                    sink.put(&path, &html)
                        .map_err(|e| Failure::Io(Error::io(&sink.path_of(&path), e)))
                })
            })
            .collect();
        let mut errors = Vec::new();
        for result in results {
            match result {
                Ok(()) => {}
                Err(Failure::Template(d)) => errors.push(d),
                Err(Failure::Io(e)) => return Err(e),
            }
        }
        Ok(errors)
    }
}

thread_local! {
    /// A page's HTML on its way to the sink, one buffer per thread for every page it renders:
    /// an allocation per page left a large site's heap full of holes.
    static OUTPUT: RefCell<Vec<u8>> = RefCell::default();
}

/// Why one output file was not made.
enum Failure {
    Template(Diagnostic),
    Io(Error),
}

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    contexts: Contexts<'a>,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, theme: &'a Theme) -> Self {
        Renderer {
            site,
            theme,
            contexts: Contexts::new(site, theme),
        }
    }

    /// Checks that every template named in front matter exists, before rendering anything.
    fn check_templates(&self) -> Vec<Diagnostic> {
        let pages = self.site.pages.iter().map(|p| &p.source);
        let sections = self.site.sections.iter().filter_map(|s| s.source.as_ref());
        pages
            .chain(sections)
            .filter_map(|source| {
                let t = source.meta.template.as_ref()?;
                if self.theme.has_template(&t.value) {
                    return None;
                }
                Some(
                    Diagnostic::error(
                        Code::MissingTemplate,
                        &source.file,
                        format!("template `{}` not found in the theme", t.value),
                    )
                    .at(t.line, 1)
                    .maybe_suggest(
                        did_you_mean(&t.value, self.theme.template_names()).or_else(|| {
                            Some(format!(
                                "add themes/{}/templates/{} or remove `template`",
                                self.site.config.theme, t.value
                            ))
                        }),
                    ),
                )
            })
            .collect()
    }

    /// The template name and context for one job, whose output goes to `out`.
    fn context(&self, job: &Job<'_>, out: &str) -> Result<(String, Context), Diagnostic> {
        let contexts = &self.contexts;
        let (template, context) = match job {
            Job::Page(index) => contexts.page_context(*index),
            Job::Section(section, n) => contexts.section_context(section, *n),
            Job::TaxonomyList(kind, lang) => contexts.taxonomy_list_context(*kind, lang),
            Job::TaxonomyTerm(kind, lang, i, n) => {
                contexts.taxonomy_term_context(*kind, lang, *i, *n)
            }
            Job::Glossary(lang) => contexts.glossary_context(lang),
            Job::NotFound => contexts.not_found_context(),
        };
        let context = context.map_err(|e| {
            Diagnostic::error(
                Code::TemplateData,
                out,
                format!("cannot pass the page's data to the template: {e}"),
            )
        })?;
        Ok((template, context))
    }
}
