//! `tebiki translations export` and `import`: translations exchanged with translation vendors
//! as XLIFF 2.1. Export writes one `<file>` per page (its original's path and version), one
//! `<unit>` per block (front matter `title` and `summary`, then every heading, paragraph, list
//! item and table cell, see [`xliff_segments`](super::xliff_segments)), inline Markdown as
//! inline codes whose markup stays in `<originalData>`, the glossary terms a unit uses as its
//! `<notes>`, and the current translation's text as `<target>` where its blocks line up with
//! the original's. Import rebuilds each translation from its original: the original's Markdown
//! with every unit's text replaced by its target, the markup of every code taken from the
//! original. It refuses, writing nothing, when an original changed since the export or a
//! target's codes are not the source's.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use quick_xml::events::Event as XmlEvent;

use crate::commands::new::no_symlink;
use crate::commands::translations::report;
use crate::commands::xliff_segments::{Tok, Unit, rebuild, units};
use crate::diag::{Code, Diagnostic};
use crate::error::Error;
use crate::model::blob::{blob_id, is_blob_id, version_to_record};
use crate::model::config::{self, Config};
use crate::model::content_path::{CONTENT_DIR, ContentPath};
use crate::model::frontmatter;
use crate::model::frontmatter_edit;
use crate::model::translation::Status;
use crate::pipeline::escape::escape_into;
use crate::pipeline::glossary::{self, Glossary};
use crate::pipeline::ids::TermId;

/// The XLIFF 2 core namespace (XLIFF 2.1 keeps 2.0's).
pub const XLIFF_NS: &str = "urn:oasis:names:tc:xliff:document:2.0";
/// tebiki's own attributes on `<file>`: the translation's path and the original's version.
pub const TEBIKI_NS: &str = "urn:tebiki:xliff:1";

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
    /// For a stale translation, the version of the original it was made from.
    stale_from: Option<String>,
    /// The translation is a draft (`tebiki new --lang` starts one as a copy of the original):
    /// none of its text is a confirmed translation.
    draft: bool,
}

/// Writes the XLIFF for `lang` of the pages in `paths` (content paths or files, originals or
/// translations), or of every stale and missing page and section intro when `paths` is empty.
pub fn export(root: &Path, lang: &str, paths: &[String]) -> Result<(String, Exported), Error> {
    let config = config::load(root).map_err(Error::Content)?;
    if config.is_default(lang) || config.language(lang).is_none() {
        let others: Vec<&str> = config
            .languages
            .iter()
            .map(|l| l.code.as_str())
            .filter(|l| !config.is_default(l))
            .collect();
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
        let p = p.replace('\\', "/");
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
        let is_term = entry.kind == crate::commands::translations::ItemKind::Term;
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
            stale_from: (entry.status == Status::Stale)
                .then(|| entry.translated_from.clone())
                .flatten(),
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
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff xmlns=\"{XLIFF_NS}\" xmlns:tbk=\"{TEBIKI_NS}\" version=\"2.1\" srcLang=\"{}\" trgLang=\"{}\">\n",
        attr(&config.default_language),
        attr(lang)
    );
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
    Ok((xml, done))
}

fn attr(text: &str) -> String {
    let mut out = String::new();
    escape_into(&mut out, text);
    out
}

/// A Markdown file's front matter title and summary, body, and bytes.
struct Parsed {
    title: Option<String>,
    summary: Option<String>,
    body: String,
    text: String,
    bytes: Vec<u8>,
}

fn parse_file(root: &Path, file: &str) -> Result<Parsed, Error> {
    let path = root.join(file);
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    parse_bytes(file, bytes)
}

