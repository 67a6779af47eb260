//! PNG output: a real PNG of the asked size that is not blank, in both themes.
#![cfg(feature = "png")]

use std::collections::HashSet;

use skywatch_charts::draw::{Chart, ChartSeries, HAnnotation, Theme, View};
use skywatch_charts::png;

const MINUTE: i64 = 60_000;
const T0: i64 = 1_710_374_400_000;

fn chart(theme: Theme) -> Chart {
    let points = |base: f64| (0..36).map(|i| (T0 + i * 5 * MINUTE, base + (i % 9) as f64 * 3.0)).collect();
    Chart {
        title: Some("CPU".into()),
        width: 500,
        height: 300,
        theme,
        x_range_ms: (T0, T0 + 180 * MINUTE),
        series: vec![
            ChartSeries { label: "web-1".into(), points: points(40.0), ..Default::default() },
            ChartSeries { label: "web-2".into(), points: points(10.0), ..Default::default() },
        ],
        horizontal_annotations: vec![HAnnotation { value: 70.0, label: Some("limit".into()), ..Default::default() }],
        ..Default::default()
    }
}

struct Decoded {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

fn decode(bytes: &[u8]) -> Decoded {
    let decoder = png::Decoder::new(bytes);
    let mut reader = decoder.read_info().unwrap();
    let mut rgb = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut rgb).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    rgb.truncate(info.buffer_size());
    Decoded { width: info.width, height: info.height, rgb }
}

impl Decoded {
    fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        let at = ((y * self.width + x) * 3) as usize;
        [self.rgb[at], self.rgb[at + 1], self.rgb[at + 2]]
    }

    fn colors(&self) -> HashSet<[u8; 3]> {
        self.rgb.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect()
    }

    fn has_near(&self, target: [u8; 3]) -> bool {
        self.rgb.chunks_exact(3).any(|p| (0..3).all(|i| p[i].abs_diff(target[i]) <= 12))
    }
}

#[test]
fn the_bytes_are_a_png_of_the_chart_size() {
    let bytes = png(&chart(Theme::Light)).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&bytes[12..16], b"IHDR");
    assert_eq!(u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]), 500);
    assert_eq!(u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]), 300);
    let image = decode(&bytes);
    assert_eq!((image.width, image.height), (500, 300));
}

#[test]
fn light_and_dark_pngs_are_drawn_not_blank() {
    for (theme, background) in [(Theme::Light, [0xff, 0xff, 0xff]), (Theme::Dark, [0x0f, 0x1b, 0x2a])] {
        let image = decode(&png(&chart(theme)).unwrap());
        assert_eq!(image.pixel(0, 0), background, "{theme:?}");
        assert_eq!(image.pixel(499, 299), background, "{theme:?}");
        assert!(image.colors().len() > 100, "{theme:?}: only {} colors", image.colors().len());
        assert!(image.has_near([0x1f, 0x77, 0xb4]), "{theme:?}: no first-series blue");
        assert!(image.has_near([0xff, 0x7f, 0x0e]), "{theme:?}: no second-series orange");
    }
}

#[test]
fn single_value_and_large_pngs_draw() {
    let single = Chart { view: View::SingleValue, ..chart(Theme::Dark) };
    assert!(decode(&png(&single).unwrap()).colors().len() > 20);
    let large = Chart { width: 1600, height: 900, ..chart(Theme::Light) };
    let image = decode(&png(&large).unwrap());
    assert_eq!((image.width, image.height), (1600, 900));
    assert!(image.has_near([0x1f, 0x77, 0xb4]));
}

#[test]
fn the_largest_widget_image_draws() {
    let huge = Chart { width: 2000, height: 2000, ..chart(Theme::Dark) };
    let image = decode(&png(&huge).unwrap());
    assert_eq!((image.width, image.height), (2000, 2000));
    assert!(image.has_near([0x1f, 0x77, 0xb4]));
}

#[test]
fn png_refuses_what_svg_refuses() {
    assert!(png(&Chart { width: 0, ..chart(Theme::Light) }).is_err());
    assert!(png(&Chart { x_range_ms: (T0, T0), ..chart(Theme::Light) }).is_err());
}

#[test]
fn every_view_draws_as_png_in_both_themes() {
    for view in View::ALL {
        for theme in [Theme::Light, Theme::Dark] {
            let image = decode(&png(&Chart { view, theme, width: 240, height: 160, ..chart(theme) }).unwrap());
            assert_eq!((image.width, image.height), (240, 160));
            assert!(image.has_near([0x1f, 0x77, 0xb4]), "{view} {theme:?}: no first-series blue");
        }
    }
}
