//! The errors of parsing and evaluating, with messages worded like CloudWatch's, and the
//! `Error in expression '<id>': ...` wrapper GetMetricData puts around them.

use std::fmt;

use thiserror::Error;

use crate::ast::Span;

/// The expression text is not valid metric math.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{kind} (at {span})")]
pub struct ParseError {
    pub kind: ParseErrorKind,
    pub span: Span,
}

impl ParseError {
    pub fn new(kind: ParseErrorKind, span: Span) -> Self {
        ParseError { kind, span }
    }
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum ParseErrorKind {
    #[error("Invalid syntax: the expression is empty")]
    Empty,
    #[error("Invalid syntax: unexpected character '{0}'")]
    UnexpectedChar(char),
    #[error("Invalid syntax: unterminated string")]
    UnterminatedString,
    #[error("Invalid syntax: invalid number")]
    InvalidNumber,
    #[error("Invalid syntax: unexpected {0}")]
    UnexpectedToken(String),
    #[error("Invalid syntax: unexpected end of expression")]
    UnexpectedEnd,
    #[error("Invalid syntax: '{0}' is not a valid id (ids start with a lowercase letter)")]
    InvalidId(String),
    #[error("Invalid syntax: unrecognized function '{0}' (function names are uppercase)")]
    UnknownFunction(String),
    #[error("Invalid syntax: {func} takes {expected} argument(s), {got} given")]
    WrongArity { func: &'static str, expected: String, got: usize },
    #[error("Invalid syntax: the expression is nested more than {0} levels deep")]
    TooDeep(usize),
    #[error("Invalid syntax: the expression has more than {0} levels of operators")]
    TooTall(usize),
    #[error("Invalid syntax: the expression is longer than {0} characters")]
    TooLong(usize),
}

/// The expression parsed but cannot be evaluated against this request.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{kind}")]
pub struct EvalError {
    pub kind: EvalErrorKind,
    /// Where in the expression text the failing part is.
    pub span: Span,
}

impl EvalError {
    pub fn new(kind: EvalErrorKind, span: Span) -> Self {
        EvalError { kind, span }
    }
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum EvalErrorKind {
    /// An id that names no query of the request (or a query that has no result yet).
    #[error("Unrecognized identifier '{0}'")]
    UnknownId(String),
    /// A bare word where only a value can stand, or a word the function does not accept.
    #[error("Unrecognized keyword '{0}'")]
    UnknownWord(String),
    /// Operands of the wrong kinds, worded as CloudWatch words it, e.g.
    /// `Unsupported operand type(s) for ANOMALY_DETECTION_BAND: '[Array[TimeSeries], Scalar]'`.
    #[error("Unsupported operand type(s) for {op}: '[{}]'", .types.join(", "))]
    Type { op: String, types: Vec<&'static str> },
    /// The kinds fit but a value does not (a negative SLICE index, an unknown sort order...).
    #[error("Invalid argument for {func}: {message}")]
    InvalidArgument { func: &'static str, message: String },
    /// The series the expression copies or builds would pass the request's memory bound.
    #[error(
        "The expression needs more than {limit} datapoints; reduce the number of metrics, increase the period or shorten the time range"
    )]
    TooManyDatapoints { limit: usize },
    /// The engine could not run a SEARCH.
    #[error("{0}")]
    Search(String),
}

/// GetMetricData's wording for a failed expression: `Error in expression 'e1': <message>`.
pub fn expression_error_message(query_id: &str, error: &dyn fmt::Display) -> String {
    format!("Error in expression '{query_id}': {error}")
}
