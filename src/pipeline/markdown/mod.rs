//! Markdown to HTML with pulldown-cmark, in one pass over the events: heading ids and the table
//! of contents, tables wrapped so they can scroll on phones, emphasis that works next to
//! Japanese punctuation, and the counts behind the reading time.
//!
//! This module walks the events and hands each job to its own: `ids` (heading and footnote
//! ids), `table` (tables and their cells), `text` (runs of text: CJK line breaks, Japanese
//! emphasis, glossary terms), `dropped` (what is left out or kept as text, and reported) and
//! `count` (words and characters for the reading time).

mod count;
mod dropped;
mod ids;
mod table;
mod text;

pub use dropped::Dropped;
pub use text::is_cjk_or_wide;

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use crate::model::config::HeadingIds;
use crate::model::url::dangerous_scheme;
use crate::pipeline::packed::Text;
use count::count;
use dropped::{RawHtml, report_shortcodes};
use ids::{Ids, heading_slug, relabel_footnotes, unique_id};
use table::TableState;
use text::{TextRun, drop_cjk_breaks_beside_markup};

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
    pub html: Text,
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

/// The Markdown extensions content is parsed with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// How the link stage wants a link written.
#[derive(Debug, Clone, Default)]
pub struct LinkRewrite {
    pub href: String,
    /// Markup that replaces the link's opening and closing tags, when the link needs more than a
    /// new `href` (an `hreflang` and a language badge, a glossary tooltip).
    pub open_html: Option<String>,
    pub close_html: Option<String>,
    /// Text for a link written with none: `[](other.md)`.
    pub empty_text: String,
}

/// A glossary term to mark up in a text: its byte range and the markup around it.
#[derive(Debug, Clone)]
pub struct TermMarkup {
    pub range: Range<usize>,
    pub open_html: String,
    pub close_html: String,
}

/// The link stage's hooks into rendering. `link` sees every link's destination, title and byte
/// offset in the body and says how to write it (`None` leaves it as written); `terms` sees each
/// run of running text where glossary terms may be linked (never in headings, links, code, raw
/// HTML or image text) and says which to mark up.
pub trait Links {
    fn link(&mut self, dest: &str, title: &str, offset: usize) -> Option<LinkRewrite>;

    fn terms(&mut self, _text: &str, _sentence_start: bool) -> Vec<TermMarkup> {
        Vec::new()
    }

    /// Whether raw HTML, heading attributes other than id and class, and `javascript:`,
    /// `vbscript:` and `data:` URLs pass through as written (`[markdown] unsafe_html`).
    fn unsafe_html(&self) -> bool {
        true
    }

    /// How heading ids are made (`[markdown] heading_ids`).
    fn heading_ids(&self) -> HeadingIds {
        HeadingIds::Github
    }

    /// Sees an image's address (`![alt](chart.png)`), with its byte offset, and says how to
    /// write it (`None` leaves it as written).
    fn image(&mut self, _dest: &str, _offset: usize) -> Option<String> {
        None
    }

    /// Told of a footnote definition whose label an earlier one on the page has, with its
    /// byte offset.
    fn duplicate_footnote(&mut self, _label: &str, _offset: usize) {}

    /// Ids the page around the body already has (the theme's), sorted: headings and
    /// footnotes get others.
    fn taken_ids(&self) -> std::sync::Arc<[String]> {
        std::sync::Arc::new([])
    }

    /// Told of each thing left out because `unsafe_html` is false, with its byte offset.
    fn dropped(&mut self, _what: Dropped, _offset: usize) {}

    /// The page's language (`en`, `ja`), for what the renderer writes in words of its own.
    fn lang(&self) -> &str {
        ""
    }
}

/// Leaves every link as written and links no terms.
pub struct NoLinks;

impl Links for NoLinks {
    fn link(&mut self, _: &str, _: &str, _: usize) -> Option<LinkRewrite> {
        None
    }
}

/// Where the renderer is, for deciding whether glossary terms may be linked.
#[derive(Default)]
struct Context {
    heading: bool,
    links: usize,
    images: usize,
    code_block: bool,
    /// Open raw inline HTML elements (`<span>…</span>`).
    html: usize,
    /// Whether the next text begins a block (a paragraph, list item or cell).
    block_start: bool,
}

