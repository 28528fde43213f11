//! `tebiki translations export` and `import`: translations exchanged with translation vendors
//! as XLIFF 2.1. Export writes one `<file>` per page (its original's path and version), one
//! `<unit>` per block (front matter `title` and `summary`, then every heading, paragraph, list
//! item and table cell, see [`segments`]), inline Markdown as
//! inline codes whose markup stays in `<originalData>`, the glossary terms a unit uses as its
//! `<notes>`, and the current translation's text as `<target>` where its blocks line up with
//! the original's. Import rebuilds each translation from its original: the original's Markdown
//! with every unit's text replaced by its target, the markup of every code taken from the
//! original (a link's destination from the translation, where it has its own). It refuses,
//! writing nothing, when an original changed since the export or a target's codes are not the
//! source's, or would not read as theirs.
//!
//! One module a job: `export` writes, `import` reads back and rebuilds, `replace` tells whether
//! an export may write over a file, `inline` what Markdown makes of a unit's codes, `align`
//! which block of a translation translates which of the original's, `links` which link
//! destinations a translation keeps, [`schema`] checks a document against the core
//! schema's rules, and [`segments`] cuts a body into units.

mod align;
mod export;
mod import;
mod inline;
mod links;
mod replace;
pub mod schema;
pub mod segments;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use crate::diag::{Code, Diagnostic};
use crate::error::Error;
use crate::model::content_path::{CONTENT_DIR, ContentPath};
use crate::model::frontmatter;

/// The XLIFF 2 core namespace (XLIFF 2.1 keeps 2.0's).
pub const XLIFF_NS: &str = "urn:oasis:names:tc:xliff:document:2.0";
/// tebiki's own attributes on `<file>`: the translation's path and the original's version.
pub const TEBIKI_NS: &str = "urn:tebiki:xliff:1";

pub use export::{Exported, export, run_export};
pub use import::{Imported, import, run_import};
pub use schema::validate_core;

#[cfg(test)]
mod tests {
    use super::*;

