//! Drawing a chart to SVG markup for the page, with an escaped note in its place when it cannot be drawn.
//!
//! The server draws in place while rendering (about a millisecond a chart, ten for a dashboard). Handing that to
//! `tokio::task::block_in_place` was tried (issue 15): the replacement worker it starts polls Leptos tasks that
//! expect the sandboxed reactive arena of the thread they last ran on, and panics.

use skywatch_charts::{Chart, svg};

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
