//! Property tests: printed trees parse back to themselves, the parser survives any text, and evaluation of any
//! tree over any request returns a value or an error, never a panic, with well-formed series.

use crate::common;

use std::cell::RefCell;

use common::TestContext;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use skywatch_metricmath::{BinaryOp, Expr, ExprKind, Func, Series, Span, UnaryOp, Value, evaluate, parse};

fn leaf(kind: ExprKind) -> Expr {
    Expr::new(kind, Span::default())
}

/// Non-negative finite numbers (a minus sign is a unary operator), from small integers to extremes.
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        (0u32..1000).prop_map(f64::from),
        0.0f64..1e6,
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(f64::abs),
        select(vec![0.5, 1e-7, 1e21, f64::MAX, f64::MIN_POSITIVE, 5e-324]),
    ]
}

const WORDS: &[&str] = &["REPEAT", "LINEAR", "ASC", "DESC", "SUM", "AVG", "MIN", "MAX", "BOGUS", "X"];
/// Every operator, the non-associative ones (where printing must get parentheses right) more often.
const BINARY: &[BinaryOp] = &[
    BinaryOp::Pow,
    BinaryOp::Pow,
    BinaryOp::Sub,
    BinaryOp::Div,
    BinaryOp::Lt,
    BinaryOp::Add,
    BinaryOp::Sub,
    BinaryOp::Mul,
    BinaryOp::Div,
    BinaryOp::Pow,
    BinaryOp::Eq,
    BinaryOp::Ne,
    BinaryOp::Lt,
    BinaryOp::Le,
    BinaryOp::Gt,
    BinaryOp::Ge,
    BinaryOp::And,
    BinaryOp::Or,
];

/// Any well-formed tree: known functions with arities in range, any kinds of arguments (mostly ill-typed).
fn expr(ids: BoxedStrategy<String>) -> impl Strategy<Value = Expr> {
    let leaves = prop_oneof![
        3 => number().prop_map(|n| leaf(ExprKind::Number(n))),
        3 => ids.prop_map(|id| leaf(ExprKind::Id(id))),
        1 => select(WORDS).prop_map(|w| leaf(ExprKind::Word(w.to_string()))),
        1 => "[a-zA-Z0-9 {},=/._\"-]{0,12}".prop_map(|s| leaf(ExprKind::Str(s))),
        1 => "[a-z0-9 ']{0,8}".prop_map(|s| leaf(ExprKind::Str(s))),
    ];
    leaves.prop_recursive(5, 64, 4, |inner| {
        prop_oneof![
            2 => unary(inner.clone()),
            4 => binary(inner.clone()),
            1 => prop::collection::vec(inner.clone(), 0..4).prop_map(|items| leaf(ExprKind::Array(items))),
            1 => (select(Func::ALL), prop::collection::vec(inner, 0..5)).prop_map(|(func, mut args)| {
                let (min, max) = func.arity();
                args.truncate(max);
                while args.len() < min {
                    args.push(leaf(ExprKind::Id("m1".into())));
                }
                leaf(ExprKind::Call { func, args })
            }),
        ]
    })
}

fn unary(inner: BoxedStrategy<Expr>) -> impl Strategy<Value = Expr> {
    (select(vec![UnaryOp::Neg, UnaryOp::Not]), inner)
        .prop_map(|(op, e)| leaf(ExprKind::Unary { op, operand: Box::new(e) }))
}

fn binary(inner: BoxedStrategy<Expr>) -> impl Strategy<Value = Expr> {
    (select(BINARY), inner.clone(), inner)
        .prop_map(|(op, l, r)| leaf(ExprKind::Binary { op, lhs: Box::new(l), rhs: Box::new(r) }))
}

fn call(func: Func, args: Vec<Expr>) -> Expr {
    leaf(ExprKind::Call { func, args })
}

fn word(w: &str) -> Expr {
    leaf(ExprKind::Word(w.to_string()))
}

fn string(s: &str) -> Expr {
    leaf(ExprKind::Str(s.to_string()))
}

