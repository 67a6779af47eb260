//! A test request: a grid, MetricStat and expression results by id, and canned SEARCH answers.

#![allow(dead_code)]

use std::cell::RefCell;

use skywatch_metricmath::{Context, EvalError, Series, Value, evaluate, parse};

#[derive(Debug)]
pub struct TestContext {
    pub grid: Vec<i64>,
    pub period: u32,
    /// (id, value, is a MetricStat query)
    pub queries: Vec<(String, Value, bool)>,
    pub search_result: Result<Vec<Series>, String>,
    pub searches: RefCell<Vec<(String, String, u32)>>,
}

impl TestContext {
    /// `slots` buckets of `period` seconds from time 0.
    pub fn new(slots: usize, period: u32) -> Self {
        let grid = (0..slots as i64).map(|i| i * i64::from(period) * 1000).collect();
        TestContext {
            grid,
            period,
            queries: Vec::new(),
            search_result: Ok(Vec::new()),
            searches: RefCell::new(Vec::new()),
        }
    }

    /// A MetricStat query, labelled with its id.
    pub fn metric(mut self, id: &str, values: &str) -> Self {
        let series = Series::new(id, Some(id.to_string()), s(values));
        self.queries.push((id.to_string(), Value::Series(series), true));
        self
    }

    /// An expression evaluated earlier (not seen by METRICS()).
    pub fn expression(mut self, id: &str, value: Value) -> Self {
        self.queries.push((id.to_string(), value, false));
        self
    }

    pub fn search_returns(mut self, result: Result<Vec<Series>, String>) -> Self {
        self.search_result = result;
        self
    }

    pub fn eval(&self, text: &str) -> Result<Value, EvalError> {
        let expr = parse(text).unwrap_or_else(|e| panic!("{text:?} does not parse: {e}"));
        evaluate(&expr, self)
    }
}

impl Context for TestContext {
    fn grid(&self) -> &[i64] {
        &self.grid
    }

    fn period_seconds(&self) -> u32 {
        self.period
    }

    fn query(&self, id: &str) -> Option<&Value> {
        self.queries.iter().find(|(q, _, _)| q == id).map(|(_, v, _)| v)
    }

    fn metric_ids(&self) -> Vec<String> {
        self.queries.iter().filter(|(_, _, metric)| *metric).map(|(id, _, _)| id.clone()).collect()
    }

    fn search(&self, query: &str, statistic: &str, period_seconds: u32) -> Result<&[Series], String> {
        self.searches.borrow_mut().push((query.to_string(), statistic.to_string(), period_seconds));
        self.search_result.as_deref().map_err(Clone::clone)
    }
}

/// Slots written as text: numbers separated by spaces, `-` for a missing datapoint. `"1 - 3"`.
pub fn s(text: &str) -> Vec<Option<f64>> {
    text.split_whitespace()
        .map(|t| if t == "-" { None } else { Some(t.parse().unwrap_or_else(|_| panic!("bad slot {t:?}"))) })
        .collect()
}

/// Slot-by-slot equality within a relative tolerance of 1e-12.
pub fn same_values(got: &[Option<f64>], want: &[Option<f64>]) -> bool {
    got.len() == want.len()
        && got.iter().zip(want).all(|(g, w)| match (g, w) {
            (None, None) => true,
            (Some(g), Some(w)) => close(*g, *w),
            _ => false,
        })
}

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

/// Renders slots back as text for failure messages.
pub fn show(values: &[Option<f64>]) -> String {
    values.iter().map(|v| v.map_or("-".to_string(), |x| x.to_string())).collect::<Vec<_>>().join(" ")
}
