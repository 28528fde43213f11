//! Full-text search: the Rust indexer and the theme's `search.js` cut text the same way, the
//! query set over the bundled site finds what it should, and the index follows the site's
//! settings (`[search] enabled`, a sub-path `base_url`, edits in `serve`).
//!
//! The client runs in Node.js here (`tests/search/*.js`); without `node` these tests fail and
//! say so.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tebiki::pipeline::search::tokenize;
use tebiki::preview::engine::Preview;
use tebiki::preview::snapshot::Body;

use crate::common::Fixture;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `node SCRIPT ARGS` with `stdin`, returning (exit code, stdout); fails clearly when
/// Node.js is missing.
pub fn node(script: &str, args: &[&str], stdin: &str) -> (i32, String) {
    let mut child = Command::new("node")
        .arg(repo().join(script))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("these tests run the search client in Node.js, and `node` cannot be started ({e}): install Node.js 18 or later (Debian: apt-get install nodejs)")
        });
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write to node");
    let out = child.wait_with_output().expect("node runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

const SAMPLES: &[&str] = &[
    "AI推進法",
    "推進法",
    "計算資源",
    "生成AIの利用に関するガイドライン",
    "ＡＩ（人工知能）とＧＰＵ",
    "ｶﾞｲﾄﾞﾗｲﾝ ｶﾞｰﾄﾞﾚｰﾙ",
    "ひらがなだけのもじれつ",
    "カタカナ・ナカグロ・ロングー",
    "々〆〇 佐々木",
    "Subsidies, policies and guidelines were planned; approaches taxed.",
    "The AISI's red-teaming: status, analysis, process, classes.",
    "Ⅻ ① ｶﾞ ﬁ ㍻ ㌔",
    "Ελληνικά ΟΔΟΣ straße Ærøskøbing naïve café",
    "日本語とEnglishがmixedになった文章2025年",
    "𠮷野家 𩸽",
    "한국어 텍스트",
    "emoji 🚀 and symbols ≤ ≥ → ok",
    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz short",
    "  spaced\tout\nlines  ",
    "",
];

#[test]
fn the_rust_indexer_and_search_js_cut_text_the_same_way() {
    let shards = 64;
    let input = serde_json::json!({ "strings": SAMPLES, "shards": shards });
    let (code, out) = node("tests/search/tokens.js", &[], &input.to_string());
    assert_eq!(code, 0, "tokens.js failed");
    let js: Vec<serde_json::Value> = serde_json::from_str(&out).expect("JSON from tokens.js");
    for (sample, js) in SAMPLES.iter().zip(js) {
        let tokens = tokenize::tokens(sample);
        let rust: Vec<(String, bool)> = tokens.iter().map(|t| (t.text.clone(), t.cjk)).collect();
        let js_tokens: Vec<(String, bool)> =
            serde_json::from_value(js["tokens"].clone()).expect("token list");
        assert_eq!(
            rust, js_tokens,
            "tokens of {sample:?} differ (left: Rust, right: JS)"
        );
        let rust_shards: Vec<u32> = tokens
            .iter()
            .map(|t| tokenize::shard_of(tokenize::shard_key(&t.text, t.cjk), shards))
            .collect();
        let js_shards: Vec<u32> = serde_json::from_value(js["shards"].clone()).expect("shards");
        assert_eq!(rust_shards, js_shards, "shards of {sample:?} differ");
    }
}

/// Builds the repository's own site (book.toml + content/) into a temporary folder.
pub fn build_bundled_site(base_url: Option<&str>) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    let mut args = vec![
        "build".to_string(),
        "--root".into(),
        repo().display().to_string(),
        "-o".into(),
        out.path().join("public").display().to_string(),
    ];
    if let Some(url) = base_url {
        args.extend(["--base-url".into(), url.into()]);
    }
    let run = Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .args(&args)
        .output()
        .expect("run tebiki");
    assert!(
        run.status.success(),
        "the bundled site does not build:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

#[test]
fn the_query_set_finds_its_pages_on_the_bundled_site() {
    let out = build_bundled_site(None);
    let public = out.path().join("public");
    let (code, report) = node(
        "tests/search/eval.js",
        &[
            &public.display().to_string(),
            &repo()
                .join("tests/search/queries.json")
                .display()
                .to_string(),
        ],
        "",
    );
    let report: serde_json::Value = serde_json::from_str(&report).expect("JSON from eval.js");
    let failed: Vec<&serde_json::Value> = report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["missing"].as_array().is_some_and(|m| !m.is_empty()))
        .collect();
    assert_eq!(
        code, 0,
        "expected pages not among the first five: {failed:#?}"
    );
    let number = |k: &str| report[k].as_f64().unwrap_or(0.0);
    assert!(
        number("queries") >= 40.0,
        "the query set has fewer than 40 queries"
    );
    assert!(
        number("japanese") * 2.0 >= number("queries"),
        "fewer than half are Japanese"
    );
    assert!(number("recall") >= 0.95, "recall {}", number("recall"));
    assert!(
        number("precision") >= 0.90,
        "precision {}",
        number("precision")
    );
    assert!(
        number("recall_ja") >= 0.95,
        "Japanese recall {}",
        number("recall_ja")
    );
}

fn query(public: &Path, lang: &str, q: &str) -> String {
    let (code, out) = node(
        "tests/search/query.js",
        &[&public.display().to_string(), lang, q],
        "",
    );
    assert_eq!(code, 0, "query.js failed");
    out
}

#[test]
fn a_sub_path_base_url_reaches_the_index_and_the_results() {
    let out = build_bundled_site(Some("https://example.org/guides/"));
    let public = out.path().join("public");
    let page = std::fs::read_to_string(public.join("ja/guides/ai-act/index.html")).expect("page");
    assert!(page.contains("data-index=\"https://example.org/guides/search/\""));
    assert!(page.contains("src=\"https://example.org/guides/search.js\""));
    let found = query(&public, "ja", "推進法");
    assert!(found.contains("/guides/ja/guides/ai-act/"), "{found}");
}

#[test]
fn search_can_be_turned_off() {
    let f = Fixture::bilingual();
    let book = f.read("book.toml") + "\n[search]\nenabled = false\n";
    f.write("book.toml", &book);
    f.build_ok(&[]);
    let page = f.read("public/guides/ai-act/index.html");
    assert!(
        !page.contains("data-search"),
        "a search box on a site without search"
    );
    assert!(!page.contains("search.js"));
    assert!(!f.path("public/search").exists(), "index files written");
    assert!(
        !f.path("public/search.js").exists(),
        "the search client written"
    );
    assert!(!f.path("public/search-index.json").exists());
    assert!(!f.path("public/ja/search-index.json").exists());
}

#[test]
fn an_unknown_search_key_is_reported_with_a_suggestion() {
    let f = Fixture::bilingual();
    let book = f.read("book.toml") + "\n[search]\nenable = false\n";
    f.write("book.toml", &book);
    let err = f.build_err();
    assert!(err.contains("unknown key `enable` in [search]"), "{err}");
    assert!(err.contains("enabled"), "{err}");
}

#[test]
fn every_page_has_a_labelled_search_box_hidden_without_javascript() {
    let f = Fixture::bilingual();
    f.build_ok(&[]);
    for (page, label) in [
        ("public/index.html", ">Search</label>"),
        ("public/guides/ai-act/index.html", ">Search</label>"),
        ("public/ja/guides/ai-act/index.html", ">検索</label>"),
    ] {
        let html = f.read(page);
        assert!(
            html.contains("<input class=\"search-input\" id=\"search-input\" type=\"search\""),
            "{page}"
        );
        assert!(html.contains(label), "{page} lacks its label");
        assert!(
            html.contains("data-search hidden"),
            "{page}: the box must start hidden"
        );
        assert!(html.contains("aria-live=\"polite\""), "{page}");
    }
    assert!(f.path("public/search.js").is_file());
    assert!(f.path("public/search/index.json").is_file());
}

/// A glossary entry is found by its definition's words as a reader sees them: a link's text,
/// not its address, and no Markdown marks in the snippet.
#[test]
fn a_glossary_definition_is_indexed_as_it_reads() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/ai-act.md",
        "---\ntitle: The Act\n---\n## Key dates\n\nText.\n",
    );
    f.write(
        "content/glossary.toml",
        "[[term]]\nid = \"aisi\"\n[term.en]\nterm = \"AI Safety Institute\"\n\
         definition = \"Japan's *central* body for AI safety; see [the Act](@/guides/ai-act.md#key-dates).\"\n\
         [term.ja]\nterm = \"AIセーフティ・インスティテュート\"\ndefinition = \"AI安全性の中核機関。\"\n",
    );
    f.build_ok(&[]);
    let public = f.path("public");
    let fragments: Vec<String> = std::fs::read_dir(public.join("search/f"))
        .expect("fragments")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("fragment"))
        .filter(|text| text.contains("\"glossary\":true") && text.contains("\"lang\":\"en\""))
        .collect();
    assert_eq!(fragments.len(), 1, "{fragments:?}");
    assert!(
        fragments[0].contains("\"text\":\"Japan's central body for AI safety; see the Act.\""),
        "{}",
        fragments[0]
    );
    // The link's address is not text: `guides` finds the page, not the entry.
    let found = query(&public, "en", "guides");
    assert!(!found.contains("glossary/#aisi"), "{found}");
    let found = query(&public, "en", "central body");
    assert!(found.contains("glossary/#aisi"), "{found}");
}

