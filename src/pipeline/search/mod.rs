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

pub mod tokenize;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use crate::pipeline::ids::{DocId, TermId};
use crate::pipeline::index::Site;
use tokenize::{Piece, normalize, pieces, shard_key, shard_of};

/// The folder of the index in the output.
pub const DIR: &str = "search";
const MAX_TF: u32 = 20;
const TITLE: u32 = 30;
const META: u32 = 10;
/// Documents tokenised at once: bounds the memory a large site's build needs.
const BATCH: usize = 128;

/// A token's postings: `(doc << 8) | weight`, sorted by document.
type Postings = Vec<u32>;

/// The postings of one shard: CJK tokens (one or two characters) under an integer key
/// ([`pack`]), the others under their text.
#[derive(Default)]
struct Shard {
    cjk: HashMap<u64, Postings, BuildHasherDefault<Fx>>,
    words: HashMap<Box<str>, Postings, BuildHasherDefault<Fx>>,
}

impl Shard {
    fn postings(&mut self, token: &str) -> &mut Postings {
        match pack(token) {
            Some(key) => self.cjk.entry(key).or_default(),
            None => self.words.entry(token.into()).or_default(),
        }
    }

    fn remove_if_empty(&mut self, token: &str) {
        match pack(token) {
            Some(key) if self.cjk.get(&key).is_some_and(Vec::is_empty) => {
                self.cjk.remove(&key);
            }
            None if self.words.get(token).is_some_and(Vec::is_empty) => {
                self.words.remove(token);
            }
            _ => {}
        }
    }
}

/// The integer key of a CJK token of one or two characters (other tokens have none).
fn pack(token: &str) -> Option<u64> {
    let mut chars = token.chars();
    let a = chars.next().filter(|&c| tokenize::is_cjk(c))?;
    match (chars.next(), chars.next()) {
        (None, _) => Some(pack_one(a)),
        (Some(b), None) if tokenize::is_cjk(b) => Some(pack_pair(a, b)),
        _ => None,
    }
}

fn pack_pair(a: char, b: char) -> u64 {
    (u64::from(a) << 21) | u64::from(b)
}

fn pack_one(c: char) -> u64 {
    1 << 63 | u64::from(c)
}

/// The token a key stands for.
fn unpack(key: u64) -> String {
    let char_of = |bits: u64| char::from_u32((bits & 0x1f_ffff) as u32).unwrap_or('\u{fffd}');
    let mut text = String::with_capacity(8);
    if key >> 63 == 0 {
        text.push(char_of(key >> 21));
    }
    text.push(char_of(key));
    text
}

/// The terms of one document: token → (weight, whether it is CJK).
pub type DocTerms = HashMap<String, (u32, bool), BuildHasherDefault<Fx>>;

