//! Evaluating an expression against a trace's summary. Trace-level keywords read the root segment (`ok`,
//! `error`, `fault`, `http.*`, `responsetime`) or the whole trace (`throttle`, `partial`, `duration`, and `user`,
//! `annotation.*`, zones, instances and ARNs on any segment); `service()` and `edge()` hold when some matching
//! node's or edge's request satisfies their block; `rootcause.*` walks the summary's root causes. A comparison
//! with a field that is missing, or of another type, is false.

use super::{AnyOp, CauseKind, CauseLevel, Compare, Expr, FlagKey, GroupRef, Literal, NodeRef, NumberKey, TextKey};
use crate::document::Annotation;
use crate::summary::{RootCause, Summary};
use crate::trace_graph::{Class, Node, Observation, Role, ServiceKey};

/// Group expressions by name or ARN, for `group.name = "..."`.
pub trait Groups {
    fn expression(&self, by: GroupRef, value: &str) -> Option<Expr>;
}

/// No groups: every `group.*` reference is false.
pub struct NoGroups;

impl Groups for NoGroups {
    fn expression(&self, _by: GroupRef, _value: &str) -> Option<Expr> {
        None
    }
}

/// How deep group expressions may refer to other groups.
const GROUP_DEPTH: usize = 8;

struct Trace<'a> {
    summary: &'a Summary,
    account: &'a str,
    groups: &'a dyn Groups,
}

/// Whether the trace of `summary`, in `account`, matches `expr`.
pub fn matches(expr: &Expr, summary: &Summary, account: &str, groups: &dyn Groups) -> bool {
    Trace { summary, account, groups }.holds(expr, GROUP_DEPTH)
}

fn number(value: Option<f64>, comparison: Option<(Compare, f64)>) -> bool {
    match (value, comparison) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(value), Some((op, right))) => op.holds(value, right),
    }
}

fn text<'v>(mut values: impl Iterator<Item = &'v str>, comparison: &Option<(super::TextOp, String)>) -> bool {
    match comparison {
        None => values.next().is_some(),
        Some((op, right)) => values.any(|value| op.holds(value, right)),
    }
}

fn annotation(value: &Annotation, comparison: &Option<(AnyOp, Literal)>) -> bool {
    match (comparison, value) {
        (None, Annotation::Bool(b)) => *b,
        (None, _) => true,
        (Some((AnyOp::Compare(op), Literal::Number(right))), Annotation::Number(left)) => op.holds(*left, *right),
        (Some((AnyOp::Compare(Compare::Eq), Literal::Text(right))), Annotation::Text(left)) => left == right,
        (Some((AnyOp::Compare(Compare::Ne), Literal::Text(right))), Annotation::Text(left)) => left != right,
        (Some((AnyOp::Compare(Compare::Eq), Literal::Bool(right))), Annotation::Bool(left)) => left == right,
        (Some((AnyOp::Compare(Compare::Ne), Literal::Bool(right))), Annotation::Bool(left)) => left != right,
        (Some((AnyOp::Text(op), Literal::Text(right))), Annotation::Text(left)) => op.holds(left, right),
        _ => false,
    }
}

/// Whether `node` is one `reference` names (an empty reference names every node).
pub fn node_matches(node: &ServiceKey, reference: &NodeRef, account: &str) -> bool {
    reference.name.as_ref().is_none_or(|name| &node.name == name)
        && reference.kind.as_ref().is_none_or(|kind| node.kind.as_ref() == Some(kind))
        && reference.account.as_ref().is_none_or(|id| id == account)
}

/// A request of a node or an edge, where a block is evaluated.
struct Request<'a> {
    observation: &'a Observation,
    node: Option<&'a Node>,
}

impl Request<'_> {
    fn holds(&self, expr: &Expr) -> bool {
        let class = self.observation.class;
        match expr {
            Expr::And(a, b) => self.holds(a) && self.holds(b),
            Expr::Or(a, b) => self.holds(a) || self.holds(b),
            Expr::Not(inner) => !self.holds(inner),
            Expr::Flag(key, value) => {
                let actual = match key {
                    FlagKey::Ok => class == Class::Ok,
                    FlagKey::Error => matches!(class, Class::Error | Class::Throttle),
                    FlagKey::Throttle => class == Class::Throttle,
                    FlagKey::Fault => class == Class::Fault,
                    FlagKey::Root => self.node.is_some_and(|n| n.root),
                    _ => false,
                };
                actual == *value
            }
            Expr::Number(key, comparison) => {
                let value = match key {
                    NumberKey::ResponseTime | NumberKey::Duration => Some(self.observation.duration()),
                    NumberKey::HttpStatus => self.observation.status.map(f64::from),
                    _ => None,
                };
                number(value, *comparison)
            }
            _ => false,
        }
    }
}

/// One element of a root-cause list, where a `rootcause` block is evaluated.
struct CauseItem<'a> {
    index: usize,
    count: usize,
    name: &'a str,
    kind: Option<&'a str>,
    message: Option<&'a str>,
    inferred: bool,
    remote: bool,
}

impl CauseItem<'_> {
    fn holds(&self, expr: &Expr, account: &str) -> bool {
        match expr {
            Expr::And(a, b) => self.holds(a, account) && self.holds(b, account),
            Expr::Or(a, b) => self.holds(a, account) || self.holds(b, account),
            Expr::Not(inner) => !self.holds(inner, account),
            Expr::Flag(key, value) => {
                let actual = match key {
                    FlagKey::First => self.index == 0,
                    FlagKey::Last => self.index + 1 == self.count,
                    FlagKey::Inferred => self.inferred,
                    FlagKey::Remote => self.remote,
                    _ => false,
                };
                actual == *value
            }
            Expr::Number(NumberKey::Index, comparison) => number(Some(self.index as f64), *comparison),
            Expr::Text(key, comparison) => {
                let value = match key {
                    TextKey::Name => Some(self.name),
                    TextKey::Type => self.kind,
                    TextKey::Message => self.message,
                    TextKey::AccountId => Some(account),
                    _ => None,
                };
                text(value.into_iter(), comparison)
            }
            _ => false,
        }
    }
}

