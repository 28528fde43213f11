//! `tebiki translations import`: translations rebuilt from an XLIFF file's targets.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use quick_xml::events::Event as XmlEvent;

use super::{TEBIKI_NS, attributes, inline, links, parse_bytes, parse_file};
use crate::commands::new::no_symlink;
use crate::commands::replace::{Verb, replace_all};
use crate::commands::xliff::segments::{Tok, Unit, block_structure, rebuild, to_markdown, units};
use crate::diag::{Code, Diagnostic};
use crate::error::Error;
use crate::model::blob::{blob_id, is_blob_id, version_to_record};
use crate::model::config;
use crate::model::content_path::{CONTENT_DIR, ContentPath};
use crate::model::frontmatter;
use crate::model::frontmatter_edit;

// Import.

/// A line and column in the XLIFF file.
type At = (usize, usize);

/// A target's content: text, codes by id with where they are in the XLIFF file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Open(String, At),
    Close,
    Ph(String, At),
}

/// One `<unit>` read back.
#[derive(Debug, Default)]
struct ReadUnit {
    id: String,
    /// The targets of its segments (and ignorables), joined in order.
    target: Option<Vec<Piece>>,
    /// A segment of it has no target (a CAT tool split it and left a sentence untranslated):
    /// where the first is.
    untranslated_segment: Option<At>,
    /// A segment of it is still `state="initial"` (the export offered an old translation of a
    /// source that has changed, and no translator confirmed it): where the first one's `state`
    /// is.
    unreviewed: Option<At>,
    /// Line and column of its `<unit>` in the XLIFF file.
    at: At,
    /// Line and column of its first `<target>`: where a problem of its text is shown.
    target_at: Option<At>,
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
    /// Line and column of its `<file>` in the XLIFF file.
    at: (usize, usize),
}

/// What `import` wrote.
#[derive(Debug)]
pub struct Imported {
    /// (translation written, version it records, whether it is still a draft).
    pub files: Vec<(String, String, bool)>,
}

/// Line and column (1-based, the column in characters) of byte offsets in a text, asked for in
/// the order a reader goes through it: each byte is counted once, however long its line.
struct Cursor<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    column: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor {
            text,
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    fn at(&mut self, offset: usize) -> (usize, usize) {
        let offset = self.text.floor_char_boundary(offset);
        if offset < self.offset {
            *self = Cursor::new(self.text);
        }
        for c in self.text[self.offset..offset].chars() {
            if c == '\n' {
                self.line += 1;
                self.column = 1;
            } else {
                self.column += 1;
            }
        }
        self.offset = offset;
        (self.line, self.column)
    }
}

/// The `<xliff>` element's target language, with the line and column of its `trgLang`.
type TargetLanguage = (String, (usize, usize));

