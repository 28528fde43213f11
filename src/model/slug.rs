//! Slugs for URLs and heading ids. Letters of every script are kept, so a Japanese heading
//! gets a readable Japanese id rather than an empty or numeric one.

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

/// Whether `slug` can be used as one path segment of an output URL: nothing that could climb
/// out of the output directory or be read as another path.
pub fn is_safe_segment(slug: &str) -> bool {
    !slug.is_empty()
        && slug != "."
        && slug != ".."
        && !slug.starts_with('.')
        && !slug.contains(['/', '\\', ':', '?', '#', '%'])
        && !slug.chars().any(|c| c.is_control() || c.is_whitespace())
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
    fn rejects_unsafe_segments() {
        for bad in ["", "..", "../x", "a/b", "a\\b", ".hidden", "a b"] {
            assert!(!is_safe_segment(bad), "{bad}");
        }
        assert!(is_safe_segment("ai-act"));
        assert!(is_safe_segment("AI推進法"));
    }
}
