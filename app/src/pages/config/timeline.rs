//! A resource's configuration timeline: every configuration item as a marker on a horizontal time axis, drawn in
//! SVG on the server, coloured by its status, with the changes the list below shows shaded. The window is the
//! URL's `from`/`to` (epoch ms; the whole history without them): presets, zoom in and out, and panning are links
//! that set them (keys `+`, `-`), and with scripts a drag across the axis selects a window. A marker links to its
//! change (`at=`); markers too close to tell apart are drawn as one with their count, which zooms in on them. A
//! second lane shows the resource's compliance over time (from its `AWS::Config::ResourceCompliance` items).

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::{RESOURCE_PATH, compliance_class, status_class, time_utc};
use crate::api::{ComplianceMarker, Marker};
use crate::components::query::href_keeping;

/// The SVG's coordinate space.
const WIDTH: f64 = 1000.0;
const HEIGHT: f64 = 64.0;
const LEFT: f64 = 12.0;
const RIGHT: f64 = WIDTH - 12.0;
const MARKER_Y: f64 = 22.0;
const AXIS_Y: f64 = 40.0;
/// The compliance lane, under the tick labels, when the resource has compliance items.
const LANE_Y: f64 = 86.0;
const LANE_HEIGHT: f64 = 98.0;
/// A drag shorter than this (in SVG units) is a click, not a selection.
const MIN_DRAG: f64 = 6.0;
/// The narrowest window zooming in reaches (the page's narrowest window).
const MIN_SPAN_MS: i64 = 1_000;
/// Markers closer than this (in SVG units) to the first of a group are drawn as one.
const CLUSTER_GAP: f64 = 12.0;

const SECOND: i64 = 1_000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
/// Tick spacings, smallest first.
const STEPS: [i64; 25] = [
    SECOND,
    2 * SECOND,
    5 * SECOND,
    10 * SECOND,
    15 * SECOND,
    30 * SECOND,
    MINUTE,
    2 * MINUTE,
    5 * MINUTE,
    10 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    HOUR,
    2 * HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
    DAY,
    2 * DAY,
    7 * DAY,
    14 * DAY,
    30 * DAY,
    90 * DAY,
    180 * DAY,
    365 * DAY,
];
/// Ticks on the axis at most.
const MAX_TICKS: i64 = 7;
/// The window presets: label and span.
const PRESETS: [(&str, i64); 4] = [("1h", HOUR), ("1d", DAY), ("7d", 7 * DAY), ("30d", 30 * DAY)];

/// The x of a time in the window.
fn x_of(ms: i64, window: (i64, i64)) -> f64 {
    let span = (window.1 - window.0).max(1) as f64;
    LEFT + (ms - window.0) as f64 / span * (RIGHT - LEFT)
}

/// The time at an x of the drawing.
fn time_at(x: f64, window: (i64, i64)) -> i64 {
    let span = (window.1 - window.0) as f64;
    window.0 + ((x.clamp(LEFT, RIGHT) - LEFT) / (RIGHT - LEFT) * span) as i64
}

/// Ticks for a window: whole multiples of a step that puts at most [`MAX_TICKS`] on it, each with its label
/// (`HH:MM:SS` under a minute's step, `HH:MM` under a day's, with the date where the day changes, else the date).
pub fn ticks(window: (i64, i64)) -> Vec<(i64, String)> {
    let span = (window.1 - window.0).max(1);
    let step = STEPS.iter().copied().find(|step| span / step < MAX_TICKS).unwrap_or(365 * DAY);
    let mut out = Vec::new();
    let mut at = window.0.div_euclid(step).saturating_add(1).saturating_mul(step);
    let mut last_day = None;
    while at < window.1 && out.len() < (MAX_TICKS + 1) as usize {
        let Some(time) = chrono::DateTime::from_timestamp_millis(at) else { break };
        let day = time.date_naive();
        let label = if step >= DAY {
            time.format("%Y-%m-%d").to_string()
        } else if last_day != Some(day) {
            time.format(if step < MINUTE { "%m-%d %H:%M:%S" } else { "%m-%d %H:%M" }).to_string()
        } else {
            time.format(if step < MINUTE { "%H:%M:%S" } else { "%H:%M" }).to_string()
        };
        last_day = Some(day);
        out.push((at, label));
        at = at.saturating_add(step);
    }
    out
}

