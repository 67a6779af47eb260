//! Adding a widget (a chart of picked metrics in any view, or markdown text) and editing one: title, view,
//! statistic, period, its metric rows, or its whole `properties` JSON with validation.

use leptos::prelude::*;
use serde_json::{Map, Value, json};
use skywatch_charts::widget::MetricEntry;
use skywatch_dashboards::body::WidgetKind;
use skywatch_dashboards::edit::{append_widget, properties, set_properties};
use skywatch_dashboards::parse_body;

use super::board::{Board, Dialog, InvalidBody};
use super::compose::{MetricWidget, VIEW_CHOICES, apply_choices, metric_row, view_key};
use super::picker::{MetricPicker, describe};
use crate::api::{MetricId, PERIODS, STATISTICS};

/// A `<select>` of `VIEW_CHOICES` writing the chosen key to `choice`.
#[component]
pub fn ViewSelect(choice: RwSignal<String>, test_id: &'static str) -> impl IntoView {
    view! {
        <select on:change=move |ev| choice.set(event_target_value(&ev)) data-testid=test_id>
            {VIEW_CHOICES
                .iter()
                .map(|(key, label, ..)| view! { <option value=*key selected=move || choice.get() == *key>{*label}</option> })
                .collect_view()}
        </select>
    }
}

#[component]
fn Choices(
    view_choice: RwSignal<String>,
    stat: RwSignal<String>,
    period: RwSignal<i64>,
    title: RwSignal<String>,
) -> impl IntoView {
    view! {
        <div class="form-grid">
            <label>"Title" <input type="text" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) data-testid="widget-form-title"/></label>
            <label>"View" <ViewSelect choice=view_choice test_id="widget-form-view"/></label>
            <label>
                "Statistic"
                <select on:change=move |ev| stat.set(event_target_value(&ev)) data-testid="widget-form-stat">
                    {STATISTICS.iter().map(|s| view! { <option value=*s selected=move || stat.get() == *s>{*s}</option> }).collect_view()}
                </select>
            </label>
            <label>
                "Period"
                <select on:change=move |ev| period.set(event_target_value(&ev).parse().unwrap_or(300)) data-testid="widget-form-period">
                    {PERIODS
                        .iter()
                        .map(|(seconds, label)| view! { <option value=seconds.to_string() selected=move || period.get() == *seconds>{*label}</option> })
                        .collect_view()}
                </select>
            </label>
        </div>
    }
}

