//! The error type of a command: content problems (exit 1) or usage and I/O problems (exit 2).

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Sources, Style};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The site's content has errors; each diagnostic names its file and line.
    #[error("{}", count_errors(.0))]
    Content(Vec<Diagnostic>),
    /// The command cannot run as asked.
    #[error("{0}")]
    Usage(String),
    /// The command cannot run here, said at the file it concerns and with what to do: a site
    /// folder whose book.toml is missing or cannot be read. A usage error (exit 2), not a
    /// problem of the content: no edit of a page fixes it.
    #[error("{}", .0.message)]
    Setup(Box<Diagnostic>),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The error as printed: every diagnostic rendered like rustc's, then a summary line,
    /// followed by `outcome` for a content error ("nothing was written").
    pub fn render(&self, root: &Path, outcome: Option<&str>, style: Style) -> String {
        match self {
            Error::Content(diagnostics) => {
                let mut sources = Sources::new(root);
                let mut text: String = diagnostics
                    .iter()
                    .map(|d| d.render_in(&mut sources, style) + "\n")
                    .collect();
                text.push_str(&format!("error: {self}"));
                if let Some(outcome) = outcome {
                    text.push_str("; ");
                    text.push_str(outcome);
                }
                text
            }
            Error::Setup(diagnostic) => diagnostic.render(root, style).trim_end().to_string(),
            _ => format!("error: {self}"),
        }
    }

    /// The process exit code: 1 for content errors, 2 for usage and I/O errors.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Content(_) => 1,
            Error::Usage(_) | Error::Setup(_) | Error::Io { .. } => 2,
        }
    }
}

fn count_errors(diagnostics: &[Diagnostic]) -> String {
    match diagnostics.iter().filter(|d| d.is_error()).count() {
        1 => "1 error found".to_string(),
        n => format!("{n} errors found"),
    }
}
