//! Automatic placement of the largest dashboard AWS allows (500 widgets), in the shapes that cost it most:
//! widgets without `x`/`y` of varied widths and heights, so rows and columns rarely line up, after a few fixed
//! ones (issue 10: placement was cubic in widgets and ran on the async runtime).
//! `cargo bench -p skywatch-dashboards --bench layout`

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use skywatch_dashboards::{DashboardBody, parse_body};

fn body(widgets: usize) -> DashboardBody {
    let widget = |w: usize| {
        let (width, height) = (1 + (w * 7) % 13, 1 + (w * 5) % 11);
        if w.is_multiple_of(50) {
            format!(
                r#"{{"type":"text","x":{},"y":{},"width":{width},"height":{height},"properties":{{"markdown":"f"}}}}"#,
                (w * 3) % (25 - width),
                w
            )
        } else {
            format!(r#"{{"type":"text","width":{width},"height":{height},"properties":{{"markdown":"a"}}}}"#)
        }
    };
    let widgets: Vec<String> = (0..widgets).map(widget).collect();
    parse_body(&format!(r#"{{"widgets":[{}]}}"#, widgets.join(","))).expect("valid body")
}

/// Every widget asks for row 0 only: each one's search starts at the top and walks every row filled before it.
fn top_row(widgets: usize) -> DashboardBody {
    let widget = |w: usize| {
        let width = 1 + (w * 7) % 5;
        format!(r#"{{"type":"text","y":0,"width":{width},"height":{},"properties":{{"markdown":"a"}}}}"#, 1 + w % 3)
    };
    let widgets: Vec<String> = (0..widgets).map(widget).collect();
    parse_body(&format!(r#"{{"widgets":[{}]}}"#, widgets.join(","))).expect("valid body")
}

/// The shape a review proposed as the worst for the occupancy map: fixed 1x1 widgets scattered so rows split into
/// many stretches, a full-width floor at row 1000, then tall narrow widgets that all ask for row 0, each of whose
/// candidates spans hundreds of stretches.
fn stretches(widgets: usize) -> DashboardBody {
    let scattered = widgets / 2;
    let mut parts: Vec<String> = (0..scattered)
        .map(|i| {
            format!(
                r#"{{"type":"text","x":{},"y":{},"width":1,"height":1,"properties":{{"markdown":"s"}}}}"#,
                (i * 7) % 24,
                (i * 2) % 1000
            )
        })
        .collect();
    parts.push(r#"{"type":"text","x":0,"y":1000,"width":24,"height":1,"properties":{"markdown":"floor"}}"#.to_owned());
    parts.extend((scattered + 1..widgets).map(|i| {
        format!(r#"{{"type":"text","y":0,"width":{},"height":1000,"properties":{{"markdown":"t"}}}}"#, 1 + i % 2)
    }));
    parse_body(&format!(r#"{{"widgets":[{}]}}"#, parts.join(","))).expect("valid body")
}

fn layout(c: &mut Criterion) {
    let mut group = c.benchmark_group("layout");
    group.sample_size(10);
    for widgets in [100, 500] {
        let body = body(widgets);
        group.bench_function(format!("{widgets}_automatic_widgets"), |b| b.iter(|| black_box(body.layout())));
        let body = top_row(widgets);
        group.bench_function(format!("{widgets}_widgets_all_in_row_0"), |b| b.iter(|| black_box(body.layout())));
        let body = stretches(widgets);
        group.bench_function(format!("{widgets}_tall_widgets_over_scattered_ones"), |b| {
            b.iter(|| black_box(body.layout()))
        });
    }
    group.finish();
}

criterion_group!(benches, layout);
criterion_main!(benches);
