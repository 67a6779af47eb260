//! The metric math functions, grouped by kind, and the call plumbing they share: arguments evaluated up front,
//! type errors worded like CloudWatch's, labels for the series they build.

mod aggregate;
mod anomaly;
mod arrays;
mod conditional;
mod pointwise;
mod search;
mod temporal;

use crate::ast::{Expr, Func};
use crate::error::{EvalError, EvalErrorKind};
use crate::eval::{Evaluator, Operand};
use crate::value::Value;

/// One call being evaluated.
pub(crate) struct Call<'a, 'c> {
    pub(crate) ev: &'a Evaluator<'c>,
    pub(crate) func: Func,
    /// The call node itself: its span for errors, its text for labels.
    pub(crate) expr: &'a Expr,
}

impl Call<'_, '_> {
    /// `Unsupported operand type(s) for FUNC: '[...]'`, listing every argument's kind.
    pub(crate) fn type_error(&self, args: &[Operand]) -> EvalError {
        let types = args.iter().map(Operand::type_name).collect();
        EvalError::new(EvalErrorKind::Type { op: self.func.name().to_string(), types }, self.expr.span)
    }

    pub(crate) fn invalid(&self, message: impl Into<String>) -> EvalError {
        EvalError::new(
            EvalErrorKind::InvalidArgument { func: self.func.name(), message: message.into() },
            self.expr.span,
        )
    }

    /// The label of a series this call builds from several inputs: the call's own text.
    pub(crate) fn label(&self) -> String {
        self.expr.to_string()
    }

    pub(crate) fn slots(&self) -> usize {
        self.ev.slots
    }

    pub(crate) fn grid(&self) -> &[i64] {
        self.ev.grid()
    }
}

/// Evaluates the arguments, then the function.
pub(crate) fn call(ev: &Evaluator<'_>, func: Func, args: &[Expr], expr: &Expr) -> Result<Value, EvalError> {
    let call = Call { ev, func, expr };
    // The parser checks arities; a tree built by hand may not have.
    let (min, max) = func.arity();
    if args.len() < min || args.len() > max {
        let expected = if min == max { min.to_string() } else { format!("{min} to {max}") };
        return Err(call.invalid(format!("takes {expected} argument(s), {} given", args.len())));
    }
    let operands = args.iter().map(|arg| ev.operand(arg)).collect::<Result<Vec<_>, _>>()?;
    match func {
        Func::Abs => pointwise::elementwise(&call, operands, f64::abs),
        Func::Ceil => pointwise::elementwise(&call, operands, f64::ceil),
        Func::Floor => pointwise::elementwise(&call, operands, f64::floor),
        Func::Log => pointwise::elementwise(&call, operands, f64::ln),
        Func::Log10 => pointwise::elementwise(&call, operands, f64::log10),
        Func::TimeSeries => pointwise::time_series(&call, operands),
        Func::Sum | Func::Avg | Func::Min | Func::Max | Func::Stddev | Func::DatapointCount => {
            aggregate::aggregate(&call, operands)
        }
        Func::MetricCount => aggregate::metric_count(&call, operands),
        Func::Rate | Func::Diff | Func::DiffTime | Func::RunningSum => temporal::transform(&call, operands),
        Func::Period => temporal::period(&call, operands),
        Func::Fill => temporal::fill(&call, operands),
        Func::Metrics => arrays::metrics(&call, operands),
        Func::RemoveEmpty => arrays::remove_empty(&call, operands),
        Func::First | Func::Last => arrays::first_last(&call, operands),
        Func::Sort => arrays::sort(&call, operands),
        Func::Slice => arrays::slice(&call, operands),
        Func::If => conditional::if_(&call, operands),
        Func::Search => search::search(&call, operands),
        Func::AnomalyDetectionBand => anomaly::band(&call, operands),
    }
}

/// A scalar argument as a non-negative whole number (truncated), or an error naming what it is for.
pub(crate) fn count_arg(call: &Call<'_, '_>, value: f64, what: &str) -> Result<usize, EvalError> {
    if !value.is_finite() || value < 0.0 {
        return Err(call.invalid(format!("{what} must be a non-negative number, got {value}")));
    }
    // `as` saturates: a huge count is as good as "all of them".
    Ok(value.trunc() as usize)
}
