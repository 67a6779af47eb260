//! Hostile Guard policy text: too long, too deep, cyclic, garbage, unterminated literals and
//! regular expressions are refused with a bounded message, and whatever parses evaluates without
//! panicking.

use crate::common;

use common::ci;
use serde_json::json;
use skywatch_configrules::{GuardPolicy, MAX_NESTING, MAX_POLICY_CHARS, MAX_SQUARE_NESTING, RuleError};

fn refused(text: &str) -> RuleError {
    match GuardPolicy::parse(text) {
        Ok(_) => panic!("accepted: {}", text.chars().take(200).collect::<String>()),
        Err(e) => {
            assert!(e.message().chars().count() <= 600, "a long refusal: {}", e.message());
            e
        }
    }
}

fn refusal_mentions(text: &str, fragment: &str) {
    let e = refused(text);
    assert_eq!(e.code(), "InvalidParameterValueException", "{}", e.message());
    assert!(e.message().contains(fragment), "{:?} lacks {fragment:?}", e.message());
}

#[test]
fn length() {
    let padded = |n: usize| format!("rule r {{ a == 1 }}\n#{}", "x".repeat(n - 19));
    let at_limit = padded(MAX_POLICY_CHARS);
    assert_eq!(at_limit.chars().count(), MAX_POLICY_CHARS);
    assert!(GuardPolicy::parse(&at_limit).is_ok());
    let e = refused(&padded(MAX_POLICY_CHARS + 1));
    assert_eq!(e.code(), "ValidationException");
    assert!(e.message().contains("less than or equal to 10000"));
    // Characters, not bytes.
    let wide = format!("rule r {{ a == 1 }}\n#{}", "é".repeat(MAX_POLICY_CHARS - 19));
    assert!(GuardPolicy::parse(&wide).is_ok());
}

#[test]
fn deep_brackets() {
    let deep = MAX_NESTING + 1;
    refusal_mentions(&"{".repeat(5000), "more than 20 levels");
    refusal_mentions(&"[".repeat(9999), "square brackets");
    refusal_mentions(&"(".repeat(9999), "more than 20 levels");
    refusal_mentions(
        &format!("let x = {}1{}", "[".repeat(MAX_SQUARE_NESTING + 1), "]".repeat(MAX_SQUARE_NESTING + 1)),
        "square brackets",
    );
    let filters = |n: usize| format!("rule r {{ configuration.{}a exists{} }}", "a[ ".repeat(n), " ] !empty".repeat(n));
    assert!(GuardPolicy::parse(&filters(MAX_SQUARE_NESTING)).is_ok());
    refusal_mentions(&filters(MAX_SQUARE_NESTING + 1), "square brackets");
    refusal_mentions(&format!("let x = {}1{}", "{a:".repeat(deep), "}".repeat(deep)), "levels deep");
    refusal_mentions(&format!("let x = {}a{}", "to_lower(".repeat(deep), ")".repeat(deep)), "levels deep");
    let whens = format!("rule r {{ {}a == 1{} }}", "when a == 1 { ".repeat(deep), " }".repeat(deep));
    refusal_mentions(&whens, "levels deep");
    // Brackets in strings, regular expressions, comments and messages are not nesting.
    let brackets = "{[(".repeat(100);
    let escaped = "\\{\\[\\(".repeat(100);
    let literal =
        format!("rule r {{\n a == \"{brackets}\"\n a == /{escaped}/ # {brackets}\n a == 1 << {brackets} >>\n}}");
    if let Err(e) = GuardPolicy::parse(&literal) {
        panic!("refused: {e}");
    }
}

#[test]
fn cycles_are_refused_before_evaluation() {
    refusal_mentions("rule a when b { x == 1 }\nrule b when a { x == 1 }\n", "cycle");
    refusal_mentions("rule a {\n a\n}\n", "cycle");
    refusal_mentions("rule a {\n b\n}\nrule b {\n c\n}\nrule c {\n a\n}\n", "rule a -> rule b -> rule c -> rule a");
    refusal_mentions("let a = %b\nlet b = %a\nrule r { %a == 1 }\n", "cycle");
    refusal_mentions("let a = %a\nrule r { %a == 1 }\n", "cycle");
    refusal_mentions("let a = count(%b)\nlet b = %a\nrule r { %a == 1 }\n", "cycle");
    refusal_mentions("rule p(x) {\n p(%x)\n}\nrule r {\n p(a)\n}\n", "cycle");
}

#[test]
fn long_reference_chains_are_refused() {
    // Declared in reverse, so evaluating r250 recurses through every rule (cfn-guard overflowed a
    // 2 MiB stack at about 176 such rules).
    let mut text = String::new();
    for i in (1..=250).rev() {
        text.push_str(&format!("rule r{i} when r{} {{ a == 1 }}\n", i - 1));
    }
    text.push_str("rule r0 { a == 1 }\n");
    refusal_mentions(&text, "nests too deeply");
    let mut vars = String::from("rule r { %v300 == 1 }\n");
    for i in (1..=300).rev() {
        vars.push_str(&format!("let v{i} = %v{}\n", i - 1));
    }
    vars.push_str("let v0 = a\n");
    refusal_mentions(&vars, "nests too deeply");
}

#[test]
fn garbage_and_unterminated_literals() {
    for text in [
        "rule a {",
        "rule a { x == 'unterminated }",
        "rule a { x == \"unterminated }",
        "rule a { x == /unterminated }",
        "rule a { x == /(/ }",
        "rule a { x == /[z-a]/ }",
        "rule a { x == 1 << no end }",
        "rule { }",
        "}}}}}}",
        "\u{0}\u{1}\u{2}",
        "rule a { x === 1 }",
        "let = 1",
        "rule a { x == 1e }",
        "rule a { x in r[\",1] }",
        "when when when",
        "%%%%",
    ] {
        refused(text);
    }
}

#[test]
fn whatever_parses_evaluates() {
    let item = ci("AWS::S3::Bucket", json!({"name": "b", "list": [1, 2, {"k": "v"}]}));
    for text in [
        "rule a { configuration.list[*] == 1 }",
        "rule a { configuration.list[*].k == /v/ }",
        "rule a { configuration.* !empty }",
        "rule a { configuration.list[0] == 1 }",
        "rule a { configuration.list[99] == 1 }",
        "rule a { configuration.list[-1] == 1 }",
        "rule a { configuration[ keys == /n/ ] !empty }",
        "let c = count(configuration.list[*])\nrule a { %c == 3 }",
        "let j = json_parse('{\"a\":1}')\nrule a { %j.a == 1 }",
        "let r = regex_replace(configuration.name, '(b)', '${1}$1')\nrule a { %r == 'bb' }",
        "rule a { configuration.name in r[1,5] }",
        "rule a { configuration.list[*] is_list }",
        "rule p(x) { %x == 1 }\nrule a { p(configuration.list[0]) }",
        "rule a { this.x.y.z exists }",
        "rule a { configuration.name == /(a+)+$/ }",
        "let i = parse_int(configuration.name)\nrule a { %i == 1 }",
        "let s = substring(configuration.name, 5, 1)\nrule a { %s == 'x' }",
        "let u = to_upper(configuration.list[*].k)\nlet d = url_decode(%u)\nrule a { %d == 'V' }",
    ] {
        let p = match GuardPolicy::parse(text) {
            Ok(p) => p,
            Err(e) => panic!("refused {text}: {e}"),
        };
        let _ = p.evaluate(&item);
    }
}
