//! tebiki: a static site generator for bilingual policy guides.
//!
//! The folders are the layers, each using only the ones listed before it:
//!
//! - [`model`]: what a site is made of — book.toml, front matter, dates, slugs, content
//!   paths, translation status. No I/O beyond reading one file or asking git about one.
//! - [`pipeline`]: the build, one module a stage: [`pipeline::load`] → [`pipeline::index`] →
//!   [`pipeline::link`] (Markdown and glossary) → [`pipeline::render`] (Tera themes) →
//!   [`pipeline::output`] (staged write and swap). [`pipeline::build`] runs it end to end.
//!   Beside it, [`pipeline::translations`]: where every translation stands, for the commands
//!   and the preview alike.
//! - [`preview`]: `tebiki serve`: the in-memory engine, the HTTP server, the file watcher,
//!   the translators' review view.
//! - [`commands`]: the other commands (`check`, `new`, `init`, `translations`, `watch`),
//!   each reporting what the layers below compute.
//!
//! [`diag`] and [`error`] are shared by all of them: how a problem is described (with the
//! registry of diagnostic codes) and printed.

pub mod commands;
pub mod diag;
pub mod error;
pub mod model;
pub mod pipeline;
pub mod preview;

pub use error::Error;
pub use pipeline::build::{BuildOptions, BuildReport, build};
