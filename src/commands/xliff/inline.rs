//! What Markdown makes of a unit's inline codes once their markup is written around a
//! translation's text. Japanese has no spaces between words, so a translator puts codes side
//! by side or inside a word, where markup that was right in the source reads as something else
//! (`*一**二*` is one emphasis, `` `a``b` `` one code span, `これは_本当に_重要` none). An import
//! reads each unit it writes again, as the build does, and compares what each code became with
//! what it is in the source.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use crate::commands::xliff::segments::Tok;
use crate::pipeline::markdown::options;

/// An inline element as Markdown reads it: what a code must stay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// `emphasis`, `link`, `inline code`, …: what a message calls it.
    pub kind: &'static str,
    /// A link's or image's destination, a footnote reference's label.
    pub dest: String,
    /// A reference link's label: `[text][label]` names it, whatever the text.
    pub label: Option<String>,
}

impl Element {
    /// Whether a reader sees the same: the same kind of element, leading to the same place.
    pub fn reads_as(&self, other: &Element) -> bool {
        self.kind == other.kind && self.dest == other.dest
    }
}

/// Where a unit's text stands in a page, as far as its inline content is concerned: the
/// definitions of the page's reference links and footnotes, without which `[label]` and `[^1]`
/// are text.
pub fn definitions(body: &str) -> String {
    let mut footnotes = Vec::new();
    let mut parser = Parser::new_ext(body, options());
    for event in parser.by_ref() {
        if let Event::Start(Tag::FootnoteDefinition(label)) = event {
            footnotes.push(label.to_string());
        }
    }
    let mut out = String::new();
    for (label, def) in parser.reference_definitions().iter() {
        let dest: String = def
            .dest
            .chars()
            .flat_map(|c| match c {
                '<' | '>' | '\\' => vec!['\\', c],
                '\n' => vec![' '],
                c => vec![c],
            })
            .collect();
        out.push_str(&format!("\n[{label}]: <{dest}>\n"));
    }
    for label in footnotes {
        out.push_str(&format!("\n[^{label}]: .\n"));
    }
    out
}

/// What Markdown reads in a unit's text.
#[derive(Debug, Default)]
pub struct Reading {
    /// The inline elements, by the byte range of their source in the text: a pair's from its
    /// opening markup to its closing markup.
    pub elements: HashMap<(usize, usize), Element>,
    /// The text is one block, as a unit's is: no code's markup starts another on a line of its
    /// own (`<!-- c -->` after a line break).
    pub one_block: bool,
}

/// What Markdown reads in `markdown`, a unit's text, in a page with `definitions`.
pub fn read(markdown: &str, definitions: &str) -> Reading {
    // A no-break space is read as white space, as a line's start is, and keeps a code at the
    // unit's start from opening a block when read alone (`<!-- c -->` in a table cell).
    const LEAD: &str = "\u{a0}";
    let text = format!("{LEAD}{markdown}\n{definitions}");
    let mut out = HashMap::new();
    let (mut depth, mut blocks) = (0usize, 0usize);
    for (event, mut range) in Parser::new_ext(&text, options()).into_offset_iter() {
        // A collapsed reference's `[]` is its markup, as a unit's codes have it.
        if let Event::Start(
            Tag::Link {
                link_type: LinkType::Collapsed,
                ..
            }
            | Tag::Image {
                link_type: LinkType::Collapsed,
                ..
            },
        ) = &event
            && text[range.end..].starts_with("[]")
        {
            range.end += 2;
        }
        let inside = range.start < LEAD.len() + markdown.len().max(1);
        match &event {
            Event::Start(_) => {
                if depth == 0 && inside {
                    blocks += 1;
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Rule if inside => blocks += 1,
            _ => {}
        }
        if range.start < LEAD.len() || range.end > LEAD.len() + markdown.len() {
            continue;
        }
        let element = |kind: &'static str, dest: &str| Element {
            kind,
            dest: dest.to_string(),
            label: None,
        };
        let found = match &event {
            Event::Start(Tag::Emphasis) => element("emphasis", ""),
            Event::Start(Tag::Strong) => element("strong text", ""),
            Event::Start(Tag::Strikethrough) => element("strikethrough", ""),
            Event::Start(Tag::Superscript) => element("superscript", ""),
            Event::Start(Tag::Subscript) => element("subscript", ""),
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                dest_url,
                ..
            }) => element("autolink", dest_url),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                id,
                ..
            }) => Element {
                label: label(*link_type, id),
                ..element("link", dest_url)
            },
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                id,
                ..
            }) => Element {
                label: label(*link_type, id),
                ..element("image", dest_url)
            },
            Event::Code(_) => element("inline code", ""),
            Event::InlineMath(_) | Event::DisplayMath(_) => element("math", ""),
            Event::InlineHtml(_) => element("HTML", ""),
            Event::FootnoteReference(label) => element("footnote reference", label),
            Event::HardBreak => element("line break", ""),
            _ => continue,
        };
        // The outermost element of a range is the code's (`***a***`: emphasis around strong).
        out.entry((range.start - LEAD.len(), range.end - LEAD.len()))
            .or_insert(found);
    }
    Reading {
        elements: out,
        one_block: blocks == 1,
    }
}

