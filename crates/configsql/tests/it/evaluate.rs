//! Evaluation at its edges: what is counted and grouped, which items are not queried, and the bound on groups.

use serde_json::{Value, json};
use skywatch_configsql::{MAX_GROUPS, parse};

fn run(text: &str, items: &[Value]) -> Vec<Value> {
    parse(text).unwrap().evaluate(items).unwrap()
}

#[test]
fn counts_count_values_through_arrays() {
    let items = [
        json!({"resourceId": "a", "tags": [{"key": "x", "value": "1"}, {"key": "y", "value": "2"}]}),
        json!({"resourceId": "b", "tags": []}),
        json!({"resourceId": "c", "resourceName": null}),
    ];
    assert_eq!(
        run("SELECT COUNT(*), COUNT(tags.key), COUNT(resourceName), COUNT(resourceId)", &items),
        [json!({"COUNT(*)": 3, "COUNT(tags.key)": 2, "COUNT(resourceName)": 0, "COUNT(resourceId)": 3})]
    );
}

#[test]
fn only_scalar_values_make_groups() {
    let items = [
        json!({"resourceId": "a", "configuration": {"x": {"y": 1}}}),
        json!({"resourceId": "b", "configuration": {"x": [1, 1, true, "1", null]}}),
    ];
    assert_eq!(
        run("SELECT configuration.x, COUNT(*) GROUP BY configuration.x", &items),
        [
            json!({"configuration": {"x": true}, "COUNT(*)": 1}),
            json!({"configuration": {"x": 1}, "COUNT(*)": 1}),
            json!({"configuration": {"x": "1"}, "COUNT(*)": 1}),
        ]
    );
}

#[test]
fn deleted_and_unrecorded_resources_are_not_queried() {
    let items: Vec<Value> =
        ["OK", "ResourceDiscovered", "ResourceNotRecorded", "ResourceDeleted", "ResourceDeletedNotRecorded"]
            .iter()
            .map(|status| json!({"resourceId": status, "configurationItemStatus": status}))
            .collect();
    assert_eq!(
        run("SELECT resourceId", &items),
        [json!({"resourceId": "OK"}), json!({"resourceId": "ResourceDiscovered"})]
    );
}

#[test]
fn a_query_makes_a_bounded_number_of_groups() {
    let items: Vec<Value> = (0..=MAX_GROUPS).map(|i| json!({"resourceId": format!("r-{i}")})).collect();
    let query = parse("SELECT resourceId, COUNT(*) GROUP BY resourceId").unwrap();
    assert!(query.evaluate(&items).unwrap_err().message.contains("too many groups"));
    assert_eq!(query.evaluate(&items[..MAX_GROUPS]).unwrap().len(), MAX_GROUPS);

    // One item whose values would combine into too many groups is refused before they are made.
    let tags: Vec<Value> = (0..300).map(|i| json!({"key": format!("k{i}"), "value": format!("v{i}")})).collect();
    let item = json!({"resourceId": "r", "tags": tags});
    let query = parse("SELECT COUNT(*) GROUP BY tags.key, tags.value").unwrap();
    assert!(query.evaluate([&item]).unwrap_err().message.contains("too many groups"));

    // Many aggregates per group lower the number of groups allowed.
    let many: Vec<String> = (0..40).map(|i| format!("SUM(configuration.p{i})")).collect();
    let query = parse(&format!("SELECT {} GROUP BY resourceId", many.join(", "))).unwrap();
    assert!(query.evaluate(&items[..30_000]).unwrap_err().message.contains("too many groups"));
}

#[test]
fn results_are_linear_in_the_items() {
    // 100,000 items through a condition, a projection and a sort: a quadratic step would not finish in time.
    let items: Vec<Value> = (0..100_000)
        .map(|i| {
            json!({"resourceId": format!("r-{i}"), "resourceType": if i % 2 == 0 { "A" } else { "B" },
                        "configuration": {"n": i % 977}})
        })
        .collect();
    let rows = run("SELECT resourceId, configuration.n WHERE resourceType = 'A' ORDER BY configuration.n DESC", &items);
    assert_eq!(rows.len(), 50_000);
    assert_eq!(rows[0]["configuration"]["n"], json!(976));
}