/// [`parse_file`] of `bytes` read elsewhere (an earlier version, from git).
fn parse_bytes(file: &str, bytes: Vec<u8>) -> Result<Parsed, Error> {
    let text = String::from_utf8(bytes.clone()).map_err(|_| {
        Error::Content(vec![
            Diagnostic::error(Code::Io, file, "the file is not UTF-8 text")
                .suggest("save the file as UTF-8"),
        ])
    })?;
    let split = frontmatter::split(&text).map_err(|(line, message)| {
        Error::Content(vec![
            Diagnostic::error(Code::FrontMatter, file, message).at(line, 1),
        ])
    })?;
    let rel = file
        .strip_prefix(&format!("{CONTENT_DIR}/"))
        .unwrap_or(file);
    let kind = if ContentPath::parse(rel).is_section() {
        frontmatter::Kind::Section
    } else {
        frontmatter::Kind::Page
    };
    let (meta, errors) = frontmatter::parse(&split, file, kind);
    if !errors.is_empty() {
        return Err(Error::Content(errors));
    }
    let body = split.body.to_string();
    Ok(Parsed {
        title: meta.title,
        summary: meta.summary,
        body,
        text: text.clone(),
        bytes,
    })
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

/// The codes of a unit, in order, as (kind, id): what a target must have.
fn code_shape(toks: &[Tok]) -> Vec<(u8, usize)> {
    toks.iter()
        .filter_map(|t| match t {
            Tok::Text(_) => None,
            Tok::Open(id, _) => Some((b'o', *id)),
            Tok::Close(id, _) => Some((b'c', *id)),
            Tok::Ph(id, _) => Some((b'p', *id)),
        })
        .collect()
}

/// The section of each unit: how many headings come before it (a heading opens its own).
fn section_of(units: &[Unit]) -> Vec<usize> {
    let mut k = 0;
    units
        .iter()
        .map(|u| {
            if u.kind == "heading" {
                k += 1;
            }
            k
        })
        .collect()
}

/// For each unit of the original, the translation's unit that translates it, where that can be
/// told: sections are aligned by heading order; within a section whose blocks are of the same
/// kinds in the same order, block by block; otherwise only the heading. A block whose inline
/// codes differ from the original's gets no target.
fn aligned_targets(source: &[Unit], target: &[Unit]) -> Vec<Option<Vec<Tok>>> {
    let (ls, rs) = (section_of(source), section_of(target));
    let group = |units: &[Unit], of: &[usize], k: usize| -> Vec<usize> {
        (0..units.len()).filter(|&i| of[i] == k).collect()
    };
    let mut out = vec![None; source.len()];
    let sections = ls
        .last()
        .copied()
        .unwrap_or(0)
        .max(rs.last().copied().unwrap_or(0));
    for k in 0..=sections {
        let (l, r) = (group(source, &ls, k), group(target, &rs, k));
        let same = l.len() == r.len()
            && l.iter()
                .zip(&r)
                .all(|(&a, &b)| source[a].kind == target[b].kind);
        let pairs: Vec<(usize, usize)> = if same {
            l.iter().copied().zip(r.iter().copied()).collect()
        } else {
            match (l.first(), r.first()) {
                (Some(&a), Some(&b))
                    if source[a].kind == "heading" && target[b].kind == "heading" =>
                {
                    vec![(a, b)]
                }
                _ => Vec::new(),
            }
        };
        for (a, b) in pairs {
            if code_shape(&source[a].toks) == code_shape(&target[b].toks) {
                out[a] = Some(target[b].toks.clone());
            }
        }
    }
    out
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
    let earlier = page.stale_from.as_ref().map(|from| {
        crate::commands::translations_diff::blob(root, from)
            .and_then(|bytes| parse_bytes(&page.original, bytes).ok())
    });
    let earlier_units = earlier.as_ref().map(|e| e.as_ref().map(|e| units(&e.body)));
    let unchanged = |toks: &[Tok]| match &earlier_units {
        None => true,
        Some(None) => false,
        Some(Some(units)) => units.iter().any(|u| u.toks == toks),
    };
    let unchanged_field = |key: &str, now: &str| match &earlier {
        None => true,
        Some(None) => false,
        Some(Some(e)) => {
            let then = if key == "title" { &e.title } else { &e.summary };
            then.as_deref() == Some(now)
        }
    };
    let target_units = translation.as_ref().map(|t| units(&t.body));
    let targets = target_units
        .as_ref()
        .map(|t| aligned_targets(&source_units, t))
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
    xml.push_str(if review && target.is_some() {
        "      <segment state=\"initial\">\n"
    } else {
        "      <segment>\n"
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

/// `tebiki translations export`: writes the file, says what it holds.
pub fn run_export(root: &Path, lang: &str, paths: &[String], out: &Path) -> Result<u8, Error> {
    refuse_to_replace_other_files(out)?;
    let (xml, done) = export(root, lang, paths)?;
    if done.files.is_empty() {
        // An XLIFF document needs a `<file>`: none is written.
        eprintln!(
            "nothing to export: every page and section intro has a current `{lang}` translation; {} was not written",
            out.display()
        );
        return Ok(0);
    }
    std::fs::write(out, xml).map_err(|e| Error::io(out, e))?;
    eprintln!(
        "exported {} page{} ({} units) for `{lang}` to {}",
        done.files.len(),
        if done.files.len() == 1 { "" } else { "s" },
        done.units,
        out.display()
    );
    Ok(0)
}

/// An export replaces an earlier export, and nothing else: `-o` naming a page or book.toml by
/// mistake must not cost the file.
fn refuse_to_replace_other_files(out: &Path) -> Result<(), Error> {
    let Ok(meta) = std::fs::metadata(out) else {
        return Ok(());
    };
    let mut head = Vec::new();
    let read = std::fs::File::open(out).and_then(|file| file.take(4096).read_to_end(&mut head));
    let head = String::from_utf8_lossy(&head);
    // An XML document, its root element `<xliff`: a page that mentions XLIFF is not one.
    let head = head.trim_start_matches('\u{feff}').trim_start();
    let root_element = match head.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or("", |(_, r)| r.trim_start()),
        None => head,
    };
    if meta.is_file() && read.is_ok() && root_element.starts_with("<xliff") {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "refusing to write over `{}`: it is not an XLIFF file, and an export replaces only an \
         earlier export; name a new file with -o, such as `ja.xlf`",
        out.display()
    )))
}

// Import.

/// A target's content: text, codes by id.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Open(String),
    Close,
    Ph(String),
}

