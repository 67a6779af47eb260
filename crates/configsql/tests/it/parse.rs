//! What the parser takes and refuses, with AWS's messages, the bounds, and the canonical printing.

use skywatch_configsql::{
    Aggregate, CompareOp, Condition, Function, Literal, MAX_DEPTH, MAX_IN_VALUES, MAX_LENGTH, OrderKey, OrderTerm,
    Path, Query, SelectItem, parse,
};

fn path(text: &str) -> Path {
    Path::parse(text).unwrap()
}

fn refusal(text: &str) -> String {
    match parse(text) {
        Ok(query) => panic!("{text} parsed as {query:?}"),
        Err(e) => format!("{}{}", e.message, e.detail.map(|d| format!(" ({d})")).unwrap_or_default()),
    }
}

#[test]
fn a_query_has_its_parts() {
    let query = parse(
        "SELECT resourceId, COUNT(*) WHERE resourceType = 'AWS::EC2::Instance' AND NOT (a.b < 3 OR c IN ('x', 2)) \
         GROUP BY resourceId ORDER BY COUNT(*) DESC",
    )
    .unwrap();
    assert_eq!(
        query,
        Query {
            select: vec![
                SelectItem::Property(path("resourceId")),
                SelectItem::Aggregate(Aggregate { function: Function::Count, argument: None }),
            ],
            condition: Some(Condition::And(vec![
                Condition::Compare {
                    path: path("resourceType"),
                    op: CompareOp::Eq,
                    value: Literal::Str("AWS::EC2::Instance".into()),
                },
                Condition::Not(Box::new(Condition::Or(vec![
                    Condition::Compare {
                        path: path("a.b"),
                        op: CompareOp::Lt,
                        value: Literal::Number { text: "3".into(), value: 3.0 },
                    },
                    Condition::In {
                        path: path("c"),
                        negated: false,
                        values: vec![Literal::Str("x".into()), Literal::Number { text: "2".into(), value: 2.0 }],
                    },
                ]))),
            ])),
            group_by: vec![path("resourceId")],
            order_by: vec![OrderTerm {
                key: OrderKey::Aggregate(Aggregate { function: Function::Count, argument: None }),
                descending: true,
            }],
        }
    );
}

#[test]
fn keywords_are_case_insensitive_and_precedence_is_sql_s() {
    let a = parse("select a where b = 1 or c = 2 and not d = 3 order by a asc").unwrap();
    let b = parse("SELECT a WHERE b = 1 OR (c = 2 AND (NOT d = 3)) ORDER BY a").unwrap();
    assert_eq!(a, b);
    let Some(Condition::Or(parts)) = &a.condition else { panic!("{a:?}") };
    assert!(matches!(parts[1], Condition::And(_)));
    // Nested ANDs (and ORs) flatten, so the tree has one shape.
    assert_eq!(
        parse("SELECT a WHERE (b = 1 AND c = 2) AND d = 3").unwrap(),
        parse("SELECT a WHERE b = 1 AND c = 2 AND d = 3").unwrap()
    );
    assert_eq!(
        parse("SELECT a WHERE b = 1 OR (c = 2 OR d = 3)").unwrap(),
        parse("SELECT a WHERE b = 1 OR c = 2 OR d = 3").unwrap()
    );
}

#[test]
fn printing_is_canonical_and_parses_back() {
    let cases = [
        ("select a,b.c where x='it''s' and (y=1 or z<>2)", "SELECT a, b.c WHERE x = 'it''s' AND (y = 1 OR z != 2)"),
        ("SELECT COUNT(*) , sum(a.b)", "SELECT COUNT(*), SUM(a.b)"),
        (
            "SELECT a WHERE NOT (b = 1 AND c = 2) OR d NOT IN (1.50, 'x', true)",
            "SELECT a WHERE NOT (b = 1 AND c = 2) OR d NOT IN (1.50, 'x', TRUE)",
        ),
        (
            "SELECT a WHERE b NOT BETWEEN -1 AND 2e3 AND c NOT LIKE 'abc%'",
            "SELECT a WHERE b NOT BETWEEN -1 AND 2e3 AND c NOT LIKE 'abc%'",
        ),
        (
            "SELECT a, COUNT(*) GROUP BY a ORDER BY COUNT(*) desc",
            "SELECT a, COUNT(*) GROUP BY a ORDER BY COUNT(*) DESC",
        ),
        ("SELECT * WHERE NOT NOT a = FALSE", "SELECT * WHERE NOT NOT a = FALSE"),
    ];
    for (text, printed) in cases {
        let query = parse(text).unwrap();
        assert_eq!(query.to_string(), printed);
        assert_eq!(parse(printed).unwrap(), query);
    }
}

