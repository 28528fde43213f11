//! The command line: parses arguments and hands them to [`tebiki::commands`].

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use tebiki::BuildOptions;
use tebiki::commands::check::{CheckFormat, CheckOptions};
use tebiki::commands::{self, Format};

/// mimalloc: a build allocates per page on every thread; see Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

/// The site a command works on; shared by every command that reads one.
#[derive(Args)]
struct Site {
    /// The site folder, holding book.toml.
    #[arg(long, default_value = ".", global = true)]
    root: PathBuf,
}

/// Where and what a build writes; shared by `build` and `watch`.
#[derive(Args)]
struct Output {
    /// Output directory (default: [build] output_dir under the root).
    #[arg(short, long)]
    out: Option<PathBuf>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output directory.
    Build {
        #[command(flatten)]
        site: Site,
        #[command(flatten)]
        output: Output,
        /// Override [book] base_url, e.g. https://example.org/guides/.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Check links, anchors, front matter and templates without writing anything; warn about
    /// guides past their review date, without sources, or that nothing links to.
    Check {
        #[command(flatten)]
        site: Site,
        /// `text` (like rustc), `json` (a list of diagnostics), `github` (GitHub Actions
        /// workflow commands) or `sarif` (SARIF 2.1.0, for code scanning).
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// `--deny warnings` (or `-D warnings`): every warning is an error (exit 1), for CI.
        #[arg(short = 'D', long = "deny", value_enum, value_name = "WHAT")]
        deny: Vec<Deny>,
        /// Also request every http(s) link and source URL (results cached in
        /// .tebiki-cache/links.json under the site).
        #[arg(long)]
        external: bool,
        /// Print what a diagnostic code means and how to fix it, then exit.
        #[arg(long, value_name = "CODE")]
        explain: Option<String>,
    },
    /// Preview the site at http://127.0.0.1:1111/ with drafts, rebuilding and reloading the
    /// browser on every change. Nothing is written to the output directory.
    Serve {
        #[command(flatten)]
        site: Site,
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
        #[command(flatten)]
        site: Site,
        #[command(flatten)]
        output: Output,
    },
    /// Remove a previous output that `build` moved aside (`.NAME.tebiki-old`); `build` starts
    /// this in the background.
    #[command(name = commands::build::REMOVE_PREVIOUS, hide = true)]
    RemovePrevious { dir: PathBuf },
    /// Create a new bilingual site in DIR (default: the current folder). DIR must be new,
    /// empty, or hold only a README, a LICENSE and hidden entries init does not write itself
    /// (.git, .github, …), as a freshly cloned repository does; no file is ever overwritten.
    Init {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// List every translation as current, stale, untracked or missing; `mark` and `diff`
    /// help keep them in step with their sources, `export` and `import` exchange them with
    /// translation vendors as XLIFF 2.1.
    Translations {
        #[command(subcommand)]
        action: Option<TranslationsAction>,
        #[command(flatten)]
        site: Site,
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
    /// Create a guide (with --kind, from an archetype), or with --lang the translation of an
    /// existing guide.
    New {
        /// Path inside content/, such as guides/my-guide.md (guides/_index.md for a section's
        /// intro, guides/report/ for a page bundle).
        path: String,
        /// Create the translation into this language of the guide at PATH (with --kind and
        /// no guide at PATH yet: a new page written in this language).
        #[arg(long)]
        lang: Option<String>,
        /// Start from an archetype: brief, guide, or the site's own archetypes/KIND.md.
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        #[command(flatten)]
        site: Site,
    },
}

/// What `--deny` makes fatal.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Deny {
    /// Every warning.
    Warnings,
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
    /// Write the stale and missing pages of a language (or PATHS) as XLIFF 2.1 for a
    /// translation vendor: one <file> per page, one <unit> per block, glossary terms as notes.
    Export {
        /// The language to translate into (default: the site's only language besides the
        /// default one; needed when it has several).
        #[arg(long)]
        lang: Option<String>,
        /// Only these pages (content paths or files; a folder names every page in it); default:
        /// every stale or missing one.
        paths: Vec<String>,
        /// The XLIFF file to write.
        #[arg(short = 'o', long = "output", value_name = "FILE.xlf", required = true)]
        output: PathBuf,
    },
    /// Write back the translations of an exported XLIFF file, recording the exported version;
    /// refuses, writing nothing, if an original changed or inline codes do not match.
    Import { file: PathBuf },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    if !matches!(cli.command, Command::Serve { .. }) {
        end_quietly_on_a_closed_pipe();
    }
    let site_root = match &cli.command {
        Command::Init { .. } | Command::RemovePrevious { .. } => None,
        // `--explain` reads no site.
        Command::Check {
            explain: Some(_), ..
        } => None,
        Command::Build { site, .. }
        | Command::Check { site, .. }
        | Command::Serve { site, .. }
        | Command::Watch { site, .. }
        | Command::Translations { site, .. }
        | Command::New { site, .. } => Some(site.root.clone()),
    };
    if let Some(Err(e)) = site_root.as_deref().map(commands::check_root) {
        let style = tebiki::diag::Style::for_stream(&std::io::stderr());
        eprintln!("{}", e.render(std::path::Path::new("."), None, style));
        return ExitCode::from(e.exit_code() as u8);
    }
    let build_options = |root: PathBuf, output: Output, base_url| BuildOptions {
        root,
        out: output.out,
        drafts: output.drafts,
        base_url,
    };
    // Only a command that writes says, when it fails, that it wrote nothing: a listing or a
    // check never writes, and saying so would suggest it might have.
    let outcome = match &cli.command {
        Command::Build { .. }
        | Command::Watch { .. }
        | Command::Init { .. }
        | Command::New { .. } => Some("nothing was written"),
        Command::Translations {
            action:
                Some(
                    TranslationsAction::Mark { .. }
                    | TranslationsAction::Export { .. }
                    | TranslationsAction::Import { .. },
                ),
            ..
        } => Some("nothing was written"),
        _ => None,
    };
    let (root, result) = match cli.command {
        Command::Build {
            site,
            output,
            base_url,
        } => {
            let options = build_options(site.root.clone(), output, base_url);
            (site.root, commands::build::run(&options))
        }
        Command::Check {
            site,
            format,
            deny,
            external,
            explain,
        } => {
            let result = match explain {
                Some(code) => commands::check::explain(&code),
                None => {
                    let options = CheckOptions {
                        deny_warnings: deny.contains(&Deny::Warnings),
                        external,
                    };
                    commands::check::run(&site.root, format, &options)
                }
            };
            (site.root, result)
        }
        Command::Serve {
            site,
            port,
            bind,
            open,
        } => {
            let options = tebiki::preview::server::ServeOptions {
                root: site.root.clone(),
                port,
                bind,
                open,
            };
            (site.root, tebiki::preview::server::serve(&options))
        }
        Command::Watch { site, output } => {
            let options = build_options(site.root.clone(), output, None);
            (site.root, commands::watch::watch(&options))
        }
        Command::RemovePrevious { dir } => {
            let result = tebiki::pipeline::output::remove_previous(&dir).map(|()| 0);
            (dir, result)
        }
        Command::Init { dir } => {
            let result = commands::init::run(&dir);
            (dir, result)
        }
        Command::Translations {
            action,
            site,
            lang,
            format,
            strict,
        } => {
            let root = &site.root;
            let result = match action {
                None => commands::translations::run(root, lang.as_deref(), format, strict),
                Some(TranslationsAction::Mark { files }) => {
                    commands::translations::run_mark(root, &files)
                }
                Some(TranslationsAction::Export {
                    lang: export_lang,
                    paths,
                    output,
                }) => commands::xliff::run_export(
                    root,
                    export_lang.or(lang).as_deref(),
                    &paths,
                    &output,
                ),
                Some(TranslationsAction::Import { file }) => {
                    commands::xliff::run_import(root, &file)
                }
                Some(TranslationsAction::Diff { file }) => {
                    commands::translations_diff::run(root, &file)
                }
            };
            (site.root, result)
        }
        Command::New {
            path,
            lang,
            kind,
            site,
        } => {
            let result = commands::new::run(&site.root, &path, lang.as_deref(), kind.as_deref());
            (site.root, result)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let style = tebiki::diag::Style::for_stream(&std::io::stderr());
            eprintln!("{}", e.render(&root, outcome, style));
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// Output piped to a reader that stops early (`tebiki translations | head`) ends the process
/// as it ends `cat` or `grep`, instead of a panic on the next write. Not for `serve`, whose
/// writes to a closed connection must fail and be handled, not end the server.
fn end_quietly_on_a_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restores the default action of one signal before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
