//! The shape of parsed trees (precedence, associativity), printing, and the references walk.

use skywatch_metricmath::{BinaryOp, Expr, ExprKind, Func, References, UnaryOp, parse, references};

fn tree(text: &str) -> Expr {
    parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}")).without_spans()
}

/// A compact rendering of the tree's shape, fully parenthesized.
fn shape(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Number(n) => n.to_string(),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Id(id) | ExprKind::Word(id) => id.clone(),
        ExprKind::Array(items) => format!("[{}]", items.iter().map(shape).collect::<Vec<_>>().join(" ")),
        ExprKind::Call { func, args } => {
            format!("{}({})", func.name(), args.iter().map(shape).collect::<Vec<_>>().join(" "))
        }
        ExprKind::Unary { op: UnaryOp::Neg, operand } => format!("(neg {})", shape(operand)),
        ExprKind::Unary { op: UnaryOp::Not, operand } => format!("(not {})", shape(operand)),
        ExprKind::Binary { op, lhs, rhs } => format!("({} {} {})", op.symbol(), shape(lhs), shape(rhs)),
    }
}

#[test]
fn precedence_and_associativity() {
    let cases = [
        ("2 ^ 3 ^ 2", "(^ 2 (^ 3 2))"),
        ("-2 ^ 2", "(neg (^ 2 2))"),
        ("2 ^ -x", "(^ 2 (neg x))"),
        ("a - b - c", "(- (- a b) c)"),
        ("a / b * c", "(* (/ a b) c)"),
        ("a + b * c ^ d", "(+ a (* b (^ c d)))"),
        ("-a * b", "(* (neg a) b)"),
        ("a < b + 1", "(< a (+ b 1))"),
        ("a == b != c", "(!= (== a b) c)"),
        ("a OR b AND c", "(OR a (AND b c))"),
        ("a || b && c", "(OR a (AND b c))"),
        ("NOT a AND b", "(AND (not a) b)"),
        ("NOT a > 1", "(not (> a 1))"),
        ("!a == b", "(not (== a b))"),
        ("(a + b) * c", "(* (+ a b) c)"),
        ("FILL(m1, REPEAT)", "FILL(m1 REPEAT)"),
        ("SORT(METRICS(), SUM, DESC, 10)", "SORT(METRICS() SUM DESC 10)"),
        ("METRICS(\"4xx\")", "METRICS(\"4xx\")"),
        ("[m1, -m2, []]", "[m1 (neg m2) []]"),
        ("1.5e2 + .25", "(+ 150 0.25)"),
    ];
    for (text, want) in cases {
        assert_eq!(shape(&tree(text)), want, "{text}");
    }
}

#[test]
fn printing_adds_only_needed_parentheses() {
    let cases = [
        ("(m1+m2)*3", "(m1 + m2) * 3"),
        ("m1+(m2*3)", "m1 + m2 * 3"),
        ("2^3^2", "2 ^ 3 ^ 2"),
        ("(2^3)^2", "(2 ^ 3) ^ 2"),
        ("-2^2", "-2 ^ 2"),
        ("(-2)^2", "(-2) ^ 2"),
        ("a - (b - c)", "a - (b - c)"),
        ("(a - b) - c", "a - b - c"),
        ("a && b || !c", "a AND b OR NOT c"),
        ("NOT (a AND b)", "NOT (a AND b)"),
        (
            "SUM(METRICS(\"errors\"))/SUM(METRICS('requests'))*100",
            "SUM(METRICS('errors')) / SUM(METRICS('requests')) * 100",
        ),
        ("METRICS(\"it's\")", "METRICS(\"it's\")"),
        (
            "SEARCH('{AWS/EC2,InstanceId} MetricName=\"CPUUtilization\"', 'Average', 300)",
            "SEARCH('{AWS/EC2,InstanceId} MetricName=\"CPUUtilization\"', 'Average', 300)",
        ),
        ("IF(m1>=0.5,m1)", "IF(m1 >= 0.5, m1)"),
    ];
    for (text, want) in cases {
        let printed = tree(text).to_string();
        assert_eq!(printed, want, "{text}");
        assert_eq!(tree(&printed), tree(text), "{printed} parses back differently");
    }
}

#[test]
fn spans_cover_the_source() {
    let text = "m1 + SUM(METRICS())";
    let expr = parse(text).unwrap();
    assert_eq!((expr.span.start, expr.span.end), (0, text.len()));
    let ExprKind::Binary { op: BinaryOp::Add, lhs, rhs } = &expr.kind else { panic!("{expr:?}") };
    assert_eq!(&text[lhs.span.start..lhs.span.end], "m1");
    assert_eq!(&text[rhs.span.start..rhs.span.end], "SUM(METRICS())");
    let ExprKind::Call { func: Func::Sum, .. } = rhs.kind else { panic!("{rhs:?}") };
}

#[test]
fn references_list_ids_metrics_and_search() {
    let refs = references(&tree("m1 + SUM(METRICS()) * e2 - m1 / [m3, e2]"));
    assert_eq!(refs, References { ids: vec!["m1".into(), "e2".into(), "m3".into()], metrics: true, search: false });
    let refs = references(&tree("SUM(SEARCH('{AWS/EC2} x', 'Sum', 60)) + FILL(m1, REPEAT)"));
    assert_eq!(refs, References { ids: vec!["m1".into()], metrics: false, search: true });
    let refs = references(&tree("SUM(METRICS('errors'))"));
    assert_eq!(refs, References { ids: vec![], metrics: true, search: false });
    // Words and strings are not ids.
    let refs = references(&tree("SORT(METRICS('m1'), SUM, DESC)"));
    assert!(refs.ids.is_empty());
}

#[test]
fn every_function_name_parses() {
    for func in Func::ALL {
        let (min, _) = func.arity();
        let args = vec!["m1"; min].join(", ");
        let text = format!("{}({args})", func.name());
        let ExprKind::Call { func: parsed, args } = tree(&text).kind else { panic!("{text}") };
        assert_eq!((parsed, args.len()), (*func, min));
    }
}
