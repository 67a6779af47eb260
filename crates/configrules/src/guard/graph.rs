//! What cfn-guard's parse tree says about evaluation depth: rules refer to rules (`when other_rule`,
//! a bare rule name as a clause, a parameterized rule call) and variables to variables (`let a = %b`),
//! and cfn-guard follows each reference by recursion without noticing cycles. This refuses cycles
//! and bounds the effective depth: the deepest point of the tree reachable by following references,
//! counting the tree's nesting at each reference site (measured in levels of the tree as cfn-guard
//! serializes it).
//!
//! Variables are matched by name across scopes (a variable of one rule and a same-named one of
//! another are one node), so a cycle may be reported where scoping would break it; that only refuses
//! a policy that reuses names this way.

use serde_json::Value;
use std::collections::HashMap;

/// The deepest effective depth a policy may have.
pub const MAX_EFFECTIVE_DEPTH: usize = 192;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Name {
    Rule(String),
    Var(String),
}

impl Name {
    fn shown(&self) -> String {
        match self {
            Name::Rule(n) => format!("rule {n}"),
            Name::Var(n) => format!("%{n}"),
        }
    }
}

#[derive(Debug, Default)]
struct Node {
    local_depth: usize,
    /// (depth of the reference site, what it refers to)
    references: Vec<(usize, Name)>,
}

/// Checks a parse tree; returns the policy's rule names (in order, without repeats).
pub(super) fn check(tree: &Value) -> Result<Vec<String>, String> {
    let mut nodes: HashMap<Name, Node> = HashMap::new();
    let mut rule_names = Vec::new();
    let rules = tree.get("guard_rules").and_then(Value::as_array).into_iter().flatten();
    let parameterized = tree.get("parameterized_rules").and_then(Value::as_array).into_iter().flatten();
    for rule in rules.chain(parameterized.filter_map(|p| p.get("rule"))) {
        let Some(name) = rule.get("rule_name").and_then(Value::as_str) else { continue };
        if !rule_names.iter().any(|n| n == name) {
            rule_names.push(name.to_string());
        }
        add(&mut nodes, Name::Rule(name.to_string()), rule);
    }
    let mut lets = Vec::new();
    collect_lets(tree, &mut lets);
    for (var, value) in lets {
        add(&mut nodes, Name::Var(var.to_string()), value);
    }
    let mut memo = HashMap::new();
    let mut path = Vec::new();
    let mut names: Vec<&Name> = nodes.keys().collect();
    names.sort_by_key(|n| n.shown());
    for name in names {
        let depth = effective_depth(name, &nodes, &mut memo, &mut path)?;
        if depth > MAX_EFFECTIVE_DEPTH {
            return Err(format!(
                "The policy nests too deeply: {} reaches depth {depth} through its references, more than {MAX_EFFECTIVE_DEPTH}.",
                name.shown()
            ));
        }
    }
    Ok(rule_names)
}

fn add(nodes: &mut HashMap<Name, Node>, name: Name, subtree: &Value) {
    let node = nodes.entry(name).or_default();
    walk(subtree, 0, node);
}

/// Records the depth of `value` and the references in it.
fn walk(value: &Value, depth: usize, node: &mut Node) {
    node.local_depth = node.local_depth.max(depth);
    match value {
        Value::Array(items) => items.iter().for_each(|v| walk(v, depth + 1, node)),
        Value::Object(map) => {
            if let Some(rule) = map.get("dependent_rule").and_then(Value::as_str) {
                node.references.push((depth, Name::Rule(rule.to_string())));
            }
            for (key, child) in map {
                match (key.as_str(), child) {
                    // Literal values hold no references, only depth.
                    ("Value", _) => node.local_depth = node.local_depth.max(depth + 1 + value_depth(child)),
                    ("Key", Value::String(k)) if k.starts_with('%') => {
                        node.references.push((depth, Name::Var(k[1..].to_string())));
                    }
                    _ => walk(child, depth + 1, node),
                }
            }
        }
        _ => {}
    }
}

fn value_depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(value_depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(value_depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Every `let` in the tree: objects with a string `var` and a `value`.
fn collect_lets<'v>(value: &'v Value, out: &mut Vec<(&'v str, &'v Value)>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect_lets(v, out)),
        Value::Object(map) => {
            if let (Some(Value::String(var)), Some(v)) = (map.get("var"), map.get("value")) {
                out.push((var, v));
            }
            for (key, child) in map {
                if key != "Value" {
                    collect_lets(child, out);
                }
            }
        }
        _ => {}
    }
}

/// The node's local depth, or the deepest reference site plus its target's effective depth.
fn effective_depth<'n>(
    name: &'n Name,
    nodes: &'n HashMap<Name, Node>,
    memo: &mut HashMap<&'n Name, usize>,
    path: &mut Vec<&'n Name>,
) -> Result<usize, String> {
    if let Some(depth) = memo.get(name) {
        return Ok(*depth);
    }
    if let Some(at) = path.iter().position(|n| *n == name) {
        let cycle: Vec<String> = path[at..].iter().chain(std::iter::once(&name)).map(|n| n.shown()).collect();
        return Err(format!(
            "The policy's rules and variables refer to each other in a cycle: {}.",
            cycle.join(" -> ")
        ));
    }
    let Some(node) = nodes.get(name) else { return Ok(0) };
    if path.len() > MAX_EFFECTIVE_DEPTH {
        return Err(format!("The policy's references chain more than {MAX_EFFECTIVE_DEPTH} deep."));
    }
    path.push(name);
    let mut depth = node.local_depth;
    for (site, target) in &node.references {
        if let Some((target, _)) = nodes.get_key_value(target) {
            depth = depth.max(site + effective_depth(target, nodes, memo, path)?);
        }
    }
    path.pop();
    memo.insert(name, depth);
    Ok(depth)
}
