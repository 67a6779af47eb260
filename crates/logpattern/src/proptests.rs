//! Property tests: any text parses or is refused without panicking, and what parses prints to text that parses
//! back to the same pattern; generated patterns of every form parse and round-trip; matching never panics and
//! agrees with evaluation; term and field-count semantics hold against plain references; the length and depth
//! bounds hold.

use proptest::prelude::*;
use serde_json::json;

use crate::fields::Fields;
use crate::{FilterPattern, MAX_DEPTH, MAX_LENGTH, PatternError, parse, parse_unbounded};

/// `text` in double quotes, escaped as the grammar reads it.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Text drawn mostly from the characters the grammar cares about, so that random text reaches deep into it.
fn pattern_like() -> impl Strategy<Value = String> {
    let alphabet = prop::sample::select(
        "{}[]()$.,=!<>&|\"%*?-_ '\\:/abcXYZ019eE+ISNOTRUEFALSXtrueisnot..."
            .chars()
            .chain(['\t', '\u{e9}', '\u{1F600}'])
            .collect::<Vec<_>>(),
    );
    prop_oneof![
        prop::collection::vec(alphabet, 0..60).prop_map(|chars| chars.into_iter().collect()),
        // The same, behind each form's opening character, and closed.
        (prop::sample::select(vec![("{ ", " }"), ("[", "]"), ("%", "%")]), "[ -~]{0,40}")
            .prop_map(|((open, close), body)| format!("{open}{body}{close}")),
        ".{0,80}",
    ]
}

fn word() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_]{1,8}"
}

fn term() -> impl Strategy<Value = String> {
    let body = prop_oneof![3 => word(), 1 => ".{0,10}".prop_map(|text| quote(&text))];
    (prop::sample::select(vec!["", "?", "-"]), body).prop_map(|(prefix, body)| format!("{prefix}{body}"))
}

fn terms_pattern() -> impl Strategy<Value = String> {
    prop::collection::vec(term(), 0..6).prop_map(|terms| terms.join(" "))
}

const REGEXES: [&str; 8] = [
    "AUTHORIZED",
    r"\d{1,3}\.\d{1,3}",
    "[Ee]rror|[Ff]ail",
    "^start|end$",
    "a{2,}b?c*",
    r"\x3A\s\S\w\W\D",
    "[^a-z]+ x",
    "colou?r=@/;,-#",
];

fn number() -> impl Strategy<Value = String> {
    "[+-]?[0-9]{1,4}(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?"
}

/// A value after `=` or `!=` (no regular expression: those are counted against a quota).
fn equality_value() -> impl Strategy<Value = String> {
    prop_oneof![
        number(),
        "[A-Za-z_][A-Za-z0-9_.*+-]{0,6}",
        "[0-9]{1,3}\\*",
        ".{0,8}".prop_map(|text| quote(&text)),
        Just("*".to_owned()),
    ]
}

fn comparison() -> impl Strategy<Value = String> {
    prop_oneof![
        (prop::sample::select(vec!["=", "!="]), equality_value()).prop_map(|(op, value)| format!("{op} {value}")),
        (prop::sample::select(vec!["<", "<=", ">", ">="]), number()).prop_map(|(op, value)| format!("{op}{value}")),
    ]
}

fn json_path() -> impl Strategy<Value = String> {
    let step = prop_oneof![
        "[A-Za-z0-9_-]{1,6}".prop_map(|key| format!(".{key}")),
        (0usize..5).prop_map(|index| format!("[{index}]")),
        "[a-z .]{0,6}".prop_map(|key| format!(".['{key}']")),
    ];
    ("[A-Za-z_][A-Za-z0-9_-]{0,6}", prop::collection::vec(step, 0..3))
        .prop_map(|(first, steps)| format!("$.{first}{}", steps.concat()))
}

fn json_condition() -> impl Strategy<Value = String> {
    let test = prop_oneof![
        4 => comparison(),
        1 => prop::sample::select(vec!["IS TRUE", "IS FALSE", "IS NULL", "NOT EXISTS", "is null"])
            .prop_map(str::to_owned),
    ];
    (json_path(), test).prop_map(|(path, test)| format!("{path} {test}"))
}

