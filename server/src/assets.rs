//! The built site (wasm, js, css, public files). A release binary (or a debug one built with `embed-site`) carries
//! it inside itself, so the binary alone serves the whole console; other debug binaries read the folder from disk.

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, header};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../target/site"]
#[allow_missing = true]
struct Site;

/// The asset at a URL path, if the built site has it.
pub fn response_for(path: &str) -> Option<Response<Body>> {
    let relative = path.trim_start_matches('/');
    if relative.is_empty() || relative.contains("..") {
        return None;
    }
    // A server built without cargo-leptos asks for wasm-bindgen's default `_bg` name; both name one file.
    let file = Site::get(relative).or_else(|| match relative {
        "pkg/skywatch_bg.wasm" => Site::get("pkg/skywatch.wasm"),
        _ => None,
    })?;
    let mime = mime_guess::from_path(relative).first_or_octet_stream();
    let mut response = Response::new(Body::from(file.data.into_owned()));
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(mime.as_ref()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let etag = format!("\"{}\"", hex_prefix(&file.metadata.sha256_hash()));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    Some(response)
}

fn hex_prefix(hash: &[u8; 32]) -> String {
    hash.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// Whether the site was built (the wasm bundle is present).
pub fn site_is_built() -> bool {
    Site::get("pkg/skywatch.js").is_some()
}
