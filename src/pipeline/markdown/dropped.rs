//! What the renderer leaves out of a page, or keeps as text, and tells the link stage about:
//! raw HTML, script URLs and heading attributes where `[markdown] unsafe_html` is false, and
//! Zola's and Hugo's shortcodes, which tebiki does not run.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::Links;

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

/// Raw HTML, left out of a page where `unsafe_html` is false.
#[derive(Default)]
pub(super) struct RawHtml {
    /// Inside a raw HTML block that is being left out.
    in_block: bool,
}

impl RawHtml {
    /// Whether `event` (at `range` of `src`) is raw HTML, and so left out; what of it is worth
    /// saying ([`Dropped::of_html`]) is told to `links`.
    pub(super) fn leaves_out(
        &mut self,
        event: &Event<'_>,
        range: &Range<usize>,
        src: &str,
        links: &mut dyn Links,
    ) -> bool {
        match event {
            Event::Start(Tag::HtmlBlock) => {
                self.in_block = true;
                let html = src.get(range.clone()).unwrap_or_default();
                if let Some(dropped) = Dropped::of_html(html) {
                    links.dropped(dropped, range.start);
                }
                true
            }
            Event::End(TagEnd::HtmlBlock) => {
                self.in_block = false;
                true
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if !self.in_block
                    && let Some(dropped) = Dropped::of_html(html)
                {
                    links.dropped(dropped, range.start);
                }
                true
            }
            _ => false,
        }
    }
}

/// Tells `links` of each Zola or Hugo shortcode that starts in the text at `range` of `src`;
/// the text is kept as written.
pub(super) fn report_shortcodes(src: &str, range: &Range<usize>, links: &mut dyn Links) {
    // Read in the source, where the call goes on past this text when
    // pulldown-cmark cut it (at `<`, which could open HTML).
    if let Some(mut at) = src.get(range.clone()).and_then(|t| t.find('{')) {
        let len = range.end - range.start;
        while at < len
            && let Some((found, call)) = shortcode(&src[range.start + at..], len - at)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::url::dangerous_scheme;
    use crate::pipeline::markdown::{LinkRewrite, NoLinks, render};

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
}
