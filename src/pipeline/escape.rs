//! Escaping text for HTML and XML, where tebiki writes markup itself (linked terms, badges,
//! feeds, the sitemap): one function for both, so no writer escapes differently.

/// Escapes `text` for HTML or XML content and quoted attribute values. Characters XML 1.0
/// forbids (most C0 controls, U+FFFE, U+FFFF) become U+FFFD, so any input stays well-formed.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// [`escape`], appending to `out`.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            '\0'..='\x1f' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}
