//! The table view's settings, shared by the widget model (`table` in the widget JSON) and the drawing.

use serde::{Deserialize, Serialize};

/// Which way a table runs (`table.layout` in the widget JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TableLayout {
    /// One row per metric, one column per summary and datapoint.
    #[default]
    Horizontal,
    /// One column per metric, one row per summary and datapoint.
    Vertical,
}

impl TableLayout {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TableLayout::Horizontal => "horizontal",
            TableLayout::Vertical => "vertical",
        }
    }
}

/// A summary of the shown datapoints of a row (`table.summaryColumns` in the widget JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SummaryColumn {
    /// The most recent value (not a CloudWatch summary column; offered to callers that want it).
    Last,
    /// `MIN`.
    Min,
    /// `MAX`.
    Max,
    /// `SUM`.
    Sum,
    /// `AVG`.
    Average,
}

impl SummaryColumn {
    /// The columns CloudWatch shows when the widget does not say, in its order.
    pub const CLOUDWATCH: [SummaryColumn; 4] =
        [SummaryColumn::Min, SummaryColumn::Max, SummaryColumn::Sum, SummaryColumn::Average];

    /// The column heading.
    pub fn title(self) -> &'static str {
        match self {
            SummaryColumn::Last => "Last",
            SummaryColumn::Min => "Min",
            SummaryColumn::Max => "Max",
            SummaryColumn::Sum => "Sum",
            SummaryColumn::Average => "Average",
        }
    }

    /// The widget JSON spelling; `None` for [`SummaryColumn::Last`], which CloudWatch does not know.
    pub fn json_name(self) -> Option<&'static str> {
        match self {
            SummaryColumn::Last => None,
            SummaryColumn::Min => Some("MIN"),
            SummaryColumn::Max => Some("MAX"),
            SummaryColumn::Sum => Some("SUM"),
            SummaryColumn::Average => Some("AVG"),
        }
    }

    /// The summary of `values` (in time order); `None` when there are none.
    pub fn of(self, values: &[f64]) -> Option<f64> {
        let last = *values.last()?;
        Some(match self {
            SummaryColumn::Last => last,
            SummaryColumn::Min => values.iter().copied().fold(f64::INFINITY, f64::min),
            SummaryColumn::Max => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            SummaryColumn::Sum => values.iter().sum(),
            SummaryColumn::Average => values.iter().sum::<f64>() / values.len() as f64,
        })
    }
}

/// How a table view is drawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TableOptions {
    /// Rows per metric (horizontal) or columns per metric (vertical).
    pub layout: TableLayout,
    /// The summaries shown, in order, before the datapoints.
    pub summary_columns: Vec<SummaryColumn>,
    /// Whether the most recent datapoints are shown (as many as fit), after the summaries.
    pub show_time_series_data: bool,
    /// Summaries stay in view while scrolling (the console's table; drawn images always show them first).
    pub sticky_summary: bool,
}

impl Default for TableOptions {
    fn default() -> Self {
        Self {
            layout: TableLayout::Horizontal,
            summary_columns: SummaryColumn::CLOUDWATCH.to_vec(),
            show_time_series_data: true,
            sticky_summary: false,
        }
    }
}