/// One `<unit>` read back.
#[derive(Debug, Default)]
struct ReadUnit {
    id: String,
    /// The targets of its segments (and ignorables), joined in order.
    target: Option<Vec<Piece>>,
    /// A segment of it has no target: a CAT tool split it and left a sentence untranslated.
    untranslated_segment: bool,
    /// A segment of it is still `state="initial"`: the export offered an old translation of a
    /// source that has changed, and no translator confirmed it.
    unreviewed: bool,
    line: usize,
}

/// One `<file>` read back.
#[derive(Debug, Default)]
struct ReadFile {
    original: String,
    translation: String,
    version: String,
    /// The translation's version when exported, `new` when it had none; absent in an export
    /// made before tebiki recorded it.
    translation_version: Option<String>,
    units: Vec<ReadUnit>,
    line: usize,
}

/// What `import` wrote.
#[derive(Debug)]
pub struct Imported {
    /// (translation written, version it records, whether it is still a draft).
    pub files: Vec<(String, String, bool)>,
}

fn read_xliff(text: &str, file: &str) -> Result<(String, Vec<ReadFile>), Error> {
    let bad = |line: usize, message: String| {
        Error::Content(vec![
            Diagnostic::error(Code::XliffImport, file, message)
                .at(line, 1)
                .suggest("import the file tebiki exported, with the targets filled in"),
        ])
    };
    let line_at = |pos: usize| text[..pos.min(text.len())].matches('\n').count() + 1;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut files: Vec<ReadFile> = Vec::new();
    let mut trg_lang = String::new();
    // The prefix the document gives tebiki's namespace (`tbk` in an export; a tool that saves
    // it again may choose another).
    let mut tbk = "tbk".to_string();
    let mut in_target = false;
    // Inside a `<segment>`: whether it had a target.
    let mut segment: Option<bool> = None;
    let mut pieces: Vec<Piece> = Vec::new();
    loop {
        let pos = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| bad(line_at(pos), format!("this is not well-formed XML: {e}")))?;
        let attrs = |e: &quick_xml::events::BytesStart<'_>| -> BTreeMap<String, String> {
            e.attributes()
                .flatten()
                .filter_map(|a| {
                    let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
                    let value = a.unescape_value().ok()?.into_owned();
                    Some((key, value))
                })
                .collect()
        };
        match event {
            XmlEvent::Eof => break,
            XmlEvent::Start(ref e) | XmlEvent::Empty(ref e) => {
                let is_empty = matches!(event, XmlEvent::Empty(_));
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let a = attrs(e);
                match name.as_str() {
                    "xliff" => {
                        if a.get("version").map(String::as_str) != Some("2.1")
                            && a.get("version").map(String::as_str) != Some("2.0")
                        {
                            return Err(bad(line_at(pos), "not an XLIFF 2 document".into()));
                        }
                        trg_lang = a.get("trgLang").cloned().unwrap_or_default();
                        if let Some((key, _)) = a
                            .iter()
                            .find(|(k, v)| k.starts_with("xmlns:") && v.as_str() == TEBIKI_NS)
                        {
                            tbk = key["xmlns:".len()..].to_string();
                        }
                    }
                    "file" => files.push(ReadFile {
                        original: a.get("original").cloned().unwrap_or_default(),
                        translation: a
                            .get(&format!("{tbk}:translation"))
                            .cloned()
                            .unwrap_or_default(),
                        version: a
                            .get(&format!("{tbk}:version"))
                            .cloned()
                            .unwrap_or_default(),
                        translation_version: a.get(&format!("{tbk}:translationVersion")).cloned(),
                        units: Vec::new(),
                        line: line_at(pos),
                    }),
                    "unit" => {
                        if let Some(f) = files.last_mut() {
                            f.units.push(ReadUnit {
                                id: a.get("id").cloned().unwrap_or_default(),
                                line: line_at(pos),
                                ..ReadUnit::default()
                            });
                        }
                    }
                    "segment" => {
                        segment = Some(false);
                        if a.get("state").is_some_and(|s| s == "initial")
                            && let Some(u) = files.last_mut().and_then(|f| f.units.last_mut())
                        {
                            u.unreviewed = true;
                        }
                    }
                    "target" => {
                        in_target = true;
                        pieces.clear();
                        if let Some(had) = segment.as_mut() {
                            *had = true;
                        }
                    }
                    "pc" if in_target => {
                        pieces.push(Piece::Open(a.get("id").cloned().unwrap_or_default()))
                    }
                    "ph" if in_target => {
                        pieces.push(Piece::Ph(a.get("id").cloned().unwrap_or_default()))
                    }
                    other if in_target => {
                        return Err(bad(
                            line_at(pos),
                            format!(
                                "`<{other}>` in a target: only text, `<pc>` and `<ph>` can be imported"
                            ),
                        ));
                    }
                    _ => {}
                }
                // An empty `<target/>` or `<pc/>` ends where it starts.
                if is_empty {
                    end_element(&name, &mut in_target, &mut segment, &mut pieces, &mut files);
                }
            }
            XmlEvent::End(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                end_element(&name, &mut in_target, &mut segment, &mut pieces, &mut files);
            }
            XmlEvent::Text(t) if in_target => {
                let s = t
                    .decode()
                    .map_err(|e| bad(line_at(pos), format!("bad text: {e}")))?
                    .into_owned();
                push_text(&mut pieces, &s);
            }
            XmlEvent::CData(t) if in_target => {
                push_text(&mut pieces, &String::from_utf8_lossy(&t));
            }
            XmlEvent::GeneralRef(r) if in_target => {
                let s = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match &*r {
                        b"amp" => "&".into(),
                        b"lt" => "<".into(),
                        b"gt" => ">".into(),
                        b"quot" => "\"".into(),
                        b"apos" => "'".into(),
                        other => {
                            return Err(bad(
                                line_at(pos),
                                format!("unknown entity `&{};`", String::from_utf8_lossy(other)),
                            ));
                        }
                    },
                };
                push_text(&mut pieces, &s);
            }
            _ => {}
        }
    }
    Ok((trg_lang, files))
}