/// The index of a site, kept by `serve` to update it after an edit.
pub struct SearchIndex {
    shards: Vec<Shard>,
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
        let n = shard_count(count);
        let mut shards: Vec<Shard> = (0..n).map(|_| Shard::default()).collect();
        let doc_langs: Vec<u8> = (0..count)
            .map(|d| {
                let lang = match DocId::new(d).page(site.pages.len()) {
                    Some(p) => site.pages[p].source.lang.as_str(),
                    None => glossary[d - site.pages.len()].1,
                };
                langs.iter().position(|l| l == lang).unwrap_or(0) as u8
            })
            .collect();
        let mut start = 0;
        while start < count {
            let end = (start + BATCH).min(count);
            let batch = (start..end)
                .into_par_iter()
                .map(DocId::new)
                .map(|d| {
                    let doc = document(site, &glossary, d);
                    let mut terms = packed_terms(&doc, n);
                    // Grouped by shard; the order within one does not matter.
                    terms.1.sort_unstable_by_key(|t| t.0);
                    put(fragment_path(d), fragment(&doc))?;
                    Ok(terms)
                })
                .collect::<std::io::Result<Vec<_>>>()?;
            // Each thread fills its own range of shards, documents in order.
            let threads = rayon::current_num_threads().max(1);
            let per = shards.len().div_ceil(threads).max(1);
            shards
                .par_chunks_mut(per)
                .enumerate()
                .for_each(|(chunk, part)| {
                    let first = (chunk * per) as u32;
                    let last = first + part.len() as u32;
                    for (offset, (words, terms)) in batch.iter().enumerate() {
                        let doc = (start + offset) as u32;
                        let from = terms.partition_point(|t| t.0 < first);
                        for &(shard, token, w) in &terms[from..] {
                            if shard >= last {
                                break;
                            }
                            let map = &mut part[(shard - first) as usize];
                            let posting = (doc << 8) | w.min(255);
                            match token {
                                Packed::Cjk(key) => map.cjk.entry(key).or_default().push(posting),
                                Packed::Word(from, to) => {
                                    let word = &words[from as usize..to as usize];
                                    match map.words.get_mut(word) {
                                        Some(list) => list.push(posting),
                                        None => {
                                            map.words.insert(word.into(), vec![posting]);
                                        }
                                    }
                                }
                            }
                        }
                    }
                });
            start = end;
        }
        Ok(SearchIndex {
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

    fn manifest(&self) -> String {
        let docs: String = self
            .doc_langs
            .iter()
            .map(|&l| char::from_digit(u32::from(l), 36).unwrap_or('0'))
            .collect();
        serde_json::json!({
            "version": 1,
            "shards": self.shards.len(),
            "langs": self.langs,
            "docs": docs,
        })
        .to_string()
            + "\n"
    }

    fn shard_json(&self, k: usize) -> String {
        let shard = &self.shards[k];
        let mut tokens: Vec<(std::borrow::Cow<'_, str>, &Postings)> = shard
            .cjk
            .iter()
            .map(|(&key, list)| (unpack(key).into(), list))
            .chain(shard.words.iter().map(|(t, list)| ((**t).into(), list)))
            .collect();
        tokens.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut out = String::from("{");
        for (n, (token, list)) in tokens.into_iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            out.push_str(&serde_json::to_string(&*token).unwrap_or_default());
            out.push_str(":[");
            let mut previous = 0;
            for (m, &p) in list.iter().enumerate() {
                let doc = p >> 8;
                if m > 0 {
                    out.push(',');
                }
                push_number(&mut out, doc - previous);
                out.push(',');
                push_number(&mut out, p & 0xff);
                previous = doc;
            }
            out.push(']');
        }
        out.push_str("}\n");
        out
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
        for (token, &(w, cjk)) in old {
            if new.get(token).map(|t| t.0) == Some(w) {
                continue;
            }
            let k = shard_of(shard_key(token, cjk), n) as usize;
            let list = self.shards[k].postings(token);
            if let Ok(at) = list.binary_search_by_key(&doc, |p| p >> 8) {
                list.remove(at);
            }
            self.shards[k].remove_if_empty(token);
            touched.insert(k);
        }
        for (token, &(w, cjk)) in new {
            if old.get(token).map(|t| t.0) == Some(w) {
                continue;
            }
            let k = shard_of(shard_key(token, cjk), n) as usize;
            let list = self.shards[k].postings(token);
            let posting = (doc << 8) | w.min(255);
            match list.binary_search_by_key(&doc, |p| p >> 8) {
                Ok(at) => list[at] = posting,
                Err(at) => list.insert(at, posting),
            }
            touched.insert(k);
        }
        let mut files: Vec<(String, String)> = touched
            .into_iter()
            .map(|k| (shard_path(k), self.shard_json(k)))
            .collect();
        files.push((
            fragment_path(d),
            fragment(&document(site, &glossary_docs(site), d)),
        ));
        files
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
    let glossary = match d.page(site.pages.len()) {
        Some(_) => Vec::new(),
        None => glossary_docs(site),
    };
    terms(&document(site, &glossary, d))
}

/// Appends the decimal digits of `n`.
fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(d as char);
    }
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

/// Document `d`; `glossary` is [`glossary_docs`] (needed only for glossary documents).
fn document(site: &Site, glossary: &[(TermId, &str)], d: DocId) -> Doc {
    if let Some(page) = d.page(site.pages.len()) {
        let page = &site.pages[page];
        let meta = page.meta();
        let lang = page.source.lang.clone();
        let mut extra: Vec<String> = page.rendered.toc.iter().map(|t| t.title.clone()).collect();
        extra.extend(meta.summary.clone());
        extra.extend(meta.tags.iter().cloned());
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
            body: html_text(&page.rendered.html.as_str()),
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
        body: text.definition.clone(),
    }
}

fn terms(doc: &Doc) -> DocTerms {
    terms_vec(doc).into_iter().collect()
}

/// (count in the body, in the title, in the other fields)
type Seen = (u32, bool, bool);
type Counts = (
    HashMap<u64, Seen, BuildHasherDefault<Fx>>,
    HashMap<String, (Seen, bool), BuildHasherDefault<Fx>>,
);

/// A document's tokens counted: CJK characters and pairs (most tokens of a Japanese page)
/// under their integer key, words and join tokens under their text (and whether CJK-keyed).
fn count(doc: &Doc) -> Counts {
    let mut pairs: HashMap<u64, Seen, BuildHasherDefault<Fx>> =
        HashMap::with_capacity_and_hasher(doc.body.len() / 6, Default::default());
    let mut words: HashMap<String, (Seen, bool), BuildHasherDefault<Fx>> =
        HashMap::with_capacity_and_hasher(doc.body.len() / 24, Default::default());
    let texts = doc
        .strong
        .iter()
        .map(|t| (t.as_str(), 1))
        .chain(doc.meta.iter().map(|t| (t.as_str(), 2)))
        .chain(std::iter::once((doc.body.as_str(), 0)));
    let mark = |seen: &mut Seen, field: u8| match field {
        0 => seen.0 += 1,
        1 => seen.1 = true,
        _ => seen.2 = true,
    };
    for (text, field) in texts {
        pieces(&normalize(text), &mut |piece| match piece {
            Piece::Pair(a, b) => mark(pairs.entry(pack_pair(a, b)).or_default(), field),
            Piece::One(c) => mark(pairs.entry(pack_one(c)).or_default(), field),
            Piece::Word(t) | Piece::Join(t, _) => {
                let cjk = matches!(piece, Piece::Join(_, true));
                let entry = match words.get_mut(t) {
                    Some(entry) => entry,
                    None => words
                        .entry(t.to_string())
                        .or_insert(((0, false, false), cjk)),
                };
                mark(&mut entry.0, field);
            }
        });
    }
    (pairs, words)
}

fn weight((tf, title, meta): Seen) -> u32 {
    (tf.min(MAX_TF) + if title { TITLE } else { 0 } + if meta { META } else { 0 }).max(1)
}

/// A document's tokens with their weights and whether they are CJK, in no particular order.
fn terms_vec(doc: &Doc) -> Vec<(String, (u32, bool))> {
    let (pairs, words) = count(doc);
    let mut out = Vec::with_capacity(pairs.len() + words.len());
    out.extend(
        pairs
            .into_iter()
            .map(|(key, seen)| (unpack(key), (weight(seen), true))),
    );
    out.extend(
        words
            .into_iter()
            .map(|(text, (seen, cjk))| (text, (weight(seen), cjk))),
    );
    out
}

/// A token of [`packed_terms`]: a CJK key, or a range of its word buffer.
#[derive(Clone, Copy)]
enum Packed {
    Cjk(u64),
    Word(u32, u32),
}

/// A document's tokens for the index build, without a string per token: the words
/// concatenated, and `(shard, token, weight)` for every token.
fn packed_terms(doc: &Doc, shards: u32) -> (String, Vec<(u32, Packed, u32)>) {
    let (pairs, words) = count(doc);
    let mut out = Vec::with_capacity(pairs.len() + words.len());
    let mut key = [0u8; 4];
    for (k, seen) in pairs {
        let first = char::from_u32(((if k >> 63 == 0 { k >> 21 } else { k }) & 0x1f_ffff) as u32)
            .unwrap_or('\u{fffd}');
        let shard = shard_of(first.encode_utf8(&mut key), shards);
        out.push((shard, Packed::Cjk(k), weight(seen)));
    }
    let mut buffer = String::with_capacity(words.keys().map(String::len).sum());
    for (text, (seen, cjk)) in words {
        let shard = shard_of(shard_key(&text, cjk), shards);
        let from = buffer.len() as u32;
        buffer.push_str(&text);
        out.push((shard, Packed::Word(from, buffer.len() as u32), weight(seen)));
    }
    (buffer, out)
}

/// A document's fragment file, as `search.js` reads it.
#[derive(serde::Serialize)]
struct Fragment<'a> {
    url: &'a str,
    title: &'a str,
    section: &'a str,
    lang: &'a str,
    glossary: bool,
    alt: std::collections::BTreeMap<&'a str, &'a str>,
    text: &'a str,
}

fn fragment(doc: &Doc) -> String {
    let fragment = Fragment {
        url: &doc.url,
        title: &doc.title,
        section: &doc.section,
        lang: &doc.lang,
        glossary: doc.glossary,
        alt: doc
            .alt
            .iter()
            .map(|(l, u)| (l.as_str(), u.as_str()))
            .collect(),
        text: &doc.body,
    };
    serde_json::to_string(&fragment).unwrap_or_default() + "\n"
}

/// The readable text of rendered HTML: tags dropped, entities decoded, whitespace collapsed.
/// Elements marked `role="tooltip"` or `data-search-ignore` (a glossary term's definition),
/// `<script>` and `<style>` are left out.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    // The tag being skipped and how deep in it we are.
    let mut skip: Option<(&str, usize)> = None;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skip.is_none() {
                push_text(&mut out, rest);
            }
            break;
        };
        if skip.is_none() {
            push_text(&mut out, &rest[..lt]);
        }
        rest = &rest[lt..];
        let gt = rest.find('>').map_or(rest.len(), |i| i + 1);
        let tag = &rest[..gt];
        rest = &rest[gt..];
        let closing = tag.starts_with("</");
        let after = tag.trim_start_matches(['<', '/']);
        let name = &after[..after
            .bytes()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(after.len())];
        let self_closing = tag.ends_with("/>");
        if let Some((skipped, depth)) = &mut skip {
            if skipped.eq_ignore_ascii_case(name) && !self_closing {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skip = None;
                    }
                } else {
                    *depth += 1;
                }
            }
            continue;
        }
        if !closing
            && !self_closing
            && (name.eq_ignore_ascii_case("script")
                || name.eq_ignore_ascii_case("style")
                || tag.contains("role=\"tooltip\"")
                || tag.contains("data-search-ignore"))
        {
            skip = Some((name, 1));
            continue;
        }
        // Block boundaries separate words.
        if is_block(name) && !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// Whether an element named `name` (any case) is a block, whose boundaries separate words.
