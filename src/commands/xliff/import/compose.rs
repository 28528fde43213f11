//! Turning one target back into Markdown: its text escaped to stay in its block, each inline
//! code's markup taken from the source, and the target refused where its codes are not the
//! source's or Markdown would read them as other markup.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use super::escape::escape_target_text;
use super::read::{At, Piece};
use crate::commands::xliff::inline;
use crate::commands::xliff::segments::{Tok, to_markdown};

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
pub(super) struct Refusal {
    pub(super) message: String,
    pub(super) help: String,
    pub(super) at: Option<At>,
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
pub(super) fn compose(
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

    use crate::commands::xliff::segments::{Unit, block_structure, rebuild, units};

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
