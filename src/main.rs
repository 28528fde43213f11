//! The command line: parses arguments and hands them to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tebiki::{BuildOptions, Error};

#[derive(Parser)]
#[command(
    name = "tebiki",
    version,
    about = "A static site generator for bilingual policy guides"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output directory.
    Build {
        /// The site folder, holding book.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output directory (default: [build] output_dir under the root).
        #[arg(short, long)]
        out: Option<PathBuf>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Override [book] base_url, e.g. https://example.org/guides/.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Create a new bilingual site in DIR (default: the current folder).
    Init {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let (root, result) = match cli.command {
        Command::Build {
            root,
            out,
            drafts,
            base_url,
        } => {
            let options = BuildOptions {
                root: root.clone(),
                out,
                drafts,
                base_url,
            };
            let result = tebiki::build(&options).map(|report| {
                eprintln!(
                    "built {} pages into {} in {} ms",
                    report.pages,
                    report.out.display(),
                    report.elapsed.as_millis()
                );
            });
            (root, result)
        }
        Command::Init { dir } => {
            let result = tebiki::init::init(&dir).map(|files| {
                for f in files {
                    eprintln!("  created {}", dir.join(f).display());
                }
                eprintln!(
                    "a new site is ready: build it with `tebiki build --root {}`",
                    dir.display()
                );
            });
            (dir, result)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report(&root, &e);
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn report(root: &std::path::Path, e: &Error) {
    match e {
        Error::Content(diagnostics) => {
            for d in diagnostics {
                eprintln!("{}", d.render(root));
            }
            eprintln!("error: {e}; nothing was written");
        }
        _ => eprintln!("error: {e}"),
    }
}
