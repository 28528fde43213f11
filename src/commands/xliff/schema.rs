//! The rules of the XLIFF 2.1 core schema that an export could break.

use std::collections::BTreeSet;

use quick_xml::events::Event as XmlEvent;

use super::{XLIFF_NS, attributes};

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
            let a = attributes(&e)
                .map_err(|bad| format!("not well-formed: <{name}>: {}", bad.message))?;
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
