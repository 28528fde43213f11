//! `tebiki translations export`: the pages to translate, as XLIFF.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use super::align::{self, Earlier};
use super::{TEBIKI_NS, XLIFF_NS, parse_file, replace};
use crate::commands::xliff::segments::{Tok, units};
use crate::error::Error;
use crate::model::blob::blob_id;
use crate::model::config::{self, Config};
use crate::model::content_path::{CONTENT_DIR, ContentPath};
use crate::model::translation::Status;
use crate::pipeline::escape::escape_into;
use crate::pipeline::glossary::{self, Glossary};
use crate::pipeline::ids::TermId;
use crate::pipeline::translations::report;

/// What `export` wrote.
#[derive(Debug)]
pub struct Exported {
    /// The originals exported, relative to the site root.
    pub files: Vec<String>,
    pub units: usize,
}

/// One page to export: its original and its translation's file (which may not exist).
struct Page {
    original: String,
    translation: String,
    /// The translation is a draft (`tebiki new --lang` starts one as a copy of the original):
    /// none of its text is a confirmed translation.
    draft: bool,
}

/// Writes the XLIFF for `lang` of the pages in `paths` (content paths or files, originals or
/// translations), or of every stale and missing page and section intro when `paths` is empty.
pub fn export(root: &Path, lang: &str, paths: &[String]) -> Result<(String, Exported), Error> {
    let config = config::load(root).map_err(Error::Content)?;
    if config.is_default(lang) || config.language(lang).is_none() {
        let others = translation_languages(&config);
        return Err(Error::Usage(format!(
            "`{lang}` is not a translation language of this site; choose one of: {}",
            others.join(", ")
        )));
    }
    let entries = report(root, Some(lang))?;
    // Pages named by their file, and folders (`guides/`), which name every page in them.
    let mut wanted = BTreeSet::new();
    let mut folders = BTreeSet::new();
    for p in paths {
        let p = content_relative(root, p);
        let p = p.trim_start_matches("./");
        let rel = match p.strip_prefix(CONTENT_DIR) {
            Some("" | "/") => "",
            Some(rest) if rest.starts_with('/') => &rest[1..],
            _ => p,
        };
        if rel.is_empty() || rel.ends_with('/') || root.join(CONTENT_DIR).join(rel).is_dir() {
            let folder = rel.trim_end_matches('/');
            folders.insert(if folder.is_empty() {
                String::new()
            } else {
                format!("{folder}/")
            });
        } else {
            wanted.insert(ContentPath::parse(rel).key());
        }
    }
    let in_folder = |key: &str| folders.iter().any(|f| key.starts_with(f.as_str()));
    let mut pages = Vec::new();
    for entry in &entries {
        let is_term = entry.kind == crate::pipeline::translations::ItemKind::Term;
        let chosen = if wanted.is_empty() && folders.is_empty() {
            matches!(entry.status, Status::Stale | Status::Missing)
        } else {
            wanted.contains(&entry.key) || in_folder(&entry.key)
        };
        if is_term || !chosen {
            continue;
        }
        let translation = entry.translation.clone().unwrap_or_else(|| {
            format!(
                "{CONTENT_DIR}/{}",
                ContentPath::parse(&entry.key).file_in(Some(lang))
            )
        });
        pages.push(Page {
            original: entry.source.clone(),
            translation,
            draft: entry.draft,
        });
    }
    let known: BTreeSet<&str> = entries.iter().map(|e| e.key.as_str()).collect();
    if let Some(unknown) = wanted.iter().find(|k| !known.contains(k.as_str())) {
        return Err(Error::Usage(format!(
            "`{CONTENT_DIR}/{unknown}` is not a page or section of this site in the default language"
        )));
    }
    if let Some(empty) = folders
        .iter()
        .find(|f| !known.iter().any(|k| k.starts_with(f.as_str())))
    {
        return Err(Error::Usage(format!(
            "`{CONTENT_DIR}/{empty}` holds no page or section of this site in the default language"
        )));
    }
    let glossary = glossary::load(root, &config).value;
    let root_element = |digest: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff xmlns=\"{XLIFF_NS}\" xmlns:tbk=\"{TEBIKI_NS}\" version=\"2.1\" srcLang=\"{}\" trgLang=\"{}\"{digest}>\n",
            attr(&config.default_language),
            attr(lang)
        )
    };
    let mut xml = String::new();
    let mut done = Exported {
        files: Vec::new(),
        units: 0,
    };
    for (n, page) in pages.iter().enumerate() {
        done.units += export_file(
            root,
            &config,
            lang,
            glossary.as_ref(),
            page,
            n + 1,
            &mut xml,
        )?;
        done.files.push(page.original.clone());
    }
    xml.push_str("</xliff>\n");
    // The digest of the targets as written, so that a later export can tell whether anyone
    // has worked on this file since (see `replace`).
    let digest = replace::digest(&replace::read(&(root_element("") + &xml)).targets);
    let xml = root_element(&format!(" tbk:{}=\"{digest}\"", replace::DIGEST)) + &xml;
    Ok((xml, done))
}

