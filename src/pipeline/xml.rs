//! A small XML writer for the feeds and the sitemap. Element and attribute names are fixed
//! strings in the code; every value — text or attribute, from the config or a page — goes
//! through [`escape_into`] on its way in, so no interpolation can leave markup unescaped. Characters
//! XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF) become U+FFFD, so any input gives a
//! well-formed document.

use crate::pipeline::escape::escape_into;

/// An XML document being written, one element a line, indented by two spaces a level.
pub struct Xml {
    out: String,
    depth: usize,
}

impl Xml {
    /// A document with the XML declaration.
    pub fn new() -> Self {
        Xml {
            out: String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"),
            depth: 0,
        }
    }

    fn start(&mut self, name: &'static str, attrs: &[(&'static str, &str)]) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value);
            self.out.push('"');
        }
    }

    /// `<name attrs>` on its own line; what follows is inside it until [`Xml::close`].
    pub fn open(&mut self, name: &'static str, attrs: &[(&'static str, &str)]) {
        self.start(name, attrs);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    /// `</name>`, closing the element [`Xml::open`] opened.
    pub fn close(&mut self, name: &'static str) {
        self.depth = self.depth.saturating_sub(1);
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// `<name attrs/>`.
    pub fn empty(&mut self, name: &'static str, attrs: &[(&'static str, &str)]) {
        self.start(name, attrs);
        self.out.push_str("/>\n");
    }

    /// `<name>text</name>`.
    pub fn text(&mut self, name: &'static str, text: &str) {
        self.start(name, &[]);
        self.out.push('>');
        escape_into(&mut self.out, text);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    pub fn finish(self) -> String {
        self.out
    }
}

impl Default for Xml {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_escaped_and_forbidden_characters_replaced() {
        let mut xml = Xml::new();
        xml.open("feed", &[("xml:lang", "en\"&")]);
        xml.text("title", "A & B <c> 'd'\u{1}\u{ffff}");
        xml.empty("link", &[("href", "https://e.org/a&b/")]);
        xml.close("feed");
        assert_eq!(
            xml.finish(),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xml:lang=\"en&quot;&amp;\">\n  <title>A &amp; B &lt;c&gt; &apos;d&apos;\u{fffd}\u{fffd}</title>\n  <link href=\"https://e.org/a&amp;b/\"/>\n</feed>\n"
        );
    }
}
