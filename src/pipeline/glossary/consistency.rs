//! Terminology consistency between an original and its translation: the bodies are cut into
//! sections at their headings and aligned by heading order (the text before the first heading
//! is section 0); a glossary term the original uses in a section should appear in the same
//! section of the translation, by its name, abbreviation or an alias in the translation's
//! language, or as a `term:` link.

use std::collections::BTreeSet;
use std::ops::Range;

use super::Glossary;
use crate::pipeline::ids::TermId;

/// One section of a Markdown body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodySection {
    /// The heading's text (`None` for the text before the first heading).
    pub heading: Option<String>,
    /// The heading's level, 0 for the text before the first heading.
    pub level: usize,
    /// 0-based line of the heading (or of the body's start) within the body.
    pub line: usize,
    /// Byte range in the body, heading line included.
    pub range: Range<usize>,
}

/// The sections of a Markdown body, cut at ATX headings (`#` to `######`) outside fenced
/// code blocks. There is always a section 0, possibly empty.
pub fn sections(body: &str) -> Vec<BodySection> {
    let mut out = vec![BodySection {
        heading: None,
        level: 0,
        line: 0,
        range: 0..body.len(),
    }];
    let mut offset = 0;
    for (n, (line, code)) in lines(body).into_iter().enumerate() {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_end_matches(['\n', '\r']);
        let indented = trimmed.len() - trimmed.trim_start_matches(' ').len();
        let text = trimmed.trim_start_matches(' ');
        if code || indented > 3 {
            continue;
        }
        let level = text.chars().take_while(|&c| c == '#').count();
        if !(1..=6).contains(&level) {
            continue;
        }
        let rest = &text[level..];
        if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
            continue;
        }
        let heading = rest.trim().trim_end_matches('#').trim_end().to_string();
        if let Some(last) = out.last_mut() {
            last.range.end = start;
        }
        out.push(BodySection {
            heading: Some(heading),
            level,
            line: n,
            range: start..body.len(),
        });
    }
    out
}

/// The lines of `body` (with their line ends), each with whether it belongs to a fenced code
/// block (fences included).
fn lines(body: &str) -> Vec<(&str, bool)> {
    let mut fence: Option<(char, usize)> = None;
    body.split_inclusive('\n')
        .map(|line| {
            let trimmed = line.trim_end_matches(['\n', '\r']);
            let indented = trimmed.len() - trimmed.trim_start_matches(' ').len();
            let text = trimmed.trim_start_matches(' ');
            let marker = text.chars().next().filter(|c| *c == '`' || *c == '~');
            if let Some(c) = marker.filter(|_| indented <= 3) {
                let run = text.chars().take_while(|&x| x == c).count();
                if run >= 3 {
                    match fence {
                        None => fence = Some((c, run)),
                        Some((open, len))
                            if open == c && run >= len && text[run..].trim().is_empty() =>
                        {
                            fence = None
                        }
                        Some(_) => {}
                    }
                    return (line, true);
                }
            }
            (line, fence.is_some())
        })
        .collect()
}

/// `text` without its fenced code blocks and inline code spans, which name terms without
/// using them.
pub fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (line, code) in lines(text) {
        if code {
            out.push('\n');
            continue;
        }
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 0 {
                out.push_str(part);
            }
        }
    }
    out
}

/// The glossary terms `text` uses in `lang`: found by name, abbreviation or alias, or linked
/// with `[…](term:id)`.
pub fn terms_used(glossary: &Glossary, text: &str, lang: &str) -> BTreeSet<TermId> {
    let mut used: BTreeSet<TermId> = glossary
        .find(text, lang, true, |_| false)
        .into_iter()
        .map(|f| f.term)
        .collect();
    for (at, _) in text.match_indices("](term:") {
        let id: String = text[at + 7..]
            .chars()
            .take_while(|c| !matches!(c, ')' | ' ' | '#'))
            .collect();
        if let Some(i) = glossary.index(&id) {
            used.insert(i);
        }
    }
    used
}

/// A term the original uses in a section that the translation's same section lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingTerm {
    /// The section's index (heading order; 0 is the text before the first heading).
    pub section: usize,
    /// 0-based line of the translation's section within its body.
    pub line: usize,
    pub term: TermId,
}

/// The terms missing from each section of `translation` (in `lang`) that the same section of
/// `original` (in `original_lang`) uses. Terms without an entry in `lang` are left to the
/// glossary's own check. Sections past the shorter body's last are not compared.
pub fn missing_terms(
    glossary: &Glossary,
    original: &str,
    original_lang: &str,
    translation: &str,
    lang: &str,
) -> Vec<MissingTerm> {
    let left = sections(original);
    let right = sections(translation);
    let mut out = Vec::new();
    for (i, (l, r)) in left.iter().zip(&right).enumerate() {
        let left_text = prose(&original[l.range.clone()]);
        let used = terms_used(glossary, &left_text, original_lang);
        if used.is_empty() {
            continue;
        }
        let right_text = prose(&translation[r.range.clone()]);
        let there = terms_used(glossary, &right_text, lang);
        // The original's own words kept as they are (a quoted title, a name left in its
        // language) count as using the term.
        let kept: BTreeSet<TermId> = glossary
            .find(&left_text, original_lang, true, |_| false)
            .into_iter()
            .filter(|f| right_text.contains(&left_text[f.range.clone()]))
            .map(|f| f.term)
            .collect();
        for term in used {
            if !there.contains(&term)
                && !kept.contains(&term)
                && glossary.terms[term].langs.contains_key(lang)
            {
                out.push(MissingTerm {
                    section: i,
                    line: r.line,
                    term,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_at_headings_outside_fences() {
        let body = "Intro.\n\n## One\n\nText.\n\n```\n## not a heading\n```\n\n### Two ##\nMore.\n#hashtag\n";
        let s = sections(body);
        let headings: Vec<_> = s.iter().map(|s| s.heading.as_deref()).collect();
        assert_eq!(headings, [None, Some("One"), Some("Two")]);
        assert_eq!(s[1].line, 2);
        assert_eq!(s[2].line, 10);
        assert_eq!(&body[s[0].range.clone()], "Intro.\n\n");
        assert!(body[s[1].range.clone()].contains("not a heading"));
        assert_eq!(s[2].range.end, body.len());
        assert_eq!(s[2].level, 3);
    }

    #[test]
    fn prose_drops_code() {
        assert_eq!(prose("a `b` c\n```\nd\n```\ne\n"), "a  c\n\n\n\ne\n");
    }
}
