//! Finding glossary terms in running text: one aho-corasick automaton per language, built
//! once per build, leftmost-longest so "AI Safety Institute" wins over "AI". Text is matched in
//! its NFKC form (so `ＡＩ` and half-width katakana match their usual spellings) and the
//! original text is kept in the output. Latin-script terms match on word boundaries; Japanese
//! and other CJK terms match anywhere, since those languages put no spaces between words.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use unicode_normalization::UnicodeNormalization;

use super::{Glossary, Term};
use crate::diag::{Code, Diagnostic, Reported};
use crate::pipeline::ids::TermId;
use crate::pipeline::markdown::is_cjk_or_wide;
use crate::pipeline::swar;

/// What a name in the automaton stands for.
#[derive(Debug, Clone, Copy)]
struct Pattern {
    term: TermId,
    /// A plain term with its first letter capitalised: matches only at a sentence start.
    capitalised: bool,
}

/// The term matcher of one language.
#[derive(Clone)]
pub(super) struct Matcher {
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
    /// The ASCII characters that occur in some term. A full-width form of any other (a
    /// Japanese text's （） or ：) cannot be part of a match, so text holding it need not be
    /// normalised.
    relevant: [bool; 128],
}

/// A term found in a text, in byte offsets of the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub term: TermId,
}

impl Glossary {
    /// Every term occurrence in `text` for readers of `lang`, leftmost-longest, not overlapping,
    /// but for terms `skip` rules out (those already linked on the page, say), which are not
    /// examined further. `sentence_start` says whether `text` begins a sentence.
    pub fn find(
        &self,
        text: &str,
        lang: &str,
        sentence_start: bool,
        skip: impl Fn(TermId) -> bool,
    ) -> Vec<Found> {
        let Some((_, matcher)) = self.matchers.iter().find(|(code, _)| code == lang) else {
            return Vec::new();
        };
        let normal = Normalised::new(text, &matcher.relevant);
        let norm = normal.text.as_ref();
        // Found only when a term is: most runs of text hold none.
        let mut urls: Option<Vec<Range<usize>>> = None;
        let mut found = Vec::new();
        for m in matcher.automaton.find_iter(norm) {
            let pattern = matcher.patterns[m.pattern().as_usize()];
            if skip(pattern.term) {
                continue;
            }
            let before = norm[..m.start()].chars().next_back();
            let after = norm[m.end()..].chars().next();
            let first = norm[m.start()..].chars().next();
            let last = norm[..m.end()].chars().next_back();
            if !boundary(before, first) || !boundary(after, last) {
                continue;
            }
            if pattern.capitalised && !at_sentence_start(&norm[..m.start()], sentence_start) {
                continue;
            }
            let range = normal.original(m.start())..normal.original(m.end());
            // The runs are sorted and apart: only the last one starting before the match's
            // end can overlap it.
            let urls = urls.get_or_insert_with(|| url_runs(text));
            let before_end = urls.partition_point(|u| u.start < range.end);
            if before_end > 0 && urls[before_end - 1].end > range.start {
                continue;
            }
            found.push(Found {
                range,
                term: pattern.term,
            });
        }
        found
    }
}

/// The byte ranges of URLs written as plain text (`https://…`, `www.…`), sorted and apart:
/// terms are never linked inside them. A URL runs to the first space, `<`, `>`, `"` or
/// non-ASCII character. Linear in the text, however many `://` it holds.
pub(super) fn url_runs(text: &str) -> Vec<Range<usize>> {
    let mut runs: Vec<Range<usize>> = Vec::new();
    if !text.contains("://") && !text.contains("www.") {
        return runs;
    }
    let bytes = text.as_bytes();
    let url_byte = |b: u8| b.is_ascii_graphic() && !matches!(b, b'<' | b'>' | b'"');
    let scheme_byte = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.');
    let mut starts: Vec<usize> = text
        .match_indices("://")
        .filter_map(|(i, _)| {
            let start = bytes[..i]
                .iter()
                .rposition(|&b| !scheme_byte(b))
                .map_or(0, |p| p + 1);
            (start < i && bytes[start].is_ascii_alphabetic()).then_some(start)
        })
        .chain(text.match_indices("www.").filter_map(|(i, _)| {
            let word_before =
                i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'/');
            (!word_before).then_some(i)
        }))
        .collect();
    starts.sort_unstable();
    for start in starts {
        if runs.last().is_some_and(|r| start < r.end) {
            continue; // inside the URL before
        }
        let end = bytes[start..]
            .iter()
            .position(|&b| !url_byte(b))
            .map_or(bytes.len(), |p| start + p);
        runs.push(start..end);
    }
    runs
}

