//! The commands (all but `serve`, which is [`crate::preview::server`]): each runs what the
//! layers below compute and prints the report.

pub mod build;
pub mod check;
pub mod external;
pub mod init;
pub mod new;
pub mod report;
pub mod translations;
pub mod translations_diff;
pub mod watch;
pub mod xliff;

/// How a command prints its report.
#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
pub enum Format {
    /// For people: rustc-style diagnostics, tables.
    Text,
    /// For tools: one JSON document on standard output.
    Json,
}

/// Checks that the site folder given with `--root` exists: a missing one is a usage error
/// (exit 2) for every command, not a content error.
pub fn check_root(root: &std::path::Path) -> Result<(), crate::error::Error> {
    if root.is_dir() {
        return Ok(());
    }
    let what = if root.exists() {
        "is not a folder"
    } else {
        "does not exist"
    };
    Err(crate::error::Error::Usage(format!(
        "the site folder `{}` {what}; pass --root with the folder that holds book.toml, or create a site with `tebiki init`",
        root.display()
    )))
}
