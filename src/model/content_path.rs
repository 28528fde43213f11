//! Where content lives and how its files are named: the `content/` folder, files that are never
//! content, and the content paths by which pages name each other.

/// The folder under the site root that holds the pages.
pub const CONTENT_DIR: &str = "content";

/// Hidden files and editors' swap and backup files are never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

/// `guides/ai-act.md` from the ways a writer may name a page: `@/guides/ai-act.md`,
/// `/guides/ai-act.md`, `guides/report/` (a bundle), `guides/ai-act.ja.md` (a translation).
pub fn normalise_content_path(path: &str) -> String {
    let p = path.trim().trim_start_matches("@/").trim_start_matches('/');
    let p = if p.ends_with('/') {
        format!("{p}index.md")
    } else {
        p.to_string()
    };
    // A translation's file names the same page as its original.
    match p.strip_suffix(".md").and_then(|s| s.rsplit_once('.')) {
        Some((base, lang)) if crate::model::config::is_language_code(lang) => {
            format!("{base}.md")
        }
        _ => p,
    }
}
