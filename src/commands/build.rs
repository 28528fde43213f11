//! `tebiki build`: runs the pipeline and says what it wrote.

use crate::diag::Style;
use crate::error::Error;
use crate::pipeline::build::{BuildOptions, build};

/// Builds the site, prints its warnings, then one line with the page count, the output and
/// the time taken.
pub fn run(options: &BuildOptions) -> Result<u8, Error> {
    let report = build(options)?;
    let style = Style::for_stream(&std::io::stderr());
    for warning in &report.warnings {
        eprintln!("{}", warning.render(&options.root, style));
    }
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
