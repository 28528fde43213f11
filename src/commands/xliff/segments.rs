//! The translatable blocks of a Markdown body, for XLIFF: every heading, paragraph, list item
//! and table cell becomes a unit whose text keeps the Markdown source between its inline
//! markup, and whose inline markup (emphasis, links, code, footnote references, images, breaks)
//! becomes numbered codes: a pair around text it contains (`<pc>`), or a placeholder (`<ph>`).
//! The unit's tokens, written out, give back exactly the source of its range, so a body can be
//! rebuilt from its skeleton and the units' translations.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use crate::pipeline::markdown::options;

/// One piece of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Tok {
    /// Markdown source text, to translate.
    Text(String),
    /// The opening markup of inline code `id` (`**`, `[`).
    Open(usize, String),
    /// The closing markup of inline code `id` (`**`, `](guide.md)`).
    Close(usize, String),
    /// A placeholder for markup with nothing to translate inside (`` `code` ``, `[^1]`).
    Ph(usize, String),
}

/// One translatable block of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// `heading`, `paragraph`, `list item` or `table cell`.
    pub kind: &'static str,
    /// The block's inline content in the body.
    pub range: Range<usize>,
    pub toks: Vec<Tok>,
    /// What starts each of its lines after the first in the body, inside a quote (`> `) or a
    /// list item (`  `): kept out of the text to translate, and put back by [`Unit::markdown`]
    /// and [`Unit::continued`].
    pub continuation: String,
    /// The blocks it is in, outermost first, itself last (`ol/li/p`, `table/row/cell 2`,
    /// `h2`): what a translation's block must match to translate it.
    pub shape: String,
}

impl Unit {
    /// The unit's Markdown as in the body: its tokens, each line of its text given back its
    /// container's marks.
    pub fn markdown(&self) -> String {
        self.continued(&to_markdown(&self.toks))
    }