impl Trace<'_> {
    fn holds(&self, expr: &Expr, group_depth: usize) -> bool {
        let summary = self.summary;
        match expr {
            Expr::And(a, b) => self.holds(a, group_depth) && self.holds(b, group_depth),
            Expr::Or(a, b) => self.holds(a, group_depth) || self.holds(b, group_depth),
            Expr::Not(inner) => !self.holds(inner, group_depth),
            Expr::Flag(key, value) => {
                let actual = match key {
                    FlagKey::Ok => !summary.has_fault && !summary.has_error,
                    FlagKey::Error => summary.has_error,
                    FlagKey::Fault => summary.has_fault,
                    FlagKey::Throttle => summary.has_throttle,
                    FlagKey::Partial => summary.is_partial,
                    FlagKey::Inferred => summary.graph.nodes.iter().any(|n| n.role == Role::Inferred),
                    _ => false,
                };
                actual == *value
            }
            Expr::Number(key, comparison) => {
                let value = match key {
                    NumberKey::ResponseTime => summary.response_time,
                    NumberKey::Duration => Some(summary.duration()),
                    NumberKey::HttpStatus => summary.http.as_ref().and_then(|h| h.status).map(f64::from),
                    _ => None,
                };
                number(value, *comparison)
            }
            Expr::Text(key, comparison) => {
                let http = summary.http.as_ref();
                match key {
                    TextKey::HttpUrl => text(http.and_then(|h| h.url.as_deref()).into_iter(), comparison),
                    TextKey::HttpMethod => text(http.and_then(|h| h.method.as_deref()).into_iter(), comparison),
                    TextKey::HttpUserAgent => text(http.and_then(|h| h.user_agent.as_deref()).into_iter(), comparison),
                    TextKey::HttpClientIp => text(http.and_then(|h| h.client_ip.as_deref()).into_iter(), comparison),
                    TextKey::User => text(summary.users.iter().map(|(u, _)| u.as_str()), comparison),
                    TextKey::AvailabilityZone => {
                        text(summary.availability_zones.iter().map(String::as_str), comparison)
                    }
                    TextKey::InstanceId => text(summary.instance_ids.iter().map(String::as_str), comparison),
                    TextKey::ResourceArn => text(summary.resource_arns.iter().map(String::as_str), comparison),
                    _ => false,
                }
            }
            Expr::Annotation(key, comparison) => {
                summary.annotations.iter().filter(|a| &a.key == key).any(|a| annotation(&a.value, comparison))
            }
            Expr::Service(reference, block) => summary
                .graph
                .nodes
                .iter()
                .filter(|n| n.role != Role::Client && node_matches(&n.key, reference, self.account))
                .any(|node| match block {
                    None => true,
                    Some(block) => {
                        node.observations.iter().any(|o| Request { observation: o, node: Some(node) }.holds(block))
                    }
                }),
            Expr::Edge(from, to, block) => summary.graph.edges.iter().any(|edge| {
                let (source, target) = (&summary.graph.nodes[edge.from], &summary.graph.nodes[edge.to]);
                node_matches(&source.key, from, self.account)
                    && node_matches(&target.key, to, self.account)
                    && match block {
                        None => true,
                        Some(block) => {
                            edge.observations.iter().any(|o| Request { observation: o, node: None }.holds(block))
                        }
                    }
            }),
            Expr::RootCause(kind, level, block) => {
                let causes: &[RootCause] = match kind {
                    CauseKind::Fault => &summary.fault_root_causes,
                    CauseKind::Error => &summary.error_root_causes,
                    CauseKind::ResponseTime => &[],
                };
                self.cause_holds(causes, *level, block)
            }
            Expr::Group(by, value, equal) => {
                let inner = (group_depth > 0)
                    .then(|| self.groups.expression(*by, value))
                    .flatten()
                    .is_some_and(|expr| self.holds(&expr, group_depth - 1));
                inner == *equal
            }
        }
    }

    fn cause_holds(&self, causes: &[RootCause], level: CauseLevel, block: &Expr) -> bool {
        match level {
            CauseLevel::Service => causes.iter().enumerate().any(|(index, cause)| {
                CauseItem {
                    index,
                    count: causes.len(),
                    name: &cause.service.name,
                    kind: cause.service.kind.as_deref(),
                    message: None,
                    inferred: cause.inferred,
                    remote: false,
                }
                .holds(block, self.account)
            }),
            CauseLevel::Entity => causes.iter().any(|cause| {
                cause.path.iter().enumerate().any(|(index, (name, _, remote))| {
                    CauseItem {
                        index,
                        count: cause.path.len(),
                        name,
                        kind: None,
                        message: None,
                        inferred: cause.inferred,
                        remote: *remote,
                    }
                    .holds(block, self.account)
                })
            }),
            CauseLevel::Exception => causes.iter().flat_map(|c| c.path.iter()).any(|(_, exceptions, _)| {
                exceptions.iter().enumerate().any(|(index, exception)| {
                    CauseItem {
                        index,
                        count: exceptions.len(),
                        name: &exception.kind,
                        kind: None,
                        message: Some(&exception.message),
                        inferred: false,
                        remote: exception.remote,
                    }
                    .holds(block, self.account)
                })
            }),
        }
    }
}
