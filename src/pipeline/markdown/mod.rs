//! Markdown to HTML with pulldown-cmark, in one pass over the events: heading ids and the table
//! of contents, tables wrapped so they can scroll on phones, emphasis that works next to
//! Japanese punctuation, and the counts behind the reading time.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Alignment, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use crate::model::config::HeadingIds;
use crate::model::slug::{github_heading_id, slugify};
use crate::model::url::dangerous_scheme;
use crate::pipeline::packed::Text;
use crate::pipeline::swar;

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

/// What the renderer left out of a page when raw HTML is not allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dropped {
    /// Raw HTML, block or inline; the start of the markup.
    Html(String),
    /// A link or image URL with a scheme that runs code or embeds content; the scheme.
    Url(String),
    /// Heading attributes other than `#id` and `.class`; their names.
    Attributes(Vec<String>),
    /// Zola's and Hugo's summary separator, `<!-- more -->`, which tebiki does not have.
    More,
    /// A Zola or Hugo shortcode (`{{ youtube(…) }}`, `{{< ref … >}}`), kept as text: its start.
    Shortcode(String),
    /// An image on another host, where none may be loaded (a glossary tooltip); its address.
    RemoteImage(String),
}

impl Dropped {
    /// What leaving out the raw HTML `html` is worth saying: nothing for a comment, which no
    /// reader sees either way (a note to other writers), except the summary separator of Zola
    /// and Hugo, which a moved site expects to mark its summary.
    fn of_html(html: &str) -> Option<Self> {
        let trimmed = html.trim();
        match trimmed
            .strip_prefix("<!--")
            .and_then(|c| c.strip_suffix("-->"))
        {
            Some(comment) if comment.trim().eq_ignore_ascii_case("more") => Some(Dropped::More),
            Some(comment) if !comment.contains("-->") => None,
            _ => Some(Dropped::html(html)),
        }
    }

    /// Raw HTML, kept as its first 40 characters (a block may be long).
    fn html(html: &str) -> Self {
        let line = html.trim().lines().next().unwrap_or_default();
        let mut short: String = line.chars().take(40).collect();
        if short.len() < line.len() {
            short.push('…');
        }
        Dropped::Html(short)
    }

