//! Ids for headings and footnotes, unique on the page: made from a heading's text by the
//! site's rule, given a suffix where the page already has them.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, Tag};

use crate::model::config::HeadingIds;
use crate::model::slug::{github_heading_id, slugify};

/// A heading's id, by `rule`; never empty (`section` then). The GitHub rule keeps an id of
/// digits only as it is, so links written on GitHub work; tebiki's own prefixes it with `h-`
/// (which some CSS selectors handle better).
pub(super) fn heading_slug(text: &str, rule: HeadingIds) -> String {
    if rule == HeadingIds::Github {
        let id = github_heading_id(text);
        return if id.is_empty() {
            "section".to_string()
        } else {
            id
        };
    }
    let slug = slugify(text);
    if slug.is_empty() {
        "section".to_string()
    } else if slug.chars().all(|c| c.is_ascii_digit() || c == '-') {
        format!("h-{slug}")
    } else {
        slug
    }
}

/// The ids given so far on a page, and for each id that was taken, the suffix to try next.
#[derive(Default)]
pub(super) struct Ids<'a> {
    seen: HashSet<String>,
    next: HashMap<String, usize>,
    /// Ids the page has outside its body, sorted.
    taken: &'a [String],
}

impl<'a> Ids<'a> {
    /// No id given yet; those in `taken` (sorted), the page's outside its body, never are.
    pub(super) fn new(taken: &'a [String]) -> Self {
        Ids {
            taken,
            ..Ids::default()
        }
    }

    /// Whether `id` was free, and is now given.
    fn give(&mut self, id: &str) -> bool {
        self.taken.binary_search_by(|t| t.as_str().cmp(id)).is_err()
            && self.seen.insert(id.to_string())
    }
}

