//! What evaluation needs from the engine: the request's grid and period, the results of the other queries, the
//! ids `METRICS()` sees, and a way to run a SEARCH.

use crate::value::{Series, Value};

/// The request an expression is evaluated in, as the metrics service sees it.
pub trait Context {
    /// Bucket start timestamps (epoch milliseconds) of the query range, ascending. Every series has one slot per
    /// timestamp.
    fn grid(&self) -> &[i64];

    /// The request's period in seconds (what `PERIOD(m)` returns).
    fn period_seconds(&self) -> u32;

    /// The result of another query of the same request, by id: a MetricStat query's series, or an expression
    /// evaluated earlier. `None` if no such query exists (or it has not been evaluated).
    fn query(&self, id: &str) -> Option<&Value>;

    /// The ids of the request's MetricStat queries, in request order: what `METRICS()` returns. AWS: "The
    /// METRICS() function returns all the metrics in the request. Math expressions aren't included."
    fn metric_ids(&self) -> Vec<String>;

    /// Runs a SEARCH: the engine finds the matching metrics and fetches them with the given statistic and period
    /// onto the grid, each labelled as AWS labels search results.
    /// The series are borrowed: evaluation charges them to its [`crate::Budget`] before copying them.
    fn search(&self, query: &str, statistic: &str, period_seconds: u32) -> Result<&[Series], String>;
}
