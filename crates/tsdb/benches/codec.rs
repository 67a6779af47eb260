//! Chunk codec speed: pushing, decoding, snapshotting and resuming 1,000-point chunks of realistic series.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use skywatch_tsdb::codec::{ChunkEncoder, CodecError, decode, header};

const POINTS: usize = 1000;
const START: i64 = 1_732_000_020_000;

/// splitmix64, for deterministic series.
fn rng(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

/// Regular 60 s series of several value shapes.
fn series() -> Vec<(&'static str, Vec<(i64, f64)>)> {
    let mut state = 7;
    let timestamps = (0..POINTS as i64).map(|i| START + i * 60_000);
    let constant = timestamps.clone().map(|ts| (ts, 42.0)).collect();
    let counts = timestamps.clone().map(|ts| (ts, (950.0 + 100.0 * rng(&mut state)).round())).collect();
    let mut cpu: f64 = 40.0;
    let cpu = timestamps
        .clone()
        .map(|ts| {
            cpu = (cpu + 4.0 * rng(&mut state) - 2.0).clamp(0.0, 100.0);
            (ts, (cpu * 100.0).round() / 100.0)
        })
        .collect();
    let mut gauge = 0.5;
    let floats = timestamps
        .map(|ts| {
            gauge += rng(&mut state) * 0.01 - 0.005;
            (ts, gauge)
        })
        .collect();
    vec![("constant", constant), ("integer_counts", counts), ("cpu_2_decimals", cpu), ("full_floats", floats)]
}

fn encode(points: &[(i64, f64)]) -> ChunkEncoder {
    let mut encoder = ChunkEncoder::new();
    for &(ts, value) in points {
        encoder.push(ts, value, None);
    }
    encoder
}

fn codec(c: &mut Criterion) {
    let mut group = c.benchmark_group("codec");
    group.throughput(Throughput::Elements(POINTS as u64));
    for (name, points) in series() {
        group.bench_with_input(BenchmarkId::new("push", name), &points, |b, points| {
            b.iter(|| encode(black_box(points)).len())
        });
        let encoder = encode(&points);
        let bytes = encoder.snapshot();
        // A plain loop with `?`, as the engine's queries read chunks. (Adapters such as `flatten` keep the
        // iterator's state in memory and run several times slower.)
        group.bench_with_input(BenchmarkId::new("decode", name), &bytes, |b, bytes| {
            b.iter(|| -> Result<(f64, i64), CodecError> {
                let mut sum = 0.0;
                let mut last = 0;
                for point in decode(black_box(bytes))? {
                    let point = point?;
                    sum += point.value;
                    last = point.timestamp_ms;
                }
                Ok((sum, last))
            })
        });
        group.bench_with_input(BenchmarkId::new("snapshot", name), &encoder, |b, encoder| {
            b.iter(|| black_box(encoder).snapshot())
        });
        group.bench_with_input(BenchmarkId::new("from_chunk", name), &bytes, |b, bytes| {
            b.iter(|| ChunkEncoder::from_chunk(black_box(bytes)).map(|encoder| encoder.len()))
        });
    }
    group.finish();
    let bytes = encode(&series()[1].1).snapshot();
    c.bench_function("codec/header", |b| b.iter(|| header(black_box(&bytes))));
}

criterion_group!(benches, codec);
criterion_main!(benches);