#[component]
pub fn AddWidgetDialog() -> impl IntoView {
    let board = expect_context::<Board>();
    let region = crate::components::query::use_region();
    let kind = RwSignal::new("line".to_owned());
    let view_choice = RwSignal::new("line".to_owned());
    let stat = RwSignal::new("Average".to_owned());
    let period = RwSignal::new(300i64);
    let title = RwSignal::new(String::new());
    let markdown = RwSignal::new("# Title\nA few words about this dashboard.".to_owned());
    let picked = RwSignal::new(Vec::<MetricId>::new());
    let error = RwSignal::new(None::<String>);
    let choose = move |key: &'static str| {
        kind.set(key.to_owned());
        if key != "text" {
            view_choice.set(key.to_owned());
        }
    };
    let create = move |_| {
        let placements = board.layout.get_untracked();
        let (widget, width, height) = if kind.get_untracked() == "text" {
            (json!({ "type": "text", "properties": { "markdown": markdown.get_untracked() } }), 24, 3)
        } else {
            let metrics = picked.get_untracked();
            if metrics.is_empty() {
                error.set(Some("Choose at least one metric.".into()));
                return;
            }
            let (region, view_key, stat, title) =
                (region.get_untracked(), view_choice.get_untracked(), stat.get_untracked(), title.get_untracked());
            MetricWidget {
                metrics: &metrics,
                region: &region,
                view_key: &view_key,
                stat: &stat,
                period: period.get_untracked(),
                title: &title,
            }
            .build()
        };
        board.edit(|body| append_widget(body, &placements, widget, width, height));
        board.editing.set(true);
        board.dialog.set(Dialog::None);
    };
    let tiles = VIEW_CHOICES
        .iter()
        .map(|(key, label, ..)| (*key, *label))
        .chain([("text", "Text")])
        .map(|(key, label)| {
            view! {
                <button type="button" class="tile" class:active=move || kind.get() == key on:click=move |_| choose(key) data-testid=format!("widget-type-{key}")>
                    {label}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="dialog-body" data-testid="add-widget-dialog">
            <h2>"Add widget"</h2>
            <div class="tiles">{tiles}</div>
            <Show
                when=move || kind.get() == "text"
                fallback=move || view! {
                    <Choices view_choice=view_choice stat=stat period=period title=title/>
                    <MetricPicker selected=picked/>
                }
            >
                <label class="block">
                    "Markdown"
                    <textarea rows="6" prop:value=move || markdown.get() on:input=move |ev| markdown.set(event_target_value(&ev)) data-testid="widget-form-markdown"></textarea>
                </label>
            </Show>
            {move || error.get().map(|e| view! { <p class="error-text" data-testid="add-widget-error">{e}</p> })}
            <footer class="dialog-actions">
                <button class="secondary" on:click=move |_| board.dialog.set(Dialog::None)>"Cancel"</button>
                <button class="primary" on:click=create data-testid="create-widget">"Create widget"</button>
            </footer>
        </div>
    }
}

#[component]
pub fn EditWidgetDialog(index: usize) -> impl IntoView {
    let board = expect_context::<Board>();
    let original = board.working.with_untracked(|body| properties(body, index)).unwrap_or_default();
    let widget = board.parsed.with_untracked(|p| p.as_ref().ok().and_then(|b| b.widgets.get(index).cloned()));
    let Some(widget) = widget else {
        return view! { <div class="dialog-body"><p class="error-text">"The body must be valid to edit a widget; fix it in the source first."</p></div> }.into_any();
    };
    let json_text = RwSignal::new(serde_json::to_string_pretty(&Value::Object(original.clone())).unwrap_or_default());
    let messages = RwSignal::new(Vec::new());
    let apply_properties = move |props: Map<String, Value>| {
        let candidate = board.working.with_untracked(|body| set_properties(body, index, props));
        match candidate.map(|text| (parse_body(&text), text)) {
            Some((Ok(_), text)) => {
                board.working.set(text);
                board.dialog.set(Dialog::None);
            }
            Some((Err(found), _)) => messages.set(found),
            None => messages.set(Vec::new()),
        }
    };
    let form = match &widget.kind {
        WidgetKind::Metric(metric) => {
            let view_choice = RwSignal::new(view_key(metric.view.as_str(), metric.stacked).to_owned());
            let stat = RwSignal::new(metric.stat.clone().unwrap_or_else(|| "Average".into()));
            let period = RwSignal::new(i64::from(metric.period.unwrap_or(300)));
            let title = RwSignal::new(metric.title.clone().unwrap_or_default());
            let rows = RwSignal::new(metric.metrics.clone());
            let picked = RwSignal::new(Vec::<MetricId>::new());
            let original = original.clone();
            let apply = move |_| {
                let mut props = original.clone();
                let mut all: Vec<Value> = rows.get_untracked().iter().map(MetricEntry::to_json).collect();
                all.extend(picked.get_untracked().iter().map(metric_row));
                props.insert("metrics".into(), Value::Array(all));
                apply_choices(
                    &mut props,
                    &view_choice.get_untracked(),
                    &stat.get_untracked(),
                    period.get_untracked(),
                    &title.get_untracked(),
                );
                apply_properties(props);
            };
            view! {
                <Choices view_choice=view_choice stat=stat period=period title=title/>
                <h3>"Metrics"</h3>
                <ul class="rows" data-testid="widget-rows">
                    {move || rows.get().into_iter().enumerate().map(|(i, row)| view! {
                        <li data-testid="widget-row">
                            <code>{row_text(&row)}</code>
                            <button class="tool" title="Remove" on:click=move |_| rows.update(|r| { if i < r.len() { r.remove(i); } }) data-testid="widget-row-remove">"✕"</button>
                        </li>
                    }).collect_view()}
                </ul>
                <details class="add-metrics">
                    <summary>"Add metrics"</summary>
                    <MetricPicker selected=picked/>
                </details>
                <footer class="dialog-actions">
                    <button class="secondary" on:click=move |_| board.dialog.set(Dialog::None)>"Cancel"</button>
                    <button class="primary" on:click=apply data-testid="widget-apply">"Update widget"</button>
                </footer>
            }
            .into_any()
        }
        WidgetKind::Text(text) => {
            let markdown = RwSignal::new(text.markdown.clone());
            let original = original.clone();
            let apply = move |_| {
                let mut props = original.clone();
                props.insert("markdown".into(), json!(markdown.get_untracked()));
                apply_properties(props);
            };
            view! {
                <label class="block">
                    "Markdown"
                    <textarea rows="8" prop:value=move || markdown.get() on:input=move |ev| markdown.set(event_target_value(&ev)) data-testid="widget-form-markdown"></textarea>
                </label>
                <footer class="dialog-actions">
                    <button class="secondary" on:click=move |_| board.dialog.set(Dialog::None)>"Cancel"</button>
                    <button class="primary" on:click=apply data-testid="widget-apply">"Update widget"</button>
                </footer>
            }
            .into_any()
        }
        _ => view! { <p class="muted">"Edit this widget's properties as JSON below."</p> }.into_any(),
    };
    let apply_json = move |_| match serde_json::from_str::<Value>(&json_text.get_untracked()) {
        Ok(Value::Object(props)) => apply_properties(props),
        _ => messages.set(vec![skywatch_dashboards::ValidationMessage {
            data_path: format!("/widgets/{index}/properties"),
            message: "Should be a JSON object".into(),
        }]),
    };
    view! {
        <div class="dialog-body" data-testid="edit-widget-dialog">
            <h2>"Edit widget"</h2>
            {form}
            <details class="properties-json">
                <summary>"Properties (JSON)"</summary>
                <textarea rows="12" class="code" prop:value=move || json_text.get() on:input=move |ev| json_text.set(event_target_value(&ev)) data-testid="widget-json"></textarea>
                <button class="secondary" on:click=apply_json data-testid="widget-json-apply">"Apply JSON"</button>
            </details>
            {move || (!messages.read().is_empty()).then(|| view! { <InvalidBody messages=messages.get()/> })}
        </div>
    }
    .into_any()
}

/// A metric row's text in the editor.
fn row_text(row: &MetricEntry) -> String {
    match row {
        MetricEntry::Metric(metric) => describe(&MetricId {
            namespace: metric.namespace.clone(),
            metric_name: metric.metric_name.clone(),
            dimensions: metric.dimensions.clone(),
        }),
        MetricEntry::Expression(expression) => format!("ƒ {}", expression.expression),
    }
}
