//! `tebiki build`: runs the pipeline and says what it wrote.

use crate::error::Error;
use crate::pipeline::build::{BuildOptions, build};

/// Builds the site, prints its warnings, then one line with the page count, the output and
/// the time taken.
pub fn run(options: &BuildOptions) -> Result<u8, Error> {
    let report = build(options)?;
    for warning in &report.warnings {
        eprintln!("{}", warning.render(&options.root));
    }
    eprintln!(
        "built {} pages into {} in {} ms",
        report.pages,
        report.out.display(),
        report.elapsed.as_millis()
    );
    Ok(0)
}
