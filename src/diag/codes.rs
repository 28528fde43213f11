//! The registry of diagnostic codes: every problem tebiki reports carries one [`Code`], with
//! its name (`broken-link`, `orphan`…), its default [`Level`], whether a site may change that
//! level, and the explanation `tebiki check --explain CODE` prints. A diagnostic cannot be
//! made with a code that is not here: the compiler checks it.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Severity};

/// What happens to a diagnostic: `allow` drops it, `warn` reports it without failing, `deny`
/// reports it and fails the command (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

impl Level {
    pub const NAMES: [&'static str; 3] = ["allow", "warn", "deny"];

    pub fn name(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    pub fn parse(name: &str) -> Option<Level> {
        match name {
            "allow" => Some(Level::Allow),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            _ => None,
        }
    }
}

/// One entry of the registry.
#[derive(Debug)]
pub struct CodeInfo {
    pub code: Code,
    pub name: &'static str,
    pub default: Level,
    /// Whether `[check.levels]` and a section's `levels` may change the level. Problems that
    /// leave the site unbuildable (unreadable files, broken links, template errors) are
    /// always errors.
    pub adjustable: bool,
    /// One line: what the code means.
    pub summary: &'static str,
    /// Why it matters and how to fix it (Markdown-ish plain text).
    pub explanation: &'static str,
}

macro_rules! codes {
    ($( $variant:ident = $name:literal, $level:ident, $adjustable:literal, $summary:literal, $explanation:literal; )*) => {
        /// A diagnostic code. See [`Code::info`] for what each means.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $variant, )*
        }

        /// Every code, in the order of the registry.
        pub const ALL: &[CodeInfo] = &[
            $( CodeInfo {
                code: Code::$variant,
                name: $name,
                default: Level::$level,
                adjustable: $adjustable,
                summary: $summary,
                explanation: $explanation,
            }, )*
        ];

        impl Code {
            /// The code's stable name, as written in book.toml and printed in reports.
            pub fn name(self) -> &'static str {
                match self {
                    $( Code::$variant => $name, )*
                }
            }
        }
    };
}