/// Latin letters and digits must not continue a Latin-script term on either side ("METI" not
/// in "METIS"); next to CJK text, punctuation or space any term may start or end.
fn boundary(outside: Option<char>, inside: Option<char>) -> bool {
    let word = |c: char| c.is_alphanumeric() && !is_cjk_or_wide(c);
    match (outside, inside) {
        (Some(o), Some(i)) => !(word(o) && word(i)),
        _ => true,
    }
}

fn at_sentence_start(before: &str, text_starts_sentence: bool) -> bool {
    match before.trim_end().chars().next_back() {
        None => text_starts_sentence,
        Some(c) => matches!(c, '.' | '!' | '?' | ':' | '。' | '！' | '？'),
    }
}

/// Whether NFKC leaves all of `text` as it is, line breaks aside (each stands for a space, a
/// byte for a byte). Runs over bytes: ASCII and the ideographs (lead bytes E4–E9,
/// U+4000–U+9FFF) need no decoding, and they are nearly all of it.
fn all_stable(text: &str, stable: impl Fn(char) -> bool) -> bool {
    if text.is_ascii() {
        // std checks ASCII a word at a time.
        return true;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            0..=0x7f => i += 1,
            0xe4..=0xe9 => i += 3,
            // U+3000–U+3FFF: Japanese punctuation and kana, decoded by hand because they are
            // most of Japanese text besides the ideographs.
            0xe3 if i + 2 < bytes.len() => {
                let c = swar::three_byte_char(bytes, i);
                let kana_or_punctuation = c.is_some_and(|c| {
                    matches!(c,
                        '\u{3001}'..='\u{3035}' | '\u{3037}' | '\u{303B}'..='\u{303F}'
                        | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{30FC}'
                        | '\u{3400}'..='\u{3FFF}')
                });
                if !kana_or_punctuation && !c.is_some_and(&stable) {
                    return false;
                }
                i += 3;
            }
            _ => {
                let Some(c) = text[i..].chars().next() else {
                    return false;
                };
                if !stable(c) {
                    return false;
                }
                i += c.len_utf8();
            }
        }
    }
    true
}

/// A full-width form of an ASCII character (or the ideographic space) that no term contains:
/// normalising it could not make a match, so it is left as written.
fn inert(c: char, relevant: &[bool; 128]) -> bool {
    let ascii = match c {
        '\u{FF01}'..='\u{FF5E}' => c as u32 - 0xFEE0,
        '\u{3000}' => u32::from(b' '),
        _ => return false,
    };
    !relevant[ascii as usize]
}

/// Characters NFKC leaves as they are, checked by range because nearly all text is made of
/// them: ASCII (but the line break, which stands for a space), Japanese punctuation, kana and the
/// unified ideographs, common typographic punctuation. The few compatibility characters in
/// these ranges are left out and go through the full normalisation.
fn nfkc_stable(c: char) -> bool {
    matches!(c,
        '\0'..='\x09' | '\x0b'..='\x7f'
        | '\u{2010}' | '\u{2012}'..='\u{2016}' | '\u{2018}'..='\u{2023}' // dashes, quotes
        | '\u{2027}'..='\u{202E}' | '\u{2030}'..='\u{2032}' // (‥ … and narrow spaces change)
        | '\u{3001}'..='\u{3035}' | '\u{3037}' | '\u{303B}'..='\u{303F}'
        | '\u{3041}'..='\u{3096}'
        | '\u{30A1}'..='\u{30FA}' | '\u{30FC}'
        | '\u{4E00}'..='\u{9FFF}'
    )
}

/// A text in NFKC form with a map back to the original's byte offsets.
struct Normalised<'a> {
    text: std::borrow::Cow<'a, str>,
    /// The characters normalisation changed, in order: `(normalised range, original range)`.
    /// Outside them bytes correspond one to one.
    changed: Vec<(Range<usize>, Range<usize>)>,
}

