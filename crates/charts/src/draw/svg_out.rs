//! SVG output: the chart drawn at twice its size through plotters' SVG backend, with the root element rewritten
//! to the chart's own width and height (the viewBox keeps the doubled coordinates, giving half-pixel precision).

use plotters::prelude::{IntoDrawingArea, SVGBackend};

use super::canvas::{Canvas, TextMode};
use super::{Chart, ChartError, render};

/// Drawing units per chart pixel.
const SCALE: u32 = 2;

pub(crate) fn render_svg(chart: &Chart) -> Result<String, ChartError> {
    let size = (chart.width * SCALE, chart.height * SCALE);
    let mut body = String::new();
    {
        let area = SVGBackend::with_string(&mut body, size).into_drawing_area();
        let canvas = Canvas::new(area, f64::from(SCALE), TextMode::Svg);
        render(&canvas, chart)?;
    }
    // Replace plotters' opening tag with ours.
    let inner = body
        .strip_prefix("<svg")
        .and_then(|rest| rest.split_once('>'))
        .map(|(_, inner)| inner)
        .ok_or_else(|| ChartError::Drawing("the SVG backend wrote no <svg> element".to_string()))?;
    let mut out = String::with_capacity(inner.len() + 300);
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" \
         role=\"img\" stroke-linejoin=\"round\" stroke-linecap=\"round\"",
        chart.width, chart.height, size.0, size.1
    ));
    if let Some(title) = chart.title.as_deref().filter(|title| !title.trim().is_empty()) {
        out.push_str(&format!(" aria-label=\"{}\"", escape(title)));
    }
    out.push('>');
    out.push_str(inner.trim_end());
    Ok(out)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}
