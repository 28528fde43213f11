//! The commands (all but `serve`, which is [`crate::preview::server`]): each runs what the
//! layers below compute and prints the report.

pub mod build;
pub mod check;
pub mod external;
pub mod init;
pub mod new;
pub mod replace;
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

/// Checks that the site folder given with `--root` exists and holds a book.toml that can be
/// read: a missing folder or book.toml is a usage error (exit 2) for every command, not a
/// content error (exit 1) like a broken link, so that CI can tell "not run on a site" from
/// "the site has errors".
pub fn check_root(root: &std::path::Path) -> Result<(), crate::error::Error> {
    if root.is_dir() {
        return crate::model::config::read(root)
            .map(drop)
            .map_err(crate::error::Error::Setup);
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
