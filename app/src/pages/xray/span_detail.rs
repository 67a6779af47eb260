//! The details of one segment or subsegment of a trace: its times and status, annotations, the exceptions with
//! their stacks, the HTTP, AWS and SQL facts, metadata, and (for a segment) the document as received.

use leptos::prelude::*;

use super::waterfall::health;
use crate::api::SpanRow;
use crate::components::xray_format::seconds;

fn epoch(seconds: f64) -> String {
    chrono::DateTime::from_timestamp_millis((seconds * 1000.0) as i64)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S%.3f UTC").to_string())
        .unwrap_or_default()
}

fn json_section(title: &'static str, test_id: &'static str, json: Option<String>) -> impl IntoView {
    json.map(|json| {
        view! {
            <h3 class="section-label">{title}</h3>
            <pre class="json" data-testid=test_id>{json}</pre>
        }
    })
}

#[component]
pub fn SpanDetail(span: SpanRow, trace_start: f64, close: Callback<()>) -> impl IntoView {
    let class = health(&span);
    let what = if span.segment { "Segment" } else { "Subsegment" };
    let duration = span.end.map(|end| seconds((end - span.start).max(0.0))).unwrap_or_else(|| "in progress".into());
    let facts: Vec<(&'static str, String)> = [
        ("Name", Some(span.name.clone())),
        ("ID", Some(span.id.clone())),
        (if span.segment { "Origin" } else { "Namespace" }, span.kind.clone()),
        ("Start", Some(format!("{} (+{})", epoch(span.start), seconds((span.start - trace_start).max(0.0))))),
        ("End", span.end.map(epoch)),
        ("Duration", Some(duration)),
        ("HTTP", span.method.clone().map(|m| format!("{m} {}", span.url.clone().unwrap_or_default()))),
        ("Status", span.status.map(|s| s.to_string())),
        ("User", span.user.clone()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    let flags: Vec<&'static str> = [(span.fault, "Fault"), (span.error, "Error"), (span.throttle, "Throttle")]
        .into_iter()
        .filter_map(|(on, word)| on.then_some(word))
        .collect();
    view! {
        <section class="panel span-detail" data-testid="span-detail" data-span-id=span.id.clone()>
            <header class="panel-header">
                <span class=format!("health-dot health-{class}") aria-hidden="true"></span>
                <h2 data-testid="span-detail-title">{format!("{what} – {}", span.name)}</h2>
                {flags.into_iter().map(|word| view! {
                    <span class=format!("marker marker-{}", word.to_lowercase())>{word}</span>
                }).collect_view()}
                <span class="spacer"></span>
                <button type="button" class="close-button" aria-label="Close" data-testid="span-detail-close"
                    on:click=move |_| close.run(())>"✕"</button>
            </header>
            <div class="panel-body detail-columns">
                <div>
                    <h3 class="section-label">"Overview"</h3>
                    <dl class="facts">
                        {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd class="mono small">{v}</dd> }).collect_view()}
                    </dl>
                    <h3 class="section-label">"Annotations"</h3>
                    {if span.annotations.is_empty() {
                        view! { <p class="muted small">"None."</p> }.into_any()
                    } else {
                        view! {
                            <table class="grid compact-grid" data-testid="span-annotations">
                                <thead><tr><th>"Key"</th><th>"Value"</th></tr></thead>
                                <tbody>
                                    {span.annotations.iter().map(|(k, v)| view! {
                                        <tr data-testid="annotation-row"><td class="mono small">{k.clone()}</td><td class="mono small">{v.clone()}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }}
                    <h3 class="section-label">"Exceptions"</h3>
                    {if span.exceptions.is_empty() {
                        view! { <p class="muted small">"None."</p> }.into_any()
                    } else {
                        span.exceptions.iter().map(|e| view! {
                            <div class="exception" data-testid="span-exception">
                                <div class="exception-head">
                                    <strong class="mono">{e.kind.clone()}</strong>
                                    {e.remote.then(|| view! { <span class="badge">"remote"</span> })}
                                    <span class="exception-message">{e.message.clone()}</span>
                                </div>
                                <ol class="stack mono small" data-testid="exception-stack">
                                    {e.stack.iter().map(|frame| view! { <li data-testid="stack-frame">{frame.clone()}</li> }).collect_view()}
                                </ol>
                                {(e.truncated > 0).then(|| view! { <p class="muted small">{format!("{} more frames not recorded", e.truncated)}</p> })}
                            </div>
                        }).collect_view().into_any()
                    }}
                </div>
                <div>
                    {json_section("HTTP", "span-http", span.http.clone())}
                    {json_section("AWS", "span-aws", span.aws.clone())}
                    {json_section("SQL", "span-sql", span.sql.clone())}
                    {json_section("Metadata", "span-metadata", span.metadata.clone())}
                    {span.raw.clone().map(|raw| view! {
                        <details class="raw">
                            <summary class="section-label">"Raw segment document"</summary>
                            <pre class="json" data-testid="span-raw">{raw}</pre>
                        </details>
                    })}
                </div>
            </div>
        </section>
    }
    .into_any()
}
