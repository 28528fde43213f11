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

mod terms;
pub mod tokenize;

use rayon::prelude::*;

use crate::pipeline::hash::FxMap;
use crate::pipeline::ids::{DocId, TermId};
use crate::pipeline::index::Site;
use crate::pipeline::swar;
use terms::{Counter, Counts, Field, SharedVocabulary, TokenId, Vocabulary, is_cjk_token};
use tokenize::{shard_key, shard_of};

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
        let mut tokens: Vec<(&str, &Postings)> = self.shards[k]
            .iter()
            .map(|&id| (self.vocabulary.text(id), &self.postings[id as usize]))
            .filter(|(_, list)| !list.is_empty())
            .collect();
        tokens.sort_unstable_by_key(|t| t.0);
        // Most postings are a one- or two-digit delta and weight: about six bytes each.
        let postings: usize = tokens.iter().map(|(_, list)| list.len()).sum();
        let mut out = String::with_capacity(postings * 6 + tokens.len() * 16 + 4);
        out.push('{');
        for (n, (token, list)) in tokens.into_iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            push_json_str(&mut out, token);
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

/// Appends the decimal digits of `n`; those of one or two digits, most of a shard's
/// numbers, without the loop.
fn push_number(out: &mut String, mut n: u32) {
    let digit = |d: u32| char::from(b'0' + (d % 10) as u8);
    if n < 10 {
        out.push(digit(n));
        return;
    }
    if n < 100 {
        out.push(digit(n / 10));
        out.push(digit(n));
        return;
    }
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

/// A document's fragment file, as `search.js` reads it:
/// `{"url","title","section","lang","glossary","alt":{lang:url},"anchors":[[n,id],…],"text"}`
/// (`anchors` only when the page has headings). Written by hand into a string sized for the
/// text, which is most of it.
fn fragment(doc: &Doc) -> String {
    let mut out = String::with_capacity(doc.body.len() + doc.body.len() / 16 + 256);
    out.push('{');
    for (name, value) in [
        ("url", &doc.url),
        ("title", &doc.title),
        ("section", &doc.section),
        ("lang", &doc.lang),
    ] {
        push_json_str(&mut out, name);
        out.push(':');
        push_json_str(&mut out, value);
        out.push(',');
    }
    out.push_str(if doc.glossary {
        "\"glossary\":true,\"alt\":{"
    } else {
        "\"glossary\":false,\"alt\":{"
    });
    let mut alt: Vec<&(String, String)> = doc.alt.iter().collect();
    alt.sort_unstable();
    for (n, (lang, url)) in alt.into_iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        push_json_str(&mut out, lang);
        out.push(':');
        push_json_str(&mut out, url);
    }
    out.push('}');
    if !doc.anchors.is_empty() {
        out.push_str(",\"anchors\":[");
        for (n, (breaks, id)) in doc.anchors.iter().enumerate() {
            out.push_str(if n > 0 { ",[" } else { "[" });
            push_number(&mut out, *breaks);
            out.push(',');
            push_json_str(&mut out, id);
            out.push(']');
        }
        out.push(']');
    }
    out.push_str(",\"text\":");
    push_json_str(&mut out, &doc.body);
    out.push_str("}\n");
    out
}

/// Appends `text` as a JSON string: quotes, backslashes and control characters escaped.
fn push_json_str(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    // The start of the bytes not yet copied; every escaped byte is ASCII, so a boundary.
    let mut run = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Eight bytes at a time past the text that needs no escape, which is nearly all of it,
        // then straight to the first byte that may (the line breaks between blocks are many).
        if let Some(word) = swar::word_at(bytes, at) {
            if !(swar::any_below(word, 0x20)
                | swar::contains(word, b'"')
                | swar::contains(word, b'\\'))
            {
                at += 8;
                continue;
            }
            let special =
                swar::below(word, 0x20) | swar::equal(word, b'"') | swar::equal(word, b'\\');
            at += swar::first(special);
        }
        let byte = bytes[at];
        at += 1;
        let escaped = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[run..at - 1]);
        if escaped.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        } else {
            out.push_str(escaped);
        }
        run = at;
    }
    out.push_str(&text[run..]);
    out.push('"');
}

