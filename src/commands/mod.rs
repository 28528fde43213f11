//! The commands (all but `serve`, which is [`crate::preview::server`]): each runs what the
//! layers below compute and prints the report.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod translations;
pub mod translations_diff;
pub mod watch;

/// How a command prints its report.
#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
pub enum Format {
    /// For people: rustc-style diagnostics, tables.
    Text,
    /// For tools: one JSON document on standard output.
    Json,
}
