//! Reading back an XLIFF file: its `<file>`s and their `<unit>`s, each unit's target as text
//! and inline codes, with the line and column of each for errors to point at.

use quick_xml::events::Event as XmlEvent;

use crate::commands::xliff::{TEBIKI_NS, attributes};
use crate::diag::{Code, Diagnostic};
use crate::error::Error;

/// A line and column in the XLIFF file.
pub(super) type At = (usize, usize);

/// A target's content: text, codes by id with where they are in the XLIFF file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Piece {
    Text(String),
    Open(String, At),
    Close,
    Ph(String, At),
}

/// One `<unit>` read back.
#[derive(Debug, Default)]
pub(super) struct ReadUnit {
    pub(super) id: String,
    /// The targets of its segments (and ignorables), joined in order.
    pub(super) target: Option<Vec<Piece>>,
    /// A segment of it has no target (a CAT tool split it and left a sentence untranslated):
    /// where the first is.
    pub(super) untranslated_segment: Option<At>,
    /// A segment of it is still `state="initial"` (the export offered an old translation of a
    /// source that has changed, and no translator confirmed it): where the first one's `state`
    /// is.
    pub(super) unreviewed: Option<At>,
    /// Line and column of its `<unit>` in the XLIFF file.
    pub(super) at: At,
    /// Line and column of its first `<target>`: where a problem of its text is shown.
    pub(super) target_at: Option<At>,
}

/// One `<file>` read back.
#[derive(Debug, Default)]
pub(super) struct ReadFile {
    pub(super) original: String,
    pub(super) translation: String,
    pub(super) version: String,
    /// The translation's version when exported, `new` when it had none; absent in an export
    /// made before tebiki recorded it.
    pub(super) translation_version: Option<String>,
    pub(super) units: Vec<ReadUnit>,
    /// Line and column of its `<file>` in the XLIFF file.
    pub(super) at: (usize, usize),
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
pub(super) type TargetLanguage = (String, (usize, usize));

/// The target language and every `<file>` of the XLIFF document `text`; `file` is its name,
/// as errors show it.
pub(super) fn read_xliff(text: &str, file: &str) -> Result<(TargetLanguage, Vec<ReadFile>), Error> {
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

/// Appends text to a target's content, joined to the text it follows.
fn push_text(pieces: &mut Vec<Piece>, s: &str) {
    match pieces.last_mut() {
        Some(Piece::Text(t)) => t.push_str(s),
        _ => pieces.push(Piece::Text(s.to_string())),
    }
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