/// `&&`, `||` and parentheses over conditions, a few levels deep.
fn expression(condition: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    condition.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|items| items.join(" && ")),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|items| items.join("||")),
            inner.prop_map(|item| format!("({item})")),
        ]
    })
}

fn json_pattern() -> impl Strategy<Value = String> {
    let regex = prop::sample::select(REGEXES.to_vec());
    (expression(json_condition().boxed()), prop::option::of((json_path(), regex)), any::<bool>()).prop_map(
        |(expr, regex, spaced)| {
            let expr = match regex {
                Some((path, regex)) => format!("{expr} && {path} != %{regex}%"),
                None => expr,
            };
            if spaced { format!("{{ {expr} }}") } else { format!("{{{expr}}}") }
        },
    )
}

fn delimited_field() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z_][a-z0-9_]{0,6}",
        1 => Just(String::new()),
        3 => ("[a-z_][a-z0-9_]{0,6}", 1usize..4).prop_flat_map(|(name, _)| {
            let condition = comparison().prop_map({
                let name = name.clone();
                move |comparison| format!("{name} {comparison}")
            });
            expression(condition.boxed())
        }),
        1 => ("[a-z]{1,4}", prop::sample::select(REGEXES.to_vec()))
            .prop_map(|(name, regex)| format!("{name}=%{regex}%")),
    ]
}

fn delimited_pattern() -> impl Strategy<Value = String> {
    (prop::collection::vec(delimited_field(), 0..7), prop::option::of(0usize..7)).prop_map(|(mut fields, ellipsis)| {
        // At most two regular expressions (the quota): drop fields with more.
        let mut regexes = 0;
        fields.retain(|field| {
            regexes += field.matches('%').count() / 2;
            regexes <= 2
        });
        if let Some(at) = ellipsis {
            fields.insert(at.min(fields.len()), "...".to_owned());
        }
        if fields.len() == 1 && fields[0].is_empty() {
            fields[0] = "x".to_owned();
        }
        format!("[{}]", fields.join(", "))
    })
}

fn valid_pattern() -> impl Strategy<Value = String> {
    prop_oneof![
        terms_pattern(),
        prop::sample::select(REGEXES.to_vec()).prop_map(|regex| format!("%{regex}%")),
        json_pattern(),
        delimited_pattern(),
    ]
}

/// Messages of every shape: JSON events, access-log lines, arbitrary text.
fn message() -> impl Strategy<Value = String> {
    let scalar = prop_oneof![
        any::<i32>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| json!(f)),
        "[ -~]{0,8}".prop_map(|s| json!(s)),
        any::<bool>().prop_map(|b| json!(b)),
        Just(json!(null)),
    ];
    let value = scalar.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map("[a-z_-]{1,4}", inner, 0..4)
                .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
        ]
    });
    prop_oneof![
        prop::collection::btree_map("[a-zA-Z_-]{1,5}", value, 0..6)
            .prop_map(|map| serde_json::Value::Object(map.into_iter().collect()).to_string()),
        (word(), "[0-9]{1,3}", "[a-z/.]{1,10}", 100u16..600, 0u32..100_000).prop_map(
            |(user, ip, path, status, bytes)| {
                format!("10.0.0.{ip} - {user} [10/Oct/2000:13:25:15 -0700] \"GET /{path} HTTP/1.0\" {status} {bytes}")
            }
        ),
        "[ -~]{0,60}",
        ".{0,60}",
    ]
}

