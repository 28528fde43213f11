//! The words and CJK characters of a page, counted for its reading time.

use super::Rendered;
use super::text::is_cjk_or_wide;
use crate::pipeline::swar;

/// Counts the words and CJK characters of `text` for the reading time: ASCII eight bytes at
/// a time, kanji by their lead byte, other characters one by one.
pub(super) fn count(text: &str, out: &mut Rendered) {
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
            if is_cjk_or_wide(c) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::markdown::render_plain;

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
                let word_char = if is_cjk_or_wide(c) {
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
