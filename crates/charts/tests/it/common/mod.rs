//! Reading drawn SVG in tests: element tags, text contents and attribute values.
#![allow(dead_code)]

use skywatch_charts::draw::{Chart, ChartSeries};

pub const MINUTE: i64 = 60_000;
pub const HOUR: i64 = 60 * MINUTE;
/// 2024-03-14T00:00:00Z
pub const T0: i64 = 1_710_374_400_000;

/// The opening tags of `tag` elements.
pub fn elements<'a>(svg: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag} ");
    svg.match_indices(&open).map(|(at, _)| &svg[at..at + svg[at..].find('>').unwrap_or(0)]).collect()
}

/// The text content of every `<text>` element.
pub fn texts(svg: &str) -> Vec<String> {
    svg.split("<text ")
        .skip(1)
        .filter_map(|rest| rest.split_once('>').and_then(|(_, body)| body.split_once("</text>")))
        .map(|(content, _)| content.trim().to_string())
        .collect()
}

/// The numeric value of attribute `name` in a tag.
pub fn attr(tag: &str, name: &str) -> Option<f64> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    tag[start..].split('"').next()?.parse().ok()
}

/// Elements of `tag` filled with `color` (`#RRGGBB`, upper case as plotters writes it).
pub fn filled<'a>(svg: &'a str, tag: &str, color: &str) -> Vec<&'a str> {
    elements(svg, tag).into_iter().filter(|tag| tag.contains(&format!("fill=\"{color}\""))).collect()
}

pub fn series(label: &str, points: Vec<(i64, f64)>) -> ChartSeries {
    ChartSeries { label: label.into(), points, ..Default::default() }
}

/// A series with one point at the end of [`chart`]'s range.
pub fn latest(label: &str, value: f64) -> ChartSeries {
    series(label, vec![(T0 + HOUR - MINUTE, value / 2.0), (T0 + HOUR, value)])
}

/// A one-hour chart of `view` at 480×280.
pub fn chart(view: skywatch_charts::draw::View, series: Vec<ChartSeries>) -> Chart {
    Chart { width: 480, height: 280, view, series, x_range_ms: (T0, T0 + HOUR), ..Default::default() }
}
