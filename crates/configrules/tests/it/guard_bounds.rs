//! The deepest policies the bounds allow parse and evaluate within a 2 MiB stack (a debug build's
//! frames are the largest), and an evaluation over a 1 MB configuration item finishes; timings are
//! printed (`cargo test --test guard_bounds -- --nocapture`), not asserted.

use crate::common;

use common::ci;
use serde_json::{Value, json};
use skywatch_configrules::{Compliance, GuardPolicy};
use std::time::Instant;

/// 2 MiB; `GUARD_STACK_BYTES` sets another size, to measure the margin.
fn stack_bytes() -> usize {
    std::env::var("GUARD_STACK_BYTES").ok().and_then(|s| s.parse().ok()).unwrap_or(2 << 20)
}

fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(stack_bytes())
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("the small-stack thread failed")
}

/// `n` levels of `open`, `inner`, `n` levels of `close`.
fn nest(open: &str, inner: &str, close: &str, n: usize) -> String {
    format!("{}{inner}{}", open.repeat(n), close.repeat(n))
}

/// Data `{"a": {"a": ... {"a": 1}}}` (or arrays of such, with `list`), `n` deep.
fn nested_data(n: usize, list: bool) -> Value {
    let mut v = json!(1);
    for _ in 0..n {
        v = if list { json!([{ "a": v }]) } else { json!({ "a": v }) };
    }
    v
}

/// A policy shape, deepened by `n`.
type Shape = fn(usize) -> (String, Value);

fn shapes() -> Vec<(&'static str, Shape)> {
    vec![
        ("nested when blocks", |n| {
            (
                format!("rule r {{ {} }}", nest("when configuration.a == 1 { ", "configuration.a == 1", " }", n)),
                json!({"a": 1}),
            )
        }),
        ("nested block clauses", |n| {
            (format!("rule r {{ configuration {{ {} }} }}", nest("a { ", "a == 1", " }", n)), nested_data(n + 1, false))
        }),
        ("nested filters", |n| {
            (format!("rule r {{ configuration.{} }}", nest("a[ ", "a exists", " ] !empty", n)), nested_data(n, true))
        }),
        ("nested list literals", |n| {
            (format!("let x = {}\nrule r {{ configuration.a in %x }}", nest("[", "1", "]", n)), json!({"a": 1}))
        }),
        ("nested map literals", |n| {
            (format!("let x = {}\nrule r {{ configuration.a == %x }}", nest("{a: ", "1", "}", n)), json!({"a": 1}))
        }),
        ("nested function calls", |n| {
            (
                format!("let x = {}\nrule r {{ %x == 'x' }}", nest("to_lower(", "configuration.s", ")", n)),
                json!({"s": "X"}),
            )
        }),
        ("mixed nesting", |n| {
            let inner = nest("when configuration.b == 1 { configuration.c[ d == 1 ] { ", "d == 1", " } }", n / 2);
            (format!("rule r {{ {inner} }}"), json!({"b": 1, "c": [{"d": 1}]}))
        }),
        ("rule chain, declared in reverse", |n| {
            let mut t = String::new();
            for i in (1..=n).rev() {
                t.push_str(&format!("rule r{i} {{\n r{}\n}}\n", i - 1));
            }
            (t + "rule r0 { configuration.a == 1 }\n", json!({"a": 1}))
        }),
        ("rule chain through when conditions", |n| {
            let mut t = String::new();
            for i in (1..=n).rev() {
                t.push_str(&format!("rule r{i} when r{} {{ configuration.a == 1 }}\n", i - 1));
            }
            (t + "rule r0 { configuration.a == 1 }\n", json!({"a": 1}))
        }),
        ("rule chain, each reference 10 blocks deep", |n| {
            let mut t = String::new();
            for i in (1..=n).rev() {
                let inner = format!("when r{} {{\nconfiguration.a == 1\n}}", i - 1);
                t.push_str(&format!(
                    "rule r{i} {{\n{}\n}}\n",
                    nest("when configuration.a == 1 {\n", &inner, "\n}", 10)
                ));
            }
            (t + "rule r0 { configuration.a == 1 }\n", json!({"a": 1}))
        }),
        ("variable chain, declared in reverse", |n| {
            let mut t = format!("rule r {{ %v{n} == 1 }}\n");
            for i in (1..=n).rev() {
                t.push_str(&format!("let v{i} = %v{}\n", i - 1));
            }
            (t + "let v0 = configuration.a\n", json!({"a": 1}))
        }),
        ("variable chain through 10 function calls each", |n| {
            let mut t = format!("rule r {{ %v{n} == 'x' }}\n");
            for i in (1..=n).rev() {
                t.push_str(&format!("let v{i} = {}\n", nest("to_lower(", &format!("%v{}", i - 1), ")", 10)));
            }
            (t + "let v0 = configuration.s\n", json!({"s": "X"}))
        }),
        ("parameterized rule chain", |n| {
            let mut t = String::from("rule p0(x) { %x == 1 }\n");
            for i in 1..=n {
                t.push_str(&format!("rule p{i}(x) {{\n p{}(%x)\n}}\n", i - 1));
            }
            (t + &format!("rule r {{\n p{n}(configuration.a)\n}}\n"), json!({"a": 1}))
        }),
    ]
}