fn push_text(pieces: &mut Vec<Piece>, s: &str) {
    match pieces.last_mut() {
        Some(Piece::Text(t)) => t.push_str(s),
        _ => pieces.push(Piece::Text(s.to_string())),
    }
}

/// The Markdown of a target, its codes' markup taken from the source unit; `Err` says how the
/// codes differ.
fn target_markdown(source: &[Tok], target: &[Piece], kind: &str) -> Result<String, String> {
    let mut open: BTreeMap<String, String> = BTreeMap::new();
    let mut close: BTreeMap<String, String> = BTreeMap::new();
    let mut ph: BTreeMap<String, String> = BTreeMap::new();
    for t in source {
        match t {
            Tok::Open(id, m) => {
                open.insert(id.to_string(), m.clone());
            }
            Tok::Close(id, m) => {
                close.insert(id.to_string(), m.clone());
            }
            Tok::Ph(id, m) => {
                ph.insert(id.to_string(), m.clone());
            }
            Tok::Text(_) => {}
        }
    }
    let mut out = String::new();
    let mut stack: Vec<String> = Vec::new();
    let mut used_pc = BTreeSet::new();
    let mut used_ph = BTreeSet::new();
    let mut box_needs_space = false;
    for piece in target {
        if std::mem::take(&mut box_needs_space)
            && !matches!(piece, Piece::Text(s) if s.starts_with(char::is_whitespace))
        {
            out.push(' ');
        }
        match piece {
            Piece::Text(s) => escape_target_text(s, kind, &mut out),
            Piece::Open(id) => {
                let m = open.get(id).ok_or_else(|| {
                    format!("the target has a paired code `{id}` the source does not")
                })?;
                if !used_pc.insert(id.clone()) {
                    return Err(format!("the target uses the paired code `{id}` twice"));
                }
                out.push_str(m);
                stack.push(id.clone());
            }
            Piece::Close => {
                let id = stack.pop().unwrap_or_default();
                out.push_str(close.get(&id).map_or("", String::as_str));
            }
            Piece::Ph(id) => {
                let m = ph.get(id).ok_or_else(|| {
                    format!("the target has a placeholder `{id}` the source does not")
                })?;
                if !used_ph.insert(id.clone()) {
                    return Err(format!("the target uses the placeholder `{id}` twice"));
                }
                out.push_str(m);
                // A task list's box is one only with a space after it.
                box_needs_space = matches!(m.as_str(), "[ ]" | "[x]" | "[X]");
                continue;
            }
        }
    }
    let lost: Vec<&String> = open
        .keys()
        .filter(|id| !used_pc.contains(*id))
        .chain(ph.keys().filter(|id| !used_ph.contains(*id)))
        .collect();
    if !lost.is_empty() {
        return Err(format!(
            "the target lacks the source's inline code{} {}",
            if lost.len() == 1 { "" } else { "s" },
            lost.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    // A heading or cell is one line: the spaces a tool left around its text go.
    if matches!(kind, "heading" | "table cell") {
        return Ok(out.trim_matches([' ', '\t']).to_string());
    }
    Ok(out)
}

/// Appends a target's text to the Markdown being rebuilt, keeping the block the unit is: a
/// target's text is Markdown text as the source's is (an export writes the source as written,
/// escapes included), but what would change the page's structure is made harmless. A heading or
/// table cell stays on one line, a `|` in a cell stays in the cell, and a line may not start
/// another block (a list item, heading, quote). `kind` is the unit's; front matter values,
/// kind `""`, are written as strings and need none.
fn escape_target_text(text: &str, kind: &str, out: &mut String) {
    if kind.is_empty() {
        out.push_str(text);
        return;
    }
    let one_line = matches!(kind, "heading" | "table cell");
    let text = if one_line {
        // Each line break, with the spaces around it, becomes one space.
        let mut joined = String::with_capacity(text.len());
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                joined.truncate(joined.trim_end_matches([' ', '\t', '\r']).len());
                joined.push(' ');
                joined.push_str(line.trim_start_matches([' ', '\t']));
            } else {
                joined.push_str(line);
            }
        }
        joined
    } else {
        text.to_string()
    };
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let at_line_start = out.is_empty() || out.ends_with('\n');
        let mut rest = line;
        if at_line_start {
            let trimmed = line.trim_start();
            out.push_str(&line[..line.len() - trimmed.len()]);
            rest = trimmed;
            // What starts a block: a heading, quote, list item or thematic break.
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let after = rest.as_bytes().get(digits).copied();
            if digits > 0 && matches!(after, Some(b'.' | b')')) {
                out.push_str(&rest[..digits]);
                out.push('\\');
                rest = &rest[digits..];
            } else if rest.starts_with(['#', '>', '-', '+', '=', '*']) {
                out.push('\\');
            }
        }
        let mut escaped = false;
        for c in rest.chars() {
            if c == '|' && kind == "table cell" && !escaped {
                out.push('\\');
            }
            escaped = c == '\\' && !escaped;
            out.push(c);
        }
    }
}

