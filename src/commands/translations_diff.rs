//! `tebiki translations diff`: what changed in a translation's source since the version it
//! records (see [`crate::pipeline::translations::diff`]).

use std::path::Path;

use crate::error::Error;
use crate::pipeline::translations::diff::diff;

/// `tebiki translations diff`: prints the diff, or says that nothing changed.
pub fn run(root: &Path, file: &Path) -> Result<u8, Error> {
    let d = diff(root, file)?;
    if d.diff.is_empty() {
        eprintln!(
            "{} has not changed since the translated version {}",
            d.source,
            &d.from[..d.from.len().min(7)]
        );
    } else {
        print!("{}", d.diff);
    }
    crate::commands::translations::print_unrelated(root, &d.others, "the diff");
    Ok(0)
}
