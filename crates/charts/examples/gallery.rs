//! Writes a PNG (and SVG) of every view in both themes to /tmp/gallery/ for looking at:
//! `cargo run -p skywatch-charts --features png --example gallery`.

use skywatch_charts::draw::{
    Axis, Chart, ChartSeries, HAnnotation, HFill, LegendPosition, TableLayout, Theme, VAnnotation, VFill, View,
};

mod support;

use support::{HOUR, MINUTE, T0, series, wave};

const NAMES: [&str; 8] = ["web-1", "web-2", "worker", "api-gateway", "batch", "cache", "db-primary", "db-replica"];

fn base(title: &str, view: View) -> Chart {
    Chart {
        title: Some(title.into()),
        width: 480,
        height: 280,
        view,
        x_range_ms: (T0 + 9 * HOUR, T0 + 12 * HOUR),
        ..Default::default()
    }
}

fn cpu(count: usize) -> Vec<ChartSeries> {
    let (start, end) = (T0 + 9 * HOUR, T0 + 12 * HOUR);
    (0..count)
        .map(|i| {
            let base = [62.0, 35.0, 18.0, 80.0, 48.0, 27.0, 71.0, 9.0][i % 8];
            series(NAMES[i % 8], "Percent", wave(start, end, 5 * MINUTE, base, 8.0, i as u64 + 1))
        })
        .collect()
}

fn charts() -> Vec<(String, Chart)> {
    let (start, end) = (T0 + 9 * HOUR, T0 + 12 * HOUR);
    let mut out: Vec<(String, Chart)> = Vec::new();
    let thresholds = vec![
        HAnnotation { value: 90.0, label: Some("Critical".into()), fill: Some(HFill::Above), ..Default::default() },
        HAnnotation {
            value: 70.0,
            band_to: Some(90.0),
            label: Some("Warning".into()),
            color: Some("#ff9900".into()),
            ..Default::default()
        },
    ];

    let mut line = base("EC2 CPU utilization", View::TimeSeries);
    line.series = cpu(3);
    line.horizontal_annotations = thresholds.clone();
    line.horizontal_annotations.push(HAnnotation {
        value: 10.0,
        label: Some("Idle".into()),
        color: Some("#2ca02c".into()),
        fill: Some(HFill::Below),
        ..Default::default()
    });
    line.vertical_annotations = vec![
        VAnnotation { time_ms: start + 40 * MINUTE, label: Some("Deploy".into()), ..Default::default() },
        VAnnotation {
            time_ms: start + 100 * MINUTE,
            band_to_ms: Some(start + 120 * MINUTE),
            label: Some("Maintenance".into()),
            color: Some("#9467bd".into()),
            ..Default::default()
        },
        VAnnotation {
            time_ms: start + 165 * MINUTE,
            label: Some("Scale-out".into()),
            color: Some("#17becf".into()),
            fill: Some(VFill::After),
            ..Default::default()
        },
    ];
    out.push(("timeseries".into(), line.clone()));

    let mut day = base("Requests, one UTC day", View::TimeSeries);
    day.x_range_ms = (T0, T0 + 24 * HOUR);
    day.stacked = true;
    day.series = (0..4)
        .map(|i| {
            series(NAMES[i], "Count", wave(T0, T0 + 24 * HOUR, 10 * MINUTE, 900.0 / (i as f64 + 1.0), 300.0, i as u64))
        })
        .collect();
    out.push(("timeseries-day".into(), day));

    let mut week = base("Network in, one week", View::TimeSeries);
    week.x_range_ms = (T0, T0 + 7 * 24 * HOUR);
    week.series = (0..5)
        .map(|i| {
            series(NAMES[i], "Bytes", wave(T0, T0 + 7 * 24 * HOUR, 10 * MINUTE, 2e6 * (i as f64 + 1.0), 5e5, i as u64))
        })
        .collect();
    out.push(("timeseries-week".into(), week));

    for count in [1, 2, 4, 8] {
        let mut single = base(&format!("Single value, {count} series"), View::SingleValue);
        single.series = cpu(count);
        single.sparkline = true;
        out.push((format!("single-{count}"), single));
    }
    let mut plain = base("Single value without sparkline", View::SingleValue);
    plain.series = cpu(3);
    out.push(("single-plain".into(), plain));

    let mut gauge = base("CPU gauge", View::Gauge);
    gauge.series = cpu(1);
    gauge.series[0].points.push((end, 93.4));
    gauge.left_axis = Axis { min: Some(0.0), max: Some(100.0), ..Default::default() };
    gauge.horizontal_annotations = thresholds.clone();
    out.push(("gauge".into(), gauge.clone()));
    let mut gauges = gauge.clone();
    gauges.title = Some("Three gauges".into());
    gauges.series = cpu(3);
    out.push(("gauge-3".into(), gauges));

    let mut bar = base("Latest CPU per instance", View::Bar);
    bar.series = cpu(6);
    out.push(("bar".into(), bar));
    let mut signed = base("Net change (negative values)", View::Bar);
    signed.series = vec![
        series("inbound queue", "Count", vec![(end, 1520.0)]),
        series("outbound queue", "Count", vec![(end, -830.0)]),
        series("a rather long label that must be ellipsized", "Count", vec![(end, 240.0)]),
        series("empty", "Count", vec![]),
    ];
    out.push(("bar-signed".into(), signed));

    let mut pie = base("Requests by target group", View::Pie);
    pie.series =
        (0..5).map(|i| series(NAMES[i], "Count", vec![(end, [5200.0, 2100.0, 900.0, 430.0, 120.0][i])])).collect();
    out.push(("pie".into(), pie.clone()));
    let mut tall_pie = pie.clone();
    tall_pie.width = 300;
    tall_pie.height = 340;
    tall_pie.title = Some("Pie, narrow widget".into());
    out.push(("pie-narrow".into(), tall_pie));

    let mut table = base("CPU table", View::Table);
    table.series = cpu(5);
    table.horizontal_annotations = thresholds.clone();
    out.push(("table".into(), table.clone()));
    let mut wide = table.clone();
    wide.width = 900;
    wide.title = Some("CPU table, wide".into());
    out.push(("table-wide".into(), wide));
    let mut vertical = table.clone();
    vertical.title = Some("CPU table, vertical".into());
    vertical.series = cpu(3);
    vertical.table.layout = TableLayout::Vertical;
    out.push(("table-vertical".into(), vertical));

    let mut small = line.clone();
    small.width = 240;
    small.height = 160;
    small.title = Some("Small widget".into());
    out.push(("timeseries-small".into(), small));
    let mut large = line.clone();
    large.width = 1600;
    large.height = 600;
    large.legend = LegendPosition::Right;
    out.push(("timeseries-large".into(), large));
    for (name, view) in [("gauge", View::Gauge), ("bar", View::Bar), ("pie", View::Pie), ("table", View::Table)] {
        let mut small = base(name, view);
        small.width = 240;
        small.height = 160;
        small.series = cpu(3);
        small.left_axis = Axis { min: Some(0.0), max: Some(100.0), ..Default::default() };
        out.push((format!("{name}-small"), small));
    }
    let mut both = Vec::new();
    for (name, chart) in out {
        let dark = Chart { theme: Theme::Dark, ..chart.clone() };
        both.push((format!("{name}-light"), chart));
        both.push((format!("{name}-dark"), dark));
    }
    both
}

