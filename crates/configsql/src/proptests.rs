//! Property tests: any text parses or is refused without panicking, and what parses evaluates; generated valid
//! queries parse; printing a query and parsing the text gives the query back; `NOT` is the complement.

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::ast::{Aggregate, CompareOp, Condition, Function, Literal, OrderKey, OrderTerm, Path, Query, SelectItem};
use crate::parser::is_keyword;
use crate::{parse, parse_unbounded};

fn items() -> Vec<Value> {
    vec![
        json!({"resourceId": "sg-1", "resourceType": "AWS::EC2::SecurityGroup", "awsRegion": "us-east-1",
               "configuration": {"ipPermissions": [{"fromPort": 22, "toPort": 22, "ipRanges": ["0.0.0.0/0", "10.0.0.0/8"]},
                                                   {"fromPort": 443, "ipRanges": []}]},
               "tags": [{"key": "env", "value": "prod"}], "relationships": [{"resourceId": "vpc-1"}]}),
        json!({"resourceId": "i-1", "resourceType": "AWS::EC2::Instance", "awsRegion": "us-east-1",
               "configuration": {"instanceType": "t2.micro", "size": 8, "state": {"name": "running"}, "ok": true},
               "tags": [{"key": "env", "value": "dev"}, {"key": "Name", "value": null}]}),
        json!({"resourceId": "b-1", "resourceType": "AWS::S3::Bucket", "resourceName": null,
               "configuration": {"size": 2.5, "instanceType": ["x", 1, null, {"a": [[1]]}]}, "tags": []}),
        json!({"resourceId": "gone", "configurationItemStatus": "ResourceDeleted", "configuration": {}}),
        json!({"resourceId": 7, "configuration": "not an object", "tags": {"key": "odd"}}),
    ]
}

const PATHS: [&str; 14] = [
    "resourceId",
    "resourceType",
    "resourceName",
    "awsRegion",
    "configuration",
    "configuration.instanceType",
    "configuration.size",
    "configuration.state.name",
    "configuration.ipPermissions.fromPort",
    "configuration.ipPermissions.ipRanges",
    "tags",
    "tags.key",
    "tags.tag",
    "relationships.resourceId",
];

fn path() -> impl Strategy<Value = Path> {
    // Random paths are lower case and start with an x, so no two paths differ only in case (which the checks
    // refuse) and none is a keyword.
    let random = ("x[a-z0-9_]{0,6}", prop::collection::vec("[a-z_][a-z0-9_]{0,6}", 0..3)).prop_map(|(first, rest)| {
        debug_assert!(!is_keyword(&first));
        std::iter::once(first).chain(rest).collect::<Vec<_>>()
    });
    prop_oneof![
        3 => prop::sample::select(&PATHS[..]).prop_map(|p| p.split('.').map(str::to_owned).collect::<Vec<_>>()),
        1 => random,
    ]
    .prop_filter_map("a path", Path::new)
}

fn literal() -> impl Strategy<Value = Literal> {
    prop_oneof![
        ".{0,12}".prop_map(Literal::Str),
        prop::sample::select(&["t2.micro", "0.0.0.0/0", "10.0.0.5", "env=prod", "AWS::EC2::Instance", "true", "8"][..])
            .prop_map(|s| Literal::Str(s.to_owned())),
        "-?[0-9]{1,5}(\\.[0-9]{1,3})?([eE]-?[0-9])?".prop_filter_map("a finite number", |text| {
            let value = text.parse::<f64>().ok()?;
            Some(Literal::Number { text, value })
        }),
        any::<bool>().prop_map(Literal::Bool),
    ]
}

fn pattern() -> impl Strategy<Value = String> {
    ("[a-zA-Z0-9:.' -]{3,8}", "[%_]{0,3}").prop_map(|(prefix, suffix)| prefix + &suffix)
}

fn predicate() -> impl Strategy<Value = Condition> {
    let op = prop::sample::select(
        &[CompareOp::Eq, CompareOp::Ne, CompareOp::Lt, CompareOp::Le, CompareOp::Gt, CompareOp::Ge][..],
    );
    prop_oneof![
        (path(), op, literal()).prop_map(|(path, op, value)| Condition::Compare { path, op, value }),
        (path(), any::<bool>(), prop::collection::vec(literal(), 1..4))
            .prop_map(|(path, negated, values)| Condition::In { path, negated, values }),
        (path(), any::<bool>(), literal(), literal()).prop_map(|(path, negated, low, high)| Condition::Between {
            path,
            negated,
            low,
            high
        }),
        (path(), any::<bool>(), pattern()).prop_map(|(path, negated, pattern)| Condition::Like {
            path,
            negated,
            pattern
        }),
    ]
}

fn condition() -> impl Strategy<Value = Condition> {
    predicate().prop_recursive(5, 40, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(Condition::And),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Condition::Or),
            inner.prop_map(|c| Condition::Not(Box::new(c))),
        ]
    })
}

/// Merges nested `And`s and `Or`s, as the parser does.
fn normalize(condition: Condition) -> Condition {
    let flatten = |parts: Vec<Condition>, and: bool| {
        let mut flat = Vec::new();
        for part in parts.into_iter().map(normalize) {
            match part {
                Condition::And(inner) if and => flat.extend(inner),
                Condition::Or(inner) if !and => flat.extend(inner),
                other => flat.push(other),
            }
        }
        flat
    };
    match condition {
        Condition::And(parts) => Condition::And(flatten(parts, true)),
        Condition::Or(parts) => Condition::Or(flatten(parts, false)),
        Condition::Not(inner) => Condition::Not(Box::new(normalize(*inner))),
        other => other,
    }
}

