//! tebiki: a static site generator for bilingual policy guides.
//!
//! The pipeline, one module a stage: [`load`] (files and front matter) → [`site`] (index:
//! languages, URLs, translations; Markdown via [`markdown`]) → [`render`] (Tera themes) →
//! [`output`] (staged write and swap). [`build`] runs it end to end.

pub mod build;
pub mod config;
pub mod dates;
pub mod diag;
pub mod error;
pub mod feeds;
pub mod frontmatter;
pub mod init;
pub mod load;
pub mod markdown;
pub mod output;
pub mod render;
pub mod site;
pub mod slug;
pub mod theme;

pub use build::{BuildOptions, BuildReport, build};
pub use error::Error;
