//! Tables: each wrapped in a box that scrolls on a phone and is named by its header row, and
//! each cell classed by how much it holds, so a column shares out the width it needs.

use pulldown_cmark::{Alignment, Event, Tag, TagEnd};

use super::text::is_cjk_or_wide;

/// The widest text, in [`text_width`]'s units, that a table cell holds on one line: 8
/// Japanese characters (`2025年12月19日`, `AI戦略本部`) or 16 Latin letters and spaces
/// (`19 December 2025`).
const SHORT_CELL: usize = 16;

/// The narrowest text, in [`text_width`]'s units, of a table cell of running text: 20
/// Japanese characters or 40 Latin letters and spaces.
const LONG_CELL: usize = 40;

/// The width of `text` in half-width units: a Chinese, Japanese or Korean character (full-width)
/// counts two, any other one.
fn text_width(text: &str) -> usize {
    text.chars()
        .map(|c| if is_cjk_or_wide(c) { 2 } else { 1 })
        .sum()
}

/// The open table, as its events are read: the wrapper to write when it ends, and the cell
/// being measured.
#[derive(Default)]
pub(super) struct TableState {
    /// The open table's wrapper (its event index) and the texts of its header cells so far.
    wrapper: Option<(usize, Vec<String>)>,
    /// Whether the cells being read are the header row's.
    in_head: bool,
    /// The open table's column alignments.
    alignments: Vec<Alignment>,
    /// The place of the open cell in its row.
    column: usize,
    /// The open cell: its start event's index and the width of its text so far
    /// ([`text_width`]).
    cell: Option<(usize, usize)>,
}

impl TableState {
    /// Sees every event, in a table or not: measures the open cell's text and gathers the
    /// header row's.
    pub(super) fn observe(&mut self, event: &Event<'_>) {
        if let Some((_, width)) = &mut self.cell {
            match event {
                Event::Text(t) | Event::Code(t) => *width = width.saturating_add(text_width(t)),
                // An image's size is not known: the cell is not counted as short.
                Event::Start(Tag::Image { .. }) => *width = usize::MAX / 2,
                _ => {}
            }
        }
        if self.in_head
            && let Some((_, head)) = &mut self.wrapper
        {
            match event {
                Event::Start(Tag::TableCell) => head.push(String::new()),
                Event::Text(t) | Event::Code(t) => {
                    if let Some(cell) = head.last_mut() {
                        cell.push_str(t);
                    }
                }
                _ => {}
            }
        }
    }

