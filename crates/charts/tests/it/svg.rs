//! SVG output checked by its structure: one root element, a polyline per line run, legend, title, annotations,
//! themes, and the errors of undrawable charts.

use skywatch_charts::draw::{Axis, Chart, ChartError, ChartSeries, HAnnotation, HFill, Theme, VAnnotation, View};
use skywatch_charts::svg;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
/// 2024-03-14T00:00:00Z
const T0: i64 = 1_710_374_400_000;

fn steady(start: i64, count: i64, step: i64, value: f64) -> Vec<(i64, f64)> {
    (0..count).map(|i| (start + i * step, value + (i % 7) as f64)).collect()
}

fn series(label: &str, points: Vec<(i64, f64)>) -> ChartSeries {
    ChartSeries { label: label.into(), points, ..Default::default() }
}

fn three_hours() -> Chart {
    Chart {
        title: Some("CPU <web> & api".into()),
        x_range_ms: (T0, T0 + 3 * HOUR),
        series: vec![
            series("web-1", steady(T0, 37, 5 * MINUTE, 40.0)),
            series("web-2", steady(T0, 37, 5 * MINUTE, 20.0)),
            series("idle", vec![]),
        ],
        ..Default::default()
    }
}

/// The opening tags of `tag` elements.
fn elements<'a>(svg: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag} ");
    svg.match_indices(&open).map(|(at, _)| &svg[at..at + svg[at..].find('>').unwrap_or(0)]).collect()
}

/// The text content of every `<text>` element.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text ")
        .skip(1)
        .filter_map(|rest| rest.split_once('>').and_then(|(_, body)| body.split_once("</text>")))
        .map(|(content, _)| content.trim().to_string())
        .collect()
}

fn polylines_of(svg: &str, color: &str) -> usize {
    elements(svg, "polyline").iter().filter(|tag| tag.contains(&format!("stroke=\"{color}\""))).count()
}

