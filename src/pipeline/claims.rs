//! The output map: before anything is written, every file a build would write is claimed by
//! what makes it — a page, a section, a generated page, a feed, a static file, a content
//! asset. Two claims on one path, or a file where another claim needs a folder, are errors
//! naming both sources, so no page is ever silently overwritten. `build`, `serve` and
//! `check` all run this check (from `build::prepare`).

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::diag::{Code, Diagnostic, display_path};
use crate::error::Error;
use crate::pipeline::aliases;
use crate::pipeline::build;
use crate::pipeline::feeds::{self, Feed};
use crate::pipeline::index::{Page, Section, Site, Taxonomy, TaxonomyTerm};
use crate::pipeline::render;
use crate::pipeline::search;
use crate::pipeline::theme::Theme;

/// What makes one output file.
#[derive(Debug, Clone)]
pub enum Claimant<'a> {
    Page(&'a Page),
    /// An earlier address of the page (`aliases`), at the line that gives it.
    Alias(&'a Page, usize),
    Section(&'a Section),
    TaxonomyList(Taxonomy),
    TaxonomyTerm(Taxonomy, &'a TaxonomyTerm),
    Glossary,
    Feed(Feed<'a>),
    /// The full-text search index under `search/`: its manifest, shards and result files.
    SearchIndex,
    /// Another page tebiki generates, such as the 404 page.
    Generated(&'static str),
    /// A static file of the built-in default theme.
    BuiltIn,
    /// A file copied as it is: from `static/`, the site's theme, or beside a page in `content/`.
    File(PathBuf),
}

/// How an origin is named in a message, and where it is (file relative to the root, line)
/// when it is a file the writer can change.
struct Described {
    text: String,
    place: Option<(String, usize)>,
}

impl Claimant<'_> {
    fn describe(&self, site: &Site) -> Described {
        let generated = |text: String| Described { text, place: None };
        match self {
            Claimant::Page(page) => {
                let line = page.meta().slug.as_ref().map_or(1, |s| s.line.max(1));
                let file = page.source.file.clone();
                Described {
                    text: format!("the page {file}:{line}"),
                    place: Some((file, line)),
                }
            }
            Claimant::Alias(page, line) => {
                let file = page.source.file.clone();
                Described {
                    text: format!("an alias of the page {file}:{line}"),
                    place: Some((file, *line)),
                }
            }
            Claimant::Section(section) => match &section.source {
                Some(source) if source.lang == section.lang => Described {
                    text: format!("the section page {}:1", source.file),
                    place: Some((source.file.clone(), 1)),
                },
                _ => {
                    let folder = if section.dir.is_empty() {
                        "content/".to_string()
                    } else {
                        format!("content/{}/", section.dir)
                    };
                    Described {
                        text: format!("the `{}` section page of the folder {folder}", section.lang),
                        place: Some((folder, 0)),
                    }
                }
            },
            Claimant::TaxonomyList(kind) => generated(format!(
                "the list of all {}, which tebiki generates",
                kind.slug()
            )),
            Claimant::TaxonomyTerm(kind, term) => {
                let used_by = term
                    .pages
                    .first()
                    .map(|&i| format!(" (used by {})", site.pages[i].source.file))
                    .unwrap_or_default();
                let kind = match kind {
                    Taxonomy::Tags => "tag",
                    Taxonomy::Categories => "category",
                };
                generated(format!(
                    "the page of the {kind} `{}`{used_by}, which tebiki generates",
                    term.name
                ))
            }
            Claimant::Glossary => generated(format!(
                "the glossary page, which tebiki generates from content/{}",
                site.config.glossary_file
            )),
            Claimant::Feed(feed) => {
                generated(format!("{}, which tebiki generates", feed.describe()))
            }
            Claimant::SearchIndex => {
                generated("the full-text search index, which tebiki generates".to_string())
            }
            Claimant::Generated(what) => generated(format!("{what}, which tebiki generates")),
            Claimant::BuiltIn => generated("a file of the built-in default theme".to_string()),
            Claimant::File(path) => {
                let file = display_path(&site.root, path);
                // A static file is not text with lines: the problem is the whole file.
                Described {
                    text: format!("the file {file}"),
                    place: Some((file, 0)),
                }
            }
        }
    }
}

/// Claims every output path of a full build of `site` (with `theme`'s static files when the
/// theme loaded) and returns an error for each path claimed twice and each file that sits
/// where another claim needs a folder.
pub fn check(site: &Site, theme: Option<&Theme>) -> Result<Vec<Diagnostic>, Error> {
    let mut claims = generated(site);
    claims.extend(
        build::copied_files(site, theme)?
            .into_iter()
            .map(|(path, copied)| (path, copied.claimant())),
    );
    let full_text = Claimant::SearchIndex;
    if site.config.search {
        claims.push((search::manifest_path(), full_text.clone()));
    }
    let mut errors = aliases::check(site);
    errors.extend(conflicts(site, &claims));
    // The index's shards and result files are numbered by the build: every path in their
    // folders is theirs.
    if site.config.search {
        for (path, claimant) in &claims {
            if search::owns_folder_of(path) {
                errors.push(collision(site, path, &full_text, claimant));
            }
        }
    }
    Ok(errors)
}

/// What tebiki generates at `path` (an output path a new page would claim), or at a folder of
/// it, which `path` would need to be a folder: that generated path and its maker, described.
/// `site` may hold no content: every language's glossary page and tag and category lists
/// count as generated even before the site has a glossary or tags, so that a page made now
/// does not collide with them later. `tebiki new` refuses such a page before writing it.
pub fn generated_at(site: &Site, path: &str) -> Option<(String, String)> {
    if site.config.search && search::owns_folder_of(path) {
        return Some((path.to_string(), Claimant::SearchIndex.describe(site).text));
    }
    let mut claims = generated(site);
    for lang in &site.config.languages {
        let glossary = format!("{}index.html", site.glossary_path(&lang.code));
        claims.push((glossary, Claimant::Glossary));
        for kind in Taxonomy::ALL {
            let list = format!("{}index.html", site.taxonomy_path(kind, &lang.code, None));
            claims.push((list, Claimant::TaxonomyList(kind)));
        }
    }
    if site.config.search {
        claims.push((search::manifest_path(), Claimant::SearchIndex));
    }
    claims
        .into_iter()
        .find(|(claimed, _)| {
            path == claimed
                || path
                    .strip_prefix(claimed.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .map(|(claimed, claimant)| (claimed, claimant.describe(site).text))
}

/// Whether the build writes the file `path` itself, not a page: a feed, the sitemap,
/// `robots.txt`, `404.html`, or a file of the search index (its manifest included).
pub fn generated_file(site: &Site, path: &str) -> bool {
    path == "404.html"
        || (site.config.search && (search::owns_folder_of(path) || path == search::manifest_path()))
        || feeds::paths(site).iter().any(|(p, _)| p == path)
}

/// The pages, lists and feeds the build writes, with what writes each.
fn generated(site: &Site) -> Vec<(String, Claimant<'_>)> {
    let mut claims = render::output_paths(site);
    claims.extend(
        feeds::paths(site)
            .into_iter()
            .map(|(path, feed)| (path, Claimant::Feed(feed))),
    );
    claims.extend(
        aliases::paths(site)
            .into_iter()
            .map(|(path, i, line)| (path, Claimant::Alias(&site.pages[i], line))),
    );
    claims
}

/// The collisions among `claims`, in claim order.
fn conflicts(site: &Site, claims: &[(String, Claimant<'_>)]) -> Vec<Diagnostic> {
    let mut map: HashMap<&str, usize> = HashMap::with_capacity(claims.len());
    let mut errors = Vec::new();
    for (i, (path, origin)) in claims.iter().enumerate() {
        match map.entry(path.as_str()) {
            Entry::Occupied(first) => {
                errors.push(collision(site, path, &claims[*first.get()].1, origin));
            }
            Entry::Vacant(slot) => {
                slot.insert(i);
            }
        }
    }
    // A claimed file that is also a folder of another claimed path: one error per such file,
    // naming the first path inside it.
    let mut blocked: BTreeMap<&str, &str> = BTreeMap::new();
    for (path, _) in claims {
        for (at, _) in path.match_indices('/') {
            let folder = &path[..at];
            if map.contains_key(folder) {
                let inner = blocked.entry(folder).or_insert(path.as_str());
                if path.as_str() < *inner {
                    *inner = path.as_str();
                }
            }
        }
    }
    for (folder, inner) in blocked {
        let file = &claims[map[folder]].1;
        let needs_folder = &claims[map[inner]].1;
        errors.push(file_and_folder(site, folder, file, inner, needs_folder));
    }
    errors
}

fn collision(site: &Site, path: &str, first: &Claimant<'_>, second: &Claimant<'_>) -> Diagnostic {
    let a = first.describe(site);
    let b = second.describe(site);
    let suggestion = if matches!(first, Claimant::Page(_)) || matches!(second, Claimant::Page(_)) {
        "rename or move one of them, or give the page another URL with `slug`"
    } else {
        "rename or move one of them"
    };
    at_place(
        place_of(&a, &b),
        format!(
            "`{path}` would be written twice in the output: by {}, and by {}",
            a.text, b.text
        ),
    )
    .suggest(suggestion)
}

fn file_and_folder(
    site: &Site,
    folder: &str,
    file: &Claimant<'_>,
    inner: &str,
    needs_folder: &Claimant<'_>,
) -> Diagnostic {
    let a = file.describe(site);
    let b = needs_folder.describe(site);
    at_place(
        place_of(&a, &b),
        format!(
            "`{folder}` in the output would be both a file, for {}, and a folder holding `{inner}`, for {}",
            a.text, b.text
        ),
    )
    .suggest("rename the folder or file in your site so the two no longer meet")
}

/// The place of the second claim, else of the first; a file wins over a folder.
fn place_of(first: &Described, second: &Described) -> Option<(String, usize)> {
    let with_line = |d: &Described| d.place.clone().filter(|(file, _)| !file.ends_with('/'));
    with_line(second)
        .or_else(|| with_line(first))
        .or_else(|| second.place.clone())
        .or_else(|| first.place.clone())
}

fn at_place(place: Option<(String, usize)>, message: String) -> Diagnostic {
    let (file, line) = place.unwrap_or_else(|| ("book.toml".to_string(), 0));
    Diagnostic::error(Code::OutputCollision, file, message).at(line, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::load::Loaded;

    fn empty_site() -> Site {
        let book = "[book]\ntitle = \"T\"\nbase_url = \"https://example.org/\"\n";
        let config = crate::model::config::parse(book).expect("book.toml parses");
        Site::index(PathBuf::from("/site"), config, Loaded::default()).value
    }

    #[test]
    fn two_claims_on_one_path_name_both() {
        let site = empty_site();
        let claims = vec![
            (
                "x/index.html".to_string(),
                Claimant::File(PathBuf::from("/site/static/x/index.html")),
            ),
            (
                "x/index.html".to_string(),
                Claimant::Generated("the 404 page"),
            ),
            ("y.css".to_string(), Claimant::BuiltIn),
        ];
        let errors = conflicts(&site, &claims);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].file, "static/x/index.html");
        // A static file is the whole file's problem: no line.
        assert_eq!((errors[0].line, errors[0].column), (0, 0));
        assert!(errors[0].message.contains("the 404 page"), "{errors:?}");
    }

    #[test]
    fn a_file_where_a_folder_is_needed_is_reported_once() {
        let site = empty_site();
        let claims = vec![
            ("atom.xml".to_string(), Claimant::Feed(Feed::Sitemap(0))),
            (
                "atom.xml/b.png".to_string(),
                Claimant::File(PathBuf::from("/site/content/atom.xml/b.png")),
            ),
            (
                "atom.xml/a.png".to_string(),
                Claimant::File(PathBuf::from("/site/content/atom.xml/a.png")),
            ),
        ];
        let errors = conflicts(&site, &claims);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].file, "content/atom.xml/a.png");
        assert!(errors[0].message.contains("both a file"), "{errors:?}");
    }
}
