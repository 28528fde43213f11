//! The full-text search index the default theme's search box reads: one index over every
//! language, split into shards by token prefix so that a query downloads a few small files,
//! plus one fragment per result (title, URL, section, text for the snippet).
//!
//! ```text
//! search/index.json      {"version":1,"shards":S,"langs":["en","ja"],"docs":"0011…"}
//!                        (`docs`: one character per document, its language's position in `langs`)
//! search/s/<k>.json      {"token":[doc,weight,doc,weight,…],…}   doc ids delta-encoded, k < S
//! search/f/<doc>.json    {"url","title","section","lang","glossary","alt":{lang:url},"text"}
//! ```
//!
//! Documents ([`DocId`]) are the site's pages (document `i` is page `i`) followed by the
//! glossary entries, one per term and language. Tokens are cut by [`tokenize`], which
//! `search.js` mirrors. A token's weight in a document: its count (at most 20), +30 when it is
//! in the title (or the term, abbreviation, alias), +10 in a heading, the summary or a tag.

mod html_text;
mod json;
mod terms;
pub mod tokenize;

use rayon::prelude::*;

use crate::pipeline::hash::FxMap;
use crate::pipeline::ids::{DocId, TermId};
use crate::pipeline::index::Site;
use json::fragment;
use terms::{Counter, Counts, Field, SharedVocabulary, TokenId, Vocabulary, is_cjk_token};
use tokenize::{shard_key, shard_of};

pub use html_text::{PageText, html_text};

/// The folder of the index in the output.
pub const DIR: &str = "search";
/// Documents tokenised at once: bounds the memory a large site's build needs (their counts,
/// a few MiB), while each batch's wait for its slowest document stays rare.
const BATCH: usize = 1024;

/// A token's postings: `(doc << 8) | weight`, sorted by document.
type Postings = Vec<u32>;

/// The terms of one document: token → weight.
pub type DocTerms = FxMap<String, u32>;

/// The index of a site, kept by `serve` to update it after an edit.
pub struct SearchIndex {
    vocabulary: Vocabulary,
    /// By token id.
    postings: Vec<Postings>,
    /// The tokens of each shard.
    shards: Vec<Vec<TokenId>>,
    langs: Vec<String>,
    /// Language position of each document.
    doc_langs: Vec<u8>,
}

/// One searchable document.
struct Doc {
    lang: String,
    url: String,
    title: String,
    section: String,
    glossary: bool,
    /// The other language versions: language → URL.
    alt: Vec<(String, String)>,
    /// Strongly weighted text: title, term names.
    strong: Vec<String>,
    /// Weighted text: summary, headings, tags.
    meta: Vec<String>,
    /// The rest: body text.
    body: String,
    /// The body's headings: how many line breaks of `body` come before each, and its id.
    anchors: Vec<(u32, String)>,
}

impl Doc {
    /// The texts to index and where each is.
    fn texts(&self) -> impl Iterator<Item = (&str, Field)> {
        self.strong
            .iter()
            .map(|t| (t.as_str(), Field::Title))
            .chain(self.meta.iter().map(|t| (t.as_str(), Field::Meta)))
            .chain(std::iter::once((self.body.as_str(), Field::Body)))
    }
}

/// The number of shards for `docs` documents: about one per 16 documents, a power of two,
/// fixed by the document count so that an edit never reshuffles the shards.
fn shard_count(docs: usize) -> u32 {
    ((docs / 16).max(1).next_power_of_two()).min(1024) as u32
}

impl SearchIndex {
    /// Indexes every page and glossary entry of `site`, writing each document's fragment
    /// with `put` as soon as it is made (so a large site's text is never all in memory).
    pub fn build(
        site: &Site,
        put: &(dyn Fn(String, String) -> std::io::Result<()> + Sync),
    ) -> std::io::Result<SearchIndex> {
        let langs: Vec<String> = site
            .config
            .languages
            .iter()
            .map(|l| l.code.clone())
            .collect();
        let glossary = glossary_docs(site);
        let count = site.pages.len() + glossary.len();
        let doc_langs: Vec<u8> = (0..count)
            .map(|d| {
                let lang = match DocId::new(d).page(site.pages.len()) {
                    Some(p) => site.pages[p].source.lang.as_str(),
                    None => glossary[d - site.pages.len()].1,
                };
                langs.iter().position(|l| l == lang).unwrap_or(0) as u8
            })
            .collect();
        let vocabulary = SharedVocabulary::new();
        let mut postings: Vec<Postings> = Vec::new();
        let mut start = 0;
        while start < count {
            let end = (start + BATCH).min(count);
            let batch = (start..end)
                .into_par_iter()
                .map(DocId::new)
                .map(|d| {
                    let doc = document(site, &glossary, d);
                    let terms = vocabulary.count(doc.texts());
                    put(fragment_path(d), fragment(&doc))?;
                    Ok(terms)
                })
                .collect::<std::io::Result<Vec<_>>>()?;
            append_postings(&mut postings, start, &batch);
            start = end;
        }
        let vocabulary = vocabulary.into_inner();
        postings.resize_with(vocabulary.len(), Vec::new);
        let n = shard_count(count);
        let mut shards = vec![Vec::new(); n as usize];
        for id in 0..vocabulary.len() as TokenId {
            let text = vocabulary.text(id);
            shards[shard_of_token(text, n)].push(id);
        }
        Ok(SearchIndex {
            vocabulary,
            postings,
            shards,
            langs,
            doc_langs,
        })
    }