fn attr(text: &str) -> String {
    let mut out = String::new();
    escape_into(&mut out, text);
    out
}

/// The inline codes of `toks` as XLIFF, with `markup` collecting their `<data>`.
fn inline_xml(toks: &[Tok], out: &mut String, data: &mut Vec<(String, String)>) {
    for tok in toks {
        match tok {
            Tok::Text(s) => escape_into(out, s),
            Tok::Open(id, m) => {
                data.push((format!("d{id}s"), m.clone()));
                out.push_str(&format!(
                    "<pc id=\"{id}\" dataRefStart=\"d{id}s\" dataRefEnd=\"d{id}e\">"
                ));
            }
            Tok::Close(id, m) => {
                data.push((format!("d{id}e"), m.clone()));
                out.push_str("</pc>");
            }
            Tok::Ph(id, m) => {
                data.push((format!("d{id}"), m.clone()));
                out.push_str(&format!("<ph id=\"{id}\" dataRef=\"d{id}\"/>"));
            }
        }
    }
}

/// Writes one `<file>`; returns its number of units.
fn export_file(
    root: &Path,
    config: &Config,
    lang: &str,
    glossary: Option<&Glossary>,
    page: &Page,
    n: usize,
    xml: &mut String,
) -> Result<usize, Error> {
    let original = parse_file(root, &page.original)?;
    let translation = if root.join(&page.translation).is_file() {
        Some(parse_file(root, &page.translation)?)
    } else {
        None
    };
    let source_units = units(&original.body);
    // A stale translation's text is offered as the target of every unit, but only where the
    // source unit is as it was when translated is it still a translation: the others are marked
    // for review (`state="initial"`), and an import refuses them until a translator confirms.
    // Without the earlier version (no git, never committed) every offered target is marked.
    let earlier = translation.as_ref().map_or(Earlier::Same, |t| {
        align::earlier(root, &page.original, &original, t)
    });
    let earlier_units = match &earlier {
        Earlier::Then(e) => Some(units(&e.body)),
        _ => None,
    };
    // Looked up, not searched: a long page would compare every unit with every other.
    let then: Option<HashSet<&[Tok]>> = earlier_units
        .as_ref()
        .map(|units| units.iter().map(|u| u.toks.as_slice()).collect());
    let unchanged = |toks: &[Tok]| match (&earlier, &then) {
        (Earlier::Same, _) => true,
        (_, Some(then)) => then.contains(toks),
        (_, None) => false,
    };
    let unchanged_field = |key: &str, now: &str| match &earlier {
        Earlier::Same => true,
        Earlier::Unknown => false,
        Earlier::Then(e) => {
            let then = if key == "title" { &e.title } else { &e.summary };
            then.as_deref() == Some(now)
        }
    };
    let target_units = translation.as_ref().map(|t| units(&t.body));
    let targets = target_units
        .as_ref()
        .map(|t| align::aligned_targets(&source_units, t, earlier_units.as_deref()))
        .unwrap_or_default();
    // The translation as it was exported (`new` when there was none), so that an import does
    // not overwrite what was written in it since.
    let translation_version = translation
        .as_ref()
        .map_or_else(|| "new".to_string(), |t| blob_id(&t.bytes));
    xml.push_str(&format!(
        "  <file id=\"f{n}\" original=\"{}\" tbk:translation=\"{}\" tbk:version=\"{}\" tbk:translationVersion=\"{translation_version}\">\n",
        attr(&page.original),
        attr(&page.translation),
        blob_id(&original.bytes)
    ));
    let mut count = 0;
    for (key, source, target) in [
        (
            "title",
            &original.title,
            translation.as_ref().and_then(|t| t.title.clone()),
        ),
        (
            "summary",
            &original.summary,
            translation.as_ref().and_then(|t| t.summary.clone()),
        ),
    ] {
        let Some(source) = source.as_ref().filter(|s| !s.trim().is_empty()) else {
            continue;
        };
        let toks = [Tok::Text(source.clone())];
        let target = target.map(|t| vec![Tok::Text(t)]);
        unit_xml(
            xml,
            key,
            key,
            &toks,
            target.as_deref(),
            page.draft || !unchanged_field(key, source),
            glossary,
            &config.default_language,
            lang,
        );
        count += 1;
    }
    for (i, unit) in source_units.iter().enumerate() {
        let target = targets.get(i).cloned().flatten();
        unit_xml(
            xml,
            &format!("u{}", i + 1),
            unit.kind,
            &unit.toks,
            target.as_deref(),
            page.draft || !unchanged(&unit.toks),
            glossary,
            &config.default_language,
            lang,
        );
        count += 1;
    }
    xml.push_str("  </file>\n");
    Ok(count)
}

