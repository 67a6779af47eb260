//! GetMetricData pages: at most MaxDatapoints datapoints a page across all results, in result order; the
//! NextToken (the shared page-token encoding) says how many datapoints of the whole answer came before.

use crate::data::{DataResult, StatusCode};
use crate::error::MetricsQueryError;

const TOKEN_KIND: &str = "datapoints";

/// Cuts the page of `results` that starts after the token's offset and holds at most `max` datapoints.
pub fn page(
    results: Vec<DataResult>,
    max: usize,
    token: Option<&str>,
) -> Result<(Vec<DataResult>, Option<String>), MetricsQueryError> {
    let skip = match token {
        None => 0,
        Some(token) => skywatch_ops::token::decode(TOKEN_KIND, token)
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| MetricsQueryError::InvalidNextToken("The NextToken is invalid.".into()))?,
    };
    let max = max.max(1);
    let total: usize = results.iter().map(|r| r.values.len()).sum();
    let mut remaining_skip = skip;
    let mut budget = max;
    let mut out = Vec::with_capacity(results.len());
    for mut result in results {
        let len = result.values.len();
        let from = remaining_skip.min(len);
        remaining_skip -= from;
        let take = (len - from).min(budget);
        budget -= take;
        let partial = from + take < len;
        result.timestamps_ms = result.timestamps_ms[from..from + take].to_vec();
        result.values = result.values[from..from + take].to_vec();
        if partial {
            result.status = StatusCode::PartialData;
        }
        out.push(result);
    }
    let next = skip + max;
    Ok((out, (next < total).then(|| skywatch_ops::token::encode(TOKEN_KIND, &next.to_string()))))
}
