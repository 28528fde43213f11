//! Counting a document's tokens. Every distinct token of an index gets a number, its id in
//! the [`Vocabulary`], so that counting one document's tokens and appending its postings are
//! array lookups: nothing is allocated per document or per token, and each token is hashed
//! once, where it occurs.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use super::tokenize::{Piece, is_cjk, normalize_into, pieces};
use crate::pipeline::hash::FxMap;

/// The number of a distinct token in its [`Vocabulary`].
pub type TokenId = u32;

/// A document's tokens and their weights.
pub type Counts = Vec<(TokenId, u32)>;

/// Where a text of a document is, which decides the weight of its tokens.
#[derive(Clone, Copy)]
pub enum Field {
    Body,
    /// The title, or a glossary entry's term, abbreviation and aliases.
    Title,
    /// The summary, headings and tags.
    Meta,
}

const MAX_TF: u32 = 20;
const TITLE: u32 = 30;
const META: u32 = 10;

/// A token's weight in a document: its count (at most 20), +30 in the title, +10 in the other
/// fields; at least 1.
fn weight(seen: Seen) -> u32 {
    ((seen & COUNT).min(MAX_TF)
        + if seen & IN_TITLE != 0 { TITLE } else { 0 }
        + if seen & IN_META != 0 { META } else { 0 })
    .max(1)
}

/// A token's count in the body and whether it is in the title and the other fields, in one
/// word: a document's counts then fit the processor's fastest cache.
type Seen = u32;
const COUNT: Seen = (1 << 30) - 1;
const IN_TITLE: Seen = 1 << 30;
const IN_META: Seen = 1 << 31;

/// The distinct tokens of an index, numbered in the order they were first seen, with their
/// texts.
#[derive(Default)]
pub struct Vocabulary {
    ids: Ids,
    texts: Vec<Box<str>>,
}

/// Tokens to ids, each kind keyed as cheaply as it allows: CJK characters and pairs and words
/// of at most 8 bytes (most English words) by an integer, longer words by their text.
#[derive(Default)]
struct Ids {
    cjk: FxMap<u64, TokenId>,
    short: FxMap<u64, TokenId>,
    words: FxMap<Box<str>, TokenId>,
}

impl Ids {
    /// The id of `piece`; `new` gives it one when it has none yet.
    fn get_or_insert(&mut self, piece: &Piece<'_>, new: impl FnOnce() -> TokenId) -> TokenId {
        match *piece {
            Piece::Pair(a, b) => *self.cjk.entry(pack_pair(a, b)).or_insert_with(new),
            Piece::One(c) => *self.cjk.entry(pack_one(c)).or_insert_with(new),
            Piece::Word(text) | Piece::Join(text, _) => match pack_short(text) {
                Some(key) => *self.short.entry(key).or_insert_with(new),
                None => match self.words.get(text) {
                    Some(&id) => id,
                    None => {
                        let id = new();
                        self.words.insert(text.into(), id);
                        id
                    }
                },
            },
        }
    }
}

impl Vocabulary {
    /// The id of `piece`, numbered now if it is new.
    pub fn id(&mut self, piece: &Piece<'_>) -> TokenId {
        let next = self.texts.len() as TokenId;
        let id = self.ids.get_or_insert(piece, || next);
        if id == next {
            self.texts.push(match *piece {
                Piece::Pair(a, b) => unpack(pack_pair(a, b)).into(),
                Piece::One(c) => unpack(pack_one(c)).into(),
                Piece::Word(text) | Piece::Join(text, _) => text.into(),
            });
        }
        id
    }

    /// The id of the token `text`, numbered now if it is new.
    pub fn id_of(&mut self, text: &str) -> TokenId {
        let mut chars = text.chars();
        let piece = match (pack(text), chars.next(), chars.next()) {
            (Some(_), Some(a), Some(b)) => Piece::Pair(a, b),
            (Some(_), Some(c), None) => Piece::One(c),
            _ => Piece::Word(text),
        };
        self.id(&piece)
    }

    /// The text of token `id`.
    pub fn text(&self, id: TokenId) -> &str {
        &self.texts[id as usize]
    }

    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// The tokens' texts, by id.
    pub fn into_texts(self) -> Vec<Box<str>> {
        self.texts
    }
}

/// Whether a token is keyed as CJK (its first character picks its shard): CJK characters and
/// pairs, and a join token that starts with the CJK character.
pub fn is_cjk_token(text: &str) -> bool {
    text.chars().next().is_some_and(is_cjk)
}

