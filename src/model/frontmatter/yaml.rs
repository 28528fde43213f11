//! YAML front matter loaded from the parser's events, with the limits that keep hostile input
//! cheap: no aliases, no key twice, bounded nesting.

use std::collections::HashMap;

use gray_matter::Pod;

/// How deeply front matter may nest lists and tables: far more than any page needs, and few
/// enough that nothing built from it gets deep.
const MAX_DEPTH: usize = 32;

/// Why YAML front matter could not be loaded, at a line and column of the front matter
/// (1-based).
#[derive(Debug, PartialEq)]
pub struct YamlProblem {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub suggestion: Option<String>,
}

/// Loads YAML front matter (its first document) into gray_matter's [`Pod`], from the event
/// stream of yaml-rust2 (the parser gray_matter's own YAML engine uses, whose loader this
/// replaces). Refused, each at its place: an alias (`*name`), which that loader expanded by
/// copying, so that a few hundred bytes of nested aliases grew to gigabytes; a key written
/// twice in one table; nesting deeper than 32 levels. Values are typed as that loader
/// types them (plain `3` an integer, `"3"` a string, `!!int`, `~`, `true`…) and keys become
/// strings as gray_matter makes them. Time and memory are linear in the text.
pub fn load_yaml(matter: &str) -> Result<Pod, YamlProblem> {
    use yaml_rust2::parser::{Event, Parser};
    use yaml_rust2::scanner::Marker;

    enum Frame {
        Sequence(Vec<Pod>),
        Mapping {
            map: HashMap<String, Pod>,
            /// The key read and waiting for its value: `None` before it, `Some(None)` for a
            /// key gray_matter cannot name (a list or table used as a key: the entry is left
            /// out, as gray_matter leaves it out).
            key: Option<Option<String>>,
        },
    }
    let problem = |mark: &Marker, message: String, suggestion: &str| YamlProblem {
        line: mark.line().max(1),
        column: mark.col() + 1,
        message,
        suggestion: Some(suggestion.to_string()),
    };
    // The YAML reader takes a NUL for the end of its input and would drop the rest of the
    // front matter without a word.
    if let Some(at) = matter.find('\0') {
        let before = &matter[..at];
        let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        return Err(YamlProblem {
            line: crate::diag::count_breaks(before) + 1,
            column: before[line_start..].chars().count() + 1,
            message: "the front matter holds a NUL character (U+0000), which YAML does not allow"
                .to_string(),
            suggestion: Some(
                "delete it: a NUL comes from a damaged file or text pasted from a binary one"
                    .to_string(),
            ),
        });
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut parser = Parser::new_from_str(matter);
    loop {
        let (event, mark) = parser.next_token().map_err(|e| scan_problem(matter, &e))?;
        // The node this event completes, with the name it has if it is a key.
        let (value, name) = match event {
            Event::StreamEnd => return Ok(Pod::Null),
            Event::Alias(_) => {
                return Err(problem(
                    &mark,
                    "YAML aliases (`*name`) are not allowed in front matter".to_string(),
                    "write the value out in full where it is used (anchors and aliases are refused so that a page cannot expand to gigabytes)",
                ));
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(problem(
                        &mark,
                        format!(
                            "front matter nests lists and tables more than {MAX_DEPTH} levels deep"
                        ),
                        "flatten the value; pages need only a few levels",
                    ));
                }
                stack.push(match event {
                    Event::SequenceStart(..) => Frame::Sequence(Vec::new()),
                    _ => Frame::Mapping {
                        map: HashMap::new(),
                        key: None,
                    },
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Sequence(items)) => (Pod::Array(items), None),
                Some(Frame::Mapping { map, .. }) => (Pod::Hash(map), None),
                None => continue,
            },
            Event::Scalar(text, style, _, tag) => yaml_scalar(text, style, tag),
            _ => continue,
        };
        match stack.last_mut() {
            None => return Ok(value), // the first document is the front matter
            Some(Frame::Sequence(items)) => items.push(value),
            Some(Frame::Mapping { map, key }) => match key.take() {
                None => {
                    if let Some(name) = &name
                        && map.contains_key(name)
                    {
                        return Err(problem(
                            &mark,
                            format!("duplicate key `{name}`"),
                            "each key may appear once in a table; remove or rename one of them",
                        ));
                    }
                    *key = Some(name);
                }
                Some(Some(name)) => {
                    map.insert(name, value);
                }
                Some(None) => {}
            },
        }
    }
}

/// A YAML reader's error at the line an editor shows for it. The reader notices a key
/// without its `:` (`foo bar`) only on the next line, and an unclosed `[` or `{` only at the
/// end of the front matter (the closing `---` in the file): both are put back on the last
/// line with text before the place it stopped, where the mistake is.
fn scan_problem(matter: &str, e: &yaml_rust2::ScanError) -> YamlProblem {
    let mark = e.marker();
    let (mut line, mut column) = (mark.line().max(1), mark.col() + 1);
    let missing_colon = e.info() == "simple key expect ':'";
    let lines = crate::diag::split_lines(matter);
    let at_end = line > lines.len();
    let mut message = format!("YAML front matter is malformed: {}", e.info());
    let mut suggestion = None;
    if missing_colon || at_end {
        let before = lines.get(..line.saturating_sub(1).min(lines.len()));
        let written = before.and_then(|before| {
            before.iter().enumerate().rev().find(|(_, l)| {
                let l = l.trim();
                !l.is_empty() && !l.starts_with('#')
            })
        });
        if let Some((i, text)) = written {
            line = i + 1;
            column = if missing_colon {
                text.chars().take_while(|c| c.is_whitespace()).count() + 1
            } else {
                text.trim_end().chars().count() + 1
            };
        }
        if missing_colon {
            message = "YAML front matter is malformed: this line is not `key: value` (the `:` after the key is missing)".to_string();
            suggestion = Some("write `key: value`; to continue the value of the line above, indent this line or quote the value".to_string());
        }
    }
    YamlProblem {
        line,
        column,
        message,
        suggestion,
    }
}

/// A scalar typed as yaml-rust2's loader types it and converted as gray_matter converts it,
/// with the name it has as a mapping key.
fn yaml_scalar(
    text: String,
    style: yaml_rust2::scanner::TScalarStyle,
    tag: Option<yaml_rust2::parser::Tag>,
) -> (Pod, Option<String>) {
    use yaml_rust2::Yaml;
    let yaml = if style != yaml_rust2::scanner::TScalarStyle::Plain {
        Yaml::String(text)
    } else {
        match tag {
            Some(tag) if tag.handle == "tag:yaml.org,2002:" => match tag.suffix.as_str() {
                "bool" => match text.as_str() {
                    "true" | "True" | "TRUE" => Yaml::Boolean(true),
                    "false" | "False" | "FALSE" => Yaml::Boolean(false),
                    _ => Yaml::BadValue,
                },
                "int" => text.parse().map_or(Yaml::BadValue, Yaml::Integer),
                "float" => match Yaml::from_str(&text) {
                    Yaml::Real(r) => Yaml::Real(r),
                    Yaml::Integer(_) => Yaml::Real(text),
                    _ => Yaml::BadValue,
                },
                "null" => Yaml::Null,
                _ => Yaml::String(text),
            },
            Some(_) => Yaml::String(text),
            None => Yaml::from_str(&text),
        }
    };
    match yaml {
        Yaml::Real(r) => (Pod::Float(r.parse().unwrap_or(0.0)), Some(r)),
        Yaml::Integer(i) => (Pod::Integer(i), Some(i.to_string())),
        Yaml::String(s) => (Pod::String(s.clone()), Some(s)),
        Yaml::Boolean(b) => (Pod::Boolean(b), Some(b.to_string())),
        Yaml::Null => (Pod::Null, Some("null".to_string())),
        _ => (Pod::Null, None),
    }
}

/// Where one entry of a front matter list was written: its start and each of its keys, as
/// (line, column), both 1-based.
#[derive(Debug, Default, PartialEq)]
pub struct EntryPlace {
    pub at: (usize, usize),
    pub keys: HashMap<String, (usize, usize)>,
}

/// The places of the entries of the top-level list `key` in YAML front matter, in order,
/// from the parser's positions: the loaded values carry none, and searching the text for a
/// value finds the wrong entry when one lacks it. An entry that is a table starts at its
/// first key.
pub fn list_places(matter: &str, key: &str) -> Vec<EntryPlace> {
    use yaml_rust2::parser::{Event, Parser};

    /// An open list or table, and for a table whether its next node is a key.
    struct Frame {
        mapping: bool,
        next_is_key: bool,
    }
    /// A node is complete: the table holding it now expects the other of key and value.
    fn done(stack: &mut [Frame]) {
        if let Some(frame) = stack.last_mut()
            && frame.mapping
        {
            frame.next_is_key = !frame.next_is_key;
        }
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut places: Vec<EntryPlace> = Vec::new();
    // The last top-level key read was `key`; then, whether its list is open.
    let mut is_target = false;
    let mut in_list = false;
    let mut parser = Parser::new_from_str(matter);
    while let Ok((event, mark)) = parser.next_token() {
        let at = (mark.line().max(1), mark.col() + 1);
        let is_key = stack.last().is_some_and(|f| f.mapping && f.next_is_key);
        // Top level is depth 1, the list's entries are nodes at depth 2, their keys at 3.
        let depth = stack.len();
        match event {
            Event::Scalar(text, ..) => {
                if depth == 1 && is_key {
                    is_target = text == key;
                } else if in_list && depth == 2 {
                    places.push(EntryPlace {
                        at,
                        keys: HashMap::new(),
                    });
                } else if in_list
                    && depth == 3
                    && is_key
                    && let Some(entry) = places.last_mut()
                {
                    if entry.keys.is_empty() {
                        entry.at = at;
                    }
                    entry.keys.entry(text).or_insert(at);
                }
                done(&mut stack);
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let mapping = matches!(event, Event::MappingStart(..));
                if depth == 1 && !is_key && is_target && !mapping {
                    in_list = true;
                } else if in_list && depth == 2 {
                    places.push(EntryPlace {
                        at,
                        keys: HashMap::new(),
                    });
                }
                stack.push(Frame {
                    mapping,
                    next_is_key: true,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                stack.pop();
                if in_list && stack.len() == 1 {
                    break;
                }
                done(&mut stack);
            }
            Event::DocumentEnd | Event::StreamEnd => break,
            _ => {}
        }
    }
    places
}
