//! Front matter, both engines: the first byte picks YAML (`---`) or TOML (`+++`) and page or
//! section keys; the rest is the file after the opening delimiter line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tebiki::model::frontmatter::{self, Kind};

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let delimiter = if first & 1 == 0 { "---" } else { "+++" };
    let kind = if first & 2 == 0 {
        Kind::Page
    } else {
        Kind::Section
    };
    let text = format!("{delimiter}\n{}", String::from_utf8_lossy(rest));
    if let Ok(split) = frontmatter::split(&text) {
        let _ = frontmatter::parse(&split, "content/guides/fuzz.md", kind);
    }
});