    /// Writes the manifest and the shards with `put`, one shard at a time (the fragments were
    /// written by [`SearchIndex::build`]).
    pub fn write(
        &self,
        put: &(dyn Fn(String, String) -> std::io::Result<()> + Sync),
    ) -> std::io::Result<()> {
        put(manifest_path(), self.manifest())?;
        (0..self.shards.len())
            .into_par_iter()
            .try_for_each(|k| put(shard_path(k), self.shard_json(k)))
    }

    /// After document `d` (a page or a glossary entry, its URL and language unchanged) went
    /// from `old` to `new` terms: updates the postings and returns the files that changed,
    /// the document's fragment included.
    pub fn update_doc(
        &mut self,
        site: &Site,
        d: DocId,
        old: &DocTerms,
        new: &DocTerms,
    ) -> Vec<(String, String)> {
        let n = self.shards.len() as u32;
        let doc = d.index() as u32;
        let mut touched = std::collections::BTreeSet::new();
        for (token, &w) in old {
            if new.get(token) == Some(&w) {
                continue;
            }
            let list = self.postings_of(token);
            if let Ok(at) = list.binary_search_by_key(&doc, |p| p >> 8) {
                list.remove(at);
            }
            touched.insert(shard_of_token(token, n));
        }
        for (token, &w) in new {
            if old.get(token) == Some(&w) {
                continue;
            }
            let list = self.postings_of(token);
            let posting = (doc << 8) | w.min(255);
            match list.binary_search_by_key(&doc, |p| p >> 8) {
                Ok(at) => list[at] = posting,
                Err(at) => list.insert(at, posting),
            }
            touched.insert(shard_of_token(token, n));
        }
        let mut files: Vec<(String, String)> = touched
            .into_iter()
            .map(|k| (shard_path(k), self.shard_json(k)))
            .collect();
        files.push((fragment_path(d), fragment(&document_alone(site, d))));
        files
    }

    /// The postings of `token`, which becomes part of the index if it is new.
    fn postings_of(&mut self, token: &str) -> &mut Postings {
        let id = self.vocabulary.id_of(token);
        if id as usize == self.postings.len() {
            self.postings.push(Vec::new());
            let n = self.shards.len() as u32;
            self.shards[shard_of_token(token, n)].push(id);
        }
        &mut self.postings[id as usize]
    }

    /// The number of documents: the pages, then the glossary entries.
    pub fn len(&self) -> usize {
        self.doc_langs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.doc_langs.is_empty()
    }
}

/// The terms of document `d` (page `d`, or a glossary entry after the pages) as the index
/// sees them now.
pub fn doc_terms(site: &Site, d: DocId) -> DocTerms {
    let doc = document_alone(site, d);
    let mut vocabulary = Vocabulary::default();
    let counts = Counter::default().count(doc.texts(), |piece| vocabulary.id(piece));
    let mut texts = vocabulary.into_texts();
    counts
        .into_iter()
        .map(|(id, w)| (std::mem::take(&mut texts[id as usize]).into_string(), w))
        .collect()
}

/// The fragment of document `d` as the index writes it now: its title, URL and text for the
/// result's snippet. It may change when its terms do not (an edit of punctuation or case).
pub fn doc_fragment(site: &Site, d: DocId) -> String {
    fragment(&document_alone(site, d))
}

/// The shard of `token` among `shards`: by its first character if it is keyed as CJK, else
/// by its first two.
fn shard_of_token(token: &str, shards: u32) -> usize {
    shard_of(shard_key(token, is_cjk_token(token)), shards) as usize
}

/// Appends the postings of a batch of documents, the first numbered `first`. Each thread
/// fills its own range of tokens, documents in order.
fn append_postings(postings: &mut Vec<Postings>, first: usize, batch: &[Counts]) {
    let tokens = batch
        .iter()
        .flatten()
        .map(|&(id, _)| id as usize + 1)
        .max()
        .unwrap_or(0);
    if tokens > postings.len() {
        postings.resize_with(tokens, Vec::new);
    }
    let threads = rayon::current_num_threads().max(1);
    let per = postings.len().div_ceil(threads).max(1);
    postings
        .par_chunks_mut(per)
        .enumerate()
        .for_each(|(chunk, part)| {
            let from = (chunk * per) as TokenId;
            let to = from + part.len() as TokenId;
            for (offset, terms) in batch.iter().enumerate() {
                let doc = (first + offset) as u32;
                for &(id, w) in terms {
                    if (from..to).contains(&id) {
                        part[(id - from) as usize].push((doc << 8) | w.min(255));
                    }
                }
            }
        });
}