fn is_block(name: &str) -> bool {
    const BLOCKS: [&str; 21] = [
        "p",
        "br",
        "li",
        "td",
        "th",
        "tr",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "dt",
        "dd",
        "section",
        "table",
        "ul",
        "ol",
    ];
    name.len() <= 10 && BLOCKS.iter().any(|b| b.eq_ignore_ascii_case(name))
}

fn push_text(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        push_spaced(out, &rest[..amp]);
        rest = &rest[amp..];
        // Bytes, not characters: the window may end inside a Japanese character.
        let end = rest.as_bytes()[..rest.len().min(12)]
            .iter()
            .position(|&b| b == b';');
        let decoded = end.and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    push_spaced(out, rest);
}

/// Appends `text` with runs of ASCII whitespace collapsed to one space (none at the start of
/// `out`).
fn push_spaced(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut from = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            out.push_str(&text[from..i]);
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            from = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[from..]);
}

/// A small fast hasher for the index's maps (FxHash), which are never fed untrusted keys
/// a reader could choose.
#[derive(Default, Clone, Copy)]
pub struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_of_html_skips_tooltips_and_decodes() {
        let html = "<p>The <span class=\"glossary\"><a href=\"#\">AISI</a><span role=\"tooltip\" id=\"t\"><span>AI Safety</span> body</span></span> &amp; METI</p><p>次</p>";
        assert_eq!(html_text(html), "The AISI & METI 次");
    }

    #[test]
    fn an_ampersand_before_japanese_text_is_kept() {
        // A window of 12 bytes after `&` ends inside 会: this once panicked.
        let html = "<p>&amp;D&DはG7会合に先立ち&#x3042;、&nbsp;公表</p>";
        assert_eq!(html_text(html), "&D&DはG7会合に先立ちあ、 公表");
    }

    #[test]
    fn cjk_tokens_pack_and_unpack() {
        for token in ["推進", "法", "ガー", "𠮷野", "々"] {
            let key = pack(token).expect("a CJK token has a key");
            assert_eq!(unpack(key), token);
        }
        for token in ["ai", "成ai", "aiリテ", "推進法"] {
            assert_eq!(pack(token), None, "{token}");
        }
    }

    #[test]
    fn shards_are_powers_of_two() {
        assert_eq!(shard_count(3), 1);
        assert_eq!(shard_count(40), 2);
        assert_eq!(shard_count(10_000), 1024);
    }
}
