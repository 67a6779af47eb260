//! Numbers as EventBridge compares them: by value when the number is exactly a double (its shortest decimal
//! form is the number written), by its text otherwise. So `300`, `300.0` and `3.0e2` are equal, while
//! `9007199254740993` (no double has it) equals only the same text, and no numeric operator takes it.

/// The value of a JSON number's text if a double holds it exactly in EventBridge's sense: the double's shortest
/// decimal representation is numerically the text. `None` for non-finite values and for text carrying more
/// precision than a double.
pub(crate) fn comparable(text: &str) -> Option<f64> {
    let value: f64 = text.parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    let shortest = format!("{value:e}");
    (canonical(&shortest)? == canonical(text)?).then_some(if value == 0.0 { 0.0 } else { value })
}

/// A decimal number's text reduced to its significant digits and the exponent of the first of them, so that two
/// spellings of one number give equal forms (zero, of any sign, is the empty digit string).
fn canonical(text: &str) -> Option<(bool, String, i64)> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (&rest[..at], rest[at + 1..].parse::<i64>().ok()?),
        None => (rest, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty() || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits: String = whole.chars().chain(fraction.chars()).collect();
    let leading = digits.len() - digits.trim_start_matches('0').len();
    let significant = digits.trim_start_matches('0').trim_end_matches('0');
    if significant.is_empty() {
        return Some((false, String::new(), 0));
    }
    // The first significant digit's power of ten.
    let power = whole.len() as i64 - 1 - leading as i64 + exponent;
    Some((negative, significant.to_owned(), power))
}

#[cfg(test)]
mod tests {
    use super::comparable;

    #[test]
    fn spellings_of_one_number_are_one_value() {
        for text in ["300", "300.0", "3.0e2", "3e2", "3E+2", "30000e-2"] {
            assert_eq!(comparable(text), Some(300.0), "{text}");
        }
        assert_eq!(comparable("-0.0"), Some(0.0));
        assert_eq!(comparable("0.1"), Some(0.1));
        assert_eq!(comparable("1e308"), Some(1e308));
        assert_eq!(comparable("5000000000.5"), Some(5_000_000_000.5));
    }

    #[test]
    fn text_with_more_precision_than_a_double_is_not_comparable() {
        for text in ["0.30000000000000001", "9007199254740993", "12345678901234567", "1e309", "1e-400", "x", ""] {
            assert_eq!(comparable(text), None, "{text}");
        }
        assert_eq!(comparable("9007199254740992"), Some(9_007_199_254_740_992.0));
    }
}
