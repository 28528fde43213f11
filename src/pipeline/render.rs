//! The render stage: one Tera context per output page, rendered in parallel with the theme.
//! Every rendered file goes to a `Sink` (the staging directory of a build, or memory).

use std::collections::HashMap;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};
use tera::Context;

use crate::diag::{Diagnostic, did_you_mean};
use crate::error::Error;
use crate::model::content_path::normalise_content_path;
use crate::model::dates::Date;
use crate::model::translation::last_change;
use crate::pipeline::claims::Origin;
use crate::pipeline::glossary;
use crate::pipeline::index::{Page, Section, Site, Taxonomy, fallback_slug};
use crate::pipeline::theme::Theme;

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
enum Job<'a> {
    Page(usize),
    Section(&'a Section),
    TaxonomyList(Taxonomy, &'a str),
    TaxonomyTerm(Taxonomy, &'a str, usize),
    Glossary(&'a str),
    NotFound,
}

/// How many of the pages that use a term its glossary entry lists; `used_by_count` has the
/// total, so a large site's glossary page stays readable.
const USED_BY_SHOWN: usize = 20;

/// Per-language values shared by every page of that language, computed once.
struct LangCommon {
    config: tera::Value,
    strings: tera::Value,
    /// The translated name of each taxonomy.
    taxonomy_titles: HashMap<&'static str, String>,
    glossary_title: String,
    nav: Vec<(String, String)>,
}

/// Renders every page, section, taxonomy page and the 404 page into `sink`, in parallel.
/// Returns every template error; a page that fails does not stop the others. A file the sink
/// cannot write is an I/O error, returned as `Err`.
pub fn render_all(site: &Site, theme: &Theme, sink: &dyn Sink) -> Result<Vec<Diagnostic>, Error> {
    let renderer = Renderer::new(site, theme);
    // Every list needs most summaries: convert them all up front, in parallel.
    renderer
        .summaries
        .par_iter()
        .enumerate()
        .for_each(|(i, s)| {
            s.get_or_init(|| tera::Value::from_serializable(&summary(site, &site.pages[i])));
        });
    let mut errors = renderer.check_templates();
    if !errors.is_empty() {
        return Ok(errors);
    }
    errors.extend(renderer.run(&all_jobs(site), sink)?);
    // One broken template fails every page that uses it: report each distinct problem once.
    errors.dedup_by(|a, b| a.file == b.file && a.line == b.line && a.message == b.message);
    Ok(errors)
}

/// Every HTML file of a full build.
fn all_jobs(site: &Site) -> Vec<Job<'_>> {
    let mut jobs: Vec<Job<'_>> = Vec::new();
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.extend(site.sections.iter().map(Job::Section));
    for ((kind, lang), terms) in &site.taxonomies {
        jobs.push(Job::TaxonomyList(*kind, lang));
        jobs.extend((0..terms.len()).map(|i| Job::TaxonomyTerm(*kind, lang, i)));
    }
    if site.glossary.is_some() {
        jobs.extend(site.config.languages.iter().map(|l| Job::Glossary(&l.code)));
    }
    jobs.push(Job::NotFound);
    jobs
}

/// The output path of every HTML file a full build renders, with what makes it: the same
/// list `render_all` renders, so the output map cannot miss one.
pub fn output_paths(site: &Site) -> Vec<(String, Origin<'_>)> {
    all_jobs(site)
        .iter()
        .map(|job| {
            let origin = match *job {
                Job::Page(i) => Origin::Page(&site.pages[i]),
                Job::Section(section) => Origin::Section(section),
                Job::TaxonomyList(kind, _) => Origin::TaxonomyList(kind),
                Job::TaxonomyTerm(kind, lang, i) => {
                    Origin::TaxonomyTerm(kind, &site.taxonomies[&(kind, lang.to_string())][i])
                }
                Job::Glossary(_) => Origin::Glossary,
                Job::NotFound => Origin::Generated("the 404 page"),
            };
            (output_path(site, job), origin)
        })
        .collect()
}

/// Where a job's HTML goes, relative to the output root.
fn output_path(site: &Site, job: &Job<'_>) -> String {
    match job {
        Job::Page(i) => format!("{}index.html", site.pages[*i].path),
        Job::Section(section) => format!("{}index.html", section.path),
        Job::TaxonomyList(kind, lang) => {
            format!("{}index.html", site.taxonomy_path(*kind, lang, None))
        }
        Job::TaxonomyTerm(kind, lang, i) => {
            let term = &site.taxonomies[&(*kind, lang.to_string())][*i];
            format!(
                "{}index.html",
                site.taxonomy_path(*kind, lang, Some(&term.slug))
            )
        }
        Job::Glossary(lang) => format!("{}index.html", site.glossary_path(lang)),
        Job::NotFound => "404.html".into(),
    }
}

/// What an incremental rebuild renders again.
#[derive(Debug, Default)]
pub struct Selection {
    pub pages: Vec<usize>,
    /// Indices into `Site::sections`.
    pub sections: Vec<usize>,
    /// Tag and category list pages, by language.
    pub taxonomy_lists: Vec<(Taxonomy, String)>,
    /// Tag and category pages: (kind, language, index into the language's terms).
    pub taxonomy_terms: Vec<(Taxonomy, String, usize)>,
    pub glossary: bool,
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
    jobs.extend(
        selection
            .sections
            .iter()
            .map(|&i| Job::Section(&site.sections[i])),
    );
    jobs.extend(
        selection
            .taxonomy_lists
            .iter()
            .map(|(kind, lang)| Job::TaxonomyList(*kind, lang)),
    );
    jobs.extend(
        selection
            .taxonomy_terms
            .iter()
            .map(|(kind, lang, i)| Job::TaxonomyTerm(*kind, lang, *i)),
    );
    if selection.glossary && site.glossary.is_some() {
        jobs.extend(site.config.languages.iter().map(|l| Job::Glossary(&l.code)));
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
                let (template, context) = self.context(job);
                let mut html = Vec::with_capacity(32 * 1024);
                theme
                    .tera
                    .render_to(&template, &context, &mut html)
                    .map_err(|e| Failure::Template(theme.error(&e)))?;
                sink.put(&path, &html)
                    .map_err(|e| Failure::Io(Error::io(&sink.path_of(&path), e)))
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

/// Why one output file was not made.
enum Failure {
    Template(Diagnostic),
    Io(Error),
}

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    common: HashMap<&'a str, LangCommon>,
    /// Every page's list entry, converted for Tera once (on first use): lists share them
    /// instead of copying.
    summaries: Vec<OnceLock<tera::Value>>,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, theme: &'a Theme) -> Self {
        let config = &site.config;
        let languages: Vec<Value> = config
            .languages
            .iter()
            .map(|l| {
                json!({"code": l.code, "name": l.name, "title": l.title,
                       "url": site.url(&site.home_path(&l.code))})
            })
            .collect();
        let common = config
            .languages
            .iter()
            .map(|l| {
                let nav = site
                    .section("", &l.code)
                    .map(|home| {
                        home.subsections
                            .iter()
                            .map(|&i| {
                                let s = &site.sections[i];
                                (s.title.clone(), s.path.clone())
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let strings = theme.strings(&l.code, &config.default_language);
                let taxonomy_titles = Taxonomy::ALL
                    .iter()
                    .map(|k| {
                        let title = strings
                            .get(k.slug())
                            .and_then(|v| v.as_str())
                            .unwrap_or(k.slug());
                        (k.slug(), title.to_string())
                    })
                    .collect();
                let glossary_title = strings
                    .get("glossary")
                    .and_then(|v| v.as_str())
                    .unwrap_or("Glossary")
                    .to_string();
                let lc = LangCommon {
                    glossary_title,
                    config: tera::Value::from_serializable(&json!({
                        "title": config.title_in(&l.code),
                        "description": config.description,
                        "base_url": config.base_url,
                        "default_language": config.default_language,
                        "extra": config.extra,
                        "languages": languages,
                    })),
                    strings: tera::Value::from_serializable(&strings),
                    taxonomy_titles,
                    nav,
                };
                (l.code.as_str(), lc)
            })
            .collect();
        let summaries = site.pages.iter().map(|_| OnceLock::new()).collect();
        Renderer {
            site,
            theme,
            common,
            summaries,
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
                        "missing-template",
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

    /// The output path, template name and context for one job.
    fn context(&self, job: &Job<'_>) -> (String, Context) {
        let site = self.site;
        match job {
            Job::Page(index) => {
                let page = &site.pages[*index];
                let lang = page.source.lang.as_str();
                let versions: Vec<(&str, String)> = site
                    .translations(&page.source.key)
                    .map(|p| (p.source.lang.as_str(), p.path.clone()))
                    .collect();
                let mut ctx =
                    self.common(lang, &page.path, &versions, page.meta().summary.as_deref());
                ctx.insert_value("page", self.page_value(*index));
                let template = page
                    .meta()
                    .template
                    .as_ref()
                    .map_or("page.html".to_string(), |t| t.value.clone());
                (template, ctx)
            }
            Job::Section(section) => {
                let lang = section.lang.as_str();
                let versions: Vec<(&str, String)> = site
                    .config
                    .languages
                    .iter()
                    .filter_map(|l| site.section(&section.dir, &l.code))
                    .map(|s| (s.lang.as_str(), s.path.clone()))
                    .collect();
                let summary = section
                    .source
                    .as_ref()
                    .and_then(|s| s.meta.summary.as_deref());
                let mut ctx = self.common(lang, &section.path, &versions, summary);
                ctx.insert_value("section", self.section_value(section));
                let is_home = section.dir.is_empty();
                if is_home {
                    let mut recent: Vec<usize> = (0..site.pages.len())
                        .filter(|&i| site.pages[i].source.lang == lang)
                        .collect();
                    recent.sort_by(|&a, &b| {
                        let (a, b) = (&site.pages[a], &site.pages[b]);
                        b.meta()
                            .date
                            .cmp(&a.meta().date)
                            .then_with(|| a.path.cmp(&b.path))
                    });
                    ctx.insert_value("recent", self.list(&recent));
                }
                let template = section
                    .source
                    .as_ref()
                    .and_then(|s| s.meta.template.as_ref())
                    .map(|t| t.value.clone())
                    .unwrap_or_else(|| {
                        if is_home {
                            "index.html"
                        } else {
                            "section.html"
                        }
                        .into()
                    });
                (template, ctx)
            }
            Job::TaxonomyList(kind, lang) => {
                let path = site.taxonomy_path(*kind, lang, None);
                let versions: Vec<(&str, String)> = site
                    .config
                    .languages
                    .iter()
                    .map(|l| (l.code.as_str(), site.taxonomy_path(*kind, &l.code, None)))
                    .collect();
                let mut ctx = self.common(lang, &path, &versions, None);
                ctx.insert("taxonomy", &self.taxonomy_value(*kind, lang));
                ("taxonomy_list.html".into(), ctx)
            }
            Job::TaxonomyTerm(kind, lang, i) => {
                let term = &site.taxonomies[&(*kind, lang.to_string())][*i];
                let path = site.taxonomy_path(*kind, lang, Some(&term.slug));
                let mut ctx = self.common(lang, &path, &[(lang, path.clone())], None);
                ctx.insert_value("taxonomy", self.taxonomy_value(*kind, lang));
                let mut map = tera::Map::new();
                map.insert("name".into(), term.name.as_str().into());
                map.insert("url".into(), site.url(&path).into());
                map.insert("pages".into(), self.list(&term.pages));
                ctx.insert_value("term", map.into());
                ("taxonomy_term.html".into(), ctx)
            }
            Job::Glossary(lang) => {
                let path = site.glossary_path(lang);
                let versions: Vec<(&str, String)> = site
                    .config
                    .languages
                    .iter()
                    .map(|l| (l.code.as_str(), site.glossary_path(&l.code)))
                    .collect();
                let mut ctx = self.common(lang, &path, &versions, None);
                ctx.insert_value("glossary", self.glossary_value(lang));
                ("glossary.html".into(), ctx)
            }
            Job::NotFound => {
                let lang = site.config.default_language.as_str();
                let ctx = self.common(lang, "404.html", &[], None);
                ("404.html".into(), ctx)
            }
        }
    }

    /// The variables every template gets. `versions` are the (language, path) pairs of every
    /// language version of this output page, this one included.
    fn common(
        &self,
        lang: &str,
        path: &str,
        versions: &[(&str, String)],
        summary: Option<&str>,
    ) -> Context {
        let site = self.site;
        let config = &site.config;
        let lc = &self.common[lang];
        let mut ctx = Context::new();
        ctx.insert("lang", lang);
        ctx.insert_value("config", lc.config.clone());
        ctx.insert_value("t", lc.strings.clone());
        ctx.insert("root_url", &site.url(&site.home_path(lang)));
        ctx.insert("static_url", &config.base_url);
        ctx.insert("current_url", &site.url(path));
        ctx.insert(
            "description",
            summary
                .filter(|s| !s.trim().is_empty())
                .unwrap_or(&config.description),
        );
        let alternates: Vec<Value> = versions
            .iter()
            .map(|(l, p)| json!({"lang": l, "url": site.url(p)}))
            .collect();
        ctx.insert("alternates", &alternates);
        let x_default = versions
            .iter()
            .find(|(l, _)| config.is_default(l))
            .map_or(path, |(_, p)| p.as_str());
        ctx.insert("x_default_url", &site.url(x_default));
        let languages: Vec<Value> = config
            .languages
            .iter()
            .map(|l| {
                let version = versions.iter().find(|(code, _)| *code == l.code);
                let url = version
                    .map_or_else(|| site.url(&site.home_path(&l.code)), |(_, p)| site.url(p));
                json!({"code": l.code, "name": l.name, "url": url,
                       "current": l.code == lang, "translated": version.is_some()})
            })
            .collect();
        ctx.insert("languages", &languages);
        let nav: Vec<Value> = lc
            .nav
            .iter()
            .map(|(title, p)| {
                json!({"title": title, "url": site.url(p), "current": path.starts_with(p.as_str())})
            })
            .collect();
        ctx.insert("nav", &nav);
        let glossary_url = site
            .glossary
            .as_ref()
            .map(|_| site.url(&site.glossary_path(lang)));
        ctx.insert("glossary_url", &glossary_url);
        ctx
    }

    fn page_value(&self, index: usize) -> tera::Value {
        let site = self.site;
        let page = &site.pages[index];
        let lang = page.source.lang.as_str();
        let meta = page.meta();
        let related: Vec<usize> = meta
            .related
            .iter()
            .filter_map(|r| site.page_index_for_reader(&normalise_content_path(&r.value), lang))
            .collect();
        let section = site
            .section(&page.source.section, lang)
            .map(|s| json!({"title": s.title, "url": site.url(&s.path)}));
        let sources: Vec<Value> = meta
            .sources
            .iter()
            .map(|s| {
                json!({"title": s.title, "publisher": s.publisher, "url": s.url,
                       "date": date(s.date, lang)})
            })
            .collect();
        let mut map = self.summary(index).as_map().cloned().unwrap_or_default();
        map.insert("content".into(), page.rendered.html.as_str().into());
        map.insert(
            "toc".into(),
            tera::Value::from_serializable(&page.rendered.toc),
        );
        map.insert(
            "review_by".into(),
            tera::Value::from_serializable(&date(meta.review_by, lang)),
        );
        map.insert("sources".into(), tera::Value::from_serializable(&sources));
        map.insert("related".into(), self.list(&related));
        map.insert("backlinks".into(), self.list(&page.backlinks));
        map.insert("section".into(), tera::Value::from_serializable(&section));
        map.insert("extra".into(), tera::Value::from_serializable(&meta.extra));
        let translation = site.translation_status(index).map(|t| {
            let original = &site.pages[t.original];
            json!({"status": t.status, "original_url": site.url(&original.path),
                   "original_lang": original.source.lang, "original_title": original.title(),
                   "original_updated": date(last_change(original.meta()), lang)})
        });
        map.insert(
            "translation".into(),
            tera::Value::from_serializable(&translation),
        );
        map.into()
    }

    /// The glossary page of `lang`: its entries in the language's order, grouped for the index.
    fn glossary_value(&self, lang: &str) -> tera::Value {
        let site = self.site;
        let Some(glossary) = &site.glossary else {
            return tera::Value::none();
        };
        let mut entries: Vec<(String, usize)> = glossary
            .terms
            .iter()
            .enumerate()
            .filter_map(|(i, t)| t.langs.get(lang).map(|l| (glossary::sort_key(l), i)))
            .collect();
        entries.sort();
        let mut groups: Vec<(String, Vec<tera::Value>)> = Vec::new();
        for (key, i) in entries {
            let term = &glossary.terms[i];
            let text = &term.langs[lang];
            let see_also: Vec<Value> = term
                .see_also
                .iter()
                .filter_map(|id| glossary.index(id))
                .map(|j| {
                    let other = &glossary.terms[j];
                    let name = other
                        .langs
                        .get(lang)
                        .or_else(|| other.langs.values().next())
                        .map_or(other.id.as_str(), |l| l.term.as_str());
                    json!({"id": other.id, "term": name,
                           "url": format!("{}#{}", site.url(&site.glossary_path(lang)), other.id)})
                })
                .collect();
            let translations: Vec<Value> = term
                .langs
                .iter()
                .filter(|(code, _)| code.as_str() != lang)
                .map(|(code, l)| {
                    let name = site
                        .config
                        .language(code)
                        .map_or(code.as_str(), |c| c.name.as_str());
                    json!({"lang": code, "name": name, "term": l.term,
                           "url": format!("{}#{}", site.url(&site.glossary_path(code)), term.id)})
                })
                .collect();
            let used_by: Vec<usize> = site
                .term_uses
                .get(i)
                .map(|pages| {
                    pages
                        .iter()
                        .copied()
                        .filter(|&p| site.pages[p].source.lang == lang)
                        .collect()
                })
                .unwrap_or_default();
            let mut map = tera::Map::new();
            map.insert("id".into(), term.id.as_str().into());
            map.insert("term".into(), text.term.as_str().into());
            map.insert("abbr".into(), text.abbr.clone().into());
            map.insert(
                "aliases".into(),
                tera::Value::from_serializable(&text.aliases),
            );
            map.insert("reading".into(), text.reading.clone().into());
            map.insert("definition".into(), text.definition_html.as_str().into());
            map.insert("see_also".into(), tera::Value::from_serializable(&see_also));
            map.insert(
                "translations".into(),
                tera::Value::from_serializable(&translations),
            );
            map.insert(
                "used_by".into(),
                self.list(&used_by[..used_by.len().min(USED_BY_SHOWN)]),
            );
            map.insert("used_by_count".into(), used_by.len().into());
            let label = glossary::index_group(&key);
            match groups.last_mut() {
                Some((last, list)) if *last == label => list.push(map.into()),
                _ => groups.push((label, vec![map.into()])),
            }
        }
        let groups: Vec<tera::Value> = groups
            .into_iter()
            .enumerate()
            .map(|(n, (label, entries))| {
                let mut map = tera::Map::new();
                map.insert("label".into(), label.into());
                map.insert("id".into(), format!("group-{}", n + 1).into());
                map.insert("entries".into(), entries.into());
                map.into()
            })
            .collect();
        let title = self.common[lang].glossary_title.clone();
        let mut map = tera::Map::new();
        map.insert("title".into(), title.into());
        map.insert("url".into(), site.url(&site.glossary_path(lang)).into());
        map.insert("groups".into(), groups.into());
        map.into()
    }

    fn summary(&self, index: usize) -> &tera::Value {
        self.summaries[index].get_or_init(|| {
            tera::Value::from_serializable(&summary(self.site, &self.site.pages[index]))
        })
    }

    /// A list of page summaries, sharing the converted entries.
    fn list(&self, pages: &[usize]) -> tera::Value {
        pages
            .iter()
            .map(|&i| self.summary(i).clone())
            .collect::<Vec<_>>()
            .into()
    }

    fn section_value(&self, section: &Section) -> tera::Value {
        let site = self.site;
        let subsections: Vec<Value> = section
            .subsections
            .iter()
            .map(|&i| {
                let s = &site.sections[i];
                json!({"title": s.title, "url": site.url(&s.path),
                       "summary": s.source.as_ref().and_then(|src| src.meta.summary.clone()),
                       "count": site.listing(s).len()})
            })
            .collect();
        let mut map = tera::Map::new();
        map.insert("title".into(), section.title.as_str().into());
        map.insert(
            "summary".into(),
            section
                .source
                .as_ref()
                .and_then(|s| s.meta.summary.clone())
                .into(),
        );
        map.insert("content".into(), section.rendered.html.as_str().into());
        map.insert("url".into(), site.url(&section.path).into());
        map.insert("pages".into(), self.list(&site.listing(section)));
        map.insert(
            "subsections".into(),
            tera::Value::from_serializable(&subsections),
        );
        map.into()
    }

    fn taxonomy_value(&self, kind: Taxonomy, lang: &str) -> tera::Value {
        let site = self.site;
        let terms: Vec<Value> = site.taxonomies[&(kind, lang.to_string())]
            .iter()
            .map(|t| {
                json!({"name": t.name, "count": t.pages.len(),
                       "url": site.url(&site.taxonomy_path(kind, lang, Some(&t.slug)))})
            })
            .collect();
        let title = &self.common[lang].taxonomy_titles[kind.slug()];
        tera::Value::from_serializable(&json!({"kind": kind.slug(), "title": title,
               "url": site.url(&site.taxonomy_path(kind, lang, None)), "terms": terms}))
    }
}

fn date(d: Option<Date>, lang: &str) -> Option<crate::model::dates::TemplateDate> {
    d.map(|d| d.for_template(lang))
}

#[derive(Serialize)]
struct Link {
    name: String,
    url: String,
}

/// The fields of a page that every list shows.
fn summary(site: &Site, page: &Page) -> Value {
    let lang = page.source.lang.as_str();
    let meta = page.meta();
    let term_link = |kind: Taxonomy, name: &str| Link {
        name: name.to_string(),
        url: site.url(&site.taxonomy_path(kind, lang, Some(&fallback_slug(name)))),
    };
    let tags: Vec<Link> = meta
        .tags
        .iter()
        .map(|t| term_link(Taxonomy::Tags, t))
        .collect();
    let category = meta
        .category
        .as_deref()
        .map(|c| term_link(Taxonomy::Categories, c));
    json!({
        "title": page.title(),
        "summary": meta.summary,
        "url": site.url(&page.path),
        "lang": lang,
        "date": date(meta.date, lang),
        "updated": date(meta.updated, lang),
        "as_of": date(meta.as_of, lang),
        "reading_time": page.rendered.reading_time(),
        "tags": tags,
        "category": category,
    })
}
