//! The `properties` of text, alarm and log widgets.

use serde_json::{Map, Value, json};
use skywatch_charts::widget::JsonPath;

use skywatch_charts::widget::json::{self, Obj};

use super::message::{Checked, ValidationMessage, checked};

/// The most alarms an alarm status widget lists.
pub const MAX_ALARMS: usize = 100;
/// The alarm states an alarm status widget can filter on.
pub const ALARM_STATES: [&str; 3] = ["ALARM", "INSUFFICIENT_DATA", "OK"];
/// The orders of an alarm status widget.
pub const ALARM_SORTS: [&str; 3] = ["default", "stateUpdatedTimestamp", "timestamp"];
/// The views of a log widget.
pub const LOG_VIEWS: [&str; 4] = ["table", "timeSeries", "bar", "pie"];
const BACKGROUNDS: [&str; 2] = ["solid", "transparent"];

/// A `text` widget: markdown on a solid or transparent background.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextWidget {
    /// `markdown`.
    pub markdown: String,
    /// `background` is `transparent` (default `solid`).
    pub transparent: bool,
}

/// An `alarm` widget: the status of the listed alarms.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AlarmWidget {
    /// `alarms`: alarm ARNs, 1 to 100.
    pub alarms: Vec<String>,
    /// `title`.
    pub title: Option<String>,
    /// `sortBy`: `default`, `stateUpdatedTimestamp` or `timestamp`.
    pub sort_by: Option<String>,
    /// `states`: only alarms in these states are shown (all when empty).
    pub states: Vec<String>,
}

/// A `log` widget: the result of a Logs Insights query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogWidget {
    /// `query`, with its `SOURCE` log groups.
    pub query: String,
    /// `region`.
    pub region: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `view`: `table` (default), `timeSeries`, `bar` or `pie`.
    pub view: Option<String>,
    /// `stacked`.
    pub stacked: bool,
}

/// Keeps the value of a check, or records its message.
pub(crate) fn keep<T>(errors: &mut Vec<ValidationMessage>, checked: Checked<T>) -> Option<T> {
    checked.map_err(|message| errors.push(message)).ok()
}

impl TextWidget {
    pub(crate) fn parse(fields: &Obj<'_>) -> Result<Self, Vec<ValidationMessage>> {
        let mut errors = Vec::new();
        let markdown = keep(
            &mut errors,
            checked(fields.required("markdown").and_then(|v| json::as_str(v, &fields.path_of("markdown")))),
        );
        let background = keep(&mut errors, checked(fields.one_of_str("background", &BACKGROUNDS))).flatten();
        match markdown {
            Some(markdown) if errors.is_empty() => {
                Ok(Self { markdown: markdown.to_string(), transparent: background == Some("transparent") })
            }
            _ => Err(errors),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("markdown".into(), json!(self.markdown));
        if self.transparent {
            map.insert("background".into(), json!("transparent"));
        }
        Value::Object(map)
    }
}

/// `arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>`.
fn is_alarm_arn(text: &str) -> bool {
    let parts: Vec<&str> = text.splitn(7, ':').collect();
    matches!(parts.as_slice(), ["arn", partition, "cloudwatch", _, _, "alarm", name]
        if partition.starts_with("aws") && !name.is_empty())
}

/// A list of strings, each checked by `item`.
fn strings(
    fields: &Obj<'_>,
    key: &str,
    errors: &mut Vec<ValidationMessage>,
    item: impl Fn(&str, &JsonPath) -> Checked<()>,
) -> Vec<String> {
    let path = fields.path_of(key);
    let Some(value) = fields.get(key) else { return Vec::new() };
    let Some(items) = keep(errors, checked(json::as_array(value, &path))) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (index, value) in items.iter().enumerate() {
        let item_path = path.index(index);
        if let Some(text) = keep(errors, checked(json::as_str(value, &item_path)))
            && keep(errors, item(text, &item_path)).is_some()
        {
            out.push(text.to_string());
        }
    }
    out
}

impl AlarmWidget {
    pub(crate) fn parse(fields: &Obj<'_>) -> Result<Self, Vec<ValidationMessage>> {
        let mut errors = Vec::new();
        let alarms_path = fields.path_of("alarms");
        let alarms = match keep(&mut errors, checked(fields.required("alarms"))) {
            Some(Value::Array(items)) if items.is_empty() => {
                errors.push(ValidationMessage::at(&alarms_path, "Should NOT have fewer than 1 items"));
                Vec::new()
            }
            Some(Value::Array(items)) if items.len() > MAX_ALARMS => {
                errors
                    .push(ValidationMessage::at(&alarms_path, format!("Should NOT have more than {MAX_ALARMS} items")));
                Vec::new()
            }
            Some(_) => strings(fields, "alarms", &mut errors, |text, path| {
                if is_alarm_arn(text) {
                    Ok(())
                } else {
                    Err(ValidationMessage::at(
                        path,
                        "Should match pattern \"^arn:aws[a-z-]*:cloudwatch:[^:]*:[0-9]*:alarm:.+$\"",
                    ))
                }
            }),
            None => Vec::new(),
        };
        let title = keep(&mut errors, checked(fields.string("title"))).flatten();
        let sort_by =
            keep(&mut errors, checked(fields.one_of_str("sortBy", &ALARM_SORTS))).flatten().map(str::to_string);
        let states = strings(fields, "states", &mut errors, |text, path| {
            if ALARM_STATES.contains(&text) { Ok(()) } else { Err(json::not_allowed(path, &ALARM_STATES).into()) }
        });
        if errors.is_empty() { Ok(Self { alarms, title, sort_by, states }) } else { Err(errors) }
    }

    pub(crate) fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("alarms".into(), json!(self.alarms));
        if let Some(title) = &self.title {
            map.insert("title".into(), json!(title));
        }
        if let Some(sort_by) = &self.sort_by {
            map.insert("sortBy".into(), json!(sort_by));
        }
        if !self.states.is_empty() {
            map.insert("states".into(), json!(self.states));
        }
        Value::Object(map)
    }
}

impl LogWidget {
    pub(crate) fn parse(fields: &Obj<'_>) -> Result<Self, Vec<ValidationMessage>> {
        let mut errors = Vec::new();
        let query = keep(
            &mut errors,
            checked(fields.required("query").and_then(|v| json::as_str(v, &fields.path_of("query")))),
        );
        let region = keep(&mut errors, checked(fields.string("region"))).flatten();
        let title = keep(&mut errors, checked(fields.string("title"))).flatten();
        let view = keep(&mut errors, checked(fields.one_of_str("view", &LOG_VIEWS))).flatten().map(str::to_string);
        let stacked = keep(&mut errors, checked(fields.bool("stacked"))).flatten().unwrap_or(false);
        match query {
            Some(query) if errors.is_empty() => Ok(Self { query: query.to_string(), region, title, view, stacked }),
            _ => Err(errors),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("query".into(), json!(self.query));
        for (key, value) in [("region", &self.region), ("title", &self.title), ("view", &self.view)] {
            if let Some(value) = value {
                map.insert(key.into(), json!(value));
            }
        }
        if self.stacked {
            map.insert("stacked".into(), json!(true));
        }
        Value::Object(map)
    }
}
