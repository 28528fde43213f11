//! URLs as written in links and requests.

/// `path` with the characters a URL may not hold as written (space, `"`, `#`, `%`, `<`, `>`,
/// `?`, ASCII controls and a few more) as `%XX`: a file name as an `href`.
pub fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_control() || " \"#%<>?[\\]^`{|}".contains(c) {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// `url` as a URI: every byte of a character outside ASCII, and the ASCII characters a URL
/// may not hold as written, as `%XX` (`/ja/tags/ai推進法/` → `/ja/tags/ai%E6%8E%A8…/`), for
/// formats that take URIs, not IRIs, as the sitemap protocol does. Escapes already there and
/// the URL's own structure (`%`, `#`, `?`) are kept.
pub fn uri(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii() && !c.is_ascii_control() && !" \"<>\\^`{|}".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// Decodes `%XX` escapes (as UTF-8), leaving malformed ones as written.
pub fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// The scheme of `url` if it is one that runs script or embeds content (`javascript:`,
/// `vbscript:`, `data:`), read as a browser reads it: leading spaces and control characters
/// and any tab or line break inside are ignored, case does not matter.
pub fn dangerous_scheme(url: &str) -> Option<&'static str> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript", "vbscript", "data"]
        .into_iter()
        .find(|scheme| {
            cleaned
                .strip_prefix(scheme)
                .is_some_and(|rest| rest.starts_with(':'))
        })
}

/// Whether `dest` is on another host: an `http(s)://` or scheme-relative `//` address.
pub fn is_remote(dest: &str) -> bool {
    let lower = dest
        .trim_start()
        .get(..8)
        .unwrap_or(dest)
        .to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_escapes_what_is_not_ascii_and_keeps_the_structure() {
        assert_eq!(
            uri("https://example.org/ja/tags/ai推進法/"),
            "https://example.org/ja/tags/ai%E6%8E%A8%E9%80%B2%E6%B3%95/"
        );
        assert_eq!(
            uri("https://example.org/a%20b/?q=1#x"),
            "https://example.org/a%20b/?q=1#x"
        );
        assert_eq!(uri("/a b/\"c\"/"), "/a%20b/%22c%22/");
        assert_eq!(uri("/café/"), "/caf%C3%A9/");
    }
}