#[test]
fn syntax_errors_say_where_as_aws_does() {
    let message = |text: &str| parse(text).unwrap_err().message;
    assert_eq!(message("resourceId WHERE a = 1"), "syntax error at line 1, column 1");
    assert_eq!(
        message("SELECT arn WHERE tags.tag='component=test' resourceType='AWS::ECS::Service'"),
        "syntax error at line 1, column 44"
    );
    assert_eq!(message("SELECT resourceId\nWHERE resourceType = "), "syntax error at line 2, column 22");
    assert_eq!(message("SELECT"), "syntax error at line 1, column 7");
    assert_eq!(message("SELECT a,"), "syntax error at line 1, column 10");
    assert_eq!(message("SELECT a WHERE (b = 1"), "syntax error at line 1, column 22");
    assert_eq!(message("SELECT a WHERE b = 1)"), "syntax error at line 1, column 21");
    assert_eq!(message("SELECT a WHERE b"), "syntax error at line 1, column 17");
    assert_eq!(message("SELECT a WHERE b IN ()"), "syntax error at line 1, column 22");
    assert_eq!(message("SELECT a WHERE b BETWEEN 1 OR 2"), "syntax error at line 1, column 28");
    assert_eq!(message("SELECT a. WHERE b = 1"), "syntax error at line 1, column 8");
    assert_eq!(message("SELECT a..b"), "syntax error at line 1, column 8");
    assert_eq!(message("SELECT a ORDER a"), "syntax error at line 1, column 16");
    assert_eq!(message("SELECT a WHERE b = 1;"), "syntax error at line 1, column 21");
    assert_eq!(message("SELECT where"), "syntax error at line 1, column 8");
}

#[test]
fn documented_limitations_are_refused() {
    for (text, why) in [
        ("SELECT resourceId AS id", "AS is not supported"),
        ("SELECT DISTINCT resourceType", "DISTINCT is not supported"),
        ("SELECT resourceId FROM resources", "FROM is not supported"),
        ("SELECT resourceType, COUNT(*) GROUP BY resourceType HAVING COUNT(*) > 1", "HAVING is not supported"),
        ("SELECT a UNION SELECT b", "UNION is not supported"),
        ("SELECT ALL a", "ALL is not supported"),
        ("SELECT a JOIN b", "JOIN is not supported"),
        ("SELECT COUNT(DISTINCT resourceType)", "DISTINCT is not supported"),
        ("SELECT a WHERE b IS NULL", "NULL value queries are not supported"),
        ("SELECT a WHERE b IS NOT NULL", "NULL value queries are not supported"),
        ("SELECT a WHERE b = NULL", "NULL value queries are not supported"),
        ("SELECT a WHERE b LIKE '%::EC2::Instance'", "only suffix wildcards"),
        ("SELECT a WHERE b LIKE '_::EC2::Instance'", "only suffix wildcards"),
        ("SELECT a WHERE b LIKE 'my_bucket%'", "only suffix wildcards"),
        ("SELECT a WHERE b LIKE 'ab%'", "at least three characters"),
        ("SELECT a WHERE b LIKE 'ab_'", "at least three characters"),
        ("SELECT a WHERE 'someKey%' LIKE 'someValue%'", "starts with a property"),
        ("SELECT a WHERE b LIKE 5", "quoted pattern"),
        ("SELECT COUNT(MAX(a))", "cannot take other functions"),
        ("SELECT SUM(a, b)", "only a single argument"),
        ("SELECT SUM(*)", "only COUNT takes *"),
        ("SELECT MEDIAN(a)", "unknown function"),
        ("SELECT a WHERE COUNT(*) > 1", "cannot be used in WHERE"),
        ("SELECT a WHERE b = c", "not with another property"),
        ("SELECT a, COUNT(*)", "must appear in the GROUP BY clause"),
        ("SELECT a, COUNT(*) GROUP BY b", "must appear in the GROUP BY clause"),
        ("SELECT *, COUNT(*)", "SELECT * cannot be used"),
        ("SELECT a GROUP BY a ORDER BY b", "ORDER BY 'b' must appear in the GROUP BY clause"),
        ("SELECT a ORDER BY COUNT(*)", "must appear in the GROUP BY clause"),
        ("SELECT COUNT(*) GROUP BY a, b, c, d", "up to 3 properties"),
        ("SELECT a, b, COUNT(*) GROUP BY a, b ORDER BY COUNT(*)", "only a single property"),
        (
            "SELECT configuration.dbclusterIdentifier WHERE configuration.dBClusterIdentifier = 'x'",
            "Mismatched identifiers",
        ),
        ("SELECT configuration.ipAddress, configuration.ipaddressPermissions", "Mismatched identifiers"),
        ("SELECT resourceid ORDER BY resourceId", "Mismatched identifiers"),
        ("SELECT a WHERE b = \"x\"", "single quotes"),
        ("", "the query ends where SELECT was expected"),
        ("   ", "the query ends where SELECT was expected"),
    ] {
        let refusal = refusal(text);
        assert!(refusal.contains(why), "{text}: {refusal}");
    }
}

