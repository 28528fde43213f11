//! Running git for a site: the repository is the one holding the site's folder.

use std::path::Path;
use std::process::Command;

/// The variables by which git is told which repository to use instead of finding it from the
/// folder. A git hook (`pre-commit`, `pre-push`) or `git rebase --exec` sets some of them for
/// the repository it runs in; tebiki run there must still read the site's own repository, and
/// a test's scratch repository must not be the one around it.
const REPOSITORY_VARIABLES: [&str; 6] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
];

/// `git -C dir`, with the repository found from `dir` alone.
pub fn command(dir: &Path) -> Command {
    let mut git = Command::new("git");
    git.arg("-C").arg(dir);
    for variable in REPOSITORY_VARIABLES {
        git.env_remove(variable);
    }
    git
}

/// The bytes of blob `id` in the git repository holding `root`, if it has it.
pub fn blob(root: &Path, id: &str) -> Option<Vec<u8>> {
    let out = command(root).args(["cat-file", "blob", id]).output().ok()?;
    out.status.success().then_some(out.stdout)
}
