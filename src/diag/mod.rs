//! Diagnostics: every problem tebiki finds in a site is a value with a place (file, line,
//! column), a message and, where one is likely, a suggestion. They are collected, never
//! thrown, so a build reports everything it found in one run.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Element, Group, Level, Origin, Renderer, Snippet};

use serde::Serialize;

pub mod codes;

pub use codes::Code;

/// How bad a diagnostic is: errors fail the build, warnings only inform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, at one place in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short stable identifier such as `unknown-key`, for tools that filter diagnostics.
    pub code: Code,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based, counted in characters; 0 when unknown.
    pub column: usize,
    pub message: String,
    pub suggestion: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            suggestion: None,
        }
    }

    pub fn warning(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn suggest(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }

    pub fn maybe_suggest(mut self, suggestion: Option<String>) -> Self {
        self.suggestion = suggestion;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col`, shortened when line or column is unknown.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.file.clone(),
            (l, 0) => format!("{}:{l}", self.file),
            (l, c) => format!("{}:{l}:{c}", self.file),
        }
    }

    /// Renders the diagnostic the way rustc does (with rustc's own renderer): message,
    /// location, the source line and a caret under the column, wide Japanese characters
    /// counted as two. `root` is the site root the `file` path is relative to.
    pub fn render(&self, root: &Path, style: Style) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level
            .primary_title(self.message.as_str())
            .id(self.code.name());
        let source = (self.line > 0)
            .then(|| source_line(&root.join(&self.file), self.line))
            .flatten();
        let place: Element<'_> = match &source {
            Some(text) => {
                let snippet = Snippet::source(text.as_str())
                    .line_start(self.line)
                    .path(self.file.as_str());
                // A known column gets a caret; a whole-line problem underlines the line.
                let span = match self.column {
                    0 => 0..text.len(),
                    column => {
                        let at = text
                            .char_indices()
                            .nth(column - 1)
                            .map_or(text.len(), |(at, _)| at);
                        at..at
                    }
                };
                snippet
                    .annotation(AnnotationKind::Primary.span(span))
                    .into()
            }
            None => {
                let origin = Origin::path(self.file.as_str());
                match (self.line, self.column) {
                    (0, _) => origin.into(),
                    (line, 0) => origin.line(line).into(),
                    (line, column) => origin.line(line).char_column(column).into(),
                }
            }
        };
        let mut group = Group::with_title(title).element(place);
        if let Some(help) = &self.suggestion {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let renderer = match style {
            Style::Plain => Renderer::plain(),
            Style::Colour => Renderer::styled(),
        };
        // A blank line after each, as rustc leaves between diagnostics.
        renderer.render(&[group]) + "\n"
    }
}

/// What a stage made, with the problems it found on the way. Every stage that reports
/// diagnostics returns one (a stage that makes nothing returns just its `Vec<Diagnostic>`),
/// so the build goes on past a problem and reports everything in one run.
#[derive(Debug)]
pub struct Reported<T> {
    pub value: T,
    pub diagnostics: Vec<Diagnostic>,
}

impl<T> Reported<T> {
    pub fn new(value: T, diagnostics: Vec<Diagnostic>) -> Self {
        Reported { value, diagnostics }
    }

    /// The value, after moving the diagnostics into `into`.
    pub fn take(self, into: &mut Vec<Diagnostic>) -> T {
        into.extend(self.diagnostics);
        self.value
    }
}

/// Whether rendered diagnostics carry terminal colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Colour,
}

impl Style {
    /// Colour for a terminal, as Rust users expect; plain text in a pipe, a file or when
    /// `NO_COLOR` is set.
    pub fn for_stream(stream: &impl IsTerminal) -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if stream.is_terminal() && !no_color {
            Style::Colour
        } else {
            Style::Plain
        }
    }
}

fn source_line(path: &Path, line: usize) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .nth(line - 1)
        .map(|l| l.trim_end_matches('\r').to_string())
}

/// Prints warnings on stderr, each as `tebiki build` prints them (with colour on a terminal).
/// A build, `watch` and `serve` all show what a build found.
pub fn eprint_warnings(root: &std::path::Path, warnings: &[Diagnostic]) {
    let style = Style::for_stream(&std::io::stderr());
    for warning in warnings {
        eprintln!("{}", warning.render(root, style));
    }
}

/// Sorts diagnostics into a stable order (file, line, column, message) so that output is the
/// same from run to run although stages run in parallel.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
}

/// The candidate closest to `word`, if it is close enough to be a plausible typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Compared without case: `FIRST-GUIDE.md` is nearest to `first-guide.md`.
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// "did you mean `x`?" for the closest candidate, if any.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// A path relative to `root`, with `/` separators, for use in diagnostics.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.to_string_lossy().replace('\\', "/")
}

/// The text of a file read as `bytes`, or the error saying where it stops being UTF-8.
pub fn decode(file: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| not_utf8(file, e.as_bytes(), e.utf8_error()))
}

/// [`decode`] without taking the bytes: checked with SIMD, for the many files of a site.
pub fn decode_str<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    simdutf8::basic::from_utf8(bytes).or_else(|_| {
        // Only on failure: the standard check says where the bad byte is.
        std::str::from_utf8(bytes).map_err(|e| not_utf8(file, bytes, e))
    })
}

/// The error for a file that is not UTF-8: the line and column of the first bad byte, and its
/// byte offset in the file, so that it can be found in any editor.
pub fn not_utf8(file: &str, bytes: &[u8], e: std::str::Utf8Error) -> Diagnostic {
    let at = e.valid_up_to();
    let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
    let (line, column) = line_col(valid, at);
    Diagnostic::error(
        Code::NotUtf8,
        file,
        format!(
            "the file is not UTF-8 text: byte 0x{:02X} at byte offset {at} (line {line}) cannot be decoded",
            bytes.get(at).copied().unwrap_or(0)
        ),
    )
    .at(line, column)
    .suggest("save the file as UTF-8 (most editors offer this under \"Save with encoding\")")
}

/// Line and column (both 1-based, column in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).line_col(offset)
}

/// Line starts of a text, for turning many byte offsets into line and column without
/// rescanning the text each time.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// Line and column (both 1-based, column in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let keys = ["title", "summary", "date", "tags"];
        assert_eq!(closest("tittle", keys), Some("title"));
        assert_eq!(closest("sumary", keys), Some("summary"));
        assert_eq!(closest("zzzzzz", keys), None);
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let dir = tempfile::tempdir().expect("temp dir");
        let long = "x".repeat(5000) + "^" + &"y".repeat(5000);
        std::fs::write(dir.path().join("long.md"), format!("---\n{long}\n")).expect("write");
        let d = Diagnostic::error(Code::Io, "long.md", "a problem").at(2, 5001);
        let text = d.render(dir.path(), Style::Plain);
        assert!(text.contains("--> long.md:2:5001"), "{text}");
        assert!(text.lines().all(|l| l.chars().count() < 200), "{text}");
        let caret_line = text
            .lines()
            .find(|l| l.trim_end().ends_with('^'))
            .expect("caret");
        let source_line = text.lines().find(|l| l.contains("^y")).expect("source");
        assert_eq!(
            source_line.chars().position(|c| c == '^'),
            caret_line.chars().position(|c| c == '^'),
            "{text}"
        );
    }

    #[test]
    fn carets_stand_under_wide_characters() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("ja.md"), "日本語の[リンク](x.md)\n").expect("write");
        let d = Diagnostic::error(Code::BrokenLink, "ja.md", "no such page").at(1, 5);
        let text = d.render(dir.path(), Style::Plain);
        // Four wide characters take eight columns: the caret stands under `[`.
        let source = text.lines().find(|l| l.contains("日本語")).expect("source");
        let caret = text
            .lines()
            .find(|l| l.trim_end().ends_with('^'))
            .expect("caret");
        let width = |l: &str, upto: usize| -> usize {
            l.chars()
                .take(upto)
                .map(|c| if c.is_ascii() { 1 } else { 2 })
                .sum()
        };
        let bracket = source.chars().position(|c| c == '[').expect("bracket");
        let at = caret.chars().position(|c| c == '^').expect("caret");
        assert_eq!(width(source, bracket), width(caret, at), "{text}");
    }

    #[test]
    fn line_col_counts_characters() {
        let text = "a\nこんにちは x\n";
        let index = LineIndex::new(text);
        for (offset, expected) in [(0, (1, 1)), (2, (2, 1)), (text.find('x').unwrap(), (2, 7))] {
            assert_eq!(line_col(text, offset), expected);
            assert_eq!(index.line_col(offset), expected);
        }
        assert_eq!(index.line_col(text.len()), (3, 1));
    }
}
