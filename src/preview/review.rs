//! The translators' review view of `tebiki serve`, answered from the site's files on each
//! request (every build tells the open pages to reload, so they stay live): `/__tebiki/review/`
//! lists every translation with its status; `/__tebiki/review/<content path of a translation>`
//! shows the original and the translation side by side, section by section (aligned by heading
//! order), with the original's lines changed since the translation's `translated_from`
//! highlighted (from git, as `tebiki translations diff`), the glossary terms of each side marked
//! and the terms missing from a section of the translation (`term-missing`) listed. It is part
//! of the preview only: `tebiki build` never writes it.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diag::Style;
use crate::error::Error;
use crate::model::blob::Version;
use crate::model::config;
use crate::model::content_path::CONTENT_DIR;
use crate::model::frontmatter::{self, FrontMatter};
use crate::model::translation::status_of;
use crate::pipeline::escape::{escape, escape_into};
use crate::pipeline::glossary::{self, Glossary, consistency};
use crate::pipeline::ids::TermId;
use crate::pipeline::translations::diff::diff;
use crate::pipeline::translations::{ItemKind, pair, report};

/// Where the review view is served; never an output path of a build.
pub const REVIEW_PATH: &str = "/__tebiki/review/";

/// The answer to a request for `rest` (the path after [`REVIEW_PATH`], percent-decoded):
/// (HTTP status, HTML page).
pub fn answer(root: &Path, rest: &str) -> (u16, String) {
    let result = if rest.is_empty() {
        list(root)
    } else {
        side_by_side(root, rest)
    };
    match result {
        Ok(html) => (200, html),
        Err((status, message)) => (
            status,
            page(
                "Review",
                &format!(
                    "<p class=\"back\"><a href=\"{REVIEW_PATH}\">All translations</a></p><pre class=\"error\">{}</pre>",
                    escape(&message)
                ),
            ),
        ),
    }
}

fn failed(root: &Path, e: Error) -> (u16, String) {
    (500, e.render(root, None, Style::Plain))
}

/// `/__tebiki/review/`: every translation of every page and section intro, by language and
/// status, linking to its side-by-side view.
fn list(root: &Path) -> Result<String, (u16, String)> {
    let entries = report(root, None).map_err(|e| failed(root, e))?;
    let mut body = String::from("<h1>Translations</h1>");
    let mut lang = "";
    for entry in entries.iter().filter(|e| e.kind != ItemKind::Term) {
        if entry.lang != lang {
            if !lang.is_empty() {
                body.push_str("</tbody></table>");
            }
            lang = &entry.lang;
            body.push_str(&format!(
                "<h2>{}</h2><table class=\"list\"><thead><tr><th>status</th><th>kind</th><th>original</th><th>translation</th></tr></thead><tbody>",
                escape(lang)
            ));
        }
        let status = entry.status.name();
        let translation = match &entry.translation {
            Some(file) => {
                let rel = file
                    .strip_prefix(&format!("{CONTENT_DIR}/"))
                    .unwrap_or(file);
                let draft = if entry.draft { " (draft)" } else { "" };
                format!(
                    "<a href=\"{REVIEW_PATH}{}\">{}</a>{draft}",
                    escape(rel),
                    escape(file)
                )
            }
            None => "—".to_string(),
        };
        body.push_str(&format!(
            "<tr class=\"status-{status}\"><td><span class=\"status\">{status}</span></td><td>{}</td><td>{}<br><small>{}</small></td><td>{translation}</td></tr>",
            entry.kind.name(),
            escape(&entry.title),
            escape(&entry.source),
        ));
    }
    if lang.is_empty() {
        body.push_str("<p>This site has only one language: there is nothing to review.</p>");
    } else {
        body.push_str("</tbody></table>");
    }
    Ok(page("Translations", &body))
}

/// One side: a Markdown file's front matter and body.
struct Side {
    file: String,
    lang: String,
    meta: FrontMatter,
    body: String,
    body_line: usize,
    bytes: Vec<u8>,
}

fn read_side(
    root: &Path,
    file: &str,
    kind: crate::model::frontmatter::Kind,
) -> Result<Side, (u16, String)> {
    let bytes = std::fs::read(root.join(file)).map_err(|e| (404, format!("{file}: {e}")))?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let split =
        frontmatter::split(&text).map_err(|(line, m)| (500, format!("{file}:{line}: {m}")))?;
    let (meta, _) = frontmatter::parse(&split, file, kind);
    let (body, body_line) = (split.body.to_string(), split.body_line);
    Ok(Side {
        file: file.to_string(),
        lang: String::new(),
        meta,
        body,
        body_line,
        bytes,
    })
}

