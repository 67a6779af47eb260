//! Sketch and summary speed: adds (one repeated value, a few alternating values, spread-out values), merges,
//! quantiles, a trimmed mean, and summary encode/decode.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use skywatch_tsdb::sketch::Sketch;
use skywatch_tsdb::statistic::Statistic;
use skywatch_tsdb::summary::Summary;

const ADDS: usize = 10_000;

/// Log-uniform latencies from 0.1 to 10,000, by a xorshift generator (no dependency, same every run).
fn spread(count: usize) -> Vec<f64> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    (0..count)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let unit = (state >> 11) as f64 / (1u64 << 53) as f64;
            10f64.powf(unit * 5.0 - 1.0)
        })
        .collect()
}

fn sketch_of(values: &[f64]) -> Sketch {
    let mut sketch = Sketch::new();
    for &v in values {
        sketch.add(v, 1.0);
    }
    sketch
}

fn adds(c: &mut Criterion) {
    let mut group = c.benchmark_group("sketch_add");
    group.throughput(Throughput::Elements(ADDS as u64));
    let repeated = vec![42.0; ADDS];
    let alternating: Vec<f64> = (0..ADDS).map(|i| [12.0, 15.5, 230.0, 7.25][i % 4]).collect();
    let spread_values = spread(ADDS);
    for (name, values) in [("repeated", &repeated), ("four_values", &alternating), ("spread", &spread_values)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut sketch = Sketch::new();
                for &v in values.iter() {
                    sketch.add(v, 1.0);
                }
                black_box(sketch)
            })
        });
    }
    // Repeated values into a sketch that is already a histogram.
    let histogram = sketch_of(&spread(1000));
    group.bench_function("repeated_into_histogram", |b| {
        b.iter_batched_ref(
            || histogram.clone(),
            |sketch| {
                for &v in repeated.iter() {
                    sketch.add(v, 1.0);
                }
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn merges(c: &mut Criterion) {
    let mut group = c.benchmark_group("sketch_merge");
    let a = sketch_of(&spread(5000));
    let b = sketch_of(&spread(7000)[2000..]);
    group.bench_function("histogram_into_histogram", |bench| {
        bench.iter_batched_ref(|| a.clone(), |s| s.merge(black_box(&b)), BatchSize::SmallInput)
    });
    let one = Summary::from_value(17.0);
    group.bench_function("one_value_summary_into_summary", |bench| {
        let whole = Summary::from_values_counts(&spread(5000), &[]);
        bench.iter_batched_ref(|| whole.clone(), |s| s.merge(black_box(&one)), BatchSize::SmallInput)
    });
    group.finish();
}

fn queries(c: &mut Criterion) {
    let mut group = c.benchmark_group("sketch_query");
    let summary = Summary::from_values_counts(&spread(10_000), &[]);
    let sketch = summary.sketch().cloned().unwrap_or_default();
    group.bench_function("quantile_p99", |b| b.iter(|| black_box(&sketch).quantile(black_box(0.99))));
    let trimmed: Statistic = "TM(10%:90%)".parse().unwrap_or(Statistic::Average);
    group.bench_function("tm_10_90", |b| b.iter(|| trimmed.evaluate(black_box(&summary))));
    group.finish();
}

fn codec(c: &mut Criterion) {
    let mut group = c.benchmark_group("summary_codec");
    let cases = [
        ("one_value", Summary::from_value(123.456)),
        ("exact_20_values", Summary::from_values_counts(&spread(20), &[])),
        // A five-minute roll-up of a one-minute series with two decimals.
        ("five_decimals", Summary::from_values_counts(&[47.23, 47.91, 46.02, 48.5, 47.36], &[])),
        ("histogram_10k_values", Summary::from_values_counts(&spread(10_000), &[])),
    ];
    for (name, summary) in &cases {
        let mut bytes = Vec::new();
        summary.encode(&mut bytes);
        println!("{name}: {} bytes encoded", bytes.len());
        group.bench_function(format!("encode_{name}"), |b| {
            let mut out = Vec::with_capacity(bytes.len());
            b.iter(|| {
                out.clear();
                summary.encode(&mut out);
                black_box(out.len())
            })
        });
        group.bench_function(format!("decode_{name}"), |b| b.iter(|| Summary::decode(black_box(&bytes))));
    }
    group.finish();
}

criterion_group!(benches, adds, merges, queries, codec);
criterion_main!(benches);
