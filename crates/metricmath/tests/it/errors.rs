//! Parse and evaluation errors: which ones, where, and their wording.

use crate::common;

use common::TestContext;
use skywatch_metricmath::{EvalErrorKind, ParseErrorKind, Span, evaluate, expression_error_message, parse};

fn ctx() -> TestContext {
    TestContext::new(4, 60).metric("m1", "1 - 3 4").metric("m2", "2 2 - 2")
}

fn parse_error(text: &str) -> ParseErrorKind {
    match parse(text) {
        Ok(expr) => panic!("{text:?} parsed as {expr}"),
        Err(e) => e.kind,
    }
}

fn eval_error(text: &str) -> EvalErrorKind {
    match ctx().eval(text) {
        Ok(v) => panic!("{text:?} evaluated to {v:?}"),
        Err(e) => e.kind,
    }
}

#[test]
fn syntax_errors() {
    assert_eq!(parse_error(""), ParseErrorKind::Empty);
    assert_eq!(parse_error("   "), ParseErrorKind::Empty);
    assert_eq!(parse_error("m1 +"), ParseErrorKind::UnexpectedEnd);
    assert_eq!(parse_error("(m1"), ParseErrorKind::UnexpectedEnd);
    assert_eq!(parse_error("SUM(m1"), ParseErrorKind::UnexpectedEnd);
    assert_eq!(parse_error("m1 m2"), ParseErrorKind::UnexpectedToken("'m2'".into()));
    assert_eq!(parse_error("m1 + )"), ParseErrorKind::UnexpectedToken("')'".into()));
    assert_eq!(parse_error("[m1, ]"), ParseErrorKind::UnexpectedToken("']'".into()));
    assert_eq!(parse_error("m1 # 2"), ParseErrorKind::UnexpectedChar('#'));
    assert_eq!(parse_error("m1 = 2"), ParseErrorKind::UnexpectedChar('='));
    assert_eq!(parse_error("SUM(METRICS(“x”))"), ParseErrorKind::UnexpectedChar('“'));
    assert_eq!(parse_error("METRICS('abc)"), ParseErrorKind::UnterminatedString);
    assert_eq!(parse_error("1e999"), ParseErrorKind::InvalidNumber);
    assert_eq!(parse_error("."), ParseErrorKind::InvalidNumber);
    assert_eq!(parse_error("_m1 + 1"), ParseErrorKind::InvalidId("_m1".into()));
    assert_eq!(parse_error("m1 AND"), ParseErrorKind::UnexpectedEnd);
    assert_eq!(parse_error("AND m1"), ParseErrorKind::UnexpectedToken("'AND'".into()));
    // Logical keywords are uppercase, like function names: `and` is an id, and two ids in a row do not parse.
    assert_eq!(parse_error("m1 and m2"), ParseErrorKind::UnexpectedToken("'and'".into()));
}

#[test]
fn unknown_functions_and_arities() {
    assert_eq!(parse_error("FOO(m1)"), ParseErrorKind::UnknownFunction("FOO".into()));
    // Function names are uppercase (AWS: "All functions must be written in uppercase letters").
    assert_eq!(parse_error("sum(m1)"), ParseErrorKind::UnknownFunction("sum".into()));
    assert_eq!(parse_error("Sum(m1)"), ParseErrorKind::UnknownFunction("Sum".into()));
    let arity = |text: &str, func: &str, expected: &str, got: usize| {
        assert_eq!(
            parse_error(text),
            ParseErrorKind::WrongArity { func: Func::from_name(func).unwrap().name(), expected: expected.into(), got },
            "{text}"
        );
    };
    use skywatch_metricmath::Func;
    arity("FILL(m1)", "FILL", "2", 1);
    arity("ABS(m1, m2)", "ABS", "1", 2);
    arity("SUM()", "SUM", "1", 0);
    arity("IF(m1)", "IF", "2 to 3", 1);
    arity("SORT(METRICS(), SUM)", "SORT", "3 to 4", 2);
    arity("SLICE(METRICS())", "SLICE", "2 to 3", 1);
    arity("METRICS('a', 'b')", "METRICS", "0 to 1", 2);
    arity("SEARCH('x', 'Sum')", "SEARCH", "3", 2);
    arity("ANOMALY_DETECTION_BAND(m1, 2, 3)", "ANOMALY_DETECTION_BAND", "1 to 2", 3);
}

