//! Markdown to HTML with pulldown-cmark, in one pass over the events: heading ids and the table
//! of contents, tables wrapped so they can scroll on phones, emphasis that works next to
//! Japanese punctuation, and the counts behind the reading time.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use crate::slug::slugify;

/// One heading in a page's table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    /// The heading as plain text.
    pub title: String,
}

/// A rendered Markdown body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// Headings h2–h4, in order.
    pub toc: Vec<TocEntry>,
    /// Every heading id on the page (h1–h6, explicit `{#id}` included), for anchor checks.
    pub ids: Vec<String>,
    /// Words of non-CJK text.
    pub words: usize,
    /// CJK characters, which are read by the character rather than the word.
    pub cjk_chars: usize,
}

impl Rendered {
    /// Whole minutes to read, at least 1: about 200 English words or 600 Japanese characters
    /// a minute.
    pub fn reading_time(&self) -> usize {
        let minutes = self.words as f64 / 200.0 + self.cjk_chars as f64 / 600.0;
        (minutes.ceil() as usize).max(1)
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a Markdown body to HTML.
pub fn render(src: &str) -> Rendered {
    let events: Vec<(Event<'_>, Range<usize>)> =
        Parser::new_ext(src, options()).into_offset_iter().collect();
    let events = fix_cjk_emphasis(events, src);

    let mut out = Rendered::default();
    let mut seen_ids = HashSet::new();
    let mut final_events: Vec<Event<'_>> = Vec::with_capacity(events.len() + 8);
    let mut in_code_block = false;
    let mut iter = events.into_iter();
    while let Some(event) = iter.next() {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let mut inner = Vec::new();
                let mut text = String::new();
                for e in iter.by_ref() {
                    if matches!(e, Event::End(TagEnd::Heading(_))) {
                        break;
                    }
                    if let Event::Text(t) | Event::Code(t) = &e {
                        text.push_str(t);
                    }
                    inner.push(e);
                }
                count(&text, &mut out);
                let id = unique_id(
                    id.map_or_else(|| heading_slug(&text), |i| i.to_string()),
                    &mut seen_ids,
                );
                let depth = heading_depth(level);
                if (2..=4).contains(&depth) {
                    out.toc.push(TocEntry {
                        level: depth,
                        id: id.clone(),
                        title: text.trim().to_string(),
                    });
                }
                out.ids.push(id.clone());
                final_events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes,
                    attrs,
                }));
                final_events.extend(inner);
                final_events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Table(alignments)) => {
                final_events.push(Event::Html("<div class=\"table-wrap\">\n".into()));
                final_events.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                final_events.push(Event::End(TagEnd::Table));
                final_events.push(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code_block = true;
                final_events.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                final_events.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Text(t) => {
                if !in_code_block {
                    count(&t, &mut out);
                }
                final_events.push(Event::Text(t));
            }
            other => final_events.push(other),
        }
    }
    out.html.reserve(src.len() * 3 / 2);
    html::push_html(&mut out.html, final_events.into_iter());
    out
}

fn heading_depth(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A heading's id: its slug, never empty and never only digits (which some browsers and
/// CSS selectors handle badly).
fn heading_slug(text: &str) -> String {
    let slug = slugify(text);
    if slug.is_empty() {
        "section".to_string()
    } else if slug.chars().all(|c| c.is_ascii_digit() || c == '-') {
        format!("h-{slug}")
    } else {
        slug
    }
}

fn unique_id(id: String, seen: &mut HashSet<String>) -> String {
    if seen.insert(id.clone()) {
        return id;
    }
    (1..)
        .map(|n| format!("{id}-{n}"))
        .find(|candidate| seen.insert(candidate.clone()))
        .unwrap_or(id)
}

fn count(text: &str, out: &mut Rendered) {
    let mut in_word = false;
    for c in text.chars() {
        if is_cjk(c) {
            out.cjk_chars += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                out.words += 1;
            }
            in_word = true;
        } else if c.is_whitespace() {
            in_word = false;
        }
    }
}

/// Chinese, Japanese and Korean characters and their punctuation (full-width forms included).
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'   // CJK symbols and punctuation: 、。「」『』
        | '\u{3040}'..='\u{30FF}' // hiragana, katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{FF00}'..='\u{FFEF}' // full-width and half-width forms: （）！？
    )
}

/// CommonMark only opens or closes `**` when the flanking rules allow it, and they fail when a
/// delimiter sits between CJK punctuation and a letter with no space (`これは**「重要」**です`),
/// because Japanese puts no spaces between words. Such delimiters reach us as literal text. Here,
/// within each run of plain text, a pair of `**` (or `*`) whose inner side is not white space and
/// that touches a CJK character becomes strong (or emphasis), as a Japanese writer expects.
fn fix_cjk_emphasis<'a>(events: Vec<(Event<'a>, Range<usize>)>, src: &'a str) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut run = String::new();
    let mut run_is_literal = true;
    let mut in_run = false;
    let flush = |run: &mut String, literal: bool, out: &mut Vec<Event<'a>>| {
        if run.contains('*') && literal && run.chars().any(is_cjk) {
            emphasize(run, out);
        } else if !run.is_empty() {
            out.push(Event::Text(CowStr::from(std::mem::take(run))));
        }
        run.clear();
    };
    for (event, range) in events {
        match event {
            Event::Text(t) => {
                // Escaped `\*` or entities make the source differ from the text: leave those runs
                // as CommonMark rendered them.
                let escaped = range.start > 0 && src.as_bytes()[range.start - 1] == b'\\';
                if escaped || src.get(range.clone()) != Some(&*t) {
                    run_is_literal = false;
                }
                run.push_str(&t);
                in_run = true;
            }
            other => {
                if in_run {
                    flush(&mut run, run_is_literal, &mut out);
                    run_is_literal = true;
                    in_run = false;
                }
                out.push(other);
            }
        }
    }
    if in_run {
        flush(&mut run, run_is_literal, &mut out);
    }
    out
}