/// Trees that are mostly well-typed, so that evaluation gets past type checks and into the functions: ids of
/// the request, `METRICS()`, and calls whose arguments are of the kinds each function takes.
fn typed_expr() -> impl Strategy<Value = Expr> {
    let leaves = prop_oneof![
        2 => select(vec![0.0, 0.5, 1.0, 2.0, 3.0, 10.0, 1e300]).prop_map(|n| leaf(ExprKind::Number(n))),
        4 => select(vec!["m1", "m2", "m3", "e1"]).prop_map(|id| leaf(ExprKind::Id(id.to_string()))),
        2 => select(vec![None, Some("m"), Some("1"), Some("x")])
            .prop_map(|filter| call(Func::Metrics, filter.map(string).into_iter().collect())),
        1 => Just(call(Func::Search, vec![string("{AWS/EC2} x"), string("Sum"), leaf(ExprKind::Number(60.0))])),
    ];
    leaves.prop_recursive(4, 48, 4, |inner| {
        let scalar = select(vec![-1.0, 0.0, 1.0, 2.5, 1e12]).prop_map(|n| leaf(ExprKind::Number(n)));
        let optional_scalar = prop::option::of(scalar.clone());
        // Arguments of the kinds a function takes most of the time, anything sometimes.
        let metric = select(vec!["m1", "m2", "m3"]).prop_map(|id| leaf(ExprKind::Id(id.to_string())));
        let single = prop_oneof![2 => metric.clone(), 1 => inner.clone()];
        let array = prop_oneof![2 => Just(call(Func::Metrics, vec![])), 1 => inner.clone()];
        prop_oneof![
            unary(inner.clone()),
            binary(inner.clone()),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|items| leaf(ExprKind::Array(items))),
            (
                select(vec![
                    Func::Abs,
                    Func::Avg,
                    Func::Ceil,
                    Func::DatapointCount,
                    Func::Diff,
                    Func::DiffTime,
                    Func::First,
                    Func::Floor,
                    Func::Last,
                    Func::Log,
                    Func::Log10,
                    Func::Max,
                    Func::MetricCount,
                    Func::Min,
                    Func::Period,
                    Func::Rate,
                    Func::RemoveEmpty,
                    Func::RunningSum,
                    Func::Stddev,
                    Func::Sum,
                    Func::TimeSeries,
                ]),
                inner.clone()
            )
                .prop_map(|(func, arg)| call(func, vec![arg])),
            (inner.clone(), prop_oneof![single.clone(), Just(word("REPEAT")), Just(word("LINEAR"))])
                .prop_map(|(a, b)| call(Func::Fill, vec![a, b])),
            (single.clone(), single.clone(), prop::option::of(single.clone())).prop_map(|(c, t, f)| {
                let mut args = vec![c, t];
                args.extend(f);
                call(Func::If, args)
            }),
            (
                array.clone(),
                select(vec!["SUM", "AVG", "MIN", "MAX"]),
                select(vec!["ASC", "DESC"]),
                optional_scalar.clone()
            )
                .prop_map(|(a, stat, order, limit)| {
                    let mut args = vec![a, word(stat), word(order)];
                    args.extend(limit);
                    call(Func::Sort, args)
                }),
            (array, scalar, optional_scalar.clone()).prop_map(|(a, start, end)| {
                let mut args = vec![a, start];
                args.extend(end);
                call(Func::Slice, args)
            }),
            (single, optional_scalar).prop_map(|(a, k)| {
                let mut args = vec![a];
                args.extend(k);
                call(Func::AnomalyDetectionBand, args)
            }),
        ]
    })
}

fn any_id() -> BoxedStrategy<String> {
    "[a-z][a-zA-Z0-9_]{0,4}".boxed()
}

fn request_id() -> BoxedStrategy<String> {
    select(vec!["m1", "m2", "m3", "e1", "zz"]).prop_map(str::to_string).boxed()
}

/// One datapoint as the caller might send it, NaN and infinities included.
fn slot() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        2 => Just(None),
        3 => (-1e3f64..1e3).prop_map(Some),
        1 => select(vec![0.0, -0.0, 1.0, -1.0, f64::MAX, -f64::MAX, f64::NAN, f64::INFINITY]).prop_map(Some),
        1 => any::<f64>().prop_map(Some),
    ]
}

/// Series of any length (the evaluator must bring them onto the grid's shape).
fn series(label: &'static str) -> impl Strategy<Value = Series> {
    prop::collection::vec(slot(), 0..14).prop_map(move |values| Series::new(label, Some(label.to_string()), values))
}

fn request() -> impl Strategy<Value = TestContext> {
    let grid = prop_oneof![
        (0usize..12, select(vec![1u32, 60, 300, 3600, 86_400]), -1_000_000i64..1_000_000).prop_map(
            |(n, period, start)| {
                (0..n as i64).map(|i| start * 1000 + i * i64::from(period) * 1000).collect::<Vec<_>>()
            }
        ),
        // Not what a caller should send, but it must not panic either.
        prop::collection::vec(any::<i64>(), 0..8),
    ];
    let expression = prop_oneof![
        (-1e3f64..1e3).prop_map(Value::Scalar),
        series("e1").prop_map(Value::Series),
        prop::collection::vec(series("e1"), 0..3).prop_map(Value::Array),
    ];
    (
        grid,
        series("m1"),
        series("m2"),
        series("m3"),
        expression,
        prop::collection::vec(series("found"), 0..3),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(grid, m1, m2, m3, e1, found, search_fails)| {
            let mut ctx = TestContext::new(0, 60);
            ctx.grid = grid;
            ctx.queries = vec![
                ("m1".into(), Value::Series(m1), true),
                ("m2".into(), Value::Series(m2), true),
                ("m3".into(), Value::Series(m3), true),
                ("e1".into(), e1, false),
            ];
            ctx.search_result = if search_fails { Err("no".into()) } else { Ok(found) };
            ctx.searches = RefCell::new(Vec::new());
            ctx
        })
}

