//! A small fast hasher (FxHash) for the build's maps keyed by what the site's own files say
//! (content paths, tokens), which a reader cannot choose: std's SipHash guards against keys
//! picked to collide, at several times the cost for short keys.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`Fx`].
pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// A `HashSet` with [`Fx`].
pub type FxSet<K> = HashSet<K, BuildHasherDefault<Fx>>;

/// FxHash: each word of the key rotated in and multiplied, the result rotated so that the
/// well-mixed high bits of the product become the low bits a hash table picks its bucket by
/// (as rustc-hash 2 does). Without the rotation the low bits of a one-word key's hash depend
/// only on the key's own low bits: every CJK pair that ends in the same character (の, る,
/// 化…) started probing at the same bucket, and a Japanese site's lookups slowed with its
/// vocabulary.
#[derive(Default, Clone, Copy)]
pub struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn keys_that_differ_only_in_high_bits_spread_over_buckets() {
        // CJK pairs as the search index keys them: the first character above bit 21, the
        // second below. 1,000 pairs ending in の must not share a bucket of a 16,384-bucket
        // table (the low 14 bits of the hash).
        let hasher = BuildHasherDefault::<Fx>::default();
        let buckets: HashSet<u64> = (0..1000u64)
            .map(|k| hasher.hash_one(((0x4E00 + k) << 21) | 0x306E) & 0x3FFF)
            .collect();
        assert!(
            buckets.len() > 900,
            "{} buckets of 1,000 keys",
            buckets.len()
        );
    }
}
