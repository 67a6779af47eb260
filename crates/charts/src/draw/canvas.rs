//! The drawing surface: chart-pixel shapes and text drawn through a plotters backend at a fixed scale (the SVG is
//! drawn at 2× its view size for half-pixel precision; the PNG is supersampled and scaled down afterwards).

use plotters::coord::Shift;
use plotters::prelude::{Circle, DrawingArea, DrawingBackend, PathElement, Polygon, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontFamily, FontStyle, FontTransform, IntoFont, ShapeStyle, TextStyle};

use super::ChartError;
use super::color::Rgba;
use super::geometry::Point;
use super::text::text_width;

/// How the backend places text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextMode {
    /// SVG: the browser lays text out; anchors become `text-anchor`.
    Svg,
    /// Bitmap: glyphs are rasterized from the embedded font; alignment is computed here.
    #[cfg_attr(not(feature = "png"), allow(dead_code))]
    Bitmap,
}

/// Horizontal text alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// One piece of text: its anchor point is on the baseline (or, when `vertical`, on the baseline of text that reads
/// bottom to top, `x` being the baseline).
#[derive(Debug, Clone)]
pub(crate) struct Label<'a> {
    pub text: &'a str,
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub color: Rgba,
    pub align: Align,
    pub bold: bool,
    pub vertical: bool,
}

impl<'a> Label<'a> {
    pub(crate) fn new(text: &'a str, x: f64, y: f64, size: f64, color: Rgba) -> Self {
        Self { text, x, y, size, color, align: Align::Left, bold: false, vertical: false }
    }

    pub(crate) fn align(self, align: Align) -> Self {
        Self { align, ..self }
    }

    pub(crate) fn bold(self) -> Self {
        Self { bold: true, ..self }
    }

    pub(crate) fn vertical(self) -> Self {
        Self { vertical: true, ..self }
    }
}

/// The font family name text is drawn with: a CSS font stack in SVG, the registered font in bitmaps.
const SVG_FONT: &str = "'Amazon Ember', 'Helvetica Neue', Roboto, Arial, sans-serif";
pub(crate) const BITMAP_FONT: &str = "skywatch-dejavu-sans";
/// Ascent + descent of DejaVu Sans per em: ab_glyph scales fonts by that height, not by the em.
const BITMAP_HEIGHT_PER_EM: f64 = 2384.0 / 2048.0;
/// Plotters' SVG backend writes `font-size` as the style size divided by this.
const SVG_SIZE_FACTOR: f64 = 1.24;
/// Plotters' SVG backend shifts top-anchored text down by this many ems.
const SVG_TOP_DY_EM: f64 = 0.76;

pub(crate) struct Canvas<DB: DrawingBackend> {
    area: DrawingArea<DB, Shift>,
    scale: f64,
    mode: TextMode,
}

fn drawing_error<E: std::fmt::Display>(error: E) -> ChartError {
    ChartError::Drawing(error.to_string())
}

impl<DB: DrawingBackend> Canvas<DB> {
    pub(crate) fn new(area: DrawingArea<DB, Shift>, scale: f64, mode: TextMode) -> Self {
        Self { area, scale, mode }
    }

    fn px(&self, value: f64) -> i32 {
        (value * self.scale).round() as i32
    }

    fn point(&self, point: Point) -> (i32, i32) {
        (self.px(point.0), self.px(point.1))
    }

    fn stroke(&self, width: f64) -> u32 {
        (width * self.scale).round().max(1.0) as u32
    }

    pub(crate) fn clear(&self, color: Rgba) -> Result<(), ChartError> {
        self.area.fill(&color.to_plotters()).map_err(drawing_error)
    }

    pub(crate) fn present(&self) -> Result<(), ChartError> {
        self.area.present().map_err(drawing_error)
    }

    /// A filled rectangle between two corners.
    pub(crate) fn fill_rect(
        &self,
        left: f64,
        top: f64,
        right: f64,
        bottom: f64,
        color: Rgba,
    ) -> Result<(), ChartError> {
        let (x0, y0) = self.point((left.min(right), top.min(bottom)));
        let (x1, y1) = self.point((left.max(right), top.max(bottom)));
        if x1 <= x0 || y1 <= y0 {
            return Ok(());
        }
        let style = ShapeStyle::from(color.to_plotters()).filled();
        self.area.draw(&Rectangle::new([(x0, y0), (x1, y1)], style)).map_err(drawing_error)
    }

    /// A crisp horizontal line `width` thick centred on `y`.
    pub(crate) fn hline(&self, left: f64, right: f64, y: f64, width: f64, color: Rgba) -> Result<(), ChartError> {
        self.fill_rect(left, y - width / 2.0, right, y + width / 2.0, color)
    }

    /// A crisp vertical line `width` thick centred on `x`.
    pub(crate) fn vline(&self, x: f64, top: f64, bottom: f64, width: f64, color: Rgba) -> Result<(), ChartError> {
        self.fill_rect(x - width / 2.0, top, x + width / 2.0, bottom, color)
    }

