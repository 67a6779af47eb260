//! The rules and events the rule-set test and benchmark share.

/// A pattern of the shapes rules use: a source, detail types and a condition on the detail; one in ten names no
/// source (a rule set checks those for every event).
pub fn pattern(i: usize) -> String {
    let detail = match i % 6 {
        0 => format!(r#""state": ["s{}"]"#, i % 7),
        1 => format!(r#""count": [{{"numeric": [">", {}]}}]"#, i % 50),
        2 => format!(r#""name": [{{"prefix": "n{}"}}]"#, i % 5),
        3 => r#""state": [{"anything-but": ["s1", "s2"]}]"#.to_owned(),
        4 => r#""missing": [{"exists": false}], "state": [{"wildcard": "s*"}]"#.to_owned(),
        _ => format!(r#""$or": [{{"count": [{}]}}, {{"name": [{{"suffix": "{}"}}]}}]"#, i % 13, i % 3),
    };
    if i % 10 == 9 {
        format!(r#"{{"detail": {{{detail}}}}}"#)
    } else {
        format!(
            r#"{{"source": ["app.{}"], "detail-type": ["t{}", "t{}"], "detail": {{{detail}}}}}"#,
            i % 100,
            i % 3,
            i % 4
        )
    }
}

/// An event of about 600 bytes: an EventBridge envelope and a detail with a list of objects.
pub fn event(j: usize) -> String {
    format!(
        r#"{{"version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718", "detail-type": "t{}", "source": "app.{}", "account": "111122223333", "time": "2026-12-07T10:00:00Z", "region": "us-east-1", "resources": ["arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0"], "detail": {{"state": "s{}", "count": {}, "name": "n{}x{}", "items": [{{"sku": "a-1", "qty": 1}}, {{"sku": "b-2", "qty": 2}}], "note": "{}"}}}}"#,
        j % 4,
        j % 100,
        j % 7,
        j % 60,
        j % 5,
        j % 3,
        "x".repeat(200)
    )
}
