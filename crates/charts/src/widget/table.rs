//! The `table` object: layout, summary columns and datapoint columns of the table view.

use serde_json::{Map, Value, json};

use super::error::WidgetError;
use super::json::{Obj, Result, as_str};
use crate::table::{SummaryColumn, TableLayout, TableOptions};

const LAYOUTS: [(&str, TableLayout); 2] =
    [("horizontal", TableLayout::Horizontal), ("vertical", TableLayout::Vertical)];
const COLUMNS: [(&str, SummaryColumn); 4] = [
    ("MIN", SummaryColumn::Min),
    ("MAX", SummaryColumn::Max),
    ("SUM", SummaryColumn::Sum),
    ("AVG", SummaryColumn::Average),
];

/// The `table` object as written; absent members take CloudWatch's defaults in [`TableSettings::options`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableSettings {
    /// `layout`: `horizontal` (default) or `vertical`.
    pub layout: Option<TableLayout>,
    /// `showTimeSeriesData` (default true).
    pub show_time_series_data: Option<bool>,
    /// `summaryColumns`: some of `MIN`, `MAX`, `SUM`, `AVG` (default all four).
    pub summary_columns: Option<Vec<SummaryColumn>>,
    /// `stickySummary` (default false).
    pub sticky_summary: Option<bool>,
}

impl TableSettings {
    pub(crate) fn parse(obj: &Obj<'_>) -> Result<Self> {
        let summary_columns = obj
            .array("summaryColumns")?
            .map(|items| {
                let path = obj.path_of("summaryColumns");
                let mut columns = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    let item_path = path.index(index);
                    let text = as_str(item, &item_path)?;
                    let Some((_, column)) = COLUMNS.iter().find(|(name, _)| *name == text) else {
                        return Err(WidgetError::invalid(
                            item_path,
                            "Should be equal to one of the allowed values: \"MIN\", \"MAX\", \"SUM\", \"AVG\"",
                        ));
                    };
                    if columns.contains(column) {
                        return Err(WidgetError::invalid(item_path, "Should NOT have duplicate items"));
                    }
                    columns.push(*column);
                }
                Ok(columns)
            })
            .transpose()?;
        Ok(Self {
            layout: obj.one_of("layout", &LAYOUTS)?,
            show_time_series_data: obj.bool("showTimeSeriesData")?,
            summary_columns,
            sticky_summary: obj.bool("stickySummary")?,
        })
    }

    /// The drawing options these settings mean.
    pub fn options(&self) -> TableOptions {
        let defaults = TableOptions::default();
        TableOptions {
            layout: self.layout.unwrap_or(defaults.layout),
            summary_columns: self.summary_columns.clone().unwrap_or(defaults.summary_columns),
            show_time_series_data: self.show_time_series_data.unwrap_or(defaults.show_time_series_data),
            sticky_summary: self.sticky_summary.unwrap_or(defaults.sticky_summary),
        }
    }

    /// The JSON form (only the members that were set).
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        if let Some(layout) = self.layout {
            map.insert("layout".into(), json!(layout.as_str()));
        }
        if let Some(show) = self.show_time_series_data {
            map.insert("showTimeSeriesData".into(), json!(show));
        }
        if let Some(columns) = &self.summary_columns {
            let names: Vec<&str> = columns.iter().filter_map(|column| column.json_name()).collect();
            map.insert("summaryColumns".into(), json!(names));
        }
        if let Some(sticky) = self.sticky_summary {
            map.insert("stickySummary".into(), json!(sticky));
        }
        Value::Object(map)
    }
}
