//! Fuzzes CloudWatch Logs filter patterns: any text parses or is refused within the length, depth and quota
//! limits; what parses prints to text that parses back to it, and matches and evaluates fixed events (a JSON
//! event, an access-log line, plain text) without panicking, `matches` agreeing with `evaluate`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use skywatch_logpattern::{MAX_LENGTH, Selector, parse};

/// A JSON event with nesting, arrays, every value type and an odd key; an Apache access-log line; plain text;
/// text that is almost JSON; and an empty message.
const MESSAGES: [&str; 6] = [
    r#"{"eventType": "UpdateTrail", "sourceIPAddress": "111.111.111.111", "latency": 12.5, "code": 500, "ok": true, "none": null, "cluster.name": "c", "users": [{"id": 2, "email": "a@example.com"}, {"id": 3}], "coordinates": [[0, 1], [2, 3]], "deep": {"a": {"b": {"c": [1, "x", null, false]}}}}"#,
    r#"127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534"#,
    "[ERROR 419] MISSING ARGUMENTS: Exiting with ERRORCODE -1",
    r#"{"unclosed": [1, 2"#,
    "",
    "\t\"quoted \\\" field\" [bracketed field] é 😀",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(pattern) = parse(text) else { return };
    let printed = pattern.to_string();
    if printed.chars().count() <= MAX_LENGTH {
        assert_eq!(parse(&printed).as_ref(), Ok(&pattern), "{text:?} printed as {printed:?}");
    }
    let selectors = ["$.latency", "$.users[0].id", "$bytes", "$7", "1"].map(|s| Selector::parse(s).ok());
    for message in MESSAGES {
        let extracted = pattern.evaluate(message);
        assert_eq!(pattern.matches(message), extracted.is_some(), "{text:?} on {message:?}");
        if let Some(extracted) = extracted {
            let _ = extracted.values();
            for selector in selectors.iter().flatten() {
                let _ = extracted.value(selector);
                let _ = extracted.number(selector);
            }
        }
    }
    let _ = (pattern.kind(), pattern.regex_count(), pattern.matches_everything(), pattern.supports_dimensions());
});