codes! {
    Config = "config", Deny, false,
        "book.toml is missing, unreadable or has a wrong value",
        "book.toml could not be read, or one of its values is not what tebiki expects (a base_url that is not an absolute http(s) address, a path that leaves the site folder, a `[glossary] file` that does not exist, a default language without its `[languages.CODE]` table, a value of the wrong type).\n\nFix: correct the value at the line shown; the message says what is expected. Where the rest of the file can be read, tebiki goes on with the default for that value and reports the content's problems in the same run.";
    UnknownKey = "unknown-key", Deny, false,
        "a key that tebiki does not know, in book.toml or front matter",
        "A key in book.toml, in a page's front matter or in a source entry is not one tebiki knows. Usually a typo (`tittle`), or a key from another generator.\n\nFix: use the suggested key, or move free-form data under `extra`, which is passed to templates unchecked.";
    FrontMatter = "front-matter", Deny, false,
        "the front matter cannot be parsed",
        "The YAML (between `---` lines) or TOML (between `+++` lines) at the top of the file is not valid, is not closed, or its opening delimiter has other text after it on its line.\n\nFix: correct the syntax at the line shown; each delimiter stands alone on its line. Quote strings that contain `:` or start with `[`, `{`, `*` or `&` in YAML.";
    FrontMatterType = "front-matter-type", Deny, false,
        "a front matter value has the wrong type",
        "A front matter key holds a value of the wrong kind: a list where a string is expected, a date not written YYYY-MM-DD, a `sources` entry that is not a table.\n\nFix: write the value in the form the message names.";
    MissingTitle = "missing-title", Deny, false,
        "a page has no `title`",
        "Every page needs a `title` in its front matter: it is the page's heading, its name in lists, feeds and links with empty text.\n\nFix: add `title: \"…\"` to the front matter.";
    NotUtf8 = "not-utf8", Deny, false,
        "a file is not UTF-8 text",
        "tebiki reads content, glossary and book.toml as UTF-8. The message gives the line and byte offset of the first byte that is not.\n\nFix: save the file as UTF-8 (most editors offer this under \"Save with encoding\"); Japanese text saved as Shift_JIS is the usual cause.";
    Io = "io", Deny, false,
        "a file or folder cannot be read",
        "tebiki could not read a file or folder of the site (permissions, a broken symbolic link, a file removed while the build ran).\n\nFix: check that the file exists and is readable by the user running tebiki.";
    NoContent = "no-content", Deny, false,
        "the site has no content/ folder",
        "A site keeps its pages under `content/`, next to book.toml.\n\nFix: create `content/_index.md` for the home page and add guides under `content/`, or run `tebiki init` for a starting point.";
    Home = "home", Deny, false,
        "the home page is misnamed",
        "The home page is `content/_index.md` (and `_index.LANG.md` for its translations), not `index.md`: `index.md` makes a folder a page bundle.\n\nFix: rename the file to `_index.md`.";
    Bundle = "bundle", Deny, false,
        "a Markdown file inside a page bundle",
        "A folder with `index.md` is a page bundle: one page with its own images. Only `index.md` and its translations (`index.ja.md`) are read as pages there.\n\nFix: move the other Markdown file out of the bundle, or make the folder a section by renaming `index.md` to `_index.md`.";
    UndeclaredLanguage = "undeclared-language", Deny, false,
        "a file is in a language book.toml does not declare",
        "A file named `NAME.LANG.md` is in language LANG, which needs a `[languages.LANG]` table in book.toml.\n\nFix: declare the language in book.toml, or rename the file if the dotted part is not a language code.";
    BadSlug = "bad-slug", Deny, false,
        "a slug or file name cannot be used in a URL",
        "A page's `slug` (or its file name when it has none) must be one safe URL segment: no `/`, `\\`, `..`, `?`, `#`, `%`, spaces or leading dot.\n\nFix: set `slug` to a plain name such as `ai-act`.";
    OutputCollision = "output-collision", Deny, false,
        "two things would be written to one output path",
        "Two pages, sections, generated pages or static files would be written to the same file in the output. The message names both.\n\nFix: change the `slug` of one page, or rename one of the files.";
    BrokenLink = "broken-link", Deny, false,
        "a link to a page or file that does not exist",
        "A relative link (`other.md`, `../briefs/x.md`) or a content link (`@/guides/x.md`) names a file that is not a page of the site.\n\nFix: correct the path (the message suggests the closest existing file), or create the page.";
    MissingAnchor = "missing-anchor", Deny, false,
        "a link to a heading that does not exist",
        "A link's `#fragment` names no heading id on the target page. Heading ids are made from the heading text as GitHub makes them (see `[markdown] heading_ids`), so a link written on GitHub keeps working.\n\nFix: use the id suggested, or give the heading an explicit id with `{#my-id}`.";
    DuplicateFootnote = "duplicate-footnote", Deny, false,
        "a footnote label defined twice on one page",
        "Two definitions on one page share a label (`[^1]: …` twice). Every reference to the label shows the first; the second is shown with no reference to it, and readers cannot tell which note a reference means.\n\nFix: give the second definition a label of its own and refer to it, or remove it.";
    UnknownTerm = "unknown-term", Deny, false,
        "a `term:` link to a glossary term that does not exist",
        "`[text](term:id)` links a glossary term explicitly; `id` must be the `id` of a `[[term]]` in the glossary.\n\nFix: use the suggested id, or add the term to the glossary.";
    Related = "related", Deny, false,
        "a `related` entry names a page that does not exist",
        "Each entry of `related` is a content path (`guides/ai-act.md`) of another page.\n\nFix: correct the path, or remove the entry.";
    Glossary = "glossary", Deny, false,
        "the glossary file has an error",
        "The glossary (`[glossary] file`, by default `content/glossary.toml`) cannot be read, has a duplicate id, a term without a definition, an unknown `see_also`, or a language book.toml does not declare.\n\nFix: correct the entry at the line shown.";
    Theme = "theme", Deny, false,
        "the theme cannot be used",
        "The theme named in `[build] theme` does not exist, or one of its components does not do what the pipeline needs.\n\nFix: create `themes/NAME/`, or set `theme = \"default\"` to use the embedded theme.";
    Template = "template", Deny, false,
        "a template does not parse or fails to render",
        "A Tera template of the theme has a syntax error, extends a template that does not exist, or failed while rendering a page (an unknown variable, a filter given the wrong type).\n\nFix: correct the template at the line shown; `docs/templates.md` lists the data each template receives.";
    MissingTemplate = "missing-template", Deny, false,
        "a page asks for a template the theme does not have",
        "A page's `template` key names a file that is not in the theme's `templates/` folder.\n\nFix: correct the name, or add the template to the theme.";
    TemplateData = "template-data", Deny, false,
        "a page's data cannot be passed to its template",
        "The data of a page (its front matter `extra`, for example) could not be turned into template values.\n\nFix: simplify the value under `extra` named in the message.";
    I18n = "i18n", Deny, false,
        "a theme's strings file has an error",
        "The theme's `i18n.toml` (the words of the interface, a table per language) is not valid TOML, holds a string outside a language's table, a value that is not text where the interface needs text, or a key that neither the built-in theme nor any of the site's templates uses (most often a misspelt one, which would leave the string it meant unchanged).\n\nFix: correct the line shown; the message names the closest known key.";
    I18nMissing = "i18n-missing", Warn, true,
        "a language lacks some of the theme's interface strings",
        "A language of the site has no string in the theme's `i18n.toml` for some of the words the interface shows (the built-in theme has English and Japanese). Its pages show those words in English, marked as the page's language, which misleads screen readers and readers alike.\n\nFix: add a `[LANG]` table to `themes/<theme>/i18n.toml` with the keys listed, translated (the built-in theme's strings are in `themes/default/i18n.toml` of tebiki's source).";
    TranslationDiff = "translation-diff", Deny, false,
        "`tebiki translations diff` cannot show the change",
        "The source's version recorded in `translated_from` could not be found in git, or git could not be run.\n\nFix: run it inside the site's git repository, and check that `translated_from` was written by `tebiki translations mark`.";
    XliffImport = "xliff-import", Deny, false,
        "`tebiki translations import` cannot import an XLIFF file",
        "The XLIFF file is not one `tebiki translations export` wrote, an original changed since the export, a unit has no target, or a target's inline codes are not its source's (each must appear once; their markup comes from the original) or would read as other markup where the target puts them (codes side by side). Nothing is written.\n\nFix: export again when the original changed; otherwise translate every unit, keep every inline code of the source in its target, and put a character between codes that touch.";
    NoSource = "no-source", Deny, false,
        "a translation whose source does not exist",
        "A translation `NAME.LANG.md` is matched to its source `NAME.md` by the file name; `tebiki translations mark` and `tebiki new --lang` need that source.\n\nFix: restore the source, or rename the translation after the source it translates.";
    Symlink = "symlink", Warn, true,
        "a symbolic link in content/ that the build does not follow",
        "Pages and files in content/ are read only where they are: a symbolic link there (to a file or a folder) is left out of the site, and links to what it points to are broken. tebiki's commands that write into content/ (`new`, `translations mark` and `import`) do not write through links either. Files in static/ are copied as they are, and links there are followed.\n\nFix: copy the file or folder into content/, or move it there and link the other way round.";
    RawHtml = "raw-html", Warn, true,
        "raw HTML was left out of a page",
        "With `[markdown] unsafe_html = false` (the default), raw HTML in content is dropped, so a writer cannot put scripts or styles on the site.\n\nFix: write it in Markdown; if every writer of the site is trusted, set `unsafe_html = true` under `[markdown]` in book.toml.";
    RemoteImage = "remote-image", Warn, true,
        "an image is loaded from another host",
        "A page shows an image by its address on another host (`![chart](https://…)`). Every reader's browser then asks that host for it, which tells the host who reads the page, and the image goes when the host moves or removes it. In a glossary definition, shown in a tooltip on every page that uses the term, the image is left out.\n\nFix: save the image beside the page (or in static/) and link it there; credit its source in the text or in `sources`.";
    HostFile = "host-file", Warn, true,
        "a host's configuration file in content/ was left out",
        "A file at the top of content/ that a host reads as its configuration (`_redirects`, `_headers`, `CNAME`, `netlify.toml`, `vercel.json`…) would be copied to the root of the output, where it could redirect or proxy the whole site. content/ is the writers' folder; what configures the host belongs to whoever runs the site.\n\nFix: move the file to static/, which is copied to the output's root as it is.";
    UnsafeUrl = "unsafe-url", Warn, true,
        "a `javascript:`, `vbscript:` or `data:` URL was left out",
        "With `[markdown] unsafe_html = false`, links and images whose address could run code in the reader's browser are dropped.\n\nFix: link to an http(s) address or a file of the site.";
    HeadingAttributes = "heading-attributes", Warn, true,
        "heading attributes other than `#id` and `.class` were left out",
        "`{#id .class key=value}` after a heading sets its id and classes; other attributes are dropped unless `[markdown] unsafe_html = true`.\n\nFix: keep only `#id` and `.class`.";
    Shortcode = "shortcode", Warn, true,
        "a Zola or Hugo shortcode is shown as text",
        "`{{ youtube(id=\"…\") }}`, `{% note() %}` (Zola) and `{{< ref \"x.md\" >}}`, `{{% notice %}}` (Hugo) are their templates' calls from Markdown. tebiki has no shortcodes: such text reaches the page as it is written, and a `ref` inside a link is no link.\n\nFix: write a link to a page as `[text](@/guides/x.md)`, an image as `![text](file.png)`, and anything else in Markdown; a theme can style a blockquote or a list where a shortcode made a box.";
    UnexplainedUpdate = "unexplained-update", Warn, true,
        "a guide's `updated` date moved without a change note",
        "A guide's `changes` list tells readers what changed and when (\"See all updates\"). When `updated` is later than every note, readers see a new date with nothing to say why.\n\nFix: add a `changes` entry with that date and one line saying what changed, or leave `updated` as it was for a correction that does not change the guide's substance.";
    ReviewDue = "review-due", Warn, true,
        "a guide's `review_by` date has passed",
        "`review_by` is the date by which the facts of a guide must be checked again. Once it has passed, readers may be reading outdated policy.\n\nFix: check the facts against the sources, update `as_of`, and set a new `review_by`. A site or section that does not use review dates can set `review-due = \"allow\"`.";
    NoSources = "no-sources", Warn, true,
        "a guide cites no `sources`",
        "A policy guide should list the primary documents it relies on under `sources`, so readers can check it.\n\nFix: add `sources: [{title, publisher, url, date}]`. A section that does not need sources (a reference or about section) can set `levels: {no-sources: allow}` in its `_index.md`, and a whole book can set `no-sources = \"allow\"` under `[check.levels]`.";
    Orphan = "orphan", Warn, true,
        "no other page links to this page",
        "No page or section intro links to this one and no page lists it under `related`: readers reach it only through section lists and search.\n\nFix: link to it from another page or a section's intro, or add it to a `related` list. A book read in order, where every page is reached through the section lists, can set `orphan = \"allow\"` under `[check.levels]`.";
    StaleTranslation = "stale-translation", Warn, true,
        "a translation's source changed since it was translated",
        "The `translated_from` of a translation records the version of its source it matches; the source has changed since.\n\nFix: see what changed with `tebiki translations diff FILE`, update the translation, then run `tebiki translations mark FILE`.";
    LostOriginal = "lost-original", Warn, true,
        "a translation whose original does not exist",
        "The page records `translated_from`, the version of its original it was translated from, but the default language has no page of that name: the original was deleted or renamed. Readers see the translation as a page written in its own language, and no change to the original will ever mark it stale.\n\nFix: restore the original, or rename the translation after the original's new name (`NAME.LANG.md` for `NAME.md`). If the page now stands on its own, remove `translated_from`.";
    UnusedTerm = "unused-term", Warn, true,
        "a glossary term no page uses",
        "A glossary term is defined but no page mentions it (by its term, abbreviation or an alias) or links it with `term:`.\n\nFix: use it in a guide, link it with `[text](term:id)`, or remove it from the glossary.";
    TermMissingLanguage = "term-missing-language", Warn, true,
        "a glossary term lacks an entry for a declared language",
        "Every term should have a `[term.LANG]` entry for each language of the site, so each glossary page lists it.\n\nFix: add `[term.LANG]` with `term` and `definition`.";
    TermMissing = "term-missing", Warn, true,
        "a translation's section lacks a glossary term its original's section uses",
        "The original uses a glossary term in a section (sections are aligned by heading order; the text before the first heading is the first section) and the same section of the translation uses none of that term's name, abbreviation or aliases in the translation's language, nor a `term:` link to it. Readers then miss the glossary link, and the two versions may be using different words for one concept.\n\nFix: use the term's name in the translation's language (see the glossary), add the wording used as an alias of the term in `glossary.toml`, or link it with `[text](term:ID)`. Where the sections do not correspond (headings added or removed), align the headings first.";
    ExternalBroken = "external-broken", Deny, true,
        "an external link answers 404, 410 or another client error",
        "`tebiki check --external` requested the address and the server said it does not exist (or refused it with another 4xx status).\n\nFix: find the document's new address (government sites move pages) and update the link or the source's `url`; an archived copy is better than a dead link. A host that refuses automated requests can be listed in `[check] skip_external`.";
    ExternalError = "external-error", Warn, true,
        "an external link could not be checked",
        "`tebiki check --external` got a server error (5xx), a timeout or a connection failure, or 429 Too Many Requests (the server is rate limiting the checker), after retrying. The page may be down for a while only; a 429 says nothing about the page.\n\nFix: open the address in a browser; if it stays down, replace the link. Raise `[check] external_timeout` for slow servers; for a 429, run the check again later or lower `[check] external_per_host`; or list the host in `[check] skip_external`.";
    ExternalRedirect = "external-redirect", Warn, true,
        "an external link redirects permanently",
        "The server answered 301 or 308: the document has moved for good, and the old address may stop working.\n\nFix: replace the link with the address named in the message.";
}