/// `/__tebiki/review/guides/ai-act.ja.md`: the original and the translation side by side.
fn side_by_side(root: &Path, rel: &str) -> Result<String, (u16, String)> {
    let config = config::load(root).map_err(|e| failed(root, Error::Content(e)))?;
    if rel
        .split('/')
        .any(|s| s.is_empty() || s == "." || s == "..")
        || !rel.ends_with(".md")
    {
        return Err((
            404,
            format!("`{rel}` is not the content path of a translation"),
        ));
    }
    let file = root.join(CONTENT_DIR).join(rel);
    if !file.is_file() {
        return Err((404, format!("`{CONTENT_DIR}/{rel}` does not exist")));
    }
    let pair = pair(root, &config, &file).map_err(|e| (404, e.render(root, None, Style::Plain)))?;
    let mut original = read_side(root, &pair.source, pair.kind)?;
    original.lang = config.default_language.clone();
    let mut translation = read_side(root, &pair.file, pair.kind)?;
    translation.lang = pair.lang.clone();
    let status = status_of(&translation.meta, || Some(Version::of(&original.bytes)));

    let (changed, note) = changes(root, &file, &original);
    let glossary = glossary::load(root, &config).value;
    let missing = glossary.as_ref().map_or_else(Vec::new, |g| {
        consistency::missing_terms(
            g,
            &original.body,
            &original.lang,
            &translation.body,
            &translation.lang,
        )
    });
    let left = consistency::sections(&original.body);
    let right = consistency::sections(&translation.body);

    let title = |s: &Side| s.meta.title.clone().unwrap_or_else(|| s.file.clone());
    let mut body = format!(
        "<p class=\"back\"><a href=\"{REVIEW_PATH}\">All translations</a></p><h1>{}</h1><p class=\"summary\"><span class=\"status status-{st}\">{st}</span> <code>{}</code> ({}) against <code>{}</code> ({})</p><p class=\"note\">{}</p>",
        escape(&title(&translation)),
        escape(&translation.file),
        escape(&translation.lang),
        escape(&original.file),
        escape(&original.lang),
        escape(&note),
        st = status.name(),
    );
    body.push_str(&format!(
        "<table class=\"review\"><thead><tr><th lang=\"{}\">{}</th><th lang=\"{}\">{}</th></tr></thead><tbody>",
        escape(&original.lang),
        escape(&title(&original)),
        escape(&translation.lang),
        escape(&title(&translation)),
    ));
    for k in 0..left.len().max(right.len()) {
        let lost: Vec<TermId> = missing
            .iter()
            .filter(|m| m.section == k)
            .map(|m| m.term)
            .collect();
        body.push_str(&format!("<tr id=\"section-{k}\">"));
        cell(
            &mut body,
            &original,
            left.get(k),
            glossary.as_ref(),
            &changed,
            &[],
        );
        cell(
            &mut body,
            &translation,
            right.get(k),
            glossary.as_ref(),
            &BTreeSet::new(),
            &lost,
        );
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table>");
    Ok(page(&format!("Review: {}", title(&translation)), &body))
}

/// The file lines of the original changed since the translation's version, and a sentence
/// saying where they come from (or why there are none).
fn changes(root: &Path, file: &Path, original: &Side) -> (BTreeSet<usize>, String) {
    match diff(root, file) {
        Ok(d) if d.diff.is_empty() => (
            BTreeSet::new(),
            format!(
                "{} has not changed since the version this translation records.",
                original.file
            ),
        ),
        Ok(d) => (
            added_lines(&d.diff),
            format!(
                "Highlighted on the left: the lines of {} changed since version {} (from git).",
                original.file,
                &d.from[..d.from.len().min(7)]
            ),
        ),
        Err(Error::Content(found)) => (
            BTreeSet::new(),
            format!(
                "Changes to the original cannot be shown: {}",
                found
                    .first()
                    .map_or("git cannot compare the versions", |d| d.message.as_str())
            ),
        ),
        Err(e) => (
            BTreeSet::new(),
            format!(
                "Changes to the original cannot be shown: {}",
                e.render(root, None, Style::Plain)
            ),
        ),
    }
}

/// The 1-based lines of the new file that a unified diff adds or changes.
fn added_lines(diff: &str) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    let mut line: Option<usize> = None;
    for text in diff.lines() {
        if let Some(rest) = text.strip_prefix("@@ ") {
            line = rest
                .split(' ')
                .find_map(|p| p.strip_prefix('+'))
                .and_then(|p| p.split(',').next())
                .and_then(|n| n.parse().ok());
            continue;
        }
        let Some(n) = line.as_mut() else { continue };
        match text.as_bytes().first() {
            Some(b'+') => {
                out.insert(*n);
                *n += 1;
            }
            Some(b'-') | Some(b'\\') => {}
            _ => *n += 1,
        }
    }
    out
}

