//! Keys whose byte order is their value order, so that every table is an ordered map from bytes to bytes and a
//! range of keys is a range of bytes, on any backend. A key is a tuple of parts, each encoded so that comparing
//! the bytes compares the tuples: strings with their NUL bytes escaped and a NUL terminator (so a prefix sorts
//! first), integers big-endian with the sign bit flipped for signed ones.

/// A key being built, part by part.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key(Vec<u8>);

impl Key {
    pub fn new() -> Self {
        Self(Vec::with_capacity(32))
    }

    /// A string part.
    pub fn str(mut self, text: &str) -> Self {
        self.push_str_bytes(text);
        self.0.push(0);
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
        self.0
    }

    /// The smallest key greater than every key starting with these bytes (None when there is none: all 0xFF).
    pub fn prefix_end(&self) -> Option<Vec<u8>> {
        let mut end = self.0.clone();
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
                self.0.push(0xFF);
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
                    Some(0xFF) => {
                        out.push(0);
                        i += 2;
                    }
                    _ => {
                        self.rest = &self.rest[i + 1..];
                        return String::from_utf8(out).ok();
                    }
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
