//! A seeded soak of `tebiki serve`: random edits, renames, deletions, additions, broken and
//! mended front matter and glossary changes against a temporary site.
//!
//! - `the_preview_engine_stays_equal_to_a_full_build` drives the in-memory engine (`Preview`)
//!   from the library for 1,000 steps, with no watcher: after every step the incremental
//!   result must equal a fresh full build (the same snapshot, or an error for both), and at the
//!   end the served snapshot must be byte-equal to `tebiki build`.
//! - `served_site_survives_random_edits_with_requests_in_flight` runs the same steps against
//!   the real binary (watcher and HTTP), a few milliseconds apart so that some arrive in one
//!   batch, while two threads keep requesting pages (every answer whole, never a server
//!   error); it ends with the served site byte-equal to a fresh `tebiki build`.
//!
//! Both stop stepping at a time bound (`TEBIKI_SOAK_SECONDS`, 120 s and 90 s by default),
//! then mend the site and check it.
//!
//! The seed is printed; `TEBIKI_SOAK_SEED=N` replays a run, `TEBIKI_SOAK_STEPS` and
//! `TEBIKI_SOAK_HTTP_STEPS` change the step counts.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tebiki::preview::engine::{Preview, Update};
use tebiki::preview::snapshot::Snapshot;

use crate::common::{BOOK, Fixture, files_in, snapshot_files};
use crate::serve::{PATIENCE, Served};
use crate::serve::{encode, strip_script};
use crate::serve_hardening::status;

/// splitmix64: small, seedable, good enough to pick steps.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.trim().parse().ok()
}

fn seed() -> u64 {
    env_number("TEBIKI_SOAK_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
    })
}

const SECTIONS: [&str; 2] = ["guides", "briefs"];
const WORDS: &[&str] = &[
    "policy",
    "safety",
    "review",
    "the",
    "plan",
    "headquarters",
    "AISI",
    "Japan AISI",
    "rules",
    "METIS",
    "evaluation",
    "of",
    "and",
    "guidance",
];
const TAGS: &[&str] = &["Plans", "Safety", "Law", "Budget"];

struct Link {
    to: usize,
    anchor: bool,
    empty: bool,
    absolute: bool,
}

struct Page {
    section: usize,
    name: String,
    title: String,
    tags: Vec<String>,
    paras: Vec<String>,
    links: Vec<Link>,
    related: Vec<usize>,
    draft: bool,
    /// The Japanese translation's title, when there is one.
    ja: Option<String>,
}

struct Term {
    id: String,
    term: String,
    aliases: Vec<String>,
    definition: String,
}

/// What the site should be; files on disk follow it, except those in `pending` (broken or
/// left stale on purpose until a later step mends them).
struct Model {
    root: PathBuf,
    pages: Vec<Option<Page>>,
    terms: Vec<Term>,
    intros: [String; 2],
    pending: BTreeSet<usize>,
    glossary_pending: bool,
    renames: usize,
}

/// The step kinds, each with its weight.
const STEPS: &[(&str, u64)] = &[
    ("body", 24),
    ("title", 9),
    ("tags", 6),
    ("link", 8),
    ("unlink", 4),
    ("related", 3),
    ("rename", 6),
    ("delete", 4),
    ("add", 8),
    ("translation", 4),
    ("draft", 2),
    ("break", 4),
    ("mend", 22),
    ("definition", 5),
    ("terms", 3),
    ("break-glossary", 1),
    ("section", 2),
];

impl Model {
    fn new(root: &Path, rng: &mut Rng) -> Model {
        let mut model = Model {
            root: root.to_path_buf(),
            pages: Vec::new(),
            terms: vec![
                Term {
                    id: "hq".into(),
                    term: "headquarters".into(),
                    aliases: vec![],
                    definition: "A central body.".into(),
                },
                Term {
                    id: "aisi".into(),
                    term: "AI Safety Institute".into(),
                    aliases: vec!["AISI".into()],
                    definition: "Evaluates AI safety.".into(),
                },
            ],
            intros: ["Guides.".into(), "Briefs.".into()],
            pending: BTreeSet::new(),
            glossary_pending: false,
            renames: 0,
        };
        let mut changed = Vec::new();
        for _ in 0..8 {
            model.add_page(rng, &mut changed);
        }
        model.write_glossary(&mut changed);
        for s in 0..SECTIONS.len() {
            model.write_section(s, &mut changed);
        }
        std::fs::write(
            root.join("content/_index.md"),
            "---\ntitle: Home\n---\nWelcome.\n",
        )
        .expect("write home");
        model
    }

