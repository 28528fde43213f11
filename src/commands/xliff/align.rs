//! Which block of an existing translation translates which block of its original: what export
//! offers as a unit's target, and where import keeps the translation's own link destinations.
//! One alignment serves both, so that an import keeps a destination exactly where the export
//! offered the block's text.
//!
//! Blocks are matched by their shape (the blocks they are in, a heading's level, a list's
//! depth and order, a table cell's column, the kinds of their inline codes), never by their
//! place alone: sections by a longest common subsequence of their headings, the blocks of
//! each pair of sections by one of their blocks. A block added to the original, or taken out,
//! then leaves every other block matched. Where several matchings are as long, the one whose
//! blocks share more of what a translation keeps (code markup, numbers, Latin words) wins.
//!
//! A stale translation was made from an earlier version of the original, whose blocks are
//! its blocks: the original is aligned with that version (where the same text tells which
//! block is which, even moved), and that version with the translation.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;
use std::path::Path;

use super::{Parsed, parse_bytes};
use crate::commands::xliff::segments::{Tok, Unit};
use crate::model::blob::Version;

/// The original as it was when its translation was made.
pub(super) enum Earlier {
    /// The translation records the original's current version, or none.
    Same,
    /// It records an earlier version, read from git.
    Then(Box<Parsed>),
    /// It records an earlier version that cannot be read (no git, never committed).
    Unknown,
}

/// The version of `original` that `translation` records, where it is not the current one.
pub(super) fn earlier(
    root: &Path,
    original_file: &str,
    original: &Parsed,
    translation: &Parsed,
) -> Earlier {
    match translation.translated_from.as_deref().map(str::trim) {
        Some(from) if !Version::of(&original.bytes).is(from) => crate::model::git::blob(root, from)
            .and_then(|bytes| parse_bytes(original_file, bytes).ok())
            .map_or(Earlier::Unknown, |then| Earlier::Then(Box::new(then))),
        _ => Earlier::Same,
    }
}

/// For each unit of the original, the translation's unit that translates it, where that can
/// be told and its inline codes are the original's (a block whose codes differ gets none).
/// `earlier` holds the units of the version the translation was made from, when it is not the
/// original's current one.
pub(super) fn aligned_targets(
    source: &[Unit],
    target: &[Unit],
    earlier: Option<&[Unit]>,
) -> Vec<Option<Vec<Tok>>> {
    aligned(source, target, earlier)
        .into_iter()
        .zip(source)
        .map(|(b, unit)| {
            let b = &target[b?];
            (code_shape(&unit.toks) == code_shape(&b.toks)).then(|| b.toks.clone())
        })
        .collect()
}

/// For each unit of `source`, the index of the unit of `target` lined up with it.
fn aligned(source: &[Unit], target: &[Unit], earlier: Option<&[Unit]>) -> Vec<Option<usize>> {
    let Some(earlier) = earlier else {
        return direct(source, target);
    };
    let mut to_earlier = direct(source, earlier);
    moved(source, earlier, &mut to_earlier);
    let to_target = direct(earlier, target);
    to_earlier
        .into_iter()
        .map(|e| e.and_then(|e| to_target[e]))
        .collect()
}

/// Matches each block of `source` left unmatched to an unmatched block of `earlier` with the
/// same text and shape: a block moved elsewhere in the page keeps its translation.
fn moved(source: &[Unit], earlier: &[Unit], to_earlier: &mut [Option<usize>]) {
    let mut taken = vec![false; earlier.len()];
    for e in to_earlier.iter().flatten() {
        taken[*e] = true;
    }
    let mut free: HashMap<(&str, &[Tok]), VecDeque<usize>> = HashMap::new();
    for (e, unit) in earlier.iter().enumerate().filter(|(e, _)| !taken[*e]) {
        free.entry((unit.shape.as_str(), unit.toks.as_slice()))
            .or_default()
            .push_back(e);
    }
    if free.is_empty() {
        return;
    }
    for (a, unit) in source.iter().enumerate() {
        if to_earlier[a].is_none()
            && let Some(found) = free.get_mut(&(unit.shape.as_str(), unit.toks.as_slice()))
        {
            to_earlier[a] = found.pop_front();
        }
    }
}

/// What a block is, its text aside: two blocks of another shape never translate each other.
#[derive(PartialEq, Eq)]
struct Key<'a> {
    shape: &'a str,
    codes: Vec<(u8, usize, &'static str)>,
}

/// A block's key, and what of it a translation keeps as it is (sorted, each once).
struct Block<'a> {
    key: Key<'a>,
    anchors: Vec<String>,
}

fn block(unit: &Unit) -> Block<'_> {
    let mut anchors = Vec::new();
    for tok in &unit.toks {
        match tok {
            Tok::Text(s) => anchors.extend(
                s.split(|c: char| !c.is_ascii_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(str::to_ascii_lowercase),
            ),
            Tok::Close(_, m) | Tok::Ph(_, m) => anchors.push(m.clone()),
            Tok::Open(..) => {}
        }
    }
    anchors.sort_unstable();
    anchors.dedup();
    Block {
        key: Key {
            shape: &unit.shape,
            codes: code_shape(&unit.toks),
        },
        anchors,
    }
}

