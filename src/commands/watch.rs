//! `tebiki watch`: a full, safe `build` to disk after each batch of changes, for those who
//! serve the output with their own server.

use crate::commands::build::report_built;
use crate::diag::Style;
use crate::error::Error;
use crate::model::config;
use crate::pipeline::build::{BuildOptions, build};
use crate::pipeline::output::Previous;
use crate::preview::watcher::{Watcher, describe};

/// `tebiki watch`: builds once, then rebuilds the output directory after every change. A
/// failed build prints its errors and leaves the previous output as it was.
pub fn watch(options: &BuildOptions) -> Result<u8, Error> {
    let mut watcher = Watcher::new(&options.root)?;
    let root = watcher.root().to_path_buf();
    let options = BuildOptions {
        root: root.clone(),
        ..options.clone()
    };
    match rebuild_to_disk(&options, "start") {
        // Refused for how it was asked (an output folder inside content/, one tebiki did not
        // make): exit 2, as `build` does, since no edit of the content fixes it.
        Err(e @ Error::Usage(_)) => return Err(e),
        Err(e) => report_failure(&options, "start", &e),
        Ok(()) => {}
    }
    eprintln!("watching {} for changes (Ctrl-C to stop)", root.display());
    watcher.watch_git(git_dates(&root));
    while let Some(changed) = watcher.next_batch() {
        let why = describe(&changed);
        if let Err(e) = rebuild_to_disk(&options, &why) {
            report_failure(&options, &why, &e);
        }
        // book.toml may have turned `[build] git_dates` on or off.
        watcher.watch_git(git_dates(&root));
    }
    Ok(0)
}

/// Whether book.toml asks for last commit dates (`[build] git_dates`): a commit then changes
/// the site. False when book.toml cannot be read; the build reports why.
fn git_dates(root: &std::path::Path) -> bool {
    config::load_lenient(root).0.is_some_and(|c| c.git_dates)
}

/// Builds, and says what was built.
fn rebuild_to_disk(options: &BuildOptions, why: &str) -> Result<(), Error> {
    let mut report = build(options)?;
    report_built(options, &report, &format!("{why}: "));
    if let Some(warning) = report.previous.take().and_then(Previous::remove) {
        eprintln!("warning: {warning}");
    }
    Ok(())
}

fn report_failure(options: &BuildOptions, why: &str, e: &Error) {
    eprintln!(
        "{}",
        e.render(&options.root, None, Style::for_stream(&std::io::stderr()))
    );
    eprintln!("{why}: build failed; the output was left as it was");
}