/// What counting needs from one document to the next; kept per thread.
#[derive(Default)]
pub struct Counter {
    /// By token id; all zero between documents.
    seen: Vec<Seen>,
    /// The ids counted in this document.
    touched: Vec<TokenId>,
    normalized: String,
}

impl Counter {
    /// The tokens of `texts` with their weights, in the order first seen; `id` numbers them.
    pub fn count<'a>(
        &mut self,
        texts: impl IntoIterator<Item = (&'a str, Field)>,
        mut id: impl FnMut(&Piece<'_>) -> TokenId,
    ) -> Counts {
        let Counter {
            seen,
            touched,
            normalized,
        } = self;
        for (text, field) in texts {
            normalized.clear();
            normalize_into(text, normalized);
            // Inlined at each of the places `pieces` emits a token: it runs for every token.
            pieces(
                normalized,
                #[inline(always)]
                |piece: Piece<'_>| {
                    let at = id(&piece) as usize;
                    if at >= seen.len() {
                        seen.resize((at + 1).next_power_of_two(), 0);
                    }
                    let entry = &mut seen[at];
                    if *entry == 0 {
                        touched.push(at as TokenId);
                    }
                    *entry = match field {
                        Field::Body if *entry & COUNT < COUNT => *entry + 1,
                        Field::Body => *entry,
                        Field::Title => *entry | IN_TITLE,
                        Field::Meta => *entry | IN_META,
                    };
                },
            );
        }
        touched
            .drain(..)
            .map(|id| (id, weight(std::mem::take(&mut seen[id as usize]))))
            .collect()
    }
}

/// A vocabulary that the threads of an index build share. Each thread keeps the ids it has
/// seen in a cache of its own and takes the lock only for a token new to it.
pub struct SharedVocabulary {
    vocabulary: Mutex<Vocabulary>,
    /// Tells the threads' caches of one build from those of an earlier one.
    generation: u64,
}

/// A thread's cache of a [`SharedVocabulary`], and its [`Counter`].
#[derive(Default)]
struct ThreadCache {
    generation: u64,
    /// The ids this thread has seen.
    ids: Ids,
    recent: Recent,
    counter: Counter,
}

/// The ids of recently seen CJK tokens and short words, one slot per key hash: most tokens
/// are found here with one multiplication and one comparison, before [`Ids`] is asked.
struct Recent {
    slots: Box<[(u64, TokenId)]>,
}

const RECENT_BITS: u32 = 14;

impl Default for Recent {
    fn default() -> Self {
        Recent {
            slots: vec![(0, 0); 1 << RECENT_BITS].into_boxed_slice(),
        }
    }
}

impl Recent {
    /// The key of `piece` in this cache (CJK keys and word keys kept apart by their low bit).
    fn key(piece: &Piece<'_>) -> Option<u64> {
        match *piece {
            Piece::Pair(a, b) => Some(pack_pair(a, b) << 1 | 1),
            Piece::One(c) => Some(pack_one(c) << 1 | 1),
            Piece::Word(text) | Piece::Join(text, _) if text.len() <= 7 => {
                pack_short(text).map(|k| k << 1)
            }
            _ => None,
        }
    }

    fn slot(key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - RECENT_BITS)) as usize
    }
}

thread_local! {
    static CACHE: RefCell<ThreadCache> = RefCell::default();
}

static GENERATION: AtomicU64 = AtomicU64::new(1);

