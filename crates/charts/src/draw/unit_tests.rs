//! Tests of the drawing internals: number formats, tick placement, gaps, stacking, clipping, text fitting and the
//! legend flow.

use super::color::Rgba;
use super::geometry::{Rect, clip_polygon, clip_polyline};
use super::legend::{LegendItem, rows};
use super::numbers::{format_tick, format_value};
use super::series::{split_at_gaps, stack, typical_step};
use super::text::{fit_text, text_width};
use super::ticks::{auto_range, time_ticks, value_scale};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
/// 2024-03-14T00:00:00Z, a Thursday.
const T0: i64 = 1_710_374_400_000;

#[test]
fn ticks_use_si_suffixes_with_the_step_precision() {
    let table = [
        (0.0, 250.0, "0"),
        (750.0, 250.0, "750"),
        (1000.0, 250.0, "1k"),
        (1250.0, 250.0, "1.25k"),
        (2_500_000.0, 500_000.0, "2.5M"),
        (3.0e9, 1.0e9, "3G"),
        (4.0e12, 1.0e12, "4T"),
        (0.05, 0.05, "0.05"),
        (0.3, 0.1, "0.3"),
        (-2000.0, 1000.0, "-2k"),
        (1e-12, 0.5, "0"),
    ];
    for (value, step, expected) in table {
        assert_eq!(format_tick(value, step), expected, "{value} by {step}");
    }
}

#[test]
fn single_values_keep_about_three_digits() {
    let table = [
        (34.84, "34.8"),
        (2.06e7, "20.6M"),
        (1234.5, "1.23k"),
        (999.0, "999"),
        (0.01234, "0.0123"),
        (5.0, "5"),
        (0.0, "0"),
        (-42.26, "-42.3"),
        (f64::NAN, "--"),
    ];
    for (value, expected) in table {
        assert_eq!(format_value(value), expected, "{value}");
    }
}