    fn start(xml: &str) -> Result<BTreeMap<String, String>, BadAttribute> {
        let mut reader = quick_xml::Reader::from_str(xml);
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                attributes(&e)
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn xliff_is_read_as_utf8_or_utf16() {
        let xml = "<xliff>日本語</xliff>";
        let le: Vec<u8> = xml.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = xml.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in [
            xml.as_bytes().to_vec(),
            [&[0xEF, 0xBB, 0xBF], xml.as_bytes()].concat(),
            [&[0xFF, 0xFE][..], &le].concat(),
            [&[0xFE, 0xFF][..], &be].concat(),
            le.clone(),
        ] {
            assert_eq!(decode(&bytes).as_deref(), Ok(xml));
        }
        let cut = [&[0xFF, 0xFE][..], &le[..le.len() - 1]].concat();
        assert!(decode(&cut).is_err());
        let latin1 = b"<xliff>\n caf\xE9</xliff>";
        assert_eq!(
            decode(latin1),
            Err(NotText {
                message: "the file is neither UTF-8 nor UTF-16: byte 0xE9 at byte offset 12 (line 2) cannot be read".into(),
                line: 2,
                column: 5,
            })
        );
    }

    #[test]
    fn an_attribute_given_twice_is_refused_where_it_is() {
        let map = start("<unit id=\"u1\" name=\"a &amp; b\"/>").expect("well-formed");
        assert_eq!(map.get("name").map(String::as_str), Some("a & b"));
        assert_eq!(
            start("<unit id=\"u1\" name=\"p\" id=\"u2\">"),
            Err(BadAttribute {
                at: 22,
                message: "the attribute `id` is given twice".into()
            })
        );
        // Compared by name as written: `x:id` is another attribute.
        assert!(start("<unit id=\"u1\" x:id=\"u2\">").is_ok());
        assert!(start("<unit id=u1>").is_err());
    }
}

/// An attribute that makes its element not well-formed XML: `at` is its byte offset from the
/// start of the element's name (just after `<`).
#[derive(Debug, PartialEq, Eq)]
pub struct BadAttribute {
    pub at: usize,
    pub message: String,
}

/// The attributes of element `e`, by name. XML allows an attribute once in an element: a second
/// makes the document not well-formed, and is an error, as is an attribute written wrong. The
/// repeat is found by the map; quick-xml's own check compares each attribute with all those
/// before it, which takes hours for the hundreds of thousands of attributes a 64 MB file holds.
/// A value with an unknown entity is left out.
pub fn attributes(
    e: &quick_xml::events::BytesStart<'_>,
) -> Result<BTreeMap<String, String>, BadAttribute> {
    use quick_xml::events::attributes::AttrError;
    let element: &[u8] = e;
    let mut out = BTreeMap::new();
    let mut seen = HashSet::new();
    let mut iter = e.attributes();
    iter.with_checks(false);
    for a in iter {
        let a = a.map_err(|err| {
            let at = match err {
                AttrError::ExpectedEq(at)
                | AttrError::ExpectedValue(at)
                | AttrError::UnquotedValue(at)
                | AttrError::ExpectedQuote(at, _)
                | AttrError::Duplicated(at, _) => at,
            };
            BadAttribute {
                at,
                message: err.to_string(),
            }
        })?;
        let key = a.key.into_inner();
        let name = String::from_utf8_lossy(key).into_owned();
        if !seen.insert(key) {
            // The key is a part of the element's bytes: its offset in them.
            let at = (key.as_ptr() as usize).saturating_sub(element.as_ptr() as usize);
            return Err(BadAttribute {
                at,
                message: format!("the attribute `{name}` is given twice"),
            });
        }
        if let Ok(value) = a.unescape_value() {
            out.insert(name, value.into_owned());
        }
    }
    Ok(out)
}

/// Why a file cannot be read as XLIFF text: what to say, at which line and column.
#[derive(Debug, PartialEq, Eq)]
pub struct NotText {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

/// The text of an XLIFF file. XML is UTF-8 or UTF-16, and CAT tools save both: UTF-8 with or
/// without a byte order mark, UTF-16 with one (or without, told by the `<` it starts with).
pub fn decode(bytes: &[u8]) -> Result<String, NotText> {
    let utf16 = |rest: &[u8], big: bool| -> Result<String, NotText> {
        let units = rest.chunks(2).map(|pair| match pair {
            [a, b] if big => u16::from_be_bytes([*a, *b]),
            [a, b] => u16::from_le_bytes([*a, *b]),
            _ => 0xDC00, // An odd last byte: never a whole character.
        });
        let mut text = String::with_capacity(rest.len() / 2);
        for c in char::decode_utf16(units) {
            match c {
                Ok(c) => text.push(c),
                Err(_) => {
                    let (line, column) = crate::diag::line_col(&text, text.len());
                    return Err(NotText {
                        message: format!(
                            "the file is UTF-16, but is cut or broken after line {line}: it cannot be read"
                        ),
                        line,
                        column,
                    });
                }
            }
        }
        Ok(text)
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(rest),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, false),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, true),
        [b'<', 0, ..] => utf16(bytes, false),
        [0, b'<', ..] => utf16(bytes, true),
        _ => utf8(bytes),
    }
}

fn utf8(bytes: &[u8]) -> Result<String, NotText> {
    std::str::from_utf8(bytes).map(str::to_string).map_err(|e| {
        let at = e.valid_up_to();
        let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let (line, column) = crate::diag::line_col(valid, at);
        NotText {
            message: format!(
                "the file is neither UTF-8 nor UTF-16: byte 0x{:02X} at byte offset {at} (line {line}) cannot be read",
                bytes.get(at).copied().unwrap_or(0)
            ),
            line,
            column,
        }
    })
}

/// A Markdown file's front matter title and summary, body, and bytes.
struct Parsed {
    /// For a translation, the version of its original it records.
    translated_from: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    body: String,
    text: String,
    bytes: Vec<u8>,
}

fn parse_file(root: &Path, file: &str) -> Result<Parsed, Error> {
    let path = root.join(file);
    let bytes = crate::model::read_regular(&path).map_err(|e| Error::io(&path, e))?;
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
        translated_from: meta.translated_from,
    })
}
