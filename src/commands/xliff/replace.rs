//! What `tebiki translations export -o FILE` may write over: only an earlier export of
//! tebiki's for the same language that nobody has worked on. Anything else at `FILE` (a page
//! named by mistake, another tool's XLIFF, an export for another language, a file a vendor sent
//! back with its targets translated) could be the only copy of someone's work.
//!
//! An export records on its `<xliff>` a digest of its targets and their states
//! (`tbk:digest`): a file whose targets or states no longer give that digest has been worked on.
//! A file without one (written by an earlier tebiki, or saved by a tool that dropped it) is
//! compared with the export about to be written instead: each of its targets must be the one
//! written now for the same unit, and none confirmed (a state other than `initial`).

use std::path::Path;

use quick_xml::events::Event as XmlEvent;

use super::{TEBIKI_NS, XLIFF_NS, attributes};
use crate::error::Error;
use crate::model::blob::blob_id;

/// The name, in tebiki's namespace, of the `<xliff>` attribute holding the digest.
pub const DIGEST: &str = "digest";

/// One target of an XLIFF document, as much of it as a translator's work changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The `original` of its `<file>`.
    pub original: String,
    /// The `id` of its `<unit>`.
    pub unit: String,
    /// The `state` of its `<segment>` as written (empty when none is, and for an ignorable).
    pub state: String,
    /// Its text and inline codes, in a form that ignores how the XML is written.
    pub content: String,
}

/// What an XLIFF document is, read for [`check`].
#[derive(Debug, Default)]
pub struct Document {
    /// Its root is `<xliff>`.
    pub xliff: bool,
    /// `version` of the root.
    pub version: String,
    /// The root is in the XLIFF 2 namespace and declares tebiki's.
    pub tebiki: bool,
    pub trg_lang: String,
    /// The digest it records, if any.
    pub digest: Option<String>,
    /// Every non-empty target, in document order.
    pub targets: Vec<Target>,
}

/// Reads `xml` as far as it is well-formed: a document that is not (or whose root is not
/// `<xliff>`) is returned with `xliff` false.
pub fn read(xml: &str) -> Document {
    let mut doc = Document::default();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut tbk = String::new();
    let (mut original, mut unit, mut state) = (String::new(), String::new(), String::new());
    // Inside a `<target>`: its content so far.
    let mut target: Option<String> = None;
    let mut root_seen = false;
    loop {
        let event = match reader.read_event() {
            Ok(XmlEvent::Eof) => break,
            Ok(event) => event,
            Err(_) => {
                doc.xliff = false;
                break;
            }
        };
        match event {
            XmlEvent::Start(ref e) | XmlEvent::Empty(ref e) => {
                let empty = matches!(event, XmlEvent::Empty(_));
                let Ok(a) = attributes(e) else {
                    doc.xliff = false;
                    break;
                };
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if !root_seen {
                    root_seen = true;
                    if e.name().as_ref() != b"xliff" {
                        break;
                    }
                    doc.xliff = true;
                    doc.version = a.get("version").cloned().unwrap_or_default();
                    if let Some((key, _)) = a
                        .iter()
                        .find(|(k, v)| k.starts_with("xmlns:") && v.as_str() == TEBIKI_NS)
                    {
                        tbk = key["xmlns:".len()..].to_string();
                        doc.tebiki = a.get("xmlns").map(String::as_str) == Some(XLIFF_NS);
                    }
                    doc.trg_lang = a.get("trgLang").cloned().unwrap_or_default();
                    doc.digest = a.get(&format!("{tbk}:{DIGEST}")).cloned();
                    continue;
                }
                if let Some(content) = target.as_mut() {
                    // A code by its element and id: `{pc 1}`, `{ph 2/}`.
                    let id = a.get("id").map(String::as_str).unwrap_or("");
                    content.push_str(&format!(
                        "\u{1}{name} {id}{}\u{2}",
                        if empty { "/" } else { "" }
                    ));
                    continue;
                }
                match name.as_str() {
                    "file" => original = a.get("original").cloned().unwrap_or_default(),
                    "unit" => unit = a.get("id").cloned().unwrap_or_default(),
                    "segment" => state = a.get("state").cloned().unwrap_or_default(),
                    "ignorable" => state.clear(),
                    "target" if !empty => target = Some(String::new()),
                    _ => {}
                }
            }
            XmlEvent::End(ref e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                match (&mut target, name.as_str()) {
                    (Some(_), "target") => {
                        if let Some(content) = target.take().filter(|c| !c.trim().is_empty()) {
                            doc.targets.push(Target {
                                original: original.clone(),
                                unit: unit.clone(),
                                state: state.clone(),
                                content,
                            });
                        }
                    }
                    (Some(content), _) => content.push_str(&format!("\u{1}/{name}\u{2}")),
                    _ => {}
                }
            }
            XmlEvent::Text(ref t) => {
                if let Some(content) = target.as_mut() {
                    match t.decode() {
                        Ok(s) => content.push_str(&s),
                        Err(_) => {
                            doc.xliff = false;
                            break;
                        }
                    }
                } else if !root_seen && !t.iter().all(u8::is_ascii_whitespace) {
                    // Text before the root: not an XML document (a page, a config file).
                    break;
                }
            }
            XmlEvent::CData(ref t) => {
                if let Some(content) = target.as_mut() {
                    content.push_str(&String::from_utf8_lossy(t));
                }
            }
            XmlEvent::GeneralRef(ref r) => {
                if let Some(content) = target.as_mut() {
                    let s = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => format!("&{};", String::from_utf8_lossy(r)),
                    };
                    content.push_str(&s);
                }
            }
            _ => {}
        }
    }
    doc
}

