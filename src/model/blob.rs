//! Git blob ids: a translation records the blob id of the source file it matches
//! (`translated_from`), so tebiki can tell exactly whether the source has changed since, and
//! `git` can show what changed (`git cat-file -p <id>`). Checking a version is done without
//! git, so a build never waits for it; only recording one (`mark`) asks git, for the line-end
//! conversion the repository is set to.

use sha1::{Digest, Sha1};

/// The id `git hash-object` gives a file with these bytes: the SHA-1 of `"blob <len>\0"`
/// followed by the bytes, as 40 lowercase hex digits. Bytes are hashed as they are on disk
/// (a CRLF file has a different id from its LF twin, as in git without autocrlf).
pub fn blob_id(bytes: &[u8]) -> String {
    let mut hasher = Sha1::new();
    hasher.update(format!("blob {}\0", bytes.len()).as_bytes());
    hasher.update(bytes);
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A source's version as a translation may record it. A file checked out with CRLF line ends
/// from a repository that stores LF (`core.autocrlf`, the Git for Windows default) has one id
/// as it is on disk and another as git stores it; a translation marked in either kind of
/// checkout records one of them, and both mean the same text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The id of the bytes as they are.
    pub id: String,
    /// For bytes with CRLF line ends, the id of the same text with LF ones.
    pub lf: Option<String>,
}

impl Version {
    pub fn of(bytes: &[u8]) -> Version {
        // Most sources have no CR at all, which one fast scan (memchr) tells.
        let has_crlf = bytes.contains(&b'\r') && bytes.windows(2).any(|w| w == b"\r\n");
        Version {
            id: blob_id(bytes),
            lf: has_crlf.then(|| blob_id(&lf(bytes))),
        }
    }

    /// Whether a translation that records `recorded` was made from this version.
    pub fn is(&self, recorded: &str) -> bool {
        self.id == recorded || self.lf.as_deref() == Some(recorded)
    }
}

/// `bytes` with each CRLF as LF.
fn lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        if !(b == b'\r' && bytes.get(i + 1) == Some(&b'\n')) {
            out.push(b);
        }
    }
    out
}

/// The version to record for the source file `path` (with these bytes) in a site at `root`:
/// the id of the blob git stores for it (`git hash-object` applies the line-end conversion the
/// repository is set to), so that a translation marked on Windows and one marked on Linux
/// record the same version and `git cat-file` finds it. Outside git, the id of its text with
/// LF line ends, which is what git stores unless told to keep CRLF.
pub fn version_to_record(root: &std::path::Path, path: &std::path::Path, bytes: &[u8]) -> String {
    let from_git = crate::model::git::command(root)
        .args(["hash-object", "--"])
        .arg(path)
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|id| is_blob_id(id));
    from_git.unwrap_or_else(|| {
        let version = Version::of(bytes);
        version.lf.unwrap_or(version.id)
    })
}

/// Whether `text` looks like a full blob id (40 hex digits).
pub fn is_blob_id(text: &str) -> bool {
    text.len() == 40 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_ids() {
        // `git hash-object /dev/null` and `printf 'hello\n' | git hash-object --stdin`.
        assert_eq!(blob_id(b""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
        assert_eq!(
            blob_id(b"hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
        assert!(is_blob_id(&blob_id("日本語\r\n".as_bytes())));
        assert!(!is_blob_id("ce01362"));
    }

    #[test]
    fn a_crlf_text_is_also_its_lf_twin() {
        let crlf = Version::of("日本語\r\nline\r\nlone\r".as_bytes());
        // A lone CR is not a line end git converts: it stays.
        let lf_id = blob_id("日本語\nline\nlone\r".as_bytes());
        assert!(crlf.is(&crlf.id) && crlf.is(&lf_id));
        assert!(!crlf.is(&blob_id(b"other")));
        let lf = Version::of(b"hello\n");
        assert_eq!(lf.lf, None);
        assert!(lf.is("ce013625030ba8dba906f756967f9e9ca394464a"));
    }
}
