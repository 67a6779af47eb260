//! Walks a syntax tree against a [`Context`]: resolves ids, applies operators (in [`ops`]) and hands calls to
//! [`crate::functions`].

pub(crate) mod ops;

use crate::ast::{Expr, ExprKind, Span};
use crate::budget::Budget;
use crate::context::Context;
use crate::error::{EvalError, EvalErrorKind};
use crate::functions;
use crate::value::{Series, Value};

/// Evaluates a parsed expression in the request `ctx` describes, within the default [`Budget`].
pub fn evaluate(expr: &Expr, ctx: &dyn Context) -> Result<Value, EvalError> {
    evaluate_within(expr, ctx, &Budget::default())
}

/// Evaluates a parsed expression, charging every series it copies from the context to `budget` first.
pub fn evaluate_within(expr: &Expr, ctx: &dyn Context, budget: &Budget) -> Result<Value, EvalError> {
    let evaluator = Evaluator { ctx, slots: ctx.grid().len(), budget };
    evaluator.value(expr)
}

/// What a subexpression evaluates to before its parent decides whether it fits: a value, or a string or bare
/// word that only some function arguments accept.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    Value(Value),
    Str(String),
    Word(String),
}

impl Operand {
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Operand::Value(v) => v.type_name(),
            Operand::Str(_) => "String",
            Operand::Word(_) => "Keyword",
        }
    }
}

pub(crate) struct Evaluator<'a> {
    pub(crate) ctx: &'a dyn Context,
    /// Number of grid slots: the length of every series.
    pub(crate) slots: usize,
    pub(crate) budget: &'a Budget,
}

impl Evaluator<'_> {
    pub(crate) fn grid(&self) -> &[i64] {
        self.ctx.grid()
    }

    /// Evaluates a subexpression that must be a value (not a string or a bare word).
    pub(crate) fn value(&self, expr: &Expr) -> Result<Value, EvalError> {
        match self.operand(expr)? {
            Operand::Value(v) => Ok(v),
            Operand::Str(_) => {
                Err(EvalError::new(EvalErrorKind::Type { op: "expression".into(), types: vec!["String"] }, expr.span))
            }
            Operand::Word(word) => Err(EvalError::new(EvalErrorKind::UnknownWord(word), expr.span)),
        }
    }

    pub(crate) fn operand(&self, expr: &Expr) -> Result<Operand, EvalError> {
        let value = match &expr.kind {
            ExprKind::Number(n) => Value::Scalar(*n),
            ExprKind::Str(s) => return Ok(Operand::Str(s.clone())),
            ExprKind::Word(w) => return Ok(Operand::Word(w.clone())),
            ExprKind::Id(id) => self.lookup(id, expr)?,
            ExprKind::Array(items) => self.array(items, expr)?,
            ExprKind::Call { func, args } => functions::call(self, *func, args, expr)?,
            ExprKind::Unary { op, operand } => {
                let inner = self.operand(operand)?;
                ops::unary(*op, inner).map_err(|kind| EvalError::new(kind, expr.span))?
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let left = self.operand(lhs)?;
                let right = self.operand(rhs)?;
                ops::binary(*op, left, right, || expr.to_string()).map_err(|kind| EvalError::new(kind, expr.span))?
            }
        };
        Ok(Operand::Value(value))
    }

    fn lookup(&self, id: &str, expr: &Expr) -> Result<Value, EvalError> {
        let value =
            self.ctx.query(id).ok_or_else(|| EvalError::new(EvalErrorKind::UnknownId(id.to_string()), expr.span))?;
        self.copy(value, expr.span)
    }

    /// Charges `series` series to the budget before they are copied or built.
    pub(crate) fn charge(&self, series: usize, span: Span) -> Result<(), EvalError> {
        self.budget
            .take(series, self.slots)
            .map_err(|e| EvalError::new(EvalErrorKind::TooManyDatapoints { limit: e.limit }, span))
    }

    /// A copy of a value from the context, on the grid's shape, once charged.
    pub(crate) fn copy(&self, value: &Value, span: Span) -> Result<Value, EvalError> {
        self.charge(value.series_count(), span)?;
        Ok(self.normalize(value.clone()))
    }

    /// Brings a value from the caller onto the grid's shape.
    pub(crate) fn normalize(&self, value: Value) -> Value {
        match value {
            Value::Scalar(v) => Value::Scalar(v),
            Value::Series(s) => Value::Series(s.normalized(self.slots)),
            Value::Array(items) => Value::Array(items.into_iter().map(|s| s.normalized(self.slots)).collect()),
        }
    }

    /// `[a, b, ...]`: series and arrays of series, flattened into one array.
    fn array(&self, items: &[Expr], expr: &Expr) -> Result<Value, EvalError> {
        let mut members: Vec<Series> = Vec::new();
        for item in items {
            match self.operand(item)? {
                Operand::Value(Value::Series(s)) => members.push(s),
                Operand::Value(Value::Array(inner)) => members.extend(inner),
                other => {
                    let kind = EvalErrorKind::Type { op: "[]".into(), types: vec![other.type_name()] };
                    return Err(EvalError::new(kind, expr.span));
                }
            }
        }
        Ok(Value::Array(members))
    }
}