/// The readable text of rendered HTML: tags dropped, entities decoded, whitespace collapsed,
/// and one line break (`\n`) where a block (a paragraph, heading, list item or table cell) ends
/// or starts, so that a snippet can tell a heading or a cell from the text that follows it.
/// Elements marked `role="tooltip"` or `data-search-ignore` (a glossary term's definition),
/// `<script>` and `<style>` are left out.
pub fn html_text(html: &str) -> PageText {
    let mut out = String::with_capacity(html.len() / 2);
    let mut anchors = Vec::new();
    let mut breaks = 0;
    let bytes = html.as_bytes();
    let mut at = 0;
    // The tag being skipped and how deep in it we are.
    let mut skip: Option<(&str, usize)> = None;
    while at < bytes.len() {
        let lt = if skip.is_none() {
            push_text(&mut out, html, at)
        } else {
            html[at..].find('<').map_or(bytes.len(), |i| at + i)
        };
        if lt == bytes.len() {
            break;
        }
        let gt = swar::find(bytes, lt, b'>').map_or(bytes.len(), |i| i + 1);
        let tag = &html[lt..gt];
        at = gt;
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
                // The shortest tag with either attribute, `<b role=tooltip>`, is 16 bytes long.
                || tag.len() >= 16 && marked_to_skip(tag, name.len()))
        {
            skip = Some((name, 1));
        }
        // Block boundaries separate words, a left-out block's too.
        if is_block(name) && !out.is_empty() && !out.ends_with('\n') {
            if out.ends_with(' ') {
                out.pop();
            }
            out.push('\n');
            breaks += 1;
        }
        if !closing
            && skip.is_none()
            && is_heading(name)
            && let Some(Some(id)) = attributes(tag, name.len())
                .find(|(attribute, _)| attribute.eq_ignore_ascii_case("id"))
                .map(|(_, value)| value)
        {
            let mut decoded = String::new();
            push_text(&mut decoded, id, 0);
            anchors.push((breaks, decoded));
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    PageText { text: out, anchors }
}

/// The readable text of a page and where its headings are in it.
pub struct PageText {
    pub text: String,
    /// Each heading with an `id`: how many line breaks of `text` come before it, and the id.
    pub anchors: Vec<(u32, String)>,
}

fn is_heading(name: &str) -> bool {
    matches!(name.as_bytes(), [b'h' | b'H', b'1'..=b'6'])
}

/// Whether a start tag (`<` to `>`, its name `name_len` bytes long) has the attribute
/// `role="tooltip"` or `data-search-ignore`.
fn marked_to_skip(tag: &str, name_len: usize) -> bool {
    attributes(tag, name_len).any(|(name, value)| {
        name.eq_ignore_ascii_case("data-search-ignore")
            || name.eq_ignore_ascii_case("role")
                && value.is_some_and(|v| v.trim().eq_ignore_ascii_case("tooltip"))
    })
}

/// The attributes of a start tag (`<` to `>`, its name `name_len` bytes long), names with
/// their values as written (entities not decoded), read as a browser reads them: the same
/// words inside another attribute's value (a link's URL) are not an attribute.
fn attributes(tag: &str, name_len: usize) -> impl Iterator<Item = (&str, Option<&str>)> {
    let bytes = tag.as_bytes();
    let is_space = |b: u8| b.is_ascii_whitespace();
    let end = bytes.len() - usize::from(bytes.last() == Some(&b'>'));
    let mut at = 1 + name_len;
    std::iter::from_fn(move || {
        while at < end && (is_space(bytes[at]) || bytes[at] == b'/') {
            at += 1;
        }
        if at >= end {
            return None;
        }
        let name_start = at;
        while at < end && !is_space(bytes[at]) && !matches!(bytes[at], b'=' | b'/') {
            at += 1;
        }
        let name = &tag[name_start..at];
        while at < end && is_space(bytes[at]) {
            at += 1;
        }
        let mut value = None;
        if bytes.get(at) == Some(&b'=') {
            at += 1;
            while at < end && is_space(bytes[at]) {
                at += 1;
            }
            let start = at;
            match bytes.get(at) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let close = swar::find(bytes, at + 1, quote).map_or(end, |i| i.min(end));
                    value = Some(&tag[start + 1..close]);
                    at = close + 1;
                }
                _ => {
                    while at < end && !is_space(bytes[at]) {
                        at += 1;
                    }
                    value = Some(&tag[start..at]);
                }
            }
        }
        Some((name, value))
    })
}

/// Whether an element named `name` (any case) is a block, whose boundaries separate words.
fn is_block(name: &str) -> bool {
    let mut lower = [0u8; 10];
    let Some(lower) = lower.get_mut(..name.len()) else {
        return false;
    };
    lower.copy_from_slice(name.as_bytes());
    lower.make_ascii_lowercase();
    matches!(
        &*lower,
        b"p" | b"br"
            | b"li"
            | b"td"
            | b"th"
            | b"tr"
            | b"div"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"blockquote"
            | b"pre"
            | b"dt"
            | b"dd"
            | b"section"
            | b"table"
            | b"ul"
            | b"ol"
    )
}