/// A content file named in an XLIFF: relative, inside `content/`, a Markdown file.
fn content_file(name: &str) -> bool {
    name.starts_with(&format!("{CONTENT_DIR}/"))
        && name.ends_with(".md")
        && !name
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == ".." || s.contains('\\'))
}

/// Reads `xliff` and writes every translation it holds, or nothing when any file or unit
/// cannot be imported.
pub fn import(root: &Path, xliff: &Path) -> Result<Imported, Error> {
    let config = config::load(root).map_err(Error::Content)?;
    let shown = xliff.display().to_string();
    // An export of a whole site is a few MB; reading a far larger file would take the memory.
    const MAX_BYTES: u64 = 64 << 20;
    let size = std::fs::metadata(xliff)
        .map_err(|e| Error::io(xliff, e))?
        .len();
    if size > MAX_BYTES {
        return Err(Error::Content(vec![
            Diagnostic::error(
                Code::XliffImport,
                &shown,
                format!(
                    "the file is {} MB, more than the {} MB an import reads",
                    size >> 20,
                    MAX_BYTES >> 20
                ),
            )
            .suggest("import the file tebiki exported, with the targets filled in"),
        ]));
    }
    let text = std::fs::read_to_string(xliff).map_err(|e| Error::io(xliff, e))?;
    let (lang, files) = read_xliff(&text, &shown)?;
    if config.language(&lang).is_none() || config.is_default(&lang) {
        return Err(Error::Content(vec![
            Diagnostic::error(
                Code::XliffImport,
                &shown,
                format!("`trgLang` is `{lang}`, not a translation language of this site"),
            )
            .at(1, 1),
        ]));
    }
    let mut problems = Vec::new();
    let mut writes: Vec<(String, String, String)> = Vec::new();
    let mut translations = BTreeSet::new();
    for f in &files {
        let fail = |line: usize, message: String, hint: &str| {
            Diagnostic::error(Code::XliffImport, &shown, message)
                .at(line, 1)
                .suggest(hint.to_string())
        };
        let expected = content_file(&f.original).then(|| {
            let rel = &f.original[CONTENT_DIR.len() + 1..];
            format!(
                "{CONTENT_DIR}/{}",
                ContentPath::parse(rel).file_in(Some(&lang))
            )
        });
        if expected.as_deref() != Some(f.translation.as_str()) || !is_blob_id(&f.version) {
            problems.push(fail(
                f.line,
                format!("`<file original=\"{}\">` does not name a page of this site with its translation and version", f.original),
                "import the file tebiki exported, without changing its `<file>` attributes",
            ));
            continue;
        }
        if !translations.insert(f.translation.as_str()) {
            problems.push(fail(
                f.line,
                format!("a second `<file>` for `{}`", f.original),
                "import one translation of each page: remove the other `<file>`",
            ));
            continue;
        }
        no_symlink(root, &f.translation[CONTENT_DIR.len() + 1..])?;
        let original = match parse_file(root, &f.original) {
            Ok(p) => p,
            Err(Error::Content(mut d)) => {
                problems.append(&mut d);
                continue;
            }
            Err(e) => return Err(e),
        };
        let now = blob_id(&original.bytes);
        if now != f.version {
            problems.push(fail(
                f.line,
                format!(
                    "`{}` has changed since the export (exported version {}, now {})",
                    f.original,
                    &f.version[..7],
                    &now[..7]
                ),
                "export again and have the new file translated; tebiki does not merge translations of an older version",
            ));
            continue;
        }
        // Read once: its version now, and below the front matter it keeps.
        let existing = std::fs::read(root.join(&f.translation)).ok();
        let translation_now = existing
            .as_deref()
            .map_or_else(|| "new".to_string(), blob_id);
        if let Some(then) = &f.translation_version
            && *then != translation_now
        {
            let said = |v: &str| match v {
                "new" => "none".to_string(),
                v => format!("version {}", v.get(..7).unwrap_or(v)),
            };
            problems.push(fail(
                f.line,
                format!(
                    "`{}` has changed since the export (then {}, now {}): importing would overwrite what was written in it since",
                    f.translation,
                    said(then),
                    said(&translation_now)
                ),
                "export again, so that the file sent for translation holds those changes",
            ));
            continue;
        }
        let body_units = units(&original.body);
        let by_id: BTreeMap<&str, &ReadUnit> = f.units.iter().map(|u| (u.id.as_str(), u)).collect();
        // Each unit once, and only the page's: a tool that duplicated or added one would have
        // one of the copies win unseen.
        let known = |id: &str| {
            matches!(id, "title" | "summary")
                || id
                    .strip_prefix('u')
                    .and_then(|n| n.parse::<usize>().ok())
                    .is_some_and(|n| (1..=body_units.len()).contains(&n))
        };
        let mut seen = BTreeSet::new();
        for u in &f.units {
            let problem = if !seen.insert(u.id.as_str()) {
                format!("unit `{}` of `{}` appears twice", u.id, f.original)
            } else if !known(&u.id) {
                format!("unit `{}` is not a block of `{}`", u.id, f.original)
            } else {
                continue;
            };
            problems.push(fail(
                u.line,
                problem,
                "import the units tebiki exported, once each",
            ));
        }
        let mut texts = Vec::new();
        let mut fm: Vec<(&str, String)> = Vec::new();
        let mut ok = true;
        let mut target_of = |id: &str, toks: &[Tok], kind: &str, line: usize| -> Option<String> {
            let Some(unit) = by_id.get(id) else {
                problems.push(fail(
                    line,
                    format!("unit `{id}` of `{}` is missing from the file", f.original),
                    "export again",
                ));
                return None;
            };
            if unit.unreviewed {
                problems.push(fail(
                    unit.line,
                    format!(
                        "unit `{id}` of `{}` still has the old translation of a changed source (`state=\"initial\"`)",
                        f.original
                    ),
                    "review the unit against its new source, then confirm it (state `translated`) in your tool",
                ));
                return None;
            }
            if unit.untranslated_segment {
                problems.push(fail(
                    unit.line,
                    format!(
                        "unit `{id}` of `{}` has a segment without a target",
                        f.original
                    ),
                    "translate every segment of every unit before importing",
                ));
                return None;
            }
            let Some(target) = unit.target.as_ref().filter(|t| {
                t.iter()
                    .any(|p| !matches!(p, Piece::Text(s) if s.trim().is_empty()))
            }) else {
                problems.push(fail(
                    unit.line,
                    format!("unit `{id}` of `{}` has no target", f.original),
                    "translate every unit before importing",
                ));
                return None;
            };
            match target_markdown(toks, target, kind) {
                Ok(md) => Some(md),
                Err(message) => {
                    problems.push(fail(
                        unit.line,
                        format!("unit `{id}` of `{}`: {message}", f.original),
                        "keep every inline code of the source in the target, once each",
                    ));
                    None
                }
            }
        };
        for (key, value) in [("title", &original.title), ("summary", &original.summary)] {
            if value.as_ref().is_some_and(|v| !v.trim().is_empty()) {
                match target_of(key, &[Tok::Text(String::new())], "", f.line) {
                    Some(t) => fm.push((key, t)),
                    None => ok = false,
                }
            }
        }
        for (i, unit) in body_units.iter().enumerate() {
            match target_of(&format!("u{}", i + 1), &unit.toks, unit.kind, f.line) {
                Some(t) => texts.push(t),
                None => ok = false,
            }
        }
        if !ok {
            continue;
        }
        let body = rebuild(&original.body, &body_units, &texts);
        // The translation keeps its own front matter where it has one (tags, category in its
        // language); a new one starts from the original's.
        let base = existing
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_else(|| original.text.clone());
        let mut new = match frontmatter::split(&base) {
            Ok(split) => {
                let head_len = base.len() - split.body.len();
                format!("{}{body}", &base[..head_len])
            }
            Err(_) => original.text.clone(),
        };
        let mut edits: Vec<(&str, String)> = fm
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::from(v.trim()).to_string()))
            .collect();
        // As `mark` records it: git's version of the original (the same text as exported).
        let recorded = version_to_record(root, &root.join(&f.original), &original.bytes);
        edits.push(("translated_from", format!("\"{recorded}\"")));
        for (key, literal) in edits {
            match frontmatter_edit::set_key(&new, key, &literal) {
                Ok(text) => new = text,
                Err((line, message)) => {
                    problems.push(
                        Diagnostic::error(Code::FrontMatter, &f.translation, message).at(line, 1),
                    );
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            writes.push((f.translation.clone(), recorded, new));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Content(problems));
    }
    write_all(root, &writes)?;
    Ok(Imported {
        files: writes
            .into_iter()
            .map(|(f, v, text)| {
                let draft = frontmatter::is_draft(&text, &f);
                (f, v, draft)
            })
            .collect(),
    })
}