impl Code {
    /// The registry entry of this code.
    pub fn info(self) -> &'static CodeInfo {
        // Every variant is in ALL, in declaration order (checked by a test).
        &ALL[self as usize]
    }

    pub fn default_level(self) -> Level {
        self.info().default
    }

    /// The code named `name`, if any.
    pub fn from_name(name: &str) -> Option<Code> {
        ALL.iter().find(|c| c.name == name).map(|c| c.code)
    }

    /// The names of every code, for suggestions.
    pub fn names() -> impl Iterator<Item = &'static str> {
        ALL.iter().map(|c| c.name)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// A problem with one `code = "level"` setting: the message and a suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadSetting {
    pub message: String,
    pub suggestion: Option<String>,
}

/// Checks one `code = "level"` setting (from `[check.levels]` or a section's `levels`).
pub fn parse_setting(name: &str, level: Option<&str>) -> Result<(Code, Level), BadSetting> {
    let Some(code) = Code::from_name(name) else {
        return Err(BadSetting {
            message: format!("unknown diagnostic code `{name}`"),
            suggestion: crate::diag::did_you_mean(name, Code::names()).or_else(|| {
                Some(
                    "`tebiki check --explain CODE` describes a code; the README lists them all"
                        .into(),
                )
            }),
        });
    };
    let Some(level) = level.and_then(Level::parse) else {
        return Err(BadSetting {
            message: format!("the level of `{name}` must be \"allow\", \"warn\" or \"deny\""),
            suggestion: level.and_then(|l| crate::diag::did_you_mean(l, Level::NAMES)),
        });
    };
    if !code.info().adjustable && level != Level::Deny {
        return Err(BadSetting {
            message: format!("`{name}` is always an error: its level cannot be changed"),
            suggestion: Some(format!(
                "fix the problem instead; `tebiki check --explain {name}` says how"
            )),
        });
    }
    Ok((code, level))
}