/// Appends the text of `html` from `at` to the next tag, entities decoded and runs of ASCII
/// whitespace collapsed to one space (none at the start of `out` or after a line break), in
/// one pass over the bytes; returns where the tag starts (or the length of `html`).
fn push_text(out: &mut String, html: &str, mut at: usize) -> usize {
    let bytes = html.as_bytes();
    let is_space = |b: u8| b.is_ascii_whitespace();
    // The start of the bytes not yet copied.
    let mut run = at;
    while at < bytes.len() {
        // Eight bytes at a time past text that is copied as it is (a space at the start of the
        // run is not: it may be one too many).
        if (at > run || bytes[at] != b' ')
            && let Some(word) = swar::word_at(bytes, at)
        {
            let next_below_space = bytes.get(at + 8).is_none_or(|&b| b < 0x21);
            let plain = plain_bytes(word, next_below_space);
            if plain > 0 {
                at += plain;
                continue;
            }
        }
        match bytes[at] {
            b'<' => break,
            // A single space between two words is copied with them.
            b' ' if at > run && !bytes.get(at + 1).is_some_and(|&b| is_space(b)) => at += 1,
            b if is_space(b) => {
                out.push_str(&html[run..at]);
                while at < bytes.len() && is_space(bytes[at]) {
                    at += 1;
                }
                if !out.is_empty() && !out.ends_with([' ', '\n']) {
                    out.push(' ');
                }
                run = at;
            }
            b'&' => {
                out.push_str(&html[run..at]);
                let (c, len) = entity(&bytes[at..]).unwrap_or(('&', 1));
                out.push(c);
                at += len;
                run = at;
            }
            _ => at += 1,
        }
    }
    out.push_str(&html[run..at]);
    at
}

/// How many of the eight bytes of `word` (from the first) are text that [`push_text`] copies
/// unchanged: no `<`, no `&`, no control character or white space other than single spaces.
/// `next_below_space` says whether the byte after the word is white space (or unknown), which
/// makes a space in the last byte one too many.
fn plain_bytes(word: u64, next_below_space: bool) -> usize {
    let up_to_space = swar::below(word, 0x21);
    let space = swar::equal(word, b' ');
    let last = if next_below_space {
        swar::HIGH << 56
    } else {
        0
    };
    // A space followed by another white space character.
    let space_before_space = space & ((up_to_space >> 8) | last);
    let white = (up_to_space & !space) | space_before_space;
    // Most words of text hold neither `<` nor `&`: told with the cheaper test first.
    if white == 0 && !swar::contains(word, b'<') && !swar::contains(word, b'&') {
        return 8;
    }
    swar::first(swar::equal(word, b'<') | swar::equal(word, b'&') | white)
}