    fn live(&self) -> Vec<usize> {
        (0..self.pages.len())
            .filter(|&i| self.pages[i].is_some())
            .collect()
    }

    fn rel(&self, slot: usize, ja: bool) -> String {
        let page = self.pages[slot].as_ref().expect("live page");
        let lang = if ja { ".ja" } else { "" };
        format!("content/{}/{}{lang}.md", SECTIONS[page.section], page.name)
    }

    fn put(&self, rel: &str, text: &str, changed: &mut Vec<String>) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        std::fs::write(path, text).expect("write");
        changed.push(rel.to_string());
    }

    fn remove(&self, rel: &str, changed: &mut Vec<String>) {
        let _ = std::fs::remove_file(self.root.join(rel));
        changed.push(rel.to_string());
    }

    fn text(&self, slot: usize, ja: bool) -> String {
        let page = self.pages[slot].as_ref().expect("live page");
        let quote = |s: &str| format!("\"{s}\"");
        let mut fm = String::from("---\n");
        let title = if ja {
            page.ja.clone().unwrap_or_default()
        } else {
            page.title.clone()
        };
        fm.push_str(&format!(
            "title: {}\ndate: 2026-01-0{}\n",
            quote(&title),
            1 + slot % 9
        ));
        if !page.tags.is_empty() && !ja {
            let tags: Vec<String> = page.tags.iter().map(|t| quote(t)).collect();
            fm.push_str(&format!("tags: [{}]\n", tags.join(", ")));
        }
        let related: Vec<String> = page
            .related
            .iter()
            .filter_map(|&r| self.pages.get(r)?.as_ref())
            .map(|p| quote(&format!("{}/{}.md", SECTIONS[p.section], p.name)))
            .collect();
        if !related.is_empty() && !ja {
            fm.push_str(&format!("related: [{}]\n", related.join(", ")));
        }
        if page.draft {
            fm.push_str("draft: true\n");
        }
        fm.push_str("---\n");
        let mut body = fm;
        if ja {
            body.push_str("日本語の本文。\n\n## 概要\n\n");
        } else {
            body.push_str(&format!("{}\n\n## Overview\n\n", page.paras[0]));
            for para in &page.paras[1..] {
                body.push_str(para);
                body.push_str("\n\n");
            }
        }
        let mut links = Vec::new();
        for link in &page.links {
            let Some(target) = self.pages.get(link.to).and_then(Option::as_ref) else {
                continue;
            };
            let path = if link.absolute {
                format!("@/{}/{}.md", SECTIONS[target.section], target.name)
            } else if target.section == page.section {
                format!("{}.md", target.name)
            } else {
                format!("../{}/{}.md", SECTIONS[target.section], target.name)
            };
            let anchor = if link.anchor && !ja { "#overview" } else { "" };
            let text = if link.empty { "" } else { "see" };
            links.push(format!("[{text}]({path}{anchor})"));
        }
        if !links.is_empty() {
            body.push_str(&format!("Links: {}.\n", links.join(", ")));
        }
        body
    }

    /// Writes a page (and its translation) as the model has it.
    fn write_page(&mut self, slot: usize, changed: &mut Vec<String>) {
        self.pending.remove(&slot);
        let has_ja = self.pages[slot].as_ref().is_some_and(|p| p.ja.is_some());
        self.put(&self.rel(slot, false), &self.text(slot, false), changed);
        if has_ja {
            self.put(&self.rel(slot, true), &self.text(slot, true), changed);
        }
    }

    fn write_glossary(&mut self, changed: &mut Vec<String>) {
        self.glossary_pending = false;
        let mut text = String::new();
        for term in &self.terms {
            let aliases: Vec<String> = term.aliases.iter().map(|a| format!("\"{a}\"")).collect();
            text.push_str(&format!(
                "[[term]]\nid = \"{}\"\n[term.en]\nterm = \"{}\"\naliases = [{}]\ndefinition = \"{}\"\n[term.ja]\nterm = \"用語{}\"\nreading = \"ようご\"\ndefinition = \"定義。\"\n\n",
                term.id,
                term.term,
                aliases.join(", "),
                term.definition,
                term.id
            ));
        }
        self.put("content/glossary.toml", &text, changed);
    }

    fn write_section(&self, s: usize, changed: &mut Vec<String>) {
        let rel = format!("content/{}/_index.md", SECTIONS[s]);
        let text = format!("---\ntitle: {}\n---\n{}\n", SECTIONS[s], self.intros[s]);
        self.put(&rel, &text, changed);
    }

    fn sentence(rng: &mut Rng) -> String {
        let n = 3 + rng.below(8);
        let words: Vec<&str> = (0..n).map(|_| *rng.pick(WORDS)).collect();
        format!("{}.", words.join(" "))
    }

    fn title(rng: &mut Rng) -> String {
        let n = 1 + rng.below(3);
        let words: Vec<&str> = (0..n)
            .map(|_| *rng.pick(&["Plan", "Safety", "Review", "Notes", "Law", "Guide"]))
            .collect();
        words.join(" ")
    }

    fn add_page(&mut self, rng: &mut Rng, changed: &mut Vec<String>) {
        let slot = self.pages.len();
        let live = self.live();
        let links = (0..rng.below(3))
            .filter(|_| !live.is_empty())
            .map(|_| Link {
                to: *rng.pick(&live),
                anchor: rng.chance(30),
                empty: rng.chance(30),
                absolute: rng.chance(50),
            })
            .collect();
        self.pages.push(Some(Page {
            section: rng.below(SECTIONS.len()),
            name: format!("p{slot}"),
            title: Self::title(rng),
            tags: vec![],
            paras: (0..1 + rng.below(3)).map(|_| Self::sentence(rng)).collect(),
            links,
            related: vec![],
            draft: false,
            ja: rng.chance(30).then(|| "日本語の題".to_string()),
        }));
        self.write_page(slot, changed);
    }

    fn page(&mut self, slot: usize) -> &mut Page {
        self.pages[slot].as_mut().expect("live page")
    }

    /// The live pages that link to or list `slot`.
    fn referrers(&self, slot: usize) -> Vec<usize> {
        self.live()
            .into_iter()
            .filter(|&i| {
                let p = self.pages[i].as_ref().expect("live");
                i != slot && (p.links.iter().any(|l| l.to == slot) || p.related.contains(&slot))
            })
            .collect()
    }

    /// After `slot` moved or went: mend the pages pointing at it now, or leave them for later.
    fn follow(&mut self, rng: &mut Rng, referrers: Vec<usize>, changed: &mut Vec<String>) {
        for r in referrers {
            if rng.chance(85) {
                self.write_page(r, changed);
            } else {
                self.pending.insert(r);
            }
        }
    }

    /// One random step; returns its name and the changed files.
    fn step(&mut self, rng: &mut Rng) -> (&'static str, Vec<String>) {
        let total: u64 = STEPS.iter().map(|(_, w)| w).sum();
        let mut roll = rng.next() % total;
        let kind = STEPS
            .iter()
            .find(|(_, w)| {
                if roll < *w {
                    true
                } else {
                    roll -= w;
                    false
                }
            })
            .map_or("body", |(k, _)| *k);
        let mut changed = Vec::new();
        let live = self.live();
        if live.is_empty() {
            self.add_page(rng, &mut changed);
            return ("add", changed);
        }
        let slot = *rng.pick(&live);
        match kind {
            "body" => {
                let sentence = Self::sentence(rng);
                let p = self.page(slot);
                let at = rng.below(p.paras.len());
                p.paras[at] = sentence;
                self.write_page(slot, &mut changed);
            }
            "title" => {
                let title = Self::title(rng);
                self.page(slot).title = title;
                self.write_page(slot, &mut changed);
            }
            "tags" => {
                let tags: Vec<String> = TAGS
                    .iter()
                    .filter(|_| rng.chance(30))
                    .map(|t| t.to_string())
                    .collect();
                self.page(slot).tags = tags;
                self.write_page(slot, &mut changed);
            }
            "link" => {
                let link = Link {
                    to: *rng.pick(&live),
                    anchor: rng.chance(30),
                    empty: rng.chance(40),
                    absolute: rng.chance(50),
                };
                if link.to != slot {
                    self.page(slot).links.push(link);
                }
                self.write_page(slot, &mut changed);
            }
            "unlink" => {
                let p = self.page(slot);
                if !p.links.is_empty() {
                    let at = rng.below(p.links.len());
                    p.links.remove(at);
                }
                self.write_page(slot, &mut changed);
            }
            "related" => {
                let other = *rng.pick(&live);
                let p = self.page(slot);
                if p.related.contains(&other) || other == slot {
                    p.related.clear();
                } else {
                    p.related.push(other);
                }
                self.write_page(slot, &mut changed);
            }
            "rename" => {
                let (old, old_ja) = (self.rel(slot, false), self.rel(slot, true));
                let has_ja = self.page(slot).ja.is_some();
                self.renames += 1;
                let name = format!("r{}", self.renames);
                let section = rng.below(SECTIONS.len());
                let old_section = SECTIONS[self.page(slot).section];
                let p = self.page(slot);
                p.name = name;
                p.section = section;
                let (new, new_ja) = (self.rel(slot, false), self.rel(slot, true));
                let broken = self.pending.contains(&slot);
                for (from, to, go) in [(old, new, true), (old_ja, new_ja, has_ja)] {
                    if go {
                        let target = self.root.join(&to);
                        std::fs::create_dir_all(target.parent().expect("parent")).expect("dirs");
                        std::fs::rename(self.root.join(&from), target).expect("rename");
                        changed.push(from);
                        changed.push(to);
                    }
                }
                // A page moved to the other section keeps its relative links, now broken,
                // until it is mended.
                let moved = SECTIONS[section] != old_section;
                if broken || moved {
                    self.pending.insert(slot);
                }
                let referrers = self.referrers(slot);
                self.follow(rng, referrers, &mut changed);
            }
            "delete" => {
                let referrers = self.referrers(slot);
                self.remove(&self.rel(slot, false), &mut changed);
                if self.page(slot).ja.is_some() {
                    self.remove(&self.rel(slot, true), &mut changed);
                }
                self.pages[slot] = None;
                self.pending.remove(&slot);
                for p in self.pages.iter_mut().flatten() {
                    p.links.retain(|l| l.to != slot);
                    p.related.retain(|&r| r != slot);
                }
                self.follow(rng, referrers, &mut changed);
            }
            "add" => self.add_page(rng, &mut changed),
            "translation" => {
                if self.page(slot).ja.is_some() {
                    self.remove(&self.rel(slot, true), &mut changed);
                    self.page(slot).ja = None;
                } else {
                    self.page(slot).ja = Some("訳された題".into());
                    self.write_page(slot, &mut changed);
                }
            }
            "draft" => {
                let p = self.page(slot);
                p.draft = !p.draft;
                self.write_page(slot, &mut changed);
            }
            "break" => {
                let rel = self.rel(slot, false);
                let bad = *rng.pick(&[
                    "---\ntitle: [unclosed\n---\nBroken.\n",
                    "---\ntitle: Fine\nunknown_key: 1\n---\nBroken.\n",
                    "---\ndate: 2026-01-01\n---\nNo title.\n",
                    "---\ntitle: Fine\n",
                    "+++\ntitle = \n+++\nBroken.\n",
                ]);
                self.put(&rel, bad, &mut changed);
                self.pending.insert(slot);
            }
            "mend" => {
                let pending: Vec<usize> = self.pending.iter().copied().collect();
                for p in pending {
                    if self.pages[p].is_some() {
                        self.write_page(p, &mut changed);
                    }
                }
                self.pending.clear();
                if self.glossary_pending {
                    self.write_glossary(&mut changed);
                }
                if changed.is_empty() {
                    self.write_page(slot, &mut changed);
                }
            }
            "definition" => {
                let at = rng.below(self.terms.len());
                self.terms[at].definition = Self::sentence(rng);
                self.write_glossary(&mut changed);
            }
            "terms" => {
                let at = rng.below(self.terms.len());
                let term = &mut self.terms[at];
                match rng.below(3) {
                    0 if term.aliases.is_empty() => {
                        let alias = format!("{} office", term.term);
                        term.aliases.push(alias);
                    }
                    0 | 1 => term.aliases.clear(),
                    _ if self.terms.len() < 4 => self.terms.push(Term {
                        id: format!("t{}", self.terms.len()),
                        term: ["evaluation", "guidance"][self.terms.len() % 2].into(),
                        aliases: vec![],
                        definition: "Checking.".into(),
                    }),
                    _ => {
                        self.terms.pop();
                    }
                }
                self.write_glossary(&mut changed);
            }
            "break-glossary" => {
                self.put("content/glossary.toml", "[[term]]\nid = \n", &mut changed);
                self.glossary_pending = true;
            }
            _ => {
                let s = rng.below(SECTIONS.len());
                self.intros[s] = Self::sentence(rng);
                self.write_section(s, &mut changed);
            }
        }
        (kind, changed)
    }

    /// Writes everything left broken or stale, so that the site builds.
    fn mend_all(&mut self) -> Vec<String> {
        let mut changed = Vec::new();
        for p in std::mem::take(&mut self.pending) {
            if self.pages[p].is_some() {
                self.write_page(p, &mut changed);
            }
        }
        self.write_glossary(&mut changed);
        changed
    }
}

