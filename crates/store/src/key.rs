//! Keys whose byte order is their value order, so that every table is an ordered map from bytes to bytes and a
//! range of keys is a range of bytes, on any backend. A key is a tuple of parts, each encoded so that comparing
//! the bytes compares the tuples: strings with each NUL byte escaped as `00 01` and a `00 00` terminator (so a
//! prefix sorts first, and the end of a string is never confused with the next part, whatever its first byte),
//! integers big-endian with the sign bit flipped for signed ones.

use smallvec::SmallVec;

/// Keys up to this many bytes are built without a heap allocation (most are a few numbers or short names).
const INLINE_BYTES: usize = 64;

/// A key being built, part by part.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key(SmallVec<[u8; INLINE_BYTES]>);

impl Key {
    pub fn new() -> Self {
        Self(SmallVec::new())
    }

    /// A string part.
    pub fn str(mut self, text: &str) -> Self {
        self.push_str_bytes(text);
        self.0.extend_from_slice(&[0, 0]);
        self
    }

    /// The start of a string part: every key whose next string part starts with `prefix` begins with these bytes.
    pub fn str_prefix(mut self, prefix: &str) -> Self {
        self.push_str_bytes(prefix);
        self
    }

    pub fn u64(mut self, value: u64) -> Self {
        self.0.extend_from_slice(&value.to_be_bytes());
        self
    }

    pub fn u32(mut self, value: u32) -> Self {
        self.0.extend_from_slice(&value.to_be_bytes());
        self
    }

    pub fn i64(mut self, value: i64) -> Self {
        self.0.extend_from_slice(&((value as u64) ^ (1 << 63)).to_be_bytes());
        self
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.0.into_vec()
    }

    /// The smallest key greater than every key starting with these bytes (None when there is none: all 0xFF).
    pub fn prefix_end(&self) -> Option<Vec<u8>> {
        let mut end = self.0.to_vec();
        while let Some(last) = end.pop() {
            if last < u8::MAX {
                end.push(last + 1);
                return Some(end);
            }
        }
        None
    }

    fn push_str_bytes(&mut self, text: &str) {
        for &byte in text.as_bytes() {
            self.0.push(byte);
            if byte == 0 {
                self.0.push(1);
            }
        }
    }
}

impl AsRef<[u8]> for Key {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Reads the parts of a stored key back, in the order they were built.
#[derive(Debug, Clone)]
pub struct KeyReader<'a> {
    rest: &'a [u8],
}

impl<'a> KeyReader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    pub fn str(&mut self) -> Option<String> {
        let mut out = Vec::new();
        let mut i = 0;
        loop {
            let byte = *self.rest.get(i)?;
            if byte == 0 {
                match self.rest.get(i + 1) {
                    Some(1) => {
                        out.push(0);
                        i += 2;
                    }
                    Some(0) => {
                        self.rest = &self.rest[i + 2..];
                        return String::from_utf8(out).ok();
                    }
                    _ => return None,
                }
            } else {
                out.push(byte);
                i += 1;
            }
        }
    }

    pub fn u64(&mut self) -> Option<u64> {
        Some(u64::from_be_bytes(self.take::<8>()?))
    }

    pub fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.take::<4>()?))
    }

    pub fn i64(&mut self) -> Option<i64> {
        Some((u64::from_be_bytes(self.take::<8>()?) ^ (1 << 63)) as i64)
    }

    /// Whether every part has been read.
    pub fn is_done(&self) -> bool {
        self.rest.is_empty()
    }

    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.rest.split_first_chunk::<N>()?;
        self.rest = rest;
        Some(*head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(parts: &(String, i64, u64, String)) -> Key {
        Key::new().str(&parts.0).i64(parts.1).u64(parts.2).str(&parts.3)
    }

    proptest! {
        /// Byte order is tuple order, and every part reads back.
        #[test]
        fn byte_order_is_tuple_order(a in any::<(String, i64, u64, String)>(), b in any::<(String, i64, u64, String)>()) {
            let (ka, kb) = (key(&a), key(&b));
            prop_assert_eq!(ka.as_bytes().cmp(kb.as_bytes()), a.cmp(&b));
            let mut reader = KeyReader::new(ka.as_bytes());
            prop_assert_eq!(reader.str(), Some(a.0.clone()));
            prop_assert_eq!(reader.i64(), Some(a.1));
            prop_assert_eq!(reader.u64(), Some(a.2));
            prop_assert_eq!(reader.str(), Some(a.3.clone()));
            prop_assert!(reader.is_done());
        }

        /// A string prefix's keys lie within [prefix, prefix_end).
        #[test]
        fn prefixes_bound_their_keys(account in ".*", name in ".*", prefix_len in 0usize..8) {
            let cut: String = name.chars().take(prefix_len).collect();
            let prefix = Key::new().str(&account).str_prefix(&cut);
            let full = Key::new().str(&account).str(&name);
            prop_assert!(full.as_bytes() >= prefix.as_bytes());
            if let Some(end) = prefix.prefix_end() {
                prop_assert!(full.as_bytes() < end.as_slice());
            }
        }
    }

    /// Found by the property test: an empty string followed by a part whose first byte is 0xFF (or 0x01) must
    /// not read as an escaped NUL.
    #[test]
    fn the_end_of_a_string_is_never_read_as_an_escape() {
        for next in [0x7F00_0000_0000_0000_i64, i64::MIN + 0x0100_0000_0000_0000, -1] {
            let key = Key::new().str("").i64(next).str("");
            let mut reader = KeyReader::new(key.as_bytes());
            assert_eq!(
                (reader.str().as_deref(), reader.i64(), reader.str().as_deref()),
                (Some(""), Some(next), Some(""))
            );
        }
    }

    #[test]
    fn shorter_strings_and_nul_bytes_sort_as_strings_do() {
        let mut names = vec!["a", "a\0", "a\0b", "ab", "", "b", "a\u{1}"];
        let mut keys: Vec<Vec<u8>> = names.iter().map(|n| Key::new().str(n).into_bytes()).collect();
        names.sort();
        keys.sort();
        let decoded: Vec<String> = keys.iter().map(|k| KeyReader::new(k).str().unwrap()).collect();
        assert_eq!(decoded, names);
    }
}