    /// Opens a table, with a placeholder for its wrapper.
    pub(super) fn start<'a>(&mut self, aligned: Vec<Alignment>, events: &mut Vec<Event<'a>>) {
        // Written when the table ends, named by its header row.
        self.wrapper = Some((events.len(), Vec::new()));
        self.alignments.clone_from(&aligned);
        events.push(Event::Html(String::new().into()));
        events.push(Event::Start(Tag::Table(aligned)));
    }

    pub(super) fn start_head(&mut self) {
        self.in_head = true;
        self.column = 0;
    }

    pub(super) fn start_row(&mut self) {
        self.column = 0;
    }

    /// Opens a cell whose start event will be at index `at`.
    pub(super) fn start_cell(&mut self, at: usize) {
        self.cell = Some((at, 0));
    }

    /// Closes the open cell, classing it by the width of its text.
    pub(super) fn end_cell(&mut self, events: &mut [Event<'_>]) {
        // A table shares its width out by what its columns hold: a short cell (a date,
        // a name, a number) is marked to stay on one line, which a long column of
        // text would otherwise break (`2025年6月` / `4日`), and a cell of running text
        // to keep a width to read in.
        let class = match self.cell.take() {
            Some((at, width)) if width <= SHORT_CELL => Some((at, "short")),
            Some((at, width)) if width >= LONG_CELL => Some((at, "long")),
            _ => None,
        };
        if let Some((at, class)) = class {
            let name = if self.in_head { "th" } else { "td" };
            let align = match self.alignments.get(self.column) {
                Some(Alignment::Left) => " style=\"text-align: left\"",
                Some(Alignment::Center) => " style=\"text-align: center\"",
                Some(Alignment::Right) => " style=\"text-align: right\"",
                _ => "",
            };
            events[at] = Event::Html(format!("<{name} class=\"{class}\"{align}>").into());
        }
        self.column += 1;
    }

    pub(super) fn end_head(&mut self) {
        self.in_head = false;
    }

    /// Closes the table and writes its wrapper, its header cells listed in the page's
    /// language `lang`.
    pub(super) fn end(&mut self, events: &mut Vec<Event<'_>>, lang: &str) {
        // Focusable, so a keyboard can scroll a table wider than a phone's screen; a
        // region named by its columns (`Step, When`), as a screen reader announces a
        // focusable box by its role and name.
        if let Some((at, head)) = self.wrapper.take() {
            let cells: Vec<&str> = head
                .iter()
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect();
            // Listed as a reader of the page lists: 、 in Japanese and Chinese.
            let sep = if lang.starts_with("ja") || lang.starts_with("zh") {
                "、"
            } else {
                ", "
            };
            let name = cells.join(sep);
            events[at] = Event::Html(
                if name.is_empty() {
                    "<div class=\"table-wrap\" tabindex=\"0\">\n".to_string()
                } else {
                    format!(
                        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">\n",
                        crate::pipeline::escape::escape(&name)
                    )
                }
                .into(),
            );
        }
        events.push(Event::End(TagEnd::Table));
        events.push(Event::Html("</div>\n".into()));
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::markdown::render_plain;

    /// A cell of a few words (a date, a name) or none is marked `short`, which the theme keeps
    /// on one line, a cell of running text `long`, one between neither; alignments stay on
    /// every cell.
    #[test]
    fn short_table_cells_are_marked() {
        let r = render_plain(
            "| 日付 | 出来事 | Source |\n|---|---|--:|\n| 2025年6月4日 | 日本がG7議長国を務めるなかで広島AIプロセスが始動した | `Long article` |\n| | A longer sentence that runs on and on and on. | 3 |\n| 2025年、本部の発足時 | A sentence of medium length. | 4 |\n",
        );
        let html = r.html.as_str();
        for part in [
            "<tr><th class=\"short\">日付</th><th class=\"short\">出来事</th><th class=\"short\" style=\"text-align: right\">Source</th></tr>",
            "<tr><td class=\"short\">2025年6月4日</td><td class=\"long\">日本がG7",
            "</td><td class=\"short\" style=\"text-align: right\"><code>Long article</code></td></tr>",
            "<tr><td class=\"short\"></td><td class=\"long\">A longer sentence that runs on and on and on.</td><td class=\"short\" style=\"text-align: right\">3</td></tr>",
            "<tr><td>2025年、本部の発足時</td><td>A sentence of medium length.</td><td class=\"short\" style=\"text-align: right\">4</td></tr>",
        ] {
            assert!(html.contains(part), "{part}\n{html}");
        }
    }

    #[test]
    fn tables_are_wrapped_and_gfm_works() {
        let r = render_plain(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ and a note[^1]\n\n[^1]: The note.\n\n- [x] done\n",
        );
        assert!(r.html.as_str().starts_with(
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"a, b\">\n<table>"
        ));
        assert!(r.html.as_str().contains("</table>\n</div>"));
        // Empty header cells are left out of the name; Japanese columns are listed with 、.
        let ja = render_plain("| | 2025年 | 2026年 |\n|---|---|---|\n| 予算 | 1 | 2 |\n");
        assert!(
            ja.html
                .as_str()
                .starts_with("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"2025年, 2026年\">"),
            "{}",
            ja.html.as_str()
        );
        assert!(r.html.as_str().contains("<del>old</del>"));
        assert!(r.html.as_str().contains("footnote-definition"));
        assert!(r.html.as_str().contains("type=\"checkbox\""));
    }
}