fn read_xliff(text: &str, file: &str) -> Result<(TargetLanguage, Vec<ReadFile>), Error> {
    let bad = |(line, column): (usize, usize), message: String| {
        Error::Content(vec![
            Diagnostic::error(Code::XliffImport, file, message)
                .at(line, column)
                .suggest("import the file tebiki exported, with the targets filled in"),
        ])
    };
    let mut cursor = Cursor::new(text);
    let mut reader = quick_xml::Reader::from_str(text);
    let mut files: Vec<ReadFile> = Vec::new();
    let mut trg_lang = (String::new(), (1, 1));
    // The prefix the document gives tebiki's namespace (`tbk` in an export; a tool that saves
    // it again may choose another).
    let mut tbk = "tbk".to_string();
    let mut state = Inside::default();
    // Whether the root element was read: a file with none (empty, plain text, a binary file)
    // is not XLIFF at all, which is what to say rather than anything about its contents.
    let mut root_seen = false;
    let not_xliff = "this is not an XLIFF file";
    loop {
        // Where the event starts: a `<`, a `&`, the first byte of text.
        let pos = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let at = cursor.at(reader.error_position() as usize);
                return Err(bad(at, format!("this is not well-formed XML: {e}")));
            }
        };
        let here = cursor.at(pos);
        match event {
            XmlEvent::Eof if !root_seen => {
                let message = if text.trim().is_empty() {
                    format!("{not_xliff}: it is empty")
                } else {
                    format!("{not_xliff}: it is not well-formed XML (it holds no element)")
                };
                return Err(bad((0, 0), message));
            }
            XmlEvent::Eof => break,
            XmlEvent::Text(ref t) if !root_seen && !t.iter().all(u8::is_ascii_whitespace) => {
                return Err(bad(
                    here,
                    format!("{not_xliff}: it is not well-formed XML (text before any element)"),
                ));
            }
            XmlEvent::Start(ref e) | XmlEvent::Empty(ref e) => {
                let is_empty = matches!(event, XmlEvent::Empty(_));
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if !root_seen && name != "xliff" {
                    return Err(bad(
                        here,
                        format!("{not_xliff}: its root element is `<{name}>`, not `<xliff>`"),
                    ));
                }
                root_seen = true;
                // Past the `<`, where the attributes' offsets start.
                let inside = pos + 1;
                let a = attributes(e).map_err(|wrong| {
                    bad(
                        cursor.at(inside + wrong.at),
                        format!("this is not well-formed XML: {}", wrong.message),
                    )
                })?;
                let attribute_at = |cursor: &mut Cursor<'_>, key: &str| {
                    cursor.at(inside + attribute_offset(e, key).unwrap_or(0))
                };
                match name.as_str() {
                    "xliff" => {
                        if a.get("version").map(String::as_str) != Some("2.1")
                            && a.get("version").map(String::as_str) != Some("2.0")
                        {
                            let at = match a.contains_key("version") {
                                true => attribute_at(&mut cursor, "version"),
                                false => here,
                            };
                            return Err(bad(at, "not an XLIFF 2 document".into()));
                        }
                        let lang_at = match a.contains_key("trgLang") {
                            true => attribute_at(&mut cursor, "trgLang"),
                            false => here,
                        };
                        trg_lang = (a.get("trgLang").cloned().unwrap_or_default(), lang_at);
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
                        at: here,
                    }),
                    "unit" => {
                        if let Some(f) = files.last_mut() {
                            f.units.push(ReadUnit {
                                id: a.get("id").cloned().unwrap_or_default(),
                                at: here,
                                ..ReadUnit::default()
                            });
                        }
                    }
                    "segment" | "ignorable" => {
                        state.part = Some(Part {
                            ignorable: name == "ignorable",
                            at: here,
                            ..Part::default()
                        });
                        // XLIFF's states. A segment without one is `initial` in XLIFF 2, but
                        // tebiki wrote none on a confirmed target before it wrote `translated`:
                        // such a file is read as it was then.
                        match a.get("state").map(String::as_str) {
                            None | Some("translated" | "reviewed" | "final") => {}
                            Some("initial") => {
                                let at = attribute_at(&mut cursor, "state");
                                if let Some(u) = files.last_mut().and_then(|f| f.units.last_mut()) {
                                    u.unreviewed.get_or_insert(at);
                                }
                            }
                            Some(other) => {
                                let at = attribute_at(&mut cursor, "state");
                                return Err(Error::Content(vec![
                                    Diagnostic::error(
                                        Code::XliffImport,
                                        file,
                                        format!(
                                            "`state=\"{other}\"` is not a state of XLIFF 2: a segment is `initial`, `translated`, `reviewed` or `final`"
                                        ),
                                    )
                                    .at(at.0, at.1)
                                    .suggest(
                                        "give the segment one of these states in your tool (a tool's own state belongs in `subState`)",
                                    ),
                                ]));
                            }
                        }
                    }
                    "target" => {
                        state.target = true;
                        state.pieces.clear();
                        if let Some(u) = files.last_mut().and_then(|f| f.units.last_mut()) {
                            u.target_at.get_or_insert(here);
                        }
                        if let Some(part) = state.part.as_mut() {
                            part.had_target = true;
                        }
                    }
                    // The text between a unit's segments, which a CAT tool keeps apart as
                    // ignorable: not translated, it is the target's too where it has none.
                    "source" if state.part.as_ref().is_some_and(|p| p.ignorable) => {
                        state.ignorable_source = true;
                        state.pieces.clear();
                    }
                    "pc" if state.reading() => state
                        .pieces
                        .push(Piece::Open(a.get("id").cloned().unwrap_or_default(), here)),
                    "ph" if state.reading() => state
                        .pieces
                        .push(Piece::Ph(a.get("id").cloned().unwrap_or_default(), here)),
                    "sc" | "ec" if state.reading() => {
                        return Err(Error::Content(vec![
                            Diagnostic::error(
                                Code::XliffImport,
                                file,
                                format!(
                                    "`<{name}>` in a target: codes that span segments (`<sc>` and `<ec>`) are not supported"
                                ),
                            )
                            .at(here.0, here.1)
                            .suggest(
                                "keep each `<pc>` within one segment in your CAT tool, or merge the segments it spans",
                            ),
                        ]));
                    }
                    // Annotations a CAT tool adds (a term, a comment, a reviewer's mark):
                    // `<mrk>` around text, `<sm/>` and `<em/>` at its ends. They mark the text
                    // and are no markup of the page: their text is the target's.
                    "mrk" | "sm" | "em" if state.reading() => {}
                    other if state.reading() => {
                        return Err(bad(
                            here,
                            format!(
                                "`<{other}>` in a target: only text, `<pc>`, `<ph>` and annotations (`<mrk>`, `<sm/>`, `<em/>`) can be imported"
                            ),
                        ));
                    }
                    _ => {}
                }
                // An empty `<target/>` or `<pc/>` ends where it starts.
                if is_empty {
                    state.end(&name, &mut files);
                }
            }
            XmlEvent::End(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                state.end(&name, &mut files);
            }
            XmlEvent::Text(t) if state.reading() => {
                let s = t
                    .decode()
                    .map_err(|e| bad(here, format!("bad text: {e}")))?
                    .into_owned();
                push_text(&mut state.pieces, &s);
            }
            XmlEvent::CData(t) if state.reading() => {
                push_text(&mut state.pieces, &String::from_utf8_lossy(&t));
            }
            XmlEvent::GeneralRef(r) if state.reading() => {
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
                                here,
                                format!("unknown entity `&{};`", String::from_utf8_lossy(other)),
                            ));
                        }
                    },
                };
                push_text(&mut state.pieces, &s);
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

/// A target written as Markdown, and where each code's markup went in it.
#[derive(Debug)]
struct Written {
    markdown: String,
    /// The target's codes in its order (soft line breaks, which are text, apart).
    codes: Vec<WrittenCode>,
}