#[allow(clippy::too_many_arguments)]
fn unit_xml(
    xml: &mut String,
    id: &str,
    name: &str,
    toks: &[Tok],
    target: Option<&[Tok]>,
    review: bool,
    glossary: Option<&Glossary>,
    source_lang: &str,
    lang: &str,
) {
    xml.push_str(&format!(
        "    <unit id=\"{}\" name=\"{}\">\n",
        attr(id),
        attr(name)
    ));
    if let Some(g) = glossary {
        let plain: String = toks
            .iter()
            .filter_map(|t| match t {
                Tok::Text(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        let found: BTreeSet<TermId> = g
            .find(&plain, source_lang, true, |_| false)
            .into_iter()
            .map(|f| f.term)
            .collect();
        let notes: Vec<String> = found
            .into_iter()
            .filter_map(|t| {
                let term = &g.terms[t];
                let (from, to) = (term.langs.get(source_lang)?, term.langs.get(lang)?);
                let mut also: Vec<&str> = to.abbr.iter().map(String::as_str).collect();
                also.extend(to.aliases.iter().map(String::as_str));
                let also = if also.is_empty() {
                    String::new()
                } else {
                    format!(" (also: {})", also.join(", "))
                };
                Some(format!("{} → {}{also}", from.term, to.term))
            })
            .collect();
        if !notes.is_empty() {
            xml.push_str("      <notes>\n");
            for note in notes {
                xml.push_str(&format!(
                    "        <note category=\"glossary\">{}</note>\n",
                    attr(&note)
                ));
            }
            xml.push_str("      </notes>\n");
        }
    }
    let mut data = Vec::new();
    let mut source = String::new();
    inline_xml(toks, &mut source, &mut data);
    let mut target_xml = String::new();
    if let Some(target) = target {
        let mut ignored = Vec::new();
        inline_xml(target, &mut target_xml, &mut ignored);
    }
    if !data.is_empty() {
        xml.push_str("      <originalData>\n");
        for (id, markup) in &data {
            xml.push_str(&format!(
                "        <data id=\"{id}\" xml:space=\"preserve\">{}</data>\n",
                attr(markup)
            ));
        }
        xml.push_str("      </originalData>\n");
    }
    // An offered target is `translated` unless it is there only to revise: XLIFF 2 takes a
    // segment without a state for `initial`, untranslated.
    xml.push_str(match (target, review) {
        (None, _) => "      <segment>\n",
        (Some(_), true) => "      <segment state=\"initial\">\n",
        (Some(_), false) => "      <segment state=\"translated\">\n",
    });
    xml.push_str(&format!(
        "        <source xml:space=\"preserve\">{source}</source>\n"
    ));
    if target.is_some() {
        xml.push_str(&format!(
            "        <target xml:space=\"preserve\">{target_xml}</target>\n"
        ));
    }
    xml.push_str("      </segment>\n    </unit>\n");
}

/// `tebiki translations export`: writes the file, says what it holds. Without `lang`, the
/// language is the site's only one besides the default, as a bilingual site has.
pub fn run_export(
    root: &Path,
    lang: Option<&str>,
    paths: &[String],
    out: &Path,
) -> Result<u8, Error> {
    let lang = match lang {
        Some(lang) => lang.to_string(),
        None => only_translation_language(root)?,
    };
    let lang = lang.as_str();
    let (xml, done) = export(root, lang, paths)?;
    if done.files.is_empty() {
        // An XLIFF document needs a `<file>`: none is written.
        eprintln!(
            "nothing to export: every page and section intro has a current `{lang}` translation; {} was not written",
            out.display()
        );
        return Ok(0);
    }
    replace::check(out, lang, &xml)?;
    std::fs::write(out, xml).map_err(|e| Error::io(out, e))?;
    eprintln!(
        "exported {} ({}) for `{lang}` to {}",
        what_was_exported(&done.files),
        count(done.units, "unit", "units"),
        out.display()
    );
    Ok(0)
}

/// `1 page`, `2 units`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The pages and section intros of `originals`, counted apart: `2 pages and 1 section intro`.
fn what_was_exported(originals: &[String]) -> String {
    let intros = originals
        .iter()
        .filter(|o| {
            let rel = o
                .strip_prefix(&format!("{CONTENT_DIR}/"))
                .unwrap_or(o.as_str());
            ContentPath::parse(rel).is_section()
        })
        .count();
    let pages = originals.len() - intros;
    let mut parts = Vec::new();
    if pages > 0 {
        parts.push(count(pages, "page", "pages"));
    }
    if intros > 0 {
        parts.push(count(intros, "section intro", "section intros"));
    }
    parts.join(" and ")
}

/// The site's languages besides the default one: those a page is translated into.
fn translation_languages(config: &config::Config) -> Vec<&str> {
    config
        .languages
        .iter()
        .map(|l| l.code.as_str())
        .filter(|l| !config.is_default(l))
        .collect()
}

/// The site's only language besides the default one, or why there is none to choose.
fn only_translation_language(root: &Path) -> Result<String, Error> {
    let config = config::load(root).map_err(Error::Content)?;
    match translation_languages(&config).as_slice() {
        [only] => Ok(only.to_string()),
        [] => Err(Error::Usage(
            "this site has no language besides the default one to translate into; add one under [languages] in book.toml".into(),
        )),
        several => Err(Error::Usage(format!(
            "this site has several languages to translate into: choose one with --lang ({})",
            several.join(", ")
        ))),
    }
}

/// `path` as the export reads it: a file or folder inside content/, named from where tebiki was
/// started (as `mark` and `diff` take files, and as a shell completes them: `site/content/x.md`
/// with `--root site`, or an absolute path), becomes its path from the site's root
/// (`content/x.md`); anything else is kept as written, a content path (`guides/x.md`) or one
/// from the site's root. A path that names a file from the starting folder is read so.
fn content_relative(root: &Path, path: &str) -> String {
    let inside = || {
        let content = root.join(CONTENT_DIR).canonicalize().ok()?;
        let given = Path::new(path).canonicalize().ok()?;
        let rel = given
            .strip_prefix(&content)
            .ok()?
            .to_string_lossy()
            .replace('\\', "/");
        // Said from the site's root, as the loop reads it (`content/guides/x.md`), so that a
        // folder of content/ that is itself named `content` keeps its name.
        Some(if given.is_dir() && !rel.is_empty() {
            format!("{CONTENT_DIR}/{rel}/")
        } else {
            format!("{CONTENT_DIR}/{rel}")
        })
    };
    inside().unwrap_or_else(|| path.replace('\\', "/"))
}
