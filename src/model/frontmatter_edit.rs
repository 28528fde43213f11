//! Sets one top-level front matter key in a file's text and changes nothing else, byte for
//! byte: `tebiki translations mark` and `tebiki new --lang` write `translated_from` (and
//! `draft`) into files a person wrote, with their comments, key order, quoting, BOM and line
//! endings, in YAML or TOML. Every edit is checked by parsing the result: the key must have
//! the new value and every other key must be exactly as before.

use std::collections::HashMap;

use gray_matter::Pod;
use gray_matter::engine::{Engine, TOML};

use crate::model::frontmatter::{self, Format};

/// Returns `text` with top-level `key` set to `literal`, which must be written the same way
/// in YAML and TOML (a double-quoted string without escapes, `true`, a number). An existing
/// one-line value is replaced in place; otherwise a line is added: after the last top-level
/// key in YAML, in TOML after the last key before the first `[table]` (and its blank lines), or at the top of the front matter.
/// Errors are a 1-based line of `text` and a message.
pub fn set_key(text: &str, key: &str, literal: &str) -> Result<String, (usize, String)> {
    let split = frontmatter::split(text)?;
    let Some((format, matter)) = split.matter else {
        return Err((1, "the file has no front matter".to_string()));
    };
    // `matter` is a slice of `text`: its byte offset places the edit.
    let start = matter.as_ptr() as usize - text.as_ptr() as usize;
    let end = start + matter.len();
    let eol = if text[..start].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    // Say what is wrong with YAML front matter, and where (an alias, say, is refused).
    if format == Format::Yaml
        && let Err(problem) = frontmatter::load_yaml(matter)
    {
        let message = match problem.suggestion {
            Some(help) => format!("{}; {help}", problem.message),
            None => problem.message,
        };
        return Err((split.matter_line + problem.line - 1, message));
    }
    let old = parse(format, matter).ok_or_else(|| {
        (
            split.matter_line,
            "the front matter is malformed; fix it first (`tebiki check` shows where)".to_string(),
        )
    })?;
    let sep = match format {
        Format::Yaml => ": ",
        Format::Toml => " = ",
    };
    let expected = parse(format, &format!("{key}{sep}{literal}\n"))
        .and_then(|mut m| m.remove(key))
        .ok_or_else(|| {
            (
                split.matter_line,
                format!("`{literal}` is not a valid value"),
            )
        })?;
    let new_line = format!("{key}{sep}{literal}{eol}");

    let mut candidates = Vec::new();
    if let Some(line) = find_key_line(matter, key, format) {
        match replace_value(matter, line.clone(), format, literal) {
            Some(edited) => candidates.push(edited),
            None => {
                let at = split.matter_line + matter[..line.start].matches('\n').count();
                return Err((
                    at,
                    format!("`{key}` must be written on one line, such as `{key}{sep}{literal}`"),
                ));
            }
        }
    } else {
        let insert_at = match format {
            Format::Yaml => matter.len(),
            Format::Toml => line_starts(matter)
                .find(|&i| matter[i..].trim_start().starts_with('['))
                .unwrap_or(matter.len()),
        };
        candidates.push(format!(
            "{}{new_line}{}",
            &matter[..insert_at],
            &matter[insert_at..]
        ));
        candidates.push(format!("{new_line}{matter}"));
    }
    for candidate in candidates {
        let Some(mut new) = parse(format, &candidate) else {
            continue;
        };
        let mut old = old.clone();
        old.remove(key);
        if new.remove(key).as_ref() == Some(&expected) && new == old {
            return Ok(format!("{}{candidate}{}", &text[..start], &text[end..]));
        }
    }
    Err((
        split.matter_line,
        format!(
            "cannot add `{key}` without changing other keys; add `{key}{sep}{literal}` by hand"
        ),
    ))
}

fn parse(format: Format, matter: &str) -> Option<HashMap<String, Pod>> {
    let pod = match format {
        Format::Yaml => frontmatter::load_yaml(matter).ok(),
        Format::Toml => TOML::parse(matter).ok(),
    }?;
    match pod {
        Pod::Hash(map) => Some(map),
        Pod::Null => Some(HashMap::new()),
        _ => None,
    }
}

/// Byte offsets of the start of every line of `text`.
fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(move |&i| i < text.len())
}

