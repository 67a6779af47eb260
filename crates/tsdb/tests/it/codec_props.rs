//! Properties of the chunk codec: lossless round trips of arbitrary points, snapshots and resumed encoders that
//! match one-shot encoding, no panic on corrupt bytes, and compression budgets per series shape.

use proptest::prelude::*;
use skywatch_tsdb::codec::{ChunkEncoder, CodecError, HEADER_LEN, Point, decode, header};

/// A point with its value as bits, so that NaNs compare.
type Owned = (i64, u64, Option<Vec<u8>>);
/// Raw material for one point: timestamp kind, value kind, random timestamp, random value bits, extra.
type Raw = (u8, u8, i64, u64, Option<Vec<u8>>);

/// Raw material for one point, turned into a point by [`build`] relative to the previous one.
fn raw_point() -> impl Strategy<Value = Raw> {
    (
        any::<u8>(),
        any::<u8>(),
        any::<i64>(),
        any::<u64>(),
        prop::option::weighted(0.1, prop::collection::vec(any::<u8>(), 0..300)),
    )
}

const SPECIALS: [u64; 8] = [
    0,                     // 0.0
    0x8000_0000_0000_0000, // -0.0
    0x7FF8_0000_0000_0000, // NaN
    0x7FF0_0000_0000_0001, // signalling NaN with payload
    0xFFFF_FFFF_FFFF_FFFF, // negative NaN, all payload bits
    0x7FF0_0000_0000_0000, // infinity
    0xFFF0_0000_0000_0000, // -infinity
    1,                     // smallest subnormal
];

fn build(raw: Vec<Raw>) -> Vec<Owned> {
    let (mut ts, mut bits) = (1_700_000_000_000i64, 0u64);
    raw.into_iter()
        .map(|(ts_kind, value_kind, ts_raw, value_raw, extra)| {
            ts = match ts_kind % 8 {
                0..=2 => ts.wrapping_add(60_000),
                3 => ts.wrapping_add(1_000 + ts_raw % 50),
                4 => ts.wrapping_add(ts_raw % 3_600_000), // late or early by up to an hour
                5 => ts_raw % 10_000_000_000_000,         // anywhere within ±300 years of the epoch
                6 => ts_raw,                              // any i64 at all
                _ => ts,                                  // duplicate
            };
            bits = match value_kind % 8 {
                0 | 1 => bits,
                2 => value_raw,
                3 => ((value_raw % 100_000) as f64 / 100.0).to_bits(),
                4 => ((value_raw % 2_000_000) as f64 - 1_000_000.0).to_bits(),
                5 => SPECIALS[value_raw as usize % SPECIALS.len()],
                6 => (f64::from_bits(bits) + (value_raw % 201) as f64 / 1000.0 - 0.1).to_bits(),
                _ => ((value_raw % 1_000_000_000) as f64 / 10f64.powi((value_raw % 16) as i32)).to_bits(),
            };
            (ts, bits, extra)
        })
        .collect()
}

fn encode(points: &[Owned]) -> ChunkEncoder {
    let mut encoder = ChunkEncoder::new();
    for (ts, bits, extra) in points {
        encoder.push(*ts, f64::from_bits(*bits), extra.as_deref());
    }
    encoder
}

fn owned(point: Point<'_>) -> Owned {
    (point.timestamp_ms, point.value.to_bits(), point.extra.map(<[u8]>::to_vec))
}

fn decode_all(bytes: &[u8]) -> Result<Vec<Owned>, CodecError> {
    decode(bytes)?.map(|point| point.map(owned)).collect()
}

fn points() -> impl Strategy<Value = Vec<Owned>> {
    prop::collection::vec(raw_point(), 0..400).prop_map(build)
}