/// One side of one section: its lines, numbered as in the file, with glossary terms marked,
/// `changed` file lines highlighted and `missing` terms listed above.
fn cell(
    out: &mut String,
    side: &Side,
    section: Option<&consistency::BodySection>,
    glossary: Option<&Glossary>,
    changed: &BTreeSet<usize>,
    missing: &[TermId],
) {
    out.push_str(&format!("<td lang=\"{}\">", escape(&side.lang)));
    let Some(section) = section else {
        out.push_str("<p class=\"absent\">No such section.</p></td>");
        return;
    };
    if let Some(g) = glossary
        && !missing.is_empty()
    {
        out.push_str("<p class=\"missing\">Missing terms: ");
        for (i, &t) in missing.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let term = &g.terms[t];
            let name = term
                .langs
                .get(&side.lang)
                .map_or(term.id.as_str(), |l| l.term.as_str());
            out.push_str(&format!(
                "<mark class=\"missing-term\" title=\"{}\">{}</mark>",
                escape(&term.id),
                escape(name)
            ));
        }
        out.push_str("</p>");
    }
    out.push_str("<div class=\"src\">");
    let text = &side.body[section.range.clone()];
    for (i, line) in text.lines().enumerate() {
        let number = side.body_line + section.line + i;
        let class = if changed.contains(&number) {
            "line changed"
        } else {
            "line"
        };
        out.push_str(&format!(
            "<div class=\"{class}\"><span class=\"ln\">{number}</span><span class=\"tx\">"
        ));
        marked(out, line, &side.lang, glossary);
        out.push_str("</span></div>");
    }
    out.push_str("</div></td>");
}

/// `line`, escaped, with the glossary terms found in it marked.
fn marked(out: &mut String, line: &str, lang: &str, glossary: Option<&Glossary>) {
    let found = glossary.map_or_else(Vec::new, |g| g.find(line, lang, true, |_| false));
    let mut at = 0;
    for f in found {
        if f.range.start < at
            || !line.is_char_boundary(f.range.start)
            || !line.is_char_boundary(f.range.end)
        {
            continue;
        }
        escape_into(out, &line[at..f.range.start]);
        let id = glossary.map_or("", |g| g.terms[f.term].id.as_str());
        out.push_str(&format!("<mark class=\"term\" title=\"{}\">", escape(id)));
        escape_into(out, &line[f.range.clone()]);
        out.push_str("</mark>");
        at = f.range.end;
    }
    escape_into(out, &line[at..]);
}

/// A whole review page, with its own styles (the site's theme is not involved).
fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><title>{}</title><style>{STYLE}</style></head><body class=\"tebiki-review\">{body}</body></html>",
        escape(title)
    )
}

const STYLE: &str = "\
body{font:15px/1.5 system-ui,sans-serif;margin:1.5rem;color:#1b1b1b;background:#fff}\
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}\
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d0d0d0;padding:.4rem;vertical-align:top;text-align:left}\
table.review td{width:50%}\
.src{font:13px/1.45 ui-monospace,monospace;white-space:pre-wrap;word-break:break-word}\
.line{display:flex}.ln{flex:none;width:3.5em;color:#888;user-select:none}.tx{flex:1}\
.line.changed{background:#fff3b0}.line.changed .ln{color:#6b5900;font-weight:bold}\
mark.term{background:#dbeafe;color:inherit;border-bottom:1px solid #3b6fd0}\
mark.missing-term{background:#fde2e2;color:#8a1111}\
.missing{margin:0 0 .4rem;color:#8a1111}.absent{color:#888;font-style:italic}\
.status{font-weight:bold}.status-stale .status,.status.status-stale{color:#9a4d00}\
.status-missing .status{color:#8a1111}.status-current .status,.status.status-current{color:#1d6b2c}\
.error{white-space:pre-wrap;background:#fde2e2;padding:.75rem}\
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_lines_of_a_unified_diff() {
        let diff = "diff --git a/x b/x\nindex 1..2 100644\n--- a/x\n+++ b/x\n@@ -3,4 +3,5 @@ ctx\n a\n-b\n+B\n+C\n c\n\\ No newline at end of file\n@@ -20 +21 @@\n-z\n+Z\n";
        assert_eq!(added_lines(diff), BTreeSet::from([4, 5, 21]));
    }
}