/// A footnote's id is its label (`[^1]` → `id="1"`), which a heading or the theme may have
/// already: such a footnote gets the next free id, in its references and its definition alike.
/// A second definition of a label (an error, reported as it was read) gets an id of its own.
pub(super) fn relabel_footnotes(events: &mut [Event<'_>], ids: &mut Ids) {
    let mut labels: HashMap<String, String> = HashMap::new();
    let mut defined: HashSet<String> = HashSet::new();
    for event in events {
        let (id, label) = match event {
            Event::FootnoteReference(label) => (labels.get(label.as_ref()).cloned(), label),
            Event::Start(Tag::FootnoteDefinition(label)) if !defined.insert(label.to_string()) => {
                (Some(unique_id(label.to_string(), ids)), label)
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                (labels.get(label.as_ref()).cloned(), label)
            }
            _ => continue,
        };
        let id = id.unwrap_or_else(|| {
            let id = unique_id(label.to_string(), ids);
            labels.insert(label.to_string(), id.clone());
            id
        });
        if **label != *id {
            *label = CowStr::from(id);
        }
    }
}

/// `id` if no heading on the page has it yet, else `id-N` with the smallest free N (`same`,
/// `same-1`, `same-2`, …). Each id remembers where its search stopped: every `id-K` below it
/// is taken and stays taken, so starting there gives the same answer, and a page of n equal
/// headings costs O(n) rather than O(n²).
pub(super) fn unique_id(id: String, ids: &mut Ids) -> String {
    if ids.give(&id) {
        return id;
    }
    let mut next = ids.next.get(&id).copied().unwrap_or(1);
    loop {
        let candidate = format!("{id}-{next}");
        next += 1;
        if ids.give(&candidate) {
            ids.next.insert(id, next);
            return candidate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::markdown::{LinkRewrite, Links, render, render_plain};

    #[test]
    fn heading_ids_keep_japanese_and_are_unique() {
        let r = render_plain(
            "## AI推進法の概要\n\n## Overview\n\n## Overview\n\n## 2025\n\n## 「」\n\n### Custom {#mine}\n",
        );
        let ids: Vec<_> = r.ids.iter().map(String::as_str).collect();
        assert_eq!(
            ids,
            [
                "ai推進法の概要",
                "overview",
                "overview-1",
                "2025",
                "section",
                "mine"
            ]
        );
        assert!(
            r.html
                .as_str()
                .contains("<h2 id=\"ai推進法の概要\">AI推進法の概要</h2>")
        );
        assert_eq!(r.toc.len(), 6);
        assert_eq!(r.toc[5].level, 3);
        assert_eq!(r.toc[5].title, "Custom");
    }

    #[test]
    fn tebiki_heading_ids_collapse_punctuation() {
        struct Tebiki;
        impl Links for Tebiki {
            fn link(&mut self, _: &str, _: &str, _: usize) -> Option<LinkRewrite> {
                None
            }
            fn heading_ids(&self) -> HeadingIds {
                HeadingIds::Tebiki
            }
        }
        let r = render(
            "## macro_rules\n\n## 「重要」なポイント\n\n## A & B\n\n## 2025\n",
            &mut Tebiki,
        );
        let ids: Vec<_> = r.ids.iter().map(String::as_str).collect();
        assert_eq!(ids, ["macro-rules", "重要-なポイント", "a-b", "h-2025"]);
        let r = render_plain("## macro_rules\n\n## 「重要」なポイント\n\n## A & B\n\n## A & B\n");
        let ids: Vec<_> = r.ids.iter().map(String::as_str).collect();
        assert_eq!(ids, ["macro_rules", "重要なポイント", "a--b", "a--b-1"]);
    }

    #[test]
    fn heading_ids_follow_the_same_rule_as_before() {
        // `a`, `a-1` written by hand, then more `a`s: the suffix skips what is taken, and an
        // id that looks like a suffixed one gets its own suffix.
        let r = render_plain(
            "## A\n\n## A-1\n\n## A\n\n## A\n\n## A-2\n\n### X {#a-4}\n\n## A\n\n## A\n",
        );
        let ids: Vec<_> = r.ids.iter().map(String::as_str).collect();
        assert_eq!(
            ids,
            ["a", "a-1", "a-2", "a-3", "a-2-1", "a-4", "a-5", "a-6"]
        );
    }

    /// The rule as first written (quadratic): the smallest free `id-N`, N from 1.
    fn reference_unique_id(id: String, seen: &mut HashSet<String>) -> String {
        if seen.insert(id.clone()) {
            return id;
        }
        (1..)
            .map(|n| format!("{id}-{n}"))
            .find(|candidate| seen.insert(candidate.clone()))
            .unwrap_or(id)
    }

    #[test]
    fn unique_ids_match_the_reference_rule() {
        let names = ["a", "a-1", "a-2", "a-1-1", "b", "a-3", "b-1", "a-10"];
        let mut state: u32 = 12345;
        for _ in 0..200 {
            let mut ids = Ids::default();
            let mut seen = HashSet::new();
            for _ in 0..40 {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let name = names[(state >> 16) as usize % names.len()].to_string();
                assert_eq!(
                    unique_id(name.clone(), &mut ids),
                    reference_unique_id(name, &mut seen)
                );
            }
        }
    }

    /// A theme whose page has `main` and `search-results` outside the body.
    struct ThemeIds;

    impl Links for ThemeIds {
        fn link(&mut self, _: &str, _: &str, _: usize) -> Option<LinkRewrite> {
            None
        }

        fn taken_ids(&self) -> std::sync::Arc<[String]> {
            ["main".to_string(), "search-results".to_string()].into()
        }
    }

    #[test]
    fn headings_and_footnotes_keep_clear_of_the_themes_ids_and_each_other() {
        let src = "## Main\n\n## Search results\n\n## 1\n\n注[^1]と補足[^注].\n\n[^1]: 一つ目。\n\n[^注]: 二つ目。\n";
        let r = render(src, &mut ThemeIds);
        let ids: Vec<_> = r.ids.iter().map(String::as_str).collect();
        assert_eq!(ids, ["main-1", "search-results-1", "1"]);
        let html = r.html.into_string();
        // The footnote labelled `1` gets the next free id, in its reference and definition.
        assert!(html.contains("<a href=\"#1-1\">1</a>"), "{html}");
        assert!(html.contains("id=\"1-1\""), "{html}");
        assert!(html.contains("<a href=\"#注\">2</a>"), "{html}");
        assert!(html.contains("id=\"注\""), "{html}");
        assert!(
            !html.contains("id=\"main\"") && !html.contains("id=\"1\"><sup"),
            "{html}"
        );
    }

    #[test]
    fn a_footnote_defined_twice_gets_a_second_id_and_is_reported() {
        struct Twice(Vec<(String, usize)>);
        impl Links for Twice {
            fn link(&mut self, _: &str, _: &str, _: usize) -> Option<LinkRewrite> {
                None
            }
            fn duplicate_footnote(&mut self, label: &str, offset: usize) {
                self.0.push((label.to_string(), offset));
            }
        }
        let src = "a[^n]\n\n[^n]: one\n\n[^n]: two\n";
        let mut links = Twice(Vec::new());
        let html = render(src, &mut links).html.into_string();
        assert_eq!(links.0, [("n".to_string(), src.rfind("[^n]:").unwrap())]);
        assert!(html.contains("<a href=\"#n\">1</a>"), "{html}");
        assert!(
            html.contains("id=\"n\"") && html.contains("id=\"n-1\""),
            "{html}"
        );
    }

    #[test]
    fn many_equal_headings_take_linear_time() {
        let n = 16_000;
        let src = "## Same\n\n".repeat(n);
        let started = std::time::Instant::now();
        let r = render_plain(&src);
        // Quadratic assignment took seconds here; linear takes milliseconds even unoptimised.
        assert!(
            started.elapsed().as_millis() < 1500,
            "{:?}",
            started.elapsed()
        );
        assert_eq!(r.ids.len(), n);
        assert_eq!(r.ids[0], "same");
        assert_eq!(r.ids[1], "same-1");
        assert_eq!(r.ids[n - 1], format!("same-{}", n - 1));
        let unique: HashSet<&String> = r.ids.iter().collect();
        assert_eq!(unique.len(), n);
    }
}
