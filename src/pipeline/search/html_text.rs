//! The readable text of rendered HTML, which the index cuts into tokens and shows in snippets.

use crate::pipeline::swar;

/// The readable text of rendered HTML: tags dropped, entities decoded, whitespace collapsed,
/// and one line break (`\n`) where a block (a paragraph, heading, list item or table cell) ends
/// or starts, so that a snippet can tell a heading or a cell from the text that follows it.
/// Elements marked `role="tooltip"` or `data-search-ignore` (a glossary term's definition),
/// `<script>` and `<style>` are left out.
pub fn html_text(html: &str) -> PageText {
    let mut out = String::with_capacity(html.len() / 2);
    let mut anchors = Vec::new();
    let mut breaks = 0;
    let bytes = html.as_bytes();
    let mut at = 0;
    // The tag being skipped and how deep in it we are.
    let mut skip: Option<(&str, usize)> = None;
    while at < bytes.len() {
        let lt = if skip.is_none() {
            push_text(&mut out, html, at)
        } else {
            html[at..].find('<').map_or(bytes.len(), |i| at + i)
        };
        if lt == bytes.len() {
            break;
        }
        let gt = swar::find(bytes, lt, b'>').map_or(bytes.len(), |i| i + 1);
        let tag = &html[lt..gt];
        at = gt;
        let closing = tag.starts_with("</");
        let after = tag.trim_start_matches(['<', '/']);
        let name = &after[..after
            .bytes()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(after.len())];
        let self_closing = tag.ends_with("/>");
        if let Some((skipped, depth)) = &mut skip {
            if skipped.eq_ignore_ascii_case(name) && !self_closing {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skip = None;
                    }
                } else {
                    *depth += 1;
                }
            }
            continue;
        }
        if !closing
            && !self_closing
            && (name.eq_ignore_ascii_case("script")
                || name.eq_ignore_ascii_case("style")
                // The shortest tag with either attribute, `<b role=tooltip>`, is 16 bytes long.
                || tag.len() >= 16 && marked_to_skip(tag, name.len()))
        {
            skip = Some((name, 1));
        }
        // Block boundaries separate words, a left-out block's too.
        if is_block(name) && !out.is_empty() && !out.ends_with('\n') {
            if out.ends_with(' ') {
                out.pop();
            }
            out.push('\n');
            breaks += 1;
        }
        if !closing
            && skip.is_none()
            && is_heading(name)
            && let Some(Some(id)) = attributes(tag, name.len())
                .find(|(attribute, _)| attribute.eq_ignore_ascii_case("id"))
                .map(|(_, value)| value)
        {
            let mut decoded = String::new();
            push_text(&mut decoded, id, 0);
            anchors.push((breaks, decoded));
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    PageText { text: out, anchors }
}

/// The readable text of a page and where its headings are in it.
pub struct PageText {
    pub text: String,
    /// Each heading with an `id`: how many line breaks of `text` come before it, and the id.
    pub anchors: Vec<(u32, String)>,
}

fn is_heading(name: &str) -> bool {
    matches!(name.as_bytes(), [b'h' | b'H', b'1'..=b'6'])
}

/// Whether a start tag (`<` to `>`, its name `name_len` bytes long) has the attribute
/// `role="tooltip"` or `data-search-ignore`.
fn marked_to_skip(tag: &str, name_len: usize) -> bool {
    attributes(tag, name_len).any(|(name, value)| {
        name.eq_ignore_ascii_case("data-search-ignore")
            || name.eq_ignore_ascii_case("role")
                && value.is_some_and(|v| v.trim().eq_ignore_ascii_case("tooltip"))
    })
}

/// The attributes of a start tag (`<` to `>`, its name `name_len` bytes long), names with
/// their values as written (entities not decoded), read as a browser reads them: the same
/// words inside another attribute's value (a link's URL) are not an attribute.
fn attributes(tag: &str, name_len: usize) -> impl Iterator<Item = (&str, Option<&str>)> {
    let bytes = tag.as_bytes();
    let is_space = |b: u8| b.is_ascii_whitespace();
    let end = bytes.len() - usize::from(bytes.last() == Some(&b'>'));
    let mut at = 1 + name_len;
    std::iter::from_fn(move || {
        while at < end && (is_space(bytes[at]) || bytes[at] == b'/') {
            at += 1;
        }
        if at >= end {
            return None;
        }
        let name_start = at;
        while at < end && !is_space(bytes[at]) && !matches!(bytes[at], b'=' | b'/') {
            at += 1;
        }
        let name = &tag[name_start..at];
        while at < end && is_space(bytes[at]) {
            at += 1;
        }
        let mut value = None;
        if bytes.get(at) == Some(&b'=') {
            at += 1;
            while at < end && is_space(bytes[at]) {
                at += 1;
            }
            let start = at;
            match bytes.get(at) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let close = swar::find(bytes, at + 1, quote).map_or(end, |i| i.min(end));
                    value = Some(&tag[start + 1..close]);
                    at = close + 1;
                }
                _ => {
                    while at < end && !is_space(bytes[at]) {
                        at += 1;
                    }
                    value = Some(&tag[start..at]);
                }
            }
        }
        Some((name, value))
    })
}

