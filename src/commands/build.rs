//! `tebiki build`: runs the pipeline and says what it wrote.

use crate::diag;
use crate::error::Error;
use crate::pipeline::build::{BuildOptions, build};

/// Builds the site, prints its warnings, then one line with the page count, the output and
/// the time taken.
pub fn run(options: &BuildOptions) -> Result<u8, Error> {
    let report = build(options)?;
    diag::eprint_warnings(&options.root, &report.warnings);
    eprintln!(
        "built {} pages into {} in {} ms",
        report.pages,
        report.out.display(),
        report.elapsed.as_millis()
    );
    if let Some(warning) = &report.warning {
        eprintln!("warning: {warning}");
    }
    Ok(0)
}
