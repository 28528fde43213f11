//! `tebiki check --external`: requests every http(s) address in the pages' text and in their
//! `sources`, and reports the ones that are gone (404), failing (5xx, timeouts), refused for
//! now (429) or moved for good (301, 308), each at the `file:line:col` of every link to it.
//!
//! Requests run on a few threads, with at most `[check] external_per_host` at a time to one
//! host (government servers throttle). A request is `HEAD` first, `GET` when the server does
//! not answer `HEAD` with a success; redirects are followed by hand (up to ten) so that a
//! permanent one can be reported. Definite results (success, client error, redirect) are kept
//! in `.tebiki-cache/links.json` under the site for `[check] external_cache_ttl` hours, so a CI
//! run does not request the same page again and again; failures and rate limiting (429) say
//! nothing about the page, so they are never cached.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use pulldown_cmark::{Event, Parser, Tag};
use serde::{Deserialize, Serialize};

use crate::diag::{Code, Diagnostic, LineIndex};
use crate::error::Error;
use crate::model::config::CheckConfig;
use crate::pipeline::index::Site;
use crate::pipeline::load::SourceFile;

/// The cache file, relative to the site root (add it to `.gitignore`).
pub const CACHE_FILE: &str = ".tebiki-cache/links.json";

/// The user agent of every request.
pub const USER_AGENT: &str = concat!("tebiki/", env!("CARGO_PKG_VERSION"), " (link checker)");

/// Redirects followed before giving up.
const MAX_REDIRECTS: usize = 10;

/// The longest `Retry-After` waited for before a retry. A server asking for more is reported
/// at once rather than holding the check (and a CI job) for minutes.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// One place an address is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// What requesting an address found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Outcome {
    /// A success (2xx), directly or through temporary redirects.
    Ok { status: u16 },
    /// A client error (4xx): the page is gone or refused.
    Broken { status: u16 },
    /// A permanent redirect (301, 308) to `to`, which answered `status`.
    Moved { to: String, status: u16 },
    /// A server error, timeout or connection failure, after the retries.
    Failed { reason: String },
    /// 429 Too Many Requests, after the retries: the server is rate limiting this checker,
    /// which says nothing about the page. `retry_after` is the wait it asked for, in seconds.
    Limited { retry_after: Option<u64> },
}