// Cases: proptest's default (256), or `PROPTEST_CASES`.
proptest! {
    #[test]
    fn round_trip_is_lossless(points in points()) {
        let encoder = encode(&points);
        let bytes = encoder.snapshot();
        prop_assert_eq!(bytes.len(), encoder.encoded_len());
        prop_assert_eq!(decode_all(&bytes), Ok(points.clone()));
        let header = header(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(header.count as usize, points.len());
        prop_assert_eq!(encoder.len(), points.len());
        prop_assert_eq!(encoder.min_timestamp(), points.iter().map(|p| p.0).min());
        prop_assert_eq!(encoder.max_timestamp(), points.iter().map(|p| p.0).max());
        if let (Some(min), Some(max)) = (encoder.min_timestamp(), encoder.max_timestamp()) {
            prop_assert_eq!((header.min_timestamp_ms, header.max_timestamp_ms), (min, max));
        }
    }

    #[test]
    fn snapshot_and_resume_then_continue_equal_one_shot(points in points(), split in any::<prop::sample::Index>()) {
        let split = split.index(points.len() + 1);
        let one_shot = encode(&points).snapshot();

        let mut open = encode(&points[..split]);
        let early = open.snapshot();
        prop_assert_eq!(decode_all(&early), Ok(points[..split].to_vec()));
        let mut resumed = ChunkEncoder::from_chunk(&early).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&resumed, &open);
        for (ts, bits, extra) in &points[split..] {
            open.push(*ts, f64::from_bits(*bits), extra.as_deref());
            resumed.push(*ts, f64::from_bits(*bits), extra.as_deref());
        }
        prop_assert_eq!(&open.snapshot(), &one_shot);
        prop_assert_eq!(&resumed.snapshot(), &one_shot);
    }

    #[test]
    fn corrupt_bytes_never_panic(
        points in points(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 0..6),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let mut bytes = encode(&points).snapshot();
        for (at, mask) in flips {
            let at = at.index(bytes.len());
            bytes[at] ^= mask;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        check_hostile(&bytes);
    }

    #[test]
    fn random_streams_under_a_valid_header_never_panic(
        body in prop::collection::vec(any::<u8>(), 1..400),
        count in any::<prop::sample::Index>(),
        pad in 0usize..8,
        range in any::<(i64, i64)>(),
    ) {
        let stream_bits = body.len() * 8 - pad;
        let count = count.index(stream_bits / 2 + 1) as u32;
        let mut bytes = vec![1];
        bytes.extend_from_slice(&count.to_le_bytes());
        bytes.extend_from_slice(&range.0.min(range.1).to_le_bytes());
        bytes.extend_from_slice(&range.0.max(range.1).to_le_bytes());
        bytes.extend_from_slice(&(stream_bits as u32).to_le_bytes());
        bytes.extend_from_slice(&body);
        prop_assert!(header(&bytes).is_ok());
        check_hostile(&bytes);
    }

    #[test]
    fn random_bytes_never_panic(mut bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        if let Some(first) = bytes.first_mut() {
            *first = 1;
        }
        check_hostile(&bytes);
    }
}

/// Decoding, reading the header and resuming give errors or points, never a panic; a resumed encoder takes
/// more points.
fn check_hostile(bytes: &[u8]) {
    let _ = header(bytes);
    if let Ok(iter) = decode(bytes) {
        let count = iter.header().count as usize;
        let mut yielded = 0;
        for point in iter {
            yielded += 1;
            if point.is_err() {
                break;
            }
        }
        assert!(yielded <= count + 1);
        assert!(count <= bytes.len() * 4, "{count} points announced in {} bytes", bytes.len());
    }
    if let Ok(mut encoder) = ChunkEncoder::from_chunk(bytes) {
        encoder.push(0, 1.5, Some(b"x"));
        let again = decode_all(&encoder.snapshot()).map(|points| points.len());
        assert_eq!(again, Ok(encoder.len()));
    }
}

#[test]
fn empty_chunk_round_trips() {
    let encoder = ChunkEncoder::new();
    let bytes = encoder.snapshot();
    assert_eq!(bytes.len(), HEADER_LEN);
    assert_eq!(decode_all(&bytes), Ok(vec![]));
    let header = header(&bytes).expect("header");
    assert_eq!((header.count, header.min_timestamp_ms, header.max_timestamp_ms), (0, i64::MAX, i64::MIN));
    assert_eq!(ChunkEncoder::from_chunk(&bytes), Ok(encoder));
}

#[test]
fn trailing_garbage_is_an_error() {
    let mut bytes = encode(&[(1, 0, None), (2, 1.5f64.to_bits(), Some(vec![7]))]).snapshot();
    bytes.push(0);
    let items: Vec<_> = decode(&bytes).expect("header").collect();
    assert_eq!(items.len(), 3);
    assert!(matches!(items[2], Err(CodecError::Corrupt { point: 2, .. })));
    assert!(ChunkEncoder::from_chunk(&bytes).is_err());
}

/// splitmix64: a small deterministic generator for the series shapes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

type Shape = fn(&mut Rng, usize) -> Vec<(i64, f64, Option<Vec<u8>>)>;

/// Minute-aligned, as agents that collect on interval boundaries write.
const START: i64 = 1_732_000_020_000;

fn regular(n: usize, interval: i64) -> impl Iterator<Item = i64> {
    (0..n as i64).map(move |i| START + i * interval)
}

fn shapes() -> Vec<(&'static str, Shape, Option<f64>)> {
    vec![
        ("constant 60s", |_, n| regular(n, 60_000).map(|ts| (ts, 42.0, None)).collect(), Some(0.5)),
        (
            "zeros and ones 60s",
            |rng, n| regular(n, 60_000).map(|ts| (ts, if rng.unit() < 0.05 { 1.0 } else { 0.0 }, None)).collect(),
            None,
        ),
        (
            "request count 60s, ~1000 ± 5%",
            |rng, n| regular(n, 60_000).map(|ts| (ts, (950.0 + 100.0 * rng.unit()).round(), None)).collect(),
            Some(2.0),
        ),
        (
            "request count 1s, ~20 ± 50%",
            |rng, n| regular(n, 1_000).map(|ts| (ts, (10.0 + 20.0 * rng.unit()).round(), None)).collect(),
            Some(2.0),
        ),
        (
            "cumulative counter 60s, +0..2000",
            |rng, n| {
                let mut total = 123_456_789.0;
                regular(n, 60_000)
                    .map(|ts| {
                        total += (2000.0 * rng.unit()).round();
                        (ts, total, None)
                    })
                    .collect()
            },
            Some(2.0),
        ),
        (
            "cpu % 2 decimals, random walk",
            |rng, n| {
                let mut cpu: f64 = 40.0;
                regular(n, 60_000)
                    .map(|ts| {
                        cpu = (cpu + 4.0 * rng.unit() - 2.0).clamp(0.0, 100.0);
                        (ts, (cpu * 100.0).round() / 100.0, None)
                    })
                    .collect()
            },
            None,
        ),
        (
            "cpu % 2 decimals, jitter truncated to s",
            |rng, n| {
                let mut cpu: f64 = 40.0;
                regular(n, 60_000)
                    .map(|ts| {
                        cpu = (cpu + 4.0 * rng.unit() - 2.0).clamp(0.0, 100.0);
                        let jittered = ts + (rng.unit() * 1500.0) as i64;
                        (jittered / 1000 * 1000, (cpu * 100.0).round() / 100.0, None)
                    })
                    .collect()
            },
            None,
        ),
        (
            "latency ms 3 decimals, 1s ± 20ms jitter",
            |rng, n| {
                regular(n, 1_000)
                    .map(|ts| {
                        let jitter = (rng.unit() * 40.0) as i64 - 20;
                        (ts + jitter, (120_000.0 + 20_000.0 * rng.unit()).round() / 1000.0, None)
                    })
                    .collect()
            },
            None,
        ),
        (
            "full-precision floats (gauge)",
            |rng, n| {
                let mut gauge = 0.5;
                regular(n, 60_000)
                    .map(|ts| {
                        gauge += rng.unit() * 0.01 - 0.005;
                        (ts, gauge, None)
                    })
                    .collect()
            },
            None,
        ),
        (
            "integers, 2% late points (≤ 10 min)",
            |rng, n| {
                regular(n, 60_000)
                    .map(|ts| {
                        let ts = if rng.unit() < 0.02 { ts - (rng.unit() * 600_000.0) as i64 } else { ts };
                        (ts, (950.0 + 100.0 * rng.unit()).round(), None)
                    })
                    .collect()
            },
            None,
        ),
        (
            "integers, 2% with a 40-byte extra",
            |rng, n| {
                regular(n, 60_000)
                    .map(|ts| {
                        let extra = (rng.unit() < 0.02).then(|| vec![0xAB; 40]);
                        (ts, (950.0 + 100.0 * rng.unit()).round(), extra)
                    })
                    .collect()
            },
            None,
        ),
    ]
}

/// Bytes per point of each shape at chunk sizes of 120 and 1,000 points (run with `--nocapture` for the
/// table), asserting the budget where one is set.
#[test]
fn compression_budgets_per_shape() {
    println!("{:<44} {:>10} {:>10}", "shape", "B/pt @120", "B/pt @1000");
    for (name, shape, budget) in shapes() {
        let mut per_size = Vec::new();
        for n in [120, 1000] {
            let points = shape(&mut Rng(7), n);
            let mut encoder = ChunkEncoder::new();
            for (ts, value, extra) in &points {
                encoder.push(*ts, *value, extra.as_deref());
            }
            let bytes = encoder.snapshot();
            let decoded = decode_all(&bytes).expect("decodes");
            assert_eq!(decoded.len(), n);
            per_size.push(bytes.len() as f64 / n as f64);
        }
        println!("{name:<44} {:>10.3} {:>10.3}", per_size[0], per_size[1]);
        if let Some(budget) = budget {
            assert!(per_size[1] <= budget, "{name}: {:.3} bytes/point over the budget of {budget}", per_size[1]);
        }
    }
}
