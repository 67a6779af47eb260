//! The service map drawn in SVG: nodes laid out in layers left to right (`layout`), each a ring of its requests'
//! health (`ring`) with its average latency and requests a minute, edges as curves coloured by their own health;
//! pan by dragging, zoom with the wheel or the buttons, reset. Nodes and edges are focusable and open with a
//! click or Enter; what is selected is the page's to keep (in its URL).

pub mod layout;
pub mod ring;

use leptos::html::Div;
use leptos::prelude::*;

use self::layout::{Point, Spacing, layout};
use self::ring::Ring;
use crate::api::{MapStats, ServiceMap};
use crate::components::xray_format::{kind, label, milliseconds, rate};

/// What is selected on the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    Node(usize),
    /// An index into the map's edges.
    Edge(usize),
}

const RING_RADIUS: f64 = 28.0;
const RING_WIDTH: f64 = 7.0;
/// The ring's center below the top of the node's box.
const RING_TOP: f64 = 38.0;
const ZOOM_STEP: f64 = 1.25;
const MIN_SCALE: f64 = 0.2;
const MAX_SCALE: f64 = 4.0;
/// Longest label shown in full.
const LABEL_CHARS: usize = 24;

fn spacing(compact: bool) -> Spacing {
    if compact { Spacing { layer_gap: 60.0, node_gap: 14.0, ..Spacing::default() } } else { Spacing::default() }
}

/// The worst class of an edge's requests, for its colour.
fn health(stats: &MapStats) -> &'static str {
    if stats.fault > 0 {
        "fault"
    } else if stats.throttle > 0 {
        "throttle"
    } else if stats.error > 0 {
        "error"
    } else {
        "ok"
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= LABEL_CHARS {
        text.to_owned()
    } else {
        let head: String = text.chars().take(LABEL_CHARS - 1).collect();
        format!("{head}…")
    }
}

/// An SVG path through `points` (ring centers and dummy points), leaving the first ring and arriving at the
/// last one's edge, with horizontal tangents so long edges flow between layers.
fn edge_path(points: &[Point]) -> Option<(String, Point)> {
    let (first, last) = (points.first()?, points.last()?);
    let rightwards = last.x >= first.x;
    let out = if rightwards { 1.0 } else { -1.0 };
    let lift = |p: &Point| Point { x: p.x, y: p.y - (Spacing::default().node_height / 2.0 - RING_TOP) };
    let mut route: Vec<Point> = points.iter().map(lift).collect();
    let gap = RING_RADIUS + RING_WIDTH / 2.0 + 2.0;
    if let Some(p) = route.first_mut() {
        p.x += out * gap;
    }
    if let Some(p) = route.last_mut() {
        p.x -= out * (gap + 4.0);
    }
    let mut d = format!("M{:.1},{:.1}", route[0].x, route[0].y);
    for pair in route.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let dx = (b.x - a.x) / 2.0;
        d.push_str(&format!(" C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}", a.x + dx, a.y, b.x - dx, b.y, b.x, b.y));
    }
    let middle = route.len() / 2;
    let label_at = if route.len().is_multiple_of(2) {
        let (a, b) = (route[middle - 1], route[middle]);
        Point { x: (a.x + b.x) / 2.0, y: (a.y + b.y) / 2.0 }
    } else {
        route[middle]
    };
    Some((d, label_at))
}

/// Pan and zoom: scale, then translation in view units.
#[derive(Debug, Clone, Copy, PartialEq)]
struct View {
    scale: f64,
    x: f64,
    y: f64,
}

const HOME: View = View { scale: 1.0, x: 0.0, y: 0.0 };

impl View {
    /// Zoomed by `factor` keeping the view point (`px`, `py`) where it is.
    fn zoomed(self, factor: f64, px: f64, py: f64) -> View {
        let scale = (self.scale * factor).clamp(MIN_SCALE, MAX_SCALE);
        let ratio = scale / self.scale;
        View { scale, x: px - (px - self.x) * ratio, y: py - (py - self.y) * ratio }
    }
}