fn emphasize<'a>(text: &str, out: &mut Vec<Event<'a>>) {
    for (plain, strong) in pair_delimiters(text, "**") {
        if strong {
            out.push(Event::Start(Tag::Strong));
            push_emphasis(&plain, out);
            out.push(Event::End(TagEnd::Strong));
        } else {
            push_emphasis(&plain, out);
        }
    }
}

fn push_emphasis<'a>(text: &str, out: &mut Vec<Event<'a>>) {
    for (plain, em) in pair_delimiters(text, "*") {
        if em {
            out.push(Event::Start(Tag::Emphasis));
            out.push(Event::Text(CowStr::from(plain)));
            out.push(Event::End(TagEnd::Emphasis));
        } else if !plain.is_empty() {
            out.push(Event::Text(CowStr::from(plain)));
        }
    }
}

/// Splits `text` into pieces, marking those enclosed by a matching pair of `delim` that
/// qualifies under the CJK rule above.
fn pair_delimiters(text: &str, delim: &str) -> Vec<(String, bool)> {
    let mut pieces = Vec::new();
    let mut rest = text;
    let mut plain = String::new();
    while let Some(open) = find_run(rest, delim) {
        let after_open = &rest[open + delim.len()..];
        let Some(close) = find_run(after_open, delim) else {
            break;
        };
        let inner = &after_open[..close];
        let before = rest[..open].chars().next_back();
        let after = after_open[close + delim.len()..].chars().next();
        let first = inner.chars().next();
        let last = inner.chars().next_back();
        let touches_cjk = [before, first, last, after]
            .into_iter()
            .flatten()
            .any(is_cjk);
        if first.is_some_and(|c| !c.is_whitespace())
            && last.is_some_and(|c| !c.is_whitespace())
            && touches_cjk
        {
            plain.push_str(&rest[..open]);
            pieces.push((std::mem::take(&mut plain), false));
            pieces.push((inner.to_string(), true));
            rest = &after_open[close + delim.len()..];
        } else {
            plain.push_str(&rest[..open + delim.len()]);
            rest = after_open;
        }
    }
    plain.push_str(rest);
    pieces.push((plain, false));
    pieces
}

/// Byte offset of the next run of exactly `delim` (a `*` that is part of `**` does not count
/// as a single `*`).
fn find_run(text: &str, delim: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let n = delim.len();
    let mut i = 0;
    while i + n <= bytes.len() {
        if &bytes[i..i + n] == delim.as_bytes() {
            let mut end = i;
            while end < bytes.len() && bytes[end] == b'*' {
                end += 1;
            }
            if end - i == n {
                return Some(i);
            }
            i = end;
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_emphasis_next_to_brackets() {
        let r = render("これは**「重要」**です。");
        assert_eq!(r.html, "<p>これは<strong>「重要」</strong>です。</p>\n");
        let r = render("政府は*「信頼できるAI」*を掲げる。");
        assert_eq!(r.html, "<p>政府は<em>「信頼できるAI」</em>を掲げる。</p>\n");
    }

    #[test]
    fn ordinary_emphasis_is_untouched() {
        assert_eq!(render("a **b** c").html, "<p>a <strong>b</strong> c</p>\n");
        assert_eq!(render("2 ** 3 ** 4").html, "<p>2 ** 3 ** 4</p>\n");
        assert_eq!(
            render(r"これは\*\*「重要」\*\*です").html,
            "<p>これは**「重要」**です</p>\n"
        );
        assert_eq!(
            render("`**「x」**です`").html,
            "<p><code>**「x」**です</code></p>\n"
        );
    }

    #[test]
    fn heading_ids_keep_japanese_and_are_unique() {
        let r = render(
            "## AI推進法の概要\n\n## Overview\n\n## Overview\n\n## 2025\n\n## 「」\n\n### Custom {#mine}\n",
        );
        let ids: Vec<_> = r.ids.iter().map(String::as_str).collect();
        assert_eq!(
            ids,
            [
                "ai推進法の概要",
                "overview",
                "overview-1",
                "h-2025",
                "section",
                "mine"
            ]
        );
        assert!(
            r.html
                .contains("<h2 id=\"ai推進法の概要\">AI推進法の概要</h2>")
        );
        assert_eq!(r.toc.len(), 6);
        assert_eq!(r.toc[5].level, 3);
        assert_eq!(r.toc[5].title, "Custom");
    }

    #[test]
    fn tables_are_wrapped_and_gfm_works() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ and a note[^1]\n\n[^1]: The note.\n\n- [x] done\n",
        );
        assert!(r.html.starts_with("<div class=\"table-wrap\">\n<table>"));
        assert!(r.html.contains("</table>\n</div>"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("footnote-definition"));
        assert!(r.html.contains("type=\"checkbox\""));
    }

    #[test]
    fn reading_time_by_words_and_characters() {
        let english = "word ".repeat(450);
        assert_eq!(render(&english).reading_time(), 3);
        let japanese = "日本語".repeat(400);
        assert_eq!(render(&japanese).reading_time(), 2);
        assert_eq!(render("short").reading_time(), 1);
    }
}