#[test]
fn another_languages_page_is_offered_when_the_readers_has_none() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/sandbox.md",
        "---\ntitle: Regulatory sandbox\n---\nThe sandbox lets firms test quietly.\n",
    );
    f.build_ok(&[]);
    let public = f.path("public");
    let found = query(&public, "ja", "sandbox");
    assert!(
        found.contains("* /guides/sandbox/"),
        "the English page is not offered to a Japanese reader:\n{found}"
    );
    // A page that has a Japanese translation is not offered in English to a Japanese reader.
    let found = query(&public, "ja", "established");
    assert!(!found.contains("* /guides/ai-act/"), "{found}");
}

#[test]
fn snippets_keep_headings_and_cells_apart_from_the_text_after_them() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/compute.md",
        "---\ntitle: Compute plan\n---\nAn opening paragraph that runs on for a while.\n\n\
         ## Cloud subsidies\n\nThe ministry pays for GPU time.\n\n\
         | Programme | Support |\n|---|---|\n| GENIAC | compute |\n",
    );
    f.build_ok(&[]);
    let found = query(&f.path("public"), "en", "ministry");
    // The snippet starts where the match's paragraph or heading starts, shows a `·` after a
    // heading and between cells, and only a space after a sentence's full stop.
    assert!(
        found.contains(
            "| … The [ministry] pays for GPU time. Programme · Support · GENIAC · compute"
        ),
        "{found}"
    );
    let found = query(&f.path("public"), "en", "subsidies");
    assert!(
        found.contains("| … Cloud [subsidies] · The ministry pays"),
        "{found}"
    );
}

