//! CloudWatch Logs: the log groups (`/cloudwatch/logs`), a group's page with its settings, streams, metric
//! filters and subscription filters (`/cloudwatch/logs/group?name=`) and the event viewer
//! (`/cloudwatch/logs/events?group=&stream=`). Shared here: the links between them, token pagers, and how sizes,
//! retention, keys and times are written.

pub mod create;
pub mod events;
pub mod exports;
pub mod group;
pub mod groups;
pub mod live_tail;
pub mod metric_filters;
pub mod subscriptions;

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use crate::components::query::href;

pub const GROUPS_PATH: &str = "/cloudwatch/logs";
pub const GROUP_PATH: &str = "/cloudwatch/logs/group";
pub const EVENTS_PATH: &str = "/cloudwatch/logs/events";

/// A group's page; the name stays a query value, since names hold `/`.
pub fn group_href(name: &str, query: &ParamsMap) -> String {
    href(GROUP_PATH, query, &[("name", name)])
}

/// The event viewer of a stream, or of the whole group. The time range is carried; the time zone and line
/// wrapping too, as they are the reader's.
pub fn events_href(group: &str, stream: Option<&str>, query: &ParamsMap) -> String {
    let keep = |key: &str| query.get(key).unwrap_or_default();
    let (tz, wrap) = (keep("tz"), keep("wrap"));
    href(EVENTS_PATH, query, &[("group", group), ("stream", stream.unwrap_or_default()), ("tz", &tz), ("wrap", &wrap)])
}

/// A failed server function as the page shows it: the operation's `Code: message`, without the transport's
/// wording around it.
pub fn error_text(error: &ServerFnError) -> String {
    match error {
        ServerFnError::ServerError(message) => message.clone(),
        other => other.to_string(),
    }
}

/// Bytes in human units (1,024 a step), as the console shows stored bytes.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KB", "MB", "GB", "TB", "PB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value < 10.0 { format!("{value:.1} {}", UNITS[unit]) } else { format!("{value:.0} {}", UNITS[unit]) }
}

/// A retention in words: "Never expire" or "N days".
pub fn retention_words(days: Option<u32>) -> String {
    match days {
        None => "Never expire".to_owned(),
        Some(1) => "1 day".to_owned(),
        Some(days) => format!("{days} days"),
    }
}

/// A retention period as the select offers it: "30 days (1 month)".
pub fn retention_choice(days: u32) -> String {
    let plain = retention_words(Some(days));
    let about = match days {
        7 => "1 week",
        14 => "2 weeks",
        30 => "1 month",
        60 => "2 months",
        90 => "3 months",
        120 => "4 months",
        150 => "5 months",
        180 => "6 months",
        365 => "12 months",
        400 => "13 months",
        545 => "18 months",
        731 => "2 years",
        1096 => "3 years",
        1827 => "5 years",
        2192 => "6 years",
        2557 => "7 years",
        2922 => "8 years",
        3288 => "9 years",
        3653 => "10 years",
        _ => return plain,
    };
    format!("{plain} ({about})")
}

/// A KMS key ARN shortened to its key id's start (`1234abcd…`).
pub fn short_key(arn: &str) -> String {
    let id = arn.rsplit('/').next().unwrap_or(arn);
    if id.chars().count() > 12 { format!("{}…", id.chars().take(8).collect::<String>()) } else { id.to_owned() }
}

/// A log group class in words.
pub fn class_words(class: &str) -> &str {
    match class {
        "STANDARD" => "Standard",
        "INFREQUENT_ACCESS" => "Infrequent Access",
        "DELIVERY" => "Delivery",
        "ESSENTIALS" => "Essentials",
        other => other,
    }
}

/// Epoch milliseconds shifted by `offset_minutes` east of UTC, as `2026-12-06 21:30:05.123`.
pub fn time_ms_at(ms: i64, offset_minutes: i32) -> String {
    time_format_at(ms, offset_minutes, "%Y-%m-%d %H:%M:%S%.3f")
}

/// Epoch milliseconds shifted by `offset_minutes` east of UTC, in `format` (chrono's).
pub fn time_format_at(ms: i64, offset_minutes: i32, format: &str) -> String {
    chrono::DateTime::from_timestamp_millis(ms.saturating_add(i64::from(offset_minutes) * 60_000))
        .map(|t| t.format(format).to_string())
        .unwrap_or_default()
}

/// Epoch milliseconds as `2026-12-06 21:30:05` (UTC), or a dash.
pub fn maybe_time(ms: Option<i64>) -> String {
    ms.and_then(chrono::DateTime::from_timestamp_millis)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| "–".to_owned())
}

