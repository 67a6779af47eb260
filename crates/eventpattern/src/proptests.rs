//! Properties: a pattern made of an event's own leaves matches it, the parser refuses without panicking, and the
//! case-insensitive and wildcard matchers accept what they were built from.

use proptest::prelude::*;

use crate::case::{Anchor, equal_ignoring_case};
use crate::wildcard::Wildcard;
use crate::{Event, parse};

/// A JSON scalar's text: a string, a number, a boolean or null.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ._:/-]{0,12}".prop_map(|s| format!("{s:?}")),
        (-1_000_000i64..1_000_000, 0u32..3).prop_map(|(n, d)| match d {
            0 => n.to_string(),
            1 => format!("{}.5", n),
            _ => format!("{n}e1"),
        }),
        any::<bool>().prop_map(|b| b.to_string()),
        Just("null".to_owned()),
    ]
}

/// An event: keys k0..k5, each a scalar, a list of scalars or an object of scalars.
fn event() -> impl Strategy<Value = Vec<(String, Vec<String>, bool)>> {
    prop::collection::vec((scalar(), prop::collection::vec(scalar(), 1..4), any::<bool>()), 1..6).prop_map(|fields| {
        fields
            .into_iter()
            .enumerate()
            .map(|(i, (one, many, nested))| (format!("k{i}"), if nested { vec![one] } else { many }, nested))
            .collect()
    })
}

fn event_text(fields: &[(String, Vec<String>, bool)]) -> String {
    let members: Vec<String> = fields
        .iter()
        .map(|(key, values, nested)| {
            if *nested {
                format!("{key:?}: {{\"inner\": {}}}", values[0])
            } else {
                format!("{key:?}: [{}]", values.join(", "))
            }
        })
        .collect();
    format!("{{{}}}", members.join(", "))
}

/// A match value that must accept `value` (a scalar's JSON text).
fn accepting(value: &str, choice: u8) -> String {
    let is_string = value.starts_with('"');
    let number: Option<f64> = value.parse().ok();
    match (choice % 5, is_string, number) {
        (1, true, _) if value.len() > 2 => {
            format!(r#"{{"prefix": {:?}}}"#, &value[1..value.len() - 1][..1.min(value.len() - 2)])
        }
        (2, true, _) => format!(r#"{{"equals-ignore-case": {}}}"#, value.to_uppercase()),
        (3, _, Some(n)) => format!(r#"{{"numeric": [">=", {n}, "<", {}]}}"#, n + 1.0),
        (4, _, _) => r#"{"exists": true}"#.to_owned(),
        _ => value.to_owned(),
    }
}

proptest! {
    #[test]
    fn a_pattern_of_an_events_own_leaves_matches_it(fields in event(), choices in prop::collection::vec(any::<u8>(), 6)) {
        let text = event_text(&fields);
        let event = Event::parse(&text).unwrap();
        let members: Vec<String> = fields
            .iter()
            .zip(&choices)
            .map(|((key, values, nested), choice)| {
                let value = accepting(&values[0], *choice);
                if *nested { format!("{key:?}: {{\"inner\": [{value}]}}") } else { format!("{key:?}: [{value}]") }
            })
            .collect();
        let pattern_text = format!("{{{}}}", members.join(", "));
        let pattern = parse(&pattern_text).map_err(|e| TestCaseError::fail(format!("{pattern_text}: {e}")))?;
        prop_assert!(pattern.matches(&event), "{} should match {}", pattern_text, text);
        // A field the event lacks, required to exist, makes it fail; required to be absent, keeps it matching.
        let absent = parse(&format!("{{{}, \"zz\": [{{\"exists\": false}}]}}", members.join(", "))).unwrap();
        prop_assert!(absent.matches(&event));
        let present = parse(&format!("{{{}, \"zz\": [{{\"exists\": true}}]}}", members.join(", "))).unwrap();
        prop_assert!(!present.matches(&event));
    }

    #[test]
    fn the_parser_refuses_anything_without_panicking(text in "\\PC{0,64}") {
        let _ = parse(&text);
        let _ = Event::parse(&text);
    }

    #[test]
    fn the_parser_refuses_pattern_shaped_text_without_panicking(
        parts in prop::collection::vec(prop_oneof![
            Just("{"), Just("}"), Just("["), Just("]"), Just(","), Just(":"), Just("\"a\""), Just("\"$or\""),
            Just("\"numeric\""), Just("\"anything-but\""), Just("\"prefix\""), Just("\">\""), Just("5"), Just("null"),
            Just("\"cidr\""), Just("\"10.0.0.0/8\""), Just("\"wildcard\""), Just("\"*\""), Just("true"),
        ], 0..40)
    ) {
        let _ = parse(&parts.concat());
    }

    #[test]
    fn case_is_ignored_for_any_latin_text(text in "[a-zA-Z0-9à-þ .-]{0,20}", cut in 0usize..20) {
        prop_assert!(equal_ignoring_case(&text, &text.to_uppercase(), Anchor::Whole));
        prop_assert!(equal_ignoring_case(&text.to_uppercase(), &text.to_lowercase(), Anchor::Whole));
        let chars: Vec<char> = text.chars().collect();
        let head: String = chars[..cut.min(chars.len())].iter().collect();
        let tail: String = chars[cut.min(chars.len())..].iter().collect();
        prop_assert!(equal_ignoring_case(&head.to_uppercase(), &text, Anchor::Prefix));
        prop_assert!(equal_ignoring_case(&tail.to_lowercase(), &text, Anchor::Suffix));
    }

    #[test]
    fn a_wildcard_made_from_a_value_matches_it(value in "[a-z*\\\\]{0,16}", stars in prop::collection::vec(any::<bool>(), 16)) {
        // Escape the value, then replace some characters with a star (never two stars in a row).
        let mut pattern = String::new();
        let mut last_star = false;
        for (c, star) in value.chars().zip(stars.iter().chain(std::iter::repeat(&false))) {
            if *star && !last_star {
                pattern.push('*');
                last_star = true;
            } else {
                if c == '*' || c == '\\' {
                    pattern.push('\\');
                }
                pattern.push(c);
                last_star = false;
            }
        }
        let wildcard = Wildcard::parse(&pattern).map_err(TestCaseError::fail)?;
        prop_assert!(wildcard.matches(&value), "{} should match {}", pattern, value);
    }
}
