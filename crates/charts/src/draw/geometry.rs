//! Plane geometry in chart pixels: rectangles and clipping of lines and polygons to the plot area.

/// A pixel point.
pub(crate) type Point = (f64, f64);

/// An axis-aligned rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Rect {
    pub(crate) fn width(&self) -> f64 {
        self.right - self.left
    }

    pub(crate) fn height(&self) -> f64 {
        self.bottom - self.top
    }

    pub(crate) fn center_x(&self) -> f64 {
        (self.left + self.right) / 2.0
    }

    pub(crate) fn center_y(&self) -> f64 {
        (self.top + self.bottom) / 2.0
    }
}

/// Clips one segment to `rect` (Liang–Barsky); `None` when it lies outside.
fn clip_segment(a: Point, b: Point, rect: &Rect) -> Option<(Point, Point)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    let checks = [(-dx, a.0 - rect.left), (dx, rect.right - a.0), (-dy, a.1 - rect.top), (dy, rect.bottom - a.1)];
    for (p, q) in checks {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return None;
            }
        }
    }
    Some(((a.0 + t0 * dx, a.1 + t0 * dy), (a.0 + t1 * dx, a.1 + t1 * dy)))
}

fn same(a: Point, b: Point) -> bool {
    (a.0 - b.0).abs() < 1e-6 && (a.1 - b.1).abs() < 1e-6
}

/// Clips a polyline to `rect`, splitting it where it leaves and re-enters.
pub(crate) fn clip_polyline(points: &[Point], rect: &Rect) -> Vec<Vec<Point>> {
    let mut out: Vec<Vec<Point>> = Vec::new();
    if points.len() == 1 {
        let p = points[0];
        if p.0 >= rect.left && p.0 <= rect.right && p.1 >= rect.top && p.1 <= rect.bottom {
            out.push(vec![p]);
        }
        return out;
    }
    let mut current: Vec<Point> = Vec::new();
    for pair in points.windows(2) {
        match clip_segment(pair[0], pair[1], rect) {
            Some((a, b)) => {
                if current.last().is_none_or(|last| !same(*last, a)) {
                    if current.len() > 1 {
                        out.push(std::mem::take(&mut current));
                    }
                    current = vec![a];
                }
                current.push(b);
            }
            None => {
                if current.len() > 1 {
                    out.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() > 1 {
        out.push(current);
    }
    out
}

/// Clips a polygon to `rect` (Sutherland–Hodgman).
pub(crate) fn clip_polygon(points: &[Point], rect: &Rect) -> Vec<Point> {
    type Inside = fn(Point, &Rect) -> bool;
    type Cross = fn(Point, Point, &Rect) -> Point;
    let edges: [(Inside, Cross); 4] = [
        (|p, r| p.0 >= r.left, |a, b, r| (r.left, a.1 + (b.1 - a.1) * (r.left - a.0) / (b.0 - a.0))),
        (|p, r| p.0 <= r.right, |a, b, r| (r.right, a.1 + (b.1 - a.1) * (r.right - a.0) / (b.0 - a.0))),
        (|p, r| p.1 >= r.top, |a, b, r| (a.0 + (b.0 - a.0) * (r.top - a.1) / (b.1 - a.1), r.top)),
        (|p, r| p.1 <= r.bottom, |a, b, r| (a.0 + (b.0 - a.0) * (r.bottom - a.1) / (b.1 - a.1), r.bottom)),
    ];
    let mut polygon = points.to_vec();
    for (inside, cross) in edges {
        let Some(&last) = polygon.last() else { break };
        let mut output = Vec::with_capacity(polygon.len() + 4);
        let mut previous = last;
        for &point in &polygon {
            match (inside(point, rect), inside(previous, rect)) {
                (true, true) => output.push(point),
                (true, false) => {
                    output.push(cross(previous, point, rect));
                    output.push(point);
                }
                (false, true) => output.push(cross(previous, point, rect)),
                (false, false) => {}
            }
            previous = point;
        }
        polygon = output;
    }
    polygon
}

/// `count` equal cells filling `area` in rows, as many columns as fit at `min_width` each (at least one).
pub(crate) fn grid_cells(area: Rect, count: usize, min_width: f64) -> Vec<Rect> {
    let columns = (area.width() / min_width).floor() as usize;
    grid_in_columns(area, count, columns)
}

/// `count` equal cells filling `area` in rows of `columns` (clamped to `1..=count`).
pub(crate) fn grid_in_columns(area: Rect, count: usize, columns: usize) -> Vec<Rect> {
    let count = count.max(1);
    let columns = columns.clamp(1, count);
    let rows = count.div_ceil(columns);
    let (width, height) = (area.width() / columns as f64, area.height() / rows as f64);
    (0..count)
        .map(|index| {
            let (column, row) = ((index % columns) as f64, (index / columns) as f64);
            Rect {
                left: area.left + column * width,
                top: area.top + row * height,
                right: area.left + (column + 1.0) * width,
                bottom: area.top + (row + 1.0) * height,
            }
        })
        .collect()
}
