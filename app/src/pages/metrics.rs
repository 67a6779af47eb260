//! CloudWatch › Metrics › All metrics: a graph of the selected metrics (statistic, period, the console's time
//! range) above a browser of namespaces, dimension sets and metrics with a search, all of it in the URL.

mod add_to_dashboard;
mod browser;
mod chart;
mod empty;
mod graph;
mod graphed;
mod state;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

use self::browser::Browser;
use self::graph::GraphPanel;
use self::graphed::GraphedMetrics;
use self::state::{MetricsState, Tab};
use crate::api::{BrowseQuery, GraphData, metric_graph};
use crate::components::query::{use_region, use_time_range};

/// The page's state and the URL it came from, shared by its parts.
#[derive(Debug, Clone, Copy)]
struct PageState {
    state: Memo<MetricsState>,
    query: Memo<ParamsMap>,
}

impl PageState {
    /// A link to the page with `change` applied to the current state.
    fn link(self, change: impl FnOnce(&MetricsState) -> MetricsState) -> String {
        let next = self.state.with(change);
        self.query.with(|query| next.href(query))
    }
}

/// How the page's controls navigate: without scrolling to the top; `replace` keeps the history clean while typing.
fn staying(replace: bool) -> NavigateOptions {
    NavigateOptions { scroll: false, replace, ..Default::default() }
}

type GraphResource = Resource<Result<Option<GraphData>, ServerFnError>>;

#[component]
pub fn MetricsPage() -> impl IntoView {
    let query = use_query_map();
    let state = Memo::new(move |_| query.with(MetricsState::from_query));
    let page = PageState { state, query };
    provide_context(page);
    let region = use_region();
    let range = use_time_range();
    let account = Memo::new(move |_| query.with(|q| q.get("account")));
    let theme = use_context::<crate::components::theme::ConsoleTheme>();
    let graph: GraphResource = Resource::new(
        move || {
            state.with(|s| {
                (
                    region.get(),
                    account.get(),
                    range.get().to_query_value(),
                    s.statistic.clone(),
                    s.period,
                    s.metrics.clone(),
                )
            })
        },
        move |(region, account, range, statistic, period, metrics)| {
            let dark = theme.is_some_and(|t| t.0.get_untracked() == "dark");
            async move {
                if metrics.is_empty() {
                    return Ok(None);
                }
                let data = metric_graph(region, account, range, statistic, period, metrics).await?;
                #[cfg(feature = "ssr")]
                let data = chart::prerender(data, dark).await;
                #[cfg(not(feature = "ssr"))]
                let _ = dark;
                Ok(Some(data))
            }
        },
    );
    let browse = Resource::new(
        move || {
            let query = state.with(|s| BrowseQuery {
                namespace: s.namespace.clone(),
                dimension_set: s.dimension_set.clone(),
                search: s.search.clone(),
                limit: s.show,
            });
            (region.get(), account.get(), query)
        },
        |(region, account, query)| crate::api::list_metric_view(region, account, query),
    );
    let tab = Memo::new(move |_| state.with(|s| s.tab));
    view! {
        <Title text="CloudWatch metrics"/>
        <div class="breadcrumb">"CloudWatch › Metrics › All metrics"</div>
        <h1 data-testid="page-title">"Metrics"</h1>
        <GraphPanel graph=graph/>
        <Tabs/>
        {move || match tab.get() {
            Tab::Browse => view! { <Browser browse=browse/> }.into_any(),
            Tab::Graphed => view! { <GraphedMetrics/> }.into_any(),
        }}
    }
}

/// Browse and Graphed metrics, as links.
#[component]
fn Tabs() -> impl IntoView {
    let page = expect_context::<PageState>();
    let tab = move |which: Tab| {
        let active = move || page.state.with(|s| s.tab == which);
        let link = move || page.link(|s| MetricsState { tab: which, ..s.clone() });
        (active, link)
    };
    let (browse_active, browse_link) = tab(Tab::Browse);
    let (graphed_active, graphed_link) = tab(Tab::Graphed);
    let count = move || page.state.with(|s| s.metrics.len());
    view! {
        <div class="tabs" role="tablist" aria-label="Metrics">
            <a
                role="tab"
                href=browse_link
                class:active=browse_active
                aria-selected=move || browse_active().to_string()
                data-noscroll="true"
                data-testid="tab-browse"
            >
                "Browse"
            </a>
            <a
                role="tab"
                href=graphed_link
                class:active=graphed_active
                aria-selected=move || graphed_active().to_string()
                data-noscroll="true"
                data-testid="tab-graphed"
            >
                "Graphed metrics "
                <span class="count" data-testid="graphed-count">{move || format!("({})", count())}</span>
            </a>
        </div>
    }
}
