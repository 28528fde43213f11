//! `book.toml` as written by a user.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tebiki::model::config;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = config::parse(&text);
});