/// The windows the zoom controls lead to: in (half as long, same centre), out (twice as long, within the
/// history; `None` once that is all of it), and half a window earlier and later.
pub struct Zoom {
    pub zoom_in: (i64, i64),
    pub zoom_out: Option<(i64, i64)>,
    pub earlier: Option<(i64, i64)>,
    pub later: Option<(i64, i64)>,
}

pub fn zoom(window: (i64, i64), extent: (i64, i64)) -> Zoom {
    let span = window.1 - window.0;
    let centre = window.0 + span / 2;
    let half_in = (span / 4).max(MIN_SPAN_MS / 2);
    let out = (centre - span, centre + span);
    let out = (out.0.max(extent.0), out.1.min(extent.1));
    let shift = span / 2;
    Zoom {
        zoom_in: (centre - half_in, centre + half_in),
        zoom_out: (out.0 > extent.0 || out.1 < extent.1).then_some(out),
        earlier: (window.0 > extent.0).then(|| (window.0 - shift, window.1 - shift)),
        later: (window.1 < extent.1).then(|| (window.0 + shift, window.1 + shift)),
    }
}

/// Groups of markers drawn as one, as index ranges into `xs` (ascending): a group takes every marker within
/// [`CLUSTER_GAP`] of its first.
pub fn clusters(xs: &[f64]) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, x) in xs.iter().enumerate() {
        match out.last_mut() {
            Some(group) if x - xs[group.start] < CLUSTER_GAP => group.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// The window that spreads a group of changes from `first` to `last` across the axis, when it is narrower
/// than `window` (else the group cannot be spread further).
pub fn spread(first: i64, last: i64, window: (i64, i64)) -> Option<(i64, i64)> {
    let pad = ((last - first) / 4).max(MIN_SPAN_MS / 2);
    let chosen = (first - pad, last + pad);
    (chosen.1 - chosen.0 < window.1 - window.0).then_some(chosen)
}

/// The resource page with another window (`None`: the whole history); the change cursor is dropped.
fn window_href(query: &leptos_router::params::ParamsMap, window: Option<(i64, i64)>) -> String {
    let (from, to) = window.map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or_default();
    href_keeping(RESOURCE_PATH, query, &[("from", &from), ("to", &to)], &["at"])
}

/// The x in SVG units of a pointer event over the drawing.
fn pointer_x(ev: &leptos::ev::PointerEvent) -> Option<f64> {
    let target = ev.current_target()?.dyn_into::<web_sys::Element>().ok()?;
    let rect = target.get_bounding_client_rect();
    (rect.width() > 0.0).then(|| (f64::from(ev.client_x()) - rect.left()) / rect.width() * WIDTH)
}

/// The compliance lane: a band coloured by the resource's compliance from each compliance item to the next (the
/// last to now), and a marker at each item linking to the changes listed from its time.
fn compliance_lane(
    compliance: &[ComplianceMarker],
    window: (i64, i64),
    extent: (i64, i64),
    query: &leptos_router::params::ParamsMap,
) -> impl IntoView + use<> {
    let bands = compliance
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let end = compliance.get(i + 1).map_or(extent.1.max(m.time_ms), |n| n.time_ms);
            let (a, b) = (m.time_ms.max(window.0), end.min(window.1));
            (a < b).then(|| {
                let (x1, x2) = (x_of(a, window), x_of(b, window));
                let class = format!("tl-band tl-compliance-{}", compliance_class(&m.compliance));
                view! { <rect class=class x=x1 y=LANE_Y - 2.0 width=(x2 - x1).max(1.0) height=4/> }
            })
        })
        .collect_view();
    let points = compliance
        .iter()
        .filter(|m| (window.0..=window.1).contains(&m.time_ms))
        .map(|m| {
            let x = x_of(m.time_ms, window);
            let target = href_keeping(RESOURCE_PATH, query, &[("at", &m.time_ms.to_string())], &[]);
            let class = format!("tl-compliance-marker tl-compliance-{}", compliance_class(&m.compliance));
            let points = format!("{x},{} {},{LANE_Y} {x},{} {},{LANE_Y}", LANE_Y - 6.0, x + 6.0, LANE_Y + 6.0, x - 6.0);
            view! {
                <g class="tl-point">
                    <a href=target data-testid="compliance-marker" data-time=m.time_ms data-compliance=m.compliance.clone()>
                        <polygon class=class points=points>
                            <title>{format!("{} UTC · {}", time_utc(m.time_ms), m.compliance)}</title>
                        </polygon>
                    </a>
                </g>
            }
        })
        .collect_view();
    view! {
        <text class="tl-tick tl-lane-label" x=LEFT y=LANE_Y - 10.0>"Compliance"</text>
        <line class="tl-grid" x1=LEFT y1=LANE_Y x2=RIGHT y2=LANE_Y/>
        {bands}
        {points}
    }
}

