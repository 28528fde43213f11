//! Slugs for URLs and heading ids. Letters of every script are kept, so a Japanese heading
//! gets a readable Japanese id rather than an empty or numeric one.

/// The longest file or folder name most file systems allow, in bytes: a longer URL segment
/// could not be written.
pub const MAX_SEGMENT: usize = 255;

/// A safe slug for a taxonomy term or a rejected slug: its slugified form (by
/// [`name_slug`]), or a hex form of its bytes if nothing is left.
pub fn fallback_slug(name: &str) -> String {
    let slug = name_slug(name);
    if slug.is_empty() {
        name.bytes().map(|b| format!("{b:02x}")).collect()
    } else {
        slug
    }
}

/// Lower-cases, keeps letters and digits of any script, and joins the rest with single `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c != '\'' && c != '’' {
            dash = true;
        }
    }
    out
}

/// The slug of a tag's or category's name: [`slugify`] of the name in NFKC, as search takes
/// it, so that a name typed on a Mac (decomposed: `ガ` as `カ` and a combining mark) or in
/// full-width letters (`ＡＩ`) has the slug of the name as usually written, and one tag is
/// one page.
pub fn name_slug(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if name.is_ascii() {
        slugify(name)
    } else {
        slugify(&name.nfkc().collect::<String>())
    }
}

/// A heading's id as GitHub makes it (and mdBook, for ASCII text): lower-cased; letters,
/// marks and digits of every script kept, and `_` and `-`; each space a `-`; everything else
/// (punctuation, symbols, Japanese brackets and stops such as 「」、。・) dropped. Runs are not
/// collapsed: `A & B` is `a--b`, as on GitHub.
pub fn github_heading_id(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c == ' ' {
            out.push('-');
        } else if c == '-'
            || (c.is_alphanumeric() && !is_dropped_symbol(c))
            || is_connector(c)
            || is_combining_mark(c)
        {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Unicode's connector punctuation (general category Pc): `_` and its relatives, which
/// GitHub keeps in ids.
fn is_connector(c: char) -> bool {
    matches!(
        c,
        '_' | '\u{203F}' | '\u{2040}' | '\u{2054}' | '\u{FE33}' | '\u{FE34}' | '\u{FE4D}'
            ..='\u{FE4F}' | '\u{FF3F}'
    )
}

/// Characters Rust counts as alphanumeric that GitHub's rule (letters, marks, decimal and
/// letter numbers, connectors) drops: the other numbers (general category No) and the
/// circled letters, as far as guides use them: superscripts and subscripts, vulgar
/// fractions, circled and parenthesised numbers (①, ⑴, ❶, ㉑) and circled letters (Ⓐ).
fn is_dropped_symbol(c: char) -> bool {
    matches!(
        c,
        '\u{00B2}' | '\u{00B3}' | '\u{00B9}' | '\u{00BC}'..='\u{00BE}'
            | '\u{2070}'..='\u{2079}'
            | '\u{2080}'..='\u{2089}'
            | '\u{2150}'..='\u{215F}'
            | '\u{2189}'
            | '\u{2460}'..='\u{24FF}'
            | '\u{2776}'..='\u{2793}'
            | '\u{3192}'..='\u{3195}'
            | '\u{3220}'..='\u{3229}'
            | '\u{3248}'..='\u{324F}'
            | '\u{3251}'..='\u{325F}'
            | '\u{3280}'..='\u{3289}'
            | '\u{32B1}'..='\u{32BF}'
    )
}

fn is_combining_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

/// Whether `slug` can be used as one path segment of an output URL: nothing that could climb
/// out of the output directory or be read as another path, nothing a URL must escape or a
/// Windows checkout cannot name (`"`, `<`, `>`, `|`, `*`), and nothing invisible (controls,
/// spaces, and the format characters: zero-width spaces and joiners, direction overrides, the
/// byte order mark), which would make two addresses that look the same; and no longer than a
/// folder name may be ([`MAX_SEGMENT`]).
pub fn is_safe_segment(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= MAX_SEGMENT
        && slug != "."
        && slug != ".."
        && !slug.starts_with('.')
        && !slug.contains(['/', '\\', ':', '?', '#', '%', '"', '<', '>', '|', '*'])
        && !slug
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || is_format_character(c))
}

/// `text` with what cannot be seen (controls, format characters, spaces other than the
/// plain one) written as `\u{…}`, for a message about a name that looks right but is not.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || is_format_character(c) || (c.is_whitespace() && c != ' ') {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Unicode's format characters (general category Cf): invisible, they change how the text
/// around them is shown or joined.
fn is_format_character(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_japanese() {
        assert_eq!(slugify("AI推進法の概要"), "ai推進法の概要");
        assert_eq!(slugify("What the Act creates"), "what-the-act-creates");
        assert_eq!(slugify("Japan's AI Act (2025)"), "japans-ai-act-2025");
        assert_eq!(slugify("「重要」なポイント"), "重要-なポイント");
    }

    #[test]
    fn a_name_has_one_slug_however_it_is_written() {
        // Decomposed, as macOS writes names: カ + U+3099 is ガ.
        assert_eq!(
            name_slug("\u{30AB}\u{3099}イト\u{3099}ライン"),
            "ガイドライン"
        );
        assert_eq!(name_slug("Ca\u{0301}t"), "cát");
        assert_eq!(name_slug("ＡＩ Act"), "ai-act");
        assert_eq!(name_slug("ｶﾞｲﾄﾞ"), "ガイド");
        assert_eq!(name_slug("AI推進法"), "ai推進法");
    }

    #[test]
    fn heading_ids_as_github_makes_them() {
        for (text, id) in [
            ("macro_rules", "macro_rules"),
            ("Japan's AI Act (2025)", "japans-ai-act-2025"),
            ("What the Act creates", "what-the-act-creates"),
            ("A & B", "a--b"),
            ("C++ / Rust: notes", "c--rust-notes"),
            ("pre-trained models", "pre-trained-models"),
            ("「重要」なポイント", "重要なポイント"),
            ("AI推進法の概要", "ai推進法の概要"),
            ("基本計画（2025年）", "基本計画2025年"),
            ("AI戦略本部・AI戦略会議", "ai戦略本部ai戦略会議"),
            ("主な論点、今後の課題。", "主な論点今後の課題"),
            ("Ｗｉｄｅ ＡＩ", "ｗｉｄｅ-ａｉ"),
            ("がぎ", "がぎ"),
            ("Über Straße", "über-straße"),
            ("v1.2 release", "v12-release"),
            ("2025", "2025"),
            ("① 概要", "-概要"),
            ("x² growth", "x-growth"),
            ("Ⓐ plan", "-plan"),
            ("第Ⅱ部", "第ⅱ部"),
            ("  padded  ", "padded"),
        ] {
            assert_eq!(github_heading_id(text), id, "{text}");
        }
    }

    #[test]
    fn rejects_unsafe_segments() {
        for bad in [
            "",
            "..",
            "../x",
            "a/b",
            "a\\b",
            ".hidden",
            "a b",
            "zw\u{200B}sp",
            "bidi\u{202E}",
            "\u{FEFF}bom",
            "soft\u{00AD}hyphen",
            "q\"<b>",
            "a|b",
            "a*b",
        ] {
            assert!(!is_safe_segment(bad), "{bad}");
        }
        assert!(is_safe_segment("ai-act"));
        assert!(is_safe_segment("AI推進法"));
    }
}
