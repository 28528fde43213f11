//! `[build] git_dates`: the date of the last commit that touched each content file, read with
//! one `git log` pass for the whole site. Where git is missing or the site is not a repository,
//! there are no dates and the build goes on.

use std::collections::HashMap;
use std::path::Path;

use crate::model::dates::Date;

/// Marks a commit's date line in the log, so a file named like a date is never taken for one.
const MARK: char = '\u{1}';

/// Last commit date of every file under `content/` of the site at `root`, keyed by its path
/// relative to the root (`content/guides/ai-act.md`). Empty when git cannot say.
pub fn last_commit_dates(root: &Path) -> HashMap<String, Date> {
    let output = crate::model::git::command(root)
        .args([
            "-c",
            "core.quotepath=off",
            "log",
            "--relative",
            "--format=\u{1}%cs",
            "--name-only",
            "--no-renames",
            "--",
            "content",
        ])
        .output();
    match output {
        Ok(out) if out.status.success() => parse_log(&String::from_utf8_lossy(&out.stdout)),
        _ => HashMap::new(),
    }
}

/// Reads `git log --format=<MARK>%cs --name-only`, newest commit first: the first date seen
/// for a file is its last commit's.
fn parse_log(log: &str) -> HashMap<String, Date> {
    let mut dates = HashMap::new();
    let mut current = None;
    for line in log.lines() {
        if let Some(date) = line.strip_prefix(MARK) {
            current = Date::parse(date.trim());
        } else if !line.is_empty()
            && let Some(date) = current
        {
            dates.entry(line.to_string()).or_insert(date);
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_commit_wins() {
        let log =
            "\u{1}2026-11-29\n\ncontent/a.md\n\u{1}2026-05-08\n\ncontent/a.md\ncontent/b.ja.md\n";
        let dates = parse_log(log);
        assert_eq!(dates["content/a.md"].iso(), "2026-11-29");
        assert_eq!(dates["content/b.ja.md"].iso(), "2026-05-08");
    }

    #[test]
    fn no_git_repository_means_no_dates() {
        let dir = std::env::temp_dir().join(format!("tebiki-no-git-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        assert!(last_commit_dates(&dir).is_empty() || dir.join(".git").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
