//! Fuzzes EventBridge event patterns: any text parses or is refused within the length, depth and `$or` limits;
//! what parses matches fixed events (nested objects, arrays of objects, every value type, IP addresses, odd keys)
//! without panicking, a rule set of it agreeing with it; and the same text read as an event never panics.

#![no_main]

use libfuzzer_sys::fuzz_target;
use skywatch_eventpattern::{Event, RuleSet, parse};

const EVENTS: [&str; 4] = [
    r#"{"version": "0", "id": "1", "detail-type": "Order Placed", "source": "shop.orders", "account": "111122223333", "time": "2026-12-07T10:00:00Z", "region": "us-east-1", "resources": [], "detail": {"state": "failed", "amount": 12.5, "count": 3, "ok": false, "none": null, "ip": "10.0.0.7", "v6": "2001:db8::1", "a.b": "dotted", "items": [{"sku": "a", "qty": 1}, {"sku": "b", "qty": [2, 3]}], "deep": {"x": {"y": ["é", "ß", "*", "\\"]}}}}"#,
    r#"{"a": "x", "a": 5, "n": 1e300, "big": 12345678901234567890, "neg": -0.0, "empty": [], "obj": {}}"#,
    r#"{}"#,
    r#"{"source": ["s1", "s2"], "detail": [[1, [2]], {"k": null}]}"#,
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = Event::parse(text);
    let Ok(pattern) = parse(text) else { return };
    let mut set = RuleSet::new();
    set.insert((), pattern.clone());
    for event in EVENTS {
        let whole = Event::parse(event).expect("the fixed events are valid");
        let pruned = set.parse_event(event).expect("the fixed events are valid");
        let alone = pattern.matches(&whole);
        assert_eq!(alone, pattern.matches(&pruned), "{text:?} on {event:?}: pruning changed the answer");
        assert_eq!(alone, !set.matching(&pruned).is_empty(), "{text:?} on {event:?}: the rule set differs");
    }
});
