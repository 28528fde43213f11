//! The index files as JSON, written by hand: the manifest, the shards and each fragment.

use super::{Doc, Postings, SearchIndex};
use crate::pipeline::swar;

impl SearchIndex {
    pub(super) fn manifest(&self) -> String {
        let docs: String = self
            .doc_langs
            .iter()
            .map(|&l| char::from_digit(u32::from(l), 36).unwrap_or('0'))
            .collect();
        serde_json::json!({
            "version": 1,
            "shards": self.shards.len(),
            "langs": self.langs,
            "docs": docs,
        })
        .to_string()
            + "\n"
    }

    pub(super) fn shard_json(&self, k: usize) -> String {
        let mut tokens: Vec<(&str, &Postings)> = self.shards[k]
            .iter()
            .map(|&id| (self.vocabulary.text(id), &self.postings[id as usize]))
            .filter(|(_, list)| !list.is_empty())
            .collect();
        tokens.sort_unstable_by_key(|t| t.0);
        // Most postings are a one- or two-digit delta and weight: about six bytes each.
        let postings: usize = tokens.iter().map(|(_, list)| list.len()).sum();
        let mut out = String::with_capacity(postings * 6 + tokens.len() * 16 + 4);
        out.push('{');
        for (n, (token, list)) in tokens.into_iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            push_json_str(&mut out, token);
            out.push_str(":[");
            let mut previous = 0;
            for (m, &p) in list.iter().enumerate() {
                let doc = p >> 8;
                if m > 0 {
                    out.push(',');
                }
                push_number(&mut out, doc - previous);
                out.push(',');
                push_number(&mut out, p & 0xff);
                previous = doc;
            }
            out.push(']');
        }
        out.push_str("}\n");
        out
    }
}

/// Appends the decimal digits of `n`; those of one or two digits, most of a shard's
/// numbers, without the loop.
fn push_number(out: &mut String, mut n: u32) {
    let digit = |d: u32| char::from(b'0' + (d % 10) as u8);
    if n < 10 {
        out.push(digit(n));
        return;
    }
    if n < 100 {
        out.push(digit(n / 10));
        out.push(digit(n));
        return;
    }
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(d as char);
    }
}

/// A document's fragment file, as `search.js` reads it:
/// `{"url","title","section","lang","glossary","alt":{lang:url},"anchors":[[n,id],…],"text"}`
/// (`anchors` only when the page has headings). Written by hand into a string sized for the
/// text, which is most of it.
pub(super) fn fragment(doc: &Doc) -> String {
    let mut out = String::with_capacity(doc.body.len() + doc.body.len() / 16 + 256);
    out.push('{');
    for (name, value) in [
        ("url", &doc.url),
        ("title", &doc.title),
        ("section", &doc.section),
        ("lang", &doc.lang),
    ] {
        push_json_str(&mut out, name);
        out.push(':');
        push_json_str(&mut out, value);
        out.push(',');
    }
    out.push_str(if doc.glossary {
        "\"glossary\":true,\"alt\":{"
    } else {
        "\"glossary\":false,\"alt\":{"
    });
    let mut alt: Vec<&(String, String)> = doc.alt.iter().collect();
    alt.sort_unstable();
    for (n, (lang, url)) in alt.into_iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        push_json_str(&mut out, lang);
        out.push(':');
        push_json_str(&mut out, url);
    }
    out.push('}');
    if !doc.anchors.is_empty() {
        out.push_str(",\"anchors\":[");
        for (n, (breaks, id)) in doc.anchors.iter().enumerate() {
            out.push_str(if n > 0 { ",[" } else { "[" });
            push_number(&mut out, *breaks);
            out.push(',');
            push_json_str(&mut out, id);
            out.push(']');
        }
        out.push(']');
    }
    out.push_str(",\"text\":");
    push_json_str(&mut out, &doc.body);
    out.push_str("}\n");
    out
}

/// Appends `text` as a JSON string: quotes, backslashes and control characters escaped.
fn push_json_str(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    // The start of the bytes not yet copied; every escaped byte is ASCII, so a boundary.
    let mut run = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Eight bytes at a time past the text that needs no escape, which is nearly all of it,
        // then straight to the first byte that may (the line breaks between blocks are many).
        if let Some(word) = swar::word_at(bytes, at) {
            if !(swar::any_below(word, 0x20)
                | swar::contains(word, b'"')
                | swar::contains(word, b'\\'))
            {
                at += 8;
                continue;
            }
            let special =
                swar::below(word, 0x20) | swar::equal(word, b'"') | swar::equal(word, b'\\');
            at += swar::first(special);
        }
        let byte = bytes[at];
        at += 1;
        let escaped = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[run..at - 1]);
        if escaped.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        } else {
            out.push_str(escaped);
        }
        run = at;
    }
    out.push_str(&text[run..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 7, 9, 10, 42, 99, 100, 255, 1000, 12_345, u32::MAX] {
            let mut out = String::from("[");
            push_number(&mut out, n);
            assert_eq!(out, format!("[{n}"));
        }
    }

    #[test]
    fn fragments_are_json_with_every_field() {
        let doc = Doc {
            lang: "ja".into(),
            url: "/ja/guides/a/".into(),
            title: "「AI推進法」の\"要点\"".into(),
            section: "ガイド".into(),
            glossary: false,
            alt: vec![("en".into(), "/guides/a/".into())],
            strong: Vec::new(),
            meta: Vec::new(),
            body: "tab\there \\ back\u{1}slash\n改行 and a longer tail \"quoted\" after".into(),
            anchors: vec![(0, "要点".into()), (3, "a\"b".into())],
        };
        let text = fragment(&doc);
        assert!(text.ends_with("}\n"), "{text}");
        let value: serde_json::Value = serde_json::from_str(&text).expect("fragment is JSON");
        assert_eq!(
            value,
            serde_json::json!({
                "url": "/ja/guides/a/",
                "title": "「AI推進法」の\"要点\"",
                "section": "ガイド",
                "lang": "ja",
                "glossary": false,
                "alt": {"en": "/guides/a/"},
                "anchors": [[0, "要点"], [3, "a\"b"]],
                "text": "tab\there \\ back\u{1}slash\n改行 and a longer tail \"quoted\" after",
            })
        );
    }

    #[test]
    fn json_strings_escape_what_json_requires_anywhere_in_a_word() {
        for at in 0..12 {
            for special in ['"', '\\', '\n', '\u{1f}', '\u{0}'] {
                let mut text: String = "漢字abcdefghij".chars().collect();
                text.insert(
                    text.char_indices().nth(at).map_or(text.len(), |(i, _)| i),
                    special,
                );
                let mut out = String::new();
                push_json_str(&mut out, &text);
                let back: String = serde_json::from_str(&out).expect("valid JSON");
                assert_eq!(back, text);
                assert_eq!(out, serde_json::to_string(&text).expect("serialises"));
            }
        }
    }
}
