//! `tebiki watch`: a full, safe `build` to disk after each batch of changes, for those who
//! serve the output with their own server.

use std::time::Instant;

use crate::diag::{self, Style};
use crate::error::Error;
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
    rebuild_to_disk(&options, "start");
    eprintln!("watching {} for changes (Ctrl-C to stop)", root.display());
    while let Some(changed) = watcher.next_batch() {
        rebuild_to_disk(&options, &describe(&changed));
    }
    Ok(0)
}

fn rebuild_to_disk(options: &BuildOptions, why: &str) {
    let started = Instant::now();
    match build(options) {
        Ok(mut report) => {
            diag::eprint_warnings(&options.root, &report.warnings);
            eprintln!(
                "{why}: built {} pages into {} in {} ms",
                report.pages,
                report.out.display(),
                report.elapsed.as_millis()
            );
            if let Some(warning) = report.previous.take().and_then(Previous::remove) {
                eprintln!("warning: {warning}");
            }
        }
        Err(e) => {
            eprintln!(
                "{}",
                e.render(&options.root, None, Style::for_stream(&std::io::stderr()))
            );
            eprintln!(
                "{why}: build failed in {} ms; the output was left as it was",
                started.elapsed().as_millis()
            );
        }
    }
}