    /// `markdown` (a unit's new text, its codes' markup from the body) with the container's
    /// marks after each line break of its text. A code's markup that runs over lines keeps
    /// its own (a line of text never starts with them: quote marks are escaped and leading
    /// spaces dropped).
    pub fn continued(&self, markdown: &str) -> String {
        if self.continuation.is_empty() || !markdown.contains('\n') {
            return markdown.to_string();
        }
        // A line that has the marks already is a code's markup running over lines, as
        // written (`>` counts however it is spaced); a line of text never starts with them.
        let core = self.continuation.trim_end();
        let marked = |line: &str| {
            if core.is_empty() {
                line.starts_with(self.continuation.as_str())
            } else {
                line.starts_with(core)
            }
        };
        let mut out = String::with_capacity(markdown.len() + 16);
        for (i, line) in markdown.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
                if !marked(line) {
                    out.push_str(&self.continuation);
                }
            }
            out.push_str(line);
        }
        out
    }

    /// The unit's source text without markup: what a glossary looks at.
    pub fn plain(&self) -> String {
        self.toks
            .iter()
            .filter_map(|t| match t {
                Tok::Text(s) => Some(s.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// The Markdown that `toks` stand for, with the markup of each code taken from `markup`
/// (the source unit's tokens).
pub fn to_markdown(toks: &[Tok]) -> String {
    toks.iter()
        .map(|t| match t {
            Tok::Text(s) | Tok::Open(_, s) | Tok::Close(_, s) | Tok::Ph(_, s) => s.as_str(),
        })
        .collect()
}

fn block_kind(tag: &Tag<'_>) -> &'static str {
    match tag {
        Tag::Paragraph => "paragraph",
        Tag::Heading { .. } => "heading",
        Tag::Item => "list item",
        Tag::TableCell => "table cell",
        Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_) => "code",
        _ => "",
    }
}

fn is_inline_tag(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// Every unit of `body`, in order.
pub fn units(body: &str) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut blocks: Vec<&'static str> = Vec::new();
    let mut shape: Vec<String> = Vec::new();
    // A table row's cells, counted: a row added or removed shifts the cells of no column.
    let mut column = 0;
    let mut run: Vec<(Event<'_>, Range<usize>)> = Vec::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let inline = match &event {
            Event::Start(tag) => is_inline_tag(tag),
            Event::End(tag) => is_inline_end(tag),
            Event::Text(_)
            | Event::Code(_)
            | Event::InlineMath(_)
            | Event::InlineHtml(_)
            | Event::FootnoteReference(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::TaskListMarker(_) => true,
            _ => false,
        };
        let kind = blocks.last().copied().unwrap_or("");
        if inline {
            if !matches!(kind, "" | "code") {
                run.push((event, range));
            }
            continue;
        }
        flush(body, kind, &shape, &mut run, &mut out);
        match &event {
            Event::Start(tag) => {
                blocks.push(block_kind(tag));
                if matches!(tag, Tag::TableHead | Tag::TableRow) {
                    column = 0;
                }
                if matches!(tag, Tag::TableCell) {
                    column += 1;
                }
                shape.push(block_shape(tag, column));
            }
            Event::End(_) => {
                blocks.pop();
                shape.pop();
            }
            _ => {}
        }
    }
    let kind = blocks.last().copied().unwrap_or("");
    flush(body, kind, &shape, &mut run, &mut out);
    out
}

/// A block's part of a unit's [`Unit::shape`]: its sort, with a heading's level, a list's
/// order and a table cell's column.
fn block_shape(tag: &Tag<'_>, column: usize) -> String {
    match tag {
        Tag::Paragraph => "p".into(),
        Tag::Heading { level, .. } => format!("h{}", *level as usize),
        Tag::BlockQuote(_) => "quote".into(),
        Tag::List(None) => "ul".into(),
        Tag::List(Some(_)) => "ol".into(),
        Tag::Item => "li".into(),
        Tag::Table(_) => "table".into(),
        Tag::TableHead => "head".into(),
        Tag::TableRow => "row".into(),
        Tag::TableCell => format!("cell {column}"),
        Tag::FootnoteDefinition(_) => "footnote".into(),
        Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_) => "code".into(),
        _ => "block".into(),
    }
}

/// Turns a run of inline events into a unit, if it has text to translate.
fn flush(
    body: &str,
    kind: &'static str,
    shape: &[String],
    run: &mut Vec<(Event<'_>, Range<usize>)>,
    out: &mut Vec<Unit>,
) {
    if run.is_empty() {
        return;
    }
    let mut events = std::mem::take(run);
    widen_collapsed(body, &mut events);
    let start = events.iter().map(|(_, r)| r.start).min().unwrap_or(0);
    let end = events.iter().map(|(_, r)| r.end).max().unwrap_or(start);
    let (toks, continuation) = tokens(body, start..end, &events);
    let has_text = toks
        .iter()
        .any(|t| matches!(t, Tok::Text(s) if s.chars().any(char::is_alphanumeric)));
    if has_text && !kind.is_empty() {
        out.push(Unit {
            kind,
            range: start..end,
            toks,
            continuation,
            shape: shape.join("/"),
        });
    }
}

/// Gives a collapsed reference link or image (`[label][]`) the range of all its markup: the
/// parser's stops before the `[]`, which would be text to translate, and a translator who
/// keeps it after the translated text leaves it there as brackets a reader sees.
fn widen_collapsed(body: &str, events: &mut [(Event<'_>, Range<usize>)]) {
    let mut widened: Vec<Range<usize>> = Vec::new();
    for (event, range) in events.iter_mut() {
        match event {
            Event::Start(
                Tag::Link {
                    link_type: LinkType::Collapsed,
                    ..
                }
                | Tag::Image {
                    link_type: LinkType::Collapsed,
                    ..
                },
            ) if body[range.end..].starts_with("[]") => {
                widened.push(range.clone());
                range.end += 2;
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(at) = widened.iter().rposition(|w| w == range) {
                    widened.remove(at);
                    range.end += 2;
                }
            }
            _ => {}
        }
    }
}

/// An inline container being read: its code id, where it starts, whether its opening markup
/// has been emitted.
struct Frame {
    id: usize,
    start: usize,
    opened: bool,
}

/// The tokens of a unit's range, and what starts its continuation lines (see
/// [`Unit::continuation`]).
fn tokens(
    body: &str,
    range: Range<usize>,
    events: &[(Event<'_>, Range<usize>)],
) -> (Vec<Tok>, String) {
    let mut toks = Vec::new();
    let mut pos = range.start;
    let mut next_id = 0;
    let mut continuation = String::new();
    // After a line break: the next event's start, past its container's marks.
    let mut after_break = false;
    let mut stack: Vec<Frame> = Vec::new();
    let text = |toks: &mut Vec<Tok>, from: usize, to: usize| {
        if to > from {
            match toks.last_mut() {
                Some(Tok::Text(s)) => s.push_str(&body[from..to]),
                _ => toks.push(Tok::Text(body[from..to].to_string())),
            }
        }
    };
    // An autolink (`<https://…>`) is its address: nothing in it to translate.
    let mut autolink_start: Option<usize> = None;
    for (event, r) in events {
        if std::mem::take(&mut after_break) && r.start > pos {
            // The container's marks start the line: the quote's `>`, the item's indent. What
            // follows them before this event (the `\` of an escape) is text.
            let gap = &body[pos..r.start];
            let marks = &gap[..gap
                .find(|c: char| !matches!(c, ' ' | '\t' | '>'))
                .unwrap_or(gap.len())];
            if !marks.is_empty() {
                if continuation.is_empty() {
                    continuation = marks.to_string();
                }
                pos += marks.len();
            }
        }
        if let Some(start) = autolink_start {
            if matches!(event, Event::End(TagEnd::Link)) {
                next_id += 1;
                toks.push(Tok::Ph(next_id, body[start..r.end].to_string()));
                pos = r.end;
                autolink_start = None;
            }
            continue;
        }
        // A child of a container whose opening markup is still pending: it ends here.
        if !matches!(event, Event::End(_))
            && let Some(top) = stack.last_mut()
            && !top.opened
        {
            top.opened = true;
            toks.push(Tok::Open(top.id, body[top.start..r.start].to_string()));
            pos = r.start;
        }
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => {
                text(&mut toks, pos, r.start);
                autolink_start = Some(r.start);
            }
            Event::Start(_) => {
                text(&mut toks, pos, r.start);
                next_id += 1;
                stack.push(Frame {
                    id: next_id,
                    start: r.start,
                    opened: false,
                });
                pos = r.start;
            }
            Event::End(_) => {
                let Some(frame) = stack.pop() else { continue };
                if frame.opened {
                    toks.push(Tok::Close(
                        frame.id,
                        body[pos.max(frame.start)..r.end].to_string(),
                    ));
                } else {
                    toks.push(Tok::Ph(frame.id, body[frame.start..r.end].to_string()));
                }
                pos = r.end;
            }
            // A soft line break is where the source was wrapped: text, which a translation
            // wraps elsewhere or not at all, not a code it must keep.
            Event::Text(_) => {
                text(&mut toks, pos, r.end);
                pos = r.end;
            }
            Event::SoftBreak => {
                text(&mut toks, pos, r.end);
                pos = r.end;
                after_break = true;
            }
            Event::HardBreak => {
                text(&mut toks, pos, r.start);
                next_id += 1;
                toks.push(Tok::Ph(next_id, body[r.start..r.end].to_string()));
                pos = r.end;
                after_break = true;
            }
            _ => {
                text(&mut toks, pos, r.start);
                next_id += 1;
                toks.push(Tok::Ph(next_id, body[r.start..r.end].to_string()));
                pos = r.end;
            }
        }
    }
    text(&mut toks, pos, range.end);
    (toks, continuation)
}

/// `body` with each unit's range replaced by its new Markdown (`texts`, one per unit).
pub fn rebuild(body: &str, units: &[Unit], texts: &[String]) -> String {
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for (unit, text) in units.iter().zip(texts) {
        out.push_str(&body[at..unit.range.start]);
        out.push_str(text);
        at = unit.range.end;
    }
    out.push_str(&body[at..]);
    out
}

/// The blocks of `body`, in order and nested as they are (`paragraph`, `heading 2`, `list`,
/// `item`, `code`, `html`, …, each opened and closed), without their text: what a translation
/// rebuilt from the body's units must keep.
pub fn block_structure(body: &str) -> Vec<String> {
    let name = |tag: &Tag<'_>| -> Option<String> {
        Some(match tag {
            Tag::Paragraph => "paragraph".into(),
            Tag::Heading { level, .. } => format!("heading {}", *level as usize),
            Tag::BlockQuote(_) => "quote".into(),
            Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(_)) => "fenced code".into(),
            Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Indented) => "indented code".into(),
            Tag::HtmlBlock => "html".into(),
            Tag::List(None) => "list".into(),
            Tag::List(Some(_)) => "ordered list".into(),
            Tag::Item => "item".into(),
            Tag::FootnoteDefinition(_) => "footnote".into(),
            Tag::Table(columns) => format!("table of {}", columns.len()),
            Tag::TableHead => "table head".into(),
            Tag::TableRow => "row".into(),
            Tag::TableCell => "cell".into(),
            Tag::MetadataBlock(_) => "metadata".into(),
            _ => return None,
        })
    };
    let mut open: Vec<Option<String>> = Vec::new();
    let mut out = Vec::new();
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(tag) => {
                let block = name(&tag);
                if let Some(b) = &block {
                    out.push(b.clone());
                }
                open.push(block);
            }
            Event::End(_) => {
                if let Some(Some(b)) = open.pop() {
                    out.push(format!("/{b}"));
                }
            }
            Event::Rule => out.push("rule".into()),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_autolink_is_one_placeholder() {
        let u = units("詳しくは <https://www.meti.go.jp/> と <info@example.org> を参照。\n");
        assert_eq!(
            u[0].toks,
            [
                Tok::Text("詳しくは ".into()),
                Tok::Ph(1, "<https://www.meti.go.jp/>".into()),
                Tok::Text(" と ".into()),
                Tok::Ph(2, "<info@example.org>".into()),
                Tok::Text(" を参照。".into()),
            ]
        );
    }

    #[test]
    fn blocks_and_codes() {
        let body = "Intro with **bold** and [a link](x.md \"t\").\n\n## Key *dates* {#kd}\n\n- one `code`\n- two[^1]\n\n| A | B |\n|---|---|\n| [](x.md) | c ![i](p.png) |\n\n```\nnot text\n```\n\n[^1]: Note.\n";
        let u = units(body);
        let kinds: Vec<_> = u.iter().map(|u| u.kind).collect();
        assert_eq!(
            kinds,
            [
                "paragraph",
                "heading",
                "list item",
                "list item",
                "table cell",
                "table cell",
                "table cell",
                "paragraph"
            ]
        );
        assert_eq!(
            u[0].toks,
            [
                Tok::Text("Intro with ".into()),
                Tok::Open(1, "**".into()),
                Tok::Text("bold".into()),
                Tok::Close(1, "**".into()),
                Tok::Text(" and ".into()),
                Tok::Open(2, "[".into()),
                Tok::Text("a link".into()),
                Tok::Close(2, "](x.md \"t\")".into()),
                Tok::Text(".".into()),
            ]
        );
        assert_eq!(u[1].markdown(), "Key *dates*");
        assert_eq!(u[2].toks[1], Tok::Ph(1, "`code`".into()));
        assert_eq!(u[3].toks[1], Tok::Ph(1, "[^1]".into()));
        // An image's alt text is translated: readers of each language hear their own.
        assert_eq!(
            u[6].toks[1..],
            [
                Tok::Open(1, "![".into()),
                Tok::Text("i".into()),
                Tok::Close(1, "](p.png)".into()),
            ]
        );
        // Every unit's tokens give back its source, so the body rebuilds unchanged.
        for unit in &u {
            assert_eq!(unit.markdown(), &body[unit.range.clone()]);
        }
        let texts: Vec<String> = u.iter().map(Unit::markdown).collect();
        assert_eq!(rebuild(body, &u, &texts), body);
    }

    #[test]
    fn a_collapsed_reference_keeps_its_brackets_in_its_markup() {
        let body = "See [the act][] and ![logo][].\n\n[the act]: a.md\n[logo]: l.png\n";
        let u = units(body);
        assert_eq!(
            u[0].toks,
            [
                Tok::Text("See ".into()),
                Tok::Open(1, "[".into()),
                Tok::Text("the act".into()),
                Tok::Close(1, "][]".into()),
                Tok::Text(" and ".into()),
                Tok::Open(2, "![".into()),
                Tok::Text("logo".into()),
                Tok::Close(2, "][]".into()),
                Tok::Text(".".into()),
            ]
        );
        assert_eq!(u[0].markdown(), &body[u[0].range.clone()]);
        // At the end of its block too, the brackets are the unit's.
        let body = "See [the act][]\n\n[the act]: a.md\n";
        assert_eq!(units(body)[0].markdown(), "See [the act][]");
    }

    #[test]
    fn bundled_content_round_trips() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        for entry in walkdir::WalkDir::new(root).into_iter().flatten() {
            if entry.path().extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let body = crate::model::frontmatter::split(&text).unwrap().body;
            let u = units(body);
            for unit in &u {
                assert_eq!(
                    unit.markdown(),
                    &body[unit.range.clone()],
                    "{}",
                    entry.path().display()
                );
            }
        }
    }
}
