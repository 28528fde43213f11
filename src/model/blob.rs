//! Git blob ids, computed without git: a translation records the blob id of the source file
//! it matches (`translated_from`), so tebiki can tell exactly whether the source has changed
//! since, and `git` can show what changed (`git cat-file -p <id>`).

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
}
