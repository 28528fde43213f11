//! Earlier addresses of a page (`aliases` in its front matter): each gets a small page that
//! sends the reader, and search engines, to the page's address, as Zola's and Hugo's aliases
//! do. A host's own redirects (a 301) are better where the host has them; GitHub Pages and
//! plain file hosts have none, and a renamed guide must not leave its readers' bookmarks
//! and other sites' links dead.

use crate::diag::{Code, Diagnostic};
use crate::model::content_path::composed;
use crate::model::slug::{MAX_SEGMENT, is_safe_segment, visible};
use crate::model::url::percent_decode;
use crate::pipeline::escape::escape;
use crate::pipeline::ids::PageId;
use crate::pipeline::index::Site;

/// The output file of an alias as written (`/old/ai-act/` → `old/ai-act/index.html`,
/// `/old/ai-act.html` as it is), or why it cannot be one. The address is taken from the
/// site's root, `base_url`'s path included, and may be percent-encoded as a browser's address
/// bar shows it.
pub fn output_path(alias: &str) -> Result<String, String> {
    let decoded = percent_decode(alias.trim());
    let path = composed(decoded.trim_start_matches('/')).into_owned();
    let folder = path.strip_suffix('/').unwrap_or(&path);
    if folder.is_empty() {
        return Err("is the site's home page".into());
    }
    if let Some(long) = folder.split('/').find(|s| s.len() > MAX_SEGMENT) {
        return Err(format!(
            "has a part of {} bytes, and a folder name may have at most {MAX_SEGMENT}",
            long.len()
        ));
    }
    if let Some(bad) = folder.split('/').find(|s| !is_safe_segment(s)) {
        return Err(format!(
            "has the part `{}`, which cannot be a file or folder name",
            visible(bad)
        ));
    }
    let lower = folder.to_ascii_lowercase();
    if !path.ends_with('/') && (lower.ends_with(".html") || lower.ends_with(".htm")) {
        Ok(path)
    } else {
        Ok(format!("{folder}/index.html"))
    }
}

/// The output path of every valid alias, with its page and the line that gives it.
pub fn paths(site: &Site) -> Vec<(String, PageId, usize)> {
    site.page_ids()
        .flat_map(|i| {
            site.pages[i]
                .meta()
                .aliases
                .iter()
                .filter_map(move |a| output_path(&a.value).ok().map(|path| (path, i, a.line)))
        })
        .collect()
}

/// The aliases that cannot be addresses, at their lines.
pub fn check(site: &Site) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for page in &site.pages {
        for alias in &page.meta().aliases {
            if let Err(why) = output_path(&alias.value) {
                errors.push(
                    Diagnostic::error(
                        Code::BadSlug,
                        &page.source.file,
                        format!("the alias `{}` {why}", visible(&alias.value)),
                    )
                    .at(alias.line, 1)
                    .suggest("write the page's earlier address from the site's root, such as `/guides/old-name/`"),
                );
            }
        }
    }
    errors
}

/// `(output path, contents)` of every alias's redirect page.
pub fn files(site: &Site) -> Vec<(String, String)> {
    paths(site)
        .into_iter()
        .map(|(path, i, _)| {
            let page = &site.pages[i];
            (
                path,
                redirect(&page.source.lang, page.title(), &site.url(&page.path)),
            )
        })
        .collect()
}

/// A page that sends its reader to `url` at once: a refresh for browsers, the canonical link
/// for search engines (which then index `url`, not this), and a plain link for the rest.
fn redirect(lang: &str, title: &str, url: &str) -> String {
    let (lang, title, url) = (escape(lang), escape(title), escape(url));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{url}\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<p><a href=\"{url}\">{title}</a></p>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_become_output_files_under_the_root() {
        assert_eq!(
            output_path("/old/ai-act/"),
            Ok("old/ai-act/index.html".into())
        );
        assert_eq!(
            output_path("old/ai-act"),
            Ok("old/ai-act/index.html".into())
        );
        assert_eq!(
            output_path("/old/ai-act.html"),
            Ok("old/ai-act.html".into())
        );
        assert_eq!(
            output_path("/guides/%E7%94%A8%E8%AA%9E/"),
            Ok("guides/用語/index.html".into())
        );
        assert!(output_path("/").is_err());
        assert!(output_path("/../etc/").is_err());
        assert!(output_path("/a/%2e%2e/b/").is_err());
        assert!(output_path("/a//b/").is_err());
        assert!(output_path("/a b/").is_err());
    }

    #[test]
    fn the_redirect_page_escapes_what_it_is_given() {
        let html = redirect("en", "A <b> & \"c\"", "https://example.org/x/?a=1&b=2");
        assert!(
            html.contains("<title>A &lt;b&gt; &amp; &quot;c&quot;</title>"),
            "{html}"
        );
        assert!(
            html.contains("content=\"0; url=https://example.org/x/?a=1&amp;b=2\""),
            "{html}"
        );
    }
}
