//! The plot frame: the plot rectangle, the time range and the y scales, mapping data to chart pixels.

use super::geometry::Rect;
use super::ticks::ValueScale;

pub(crate) struct Frame {
    pub plot: Rect,
    pub start_ms: i64,
    pub end_ms: i64,
    pub left: Option<ValueScale>,
    pub right: Option<ValueScale>,
}

impl Frame {
    /// The x pixel of a time.
    pub(crate) fn x(&self, ms: i64) -> f64 {
        let span = (self.end_ms - self.start_ms).max(1) as f64;
        self.plot.left + (ms - self.start_ms) as f64 / span * self.plot.width()
    }

    /// The scale a right-axis (or left-axis) item is drawn against: its own, else the other one.
    pub(crate) fn scale(&self, right: bool) -> Option<&ValueScale> {
        if right { self.right.as_ref().or(self.left.as_ref()) } else { self.left.as_ref().or(self.right.as_ref()) }
    }

    /// The y pixel of a value on the left or right scale.
    pub(crate) fn y(&self, value: f64, right: bool) -> Option<f64> {
        let scale = self.scale(right)?;
        let span = scale.max - scale.min;
        if !(span.is_finite() && span > 0.0) {
            return None;
        }
        Some(self.plot.bottom - (value - scale.min) / span * self.plot.height())
    }
}

/// The y of a 1-pixel line nearest `y`, centred on a pixel so it stays crisp.
pub(crate) fn crisp(y: f64) -> f64 {
    y.floor() + 0.5
}
