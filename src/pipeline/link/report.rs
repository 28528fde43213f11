//! What rendering a body found wrong: broken links, fragments to check, left-out HTML.

use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::pipeline::ids::{PageId, TermId};
use crate::pipeline::index::Site;
use crate::pipeline::load::SourceFile;
use crate::pipeline::markdown;

use super::resolve::Target;
use super::{BodyOf, source_of};

/// A `#fragment` to check once the target is rendered.
pub(super) struct PendingAnchor {
    pub(super) origin: BodyOf,
    /// The link's file line and column.
    pub(super) at: (usize, usize),
    pub(super) target: Target,
    pub(super) fragment: String,
}

/// What rendering one body found out about its links.
#[derive(Default)]
pub(super) struct Report {
    pub(super) errors: Vec<Diagnostic>,
    pub(super) anchors: Vec<PendingAnchor>,
    /// Pages this body links to.
    pub(super) targets: Vec<PageId>,
    /// Glossary terms this page uses (linked automatically or explicitly).
    pub(super) terms: Vec<TermId>,
    /// What `[markdown] unsafe_html = false` left out, at its file line and column.
    pub(super) dropped: Vec<(markdown::Dropped, (usize, usize))>,
}

/// One warning for each thing `[markdown] unsafe_html = false` left out of a body, at its
/// file line and column (one line index a body, however many there are).
pub(super) fn dropped_warnings(
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

pub(super) fn check_anchor(site: &Site, anchor: &PendingAnchor) -> Option<Diagnostic> {
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
