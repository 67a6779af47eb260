//! RGBA colors and the `#rgb` / `#rrggbb` strings widgets carry.

use plotters::style::RGBAColor;

/// A color with opacity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rgba {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: f64,
}

impl Rgba {
    pub(crate) const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self { r, g, b, a: 1.0 }
    }

    /// Reads `#rgb` or `#rrggbb`; anything else is `None`.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |range: std::ops::Range<usize>| u8::from_str_radix(hex.get(range)?, 16).ok();
        match hex.len() {
            6 => Some(Self::rgb(channel(0..2)?, channel(2..4)?, channel(4..6)?)),
            3 => Some(Self::rgb(channel(0..1)? * 17, channel(1..2)? * 17, channel(2..3)? * 17)),
            _ => None,
        }
    }

    pub(crate) fn with_alpha(self, a: f64) -> Self {
        Self { a, ..self }
    }

    pub(crate) fn to_plotters(self) -> RGBAColor {
        RGBAColor(self.r, self.g, self.b, self.a)
    }
}
