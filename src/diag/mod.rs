//! Diagnostics: every problem tebiki finds in a site is a value with a place (file, line,
//! column), a message and, where one is likely, a suggestion. They are collected, never
//! thrown, so a build reports everything it found in one run.

use std::collections::HashMap;
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
        self.render_in(&mut Sources::new(root), style)
    }

    /// [`render`](Self::render) with the files already read for other diagnostics of the
    /// report: a report of many diagnostics reads each file once.
    pub fn render_in(&self, sources: &mut Sources<'_>, style: Style) -> String {
        self.render_window(sources, style, WINDOW)
    }

    fn render_window(&self, sources: &mut Sources<'_>, style: Style, window: usize) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level
            .primary_title(self.message.as_str())
            .id(self.code.name());
        let source = (self.line > 0)
            .then(|| sources.window(&self.file, self.line, self.column, window))
            .flatten();
        // The characters cut from the line's start, and the column the renderer will write
        // for the caret, counted in what it was given.
        let mut cut_and_shown = (0, 0);
        let place: Element<'_> = match source {
            Some((text, cut)) => {
                let snippet = Snippet::source(text)
                    .line_start(self.line)
                    .path(self.file.as_str());
                // A known column gets a caret; a whole-line problem underlines the line.
                let span = match self.column {
                    0 => 0..text.len(),
                    column => {
                        let at = text
                            .char_indices()
                            .nth(column - 1 - cut)
                            .map_or(text.len(), |(at, _)| at);
                        let shown = text[..at].chars().count() + 1;
                        cut_and_shown = (cut, shown);
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
        let text = renderer.render(&[group]) + "\n";
        if self.column == 0 && self.line > 0 {
            // The renderer writes a whole-line problem at the line's first column; the
            // location says `file:line`, as `location` and the JSON's column 0 do.
            let line = self.line;
            return text.replacen(
                &format!("{}:{line}:1\n", self.file),
                &format!("{}:{line}\n", self.file),
                1,
            );
        }
        let (cut, shown) = cut_and_shown;
        if cut == 0 {
            return text;
        }
        // The renderer counts the column in what it was given: the location it writes is put
        // back to the column in the file.
        let line = self.line;
        text.replacen(
            &format!("{}:{line}:{shown}", self.file),
            &format!("{}:{line}:{}", self.file, cut + shown),
            1,
        )
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

/// How many characters of a line are shown on each side of the column: more than a terminal
/// shows (the renderer cuts the line again to its width, the same with or without this cut),
/// but not a whole minified line handed to the renderer for every diagnostic on it.
const WINDOW: usize = 256;

/// The files that diagnostics point into, each read once and its lines indexed, so that a
/// report of many diagnostics in one file (thousands of broken links on one line) costs what
/// they show, not a reading of the file each.
pub struct Sources<'r> {
    root: &'r Path,
    files: HashMap<String, Option<Source>>,
}

struct Source {
    text: String,
    /// Where each line starts.
    starts: Vec<usize>,
    /// Where each character starts, in the long lines shown so far, by line.
    chars: HashMap<usize, Vec<usize>>,
}

impl<'r> Sources<'r> {
    /// The files of the site at `root` (diagnostics name their files relative to it).
    pub fn new(root: &'r Path) -> Self {
        Sources {
            root,
            files: HashMap::new(),
        }
    }

    /// Line `line` (1-based) of `file` cut to `window` characters on each side of `column`
    /// (1-based; 0 for the whole line, cut after `2 * window`), and how many characters were cut
    /// from its start; `None` when the file cannot be read or has no such line.
    fn window(
        &mut self,
        file: &str,
        line: usize,
        column: usize,
        window: usize,
    ) -> Option<(&str, usize)> {
        let root = self.root;
        let source = self
            .files
            .entry(file.to_string())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(root.join(file)).ok()?;
                let starts = line_starts(&text);
                Some(Source {
                    text,
                    starts,
                    chars: HashMap::new(),
                })
            })
            .as_mut()?;
        let start = *source.starts.get(line.checked_sub(1)?)?;
        if start == source.text.len() {
            return None;
        }
        let end = source
            .starts
            .get(line)
            .map_or(source.text.len(), |next| next - 1);
        let text = source.text[start..end].trim_end_matches('\r');
        let (first, last) = match column {
            0 => (0, window.saturating_mul(2)),
            c => (
                (c - 1).saturating_sub(window),
                (c - 1).saturating_add(window),
            ),
        };
        // A line short enough in bytes is short enough in characters.
        if first == 0 && text.len() <= last {
            return Some((text, 0));
        }
        let chars = source
            .chars
            .entry(line)
            .or_insert_with(|| text.char_indices().map(|(i, _)| i).collect());
        let from = chars.get(first).map_or(text.len(), |&i| i);
        let to = chars.get(last).map_or(text.len(), |&i| i);
        Some((&text[from..to], first.min(chars.len())))
    }
}

/// Prints warnings on stderr, each as `tebiki build` prints them (with colour on a terminal).
/// A build, `watch` and `serve` all show what a build found.
pub fn eprint_warnings(root: &std::path::Path, warnings: &[Diagnostic]) {
    let style = Style::for_stream(&std::io::stderr());
    let mut sources = Sources::new(root);
    for warning in warnings {
        eprintln!("{}", warning.render_in(&mut sources, style));
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
        LineIndex {
            text,
            starts: line_starts(text),
        }
    }

    /// Line and column (both 1-based, column in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }
}

/// Where each line of `text` starts. A line ends at LF, CRLF or a lone CR, as editors (and
/// the YAML and Markdown readers) break lines; a text without a lone CR, nearly every one, is
/// only scanned for LF.
pub fn line_starts(text: &str) -> Vec<usize> {
    let first = std::iter::once(0);
    if !has_lone_cr(text) {
        return first
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
    }
    let bytes = text.as_bytes();
    first
        .chain(bytes.iter().enumerate().filter_map(|(i, &b)| {
            let breaks = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            breaks.then_some(i + 1)
        }))
        .collect()
}

/// How many line breaks `text` holds, counted as [`line_starts`] counts them.
pub fn count_breaks(text: &str) -> usize {
    let lf = text.matches('\n').count();
    if !text.contains('\r') {
        return lf;
    }
    lf + lone_crs(text).count()
}

/// The lines of `text` without their line breaks (LF, CRLF or a lone CR), like
/// [`str::lines`], which does not break at a lone CR.
pub fn split_lines(text: &str) -> Vec<&str> {
    if !has_lone_cr(text) {
        return text.lines().collect();
    }
    let starts = line_starts(text);
    let mut lines: Vec<&str> = starts
        .iter()
        .zip(starts.iter().skip(1).map(Some).chain([None]))
        .map(|(&start, next)| {
            let end = next.map_or(text.len(), |&n| n - 1);
            text[start..end].trim_end_matches('\r')
        })
        .collect();
    // A text ending in a line break has no empty line after it, as with `str::lines`.
    if starts.last() == Some(&text.len()) {
        lines.pop();
    }
    lines
}

/// Whether `text` breaks a line with a CR not followed by LF (old Mac files, some pastes).
fn has_lone_cr(text: &str) -> bool {
    text.contains('\r') && lone_crs(text).next().is_some()
}

fn lone_crs(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.match_indices('\r')
        .map(|(i, _)| i)
        .filter(|&i| text.as_bytes().get(i + 1) != Some(&b'\n'))
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
    fn a_long_line_is_cut_to_a_window_that_shows_the_same() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cjk = "日本語のリンク".repeat(400);
        let long = format!("{}[^]{}", "x".repeat(3000) + &cjk, "y".repeat(3000));
        let short = "短い行 [x](y.md)";
        std::fs::write(
            dir.path().join("long.md"),
            format!("---\n{long}\n{short}\n"),
        )
        .expect("write");
        let caret = long.chars().position(|c| c == '^').expect("caret") + 1;
        let mut sources = Sources::new(dir.path());
        for (line, column) in [
            (2, caret),
            (2, 1),
            (2, 40),
            (2, 3000 + 5),
            (2, long.chars().count()),
            (2, long.chars().count() + 1),
            (3, 5),
            (3, 0),
        ] {
            let d = Diagnostic::error(Code::BrokenLink, "long.md", "no such page").at(line, column);
            let whole =
                d.render_window(&mut Sources::new(dir.path()), Style::Plain, usize::MAX / 4);
            // The window, with the file read once for every diagnostic of the report: what
            // the renderer shows of the whole line.
            let cut = d.render_in(&mut sources, Style::Plain);
            assert!(cut == whole, "{line}:{column}: {cut}");
        }
        // A whole-line problem underlines the line's start, not all of a minified line.
        let d = Diagnostic::error(Code::BrokenLink, "long.md", "no such page").at(2, 0);
        let text = d.render_in(&mut sources, Style::Plain);
        assert!(text.contains("--> long.md:2\n"), "{text}");
        assert!(text.lines().all(|l| l.chars().count() < 1000), "{text}");
        let d = Diagnostic::error(Code::BrokenLink, "long.md", "no such page").at(2, caret);
        let text = d.render_in(&mut sources, Style::Plain);
        assert!(text.contains(&format!("--> long.md:2:{caret}\n")), "{text}");
        // The caret stands under the `^` of the line, wide characters counted as two.
        let width = |l: &str, upto: usize| -> usize {
            l.chars()
                .take(upto)
                .map(|c| if c.is_ascii() { 1 } else { 2 })
                .sum()
        };
        let source = text.lines().find(|l| l.contains("[^]")).expect("source");
        let under = text
            .lines()
            .find(|l| l.trim_end().ends_with('^') && !l.contains('['))
            .expect("caret line");
        let at = source.chars().position(|c| c == '^').expect("^");
        assert_eq!(
            width(source, at),
            width(under, under.chars().position(|c| c == '^').expect("caret")),
            "{text}"
        );
        assert!(source.contains("リンク[^]yyy"), "{text}");
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

    #[test]
    fn a_lone_cr_breaks_a_line_as_editors_show_it() {
        let text = "a\rb\r\nc\nd\r[x]";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text.find('b').unwrap()), (2, 1));
        assert_eq!(index.line_col(text.find('c').unwrap()), (3, 1));
        assert_eq!(index.line_col(text.find('[').unwrap()), (5, 1));
        assert_eq!(count_breaks(text), 4);
        assert_eq!(split_lines(text), ["a", "b", "c", "d", "[x]"]);
        assert_eq!(split_lines("a\rb\r"), ["a", "b"]);
        assert_eq!(split_lines("a\r\nb\n"), ["a", "b"]);
        assert_eq!(count_breaks("a\r\nb\n"), 2);
    }
}
