//! GetMetricData pages: at most MaxDatapoints datapoints a page across all results, in result order. The NextToken
//! (the shared page-token encoding) of an answer computed whole says how many datapoints of it came before, and
//! which kept answer they came from (`answers.rs`), when one was kept; that of a request made only of MetricStat
//! queries says where its next page starts (`stat_pages.rs`).

use crate::data::{DataResult, StatusCode};
use crate::error::MetricsQueryError;

const TOKEN_KIND: &str = "datapoints";

/// Where a page starts: datapoints of the whole answer before it, and the kept answer it is cut from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PageStart {
    pub skip: usize,
    pub answer: Option<u64>,
}

impl PageStart {
    /// The start a NextToken names; none is the first page.
    pub fn from_token(token: Option<&str>) -> Result<Self, MetricsQueryError> {
        let Some(token) = token else { return Ok(Self::default()) };
        let invalid = || MetricsQueryError::InvalidNextToken("The NextToken is invalid.".into());
        let payload = skywatch_ops::token::decode(TOKEN_KIND, token).ok_or_else(invalid)?;
        let (skip, answer) = match payload.split_once(':') {
            Some((skip, answer)) => (skip, Some(u64::from_str_radix(answer, 16).map_err(|_| invalid())?)),
            None => (payload.as_str(), None),
        };
        Ok(Self { skip: skip.parse().map_err(|_| invalid())?, answer })
    }

    fn token(self) -> String {
        let payload = match self.answer {
            Some(answer) => format!("{}:{answer:x}", self.skip),
            None => self.skip.to_string(),
        };
        skywatch_ops::token::encode(TOKEN_KIND, &payload)
    }
}

/// Where a page of a request made only of MetricStat queries starts: the result it starts in, the last timestamp
/// of that result already sent, and the time the first page was computed at (every page reads the same grid).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatStart {
    pub result: usize,
    pub after_ms: Option<i64>,
    pub now_ms: i64,
}

impl StatStart {
    pub fn first(now_ms: i64) -> Self {
        Self { result: 0, after_ms: None, now_ms }
    }

    pub fn token(self) -> String {
        let after = self.after_ms.map_or_else(|| "-".to_owned(), |t| t.to_string());
        skywatch_ops::token::encode(TOKEN_KIND, &format!("s{}:{after}:{}", self.result, self.now_ms))
    }

    /// `s{result}:{after or -}:{now}`.
    fn from_payload(payload: &str) -> Option<Self> {
        let mut parts = payload.strip_prefix('s')?.split(':');
        let result = parts.next()?.parse().ok()?;
        let after_ms = match parts.next()? {
            "-" => None,
            t => Some(t.parse().ok()?),
        };
        let now_ms = parts.next()?.parse().ok()?;
        parts.next().is_none().then_some(Self { result, after_ms, now_ms })
    }
}

/// What a NextToken names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageToken {
    /// No token: the first page.
    First,
    /// A page of an answer computed whole.
    Datapoints(PageStart),
    /// A page of a request made only of MetricStat queries.
    Stats(StatStart),
}

impl PageToken {
    pub fn read(token: Option<&str>) -> Result<Self, MetricsQueryError> {
        let Some(raw) = token else { return Ok(Self::First) };
        let payload = skywatch_ops::token::decode(TOKEN_KIND, raw)
            .ok_or_else(|| MetricsQueryError::InvalidNextToken("The NextToken is invalid.".into()))?;
        if payload.starts_with('s') {
            return StatStart::from_payload(&payload)
                .map(Self::Stats)
                .ok_or_else(|| MetricsQueryError::InvalidNextToken("The NextToken is invalid.".into()));
        }
        PageStart::from_token(token).map(Self::Datapoints)
    }
}

/// Cuts the page of `results` that starts at `start` and holds at most `max` datapoints, with the token of the
/// next page (naming `answer`, the kept answer the next page can be cut from).
pub fn page(
    results: &[DataResult],
    max: usize,
    start: PageStart,
    answer: Option<u64>,
) -> (Vec<DataResult>, Option<String>) {
    let max = max.max(1);
    let total: usize = results.iter().map(|r| r.values.len()).sum();
    let mut remaining_skip = start.skip;
    let mut budget = max;
    let mut out = Vec::with_capacity(results.len());
    for result in results {
        let len = result.values.len();
        let from = remaining_skip.min(len);
        remaining_skip -= from;
        let take = (len - from).min(budget);
        budget -= take;
        let partial = from + take < len;
        out.push(DataResult {
            id: result.id.clone(),
            label: result.label.clone(),
            timestamps_ms: result.timestamps_ms[from..from + take].to_vec(),
            values: result.values[from..from + take].to_vec(),
            status: if partial { StatusCode::PartialData } else { result.status },
            messages: result.messages.clone(),
            unit: result.unit.clone(),
        });
    }
    let next = start.skip.saturating_add(max);
    (out, (next < total).then(|| PageStart { skip: next, answer }.token()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_name_the_offset_and_the_kept_answer_and_old_tokens_still_read() {
        for start in [PageStart { skip: 7, answer: None }, PageStart { skip: 100_800, answer: Some(0xfeed) }] {
            assert_eq!(PageStart::from_token(Some(&start.token())).unwrap(), start);
        }
        assert_eq!(PageStart::from_token(None).unwrap(), PageStart::default());
        let old = skywatch_ops::token::encode(TOKEN_KIND, "42");
        assert_eq!(PageStart::from_token(Some(&old)).unwrap(), PageStart { skip: 42, answer: None });
        for bad in
            ["garbage", &skywatch_ops::token::encode(TOKEN_KIND, "1:zz"), &skywatch_ops::token::encode("other", "1")]
        {
            assert!(PageStart::from_token(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn stat_page_tokens_round_trip_and_malformed_ones_are_refused() {
        for start in [
            StatStart::first(1_700_000_000_000),
            StatStart { result: 12, after_ms: Some(1_699_999_940_000), now_ms: 1_700_000_000_000 },
            StatStart { result: 3, after_ms: Some(-5), now_ms: 0 },
        ] {
            assert_eq!(PageToken::read(Some(&start.token())).unwrap(), PageToken::Stats(start));
        }
        assert_eq!(PageToken::read(None).unwrap(), PageToken::First);
        let skip = PageStart { skip: 9, answer: Some(1) };
        assert_eq!(PageToken::read(Some(&skip.token())).unwrap(), PageToken::Datapoints(skip));
        for bad in ["s", "s1", "s1:-", "sx:-:1", "s1:y:1", "s1:-:z", "s1:-:1:2", "s-1:-:1"] {
            let token = skywatch_ops::token::encode(TOKEN_KIND, bad);
            assert!(matches!(PageToken::read(Some(&token)), Err(MetricsQueryError::InvalidNextToken(_))), "{bad}");
        }
    }
}
