//! A dashboard ready to draw: every widget's place on the grid and its content (a chart with its data, rendered
//! markdown, alarm rows, a log query), serializable so the console sends it from the server to the browser.

use serde::{Deserialize, Serialize};
use skywatch_charts::Chart;

/// A dashboard's widgets over one time range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenderedDashboard {
    /// The range shown, epoch milliseconds.
    pub start_ms: i64,
    /// The range shown, epoch milliseconds.
    pub end_ms: i64,
    /// In body order.
    pub widgets: Vec<RenderedWidget>,
}

/// One widget: where it sits on the 24-column grid and what it shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenderedWidget {
    /// Column, 0–23.
    pub x: u32,
    /// Row.
    pub y: u32,
    /// Columns, 1–24.
    pub width: u32,
    /// Rows.
    pub height: u32,
    /// The title shown in the widget's header.
    pub title: Option<String>,
    /// What the widget shows.
    pub content: WidgetContent,
}

/// What a widget shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WidgetContent {
    /// A metric widget's chart with its fetched series; the browser sets size and theme before drawing.
    Chart {
        /// The chart to draw.
        chart: Box<Chart>,
        /// The period the data was fetched at, in seconds.
        period_seconds: i64,
    },
    /// A text widget's markdown as sanitized HTML.
    Text {
        /// The HTML (raw HTML in the markdown is escaped, links are kept).
        html: String,
        /// `background: transparent`.
        transparent: bool,
    },
    /// An alarm status widget's alarms.
    Alarms {
        /// One row per listed alarm, in the widget's order.
        alarms: Vec<AlarmRow>,
    },
    /// A Logs Insights query widget.
    Log {
        /// The query text.
        query: String,
        /// The region of its log groups.
        region: Option<String>,
    },
    /// The widget could not be drawn (its data could not be fetched).
    Error {
        /// Why.
        message: String,
    },
}

/// One alarm of an alarm status widget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlarmRow {
    /// The alarm's name (the last part of its ARN).
    pub name: String,
    /// The ARN as written in the widget.
    pub arn: String,
    /// `OK`, `ALARM` or `INSUFFICIENT_DATA`; `None` when no such alarm exists.
    pub state: Option<String>,
}