#[test]
fn the_output_is_a_single_svg_element_with_size_and_view_box() {
    let out = svg(&three_hours()).unwrap();
    assert!(out.starts_with("<svg "), "{}", &out[..60]);
    assert!(out.ends_with("</svg>"));
    assert!(!out.contains("<?xml"));
    assert_eq!(out.matches("<svg").count(), 1);
    assert_eq!(out.matches("</svg>").count(), 1);
    let root = elements(&out, "svg")[0];
    assert!(root.contains("width=\"600\"") && root.contains("height=\"400\""), "{root}");
    assert!(root.contains("viewBox=\"0 0 1200 800\""), "{root}");
    assert!(root.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(root.contains("aria-label=\"CPU &lt;web&gt; &amp; api\""), "{root}");
}

#[test]
fn each_non_empty_series_is_a_polyline_in_its_palette_color() {
    let out = svg(&three_hours()).unwrap();
    assert_eq!(polylines_of(&out, "#1F77B4"), 1);
    assert_eq!(polylines_of(&out, "#FF7F0E"), 1);
    assert_eq!(polylines_of(&out, "#2CA02C"), 0, "the empty series draws no line");
    assert_eq!(elements(&out, "polyline").len(), 2);
    let line = elements(&out, "polyline")[0];
    assert!(line.contains("stroke-width=\"3\""), "1.5px at the 2x drawing scale: {line}");
}

#[test]
fn legend_title_and_axis_labels_are_text() {
    let mut chart = three_hours();
    chart.utc_offset_minutes = 9 * 60;
    chart.series[0].unit = Some("Percent".into());
    chart.series[1].unit = Some("Percent".into());
    let out = svg(&chart).unwrap();
    let texts = texts(&out);
    for expected in ["CPU &lt;web&gt; &amp; api", "web-1", "web-2", "idle", "09:00", "10:00", "12:00", "Percent", "40"]
    {
        assert!(texts.iter().any(|text| text == expected), "{expected} missing from {texts:?}");
    }
}

#[test]
fn a_gap_splits_the_line_and_a_lone_point_is_a_dot() {
    let mut points = steady(T0, 37, 5 * MINUTE, 40.0);
    // Remove 20 minutes (a gap), then isolate the point at 150 minutes.
    points.retain(|(t, _)| !(*t > T0 + 60 * MINUTE && *t < T0 + 85 * MINUTE));
    points.retain(|(t, _)| *t != T0 + 145 * MINUTE && *t != T0 + 155 * MINUTE);
    let chart = Chart { x_range_ms: (T0, T0 + 3 * HOUR), series: vec![series("gappy", points)], ..Default::default() };
    let out = svg(&chart).unwrap();
    assert_eq!(polylines_of(&out, "#1F77B4"), 3);
    let dots: Vec<_> = elements(&out, "circle").into_iter().filter(|tag| tag.contains("#1F77B4")).collect();
    assert_eq!(dots.len(), 1, "{dots:?}");
}

#[test]
fn one_missing_period_in_a_one_minute_series_breaks_the_line() {
    let mut points = steady(T0, 60, MINUTE, 5.0);
    points.remove(30);
    let chart = Chart { x_range_ms: (T0, T0 + HOUR), series: vec![series("s", points)], ..Default::default() };
    assert_eq!(polylines_of(&svg(&chart).unwrap(), "#1F77B4"), 2);
}

#[test]
fn horizontal_and_vertical_annotations_draw_lines_fills_and_labels() {
    let mut chart = three_hours();
    chart.horizontal_annotations = vec![HAnnotation {
        value: 45.0,
        label: Some("Threshold".into()),
        color: Some("#9467bd".into()),
        fill: Some(HFill::Above),
        ..Default::default()
    }];
    chart.vertical_annotations =
        vec![VAnnotation { time_ms: T0 + HOUR, label: Some("Deploy".into()), ..Default::default() }];
    let out = svg(&chart).unwrap();
    let purple: Vec<_> = elements(&out, "rect").into_iter().filter(|tag| tag.contains("fill=\"#9467BD\"")).collect();
    assert_eq!(purple.len(), 2, "a fill and a line: {purple:?}");
    assert!(purple.iter().any(|tag| tag.contains("height=\"2\"") && tag.contains("opacity=\"1\"")), "{purple:?}");
    assert!(purple.iter().any(|tag| !tag.contains("opacity=\"1\"")), "the fill is translucent: {purple:?}");
    let red: Vec<_> = elements(&out, "rect").into_iter().filter(|tag| tag.contains("fill=\"#D62728\"")).collect();
    assert!(red.iter().any(|tag| tag.contains("width=\"2\"")), "vertical line: {red:?}");
    let texts = texts(&out);
    assert!(texts.contains(&"Threshold".to_string()) && texts.contains(&"Deploy".to_string()), "{texts:?}");
}

#[test]
fn stacked_series_are_translucent_areas_under_lines() {
    let mut chart = three_hours();
    chart.stacked = true;
    let out = svg(&chart).unwrap();
    let areas = elements(&out, "polygon");
    assert_eq!(areas.len(), 2, "{areas:?}");
    assert!(areas.iter().all(|tag| !tag.contains("opacity=\"1\"")));
    assert_eq!(elements(&out, "polyline").len(), 2);
}

#[test]
fn themes_set_background_and_text_colors() {
    let light = svg(&three_hours()).unwrap();
    assert!(elements(&light, "rect")[0].contains("fill=\"#FFFFFF\""));
    let dark = svg(&Chart { theme: Theme::Dark, ..three_hours() }).unwrap();
    assert!(elements(&dark, "rect")[0].contains("fill=\"#0F1B2A\""));
    let title = elements(&dark, "text").into_iter().find(|tag| tag.contains("font-weight")).unwrap();
    assert!(title.contains("fill=\"#E9EBED\""), "{title}");
}

#[test]
fn no_data_says_so() {
    let chart = Chart {
        x_range_ms: (T0, T0 + HOUR),
        series: vec![series("a", vec![]), series("b", vec![])],
        ..Default::default()
    };
    let out = svg(&chart).unwrap();
    assert!(texts(&out).contains(&"No data available.".to_string()));
    assert!(elements(&out, "polyline").is_empty());
}

#[test]
fn large_values_get_si_suffixes_and_a_right_axis() {
    let mut latency = series("latency", steady(T0, 37, 5 * MINUTE, 150.0));
    latency.right_axis = true;
    latency.unit = Some("Milliseconds".into());
    let chart = Chart {
        x_range_ms: (T0, T0 + 3 * HOUR),
        series: vec![series("bytes", steady(T0, 37, 5 * MINUTE, 3.2e6)), latency],
        right_axis: Axis { label: Some("Latency".into()), ..Default::default() },
        ..Default::default()
    };
    let texts = texts(&svg(&chart).unwrap());
    assert!(texts.iter().any(|text| text.ends_with('M')), "{texts:?}");
    assert!(texts.contains(&"Latency (Milliseconds)".to_string()), "{texts:?}");
}

#[test]
fn multi_day_ranges_label_days() {
    let chart = Chart {
        x_range_ms: (T0, T0 + 7 * 24 * HOUR),
        series: vec![series("s", steady(T0, 168, HOUR, 1.0))],
        ..Default::default()
    };
    let texts = texts(&svg(&chart).unwrap());
    assert!(texts.contains(&"03/15".to_string()), "{texts:?}");
}

#[test]
fn single_value_shows_the_latest_value_with_its_unit() {
    let mut cpu = series("CPUUtilization", vec![(T0, 10.0), (T0 + MINUTE, 34.84)]);
    cpu.unit = Some("Percent".into());
    let chart = Chart {
        view: View::SingleValue,
        x_range_ms: (T0, T0 + HOUR),
        series: vec![cpu, series("NetworkIn", vec![(T0, 2.06e7)]), series("Empty", vec![])],
        ..Default::default()
    };
    let texts = texts(&svg(&chart).unwrap());
    for expected in ["CPUUtilization", "34.8", "%", "NetworkIn", "20.6M", "Empty", "--"] {
        assert!(texts.contains(&expected.to_string()), "{expected} missing from {texts:?}");
    }
}

#[test]
fn undrawable_charts_are_errors() {
    for view in View::ALL {
        assert!(svg(&Chart { view, ..three_hours() }).is_ok(), "{view}");
    }
    assert!(matches!(svg(&Chart { width: 0, ..three_hours() }), Err(ChartError::InvalidSize { .. })));
    assert!(matches!(svg(&Chart { height: 5000, ..three_hours() }), Err(ChartError::InvalidSize { .. })));
    assert_eq!(svg(&Chart { x_range_ms: (T0, T0), ..three_hours() }), Err(ChartError::InvalidRange));
}

#[test]
fn tiny_and_odd_inputs_still_draw() {
    let mut chart = three_hours();
    chart.width = 40;
    chart.height = 30;
    assert!(svg(&chart).is_ok());
    let odd = Chart {
        x_range_ms: (T0, T0 + HOUR),
        series: vec![series("nan", vec![(T0, f64::NAN), (T0 + MINUTE, f64::INFINITY), (T0 + 2 * MINUTE, 1.0)])],
        left_axis: Axis { min: Some(5.0), max: Some(10.0), ..Default::default() },
        ..Default::default()
    };
    assert!(svg(&odd).is_ok());
}

#[test]
fn charts_travel_as_json() {
    let chart = three_hours();
    let json = serde_json::to_string(&chart).unwrap();
    assert_eq!(serde_json::from_str::<Chart>(&json).unwrap(), chart);
}