impl<'a> Normalised<'a> {
    fn new(text: &'a str, relevant: &[bool; 128]) -> Self {
        let stable = |c: char| nfkc_stable(c) || inert(c, relevant);
        if all_stable(text, stable) {
            // A line break (a soft one, inside a paragraph) stands for a space: one byte for
            // one, so every offset stays as it is.
            let text = if text.contains('\n') {
                text.replace('\n', " ").into()
            } else {
                text.into()
            };
            return Normalised {
                text,
                changed: Vec::new(),
            };
        }
        let mut out = String::with_capacity(text.len());
        let mut changed: Vec<(Range<usize>, Range<usize>)> = Vec::new();
        for (offset, c) in text.char_indices() {
            if stable(c) {
                out.push(c);
                continue;
            }
            let original = offset..offset + c.len_utf8();
            // Half-width voiced sound marks join the kana before them (ｶﾞ → ガ).
            let mark = match c {
                '\u{FF9E}' => Some('\u{3099}'),
                '\u{FF9F}' => Some('\u{309A}'),
                _ => None,
            };
            if let Some(mark) = mark
                && let Some(prev) = out.chars().next_back()
                && let Some(composed) = unicode_normalization::char::compose(prev, mark)
                && let Some(last) = changed.last_mut()
                && last.0.end == out.len()
            {
                out.truncate(last.0.start);
                out.push(composed);
                *last = (last.0.start..out.len(), last.1.start..original.end);
                continue;
            }
            let start = out.len();
            if c == '\n' {
                // A soft line break inside a term matches the term's space.
                out.push(' ');
            } else {
                out.extend(std::iter::once(c).nfkc());
            }
            if out[start..].chars().ne(std::iter::once(c)) {
                changed.push((start..out.len(), original));
            }
        }
        Normalised {
            text: out.into(),
            changed,
        }
    }

    /// The original offset of normalised offset `at`: inside a changed character, its start.
    fn original(&self, at: usize) -> usize {
        match self.changed.partition_point(|(n, _)| n.start <= at) {
            0 => at,
            i => {
                let (n, o) = &self.changed[i - 1];
                if at < n.end {
                    o.start
                } else {
                    o.end + (at - n.end)
                }
            }
        }
    }
}

/// Builds the automaton for `lang`; a name claimed by two terms is an error.
pub(super) fn build_matcher(terms: &[Term], lang: &str, file: &str) -> Reported<Option<Matcher>> {
    let mut errors = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut patterns: Vec<Pattern> = Vec::new();
    let mut owner: HashMap<String, TermId> = HashMap::new();
    for (i, term) in terms.iter().enumerate() {
        let i = TermId::new(i);
        let Some(entry) = term.langs.get(lang) else {
            continue;
        };
        let plain = std::iter::once(&entry.term).chain(&entry.aliases);
        let mut own: Vec<(String, bool)> = plain.map(|n| (n.nfkc().collect(), false)).collect();
        if let Some(abbr) = &entry.abbr {
            own.push((abbr.nfkc().collect(), true));
        }
        for (name, is_abbr) in own {
            if name.trim().is_empty() {
                continue;
            }
            match owner.get(&name) {
                Some(&other) if other != i => {
                    errors.push(
                        Diagnostic::error(
                            Code::Glossary,
                            file,
                            format!(
                                "`{name}` ({lang}) is claimed by both `{}` and `{}`",
                                terms[other].id, term.id
                            ),
                        )
                        .at(term.line, 1)
                        .suggest("a term, abbreviation or alias may belong to one term only"),
                    );
                    continue;
                }
                Some(_) => continue, // the same term names it twice (abbr = term)
                None => {}
            }
            owner.insert(name.clone(), i);
            // Plain terms also match with a capital first letter at a sentence start.
            if !is_abbr
                && let Some(first) = name.chars().next()
                && first.is_lowercase()
            {
                let capital: String = first.to_uppercase().chain(name.chars().skip(1)).collect();
                if !owner.contains_key(&capital) {
                    names.push(capital);
                    patterns.push(Pattern {
                        term: i,
                        capitalised: true,
                    });
                }
            }
            names.push(name);
            patterns.push(Pattern {
                term: i,
                capitalised: false,
            });
        }
    }
    if names.is_empty() {
        return Reported::new(None, errors);
    }
    // A DFA: more memory than the default NFA, but the fastest search, and every page's text
    // goes through it.
    let mut relevant = [false; 128];
    for b in names.iter().flat_map(|n| n.bytes()).filter(u8::is_ascii) {
        relevant[usize::from(b)] = true;
    }
    let automaton = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::DFA))
        .build(&names);
    match automaton {
        Ok(automaton) => Reported::new(
            Some(Matcher {
                automaton,
                patterns,
                relevant,
            }),
            errors,
        ),
        Err(e) => {
            errors.push(Diagnostic::error(
                Code::Glossary,
                file,
                format!("cannot build the term matcher for `{lang}`: {e}"),
            ));
            Reported::new(None, errors)
        }
    }
}
