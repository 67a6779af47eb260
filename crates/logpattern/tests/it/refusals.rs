//! Patterns CloudWatch Logs refuses, with the message it answers. Where AWS's wording is known (from its error
//! responses: `Invalid character(s) in term '...'`, `If a filter pattern starts with '{' it must end with '}'`,
//! `Invalid filter pattern`), the test pins it; documented quotas and unsupported constructs say which rule.

use skywatch_logpattern::{MAX_DEPTH, MAX_LENGTH, PatternError, parse};

fn refused(pattern: &str) -> PatternError {
    match parse(pattern) {
        Ok(parsed) => panic!("{pattern:?} was accepted as {parsed:?}"),
        Err(error) => error,
    }
}

fn message(pattern: &str) -> String {
    refused(pattern).to_string()
}

#[test]
fn invalid_characters_name_the_offending_term() {
    let cases = [
        // Recorded AWS answers.
        ("{ $.\"sc-status\" = 5* }", "$.\""),
        ("?Status: timeout", ":"),
        ("\"retrievedReferences\":[]", ":"),
        ("level\\\":\\\"error", "\\"),
        ("`ERROR`", "`"),
        ("{ $.someInt >= \"someString\" }", "\"someString\""),
        ("{ $.someInt >= someString }", "someString"),
        ("{ $.eventType > UpdateTrail }", "UpdateTrail"),
        // The rules behind them: unquoted terms are letters, digits and _.
        ("ERROR-CODE", "-"),
        ("user@example.com", "@"),
        ("ERROR (fatal)", "("),
        ("caf\u{e9}", "\u{e9}"),
        ("?", "?"),
        ("-", "-"),
        ("??ERROR", "?"),
        ("\"quoted\"tail", "t"),
        ("ERROR [x]", "["),
        ("ERROR {x}", "{"),
        ("50%", "%"),
        // Leading white space makes a term pattern, whose `{` is no term character.
        (" {$.ThisFlag IS TRUE}", "{"),
        // Values, names and selectors.
        ("{ $.path = /api/* }", "/"),
        ("{ $.a = 1 }}", "}"),
        ("{ $[0] = 1 }", "$["),
        ("{ $.a.@b = 1 }", "$.a.@"),
        ("{ $.a < %x% }", "%x%"),
        ("[$ip, user]", "$"),
        ("[ip-address, user]", "-"),
        ("[a, b] [c]", "]"),
        ("[a = 1 & b = 2]", "&"),
        ("[a = 1 | a = 2]", "|"),
        ("[a == 1]", "=="),
        ("[a ! 1]", "!"),
        // Regular expressions: only AWS's characters and escapes.
        ("%something!%", "!"),
        ("%(a|b)%", "("),
        ("%caf\u{e9}%", "\u{e9}"),
        ("%\\p{L}%", "\\p"),
        ("{ $.a = %a'b% }", "'"),
    ];
    for (pattern, term) in cases {
        assert_eq!(refused(pattern), PatternError::InvalidCharacters(term.to_owned()), "{pattern:?}");
        assert_eq!(message(pattern), format!("Invalid character(s) in term '{term}'"));
    }
}

#[test]
fn unclosed_forms() {
    for pattern in ["{ $.a = 1", "{ $.a = 1 } ", "{ $.a = \"x\" } extra", "{"] {
        assert_eq!(refused(pattern), PatternError::UnclosedJson, "{pattern:?}");
        assert_eq!(message(pattern), "If a filter pattern starts with '{' it must end with '}'");
    }
    for pattern in ["[a, b", "[a, b] ", "["] {
        assert_eq!(refused(pattern), PatternError::UnclosedDelimited, "{pattern:?}");
    }
}

