//! X-Ray's filter expressions (GetTraceSummaries, groups): the lexer, a recursive-descent parser with length and
//! depth limits that checks each keyword's type and where it may appear, and the evaluation against a trace's
//! [`Summary`](crate::summary::Summary). Keywords and `AND`/`OR`/`NOT` are case-insensitive; terms side by side
//! are ANDed; `!`/`NOT` binds tightest, then AND, then OR.

mod eval;
mod lexer;
mod parser;

pub use eval::{Groups, NoGroups, matches, node_matches};
pub use parser::parse;

/// The longest expression taken.
pub const MAX_LENGTH: usize = 2000;
/// The deepest nesting of parentheses, braces and negations.
pub const MAX_DEPTH: usize = 32;

/// Why an expression was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Invalid filter expression: {message} at position {position}")]
pub struct FilterError {
    pub message: String,
    pub position: usize,
}

impl FilterError {
    pub(crate) fn at(message: impl Into<String>, position: usize) -> Self {
        Self { message: message.into(), position }
    }
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    /// A boolean keyword compared with a value (a bare keyword compares with `true`).
    Flag(FlagKey, bool),
    /// A number keyword, compared or (bare) set.
    Number(NumberKey, Option<(Compare, f64)>),
    /// A string keyword, compared or (bare) set.
    Text(TextKey, Option<(TextOp, String)>),
    /// `annotation.key`, compared or (bare) set.
    Annotation(String, Option<(AnyOp, Literal)>),
    /// `service(...) { ... }`: some node matching (every node when the reference is empty).
    Service(NodeRef, Option<Box<Expr>>),
    /// `edge(from, to) { ... }`.
    Edge(NodeRef, NodeRef, Option<Box<Expr>>),
    /// `rootcause.<kind>.<level> { ... }`.
    RootCause(CauseKind, CauseLevel, Box<Expr>),
    /// `group.name = "..."` or `group.arn = "..."` (`false`: `!=`).
    Group(GroupRef, String, bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKey {
    Ok,
    Error,
    Fault,
    Throttle,
    Partial,
    Inferred,
    Root,
    Remote,
    First,
    Last,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKey {
    ResponseTime,
    Duration,
    HttpStatus,
    Index,
    Coverage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKey {
    HttpUrl,
    HttpMethod,
    HttpUserAgent,
    HttpClientIp,
    User,
    Name,
    Type,
    Message,
    AvailabilityZone,
    InstanceId,
    ResourceArn,
    AccountId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Compare {
    pub fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Compare::Eq => left == right,
            Compare::Ne => left != right,
            Compare::Lt => left < right,
            Compare::Le => left <= right,
            Compare::Gt => left > right,
            Compare::Ge => left >= right,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextOp {
    Eq,
    Ne,
    Contains,
    BeginsWith,
    EndsWith,
}

impl TextOp {
    pub fn holds(self, left: &str, right: &str) -> bool {
        match self {
            TextOp::Eq => left == right,
            TextOp::Ne => left != right,
            TextOp::Contains => left.contains(right),
            TextOp::BeginsWith => left.starts_with(right),
            TextOp::EndsWith => left.ends_with(right),
        }
    }
}

/// An annotation's operator: numeric comparisons or string operators, by the literal's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnyOp {
    Compare(Compare),
    Text(TextOp),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Text(String),
    Number(f64),
    Bool(bool),
}

/// A node reference: a name, or `id(name:, type:, account.id:)`; empty matches every node.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodeRef {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub account: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CauseKind {
    Fault,
    Error,
    ResponseTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CauseLevel {
    Service,
    Entity,
    Exception,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupRef {
    Name,
    Arn,
}
