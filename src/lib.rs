//! tebiki: a static site generator for bilingual policy guides.
//!
//! The pipeline, one module a stage: [`load`] (files and front matter) → [`site`] (index:
//! languages, URLs, translations) → [`link`] (Markdown via [`markdown`], cross-links resolved)
//! → [`render`] (Tera themes) → [`output`] (staged write and swap). [`build`] runs it end to
//! end.

pub mod blob;
pub mod build;
pub mod check;
pub mod config;
pub mod dates;
pub mod diag;
pub mod error;
pub mod escape;
pub mod feeds;
pub mod fmedit;
pub mod frontmatter;
pub mod glossary;
pub mod init;
pub mod link;
pub mod load;
pub mod markdown;
pub mod new;
pub mod output;
pub mod preview;
pub mod render;
pub mod serve;
pub mod site;
pub mod slug;
pub mod snapshot;
pub mod srcdiff;
pub mod theme;
pub mod translations;
pub mod watch;

pub use build::{BuildOptions, BuildReport, build};
pub use error::Error;
