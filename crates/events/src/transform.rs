//! What a target receives: the event, a constant `Input`, the part of the event an `InputPath` names, or an
//! `InputTransformer`'s template filled from the event, as EventBridge fills it:
//! * a template that starts with `"` is a string template: values go in as text (lists as `[a,b]`, objects as
//!   `{k:v}` without quotes, a missing value as nothing);
//! * any other template is a JSON template: a string value goes in as a JSON string whether or not its placeholder
//!   is quoted, a number or boolean as written, an object or list as JSON where its placeholder is unquoted, a
//!   missing value as `""`; an object or list placeholder inside quotes makes the event undeliverable (AWS drops
//!   it without a word);
//! * the predefined placeholders `aws.events.rule-arn`, `aws.events.rule-name`, `aws.events.event.ingestion-time`,
//!   `aws.events.event.json` (the whole event) and `aws.events.event` (the envelope without `detail`, with
//!   `detailType`).

use serde_json::{Map, Value};

use crate::envelope::iso_seconds;
use crate::model::{InputTransformer, Target};

/// What the predefined placeholders stand for.
#[derive(Debug, Clone, Copy)]
pub struct Delivering<'a> {
    pub rule_arn: &'a str,
    pub rule_name: &'a str,
    pub ingested_ms: i64,
}

/// Why a target gets nothing for an event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransformError {
    #[error("the event is not valid JSON")]
    BadEvent,
    #[error("InputPath {0} selects nothing in the event")]
    NothingSelected(String),
    #[error("the input template quotes placeholder {0}, which holds an object or a list")]
    QuotedStructure(String),
}

/// The body `target` receives for `event` (a JSON text).
pub fn body(target: &Target, event: &str, at: Delivering<'_>) -> Result<String, TransformError> {
    if let Some(input) = &target.input {
        return Ok(input.clone());
    }
    if let Some(path) = &target.input_path {
        let value: Value = serde_json::from_str(event).map_err(|_| TransformError::BadEvent)?;
        return select(&value, path)
            .map(|v| v.to_string())
            .ok_or_else(|| TransformError::NothingSelected(path.clone()));
    }
    if let Some(transformer) = &target.input_transformer {
        let value: Value = serde_json::from_str(event).map_err(|_| TransformError::BadEvent)?;
        return fill(transformer, &value, event, at);
    }
    Ok(event.to_owned())
}

/// The value a path (`$`, `$.a.b`, `$.a[0]`) names in `value`.
pub fn select<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    let mut rest = path.strip_prefix('$')?;
    let mut at = value;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            at = at.get(&after[..end])?;
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let close = after.find(']')?;
            at = at.get(after[..close].parse::<usize>().ok()?)?;
            rest = &after[close + 1..];
        } else {
            return None;
        }
    }
    Some(at)
}

/// `aws.events.event`: the envelope without its detail, `detail-type` as `detailType`.
fn event_summary(event: &Value) -> Value {
    let mut out = Map::new();
    for (from, to) in [
        ("id", "id"),
        ("account", "account"),
        ("detail-type", "detailType"),
        ("time", "time"),
        ("source", "source"),
        ("region", "region"),
        ("resources", "resources"),
        ("version", "version"),
    ] {
        if let Some(v) = event.get(from) {
            out.insert(to.to_owned(), v.clone());
        }
    }
    Value::Object(out)
}

/// The value placeholder `name` stands for, if any.
fn lookup(
    name: &str,
    transformer: &InputTransformer,
    event: &Value,
    text: &str,
    at: Delivering<'_>,
) -> Option<Option<Value>> {
    let value = match name {
        "aws.events.rule-arn" => Some(Value::String(at.rule_arn.to_owned())),
        "aws.events.rule-name" => Some(Value::String(at.rule_name.to_owned())),
        "aws.events.event.ingestion-time" => Some(Value::String(iso_seconds(at.ingested_ms))),
        "aws.events.event.json" => serde_json::from_str(text).ok(),
        "aws.events.event" => Some(event_summary(event)),
        _ => {
            let (_, path) = transformer.paths.iter().find(|(key, _)| key == name)?;
            select(event, path).cloned()
        }
    };
    Some(value)
}

