//! The build, one module a stage: [`load`] reads files and front matter, [`index`] works out
//! languages, URLs and translations, [`link`] renders Markdown ([`markdown`]) with cross-links
//! and glossary terms ([`glossary`]), [`render`] fills the theme's templates ([`theme`]),
//! [`feeds`] writes the Atom feeds and the sitemap (through [`xml`], which escapes every
//! value), and [`output`] writes a fresh directory and swaps it in. [`claims`] checks that no
//! two of them write one output path. [`build`] runs them in order. [`ids`] types the indices
//! of pages, sections, glossary terms and search documents that pass between them.

pub mod aliases;
pub mod build;
pub mod claims;
pub mod escape;
pub mod feeds;
pub mod glossary;
pub mod hash;
pub mod ids;
pub mod index;
pub mod link;
pub mod load;
pub mod markdown;
pub mod markup;
pub mod output;
pub mod packed;
pub mod render;
pub mod search;
pub mod swar;
pub mod theme;
pub mod timings;
pub mod translations;
pub mod xml;

/// Helpers of the pipeline's unit tests.
#[cfg(test)]
pub(crate) mod testing {
    /// `count` texts of `length` pieces each, picked by a small fixed generator: the same
    /// texts on every run, with the pieces side by side in every order, so that a fast path
    /// that steps over several bytes at a time meets every alignment.
    pub fn generated_texts<'a>(
        pieces: &'a [&'a str],
        count: usize,
        length: usize,
    ) -> impl Iterator<Item = String> + 'a {
        let mut state: u32 = 7;
        (0..count).map(move |_| {
            let mut text = String::new();
            for _ in 0..length {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                text.push_str(pieces[(state >> 16) as usize % pieces.len()]);
            }
            text
        })
    }
}
