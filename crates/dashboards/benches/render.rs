//! The server's cost of a dashboard page (issue 4): 12 metric widgets × 5 series, each series one week of 1-minute
//! data (10,080 points) on a real redb file with sealed chunks, rendered over the week ending now (automatic period:
//! 900 s, 672 points per series). Measured: `render` alone (every widget's data), `render` plus drawing the 12
//! charts to SVG at 560×230 (target: under 200 ms), and one widget alone.
//! `cargo bench -p skywatch-dashboards --features engine --bench render`

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use skywatch_dashboards::render::{NoAlarms, RenderRequest, render};
use skywatch_dashboards::view::{RenderedDashboard, WidgetContent};
use skywatch_dashboards::{DashboardBody, parse_body};
use skywatch_metrics::tsdb::{Config, Sample, SeriesKey, Tsdb, WritePoint};

const ACCOUNT: &str = "000000000000";
const REGION: &str = "us-east-1";
const MINUTE: i64 = 60_000;
const WIDGETS: usize = 12;
const ROWS: usize = 5;

fn key(widget: usize, row: usize) -> SeriesKey {
    SeriesKey::new(
        ACCOUNT,
        REGION,
        "Bench",
        format!("Metric{widget:02}"),
        vec![("InstanceId".to_owned(), format!("i-{row:04}"))],
    )
}

/// One week of 1-minute points for the 60 series, written an hour of data (3,600 points) per durable commit and
/// checkpointed every 6 hours of data, as the API's batch path would.
async fn fill(tsdb: &Tsdb, start: i64, minutes: i64, now: i64) {
    let keys: Vec<(usize, SeriesKey)> =
        (0..WIDGETS).flat_map(|w| (0..ROWS).map(move |r| (w * ROWS + r, key(w, r)))).collect();
    for from in (0..minutes).step_by(60) {
        let mut points = Vec::with_capacity(60 * keys.len());
        // Series-major within the batch: `prepare` looks a series up once per run of its points.
        for (index, series) in &keys {
            for m in from..(from + 60).min(minutes) {
                let value = ((m * 31 + *index as i64 * 7) % 1000) as f64 / 10.0;
                points.push(WritePoint {
                    series: series.clone(),
                    unit: Some("Percent".to_owned()),
                    timestamp_ms: start + m * MINUTE,
                    sample: Sample::Value(value),
                });
            }
        }
        let mut prepared = tsdb.prepare(&points);
        tsdb.store().apply(std::mem::take(&mut prepared.mutations)).await.expect("commit");
        tsdb.apply(prepared, now);
        if from % 360 == 300 {
            tsdb.checkpoint(start + from * MINUTE).await.expect("checkpoint");
        }
    }
    tsdb.checkpoint(now).await.expect("checkpoint");
}

/// 12 widgets of 8×6 tiles, 5 rows each, over the last week.
fn body(widgets: usize) -> DashboardBody {
    let widget = |w: usize| {
        let rows: Vec<String> =
            (0..ROWS).map(|r| format!(r#"["Bench","Metric{w:02}","InstanceId","i-{r:04}"]"#)).collect();
        format!(
            r#"{{"type":"metric","x":{},"y":{},"width":8,"height":6,"properties":{{"metrics":[{}],
                "stat":"Average","period":60,"title":"Metric {w}","view":"timeSeries"}}}}"#,
            (w % 3) * 8,
            (w / 3) * 6,
            rows.join(",")
        )
    };
    let widgets: Vec<String> = (0..widgets).map(widget).collect();
    parse_body(&format!(r#"{{"start":"-P7D","widgets":[{}]}}"#, widgets.join(","))).expect("valid body")
}

/// Every chart drawn as the console draws it in an 8×6 tile.
fn draw(rendered: &RenderedDashboard) -> usize {
    let mut bytes = 0;
    for widget in &rendered.widgets {
        if let WidgetContent::Chart { chart, .. } = &widget.content {
            let mut chart = (**chart).clone();
            chart.width = 560;
            chart.height = 230;
            bytes += skywatch_charts::svg(&chart).map(|svg| svg.len()).unwrap_or(0);
        }
    }
    bytes
}

fn benches(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let tsdb =
        Tsdb::open(skywatch_store::Store::open(dir.path()).expect("open store"), Config::default()).expect("open tsdb");
    let clock = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock after 1970");
    let now = i64::try_from(clock.as_millis()).expect("clock fits i64") / MINUTE * MINUTE;
    let minutes = 7 * 24 * 60;
    let start = now - minutes * MINUTE;
    let began = std::time::Instant::now();
    runtime.block_on(fill(&tsdb, start, minutes, now));
    eprintln!("setup: {} points in {:?}", WIDGETS * ROWS * minutes as usize, began.elapsed());

    let (full, single) = (body(WIDGETS), body(1));
    let request = RenderRequest { account: ACCOUNT, region: REGION, range: None, now_ms: now };
    let rendered = runtime.block_on(render(&tsdb, &NoAlarms, &full, &request));
    assert_eq!((rendered.start_ms, rendered.end_ms), (start, now));
    for widget in &rendered.widgets {
        match &widget.content {
            WidgetContent::Chart { chart, period_seconds } => {
                assert_eq!(*period_seconds, 900, "automatic period over a week");
                let counts: Vec<usize> = chart.series.iter().map(|s| s.points.len()).collect();
                assert_eq!(counts, [672; ROWS], "a week at 900 s");
            }
            other => panic!("expected a chart, got {other:?}"),
        }
    }
    assert!(draw(&rendered) > 0, "charts drawn");

    let mut group = c.benchmark_group("dashboard");
    group.sample_size(20);
    group.bench_function("render_12_widgets_5x_week", |b| {
        b.iter(|| black_box(runtime.block_on(render(&tsdb, &NoAlarms, black_box(&full), &request))))
    });
    group.bench_function("render_and_svg_12_widgets_560x230", |b| {
        b.iter(|| {
            let rendered = runtime.block_on(render(&tsdb, &NoAlarms, black_box(&full), &request));
            black_box(draw(&rendered))
        })
    });
    group.bench_function("svg_only_12_widgets_560x230", |b| b.iter(|| black_box(draw(black_box(&rendered)))));
    group.bench_function("render_1_widget_5x_week", |b| {
        b.iter(|| black_box(runtime.block_on(render(&tsdb, &NoAlarms, black_box(&single), &request))))
    });
    group.finish();
}

criterion_group!(render_benches, benches);
criterion_main!(render_benches);
