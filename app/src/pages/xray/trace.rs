//! X-Ray › Traces › a trace: its summary, its own service map (GetTraceGraph), and the timeline of its segments
//! and subsegments (BatchGetTraces) with the selected row's details (`span=` in the URL). Selecting a node of the
//! small map highlights that service's rows (`sel=`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_params_map, use_query_map};

use super::span_detail::SpanDetail;
use super::waterfall::Waterfall;
use crate::api::{TraceDetail, xray_trace};
use crate::components::query::{href, href_keeping, use_region};
use crate::components::service_map::{Selection, ServiceMapView};
use crate::components::xray_format::{key, seconds};

#[component]
pub fn TracePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let region = use_region();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let detail = Resource::new(
        move || (region.get(), query.read().get("account"), id.get()),
        |(region, account, id)| xray_trace(region, account, id),
    );
    view! {
        <Title text=move || format!("Trace {}", id.get())/>
        <div class="breadcrumb">
            <a href=move || href("/xray/traces", &query.read(), &[("group", &query.read().get("group").unwrap_or_default())])>"X-Ray › Traces"</a>
            " › "{move || id.get()}
        </div>
        <h1 data-testid="page-title" class="mono-title">{move || format!("Trace {}", id.get())}</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading the trace…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(trace) => view! { <Trace trace=trace/> }.into_any(),
                    Err(e) => view! { <div class="error" role="alert" data-testid="trace-error">{e.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Trace(trace: TraceDetail) -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    let navigate = use_navigate();
    let go = move |changes: &[(&str, &str)]| {
        let link = href_keeping(&location.pathname.get_untracked(), &query.read_untracked(), changes, &[]);
        navigate(&link, NavigateOptions { scroll: false, ..Default::default() });
    };
    let selected_span = Signal::derive(move || query.read().get("span").unwrap_or_default());
    let go_open = go.clone();
    let on_open = Callback::new(move |id: String| {
        let open = selected_span.get_untracked() == id;
        go_open(&[("span", if open { "" } else { &id })]);
    });
    let go_close = go.clone();
    let close = Callback::new(move |()| go_close(&[("span", "")]));
    let map = StoredValue::new(trace.map.clone());
    let map_selection = Memo::new(move |_| {
        let chosen = query.read().get("sel")?;
        map.with_value(|m| m.nodes.iter().position(|n| key(n) == chosen)).map(Selection::Node)
    });
    let highlighted = Signal::derive(move || {
        map_selection
            .get()
            .and_then(|s| match s {
                Selection::Node(i) => map.with_value(|m| m.nodes.get(i).map(|n| n.name.clone())),
                Selection::Edge(_) => None,
            })
            .unwrap_or_default()
    });
    let go_select = go;
    let on_select = Callback::new(move |chosen: Selection| {
        let chosen_key = match chosen {
            Selection::Node(i) => map.with_value(|m| m.nodes.get(i).map(key)),
            Selection::Edge(_) => None,
        };
        let open = map_selection.get_untracked() == Some(chosen);
        go_select(&[("sel", if open { "" } else { chosen_key.as_deref().unwrap_or("") })]);
    });
    let total = trace.duration.unwrap_or(0.0);
    let start = trace.start;
    let spans = StoredValue::new(trace.spans.clone());
    let segments = trace.spans.iter().filter(|s| s.segment).count();
    let faults = trace.spans.iter().filter(|s| s.fault).count();
    let errors = trace.spans.iter().filter(|s| s.error || s.throttle).count();
    let root = trace.spans.first().cloned();
    let started = chrono::DateTime::from_timestamp_millis((start * 1000.0) as i64)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S%.3f UTC").to_string())
        .unwrap_or_default();
    view! {
        <div class="cards trace-cards">
            <div class="card"><div class="muted small">"Duration"</div><div class="stat-value" data-testid="trace-duration">{trace.duration.map(seconds).unwrap_or_else(|| "in progress".into())}</div></div>
            <div class="card"><div class="muted small">"Started"</div><div class="stat-value small-value">{started}</div></div>
            <div class="card"><div class="muted small">"Segments / subsegments"</div><div class="stat-value">{format!("{segments} / {}", trace.spans.len() - segments)}</div></div>
            <div class="card"><div class="muted small">"Faults / errors"</div>
                <div class="stat-value"><span class={if faults > 0 { "fault-text" } else { "" }}>{faults}</span>" / "<span class={if errors > 0 { "error-text-soft" } else { "" }}>{errors}</span></div></div>
            {root.and_then(|r| r.method.clone().map(|m| (m, r))).map(|(method, r)| view! {
                <div class="card"><div class="muted small">"Request"</div>
                    <div class="mono small request-line">{format!("{method} {} → {}", r.url.unwrap_or_default(), r.status.map(|s| s.to_string()).unwrap_or_default())}</div></div>
            })}
        </div>
        {trace.limit_exceeded.then(|| view! { <p class="muted small">"The trace is larger than X-Ray returns: later segments are left out."</p> })}
        <section class="panel trace-map-panel">
            <header class="panel-header">
                <h2>"Trace map"</h2>
                <span class="muted small">"Select a service to highlight its segments."</span>
            </header>
            <ServiceMapView map=map.get_value() selected=map_selection.into() on_select=on_select compact=true/>
        </section>
        <section class="panel timeline-panel">
            <header class="panel-header">
                <h2>"Timeline " <span class="count" data-testid="span-count">{format!("({} rows)", trace.spans.len())}</span></h2>
                <span class="spacer"></span>
                <ul class="map-legend small">
                    <li><span class="swatch ring-swatch-ok"></span>"OK"</li>
                    <li><span class="swatch ring-swatch-error"></span>"Error"</li>
                    <li><span class="swatch ring-swatch-throttle"></span>"Throttle"</li>
                    <li><span class="swatch ring-swatch-fault"></span>"Fault"</li>
                </ul>
            </header>
            <Waterfall spans=spans.get_value() start=start total=total selected=selected_span highlighted=highlighted on_open=on_open/>
        </section>
        {move || {
            let chosen = selected_span.get();
            spans
                .with_value(|all| all.iter().find(|s| !chosen.is_empty() && s.id == chosen).cloned())
                .map(|span| view! { <SpanDetail span=span trace_start=start close=close/> })
        }}
    }
    .into_any()
}