/// The largest `n` the bounds accept (searching upward), with its policy and data.
fn deepest_accepted(shape: Shape) -> Option<(usize, String, Value)> {
    let mut best = None;
    for n in 1..=400 {
        let (text, data) = shape(n);
        match GuardPolicy::parse(&text) {
            Ok(_) => best = Some((n, text, data)),
            Err(_) => break,
        }
    }
    best
}

#[test]
fn deepest_policies_fit_a_2_mib_stack() {
    let report = on_small_stack(|| {
        let mut lines = Vec::new();
        for (name, shape) in shapes() {
            let Some((n, text, data)) = deepest_accepted(shape) else {
                panic!("{name}: not even depth 1 is accepted: {:?}", GuardPolicy::parse(&shape(1).0));
            };
            let started = Instant::now();
            let policy = GuardPolicy::parse(&text).expect("accepted above");
            let parsed = started.elapsed();
            let verdict = policy.evaluate(&ci("AWS::S3::Bucket", data));
            let evaluated = started.elapsed() - parsed;
            assert_ne!(verdict.compliance, Compliance::InsufficientData, "{name} at {n}: {:?}", verdict.annotation);
            lines.push(format!(
                "{name}: deepest accepted {n} ({} chars), {} in {parsed:?} to check, {evaluated:?} to evaluate",
                text.chars().count(),
                verdict.compliance
            ));
        }
        lines
    });
    println!("{}", report.join("\n"));
}

/// A configuration of about 1 MB: `count` entries of about 200 bytes.
fn large_item(count: usize) -> Value {
    let entries: Vec<Value> = (0..count)
        .map(|i| {
            json!({
                "name": format!("item-{i}"),
                "enabled": i % 2 == 0,
                "size": i,
                "tags": [{"key": "owner", "value": format!("team-{}", i % 17)}, {"key": "env", "value": "prod"}],
                "description": "x".repeat(80),
            })
        })
        .collect();
    ci("AWS::Custom::Large", json!({ "entries": entries }))
}

#[test]
fn a_1_mb_item_evaluates() {
    let item = large_item(5000);
    let bytes = serde_json::to_string(&item).map(|s| s.len()).unwrap_or(0);
    assert!(bytes > 1_000_000, "{bytes}");
    let cases = [
        (
            "wildcard regex, compliant",
            "rule r { configuration.entries[*].name == /^item-[0-9]+$/ }",
            Compliance::Compliant,
        ),
        (
            "filter with some",
            "rule r { configuration.entries[ enabled == true ] { some tags[*].value == 'prod' } }",
            Compliance::Compliant,
        ),
        (
            "every entry fails",
            "rule r { configuration.entries[*].size < 0 << sizes must be negative >> }",
            Compliance::NonCompliant,
        ),
        (
            "not applicable",
            "rule r when resourceType == 'AWS::S3::Bucket' { configuration.entries !empty }",
            Compliance::NotApplicable,
        ),
        (
            "variable compared with every entry",
            "let names = configuration.entries[*].name\nrule r { configuration.entries[0].name in %names }",
            Compliance::Compliant,
        ),
    ];
    let mut lines = Vec::new();
    for (name, text, expected) in cases {
        let policy = GuardPolicy::parse(text).expect("a valid policy");
        let started = Instant::now();
        let verdict = policy.evaluate(&item);
        lines.push(format!("{name}: {} in {:?} ({bytes} bytes)", verdict.compliance, started.elapsed()));
        assert_eq!(verdict.compliance, expected, "{name}: {:?}", verdict.annotation);
    }
    println!("{}", lines.join("\n"));
}