/// The byte range of each code of `toks` in their Markdown, by id: a pair's from its opening
/// to its closing markup.
pub fn code_ranges(toks: &[Tok]) -> HashMap<usize, Range<usize>> {
    let mut out: HashMap<usize, Range<usize>> = HashMap::new();
    let mut at = 0;
    for tok in toks {
        let (Tok::Text(s) | Tok::Open(_, s) | Tok::Close(_, s) | Tok::Ph(_, s)) = tok;
        let range = at..at + s.len();
        match tok {
            Tok::Open(id, _) | Tok::Ph(id, _) => {
                out.insert(*id, range.clone());
            }
            Tok::Close(id, _) => {
                if let Some(r) = out.get_mut(id) {
                    r.end = range.end;
                }
            }
            Tok::Text(_) => {}
        }
        at = range.end;
    }
    out
}

/// What each code of a source unit is, by id: the element Markdown reads at its markup. A code
/// Markdown reads nothing at when the unit is read alone (a task's box) is not there.
pub fn source_elements(toks: &[Tok], definitions: &str) -> HashMap<usize, Element> {
    let markdown = crate::commands::xliff::segments::to_markdown(toks);
    let found = read(&markdown, definitions).elements;
    code_ranges(toks)
        .into_iter()
        .filter_map(|(id, r)| Some((id, found.get(&(r.start, r.end))?.clone())))
        .collect()
}

/// Other markup for a code that reads the same in more places, if there is any: emphasis with
/// `*` rather than `_` (which cannot open or close inside a word), and a collapsed or shortcut
/// reference link (`[label][]`, `[label]`), whose text is its label, as a full reference
/// (`[text][label]`), so that its text can be translated.
pub fn alternative(open: &str, close: &str, element: &Element) -> Option<(String, String)> {
    let underscores = |m: &str| !m.is_empty() && m.bytes().all(|b| b == b'_');
    if matches!(element.kind, "emphasis" | "strong text") && underscores(open) && underscores(close)
    {
        return Some((open.replace('_', "*"), close.replace('_', "*")));
    }
    if matches!(element.kind, "link" | "image") && matches!(close, "]" | "][]") {
        let label = element.label.as_ref()?;
        return Some((open.to_string(), format!("][{label}]")));
    }
    None
}

/// The label of a reference link or image (`[text][label]`, `[label][]`, `[label]`), which
/// names its definition; `None` for one written with its destination.
fn label(link_type: LinkType, id: &pulldown_cmark::CowStr<'_>) -> Option<String> {
    matches!(
        link_type,
        LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut
    )
    .then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::xliff::segments::units;

    #[test]
    fn codes_are_read_as_the_elements_they_are() {
        let body = "See *a*, [b][], `c`, <!-- d --> and [^1].\n\n[b]: <x y.md>\n\n[^1]: Note.\n";
        let defs = definitions(body);
        let unit = &units(body)[0];
        let found = source_elements(&unit.toks, &defs);
        let kinds: Vec<(usize, &str, &str)> = (1..=5)
            .map(|id| {
                let e = &found[&id];
                (id, e.kind, e.dest.as_str())
            })
            .collect();
        assert_eq!(
            kinds,
            [
                (1, "emphasis", ""),
                (2, "link", "x y.md"),
                (3, "inline code", ""),
                (4, "HTML", ""),
                (5, "footnote reference", "1"),
            ]
        );
        assert_eq!(found[&2].label.as_deref(), Some("b"));
        // Written side by side, two emphases read as one.
        let two = read("*一**二*", "").elements;
        assert!(!two.contains_key(&(0, 5)));
        assert_eq!(two[&(0, 10)].kind, "emphasis");
    }

    #[test]
    fn alternatives_read_the_same_in_more_places() {
        let em = Element {
            kind: "emphasis",
            dest: String::new(),
            label: None,
        };
        assert_eq!(
            alternative("__", "__", &em),
            Some(("**".into(), "**".into()))
        );
        assert_eq!(alternative("*", "*", &em), None);
        let link = Element {
            kind: "link",
            dest: "x.md".into(),
            label: Some("Guide".into()),
        };
        assert_eq!(
            alternative("[", "][]", &link),
            Some(("[".into(), "][Guide]".into()))
        );
        assert_eq!(alternative("[", "](x.md)", &link), None);
    }
}