#[test]
fn a_japanese_snippet_starts_after_a_full_stop_or_comma_near_its_match() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/compute.ja.md",
        "---\ntitle: 計算資源の計画\n---\n\
         この段落は、検索結果の断片がどこから始まるのかを確かめるために置いた前置きの文章である。\
         記事によれば国内の半導体と計算基盤を拡充する。\n",
    );
    f.build_ok(&[]);
    let found = query(&f.path("public"), "ja", "計算基盤");
    // Not in the middle of a word of the sentence before: after its full stop.
    assert!(
        found.contains("| … 記事によれば国内の半導体と[計算基盤]を拡充する。"),
        "{found}"
    );
}

#[test]
fn a_result_links_to_the_heading_and_the_words_its_match_comes_under() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/compute.md",
        "---\ntitle: Compute plan\n---\nAn opening paragraph. It names subsidies.\n\n\
         ## Cloud subsidies\n\nThe ministry pays for GPU time.\n\n\
         ### 今後の論点 {#next}\n\n記事によれば、国内のAI計算資源を拡充する。\n\n\
         | Programme |\n|---|\n| procurement |\n",
    );
    f.build_ok(&[]);
    let public = f.path("public");
    // The words matched follow as a text fragment (with the words around them, which tell
    // this place from another with the same words), that browsers scroll to and highlight.
    for (q, lang, line) in [
        (
            "ministry",
            "en",
            "/guides/compute/#cloud-subsidies:~:text=The-,ministry,-pays%20for%20GPU%20time.  \
             Compute plan › Cloud subsidies |",
        ),
        (
            "計算資源",
            "en",
            "/guides/compute/#next:~:text=\
             %E8%A8%98%E4%BA%8B%E3%81%AB%E3%82%88%E3%82%8C%E3%81%B0%E3%80%81%E5%9B%BD%E5%86%85%E3%81%AEAI-,\
             %E8%A8%88%E7%AE%97%E8%B3%87%E6%BA%90,\
             -%E3%82%92%E6%8B%A1%E5%85%85%E3%81%99%E3%82%8B%E3%80%82  Compute plan › 今後の論点 |",
        ),
        // A match in a heading comes before an earlier one in the text, and leads to the
        // heading alone: its words are also in the table of contents, above it.
        (
            "subsidies",
            "en",
            "/guides/compute/#cloud-subsidies  \
             Compute plan › Cloud subsidies | … Cloud [subsidies] · The ministry",
        ),
        // A table cell alone has no words around it: the heading only.
        (
            "procurement",
            "en",
            "/guides/compute/#next  Compute plan › 今後の論点 |",
        ),
        // Before the first heading: the page, and a snippet from the text's first word; in
        // the title only: the page, no words.
        (
            "opening",
            "en",
            "/guides/compute/#:~:text=An-,opening,-paragraph.%20It%20names  Compute plan | \
             An [opening] paragraph.",
        ),
        ("plan", "en", "/guides/compute/  Compute plan |"),
    ] {
        let found = query(&public, lang, q);
        assert!(found.contains(line), "{q}:\n{found}");
    }
}

