//! `tebiki translations export` and `import`: translations exchanged with translation vendors
//! as XLIFF 2.1. Export writes one `<file>` per page (its original's path and version), one
//! `<unit>` per block (front matter `title` and `summary`, then every heading, paragraph, list
//! item and table cell, see [`segments`]), inline Markdown as
//! inline codes whose markup stays in `<originalData>`, the glossary terms a unit uses as its
//! `<notes>`, and the current translation's text as `<target>` where its blocks line up with
//! the original's. Import rebuilds each translation from its original: the original's Markdown
//! with every unit's text replaced by its target, the markup of every code taken from the
//! original. It refuses, writing nothing, when an original changed since the export or a
//! target's codes are not the source's.
//!
//! One module a job: `export` writes, `import` reads back and rebuilds, [`schema`] checks a
//! document against the core schema's rules, and [`segments`] cuts a body into units.

mod export;
mod import;
pub mod schema;
pub mod segments;

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
    })
}
