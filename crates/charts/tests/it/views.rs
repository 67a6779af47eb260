//! The gauge, bar, pie, table and single value views checked by the structure of their SVG, in both themes and
//! on awkward inputs.

use crate::common;

use common::{HOUR, MINUTE, T0, attr, chart, elements, filled, latest, series, texts};
use skywatch_charts::draw::{Axis, Chart, ChartSeries, HAnnotation, HFill, SummaryColumn, TableLayout, Theme, View};
use skywatch_charts::svg;

const BLUE: &str = "#1F77B4";
const ORANGE: &str = "#FF7F0E";
const GREEN: &str = "#2CA02C";

fn has(texts: &[String], expected: &str) -> bool {
    texts.iter().any(|text| text == expected)
}

fn odd_inputs() -> Vec<(&'static str, Vec<ChartSeries>)> {
    vec![
        ("no series", vec![]),
        ("empty series", vec![series("a", vec![]), series("b", vec![])]),
        ("negative", vec![latest("down", -42.0), latest("up", 17.0)]),
        ("single point", vec![series("one", vec![(T0 + 30 * MINUTE, 3.0)])]),
        ("huge and small", vec![latest("huge", 3.2e15), latest("small", 2.5e-7), latest("zero", 0.0)]),
        ("long labels", vec![latest(&"a very long metric label ".repeat(6), 5.0), latest(&"x".repeat(300), 6.0)]),
        ("many", (0..40).map(|i| latest(&format!("series-{i}"), i as f64 + 1.0)).collect()),
    ]
}

#[test]
fn every_view_draws_every_odd_input_at_every_size_in_both_themes() {
    for view in View::ALL {
        for (name, series) in odd_inputs() {
            for (width, height) in [(1, 1), (40, 30), (240, 160), (480, 280), (1600, 600)] {
                for theme in [Theme::Light, Theme::Dark] {
                    let chart = Chart { width, height, theme, sparkline: true, ..chart(view, series.clone()) };
                    let out = svg(&chart).unwrap_or_else(|error| panic!("{view} {name} {width}x{height}: {error}"));
                    assert!(out.starts_with("<svg ") && out.ends_with("</svg>"), "{view} {name}");
                }
            }
        }
    }
}

#[test]
fn long_labels_are_ellipsized_in_every_view() {
    let long = &format!("a very long metric label{}", " that goes on".repeat(20));
    for view in View::ALL {
        let out = svg(&chart(view, vec![latest(long, 5.0), latest("short", 3.0)])).unwrap();
        let texts = texts(&out);
        assert!(!has(&texts, long), "{view}: {texts:?}");
        assert!(texts.iter().any(|text| text.starts_with("a very long") && text.ends_with('…')), "{view}: {texts:?}");
    }
}

fn gauge_chart() -> Chart {
    let mut cpu = latest("CPUUtilization", 93.4);
    cpu.unit = Some("Percent".into());
    Chart {
        left_axis: Axis { min: Some(0.0), max: Some(100.0), ..Default::default() },
        horizontal_annotations: vec![
            HAnnotation { value: 90.0, fill: Some(HFill::Above), color: Some("#aa0000".into()), ..Default::default() },
            HAnnotation { value: 70.0, band_to: Some(90.0), color: Some("#ff9900".into()), ..Default::default() },
        ],
        ..chart(View::Gauge, vec![cpu])
    }
}

#[test]
fn a_gauge_shows_value_unit_range_label_and_threshold_bands() {
    for theme in [Theme::Light, Theme::Dark] {
        let out = svg(&Chart { theme, ..gauge_chart() }).unwrap();
        let texts = texts(&out);
        for expected in ["93.4", "%", "0", "100", "CPUUtilization"] {
            assert!(has(&texts, expected), "{expected} missing from {texts:?}");
        }
        assert_eq!(filled(&out, "polygon", BLUE).len(), 1, "the value arc");
        assert_eq!(filled(&out, "polygon", "#AA0000").len(), 1, "the band above 90");
        assert_eq!(filled(&out, "polygon", "#FF9900").len(), 1, "the band from 70 to 90");
    }
}

#[test]
fn gauges_default_to_zero_to_a_hundred_or_the_value() {
    let out = svg(&chart(View::Gauge, vec![latest("a", 42.0)])).unwrap();
    assert!(has(&texts(&out), "100"));
    let out = svg(&chart(View::Gauge, vec![latest("a", 250.0)])).unwrap();
    let texts = texts(&out);
    assert!(has(&texts, "250") && !has(&texts, "100"), "{texts:?}");
}

