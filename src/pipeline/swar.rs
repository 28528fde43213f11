//! Eight bytes at a time in one `u64` ("SIMD within a register"), for the loops that walk every
//! byte of every page's text: the reading-time count, search normalisation, the HTML-to-text
//! pass and JSON escaping. Each mask has the high bit of a byte set where the byte passes the
//! test, exactly (the bit tricks of "Hacker's Delight"); a byte's position in the word is its
//! position in the text, the first byte lowest. The same loops decode the three-byte
//! characters of Japanese text by hand ([`three_byte_char`]).

/// 0x01 in every byte.
pub const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte.
pub const HIGH: u64 = 0x8080_8080_8080_8080;
const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// The character at `at` when it is encoded in three bytes (U+0800 to U+FFFF: kana, kanji,
/// Japanese punctuation), decoded without the checks of `chars()`, which the text (a `str`)
/// has passed already.
#[inline(always)]
pub fn three_byte_char(text: &[u8], at: usize) -> Option<char> {
    match *text.get(at..at.checked_add(3)?)? {
        [a @ 0xE0..=0xEF, b, c] => char::from_u32(
            u32::from(a & 0x0F) << 12 | u32::from(b & 0x3F) << 6 | u32::from(c & 0x3F),
        ),
        _ => None,
    }
}

/// The eight bytes of `bytes` from `at`, if there are eight.
pub fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let eight = bytes.get(at..at.checked_add(8)?)?;
    <[u8; 8]>::try_from(eight).ok().map(u64::from_le_bytes)
}

/// Whether all eight bytes are ASCII.
pub fn is_ascii(word: u64) -> bool {
    word & HIGH == 0
}

/// The bytes equal to `byte`.
pub fn equal(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    // A byte is zero when neither adding 0x7F to its low bits nor its own high bit sets bit 7.
    !(((x & LOW) + LOW) | x) & HIGH
}

/// The bytes below `limit` (at most 0x80).
pub fn below(word: u64, limit: u8) -> u64 {
    // With each byte's high bit set first, no subtraction borrows from the next byte.
    !((word | HIGH) - ONES * u64::from(limit)) & !word & HIGH
}

/// Whether any byte equals `byte`: fewer operations than [`equal`], for when where does not
/// matter (a borrow may mark bytes after a match, never before one or without one).
pub fn contains(word: u64, byte: u8) -> bool {
    let x = word ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & HIGH != 0
}

/// Whether any byte is below `limit` (at most 0x80), as [`contains`] to [`equal`].
pub fn any_below(word: u64, limit: u8) -> bool {
    word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGH != 0
}

/// The number of bytes before the first one set in `mask` (8 when none is).
pub fn first(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// The position of the first `byte` in `bytes` from `at`: eight bytes at a time, for the
/// short distances (a tag's length) where a call to `memchr` costs more than it saves.
pub fn find(bytes: &[u8], mut at: usize, byte: u8) -> Option<usize> {
    while let Some(word) = word_at(bytes, at) {
        let found = equal(word, byte);
        if found != 0 {
            return Some(at + first(found));
        }
        at += 8;
    }
    bytes
        .get(at..)?
        .iter()
        .position(|&b| b == byte)
        .map(|i| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_match_byte_by_byte_tests_for_every_byte_value() {
        for value in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = *b"a~\x00\x7f\x80\xff \x1f";
                bytes[at] = value;
                let word = u64::from_le_bytes(bytes);
                for (n, &b) in bytes.iter().enumerate() {
                    let bit = |mask: u64| mask >> (n * 8 + 7) & 1 == 1;
                    assert_eq!(bit(equal(word, b'<')), b == b'<', "{bytes:?}");
                    assert_eq!(bit(equal(word, 0)), b == 0, "{bytes:?}");
                    assert_eq!(bit(below(word, 0x21)), b < 0x21, "{bytes:?}");
                    assert_eq!(bit(below(word, 0x80)), b < 0x80, "{bytes:?}");
                }
                for probe in [b'<', 0, b'a', 0x80, 0xff] {
                    assert_eq!(contains(word, probe), bytes.contains(&probe), "{bytes:?}");
                }
                for limit in [0x20, 0x21, 0x80] {
                    let any = bytes.iter().any(|&b| b < limit);
                    assert_eq!(any_below(word, limit), any, "{bytes:?} {limit}");
                }
            }
        }
        assert_eq!(first(equal(u64::from_le_bytes(*b"abc<def<"), b'<')), 3);
        assert_eq!(first(0), 8);
        assert_eq!(
            word_at(b"0123456789", 2),
            Some(u64::from_le_bytes(*b"23456789"))
        );
        assert_eq!(word_at(b"0123456789", 3), None);
        assert_eq!(word_at(b"", usize::MAX), None);
    }

    #[test]
    fn find_gives_the_first_match_wherever_the_eight_byte_steps_fall() {
        let text = "<a href=\"x\">推進</a>>".as_bytes();
        for from in 0..=text.len() + 1 {
            let expected = text
                .get(from..)
                .and_then(|rest| rest.iter().position(|&b| b == b'>'))
                .map(|i| from + i);
            assert_eq!(find(text, from, b'>'), expected, "from {from}");
        }
        assert_eq!(find(b"no tag end here", 0, b'>'), None);
    }
}
