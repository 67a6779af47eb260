//! Metric math: any text is parsed; what parses must print back to the same tree and evaluate, against a small
//! fixed request, to a value or an error, with every series on the grid and every datapoint finite.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

use skywatch_metricmath::{Budget, Context, MAX_LENGTH, Series, Value, evaluate_within, parse};

const GRID: [i64; 8] = [0, 60_000, 120_000, 180_000, 240_000, 300_000, 360_000, 420_000];

struct Request {
    queries: Vec<(&'static str, Value)>,
    found: Vec<Series>,
}

static REQUEST: LazyLock<Request> = LazyLock::new(|| Request {
    queries: vec![
        ("m1", Value::Series(series("m1", [Some(1.0), None, Some(3.0), None, None, Some(6.0), Some(-2.0), None]))),
        ("m2", Value::Series(series("m2", [Some(0.0); 8]))),
        ("m3", Value::Series(series("m3", [None; 8]))),
        ("e1", Value::Scalar(2.5)),
        (
            "e2",
            Value::Array(vec![
                series("e2", [Some(1e300); 8]),
                series("e2", [Some(-1.0), None, None, None, None, None, None, Some(5.0)]),
            ]),
        ),
    ],
    found: vec![series("found", [Some(7.0); 8])],
});

fn series(id: &str, values: [Option<f64>; 8]) -> Series {
    Series::new(id, Some(id.to_string()), values.to_vec())
}

impl Context for Request {
    fn grid(&self) -> &[i64] {
        &GRID
    }

    fn period_seconds(&self) -> u32 {
        60
    }

    fn query(&self, id: &str) -> Option<&Value> {
        self.queries.iter().find(|(name, _)| *name == id).map(|(_, value)| value)
    }

    fn metric_ids(&self) -> Vec<String> {
        vec!["m1".into(), "m2".into(), "m3".into()]
    }

    fn search(&self, query: &str, _statistic: &str, _period_seconds: u32) -> Result<&[Series], String> {
        if query.is_empty() {
            return Err("empty search".into());
        }
        Ok(&self.found)
    }
}

fn well_formed(series: &Series) -> bool {
    series.values.len() == GRID.len() && series.values.iter().flatten().all(|v| v.is_finite())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(expr) = parse(text) else { return };
    let printed = expr.to_string();
    // Printing adds spaces: a text near the length bound may print past it.
    if printed.len() <= MAX_LENGTH {
        match parse(&printed) {
            Ok(again) => assert_eq!(again.without_spans(), expr.without_spans(), "{text:?} printed as {printed:?}"),
            Err(e) => panic!("{text:?} printed as {printed:?}, which does not parse: {e}"),
        }
    }
    // A small budget: copies past it are refused, never made.
    match evaluate_within(&expr, &*REQUEST, &Budget::new(8 * 64)) {
        Ok(Value::Series(s)) => assert!(well_formed(&s), "{text:?}"),
        Ok(Value::Array(items)) => assert!(items.iter().all(well_formed), "{text:?}"),
        Ok(Value::Scalar(_)) | Err(_) => {}
    }
});