/// The levels in force for a site: book.toml's `[check.levels]`, each section's `levels`, and
/// whether warnings are denied (`--deny warnings`).
#[derive(Debug, Clone, Default)]
pub struct Levels {
    pub book: BTreeMap<Code, Level>,
    /// By section folder relative to `content/` (`guides`, `` for the home section).
    pub sections: HashMap<String, BTreeMap<Code, Level>>,
    pub deny_warnings: bool,
}

impl Levels {
    /// The level of `code` for a diagnostic in `file` (a path relative to the site root): the
    /// innermost section that sets it, else book.toml, else the code's default.
    pub fn level(&self, code: Code, file: &str) -> Level {
        if !code.info().adjustable {
            return code.default_level();
        }
        if let Some(rel) = file.strip_prefix("content/") {
            let mut dir = rel;
            while let Some((parent, _)) = dir.rsplit_once('/') {
                if let Some(level) = self.sections.get(parent).and_then(|l| l.get(&code)) {
                    return *level;
                }
                dir = parent;
            }
            if let Some(level) = self.sections.get("").and_then(|l| l.get(&code)) {
                return *level;
            }
        }
        self.book
            .get(&code)
            .copied()
            .unwrap_or(code.default_level())
    }

    /// Applies the levels: `allow` drops a diagnostic, `warn` makes it a warning, `deny` an
    /// error; with `deny_warnings` every warning left becomes an error. Codes that are always
    /// errors keep the severity they were reported with.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter_map(|mut d| {
                if d.code.info().adjustable {
                    d.severity = match self.level(d.code, &d.file) {
                        Level::Allow => return None,
                        Level::Warn => Severity::Warning,
                        Level::Deny => Severity::Error,
                    };
                }
                if self.deny_warnings {
                    d.severity = Severity::Error;
                }
                Some(d)
            })
            .collect()
    }
}

