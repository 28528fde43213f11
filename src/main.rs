//! The command line: parses arguments, hands them to the library and prints what it returns.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tebiki::diag::Diagnostic;
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

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
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
    /// Check links, anchors, front matter and templates without writing anything; warn about
    /// guides past their review date, without sources, or that nothing links to.
    Check {
        /// The site folder, holding book.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `text` (like rustc) or `json` (a list of diagnostics, for tools).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Preview the site at http://127.0.0.1:1111/ with drafts, rebuilding and reloading the
    /// browser on every change. Nothing is written to the output directory.
    Serve {
        /// The site folder, holding book.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port (default: [serve] port in book.toml, 1111); 0 picks a free one.
        #[arg(long)]
        port: Option<u16>,
        /// The address to listen on. Anything but a loopback address lets other machines in.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
    },
    /// Build the site, then rebuild the output directory on every change (no server).
    Watch {
        /// The site folder, holding book.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output directory (default: [build] output_dir under the root).
        #[arg(short, long)]
        out: Option<PathBuf>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
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
                0
            });
            (root, result)
        }
        Command::Check { root, format } => {
            // Problems in book.toml stop the check early; they are printed like the others.
            let result = match tebiki::check::check(&root, tebiki::dates::Date::today()) {
                Ok(found) | Err(Error::Content(found)) => {
                    print_check(&root, &found, format);
                    Ok(u8::from(found.iter().any(Diagnostic::is_error)))
                }
                Err(e) => Err(e),
            };
            (root, result)
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => {
            let options = tebiki::serve::ServeOptions {
                root: root.clone(),
                port,
                bind,
                open,
            };
            (root, tebiki::serve::serve(&options))
        }
        Command::Watch { root, out, drafts } => {
            let options = BuildOptions {
                root: root.clone(),
                out,
                drafts,
                base_url: None,
            };
            (root, tebiki::watch::watch(&options))
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
                0
            });
            (dir, result)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            report(&root, &e);
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn print_check(root: &Path, found: &[Diagnostic], format: Format) {
    match format {
        Format::Json => match serde_json::to_string_pretty(found) {
            Ok(json) => println!("{json}"),
            Err(e) => eprintln!("error: cannot write JSON: {e}"),
        },
        Format::Text => {
            for d in found {
                println!("{}", d.render(root));
            }
            let errors = found.iter().filter(|d| d.is_error()).count();
            println!("{errors} error(s), {} warning(s)", found.len() - errors);
        }
    }
}

fn report(root: &Path, e: &Error) {
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
