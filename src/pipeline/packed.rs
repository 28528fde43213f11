//! Bytes kept LZ4-compressed in memory. `serve` holds a whole site — every rendered page, its
//! Markdown's HTML and the search files — and HTML shrinks to about a third; LZ4 packs and
//! unpacks a page in microseconds, so an edit is not served later for it.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::Arc;

use lz4_flex::block::{CompressTable, compress_into_with_table, get_maximum_output_size};

/// Bytes, compressed when that saves memory. Cloning shares them.
#[derive(Debug, Clone)]
pub struct Packed {
    data: Arc<[u8]>,
    compressed: bool,
}

/// Smaller inputs are kept as they are: too little to gain.
const PACK_FROM: usize = 2048;

/// What packing needs from one call to the next, kept per thread: the output buffer and the
/// compressor's table. Allocating both for each page, then the result, left a large site's
/// heap full of holes that made every later allocation slower.
#[derive(Default)]
struct Scratch {
    out: Vec<u8>,
    table: CompressTable,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
    static UNPACKED: RefCell<Vec<u8>> = RefCell::default();
}

impl Packed {
    pub fn new(bytes: &[u8]) -> Packed {
        if bytes.len() >= PACK_FROM
            && let Some(data) = SCRATCH.with(|scratch| compress(bytes, &mut scratch.borrow_mut()))
        {
            return Packed {
                data,
                compressed: true,
            };
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
        let mut bytes = Vec::new();
        let n = unpack_into(&self.data, &mut bytes);
        bytes.truncate(n);
        bytes
    }

    /// Calls `f` with the bytes, unpacked into a buffer kept per thread rather than a new one.
    pub fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        if !self.compressed {
            return f(&self.data);
        }
        UNPACKED.with(|buffer| match buffer.try_borrow_mut() {
            Ok(mut buffer) => {
                let n = unpack_into(&self.data, &mut buffer);
                f(&buffer[..n])
            }
            // Called from inside `f`: a buffer of its own.
            Err(_) => f(&self.to_vec()),
        })
    }

    /// The bytes held in memory.
    pub fn held(&self) -> usize {
        self.data.len()
    }
}

/// A text as written, or packed ([`Text::pack`]): a body's HTML, held from the link stage
/// until the site is written (in `serve`, for as long as it runs), and in `serve` a page's
/// Markdown, kept to render it again after an edit elsewhere.
#[derive(Debug, Clone)]
pub enum Text {
    Plain(String),
    Packed(Packed),
}

impl Text {
    /// The text, unpacked into a new string when it is packed.
    pub fn as_str(&self) -> Cow<'_, str> {
        match self {
            Text::Plain(text) => Cow::Borrowed(text),
            Text::Packed(_) => Cow::Owned(self.with_str(str::to_owned)),
        }
    }

    /// Calls `f` with the text, unpacked into a buffer kept per thread when it is packed.
    pub fn with_str<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        match self {
            Text::Plain(text) => f(text),
            // Packed from a `str`, so always UTF-8; checked all the same, with SIMD.
            Text::Packed(packed) => {
                packed.with_bytes(|bytes| match simdutf8::basic::from_utf8(bytes) {
                    Ok(text) => f(text),
                    Err(_) => f(&String::from_utf8_lossy(bytes)),
                })
            }
        }
    }

    pub fn into_string(self) -> String {
        match self {
            Text::Plain(text) => text,
            packed => packed.as_str().into_owned(),
        }
    }

    /// Compresses the text in place.
    pub fn pack(&mut self) {
        if let Text::Plain(_) = self {
            *self = self.packed();
        }
    }

    /// The text, compressed.
    pub fn packed(&self) -> Text {
        match self {
            Text::Plain(text) => Text::Packed(Packed::new(text.as_bytes())),
            packed => packed.clone(),
        }
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::Plain(String::new())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// `bytes` compressed with their length in front (as [`unpack_into`] reads
/// them), if that makes them smaller.
fn compress(bytes: &[u8], scratch: &mut Scratch) -> Option<Arc<[u8]>> {
    let size = u32::try_from(bytes.len()).ok()?;
    let most = 4 + get_maximum_output_size(bytes.len());
    if scratch.out.len() < most {
        scratch.out.resize(most, 0);
    }
    scratch.out[..4].copy_from_slice(&size.to_le_bytes());
    let n = compress_into_with_table(bytes, &mut scratch.out[4..most], &mut scratch.table).ok()?;
    (4 + n < bytes.len()).then(|| Arc::from(&scratch.out[..4 + n]))
}

/// Decompresses what `compress` made into `buffer`, grown as needed; returns the length.
fn unpack_into(packed: &[u8], buffer: &mut Vec<u8>) -> usize {
    // Only what `compress` made is ever unpacked, so neither step can fail.
    let Ok((size, rest)) = lz4_flex::block::uncompressed_size(packed) else {
        return 0;
    };
    if buffer.len() < size {
        buffer.resize(size, 0);
    }
    lz4_flex::block::decompress_into(rest, &mut buffer[..size]).unwrap_or(0)
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
        // Over 64 KiB the compressor's table changes size; the smaller page after it still
        // round-trips with the larger table.
        let large = "<li>生成AIの利活用と計算資源</li>\n".repeat(3000);
        assert_eq!(Packed::new(large.as_bytes()).to_vec(), large.as_bytes());
        assert_eq!(Packed::new(page.as_bytes()).to_vec(), page.as_bytes());
        // Unpacked into the thread's buffer: the larger page first, then the smaller one,
        // which must not see the end of the larger.
        Packed::new(large.as_bytes()).with_bytes(|b| assert_eq!(b, large.as_bytes()));
        packed.with_bytes(|b| {
            assert_eq!(b, page.as_bytes());
            // Nested, with a buffer of its own.
            Packed::new(large.as_bytes()).with_bytes(|l| assert_eq!(l, large.as_bytes()));
        });
        let small = Packed::new(b"<p>short</p>");
        assert_eq!(small.held(), 12);
        assert_eq!(&*small.bytes(), b"<p>short</p>");
    }
}
