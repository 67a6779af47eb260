//! `equals-ignore-case` as EventBridge does it: each character of the pattern accepts itself, its lower case and
//! its upper case (so `ß` accepts `SS`, and a final `ς` is not `Σ`); whole values, prefixes and suffixes.

/// Which part of the value the pattern must cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Whole,
    Prefix,
    Suffix,
}

/// Whether `value` equals `pattern` ignoring case, whole or at the anchor.
pub(crate) fn equal_ignoring_case(pattern: &str, value: &str, anchor: Anchor) -> bool {
    if pattern.is_ascii() && value.is_ascii() {
        let (p, v) = (pattern.as_bytes(), value.as_bytes());
        return match anchor {
            Anchor::Whole => p.eq_ignore_ascii_case(v),
            Anchor::Prefix => v.len() >= p.len() && p.eq_ignore_ascii_case(&v[..p.len()]),
            Anchor::Suffix => v.len() >= p.len() && p.eq_ignore_ascii_case(&v[v.len() - p.len()..]),
        };
    }
    // Each pattern character's spellings, then a walk over the value's characters keeping every position the
    // pattern so far can end at (a spelling may be longer than one character).
    let reversed = anchor == Anchor::Suffix;
    let mut value: Vec<char> = value.chars().collect();
    let mut spellings: Vec<Vec<Vec<char>>> = pattern
        .chars()
        .map(|c| {
            let mut forms = vec![vec![c], c.to_lowercase().collect(), c.to_uppercase().collect()];
            forms.dedup();
            if reversed {
                forms.iter_mut().for_each(|f| f.reverse());
            }
            forms
        })
        .collect();
    if reversed {
        value.reverse();
        spellings.reverse();
    }
    // The positions in the value the pattern so far can end at: few (a spelling is one or two characters), so
    // the walk costs the pattern's length times a handful, whatever the value's length.
    let mut ends = vec![0usize];
    for forms in &spellings {
        let mut next: Vec<usize> = Vec::with_capacity(ends.len() + 1);
        for &start in &ends {
            for form in forms {
                if value[start..].starts_with(form) && !next.contains(&(start + form.len())) {
                    next.push(start + form.len());
                }
            }
        }
        if next.is_empty() {
            return false;
        }
        ends = next;
    }
    match anchor {
        Anchor::Whole => ends.contains(&value.len()),
        Anchor::Prefix | Anchor::Suffix => true,
    }
}

#[cfg(test)]
mod tests {
    use super::{Anchor, equal_ignoring_case};

    #[test]
    fn case_is_ignored_character_by_character() {
        assert!(equal_ignoring_case("ec2 instance", "EC2 Instance", Anchor::Whole));
        assert!(equal_ignoring_case("EventB", "EvEnTbridge", Anchor::Prefix));
        assert!(equal_ignoring_case(".png", "image.PNG", Anchor::Suffix));
        assert!(!equal_ignoring_case(".png", "PNG", Anchor::Suffix));
        assert!(equal_ignoring_case("ÄBC", "äbc", Anchor::Whole));
        assert!(equal_ignoring_case("straße", "STRASSE", Anchor::Whole));
        assert!(!equal_ignoring_case("ΣΑΣ", "σας", Anchor::Whole));
        assert!(equal_ignoring_case("é", "Étude", Anchor::Prefix) && !equal_ignoring_case("é", "tude", Anchor::Prefix));
        assert!(equal_ignoring_case("", "", Anchor::Whole) && !equal_ignoring_case("", "x", Anchor::Whole));
    }
}