fn aggregate() -> impl Strategy<Value = Aggregate> {
    let function =
        prop::sample::select(&[Function::Count, Function::Sum, Function::Min, Function::Max, Function::Avg][..]);
    (function, prop::option::of(path())).prop_map(|(function, argument)| match function {
        Function::Count => Aggregate { function, argument },
        _ => Aggregate { function, argument: argument.or_else(|| Path::parse("configuration.size")) },
    })
}

fn plain_query() -> impl Strategy<Value = Query> {
    let item = prop_oneof![1 => Just(SelectItem::All), 5 => path().prop_map(SelectItem::Property)];
    let order =
        (path(), any::<bool>()).prop_map(|(p, descending)| OrderTerm { key: OrderKey::Property(p), descending });
    (prop::collection::vec(item, 1..4), prop::option::of(condition()), prop::collection::vec(order, 0..3)).prop_map(
        |(select, condition, order_by)| Query {
            select,
            condition: condition.map(normalize),
            group_by: Vec::new(),
            order_by,
        },
    )
}

fn aggregate_query() -> impl Strategy<Value = Query> {
    (
        prop::collection::btree_set(path(), 0..4),
        prop::collection::vec(aggregate(), 0..3),
        prop::option::of(condition()),
        any::<(bool, bool, bool)>(),
    )
        .prop_filter_map(
            "a valid aggregate query",
            |(groups, aggregates, condition, (with_keys, sort_key, sort_aggregate))| {
                let group_by: Vec<Path> = groups.into_iter().collect();
                let mut select: Vec<SelectItem> =
                    if with_keys { group_by.iter().cloned().map(SelectItem::Property).collect() } else { Vec::new() };
                select.extend(aggregates.iter().cloned().map(SelectItem::Aggregate));
                let mut order_by = Vec::new();
                if sort_key && let Some(first) = group_by.first() {
                    order_by.push(OrderTerm { key: OrderKey::Property(first.clone()), descending: true });
                }
                if sort_aggregate
                    && group_by.len() <= 1
                    && let Some(first) = aggregates.first()
                {
                    order_by.push(OrderTerm { key: OrderKey::Aggregate(first.clone()), descending: false });
                }
                let aggregating = !group_by.is_empty() || !aggregates.is_empty();
                (!select.is_empty() && aggregating).then(|| Query {
                    select,
                    condition: condition.map(normalize),
                    group_by,
                    order_by,
                })
            },
        )
}

fn query() -> impl Strategy<Value = Query> {
    prop_oneof![plain_query(), aggregate_query()]
}

/// Text made of the language's tokens, to reach deeper into the parser than random characters do.
fn token_soup() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        prop::sample::select(
            &[
                "SELECT",
                "select",
                "WHERE",
                "GROUP",
                "BY",
                "ORDER",
                "ASC",
                "DESC",
                "AND",
                "OR",
                "NOT",
                "IN",
                "BETWEEN",
                "LIKE",
                "IS",
                "NULL",
                "TRUE",
                "false",
                "COUNT",
                "SUM",
                "min",
                "MAX",
                "AVG",
                "AS",
                "(",
                ")",
                ",",
                "*",
                "=",
                "!=",
                "<>",
                "<",
                "<=",
                ">",
                ">=",
                "'abc%'",
                "'10.0.0.0/24'",
                "''",
                "1",
                "-2.5",
                "1e3",
                "resourceId",
                "tags.tag",
                "configuration.ipPermissions.ipRanges",
                "a.b",
                "ResourceId",
                "DISTINCT",
                "'x''y'",
            ][..],
        )
        .prop_map(str::to_owned),
        "[a-z]{1,3}",
    ];
    prop::collection::vec(token, 0..30).prop_map(|tokens| tokens.join(" "))
}

/// Parses, then checks what must hold of anything that parses: it prints to text that parses back to it, and it
/// evaluates over the items without panicking.
fn check_parsed(text: &str) {
    if let Ok(query) = parse(text) {
        let printed = query.to_string();
        assert_eq!(parse_unbounded(&printed).as_ref(), Ok(&query), "{text} printed as {printed}");
        let items = items();
        if let Ok(rows) = query.evaluate(&items) {
            assert!(rows.iter().all(Value::is_object));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_parses_or_is_refused(text in "\\PC{0,200}") {
        check_parsed(&text);
    }

    #[test]
    fn token_soup_parses_or_is_refused(text in token_soup()) {
        check_parsed(&text);
    }

    #[test]
    fn generated_queries_parse_back_from_their_printing(query in query()) {
        let printed = query.to_string();
        prop_assert_eq!(parse_unbounded(&printed), Ok(query.clone()), "{}", printed);
        let items = items();
        let rows = query.evaluate(&items).map_err(|e| TestCaseError::fail(e.message))?;
        prop_assert!(rows.iter().all(Value::is_object));
        if !query.is_aggregate() {
            prop_assert!(rows.len() < items.len());
        }
    }

    #[test]
    fn not_is_the_complement(condition in condition()) {
        let condition = normalize(condition);
        let ids = |condition: Condition| {
            let select = vec![SelectItem::Property(Path::parse("resourceId").expect("a path"))];
            let query = Query { select, condition: Some(condition), group_by: Vec::new(), order_by: Vec::new() };
            query.evaluate(&items()).unwrap_or_default()
        };
        let mut both = ids(condition.clone());
        both.extend(ids(Condition::Not(Box::new(condition))));
        both.sort_by_key(Value::to_string);
        // Every visible item exactly once (the deleted one never).
        prop_assert_eq!(both.len(), 4);
        both.dedup();
        prop_assert_eq!(both.len(), 4);
    }
}