    /// A one-line description for a diagnostic.
    pub fn describe(&self) -> String {
        match self {
            Dropped::Html(html) => format!("raw HTML `{html}` was left out"),
            Dropped::More => {
                "`<!-- more -->` marks no summary: tebiki has no summary separator".to_string()
            }
            Dropped::Shortcode(call) => {
                format!("`{call}` looks like a Zola or Hugo shortcode, which tebiki shows as text")
            }
            Dropped::RemoteImage(url) => {
                format!("the image `{url}` on another host was left out of the tooltip")
            }
            Dropped::Url(scheme) => {
                format!("a `{scheme}:` URL was left out (the link or image has an empty address)")
            }
            Dropped::Attributes(names) => format!(
                "heading attributes {} were left out (only `#id` and `.class` are kept)",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
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

/// Renders a Markdown body to HTML, in one pass over pulldown-cmark's events.
pub fn render(src: &str, links: &mut dyn Links) -> Rendered {
    let mut out = Rendered::default();
    let taken = links.taken_ids();
    let mut seen_ids = Ids {
        taken: &taken,
        ..Ids::default()
    };
    let mut footnotes = false;
    let mut footnotes_defined: HashSet<String> = HashSet::new();
    let mut events: Vec<Event<'_>> = Vec::with_capacity(src.len() / 8);
    let mut run = TextRun::default();
    let mut cx = Context::default();
    // Where the open heading's Start event is, and its text so far.
    let mut heading: Option<(usize, String)> = None;
    let unsafe_html = links.unsafe_html();
    let mut heading_offset = 0;
    // Inside a raw HTML block that is being left out.
    let mut in_html_block = false;
    // The open links' rewrites and the index of their start events.
    let mut open_links: Vec<Option<(LinkRewrite, usize)>> = Vec::new();
    // The open table's wrapper (its event index) and the texts of its header cells so far.
    let mut table: Option<(usize, Vec<String>)> = None;
    let mut in_table_head = false;
    // The open table's column alignments, the place of the open cell in its row, and the
    // open cell: its start event's index and the width of its text so far ([`text_width`]).
    let mut alignments: Vec<Alignment> = Vec::new();
    let mut column = 0;
    let mut cell: Option<(usize, usize)> = None;
    for (event, range) in Parser::new_ext(src, options()).into_offset_iter() {
        if let Some((_, width)) = &mut cell {
            match &event {
                Event::Text(t) | Event::Code(t) => *width = width.saturating_add(text_width(t)),
                // An image's size is not known: the cell is not counted as short.
                Event::Start(Tag::Image { .. }) => *width = usize::MAX / 2,
                _ => {}
            }
        }
        if in_table_head && let Some((_, head)) = &mut table {
            match &event {
                Event::Start(Tag::TableCell) => head.push(String::new()),
                Event::Text(t) | Event::Code(t) => {
                    if let Some(cell) = head.last_mut() {
                        cell.push_str(t);
                    }
                }
                _ => {}
            }
        }
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
                    // Read in the source, where the call goes on past this text when
                    // pulldown-cmark cut it (at `<`, which could open HTML).
                    if let Some(mut at) = src.get(range.clone()).and_then(|t| t.find('{')) {
                        let len = range.end - range.start;
                        while at < len
                            && let Some((found, call)) =
                                shortcode(&src[range.start + at..], len - at)
                        {
                            let place = range.start + at + found;
                            // `\{{ x() }}` is written as text on purpose (an odd number of
                            // backslashes escapes the brace; `\\{{` is a backslash, then a call).
                            let backslashes = src[..place]
                                .bytes()
                                .rev()
                                .take_while(|&b| b == b'\\')
                                .count();
                            if backslashes % 2 == 1 {
                                at += found + 2;
                                continue;
                            }
                            links.dropped(Dropped::Shortcode(call), place);
                            // Past its opening braces: `{{%` is one call, not two.
                            at += found + 2;
                        }
                    }
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
        if !unsafe_html {
            match &event {
                Event::Start(Tag::HtmlBlock) => {
                    in_html_block = true;
                    let html = src.get(range.clone()).unwrap_or_default();
                    if let Some(dropped) = Dropped::of_html(html) {
                        links.dropped(dropped, range.start);
                    }
                    continue;
                }
                Event::End(TagEnd::HtmlBlock) => {
                    in_html_block = false;
                    continue;
                }
                Event::Html(html) | Event::InlineHtml(html) => {
                    if !in_html_block && let Some(dropped) = Dropped::of_html(html) {
                        links.dropped(dropped, range.start);
                    }
                    continue;
                }
                _ => {}
            }
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
            Event::Start(Tag::Table(aligned)) => {
                // Written when the table ends, named by its header row.
                table = Some((events.len(), Vec::new()));
                alignments.clone_from(&aligned);
                events.push(Event::Html(String::new().into()));
                events.push(Event::Start(Tag::Table(aligned)));
            }
            Event::Start(Tag::TableHead) => {
                in_table_head = true;
                column = 0;
                events.push(event);
            }
            Event::Start(Tag::TableRow) => {
                column = 0;
                events.push(event);
            }
            Event::Start(Tag::TableCell) => {
                cell = Some((events.len(), 0));
                cx.block_start = true;
                events.push(event);
            }
            Event::End(TagEnd::TableCell) => {
                // A table shares its width out by what its columns hold: a short cell (a date,
                // a name, a number) is marked to stay on one line, which a long column of
                // text would otherwise break (`2025年6月` / `4日`), and a cell of running text
                // to keep a width to read in.
                let class = match cell.take() {
                    Some((at, width)) if width <= SHORT_CELL => Some((at, "short")),
                    Some((at, width)) if width >= LONG_CELL => Some((at, "long")),
                    _ => None,
                };
                if let Some((at, class)) = class {
                    let name = if in_table_head { "th" } else { "td" };
                    let align = match alignments.get(column) {
                        Some(Alignment::Left) => " style=\"text-align: left\"",
                        Some(Alignment::Center) => " style=\"text-align: center\"",
                        Some(Alignment::Right) => " style=\"text-align: right\"",
                        _ => "",
                    };
                    events[at] = Event::Html(format!("<{name} class=\"{class}\"{align}>").into());
                }
                column += 1;
                events.push(event);
            }
            Event::End(TagEnd::TableHead) => {
                in_table_head = false;
                events.push(event);
            }
            Event::End(TagEnd::Table) => {
                // Focusable, so a keyboard can scroll a table wider than a phone's screen; a
                // region named by its columns (`Step, When`), as a screen reader announces a
                // focusable box by its role and name.
                if let Some((at, head)) = table.take() {
                    let cells: Vec<&str> = head
                        .iter()
                        .map(|c| c.trim())
                        .filter(|c| !c.is_empty())
                        .collect();
                    // Japanese lists with 、, as a reader of the page would.
                    // Listed as a reader of the page lists: 、 in Japanese and Chinese.
                    let lang = links.lang();
                    let sep = if lang.starts_with("ja") || lang.starts_with("zh") {
                        "、"
                    } else {
                        ", "
                    };
                    let name = cells.join(sep);
                    events[at] = Event::Html(
                        if name.is_empty() {
                            "<div class=\"table-wrap\" tabindex=\"0\">\n".to_string()
                        } else {
                            format!(
                                "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">\n",
                                crate::pipeline::escape::escape(&name)
                            )
                        }
                        .into(),
                    );
                }
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html("</div>\n".into()));
            }
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

/// Removes the soft line breaks between two Chinese or Japanese characters that a run of
/// text could not see, those beside inline markup (`…は[AI推進法](ai-act.md)\nで…`,
/// `日本\n**語**`): the characters on either side are read through links, emphasis and
/// glossary markup, not past the end of a block. See [`TextRun::drop_breaks_between_cjk`].
fn drop_cjk_breaks_beside_markup(events: &mut Vec<Event<'_>>) {
    // The text character next to event `k`, looking one way through inline markup; `None` at
    // anything else (a block's edge, a line break, an image).
    fn beside(events: &[Event<'_>], k: usize, forward: bool) -> Option<char> {
        let mut i = k;
        loop {
            i = if forward { i + 1 } else { i.checked_sub(1)? };
            match events.get(i)? {
                Event::Text(t) | Event::Code(t) => {
                    return if forward {
                        t.chars().next()
                    } else {
                        t.chars().next_back()
                    };
                }
                Event::InlineHtml(_)
                | Event::FootnoteReference(_)
                | Event::Start(
                    Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. },
                )
                | Event::End(
                    TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
                ) => {}
                _ => return None,
            }
        }
    }
    let drop: Vec<usize> = (0..events.len())
        .filter(|&k| {
            matches!(events[k], Event::SoftBreak)
                && beside(events, k, false).is_some_and(joins_without_space)
                && beside(events, k, true).is_some_and(joins_without_space)
        })
        .collect();
    if drop.is_empty() {
        return;
    }
    let mut k = 0;
    events.retain(|_| {
        let keep = drop.binary_search(&k).is_err();
        k += 1;
        keep
    });
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

/// A heading's id, by `rule`; never empty (`section` then). The GitHub rule keeps an id of
/// digits only as it is, so links written on GitHub work; tebiki's own prefixes it with `h-`
/// (which some CSS selectors handle better).
fn heading_slug(text: &str, rule: HeadingIds) -> String {
    if rule == HeadingIds::Github {
        let id = github_heading_id(text);
        return if id.is_empty() {
            "section".to_string()
        } else {
            id
        };
    }
    let slug = slugify(text);
    if slug.is_empty() {
        "section".to_string()
    } else if slug.chars().all(|c| c.is_ascii_digit() || c == '-') {
        format!("h-{slug}")
    } else {
        slug
    }
}

/// The ids given so far on a page, and for each id that was taken, the suffix to try next.
#[derive(Default)]
struct Ids<'a> {
    seen: HashSet<String>,
    next: HashMap<String, usize>,
    /// Ids the page has outside its body, sorted.
    taken: &'a [String],
}

impl Ids<'_> {
    /// Whether `id` was free, and is now given.
    fn give(&mut self, id: &str) -> bool {
        self.taken.binary_search_by(|t| t.as_str().cmp(id)).is_err()
            && self.seen.insert(id.to_string())
    }
}

/// A footnote's id is its label (`[^1]` → `id="1"`), which a heading or the theme may have
/// already: such a footnote gets the next free id, in its references and its definition alike.
/// A second definition of a label (an error, reported as it was read) gets an id of its own.
fn relabel_footnotes(events: &mut [Event<'_>], ids: &mut Ids) {
    let mut labels: HashMap<String, String> = HashMap::new();
    let mut defined: HashSet<String> = HashSet::new();
    for event in events {
        let (id, label) = match event {
            Event::FootnoteReference(label) => (labels.get(label.as_ref()).cloned(), label),
            Event::Start(Tag::FootnoteDefinition(label)) if !defined.insert(label.to_string()) => {
                (Some(unique_id(label.to_string(), ids)), label)
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                (labels.get(label.as_ref()).cloned(), label)
            }
            _ => continue,
        };
        let id = id.unwrap_or_else(|| {
            let id = unique_id(label.to_string(), ids);
            labels.insert(label.to_string(), id.clone());
            id
        });
        if **label != *id {
            *label = CowStr::from(id);
        }
    }
}

/// `id` if no heading on the page has it yet, else `id-N` with the smallest free N (`same`,
/// `same-1`, `same-2`, …). Each id remembers where its search stopped: every `id-K` below it
/// is taken and stays taken, so starting there gives the same answer, and a page of n equal
/// headings costs O(n) rather than O(n²).
fn unique_id(id: String, ids: &mut Ids) -> String {
    if ids.give(&id) {
        return id;
    }
    let mut next = ids.next.get(&id).copied().unwrap_or(1);
    loop {
        let candidate = format!("{id}-{next}");
        next += 1;
        if ids.give(&candidate) {
            ids.next.insert(id, next);
            return candidate;
        }
    }
}

/// Counts the words and CJK characters of `text` for the reading time: ASCII eight bytes at
/// a time, kanji by their lead byte, other characters one by one.
fn count(text: &str, out: &mut Rendered) {
    let bytes = text.as_bytes();
    let mut in_word = false;
    let mut at = 0;
    while at < bytes.len() {
        if let Some(chunk) = swar::word_at(bytes, at)
            && swar::is_ascii(chunk)
        {
            let alnum = ascii_alphanumeric(chunk);
            // A word starts where a letter or digit follows anything else.
            let before = (alnum << 8) | if in_word { 0x80 } else { 0 };
            out.words += (alnum & !before).count_ones() as usize;
            in_word = alnum >> 63 != 0;
            at += 8;
            continue;
        }
        let lead = bytes[at];
        let word_char = if lead.is_ascii() {
            at += 1;
            lead.is_ascii_alphanumeric()
        } else if (0xE5..=0xE9).contains(&lead)
            || lead == 0xE4 && bytes.get(at + 1) != Some(&0xB7)
            || lead == 0xE3 && bytes.get(at + 1).is_some_and(|b| (0x80..=0x83).contains(b))
        {
            // Kanji U+4000 to U+9FFF but for the hexagram symbols U+4DC0 to U+4DFF, and U+3000
            // to U+30FF (kana and Japanese punctuation): nearly all of Japanese text.
            at += 3;
            out.cjk_chars += 1;
            false
        } else {
            let Some(c) = text[at..].chars().next() else {
                break;
            };
            at += c.len_utf8();
            if is_cjk(c) {
                out.cjk_chars += 1;
                false
            } else {
                c.is_alphanumeric()
            }
        };
        if word_char && !in_word {
            out.words += 1;
        }
        in_word = word_char;
    }
}

/// The high bit of each byte of `chunk` (eight ASCII bytes) that is a letter or a digit.
fn ascii_alphanumeric(chunk: u64) -> u64 {
    let within = |x: u64, low: u8, high: u8| swar::below(x, high + 1) & !swar::below(x, low);
    // Upper case folded to lower; no other ASCII byte lands among the letters.
    let folded = chunk | (swar::ONES * 0x20);
    within(chunk, b'0', b'9') | within(folded, b'a', b'z')
}

/// The first Zola or Hugo shortcode starting in the first `within` bytes of `text`, as its
/// byte offset and its start (up to 40 characters): `{{ name(` and `{% name` (Zola, but not
/// the `{% end %}` that closes one), `{{<` and `{{%` (Hugo). Prose has no `{{`.
fn shortcode(text: &str, within: usize) -> Option<(usize, String)> {
    let mut from = 0;
    let within = within.min(text.len());
    while let Some(found) = text[from..within].find('{') {
        let at = from + found;
        let rest = &text[at + 1..];
        // The name after the braces, and the character after it: read no further, so that
        // many `{{` on a long page cost what they are.
        let named = |inner: &str| -> Option<(usize, Option<char>)> {
            let inner = inner.trim_start();
            let len = inner
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(inner.len());
            (len > 0)
                .then(|| (len, inner[len..].chars().next()))
                .filter(|_| inner[..len] != *"end")
        };
        let call = if let Some(inner) = rest.strip_prefix('{') {
            inner.trim_start().starts_with(['<', '%'])
                || named(inner).is_some_and(|(_, next)| next == Some('('))
        } else if let Some(inner) = rest.strip_prefix('%') {
            named(inner).is_some_and(|(_, next)| matches!(next, Some('(' | ' ' | '%')))
        } else {
            false
        };
        if call {
            let shown: String = text[at..].chars().take(40).collect();
            let shown = match shown.find("}}").or_else(|| shown.find("%}")) {
                Some(end) => shown[..end + 2].to_string(),
                None => format!("{shown}…"),
            };
            return Some((at, shown));
        }
        from = at + 1;
    }
    None
}

/// The widest text, in [`text_width`]'s units, that a table cell holds on one line: 8
/// Japanese characters (`2025年12月19日`, `AI戦略本部`) or 16 Latin letters and spaces
/// (`19 December 2025`).
const SHORT_CELL: usize = 16;

/// The narrowest text, in [`text_width`]'s units, of a table cell of running text: 20
/// Japanese characters or 40 Latin letters and spaces.
const LONG_CELL: usize = 40;

/// The width of `text` in half-width units: a Chinese, Japanese or Korean character (full-width)
/// counts two, any other one.
fn text_width(text: &str) -> usize {
    text.chars().map(|c| if is_cjk(c) { 2 } else { 1 }).sum()
}

/// Characters between which a line break is no space: Chinese and Japanese, not Korean,
/// which spaces its words.
fn joins_without_space(c: char) -> bool {
    is_cjk(c) && !('\u{AC00}'..='\u{D7AF}').contains(&c)
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
        | '\u{20000}'..='\u{3FFFF}' // CJK extensions B to H: 𠮷
    )
}

/// CommonMark only opens or closes `**` when the flanking rules allow it, and they fail when a
/// delimiter sits between CJK punctuation and a letter with no space (`これは**「重要」**です`),
/// because Japanese puts no spaces between words. Such delimiters reach us as literal text. So
/// consecutive text events (and the soft line breaks between them) are gathered into a run, and
/// within a run a pair of `**` (or `*`) whose inner side is not white space and that touches a
/// CJK character becomes strong (or emphasis), as a Japanese writer expects. The same runs are
/// where glossary terms are found, so a term may span a soft line break.
#[derive(Default)]
struct TextRun<'a> {
    /// Text pieces; `None` is a soft line break.
    pieces: Vec<Option<CowStr<'a>>>,
    has_star: bool,
    /// False when an escape (`\*`) or entity made the text differ from the source: such runs
    /// keep CommonMark's emphasis.
    literal: bool,
}

impl<'a> TextRun<'a> {
    fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// Removes the soft line breaks between two Chinese or Japanese characters: there the
    /// writer only wrapped the source, and Japanese has no space between words, but browsers
    /// show a soft break as a space (CSS's rule to drop it between such characters is not
    /// implemented by Chromium or Safari). Korean, which spaces its words, keeps them.
    fn drop_breaks_between_cjk(&mut self) {
        if !self.pieces.iter().any(Option::is_none) {
            return;
        }
        let pieces = std::mem::take(&mut self.pieces);
        for (k, piece) in pieces.iter().enumerate() {
            if piece.is_none() {
                let before = k
                    .checked_sub(1)
                    .and_then(|j| pieces[j].as_deref())
                    .and_then(|t| t.chars().next_back());
                let after = pieces
                    .get(k + 1)
                    .and_then(|p| p.as_deref())
                    .and_then(|t| t.chars().next());
                if before.is_some_and(joins_without_space) && after.is_some_and(joins_without_space)
                {
                    continue;
                }
            }
            self.pieces.push(piece.clone());
        }
    }

    fn push(&mut self, text: Option<CowStr<'a>>, range: &Range<usize>, src: &str) {
        if self.pieces.is_empty() {
            self.literal = true;
            self.has_star = false;
        }
        if let Some(text) = &text {
            let escaped = range.start > 0 && src.as_bytes()[range.start - 1] == b'\\';
            if text.contains('*') {
                self.has_star = true;
            }
            if escaped || src.get(range.clone()) != Some(&**text) {
                self.literal = false;
            }
        }
        self.pieces.push(text);
    }

    fn flush(&mut self, events: &mut Vec<Event<'a>>, links: &mut dyn Links, cx: &mut Context) {
        if self.pieces.is_empty() {
            return;
        }
        self.drop_breaks_between_cjk();
        let terms = cx.terms_allowed();
        let sentence_start = std::mem::take(&mut cx.block_start);
        if !(terms || self.has_star && self.literal) {
            // Nothing to do to this text: keep pulldown-cmark's events as they are.
            events.extend(
                self.pieces
                    .drain(..)
                    .map(|p| p.map_or(Event::SoftBreak, Event::Text)),
            );
            return;
        }
        let emphasis = self.has_star && self.literal;
        let joined: CowStr<'a> = match self.pieces.as_slice() {
            [Some(one)] => one.clone(),
            pieces => pieces
                .iter()
                .map(|p| p.as_deref().unwrap_or("\n"))
                .collect::<String>()
                .into(),
        };
        if emphasis && joined.chars().any(is_cjk) {
            self.pieces.clear();
            let mut emit = |text: &str, events: &mut Vec<Event<'a>>, first: bool| {
                if terms {
                    let found = links.terms(text, sentence_start && first);
                    emit_with_terms(text.len(), found, events, |r, ev| push_text(&text[r], ev));
                } else {
                    push_text(text, events);
                }
            };
            emphasize(&joined, events, &mut emit);
            return;
        }
        let found = if terms {
            links.terms(&joined, sentence_start)
        } else {
            Vec::new()
        };
        if found.is_empty() {
            // No change: keep pulldown-cmark's own events.
            events.extend(
                self.pieces
                    .drain(..)
                    .map(|p| p.map_or(Event::SoftBreak, Event::Text)),
            );
        } else {
            self.pieces.clear();
            match joined {
                // A single piece of source text (no soft break inside): borrow its pieces, so
                // linking terms in a long paragraph copies nothing.
                CowStr::Borrowed(text) => emit_with_terms(text.len(), found, events, |r, ev| {
                    if !r.is_empty() {
                        ev.push(Event::Text(CowStr::Borrowed(&text[r])));
                    }
                }),
                other => {
                    emit_with_terms(other.len(), found, events, |r, ev| push_text(&other[r], ev))
                }
            }
        }
    }
}

/// Pushes text, turning the `\n` that stood for soft line breaks back into soft breaks.
fn push_text<'a>(text: &str, events: &mut Vec<Event<'a>>) {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            events.push(Event::SoftBreak);
        }
        if !line.is_empty() {
            events.push(Event::Text(line.to_string().into()));
        }
    }
}

