//! `glossary.toml` as written by a user, against a bilingual book.toml.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tebiki::model::config::{self, Config};
use tebiki::pipeline::glossary;

const BOOK: &str = "[book]\ntitle = \"T\"\nbase_url = \"https://example.org/\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ja]\nname = \"日本語\"\n";

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        config::parse(BOOK).unwrap_or_else(|_| panic!("the fixed book.toml parses"))
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = glossary::parse(&text, "content/glossary.toml", config());
});
