//! The `WHERE` condition, compiled once per evaluation (literals read as numbers and addresses, patterns checked)
//! and tested against each item. A predicate on a path holds when some value the path reaches satisfies it, each
//! predicate on its own: `a.x = 1 AND a.y = 2` may be satisfied by two different elements of `a`, as AWS documents.
//! The negated forms (`!=`, `NOT IN`, `NOT BETWEEN`, `NOT LIKE`, `NOT`) negate that, so they also hold for an item
//! without the property.

use serde_json::Value;

use crate::ast::{CompareOp, Condition, Path};
use crate::compare::{self, Op, Operand};
use crate::like::LikePattern;
use crate::path;

pub struct Filter<'q> {
    node: Node<'q>,
}

enum Node<'q> {
    And(Vec<Node<'q>>),
    Or(Vec<Node<'q>>),
    Not(Box<Node<'q>>),
    /// Some value satisfies the test.
    Any(&'q Path, Test<'q>),
}

enum Test<'q> {
    Compare(Op, Operand<'q>),
    In(Vec<Operand<'q>>),
    Between(Operand<'q>, Operand<'q>),
    /// A pattern the parser refused cannot reach here; `None` would match nothing.
    Like(Option<LikePattern<'q>>),
}

impl<'q> Filter<'q> {
    pub fn new(condition: &'q Condition) -> Self {
        Self { node: compile(condition) }
    }

    pub fn matches(&self, item: &Value) -> bool {
        node_matches(&self.node, item)
    }
}

fn negate(negated: bool, node: Node<'_>) -> Node<'_> {
    if negated { Node::Not(Box::new(node)) } else { node }
}

fn compile(condition: &Condition) -> Node<'_> {
    match condition {
        Condition::And(parts) => Node::And(parts.iter().map(compile).collect()),
        Condition::Or(parts) => Node::Or(parts.iter().map(compile).collect()),
        Condition::Not(inner) => Node::Not(Box::new(compile(inner))),
        Condition::Compare { path, op, value } => {
            let (op, negated) = match op {
                CompareOp::Eq => (Op::Eq, false),
                CompareOp::Ne => (Op::Eq, true),
                CompareOp::Lt => (Op::Lt, false),
                CompareOp::Le => (Op::Le, false),
                CompareOp::Gt => (Op::Gt, false),
                CompareOp::Ge => (Op::Ge, false),
            };
            negate(negated, Node::Any(path, Test::Compare(op, Operand::new(value))))
        }
        Condition::In { path, negated, values } => {
            negate(*negated, Node::Any(path, Test::In(values.iter().map(Operand::new).collect())))
        }
        Condition::Between { path, negated, low, high } => {
            negate(*negated, Node::Any(path, Test::Between(Operand::new(low), Operand::new(high))))
        }
        Condition::Like { path, negated, pattern } => {
            negate(*negated, Node::Any(path, Test::Like(LikePattern::parse(pattern).ok())))
        }
    }
}

fn node_matches(node: &Node<'_>, item: &Value) -> bool {
    match node {
        Node::And(parts) => parts.iter().all(|part| node_matches(part, item)),
        Node::Or(parts) => parts.iter().any(|part| node_matches(part, item)),
        Node::Not(inner) => !node_matches(inner, item),
        Node::Any(path, test) => path::any(item, path, &mut |value| test_holds(test, value)),
    }
}

fn test_holds(test: &Test<'_>, value: &Value) -> bool {
    match test {
        Test::Compare(op, operand) => compare::holds(value, *op, operand),
        Test::In(operands) => operands.iter().any(|operand| compare::holds(value, Op::Eq, operand)),
        Test::Between(low, high) => compare::between(value, low, high),
        Test::Like(pattern) => match (pattern, value) {
            (Some(pattern), Value::String(text)) => pattern.matches(text),
            _ => false,
        },
    }
}