/// Writes every file, all or nothing as far as the file system allows: each new text goes to a
/// temporary file beside its file first, and only when all are written are they renamed.
fn write_all(root: &Path, writes: &[(String, String, String)]) -> Result<(), Error> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    for (file, _, text) in writes {
        let path = root.join(file);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = path.with_file_name(format!(".{name}.tebiki-import"));
        if let Err(e) = std::fs::write(&temp, text) {
            for (t, _) in &staged {
                let _ = std::fs::remove_file(t);
            }
            let _ = std::fs::remove_file(&temp);
            return Err(Error::Usage(format!(
                "cannot write {file}: {e}; nothing was imported, no file was changed"
            )));
        }
        staged.push((temp, path));
    }
    for (temp, path) in &staged {
        std::fs::rename(temp, path).map_err(|e| Error::io(path, e))?;
    }
    Ok(())
}

/// `tebiki translations import`.
pub fn run_import(root: &Path, xliff: &Path) -> Result<u8, Error> {
    let done = import(root, xliff)?;
    // A translation started with `tebiki new --lang` is a draft until an editor publishes it.
    for (file, version, draft) in &done.files {
        eprintln!(
            "  imported {file}, translated from version {}{}",
            &version[..7],
            if *draft {
                " (still a draft: remove `draft: true` to publish it)"
            } else {
                ""
            }
        );
    }
    Ok(0)
}