/// Whether an element named `name` (any case) is a block, whose boundaries separate words.
fn is_block(name: &str) -> bool {
    let mut lower = [0u8; 10];
    let Some(lower) = lower.get_mut(..name.len()) else {
        return false;
    };
    lower.copy_from_slice(name.as_bytes());
    lower.make_ascii_lowercase();
    matches!(
        &*lower,
        b"p" | b"br"
            | b"li"
            | b"td"
            | b"th"
            | b"tr"
            | b"div"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"blockquote"
            | b"pre"
            | b"dt"
            | b"dd"
            | b"section"
            | b"table"
            | b"ul"
            | b"ol"
    )
}

/// Appends the text of `html` from `at` to the next tag, entities decoded and runs of ASCII
/// whitespace collapsed to one space (none at the start of `out` or after a line break), in
/// one pass over the bytes; returns where the tag starts (or the length of `html`).
fn push_text(out: &mut String, html: &str, mut at: usize) -> usize {
    let bytes = html.as_bytes();
    let is_space = |b: u8| b.is_ascii_whitespace();
    // The start of the bytes not yet copied.
    let mut run = at;
    while at < bytes.len() {
        // Eight bytes at a time past text that is copied as it is (a space at the start of the
        // run is not: it may be one too many).
        if (at > run || bytes[at] != b' ')
            && let Some(word) = swar::word_at(bytes, at)
        {
            let next_below_space = bytes.get(at + 8).is_none_or(|&b| b < 0x21);
            let plain = plain_bytes(word, next_below_space);
            if plain > 0 {
                at += plain;
                continue;
            }
        }
        match bytes[at] {
            b'<' => break,
            // A single space between two words is copied with them.
            b' ' if at > run && !bytes.get(at + 1).is_some_and(|&b| is_space(b)) => at += 1,
            b if is_space(b) => {
                out.push_str(&html[run..at]);
                while at < bytes.len() && is_space(bytes[at]) {
                    at += 1;
                }
                if !out.is_empty() && !out.ends_with([' ', '\n']) {
                    out.push(' ');
                }
                run = at;
            }
            b'&' => {
                out.push_str(&html[run..at]);
                let (c, len) = entity(&bytes[at..]).unwrap_or(('&', 1));
                out.push(c);
                at += len;
                run = at;
            }
            _ => at += 1,
        }
    }
    out.push_str(&html[run..at]);
    at
}

/// How many of the eight bytes of `word` (from the first) are text that [`push_text`] copies
/// unchanged: no `<`, no `&`, no control character or white space other than single spaces.
/// `next_below_space` says whether the byte after the word is white space (or unknown), which
/// makes a space in the last byte one too many.
fn plain_bytes(word: u64, next_below_space: bool) -> usize {
    let up_to_space = swar::below(word, 0x21);
    let space = swar::equal(word, b' ');
    let last = if next_below_space {
        swar::HIGH << 56
    } else {
        0
    };
    // A space followed by another white space character.
    let space_before_space = space & ((up_to_space >> 8) | last);
    let white = (up_to_space & !space) | space_before_space;
    // Most words of text hold neither `<` nor `&`: told with the cheaper test first.
    if white == 0 && !swar::contains(word, b'<') && !swar::contains(word, b'&') {
        return 8;
    }
    swar::first(swar::equal(word, b'<') | swar::equal(word, b'&') | white)
}