/// The character an entity at the start of `text` stands for, and the entity's length.
fn entity(text: &[u8]) -> Option<(char, usize)> {
    // Bytes, not characters: the window may end inside a Japanese character.
    let window = &text[..text.len().min(12)];
    let end = window
        .iter()
        .take_while(|&&b| b != b'<')
        .position(|&b| b == b';')?;
    let entity = std::str::from_utf8(&text[1..end]).ok()?;
    let c = match entity {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => entity
            .strip_prefix("#x")
            .or_else(|| entity.strip_prefix("#X"))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
            .and_then(char::from_u32)?,
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 7, 9, 10, 42, 99, 100, 255, 1000, 12_345, u32::MAX] {
            let mut out = String::from("[");
            push_number(&mut out, n);
            assert_eq!(out, format!("[{n}"));
        }
    }

    #[test]
    fn text_of_html_skips_tooltips_and_decodes() {
        let html = "<p>The <span class=\"glossary\"><a href=\"#\">AISI</a><span role=\"tooltip\" id=\"t\"><span>AI Safety</span> body</span></span> &amp; METI</p><p>次</p>";
        assert_eq!(html_text(html).text, "The AISI & METI\n次");
    }

    #[test]
    fn only_the_attributes_themselves_leave_an_element_out() {
        for (html, text) in [
            ("<p>a<span ROLE='Tooltip'>tip</span>b</p>", "ab"),
            ("<p>a<b role=tooltip>tip</b>b</p>", "ab"),
            (
                "<p>a<div class=\"x\" data-search-ignore>no</div>b</p>",
                "a\nb",
            ),
            (
                "<p>a<div data-search-ignore=\"\" id=x>no</div>b</p>",
                "a\nb",
            ),
            // The words in a value, or another role, are not the attributes.
            (
                "<p><a href=\"/q?role=tooltip&data-search-ignore\">kept</a></p>",
                "kept",
            ),
            ("<p><span title='role=\"tooltip\"'>kept</span></p>", "kept"),
            ("<p><span role=\"note\">kept</span></p>", "kept"),
        ] {
            assert_eq!(html_text(html).text, text, "{html}");
        }
    }

    #[test]
    fn headings_are_anchored_at_their_line_of_the_text() {
        let html = "<p>Intro</p>\n<h2 id=\"cloud-subsidies\">Cloud <em>subsidies</em></h2>\n\
                    <p>The ministry pays.</p><H3 class=x ID='r&amp;d'>R&amp;D</H3><p>Text</p>\
                    <h4>No id</h4><h2 id=\"gone\" data-search-ignore>Hidden</h2>\
                    <h2 title=\"id=fake\" id=\"今後の論点\">今後の論点</h2>";
        let PageText { text, anchors } = html_text(html);
        assert_eq!(
            text,
            "Intro\nCloud subsidies\nThe ministry pays.\nR&D\nText\nNo id\n今後の論点"
        );
        assert_eq!(
            anchors,
            [
                (1, "cloud-subsidies".to_string()),
                (3, "r&d".to_string()),
                (6, "今後の論点".to_string()),
            ]
        );
        // Each anchor's line is its heading.
        let lines: Vec<&str> = text.split('\n').collect();
        assert_eq!(lines[1], "Cloud subsidies");
        assert_eq!(lines[6], "今後の論点");
    }

    #[test]
    fn an_ampersand_before_japanese_text_is_kept() {
        // A window of 12 bytes after `&` ends inside 会: this once panicked.
        let html = "<p>&amp;D&DはG7会合に先立ち&#x3042;、&nbsp;公表</p>";
        assert_eq!(html_text(html).text, "&D&DはG7会合に先立ちあ、 公表");
    }

    #[test]
    fn fragments_are_json_with_every_field() {
        let doc = Doc {
            lang: "ja".into(),
            url: "/ja/guides/a/".into(),
            title: "「AI推進法」の\"要点\"".into(),
            section: "ガイド".into(),
            glossary: false,
            alt: vec![("en".into(), "/guides/a/".into())],
            strong: Vec::new(),
            meta: Vec::new(),
            body: "tab\there \\ back\u{1}slash\n改行 and a longer tail \"quoted\" after".into(),
            anchors: vec![(0, "要点".into()), (3, "a\"b".into())],
        };
        let text = fragment(&doc);
        assert!(text.ends_with("}\n"), "{text}");
        let value: serde_json::Value = serde_json::from_str(&text).expect("fragment is JSON");
        assert_eq!(
            value,
            serde_json::json!({
                "url": "/ja/guides/a/",
                "title": "「AI推進法」の\"要点\"",
                "section": "ガイド",
                "lang": "ja",
                "glossary": false,
                "alt": {"en": "/guides/a/"},
                "anchors": [[0, "要点"], [3, "a\"b"]],
                "text": "tab\there \\ back\u{1}slash\n改行 and a longer tail \"quoted\" after",
            })
        );
    }

    #[test]
    fn json_strings_escape_what_json_requires_anywhere_in_a_word() {
        for at in 0..12 {
            for special in ['"', '\\', '\n', '\u{1f}', '\u{0}'] {
                let mut text: String = "漢字abcdefghij".chars().collect();
                text.insert(
                    text.char_indices().nth(at).map_or(text.len(), |(i, _)| i),
                    special,
                );
                let mut out = String::new();
                push_json_str(&mut out, &text);
                let back: String = serde_json::from_str(&out).expect("valid JSON");
                assert_eq!(back, text);
                assert_eq!(out, serde_json::to_string(&text).expect("serialises"));
            }
        }
    }

    #[test]
    fn text_of_html_collapses_white_space_anywhere_in_a_word() {
        // Pieces put together in every order a small generator gives: the text must be the
        // pieces' own text with tags dropped, white space collapsed and one line break for
        // each run of block boundaries, wherever the eight-byte steps fall.
        let pieces = [
            "a",
            "bcdefg",
            " ",
            "  ",
            "\n",
            "\t ",
            "&amp;",
            "あいう",
            "<b>",
            "</b>",
            "<p>",
            "x\u{1}y",
        ];
        for html in crate::pipeline::testing::generated_texts(&pieces, 3000, 12) {
            const BLOCK: &str = "\u{2}";
            let mut expected = String::new();
            for word in html
                .replace("<b>", "")
                .replace("</b>", "")
                .replace("<p>", " \u{2} ")
                .replace("&amp;", "&")
                .split_ascii_whitespace()
            {
                let joined = expected.is_empty() || expected.ends_with('\n');
                if word == BLOCK {
                    if !joined {
                        expected.push('\n');
                    }
                } else {
                    if !joined {
                        expected.push(' ');
                    }
                    expected.push_str(word);
                }
            }
            let expected = expected.trim_end();
            assert_eq!(html_text(&html).text, expected, "{html:?}");
        }
    }

    #[test]
    fn shards_are_powers_of_two() {
        assert_eq!(shard_count(3), 1);
        assert_eq!(shard_count(40), 2);
        assert_eq!(shard_count(10_000), 1024);
    }
}
