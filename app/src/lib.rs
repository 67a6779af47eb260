//! The Skywatch console: the HTML shell, the app with its routes, the pages, and the server functions they call.
//! Built twice: with `ssr` into the server, with `hydrate` into the browser's wasm.

// Leptos' typed views nest one type a node; the Config resource page's view is deeper than rustc's default.
#![recursion_limit = "256"]

pub mod api;
mod components;
mod nav;
mod pages;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::layout::Layout;
pub use crate::components::query::encode as encode_query_value;
use crate::pages::alarm::AlarmPage;
use crate::pages::alarm_composite::CompositeAlarmPage;
use crate::pages::alarm_create::CreateAlarmPage;
use crate::pages::alarms::AlarmsPage;
use crate::pages::coming_soon::ComingSoon;
use crate::pages::config::dashboard::ConfigDashboardPage;
use crate::pages::config::resource::ResourcePage;
use crate::pages::config::resources::ResourcesPage;
use crate::pages::config::rule::RulePage;
use crate::pages::config::rules::RulesPage;
use crate::pages::dashboard::{AutomaticDashboardPage, DashboardPage};
use crate::pages::dashboards::DashboardsPage;
use crate::pages::event_history::EventHistory;
use crate::pages::eventbridge::{EventRulePage, EventRulesPage};
use crate::pages::home::Home;
use crate::pages::login::Login;
use crate::pages::logs::events::LogEventsPage;
use crate::pages::logs::exports::ExportTasksPage;
use crate::pages::logs::group::LogGroupPage;
use crate::pages::logs::groups::LogGroupsPage;
use crate::pages::logs::live_tail::LiveTailPage;
use crate::pages::metrics::MetricsPage;
use crate::pages::not_found::NotFound;
use crate::pages::topics::{TopicPage, TopicsPage};
use crate::pages::users::UsersPage;
use crate::pages::xray::service_map::ServiceMapPage;
use crate::pages::xray::trace::TracePage;
use crate::pages::xray::traces::TracesPage;

/// The HTML document around the app; the server renders it for every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href="/pkg/skywatch.css"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The console with its routes. Every page but the login page sits in the shared layout. Pages render with
/// `SsrMode::Async`: the server waits for their data, so they read completely without JavaScript.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|text: String| format!("{text} | Skywatch")/>
        <Router>
            <Routes fallback=|| view! { <Layout><NotFound/></Layout> }>
                <Route path=path!("/login") ssr=SsrMode::Async view=Login/>
                <Route path=path!("/") ssr=SsrMode::Async view=|| view! { <Layout><Home/></Layout> }/>
                <Route path=path!("/cloudtrail/event-history") ssr=SsrMode::Async view=|| view! { <Layout><EventHistory/></Layout> }/>
                <Route path=path!("/cloudwatch/dashboards") ssr=SsrMode::Async view=|| view! { <Layout><DashboardsPage/></Layout> }/>
                <Route path=path!("/cloudwatch/dashboards/automatic") ssr=SsrMode::Async view=|| view! { <Layout><AutomaticDashboardPage/></Layout> }/>
                <Route path=path!("/cloudwatch/dashboards/dashboard/:name") ssr=SsrMode::Async view=|| view! { <Layout><DashboardPage/></Layout> }/>
                <Route path=path!("/cloudwatch/alarms") ssr=SsrMode::Async view=|| view! { <Layout><AlarmsPage/></Layout> }/>
                <Route path=path!("/cloudwatch/alarms/create") ssr=SsrMode::Async view=|| view! { <Layout><CreateAlarmPage/></Layout> }/>
                <Route path=path!("/cloudwatch/alarms/composite") ssr=SsrMode::Async view=|| view! { <Layout><CompositeAlarmPage/></Layout> }/>
                <Route path=path!("/cloudwatch/alarms/alarm/:name") ssr=SsrMode::Async view=|| view! { <Layout><AlarmPage/></Layout> }/>
                <Route path=path!("/events/rules") ssr=SsrMode::Async view=|| view! { <Layout><EventRulesPage/></Layout> }/>
                <Route path=path!("/events/rules/rule/:name") ssr=SsrMode::Async view=|| view! { <Layout><EventRulePage/></Layout> }/>
                <Route path=path!("/sns/topics") ssr=SsrMode::Async view=|| view! { <Layout><TopicsPage/></Layout> }/>
                <Route path=path!("/sns/topics/topic/:name") ssr=SsrMode::Async view=|| view! { <Layout><TopicPage/></Layout> }/>
                <Route path=path!("/cloudwatch/logs") ssr=SsrMode::Async view=|| view! { <Layout><LogGroupsPage/></Layout> }/>
                <Route path=path!("/cloudwatch/logs/group") ssr=SsrMode::Async view=|| view! { <Layout><LogGroupPage/></Layout> }/>
                <Route path=path!("/cloudwatch/logs/events") ssr=SsrMode::Async view=|| view! { <Layout><LogEventsPage/></Layout> }/>
                <Route path=path!("/cloudwatch/logs/live-tail") ssr=SsrMode::Async view=|| view! { <Layout><LiveTailPage/></Layout> }/>
                <Route path=path!("/cloudwatch/logs/exports") ssr=SsrMode::Async view=|| view! { <Layout><ExportTasksPage/></Layout> }/>
                <Route path=path!("/cloudwatch/metrics") ssr=SsrMode::Async view=|| view! { <Layout><MetricsPage/></Layout> }/>
                <Route path=path!("/xray/service-map") ssr=SsrMode::Async view=|| view! { <Layout><ServiceMapPage/></Layout> }/>
                <Route path=path!("/xray/traces") ssr=SsrMode::Async view=|| view! { <Layout><TracesPage/></Layout> }/>
                <Route path=path!("/xray/traces/:id") ssr=SsrMode::Async view=|| view! { <Layout><TracePage/></Layout> }/>
                <Route path=path!("/config/dashboard") ssr=SsrMode::Async view=|| view! { <Layout><ConfigDashboardPage/></Layout> }/>
                <Route path=path!("/config/resources") ssr=SsrMode::Async view=|| view! { <Layout><ResourcesPage/></Layout> }/>
                <Route path=path!("/config/resources/resource") ssr=SsrMode::Async view=|| view! { <Layout><ResourcePage/></Layout> }/>
                <Route path=path!("/config/rules") ssr=SsrMode::Async view=|| view! { <Layout><RulesPage/></Layout> }/>
                <Route path=path!("/config/rules/rule") ssr=SsrMode::Async view=|| view! { <Layout><RulePage/></Layout> }/>
                <Route path=path!("/settings/users") ssr=SsrMode::Async view=|| view! { <Layout><UsersPage/></Layout> }/>
                <Route path=path!("/:service/:page") ssr=SsrMode::Async view=|| view! { <Layout><ComingSoon/></Layout> }/>
            </Routes>
        </Router>
    }
}

/// The browser entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
