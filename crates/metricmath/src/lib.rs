//! CloudWatch metric math: the expression language of GetMetricData `Expression` queries and of alarms on
//! expressions, parsed into a syntax tree ([`parse`]), printed back ([`Expr`]'s `Display`), inspected for
//! dependencies ([`references`]) and evaluated over series aligned on the request's grid ([`evaluate`]).
//!
//! The engine stays outside: a [`Context`] supplies the grid, the other queries' results and SEARCH. The caller
//! orders queries by [`references`], evaluates MetricStat queries first, then each expression, and turns the
//! [`Value`] into results ([`Value::into_series`]), wrapping errors as GetMetricData does
//! ([`expression_error_message`]).

mod ast;
mod budget;
mod context;
mod error;
mod eval;
mod functions;
mod lexer;
mod parser;
mod print;
mod value;

pub use ast::{BinaryOp, Expr, ExprKind, Func, NEG_PRECEDENCE, NOT_PRECEDENCE, References, Span, UnaryOp, references};
pub use budget::{Budget, BudgetExceeded, DEFAULT_MAX_CELLS};
pub use context::Context;
pub use error::{EvalError, EvalErrorKind, ParseError, ParseErrorKind, expression_error_message};
pub use eval::{evaluate, evaluate_within};
pub use parser::{MAX_HEIGHT, MAX_LENGTH, MAX_NESTING, parse};
pub use value::{Series, Value};
