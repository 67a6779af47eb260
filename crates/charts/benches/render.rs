//! Drawing cost: a 12-widget dashboard of time series (5 series × 1,008 points, one week at a 10-minute period,
//! 560×300) to SVG, one chart of each other view, and the PNG of one time series:
//! `cargo bench -p skywatch-charts --bench render` (add `--features png` for the PNG figure).

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use skywatch_charts::draw::{Chart, ChartSeries, HAnnotation, HFill, Theme, View};

const MINUTE: i64 = 60_000;
const DAY: i64 = 24 * 60 * MINUTE;
/// 2024-03-14T00:00:00Z
const T0: i64 = 1_710_374_400_000;

fn week_series(index: usize) -> ChartSeries {
    let points = (0..1008)
        .map(|i| {
            let t = i as f64;
            let value = 50.0 + 20.0 * (t / 40.0 + index as f64).sin() + 5.0 * ((t * 7.3).sin() * (t * 1.7).cos());
            (T0 + i * 10 * MINUTE, value)
        })
        .collect();
    ChartSeries {
        label: format!("i-0abc{index} web-{index}"),
        unit: Some("Percent".into()),
        points,
        ..Default::default()
    }
}

fn week_chart(view: View, theme: Theme) -> Chart {
    Chart {
        title: Some("CPU utilization, last week".into()),
        width: 560,
        height: 300,
        theme,
        view,
        series: (0..5).map(week_series).collect(),
        x_range_ms: (T0, T0 + 7 * DAY),
        horizontal_annotations: vec![HAnnotation { value: 80.0, fill: Some(HFill::Above), ..Default::default() }],
        sparkline: true,
        ..Default::default()
    }
}

fn dashboard(c: &mut Criterion) {
    let charts: Vec<Chart> =
        (0..12).map(|i| week_chart(View::TimeSeries, if i % 2 == 0 { Theme::Light } else { Theme::Dark })).collect();
    c.bench_function("svg/dashboard_12_timeseries_5x1008", |b| {
        b.iter(|| {
            for chart in &charts {
                black_box(skywatch_charts::svg(black_box(chart)).ok());
            }
        })
    });
    for view in View::ALL {
        let chart = week_chart(view, Theme::Light);
        c.bench_function(&format!("svg/{view}_5x1008"), |b| b.iter(|| black_box(skywatch_charts::svg(&chart).ok())));
    }
    let chart = week_chart(View::TimeSeries, Theme::Light);
    c.bench_function("geometry/plot_area", |b| b.iter(|| black_box(skywatch_charts::plot_area(&chart))));
    c.bench_function("geometry/values_at", |b| b.iter(|| black_box(skywatch_charts::values_at(&chart, T0 + DAY))));
    #[cfg(feature = "png")]
    c.bench_function("png/timeseries_5x1008", |b| b.iter(|| black_box(skywatch_charts::png(&chart).ok())));
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = dashboard
}
criterion_main!(benches);