/// Every series has one slot per grid timestamp, and every datapoint is finite.
fn well_formed(value: &Value, slots: usize) -> Result<(), String> {
    let check = |s: &Series| {
        if s.values.len() != slots {
            return Err(format!("series {:?} has {} slots, the grid {slots}", s.label, s.values.len()));
        }
        match s.values.iter().flatten().find(|v| !v.is_finite()) {
            Some(v) => Err(format!("series {:?} holds {v}", s.label)),
            None => Ok(()),
        }
    };
    match value {
        Value::Scalar(_) => Ok(()),
        Value::Series(s) => check(s),
        Value::Array(items) => items.iter().try_for_each(check),
    }
}

/// Applies character edits to a text: delete, insert, replace, or cut at a position.
fn mutate(text: &str, edits: &[(Index, u8, char)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for (at, kind, c) in edits {
        let i = at.index(chars.len() + 1);
        match kind {
            0 if i < chars.len() => {
                chars.remove(i);
            }
            1 => chars.insert(i, *c),
            2 if i < chars.len() => chars[i] = *c,
            3 => chars.truncate(i),
            _ => {}
        }
    }
    chars.into_iter().collect()
}

/// A character likely to matter to the lexer or parser.
fn edit_char() -> impl Strategy<Value = char> {
    prop_oneof![select("()[],+-*/^<>=!&|'\". e_aZ0".chars().collect::<Vec<_>>()), any::<char>()]
}

proptest! {
    // Parsing is cheap: many cases.
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn printed_trees_parse_back_to_themselves(tree in expr(any_id())) {
        let text = tree.to_string();
        let parsed = parse(&text).map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
        prop_assert_eq!(parsed.without_spans(), tree, "text: {}", text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_parser_survives_any_text(text in any::<String>()) {
        let _ = parse(&text);
    }

    #[test]
    fn whatever_parses_prints_back_to_the_same_tree(text in "[a-zA-Z0-9_ ()\\[\\],+*/^<>=!&|'\".-]{0,60}") {
        if let Ok(tree) = parse(&text) {
            let printed = tree.to_string();
            let again = parse(&printed).map_err(|e| TestCaseError::fail(format!("{printed:?}: {e}")))?;
            prop_assert_eq!(again.without_spans(), tree.without_spans(), "from {:?} via {:?}", text, printed);
        }
    }

    #[test]
    fn mutated_expressions_parse_or_fail_cleanly(
        tree in expr(request_id()),
        edits in prop::collection::vec((any::<Index>(), 0u8..4, edit_char()), 1..4),
        ctx in request(),
    ) {
        let text = mutate(&tree.to_string(), &edits);
        if let Ok(parsed) = parse(&text) {
            let printed = parsed.to_string();
            let again = parse(&printed).map_err(|e| TestCaseError::fail(format!("{printed:?}: {e}")))?;
            prop_assert_eq!(again.without_spans(), parsed.without_spans());
            if let Ok(value) = evaluate(&parsed, &ctx) {
                well_formed(&value, ctx.grid.len()).map_err(TestCaseError::fail)?;
            }
        }
    }

    #[test]
    fn evaluation_never_panics_and_keeps_series_well_formed(
        tree in prop_oneof![expr(request_id()).boxed(), typed_expr().boxed()],
        ctx in request(),
    ) {
        if let Ok(value) = evaluate(&tree, &ctx) {
            well_formed(&value, ctx.grid.len()).map_err(|e| TestCaseError::fail(format!("{tree}: {e}")))?;
        }
    }
}

/// Guards the property above against vacuity: a good share of the trees it evaluates must succeed, and produce
/// series, or it would only be testing type errors.
#[test]
fn typed_trees_mostly_evaluate() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut ok, mut series, total) = (0, 0, 500);
    for _ in 0..total {
        let tree = typed_expr().new_tree(&mut runner).unwrap().current();
        let ctx = request().new_tree(&mut runner).unwrap().current();
        let result = evaluate(&tree, &ctx);
        if let Ok(value) = result {
            ok += 1;
            if !matches!(value, Value::Scalar(_)) {
                series += 1;
            }
        }
    }
    assert!(ok * 100 >= total * 40, "only {ok} of {total} typed trees evaluated");
    assert!(series * 100 >= total * 25, "only {series} of {total} typed trees gave series");
}

#[test]
fn hand_built_trees_with_bad_arities_are_errors_not_panics() {
    let ctx = TestContext::new(3, 60).metric("m1", "1 2 3");
    for func in Func::ALL {
        let (min, max) = func.arity();
        for n in [0, min.saturating_sub(1), max + 1] {
            if (min..=max).contains(&n) {
                continue;
            }
            let args = vec![leaf(ExprKind::Id("m1".into())); n];
            let tree = leaf(ExprKind::Call { func: *func, args });
            assert!(evaluate(&tree, &ctx).is_err(), "{} with {n} arguments", func.name());
        }
    }
}