/// The byte range of the line (without its line ending) that sets `key` at the top level.
fn find_key_line(matter: &str, key: &str, format: Format) -> Option<std::ops::Range<usize>> {
    let sep = match format {
        Format::Yaml => ':',
        Format::Toml => '=',
    };
    for start in line_starts(matter) {
        let rest = &matter[start..];
        let line_end = start + rest.find('\n').unwrap_or(rest.len());
        let line = matter[start..line_end].trim_end_matches('\r');
        if format == Format::Toml && line.trim_start().starts_with('[') {
            return None; // keys after a table header belong to that table
        }
        let name = line
            .strip_prefix(key)
            .or_else(|| line.strip_prefix(&format!("\"{key}\"")))
            .or_else(|| line.strip_prefix(&format!("'{key}'")));
        if let Some(after) = name
            && after.trim_start_matches([' ', '\t']).starts_with(sep)
        {
            return Some(start..start + line.len());
        }
    }
    None
}

/// The front matter with the value on `line` replaced by `literal`, keeping the key, the
/// spacing around the separator and a trailing comment. `None` for a value that continues on
/// the next lines.
fn replace_value(
    matter: &str,
    line: std::ops::Range<usize>,
    format: Format,
    literal: &str,
) -> Option<String> {
    let text = &matter[line.clone()];
    let sep = match format {
        Format::Yaml => ':',
        Format::Toml => '=',
    };
    let sep_at = text.find(sep)? + 1;
    let after = &text[sep_at..];
    let value_start = sep_at + (after.len() - after.trim_start_matches([' ', '\t']).len());
    let value = &text[value_start..];
    if value.is_empty() || value.starts_with(['|', '>']) {
        return None;
    }
    let value_len = match value.chars().next() {
        Some(q @ ('"' | '\'')) => value[1..].find(q).map_or(value.len(), |i| i + 2),
        _ => value.find(" #").unwrap_or(value.len()),
    };
    let value_len = value[..value_len].trim_end().len();
    let abs = line.start + value_start;
    Some(format!(
        "{}{literal}{}",
        &matter[..abs],
        &matter[abs + value_len..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "\"0123456789abcdef0123456789abcdef01234567\"";

    #[test]
    fn yaml_key_added_after_the_last_key() {
        let text = "---\ntitle: A # note\nsources:\n  - title: S\n---\nBody\n";
        assert_eq!(
            set_key(text, "translated_from", ID).unwrap(),
            format!(
                "---\ntitle: A # note\nsources:\n  - title: S\ntranslated_from: {ID}\n---\nBody\n"
            )
        );
    }

    #[test]
    fn yaml_value_replaced_in_place_with_comment_kept() {
        let text = "---\ntranslated_from: 'abc'  # old\ntitle: A\n---\n";
        assert_eq!(
            set_key(text, "translated_from", ID).unwrap(),
            format!("---\ntranslated_from: {ID}  # old\ntitle: A\n---\n")
        );
    }

    #[test]
    fn toml_key_goes_before_the_first_table() {
        let text =
            "\u{feff}+++\r\ntitle = \"A\"\r\n\r\n[[sources]]\r\ntitle = \"S\"\r\n+++\r\nBody";
        assert_eq!(
            set_key(text, "translated_from", ID).unwrap(),
            format!(
                "\u{feff}+++\r\ntitle = \"A\"\r\ntranslated_from = {ID}\r\n\r\n[[sources]]\r\ntitle = \"S\"\r\n+++\r\nBody"
            )
        );
    }

    #[test]
    fn toml_key_inside_a_table_is_not_the_top_level_key() {
        let text = "+++\ntitle = \"A\"\n[extra]\ntranslated_from = \"x\"\n+++\n";
        let out = set_key(text, "translated_from", ID).unwrap();
        assert_eq!(
            out,
            format!(
                "+++\ntitle = \"A\"\ntranslated_from = {ID}\n[extra]\ntranslated_from = \"x\"\n+++\n"
            )
        );
    }

    #[test]
    fn multi_line_value_and_missing_front_matter_are_errors() {
        assert!(set_key("---\ntranslated_from:\n  abc\n---\n", "translated_from", ID).is_err());
        assert_eq!(
            set_key("# Title\n", "translated_from", ID).unwrap_err().0,
            1
        );
    }

    #[test]
    fn yaml_aliases_are_refused_before_loading() {
        let text = "---\ntitle: A\na: &a [x, x]\nb: [*a, *a]\n---\n";
        let (line, message) = set_key(text, "translated_from", ID).unwrap_err();
        assert_eq!(line, 4);
        assert!(message.starts_with("YAML aliases"), "{message}");
    }

    #[test]
    fn draft_flag_is_set() {
        assert_eq!(
            set_key("---\ntitle: A\ndraft: false\n---\n", "draft", "true").unwrap(),
            "---\ntitle: A\ndraft: true\n---\n"
        );
    }
}