#[test]
fn a_body_edit_in_serve_updates_the_index() {
    let f = Fixture::bilingual();
    let root = f.root().canonicalize().expect("root");
    let mut preview = Preview::new(root.clone(), "http://127.0.0.1:1111/".into());
    preview.full().expect("builds");
    let shard_with = |preview: &Preview, token: &str| {
        let snapshot = preview.snapshot();
        snapshot.paths().into_iter().any(|p| {
            p.starts_with("search/s/")
                && matches!(snapshot.get(p), Some(Body::Bytes(b)) if String::from_utf8_lossy(&b.bytes()).contains(&format!("\"{token}\":")))
        })
    };
    assert!(!shard_with(&preview, "zebrafish"));
    let text = f.read("content/guides/ai-act.md") + "\nZebrafish are mentioned now.\n";
    f.write("content/guides/ai-act.md", &text);
    preview
        .update(&["content/guides/ai-act.md".into()])
        .expect("updates");
    assert!(
        shard_with(&preview, "zebrafish"),
        "the new word is not in the index"
    );
}

#[test]
fn a_latin_query_is_marked_only_where_a_word_starts() {
    let f = Fixture::bilingual();
    f.write(
        "content/guides/said.md",
        "---\ntitle: Said\n---\nThe minister said so mainly in May. Later, AI was named.\n",
    );
    f.build_ok(&[]);
    let found = query(&f.path("public"), "en", "AI");
    let line = found
        .lines()
        .find(|l| l.contains("/guides/said/"))
        .unwrap_or_else(|| panic!("{found}"));
    // Neither `said` nor `mainly` is marked, and the result leads to the word itself.
    assert!(line.contains("Later, [AI] was named."), "{line}");
    assert!(
        !line.contains("s[ai]d") && !line.contains("m[ai]nly"),
        "{line}"
    );
    assert!(line.contains("Later%2C-,AI,-was%20named"), "{line}");
}
