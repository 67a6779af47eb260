//! Fuzzes X-Ray's filter expressions: any text parses or is refused within the length and depth limits, and
//! what parses evaluates against a summary without panicking; segment documents likewise parse or are refused.

#![no_main]

use libfuzzer_sys::fuzz_target;
use skywatch_traces::filter::{NoGroups, matches, parse};
use skywatch_traces::id::TraceId;
use skywatch_traces::summary::summarize;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(documents) = skywatch_traces::document::parse(text) {
        assert!(!documents.is_empty());
    }
    if let Ok(Some(expr)) = parse(text) {
        let trace = TraceId::parse("1-58406520-a006649127e371903a2de979").expect("a valid id");
        let _ = matches(&expr, &summarize(trace, &[], 1), "000000000000", &NoGroups);
    }
});
