//! Numbers as filter patterns write them and as log events hold them: an optional sign, digits, an optional
//! fraction and an optional exponent (`500`, `-1.5`, `+1000`, `1e-3`, `10E3`). Nothing else reads as a number: not
//! `inf`, `NaN`, `.5`, `5.` or `0x1F`, which `str::parse::<f64>` alone would take (some of them).

/// The value of `text` if all of it is a number in the grammar above.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    if !is_number(text) {
        return None;
    }
    text.parse::<f64>().ok()
}

/// Whether all of `text` is a number in the grammar above.
pub(crate) fn is_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        at += 1;
    }
    let digits = |at: &mut usize| {
        let start = *at;
        while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
            *at += 1;
        }
        *at > start
    };
    if !digits(&mut at) {
        return false;
    }
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        if !digits(&mut at) {
            return false;
        }
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        if !digits(&mut at) {
            return false;
        }
    }
    at == bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grammar() {
        for yes in ["0", "500", "-1", "+1000", "1.5", "-0.25", "1e3", "10e-3", "1E+3", "007"] {
            assert!(is_number(yes), "{yes}");
        }
        for no in ["", "-", "+", ".5", "5.", "1e", "1e+", "inf", "NaN", "0x1F", "1,000", "1 ", " 1", "4*", "1.2.3"] {
            assert!(!is_number(no), "{no}");
        }
        assert_eq!(parse_number("10e-3"), Some(0.01));
        assert_eq!(parse_number("+1000"), Some(1000.0));
    }
}