#[derive(Debug)]
struct WrittenCode {
    id: usize,
    /// Its markup: a pair's opening, a placeholder's one.
    open: Range<usize>,
    /// A pair's closing markup.
    close: Option<Range<usize>>,
    /// Its `<pc>` or `<ph>` in the XLIFF file.
    at: At,
}

impl WrittenCode {
    /// From its first markup's start to its last one's end: what Markdown reads as its element.
    fn range(&self) -> (usize, usize) {
        let end = self.close.as_ref().unwrap_or(&self.open).end;
        (self.open.start, end)
    }

    /// Its markup: one range, or two for a pair.
    fn markup(&self) -> impl Iterator<Item = &Range<usize>> {
        std::iter::once(&self.open).chain(&self.close)
    }
}

/// Why a target cannot be imported: what to say, and where in the XLIFF file (`None`: at the
/// target).
#[derive(Debug)]
struct Refusal {
    message: String,
    help: String,
    at: Option<At>,
}

impl Refusal {
    fn codes(message: String, at: Option<At>) -> Self {
        Refusal {
            message,
            help: "keep every inline code of the source in the target, once each".into(),
            at,
        }
    }
}

/// The Markdown of a target, its codes' markup taken from the source unit, or from `rewrite`
/// (by code id: other opening and closing markup); `Err` says how the codes differ.
fn target_markdown(
    source: &[Tok],
    target: &[Piece],
    kind: &str,
    rewrite: &HashMap<usize, (String, String)>,
) -> Result<Written, Refusal> {
    let mut open: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut close: BTreeMap<String, String> = BTreeMap::new();
    let mut ph: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for t in source {
        match t {
            Tok::Open(id, m) => {
                let m = rewrite.get(id).map_or(m, |(o, _)| o);
                open.insert(id.to_string(), (*id, m.clone()));
            }
            Tok::Close(id, m) => {
                let m = rewrite.get(id).map_or(m, |(_, c)| c);
                close.insert(id.to_string(), m.clone());
            }
            Tok::Ph(id, m) => {
                ph.insert(id.to_string(), (*id, m.clone()));
            }
            Tok::Text(_) => {}
        }
    }
    let mut out = String::new();
    let mut codes: Vec<WrittenCode> = Vec::new();
    // The open pairs: their ids and their place in `codes`.
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut used_pc = BTreeSet::new();
    let mut used_ph = BTreeSet::new();
    // Where the last code's markup ends: a line break after it is the target's text.
    let mut markup_end = 0;
    // After a code's opening markup at a line's start (space there would make `* ` a list
    // item) and after a task's box (which its text follows on its line).
    let mut skip_space = false;
    // Where the target's text ends: a line break after it ends nothing.
    let last_text = target
        .iter()
        .rposition(|p| !matches!(p, Piece::Text(s) if s.trim().is_empty()));
    for (index, piece) in target.iter().enumerate() {
        // A soft line break's placeholder is a line break in the text, escaped as one.
        let soft_break = matches!(piece, Piece::Ph(id, _)
            if ph.get(id).is_some_and(|(_, m)| matches!(m.as_str(), "\n" | "\r\n" | " \n" | " \r\n")));
        if !matches!(piece, Piece::Text(_)) && !soft_break {
            // A code's markup cannot be escaped: a line break of the text before it becomes a
            // space (as a reader sees it), so that the markup cannot start a block.
            if out.len() > markup_end && out.ends_with('\n') {
                out.pop();
                out.push(' ');
            }
            skip_space =
                matches!(piece, Piece::Open(..)) && (out.is_empty() || out.ends_with('\n'));
        }
        let before = out.len();
        match piece {
            Piece::Text(s) => {
                let s = if std::mem::take(&mut skip_space) {
                    s.trim_start_matches([' ', '\t', '\r', '\n'])
                } else {
                    s
                };
                escape_target_text(s, kind, &mut out);
                continue;
            }
            Piece::Open(id, at) => {
                let (n, m) = open.get(id).ok_or_else(|| {
                    Refusal::codes(
                        format!("the target has a paired code `{id}` the source does not"),
                        Some(*at),
                    )
                })?;
                if !used_pc.insert(id.clone()) {
                    return Err(Refusal::codes(
                        format!("the target uses the paired code `{id}` twice"),
                        Some(*at),
                    ));
                }
                out.push_str(m);
                stack.push((id.clone(), codes.len()));
                codes.push(WrittenCode {
                    id: *n,
                    open: before..out.len(),
                    close: None,
                    at: *at,
                });
            }
            Piece::Close => {
                let (id, index) = stack.pop().unwrap_or_default();
                out.push_str(close.get(&id).map_or("", String::as_str));
                if let Some(code) = codes.get_mut(index) {
                    code.close = Some(before..out.len());
                }
            }
            Piece::Ph(id, at) => {
                let (n, m) = ph.get(id).ok_or_else(|| {
                    Refusal::codes(
                        format!("the target has a placeholder `{id}` the source does not"),
                        Some(*at),
                    )
                })?;
                if !used_ph.insert(id.clone()) {
                    return Err(Refusal::codes(
                        format!("the target uses the placeholder `{id}` twice"),
                        Some(*at),
                    ));
                }
                if soft_break {
                    escape_target_text("\n", kind, &mut out);
                    continue;
                }
                // A hard line break the translator moved to the end breaks no line there: it
                // is left out, rather than leave its `\` as text.
                let hard_break = m.trim_end_matches(['\r', '\n']).len() < m.len();
                if !(hard_break && Some(index) == last_text) {
                    out.push_str(m);
                }
                codes.push(WrittenCode {
                    id: *n,
                    open: before..out.len(),
                    close: None,
                    at: *at,
                });
                // A task list's box is one only with a space, and text, after it on its line.
                if matches!(m.as_str(), "[ ]" | "[x]" | "[X]") {
                    out.push(' ');
                    skip_space = true;
                }
            }
        }
        markup_end = out.len();
    }
    let lost: Vec<&String> = open
        .keys()
        .filter(|id| !used_pc.contains(*id))
        .chain(ph.keys().filter(|id| !used_ph.contains(*id)))
        .collect();
    if !lost.is_empty() {
        return Err(Refusal::codes(
            format!(
                "the target lacks the source's inline code{} {}",
                if lost.len() == 1 { "" } else { "s" },
                lost.iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None,
        ));
    }
    // A heading or cell is one line: the spaces a tool left around its text go. A paragraph
    // or list item ends where its text does: a line break after it would make the next line a
    // blank one (a tight list loose).
    let (lead, markdown) = match kind {
        "heading" | "table cell" => {
            let start = out.trim_start_matches([' ', '\t']);
            (out.len() - start.len(), start.trim_end_matches([' ', '\t']))
        }
        "" => (0, out.as_str()),
        _ => (0, out.trim_end_matches([' ', '\t', '\n'])),
    };
    let len = markdown.len();
    let markdown = markdown.to_string();
    let fit = |r: &Range<usize>| {
        r.start.saturating_sub(lead).min(len)..r.end.saturating_sub(lead).min(len)
    };
    for code in &mut codes {
        code.open = fit(&code.open);
        code.close = code.close.as_ref().map(fit);
    }
    Ok(Written { markdown, codes })
}

/// The Markdown of a target (see [`target_markdown`]) that Markdown reads as the target says:
/// each code the element it is in the source (`definitions`: the page's, see
/// [`inline::definitions`]). Where a code's markup reads as something else beside the target's
/// text or another code, the markup that reads the same in more places is tried
/// ([`inline::alternative`]); where none does, the target is refused, saying which codes touch.
fn compose(
    source: &[Tok],
    target: &[Piece],
    kind: &str,
    definitions: &str,
) -> Result<String, Vec<Refusal>> {
    let mut rewrite = HashMap::new();
    if kind.is_empty() {
        return Ok(target_markdown(source, target, kind, &rewrite)
            .map_err(|r| vec![r])?
            .markdown);
    }
    let expected = inline::source_elements(source, definitions);
    let markup = |id: usize| {
        let find = |close: bool| {
            source.iter().find_map(|t| match t {
                Tok::Open(i, m) if *i == id && !close => Some(m.as_str()),
                Tok::Close(i, m) if *i == id && close => Some(m.as_str()),
                _ => None,
            })
        };
        (find(false).unwrap_or(""), find(true).unwrap_or(""))
    };
    loop {
        let written = target_markdown(source, target, kind, &rewrite).map_err(|r| vec![r])?;
        let reading = inline::read(&written.markdown, definitions);
        // (A source that is not one block read alone, which no unit is, is not held to it.)
        if !reading.one_block && inline::read(&to_markdown(source), definitions).one_block {
            return Err(vec![Refusal {
                message: format!("its target would not stay one {kind}, as its source is"),
                help: "keep the target's inline codes off the start of a line".into(),
                at: None,
            }]);
        }
        let found = reading.elements;
        let wrong: Vec<&WrittenCode> = written
            .codes
            .iter()
            .filter(|code| {
                let Some(want) = expected.get(&code.id) else {
                    return false;
                };
                let (start, end) = code.range();
                // A line break a block ends with is none, in the source as here.
                let gone = start == written.markdown.len() && want.kind == "line break";
                !gone && !found.get(&(start, end)).is_some_and(|e| e.reads_as(want))
            })
            .collect();
        if wrong.is_empty() {
            return Ok(written.markdown);
        }
        let mut more = false;
        for code in &wrong {
            let (open, close) = markup(code.id);
            if let Some(alt) = expected
                .get(&code.id)
                .and_then(|want| inline::alternative(open, close, want))
                && !rewrite.contains_key(&code.id)
            {
                rewrite.insert(code.id, alt);
                more = true;
            }
        }
        if !more {
            return Err(misread(&written, &wrong, &expected));
        }
    }
}

/// The refusals of a target whose codes Markdown would read as other markup: for each such
/// code, the code it touches, if any, with the Markdown as it would be written.
fn misread(
    written: &Written,
    wrong: &[&WrittenCode],
    expected: &HashMap<usize, inline::Element>,
) -> Vec<Refusal> {
    let kind = |code: &WrittenCode| expected.get(&code.id).map_or("inline code", |e| e.kind);
    let touches = |a: &WrittenCode, b: &WrittenCode| {
        a.markup()
            .any(|x| b.markup().any(|y| x.end == y.start || y.end == x.start))
    };
    // The Markdown around some codes, a few characters either side.
    let md = &written.markdown;
    let excerpt = |codes: &[&WrittenCode]| {
        let start = codes.iter().map(|c| c.range().0).min().unwrap_or(0);
        let end = codes.iter().map(|c| c.range().1).max().unwrap_or(start);
        let from = md[..start]
            .char_indices()
            .rev()
            .nth(9)
            .map_or(0, |(i, _)| i);
        let to = md[end..]
            .char_indices()
            .nth(10)
            .map_or(md.len(), |(i, _)| end + i);
        format!(
            "{}{}{}",
            if from > 0 { "…" } else { "" },
            &md[from..to],
            if to < md.len() { "…" } else { "" }
        )
    };
    let mut told = BTreeSet::new();
    let mut out = Vec::new();
    for &code in wrong {
        if told.contains(&code.id) {
            continue;
        }
        let other = written
            .codes
            .iter()
            .find(|c| c.id != code.id && touches(c, code));
        out.push(match other {
            Some(other) => {
                let (a, b) = if other.range().0 < code.range().0 {
                    (other, code)
                } else {
                    (code, other)
                };
                told.insert(other.id);
                Refusal {
                    message: format!(
                        "the inline codes `{}` ({}) and `{}` ({}) touch: written side by side, as `{}`, Markdown would read them as other markup than the source's",
                        a.id,
                        kind(a),
                        b.id,
                        kind(b),
                        excerpt(&[a, b])
                    ),
                    help: "put a character between the two codes (a space, `・` or `、`), or put one code around both".into(),
                    at: Some(a.at),
                }
            }
            None => Refusal {
                message: format!(
                    "the inline code `{}` would not be read as {} where the target puts it: written as `{}`, Markdown reads it otherwise",
                    code.id,
                    with_article(kind(code)),
                    excerpt(&[code])
                ),
                help: "put a space or other character between the code and the text it touches, or move the code: Markdown reads markup by the characters on either side of it".into(),
                at: Some(code.at),
            },
        });
        told.insert(code.id);
    }
    out
}

/// `a footnote reference`, `emphasis`: an element's kind as a sentence names one.
fn with_article(kind: &str) -> String {
    match kind {
        "footnote reference" | "link" | "line break" | "superscript" | "subscript" => {
            format!("a {kind}")
        }
        "image" | "autolink" => format!("an {kind}"),
        other => other.to_string(),
    }
}

/// Appends a target's text to the Markdown being rebuilt, keeping the block the unit is: a
/// target's text is Markdown text as the source's is (an export writes the source as written,
/// escapes included), but what would change the page's structure is made harmless. A heading or
/// table cell stays on one line, a `|` in a cell stays in the cell; in a paragraph or list item
/// a blank line (which would end the block) is folded away, no line starts with the 4 spaces of
/// indented code, and a line may not start another block: a list item, heading, quote, code
/// fence, HTML block, link reference definition, thematic break or setext underline, or a
/// table's delimiter row. `kind` is the unit's; front matter values, kind `""`, are written as
/// strings and need none.
fn escape_target_text(text: &str, kind: &str, out: &mut String) {
    if kind.is_empty() {
        out.push_str(text);
        return;
    }
    // A carriage return ends a line in Markdown as a line feed does.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let one_line = matches!(kind, "heading" | "table cell");
    let text = if one_line {
        // Each line break, with the spaces around it, becomes one space.
        let mut joined = String::with_capacity(text.len());
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                joined.truncate(joined.trim_end_matches([' ', '\t']).len());
                joined.push(' ');
                joined.push_str(line.trim_start_matches([' ', '\t']));
            } else {
                joined.push_str(line);
            }
        }
        joined
    } else {
        text
    };
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            // A line with nothing on it yet (the unit's start, or a blank line) is not ended:
            // a blank line would end the paragraph or list item.
            let line_start = out.rfind('\n').map_or(0, |n| n + 1);
            if out[line_start..].trim_matches([' ', '\t']).is_empty() {
                out.truncate(line_start);
            } else {
                out.push('\n');
            }
        }
        let mut rest = line;
        if out.is_empty() || out.ends_with('\n') {
            // Spaces at a line's start mean nothing in a paragraph, but four make code.
            rest = rest.trim_start_matches([' ', '\t']);
            escape_block_start(rest, out);
            if let Some(digits) = ordered_marker(rest) {
                out.push_str(&rest[..digits]);
                out.push('\\');
                rest = &rest[digits..];
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

/// Whether `line[at..]` is the end of a list marker or heading mark: a space, a tab or the
/// end. The end of a text may be followed by a code's markup on the same line, which an escape
/// there cannot harm.
fn marker_end(line: &str, at: usize) -> bool {
    matches!(line.as_bytes().get(at), None | Some(b' ' | b'\t'))
}

/// The number of digits of an ordered list's marker (`1.`, `2)`) that `line` starts with: up
/// to nine digits, then `.` or `)` and a space, a tab or the end (`26.7%` is none).
fn ordered_marker(line: &str) -> Option<usize> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    ((1..=9).contains(&digits)
        && matches!(line.as_bytes().get(digits), Some(b'.' | b')'))
        && marker_end(line, digits + 1))
    .then_some(digits)
}

/// Pushes a `\\` when `line`, at the start of a line, would start a block of its own (an
/// ordered list's marker is escaped after its digits, by the caller).
fn escape_block_start(line: &str, out: &mut String) {
    let bytes = line.as_bytes();
    let only = |allowed: &[u8]| bytes.iter().all(|b| allowed.contains(b));
    // Three or more of `mark` and nothing else but spaces: a thematic break.
    let rule =
        |mark: u8| only(&[mark, b' ', b'\t']) && bytes.iter().filter(|&&b| b == mark).count() >= 3;
    // `mark`s and spaces after them only: a setext heading's underline.
    let underline = |mark: u8| {
        line.trim_end_matches([' ', '\t'])
            .bytes()
            .all(|b| b == mark)
    };
    let opens = match bytes.first() {
        Some(b'>') => true,
        // A heading: one to six `#` and a space, a tab or the end (`#1` is text).
        Some(b'#') => {
            let marks = bytes.iter().take_while(|&&b| b == b'#').count();
            marks <= 6 && marker_end(line, marks)
        }
        // A list item (`- `, `+ `, `* `), a thematic break, a setext underline (`--`, `==`).
        Some(b'-' | b'+' | b'*') if marker_end(line, 1) => true,
        Some(&mark @ (b'-' | b'*' | b'_')) if rule(mark) => true,
        Some(&mark @ (b'-' | b'=')) if underline(mark) => true,
        // A table's delimiter row (`|---|`, `:--|--`, `-|-`).
        Some(b'-') => only(b"|-: \t") && bytes.contains(&b'|'),
        // Code fence.
        Some(b'`') => line.starts_with("```"),
        Some(b'~') => line.starts_with("~~~"),
        // HTML block: a tag, a closing tag, a comment, a declaration, a processing instruction.
        Some(b'<') => bytes
            .get(1)
            .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?')),
        // Link reference or footnote definition: `[label]:`.
        Some(b'[') => line[1..]
            .find(']')
            .is_some_and(|end| line[1 + end + 1..].starts_with(':')),
        // A table's delimiter row (`|---|`, `:--|--`).
        Some(b'|' | b':') => only(b"|-: \t") && bytes.contains(&b'-'),
        _ => false,
    };
    if opens {
        out.push('\\');
    }
}

/// The byte offset of attribute `key` in element `e`, from just after its `<`.
fn attribute_offset(e: &quick_xml::events::BytesStart<'_>, key: &str) -> Option<usize> {
    let element: &[u8] = e;
    let mut iter = e.attributes();
    iter.with_checks(false);
    iter.flatten().find_map(|a| {
        let name = a.key.into_inner();
        (name == key.as_bytes())
            .then(|| (name.as_ptr() as usize).saturating_sub(element.as_ptr() as usize))
    })
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
    let bytes = std::fs::read(xliff).map_err(|e| Error::io(xliff, e))?;
    let text = super::decode(&bytes).map_err(|not| {
        Error::Content(vec![
            Diagnostic::error(Code::XliffImport, &shown, not.message)
                .at(not.line, not.column)
                .suggest("save the file as UTF-8 in your CAT tool (or as UTF-16, with a byte order mark), and import that"),
        ])
    })?;
    let ((lang, lang_at), files) = read_xliff(&text, &shown)?;
    if config.language(&lang).is_none() || config.is_default(&lang) {
        return Err(Error::Content(vec![
            Diagnostic::error(
                Code::XliffImport,
                &shown,
                format!("`trgLang` is `{lang}`, not a translation language of this site"),
            )
            .at(lang_at.0, lang_at.1),
        ]));
    }
    let mut problems = Vec::new();
    let mut writes: Vec<(String, String, String)> = Vec::new();
    let mut translations = BTreeSet::new();
    for f in &files {
        let fail = |(line, column): (usize, usize), message: String, hint: &str| {
            Diagnostic::error(Code::XliffImport, &shown, message)
                .at(line, column)
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
                f.at,
                format!("`<file original=\"{}\">` does not name a page of this site with its translation and version", f.original),
                "import the file tebiki exported, without changing its `<file>` attributes",
            ));
            continue;
        }
        if !translations.insert(f.translation.as_str()) {
            problems.push(fail(
                f.at,
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
                f.at,
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
                f.at,
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
        let translation = existing
            .clone()
            .and_then(|bytes| parse_bytes(&f.translation, bytes).ok());
        let own = links::own_links(
            root,
            &f.original,
            &original,
            &body_units,
            translation.as_ref(),
        );
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
                u.at,
                problem,
                "import the units tebiki exported, once each",
            ));
        }
        let definitions = inline::definitions(&original.body);
        let mut texts = Vec::new();
        let mut fm: Vec<(&str, String)> = Vec::new();
        let mut ok = true;
        let mut target_of = |id: &str,
                             toks: &[Tok],
                             kind: &str,
                             at: (usize, usize)|
         -> Option<String> {
            let Some(unit) = by_id.get(id) else {
                problems.push(fail(
                    at,
                    format!("unit `{id}` of `{}` is missing from the file", f.original),
                    "export again",
                ));
                return None;
            };
            if let Some(state_at) = unit.unreviewed {
                problems.push(fail(
                    state_at,
                    format!(
                        "unit `{id}` of `{}` still has the old translation of a changed source (`state=\"initial\"`)",
                        f.original
                    ),
                    "review the unit against its new source, then confirm it (state `translated`) in your tool",
                ));
                return None;
            }
            if let Some(segment_at) = unit.untranslated_segment {
                problems.push(fail(
                    segment_at,
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
                    unit.at,
                    format!("unit `{id}` of `{}` has no target", f.original),
                    "translate every unit before importing",
                ));
                return None;
            };
            match compose(toks, target, kind, &definitions) {
                Ok(md) => Some(md),
                Err(refusals) => {
                    for refusal in refusals {
                        problems.push(fail(
                            refusal.at.or(unit.target_at).unwrap_or(unit.at),
                            format!("unit `{id}` of `{}`: {}", f.original, refusal.message),
                            &refusal.help,
                        ));
                    }
                    None
                }
            }
        };
        for (key, value) in [("title", &original.title), ("summary", &original.summary)] {
            if value.as_ref().is_some_and(|v| !v.trim().is_empty()) {
                match target_of(key, &[Tok::Text(String::new())], "", f.at) {
                    Some(t) => fm.push((key, t)),
                    None => ok = false,
                }
            }
        }
        for (i, unit) in body_units.iter().enumerate() {
            let toks = links::with_own(&unit.toks, own.get(i));
            match target_of(&format!("u{}", i + 1), &toks, unit.kind, f.at) {
                Some(t) => texts.push(unit.continued(&t)),
                None => ok = false,
            }
        }
        if !ok {
            continue;
        }
        let body = rebuild(&original.body, &body_units, &texts);
        // Escaping keeps text from starting a block; a code's markup moved to a line's start
        // (an HTML comment after a line break) cannot be escaped, and is refused.
        let blocks = block_structure(&original.body);
        if block_structure(&body) != blocks {
            let mut found = false;
            for (i, unit) in body_units.iter().enumerate() {
                let mut alone: Vec<String> = body_units.iter().map(Unit::markdown).collect();
                alone[i] = texts[i].clone();
                if block_structure(&rebuild(&original.body, &body_units, &alone)) != blocks {
                    found = true;
                    let id = format!("u{}", i + 1);
                    let at = by_id
                        .get(id.as_str())
                        .map_or(f.at, |u| u.target_at.unwrap_or(u.at));
                    problems.push(fail(
                        at,
                        format!(
                            "unit `{id}` of `{}`: its target would not stay one {}, as its source is",
                            f.original, unit.kind
                        ),
                        "keep the target's inline codes off the start of a line",
                    ));
                }
            }
            if !found {
                problems.push(fail(
                    f.at,
                    format!(
                        "the targets of `{}` would change the page's blocks",
                        f.original
                    ),
                    "keep the targets' inline codes off the start of a line",
                ));
            }
            continue;
        }
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
    let changes: Vec<(PathBuf, &str, &str)> = writes
        .iter()
        .map(|(file, _, text)| (root.join(file), file.as_str(), text.as_str()))
        .collect();
    let verb = Verb {
        done: "imported",
        temp: "tebiki-import",
    };
    replace_all(&changes, &verb)?;
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

/// A `<segment>` or `<ignorable>` being read.
#[derive(Debug, Default)]
struct Part {
    ignorable: bool,
    /// Where it starts in the XLIFF file.
    at: At,
    had_target: bool,
    /// An ignorable's source.
    source: Vec<Piece>,
}

/// Where the reader of an imported file is inside a `<unit>`, and what it has read there.
#[derive(Debug, Default)]
struct Inside {
    /// In a `<target>`.
    target: bool,
    /// In an `<ignorable>`'s `<source>`.
    ignorable_source: bool,
    part: Option<Part>,
    /// The content read so far.
    pieces: Vec<Piece>,
}

impl Inside {
    /// Whether content is read here: in a target, or in an ignorable's source.
    fn reading(&self) -> bool {
        self.target || self.ignorable_source
    }

    /// The end of element `name` (`</name>`, or `<name/>`): a `<target>` hands its pieces to
    /// the last unit, and so does an `<ignorable>` without one its source's; a `<pc>` closes
    /// its inline code.
    fn end(&mut self, name: &str, files: &mut [ReadFile]) {
        let unit = files.last_mut().and_then(|f| f.units.last_mut());
        // A unit split into segments has a target in each: they are joined in order.
        let append = |unit: Option<&mut ReadUnit>, pieces: Vec<Piece>| {
            if let Some(u) = unit {
                let target = u.target.get_or_insert_with(Vec::new);
                for piece in pieces {
                    match piece {
                        Piece::Text(s) => push_text(target, &s),
                        other => target.push(other),
                    }
                }
            }
        };
        match name {
            "target" => {
                self.target = false;
                append(unit, std::mem::take(&mut self.pieces));
            }
            "source" if self.ignorable_source => {
                self.ignorable_source = false;
                if let Some(part) = self.part.as_mut() {
                    part.source = std::mem::take(&mut self.pieces);
                }
            }
            "segment" => {
                if let Some(part) = self.part.take().filter(|p| !p.had_target)
                    && let Some(u) = unit
                {
                    u.untranslated_segment.get_or_insert(part.at);
                }
            }
            "ignorable" => {
                if let Some(part) = self.part.take().filter(|p| !p.had_target) {
                    append(unit, part.source);
                }
            }
            "pc" if self.reading() => self.pieces.push(Piece::Close),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Targets that would each open a block of their own, or end the one they are in, if
    /// written as they are.
    const HOSTILE: &[&str] = &[
        "最初\n\n```\nfence",
        "x\n```",
        "x\n  ~~~",
        "```",
        "x\n<div>",
        "<div>",
        "x\n</div>",
        "x\n<!-- c -->",
        "x\n<?php ?>",
        "x\n<!DOCTYPE html>",
        "x\n<script>",
        "[a]: /u",
        "x\n[a]: /u \"t\"",
        "x\n[^1]: note",
        "x\n---",
        "x\n===",
        "x\n***",
        "x\n___",
        "x\n* * *",
        "x\n- - -",
        "x\n1. one",
        "x\n1) one",
        "7. seven",
        "x\n    code",
        "    code",
        "\tcode",
        "x\n\tcode",
        "x\n- item",
        "x\n+ item",
        "x\n* item",
        "x\n-",
        "x\n--",
        "x\n==",
        "x\n- ",
        "x\n#",
        "x\n###### h",
        "x\n1.",
        "x\n123456789) y",
        "a | b\n-|-",
        "x\n# h",
        "x\n> q",
        "- a",
        "> a",
        "# a",
        "x\n| a | b |\n|---|---|",
        "a | b\n:--|--",
        "x\r\ry",
        "x\r\n\r\ny",
        "\n\nx",
        "x\n\n",
        "x\n \n y",
        "x  \n---",
        "x\\\n```",
    ];

    /// Bodies with a unit in each kind of place a paragraph or list item can be.
    const BODIES: &[&str] = &[
        "First para.\n\n## Heading\n\nPlain para.\n",
        "Intro.\n\n- one\n- two\n\nAfter.\n",
        "- one\n\n- two\n\nAfter.\n",
        "- one\n  - sub\n- two\n",
        "1. one\n2. two\n",
        "> quoted\n> more\n\nAfter.\n",
        "Para.\n\n| a | b |\n|---|---|\n| c | d |\n",
        "# Title\n\nText with **bold** and `code` and <span>html</span>.\n\nEnd.\n",
        "Line one\\\ntwo with <!-- c --> a comment.\n\n- [ ] task\n",
    ];

    /// The target of `unit` with its text replaced by `text`, its codes kept in order and
    /// placed by `at`: before the text, after it, or around a line break in it.
    fn targets(unit: &Unit, text: &str) -> Vec<Vec<Piece>> {
        let codes: Vec<Piece> = unit
            .toks
            .iter()
            .filter_map(|t| match t {
                Tok::Open(id, _) => Some(Piece::Open(id.to_string(), (1, 1))),
                Tok::Close(..) => Some(Piece::Close),
                Tok::Ph(id, _) => Some(Piece::Ph(id.to_string(), (1, 1))),
                Tok::Text(_) => None,
            })
            .collect();
        let text = Piece::Text(text.to_string());
        let between = |code: &Piece| match code {
            Piece::Open(..) => vec![code.clone(), Piece::Text(" in\n".into())],
            _ => vec![Piece::Text("\n".into()), code.clone()],
        };
        let spread: Vec<Piece> = codes.iter().flat_map(between).collect();
        vec![
            [vec![text.clone()], codes.clone()].concat(),
            [codes.clone(), vec![text.clone()]].concat(),
            [vec![text.clone()], spread.clone()].concat(),
            [spread, vec![text]].concat(),
        ]
    }

    use crate::commands::xliff::segments::Unit;

    #[test]
    fn a_target_stays_the_one_block_it_translates() {
        for body in BODIES {
            let units = units(body);
            let blocks = block_structure(body);
            let sources: Vec<String> = units.iter().map(Unit::markdown).collect();
            for (i, unit) in units.iter().enumerate() {
                for hostile in HOSTILE {
                    for target in targets(unit, hostile) {
                        let mut texts = sources.clone();
                        texts[i] = unit.continued(
                            &target_markdown(&unit.toks, &target, unit.kind, &HashMap::new())
                                .expect("the codes are the source's")
                                .markdown,
                        );
                        let rebuilt = rebuild(body, &units, &texts);
                        // Only where a code's markup itself would start a block is the
                        // target refused (the HTML comment after a line break).
                        let refusable = rebuilt.contains("\\\n<!--");
                        assert!(
                            refusable || block_structure(&rebuilt) == blocks,
                            "{} {hostile:?} {target:?} in\n{body}\nmade\n{rebuilt}",
                            unit.kind
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn escapes_keep_what_a_reader_sees() {
        let md = |text: &str, kind: &str| {
            target_markdown(&[], &[Piece::Text(text.into())], kind, &HashMap::new())
                .expect("no codes")
                .markdown
        };
        assert_eq!(md("最初\n\n```\nfence", "paragraph"), "最初\n\\```\nfence");
        assert_eq!(md("x\n    <div>", "paragraph"), "x\n\\<div>");
        assert_eq!(md("x\n[a]: /u", "list item"), "x\n\\[a]: /u");
        assert_eq!(md("x\n12) y", "paragraph"), "x\n12\\) y");
        assert_eq!(md("x\n___", "paragraph"), "x\n\\___");
        // What opens no block is left as written: emphasis, a link, a tag inside a line.
        assert_eq!(
            md("_a_ [b](c.md)\n<5 and a<b>", "paragraph"),
            "_a_ [b](c.md)\n<5 and a<b>"
        );
        assert_eq!(md("a\r\n\r\nb", "heading"), "a b");
        // A mark that needs a space after it to open a block is left alone without one.
        assert_eq!(
            md(
                "26.7%が利用。\n3)の場合\n-5%\n+1\n#1\n####### 7\n*強調*\n1234567890. x",
                "paragraph"
            ),
            "26.7%が利用。\n3)の場合\n-5%\n+1\n#1\n####### 7\n*強調*\n1234567890. x"
        );
        assert_eq!(md("1.\n- \n#\t", "paragraph"), "1\\.\n\\- \n\\#");
    }
}