fn describe_difference(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> String {
    let only_a: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    let differ: Vec<_> = a
        .iter()
        .filter(|(k, v)| b.get(*k).is_some_and(|w| w != *v))
        .map(|(k, _)| k)
        .collect();
    format!("only incremental {only_a:?}\nonly full {only_b:?}\ndiffer {differ:?}")
}

fn new_site() -> Fixture {
    let f = Fixture::with_book(BOOK);
    f.write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
    f
}

#[test]
fn the_preview_engine_stays_equal_to_a_full_build() {
    let seed = seed();
    let steps = env_number("TEBIKI_SOAK_STEPS").unwrap_or(1000);
    eprintln!("soak seed {seed} (replay with TEBIKI_SOAK_SEED={seed}), {steps} steps");
    let mut rng = Rng(seed);
    let f = new_site();
    let root = f.root().canonicalize().expect("root");
    let base = "http://127.0.0.1:1111/".to_string();
    let mut model = Model::new(&root, &mut rng);
    let mut preview = Preview::new(root.clone(), base.clone());
    let mut served: Option<Arc<Snapshot>> = match preview.full() {
        Ok(Update::Rebuilt { snapshot, .. }) => Some(snapshot),
        _ => None,
    };
    let started = Instant::now();
    let (mut incremental, mut failed) = (0, 0);
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let limit = Duration::from_secs(env_number("TEBIKI_SOAK_SECONDS").unwrap_or(120));
    let mut done = 0;
    for step in 1..=steps + 1 {
        let out_of_time = started.elapsed() > limit;
        if out_of_time && step <= steps {
            eprintln!("soak: time bound reached after {done} steps; mending and checking");
        }
        let (kind, changed) = if step > steps || out_of_time {
            ("mend all", model.mend_all())
        } else {
            model.step(&mut rng)
        };
        *kinds.entry(kind).or_default() += 1;
        let context = || format!("step {step} ({kind}, seed {seed}), changed {changed:?}");
        let got = preview.update(&changed);
        let fresh = Preview::new(root.clone(), base.clone()).full();
        match (got, fresh) {
            (
                Ok(Update::Rebuilt { snapshot, full, .. }),
                Ok(Update::Rebuilt { snapshot: want, .. }),
            ) => {
                let (a, b) = (snapshot_files(&snapshot), snapshot_files(&want));
                assert!(a == b, "{}: {}", context(), describe_difference(&a, &b));
                incremental += usize::from(!full);
                served = Some(snapshot);
            }
            (Ok(Update::Rebuilt { .. }), Err(e)) => {
                panic!(
                    "{}: the engine built what a full build refuses: {}",
                    context(),
                    e.render(&root, None, tebiki::diag::Style::Plain)
                )
            }
            (Err(e), Ok(_)) => {
                panic!(
                    "{}: the engine failed where a full build works: {}",
                    context(),
                    e.render(&root, None, tebiki::diag::Style::Plain)
                )
            }
            (Err(_), Err(_)) => failed += 1,
            (Ok(_), Ok(Update::Rebuilt { snapshot: want, .. })) => {
                // Nothing to rebuild: what is served must still be right.
                let served = served.as_ref().expect("a build before");
                let (a, b) = (snapshot_files(served), snapshot_files(&want));
                assert!(a == b, "{}: {}", context(), describe_difference(&a, &b));
            }
            (Ok(_), _) => panic!("{}: a full build gave no snapshot", context()),
        }
        if kind == "mend all" {
            break;
        }
        done += 1;
    }
    // The end: byte-equal to `tebiki build` of the same files.
    let out = tempfile::tempdir().expect("temp dir");
    let out_dir = out.path().join("site");
    tebiki::build(&tebiki::BuildOptions {
        root: root.clone(),
        out: Some(out_dir.clone()),
        drafts: true,
        base_url: Some(base),
    })
    .unwrap_or_else(|e| {
        panic!(
            "final build (seed {seed}): {}",
            e.render(&root, None, tebiki::diag::Style::Plain)
        )
    });
    let built = files_in(&out_dir);
    let served = snapshot_files(served.as_ref().expect("a served build"));
    assert!(
        served == built,
        "seed {seed}: {}",
        describe_difference(&served, &built)
    );
    eprintln!(
        "soak: {done} steps in {:.1} s; {incremental} incremental rebuilds, {failed} failed builds, {} files at the end; steps {kinds:?}",
        started.elapsed().as_secs_f64(),
        built.len()
    );
}

/// Every file the server has, as a build would write it.
fn served_files(served: &Served) -> BTreeMap<String, Vec<u8>> {
    let (_, list) = served.fetch("/__tebiki/files");
    let paths: Vec<String> = serde_json::from_slice(&list).unwrap_or_default();
    paths
        .into_iter()
        .map(|p| {
            let (_, body) = served.fetch(&format!("/{}", encode(&p)));
            (p, strip_script(body))
        })
        .collect()
}

/// Requests pages until `stop`, checking that every answer is whole; returns how many.
fn keep_requesting(port: u16, seed: u64, stop: Arc<AtomicBool>) -> usize {
    let mut rng = Rng(seed);
    let mut paths: Vec<String> = vec!["index.html".into()];
    let mut count = 0;
    while !stop.load(Ordering::Relaxed) && count < 1_000_000 {
        if count % 25 == 0 {
            let raw = http_get(port, "/__tebiki/files");
            if let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n")
                && let Ok(list) = serde_json::from_slice::<Vec<String>>(&raw[at + 4..])
                && !list.is_empty()
            {
                paths = list;
            }
        }
        let path = rng.pick(&paths).clone();
        let raw = http_get(port, &format!("/{}", encode(&path)));
        let code = status(&raw);
        // A path from an older list may be gone (404) or now a folder (301); anything else
        // is a failure, and so is a page cut short.
        assert!(
            matches!(code, 200 | 301 | 404),
            "GET /{path}: {}",
            String::from_utf8_lossy(&raw)
        );
        if code == 200 && path.ends_with(".html") {
            let text = String::from_utf8_lossy(&raw);
            assert!(
                text.trim_end().ends_with("</html>"),
                "GET /{path} cut short"
            );
        }
        count += 1;
        // Leave the machine to the server and the watcher.
        std::thread::sleep(Duration::from_millis(1));
    }
    count
}

fn http_get(port: u16, path: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    let mut out = Vec::new();
    stream.read_to_end(&mut out).expect("read");
    out
}

#[test]
fn served_site_survives_random_edits_with_requests_in_flight() {
    let seed = seed();
    let steps = env_number("TEBIKI_SOAK_HTTP_STEPS").unwrap_or(1000);
    eprintln!("http soak seed {seed} (replay with TEBIKI_SOAK_SEED={seed}), {steps} steps");
    let mut rng = Rng(seed);
    let f = new_site();
    let root = f.root().canonicalize().expect("root");
    let mut model = Model::new(&root, &mut rng);
    let served = Served::start(&f);
    let stop = Arc::new(AtomicBool::new(false));
    let requests = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..2u64)
        .map(|i| {
            let (stop, requests, port) = (stop.clone(), requests.clone(), served.port);
            std::thread::spawn(move || {
                let n = keep_requesting(port, seed ^ i, stop);
                requests.fetch_add(n, Ordering::Relaxed);
            })
        })
        .collect();
    let started = Instant::now();
    let limit = Duration::from_secs(env_number("TEBIKI_SOAK_SECONDS").unwrap_or(90));
    let mut done = 0;
    while done < steps && started.elapsed() < limit {
        model.step(&mut rng);
        std::thread::sleep(Duration::from_millis(rng.below(60) as u64));
        done += 1;
    }
    model.mend_all();
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.join().expect("a request failed");
    }

    let out = tempfile::tempdir().expect("temp dir");
    let out_dir = out.path().join("site");
    let base = format!("http://127.0.0.1:{}/", served.port);
    let run = f.run(&[
        "build",
        "--drafts",
        "--base-url",
        &base,
        "-o",
        out_dir.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(run.code, 0, "seed {seed}: {}", run.stderr);
    let built = files_in(&out_dir);
    let waited = Instant::now();
    loop {
        let got = served_files(&served);
        if got == built {
            break;
        }
        assert!(
            waited.elapsed() < PATIENCE,
            "seed {seed}: the served site differs from a fresh build\n{}\nlog:\n{}",
            describe_difference(&got, &built),
            served.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!(
        "http soak: {done} steps in {:.1} s with {} requests in flight, {} files at the end",
        started.elapsed().as_secs_f64(),
        requests.load(Ordering::Relaxed),
        built.len()
    );
}