#[test]
fn syntax_errors_say_invalid_filter_pattern() {
    let cases = [
        // AWS's own documentation example, refused by AWS: a field's conditions naming another field.
        "[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000]",
        // No `$.` (CDK's FilterPattern.stringValue once produced this).
        "{ status = \"401\" }",
        "{}",
        "{ }",
        "{ $.a }",
        "{ $.a = }",
        "{ $.a = 1 && }",
        "{ $.a = 1 || || $.b = 2 }",
        "{ ($.a = 1 }",
        "{ $.a = 1) }",
        "{ $.a = 1 $.b = 2 }",
        "{ $.a IS }",
        "{ $.a IS MAYBE }",
        "{ $.a NOT THERE }",
        "{ $.a = \"unterminated }",
        "{ $.a = %unterminated }",
        "[a = 1 b]",
        "[a b]",
        "[a =]",
        "[= 1]",
        "[(a = 1]",
        "[a = 1, (b = 2 || c = 3)]",
        "\"unterminated",
        "ERROR \"unterminated",
        "%abc",
        "%%",
        "%abc\\%",
        "%[a-%",
        "%\\x4%",
    ];
    for pattern in cases {
        let error = refused(pattern);
        assert!(matches!(error, PatternError::Syntax { .. }), "{pattern:?}: {error:?}");
        assert_eq!(error.to_string(), "Invalid filter pattern");
        assert_eq!(error.metric_filter_message(), "Invalid metric filter pattern");
        assert!(!error.detail().is_empty());
    }
}

#[test]
fn documented_limits_and_unsupported_constructs() {
    let cases = [
        ("{ $.SomeObject IS NOT NULL }", "IS NOT is not supported in filter patterns"),
        ("{ $.SomeObject EXISTS }", "EXISTS is not supported in filter patterns; use NOT EXISTS"),
        ("[a=%x%, b=%y%, c=%z%]", "A filter pattern can contain at most 2 regular expressions"),
        ("{ $.a = %x% || $.b = %y% || $.c != %z% }", "A filter pattern can contain at most 2 regular expressions"),
        ("{ $.a[*].b[*] = 1 }", "A property selector can use at most one wildcard"),
        ("{ $.*.* = 1 }", "A property selector can use at most one wildcard"),
        (
            "{ $.a[*] = 1 && $.b[*] = 1 && $.c.* = 1 && $.d[*] = 1 }",
            "A filter pattern can use at most 3 wildcard selectors",
        ),
        ("[a, ..., b, ...]", "A space-delimited filter pattern can contain '...' only once"),
        ("%a{1000}{1000}%", "Regular expression evaluation time exceeded allowed limit"),
        ("{ $.a = %[a-z]{1000}{1000}% }", "Regular expression evaluation time exceeded allowed limit"),
    ];
    for (pattern, wanted) in cases {
        assert_eq!(message(pattern), wanted, "{pattern:?}");
    }
    // At the quotas exactly, accepted.
    for pattern in [
        "[a=%x%, b=%y%]",
        "{ $.a[*] = 1 && $.b[*] = 1 && $.c.* = 1 }",
        "[a, ..., b]",
        "%Task timed out after|^REPORT\\s.+\\sStatus: timeout%",
    ] {
        assert!(parse(pattern).is_ok(), "{pattern:?}");
    }
}

#[test]
fn length_is_bounded_in_characters() {
    let longest = "a".repeat(MAX_LENGTH);
    assert!(parse(&longest).is_ok());
    assert_eq!(refused(&"a".repeat(MAX_LENGTH + 1)), PatternError::TooLong { length: MAX_LENGTH + 1 });
    // Multi-byte characters count once: 1,024 of them fit (as a quoted term), 1,025 do not.
    let quoted = format!("\"{}\"", "\u{e9}".repeat(MAX_LENGTH - 2));
    assert!(parse(&quoted).is_ok());
    let over = format!("\"{}\"", "\u{e9}".repeat(MAX_LENGTH - 1));
    assert_eq!(refused(&over), PatternError::TooLong { length: MAX_LENGTH + 1 });
    assert!(message(&over).contains("Member must have length less than or equal to 1024"));
    // A very long text is refused without being read as a pattern.
    let huge = "{".repeat(10_000_000);
    assert!(matches!(refused(&huge), PatternError::TooLong { .. }));
}

#[test]
fn nesting_is_bounded() {
    let nested = |depth: usize, form: &str| match form {
        "json" => format!("{{ {}$.a = 1{} }}", "(".repeat(depth), ")".repeat(depth)),
        _ => format!("[{}a = 1{}]", "(".repeat(depth), ")".repeat(depth)),
    };
    for form in ["json", "delimited"] {
        assert!(parse(&nested(MAX_DEPTH, form)).is_ok(), "{form} at the limit");
        assert_eq!(
            message(&nested(MAX_DEPTH + 1, form)),
            format!("A filter pattern can nest parentheses at most {MAX_DEPTH} deep"),
            "{form}"
        );
        // Far deeper than the limit, within the length: refused, not a stack overflow.
        assert!(parse(&nested(400, form)).is_err());
    }
}
