//! The dashboard body: a JSON object with a `widgets` array on a 24-column grid and the dashboard-level `start`,
//! `end` and `periodOverride`. [`parse_body`] validates it as CloudWatch does, naming every problem with its data
//! path; [`DashboardBody::layout`] places the widgets. Pure: compiles for wasm32.

mod kinds;
mod layout;
mod message;
mod widget;

use serde_json::{Map, Value, json};
use skywatch_charts::widget::TimeSpec;

pub use kinds::{ALARM_SORTS, ALARM_STATES, AlarmWidget, LOG_VIEWS, LogWidget, MAX_ALARMS, TextWidget};
pub use layout::Placement;
pub use message::ValidationMessage;
pub use widget::{DEFAULT_SIZE, GRID_COLUMNS, MAX_HEIGHT, WIDGET_TYPES, Widget, WidgetKind};

use kinds::keep;
use message::checked;
use skywatch_charts::widget::JsonPath;
use skywatch_charts::widget::json::Obj;

/// The most widgets a dashboard holds.
pub const MAX_WIDGETS: usize = 500;
/// The message for a body that is not a JSON object.
pub const NOT_AN_OBJECT: &str = "The field DashboardBody must be a valid JSON object";

/// A parsed, validated dashboard body.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DashboardBody {
    /// `widgets`, in body order.
    pub widgets: Vec<Widget>,
    /// `start`: the dashboard's time range start (default three hours ago).
    pub start: Option<TimeSpec>,
    /// `end`: the dashboard's time range end (default now).
    pub end: Option<TimeSpec>,
    /// `periodOverride`.
    pub period_override: Option<PeriodOverride>,
}

/// `periodOverride`: how the graphs' periods follow the dashboard's time range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodOverride {
    /// `auto`: the period is chosen for the time range.
    Auto,
    /// `inherit`: each graph keeps its own period.
    Inherit,
}

impl PeriodOverride {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodOverride::Auto => "auto",
            PeriodOverride::Inherit => "inherit",
        }
    }
}

/// Parses and validates a dashboard body, collecting the problems of every widget (not just the first).
pub fn parse_body(text: &str) -> Result<DashboardBody, Vec<ValidationMessage>> {
    let not_object = || vec![ValidationMessage::new("", NOT_AN_OBJECT)];
    let value: Value = serde_json::from_str(text).map_err(|_| not_object())?;
    if !value.is_object() {
        return Err(not_object());
    }
    DashboardBody::from_value(&value)
}

impl DashboardBody {
    /// Validates an already parsed JSON body.
    pub fn from_value(value: &Value) -> Result<Self, Vec<ValidationMessage>> {
        let fields = checked(Obj::new(value, JsonPath::root())).map_err(|message| vec![message])?;
        let mut errors = Vec::new();
        let start = keep(&mut errors, time_spec(&fields, "start")).flatten();
        let end = keep(&mut errors, time_spec(&fields, "end")).flatten();
        let period_override = keep(&mut errors, checked(fields.one_of_str("periodOverride", &["auto", "inherit"])))
            .flatten()
            .map(|text| if text == "auto" { PeriodOverride::Auto } else { PeriodOverride::Inherit });
        let mut widgets = Vec::new();
        let widgets_path = fields.path_of("widgets");
        match keep(&mut errors, checked(fields.required("widgets"))) {
            Some(Value::Array(items)) if items.len() > MAX_WIDGETS => errors
                .push(ValidationMessage::at(&widgets_path, format!("Should NOT have more than {MAX_WIDGETS} items"))),
            Some(Value::Array(items)) => {
                for (index, item) in items.iter().enumerate() {
                    match Widget::parse(item, widgets_path.index(index)) {
                        Ok(widget) => widgets.push(widget),
                        Err(messages) => errors.extend(messages),
                    }
                }
            }
            Some(_) => errors.push(ValidationMessage::at(&widgets_path, "Should be array")),
            None => {}
        }
        if errors.is_empty() { Ok(Self { widgets, start, end, period_override }) } else { Err(errors) }
    }

    /// The body as JSON (widget properties in their expanded form). What PutDashboard stores is the text as given,
    /// not this; use it to write a new or edited body.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("widgets".into(), self.widgets.iter().map(Widget::to_json).collect());
        if let Some(start) = self.start {
            map.insert("start".into(), json!(start.to_json_string()));
        }
        if let Some(end) = self.end {
            map.insert("end".into(), json!(end.to_json_string()));
        }
        if let Some(period_override) = self.period_override {
            map.insert("periodOverride".into(), json!(period_override.as_str()));
        }
        Value::Object(map)
    }
}

fn time_spec(fields: &Obj<'_>, key: &str) -> Result<Option<TimeSpec>, ValidationMessage> {
    checked(fields.str(key))?
        .map(|text| {
            TimeSpec::parse(text).map_err(|_| {
                ValidationMessage::at(
                    &fields.path_of(key),
                    "Should be an ISO 8601 time such as 2018-04-25T12:00:00.000Z or a relative time such as -PT3H",
                )
            })
        })
        .transpose()
}
