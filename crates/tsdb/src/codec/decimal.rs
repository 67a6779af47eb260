//! Exact decimals: whether an `f64` is `k / 10^scale` for an integer `k`, bit for bit through the division the
//! decoder does, and the helpers decimal mode computes with.

/// Exact powers of ten for scales `0..=15`.
const POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
pub(crate) const MAX_SCALE: u8 = 15;

#[inline(always)]
pub(crate) fn pow10(scale: u8) -> f64 {
    POW10[(scale & MAX_SCALE) as usize]
}

/// `k` such that `k / 10^scale` is exactly `value`, if there is one.
#[inline(always)]
pub(crate) fn decimal_at(value: f64, bits: u64, scale: u8) -> Option<i64> {
    let k = round(value * pow10(scale));
    ((k as f64 / pow10(scale)).to_bits() == bits).then_some(k)
}

/// Nearest integer (wrapping past the `i64` range, NaN gives 0) without a libm call.
#[inline(always)]
pub(crate) fn round(x: f64) -> i64 {
    let truncated = x as i64;
    let fraction = x - truncated as f64;
    truncated.wrapping_add(i64::from(fraction >= 0.5)).wrapping_sub(i64::from(fraction <= -0.5))
}

/// The smallest scale from `from` on at which `value` is an exact decimal, with its `k`.
pub(crate) fn find_decimal(value: f64, bits: u64, from: u8) -> Option<(u8, i64)> {
    for scale in from..=MAX_SCALE {
        let scaled = value * pow10(scale);
        // Larger scales only grow it; NaN and infinities end here too.
        if scaled.is_nan() || scaled.abs() >= 9.2e18 {
            return None;
        }
        let k = round(scaled);
        // Exact decimals land within a few ulps of an integer; skip the division for the rest.
        if (scaled - k as f64).abs() <= scaled.abs() * 1e-14 && (k as f64 / pow10(scale)).to_bits() == bits {
            return Some((scale, k));
        }
    }
    None
}

/// The `k` a decimal escape's change is relative to: the previous value at the new scale, truncated.
#[inline(always)]
pub(crate) fn predict(prev_bits: u64, scale: u8) -> i64 {
    (f64::from_bits(prev_bits) * pow10(scale)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_helper_matches_round_where_it_matters() {
        for x in [0.0, 0.4999, 0.5, 1.5, -0.5, -1.5, 2.6, -2.6, 4_503_599_627_370_497.0, f64::NAN, -3e15] {
            let expected = if x.is_nan() { 0 } else { x.round() as i64 };
            assert_eq!(round(x), expected, "{x}");
        }
    }

    #[test]
    fn finds_the_smallest_scale() {
        for (value, expected) in [(43.27, Some((2, 4327))), (1e3, Some((0, 1000))), (-0.5, Some((1, -5)))] {
            assert_eq!(find_decimal(value, f64::to_bits(value), 0), expected, "{value}");
        }
        for value in [-0.0, f64::NAN, f64::INFINITY, 0.1 + 0.2, 1e300, 1.0 / 3.0] {
            assert_eq!(find_decimal(value, f64::to_bits(value), 0), None, "{value}");
        }
        assert_eq!(decimal_at(43.27, 43.27f64.to_bits(), 3), Some(43270));
        // Shortest representations of up to 16 digits are decimals too.
        let pi = std::f64::consts::PI;
        assert_eq!(find_decimal(pi, pi.to_bits(), 0), Some((15, 3_141_592_653_589_793)));
    }
}