impl Outcome {
    /// Whether the result may be cached: failures and rate limiting may be over by the next
    /// run, so they are asked again. A 429 cached as broken by an earlier version is not
    /// taken from the cache either.
    fn cacheable(&self) -> bool {
        !matches!(
            self,
            Outcome::Failed { .. } | Outcome::Limited { .. } | Outcome::Broken { status: 429 }
        )
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    /// By address: when it was checked (seconds since 1970) and what was found.
    links: BTreeMap<String, CacheEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CacheEntry {
    checked: u64,
    #[serde(flatten)]
    outcome: Outcome,
}

/// Every http(s) address in the site's pages and sections (body links, images, autolinks and
/// `sources` URLs), each with the places it is written, in a stable order.
pub fn collect(site: &Site) -> BTreeMap<String, Vec<Place>> {
    let mut found: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    let sources = site
        .pages
        .iter()
        .map(|p| &p.source)
        .chain(site.sections.iter().filter_map(|s| s.source.as_ref()));
    let mut seen_files = std::collections::HashSet::new();
    for source in sources {
        // A section's source is shared by the languages that have no `_index` of their own.
        if !seen_files.insert(source.file.clone()) {
            continue;
        }
        for (url, place) in in_file(&site.root, source) {
            found.entry(url).or_default().push(place);
        }
    }
    found
}

/// The addresses in one file: its `sources` URLs (found in the file's front matter) and the
/// links of its body.
fn in_file(root: &Path, source: &SourceFile) -> Vec<(String, Place)> {
    let mut out = Vec::new();
    let text = std::fs::read_to_string(root.join(&source.file)).unwrap_or_default();
    let front = text
        .split_inclusive('\n')
        .take(source.body_line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        .min(text.len());
    let front_index = LineIndex::new(&text);
    let sources_line = source.meta.key_lines.get("sources").copied().unwrap_or(1);
    let mut from = 0;
    for citation in &source.meta.sources {
        let Some(url) = citation.url.as_deref().filter(|u| is_external(u)) else {
            continue;
        };
        let (line, column) = match text[from.min(front)..front].find(url) {
            Some(at) => {
                from += at + url.len();
                front_index.line_col(from - url.len())
            }
            None => (sources_line, 1),
        };
        out.push((
            url.to_string(),
            Place {
                file: source.file.clone(),
                line,
                column,
            },
        ));
    }
    let text = source.body.as_str();
    let body = LineIndex::new(&text);
    for (event, range) in
        Parser::new_ext(&text, crate::pipeline::markdown::options()).into_offset_iter()
    {
        let dest = match event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        if !is_external(&dest) {
            continue;
        }
        let (line, column) = body.line_col(range.start);
        out.push((
            dest.to_string(),
            Place {
                file: source.file.clone(),
                line: source.body_line + line - 1,
                column,
            },
        ));
    }
    out
}

fn is_external(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The host of an absolute http(s) address, lower-cased, without port or user.
pub fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if authority.starts_with('[') {
        authority
            .split_once(']')
            .map_or(authority, |(h, _)| h)
            .trim_start_matches('[')
    } else {
        authority.split(':').next().unwrap_or(authority)
    };
    host.to_ascii_lowercase()
}

/// Whether `host` is `skip` or one of its subdomains.
fn skipped(host: &str, skip: &[String]) -> bool {
    skip.iter().any(|s| {
        let s = s.trim().trim_end_matches('.').to_ascii_lowercase();
        host == s || host.ends_with(&format!(".{s}"))
    })
}

/// Checks every external address of `site`; returns a diagnostic for each place that links
/// to a broken, failing or moved address.
pub fn check(site: &Site) -> Result<Vec<Diagnostic>, Error> {
    let links = collect(site);
    let config = &site.config.check;
    let cache_path = site.root.join(CACHE_FILE);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let ttl = config.external_cache_ttl.saturating_mul(3600);
    let mut cache = read_cache(&cache_path);
    let mut results: HashMap<String, Outcome> = HashMap::new();
    let mut to_check = Vec::new();
    for url in links.keys() {
        if skipped(&host(url), &config.skip_external) {
            continue;
        }
        let target = url.split('#').next().unwrap_or(url).to_string();
        match cache.links.get(&target) {
            Some(entry)
                if ttl > 0
                    && now.saturating_sub(entry.checked) < ttl
                    && entry.outcome.cacheable() =>
            {
                results.insert(target, entry.outcome.clone());
            }
            _ if !to_check.contains(&target) => to_check.push(target),
            _ => {}
        }
    }
    for (url, outcome) in check_all(to_check, config) {
        if ttl > 0 && outcome.cacheable() {
            cache.links.insert(
                url.clone(),
                CacheEntry {
                    checked: now,
                    outcome: outcome.clone(),
                },
            );
        }
        results.insert(url, outcome);
    }
    if ttl > 0 {
        cache
            .links
            .retain(|_, e| now.saturating_sub(e.checked) < ttl && e.outcome.cacheable());
        write_cache(&cache_path, &cache)?;
    }
    let mut out = Vec::new();
    for (url, places) in &links {
        let target = url.split('#').next().unwrap_or(url);
        let Some(outcome) = results.get(target) else {
            continue;
        };
        for place in places {
            let d = match outcome {
                Outcome::Ok { .. } => continue,
                Outcome::Broken { status } => Diagnostic::error(
                    Code::ExternalBroken,
                    &place.file,
                    format!("`{url}` answers {status} {}", reason(*status)),
                )
                .suggest("find the document's new address and update the link, or link to an archived copy"),
                Outcome::Moved { to, .. } => Diagnostic::warning(
                    Code::ExternalRedirect,
                    &place.file,
                    format!("`{url}` has moved permanently to `{to}`"),
                )
                .suggest(format!("link to `{to}`")),
                Outcome::Failed { reason } => Diagnostic::warning(
                    Code::ExternalError,
                    &place.file,
                    format!("`{url}` could not be checked: {reason}"),
                )
                .suggest("open it in a browser; if the host blocks automated requests, add it to `skip_external` under `[check]` in book.toml"),
                Outcome::Limited { retry_after } => Diagnostic::warning(
                    Code::ExternalError,
                    &place.file,
                    format!(
                        "`{url}` could not be checked: the server is rate limiting requests (429 Too Many Requests){}",
                        retry_after.map_or(String::new(), |s| format!(" and asks to wait {s} s"))
                    ),
                )
                .suggest("run the check again later, or ask the host less often: lower `external_per_host` under `[check]` in book.toml"),
            };
            out.push(d.at(place.line, place.column));
        }
    }
    Ok(out)
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        410 => "Gone",
        429 => "Too Many Requests",
        _ => "",
    }
}

fn read_cache(path: &Path) -> Cache {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

fn write_cache(path: &Path, cache: &Cache) -> Result<(), Error> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let json = serde_json::to_vec_pretty(cache).unwrap_or_default();
    // Written beside, then renamed: a run stopped half-way leaves the old cache whole.
    let tmp: PathBuf = path.with_extension("json.tmp");
    std::fs::write(&tmp, json).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

/// The work queue shared by the threads: addresses not started yet, and requests in flight
/// per host.
struct Queue {
    waiting: VecDeque<String>,
    in_flight: HashMap<String, usize>,
}

/// Requests every address in `urls`, `external_concurrency` at a time and at most
/// `external_per_host` to one host. Returns each address with its outcome.
pub fn check_all(urls: Vec<String>, config: &CheckConfig) -> Vec<(String, Outcome)> {
    if urls.is_empty() {
        return Vec::new();
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(config.external_timeout.max(1))))
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(USER_AGENT)
        .build()
        .into();
    let threads = config.external_concurrency.clamp(1, urls.len());
    let per_host = config.external_per_host.max(1);
    let queue = Mutex::new(Queue {
        waiting: urls.into(),
        in_flight: HashMap::new(),
    });
    let ready = Condvar::new();
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    // Take the first address whose host has room; wait while none has.
                    let url = {
                        let Ok(mut q) = queue.lock() else { return };
                        loop {
                            if q.waiting.is_empty() {
                                return;
                            }
                            let pick = q.waiting.iter().position(|u| {
                                q.in_flight.get(&host(u)).copied().unwrap_or(0) < per_host
                            });
                            if let Some(i) = pick
                                && let Some(url) = q.waiting.remove(i)
                            {
                                *q.in_flight.entry(host(&url)).or_default() += 1;
                                break url;
                            }
                            q = match ready.wait(q) {
                                Ok(q) => q,
                                Err(_) => return,
                            };
                        }
                    };
                    let outcome = request(&agent, &url, config.external_retries);
                    if let Ok(mut q) = queue.lock()
                        && let Some(n) = q.in_flight.get_mut(&host(&url))
                    {
                        *n = n.saturating_sub(1);
                    }
                    ready.notify_all();
                    if let Ok(mut r) = results.lock() {
                        r.push((url, outcome));
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by(|a, b| a.0.cmp(&b.0));
    results
}

/// Requests `url`, retrying failures and rate limiting (`retries` more times, waiting a little
/// longer each time, or as long as the server's `Retry-After` asks, up to [`MAX_RETRY_AFTER`]).
fn request(agent: &ureq::Agent, url: &str, retries: u32) -> Outcome {
    let mut attempt = 0;
    loop {
        let (outcome, retry_after) = follow(agent, url);
        let retry = matches!(outcome, Outcome::Failed { .. } | Outcome::Limited { .. });
        if !retry || attempt >= retries {
            return outcome;
        }
        attempt += 1;
        let wait = match retry_after {
            // Asking sooner than the server said would only be refused again.
            Some(asked) if asked > MAX_RETRY_AFTER => return outcome,
            Some(asked) => asked,
            None => Duration::from_millis(250 * u64::from(attempt)),
        };
        std::thread::sleep(wait);
    }
}

/// Follows `url` through its redirects; remembers the first permanent one. With the outcome,
/// the wait a final 429 or 503 asked for in `Retry-After`.
fn follow(agent: &ureq::Agent, url: &str) -> (Outcome, Option<Duration>) {
    let mut current = url.to_string();
    let mut moved = false;
    for _ in 0..=MAX_REDIRECTS {
        let status = match head_or_get(agent, &current) {
            Ok(s) => s,
            Err(reason) => return (Outcome::Failed { reason }, None),
        };
        match status {
            Status::Redirect { code, location } => {
                if code == 301 || code == 308 {
                    moved = true;
                }
                current = resolve(&current, &location);
            }
            Status::Final { code, retry_after } => {
                let outcome = match code {
                    200..=299 if moved => Outcome::Moved {
                        to: current,
                        status: code,
                    },
                    200..=299 => Outcome::Ok { status: code },
                    429 => Outcome::Limited {
                        retry_after: retry_after.map(|d| d.as_secs()),
                    },
                    400..=499 => Outcome::Broken { status: code },
                    _ => Outcome::Failed {
                        reason: format!("the server answered {code}"),
                    },
                };
                return (outcome, retry_after.filter(|_| matches!(code, 429 | 503)));
            }
        }
    }
    let reason = format!("more than {MAX_REDIRECTS} redirects");
    (Outcome::Failed { reason }, None)
}

enum Status {
    Redirect {
        code: u16,
        location: String,
    },
    /// The last answer, with its `Retry-After` in seconds when it has one (an HTTP date there
    /// is not read: the usual backoff is used instead).
    Final {
        code: u16,
        retry_after: Option<Duration>,
    },
}

/// One `HEAD`, then one `GET` when `HEAD` did not succeed (servers that refuse or mishandle
/// `HEAD` are common).
/// A timeout is not tried again with `GET`: a server too slow for one is too slow for both.
fn head_or_get(agent: &ureq::Agent, url: &str) -> Result<Status, String> {
    let failure = |e: ureq::Error| match e {
        ureq::Error::Timeout(_) => {
            let limit = agent.config().timeouts().global.map_or(0, |d| d.as_secs());
            format!("no answer within {limit} s")
        }
        other => other.to_string(),
    };
    // A 429 is not followed by a `GET` at once: the server has just asked for fewer requests.
    let response = match agent.head(url).call() {
        Ok(r) if r.status().as_u16() < 400 || r.status().as_u16() == 429 => r,
        Err(e @ ureq::Error::Timeout(_)) => return Err(failure(e)),
        _ => agent.get(url).call().map_err(failure)?,
    };
    let code = response.status().as_u16();
    if (300..400).contains(&code)
        && let Some(location) = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
    {
        return Ok(Status::Redirect {
            code,
            location: location.to_string(),
        });
    }
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    Ok(Status::Final { code, retry_after })
}

/// `location` resolved against `base` (absolute, scheme-relative, absolute-path or relative).
fn resolve(base: &str, location: &str) -> String {
    if is_external(location) {
        return location.to_string();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("https", base));
    if let Some(net) = location.strip_prefix("//") {
        return format!("{scheme}://{net}");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if location.starts_with('/') {
        return format!("{scheme}://{authority}{location}");
    }
    let path = rest[authority.len()..]
        .split(['?', '#'])
        .next()
        .unwrap_or("");
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    format!("{scheme}://{authority}{dir}/{location}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_skips() {
        assert_eq!(host("https://www.Meti.go.jp:443/a?b"), "www.meti.go.jp");
        assert_eq!(host("http://user@[::1]:8080/"), "::1");
        let skip = vec!["meti.go.jp".to_string()];
        assert!(skipped("www.meti.go.jp", &skip));
        assert!(skipped("meti.go.jp", &skip));
        assert!(!skipped("xmeti.go.jp", &skip));
    }

    #[test]
    fn resolves_locations() {
        assert_eq!(resolve("http://h/a/b?x", "c"), "http://h/a/c");
        assert_eq!(resolve("http://h/a/b", "/c"), "http://h/c");
        assert_eq!(resolve("https://h/a", "//g/c"), "https://g/c");
        assert_eq!(resolve("http://h/a", "https://g/"), "https://g/");
    }
}