impl Context {
    fn terms_allowed(&self) -> bool {
        !self.heading && self.links == 0 && self.images == 0 && !self.code_block && self.html == 0
    }
}

/// Tracks how many raw inline HTML elements are open: `<span>` opens, `</span>` closes,
/// `<br/>`, `<img>` and comments do neither.
fn html_depth(depth: usize, html: &str) -> usize {
    let tag = html.trim();
    const VOID: &[&str] = &["br", "img", "hr", "wbr", "input", "source"];
    if tag.starts_with("</") {
        depth.saturating_sub(1)
    } else if tag.starts_with("<!--") || tag.ends_with("/>") {
        depth
    } else if let Some(name) = tag.strip_prefix('<') {
        let name: String = name
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || VOID.contains(&name.as_str()) {
            depth
        } else {
            depth + 1
        }
    } else {
        depth
    }
}

/// Renders a Markdown body to HTML, in one pass over pulldown-cmark's events.
pub fn render(src: &str, links: &mut dyn Links) -> Rendered {
    let mut out = Rendered::default();
    let taken = links.taken_ids();
    let mut seen_ids = Ids::new(&taken);
    let mut footnotes = false;
    let mut footnotes_defined: HashSet<String> = HashSet::new();
    let mut events: Vec<Event<'_>> = Vec::with_capacity(src.len() / 8);
    let mut run = TextRun::default();
    let mut cx = Context::default();
    // Where the open heading's Start event is, and its text so far.
    let mut heading: Option<(usize, String)> = None;
    let unsafe_html = links.unsafe_html();
    let mut heading_offset = 0;
    let mut raw_html = RawHtml::default();
    // The open links' rewrites and the index of their start events.
    let mut open_links: Vec<Option<(LinkRewrite, usize)>> = Vec::new();
    let mut table = TableState::default();
    for (event, range) in Parser::new_ext(src, options()).into_offset_iter() {
        table.observe(&event);
        match event {
            Event::Text(text) => {
                if let Some((_, heading_text)) = &mut heading {
                    heading_text.push_str(&text);
                } else if !cx.code_block {
                    count(&text, &mut out);
                }
                if cx.code_block {
                    events.push(Event::Text(text));
                } else {
                    report_shortcodes(src, &range, links);
                    run.push(Some(text), &range, src);
                }
                continue;
            }
            Event::SoftBreak if !run.is_empty() => {
                run.push(None, &range, src);
                continue;
            }
            _ => {}
        }
        run.flush(&mut events, links, &mut cx);
        if !unsafe_html && raw_html.leaves_out(&event, &range, src, links) {
            continue;
        }
        match event {
            Event::Start(Tag::Heading { .. }) => {
                cx.heading = true;
                heading_offset = range.start;
                heading = Some((events.len(), String::new()));
                events.push(event);
            }
            Event::Code(ref code) => {
                if let Some((_, heading_text)) = &mut heading {
                    heading_text.push_str(code);
                }
                events.push(event);
            }
            Event::End(TagEnd::Heading(level)) => {
                cx.heading = false;
                if let Some((start, text)) = heading.take() {
                    count(&text, &mut out);
                    let Event::Start(Tag::Heading {
                        id,
                        classes,
                        mut attrs,
                        ..
                    }) = std::mem::replace(&mut events[start], Event::SoftBreak)
                    else {
                        unreachable!("a heading's start is recorded at its index")
                    };
                    if !unsafe_html && !attrs.is_empty() {
                        let names = attrs.drain(..).map(|(k, _)| k.to_string()).collect();
                        links.dropped(Dropped::Attributes(names), heading_offset);
                    }
                    let id = unique_id(
                        id.map_or_else(
                            || heading_slug(&text, links.heading_ids()),
                            |i| i.to_string(),
                        ),
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
                    events[start] = Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(id)),
                        classes,
                        attrs,
                    });
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                cx.links += 1;
                let scheme = (!unsafe_html)
                    .then(|| dangerous_scheme(&dest_url))
                    .flatten();
                if let Some(scheme) = scheme {
                    links.dropped(Dropped::Url(scheme.to_string()), range.start);
                    open_links.push(None);
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::Borrowed(""),
                        title,
                        id,
                    }));
                    continue;
                }
                match links.link(&dest_url, &title, range.start) {
                    Some(rewrite) => {
                        let start = events.len();
                        match &rewrite.open_html {
                            Some(html) => events.push(Event::InlineHtml(html.clone().into())),
                            None => events.push(Event::Start(Tag::Link {
                                link_type,
                                dest_url: rewrite.href.clone().into(),
                                title,
                                id,
                            })),
                        }
                        open_links.push(Some((rewrite, start)));
                    }
                    None => {
                        open_links.push(None);
                        events.push(Event::Start(Tag::Link {
                            link_type,
                            dest_url,
                            title,
                            id,
                        }));
                    }
                }
            }
            Event::End(TagEnd::Link) => {
                cx.links = cx.links.saturating_sub(1);
                match open_links.pop().flatten() {
                    Some((rewrite, start)) => {
                        if events.len() == start + 1 && !rewrite.empty_text.is_empty() {
                            events.push(Event::Text(rewrite.empty_text.into()));
                        }
                        match rewrite.close_html {
                            Some(html) => events.push(Event::InlineHtml(html.into())),
                            None => events.push(Event::End(TagEnd::Link)),
                        }
                    }
                    None => events.push(Event::End(TagEnd::Link)),
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                cx.images += 1;
                let dest_url = match (!unsafe_html)
                    .then(|| dangerous_scheme(&dest_url))
                    .flatten()
                {
                    Some(scheme) => {
                        links.dropped(Dropped::Url(scheme.to_string()), range.start);
                        CowStr::Borrowed("")
                    }
                    None => match links.image(&dest_url, range.start) {
                        Some(href) => CowStr::from(href),
                        None => dest_url,
                    },
                };
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Image) => {
                cx.images = cx.images.saturating_sub(1);
                events.push(event);
            }
            Event::InlineHtml(ref html) => {
                cx.html = html_depth(cx.html, html);
                events.push(event);
            }
            Event::Start(Tag::Table(aligned)) => table.start(aligned, &mut events),
            Event::Start(Tag::TableHead) => {
                table.start_head();
                events.push(event);
            }
            Event::Start(Tag::TableRow) => {
                table.start_row();
                events.push(event);
            }
            Event::Start(Tag::TableCell) => {
                table.start_cell(events.len());
                cx.block_start = true;
                events.push(event);
            }
            Event::End(TagEnd::TableCell) => {
                table.end_cell(&mut events);
                events.push(event);
            }
            Event::End(TagEnd::TableHead) => {
                table.end_head();
                events.push(event);
            }
            Event::End(TagEnd::Table) => table.end(&mut events, links.lang()),
            Event::Start(Tag::CodeBlock(_)) => {
                cx.code_block = true;
                events.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                cx.code_block = false;
                events.push(event);
            }
            Event::Start(Tag::Paragraph | Tag::Item) => {
                cx.block_start = true;
                events.push(event);
            }
            Event::FootnoteReference(_) => {
                footnotes = true;
                events.push(event);
            }
            Event::Start(Tag::FootnoteDefinition(ref label)) => {
                if !footnotes_defined.insert(label.to_string()) {
                    links.duplicate_footnote(label, range.start);
                }
                footnotes = true;
                events.push(event);
            }
            other => events.push(other),
        }
    }
    run.flush(&mut events, links, &mut cx);
    if out.cjk_chars > 0 {
        drop_cjk_breaks_beside_markup(&mut events);
    }
    if footnotes {
        relabel_footnotes(&mut events, &mut seen_ids);
    }
    let mut html = String::with_capacity(src.len() * 2);
    html::push_html(&mut html, events.into_iter());
    out.html = Text::Plain(html);
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

/// Renders with no link stage: links as written, no glossary terms, raw HTML allowed.
#[cfg(test)]
fn render_plain(src: &str) -> Rendered {
    render(src, &mut NoLinks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_html_reads_back_the_same() {
        let mut html = render_plain(&"長い段落です。**強調**と text.\n\n".repeat(100)).html;
        let plain = html.as_str().into_owned();
        html.pack();
        assert!(matches!(html, Text::Packed(_)));
        assert_eq!(html.as_str(), plain);
        assert!(html == Text::Plain(plain.clone()));
        assert_eq!(html.into_string(), plain);
    }
}
