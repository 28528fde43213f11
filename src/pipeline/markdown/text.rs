//! Runs of text between markup: soft line breaks dropped between Chinese and Japanese
//! characters, emphasis that works next to Japanese punctuation, and glossary terms marked up.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{Context, Links, TermMarkup};

/// Characters between which a line break is no space: Chinese and Japanese, not Korean,
/// which spaces its words.
fn joins_without_space(c: char) -> bool {
    is_cjk_or_wide(c) && !('\u{AC00}'..='\u{D7AF}').contains(&c)
}

/// Chinese, Japanese and Korean characters, their punctuation and the full-width forms: what
/// takes two columns and joins Japanese text without spaces. Wider than the search
/// tokenizer's [`is_cjk`](crate::pipeline::search::tokenize::is_cjk), which takes only the
/// letters it reads character by character.
pub fn is_cjk_or_wide(c: char) -> bool {
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
pub(super) struct TextRun<'a> {
    /// Text pieces; `None` is a soft line break.
    pieces: Vec<Option<CowStr<'a>>>,
    has_star: bool,
    /// False when an escape (`\*`) or entity made the text differ from the source: such runs
    /// keep CommonMark's emphasis.
    literal: bool,
}

impl<'a> TextRun<'a> {
    pub(super) fn is_empty(&self) -> bool {
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

    pub(super) fn push(&mut self, text: Option<CowStr<'a>>, range: &Range<usize>, src: &str) {
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

    pub(super) fn flush(
        &mut self,
        events: &mut Vec<Event<'a>>,
        links: &mut dyn Links,
        cx: &mut Context,
    ) {
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
        if emphasis && joined.chars().any(is_cjk_or_wide) {
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
            .any(is_cjk_or_wide);
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

/// Removes the soft line breaks between two Chinese or Japanese characters that a run of
/// text could not see, those beside inline markup (`…は[AI推進法](ai-act.md)\nで…`,
/// `日本\n**語**`): the characters on either side are read through links, emphasis and
/// glossary markup, not past the end of a block. See [`TextRun::drop_breaks_between_cjk`].
pub(super) fn drop_cjk_breaks_beside_markup(events: &mut Vec<Event<'_>>) {
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

#[cfg(test)]
mod tests {
    use crate::pipeline::markdown::render_plain;

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
}