#[test]
fn what_aws_allows_is_taken() {
    for text in [
        "SELECT *",
        "SELECT *, configuration",
        "SELECT configuration.ipAddress, configuration.ipAddressPermissions",
        "SELECT a, b, c, COUNT(*) GROUP BY a, b, c",
        "SELECT a, COUNT(*) GROUP BY a ORDER BY COUNT(*) DESC, a",
        "SELECT a, b, COUNT(*) GROUP BY a, b ORDER BY b DESC, a",
        "SELECT a GROUP BY a",
        "SELECT COUNT(*) GROUP BY a",
        "SELECT a WHERE b LIKE 'abc'",
        "SELECT a WHERE b LIKE 'ab'",
        "SELECT a WHERE b LIKE 'AWS::EC2::_'",
        "SELECT a WHERE b LIKE 'abc_%'",
        "SELECT select.from WHERE where.group = 1",
        "SELECT count WHERE sum = 1",
        "SELECT a ORDER BY b, c DESC",
    ] {
        assert!(parse(text).is_ok(), "{text}: {:?}", parse(text));
    }
}

#[test]
fn bounds_are_checked_before_work() {
    let long = format!("SELECT a WHERE b = '{}'", "x".repeat(MAX_LENGTH));
    assert_eq!(parse(&long).unwrap_err().message, format!("The expression is longer than {MAX_LENGTH} characters"));
    let exact = format!("SELECT a WHERE b = '{}'", "é".repeat(MAX_LENGTH - 21));
    assert_eq!(exact.chars().count(), MAX_LENGTH);
    assert!(parse(&exact).is_ok());
    assert!(parse(&"\u{10FFFF}".repeat(MAX_LENGTH * 2)).is_err());

    let nested = |n: usize| format!("SELECT a WHERE {}b = 1{}", "(".repeat(n), ")".repeat(n));
    assert!(parse(&nested(MAX_DEPTH)).is_ok());
    assert!(parse(&nested(MAX_DEPTH + 1)).unwrap_err().detail.unwrap().contains("nested more than"));
    let nots = |n: usize| format!("SELECT a WHERE {}b = 1", "NOT ".repeat(n));
    assert!(parse(&nots(MAX_DEPTH)).is_ok());
    assert!(parse(&nots(MAX_DEPTH + 1)).is_err());
    // Far deeper than the limit: refused, not a stack overflow.
    assert!(parse(&nested(2000)).is_err());
    assert!(parse(&nots(1000)).is_err());

    let list = |n: usize| format!("SELECT a WHERE b IN ({})", vec!["1"; n].join(","));
    assert!(parse(&list(MAX_IN_VALUES)).is_ok());
    assert!(parse(&list(MAX_IN_VALUES + 1)).unwrap_err().detail.unwrap().contains("at most"));
}