/// Pushes `text` with the markup of the glossary terms `found` in it around their ranges.
/// `push` writes a plain range of the text (borrowed from the source where it can be).
fn emit_with_terms<'a>(
    len: usize,
    found: Vec<TermMarkup>,
    events: &mut Vec<Event<'a>>,
    push: impl Fn(Range<usize>, &mut Vec<Event<'a>>),
) {
    let mut at = 0;
    for term in found {
        if term.range.start < at || term.range.end > len {
            continue;
        }
        push(at..term.range.start, events);
        events.push(Event::InlineHtml(term.open_html.into()));
        push(term.range.clone(), events);
        events.push(Event::InlineHtml(term.close_html.into()));
        at = term.range.end;
    }
    push(at..len, events);
}

type Emit<'e, 'a> = dyn FnMut(&str, &mut Vec<Event<'a>>, bool) + 'e;

fn emphasize<'a>(text: &str, events: &mut Vec<Event<'a>>, emit: &mut Emit<'_, 'a>) {
    let mut first = true;
    for (plain, strong) in pair_delimiters(text, "**") {
        if strong {
            events.push(Event::Start(Tag::Strong));
            push_emphasis(&plain, events, emit, &mut first);
            events.push(Event::End(TagEnd::Strong));
        } else {
            push_emphasis(&plain, events, emit, &mut first);
        }
    }
}

