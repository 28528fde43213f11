//! The integration tests: each module builds small fixture sites ([`common::Fixture`]) with
//! the real `tebiki` binary and reads what a user would: the pages written, the messages
//! printed, the exit code. One binary, so the crate and the fixtures are compiled once.

mod common;

mod build;
mod docs;
mod errors;
mod glossary;
mod links;
mod preview_engine;
mod search;
mod search_browser;
mod serve;
mod translations;