type Error = Box<dyn std::error::Error>;

fn decode(bytes: &[u8]) -> Result<(u32, u32, Vec<u8>), Error> {
    let mut reader = png::Decoder::new(bytes).read_info()?;
    let mut rgb = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut rgb)?;
    rgb.truncate(info.buffer_size());
    Ok((info.width, info.height, rgb))
}

/// The light and dark images side by side, 8 grey pixels apart, for looking at both at once.
fn sheet(light: &[u8], dark: &[u8]) -> Result<Vec<u8>, Error> {
    let ((width, height, left), (_, _, right)) = (decode(light)?, decode(dark)?);
    let gap = 8;
    let row_bytes = (width * 3) as usize;
    let mut rgb = Vec::with_capacity(((2 * width + gap) * height * 3) as usize);
    for y in 0..height as usize {
        rgb.extend_from_slice(&left[y * row_bytes..(y + 1) * row_bytes]);
        rgb.extend(std::iter::repeat_n(128u8, (gap * 3) as usize));
        rgb.extend_from_slice(&right[y * row_bytes..(y + 1) * row_bytes]);
    }
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, 2 * width + gap, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.write_header()?.write_image_data(&rgb)?;
    Ok(bytes)
}

fn main() -> Result<(), Error> {
    std::fs::create_dir_all("/tmp/gallery")?;
    let mut light: Option<Vec<u8>> = None;
    for (name, chart) in charts() {
        std::fs::write(format!("/tmp/gallery/{name}.svg"), skywatch_charts::svg(&chart)?)?;
        let png = skywatch_charts::png(&chart)?;
        std::fs::write(format!("/tmp/gallery/{name}.png"), &png)?;
        println!("/tmp/gallery/{name}.png");
        match (name.strip_suffix("-dark"), light.take()) {
            (Some(stem), Some(light)) => {
                std::fs::write(format!("/tmp/gallery/sheet-{stem}.png"), sheet(&light, &png)?)?;
            }
            _ => light = Some(png),
        }
    }
    Ok(())
}
