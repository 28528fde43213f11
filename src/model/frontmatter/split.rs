//! Finding the front matter in a file: its format, where it ends and where the body starts.

use super::{Kind, parse};
use crate::diag::{Code, Diagnostic};

/// The front matter format, chosen by the opening delimiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
}

impl Format {
    pub fn delimiter(self) -> &'static str {
        match self {
            Format::Yaml => "---",
            Format::Toml => "+++",
        }
    }
}

/// A Markdown file split into front matter and body, with the lines where each starts.
#[derive(Debug)]
pub struct Split<'a> {
    /// The format and the raw text between the delimiters, if the file has front matter.
    pub matter: Option<(Format, &'a str)>,
    /// 1-based line of the first front matter line (the line after the opening delimiter).
    pub matter_line: usize,
    pub body: &'a str,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
}

/// Whether the page `text` (of `file`) says `draft: true`: what a command that wrote it tells
/// the writer next.
pub fn is_draft(text: &str, file: &str) -> bool {
    split(text).is_ok_and(|split| parse(&split, file, Kind::Page).0.draft)
}

/// Why a file could not be split into front matter and body: where, what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: String,
}

impl SplitError {
    /// The error as `file`'s diagnostic.
    pub fn diagnostic(self, file: &str) -> Diagnostic {
        Diagnostic::error(Code::FrontMatter, file, self.message)
            .at(self.line, self.column)
            .suggest(self.help)
    }
}

/// Splits `text`. An opening delimiter without a closing one is an error at line 1.
pub fn split(text: &str) -> Result<Split<'_>, (usize, String)> {
    split_checked(text).map_err(|e| (e.line, e.message))
}

/// [`split`], with the column and the help of an error. A first line that is a delimiter
/// followed by other text (`--- # content/a.md`) is an error rather than a body: read as
/// Markdown, the front matter would become a heading and the page lose its title, with
/// nothing to say why. Zola does not read such a line as front matter either, and Hugo reads
/// the rest of it as front matter, which works only when it happens to be a comment.
pub fn split_checked(text: &str) -> Result<Split<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first = text[..first_end].trim_end();
    let format = match first.get(..3) {
        Some("---") => Format::Yaml,
        Some("+++") => Format::Toml,
        _ => {
            return Ok(Split {
                matter: None,
                matter_line: 1,
                body: text,
                body_line: 1,
            });
        }
    };
    let delimiter = format.delimiter();
    let rest = &first[3..];
    if rest.starts_with('\r') {
        // Classic Mac OS ended lines so; no editor of today writes it unasked.
        return Err(SplitError {
            line: 1,
            column: 4,
            message: format!(
                "the `{delimiter}` line is ended by a carriage return alone (as classic Mac OS ended lines), which tebiki does not read as a line ending"
            ),
            help: "save the file with LF (or CRLF) line endings; editors have a setting for it"
                .to_string(),
        });
    }
    if !rest.is_empty() {
        let after = rest.trim_start();
        let column = 4 + rest[..rest.len() - after.len()].chars().count();
        let shown: String = after.chars().take(40).collect();
        return Err(SplitError {
            line: 1,
            column,
            message: format!(
                "the front matter delimiter `{delimiter}` must be alone on its line, but `{shown}` follows it"
            ),
            help: format!(
                "put `{delimiter}` alone on the first line, and move what follows it to the next line or remove it"
            ),
        });
    }
    let mut offset = first_end;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        if text[offset..end].trim_end() == delimiter {
            return Ok(Split {
                matter: Some((format, &text[first_end..offset])),
                matter_line: 2,
                body: &text[end..],
                // A lone CR breaks a line in an editor, as it does for the YAML reader.
                body_line: 1 + crate::diag::count_breaks(&text[..end]),
            });
        }
        offset = end;
    }
    Err(SplitError {
        line: 1,
        column: 1,
        message: format!("front matter opened with `{delimiter}` is never closed"),
        help: "close the front matter with a line holding the same delimiter".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_toml_with_lines() {
        let s = split("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(s.matter.unwrap().0, Format::Yaml);
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 4);
        let s = split("+++\r\ntitle = \"A\"\r\n+++\r\n\r\nBody").unwrap();
        assert_eq!(s.matter.unwrap(), (Format::Toml, "title = \"A\"\r\n"));
        assert_eq!(s.body_line, 4);
        assert!(split("---\ntitle: A\n").is_err());
        let e = split_checked("--- # a.md\ntitle: A\n---\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 5));
        assert!(split_checked("----\ntitle: A\n----\n").is_err());
        assert!(split_checked("--- \t\ntitle: A\n---\n").is_ok());
        assert!(split_checked("# --- title\n").unwrap().matter.is_none());
        assert!(split("# no front matter").unwrap().matter.is_none());
        // Lines ended by CR alone: said so, rather than that text follows the delimiter.
        let e = split_checked("---\rtitle: A\r---\rBody\r").unwrap_err();
        assert_eq!((e.line, e.column), (1, 4));
        assert!(e.message.contains("carriage return alone"), "{}", e.message);
        assert!(e.help.contains("LF"), "{}", e.help);
    }
}
