//! Mapping front matter values back to the lines and columns where the file wrote them.

use std::cell::OnceCell;
use std::collections::HashMap;

use toml::de::{DeTable, DeValue};

use super::Format;
use super::yaml::{EntryPlace, list_places};
use crate::diag::LineIndex;

/// Where the entries of a top-level list (`sources`, `changes`) and their keys were written,
/// as file line and column. Read from the parser, so that each entry's problem is reported at
/// that entry, and only once a problem is found: most pages have none.
pub(super) struct Entries<'a> {
    pub(super) format: Format,
    pub(super) matter: &'a str,
    pub(super) key: &'a str,
    /// The file line of the front matter's first line.
    pub(super) first_line: usize,
    /// The file line of the list's key, where a place that cannot be found is reported.
    pub(super) key_line: usize,
    pub(super) places: OnceCell<Vec<EntryPlace>>,
}

impl Entries<'_> {
    fn place(&self, i: usize, field: Option<&str>) -> (usize, usize) {
        let places = self.places.get_or_init(|| match self.format {
            Format::Yaml => list_places(self.matter, self.key),
            Format::Toml => toml_list_places(self.matter, self.key),
        });
        let Some(entry) = places.get(i) else {
            return (self.key_line, 1);
        };
        let (line, column) = field
            .and_then(|f| entry.keys.get(f))
            .copied()
            .unwrap_or(entry.at);
        (self.first_line + line - 1, column)
    }

    /// Where entry `i` starts.
    pub(super) fn entry(&self, i: usize) -> (usize, usize) {
        self.place(i, None)
    }

    /// Where `field` of entry `i` is written, else where the entry starts.
    pub(super) fn field(&self, i: usize, field: &str) -> (usize, usize) {
        self.place(i, Some(field))
    }
}

/// [`list_places`] for TOML front matter: `[[key]]` tables start at their header, inline
/// tables at their `{`.
pub(super) fn toml_list_places(matter: &str, key: &str) -> Vec<EntryPlace> {
    let Ok(doc) = DeTable::parse(matter) else {
        return Vec::new();
    };
    let Some(DeValue::Array(items)) = doc
        .get_ref()
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v.get_ref())
    else {
        return Vec::new();
    };
    let index = LineIndex::new(matter);
    items
        .iter()
        .map(|item| EntryPlace {
            at: index.line_col(item.span().start),
            keys: match item.get_ref() {
                DeValue::Table(table) => table
                    .iter()
                    .map(|(k, _)| (k.get_ref().to_string(), index.line_col(k.span().start)))
                    .collect(),
                _ => HashMap::new(),
            },
        })
        .collect()
}

/// Pulls the line, column and message out of the toml engine's error text, which starts with
/// "TOML parse error at line L, column C" and puts the explanation on its last line.
pub(super) fn toml_error(text: &str) -> (usize, usize, String) {
    let number_after = |s: &str, word: &str| -> Option<usize> {
        let at = s.find(word)? + word.len();
        s[at..]
            .trim_start()
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    };
    let line = number_after(text, "at line ").unwrap_or(1);
    let col = number_after(text, "column ").unwrap_or(1);
    let message = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('|'))
        .unwrap_or(text)
        .trim();
    (line, col, message.to_string())
}

/// Finds the file lines where keys and values were written in front matter text.
pub(super) struct LineFinder<'a> {
    lines: Vec<&'a str>,
    first_line: usize,
    /// The file line of each key written at the start of a line (top-level keys), found in
    /// one pass so that looking up every key of a file is not quadratic.
    top_level: HashMap<&'a str, usize>,
}

impl<'a> LineFinder<'a> {
    /// `toml`: the front matter is TOML, where a table header (`[extra]`, `[[extra]]`) or a
    /// dotted key (`extra.note = …`) also defines its first key.
    pub(super) fn new(matter: &'a str, first_line: usize, toml: bool) -> Self {
        let lines = crate::diag::split_lines(matter);
        let mut top_level = HashMap::new();
        for (i, line) in lines.iter().enumerate() {
            if toml && line.starts_with('[') {
                let name = line.trim_start_matches('[');
                let end = name.find([']', '.']).unwrap_or(name.len());
                let key = name[..end].trim().trim_matches(['"', '\'']);
                top_level.entry(key).or_insert(first_line + i);
                continue;
            }
            if line.starts_with(|c: char| c.is_whitespace() || matches!(c, '-' | '#' | '[')) {
                continue;
            }
            if let Some(end) = line.find([':', '=']) {
                let key = line[..end].trim().trim_matches(['"', '\'']);
                top_level.entry(key).or_insert(first_line + i);
                if toml && let Some((first, _)) = key.split_once('.') {
                    top_level
                        .entry(first.trim().trim_matches(['"', '\'']))
                        .or_insert(first_line + i);
                }
            }
        }
        LineFinder {
            lines,
            first_line,
            top_level,
        }
    }

    /// The 1-based column (in characters) of `text` on file line `line`, 1 if it is not there.
    pub(super) fn column_of(&self, line: usize, text: &str) -> usize {
        line.checked_sub(self.first_line)
            .and_then(|i| self.lines.get(i))
            .and_then(|l| l.find(text).map(|at| l[..at].chars().count() + 1))
            .unwrap_or(1)
    }

    /// The first line at or after file line `after` that defines `key` (`key:` in YAML,
    /// `key =` in TOML, possibly as a list item `- key:`), with `after = 0` meaning top level.
    pub(super) fn key(&self, key: &str, after: usize) -> Option<usize> {
        if after == 0
            && let Some(&line) = self.top_level.get(key)
        {
            return Some(line);
        }
        let start = after.saturating_sub(self.first_line);
        self.lines
            .iter()
            .enumerate()
            .skip(start)
            .find_map(|(i, l)| {
                let l = if after == 0 {
                    *l
                } else {
                    l.trim_start().trim_start_matches("- ").trim_start()
                };
                let unquoted = l.trim_start_matches(['"', '\'']);
                let rest = unquoted.strip_prefix(key)?;
                let rest = match l.len() - unquoted.len() {
                    0 => rest,
                    _ => rest.strip_prefix(['"', '\''])?,
                };
                let rest = rest.trim_start();
                (rest.starts_with(':') || rest.starts_with('=')).then_some(self.first_line + i)
            })
    }

    /// The first line at or after file line `after` that contains `value`.
    pub(super) fn value(&self, value: &str, after: usize) -> Option<usize> {
        let start = after.saturating_sub(self.first_line);
        self.lines
            .iter()
            .enumerate()
            .skip(start)
            .find(|(_, l)| l.contains(value))
            .map(|(i, _)| self.first_line + i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_entries_are_found_where_they_start() {
        let yaml = "sources:\n  - title: a\n  - 3\n  -\n    url: u\n  - {date: x}\nother: [1]\n";
        let places = list_places(yaml, "sources");
        let starts: Vec<_> = places.iter().map(|p| p.at).collect();
        assert_eq!(starts, [(2, 5), (3, 5), (5, 5), (6, 6)]);
        assert_eq!(places[3].keys["date"], (6, 6));
        assert!(list_places(yaml, "changes").is_empty());
        let toml = "sources = [{title = \"a\"},\n  {url = \"u\"}]\n";
        let starts: Vec<_> = toml_list_places(toml, "sources")
            .iter()
            .map(|p| p.at)
            .collect();
        assert_eq!(starts, [(1, 12), (2, 3)]);
    }
}