#[test]
fn value_scales_are_nice_and_cover_the_data() {
    let scale = value_scale(0.0, 87.0, None, None, 5);
    assert_eq!((scale.min, scale.max, scale.step), (0.0, 100.0, 20.0));
    assert_eq!(scale.ticks, [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    let tiny = value_scale(0.0, 0.7, None, None, 4);
    assert_eq!(tiny.step, 0.2);
    assert!(tiny.ticks.iter().all(|tick| ((tick * 10.0).round() / 10.0 - tick).abs() < 1e-12), "{:?}", tiny.ticks);
    let fixed = value_scale(3.0, 9.0, Some(0.0), Some(10.0), 5);
    assert_eq!((fixed.min, fixed.max), (0.0, 10.0));
    let flat = value_scale(5.0, 5.0, None, None, 5);
    assert!(flat.min <= 0.0 && flat.max >= 5.0, "{flat:?}");
    let zero = value_scale(0.0, 0.0, None, None, 5);
    assert_eq!((zero.min, zero.max), (0.0, 1.0));
    let top = value_scale(0.0, 80.0, None, None, 4);
    assert!(top.max > 80.0, "data at a tick gets headroom: {top:?}");
}

#[test]
fn automatic_ranges_include_zero_only_when_close() {
    assert_eq!(auto_range(10.0, 100.0), (0.0, 100.0));
    let (low, high) = auto_range(95.0, 100.0);
    assert!(low > 90.0 && high > 100.0, "{low} {high}");
    assert_eq!(auto_range(-100.0, -10.0), (-100.0, 0.0));
}

#[test]
fn time_ticks_are_round_in_the_utc_offset() {
    let ticks = time_ticks(T0 + 9 * HOUR + 7 * MINUTE, T0 + 12 * HOUR, 540, 8);
    let labels: Vec<&str> = ticks.iter().map(|tick| tick.label.as_str()).collect();
    assert_eq!(labels, ["18:30", "19:00", "19:30", "20:00", "20:30", "21:00"]);
    let half_hour_zone = time_ticks(T0, T0 + 3 * HOUR, 330, 4);
    assert_eq!(half_hour_zone[0].label, "06:00");
    let seconds = time_ticks(T0, T0 + 2 * MINUTE, 0, 8);
    assert_eq!(seconds[1].label, "00:00:15");
}

#[test]
fn multi_day_ticks_show_dates() {
    let day = time_ticks(T0, T0 + 2 * DAY, 0, 8);
    let labels: Vec<&str> = day.iter().map(|tick| tick.label.as_str()).collect();
    assert!(labels.contains(&"03/15") && labels.contains(&"12:00"), "{labels:?}");
    let week = time_ticks(T0, T0 + 7 * DAY, -300, 8);
    assert_eq!(week[0].label, "03/14");
    assert_eq!(week[0].ms, T0 + 5 * HOUR, "local midnight at UTC-5");
    let weeks = time_ticks(T0, T0 + 60 * DAY, 0, 9);
    assert_eq!(weeks[0].label, "03/18", "weekly ticks fall on Mondays: {weeks:?}");
    let year = time_ticks(T0, T0 + 365 * DAY, 0, 12);
    assert_eq!(year[0].label, "04/01");
}

#[test]
fn gaps_are_steps_over_one_and_a_half_typical() {
    let points = [(0, 1.0), (60, 1.0), (120, 1.0), (240, 1.0), (300, 1.0), (400, 1.0), (500, 1.0)];
    assert_eq!(typical_step(&points), Some(60));
    let runs = split_at_gaps(&points, typical_step(&points));
    let lengths: Vec<usize> = runs.iter().map(Vec::len).collect();
    assert_eq!(lengths, [3, 2, 1, 1]);
    assert_eq!(split_at_gaps(&[(0, 1.0)], None).len(), 1);
    assert!(split_at_gaps::<f64>(&[], None).is_empty());
}

#[test]
fn stacking_adds_up_at_equal_times() {
    let stacked = stack(&[vec![(0, 1.0), (60, 2.0)], vec![(0, 10.0), (120, 5.0)]]);
    assert_eq!(stacked[0], [(0, (0.0, 1.0)), (60, (0.0, 2.0))]);
    assert_eq!(stacked[1], [(0, (1.0, 11.0)), (120, (0.0, 5.0))]);
}

#[test]
fn polylines_are_clipped_and_split_at_the_plot_edge() {
    let rect = Rect { left: 0.0, top: 0.0, right: 10.0, bottom: 10.0 };
    let pieces = clip_polyline(&[(-5.0, 5.0), (5.0, 5.0), (5.0, 20.0), (8.0, 20.0), (8.0, 5.0)], &rect);
    assert_eq!(pieces.len(), 2, "{pieces:?}");
    assert_eq!(pieces[0], [(0.0, 5.0), (5.0, 5.0), (5.0, 10.0)]);
    assert_eq!(pieces[1], [(8.0, 10.0), (8.0, 5.0)]);
    let square = clip_polygon(&[(-5.0, -5.0), (5.0, -5.0), (5.0, 5.0), (-5.0, 5.0)], &rect);
    assert!(square.iter().all(|(x, y)| (0.0..=5.0).contains(x) && (0.0..=5.0).contains(y)), "{square:?}");
    assert!(clip_polygon(&[(20.0, 20.0), (30.0, 20.0), (30.0, 30.0)], &rect).is_empty());
}

#[test]
fn long_text_is_cut_with_an_ellipsis() {
    let text = "a very long legend label that cannot fit";
    let fitted = fit_text(text, 12.0, false, 100.0);
    assert!(fitted.ends_with('…') && text_width(&fitted, 12.0, false) <= 100.0, "{fitted}");
    assert_eq!(fit_text("short", 12.0, false, 100.0), "short");
    assert!(text_width("WWW", 12.0, false) > text_width("iii", 12.0, false));
}

#[test]
fn the_legend_wraps_and_ends_with_a_count_of_the_rest() {
    let items: Vec<LegendItem> =
        (0..20).map(|i| LegendItem { label: format!("queue-{i:02}"), color: Rgba::rgb(0, 0, 0) }).collect();
    let legend = rows(&items, 300.0, 2);
    let note = legend.items.last().unwrap();
    assert!(note.color.is_none() && note.label.starts_with('+'), "{note:?}");
    let shown = legend.items.len() - 1;
    assert_eq!(note.label, format!("+{} more", 20 - shown));
    assert_eq!(legend.height, 36.0);
    assert!(legend.items.iter().all(|item| item.x + text_width(&item.label, 12.0, false) <= 300.0));
    let all = rows(&items[..3], 600.0, 2);
    assert_eq!((all.items.len(), all.height), (3, 18.0));
}

#[test]
fn colors_parse_from_hex() {
    assert_eq!(Rgba::parse("#1f77b4"), Some(Rgba::rgb(0x1f, 0x77, 0xb4)));
    assert_eq!(Rgba::parse("#fff"), Some(Rgba::rgb(255, 255, 255)));
    for bad in ["red", "#12345", "1f77b4", "#ggg", "#1f77b4ff"] {
        assert_eq!(Rgba::parse(bad), None, "{bad}");
    }
}