/// A value as text inside a string template: strings bare, lists and objects without quotes.
fn as_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => format!("[{}]", items.iter().map(as_text).collect::<Vec<_>>().join(",")),
        Value::Object(map) => {
            format!("{{{}}}", map.iter().map(|(k, v)| format!("{k}:{}", as_text(v))).collect::<Vec<_>>().join(","))
        }
        other => other.to_string(),
    }
}

/// `text` escaped for the inside of a JSON string.
fn escaped(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap_or_default();
    quoted[1..quoted.len() - 1].to_owned()
}

fn fill(
    transformer: &InputTransformer,
    event: &Value,
    text: &str,
    at: Delivering<'_>,
) -> Result<String, TransformError> {
    let template = transformer.template.as_str();
    let string_template = template.trim_start().starts_with('"');
    let mut out = String::with_capacity(template.len() + 64);
    let mut in_string = false;
    let mut escape = false;
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
            && let Some(value) = lookup(&rest[1..end], transformer, event, text, at)
        {
            let name = &rest[1..end];
            let quoted = in_string || string_template;
            match (value, quoted) {
                (None, true) => {}
                (None, false) => out.push_str("\"\""),
                (Some(Value::String(s)), true) => out.push_str(&escaped(&s)),
                (Some(Value::String(s)), false) => out.push_str(&serde_json::to_string(&s).unwrap_or_default()),
                (Some(v @ (Value::Array(_) | Value::Object(_))), true) if !string_template => {
                    let _ = v;
                    return Err(TransformError::QuotedStructure(name.to_owned()));
                }
                (Some(v), true) => out.push_str(&escaped(&as_text(&v))),
                (Some(v), false) => out.push_str(&v.to_string()),
            }
            rest = &rest[end + 1..];
            continue;
        }
        if in_string {
            if escape {
                escape = false;
            } else if c == '\\' {
                escape = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The event of the EventBridge InputTransformer snapshots (issue 16).
    const EVENT: &str = r#"{"version":"0","id":"e-1","detail-type":"core.update-account-command","source":"core.update-account-command","account":"111111111111","time":"2024-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{"command":"update-account","payload":{"acc_id":"0a787ecb-4015","sf_id":"baz"},"severity":["HIGH"],"states":["ACTIVE","INACTIVE"],"valid":true,"count":3}}"#;
    const AT: Delivering<'static> = Delivering {
        rule_arn: "arn:aws:events:us-east-1:111111111111:rule/bus/r",
        rule_name: "r",
        ingested_ms: 1_704_067_200_000,
    };

    fn transformer(paths: &[(&str, &str)], template: &str) -> Target {
        Target {
            input_transformer: Some(InputTransformer {
                paths: paths.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
                template: template.to_owned(),
            }),
            ..Target::default()
        }
    }

    fn run(paths: &[(&str, &str)], template: &str) -> Result<String, TransformError> {
        body(&transformer(paths, template), EVENT, AT)
    }

    #[test]
    fn without_input_the_event_goes_as_is_and_input_goes_verbatim() {
        assert_eq!(body(&Target::default(), EVENT, AT).unwrap(), EVENT);
        let constant = Target { input: Some("{\"custom-value\": \"x\"}".into()), ..Target::default() };
        assert_eq!(body(&constant, EVENT, AT).unwrap(), "{\"custom-value\": \"x\"}");
    }

    #[test]
    fn input_path_selects_json() {
        let path = |p: &str| body(&Target { input_path: Some(p.into()), ..Target::default() }, EVENT, AT);
        assert_eq!(path("$.detail.payload").unwrap(), r#"{"acc_id":"0a787ecb-4015","sf_id":"baz"}"#);
        assert_eq!(path("$.detail.payload.sf_id").unwrap(), "\"baz\"");
        assert_eq!(path("$.detail.states[1]").unwrap(), "\"INACTIVE\"");
        assert!(path("$.detail.nothing").is_err());
    }

    #[test]
    fn string_templates_put_values_in_as_text() {
        let paths = [
            ("type", "$.detail-type"),
            ("command", "$.detail.command"),
            ("payload", "$.detail.payload"),
            ("severity", "$.detail.severity"),
            ("states", "$.detail.states"),
            ("valid", "$.detail.valid"),
            ("missing", "$.detail.awsAccountId"),
        ];
        let cases = [
            (
                "\"Event of <type> type, info <command>\"",
                "\"Event of core.update-account-command type, info update-account\"",
            ),
            ("\"<severity> <states>\"", "\"[HIGH] [ACTIVE,INACTIVE]\""),
            ("\"<payload>\"", "\"{acc_id:0a787ecb-4015,sf_id:baz}\""),
            ("\"Command is <valid>!\"", "\"Command is true!\""),
            ("\"id <missing>.\"", "\"id .\""),
        ];
        for (template, expected) in cases {
            assert_eq!(run(&paths, template).unwrap(), expected, "{template}");
        }
    }

    #[test]
    fn json_templates_quote_strings_and_keep_structures() {
        let paths = [
            ("userId", "$.detail.payload.acc_id"),
            ("payload", "$.detail.payload"),
            ("severity", "$.detail.severity"),
            ("count", "$.detail.count"),
            ("missing", "$.detail.nope"),
        ];
        let cases = [
            (r#"{"id" : <userId>}"#, r#"{"id" : "0a787ecb-4015"}"#),
            (r#"{"id" : "<userId>"}"#, r#"{"id" : "0a787ecb-4015"}"#),
            (r#"{"path": "users/<userId>/<userId>"}"#, r#"{"path": "users/0a787ecb-4015/0a787ecb-4015"}"#),
            (
                r#"{"bod": <payload>, "l": <severity>}"#,
                r#"{"bod": {"acc_id":"0a787ecb-4015","sf_id":"baz"}, "l": ["HIGH"]}"#,
            ),
            (r#"[<userId>, "hardcoded"]"#, r#"["0a787ecb-4015", "hardcoded"]"#),
            (r#"{"n": <count>, "m": <missing>}"#, r#"{"n": 3, "m": ""}"#),
        ];
        for (template, expected) in cases {
            assert_eq!(run(&paths, template).unwrap(), expected, "{template}");
        }
        assert_eq!(run(&paths, r#"{"payload": "<payload>"}"#), Err(TransformError::QuotedStructure("payload".into())));
    }

    #[test]
    fn predefined_placeholders() {
        let out = run(
            &[],
            r#"{"arn": <aws.events.rule-arn>, "name": "<aws.events.rule-name>", "at": <aws.events.event.ingestion-time>, "e": <aws.events.event>, "j": <aws.events.event.json>}"#,
        )
        .unwrap();
        let value: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["arn"], AT.rule_arn);
        assert_eq!(value["name"], "r");
        assert_eq!(value["at"], "2024-01-01T00:00:00Z");
        assert_eq!(value["e"]["detailType"], "core.update-account-command");
        assert!(value["e"].get("detail").is_none());
        assert_eq!(value["j"]["detail"]["count"], 3);
    }

    proptest::proptest! {
        /// Any template, any placeholder and path: the template is filled or refused, never a panic.
        #[test]
        fn any_template_is_filled_or_refused(template in "\\PC{0,120}", key in "[a-z]{1,6}", path in "\\$(\\.[a-z]{1,6}){0,3}") {
            let _ = run(&[(key.as_str(), path.as_str())], &template);
            let _ = run(&[(key.as_str(), path.as_str())], &format!("{{\"k\": <{key}>, \"q\": \"<{key}>\"}}"));
        }

        /// A string value put into a JSON template, quoted or not, leaves valid JSON holding that very string.
        #[test]
        fn strings_go_into_json_templates_escaped(value in "\\PC{0,40}") {
            let event = serde_json::json!({"id": "e", "detail": {"x": value}}).to_string();
            for template in [r#"{"v": <x>}"#, r#"{"v": "<x>"}"#] {
                let filled = body(&transformer(&[("x", "$.detail.x")], template), &event, AT).unwrap();
                let parsed: Value = serde_json::from_str(&filled).unwrap();
                proptest::prop_assert_eq!(parsed["v"].as_str(), Some(value.as_str()));
            }
        }
    }
}