/// Checks `xml` against the rules of the XLIFF 2.1 core schema that a tebiki export can break:
/// the root element, namespace, version and languages; `<file>` holding `<notes>` then units;
/// `<unit>` holding `<notes>`, `<originalData>`, then segments; `<segment>` holding one
/// `<source>` and at most one `<target>`; unique ids of files, of units in a file, of data and
/// of inline codes in a unit; every `dataRef*` naming a `<data>` of its unit; inline codes only
/// in source and target. Returns the first broken rule.
pub fn validate_core(xml: &str) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut children: Vec<Vec<String>> = vec![Vec::new()];
    let mut file_ids = BTreeSet::new();
    let mut unit_ids = BTreeSet::new();
    let mut data_ids = BTreeSet::new();
    let mut refs: Vec<String> = Vec::new();
    let mut code_ids: BTreeSet<(String, String)> = BTreeSet::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("not well-formed: {e}"))?;
        let (start, empty) = match &event {
            XmlEvent::Start(e) => (Some(e.clone()), false),
            XmlEvent::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
            let a: BTreeMap<String, String> = e
                .attributes()
                .flatten()
                .filter_map(|a| {
                    Some((
                        String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                        a.unescape_value().ok()?.into_owned(),
                    ))
                })
                .collect();
            let parent = path.last().cloned().unwrap_or_default();
            let need = |attr: &str| -> Result<String, String> {
                a.get(attr)
                    .cloned()
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| format!("<{name}> lacks `{attr}`"))
            };
            let allowed: &[&str] = match parent.as_str() {
                "" => &["xliff"],
                "xliff" => &["file"],
                "file" => &["notes", "unit", "group", "skeleton"],
                "unit" => &["notes", "originalData", "segment", "ignorable"],
                "notes" => &["note"],
                "originalData" => &["data"],
                "segment" | "ignorable" => &["source", "target"],
                "source" | "target" | "pc" => &["pc", "ph", "sc", "ec", "mrk", "sm", "em", "cp"],
                other => {
                    return Err(format!(
                        "<{name}> inside <{other}>, which holds no elements"
                    ));
                }
            };
            if !allowed.contains(&name.as_str()) {
                return Err(format!("<{name}> is not allowed in <{parent}>"));
            }
            match name.as_str() {
                "xliff" => {
                    if a.get("xmlns").map(String::as_str) != Some(XLIFF_NS) {
                        return Err("<xliff> is not in the XLIFF 2 namespace".into());
                    }
                    if need("version")? != "2.1" {
                        return Err("version is not 2.1".into());
                    }
                    need("srcLang")?;
                }
                "file" => {
                    if !file_ids.insert(need("id")?) {
                        return Err("two <file>s share an id".into());
                    }
                    unit_ids.clear();
                }
                "unit" => {
                    if !unit_ids.insert(need("id")?) {
                        return Err("two <unit>s of a file share an id".into());
                    }
                    data_ids.clear();
                    refs.clear();
                    code_ids.clear();
                }
                "data" if !data_ids.insert(need("id")?) => {
                    return Err("two <data> of a unit share an id".into());
                }
                "pc" | "ph" => {
                    let side = path
                        .iter()
                        .rev()
                        .find(|p| *p == "source" || *p == "target")
                        .cloned()
                        .unwrap_or_default();
                    if !code_ids.insert((side, need("id")?)) {
                        return Err(format!(
                            "two inline codes of a unit share the id in <{name}>"
                        ));
                    }
                    for key in ["dataRef", "dataRefStart", "dataRefEnd"] {
                        if let Some(r) = a.get(key) {
                            refs.push(r.clone());
                        }
                    }
                }
                _ => {}
            }
            if let Some(siblings) = children.last_mut() {
                siblings.push(name.clone());
            }
            if !empty {
                path.push(name);
                children.push(Vec::new());
            } else if name == "unit" || name == "segment" || name == "file" {
                return Err(format!("<{name}> cannot be empty"));
            }
            continue;
        }
        match event {
            XmlEvent::End(_) => {
                let name = path.pop().unwrap_or_default();
                let kids = children.pop().unwrap_or_default();
                let order = |names: &[&str]| -> bool {
                    let mut rank = 0;
                    for k in &kids {
                        let Some(r) = names.iter().position(|n| n == k) else {
                            continue;
                        };
                        if r < rank {
                            return false;
                        }
                        rank = r;
                    }
                    true
                };
                match name.as_str() {
                    "file"
                        if !kids.iter().any(|k| k == "unit" || k == "group")
                            || !order(&["skeleton", "notes", "unit"]) =>
                    {
                        return Err("a <file> needs its <notes> before one or more <unit>s".into());
                    }
                    "unit" => {
                        if !kids.iter().any(|k| k == "segment")
                            || !order(&["notes", "originalData", "segment"])
                        {
                            return Err("a <unit> needs <notes>, <originalData>, then <segment>s, in that order".into());
                        }
                        if let Some(r) = refs.iter().find(|r| !data_ids.contains(*r)) {
                            return Err(format!(
                                "an inline code refers to <data id=\"{r}\">, which its unit lacks"
                            ));
                        }
                    }
                    "segment" => {
                        let sources = kids.iter().filter(|k| *k == "source").count();
                        let targets = kids.iter().filter(|k| *k == "target").count();
                        if sources != 1 || targets > 1 || !order(&["source", "target"]) {
                            return Err(
                                "a <segment> needs one <source> and at most one <target> after it"
                                    .into(),
                            );
                        }
                    }
                    "notes" if kids.is_empty() => return Err("<notes> needs a <note>".into()),
                    _ => {}
                }
            }
            XmlEvent::Eof => break,
            _ => {}
        }
    }
    if file_ids.is_empty() {
        return Err("an XLIFF document needs a <file>".into());
    }
    Ok(())
}

/// The end of element `name` in an imported file (`</name>`, or `<name/>`): a `<target>`
/// hands its pieces to the last unit, a `<pc>` closes its inline code.
fn end_element(
    name: &str,
    in_target: &mut bool,
    segment: &mut Option<bool>,
    pieces: &mut Vec<Piece>,
    files: &mut [ReadFile],
) {
    let unit = files.last_mut().and_then(|f| f.units.last_mut());
    match name {
        "target" => {
            *in_target = false;
            if let Some(u) = unit {
                // A unit split into segments has a target in each: they are joined in order.
                let target = u.target.get_or_insert_with(Vec::new);
                for piece in std::mem::take(pieces) {
                    match piece {
                        Piece::Text(s) => push_text(target, &s),
                        other => target.push(other),
                    }
                }
            }
        }
        "segment" => {
            if segment.take() == Some(false)
                && let Some(u) = unit
            {
                u.untranslated_segment = true;
            }
        }
        "pc" if *in_target => pieces.push(Piece::Close),
        _ => {}
    }
}
