//! Shared helpers for the wire tests: loading the captured client requests of `shared/reference/captures`.
//! Included by the other `wire_*` tests with `#[path]`; also a test target of its own checking the captures load.
#![allow(dead_code)]

use std::path::PathBuf;

use base64::Engine as _;

/// One captured request: method, path, headers in arrival order, and the exact body bytes.
#[derive(Debug, Clone)]
pub struct Capture {
    pub file: String,
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub raw: Vec<u8>,
}

impl Capture {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn header_map(&self) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for (name, value) in &self.headers {
            let name = http::HeaderName::from_bytes(name.as_bytes()).expect("captured header name");
            let value = http::HeaderValue::from_str(value).expect("captured header value");
            map.append(name, value);
        }
        map
    }

    pub fn label(&self) -> String {
        format!("{} {} {}", self.file, self.path, self.header("x-amz-target").unwrap_or(""))
    }
}

/// `shared/reference`, beside the repository's own directory (override with `SKYWATCH_REFERENCE_DIR`). Found
/// relative to the repository only: a clone anywhere, with `shared/` beside it, finds its own copy.
pub fn reference_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("SKYWATCH_REFERENCE_DIR") {
        return PathBuf::from(dir);
    }
    let beside_repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference");
    assert!(beside_repo.is_dir(), "{} is missing: shared/ must sit beside the repository", beside_repo.display());
    beside_repo
}

/// Every request of every `captures/*.jsonl` file, in file-name then line order.
pub fn load_captures() -> Vec<Capture> {
    let dir = reference_dir().join("captures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut captures = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read capture file");
        let file_name = file.file_name().expect("file name").to_string_lossy().to_string();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let obj: serde_json::Value = serde_json::from_str(line).expect("capture line is JSON");
            let headers = obj["headers"]
                .as_object()
                .expect("headers object")
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().expect("header value string").to_string()))
                .collect();
            let raw = base64::engine::general_purpose::STANDARD
                .decode(obj["raw_b64"].as_str().expect("raw_b64"))
                .expect("raw_b64 decodes");
            captures.push(Capture {
                file: file_name.clone(),
                method: obj["method"].as_str().expect("method").to_string(),
                path: obj["path"].as_str().expect("path").to_string(),
                headers,
                raw,
            });
        }
    }
    captures
}

/// The captures whose `X-Amz-Target` or path ends with `op`.
pub fn captures_for(op: &str) -> Vec<Capture> {
    load_captures()
        .into_iter()
        .filter(|c| c.header("x-amz-target").is_some_and(|t| t.ends_with(&format!(".{op}"))) || c.path.ends_with(op))
        .collect()
}

#[test]
fn captures_load() {
    let captures = load_captures();
    assert!(captures.len() >= 71, "expected at least 71 captured requests, found {}", captures.len());
    assert!(captures.iter().all(|c| c.method == "POST"));
}
