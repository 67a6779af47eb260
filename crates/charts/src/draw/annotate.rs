//! Horizontal (threshold) and vertical (event) annotations: shaded sides or bands below the data, lines and labels
//! above it.

use plotters::prelude::DrawingBackend;

use super::canvas::{Align, Canvas, Label};
use super::color::Rgba;
use super::frame::{Frame, crisp};
use super::geometry::Rect;
use super::text::text_width;
use super::theme::Colors;
use super::{ChartError, HAnnotation, VAnnotation};
use crate::view::{HFill, VFill};

const LABEL_SIZE: f64 = 11.0;

fn color_of(color: &Option<String>, colors: &Colors) -> Rgba {
    color.as_deref().and_then(Rgba::parse).unwrap_or(colors.annotation)
}

/// The shaded parts, drawn before the series.
pub(crate) fn draw_fills<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    frame: &Frame,
    horizontal: &[HAnnotation],
    vertical: &[VAnnotation],
    colors: &Colors,
) -> Result<(), ChartError> {
    let plot = frame.plot;
    for annotation in horizontal {
        let Some(y) = frame.y(annotation.value, annotation.right_axis) else { continue };
        let shade = color_of(&annotation.color, colors).with_alpha(colors.fill_alpha);
        let band_y = annotation.band_to.and_then(|to| frame.y(to, annotation.right_axis));
        let (top, bottom) = match (band_y, annotation.fill) {
            (Some(other), _) => (y.min(other), y.max(other)),
            (None, Some(HFill::Above)) => (plot.top, y),
            (None, Some(HFill::Below)) => (y, plot.bottom),
            (None, None) => continue,
        };
        canvas.fill_rect(plot.left, top.max(plot.top), plot.right, bottom.min(plot.bottom), shade)?;
    }
    for annotation in vertical {
        let x = frame.x(annotation.time_ms);
        let shade = color_of(&annotation.color, colors).with_alpha(colors.fill_alpha);
        let (left, right) = match (annotation.band_to_ms.map(|to| frame.x(to)), annotation.fill) {
            (Some(other), _) => (x.min(other), x.max(other)),
            (None, Some(VFill::Before)) => (plot.left, x),
            (None, Some(VFill::After)) => (x, plot.right),
            (None, None) => continue,
        };
        canvas.fill_rect(left.max(plot.left), plot.top, right.min(plot.right), plot.bottom, shade)?;
    }
    Ok(())
}

/// The lines and labels, drawn after the series. Labels go where they overlap neither the plot edge nor each other
/// (vertical ones first, at the top), on a translucent patch of background so lines under them do not blur them.
pub(crate) fn draw_lines<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    frame: &Frame,
    horizontal: &[HAnnotation],
    vertical: &[VAnnotation],
    colors: &Colors,
) -> Result<(), ChartError> {
    let plot = frame.plot;
    let inside_x = |x: f64| x >= plot.left - 0.5 && x <= plot.right + 0.5;
    let inside_y = |y: f64| y >= plot.top - 0.5 && y <= plot.bottom + 0.5;
    let mut labels: Vec<Candidates<'_>> = Vec::new();
    for annotation in vertical {
        let color = color_of(&annotation.color, colors);
        let edges = std::iter::once(annotation.time_ms).chain(annotation.band_to_ms);
        let xs: Vec<f64> = edges.map(|ms| frame.x(ms)).collect();
        for x in xs.iter().copied().filter(|x| inside_x(*x)) {
            canvas.vline(crisp(x), plot.top, plot.bottom, 1.0, color)?;
        }
        if let (Some(label), Some(&x)) = (&annotation.label, xs.first())
            && inside_x(x)
        {
            let top = plot.top + LABEL_SIZE + 2.0;
            let spots = [(x + 4.0, top, Align::Left), (x - 4.0, top, Align::Right)];
            let lower = spots.map(|(x, y, align)| (x, y + LABEL_SIZE + 4.0, align));
            labels.push(Candidates { text: label, color, spots: spots.into_iter().chain(lower).collect() });
        }
    }
    for annotation in horizontal {
        let color = color_of(&annotation.color, colors);
        let edges = std::iter::once(annotation.value).chain(annotation.band_to);
        let ys: Vec<f64> = edges.filter_map(|value| frame.y(value, annotation.right_axis)).collect();
        for y in ys.iter().copied().filter(|y| inside_y(*y)) {
            canvas.hline(plot.left, plot.right, crisp(y), 1.0, color)?;
        }
        if let (Some(label), Some(&y)) = (&annotation.label, ys.iter().min_by(|a, b| a.total_cmp(b)))
            && inside_y(y)
        {
            let (above, below) = (y - 4.0, y + LABEL_SIZE + 2.0);
            let spots = vec![
                (plot.right - 4.0, above, Align::Right),
                (plot.right - 4.0, below, Align::Right),
                (plot.left + 4.0, above, Align::Left),
                (plot.left + 4.0, below, Align::Left),
            ];
            labels.push(Candidates { text: label, color, spots });
        }
    }
    let mut taken: Vec<Rect> = Vec::new();
    for candidate in labels {
        let width = text_width(candidate.text, LABEL_SIZE, false);
        let fits = |(x, baseline, align): &(f64, f64, Align)| {
            let left = match align {
                Align::Left => *x,
                Align::Center => x - width / 2.0,
                Align::Right => x - width,
            };
            let area = Rect {
                left: left - 2.0,
                top: baseline - LABEL_SIZE,
                right: left + width + 2.0,
                bottom: baseline + 3.0,
            };
            let inside = area.left >= plot.left
                && area.right <= plot.right
                && area.top >= plot.top
                && area.bottom <= plot.bottom;
            (inside && !taken.iter().any(|other| overlaps(&area, other))).then_some(area)
        };
        let Some((spot, area)) = candidate.spots.iter().find_map(|spot| fits(spot).map(|area| (*spot, area))) else {
            continue;
        };
        canvas.fill_rect(area.left, area.top, area.right, area.bottom, colors.background.with_alpha(0.8))?;
        let (x, baseline, align) = spot;
        canvas.text(&Label::new(candidate.text, x, baseline, LABEL_SIZE, candidate.color).align(align))?;
        taken.push(area);
    }
    Ok(())
}

/// A label and the places it may go, best first.
struct Candidates<'a> {
    text: &'a str,
    color: Rgba,
    spots: Vec<(f64, f64, Align)>,
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
}