/// What `tebiki check --explain CODE` prints: the name, level and explanation.
pub fn explain(info: &CodeInfo) -> String {
    let adjustable = if info.adjustable {
        "it can be set to allow, warn or deny under [check.levels] in book.toml, or under `levels` in a section's _index.md"
    } else {
        "it is always an error"
    };
    format!(
        "{name}: {summary}\n\nDefault level: {level} ({adjustable}).\n\n{explanation}\n",
        name = info.name,
        summary = info.summary,
        level = info.default.name(),
        explanation = info.explanation,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_in_declaration_order_and_complete() {
        for (i, info) in ALL.iter().enumerate() {
            assert_eq!(info.code as usize, i, "{}", info.name);
            assert_eq!(info.code.info().name, info.name);
            assert_eq!(Code::from_name(info.name), Some(info.code));
            assert!(!info.summary.is_empty() && !info.explanation.contains("TODO"));
            assert!(
                info.explanation.contains("Fix:"),
                "{} says how to fix",
                info.name
            );
            assert!(
                info.adjustable || info.default == Level::Deny,
                "{}: a fixed code is an error",
                info.name
            );
        }
        // Every code in the registry is reported somewhere: no dead entries.
        let mut sources = String::new();
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")) {
            let entry = entry.expect("walk src");
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("codes.rs") {
                sources += &std::fs::read_to_string(path).expect("read source");
            }
        }
        for info in ALL {
            let variant = format!("Code::{:?}", info.code);
            let used = sources.match_indices(&variant).any(|(at, _)| {
                !sources[at + variant.len()..].starts_with(|c: char| c.is_alphanumeric())
            });
            assert!(used, "{} ({variant}) is never reported", info.name);
        }
        let mut names: Vec<_> = Code::names().collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len(), "names are unique");
    }
}