/// A JSON pattern over the properties a, b, c (nested, indexed, wildcarded) and an event over the same ones, so
/// that selectors find values of every type.
fn small_json_case() -> impl Strategy<Value = (String, String)> {
    let step = prop::sample::select(vec![".a", ".b", ".c", "[0]", "[1]", "[2]", "[*]", ".*"]);
    let path = (prop::sample::select(vec!["$.a", "$.b", "$.c", "$.*"]), prop::collection::vec(step, 0..3))
        .prop_map(|(first, steps)| format!("{first}{}", steps.concat()))
        .prop_filter("one wildcard per selector", |path| path.matches('*').count() <= 1);
    let test = prop_oneof![
        comparison(),
        prop::sample::select(vec!["IS TRUE", "IS FALSE", "IS NULL", "NOT EXISTS", "= %x%", "!= %^1%"])
            .prop_map(str::to_owned),
    ];
    let condition = (path, test).prop_map(|(path, test)| format!("{path} {test}"));
    let pattern = prop::collection::vec(condition, 1..4)
        .prop_map(|conditions| conditions.join(" || "))
        .prop_filter("within the quotas", |expr| expr.matches('%').count() <= 4 && expr.matches("*").count() <= 3)
        .prop_map(|expr| format!("{{ {expr} }}"));
    let scalar = prop_oneof![
        (-3i32..3).prop_map(|n| json!(n)),
        Just(json!(1.5)),
        prop::sample::select(vec!["x", "1", "ax", ""]).prop_map(|s| json!(s)),
        any::<bool>().prop_map(|b| json!(b)),
        Just(json!(null)),
    ];
    let value = scalar.prop_recursive(3, 20, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(prop::sample::select(vec!["a", "b", "c", "d"]), inner, 0..4)
                .prop_map(|map| serde_json::Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    });
    let event =
        prop::collection::btree_map(prop::sample::select(vec!["a", "b", "c", "d"]), value, 0..4).prop_map(|map| {
            serde_json::Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()).to_string()
        });
    (pattern, event)
}

fn round_trips(pattern: &FilterPattern) -> Result<(), TestCaseError> {
    let printed = pattern.to_string();
    let reparsed = parse_unbounded(&printed);
    prop_assert_eq!(reparsed.as_ref(), Ok(pattern), "printed as {:?}", printed);
    if let Ok(reparsed) = reparsed {
        prop_assert_eq!(reparsed.to_string(), printed);
    }
    Ok(())
}

