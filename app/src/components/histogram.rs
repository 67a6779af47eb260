//! A response-time histogram drawn in SVG: requests by duration, in up to [`BINS`] equal bins from zero to the
//! longest duration, with the axis' ends labelled.

use leptos::prelude::*;

use super::xray_format::milliseconds;

/// Bars at most.
pub const BINS: u32 = 30;

/// (bin start ms, bin width ms, requests) for a histogram of (duration ms, requests).
pub fn bins(histogram: &[(u32, i64)]) -> Vec<(u32, u32, i64)> {
    let Some(longest) = histogram.iter().filter(|(_, n)| *n > 0).map(|(ms, _)| *ms).max() else {
        return Vec::new();
    };
    let width = (longest / BINS + 1).max(1);
    let count = longest / width + 1;
    let mut out: Vec<(u32, u32, i64)> = (0..count).map(|i| (i * width, width, 0)).collect();
    for (ms, n) in histogram {
        if let Some(bin) = out.get_mut((ms / width) as usize) {
            bin.2 += (*n).max(0);
        }
    }
    out
}

#[component]
pub fn ResponseHistogram(histogram: Vec<(u32, i64)>, #[prop(optional)] test_id: &'static str) -> impl IntoView {
    let bins = bins(&histogram);
    let test_id = if test_id.is_empty() { "histogram" } else { test_id };
    if bins.is_empty() {
        return view! { <p class="muted small" data-testid=test_id>"No requests in this range."</p> }.into_any();
    }
    let (width, height, left, bottom, top) = (320.0, 120.0, 34.0, 18.0, 6.0);
    let tallest = bins.iter().map(|b| b.2).max().unwrap_or(1).max(1) as f64;
    let step = (width - left - 4.0) / bins.len() as f64;
    let plot = height - bottom - top;
    let end = bins.last().map(|b| b.0 + b.1).unwrap_or(1);
    view! {
        <svg class="histogram" viewBox=format!("0 0 {width} {height}") role="img"
            aria-label="Response time distribution" data-testid=test_id>
            <line class="axis" x1=left y1=top x2=left y2=height - bottom/>
            <line class="axis" x1=left y1=height - bottom x2=width - 4.0 y2=height - bottom/>
            <text class="axis-label" x=left - 4.0 y=top + 8.0 text-anchor="end">{tallest as i64}</text>
            <text class="axis-label" x=left - 4.0 y=height - bottom text-anchor="end">"0"</text>
            <text class="axis-label" x=left y=height - 4.0>"0"</text>
            <text class="axis-label" x=width - 4.0 y=height - 4.0 text-anchor="end">{milliseconds(f64::from(end))}</text>
            {bins
                .into_iter()
                .enumerate()
                .filter(|(_, b)| b.2 > 0)
                .map(|(i, (start, size, n))| {
                    let h = (n as f64 / tallest * plot).max(1.0);
                    let title = format!(
                        "{} – {}: {n} request{}",
                        milliseconds(f64::from(start)),
                        milliseconds(f64::from(start + size)),
                        if n == 1 { "" } else { "s" }
                    );
                    view! {
                        <rect class="bar" x=left + 1.0 + i as f64 * step y=height - bottom - h
                            width=(step - 1.0).max(1.0) height=h data-testid="histogram-bar">
                            <title>{title}</title>
                        </rect>
                    }
                })
                .collect_view()}
        </svg>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_fall_in_equal_bins() {
        assert!(bins(&[]).is_empty());
        assert_eq!(bins(&[(3, 2), (5, 1)]), [(0, 1, 0), (1, 1, 0), (2, 1, 0), (3, 1, 2), (4, 1, 0), (5, 1, 1)]);
        let wide = bins(&[(0, 1), (1000, 4)]);
        assert!(wide.len() as u32 <= BINS + 1);
        assert_eq!(wide.iter().map(|b| b.2).sum::<i64>(), 5);
        assert_eq!(wide.last().map(|b| b.2), Some(4));
    }
}
