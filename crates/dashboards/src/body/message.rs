//! Validation messages as CloudWatch writes them (`DataPath` as a JSON pointer, JSON-schema style `Message`), from
//! the errors of the one JSON reader the widget model and dashboard bodies share (`skywatch_charts::widget::json`).

use serde::{Deserialize, Serialize};
use skywatch_charts::widget::json;
use skywatch_charts::widget::{JsonPath, WidgetError};

/// One problem in a dashboard body: where (`DataPath`, a JSON pointer such as `/widgets/0/properties`; empty for
/// the body itself) and what (`Message`, such as `Should be integer`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ValidationMessage {
    /// The JSON pointer of the offending value.
    pub data_path: String,
    /// What is wrong with it.
    pub message: String,
}

impl ValidationMessage {
    /// A message at `data_path`.
    pub fn new(data_path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { data_path: data_path.into(), message: message.into() }
    }
}

pub(crate) type Checked<T> = Result<T, ValidationMessage>;

impl ValidationMessage {
    /// A message at a path of the shared JSON reader.
    pub(crate) fn at(path: &JsonPath, message: impl Into<String>) -> Self {
        Self::new(path.json_pointer(), message)
    }
}

impl From<WidgetError> for ValidationMessage {
    /// The shared JSON reader's error as CloudWatch's validation message: the JSON pointer and the message.
    fn from(error: WidgetError) -> Self {
        let data_path = error.path().map(JsonPath::json_pointer).unwrap_or_default();
        Self::new(data_path, error.message())
    }
}

/// A read of the shared JSON reader, its error as a validation message.
pub(crate) fn checked<T>(read: json::Result<T>) -> Checked<T> {
    read.map_err(ValidationMessage::from)
}
