//! The values expressions produce: scalars, time series on the request's grid, and arrays of time series.

/// One time series on the request's grid: one slot per bucket timestamp of [`crate::Context::grid`], `None` where
/// the series has no datapoint. Values produced by evaluation are always finite: a slot whose arithmetic gives
/// NaN or infinity (a division by zero, the LOG of a negative number) is dropped, as AWS drops such datapoints.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// For a metric, its label; for an expression over an array, each member keeps its own label. Series built
    /// by combining several series are labelled with the text of the subexpression that built them.
    pub label: String,
    /// The query id the series comes from, while it is that query's data (possibly transformed point by point).
    pub id: Option<String>,
    pub values: Vec<Option<f64>>,
}

impl Series {
    pub fn new(label: impl Into<String>, id: Option<String>, values: Vec<Option<f64>>) -> Self {
        Series { label: label.into(), id, values }
    }

    /// A series with no datapoint.
    pub fn empty(label: impl Into<String>, slots: usize) -> Self {
        Series { label: label.into(), id: None, values: vec![None; slots] }
    }

    /// The same value in every slot (nothing if it is not finite).
    pub fn constant(label: impl Into<String>, value: f64, slots: usize) -> Self {
        let value = value.is_finite().then_some(value);
        Series { label: label.into(), id: None, values: vec![value; slots] }
    }

    /// Whether any slot has a datapoint.
    pub fn has_data(&self) -> bool {
        self.values.iter().any(Option::is_some)
    }

    /// The datapoints present, in time order.
    pub fn present(&self) -> impl Iterator<Item = f64> + '_ {
        self.values.iter().flatten().copied()
    }

    /// Brings a series from outside (the caller, a SEARCH) onto the grid's shape: cut or padded to `slots`,
    /// non-finite values dropped.
    pub(crate) fn normalized(mut self, slots: usize) -> Self {
        self.values.resize(slots, None);
        for value in &mut self.values {
            if value.is_some_and(|v| !v.is_finite()) {
                *value = None;
            }
        }
        self
    }
}

/// What an expression evaluates to.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Scalar(f64),
    Series(Series),
    Array(Vec<Series>),
}

impl Value {
    /// The name CloudWatch gives the kind in type errors.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Scalar(_) => "Scalar",
            Value::Series(_) => "TimeSeries",
            Value::Array(_) => "Array[TimeSeries]",
        }
    }

    /// How many series the value holds (a scalar is spread over one when it becomes a series).
    pub fn series_count(&self) -> usize {
        match self {
            Value::Scalar(_) | Value::Series(_) => 1,
            Value::Array(items) => items.len(),
        }
    }

    /// The series a result stands for in a GetMetricData response: a scalar becomes a constant series over the
    /// grid (with no datapoint if it is not finite, e.g. the AVG of a series without data), a series itself, an
    /// array its members. AWS's documentation calls a scalar final result invalid; whether to accept it is the
    /// caller's choice.
    pub fn into_series(self, slots: usize) -> Vec<Series> {
        match self {
            Value::Scalar(v) => vec![Series::constant("", v, slots)],
            Value::Series(s) => vec![s],
            Value::Array(items) => items,
        }
    }
}

/// `Some(v)` if `v` is finite, else a dropped datapoint.
pub(crate) fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}
