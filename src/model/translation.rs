//! What makes a translation current: it records the git blob id of its source file as it was
//! translated (`translated_from`, see [`blob`](super::blob)), and is stale as soon as the
//! source's bytes hash differently.

use serde::Serialize;

use crate::model::blob::Version;
use crate::model::dates::Date;
use crate::model::frontmatter::FrontMatter;

/// Where a translation stands against its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Records the source's current version.
    Current,
    /// Records an older version of the source.
    Stale,
    /// Exists but records no version (`translated_from` is not set).
    Untracked,
    /// Does not exist, or is still a draft (readers get the original).
    Missing,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Current,
        Status::Stale,
        Status::Untracked,
        Status::Missing,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Status::Current => "current",
            Status::Stale => "stale",
            Status::Untracked => "untracked",
            Status::Missing => "missing",
        }
    }
}

/// The status of an existing translation with front matter `meta`, whose source's version is
/// `source` (computed only when the translation records a version).
pub fn status_of(meta: &FrontMatter, source: impl FnOnce() -> Option<Version>) -> Status {
    match &meta.translated_from {
        None => Status::Untracked,
        Some(recorded) if source().is_some_and(|v| v.is(recorded.trim())) => Status::Current,
        Some(_) => Status::Stale,
    }
}

/// The date of a source's last change, for notices: `updated`, else `date`.
pub fn last_change(meta: &FrontMatter) -> Option<Date> {
    meta.updated.or(meta.date)
}
