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
    /// List every translation as current, stale, untracked or missing; `mark` and `diff`
    /// help keep them in step with their sources.
    Translations {
        #[command(subcommand)]
        action: Option<TranslationsAction>,
        /// The site folder, holding book.toml.
        #[arg(long, default_value = ".", global = true)]
        root: PathBuf,
        /// Only this language (default: every language but the default one).
        #[arg(long)]
        lang: Option<String>,
        /// `text` (a table per language) or `json` (a list of entries, for tools).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit 1 when a translation is stale or missing (for CI).
        #[arg(long)]
        strict: bool,
    },
    /// Create a guide, or with --lang the translation of an existing guide.
    New {
        /// Path inside content/, such as guides/my-guide.md.
        path: String,
        /// Create the translation into this language of the guide at PATH.
        #[arg(long)]
        lang: Option<String>,
        /// The site folder, holding book.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Subcommand)]
enum TranslationsAction {
    /// Record in each translation that it now matches its source's current version.
    Mark {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Show what changed in a translation's source since the version it records (needs git).
    Diff { file: PathBuf },
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
        Command::Translations {
            action,
            root,
            lang,
            format,
            strict,
        } => {
            let result = match action {
                None => translations_report(&root, lang.as_deref(), format, strict),
                Some(TranslationsAction::Mark { files }) => {
                    tebiki::translations::mark(&root, &files).map(|marked| {
                        for m in marked {
                            let short = &m.version[..7];
                            if m.unchanged {
                                eprintln!("  {} already records version {short}", m.file);
                            } else {
                                eprintln!("  marked {} as translated from version {short}", m.file);
                            }
                        }
                        0
                    })
                }
                Some(TranslationsAction::Diff { file }) => {
                    tebiki::srcdiff::diff(&root, &file).map(|d| {
                        if d.diff.is_empty() {
                            eprintln!(
                                "{} has not changed since the translated version {}",
                                d.source,
                                &d.from[..d.from.len().min(7)]
                            );
                        } else {
                            print!("{}", d.diff);
                        }
                        0
                    })
                }
            };
            (root, result)
        }
        Command::New { path, lang, root } => {
            let today = tebiki::dates::Date::today();
            let result =
                tebiki::new::new(&root, &path, lang.as_deref(), today).map(|created| {
                    match created.translation_of {
                        Some((source, version)) => eprintln!(
                            "created {} from {source} (version {}), as a draft: translate the title, summary, tags, category and text, then remove `draft: true`",
                            created.file,
                            &version[..7]
                        ),
                        None => eprintln!(
                            "created {}, as a draft: remove `draft: true` to publish it",
                            created.file
                        ),
                    }
                    0
                });
            (root, result)
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

fn translations_report(
    root: &Path,
    lang: Option<&str>,
    format: Format,
    strict: bool,
) -> Result<u8, Error> {
    use tebiki::translations::{self, Status};
    let entries = translations::report(root, lang)?;
    match format {
        Format::Json => match serde_json::to_string_pretty(&entries) {
            Ok(json) => println!("{json}"),
            Err(e) => return Err(Error::Usage(format!("cannot write JSON: {e}"))),
        },
        Format::Text => print!("{}", translations::render_text(&entries)),
    }
    let behind = entries
        .iter()
        .any(|e| matches!(e.status, Status::Stale | Status::Missing));
    Ok(u8::from(strict && behind))
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
