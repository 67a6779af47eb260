//! The kinds of metric widget view and legend placement, shared by the widget model and the drawing.

use serde::{Deserialize, Serialize};

/// How a metric widget shows its data (`view` in the widget JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum View {
    /// Lines over time (or stacked areas when the widget is `stacked`).
    #[default]
    TimeSeries,
    /// The latest value of each metric as a big number.
    SingleValue,
    /// A gauge dial for one value.
    Gauge,
    /// Horizontal bars, one per metric.
    Bar,
    /// A pie of the metrics' values.
    Pie,
    /// A table of values.
    Table,
}

impl View {
    /// Every view, in the order of the CloudWatch documentation.
    pub const ALL: [View; 6] = [View::TimeSeries, View::SingleValue, View::Gauge, View::Bar, View::Pie, View::Table];

    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            View::TimeSeries => "timeSeries",
            View::SingleValue => "singleValue",
            View::Gauge => "gauge",
            View::Bar => "bar",
            View::Pie => "pie",
            View::Table => "table",
        }
    }

    /// Reads the JSON spelling.
    pub fn parse(text: &str) -> Option<View> {
        View::ALL.into_iter().find(|view| view.as_str() == text)
    }
}

impl std::fmt::Display for View {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the legend goes (`legend.position` in the widget JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LegendPosition {
    /// Below the plot, wrapping into rows.
    #[default]
    Bottom,
    /// In a column right of the plot.
    Right,
    /// Not drawn.
    Hidden,
}

impl LegendPosition {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            LegendPosition::Bottom => "bottom",
            LegendPosition::Right => "right",
            LegendPosition::Hidden => "hidden",
        }
    }

    /// Reads the JSON spelling.
    pub fn parse(text: &str) -> Option<LegendPosition> {
        [LegendPosition::Bottom, LegendPosition::Right, LegendPosition::Hidden]
            .into_iter()
            .find(|position| position.as_str() == text)
    }
}

/// Which side of a horizontal annotation line is shaded (`fill` of a horizontal annotation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum HFill {
    /// From the line up to the top of the plot.
    Above,
    /// From the line down to the bottom of the plot.
    Below,
}

impl HFill {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            HFill::Above => "above",
            HFill::Below => "below",
        }
    }
}

/// Which side of a vertical annotation line is shaded (`fill` of a vertical annotation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum VFill {
    /// From the left edge of the plot up to the line.
    Before,
    /// From the line to the right edge of the plot.
    After,
}

impl VFill {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            VFill::Before => "before",
            VFill::After => "after",
        }
    }
}