#[component]
pub fn Timeline(
    markers: Vec<Marker>,
    /// The resource's compliance over time (its compliance items), oldest first.
    compliance: Vec<ComplianceMarker>,
    window: (i64, i64),
    extent: (i64, i64),
    /// The capture times of the newest and oldest change listed below.
    listed: Option<(i64, i64)>,
    selected: Option<i64>,
) -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let whole = query.read_untracked().get("from").is_none();
    let controls = zoom(window, extent);
    let span = window.1 - window.0;
    let link = move |w: Option<(i64, i64)>| window_href(&query.read_untracked(), w);
    let drawn: Vec<Marker> =
        markers.iter().filter(|m| (window.0..=window.1).contains(&m.capture_ms)).cloned().collect();
    let inside = drawn.len();
    let groups = clusters(&drawn.iter().map(|m| x_of(m.capture_ms, window)).collect::<Vec<_>>());
    let brush = RwSignal::new(None::<(f64, f64)>);
    let finish = move |ev: leptos::ev::PointerEvent| {
        let Some((start, _)) = brush.get_untracked() else { return };
        brush.set(None);
        let end = pointer_x(&ev).unwrap_or(start);
        if (end - start).abs() >= MIN_DRAG {
            let (a, b) = (time_at(start.min(end), window), time_at(start.max(end), window));
            let chosen = (a, b.max(a + MIN_SPAN_MS));
            navigate(
                &window_href(&query.read_untracked(), Some(chosen)),
                NavigateOptions { scroll: false, ..Default::default() },
            );
        }
    };
    let has_lane = !compliance.is_empty();
    let height = if has_lane { LANE_HEIGHT } else { HEIGHT };
    let lane = has_lane.then(|| compliance_lane(&compliance, window, extent, &query.read_untracked()));
    let shade = listed.map(|(newest, oldest)| {
        let (a, b) = (x_of(oldest, window).clamp(LEFT, RIGHT), x_of(newest, window).clamp(LEFT, RIGHT));
        view! { <rect class="tl-listed" x=a - 8.0 y=6 width=(b - a) + 16.0 height=AXIS_Y - 2.0 rx=4/> }
    });
    view! {
        <div class="tl-bar">
            <div class="segmented light" role="group" aria-label="Timeline window" data-testid="timeline-presets">
                <a href=link(None) class:active=whole data-testid="timeline-all">"All"</a>
                {PRESETS.iter().map(|(label, size)| {
                    let active = !whole && span == *size;
                    let target = Some((extent.1 - size, extent.1));
                    view! { <a href=link(target) class:active=active data-testid=format!("timeline-{label}")>{*label}</a> }
                }).collect_view()}
            </div>
            <div class="segmented light" role="group" aria-label="Zoom">
                {match controls.earlier {
                    Some(w) => view! { <a href=link(Some(w)) title="Earlier" data-testid="timeline-earlier">"‹"</a> }.into_any(),
                    None => view! { <span class="disabled" aria-disabled="true">"‹"</span> }.into_any(),
                }}
                <a href=link(Some(controls.zoom_in)) title="Zoom in (+)" data-shortcut="zoom-in" data-testid="timeline-zoom-in">"+"</a>
                {match controls.zoom_out {
                    Some(w) => view! { <a href=link(Some(w)) title="Zoom out (-)" data-shortcut="zoom-out" data-testid="timeline-zoom-out">"−"</a> }.into_any(),
                    None if !whole => view! { <a href=link(None) title="Zoom out (-)" data-shortcut="zoom-out" data-testid="timeline-zoom-out">"−"</a> }.into_any(),
                    None => view! { <span class="disabled" aria-disabled="true">"−"</span> }.into_any(),
                }}
                {match controls.later {
                    Some(w) => view! { <a href=link(Some(w)) title="Later" data-testid="timeline-later">"›"</a> }.into_any(),
                    None => view! { <span class="disabled" aria-disabled="true">"›"</span> }.into_any(),
                }}
            </div>
            <span class="range-label muted" data-testid="timeline-range">
                {format!("{} – {} UTC", time_utc(window.0), time_utc(window.1))}
            </span>
            <span class="spacer"></span>
            <span class="muted small" data-testid="timeline-count">
                {format!("{inside} of {} change{} in view", markers.len(), if markers.len() == 1 { "" } else { "s" })}
            </span>
            <ul class="map-legend small">
                <li><span class="swatch tl-swatch-discovered"></span>"Discovered"</li>
                <li><span class="swatch tl-swatch-ok"></span>"Changed"</li>
                <li><span class="swatch tl-swatch-deleted"></span>"Deleted"</li>
                {has_lane.then(|| view! {
                    <li><span class="swatch tl-swatch-compliant"></span>"Compliant"</li>
                    <li><span class="swatch tl-swatch-noncompliant"></span>"Noncompliant"</li>
                })}
            </ul>
        </div>
        <svg class="cfg-timeline" viewBox=format!("0 0 {WIDTH} {height}") role="img"
            aria-label="Configuration changes over time" data-testid="timeline"
            data-from=window.0 data-to=window.1
            on:pointerdown=move |ev| {
                if ev.button() == 0 && let Some(x) = pointer_x(&ev) {
                    ev.prevent_default();
                    brush.set(Some((x, x)));
                }
            }
            on:pointermove=move |ev| {
                if let (Some((start, _)), Some(x)) = (brush.get_untracked(), pointer_x(&ev)) {
                    brush.set(Some((start, x)));
                }
            }
            on:pointerup=finish
            on:pointerleave=move |_| brush.set(None)>
            {shade}
            {lane}
            {ticks(window).into_iter().map(|(at, label)| {
                let x = x_of(at, window);
                // Labels near an end are kept inside the drawing.
                let anchor = if x < LEFT + 50.0 { "start" } else if x > RIGHT - 50.0 { "end" } else { "middle" };
                view! {
                    <line class="tl-grid" x1=x y1=4 x2=x y2=AXIS_Y/>
                    <text class="tl-tick" x=x y=AXIS_Y + 16.0 text-anchor=anchor>{label}</text>
                }
            }).collect_view()}
            <line class="tl-axis" x1=LEFT y1=AXIS_Y x2=RIGHT y2=AXIS_Y/>
            {groups.into_iter().map(|group| {
                let members = &drawn[group];
                let (Some(first), Some(last)) = (members.first(), members.last()) else { return ().into_any() };
                let x = (x_of(first.capture_ms, window) + x_of(last.capture_ms, window)) / 2.0;
                let class = format!("tl-marker tl-{}", status_class(&last.status));
                let is_selected = selected.is_some_and(|s| members.iter().any(|m| m.capture_ms == s));
                if members.len() == 1 {
                    let target = href_keeping(RESOURCE_PATH, &query.read_untracked(), &[("at", &last.capture_ms.to_string())], &[]);
                    // In a `g`, so that the macro makes an SVG `a` (an HTML one would not draw when made in the browser).
                    return view! {
                        <g class="tl-point">
                            <a href=target data-testid="timeline-marker" data-capture=last.capture_ms data-status=last.status.clone()>
                                <line class="tl-stem" x1=x y1=MARKER_Y + 6.0 x2=x y2=AXIS_Y/>
                                <circle class=class class:selected=is_selected cx=x cy=MARKER_Y r=6>
                                    <title>{format!("{} UTC · {}", time_utc(last.capture_ms), last.status)}</title>
                                </circle>
                            </a>
                        </g>
                    }
                    .into_any();
                }
                // A group zooms in on its changes, or lists them once it cannot be spread further.
                let target = match spread(first.capture_ms, last.capture_ms, window) {
                    Some(w) => window_href(&query.read_untracked(), Some(w)),
                    None => href_keeping(RESOURCE_PATH, &query.read_untracked(), &[("at", &last.capture_ms.to_string())], &[]),
                };
                let count = members.len();
                let title = format!("{count} changes, {} – {} UTC", time_utc(first.capture_ms), time_utc(last.capture_ms));
                view! {
                    <g class="tl-point">
                        <a href=target data-testid="timeline-cluster" data-count=count data-first=first.capture_ms data-last=last.capture_ms>
                            <line class="tl-stem" x1=x y1=MARKER_Y + 9.0 x2=x y2=AXIS_Y/>
                            <circle class=format!("{class} tl-cluster") class:selected=is_selected cx=x cy=MARKER_Y r=9>
                                <title>{title}</title>
                            </circle>
                            <text class="tl-count" x=x y=MARKER_Y + 3.5 text-anchor="middle">{count}</text>
                        </a>
                    </g>
                }
                .into_any()
            }).collect_view()}
            {move || brush.get().map(|(a, b)| view! {
                <rect class="tl-brush" x=a.min(b) y=2 width=(a - b).abs() height=AXIS_Y/>
            })}
        </svg>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_fit_the_window() {
        // 2026-01-02 00:00:00 UTC, over six hours: hourly ticks, the first with its date.
        let start = 1_767_312_000_000;
        let ticks = ticks((start, start + 6 * HOUR));
        assert_eq!(ticks.len(), 5);
        assert_eq!(ticks[0], (start + HOUR, "01-02 01:00".to_owned()));
        assert_eq!(ticks[1].1, "02:00");
        // Ninety days: dates.
        let long = super::ticks((start, start + 90 * DAY));
        assert!(!long.is_empty() && long.len() <= MAX_TICKS as usize);
        assert!(long.iter().all(|(_, label)| label.len() == 10));
        // Seconds.
        let short = super::ticks((start, start + 20 * SECOND));
        assert_eq!(short[0].1, "01-02 00:00:05");
        // Degenerate windows do not loop or panic.
        assert!(super::ticks((start, start)).is_empty());
        assert!(super::ticks((i64::MAX - 10, i64::MAX)).len() <= MAX_TICKS as usize + 1);
    }

    #[test]
    fn zoom_halves_doubles_and_pans_within_the_history() {
        let extent = (0, 100 * HOUR);
        let window = (40 * HOUR, 60 * HOUR);
        let z = zoom(window, extent);
        assert_eq!(z.zoom_in, (45 * HOUR, 55 * HOUR));
        assert_eq!(z.zoom_out, Some((30 * HOUR, 70 * HOUR)));
        assert_eq!(z.earlier, Some((30 * HOUR, 50 * HOUR)));
        assert_eq!(z.later, Some((50 * HOUR, 70 * HOUR)));
        // Out of a window that reaches the ends: the whole history.
        let z = zoom((10 * HOUR, 90 * HOUR), extent);
        assert_eq!(z.zoom_out, None);
        // At the ends, no panning past them; zooming in stops at a minute.
        let z = zoom(extent, extent);
        assert_eq!((z.earlier, z.later), (None, None));
        let z = zoom((0, 2 * SECOND), extent);
        assert_eq!(z.zoom_in.1 - z.zoom_in.0, MIN_SPAN_MS);
    }

    #[test]
    fn close_markers_group_and_spread() {
        assert_eq!(clusters(&[]), Vec::<std::ops::Range<usize>>::new());
        assert_eq!(clusters(&[10.0, 15.0, 21.9, 22.0, 500.0, 990.0, 995.0]), vec![0..3, 3..4, 4..5, 5..7]);
        // Two changes half a second apart in an hour: a window about them.
        let spread_out = spread(10_000, 10_500, (0, HOUR)).expect("narrower");
        assert!(spread_out.0 < 10_000 && spread_out.1 > 10_500);
        assert!(spread_out.1 - spread_out.0 >= MIN_SPAN_MS);
        // Already as narrow as it gets: no window, the group lists its changes instead.
        assert_eq!(spread(10_000, 10_001, (9_500, 10_501)), None);
    }

    #[test]
    fn positions_map_both_ways() {
        let window = (1_000, 11_000);
        assert_eq!(x_of(1_000, window), LEFT);
        assert_eq!(x_of(11_000, window), RIGHT);
        assert_eq!(time_at(LEFT, window), 1_000);
        assert_eq!(time_at(RIGHT, window), 11_000);
        assert_eq!(time_at(-50.0, window), 1_000, "clamped");
    }
}