/// A generated pattern with one character replaced, inserted or removed: text near the grammar's edges.
fn mutated_pattern() -> impl Strategy<Value = String> {
    let replacement = prop::sample::select("{}[]()$.,=!<>&|\"%*?- '\\:a1".chars().collect::<Vec<_>>());
    (valid_pattern(), any::<prop::sample::Index>(), replacement, 0u8..3).prop_map(|(text, index, c, edit)| {
        let mut chars: Vec<char> = text.chars().collect();
        if chars.is_empty() {
            return c.to_string();
        }
        let at = index.index(chars.len());
        match edit {
            0 => chars[at] = c,
            1 => chars.insert(at, c),
            _ => {
                chars.remove(at);
            }
        }
        chars.into_iter().collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_parses_or_is_refused(text in prop_oneof![pattern_like(), mutated_pattern()]) {
        if let Ok(pattern) = parse(&text) {
            round_trips(&pattern)?;
            let messages = ["plain ERROR text", r#"{"a": [1, {"b": null}], "c": "x y"}"#, "1.2.3.4 - - [x y] \"z\" 5"];
            for message in messages {
                prop_assert_eq!(pattern.matches(message), pattern.evaluate(message).is_some());
            }
        }
    }

    #[test]
    fn generated_patterns_parse_and_round_trip(text in valid_pattern()) {
        match parse_unbounded(&text) {
            Ok(pattern) => round_trips(&pattern)?,
            Err(error) => prop_assert!(false, "{:?} was refused: {:?} ({})", text, error, error.detail()),
        }
    }

    #[test]
    fn matching_never_panics_and_agrees_with_evaluation(text in valid_pattern(), message in message()) {
        let Ok(pattern) = parse_unbounded(&text) else { return Ok(()) };
        let extracted = pattern.evaluate(&message);
        prop_assert_eq!(pattern.matches(&message), extracted.is_some());
        if let Some(extracted) = extracted {
            let values = extracted.values();
            if let FilterPattern::Delimited(_) = pattern {
                // Every field of the event is extracted, by name or position (names may repeat).
                prop_assert!(values.len() <= Fields::new(&message).count());
                prop_assert_eq!(extracted.fields().len(), Fields::new(&message).count());
            }
        }
        if pattern.matches_everything() {
            prop_assert!(pattern.matches(&message));
        }
    }

    #[test]
    fn matching_reads_what_evaluation_reads((text, event) in small_json_case()) {
        let pattern = parse(&text);
        prop_assert!(pattern.is_ok(), "{:?}: {:?}", text, pattern);
        if let Ok(pattern) = pattern {
            // matches() parses the projection, evaluate() the whole event: they must agree.
            prop_assert_eq!(pattern.matches(&event), pattern.evaluate(&event).is_some(), "{} on {}", text, event);
        }
    }

    #[test]
    fn included_and_excluded_terms_are_substrings(
        included in prop::collection::vec("[a-c]{1,2}", 0..3),
        excluded in prop::collection::vec("[a-c]{1,2}", 0..2),
        message in "[a-c ]{0,12}",
    ) {
        let text: Vec<String> = included.iter().cloned().chain(excluded.iter().map(|t| format!("-{t}"))).collect();
        let pattern = parse(&text.join(" "));
        prop_assert!(pattern.is_ok());
        if let Ok(pattern) = pattern {
            let expected = included.iter().all(|t| message.contains(t.as_str()))
                && !excluded.iter().any(|t| message.contains(t.as_str()));
            prop_assert_eq!(pattern.matches(&message), expected);
        }
    }

    #[test]
    fn optional_terms_alone_are_any(optional in prop::collection::vec("[a-c]{1,2}", 1..4), message in "[a-c ]{0,12}") {
        let text: Vec<String> = optional.iter().map(|t| format!("?{t}")).collect();
        let pattern = parse(&text.join(" "));
        prop_assert!(pattern.is_ok());
        if let Ok(pattern) = pattern {
            prop_assert_eq!(pattern.matches(&message), optional.iter().any(|t| message.contains(t.as_str())));
        }
    }

    #[test]
    fn delimited_field_counts(
        names in prop::collection::vec("[a-z]{1,3}", 1..6),
        ellipsis in any::<bool>(),
        message in "[a-z \"\\[\\]]{0,30}",
    ) {
        let mut fields = names.clone();
        if ellipsis {
            fields.insert(fields.len() / 2, "...".to_owned());
        }
        let pattern = parse(&format!("[{}]", fields.join(", ")));
        prop_assert!(pattern.is_ok());
        if let Ok(pattern) = pattern {
            let count = Fields::new(&message).count();
            let expected = if ellipsis { count >= names.len() } else { count == names.len() };
            prop_assert_eq!(pattern.matches(&message), expected);
        }
    }

    #[test]
    fn wildcard_values_are_prefix_suffix_and_infix_tests(value in "[a-c.]{1,4}", text in "[a-c.]{0,10}") {
        let check = |pattern: String, expected: bool| -> Result<(), TestCaseError> {
            let parsed = parse(&pattern);
            prop_assert!(parsed.is_ok(), "{}", pattern);
            if let Ok(parsed) = parsed {
                prop_assert_eq!(parsed.matches(&format!("x {text}")), expected, "{} on {:?}", pattern, text);
            }
            Ok(())
        };
        check(format!("[a, b = {}]", quote(&value)), text == value)?;
        check(format!("[a, b = {}]", quote(&format!("{value}*"))), text.starts_with(&value))?;
        check(format!("[a, b = {}]", quote(&format!("*{value}*"))), text.contains(&value))?;
        check(format!("[a, b != {}]", quote(&format!("*{value}*"))), !text.contains(&value) && !text.is_empty())?;
    }

    #[test]
    fn longer_than_the_limit_is_refused(extra in 1usize..64, c in prop::sample::select(vec!['a', 'é', '{', '['])) {
        let text: String = std::iter::repeat_n(c, MAX_LENGTH + extra).collect();
        prop_assert_eq!(parse(&text), Err(PatternError::TooLong { length: MAX_LENGTH + extra }));
    }

    #[test]
    fn depth_is_bounded(depth in 0usize..80) {
        let text = format!("{{ {}$.a = 1{} }}", "(".repeat(depth), ")".repeat(depth));
        let parsed = parse(&text);
        prop_assert_eq!(parsed.is_ok(), depth <= MAX_DEPTH, "{:?}", parsed);
    }
}