#[test]
fn several_series_get_one_gauge_each() {
    let out = svg(&chart(View::Gauge, vec![latest("a", 10.0), latest("b", 20.0), latest("c", 30.0)])).unwrap();
    let texts = texts(&out);
    for expected in ["a", "b", "c", "10", "20", "30"] {
        assert!(has(&texts, expected), "{expected} missing from {texts:?}");
    }
    for color in [BLUE, ORANGE, GREEN] {
        assert_eq!(filled(&out, "polygon", color).len(), 1, "{color}");
    }
}

#[test]
fn bars_are_one_per_series_with_values_and_a_value_axis() {
    let out = svg(&chart(View::Bar, vec![latest("web", 51.2), latest("api", 84.4), latest("idle", -20.0)])).unwrap();
    let texts = texts(&out);
    for expected in ["web", "api", "idle", "51.2", "84.4", "-20", "0", "50"] {
        assert!(has(&texts, expected), "{expected} missing from {texts:?}");
    }
    let bar = |color| filled(&out, "rect", color);
    assert_eq!((bar(BLUE).len(), bar(ORANGE).len(), bar(GREEN).len()), (1, 1, 1));
    let (web, api, idle) = (bar(BLUE)[0], bar(ORANGE)[0], bar(GREEN)[0]);
    let width = |tag| attr(tag, "width").unwrap();
    assert!(width(api) > width(web), "a bigger value is a longer bar");
    assert!(attr(idle, "x").unwrap() + width(idle) <= attr(web, "x").unwrap() + 1.0, "a negative bar ends at zero");
}

#[test]
fn bars_without_values_say_so_and_too_many_end_in_a_count() {
    let out = svg(&chart(View::Bar, vec![series("a", vec![])])).unwrap();
    assert!(has(&texts(&out), "No data available."));
    let many: Vec<ChartSeries> = (0..40).map(|i| latest(&format!("s{i}"), 1.0 + i as f64)).collect();
    let texts = texts(&svg(&chart(View::Bar, many)).unwrap());
    assert!(texts.iter().any(|text| text.starts_with('+') && text.ends_with("more")), "{texts:?}");
}

#[test]
fn a_pie_has_a_slice_per_positive_value_and_a_legend_with_percents() {
    let values = vec![latest("web", 300.0), latest("api", 100.0), latest("none", 0.0), latest("neg", -5.0)];
    for theme in [Theme::Light, Theme::Dark] {
        let out = svg(&Chart { theme, ..chart(View::Pie, values.clone()) }).unwrap();
        assert_eq!(filled(&out, "polygon", BLUE).len(), 1);
        assert_eq!(filled(&out, "polygon", ORANGE).len(), 1);
        assert_eq!(elements(&out, "polygon").len(), 2, "zero and negative values are left out");
        let texts = texts(&out);
        for expected in ["web", "api", "300", "100", "75%", "25%", "400", "Total"] {
            assert!(has(&texts, expected), "{expected} missing from {texts:?}");
        }
        assert!(!has(&texts, "neg") && !has(&texts, "none"), "{texts:?}");
    }
    let out = svg(&chart(View::Pie, vec![latest("neg", -5.0)])).unwrap();
    assert!(has(&texts(&out), "No data available."));
}

#[test]
fn a_single_slice_is_a_whole_ring() {
    let out = svg(&chart(View::Pie, vec![latest("all", 7.0)])).unwrap();
    assert_eq!(filled(&out, "polygon", BLUE).len(), 1);
    assert!(has(&texts(&out), "100%"));
}

fn table_chart() -> Chart {
    let points = |base: f64| (0..6).map(|i| (T0 + i * 10 * MINUTE, base + i as f64)).collect();
    Chart {
        width: 700,
        utc_offset_minutes: 9 * 60,
        ..chart(View::Table, vec![series("web", points(10.0)), series("api", points(100.0)), series("idle", vec![])])
    }
}

