//! What a site is made of: its configuration, the front matter of its pages, dates, slugs
//! and content paths, and what makes a translation current. Every other layer builds on it.

pub mod blob;
pub mod config;
pub mod content_path;
pub mod dates;
pub mod frontmatter;
pub mod frontmatter_edit;
pub mod git_dates;
pub mod slug;
pub mod translation;
pub mod url;
