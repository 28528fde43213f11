//! The one definition of how search text is cut into tokens, used for the index here and for
//! the query by the theme's `search.js`, which implements the same rules line for line (the
//! test suite runs both on the same strings and compares).
//!
//! 1. NFKC, then lower case: `ＡＩ` and `AI` are one token, so are `ｶﾀｶﾅ` and `カタカナ`.
//! 2. Runs of CJK characters (kanji, kana, the long-vowel mark, hangul) become overlapping
//!    character bigrams (`推進法` → `推進`, `進法`); a run of one character is itself a
//!    token. A query's bigrams must all be present, so any part of a compound is found without
//!    a dictionary, and index and query can never be segmented differently.
//! 3. Runs of other letters and digits are words, reduced by a small English stemmer
//!    (`subsidies` → `subsidy`, `guides` and `guided` → `guid`). Words longer than
//!    [`MAX_WORD`] characters (hashes, long URLs) are dropped.
//! 4. Everything else separates tokens.

use unicode_normalization::UnicodeNormalization;

/// Longer words are not indexed.
pub const MAX_WORD: usize = 40;

/// NFKC and lower case: the form every token is made from.
pub fn normalize(text: &str) -> String {
    text.nfkc().collect::<String>().to_lowercase()
}

/// Whether `c` (already normalised) is read character by character: kanji, kana, hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007
        | 0x3041..=0x3096
        | 0x309D..=0x309F
        | 0x30A1..=0x30FA
        | 0x30FC..=0x30FF
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF)
}

/// Whether `c` (already normalised) belongs to a word.
pub fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// One token and whether it came from a CJK run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub cjk: bool,
}

/// The tokens of `text`, in order, repeats kept.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    tokens_into(&normalize(text), &mut |t, cjk| {
        out.push(Token {
            text: t.to_string(),
            cjk,
        })
    });
    out
}

/// Calls `emit` with each token of `normalized` (the output of [`normalize`]).
pub fn tokens_into(normalized: &str, emit: &mut dyn FnMut(&str, bool)) {
    let mut rest = normalized;
    let mut bigram = String::new();
    let mut word = String::new();
    while let Some(c) = rest.chars().next() {
        if is_cjk(c) {
            let end = rest.find(|c: char| !is_cjk(c)).unwrap_or(rest.len());
            let run = &rest[..end];
            let mut chars = run.char_indices().peekable();
            if run.chars().nth(1).is_none() {
                emit(run, true);
            } else {
                while let Some((i, _)) = chars.next() {
                    let Some(&(j, second)) = chars.peek() else {
                        break;
                    };
                    bigram.clear();
                    bigram.push_str(&run[i..j + second.len_utf8()]);
                    emit(&bigram, true);
                }
            }
            rest = &rest[end..];
        } else if is_word(c) {
            let end = rest.find(|c: char| !is_word(c)).unwrap_or(rest.len());
            let run = &rest[..end];
            if run.chars().count() <= MAX_WORD {
                word.clear();
                stem_into(run, &mut word);
                emit(&word, false);
            }
            rest = &rest[end..];
        } else {
            rest = &rest[c.len_utf8()..];
        }
    }
}

/// A small English stemmer, the same in `search.js`: plurals, `-ing`, `-ed` and a final `e`.
/// Only words of ASCII letters longer than three are touched.
pub fn stem(word: &str) -> String {
    let mut out = String::new();
    stem_into(word, &mut out);
    out
}

fn stem_into(word: &str, out: &mut String) {
    out.push_str(word);
    if word.len() <= 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return;
    }
    let ends = |s: &String, suffix: &str| s.ends_with(suffix);
    if ends(out, "sses") {
        out.truncate(out.len() - 2);
    } else if ends(out, "ies") && out.len() > 4 {
        out.truncate(out.len() - 3);
        out.push('y');
    } else if ends(out, "ss") || ends(out, "us") || ends(out, "is") {
    } else if ends(out, "shes") || ends(out, "ches") || ends(out, "xes") || ends(out, "zes") {
        out.truncate(out.len() - 2);
    } else if ends(out, "s") {
        out.truncate(out.len() - 1);
    }
    let has_vowel = |s: &str| s.bytes().any(|b| b"aeiouy".contains(&b));
    let mut cut = false;
    if ends(out, "ing") && out.len() >= 6 && has_vowel(&out[..out.len() - 3]) {
        out.truncate(out.len() - 3);
        cut = true;
    } else if ends(out, "ed") && out.len() >= 5 && has_vowel(&out[..out.len() - 2]) {
        out.truncate(out.len() - 2);
        cut = true;
    }
    let b = out.as_bytes();
    if cut && b.len() >= 2 && b[b.len() - 1] == b[b.len() - 2] && !b"lsz".contains(&b[b.len() - 1])
    {
        out.truncate(out.len() - 1);
    }
    if ends(out, "e") && out.len() > 3 {
        out.truncate(out.len() - 1);
    }
}

/// The part of a token that picks its shard: the first character of a CJK token, the first two
/// of a word, so that every token starting with a typed prefix is in one shard.
pub fn shard_key(token: &str, cjk: bool) -> &str {
    let n = if cjk { 1 } else { 2 };
    let end = token.char_indices().nth(n).map_or(token.len(), |(i, _)| i);
    &token[..end]
}

/// FNV-1a over the code points of `key`, modulo `shards` (a power of two).
pub fn shard_of(key: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in key.chars() {
        h ^= c as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h & (shards - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokens(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn japanese_runs_become_bigrams() {
        assert_eq!(texts("推進法"), ["推進", "進法"]);
        assert_eq!(texts("法"), ["法"]);
        assert_eq!(texts("生成AI"), ["生成", "ai"]);
    }

    #[test]
    fn full_width_and_half_width_are_one() {
        assert_eq!(texts("ＡＩ"), texts("AI"));
        assert_eq!(texts("ｶﾞｲﾄﾞ"), texts("ガイド"));
    }

    #[test]
    fn english_stems() {
        assert_eq!(stem("subsidies"), "subsidy");
        assert_eq!(stem("subsidy"), "subsidy");
        assert_eq!(stem("guides"), stem("guided"));
        assert_eq!(stem("planned"), "plan");
        assert_eq!(stem("taxes"), "tax");
        assert_eq!(stem("status"), "status");
        assert_eq!(texts("AISI's"), ["aisi", "s"]);
    }
}
