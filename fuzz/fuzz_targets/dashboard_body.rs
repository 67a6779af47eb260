//! Dashboard bodies: any text is validated; a refusal carries messages, and a parsed body lays out on the grid and
//! prints to JSON that parses back to the same body.

#![no_main]

use libfuzzer_sys::fuzz_target;
use skywatch_dashboards::parse_body;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match parse_body(text) {
        Err(messages) => assert!(!messages.is_empty(), "{text:?} refused without a message"),
        Ok(body) => {
            let placements = body.layout();
            assert_eq!(placements.len(), body.widgets.len());
            assert!(placements.iter().all(|p| p.x + p.width <= 24), "{text:?}");
            let printed = body.to_json().to_string();
            match parse_body(&printed) {
                Ok(again) => assert_eq!(again, body, "{text:?} printed as {printed:?}"),
                Err(messages) => panic!("{text:?} printed as {printed:?}, refused: {messages:?}"),
            }
        }
    }
});
