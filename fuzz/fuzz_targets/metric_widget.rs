//! Fuzzes the metric widget reader (GetMetricWidgetImage's `MetricWidget`, a dashboard's metric widget
//! properties) and the time texts it reads: any text parses or fails with a message, and a parsed widget's range
//! resolves without overflow.

#![no_main]

use libfuzzer_sys::fuzz_target;
use skywatch_charts::widget::{MetricWidget, parse_iso_duration};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = parse_iso_duration(text);
    let _ = skywatch_model::TimeRange::parse(text);
    match MetricWidget::parse(text) {
        Ok(widget) => {
            if let Ok((start, end)) = widget.time_range_ms(1_800_000_000_000) {
                assert!(start < end);
            }
            let _ = widget.to_json();
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
});
