//! Building a [`Chart`] from a parsed metric widget and the series fetched for it.

use super::{Axis, Chart, ChartSeries, HAnnotation, Theme, VAnnotation};
use crate::widget::{AxisSide, MetricWidget, YAxisSettings};

fn axis(settings: &YAxisSettings) -> Axis {
    Axis {
        min: settings.min,
        max: settings.max,
        label: settings.label.clone(),
        show_units: settings.show_units.unwrap_or(true),
    }
}

impl Chart {
    /// The chart of `widget` (size, view, stacking, axes, visible annotations, legend, time zone, title, sparkline,
    /// table settings) showing
    /// `series` over `x_range_ms`.
    pub fn from_widget(widget: &MetricWidget, series: Vec<ChartSeries>, x_range_ms: (i64, i64), theme: Theme) -> Chart {
        let (width, height) = widget.image_size();
        let annotations = &widget.annotations;
        Chart {
            title: widget.title.clone(),
            width,
            height,
            theme,
            view: widget.view,
            stacked: widget.stacked,
            series,
            x_range_ms,
            left_axis: axis(&widget.y_axis.left),
            right_axis: axis(&widget.y_axis.right),
            horizontal_annotations: annotations
                .horizontal
                .iter()
                .filter(|annotation| annotation.visible)
                .map(|annotation| HAnnotation {
                    value: annotation.value,
                    band_to: annotation.band_end.as_ref().map(|end| end.value),
                    label: annotation.label.clone(),
                    color: annotation.color.clone(),
                    fill: annotation.fill,
                    right_axis: annotation.y_axis == AxisSide::Right,
                })
                .collect(),
            vertical_annotations: annotations
                .vertical
                .iter()
                .filter(|annotation| annotation.visible)
                .map(|annotation| VAnnotation {
                    time_ms: annotation.time_ms,
                    band_to_ms: annotation.band_end.as_ref().map(|end| end.value),
                    label: annotation.label.clone(),
                    color: annotation.color.clone(),
                    fill: annotation.fill,
                })
                .collect(),
            legend: widget.legend,
            utc_offset_minutes: widget.timezone_minutes.unwrap_or(0),
            sparkline: widget.sparkline,
            table: widget.table.as_ref().map(|table| table.options()).unwrap_or_default(),
        }
    }
}
