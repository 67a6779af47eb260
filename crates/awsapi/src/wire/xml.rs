//! `serde_json::Value` → awsQuery XML, the way botocore's query parser reads it: object members become child
//! elements, arrays become `<member>` children, `null` members are left out, and text is escaped.
//!
//! Maps: an array under the key `entry` is written as repeated `<entry>` elements without `<member>`
//! wrapping, so [`xml_map`] turns `{"k": "v"}` into `{"entry": [{"key": "k", "value": "v"}]}`, which renders
//! as `<entry><key>k</key><value>v</value></entry>`, the awsQuery map form.

use serde_json::{Map, Value};

/// The key under which an array is written as repeated, unwrapped elements (awsQuery map entries).
pub const ENTRY_KEY: &str = "entry";

/// Escapes text for element content or an attribute value. Characters XML 1.0 cannot carry become U+FFFD;
/// `\r` is written as `&#xD;` so parsers do not normalize it away.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#xD;"),
            '\t' | '\n' => out.push(c),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// An element name from a JSON key: characters not allowed in XML names become `_` (an empty key is `_`).
pub fn element_name(key: &str) -> String {
    let mut name: String = key
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let ok = c.is_alphanumeric() || c == '_' || (i > 0 && matches!(c, '-' | '.'));
            if ok { c } else { '_' }
        })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// Writes `<name>value</name>` (nothing for `null`).
pub fn write_element(out: &mut String, name: &str, value: &Value) {
    if value.is_null() {
        return;
    }
    if name == ENTRY_KEY
        && let Value::Array(items) = value
    {
        for item in items {
            write_element(out, ENTRY_KEY, item);
        }
        return;
    }
    let name = element_name(name);
    out.push('<');
    out.push_str(&name);
    out.push('>');
    write_content(out, value);
    out.push_str("</");
    out.push_str(&name);
    out.push('>');
}

/// Writes the content of an element holding `value`: child elements for objects, `<member>`s for arrays,
/// escaped text for scalars.
pub fn write_content(out: &mut String, value: &Value) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => out.push_str(&escape_text(s)),
        Value::Array(items) => {
            for item in items {
                write_element(out, "member", item);
            }
        }
        Value::Object(fields) => {
            for (key, field) in fields {
                write_element(out, key, field);
            }
        }
    }
}

/// The XML content for `value` (see [`write_content`]).
pub fn to_xml(value: &Value) -> String {
    let mut out = String::new();
    write_content(&mut out, value);
    out
}

/// Shapes a JSON object as an awsQuery map: `{"entry": [{"key": k, "value": v}, ..]}`.
pub fn xml_map(map: &Map<String, Value>) -> Value {
    let entries = map
        .iter()
        .map(|(k, v)| {
            let mut entry = Map::new();
            entry.insert("key".into(), Value::String(k.clone()));
            entry.insert("value".into(), v.clone());
            Value::Object(entry)
        })
        .collect();
    let mut wrapper = Map::new();
    wrapper.insert(ENTRY_KEY.into(), Value::Array(entries));
    Value::Object(wrapper)
}
