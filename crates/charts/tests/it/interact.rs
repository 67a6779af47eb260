//! The geometry the browser uses for hover readouts and drag-to-zoom matches what is drawn.

use crate::common;

use common::{HOUR, MINUTE, T0, attr, chart, filled, series};
use skywatch_charts::draw::{Axis, Chart, LegendPosition, View, plot_area, time_at, values_at};
use skywatch_charts::svg;

/// The axis color of the light theme: the time axis line and its tick marks.
const AXIS: &str = "#B6BEC9";

fn three_hours(width: u32, height: u32) -> Chart {
    let points = |base: f64| (0..=36).map(|i| (T0 + i * 5 * MINUTE, base + (i % 5) as f64)).collect();
    Chart {
        width,
        height,
        title: Some("CPU".into()),
        x_range_ms: (T0, T0 + 3 * HOUR),
        series: vec![series("a", points(10.0)), series("b", points(1000.0))],
        right_axis: Axis { label: Some("right".into()), ..Default::default() },
        ..Default::default()
    }
}

#[test]
fn the_plot_area_is_where_the_time_axis_is_drawn() {
    for (width, height, legend) in
        [(600, 400, LegendPosition::Bottom), (480, 280, LegendPosition::Right), (1600, 600, LegendPosition::Hidden)]
    {
        let chart = Chart { legend, ..three_hours(width, height) };
        let area = plot_area(&chart).unwrap();
        let out = svg(&chart).unwrap();
        let marks = filled(&out, "rect", AXIS);
        // The base line spans the plot at its bottom (drawing units are half pixels).
        let base = marks.iter().find(|tag| attr(tag, "height") == Some(2.0)).unwrap();
        assert!((attr(base, "x").unwrap() / 2.0 - area.left).abs() <= 0.5, "{base} vs {area:?}");
        assert!((attr(base, "width").unwrap() / 2.0 - area.width).abs() <= 1.0, "{base} vs {area:?}");
        assert!((attr(base, "y").unwrap() / 2.0 - area.bottom()).abs() <= 1.0, "{base} vs {area:?}");
        // Tick marks at the range start (00:00) and end (03:00) sit at the plot's left and right edges.
        let ticks: Vec<f64> = marks
            .iter()
            .filter(|tag| attr(tag, "width") == Some(2.0))
            .map(|tag| attr(tag, "x").unwrap() / 2.0 + 0.5)
            .collect();
        let (first, last) = (ticks[0], ticks[ticks.len() - 1]);
        assert!((first - area.left).abs() <= 1.0, "{first} vs {area:?}");
        assert!((last - area.right()).abs() <= 1.0, "{last} vs {area:?}");
        assert_eq!(time_at(&chart, first.round().max(area.left)).map(|t| (t - T0).abs() < MINUTE), Some(true));
        assert_eq!(time_at(&chart, area.right()), Some(T0 + 3 * HOUR));
    }
}

#[test]
fn other_views_and_tiny_charts_have_no_plot_area() {
    for view in [View::SingleValue, View::Gauge, View::Bar, View::Pie, View::Table] {
        assert_eq!(plot_area(&Chart { view, ..three_hours(600, 400) }), None, "{view}");
    }
    assert_eq!(plot_area(&three_hours(30, 20)), None);
    assert_eq!(plot_area(&Chart { width: 0, ..three_hours(600, 400) }), None);
}

#[test]
fn times_map_linearly_across_the_plot_and_not_outside_it() {
    let chart = three_hours(600, 400);
    let area = plot_area(&chart).unwrap();
    assert_eq!(time_at(&chart, area.left), Some(T0));
    assert_eq!(time_at(&chart, area.left + area.width / 2.0), Some(T0 + 90 * MINUTE));
    assert_eq!(time_at(&chart, area.left - 5.0), None);
    assert_eq!(time_at(&chart, area.right() + 5.0), None);
    assert_eq!(time_at(&chart, f64::NAN), None);
}

#[test]
fn values_at_picks_each_series_nearest_point_within_a_step() {
    let mut chart = three_hours(600, 400);
    chart.series.push(series("sparse", vec![(T0 + 2 * HOUR, 7.0)]));
    chart.series.push(series("empty", vec![]));
    let at = values_at(&chart, T0 + 11 * MINUTE);
    assert_eq!(at, [(0, T0 + 10 * MINUTE, 12.0), (1, T0 + 10 * MINUTE, 1002.0)]);
    let near_sparse = values_at(&chart, T0 + 2 * HOUR + MINUTE);
    assert!(near_sparse.contains(&(2, T0 + 2 * HOUR, 7.0)), "{near_sparse:?}");
    assert!(values_at(&chart, T0 + 4 * HOUR).is_empty(), "beyond a step of every series");
    let table = chart_with_gap();
    assert!(values_at(&table, T0 + 30 * MINUTE).is_empty(), "in the middle of a gap");
}

fn chart_with_gap() -> Chart {
    let points = vec![(T0, 1.0), (T0 + MINUTE, 1.0), (T0 + 2 * MINUTE, 1.0), (T0 + HOUR, 1.0)];
    chart(View::TimeSeries, vec![series("gappy", points)])
}
