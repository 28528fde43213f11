//! The integration tests: each module builds small fixture sites ([`common::Fixture`]) with
//! the real `tebiki` binary and reads what a user would: the pages written, the messages
//! printed, the exit code. One binary, so the crate and the fixtures are compiled once.

mod common;

mod archetypes;
mod bad_input;
mod bad_output;
mod browser;
mod build;
mod check_gate;
mod deploy;
mod docs;
mod errors;
mod external_links;
mod fuzz_inputs;
mod glossary;
mod links;
mod preview_engine;
mod published;
mod search;
mod search_browser;
mod serve;
mod serve_hardening;
mod serve_soak;
mod terminology;
mod translations;
mod xliff;
