//! An address written in a body to what it names: a page, a section, or a file the build writes.

use std::path::Path;

use crate::diag::{Code, Diagnostic, closest};
use crate::model::content_path::{ContentPath, composed, is_ignored_in_static};
use crate::model::url::percent_decode;
use crate::pipeline::claims;
use crate::pipeline::ids::{PageId, SectionId};
use crate::pipeline::index::{Addressed, Site, Taxonomy};
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
    pub(super) fn base_dir(&self) -> &'a str {
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

/// A path's folder and file name: `guides/report.pdf` → (`guides`, `report.pdf`).
pub(super) fn folder_and_name(rel: &str) -> (&str, &str) {
    rel.rsplit_once('/').unwrap_or(("", rel))
}

/// Resolves `.` and `..` in a `/`-separated path. `None` when `..` climbs above the start.
pub(super) fn normalise(path: &str) -> Option<String> {
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

/// The address a root-relative link names as a page's or section's: `guides/x/` for
/// `guides/x`, `guides/x/` and `guides/x/index.html`.
pub(super) fn page_address(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) => dir.to_string(),
        None if path.is_empty() || path.ends_with('/') => path.to_string(),
        None => format!("{path}/"),
    }
}

/// Whether the build writes anything at `path` (from the site's root, `/` removed): a page or
/// a section's list, or what [`site_writes`] finds. Both relative and rooted links to
/// something that is not a page go through it, so they agree on what exists.
pub(super) fn builds(site: &Site, path: &str) -> bool {
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
