//! Bytes kept LZ4-compressed in memory. `serve` holds a whole site — every rendered page, its
//! Markdown's HTML and the search files — and HTML shrinks to about a third; LZ4 packs and
//! unpacks a page in microseconds, so an edit is not served later for it.

use std::sync::Arc;

/// Bytes, compressed when that saves memory. Cloning shares them.
#[derive(Debug, Clone)]
pub struct Packed {
    data: Arc<[u8]>,
    compressed: bool,
}

/// Smaller inputs are kept as they are: too little to gain.
const PACK_FROM: usize = 2048;

impl Packed {
    pub fn new(bytes: &[u8]) -> Packed {
        if bytes.len() >= PACK_FROM {
            let data = lz4_flex::block::compress_prepend_size(bytes);
            if data.len() < bytes.len() {
                return Packed {
                    data: data.into(),
                    compressed: true,
                };
            }
        }
        Packed {
            data: bytes.into(),
            compressed: false,
        }
    }

    /// The bytes, shared when they were not compressed.
    pub fn bytes(&self) -> Arc<[u8]> {
        if self.compressed {
            self.to_vec().into()
        } else {
            self.data.clone()
        }
    }

    /// The bytes, in a new vector.
    pub fn to_vec(&self) -> Vec<u8> {
        if !self.compressed {
            return self.data.to_vec();
        }
        // Only what `new` compressed is ever decompressed, so this cannot fail.
        lz4_flex::block::decompress_size_prepended(&self.data).unwrap_or_default()
    }

    /// The bytes held in memory.
    pub fn held(&self) -> usize {
        self.data.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_round_trips_and_saves_memory_on_html() {
        let page = "<p>AI推進法は、AIの研究開発と活用を進めるための法律です。</p>\n".repeat(200);
        let packed = Packed::new(page.as_bytes());
        assert_eq!(packed.to_vec(), page.as_bytes());
        assert_eq!(&*packed.bytes(), page.as_bytes());
        assert!(
            packed.held() * 3 < page.len(),
            "{} of {}",
            packed.held(),
            page.len()
        );
        let small = Packed::new(b"<p>short</p>");
        assert_eq!(small.held(), 12);
        assert_eq!(&*small.bytes(), b"<p>short</p>");
    }
}
