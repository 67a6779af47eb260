//! Fuzzes the SigV4 `Authorization` header parser: any text parses or fails cleanly; what parses has a
//! five-part credential scope.

#![no_main]

use libfuzzer_sys::fuzz_target;
use skywatch_awsapi::wire::parse_authorization;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(parsed) = parse_authorization(text) {
        assert!(!parsed.access_key_id.is_empty());
        assert_eq!(parsed.signature.len(), 64);
    }
});
