//! Where content lives and how its files are named: the `content/` folder, files that are never
//! content, and the one grammar of content paths (`NAME.LANG.md`, bundles, `_index`) that
//! loading, linking, translating and `tebiki new` all use.

use crate::diag::{Code, Diagnostic};
use crate::model::config::{Config, is_language_code};

/// The folder under the site root that holds the pages.
pub const CONTENT_DIR: &str = "content";

/// Hidden files, editors' swap and backup files and merge tools' leftovers (`x.orig`) are
/// never content: publishing them would publish old drafts.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || is_editor_file(name)
}

/// What an editor, a merge tool or a file manager leaves beside the files it works on: swap
/// and backup files, lock files, `x.orig`, Finder's `.DS_Store`.
fn is_editor_file(name: &str) -> bool {
    name.starts_with(".#")
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.ends_with(".orig")
        || name == "4913"
        || name == ".DS_Store"
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

/// Files in `static/` (the site's or a theme's) are published as they are, hidden ones too:
/// `.well-known/security.txt`, `.nojekyll` and `.htaccess` are there to be published, as Hugo
/// and Zola publish them. Editors' files are still left out, and so is git's own (`.git/`,
/// `.gitkeep`, `.gitignore`).
pub fn is_ignored_in_static(name: &str) -> bool {
    is_editor_file(name) || name.starts_with(".git")
}

/// Whether the file at `rel` (`/`-separated, from the site's root or a theme's folder) is
/// left out of the site: inside a `static/` folder by [`is_ignored_in_static`], elsewhere by
/// [`is_ignored`], in its own name and every folder's on the way.
pub fn is_ignored_path(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    let statics = match parts.as_slice() {
        ["static", ..] => 1,
        ["themes", _, "static", ..] => 3,
        _ => 0,
    };
    let (outer, inner) = parts.split_at(statics);
    outer.iter().any(|p| is_ignored(p))
        || inner.iter().any(|p| {
            if statics > 0 {
                is_ignored_in_static(p)
            } else {
                is_ignored(p)
            }
        })
}

/// `name` in Unicode's composed form (NFC). macOS tools and archives made there often name
/// files in the decomposed form (NFD: `ガ` as `カ` and a combining mark), while links, URLs
/// and what writers type are composed: a file's identity, its address and the names written
/// into the output are taken composed, so that `[x](ガイド.md)` finds the file whatever form
/// its name is stored in, and a host serving the output finds what the HTML links to.
pub fn composed(name: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    match is_nfc_quick(name.chars()) {
        IsNormalized::Yes => std::borrow::Cow::Borrowed(name),
        _ => std::borrow::Cow::Owned(name.nfc().collect()),
    }
}

/// A Markdown file's path inside `content/`, taken apart: `guides/ai-act.ja.md` is the file
/// `ai-act` in the folder `guides`, in language `ja`; `guides/_index.md` is the section
/// `guides`; `guides/report/index.md` is a page bundle's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentPath<'a> {
    /// The folder, `/`-separated (`guides`; empty for `content/` itself).
    pub dir: &'a str,
    /// The file name without its language and `.md` (`ai-act`, `_index`, `index`).
    pub base: &'a str,
    /// The language the file name gives (`ja` in `ai-act.ja.md`); `None` means the site's
    /// default language.
    pub lang: Option<&'a str>,
}

impl<'a> ContentPath<'a> {
    /// Takes apart `rel`, relative to `content/` and `/`-separated. The `.md` is optional, as
    /// in links; a last dotted part counts as a language when it is shaped like a language
    /// code (`report.final.md` is the file `report.final`).
    pub fn parse(rel: &'a str) -> Self {
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let stem = name.strip_suffix(".md").unwrap_or(name);
        let (base, lang) = match stem.rsplit_once('.') {
            Some((base, lang)) if is_language_code(lang) => (base, Some(lang)),
            _ => (stem, None),
        };
        ContentPath { dir, base, lang }
    }

    /// Whether this is a section's `_index` file.
    pub fn is_section(&self) -> bool {
        self.base == "_index"
    }

    /// Whether this is named `index`: a page bundle's page, when its folder is a bundle.
    pub fn is_index(&self) -> bool {
        self.base == "index"
    }

    /// The path in `dir` of `file`.
    pub fn in_dir(&self, file: &str) -> String {
        if self.dir.is_empty() {
            file.to_string()
        } else {
            format!("{}/{file}", self.dir)
        }
    }

    /// The language-neutral path that every translation of the page shares
    /// (`guides/ai-act.md`): the default language's file.
    pub fn key(&self) -> String {
        self.file_in(None)
    }

    /// The file of this page in `lang` (`guides/ai-act.ja.md`), or in the default language.
    pub fn file_in(&self, lang: Option<&str>) -> String {
        match lang {
            Some(lang) => self.in_dir(&format!("{}.{lang}.md", self.base)),
            None => self.in_dir(&format!("{}.md", self.base)),
        }
    }

    /// The file's language: the one its name gives, else the site's default. A language that
    /// book.toml does not declare is an error at `file`.
    pub fn language(&self, config: &Config, file: &str) -> Result<String, Diagnostic> {
        let lang = self.lang.unwrap_or(&config.default_language);
        if config.language(lang).is_some() {
            return Ok(lang.to_string());
        }
        let declared: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        let name = file.rsplit('/').next().unwrap_or(file);
        Err(Diagnostic::error(
            Code::UndeclaredLanguage,
            file,
            format!("`{name}` is in language `{lang}`, which book.toml does not declare"),
        )
        .suggest(format!(
            "add `[languages.{lang}]` to book.toml, or rename the file to one of the declared languages: {}",
            declared.join(", ")
        )))
    }
}

/// `guides/ai-act.md` from the ways a writer may name a page: `@/guides/ai-act.md`,
/// `/guides/ai-act.md`, `guides/report/` (a bundle), `guides/ai-act.ja.md` (a translation).
pub fn normalise_content_path(path: &str) -> String {
    let p = path.trim().trim_start_matches("@/").trim_start_matches('/');
    let p = if p.ends_with('/') {
        format!("{p}index.md")
    } else {
        p.to_string()
    };
    // A translation's file names the same page as its original.
    if p.ends_with(".md") {
        ContentPath::parse(&p).key()
    } else {
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_file_names_apart() {
        let p = ContentPath::parse("guides/ai-act.ja.md");
        assert_eq!((p.dir, p.base, p.lang), ("guides", "ai-act", Some("ja")));
        assert_eq!(p.key(), "guides/ai-act.md");
        assert_eq!(p.file_in(Some("en")), "guides/ai-act.en.md");
        let p = ContentPath::parse("report.final.md");
        assert_eq!((p.dir, p.base, p.lang), ("", "report.final", None));
        assert!(ContentPath::parse("guides/_index.ja.md").is_section());
        assert!(ContentPath::parse("guides/report/index.md").is_index());
        assert_eq!(
            ContentPath::parse("guides/ai-act").key(),
            "guides/ai-act.md"
        );
        assert_eq!(
            ContentPath::parse("ガイド/法律.ja.md").key(),
            "ガイド/法律.md"
        );
    }

    #[test]
    fn normalises_the_ways_a_page_is_named() {
        assert_eq!(normalise_content_path("@/guides/x.md"), "guides/x.md");
        assert_eq!(normalise_content_path("/guides/x.ja.md"), "guides/x.md");
        assert_eq!(
            normalise_content_path("guides/report/"),
            "guides/report/index.md"
        );
        assert_eq!(normalise_content_path("guides/x"), "guides/x");
    }
}
