//! Fuzzes the front door's decoders: any bytes as a query-protocol form, a JSON body, a CBOR body or a gzip
//! body decode or fail cleanly, within their bounds, and routing never panics on what decodes.

#![no_main]

use libfuzzer_sys::fuzz_target;
use skywatch_awsapi::wire::{Protocol, decode_params, decompress, identify};

const PROTOCOLS: [Protocol; 4] = [Protocol::AwsQuery, Protocol::AwsJson1_0, Protocol::AwsJson1_1, Protocol::RpcV2Cbor];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let protocol = PROTOCOLS[usize::from(selector) % PROTOCOLS.len()];
    if selector & 0x80 != 0 {
        // Compressed bodies are bounded by the decoded-size limit, whatever they claim.
        if let Ok(inflated) = decompress(Some("gzip"), body, 1 << 20) {
            assert!(inflated.len() <= 1 << 20);
        }
        return;
    }
    let _ = decode_params(protocol, body);
    let mut headers = http::HeaderMap::new();
    headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/x-www-form-urlencoded"));
    let _ = identify("POST", "/", &headers, body, Some("monitoring"));
});
