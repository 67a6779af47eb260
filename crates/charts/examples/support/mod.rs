//! Shared by the examples: time constants and deterministic sample series.

use skywatch_charts::draw::ChartSeries;

pub const MINUTE: i64 = 60_000;
pub const HOUR: i64 = 60 * MINUTE;
/// 2024-03-14T00:00:00Z
pub const T0: i64 = 1_710_374_400_000;

/// A deterministic wobbly series.
pub fn wave(start: i64, end: i64, step: i64, base: f64, amplitude: f64, seed: u64) -> Vec<(i64, f64)> {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut points = Vec::new();
    let (mut t, mut i) = (start, 0.0);
    while t <= end {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let noise = ((state >> 33) as f64 / (1u64 << 31) as f64) - 0.5;
        let value = base + amplitude * ((i / 9.0 + seed as f64).sin() + 0.35 * (i / 2.3).cos() + 0.6 * noise);
        points.push((t, value.max(0.0)));
        t += step;
        i += 1.0;
    }
    points
}

pub fn series(label: &str, unit: &str, points: Vec<(i64, f64)>) -> ChartSeries {
    ChartSeries { label: label.into(), unit: Some(unit.into()), points, ..Default::default() }
}
