//! Renders sample charts to /tmp/charts-*.svg and /tmp/charts-*.png for looking at:
//! `cargo run -p skywatch-charts --features png --example render`.

use skywatch_charts::draw::{Axis, Chart, HAnnotation, HFill, LegendPosition, Theme, VAnnotation, View};

mod support;

use support::{HOUR, MINUTE, T0, series, wave};

fn charts() -> Vec<(&'static str, Chart)> {
    let (start, end) = (T0 + 9 * HOUR, T0 + 12 * HOUR);
    let mut gappy = wave(start, end, 5 * MINUTE, 40.0, 12.0, 3);
    gappy.retain(|(t, _)| !(*t > start + 70 * MINUTE && *t < start + 95 * MINUTE));
    gappy.retain(|(t, _)| *t != start + 140 * MINUTE);
    let line = Chart {
        title: Some("EC2 CPU utilization (Average)".into()),
        width: 600,
        height: 400,
        series: vec![
            series("i-0a1b2c3d4e5f web-1", "Percent", wave(start, end, 5 * MINUTE, 55.0, 15.0, 1)),
            series("i-0f9e8d7c6b5a web-2", "Percent", gappy),
            series("i-0123456789ab worker", "Percent", wave(start, end, 5 * MINUTE, 20.0, 6.0, 7)),
        ],
        x_range_ms: (start, end),
        horizontal_annotations: vec![HAnnotation {
            value: 80.0,
            label: Some("CPU alarm threshold".into()),
            fill: Some(HFill::Above),
            ..Default::default()
        }],
        vertical_annotations: vec![VAnnotation {
            time_ms: start + 100 * MINUTE,
            label: Some("Deploy v2.3".into()),
            color: Some("#8c564b".into()),
            ..Default::default()
        }],
        utc_offset_minutes: 540,
        ..Default::default()
    };
    let mut dark = line.clone();
    dark.theme = Theme::Dark;

    let (day_start, day_end) = (T0, T0 + 24 * HOUR);
    let stacked = Chart {
        title: Some("Requests by target group".into()),
        width: 720,
        height: 360,
        stacked: true,
        series: (0..4)
            .map(|i| {
                series(&format!("tg-{}", ["api", "web", "admin", "batch"][i]), "Count", {
                    wave(day_start, day_end, 15 * MINUTE, 1200.0 / (i as f64 + 1.0), 400.0, i as u64 + 11)
                })
            })
            .collect(),
        x_range_ms: (day_start, day_end),
        ..Default::default()
    };
    let mut stacked_dark = stacked.clone();
    stacked_dark.theme = Theme::Dark;

    let (week_start, week_end) = (T0, T0 + 7 * 24 * HOUR);
    let mut latency = series("p99 latency", "Milliseconds", wave(week_start, week_end, HOUR, 180.0, 60.0, 5));
    latency.right_axis = true;
    let two_axes = Chart {
        title: Some("Throughput and latency, last week".into()),
        width: 800,
        height: 300,
        series: vec![series("Bytes in", "Bytes", wave(week_start, week_end, HOUR, 3.2e6, 1.5e6, 2)), latency],
        x_range_ms: (week_start, week_end),
        right_axis: Axis { min: Some(0.0), ..Default::default() },
        horizontal_annotations: vec![HAnnotation {
            value: 150.0,
            band_to: Some(250.0),
            label: Some("SLO band".into()),
            color: Some("#2ca02c".into()),
            right_axis: true,
            ..Default::default()
        }],
        legend: LegendPosition::Right,
        ..Default::default()
    };

    let single = Chart {
        title: Some("Current values".into()),
        width: 600,
        height: 200,
        view: View::SingleValue,
        series: vec![
            series("CPUUtilization", "Percent", wave(start, end, 5 * MINUTE, 55.0, 15.0, 1)),
            series("NetworkIn", "Bytes", wave(start, end, 5 * MINUTE, 2.5e7, 5e6, 2)),
            series("StatusCheckFailed", "Count", vec![]),
        ],
        x_range_ms: (start, end),
        ..Default::default()
    };
    let mut single_dark = single.clone();
    single_dark.theme = Theme::Dark;

    let empty = Chart {
        title: Some("Lambda errors".into()),
        series: vec![series("Errors", "Count", vec![]), series("Throttles", "Count", vec![])],
        x_range_ms: (start, end),
        ..Default::default()
    };

    let many = Chart {
        title: Some("Queue depth per queue".into()),
        width: 600,
        height: 320,
        series: (0..16)
            .map(|i| series(&format!("orders-queue-{i:02}"), "Count", wave(start, end, MINUTE, 50.0, 20.0, i + 20)))
            .collect(),
        x_range_ms: (start, end),
        ..Default::default()
    };

    let mut small = line.clone();
    small.width = 320;
    small.height = 200;
    small.title = Some("A rather long title that will not fit in a small widget".into());

    vec![
        ("small", small),
        ("line", line),
        ("line-dark", dark),
        ("stacked", stacked),
        ("stacked-dark", stacked_dark),
        ("two-axes", two_axes),
        ("single", single),
        ("single-dark", single_dark),
        ("empty", empty),
        ("many", many),
    ]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for (name, chart) in charts() {
        let svg = skywatch_charts::svg(&chart)?;
        std::fs::write(format!("/tmp/charts-{name}.svg"), svg)?;
        let png = skywatch_charts::png(&chart)?;
        std::fs::write(format!("/tmp/charts-{name}.png"), png)?;
        println!("/tmp/charts-{name}.svg /tmp/charts-{name}.png");
    }
    Ok(())
}