#[test]
fn nesting_is_bounded() {
    let deep = format!("{}1{}", "(".repeat(200), ")".repeat(200));
    assert!(matches!(parse_error(&deep), ParseErrorKind::TooDeep(_)));
    let negations = format!("{}m1", "-".repeat(2_000));
    assert!(matches!(parse_error(&negations), ParseErrorKind::TooDeep(_)));
    let chain = vec!["m1"; 600].join("+");
    assert!(matches!(parse_error(&chain), ParseErrorKind::TooTall(_)));
    // Issue 10: text past GetMetricData's 2,048 characters is refused before it is read.
    let long = vec!["m1"; 1_000].join(" + ");
    assert!(matches!(parse_error(&long), ParseErrorKind::TooLong(2048)));
    // A chain just under the limit parses, evaluates, prints and drops within a test thread's stack.
    let ok = vec!["m1"; 400].join("+");
    let tree = parse(&ok).unwrap();
    assert_eq!(parse(&tree.to_string()).unwrap().without_spans(), tree.without_spans());
    assert!(evaluate(&tree, &ctx()).is_ok());
    let nested = format!("{}m1{}", "ABS(".repeat(60), ")".repeat(60));
    assert!(ctx().eval(&nested).is_ok());
}

#[test]
fn evaluation_errors() {
    assert_eq!(eval_error("m9 + 1"), EvalErrorKind::UnknownId("m9".into()));
    assert_eq!(eval_error("REPEAT"), EvalErrorKind::UnknownWord("REPEAT".into()));
    assert_eq!(eval_error("M1 + 1"), EvalErrorKind::Type { op: "+".into(), types: vec!["Keyword", "Scalar"] });
    assert_eq!(eval_error("'abc'"), EvalErrorKind::Type { op: "expression".into(), types: vec!["String"] });
    assert_eq!(eval_error("FILL(5, 0)"), EvalErrorKind::Type { op: "FILL".into(), types: vec!["Scalar", "Scalar"] });
    assert_eq!(
        eval_error("FILL(m1, METRICS())"),
        EvalErrorKind::Type { op: "FILL".into(), types: vec!["TimeSeries", "Array[TimeSeries]"] }
    );
    assert_eq!(eval_error("SUM(5)"), EvalErrorKind::Type { op: "SUM".into(), types: vec!["Scalar"] });
    assert_eq!(eval_error("ABS(-5)"), EvalErrorKind::Type { op: "ABS".into(), types: vec!["Scalar"] });
    assert_eq!(eval_error("RATE(1)"), EvalErrorKind::Type { op: "RATE".into(), types: vec!["Scalar"] });
    assert_eq!(
        eval_error("PERIOD(METRICS())"),
        EvalErrorKind::Type { op: "PERIOD".into(), types: vec!["Array[TimeSeries]"] }
    );
    assert_eq!(
        eval_error("METRICS() + METRICS()"),
        EvalErrorKind::Type { op: "+".into(), types: vec!["Array[TimeSeries]", "Array[TimeSeries]"] }
    );
    assert_eq!(eval_error("m1 + 'x'"), EvalErrorKind::Type { op: "+".into(), types: vec!["TimeSeries", "String"] });
    assert_eq!(eval_error("[m1, 5]"), EvalErrorKind::Type { op: "[]".into(), types: vec!["Scalar"] });
    assert_eq!(eval_error("METRICS(m1)"), EvalErrorKind::Type { op: "METRICS".into(), types: vec!["TimeSeries"] });
    assert_eq!(eval_error("FIRST(m1)"), EvalErrorKind::Type { op: "FIRST".into(), types: vec!["TimeSeries"] });
    assert_eq!(
        eval_error("METRIC_COUNT(m1)"),
        EvalErrorKind::Type { op: "METRIC_COUNT".into(), types: vec!["TimeSeries"] }
    );
    assert_eq!(
        eval_error("IF(METRICS(), 1, 0)"),
        EvalErrorKind::Type { op: "IF".into(), types: vec!["Array[TimeSeries]", "Scalar", "Scalar"] }
    );
    assert_eq!(
        eval_error("SEARCH('x', 'Sum', '60')"),
        EvalErrorKind::Type { op: "SEARCH".into(), types: vec!["String", "String", "String"] }
    );
    assert_eq!(
        eval_error("TIME_SERIES(m1)"),
        EvalErrorKind::Type { op: "TIME_SERIES".into(), types: vec!["TimeSeries"] }
    );
}

