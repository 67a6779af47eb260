//! A node's or an edge's health ring: one circle arc per class of request (ok, error, throttle, fault) drawn with
//! `stroke-dasharray`, each as long as its share, clockwise from the top.

use leptos::prelude::*;

use crate::api::MapStats;

/// (CSS class, share) of each class that has requests, in drawing order.
pub fn shares(stats: &MapStats) -> Vec<(&'static str, f64)> {
    let total = stats.total();
    if total <= 0 {
        return Vec::new();
    }
    [("ok", stats.ok), ("error", stats.error), ("throttle", stats.throttle), ("fault", stats.fault)]
        .into_iter()
        .filter(|(_, count)| *count > 0)
        .map(|(class, count)| (class, count as f64 / total as f64))
        .collect()
}

/// Each arc's (class, dash length, offset) on a circle of `radius`.
pub fn arcs(stats: &MapStats, radius: f64) -> Vec<(&'static str, f64, f64)> {
    let circumference = std::f64::consts::TAU * radius;
    let mut done = 0.0;
    shares(stats)
        .into_iter()
        .map(|(class, share)| {
            let arc = (class, share * circumference, -done * circumference);
            done += share;
            arc
        })
        .collect()
}

/// The ring at (`x`, `y`): a faint track, then the arcs.
#[component]
pub fn Ring(stats: MapStats, x: f64, y: f64, radius: f64, width: f64) -> impl IntoView {
    let circumference = std::f64::consts::TAU * radius;
    let transform = format!("rotate(-90 {x} {y})");
    view! {
        <circle class="ring-track" cx=x cy=y r=radius stroke-width=width fill="none"/>
        {arcs(&stats, radius)
            .into_iter()
            .map(|(class, length, offset)| {
                view! {
                    <circle
                        class=format!("ring-arc ring-{class}")
                        cx=x
                        cy=y
                        r=radius
                        fill="none"
                        stroke-width=width
                        stroke-dasharray=format!("{length:.3} {:.3}", circumference)
                        stroke-dashoffset=format!("{offset:.3}")
                        transform=transform.clone()
                        data-class=class
                    />
                }
            })
            .collect_view()}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arcs_cover_the_circle_in_order() {
        let stats = MapStats { ok: 6, error: 1, throttle: 0, fault: 3, ..MapStats::default() };
        let arcs = arcs(&stats, 10.0);
        let circumference = std::f64::consts::TAU * 10.0;
        assert_eq!(arcs.iter().map(|a| a.0).collect::<Vec<_>>(), ["ok", "error", "fault"]);
        assert!((arcs.iter().map(|a| a.1).sum::<f64>() - circumference).abs() < 1e-9);
        assert!((arcs[2].2 + 0.7 * circumference).abs() < 1e-9, "the fault arc starts after ok and error");
        assert!(shares(&MapStats::default()).is_empty());
    }
}
