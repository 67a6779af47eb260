//! Circular shapes as polygons: arcs and ring sectors for gauges and pies. Angles are in radians,
//! counter-clockwise from the positive x axis (so `PI` is left, `PI / 2` is up, on screen).

use super::geometry::Point;

/// Chart pixels of arc per straight segment.
const SEGMENT_LENGTH: f64 = 3.0;

/// The point at `angle` on a circle.
pub(crate) fn on_circle(center: Point, radius: f64, angle: f64) -> Point {
    (center.0 + radius * angle.cos(), center.1 - radius * angle.sin())
}

/// Points along an arc from `from` to `to` (either direction), ends included.
pub(crate) fn arc(center: Point, radius: f64, from: f64, to: f64) -> Vec<Point> {
    let length = (to - from).abs() * radius;
    let segments = (length / SEGMENT_LENGTH).ceil().clamp(1.0, 240.0) as usize;
    (0..=segments).map(|i| on_circle(center, radius, from + (to - from) * i as f64 / segments as f64)).collect()
}

/// The outline of the part of a ring between radii `inner` and `outer` from angle `from` to `to`; a pie slice when
/// `inner` is zero.
pub(crate) fn ring_sector(center: Point, inner: f64, outer: f64, from: f64, to: f64) -> Vec<Point> {
    let mut points = arc(center, outer, from, to);
    if inner <= 0.0 {
        points.push(center);
    } else {
        points.extend(arc(center, inner, to, from));
    }
    points
}
