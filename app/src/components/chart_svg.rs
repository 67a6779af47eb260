//! Drawing a chart to SVG markup for the page, with an escaped note in its place when it cannot be drawn, and
//! where that drawing happens (issue 15, point 6): never on the server's async runtime.
//!
//! A chart costs about a millisecond to draw (ten for a dashboard). The server draws the charts of a page's first
//! render inside the resource that loads their data, on a blocking thread ([`prerender`]); the markup travels to
//! the browser with the resource's value, so hydration finds the same markup. Anything else (another size, theme
//! or time zone; data fetched again) is drawn in the browser. The server's components never draw: where no
//! prerendered markup fits they render an empty box, which the browser fills once it has hydrated.
//! (`tokio::task::block_in_place` in the component was tried first: the worker it starts polls Leptos tasks that
//! expect the reactive arena of the thread they last ran on, and panics. A `Suspend` around the drawing broke
//! hydration.)

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use skywatch_charts::{Chart, Theme, svg};

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

/// What a chart is drawn for besides its data: the box and the page's theme and time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Canvas {
    pub width: u32,
    pub height: u32,
    pub dark: bool,
    pub utc_offset_minutes: i32,
}

impl Canvas {
    /// The canvas `chart` is set up for.
    pub fn of(chart: &Chart) -> Self {
        Canvas {
            width: chart.width,
            height: chart.height,
            dark: chart.theme == Theme::Dark,
            utc_offset_minutes: chart.utc_offset_minutes,
        }
    }
}

/// A chart the server drew for the page's first render, and the canvas it was drawn for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prerendered {
    pub canvas: Canvas,
    pub markup: String,
}

/// Draws `chart` on a blocking thread, off the async runtime; `None` if that thread panicked.
#[cfg(feature = "ssr")]
pub async fn prerender(chart: Chart, error_class: &'static str) -> Option<Prerendered> {
    let canvas = Canvas::of(&chart);
    let markup = tokio::task::spawn_blocking(move || chart_svg(&chart, error_class)).await.ok()?;
    Some(Prerendered { canvas, markup })
}

/// Draws each of `charts` (`None` left out) on one blocking thread, off the async runtime; all `None` if that
/// thread panicked.
#[cfg(feature = "ssr")]
pub async fn prerender_each(charts: Vec<Option<Chart>>, error_class: &'static str) -> Vec<Option<Prerendered>> {
    let count = charts.len();
    let drawn = tokio::task::spawn_blocking(move || {
        charts
            .into_iter()
            .map(|chart| {
                let chart = chart?;
                Some(Prerendered { canvas: Canvas::of(&chart), markup: chart_svg(&chart, error_class) })
            })
            .collect()
    })
    .await;
    drawn.unwrap_or_else(|_| vec![None; count])
}

/// Whether the page has hydrated (or was rendered in the browser): false on the server and while hydrating,
/// true from the first effect on. A chart's markup reads it only when it has to draw, so that the browser draws
/// what the server could not.
pub fn hydrated() -> ReadSignal<bool> {
    let (hydrated, set) = signal(false);
    Effect::new(move |_| set.set(true));
    hydrated
}

/// The markup to show for a chart on `canvas`: the server's drawing if it was made for that canvas, else the
/// chart drawn here once the page is live in the browser, else (on the server, or while hydrating) nothing.
pub fn markup_for(
    prerendered: Option<&Prerendered>,
    canvas: Canvas,
    hydrated: ReadSignal<bool>,
    draw: impl FnOnce() -> String,
) -> String {
    match prerendered.filter(|p| p.canvas == canvas) {
        Some(p) => p.markup.clone(),
        None if hydrated.get() => draw(),
        None => String::new(),
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

    #[test]
    fn issue_15_prerendered_markup_is_used_only_for_its_canvas_and_nothing_is_drawn_before_hydration() {
        let owner = Owner::new();
        owner.with(|| {
            let canvas = Canvas { width: 400, height: 200, dark: false, utc_offset_minutes: 0 };
            let pre = Prerendered { canvas, markup: "<svg>server</svg>".into() };
            let (live, set_live) = signal(false);
            let drawn_here = || "<svg>here</svg>".to_owned();
            assert_eq!(markup_for(Some(&pre), canvas, live, drawn_here), "<svg>server</svg>");
            let wider = Canvas { width: 500, ..canvas };
            let dark = Canvas { dark: true, ..canvas };
            let local = Canvas { utc_offset_minutes: 60, ..canvas };
            for other in [wider, dark, local] {
                assert_eq!(markup_for(Some(&pre), other, live, drawn_here), "", "not drawn before hydration");
            }
            assert_eq!(markup_for(None, canvas, live, drawn_here), "");
            set_live.set(true);
            assert_eq!(markup_for(Some(&pre), wider, live, drawn_here), "<svg>here</svg>");
            assert_eq!(markup_for(Some(&pre), canvas, live, drawn_here), "<svg>server</svg>");
        });
    }
}
