//! Deterministic wave and noise helpers. Every value is a pure function of a seed, a series key and the clock, so
//! the backfill and the live ticks draw the same curves and a restarted demo carries on where it left off.

use std::f64::consts::TAU;

/// One simulated day lasts this many seconds of wall time, so a chart of the last hours shows several days.
pub const DAY_SECONDS: i64 = 1800;

/// The stretch of time one round of datums describes: from `start` (Unix seconds) for `seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: i64,
    pub seconds: i64,
}

impl Window {
    /// The datums' timestamp: the window's start.
    pub fn timestamp_ms(self) -> i64 {
        self.start.saturating_mul(1000)
    }

    /// How many events a steady rate of `per_second` adds up to over the window.
    pub fn total(self, per_second: f64) -> f64 {
        per_second * self.seconds as f64
    }

    /// Splits `[from, until)` into windows aligned on `step` seconds; the first and last may be shorter.
    pub fn split(from: i64, until: i64, step: i64) -> Vec<Window> {
        let step = step.max(1);
        let mut windows = Vec::new();
        let mut start = from;
        while start < until {
            let end = ((start.div_euclid(step) + 1) * step).min(until);
            windows.push(Window { start, seconds: end - start });
            start = end;
        }
        windows
    }
}

/// A stable key for a name (FNV-1a), so each series gets its own noise, the same on every run.
pub fn key(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// The splitmix64 finaliser: spreads any input over all 64 bits.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Uniform noise in `[0, 1)` for one series at one second.
pub fn uniform(seed: u64, key: u64, t: i64) -> f64 {
    let bits = mix(seed ^ mix(key ^ mix(t as u64)));
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// Bell-shaped noise in `[-1, 1]`, centred on 0: the mean of three uniforms, rescaled.
pub fn centred(seed: u64, key: u64, t: i64) -> f64 {
    let sum: f64 = (0..3u64).map(|i| uniform(seed, key.rotate_left(17 * i as u32) ^ i, t)).sum();
    sum / 1.5 - 1.0
}

/// `value` scaled by a factor within `1 ± spread` (0.1 for ±10 %).
pub fn jitter(value: f64, spread: f64, seed: u64, key: u64, t: i64) -> f64 {
    value * (1.0 + spread * centred(seed, key, t))
}

/// A sine wave between 0 and 1 with the given period in seconds, shifted by `phase` (a fraction of a period).
pub fn wave(t: i64, period: i64, phase: f64) -> f64 {
    let turns = t.rem_euclid(period.max(1)) as f64 / period.max(1) as f64 + phase;
    0.5 - 0.5 * (turns * TAU).cos()
}

/// Traffic between 0.15 (night) and 1.0 (midday peak) at a moment of the compressed day.
pub fn day_curve(t: i64) -> f64 {
    0.15 + 0.85 * wave(t, DAY_SECONDS, 0.0)
}

/// Which occurrence of a recurring event is under way at `t`, if any: it starts every `every` seconds, `offset`
/// seconds into the cycle, and lasts `lasts` seconds.
pub fn occurrence(t: i64, every: i64, offset: i64, lasts: i64) -> Option<i64> {
    let every = every.max(1);
    let shifted = t - offset;
    (shifted.rem_euclid(every) < lasts).then(|| shifted.div_euclid(every))
}

/// A count of events: a whole number, never negative.
pub fn count(x: f64) -> f64 {
    if x.is_finite() { x.round().max(0.0) } else { 0.0 }
}

/// A percentage, within `0..=100`, to two decimals.
pub fn percent(x: f64) -> f64 {
    if x.is_finite() { (x.clamp(0.0, 100.0) * 100.0).round() / 100.0 } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: u64 = 42;

    #[test]
    fn noise_is_deterministic_and_in_range() {
        for t in 0..5_000 {
            let u = uniform(SEED, key("cpu"), t);
            assert!((0.0..1.0).contains(&u), "{u}");
            assert_eq!(u, uniform(SEED, key("cpu"), t));
            let c = centred(SEED, key("cpu"), t);
            assert!((-1.0..=1.0).contains(&c), "{c}");
        }
        assert_ne!(uniform(SEED, key("cpu"), 7), uniform(SEED + 1, key("cpu"), 7));
        assert_ne!(uniform(SEED, key("cpu"), 7), uniform(SEED, key("net"), 7));
    }

    #[test]
    fn noise_is_centred_and_spread_out() {
        let samples: Vec<f64> = (0..10_000).map(|t| centred(SEED, 1, t)).collect();
        let mean = samples.iter().sum::<f64>() / samples.len() as f64;
        assert!(mean.abs() < 0.02, "{mean}");
        assert!(samples.iter().any(|s| *s > 0.6) && samples.iter().any(|s| *s < -0.6));
    }

    #[test]
    fn the_day_curve_has_a_night_and_a_peak() {
        assert!((day_curve(0) - 0.15).abs() < 1e-9);
        assert!((day_curve(DAY_SECONDS / 2) - 1.0).abs() < 1e-9);
        assert!((day_curve(DAY_SECONDS) - 0.15).abs() < 1e-9);
        assert!((0..DAY_SECONDS).map(day_curve).all(|l| (0.15 - 1e-9..=1.0 + 1e-9).contains(&l)));
    }

    #[test]
    fn occurrences_recur_and_end() {
        assert_eq!(occurrence(10, 300, 0, 60), Some(0));
        assert_eq!(occurrence(310, 300, 0, 60), Some(1));
        assert_eq!(occurrence(100, 300, 0, 60), None);
        assert_eq!(occurrence(95, 300, 90, 60), Some(0));
        assert_eq!(occurrence(-250, 300, 0, 60), Some(-1));
    }

    #[test]
    fn counts_and_percentages_stay_in_range() {
        for x in [-5.4, -0.2, 0.0, 0.4, 0.6, 17.5, 1e9, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let c = count(x);
            assert!(c >= 0.0 && c.fract() == 0.0 && c.is_finite(), "{x} -> {c}");
            let p = percent(x);
            assert!((0.0..=100.0).contains(&p), "{x} -> {p}");
        }
        assert_eq!(count(2.5), 3.0);
        assert_eq!(percent(150.0), 100.0);
    }

    #[test]
    fn windows_split_on_step_boundaries() {
        let windows = Window::split(30, 200, 60);
        let spans: Vec<(i64, i64)> = windows.iter().map(|w| (w.start, w.seconds)).collect();
        assert_eq!(spans, [(30, 30), (60, 60), (120, 60), (180, 20)]);
        assert!(Window::split(100, 100, 60).is_empty());
        assert_eq!(Window { start: 5, seconds: 10 }.total(2.5), 25.0);
    }
}
