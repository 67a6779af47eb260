//! Series data prepared for drawing: sorted finite points, split into runs at gaps (a missing period), and
//! cumulative sums for stacked charts.

use std::collections::HashMap;

use super::ChartSeries;

/// A gap is a step longer than this many typical steps.
const GAP_FACTOR: f64 = 1.5;

/// The finite points of a series in time order (the last value wins for a repeated time).
pub(crate) fn clean_points(series: &ChartSeries) -> Vec<(i64, f64)> {
    let mut points: Vec<(i64, f64)> = series.points.iter().copied().filter(|(_, value)| value.is_finite()).collect();
    points.sort_by_key(|(time, _)| *time);
    let mut deduplicated: Vec<(i64, f64)> = Vec::with_capacity(points.len());
    for point in points {
        match deduplicated.last_mut() {
            Some(last) if last.0 == point.0 => *last = point,
            _ => deduplicated.push(point),
        }
    }
    deduplicated
}

/// The typical spacing of sorted points: the (lower) median step, if there are at least two points.
pub(crate) fn typical_step(points: &[(i64, f64)]) -> Option<i64> {
    let mut steps: Vec<i64> = points.windows(2).map(|pair| pair[1].0 - pair[0].0).filter(|step| *step > 0).collect();
    if steps.is_empty() {
        return None;
    }
    steps.sort_unstable();
    Some(steps[(steps.len() - 1) / 2])
}

/// Splits sorted points into runs wherever consecutive points are more than 1.5 typical steps apart.
pub(crate) fn split_at_gaps<T: Copy>(points: &[(i64, T)], step: Option<i64>) -> Vec<Vec<(i64, T)>> {
    let mut runs: Vec<Vec<(i64, T)>> = Vec::new();
    let limit = step.map(|step| step as f64 * GAP_FACTOR);
    for point in points {
        let new_run = match (runs.last().and_then(|run| run.last()), limit) {
            (Some(last), Some(limit)) => (point.0 - last.0) as f64 > limit,
            (Some(_), None) => false,
            (None, _) => true,
        };
        if new_run {
            runs.push(vec![*point]);
        } else if let Some(run) = runs.last_mut() {
            run.push(*point);
        }
    }
    runs
}

/// A stacked series: each point's bottom and top.
pub(crate) type StackedPoint = (i64, (f64, f64));

/// Stacks series in order: each point sits on the running total of the series before it at the same time.
pub(crate) fn stack(series: &[Vec<(i64, f64)>]) -> Vec<Vec<StackedPoint>> {
    let mut totals: HashMap<i64, f64> = HashMap::new();
    series
        .iter()
        .map(|points| {
            points
                .iter()
                .map(|(time, value)| {
                    let total = totals.entry(*time).or_insert(0.0);
                    let bottom = *total;
                    *total += value;
                    (*time, (bottom, *total))
                })
                .collect()
        })
        .collect()
}
