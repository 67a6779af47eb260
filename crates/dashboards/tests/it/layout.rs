//! Automatic widget placement (issue 4): left to right, then down, around explicitly placed widgets.

use proptest::prelude::*;
use skywatch_dashboards::{Placement, parse_body};

fn places(widgets: &[&str]) -> Vec<(u32, u32, u32, u32)> {
    let body = format!(r#"{{"widgets":[{}]}}"#, widgets.join(","));
    let parsed = parse_body(&body).expect("valid body");
    parsed.layout().into_iter().map(|p| (p.x, p.y, p.width, p.height)).collect()
}

fn text(extra: &str) -> String {
    format!(r#"{{"type":"text",{extra}"properties":{{"markdown":"m"}}}}"#)
}

#[test]
fn automatic_widgets_flow_left_to_right_then_down() {
    let w = text("");
    assert_eq!(places(&[&w, &w, &w, &w, &w]), [(0, 0, 6, 6), (6, 0, 6, 6), (12, 0, 6, 6), (18, 0, 6, 6), (0, 6, 6, 6)]);
}

#[test]
fn automatic_widgets_go_around_placed_ones() {
    let placed = text(r#""x":6,"y":0,"width":12,"height":3,"#);
    let auto = text(r#""width":8,"height":2,"#);
    // The first automatic widget does not fit left of the placed one (6 columns), nor right of it (6 columns).
    assert_eq!(places(&[&placed, &auto, &auto]), [(6, 0, 12, 3), (0, 3, 8, 2), (8, 3, 8, 2)]);
}

#[test]
fn widgets_never_go_back_before_the_previous_automatic_one() {
    let wide = text(r#""width":20,"height":4,"#);
    let small = text(r#""width":2,"height":1,"#);
    // The hole right of the wide widget (4 columns) takes the small one; the next wide one goes below.
    assert_eq!(places(&[&wide, &small, &wide]), [(0, 0, 20, 4), (20, 0, 2, 1), (0, 4, 20, 4)]);
}

#[test]
fn a_widget_with_only_x_keeps_its_column_and_one_with_only_y_its_row() {
    let placed = text(r#""x":0,"y":0,"width":24,"height":2,"#);
    let only_x = text(r#""x":10,"#);
    let only_y = text(r#""y":20,"#);
    assert_eq!(places(&[&placed, &only_x, &only_y]), [(0, 0, 24, 2), (10, 2, 6, 6), (0, 20, 6, 6)]);
}

proptest! {
    #[test]
    fn placements_never_overlap_and_stay_on_the_grid(
        specs in prop::collection::vec((prop::option::of(0u32..24), prop::option::of(0u32..40), 1u32..=24, 1u32..=8), 0..40)
    ) {
        let widgets: Vec<String> = specs.iter().map(|(x, y, width, height)| {
            let width = match x { Some(x) => (*width).min(24 - x), None => *width };
            let mut extra = format!(r#""width":{width},"height":{height},"#);
            if let Some(x) = x { extra.push_str(&format!(r#""x":{x},"#)); }
            if let Some(y) = y { extra.push_str(&format!(r#""y":{y},"#)); }
            text(&extra)
        }).collect();
        let refs: Vec<&str> = widgets.iter().map(String::as_str).collect();
        let body = parse_body(&format!(r#"{{"widgets":[{}]}}"#, refs.join(","))).expect("valid body");
        let placements: Vec<Placement> = body.layout();
        prop_assert_eq!(placements.len(), specs.len());
        for (index, (placement, widget)) in placements.iter().zip(&body.widgets).enumerate() {
            prop_assert!(placement.right() <= 24);
            prop_assert_eq!((placement.width, placement.height), (widget.width, widget.height));
            if let (Some(x), Some(y)) = (widget.x, widget.y) {
                prop_assert_eq!((placement.x, placement.y), (x, y));
            } else {
                // Automatic places avoid every widget placed explicitly or earlier.
                for (other_index, other) in placements.iter().enumerate() {
                    let earlier_or_fixed = other_index < index
                        || (body.widgets[other_index].x.is_some() && body.widgets[other_index].y.is_some());
                    if other_index != index && earlier_or_fixed {
                        prop_assert!(!placement.overlaps(other), "{:?} overlaps {:?}", placement, other);
                    }
                }
            }
        }
    }
}

#[test]
fn five_hundred_automatic_widgets_are_placed_quickly() {
    let widgets: Vec<String> =
        (0..500).map(|i| text(&format!(r#""width":{},"height":{},"#, 1 + i % 24, 1 + i % 7))).collect();
    let refs: Vec<&str> = widgets.iter().map(String::as_str).collect();
    let body = parse_body(&format!(r#"{{"widgets":[{}]}}"#, refs.join(","))).expect("valid body");
    let started = std::time::Instant::now();
    let placements = body.layout();
    assert_eq!(placements.len(), 500);
    for (i, a) in placements.iter().enumerate() {
        assert!(placements[i + 1..].iter().all(|b| !a.overlaps(b)));
    }
    assert!(started.elapsed().as_secs() < 2);
}
