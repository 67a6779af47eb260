//! Drawing a chart to SVG markup for the page: [`ChartSvg`], the one component every chart of the console is drawn
//! by, and [`chart_svg`], the markup or an escaped note in its place when a chart cannot be drawn.
//!
//! The server draws on tokio's blocking pool (issue 15, point 6: about a millisecond a chart, ten for a dashboard,
//! that would otherwise hold a runtime worker), awaited by the page's Suspense like any other data; the browser
//! draws in place, so hydration finds the same markup at once. (`tokio::task::block_in_place` was tried first: the
//! replacement worker it starts polls Leptos tasks that expect the sandboxed reactive arena of the thread they last
//! ran on, and panics. `spawn_blocking` hands the drawing only the chart, plain data, and no reactive state.)

use leptos::prelude::*;
use skywatch_charts::{Chart, svg};

/// `chart` drawn into a `<div class="chart-svg">`, again each time it changes; `error_class` styles the note shown
/// instead when it cannot be drawn.
#[component]
pub fn ChartSvg(#[prop(into)] chart: Signal<Chart>, error_class: &'static str) -> impl IntoView {
    move || {
        let chart = chart.get();
        Suspend::new(async move {
            let markup = draw(chart, error_class).await;
            view! { <div class="chart-svg" inner_html=markup></div> }
        })
    }
}

/// The server's drawing, off the async runtime.
#[cfg(feature = "ssr")]
async fn draw(chart: Chart, error_class: &'static str) -> String {
    off_runtime(move || chart_svg(&chart, error_class))
        .await
        .unwrap_or_else(|e| format!("<p class=\"{error_class}\">the chart was not drawn: {e}</p>"))
}

/// `work` on tokio's blocking pool. A panic in it is the caller's panic, as it would be in place; the error is the
/// runtime shutting down before it ran.
#[cfg(feature = "ssr")]
async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, tokio::task::JoinError> {
    match tokio::task::spawn_blocking(work).await {
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        done => done,
    }
}

/// The browser's drawing, in place.
#[cfg(not(feature = "ssr"))]
async fn draw(chart: Chart, error_class: &'static str) -> String {
    chart_svg(&chart, error_class)
}

/// The chart's SVG, or an escaped error note in a `<p class="{error_class}">`.
pub fn chart_svg(chart: &Chart, error_class: &str) -> String {
    match svg(chart) {
        Ok(markup) => markup,
        Err(e) => {
            let text = e.to_string().replace('&', "&amp;").replace('<', "&lt;");
            format!("<p class=\"{error_class}\">{text}</p>")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 15, point 6: the server's drawing leaves the runtime's threads free. On a one-thread runtime the work,
    /// once started, waits for a reply that only that thread can send; done in place, it would hold the thread and
    /// time out.
    #[cfg(feature = "ssr")]
    #[test]
    fn issue_15_the_server_draws_off_the_async_runtime() {
        use std::sync::mpsc;
        use std::time::Duration;
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
        let freed = runtime.block_on(async {
            let (started_tx, started) = tokio::sync::oneshot::channel::<()>();
            let (reply, reply_rx) = mpsc::channel::<()>();
            let work = tokio::spawn(off_runtime(move || {
                let _ = started_tx.send(());
                reply_rx.recv_timeout(Duration::from_secs(5)).is_ok()
            }));
            started.await.expect("the work started");
            let _ = reply.send(());
            work.await.expect("no panic").expect("the runtime is up")
        });
        assert!(freed, "the work held the runtime's only thread");
    }

    #[test]
    fn draws_a_chart_and_escapes_why_one_cannot_be_drawn() {
        let chart = Chart { width: 400, height: 200, x_range_ms: (0, 60_000), ..Chart::default() };
        assert!(chart_svg(&chart, "error").starts_with("<svg"));
        let backwards = Chart { width: 400, height: 200, x_range_ms: (60_000, 0), ..Chart::default() };
        assert_eq!(
            chart_svg(&backwards, "error-text"),
            "<p class=\"error-text\">the time range must end after it starts</p>"
        );
    }
}
