//! `tebiki check`: everything a build checks, without writing anything, plus warnings about
//! what needs attention: guides past their `review_by`, without `sources` or that no page links
//! to; translations whose source changed since they were translated; glossary terms no page
//! uses or that lack a declared language.

use std::path::Path;

use crate::diag::{self, Code, Diagnostic, Style};
use crate::error::Error;
use crate::model::content_path::{CONTENT_DIR, normalise_content_path};
use crate::model::dates::Date;
use crate::model::translation::Status;
use crate::pipeline::build::{Prepared, prepare};
use crate::pipeline::glossary::consistency;
use crate::pipeline::index::Site;
use crate::pipeline::link::Sources;
use crate::pipeline::load::SourceFile;
use crate::pipeline::render;

/// What `tebiki check` was asked to do beyond the default checks.
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckOptions {
    /// `--deny warnings`: every warning is an error.
    pub deny_warnings: bool,
    /// `--external`: request every http(s) link and source.
    pub external: bool,
}

/// How `tebiki check` prints its report.
#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
pub enum CheckFormat {
    /// For people: rustc-style diagnostics and a count.
    Text,
    /// For tools: a JSON list of diagnostics.
    Json,
    /// GitHub Actions workflow commands: each problem shows on the pull request's line.
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// Checks the site at `root` as of `today`. Returns every error and warning, sorted, with
/// the levels of book.toml, the sections and `options` applied.
pub fn check(root: &Path, today: Date, options: &CheckOptions) -> Result<Vec<Diagnostic>, Error> {
    let Prepared {
        site,
        theme,
        mut errors,
        warnings: build_warnings,
    } = prepare(root, false, None, Sources::Keep)?;
    errors.extend(build_warnings);
    if let Some(theme) = &theme {
        errors.extend(render::render_all(
            &site,
            theme,
            &crate::pipeline::build::Discard,
        )?);
    }
    errors.extend(warnings(&site, today));
    if options.external {
        errors.extend(crate::commands::external::check(&site)?);
    }
    let mut levels = crate::pipeline::build::levels(&site);
    levels.deny_warnings = options.deny_warnings;
    let mut errors = levels.apply(errors);
    diag::sort(&mut errors);
    errors.dedup();
    Ok(errors)
}

fn warnings(site: &Site, today: Date) -> Vec<Diagnostic> {
    let mut linked = vec![false; site.pages.len()];
    for section in &site.sections {
        for target in &section.links_to {
            linked[target.index()] = true;
        }
    }
    for (i, page) in site.page_ids().zip(&site.pages) {
        if !page.backlinks.is_empty() {
            linked[i.index()] = true;
        }
        for related in &page.meta().related {
            let key = normalise_content_path(&related.value);
            if let Some(target) = site.page_id_for_reader(&key, &page.source.lang)
                && target != i
            {
                linked[target.index()] = true;
            }
        }
    }
    let mut out = Vec::new();
    for (i, page) in site.page_ids().zip(&site.pages) {
        let meta = page.meta();
        let file = &page.source.file;
        let line_of = |key: &str| meta.key_lines.get(key).copied().unwrap_or(1);
        if let Some(review_by) = meta.review_by
            && review_by < today
        {
            out.push(
                Diagnostic::warning(
                    Code::ReviewDue,
                    file,
                    format!("`review_by` {} has passed", review_by.iso()),
                )
                .at(line_of("review_by"), 1)
                .suggest("check the facts, then update `as_of` and set a new `review_by`"),
            );
        }
        if meta.sources.is_empty() {
            out.push(
                Diagnostic::warning(Code::NoSources, file, "this guide cites no `sources`")
                    .at(line_of("title"), 1)
                    .suggest("list the primary documents it relies on under `sources`"),
            );
        }
        if let Some(updated) = meta.updated {
            // The newest date a reader is told about: the last change note, else publication.
            let explained = meta.changes.first().map(|c| c.date).or(meta.date);
            if explained.is_none_or(|d| updated > d) {
                out.push(
                    Diagnostic::warning(
                        Code::UnexplainedUpdate,
                        file,
                        format!(
                            "`updated` {} is later than every change note: readers are not told what changed",
                            updated.iso()
                        ),
                    )
                    .at(line_of("updated"), 1)
                    .suggest(format!(
                        "add `- {{date: {}, note: \"…\"}}` under `changes`, one line saying what changed",
                        updated.iso()
                    )),
                );
            }
        }
        // A translation whose original is gone (deleted or renamed) would pass for a page
        // written in its own language.
        if meta.translated_from.is_some()
            && !site.config.is_default(&page.source.lang)
            && site
                .page_id(&page.source.key, &site.config.default_language)
                .is_none()
        {
            let original = format!("{CONTENT_DIR}/{}", page.source.key);
            out.push(
                Diagnostic::warning(
                    Code::LostOriginal,
                    file,
                    format!("this translation's original `{original}` does not exist"),
                )
                .at(line_of("translated_from"), 1)
                .suggest("restore or rename the original; if this page now stands on its own, remove `translated_from`"),
            );
        }
        if let Some(t) = site.translation_status(i)
            && t.status == Status::Stale
        {
            let original = &site.pages[t.original].source.file;
            out.push(stale(file, original, line_of("translated_from")));
        }
        if !linked[i.index()] {
            out.push(
                Diagnostic::warning(Code::Orphan, file, "no other page links to this page")
                    .at(line_of("title"), 1)
                    .suggest("link to it from another page or a section's intro, or list it under `related` (a book read in order can set `orphan = \"allow\"` under [check.levels])"),
            );
        }
    }
    // Section intros (`_index.ja.md`) are translated and go stale as pages do.
    for i in site.section_ids() {
        let Some(t) = site.section_translation_status(i) else {
            continue;
        };
        let (Some(source), Some(original)) = (
            site.sections[i].source.as_ref(),
            site.sections[t.original].source.as_ref(),
        ) else {
            continue;
        };
        if t.status != Status::Stale {
            continue;
        }
        let line = source
            .meta
            .key_lines
            .get("translated_from")
            .copied()
            .unwrap_or(1);
        out.push(stale(&source.file, &original.file, line));
    }
    if let Some(glossary) = &site.glossary {
        for (i, term) in glossary.term_ids().zip(&glossary.terms) {
            if site.uses_of(i).is_empty() {
                out.push(
                    Diagnostic::warning(
                        Code::UnusedTerm,
                        &glossary.file,
                        format!("term `{}` is defined but no page uses it", term.id),
                    )
                    .at(term.line, 1)
                    .suggest("use it in a guide, link it with [text](term:id), or remove it"),
                );
            }
            let missing: Vec<&str> = site
                .config
                .languages
                .iter()
                .map(|l| l.code.as_str())
                .filter(|code| !term.langs.contains_key(*code))
                .collect();
            if !missing.is_empty() {
                out.push(
                    Diagnostic::warning(
                        Code::TermMissingLanguage,
                        &glossary.file,
                        format!("term `{}` has no entry in {}", term.id, missing.join(", ")),
                    )
                    .at(term.line, 1)
                    .suggest(format!(
                        "add `[term.{}]` with `term` and `definition`",
                        missing[0]
                    )),
                );
            }
        }
    }
    out.extend(terminology(site));
    out
}

/// `term-missing`: for every translated page and section intro, the glossary terms a section
/// of the original uses that the same section of the translation lacks, at the translation's
/// heading.
pub fn terminology(site: &Site) -> Vec<Diagnostic> {
    let Some(glossary) = &site.glossary else {
        return Vec::new();
    };
    let mut pairs: Vec<(&SourceFile, &SourceFile)> = Vec::new();
    for (i, page) in site.page_ids().zip(&site.pages) {
        if let Some(t) = site.translation_status(i) {
            pairs.push((&site.pages[t.original].source, &page.source));
        }
    }
    for (i, section) in site.section_ids().zip(&site.sections) {
        if let Some(t) = site.section_translation_status(i)
            && let (Some(original), Some(translation)) =
                (&site.sections[t.original].source, &section.source)
        {
            pairs.push((original, translation));
        }
    }
    let mut out = Vec::new();
    for (original, translation) in pairs {
        let (original_body, translation_body) = (original.body.as_str(), translation.body.as_str());
        let missing = consistency::missing_terms(
            glossary,
            &original_body,
            &original.lang,
            &translation_body,
            &translation.lang,
        );
        let headings = consistency::sections(&translation_body);
        for m in missing {
            let term = &glossary.terms[m.term];
            let (Some(there), Some(here)) = (
                term.langs.get(&original.lang),
                term.langs.get(&translation.lang),
            ) else {
                continue;
            };
            let section = headings
                .get(m.section)
                .and_then(|s| s.heading.as_deref())
                .map_or("the text before the first heading".to_string(), |h| {
                    format!("section `{h}`")
                });
            let mut words = vec![format!("`{}`", here.term)];
            words.extend(here.abbr.iter().map(|a| format!("`{a}`")));
            words.extend(here.aliases.iter().map(|a| format!("`{a}`")));
            out.push(
                Diagnostic::warning(
                    Code::TermMissing,
                    &translation.file,
                    format!(
                        "{section} does not use the glossary term `{}` that the same section of `{}` uses (`{}`)",
                        term.id, original.file, there.term
                    ),
                )
                .at(translation.body_line + m.line, 1)
                .suggest(format!(
                    "use {} here, add the wording used as an alias in the glossary, or link it with `[…](term:{})`",
                    words.join(" or "),
                    term.id
                )),
            );
        }
    }
    out
}

/// `tebiki check`: prints every diagnostic in `format`; exits 1 when any is an error.
pub fn run(root: &Path, format: CheckFormat, options: &CheckOptions) -> Result<u8, Error> {
    let found = match check(root, Date::today(), options) {
        Ok(found) => found,
        Err(Error::Content(found)) => {
            let levels = crate::diag::codes::Levels {
                deny_warnings: options.deny_warnings,
                ..Default::default()
            };
            levels.apply(found)
        }
        Err(e) => return Err(e),
    };
    print!("{}", report(root, format, &found));
    Ok(u8::from(found.iter().any(Diagnostic::is_error)))
}

/// The report of `found` in `format`, as printed.
pub fn report(root: &Path, format: CheckFormat, found: &[Diagnostic]) -> String {
    // Serialising diagnostics or a JSON value cannot fail: their keys are strings.
    match format {
        CheckFormat::Json => serde_json::to_string_pretty(found).unwrap_or_default() + "\n",
        CheckFormat::Sarif => {
            serde_json::to_string_pretty(&crate::commands::report::sarif(found)).unwrap_or_default()
                + "\n"
        }
        CheckFormat::Github => crate::commands::report::github(found),
        CheckFormat::Text => {
            let style = Style::for_stream(&std::io::stdout());
            let mut out = String::new();
            let mut sources = crate::diag::Sources::new(root);
            for d in found {
                out.push_str(&d.render_in(&mut sources, style));
                out.push('\n');
            }
            let errors = found.iter().filter(|d| d.is_error()).count();
            out.push_str(&format!(
                "{errors} error(s), {} warning(s)\n",
                found.len() - errors
            ));
            out
        }
    }
}

/// `tebiki check --explain CODE`: what the code means and how to fix it.
pub fn explain(code: &str) -> Result<u8, Error> {
    match crate::diag::codes::Code::from_name(code) {
        Some(code) => {
            print!("{}", crate::diag::codes::explain(code.info()));
            Ok(0)
        }
        None => Err(Error::Usage(format!(
            "`{code}` is not a diagnostic code{}",
            crate::diag::did_you_mean(code, crate::diag::codes::Code::names())
                .map(|s| format!("; {s}"))
                .unwrap_or_else(|| format!(
                    "; the codes are: {}",
                    crate::diag::codes::Code::names()
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
        ))),
    }
}

/// The warning for translation `file`, made from an earlier version of `original`, at the line
/// of its `translated_from`.
fn stale(file: &str, original: &str, line: usize) -> Diagnostic {
    Diagnostic::warning(
        Code::StaleTranslation,
        file,
        format!("`{original}` has changed since this translation was made"),
    )
    .at(line, 1)
    .suggest(format!(
        "see what changed with `tebiki translations diff {file}`, update the translation, then run `tebiki translations mark {file}`"
    ))
}
