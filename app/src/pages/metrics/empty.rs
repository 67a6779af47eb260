//! What the browser says when it has nothing to list: no metrics in the region yet (and how to send some),
//! nothing matching the search, or a namespace or dimension set without metrics.

use leptos::prelude::*;

use super::PageState;
use super::browser::set_label;
use super::state::{MetricsState, PAGE_ROWS};

#[component]
pub fn NoMetricsYet(endpoint: String, region: String) -> impl IntoView {
    let command = format!(
        "aws --endpoint-url {endpoint} --region {region} cloudwatch put-metric-data \\\n    \
         --namespace MyApp --metric-name Latency --unit Milliseconds --value 42 \\\n    \
         --dimensions Service=checkout"
    );
    view! {
        <div class="empty-state" data-testid="metrics-empty">
            <h3>"No metrics yet in " {region.clone()}</h3>
            <p>
                "Metrics appear here as soon as a client sends them. Point the aws CLI, boto3 or any AWS SDK at "
                "this console's address and call PutMetricData, for example:"
            </p>
            <pre class="code" data-testid="metrics-empty-command">{command}</pre>
            <p class="muted">"Metrics that received no data for two weeks are not listed, as in CloudWatch."</p>
        </div>
    }
}

#[component]
pub fn NoMatch() -> impl IntoView {
    let page = expect_context::<PageState>();
    let search = move || page.state.with(|s| s.search.clone());
    let clear = move || page.link(|s| MetricsState { search: String::new(), show: PAGE_ROWS, ..s.clone() });
    view! {
        <div class="empty-state" data-testid="metrics-no-match">
            <h3>"No metrics match “" {search} "”"</h3>
            <p>"The search looks for every word in namespaces, metric names, dimension names and values."</p>
            <a href=clear data-noscroll="true" data-testid="search-clear">"Clear search"</a>
        </div>
    }
}

#[component]
pub fn NamespaceEmpty() -> impl IntoView {
    let page = expect_context::<PageState>();
    let what = move || {
        page.state.with(|s| match (&s.namespace, &s.dimension_set) {
            (Some(ns), Some(set)) => format!("{ns} › {}", set_label(set)),
            (Some(ns), None) => ns.clone(),
            _ => "this region".to_owned(),
        })
    };
    let all = move || page.link(|s| s.browsing(None, None));
    view! {
        <div class="empty-state" data-testid="namespace-empty">
            <h3>"No metrics in " {what}</h3>
            <p>"Nothing was sent here in the past two weeks in this region and account."</p>
            <a href=all data-noscroll="true" data-testid="browse-all">"Browse all namespaces"</a>
        </div>
    }
}