/// The digest of `targets`: what `tbk:digest` records.
pub fn digest(targets: &[Target]) -> String {
    let mut all = String::new();
    for t in targets {
        for part in [&t.original, &t.unit, &t.state, &t.content] {
            all.push_str(part);
            all.push('\0');
        }
    }
    blob_id(all.as_bytes())
}

/// Refuses (exit 2) to write the export `new` for `lang` over the file `out` unless it is an
/// earlier export for `lang` that no one has worked on.
pub fn check(out: &Path, lang: &str, new: &str) -> Result<(), Error> {
    let Ok(meta) = std::fs::metadata(out) else {
        return Ok(());
    };
    let shown = out.display();
    let other_name = format!("name a new file with -o, such as `{lang}.xlf`");
    let refuse = |why: String| Error::Usage(format!("refusing to write over `{shown}`: {why}"));
    // No export is near this size: the limit import reads.
    const MAX_BYTES: u64 = 64 << 20;
    let bytes = (meta.is_file() && meta.len() <= MAX_BYTES)
        .then(|| std::fs::read(out).ok())
        .flatten();
    let text = bytes.and_then(|b| super::decode(&b).ok());
    let doc = text.as_deref().map(read).unwrap_or_default();
    if !doc.xliff {
        return Err(refuse(format!(
            "it is not an XLIFF file, and an export replaces only an earlier export; {other_name}"
        )));
    }
    if !doc.tebiki {
        let version = match doc.version.as_str() {
            "" => String::new(),
            v => format!(" {v}"),
        };
        return Err(refuse(format!(
            "it is an XLIFF{version} file that tebiki did not write, and an export replaces only \
             an earlier export of its own; {other_name}"
        )));
    }
    if doc.trg_lang != lang {
        return Err(refuse(format!(
            "it is an export for `{}`, not for `{lang}`; {other_name}",
            doc.trg_lang
        )));
    }
    if let Some(work) = worked_on(&doc, new) {
        return Err(refuse(format!(
            "it is an export for `{lang}` that has been worked on since tebiki wrote it ({work}), \
             and writing over it would lose that work; import it first (`tebiki translations \
             import {shown}`), delete it if that work is not wanted, or {other_name}"
        )));
    }
    Ok(())
}

/// What in `doc` a translator has done, if anything: see the module's comment.
fn worked_on(doc: &Document, new: &str) -> Option<String> {
    let confirmed = doc
        .targets
        .iter()
        .find(|t| matches!(t.state.as_str(), "reviewed" | "final"));
    let say = |t: &Target, what: &str| {
        format!("unit `{}` of `{}` has a target {what}", t.unit, t.original)
    };
    if let Some(t) = confirmed {
        return Some(say(t, &format!("marked `{}`", t.state)));
    }
    match &doc.digest {
        Some(recorded) if *recorded == digest(&doc.targets) => None,
        Some(_) => Some("its targets or their states are not those tebiki wrote".into()),
        None => {
            let now = read(new).targets;
            doc.targets.iter().find_map(|t| {
                if !matches!(t.state.as_str(), "" | "initial") {
                    return Some(say(t, &format!("marked `{}`", t.state)));
                }
                let same = now.iter().any(|n| {
                    n.original == t.original && n.unit == t.unit && n.content == t.content
                });
                (!same).then(|| say(t, "that tebiki did not write"))
            })
        }
    }
}
