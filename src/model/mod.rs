//! What a site is made of: its configuration, the front matter of its pages, dates, slugs
//! and content paths, and what makes a translation current. Every other layer builds on it.

pub mod blob;
pub mod config;
pub mod content_path;
pub mod dates;
pub mod frontmatter;
pub mod frontmatter_edit;
pub mod git;
pub mod git_dates;
pub mod slug;
pub mod translation;
pub mod url;

use std::io;
use std::path::Path;

/// Reads the file at `path`, refusing what is not a regular file: reading a named pipe would
/// wait forever for a writer, and a folder or a device gives a puzzling message.
pub fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "it is a folder, not a file"
        } else {
            "it is not a regular file but a named pipe, socket or device"
        };
        return Err(io::Error::new(io::ErrorKind::InvalidInput, what));
    }
    std::fs::read(path)
}