/// How many of two sorted lists' items they share.
fn shared(a: &[String], b: &[String]) -> u64 {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// What the same text weighs against shared words: more than any block has.
const SAME_TEXT: u64 = 1 << 16;

/// How much two blocks of the same shape look like each other.
fn affinity(a: &Unit, ab: &Block<'_>, b: &Unit, bb: &Block<'_>) -> u64 {
    shared(&ab.anchors, &bb.anchors) + if a.toks == b.toks { SAME_TEXT } else { 0 }
}

/// The sections of `units`: what comes before the first heading (perhaps nothing), then each
/// heading with the blocks up to the next.
fn sections(units: &[Unit]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = std::iter::once(0..0).collect();
    for (i, unit) in units.iter().enumerate() {
        if unit.kind == "heading" {
            out.push(i..i);
        }
        if let Some(last) = out.last_mut() {
            last.end = i + 1;
        }
    }
    out
}

/// The alignment of two bodies' units: sections by their headings, then block by block in
/// each pair of sections.
fn direct(source: &[Unit], target: &[Unit]) -> Vec<Option<usize>> {
    let (ls, rs) = (sections(source), sections(target));
    let (lb, rb): (Vec<Block<'_>>, Vec<Block<'_>>) = (
        source.iter().map(block).collect(),
        target.iter().map(block).collect(),
    );
    // A section's heading, if it has one, and what its blocks keep.
    let summary = |units: &[Unit], blocks: &[Block<'_>], range: &Range<usize>| {
        let mut anchors: Vec<String> = blocks[range.clone()]
            .iter()
            .flat_map(|b| b.anchors.iter().cloned())
            .collect();
        anchors.sort_unstable();
        anchors.dedup();
        let heading =
            (!range.is_empty() && units[range.start].kind == "heading").then_some(range.start);
        (heading, anchors)
    };
    let lsum: Vec<_> = ls.iter().map(|r| summary(source, &lb, r)).collect();
    let rsum: Vec<_> = rs.iter().map(|r| summary(target, &rb, r)).collect();
    let same_heading = |i: usize, j: usize| match (lsum[i].0, rsum[j].0) {
        (Some(a), Some(b)) => lb[a].key == rb[b].key,
        // What comes before the first heading is a section of both.
        (None, None) => i == 0 && j == 0,
        _ => false,
    };
    let same_blocks = |i: usize, j: usize| {
        let (l, r) = (&lb[ls[i].clone()], &rb[rs[j].clone()]);
        l.len() == r.len() && l.iter().zip(r).all(|(a, b)| a.key == b.key)
    };
    let section_affinity = |i: usize, j: usize| {
        let heading = match (lsum[i].0, rsum[j].0) {
            (Some(a), Some(b)) => affinity(&source[a], &lb[a], &target[b], &rb[b]),
            _ => 0,
        };
        heading + shared(&lsum[i].1, &rsum[j].1) + u64::from(same_blocks(i, j))
    };
    let mut out = vec![None; source.len()];
    for (i, j) in lcs(ls.len(), rs.len(), same_heading, section_affinity) {
        let (l, r) = (ls[i].clone(), rs[j].clone());
        let pairs = lcs(
            l.len(),
            r.len(),
            |a, b| lb[l.start + a].key == rb[r.start + b].key,
            |a, b| {
                let (a, b) = (l.start + a, r.start + b);
                affinity(&source[a], &lb[a], &target[b], &rb[b])
            },
        );
        for (a, b) in pairs {
            out[l.start + a] = Some(r.start + b);
        }
    }
    out
}

/// The most cells a section pair's table may have; past it, only the blocks the two share
/// at their start and end are matched.
const MOST_CELLS: usize = 1 << 21;

/// A longest common subsequence of two sequences of `n` and `m` items, whose items `i` and `j`
/// may be matched when `same(i, j)`: of the longest, the one whose pairs have the most
/// `affinity`. The pairs, in order.
fn lcs(
    n: usize,
    m: usize,
    same: impl Fn(usize, usize) -> bool,
    affinity: impl Fn(usize, usize) -> u64,
) -> Vec<(usize, usize)> {
    // The pairs' count counts first, their affinity only between matchings as long.
    let weight = |i: usize, j: usize| (1u64 << 40) + affinity(i, j).min((1 << 40) / 4096);
    if n.saturating_mul(m) > MOST_CELLS {
        let head = (0..n.min(m)).take_while(|&k| same(k, k)).count();
        let tail = (0..n.min(m) - head)
            .take_while(|&k| same(n - 1 - k, m - 1 - k))
            .count();
        let mut out: Vec<(usize, usize)> = (0..head).map(|k| (k, k)).collect();
        out.extend((0..tail).rev().map(|k| (n - 1 - k, m - 1 - k)));
        return out;
    }
    let width = m + 1;
    let mut best = vec![0u64; (n + 1) * width];
    for i in 1..=n {
        for j in 1..=m {
            let mut v = best[(i - 1) * width + j].max(best[i * width + j - 1]);
            if same(i - 1, j - 1) {
                v = v.max(best[(i - 1) * width + j - 1] + weight(i - 1, j - 1));
            }
            best[i * width + j] = v;
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        let here = best[i * width + j];
        if same(i - 1, j - 1) && here == best[(i - 1) * width + j - 1] + weight(i - 1, j - 1) {
            out.push((i - 1, j - 1));
            i -= 1;
            j -= 1;
        } else if here == best[(i - 1) * width + j] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    out.reverse();
    out
}

/// The codes of a unit, in order, as (kind, id, what markup): what a target must have. The
/// markup's sort counts, not only its place: a translation that made a glossary link where
/// the original has bold has other codes, though as many.
fn code_shape(toks: &[Tok]) -> Vec<(u8, usize, &'static str)> {
    toks.iter()
        .filter_map(|t| match t {
            Tok::Text(_) => None,
            Tok::Open(id, m) => Some((b'o', *id, markup_kind(m))),
            Tok::Close(id, m) => Some((b'c', *id, markup_kind(m))),
            Tok::Ph(id, m) => Some((b'p', *id, markup_kind(m))),
        })
        .collect()
}

/// What inline markup a code's Markdown is: a link (a glossary link apart), an image, bold,
/// emphasis, strikethrough, code, a footnote reference, a line break or HTML.
fn markup_kind(markup: &str) -> &'static str {
    let m = markup.trim_start();
    if m.starts_with("](term:") {
        "term link"
    } else if m.starts_with("](") || m.starts_with("][") || m == "]" {
        "link end"
    } else if m.starts_with("![") {
        "image"
    } else if m.starts_with("[^") {
        "footnote"
    } else if m.starts_with('[') {
        "link"
    } else if m.starts_with("**") || m.starts_with("__") {
        "strong"
    } else if m.starts_with('*') || m.starts_with('_') {
        "emphasis"
    } else if m.starts_with('~') {
        "strikethrough"
    } else if m.starts_with('`') {
        "code"
    } else if m.starts_with('<') {
        "html"
    } else if markup.contains('\n') {
        "line break"
    } else {
        "other"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::xliff::segments::{to_markdown, units};

    fn texts(source: &str, target: &str, earlier: Option<&str>) -> Vec<Option<String>> {
        let (s, t) = (units(source), units(target));
        let e = earlier.map(units);
        aligned_targets(&s, &t, e.as_deref())
            .into_iter()
            .map(|toks| toks.map(|t| to_markdown(&t)))
            .collect()
    }

    #[test]
    fn shapes_tell_an_added_block_without_the_earlier_version() {
        // A paragraph before a list: the only paragraph in its place.
        let ja = "前文。\n\n- 一\n- 二\n\n> 引用。\n";
        let en = "Preamble.\n\n- One\n- Two\n\nNew paragraph.\n\n> Quote.\n";
        assert_eq!(
            texts(en, ja, None),
            [
                Some("前文。".into()),
                Some("一".into()),
                Some("二".into()),
                None,
                Some("引用。".into()),
            ]
        );
    }

    #[test]
    fn numbers_and_code_tell_blocks_of_one_shape_apart() {
        let ja = "- 2024年に採択\n- `ai_act`を参照\n";
        let en = "- Drafted in 2023\n- Adopted in 2024\n- See `ai_act`\n";
        assert_eq!(
            texts(en, ja, None),
            [
                None,
                Some("2024年に採択".into()),
                Some("`ai_act`を参照".into())
            ]
        );
        // Codes of another kind never translate each other.
        let en = "- Drafted in 2023\n- Adopted in 2024\n- See `ai_act` and `x`\n";
        assert_eq!(texts(en, ja, None)[2], None);
        let en = "- Adopted in 2024\n- See `ai_act`\n- New\n";
        assert_eq!(
            texts(en, ja, None),
            [
                Some("2024年に採択".into()),
                Some("`ai_act`を参照".into()),
                None
            ]
        );
    }

    #[test]
    fn the_earlier_version_tells_which_item_is_new_and_which_moved() {
        let then = "- One\n- Two\n- Three\n\n## Later\n\nMoved.\n";
        let ja = "- 一\n- 二\n- 三\n\n## 後で\n\n移動。\n";
        let now = "- One\n- New\n- Two\n- Three\n\nMoved.\n\n## Later\n";
        assert_eq!(
            texts(now, ja, Some(then)),
            [
                Some("一".into()),
                None,
                Some("二".into()),
                Some("三".into()),
                Some("移動。".into()),
                Some("後で".into()),
            ]
        );
    }

    #[test]
    fn a_section_too_large_for_the_table_keeps_its_common_start_and_end() {
        let pairs = lcs(3000, 3001, |i, j| i == j || i + 1 == j, |_, _| 0);
        assert_eq!(pairs.first(), Some(&(0, 0)));
        assert_eq!(pairs.len(), 3000);
    }
}