impl SharedVocabulary {
    pub fn new() -> SharedVocabulary {
        SharedVocabulary {
            vocabulary: Mutex::default(),
            generation: GENERATION.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// [`Counter::count`] with this vocabulary's ids, on the calling thread's cache.
    pub fn count<'a>(&self, texts: impl IntoIterator<Item = (&'a str, Field)>) -> Counts {
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.generation != self.generation {
                *cache = ThreadCache {
                    generation: self.generation,
                    ..ThreadCache::default()
                };
            }
            let ThreadCache {
                ids,
                recent,
                counter,
                ..
            } = &mut *cache;
            counter.count(
                texts,
                #[inline(always)]
                |piece| {
                    let key = Recent::key(piece);
                    let slot = key.map(|k| (k, Recent::slot(k)));
                    if let Some((k, at)) = slot {
                        let (seen, id) = recent.slots[at];
                        if seen == k {
                            return id;
                        }
                    }
                    let id = ids.get_or_insert(piece, || {
                        self.vocabulary
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .id(piece)
                    });
                    if let Some((k, at)) = slot {
                        recent.slots[at] = (k, id);
                    }
                    id
                },
            )
        })
    }

    /// The vocabulary, once counting is over; frees every thread's cache.
    pub fn into_inner(self) -> Vocabulary {
        rayon::broadcast(|_| CACHE.with(RefCell::take));
        self.vocabulary
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// The integer key of a CJK token of one or two characters (other tokens have none).
fn pack(token: &str) -> Option<u64> {
    let mut chars = token.chars();
    let a = chars.next().filter(|&c| is_cjk(c))?;
    match (chars.next(), chars.next()) {
        (None, _) => Some(pack_one(a)),
        (Some(b), None) if is_cjk(b) => Some(pack_pair(a, b)),
        _ => None,
    }
}

/// The key of a word of at most 8 bytes: its bytes, zero-padded (a word has no zero byte).
fn pack_short(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    // Byte by byte: a copy of a length only known at run time would call `memcpy`.
    (bytes.len() <= 8).then(|| {
        bytes
            .iter()
            .rev()
            .fold(0, |key, &byte| key << 8 | u64::from(byte))
    })
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

#[cfg(test)]
mod tests {
    use super::*;

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

    fn counted(vocabulary: &Vocabulary, counts: Vec<(TokenId, u32)>) -> Vec<(String, u32)> {
        let mut out: Vec<(String, u32)> = counts
            .into_iter()
            .map(|(id, w)| (vocabulary.text(id).to_string(), w))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn weights_count_the_body_and_mark_title_and_meta() {
        let mut vocabulary = Vocabulary::default();
        let mut counter = Counter::default();
        let counts = counter.count(
            [
                ("生成AI", Field::Title),
                ("Subsidies", Field::Meta),
                ("生成AIの補助 subsidy", Field::Body),
            ],
            |p| vocabulary.id(p),
        );
        assert_eq!(
            counted(&vocabulary, counts),
            [
                ("ai".to_string(), 31),
                ("aiの補".to_string(), 1),
                ("subsidy".to_string(), 11),
                ("の補".to_string(), 1),
                ("成ai".to_string(), 31),
                ("生成".to_string(), 31),
                ("補助".to_string(), 1),
            ]
        );
        // The next document starts from zero.
        let counts = counter.count([("補助", Field::Body)], |p| vocabulary.id(p));
        assert_eq!(counted(&vocabulary, counts), [("補助".to_string(), 1)]);
    }

    #[test]
    fn ids_stay_right_when_recent_tokens_share_a_slot() {
        // Far more distinct tokens than the cache of recent ones has slots, each seen twice:
        // every id must still name its own token.
        let shared = SharedVocabulary::new();
        let words: Vec<String> = (0..20_000).map(|n| format!("w{n}")).collect();
        let kanji: Vec<String> = (0..20_000u32)
            .map(|n| {
                let c = |k: u32| char::from_u32(0x4E00 + k % 0x5000).unwrap_or('一');
                [c(n), c(n / 7 + 13)].iter().collect()
            })
            .collect();
        let text = |t: &[String]| t.join(" ");
        for _ in 0..2 {
            for texts in [&words, &kanji] {
                let counts = shared.count([(text(texts).as_str(), Field::Body)]);
                assert_eq!(counts.len(), {
                    let mut distinct = texts.clone();
                    distinct.sort();
                    distinct.dedup();
                    distinct.len()
                });
            }
        }
        let counts = shared.count([(text(&words).as_str(), Field::Title)]);
        let vocabulary = shared.into_inner();
        let mut seen: Vec<String> = counts
            .iter()
            .map(|&(id, _)| vocabulary.text(id).to_string())
            .collect();
        seen.sort();
        let mut expected = words.clone();
        expected.sort();
        assert_eq!(seen, expected);
    }

    #[test]
    fn threads_share_one_numbering() {
        let shared = SharedVocabulary::new();
        let texts = ["推進法 guides", "推進 guided", "法 推進"];
        let counts: Vec<Vec<(TokenId, u32)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = texts
                .iter()
                .map(|t| scope.spawn(|| shared.count([(*t, Field::Body)])))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let vocabulary = shared.into_inner();
        let mut all: Vec<String> = counts
            .into_iter()
            .flatten()
            .map(|(id, _)| vocabulary.text(id).to_string())
            .collect();
        all.sort();
        all.dedup();
        assert_eq!(all, ["guid", "推進", "法", "進法"]);
        assert_eq!(vocabulary.len(), 4);
    }
}
