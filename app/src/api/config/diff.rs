//! A readable, path-level diff of two JSON documents, for a configuration item against the one before it: every
//! leaf or subtree that was added, removed or changed, named by its path (`configuration.ipPermissions[1]`,
//! `tags.env`, `configuration["odd key"]`). Arrays are aligned on their unchanged elements first (a longest common
//! subsequence), so one rule inserted at the front is one addition, not every later element changed; between two
//! unchanged elements, elements left on both sides are compared pairwise when they look alike (objects sharing a
//! member, or two scalars) and are otherwise a removal and an addition. Added and changed paths use the new
//! document's indexes, removed paths the old one's. Pure: no I/O, no clock.

use serde_json::Value;

/// What happened at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Added,
    Removed,
    Changed,
}

/// One difference: the path, and the value before (removed, changed) and after (added, changed).
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub path: String,
    pub kind: Kind,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Arrays longer than this on both sides (product of lengths) are compared by position, not aligned.
const MAX_ALIGNED_CELLS: usize = 250_000;

/// The differences from `before` to `after` under `root` (the path prefix), at most `limit` of them; the second
/// value is how many more there were.
pub fn diff(root: &str, before: &Value, after: &Value, limit: usize) -> (Vec<Difference>, usize) {
    let mut out = Collector { found: Vec::new(), limit, more: 0 };
    walk(root, before, after, &mut out);
    (out.found, out.more)
}

struct Collector {
    found: Vec<Difference>,
    limit: usize,
    more: usize,
}

impl Collector {
    fn push(&mut self, path: String, kind: Kind, before: Option<&Value>, after: Option<&Value>) {
        if self.found.len() < self.limit {
            self.found.push(Difference { path, kind, before: before.cloned(), after: after.cloned() });
        } else {
            self.more += 1;
        }
    }
}

/// `path.key`, or `path["key"]` when the key is not a plain name.
pub fn member_path(path: &str, key: &str) -> String {
    let plain = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain && !path.is_empty() {
        format!("{path}.{key}")
    } else if plain {
        key.to_owned()
    } else {
        format!("{path}[{}]", Value::from(key))
    }
}

fn index_path(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

fn walk(path: &str, before: &Value, after: &Value, out: &mut Collector) {
    if before == after {
        return;
    }
    match (before, after) {
        (Value::Object(old), Value::Object(new)) => {
            for (key, value) in old {
                match new.get(key) {
                    Some(next) => walk(&member_path(path, key), value, next, out),
                    None => out.push(member_path(path, key), Kind::Removed, Some(value), None),
                }
            }
            for (key, value) in new {
                if !old.contains_key(key) {
                    out.push(member_path(path, key), Kind::Added, None, Some(value));
                }
            }
        }
        (Value::Array(old), Value::Array(new)) => arrays(path, old, new, out),
        _ => out.push(path.to_owned(), Kind::Changed, Some(before), Some(after)),
    }
}

/// Whether two elements left over between unchanged ones are better told as one changed element.
fn alike(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.iter().any(|(k, v)| y.get(k) == Some(v)),
        (Value::Array(_), Value::Array(_)) => true,
        (Value::Object(_) | Value::Array(_), _) | (_, Value::Object(_) | Value::Array(_)) => false,
        _ => true,
    }
}

fn arrays(path: &str, old: &[Value], new: &[Value], out: &mut Collector) {
    let anchors = if old.len().saturating_mul(new.len()) <= MAX_ALIGNED_CELLS { common(old, new) } else { Vec::new() };
    let (mut i, mut j) = (0, 0);
    for (next_i, next_j) in anchors.into_iter().chain(std::iter::once((old.len(), new.len()))) {
        gap(path, (i, &old[i..next_i]), (j, &new[j..next_j]), out);
        (i, j) = (next_i + 1, next_j + 1);
    }
}

