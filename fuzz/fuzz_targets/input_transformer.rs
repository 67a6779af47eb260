//! Fuzzes EventBridge's InputTransformer and InputPath: the first line of the input is a template, the second a
//! JSON path, the rest an event; filling never panics, and a JSON template whose placeholder holds a string stays
//! valid JSON around it.

#![no_main]

use libfuzzer_sys::fuzz_target;
use skywatch_events::model::{InputTransformer, Target};
use skywatch_events::transform::{Delivering, body};

const AT: Delivering<'static> =
    Delivering { rule_arn: "arn:aws:events:us-east-1:1:rule/r", rule_name: "r", ingested_ms: 0 };

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.splitn(3, '\n');
    let (Some(template), Some(path), Some(event)) = (parts.next(), parts.next(), parts.next()) else { return };
    let transformer = InputTransformer { paths: vec![("x".into(), path.into())], template: template.into() };
    let target = Target { input_transformer: Some(transformer), ..Target::default() };
    let _ = body(&target, event, AT);
    let by_path = Target { input_path: Some(path.into()), ..Target::default() };
    let _ = body(&by_path, event, AT);
    // A string placed in a JSON template leaves valid JSON.
    let event = serde_json::json!({ "detail": { "s": template } }).to_string();
    let transformer = InputTransformer {
        paths: vec![("s".into(), "$.detail.s".into())],
        template: r#"{"v": <s>, "w": "<s>"}"#.into(),
    };
    let filled = body(&Target { input_transformer: Some(transformer), ..Target::default() }, &event, AT);
    let filled = filled.unwrap_or_default();
    assert!(serde_json::from_str::<serde_json::Value>(&filled).is_ok(), "{filled:?}");
});
