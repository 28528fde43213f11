//! `book.toml` as serde reads it: each table's keys and their defaults, before they are checked.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{CheckConfig, HeadingIds, LinkMode, PAGINATE_BY};

#[derive(Deserialize)]
pub(super) struct RawConfig {
    pub(super) book: RawBook,
    #[serde(default)]
    pub(super) languages: BTreeMap<String, RawLanguage>,
    #[serde(default)]
    pub(super) build: RawBuild,
    #[serde(default)]
    pub(super) glossary: RawGlossary,
    #[serde(default)]
    pub(super) serve: RawServe,
    #[serde(default)]
    pub(super) markdown: RawMarkdown,
    #[serde(default)]
    pub(super) check: RawCheck,
    #[serde(default)]
    pub(super) pagination: RawPagination,
    #[serde(default)]
    pub(super) search: RawSearch,
    #[serde(default)]
    pub(super) extra: Option<toml::Table>,
}

#[derive(Deserialize)]
#[serde(default)]
pub(super) struct RawCheck {
    pub(super) skip_external: Vec<String>,
    pub(super) levels: BTreeMap<String, toml::Value>,
    pub(super) external_timeout: u64,
    pub(super) external_retries: u32,
    pub(super) external_cache_ttl: u64,
    pub(super) external_per_host: usize,
    pub(super) external_concurrency: usize,
}

impl Default for RawCheck {
    fn default() -> Self {
        let d = CheckConfig::default();
        RawCheck {
            skip_external: d.skip_external,
            levels: BTreeMap::new(),
            external_timeout: d.external_timeout,
            external_retries: d.external_retries,
            external_cache_ttl: d.external_cache_ttl,
            external_per_host: d.external_per_host,
            external_concurrency: d.external_concurrency,
        }
    }
}

#[derive(Deserialize)]
pub(super) struct RawBook {
    pub(super) title: String,
    #[serde(default)]
    pub(super) description: String,
    pub(super) base_url: String,
    #[serde(default = "default_language")]
    pub(super) default_language: String,
    pub(super) publisher: Option<String>,
}

fn default_language() -> String {
    "en".to_string()
}

#[derive(Deserialize)]
pub(super) struct RawLanguage {
    pub(super) name: Option<String>,
    pub(super) title: Option<String>,
    #[serde(default = "yes")]
    pub(super) fallback: bool,
    pub(super) description: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(default)]
pub(super) struct RawBuild {
    pub(super) output_dir: String,
    pub(super) theme: String,
    pub(super) drafts: bool,
    pub(super) git_dates: bool,
}

impl Default for RawBuild {
    fn default() -> Self {
        RawBuild {
            output_dir: "public".into(),
            theme: "default".into(),
            drafts: false,
            git_dates: false,
        }
    }
}

#[derive(Deserialize)]
#[serde(default)]
pub(super) struct RawGlossary {
    pub(super) file: String,
    pub(super) link: LinkMode,
}

impl Default for RawGlossary {
    fn default() -> Self {
        RawGlossary {
            file: "glossary.toml".into(),
            link: LinkMode::First,
        }
    }
}

#[derive(Deserialize)]
#[serde(default)]
pub(super) struct RawServe {
    pub(super) port: u16,
}

impl Default for RawServe {
    fn default() -> Self {
        RawServe { port: 1111 }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RawMarkdown {
    /// Off unless the publisher trusts every writer: see the README's `[markdown]` section.
    pub(super) unsafe_html: bool,
    pub(super) heading_ids: HeadingIds,
}

#[derive(Deserialize)]
#[serde(default)]
pub(super) struct RawPagination {
    pub(super) paginate_by: i64,
}

impl Default for RawPagination {
    fn default() -> Self {
        RawPagination {
            paginate_by: PAGINATE_BY as i64,
        }
    }
}

#[derive(Deserialize)]
#[serde(default)]
pub(super) struct RawSearch {
    pub(super) enabled: bool,
}

impl Default for RawSearch {
    fn default() -> Self {
        RawSearch { enabled: true }
    }
}
