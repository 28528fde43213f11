//! `tebiki build`: runs the pipeline and says what it wrote.

use std::process::Command;

use crate::diag;
use crate::error::Error;
use crate::pipeline::build::{BuildOptions, BuildReport, build};

/// The hidden command that removes a previous output in the background.
pub const REMOVE_PREVIOUS: &str = "remove-previous-output";

/// Builds the site, prints its warnings, then one line with the page count, the output and
/// the time taken. The previous output is removed by a process of its own, this program run
/// again as [`REMOVE_PREVIOUS`], so that the command returns as soon as the new output is in
/// place.
pub fn run(options: &BuildOptions) -> Result<u8, Error> {
    let mut report = build(options)?;
    report_built(options, &report, "");
    let remover = std::env::current_exe().ok().map(|exe| {
        let mut remover = Command::new(exe);
        remover.arg(REMOVE_PREVIOUS);
        remover
    });
    let removed = report.previous.take().and_then(|previous| match remover {
        Some(remover) => previous.remove_in_background(remover),
        None => previous.remove(),
    });
    if let Some(warning) = removed {
        eprintln!("warning: {warning}");
    }
    Ok(0)
}

/// Prints a finished build's warnings, then `{prefix}built N pages into OUT in T ms`.
pub fn report_built(options: &BuildOptions, report: &BuildReport, prefix: &str) {
    diag::eprint_warnings(&options.root, &report.warnings);
    if !report.dropped.is_empty() {
        // Files added to the output by hand (a host's CNAME) are gone with the previous output.
        let shown: Vec<&str> = report.dropped.iter().take(5).map(String::as_str).collect();
        let more = report.dropped.len() - shown.len();
        eprintln!(
            "warning: the previous output had {}{}, which the build does not write: removed with it\n  = help: put files to publish in static/, so that every build writes them",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
    // `--root .` makes `./public`: shown as `public`.
    let out: std::path::PathBuf = report
        .out
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    eprintln!(
        "{prefix}built {} page{} into {} in {} ms",
        report.pages,
        if report.pages == 1 { "" } else { "s" },
        out.display(),
        report.elapsed.as_millis()
    );
}