/// The name of a time zone `offset_minutes` east of UTC: `UTC`, `UTC+1`, `UTC-5:30`.
pub fn zone_name(offset_minutes: i32) -> String {
    if offset_minutes == 0 {
        return "UTC".to_owned();
    }
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let (hours, minutes) = (offset_minutes.abs() / 60, offset_minutes.abs() % 60);
    if minutes == 0 { format!("UTC{sign}{hours}") } else { format!("UTC{sign}{hours}:{minutes:02}") }
}

/// A listing paged with tokens: the current page's token and the tokens of the pages before it (not the first
/// page's, which has none), both in the URL (`token=`, `back=`), so a page is a link and "Previous" is one too.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pages {
    pub token: Option<String>,
    pub back: Vec<String>,
}

impl Pages {
    pub fn from_query(query: &ParamsMap) -> Self {
        let token = query.get("token").filter(|t| !t.is_empty());
        let back = match &token {
            Some(_) => query
                .get("back")
                .map(|b| b.split(',').filter(|t| !t.is_empty()).map(str::to_owned).collect())
                .unwrap_or_default(),
            None => Vec::new(),
        };
        Self { token, back }
    }

    /// The 1-based number of this page.
    pub fn number(&self) -> usize {
        if self.token.is_some() { self.back.len() + 2 } else { 1 }
    }

    /// The `token` and `back` values of the next page, which `next` starts.
    pub fn next(&self, next: &str) -> (String, String) {
        let mut back = self.back.clone();
        back.extend(self.token.clone());
        (next.to_owned(), back.join(","))
    }

    /// The `token` and `back` values of the previous page, when there is one.
    pub fn previous(&self) -> Option<(String, String)> {
        self.token.as_ref()?;
        let mut back = self.back.clone();
        let token = back.pop().unwrap_or_default();
        Some((token, back.join(",")))
    }
}

/// The pager under a token-paged table: "Previous" and "Next" links (`p` and `n`), and the page number.
#[component]
pub fn TokenPager(
    /// The link to a page by its `token` and `back` values.
    link: Callback<(String, String), String>,
    pages: Pages,
    next_token: Option<String>,
    test_id: &'static str,
) -> impl IntoView {
    let number = pages.number();
    if number == 1 && next_token.is_none() {
        return ().into_any();
    }
    let previous = pages.previous().map(|p| link.run(p));
    let next = next_token.map(|t| link.run(pages.next(&t)));
    view! {
        <nav class="cfg-pager" aria-label="Pages" data-testid=test_id>
            {match previous {
                Some(href) => view! { <a href=href data-shortcut="previous" title="Previous page (p)" data-testid="pager-previous">"‹ Previous"</a> }.into_any(),
                None => view! { <span class="muted">"‹ Previous"</span> }.into_any(),
            }}
            <span class="muted small" data-testid="pager-page">{format!("Page {number}")}</span>
            {match next {
                Some(href) => view! { <a href=href data-shortcut="next" title="Next page (n)" data-testid="pager-next">"Next ›"</a> }.into_any(),
                None => view! { <span class="muted">"Next ›"</span> }.into_any(),
            }}
        </nav>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_for_sizes_retention_keys_and_times() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1536), "1.5 KB");
        assert_eq!(human_bytes(200 * 1024 * 1024), "200 MB");
        assert_eq!(retention_words(None), "Never expire");
        assert_eq!(retention_words(Some(1)), "1 day");
        assert_eq!(retention_choice(30), "30 days (1 month)");
        assert_eq!(retention_choice(5), "5 days");
        assert_eq!(
            short_key("arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
            "1234abcd…"
        );
        assert_eq!(time_ms_at(1_767_323_045_678, 0), "2026-01-02 03:04:05.678");
        assert_eq!(time_ms_at(1_767_323_045_678, 90), "2026-01-02 04:34:05.678");
        assert_eq!(zone_name(-330), "UTC-5:30");
        assert_eq!(zone_name(60), "UTC+1");
    }

    #[test]
    fn pages_keep_the_tokens_before_them() {
        let first = Pages::default();
        assert_eq!(first.number(), 1);
        assert_eq!(first.previous(), None);
        let (token, back) = first.next("A");
        assert_eq!((token.as_str(), back.as_str()), ("A", ""));
        let second = Pages { token: Some("A".into()), back: vec![] };
        assert_eq!(second.number(), 2);
        assert_eq!(second.previous(), Some((String::new(), String::new())));
        assert_eq!(second.next("B"), ("B".to_owned(), "A".to_owned()));
        let third = Pages { token: Some("B".into()), back: vec!["A".into()] };
        assert_eq!(third.number(), 3);
        assert_eq!(third.previous(), Some(("A".to_owned(), String::new())));
    }
}