#[component]
pub fn ServiceMapView(
    map: ServiceMap,
    selected: Signal<Option<Selection>>,
    on_select: Callback<Selection>,
    #[prop(optional)] compact: bool,
) -> impl IntoView {
    let spacing = spacing(compact);
    let edges: Vec<(usize, usize)> = map.edges.iter().map(|e| (e.from, e.to)).collect();
    let laid = layout(map.nodes.len(), &edges, spacing);
    let window_ms = (map.end_ms - map.start_ms).max(60_000);
    // A trace's own map covers no window: it counts requests instead of rating them.
    let rated = map.end_ms > map.start_ms;
    let volume = move |stats: &MapStats| {
        if rated { format!("{} t/min", rate(stats.per_minute(window_ms))) } else { format!("{} req", stats.total()) }
    };
    let (min_width, min_height) = if compact { (600.0, 160.0) } else { (900.0, 340.0) };
    let view_width = laid.width.max(min_width);
    let view_height = laid.height.max(min_height);
    let (offset_x, offset_y) = ((laid.width - view_width) / 2.0, (laid.height - view_height) / 2.0);
    let height_px = if compact { view_height.min(300.0) } else { view_height.min(640.0) };
    let view_box = format!("{offset_x:.1} {offset_y:.1} {view_width:.1} {view_height:.1}");

    let view_state = RwSignal::new(HOME);
    let frame = NodeRef::<Div>::new();
    // (client x, client y, view at the start) while dragging; whether the pointer moved (a drag, not a click).
    let dragging = RwSignal::new(None::<(f64, f64, View)>);
    let moved = RwSignal::new(false);
    // View units per screen pixel, and the view point under a screen point (the SVG scales to fit, centered).
    let geometry = move || -> Option<(f64, f64, f64)> {
        let rect = frame.get_untracked()?.get_bounding_client_rect();
        let k = (rect.width() / view_width).min(rect.height() / view_height);
        if k <= 0.0 {
            return None;
        }
        let left = rect.left() + (rect.width() - view_width * k) / 2.0;
        let top = rect.top() + (rect.height() - view_height * k) / 2.0;
        Some((k, left, top))
    };
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        let Some((k, left, top)) = geometry() else { return };
        ev.prevent_default();
        let px = offset_x + (f64::from(ev.client_x()) - left) / k;
        let py = offset_y + (f64::from(ev.client_y()) - top) / k;
        let factor = if ev.delta_y() < 0.0 { ZOOM_STEP } else { 1.0 / ZOOM_STEP };
        view_state.update(|v| *v = v.zoomed(factor, px, py));
    };
    let on_down = move |ev: leptos::ev::PointerEvent| {
        if ev.button() == 0 {
            moved.set(false);
            dragging.set(Some((f64::from(ev.client_x()), f64::from(ev.client_y()), view_state.get_untracked())));
        }
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        let Some((x0, y0, start)) = dragging.get_untracked() else { return };
        let Some((k, _, _)) = geometry() else { return };
        let (dx, dy) = (f64::from(ev.client_x()) - x0, f64::from(ev.client_y()) - y0);
        if dx.abs() + dy.abs() > 4.0 {
            moved.set(true);
        }
        if moved.get_untracked() {
            view_state.set(View { x: start.x + dx / k, y: start.y + dy / k, ..start });
        }
    };
    let on_up = move |_| dragging.set(None);
    let center = (offset_x + view_width / 2.0, offset_y + view_height / 2.0);
    let zoom = move |factor: f64| view_state.update(|v| *v = v.zoomed(factor, center.0, center.1));
    let transform = move || {
        let v = view_state.get();
        format!("translate({:.2} {:.2}) scale({:.4})", v.x, v.y, v.scale)
    };
    let choose = move |selection: Selection| {
        if !moved.get_untracked() {
            on_select.run(selection);
        }
    };
    let key_choose = move |ev: &leptos::ev::KeyboardEvent, selection: Selection| {
        if ev.key() == "Enter" || ev.key() == " " {
            ev.prevent_default();
            on_select.run(selection);
        }
    };

    let edge_views = map
        .edges
        .iter()
        .enumerate()
        .filter_map(|(index, edge)| {
            let (d, at) = edge_path(laid.routes.get(index)?)?;
            let from = map.nodes.get(edge.from)?;
            let to = map.nodes.get(edge.to)?;
            let class = health(&edge.stats);
            let average = edge.stats.average_ms().map(milliseconds).unwrap_or_else(|| "-".into());
            let per_minute = volume(&edge.stats);
            let title = format!("{} → {}: {average} average, {per_minute}", label(from), label(to));
            let is_selected = move || selected.get() == Some(Selection::Edge(index));
            let stats_label = format!("{average} · {per_minute}");
            Some(view! {
                <g class=format!("map-edge edge-{class}") class:selected=is_selected
                    data-testid="map-edge" data-from=from.name.clone() data-to=to.name.clone()
                    tabindex="0" role="button" aria-label=title.clone()
                    on:click=move |_| choose(Selection::Edge(index))
                    on:keydown=move |ev| key_choose(&ev, Selection::Edge(index))>
                    <title>{title.clone()}</title>
                    <path class="edge-hit" d=d.clone()/>
                    <path class="edge-line" d=d marker-end=format!("url(#map-arrow-{class})")/>
                    <Show when=is_selected>
                        <text class="edge-label" x=at.x y=at.y - 6.0 text-anchor="middle">{stats_label.clone()}</text>
                    </Show>
                </g>
            }.into_any())
        })
        .collect_view();

    let node_views = map
        .nodes
        .iter()
        .enumerate()
        .filter_map(|(index, node)| {
            let p = *laid.nodes.get(index)?;
            let top = p.y - spacing.node_height / 2.0;
            let cy = top + RING_TOP;
            let name = label(node);
            let kind = kind(node);
            let average = node.stats.average_ms().map(milliseconds).unwrap_or_else(|| "-".into());
            let per_minute = volume(&node.stats);
            let is_selected = move || selected.get() == Some(Selection::Node(index));
            let title = format!("{name} ({kind}): {average} average, {per_minute}");
            let role = format!("{:?}", node.role).to_lowercase();
            Some(view! {
                <g class="map-node" class:selected=is_selected data-testid="map-node" data-name=node.name.clone()
                    data-kind=kind.clone() data-role=role tabindex="0" role="button" aria-label=title.clone()
                    on:click=move |_| choose(Selection::Node(index))
                    on:keydown=move |ev| key_choose(&ev, Selection::Node(index))>
                    <title>{title.clone()}</title>
                    <rect class="node-box" x=p.x - spacing.node_width / 2.0 + 4.0 y=top
                        width=spacing.node_width - 8.0 height=spacing.node_height - 4.0 rx="8"/>
                    <circle class="node-face" cx=p.x cy=cy r=RING_RADIUS - RING_WIDTH / 2.0/>
                    <Ring stats=node.stats.clone() x=p.x y=cy radius=RING_RADIUS width=RING_WIDTH/>
                    <text class="node-latency" x=p.x y=cy - 1.0 text-anchor="middle" data-testid="node-latency">{average}</text>
                    <text class="node-rate" x=p.x y=cy + 11.0 text-anchor="middle">{per_minute}</text>
                    <text class="node-name" x=p.x y=top + 87.0 text-anchor="middle" data-testid="node-name">{shorten(&name)}</text>
                    <text class="node-kind" x=p.x y=top + 102.0 text-anchor="middle">{shorten(&kind)}</text>
                </g>
            }.into_any())
        })
        .collect_view();

    view! {
        <div class="map-frame" class:compact=compact data-testid="service-map">
            <div class="map-tools" role="group" aria-label="Zoom">
                <button type="button" class="map-tool" title="Zoom in" aria-label="Zoom in" data-testid="map-zoom-in"
                    on:click=move |_| zoom(ZOOM_STEP)>"+"</button>
                <button type="button" class="map-tool" title="Zoom out" aria-label="Zoom out" data-testid="map-zoom-out"
                    on:click=move |_| zoom(1.0 / ZOOM_STEP)>"−"</button>
                <button type="button" class="map-tool" title="Reset the view" data-testid="map-reset"
                    on:click=move |_| view_state.set(HOME)>"Reset"</button>
            </div>
            <div class="map-canvas" node_ref=frame style=format!("height: {height_px:.0}px")
                class:dragging=move || dragging.get().is_some()
                on:wheel=on_wheel on:pointerdown=on_down on:pointermove=on_move
                on:pointerup=on_up on:pointerleave=on_up>
                <svg viewBox=view_box preserveAspectRatio="xMidYMid meet" width="100%" height="100%" role="img"
                    aria-label="Service map" data-testid="map-svg">
                    <defs>
                        {["ok", "error", "throttle", "fault"].map(|class| view! {
                            <marker id=format!("map-arrow-{class}") class=format!("arrow arrow-{class}") viewBox="0 0 10 10"
                                refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                                <path d="M0,0 L10,5 L0,10 z"/>
                            </marker>
                        })}
                    </defs>
                    <g transform=transform data-testid="map-viewport">
                        <g class="map-edges">{edge_views}</g>
                        <g class="map-nodes">{node_views}</g>
                    </g>
                </svg>
            </div>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zooming_keeps_the_point_under_the_pointer() {
        let zoomed = HOME.zoomed(2.0, 100.0, 50.0);
        assert_eq!(zoomed.scale, 2.0);
        // The view point (100, 50) maps to itself: 100 * 2 + x = 100.
        assert!((100.0 * zoomed.scale + zoomed.x - 100.0).abs() < 1e-9);
        assert!((50.0 * zoomed.scale + zoomed.y - 50.0).abs() < 1e-9);
        assert_eq!(HOME.zoomed(1000.0, 0.0, 0.0).scale, MAX_SCALE);
    }

    #[test]
    fn edges_leave_and_reach_the_rings() {
        let (d, _) = edge_path(&[Point { x: 100.0, y: 100.0 }, Point { x: 400.0, y: 100.0 }]).expect("a path");
        assert!(d.starts_with("M133.5,78.0"), "{d}");
        assert!(edge_path(&[]).is_none());
    }
}
