//! The link destinations a translation keeps through an import. A code's markup comes from the
//! original, but a translated page links to its own headings (`#主な日付`, not `#key-dates`)
//! and may link to pages in its language: where the existing translation has a block lined up
//! with the original's (by [`super::align`], as export offered its text as the target), the destination of each of
//! its inline links and images is kept, unless the original's destination there is new since
//! the version the translation was made from (the original's author changed the link).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::Parsed;
use super::align::{self, Earlier};
use crate::commands::xliff::segments::{Tok, Unit, units};

/// For each unit of the original's body, the markup of its codes to take from the translation,
/// by code id.
pub fn own_links(
    root: &Path,
    original_file: &str,
    original: &Parsed,
    body_units: &[Unit],
    translation: Option<&Parsed>,
) -> Vec<HashMap<usize, String>> {
    let mut out = vec![HashMap::new(); body_units.len()];
    let Some(translation) = translation else {
        return out;
    };
    // For a stale translation, the markup of the original's codes when it was made: a
    // destination not among them is the original's change, which the translation takes. Where
    // that version cannot be read (no git), no destination can be told to be old.
    let then = match align::earlier(root, original_file, original, translation) {
        Earlier::Same => None,
        Earlier::Then(then) => Some(units(&then.body)),
        Earlier::Unknown => return out,
    };
    let earlier: Option<HashSet<String>> =
        then.as_ref().map(|t| t.iter().flat_map(markups).collect());
    let aligned = align::aligned_targets(body_units, &units(&translation.body), then.as_deref());
    for ((unit, own), theirs) in body_units.iter().zip(&mut out).zip(aligned) {
        let Some(theirs) = theirs else { continue };
        let theirs: HashMap<usize, &str> = theirs
            .iter()
            .filter_map(|t| match t {
                Tok::Close(id, m) | Tok::Ph(id, m) => Some((*id, m.as_str())),
                _ => None,
            })
            .collect();
        for tok in &unit.toks {
            let (Tok::Close(id, m) | Tok::Ph(id, m)) = tok else {
                continue;
            };
            let Some(&kept) = theirs.get(id) else {
                continue;
            };
            // Only a destination written in the link: a reference's label names a definition
            // of the translation's, which the import does not write.
            let inline = match tok {
                Tok::Close(..) => kept.starts_with("]("),
                _ => kept.starts_with("[](") || kept.starts_with("![]("),
            };
            let old = earlier.as_ref().is_none_or(|then| then.contains(m));
            if inline && kept != m && old {
                own.insert(*id, kept.to_string());
            }
        }
    }
    out
}

/// The markup of a unit's closing codes and placeholders.
fn markups(unit: &Unit) -> impl Iterator<Item = String> + '_ {
    unit.toks.iter().filter_map(|t| match t {
        Tok::Close(_, m) | Tok::Ph(_, m) => Some(m.clone()),
        _ => None,
    })
}

/// `toks` with the markup of the codes in `own` replaced.
pub fn with_own(toks: &[Tok], own: Option<&HashMap<usize, String>>) -> Vec<Tok> {
    let Some(own) = own.filter(|o| !o.is_empty()) else {
        return toks.to_vec();
    };
    toks.iter()
        .map(|t| match t {
            Tok::Close(id, m) => Tok::Close(*id, own.get(id).unwrap_or(m).clone()),
            Tok::Ph(id, m) => Tok::Ph(*id, own.get(id).unwrap_or(m).clone()),
            other => other.clone(),
        })
        .collect()
}
