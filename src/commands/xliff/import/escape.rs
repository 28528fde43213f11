//! Escaping a target's text so that it stays inside the block it translates: no line of it
//! may start another block, end the one it is in, or leave a table cell.

/// Appends a target's text to the Markdown being rebuilt, keeping the block the unit is: a
/// target's text is Markdown text as the source's is (an export writes the source as written,
/// escapes included), but what would change the page's structure is made harmless. A heading or
/// table cell stays on one line, a `|` in a cell stays in the cell; in a paragraph or list item
/// a blank line (which would end the block) is folded away, no line starts with the 4 spaces of
/// indented code, and a line may not start another block: a list item, heading, quote, code
/// fence, HTML block, link reference definition, thematic break or setext underline, or a
/// table's delimiter row. `kind` is the unit's; front matter values, kind `""`, are written as
/// strings and need none.
pub(super) fn escape_target_text(text: &str, kind: &str, out: &mut String) {
    if kind.is_empty() {
        out.push_str(text);
        return;
    }
    // A carriage return ends a line in Markdown as a line feed does.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let one_line = matches!(kind, "heading" | "table cell");
    let text = if one_line {
        // Each line break, with the spaces around it, becomes one space.
        let mut joined = String::with_capacity(text.len());
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                joined.truncate(joined.trim_end_matches([' ', '\t']).len());
                joined.push(' ');
                joined.push_str(line.trim_start_matches([' ', '\t']));
            } else {
                joined.push_str(line);
            }
        }
        joined
    } else {
        text
    };
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            // A line with nothing on it yet (the unit's start, or a blank line) is not ended:
            // a blank line would end the paragraph or list item.
            let line_start = out.rfind('\n').map_or(0, |n| n + 1);
            if out[line_start..].trim_matches([' ', '\t']).is_empty() {
                out.truncate(line_start);
            } else {
                out.push('\n');
            }
        }
        let mut rest = line;
        if out.is_empty() || out.ends_with('\n') {
            // Spaces at a line's start mean nothing in a paragraph, but four make code.
            rest = rest.trim_start_matches([' ', '\t']);
            escape_block_start(rest, out);
            if let Some(digits) = ordered_marker(rest) {
                out.push_str(&rest[..digits]);
                out.push('\\');
                rest = &rest[digits..];
            }
        }
        let mut escaped = false;
        for c in rest.chars() {
            if c == '|' && kind == "table cell" && !escaped {
                out.push('\\');
            }
            escaped = c == '\\' && !escaped;
            out.push(c);
        }
    }
}

/// Whether `line[at..]` is the end of a list marker or heading mark: a space, a tab or the
/// end. The end of a text may be followed by a code's markup on the same line, which an escape
/// there cannot harm.
fn marker_end(line: &str, at: usize) -> bool {
    matches!(line.as_bytes().get(at), None | Some(b' ' | b'\t'))
}

/// The number of digits of an ordered list's marker (`1.`, `2)`) that `line` starts with: up
/// to nine digits, then `.` or `)` and a space, a tab or the end (`26.7%` is none).
fn ordered_marker(line: &str) -> Option<usize> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    ((1..=9).contains(&digits)
        && matches!(line.as_bytes().get(digits), Some(b'.' | b')'))
        && marker_end(line, digits + 1))
    .then_some(digits)
}

/// Pushes a `\\` when `line`, at the start of a line, would start a block of its own (an
/// ordered list's marker is escaped after its digits, by the caller).
fn escape_block_start(line: &str, out: &mut String) {
    let bytes = line.as_bytes();
    let only = |allowed: &[u8]| bytes.iter().all(|b| allowed.contains(b));
    // Three or more of `mark` and nothing else but spaces: a thematic break.
    let rule =
        |mark: u8| only(&[mark, b' ', b'\t']) && bytes.iter().filter(|&&b| b == mark).count() >= 3;
    // `mark`s and spaces after them only: a setext heading's underline.
    let underline = |mark: u8| {
        line.trim_end_matches([' ', '\t'])
            .bytes()
            .all(|b| b == mark)
    };
    let opens = match bytes.first() {
        Some(b'>') => true,
        // A heading: one to six `#` and a space, a tab or the end (`#1` is text).
        Some(b'#') => {
            let marks = bytes.iter().take_while(|&&b| b == b'#').count();
            marks <= 6 && marker_end(line, marks)
        }
        // A list item (`- `, `+ `, `* `), a thematic break, a setext underline (`--`, `==`).
        Some(b'-' | b'+' | b'*') if marker_end(line, 1) => true,
        Some(&mark @ (b'-' | b'*' | b'_')) if rule(mark) => true,
        Some(&mark @ (b'-' | b'=')) if underline(mark) => true,
        // A table's delimiter row (`|---|`, `:--|--`, `-|-`).
        Some(b'-') => only(b"|-: \t") && bytes.contains(&b'|'),
        // Code fence.
        Some(b'`') => line.starts_with("```"),
        Some(b'~') => line.starts_with("~~~"),
        // HTML block: a tag, a closing tag, a comment, a declaration, a processing instruction.
        Some(b'<') => bytes
            .get(1)
            .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?')),
        // Link reference or footnote definition: `[label]:`.
        Some(b'[') => line[1..]
            .find(']')
            .is_some_and(|end| line[1 + end + 1..].starts_with(':')),
        // A table's delimiter row (`|---|`, `:--|--`).
        Some(b'|' | b':') => only(b"|-: \t") && bytes.contains(&b'-'),
        _ => false,
    };
    if opens {
        out.push('\\');
    }
}