#[test]
fn invalid_arguments() {
    let invalid = |text: &str, func: &str| match eval_error(text) {
        EvalErrorKind::InvalidArgument { func: f, .. } => assert_eq!(f, func, "{text}"),
        other => panic!("{text}: {other:?}"),
    };
    invalid("FILL(m1, BOGUS)", "FILL");
    invalid("SORT(METRICS(), MEDIAN, ASC)", "SORT");
    invalid("SORT(METRICS(), SUM, UP)", "SORT");
    invalid("SORT(METRICS(), SUM, ASC, -1)", "SORT");
    invalid("SLICE(METRICS(), -1)", "SLICE");
    invalid("SLICE(METRICS(), 0, 1 / 0)", "SLICE");
    invalid("SEARCH('x', 'Sum', 0)", "SEARCH");
    invalid("SEARCH('x', 'Sum', 1e12)", "SEARCH");
    invalid("ANOMALY_DETECTION_BAND(m1, -1)", "ANOMALY_DETECTION_BAND");
}

#[test]
fn search_failures_pass_the_engine_message_through() {
    let ctx = ctx().search_returns(Err("The search expression is invalid".into()));
    let err = ctx.eval("SEARCH('{AWS/EC2', 'Average', 300)").unwrap_err();
    assert_eq!(err.kind, EvalErrorKind::Search("The search expression is invalid".into()));
}

#[test]
fn messages_read_like_cloudwatch() {
    // Wording taken from CloudWatch responses: "Error in expression 'queryA': Invalid syntax" and
    // "Unsupported operand type(s) for ANOMALY_DETECTION_BAND: '[Array[TimeSeries], Scalar]'".
    let err = ctx().eval("ANOMALY_DETECTION_BAND(METRICS(), 2)").unwrap_err();
    assert_eq!(
        expression_error_message("e1", &err),
        "Error in expression 'e1': Unsupported operand type(s) for ANOMALY_DETECTION_BAND: \
         '[Array[TimeSeries], Scalar]'"
    );
    let err = ctx().eval("m9 * 2").unwrap_err();
    assert_eq!(expression_error_message("e2", &err), "Error in expression 'e2': Unrecognized identifier 'm9'");
    let err = parse("m1 +").unwrap_err();
    assert!(
        expression_error_message("queryA", &err).starts_with("Error in expression 'queryA': Invalid syntax"),
        "{err}"
    );
}

#[test]
fn errors_point_at_their_source() {
    let text = "m1 + SUM(m9)";
    let err = evaluate(&parse(text).unwrap(), &ctx()).unwrap_err();
    assert_eq!(err.span, Span::new(9, 11));
    assert_eq!(&text[err.span.start..err.span.end], "m9");
    let err = parse("m1 + FOO(2)").unwrap_err();
    assert_eq!(err.span, Span::new(5, 8));
    let err = parse("ABS(m1, m2) + 1").unwrap_err();
    assert_eq!(err.span, Span::new(0, 11));
    let err = ctx().eval("1 + FILL(3, 0)").unwrap_err();
    assert_eq!(err.span, Span::new(4, 14));
}