/// The index's manifest, which the client reads first.
pub fn manifest_path() -> String {
    format!("{DIR}/index.json")
}

/// Whether `path` is in a folder of the index's numbered files (shards and results), which
/// only the index may write to.
pub fn owns_folder_of(path: &str) -> bool {
    [format!("{DIR}/s/"), format!("{DIR}/f/")]
        .iter()
        .any(|folder| path.starts_with(folder.as_str()))
}

fn shard_path(k: usize) -> String {
    format!("{DIR}/s/{k}.json")
}

fn fragment_path(doc: DocId) -> String {
    format!("{DIR}/f/{}.json", doc.index())
}

/// The glossary's documents: (term, language), after the pages.
fn glossary_docs(site: &Site) -> Vec<(TermId, &str)> {
    site.glossary.as_ref().map_or_else(Vec::new, |g| {
        g.term_ids()
            .zip(&g.terms)
            .flat_map(|(i, t)| t.langs.keys().map(move |l| (i, l.as_str())))
            .filter(|(_, l)| site.config.language(l).is_some())
            .collect()
    })
}

/// The documents of the glossary entries of `terms`, one per language of each.
pub fn entry_docs(site: &Site, terms: &[TermId]) -> Vec<DocId> {
    glossary_docs(site)
        .iter()
        .enumerate()
        .filter(|(_, (term, _))| terms.contains(term))
        .map(|(e, _)| DocId::new(site.pages.len() + e))
        .collect()
}

/// Document `d` on its own (after an edit): the glossary's documents are listed only when it
/// is one of them.
fn document_alone(site: &Site, d: DocId) -> Doc {
    let glossary = match d.page(site.pages.len()) {
        Some(_) => Vec::new(),
        None => glossary_docs(site),
    };
    document(site, &glossary, d)
}

/// Document `d`; `glossary` is [`glossary_docs`] (needed only for glossary documents).
fn document(site: &Site, glossary: &[(TermId, &str)], d: DocId) -> Doc {
    if let Some(page) = d.page(site.pages.len()) {
        let page = &site.pages[page];
        let meta = page.meta();
        let lang = page.source.lang.clone();
        let mut extra: Vec<String> = page.rendered.toc.iter().map(|t| t.title.clone()).collect();
        extra.extend(meta.summary.clone());
        extra.extend(meta.tags.iter().cloned());
        let PageText { text, anchors } = page.rendered.html.with_str(html_text);
        return Doc {
            url: site.url(&page.path),
            title: page.title().to_string(),
            section: site
                .section(&page.source.section, &lang)
                .map(|s| s.title.clone())
                .unwrap_or_default(),
            glossary: false,
            alt: site
                .translations(&page.source.key)
                .filter(|p| p.source.lang != lang)
                .map(|p| (p.source.lang.clone(), site.url(&p.path)))
                .collect(),
            strong: vec![page.title().to_string()],
            meta: extra,
            body: text,
            anchors,
            lang,
        };
    }
    let Some(((term, lang), glossary)) = d
        .entry(site.pages.len())
        .and_then(|e| glossary.get(e))
        .zip(site.glossary.as_ref())
    else {
        return Doc {
            lang: String::new(),
            url: String::new(),
            title: String::new(),
            section: String::new(),
            glossary: true,
            alt: Vec::new(),
            strong: Vec::new(),
            meta: Vec::new(),
            body: String::new(),
            anchors: Vec::new(),
        };
    };
    let entry = &glossary.terms[*term];
    let text = &entry.langs[*lang];
    let url = |l: &str| format!("{}#{}", site.url(&site.glossary_path(l)), entry.id);
    let mut strong = vec![text.term.clone()];
    strong.extend(text.abbr.clone());
    strong.extend(text.aliases.iter().cloned());
    let title = match &text.abbr {
        Some(abbr) if *abbr != text.term => format!("{} ({abbr})", text.term),
        _ => text.term.clone(),
    };
    Doc {
        lang: lang.to_string(),
        url: url(lang),
        title,
        section: String::new(),
        glossary: true,
        alt: entry
            .langs
            .keys()
            .filter(|l| *l != lang && site.config.language(l).is_some())
            .map(|l| (l.clone(), url(l)))
            .collect(),
        strong,
        meta: text.reading.iter().cloned().collect(),
        // As readers see it: link text without its address, no Markdown marks.
        body: html_text(&text.definition_html).text,
        anchors: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_powers_of_two() {
        assert_eq!(shard_count(3), 1);
        assert_eq!(shard_count(40), 2);
        assert_eq!(shard_count(10_000), 1024);
    }
}
