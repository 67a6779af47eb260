//! Colors: the CloudWatch series palette and the light and dark themes.

use serde::{Deserialize, Serialize};

use super::color::Rgba;

/// The series colors CloudWatch assigns in order (the "category10" palette).
pub const PALETTE: [&str; 10] =
    ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

/// The palette color of the series at `index`, cycling after ten.
pub fn series_color(index: usize) -> &'static str {
    PALETTE[index % PALETTE.len()]
}

/// The console theme a chart is drawn for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Theme {
    /// White background, dark text.
    #[default]
    Light,
    /// Dark navy background, light text.
    Dark,
}

/// The colors of everything that is not a series.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Colors {
    pub background: Rgba,
    pub title: Rgba,
    pub text: Rgba,
    pub muted: Rgba,
    pub grid: Rgba,
    pub axis: Rgba,
    pub annotation: Rgba,
    /// Every other table row.
    pub stripe: Rgba,
    /// The table header band.
    pub header: Rgba,
    /// Opacity of stacked areas.
    pub area_alpha: f64,
    /// Opacity of annotation fills.
    pub fill_alpha: f64,
}

impl Theme {
    pub(crate) fn colors(self) -> Colors {
        match self {
            Theme::Light => Colors {
                background: Rgba::rgb(0xff, 0xff, 0xff),
                title: Rgba::rgb(0x16, 0x19, 0x1f),
                text: Rgba::rgb(0x41, 0x48, 0x50),
                muted: Rgba::rgb(0x5f, 0x6b, 0x7a),
                grid: Rgba::rgb(0xe9, 0xeb, 0xed),
                axis: Rgba::rgb(0xb6, 0xbe, 0xc9),
                annotation: Rgba::rgb(0xd6, 0x27, 0x28),
                stripe: Rgba::rgb(0xf7, 0xf8, 0xf9),
                header: Rgba::rgb(0xf0, 0xf2, 0xf4),
                area_alpha: 0.35,
                fill_alpha: 0.12,
            },
            Theme::Dark => Colors {
                background: Rgba::rgb(0x0f, 0x1b, 0x2a),
                title: Rgba::rgb(0xe9, 0xeb, 0xed),
                text: Rgba::rgb(0xd1, 0xd5, 0xdb),
                muted: Rgba::rgb(0x9b, 0xa7, 0xb6),
                grid: Rgba::rgb(0x23, 0x32, 0x45),
                axis: Rgba::rgb(0x41, 0x53, 0x6b),
                annotation: Rgba::rgb(0xff, 0x5d, 0x64),
                stripe: Rgba::rgb(0x14, 0x22, 0x34),
                header: Rgba::rgb(0x1a, 0x2b, 0x40),
                area_alpha: 0.45,
                fill_alpha: 0.18,
            },
        }
    }
}