/// The character an entity at the start of `text` stands for, and the entity's length.
fn entity(text: &[u8]) -> Option<(char, usize)> {
    // Bytes, not characters: the window may end inside a Japanese character.
    let window = &text[..text.len().min(12)];
    let end = window
        .iter()
        .take_while(|&&b| b != b'<')
        .position(|&b| b == b';')?;
    let entity = std::str::from_utf8(&text[1..end]).ok()?;
    let c = match entity {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => entity
            .strip_prefix("#x")
            .or_else(|| entity.strip_prefix("#X"))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
            .and_then(char::from_u32)?,
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_of_html_skips_tooltips_and_decodes() {
        let html = "<p>The <span class=\"glossary\"><a href=\"#\">AISI</a><span role=\"tooltip\" id=\"t\"><span>AI Safety</span> body</span></span> &amp; METI</p><p>次</p>";
        assert_eq!(html_text(html).text, "The AISI & METI\n次");
    }

    #[test]
    fn only_the_attributes_themselves_leave_an_element_out() {
        for (html, text) in [
            ("<p>a<span ROLE='Tooltip'>tip</span>b</p>", "ab"),
            ("<p>a<b role=tooltip>tip</b>b</p>", "ab"),
            (
                "<p>a<div class=\"x\" data-search-ignore>no</div>b</p>",
                "a\nb",
            ),
            (
                "<p>a<div data-search-ignore=\"\" id=x>no</div>b</p>",
                "a\nb",
            ),
            // The words in a value, or another role, are not the attributes.
            (
                "<p><a href=\"/q?role=tooltip&data-search-ignore\">kept</a></p>",
                "kept",
            ),
            ("<p><span title='role=\"tooltip\"'>kept</span></p>", "kept"),
            ("<p><span role=\"note\">kept</span></p>", "kept"),
        ] {
            assert_eq!(html_text(html).text, text, "{html}");
        }
    }

    #[test]
    fn headings_are_anchored_at_their_line_of_the_text() {
        let html = "<p>Intro</p>\n<h2 id=\"cloud-subsidies\">Cloud <em>subsidies</em></h2>\n\
                    <p>The ministry pays.</p><H3 class=x ID='r&amp;d'>R&amp;D</H3><p>Text</p>\
                    <h4>No id</h4><h2 id=\"gone\" data-search-ignore>Hidden</h2>\
                    <h2 title=\"id=fake\" id=\"今後の論点\">今後の論点</h2>";
        let PageText { text, anchors } = html_text(html);
        assert_eq!(
            text,
            "Intro\nCloud subsidies\nThe ministry pays.\nR&D\nText\nNo id\n今後の論点"
        );
        assert_eq!(
            anchors,
            [
                (1, "cloud-subsidies".to_string()),
                (3, "r&d".to_string()),
                (6, "今後の論点".to_string()),
            ]
        );
        // Each anchor's line is its heading.
        let lines: Vec<&str> = text.split('\n').collect();
        assert_eq!(lines[1], "Cloud subsidies");
        assert_eq!(lines[6], "今後の論点");
    }

    #[test]
    fn an_ampersand_before_japanese_text_is_kept() {
        // A window of 12 bytes after `&` ends inside 会: this once panicked.
        let html = "<p>&amp;D&DはG7会合に先立ち&#x3042;、&nbsp;公表</p>";
        assert_eq!(html_text(html).text, "&D&DはG7会合に先立ちあ、 公表");
    }

    #[test]
    fn text_of_html_collapses_white_space_anywhere_in_a_word() {
        // Pieces put together in every order a small generator gives: the text must be the
        // pieces' own text with tags dropped, white space collapsed and one line break for
        // each run of block boundaries, wherever the eight-byte steps fall.
        let pieces = [
            "a",
            "bcdefg",
            " ",
            "  ",
            "\n",
            "\t ",
            "&amp;",
            "あいう",
            "<b>",
            "</b>",
            "<p>",
            "x\u{1}y",
        ];
        for html in crate::pipeline::testing::generated_texts(&pieces, 3000, 12) {
            const BLOCK: &str = "\u{2}";
            let mut expected = String::new();
            for word in html
                .replace("<b>", "")
                .replace("</b>", "")
                .replace("<p>", " \u{2} ")
                .replace("&amp;", "&")
                .split_ascii_whitespace()
            {
                let joined = expected.is_empty() || expected.ends_with('\n');
                if word == BLOCK {
                    if !joined {
                        expected.push('\n');
                    }
                } else {
                    if !joined {
                        expected.push(' ');
                    }
                    expected.push_str(word);
                }
            }
            let expected = expected.trim_end();
            assert_eq!(html_text(&html).text, expected, "{html:?}");
        }
    }
}