#[test]
fn a_table_has_summaries_and_recent_datapoints_per_series() {
    for theme in [Theme::Light, Theme::Dark] {
        let out = svg(&Chart { theme, ..table_chart() }).unwrap();
        let texts = texts(&out);
        // web: 10..=15; api: 100..=105; points at 09:00..09:50 in UTC+9.
        let expected =
            ["Label", "Min", "Max", "Sum", "Average", "web", "api", "idle", "10", "15", "75", "12.5", "09:50"];
        for expected in expected {
            assert!(has(&texts, expected), "{expected} missing from {texts:?}");
        }
        assert!(has(&texts, "615") && has(&texts, "102.5") || has(&texts, "103"), "{texts:?}");
        assert_eq!(filled(&out, "rect", BLUE).len(), 1, "a swatch per row");
        let times: Vec<&String> = texts.iter().filter(|text| text.starts_with("09:")).collect();
        assert!(times.len() >= 3 && times[0] == "09:50", "newest first: {times:?}");
    }
}

#[test]
fn table_columns_follow_the_options_and_the_width() {
    let mut chart = table_chart();
    chart.table.summary_columns = vec![SummaryColumn::Last, SummaryColumn::Max];
    chart.table.show_time_series_data = false;
    let texts = texts(&svg(&chart).unwrap());
    assert!(has(&texts, "Last") && has(&texts, "Max") && !has(&texts, "Min"), "{texts:?}");
    assert!(!texts.iter().any(|text| text.starts_with("09:")), "{texts:?}");
    let narrow = Chart { width: 300, ..table_chart() };
    let narrow_texts = texts_of(&narrow);
    let wide_texts = texts_of(&Chart { width: 1200, ..table_chart() });
    let count = |texts: &[String]| texts.iter().filter(|text| text.starts_with("09:")).count();
    assert!(count(&narrow_texts) < count(&wide_texts), "{narrow_texts:?}");
}

fn texts_of(chart: &Chart) -> Vec<String> {
    texts(&svg(chart).unwrap())
}

#[test]
fn a_vertical_table_has_a_column_per_series() {
    let mut chart = table_chart();
    chart.table.layout = TableLayout::Vertical;
    let texts = texts_of(&chart);
    for expected in ["web", "api", "Min", "Average", "09:50", "09:40"] {
        assert!(has(&texts, expected), "{expected} missing from {texts:?}");
    }
}

#[test]
fn table_rows_that_do_not_fit_end_in_a_count_and_thresholds_tint_cells() {
    let many: Vec<ChartSeries> = (0..30).map(|i| latest(&format!("s{i}"), 80.0 - i as f64)).collect();
    let mut chart = chart(View::Table, many);
    chart.horizontal_annotations = vec![HAnnotation {
        value: 75.0,
        fill: Some(HFill::Above),
        color: Some("#123456".into()),
        ..Default::default()
    }];
    let out = svg(&chart).unwrap();
    assert!(texts(&out).iter().any(|text| text.starts_with('+') && text.ends_with("more")));
    let tints = filled(&out, "rect", "#123456");
    assert!(!tints.is_empty() && tints.iter().all(|tag| !tag.contains("opacity=\"1\"")), "{tints:?}");
}

#[test]
fn single_values_get_a_sparkline_when_asked() {
    let points: Vec<(i64, f64)> = (0..30).map(|i| (T0 + i * 2 * MINUTE, (i % 5) as f64)).collect();
    for count in [1, 2, 4, 8] {
        let many: Vec<ChartSeries> = (0..count).map(|i| series(&format!("s{i}"), points.clone())).collect();
        let plain = svg(&chart(View::SingleValue, many.clone())).unwrap();
        assert!(elements(&plain, "polyline").is_empty());
        let spark = svg(&Chart { sparkline: true, ..chart(View::SingleValue, many) }).unwrap();
        assert_eq!(elements(&spark, "polyline").len(), count, "one line per value");
        let texts = texts(&spark);
        assert_eq!(texts.iter().filter(|text| *text == "4").count(), count, "{texts:?}");
    }
}

#[test]
fn day_aligned_ranges_label_times_the_same_on_any_day() {
    let labels = |start: i64| {
        let chart = Chart {
            x_range_ms: (start, start + 24 * HOUR),
            series: vec![series("s", (0..24).map(|h| (start + h * HOUR, 1.0)).collect())],
            ..Default::default()
        };
        texts_of(&chart).into_iter().filter(|text| text.contains(':') || text.contains('/')).collect::<Vec<_>>()
    };
    let today = labels(T0);
    assert_eq!(today, labels(T0 + 17 * 24 * HOUR));
    assert!(today.iter().all(|text| !text.contains('/')), "{today:?}");
    assert_eq!(today.first().map(String::as_str), Some("00:00"));
}