fn push_emphasis<'a>(
    text: &str,
    events: &mut Vec<Event<'a>>,
    emit: &mut Emit<'_, 'a>,
    first: &mut bool,
) {
    for (plain, em) in pair_delimiters(text, "*") {
        if plain.is_empty() {
            continue;
        }
        if em {
            events.push(Event::Start(Tag::Emphasis));
            emit(&plain, events, std::mem::take(first));
            events.push(Event::End(TagEnd::Emphasis));
        } else {
            emit(&plain, events, std::mem::take(first));
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

    fn render_plain(src: &str) -> Rendered {
        render(src, &mut NoLinks)
    }

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

    #[test]
    fn japanese_emphasis_next_to_brackets() {
        let r = render_plain("これは**「重要」**です。");
        assert_eq!(r.html, "<p>これは<strong>「重要」</strong>です。</p>\n");
        let r = render_plain("政府は*「信頼できるAI」*を掲げる。");
        assert_eq!(r.html, "<p>政府は<em>「信頼できるAI」</em>を掲げる。</p>\n");
    }

    #[test]
    fn ordinary_emphasis_is_untouched() {
        assert_eq!(
            render_plain("a **b** c").html,
            "<p>a <strong>b</strong> c</p>\n"
        );
        assert_eq!(render_plain("2 ** 3 ** 4").html, "<p>2 ** 3 ** 4</p>\n");
        assert_eq!(
            render_plain(r"これは\*\*「重要」\*\*です").html,
            "<p>これは**「重要」**です</p>\n"
        );
        assert_eq!(
            render_plain("`**「x」**です`").html,
            "<p><code>**「x」**です</code></p>\n"
        );
    }

    #[test]
    fn heading_ids_keep_japanese_and_are_unique() {
        let r = render_plain(
            "## AI推進法の概要\n\n## Overview\n\n## Overview\n\n## 2025\n\n## 「」\n\n### Custom {#mine}\n",
        );
        let ids: Vec<_> = r.ids.iter().map(String::as_str).collect();
        assert_eq!(
            ids,
            [
                "ai推進法の概要",
                "overview",
                "overview-1",
                "2025",
                "section",
                "mine"
            ]
        );
        assert!(
            r.html
                .as_str()
                .contains("<h2 id=\"ai推進法の概要\">AI推進法の概要</h2>")
        );
        assert_eq!(r.toc.len(), 6);
        assert_eq!(r.toc[5].level, 3);
        assert_eq!(r.toc[5].title, "Custom");
    }

    #[test]
    fn tebiki_heading_ids_collapse_punctuation() {
        struct Tebiki;
        impl Links for Tebiki {
            fn link(&mut self, _: &str, _: &str, _: usize) -> Option<LinkRewrite> {
                None
            }
            fn heading_ids(&self) -> HeadingIds {
                HeadingIds::Tebiki
            }
        }
        let r = render(
            "## macro_rules\n\n## 「重要」なポイント\n\n## A & B\n\n## 2025\n",
            &mut Tebiki,
        );
        let ids: Vec<_> = r.ids.iter().map(String::as_str).collect();
        assert_eq!(ids, ["macro-rules", "重要-なポイント", "a-b", "h-2025"]);
        let r = render_plain("## macro_rules\n\n## 「重要」なポイント\n\n## A & B\n\n## A & B\n");
        let ids: Vec<_> = r.ids.iter().map(String::as_str).collect();
        assert_eq!(ids, ["macro_rules", "重要なポイント", "a--b", "a--b-1"]);
    }

    #[test]
    fn heading_ids_follow_the_same_rule_as_before() {
        // `a`, `a-1` written by hand, then more `a`s: the suffix skips what is taken, and an
        // id that looks like a suffixed one gets its own suffix.
        let r = render_plain(
            "## A\n\n## A-1\n\n## A\n\n## A\n\n## A-2\n\n### X {#a-4}\n\n## A\n\n## A\n",
        );
        let ids: Vec<_> = r.ids.iter().map(String::as_str).collect();
        assert_eq!(
            ids,
            ["a", "a-1", "a-2", "a-3", "a-2-1", "a-4", "a-5", "a-6"]
        );
    }

    /// The rule as first written (quadratic): the smallest free `id-N`, N from 1.
    fn reference_unique_id(id: String, seen: &mut HashSet<String>) -> String {
        if seen.insert(id.clone()) {
            return id;
        }
        (1..)
            .map(|n| format!("{id}-{n}"))
            .find(|candidate| seen.insert(candidate.clone()))
            .unwrap_or(id)
    }

    #[test]
    fn unique_ids_match_the_reference_rule() {
        let names = ["a", "a-1", "a-2", "a-1-1", "b", "a-3", "b-1", "a-10"];
        let mut state: u32 = 12345;
        for _ in 0..200 {
            let mut ids = Ids::default();
            let mut seen = HashSet::new();
            for _ in 0..40 {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let name = names[(state >> 16) as usize % names.len()].to_string();
                assert_eq!(
                    unique_id(name.clone(), &mut ids),
                    reference_unique_id(name, &mut seen)
                );
            }
        }
    }

    /// A theme whose page has `main` and `search-results` outside the body.
    struct ThemeIds;

    impl Links for ThemeIds {
        fn link(&mut self, _: &str, _: &str, _: usize) -> Option<LinkRewrite> {
            None
        }

        fn taken_ids(&self) -> std::sync::Arc<[String]> {
            ["main".to_string(), "search-results".to_string()].into()
        }
    }

    #[test]
    fn headings_and_footnotes_keep_clear_of_the_themes_ids_and_each_other() {
        let src = "## Main\n\n## Search results\n\n## 1\n\n注[^1]と補足[^注].\n\n[^1]: 一つ目。\n\n[^注]: 二つ目。\n";
        let r = render(src, &mut ThemeIds);
        let ids: Vec<_> = r.ids.iter().map(String::as_str).collect();
        assert_eq!(ids, ["main-1", "search-results-1", "1"]);
        let html = r.html.into_string();
        // The footnote labelled `1` gets the next free id, in its reference and definition.
        assert!(html.contains("<a href=\"#1-1\">1</a>"), "{html}");
        assert!(html.contains("id=\"1-1\""), "{html}");
        assert!(html.contains("<a href=\"#注\">2</a>"), "{html}");
        assert!(html.contains("id=\"注\""), "{html}");
        assert!(
            !html.contains("id=\"main\"") && !html.contains("id=\"1\"><sup"),
            "{html}"
        );
    }

    #[test]
    fn a_footnote_defined_twice_gets_a_second_id_and_is_reported() {
        struct Twice(Vec<(String, usize)>);
        impl Links for Twice {
            fn link(&mut self, _: &str, _: &str, _: usize) -> Option<LinkRewrite> {
                None
            }
            fn duplicate_footnote(&mut self, label: &str, offset: usize) {
                self.0.push((label.to_string(), offset));
            }
        }
        let src = "a[^n]\n\n[^n]: one\n\n[^n]: two\n";
        let mut links = Twice(Vec::new());
        let html = render(src, &mut links).html.into_string();
        assert_eq!(links.0, [("n".to_string(), src.rfind("[^n]:").unwrap())]);
        assert!(html.contains("<a href=\"#n\">1</a>"), "{html}");
        assert!(
            html.contains("id=\"n\"") && html.contains("id=\"n-1\""),
            "{html}"
        );
    }

    #[test]
    fn many_equal_headings_take_linear_time() {
        let n = 16_000;
        let src = "## Same\n\n".repeat(n);
        let started = std::time::Instant::now();
        let r = render_plain(&src);
        // Quadratic assignment took seconds here; linear takes milliseconds even unoptimised.
        assert!(
            started.elapsed().as_millis() < 1500,
            "{:?}",
            started.elapsed()
        );
        assert_eq!(r.ids.len(), n);
        assert_eq!(r.ids[0], "same");
        assert_eq!(r.ids[1], "same-1");
        assert_eq!(r.ids[n - 1], format!("same-{}", n - 1));
        let unique: HashSet<&String> = r.ids.iter().collect();
        assert_eq!(unique.len(), n);
    }

    /// Leaves links alone, allows no raw HTML and records what was left out.
    #[derive(Default)]
    struct Strict(Vec<(Dropped, usize)>);

    impl Links for Strict {
        fn link(&mut self, _: &str, _: &str, _: usize) -> Option<LinkRewrite> {
            None
        }
        fn unsafe_html(&self) -> bool {
            false
        }
        fn dropped(&mut self, what: Dropped, offset: usize) {
            self.0.push((what, offset));
        }
    }

    #[test]
    fn without_unsafe_html_raw_html_and_script_urls_are_left_out() {
        let src = "<div onclick=\"x()\">\nblock\n</div>\n\nText <b>bold</b> [a](javascript:alert(1)) \
                   [b]( JaVaScRiPt:x) ![c](data:image/svg+xml;base64,AA) [d](https://ok.example/) \
                   [e](vbscript:x)\n\n## Title {#t .c onclick=\"x()\"}\n";
        let mut strict = Strict::default();
        let html = render(src, &mut strict).html.into_string();
        assert_eq!(
            html,
            "<p>Text bold <a href=\"\">a</a> <a href=\"\">b</a> <img src=\"\" alt=\"c\" /> \
             <a href=\"https://ok.example/\">d</a> <a href=\"\">e</a></p>\n<h2 id=\"t\" class=\"c\">Title</h2>\n"
        );
        let found: Vec<(String, usize)> =
            strict.0.iter().map(|(d, o)| (d.describe(), *o)).collect();
        assert_eq!(
            found[0],
            (
                "raw HTML `<div onclick=\"x()\">` was left out".to_string(),
                0
            )
        );
        assert_eq!(found[1].1, src.find("<b>").unwrap());
        assert_eq!(found[2].1, src.find("</b>").unwrap());
        assert_eq!(
            found[3],
            (
                "a `javascript:` URL was left out (the link or image has an empty address)"
                    .to_string(),
                src.find("[a]").unwrap()
            )
        );
        assert_eq!(found[4].1, src.find("[b]").unwrap());
        assert!(found[5].0.starts_with("a `data:` URL"));
        assert!(found[6].0.starts_with("a `vbscript:` URL"));
        assert_eq!(
            found[7],
            (
                "heading attributes `onclick` were left out (only `#id` and `.class` are kept)"
                    .to_string(),
                src.find("## Title").unwrap()
            )
        );
        assert_eq!(found.len(), 8);
        // With raw HTML allowed (NoLinks), everything passes as written.
        let html = render(src, &mut NoLinks).html.into_string();
        assert!(html.contains("<div onclick=\"x()\">"), "{html}");
        assert!(html.contains("href=\"javascript:alert(1)\""), "{html}");
    }

    #[test]
    fn dangerous_schemes_are_read_as_browsers_read_them() {
        for url in [
            "javascript:x",
            " JAVASCRIPT:x",
            "java\tscript:x",
            "\u{1}data:text/html,x",
            "vbscript:x",
        ] {
            assert!(dangerous_scheme(url).is_some(), "{url:?}");
        }
        for url in [
            "https://x",
            "javascript",
            "/javascript:x",
            "mailto:a@b",
            "data",
            "#data:x",
        ] {
            assert!(dangerous_scheme(url).is_none(), "{url:?}");
        }
    }

    /// A cell of a few words (a date, a name) or none is marked `short`, which the theme keeps
    /// on one line, a cell of running text `long`, one between neither; alignments stay on
    /// every cell.
    #[test]
    fn short_table_cells_are_marked() {
        let r = render_plain(
            "| 日付 | 出来事 | Source |\n|---|---|--:|\n| 2025年6月4日 | 日本がG7議長国を務めるなかで広島AIプロセスが始動した | `Long article` |\n| | A longer sentence that runs on and on and on. | 3 |\n| 2025年、本部の発足時 | A sentence of medium length. | 4 |\n",
        );
        let html = r.html.as_str();
        for part in [
            "<tr><th class=\"short\">日付</th><th class=\"short\">出来事</th><th class=\"short\" style=\"text-align: right\">Source</th></tr>",
            "<tr><td class=\"short\">2025年6月4日</td><td class=\"long\">日本がG7",
            "</td><td class=\"short\" style=\"text-align: right\"><code>Long article</code></td></tr>",
            "<tr><td class=\"short\"></td><td class=\"long\">A longer sentence that runs on and on and on.</td><td class=\"short\" style=\"text-align: right\">3</td></tr>",
            "<tr><td>2025年、本部の発足時</td><td>A sentence of medium length.</td><td class=\"short\" style=\"text-align: right\">4</td></tr>",
        ] {
            assert!(html.contains(part), "{part}\n{html}");
        }
    }

    #[test]
    fn tables_are_wrapped_and_gfm_works() {
        let r = render_plain(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ and a note[^1]\n\n[^1]: The note.\n\n- [x] done\n",
        );
        assert!(r.html.as_str().starts_with(
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"a, b\">\n<table>"
        ));
        assert!(r.html.as_str().contains("</table>\n</div>"));
        // Empty header cells are left out of the name; Japanese columns are listed with 、.
        let ja = render_plain("| | 2025年 | 2026年 |\n|---|---|---|\n| 予算 | 1 | 2 |\n");
        assert!(
            ja.html
                .as_str()
                .starts_with("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"2025年, 2026年\">"),
            "{}",
            ja.html.as_str()
        );
        assert!(r.html.as_str().contains("<del>old</del>"));
        assert!(r.html.as_str().contains("footnote-definition"));
        assert!(r.html.as_str().contains("type=\"checkbox\""));
    }

    #[test]
    fn reading_time_by_words_and_characters() {
        let english = "word ".repeat(450);
        assert_eq!(render_plain(&english).reading_time(), 3);
        let japanese = "日本語".repeat(400);
        assert_eq!(render_plain(&japanese).reading_time(), 2);
        assert_eq!(render_plain("short").reading_time(), 1);
    }

    #[test]
    fn words_and_cjk_characters_are_counted_wherever_the_eight_byte_steps_fall() {
        // Character by character, as the count is defined.
        fn slow(text: &str) -> (usize, usize) {
            let (mut words, mut cjk, mut in_word) = (0, 0, false);
            for c in text.chars() {
                let word_char = if is_cjk(c) {
                    cjk += 1;
                    false
                } else {
                    c.is_alphanumeric()
                };
                words += usize::from(word_char && !in_word);
                in_word = word_char;
            }
            (words, cjk)
        }
        let pieces = [
            "a",
            "Zz9",
            " ",
            "-",
            "word",
            "@[`{",
            "漢字",
            "かな",
            // The edges of the kana fast path: U+3001, U+30FF, then U+3105 (a letter, not
            // CJK) and U+3400.
            "、",
            "ヿ",
            "ㄅ",
            "㐀",
            // Lead byte E4: U+4DBF and U+4E00 are CJK, the hexagram U+4DC0 between them is not.
            "䶿",
            "䷀",
            "一会",
            "é",
            "AI推進法",
            "０１",
            "\n",
        ];
        for text in crate::pipeline::testing::generated_texts(&pieces, 3000, 10) {
            let mut out = Rendered::default();
            count(&text, &mut out);
            assert_eq!((out.words, out.cjk_chars), slow(&text), "{text:?}");
        }
    }
}
