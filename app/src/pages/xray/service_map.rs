//! X-Ray › Service map: the services of the account and region over the time range (or one group's), drawn as a
//! layered graph; selecting a node or an edge (kept in the URL: `sel=` and, for an edge, `to=`) opens its
//! statistics, its response-time histogram and its recent traces beside the map.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use super::controls::{GroupSelect, use_group};
use super::map_panel::MapPanel;
use crate::api::{ServiceMap, xray_service_map};
use crate::components::query::{href, href_keeping, use_region, use_time_range};
use crate::components::service_map::{Selection, ServiceMapView};
use crate::components::xray_format::{find, key};

#[component]
pub fn ServiceMapPage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let range = use_time_range();
    let group = use_group();
    let graph = Resource::new(
        move || (region.get(), query.read().get("account"), range.get().to_query_value(), group.get()),
        |(region, account, range, group)| xray_service_map(region, account, range, group),
    );
    view! {
        <Title text="X-Ray service map"/>
        <div class="breadcrumb">"X-Ray › Service map"</div>
        <div class="title-row">
            <h1 data-testid="page-title">"Service map"</h1>
            <span class="spacer"></span>
            <GroupSelect/>
            <a class="button-link" href=move || {
                let group = query.read().get("group").unwrap_or_default();
                href("/xray/traces", &query.read(), &[("group", &group)])
            }
                data-testid="view-traces">"View traces"</a>
        </div>
        <Transition fallback=|| view! { <p class="muted">"Loading the service map…"</p> }>
            {move || Suspend::new(async move {
                match graph.await {
                    Ok(map) if map.nodes.is_empty() => view! {
                        <p class="empty" data-testid="map-empty">
                            "No traces in this time range. Send segments with an X-Ray SDK, the daemon, or aws xray put-trace-segments."
                        </p>
                    }.into_any(),
                    Ok(map) => view! { <MapWithPanel map=map/> }.into_any(),
                    Err(e) => view! { <div class="error" role="alert" data-testid="map-error">{e.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

/// The selection a URL names on `map`.
fn selection(map: &ServiceMap, query: &leptos_router::params::ParamsMap) -> Option<Selection> {
    let from = find(map, &query.get("sel")?)?;
    match query.get("to") {
        None => Some(Selection::Node(from)),
        Some(to) => {
            let to = find(map, &to)?;
            map.edges.iter().position(|e| e.from == from && e.to == to).map(Selection::Edge)
        }
    }
}

#[component]
fn MapWithPanel(map: ServiceMap) -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    let navigate = use_navigate();
    let map = StoredValue::new(map);
    let selected = Memo::new(move |_| map.with_value(|m| selection(m, &query.read())));
    let go = move |changes: &[(&str, &str)]| {
        let link = href_keeping(&location.pathname.get_untracked(), &query.read_untracked(), changes, &[]);
        navigate(&link, NavigateOptions { scroll: false, ..Default::default() });
    };
    let go_select = go.clone();
    let on_select = Callback::new(move |chosen: Selection| {
        let keys = map.with_value(|m| match chosen {
            Selection::Node(i) => m.nodes.get(i).map(|n| (key(n), String::new())),
            Selection::Edge(i) => {
                m.edges.get(i).and_then(|e| Some((key(m.nodes.get(e.from)?), key(m.nodes.get(e.to)?))))
            }
        });
        if let Some((sel, to)) = keys {
            // Choosing what is open closes it.
            let open = selected.get_untracked() == Some(chosen);
            if open {
                go_select(&[("sel", ""), ("to", "")]);
            } else {
                go_select(&[("sel", &sel), ("to", &to)]);
            }
        }
    });
    let close = Callback::new(move |()| go(&[("sel", ""), ("to", "")]));
    let (clamped, nodes, edges) = map.with_value(|m| (m.clamped, m.nodes.len(), m.edges.len()));
    view! {
        {clamped.then(|| view! {
            <p class="muted small" data-testid="map-clamped">"X-Ray reads at most 24 hours: the map shows the last 24 hours of the range."</p>
        })}
        <div class="map-layout">
            <section class="panel map-panel">
                <header class="panel-header">
                    <h2>"Services " <span class="count" data-testid="map-count">{format!("({nodes} nodes, {edges} edges)")}</span></h2>
                    <span class="spacer"></span>
                    <MapLegend/>
                </header>
                <ServiceMapView map=map.get_value() selected=selected.into() on_select=on_select/>
                <p class="muted small map-hint">"Drag to pan, scroll or use + and − to zoom. Select a node or an edge (Tab, Enter) for its response times and traces."</p>
            </section>
            {move || selected.get().map(|chosen| view! { <MapPanel map=map.get_value() selection=chosen close=close/> })}
        </div>
    }
    .into_any()
}

/// What the ring colours mean.
#[component]
pub fn MapLegend() -> impl IntoView {
    view! {
        <ul class="map-legend small" data-testid="map-legend">
            <li><span class="swatch ring-swatch-ok"></span>"OK"</li>
            <li><span class="swatch ring-swatch-error"></span>"Error (4xx)"</li>
            <li><span class="swatch ring-swatch-throttle"></span>"Throttled (429)"</li>
            <li><span class="swatch ring-swatch-fault"></span>"Fault (5xx)"</li>
        </ul>
    }
}
