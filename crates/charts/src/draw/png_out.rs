//! PNG output: the chart drawn supersampled on plotters' bitmap backend with the embedded DejaVu Sans, averaged
//! down to its size (anti-aliasing every line and glyph edge) and encoded with the `png` crate.

use std::sync::OnceLock;

use plotters::prelude::{BitMapBackend, IntoDrawingArea};
use plotters::style::{FontStyle, register_font};

use super::canvas::{BITMAP_FONT, Canvas, TextMode};
use super::{Chart, ChartError, render};

static DEJAVU_SANS: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");

/// Supersampling factor for ordinary sizes, for images over `LARGE_PIXELS` pixels, and for those over
/// `HUGE_PIXELS` (which keeps the drawing buffer under 50 MB).
const SUPERSAMPLE: u32 = 4;
const LARGE_SUPERSAMPLE: u32 = 2;
const LARGE_PIXELS: u64 = 640_000;
const HUGE_PIXELS: u64 = 4_200_000;

fn register() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        register_font(BITMAP_FONT, FontStyle::Normal, DEJAVU_SANS).is_ok()
            && register_font(BITMAP_FONT, FontStyle::Bold, DEJAVU_SANS).is_ok()
    });
    if ok { Ok(()) } else { Err(ChartError::Drawing("the embedded font could not be loaded".to_string())) }
}

pub(crate) fn render_png(chart: &Chart) -> Result<Vec<u8>, ChartError> {
    register()?;
    let pixels = u64::from(chart.width) * u64::from(chart.height);
    let factor = if pixels <= LARGE_PIXELS {
        SUPERSAMPLE
    } else if pixels <= HUGE_PIXELS {
        LARGE_SUPERSAMPLE
    } else {
        1
    };
    let (big_w, big_h) = (chart.width * factor, chart.height * factor);
    let mut big = vec![0u8; big_w as usize * big_h as usize * 3];
    {
        let area = BitMapBackend::with_buffer(&mut big, (big_w, big_h)).into_drawing_area();
        let canvas = Canvas::new(area, f64::from(factor), TextMode::Bitmap);
        render(&canvas, chart)?;
    }
    let small = downsample(&big, chart.width as usize, chart.height as usize, factor as usize);
    encode(&small, chart.width, chart.height)
}

/// Averages each `factor`×`factor` block of an RGB image.
fn downsample(big: &[u8], width: usize, height: usize, factor: usize) -> Vec<u8> {
    let big_width = width * factor;
    let count = (factor * factor) as u32;
    let mut out = vec![0u8; width * height * 3];
    for y in 0..height {
        for x in 0..width {
            let mut sum = [0u32; 3];
            for dy in 0..factor {
                let row = (y * factor + dy) * big_width;
                for dx in 0..factor {
                    let at = (row + x * factor + dx) * 3;
                    for channel in 0..3 {
                        sum[channel] += u32::from(big[at + channel]);
                    }
                }
            }
            let at = (y * width + x) * 3;
            for channel in 0..3 {
                out[at + channel] = ((sum[channel] + count / 2) / count) as u8;
            }
        }
    }
    out
}

fn encode(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Best);
        let mut writer = encoder.write_header().map_err(|error| ChartError::Encode(error.to_string()))?;
        writer.write_image_data(rgb).map_err(|error| ChartError::Encode(error.to_string()))?;
    }
    Ok(bytes)
}
