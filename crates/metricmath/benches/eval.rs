//! Evaluation cost of typical expressions over a week of one-minute data: 100 series x 10,080 slots.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use skywatch_metricmath::{Context, Series, Value, evaluate, parse};

const SERIES: usize = 100;
const SLOTS: usize = 10_080;

struct WeekContext {
    grid: Vec<i64>,
    ids: Vec<String>,
    series: Vec<Value>,
}

impl WeekContext {
    fn new() -> Self {
        let grid = (0..SLOTS as i64).map(|i| 1_700_000_000_000 + i * 60_000).collect();
        let ids: Vec<String> = (1..=SERIES).map(|i| format!("m{i}")).collect();
        let series = ids
            .iter()
            .enumerate()
            .map(|(k, id)| {
                // Deterministic, with a gap every 7th slot of every other series.
                let values = (0..SLOTS)
                    .map(|i| (k % 2 == 1 || i % 7 != 0).then(|| ((i * 31 + k * 17) % 1000) as f64 / 10.0))
                    .collect();
                Value::Series(Series::new(id.clone(), Some(id.clone()), values))
            })
            .collect();
        WeekContext { grid, ids, series }
    }
}

impl Context for WeekContext {
    fn grid(&self) -> &[i64] {
        &self.grid
    }

    fn period_seconds(&self) -> u32 {
        60
    }

    fn query(&self, id: &str) -> Option<&Value> {
        let index = self.ids.iter().position(|i| i == id)?;
        self.series.get(index)
    }

    fn metric_ids(&self) -> Vec<String> {
        self.ids.clone()
    }

    fn search(&self, _query: &str, _statistic: &str, _period_seconds: u32) -> Result<&[Series], String> {
        Ok(&[])
    }
}

fn eval(c: &mut Criterion) {
    let ctx = WeekContext::new();
    let mut group = c.benchmark_group("metricmath_100x10080");
    group.sample_size(20);
    for text in [
        "SUM(METRICS()) / 100 + FILL(m1, LINEAR)",
        // The cost of fetching the 100 series from the context alone (a copy of each).
        "METRICS()",
        "AVG(METRICS())",
        "FILL(METRICS(), REPEAT)",
        "SORT(METRICS(), AVG, DESC, 10)",
        "IF(m1 > 50, m2, m3) * RATE(m4)",
        "ANOMALY_DETECTION_BAND(m1, 2)",
    ] {
        let expr = parse(text).expect("benchmark expressions parse");
        group.bench_function(text, |b| b.iter(|| black_box(evaluate(black_box(&expr), &ctx))));
    }
    group.bench_function("parse SUM(METRICS()) / 100 + FILL(m1, LINEAR)", |b| {
        b.iter(|| black_box(parse(black_box("SUM(METRICS()) / 100 + FILL(m1, LINEAR)"))))
    });
    group.finish();
}

criterion_group!(benches, eval);
criterion_main!(benches);
