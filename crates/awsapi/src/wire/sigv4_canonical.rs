//! The canonical forms SigV4 signs (URI encoding, canonical path, query, headers and request, the string to
//! sign) and the signing-key derivation.

use hmac::{Hmac, Mac};
use percent_encoding::percent_decode_str;
use sha2::{Digest, Sha256};

use super::sigv4::ALGORITHM;

pub type HmacSha256 = Hmac<Sha256>;

/// URI-encodes per SigV4: every byte except the unreserved `A-Z a-z 0-9 - _ . ~` becomes `%XX` (uppercase).
pub fn uri_encode(input: &[u8], encode_slash: bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(input.len());
    for &byte in input {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'_' | b'.' | b'~')
            || (byte == b'/' && !encode_slash);
        if keep {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    out
}

/// The canonical URI of a path as received (non-S3 rules): dot segments and empty segments removed, a trailing
/// slash kept, then each segment URI-encoded once more (so `%2F` in the wire path becomes `%252F`).
pub fn canonical_uri(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    if segments.is_empty() {
        return "/".to_string();
    }
    let mut out = String::with_capacity(path.len() + 8);
    for segment in &segments {
        out.push('/');
        out.push_str(&uri_encode(segment.as_bytes(), true));
    }
    if path.ends_with('/') {
        out.push('/');
    }
    out
}

/// The canonical query string: each name and value percent-decoded then re-encoded, pairs sorted by name then
/// value, `name=value` joined with `&` (a name without `=` gets an empty value).
pub fn canonical_query(query: &str) -> String {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (reencode(name), reencode(value))
        })
        .collect();
    pairs.sort();
    let joined: Vec<String> = pairs.into_iter().map(|(n, v)| format!("{n}={v}")).collect();
    joined.join("&")
}

fn reencode(component: &str) -> String {
    let decoded: Vec<u8> = percent_decode_str(component).collect();
    uri_encode(&decoded, true)
}

/// A header value as SigV4 signs it: trimmed, with runs of spaces collapsed to one.
pub fn collapse_header_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.trim_matches(|c: char| c.is_ascii_whitespace()).to_string()
}

/// The canonical request: method, canonical URI, query, `name:value` headers, signed header list, payload hash.
pub fn canonical_request(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(String, String)],
    payload_hash: &str,
) -> String {
    let mut out = String::with_capacity(256);
    out.push_str(&method.to_ascii_uppercase());
    out.push('\n');
    out.push_str(&canonical_uri(path));
    out.push('\n');
    out.push_str(&canonical_query(query));
    out.push('\n');
    for (name, value) in headers {
        out.push_str(name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
    out.push('\n');
    let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
    out.push_str(&names.join(";"));
    out.push('\n');
    out.push_str(payload_hash);
    out
}

/// `AWS4-HMAC-SHA256\n<amz-date>\n<scope>\n<hex sha256 of the canonical request>`.
pub fn string_to_sign(amz_date: &str, date: &str, region: &str, service: &str, canonical: &str) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{date}/{region}/{service}/aws4_request\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    )
}

/// An HMAC-SHA256 keyed with `key`.
pub fn new_mac(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this constructor cannot fail.
    match <HmacSha256 as Mac>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC-SHA256 takes keys of any length"),
    }
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = new_mac(key);
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The derived signing key `HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")`.
pub fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> Vec<u8> {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date);
    let k_region = hmac(&k_date, region);
    let k_service = hmac(&k_region, service);
    hmac(&k_service, "aws4_request")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_reserved_characters() {
        assert_eq!(uri_encode(b"a b/c~d", false), "a%20b/c~d");
        assert_eq!(uri_encode(b"a b/c", true), "a%20b%2Fc");
    }

    #[test]
    fn canonical_uri_normalizes() {
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri("/a/./b/../c/"), "/a/c/");
        assert_eq!(canonical_uri("//a//b"), "/a/b");
        assert_eq!(canonical_uri("/a%20b"), "/a%2520b");
        assert_eq!(
            canonical_uri("/service/GraniteServiceVersion20100801/operation/PutMetricData"),
            "/service/GraniteServiceVersion20100801/operation/PutMetricData"
        );
    }

    #[test]
    fn canonical_query_sorts_and_encodes() {
        assert_eq!(canonical_query(""), "");
        assert_eq!(canonical_query("b=2&a=1&a=0&c"), "a=0&a=1&b=2&c=");
        assert_eq!(canonical_query("k=a%20b&x=%2f"), "k=a%20b&x=%2F");
    }

    #[test]
    fn collapses_spaces() {
        assert_eq!(collapse_header_value("  a   b  c "), "a b c");
        assert_eq!(collapse_header_value("\ta b\t"), "a b");
    }
}