    /// A stroked polyline with round joins.
    pub(crate) fn polyline(&self, points: &[Point], width: f64, color: Rgba) -> Result<(), ChartError> {
        let coords: Vec<(i32, i32)> = points.iter().map(|point| self.point(*point)).collect();
        let stroke = self.stroke(width);
        let style = ShapeStyle::from(color.to_plotters()).stroke_width(stroke);
        match self.mode {
            // The root <svg> sets round joins and caps for every polyline.
            TextMode::Svg => self.area.draw(&PathElement::new(coords, style)).map_err(drawing_error),
            TextMode::Bitmap => {
                // Plotters turns a wide path into one polygon, which folds over itself on spiky data; draw each
                // segment as its own quad and round the joints with discs instead.
                let radius = (stroke / 2).max(1);
                let disc = ShapeStyle::from(color.to_plotters()).filled();
                for pair in coords.windows(2) {
                    self.area.draw(&PathElement::new(vec![pair[0], pair[1]], style)).map_err(drawing_error)?;
                }
                if stroke > 2 {
                    for coord in &coords {
                        self.area.draw(&Circle::new(*coord, radius, disc)).map_err(drawing_error)?;
                    }
                }
                Ok(())
            }
        }
    }

    /// A filled polygon.
    pub(crate) fn polygon(&self, points: &[Point], color: Rgba) -> Result<(), ChartError> {
        if points.len() < 3 {
            return Ok(());
        }
        let coords: Vec<(i32, i32)> = points.iter().map(|point| self.point(*point)).collect();
        let style = ShapeStyle::from(color.to_plotters()).filled();
        self.area.draw(&Polygon::new(coords, style)).map_err(drawing_error)
    }

    /// A filled disc.
    pub(crate) fn dot(&self, center: Point, radius: f64, color: Rgba) -> Result<(), ChartError> {
        let style = ShapeStyle::from(color.to_plotters()).filled();
        let radius = (radius * self.scale).round().max(1.0) as u32;
        self.area.draw(&Circle::new(self.point(center), radius, style)).map_err(drawing_error)
    }

    pub(crate) fn text(&self, label: &Label<'_>) -> Result<(), ChartError> {
        if label.text.is_empty() {
            return Ok(());
        }
        match self.mode {
            TextMode::Svg => self.svg_text(label),
            TextMode::Bitmap => self.bitmap_text(label),
        }
    }

    fn svg_text(&self, label: &Label<'_>) -> Result<(), ChartError> {
        let size = label.size * self.scale;
        let style = if label.bold { FontStyle::Bold } else { FontStyle::Normal };
        let h_pos = match label.align {
            Align::Left => HPos::Left,
            Align::Center => HPos::Center,
            Align::Right => HPos::Right,
        };
        let mut text_style: TextStyle<'_> = (FontFamily::Name(SVG_FONT), size * SVG_SIZE_FACTOR, style)
            .into_font()
            .color(&label.color.to_plotters())
            .pos(Pos::new(h_pos, VPos::Top));
        // Top-anchored text gets `dy="0.76em"`: move the anchor up by that much to land on the baseline.
        let shift = SVG_TOP_DY_EM * size;
        let anchor = if label.vertical {
            text_style = text_style.transform(FontTransform::Rotate270);
            ((label.x * self.scale - shift).round() as i32, self.px(label.y))
        } else {
            (self.px(label.x), (label.y * self.scale - shift).round() as i32)
        };
        self.area.draw(&Text::new(label.text.to_string(), anchor, text_style)).map_err(drawing_error)
    }

    fn bitmap_text(&self, label: &Label<'_>) -> Result<(), ChartError> {
        let size = label.size * self.scale * BITMAP_HEIGHT_PER_EM;
        let width = text_width(label.text, label.size, false) * self.scale;
        let before = match label.align {
            Align::Left => 0.0,
            Align::Center => width / 2.0,
            Align::Right => width,
        };
        let mut text_style: TextStyle<'_> = (FontFamily::Name(BITMAP_FONT), size, FontStyle::Normal)
            .into_font()
            .color(&label.color.to_plotters())
            .pos(Pos::new(HPos::Left, VPos::Top));
        // The ab_glyph renderer puts the baseline half the font height below the anchor.
        let anchor = if label.vertical {
            text_style = text_style.transform(FontTransform::Rotate270);
            ((label.x * self.scale - size / 2.0).round(), (label.y * self.scale + before).round())
        } else {
            ((label.x * self.scale - before).round(), (label.y * self.scale - size / 2.0).round())
        };
        let anchor = (anchor.0 as i32, anchor.1 as i32);
        self.area.draw(&Text::new(label.text.to_string(), anchor, text_style.clone())).map_err(drawing_error)?;
        if label.bold {
            // The embedded font has no bold face: overprint a fraction of a pixel to the right.
            let nudge = (self.scale * 0.45).round().max(1.0) as i32;
            let shifted = if label.vertical { (anchor.0, anchor.1 - nudge) } else { (anchor.0 + nudge, anchor.1) };
            self.area.draw(&Text::new(label.text.to_string(), shifted, text_style)).map_err(drawing_error)?;
        }
        Ok(())
    }
}