/// The elements between two unchanged ones (or an end): pairs that look alike change, the rest are removed
/// or added.
fn gap(path: &str, (i, old): (usize, &[Value]), (j, new): (usize, &[Value]), out: &mut Collector) {
    let paired = old.len().min(new.len());
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for k in 0..paired {
        if alike(&old[k], &new[k]) {
            walk(&index_path(path, j + k), &old[k], &new[k], out);
        } else {
            removed.push(k);
            added.push(k);
        }
    }
    removed.extend(paired..old.len());
    added.extend(paired..new.len());
    for k in removed {
        out.push(index_path(path, i + k), Kind::Removed, Some(&old[k]), None);
    }
    for k in added {
        out.push(index_path(path, j + k), Kind::Added, None, Some(&new[k]));
    }
}

/// The index pairs of a longest common subsequence of equal elements, in order.
fn common(old: &[Value], new: &[Value]) -> Vec<(usize, usize)> {
    let (n, m) = (old.len(), new.len());
    // lengths[i][j]: the LCS length of old[i..] and new[j..].
    let width = m + 1;
    let mut lengths = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lengths[i * width + j] = if old[i] == new[j] {
                lengths[(i + 1) * width + j + 1] + 1
            } else {
                lengths[(i + 1) * width + j].max(lengths[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut pairs = Vec::new();
    while i < n && j < m {
        if old[i] == new[j] {
            pairs.push((i, j));
            i += 1;
            j += 1;
        } else if lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// (path, kind, before, after): a difference in a compact form for the tables.
    type Line = (String, Kind, Option<Value>, Option<Value>);

    fn lines(before: Value, after: Value) -> Vec<Line> {
        diff("configuration", &before, &after, 100).0.into_iter().map(|d| (d.path, d.kind, d.before, d.after)).collect()
    }

    fn changed(path: &str, a: Value, b: Value) -> Line {
        (path.to_owned(), Kind::Changed, Some(a), Some(b))
    }

    fn added(path: &str, v: Value) -> Line {
        (path.to_owned(), Kind::Added, None, Some(v))
    }

    fn removed(path: &str, v: Value) -> Line {
        (path.to_owned(), Kind::Removed, Some(v), None)
    }

    #[test]
    fn the_table() {
        let rule =
            |port: u16| json!({"ipProtocol": "tcp", "fromPort": port, "toPort": port, "ipRanges": ["0.0.0.0/0"]});
        let cases: Vec<(&str, Value, Value, Vec<Line>)> = vec![
            ("unchanged", json!({"a": [1, {"b": 2}]}), json!({"a": [1, {"b": 2}]}), vec![]),
            (
                "a scalar member changed",
                json!({"description": "a", "groupId": "sg-1"}),
                json!({"description": "b", "groupId": "sg-1"}),
                vec![changed("configuration.description", json!("a"), json!("b"))],
            ),
            (
                "nested objects: added, removed, changed leaves",
                json!({"vpc": {"id": "vpc-1", "cidr": "10.0.0.0/16", "old": true}}),
                json!({"vpc": {"id": "vpc-2", "cidr": "10.0.0.0/16", "new": {"x": 1}}}),
                vec![
                    changed("configuration.vpc.id", json!("vpc-1"), json!("vpc-2")),
                    removed("configuration.vpc.old", json!(true)),
                    added("configuration.vpc.new", json!({"x": 1})),
                ],
            ),
            (
                "an object appended to an array",
                json!({"ipPermissions": [rule(443)]}),
                json!({"ipPermissions": [rule(443), rule(22)]}),
                vec![added("configuration.ipPermissions[1]", rule(22))],
            ),
            (
                "an object inserted at the front is one addition",
                json!({"ipPermissions": [rule(443), rule(80)]}),
                json!({"ipPermissions": [rule(22), rule(443), rule(80)]}),
                vec![added("configuration.ipPermissions[0]", rule(22))],
            ),
            (
                "an object removed from the middle, by its old index",
                json!({"ipPermissions": [rule(22), rule(443), rule(80)]}),
                json!({"ipPermissions": [rule(22), rule(80)]}),
                vec![removed("configuration.ipPermissions[1]", rule(443))],
            ),
            (
                "an object of an array changed in place",
                json!({"ipPermissions": [rule(22), rule(443)]}),
                json!({"ipPermissions": [rule(22), {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "ipRanges": ["10.0.0.0/8"]}]}),
                vec![changed("configuration.ipPermissions[1].ipRanges[0]", json!("0.0.0.0/0"), json!("10.0.0.0/8"))],
            ),
            (
                "objects with nothing in common are a removal and an addition",
                json!({"list": [{"a": 1}]}),
                json!({"list": [{"b": 2}]}),
                vec![
                    removed("configuration.list[0]", json!({"a": 1})),
                    added("configuration.list[0]", json!({"b": 2})),
                ],
            ),
            (
                "scalars of an array changed pairwise",
                json!({"names": ["a", "b", "c"]}),
                json!({"names": ["a", "x", "c"]}),
                vec![changed("configuration.names[1]", json!("b"), json!("x"))],
            ),
            (
                "type changes",
                json!({"a": "1", "b": {"x": 1}, "c": [1], "d": null}),
                json!({"a": 1, "b": [1], "c": {"x": 1}, "d": false}),
                vec![
                    changed("configuration.a", json!("1"), json!(1)),
                    changed("configuration.b", json!({"x": 1}), json!([1])),
                    changed("configuration.c", json!([1]), json!({"x": 1})),
                    changed("configuration.d", json!(null), json!(false)),
                ],
            ),
            (
                "keys that are not plain names are quoted",
                json!({"aws:cloudformation:stack-name": "a", "with space": 1}),
                json!({"aws:cloudformation:stack-name": "b"}),
                vec![
                    changed("configuration[\"aws:cloudformation:stack-name\"]", json!("a"), json!("b")),
                    removed("configuration[\"with space\"]", json!(1)),
                ],
            ),
            (
                "a whole document replaced by null",
                json!({"a": 1}),
                json!(null),
                vec![changed("configuration", json!({"a": 1}), json!(null))],
            ),
            (
                "arrays emptied and filled",
                json!({"a": [1, 2], "b": []}),
                json!({"a": [], "b": [3]}),
                vec![
                    removed("configuration.a[0]", json!(1)),
                    removed("configuration.a[1]", json!(2)),
                    added("configuration.b[0]", json!(3)),
                ],
            ),
        ];
        for (name, before, after, expected) in cases {
            assert_eq!(lines(before, after), expected, "{name}");
        }
    }

    #[test]
    fn tags_diff_under_their_own_root() {
        let (found, more) =
            diff("tags", &json!({"env": "dev", "team": "a"}), &json!({"env": "prod", "owner": "b"}), 10);
        assert_eq!(more, 0);
        let paths: Vec<(&str, Kind)> = found.iter().map(|d| (d.path.as_str(), d.kind)).collect();
        assert_eq!(paths, [("tags.env", Kind::Changed), ("tags.team", Kind::Removed), ("tags.owner", Kind::Added)]);
    }

    #[test]
    fn the_limit_counts_what_it_leaves_out() {
        let before = json!({});
        let after = Value::Object((0..10).map(|i| (format!("k{i}"), json!(i))).collect());
        let (found, more) = diff("c", &before, &after, 3);
        assert_eq!(found.len(), 3);
        assert_eq!(more, 7);
    }

    #[test]
    fn long_arrays_fall_back_to_positions() {
        let old: Vec<Value> = (0..600).map(|i| json!(i)).collect();
        let mut new = old.clone();
        new.insert(0, json!(-1));
        // Too long to align: every position differs, so the limit bites; nothing panics.
        let (found, more) = diff("a", &Value::Array(old), &Value::Array(new), 5);
        assert_eq!(found.len(), 5);
        assert!(more > 0);
        assert_eq!(
            found[0],
            Difference { path: "a[0]".into(), kind: Kind::Changed, before: Some(json!(0)), after: Some(json!(-1)) }
        );
    }

    #[test]
    fn paths_of_members() {
        assert_eq!(member_path("", "tags"), "tags");
        assert_eq!(member_path("a", "b_c-d"), "a.b_c-d");
        assert_eq!(member_path("a", "1x"), "a[\"1x\"]");
        assert_eq!(member_path("a", ""), "a[\"\"]");
    }
}
