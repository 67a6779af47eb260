//! The fast path against the generic one: for every body, either None (the body left as it was) or an input equal
//! to the generic path's, by value, by its serialised CloudTrail record and by what `plan_put_refs` makes of it.

use proptest::prelude::*;
use serde_json::{Value, json};
use skywatch_core::metrics::{
    DatumSource, MetricDatum, PutMetricData, PutMetricDataInput, StatisticValues, plan_put_refs,
};
use skywatch_core::model::Caller;
use skywatch_core::ops::Context;

use crate::registry::{FastWire, Wire};
use crate::wire::{Protocol, decode_params};

/// 2027-01-15T08:00:00Z.
const NOW_MS: i64 = 1_800_000_000_000;

fn ctx() -> Context {
    Context::new(Caller::Anonymous { account: "000000000000".into() }, "us-east-1", "req", NOW_MS)
}

/// Whether the fast path took `body`; an error when it answered anything but the generic path's input.
fn compare(protocol: Protocol, body: &[u8]) -> Result<bool, String> {
    let ctx = ctx();
    let mut slot = Some(body.to_vec());
    let Some(fast) = PutMetricData::decode_fast(&ctx, protocol, &mut slot) else {
        return if slot.as_deref() == Some(body) { Ok(false) } else { Err("None, and the body changed".into()) };
    };
    let generic = decode_params(protocol, body)
        .map_err(|e| format!("fast decoded what the generic path refuses: {e}"))
        .and_then(|params| {
            <PutMetricData as Wire>::decode(&ctx, &params)
                .map_err(|e| format!("fast decoded what the generic path refuses: {e}"))
        })?;
    same(&fast, &generic)?;
    Ok(true)
}

/// Equal inputs: datums (NaN and the sign of zero included), record bytes, planned points or refusal.
fn same(fast: &PutMetricDataInput, generic: &PutMetricDataInput) -> Result<(), String> {
    let datums = |input: &PutMetricDataInput| format!("{:?}", input.metric_data.to_owned_datums());
    if fast.namespace != generic.namespace || datums(fast) != datums(generic) {
        return Err(format!("inputs differ:\nfast    {}\ngeneric {}", datums(fast), datums(generic)));
    }
    let record = |input: &PutMetricDataInput| serde_json::to_vec(input).map_err(|e| e.to_string());
    if record(fast)? != record(generic)? {
        return Err("records differ".into());
    }
    let plan = |input: &PutMetricDataInput| {
        let mut dims = Vec::new();
        format!(
            "{:?}",
            plan_put_refs("000000000000", "us-east-1", &input.namespace, &input.metric_data, NOW_MS, &mut dims)
        )
    };
    if plan(fast) != plan(generic) {
        return Err(format!("plans differ:\nfast    {}\ngeneric {}", plan(fast), plan(generic)));
    }
    Ok(())
}

fn taken(protocol: Protocol, body: &[u8]) -> bool {
    compare(protocol, body).unwrap_or_else(|e| panic!("{e}\nbody: {}", String::from_utf8_lossy(body)))
}

fn json_body(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap()
}

/// A JSON body as boto3 sends it, taken by the fast path with the generic path's input.
#[test]
fn json_bodies_are_decoded_as_the_generic_path_decodes_them() {
    let seconds = (NOW_MS - 60_000) as f64 / 1000.0;
    let cases: Vec<(&str, Value)> = vec![
        ("one value", json!({"Namespace": "App", "MetricData": [{"MetricName": "Latency", "Value": 1.5}]})),
        (
            "every member",
            json!({"Namespace": "App", "MetricData": [
                {"MetricName": "Latency", "Dimensions": [{"Name": "Host", "Value": "a"}, {"Name": "Az", "Value": "b"}],
                 "Timestamp": seconds, "Value": 12, "Unit": "Milliseconds", "StorageResolution": 1},
                {"MetricName": "Sizes", "Values": [1, 2.5, -0.0], "Counts": [3, 1, 2], "Unit": "Bytes"},
                {"MetricName": "Set", "StatisticValues": {"SampleCount": 2, "Sum": 4, "Minimum": 1, "Maximum": 3}},
                {"MetricName": "Both", "Values": [1.0], "StatisticValues":
                    {"Maximum": 3, "Minimum": 1, "Sum": 4, "SampleCount": 2}},
            ]}),
        ),
        (
            "escapes and non-ASCII",
            json!({"Namespace": "A\"p\\p", "MetricData": [
            {"MetricName": "La\ttency é", "Dimensions": [{"Name": "Hö\nst", "Value": "\u{1F600}"}], "Value": 1}]}),
        ),
        (
            "nulls read as absent",
            json!({"Namespace": "App", "MetricData": [
            {"MetricName": null, "Dimensions": null, "Value": null, "Values": null, "Counts": null, "Unit": null,
             "StorageResolution": null, "Timestamp": null, "StatisticValues": null}]}),
        ),
        (
            "refused later by plan_put, alike",
            json!({"Namespace": "AWS/EC2", "MetricData": [
            {"MetricName": "", "Value": 1e300, "Unit": "Parsecs", "StorageResolution": 5,
             "Timestamp": (NOW_MS as f64) / 1000.0 - 30.0 * 86400.0}, {"Value": 1, "Values": [2]}]}),
        ),
        (
            "timestamp as text",
            json!({"Namespace": "App", "MetricData": [
            {"MetricName": "M", "Value": 1, "Timestamp": "2027-01-15T07:59:00Z"}]}),
        ),
        ("empty list", json!({"Namespace": "App", "MetricData": []})),
        (
            "31 dimensions' worth is under the cap on values",
            json!({"Namespace": "App", "MetricData": [
            {"MetricName": "M", "Values": (0..150).collect::<Vec<i32>>()}]}),
        ),
    ];
    for (name, body) in cases {
        for protocol in [Protocol::AwsJson1_0, Protocol::AwsJson1_1] {
            assert!(taken(protocol, &json_body(&body)), "{name}");
        }
    }
    // Whitespace and escaped key names are JSON too.
    let spaced =
        b" {\n \"Namespace\" : \"App\" , \"MetricData\" : [ { \"Metric\\u004eame\" : \"M\" , \"Value\" : 1 } ] }\n";
    assert!(taken(Protocol::AwsJson1_0, spaced));
}

/// Bodies the fast path leaves to the generic path, which answers them as it always has.
#[test]
fn odd_json_bodies_go_the_generic_way() {
    let datums = |n: usize| json!({"Namespace": "App", "MetricData": vec![json!({"MetricName": "M", "Value": 1}); n]});
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", b"".to_vec()),
        ("not an object", b"[]".to_vec()),
        ("datum as an array", br#"{"Namespace":"App","MetricData":[["M",1]]}"#.to_vec()),
        ("duplicate member", br#"{"Namespace":"App","MetricData":[{"MetricName":"M","Value":1,"Value":2}]}"#.to_vec()),
        ("duplicate namespace", br#"{"Namespace":"A","Namespace":"B","MetricData":[]}"#.to_vec()),
        ("unknown member", br#"{"Namespace":"App","MetricData":[{"MetricName":"M","Value":1,"X":[[[]]]}]}"#.to_vec()),
        (
            "string for a number",
            br#"{"Namespace":"App","MetricData":[{"MetricName":"M","Value":"Infinity"}]}"#.to_vec(),
        ),
        ("null in a list", br#"{"Namespace":"App","MetricData":[{"MetricName":"M","Values":[1,null]}]}"#.to_vec()),
        ("out of range", br#"{"Namespace":"App","MetricData":[{"MetricName":"M","Value":1e999}]}"#.to_vec()),
        (
            "float resolution",
            br#"{"Namespace":"App","MetricData":[{"MetricName":"M","Value":1,"StorageResolution":60.0}]}"#.to_vec(),
        ),
        (
            "dimension without value",
            br#"{"Namespace":"App","MetricData":[{"MetricName":"M","Value":1,"Dimensions":[{"Name":"a"}]}]}"#.to_vec(),
        ),
        ("no namespace", br#"{"MetricData":[{"MetricName":"M","Value":1}]}"#.to_vec()),
        ("bad UTF-8", b"{\"Namespace\":\"\xff\",\"MetricData\":[]}".to_vec()),
        ("trailing", br#"{"Namespace":"App","MetricData":[]} x"#.to_vec()),
        ("1001 datums", json_body(&datums(1001))),
        (
            "31 dimensions",
            json_body(&json!({"Namespace": "App", "MetricData": [{"MetricName": "M", "Value": 1,
            "Dimensions": (0..31).map(|i| json!({"Name": i.to_string(), "Value": "v"})).collect::<Vec<_>>()}]})),
        ),
        (
            "151 values",
            json_body(&json!({"Namespace": "App", "MetricData": [
            {"MetricName": "M", "Values": (0..151).collect::<Vec<i32>>()}]})),
        ),
    ];
    for (name, body) in cases {
        assert!(!taken(Protocol::AwsJson1_0, &body), "{name}");
    }
    assert!(taken(Protocol::AwsJson1_0, &json_body(&datums(1000))));
}

fn query_body(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("Action", "PutMetricData").append_pair("Version", "2010-08-01");
    for (key, value) in pairs {
        form.append_pair(key, value);
    }
    form.finish().into_bytes()
}

#[test]
fn query_bodies_are_decoded_as_the_generic_path_decodes_them() {
    let taken_cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "one value",
            vec![("Namespace", "App"), ("MetricData.member.1.MetricName", "M"), ("MetricData.member.1.Value", "1.5")],
        ),
        (
            "every member, any order, gaps closed",
            vec![
                ("MetricData.member.3.Value", "2"),
                ("MetricData.member.3.Dimensions.member.4.Value", "b c"),
                ("MetricData.member.3.Dimensions.member.2.Name", "Host/x"),
                ("MetricData.member.3.Dimensions.member.4.Name", "Az"),
                ("MetricData.member.3.Dimensions.member.2.Value", "a+b%"),
                ("MetricData.member.3.MetricName", "Latency é"),
                ("MetricData.member.3.Timestamp", "2027-01-15T07:59:00.250Z"),
                ("MetricData.member.3.Unit", "Milliseconds"),
                ("MetricData.member.3.StorageResolution", "1"),
                ("Namespace", "App"),
                ("MetricData.member.1.MetricName", "Sizes"),
                ("MetricData.member.1.Values.member.2", "2.5"),
                ("MetricData.member.1.Values.member.1", "1"),
                ("MetricData.member.1.Counts.member.3", "2"),
                ("MetricData.member.1.Counts.member.1", "3"),
                ("MetricData.member.07.StatisticValues.SampleCount", "2"),
                ("MetricData.member.7.StatisticValues.Sum", "4"),
                ("MetricData.member.7.StatisticValues.Minimum", "1"),
                ("MetricData.member.7.StatisticValues.Maximum", " 3 "),
            ],
        ),
        (
            "refused later, alike",
            vec![
                ("Namespace", "App"),
                ("MetricData.member.1.Value", "NaN"),
                ("MetricData.member.2.Value", "-Infinity"),
            ],
        ),
    ];
    for (name, pairs) in taken_cases {
        assert!(taken(Protocol::AwsQuery, &query_body(&pairs)), "{name}");
    }
    let generic_cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "repeated key",
            vec![("Namespace", "App"), ("MetricData.member.1.Value", "1"), ("MetricData.member.1.Value", "2")],
        ),
        (
            "same index twice",
            vec![("Namespace", "App"), ("MetricData.member.1.Value", "1"), ("MetricData.member.01.Value", "2")],
        ),
        ("unknown key", vec![("Namespace", "App"), ("MetricData.member.1.Value", "1"), ("Other", "x")]),
        ("no namespace", vec![("MetricData.member.1.Value", "1")]),
        ("index 0", vec![("Namespace", "App"), ("MetricData.member.0.Value", "1")]),
        ("index 1001", vec![("Namespace", "App"), ("MetricData.member.1001.Value", "1")]),
        (
            "dimension 31",
            vec![
                ("Namespace", "App"),
                ("MetricData.member.1.Dimensions.member.31.Name", "a"),
                ("MetricData.member.1.Dimensions.member.31.Value", "a"),
            ],
        ),
        ("dimension without name", vec![("Namespace", "App"), ("MetricData.member.1.Dimensions.member.1.Value", "a")]),
        ("part of StatisticValues", vec![("Namespace", "App"), ("MetricData.member.1.StatisticValues.Sum", "1")]),
        ("not a number", vec![("Namespace", "App"), ("MetricData.member.1.Value", "")]),
        ("list without member", vec![("Namespace", "App"), ("MetricData.1.Value", "1")]),
        ("empty list", vec![("Namespace", "App"), ("MetricData", "")]),
    ];
    for (name, pairs) in generic_cases {
        assert!(!taken(Protocol::AwsQuery, &query_body(&pairs)), "{name}");
    }
    assert!(!taken(Protocol::AwsQuery, b"Namespace=App&MetricData.member.1.Value=%FF"), "lossy text");
}

fn cbor_body(value: &ciborium::Value) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::ser::into_writer(value, &mut out).unwrap();
    out
}

fn text(s: &str) -> ciborium::Value {
    ciborium::Value::Text(s.into())
}

fn map(pairs: Vec<(&str, ciborium::Value)>) -> ciborium::Value {
    ciborium::Value::Map(pairs.into_iter().map(|(k, v)| (text(k), v)).collect())
}

#[test]
fn cbor_bodies_are_decoded_as_the_generic_path_decodes_them() {
    use ciborium::Value as C;
    let seconds = (NOW_MS - 60_000) as f64 / 1000.0;
    let datum = map(vec![
        ("MetricName", text("Latency")),
        ("Dimensions", C::Array(vec![map(vec![("Name", text("Host")), ("Value", text("é"))])])),
        ("Timestamp", C::Tag(1, Box::new(C::Float(seconds)))),
        ("Value", C::Integer((-3).into())),
        ("Values", C::Array(vec![C::Float(1.5), C::Integer(u64::MAX.into())])),
        ("Counts", C::Array(vec![C::Integer(1.into()), C::Float(2.0)])),
        (
            "StatisticValues",
            map(vec![
                ("SampleCount", C::Float(2.0)),
                ("Sum", C::Float(4.0)),
                ("Minimum", C::Float(1.0)),
                ("Maximum", C::Float(3.0)),
            ]),
        ),
        ("Unit", text("Count")),
        ("StorageResolution", C::Integer(60.into())),
    ]);
    let request = |data: Vec<C>| map(vec![("Namespace", text("App")), ("MetricData", C::Array(data))]);
    assert!(taken(
        Protocol::RpcV2Cbor,
        &cbor_body(&request(vec![datum.clone(), map(vec![("Value", C::Integer(1.into()))])]))
    ));
    // ciborium writes 1.5 as a half; single and double widths of it read alike.
    let half = cbor_body(&request(vec![map(vec![("Value", C::Float(1.5))])]));
    let at = half.len() - 3;
    assert_eq!(half[at..], [0xf9, 0x3e, 0x00], "a half at the end");
    for wide in [&[0xfa, 0x3f, 0xc0, 0x00, 0x00][..], &[0xfb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0]] {
        let mut body = half.clone();
        body.splice(at.., wide.iter().copied());
        assert!(taken(Protocol::RpcV2Cbor, &body));
    }
    assert!(taken(Protocol::RpcV2Cbor, &half));
    let generic_cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("NaN", cbor_body(&request(vec![map(vec![("Value", C::Float(f64::NAN))])]))),
        ("byte string name", cbor_body(&request(vec![map(vec![("MetricName", C::Bytes(b"M".to_vec()))])]))),
        ("other tag", cbor_body(&request(vec![map(vec![("Value", C::Tag(4, Box::new(C::Integer(1.into()))))])]))),
        ("null", cbor_body(&request(vec![map(vec![("Value", C::Null)])]))),
        ("unknown member", cbor_body(&request(vec![map(vec![("X", C::Integer(1.into()))])]))),
        ("integer key", cbor_body(&C::Map(vec![(C::Integer(1.into()), text("x"))]))),
        ("indefinite map", vec![0xbf, 0xff]),
    ];
    for (name, body) in generic_cases {
        assert!(!taken(Protocol::RpcV2Cbor, &body), "{name}");
    }
}

/// The two forms of one request serialise to the same CloudTrail bytes.
#[test]
fn both_forms_are_recorded_alike() {
    let body = json!({"Namespace": "App", "MetricData": [{"MetricName": "M", "Dimensions": [{"Name": "b", "Value": "1"},
        {"Name": "a", "Value": "2"}], "Values": [1, 2], "Counts": [1, 1], "Timestamp": 1_799_999_940, "Unit": "Count"}]});
    let mut slot = Some(json_body(&body));
    let fast = PutMetricData::decode_fast(&ctx(), Protocol::AwsJson1_0, &mut slot).expect("fast");
    assert!(slot.is_none(), "the body moved into the input");
    let owned = PutMetricDataInput { namespace: "App".into(), metric_data: fast.metric_data.to_owned_datums().into() };
    assert_eq!(fast, owned, "equal whatever the form");
    assert_eq!(serde_json::to_vec(&fast).unwrap(), serde_json::to_vec(&owned).unwrap());
    assert_eq!(
        serde_json::to_value(&fast).unwrap(),
        json!({"namespace": "App", "metricData": [{"metricName": "M", "dimensions": [{"name": "b", "value": "1"},
            {"name": "a", "value": "2"}], "timestamp": 1_799_999_940.0, "values": [1.0, 2.0], "counts": [1.0, 1.0],
            "unit": "Count"}]})
    );
    assert_eq!(fast.metric_data.len(), 1);
}

fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof!["[A-Za-z0-9]{0,8}", "[A-Za-z0-9 +%&=./_\"\\\\é\u{1F600}\n-]{0,10}",]
}

fn arb_number() -> impl Strategy<Value = f64> {
    prop_oneof![(-1000i64..1000).prop_map(|i| i as f64), -1e6f64..1e6, Just(-0.0), Just(1e200), Just(5e-324),]
}

fn arb_datum() -> impl Strategy<Value = MetricDatum> {
    (
        arb_text(),
        prop::collection::vec((arb_text(), arb_text()), 0..4),
        prop::option::of(-20_000i64..3_000),
        prop::option::of(arb_number()),
        prop::option::of((arb_number(), arb_number(), arb_number(), arb_number())),
        prop::collection::vec(arb_number(), 0..4),
        prop::collection::vec(arb_number(), 0..4),
        prop::option::of(prop_oneof![Just("Count".to_owned()), Just("Bytes/Second".to_owned()), arb_text()]),
        prop::option::of(prop_oneof![Just(1i64), Just(60), Just(5)]),
    )
        .prop_map(|(metric_name, dimensions, minutes, value, stats, values, counts, unit, storage_resolution)| {
            MetricDatum {
                metric_name,
                dimensions,
                // Whole milliseconds, so that every encoding (seconds as a float, ISO 8601) carries them exactly.
                timestamp_ms: minutes.map(|m| NOW_MS + m * 60_000 + 250),
                value,
                statistic_values: stats.map(|(sample_count, sum, minimum, maximum)| StatisticValues {
                    sample_count,
                    sum,
                    minimum,
                    maximum,
                }),
                values,
                counts,
                unit,
                storage_resolution,
            }
        })
}

fn to_json(namespace: &str, data: &[MetricDatum]) -> Vec<u8> {
    let datums: Vec<Value> = data
        .iter()
        .map(|d| {
            let mut m = serde_json::Map::new();
            m.insert("MetricName".into(), json!(d.metric_name));
            if !d.dimensions.is_empty() {
                m.insert(
                    "Dimensions".into(),
                    d.dimensions.iter().map(|(n, v)| json!({"Name": n, "Value": v})).collect(),
                );
            }
            if let Some(t) = d.timestamp_ms {
                m.insert("Timestamp".into(), json!(t as f64 / 1000.0));
            }
            if let Some(v) = d.value {
                m.insert("Value".into(), json!(v));
            }
            if let Some(s) = d.statistic_values {
                m.insert(
                    "StatisticValues".into(),
                    json!({"SampleCount": s.sample_count, "Sum": s.sum,
                    "Minimum": s.minimum, "Maximum": s.maximum}),
                );
            }
            if !d.values.is_empty() {
                m.insert("Values".into(), json!(d.values));
            }
            if !d.counts.is_empty() {
                m.insert("Counts".into(), json!(d.counts));
            }
            if let Some(u) = &d.unit {
                m.insert("Unit".into(), json!(u));
            }
            if let Some(r) = d.storage_resolution {
                m.insert("StorageResolution".into(), json!(r));
            }
            Value::Object(m)
        })
        .collect();
    json_body(&json!({"Namespace": namespace, "MetricData": datums}))
}

fn to_query(namespace: &str, data: &[MetricDatum]) -> Vec<u8> {
    let mut pairs: Vec<(String, String)> = vec![("Namespace".into(), namespace.into())];
    for (i, d) in data.iter().enumerate() {
        let p = format!("MetricData.member.{}.", i + 1);
        pairs.push((format!("{p}MetricName"), d.metric_name.clone()));
        for (j, (n, v)) in d.dimensions.iter().enumerate() {
            pairs.push((format!("{p}Dimensions.member.{}.Name", j + 1), n.clone()));
            pairs.push((format!("{p}Dimensions.member.{}.Value", j + 1), v.clone()));
        }
        if let Some(t) = d.timestamp_ms {
            let time = chrono::DateTime::from_timestamp_millis(t).unwrap();
            pairs.push((format!("{p}Timestamp"), time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)));
        }
        if let Some(v) = d.value {
            pairs.push((format!("{p}Value"), v.to_string()));
        }
        if let Some(s) = d.statistic_values {
            for (f, v) in
                [("SampleCount", s.sample_count), ("Sum", s.sum), ("Minimum", s.minimum), ("Maximum", s.maximum)]
            {
                pairs.push((format!("{p}StatisticValues.{f}"), v.to_string()));
            }
        }
        for (j, v) in d.values.iter().enumerate() {
            pairs.push((format!("{p}Values.member.{}", j + 1), v.to_string()));
        }
        for (j, v) in d.counts.iter().enumerate() {
            pairs.push((format!("{p}Counts.member.{}", j + 1), v.to_string()));
        }
        if let Some(u) = &d.unit {
            pairs.push((format!("{p}Unit"), u.clone()));
        }
        if let Some(r) = d.storage_resolution {
            pairs.push((format!("{p}StorageResolution"), r.to_string()));
        }
    }
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    query_body(&pairs)
}

fn to_cbor(namespace: &str, data: &[MetricDatum]) -> Vec<u8> {
    use ciborium::Value as C;
    let datums = data
        .iter()
        .map(|d| {
            let mut m = vec![("MetricName", text(&d.metric_name))];
            if !d.dimensions.is_empty() {
                let dims = d.dimensions.iter().map(|(n, v)| map(vec![("Name", text(n)), ("Value", text(v))])).collect();
                m.push(("Dimensions", C::Array(dims)));
            }
            if let Some(t) = d.timestamp_ms {
                m.push(("Timestamp", C::Tag(1, Box::new(C::Float(t as f64 / 1000.0)))));
            }
            if let Some(v) = d.value {
                m.push(("Value", C::Float(v)));
            }
            if let Some(s) = d.statistic_values {
                m.push((
                    "StatisticValues",
                    map(vec![
                        ("SampleCount", C::Float(s.sample_count)),
                        ("Sum", C::Float(s.sum)),
                        ("Minimum", C::Float(s.minimum)),
                        ("Maximum", C::Float(s.maximum)),
                    ]),
                ));
            }
            if !d.values.is_empty() {
                m.push(("Values", C::Array(d.values.iter().map(|v| C::Float(*v)).collect())));
            }
            if !d.counts.is_empty() {
                m.push(("Counts", C::Array(d.counts.iter().map(|v| C::Float(*v)).collect())));
            }
            if let Some(u) = &d.unit {
                m.push(("Unit", text(u)));
            }
            if let Some(r) = d.storage_resolution {
                m.push(("StorageResolution", C::Integer(r.into())));
            }
            map(m)
        })
        .collect();
    cbor_body(&map(vec![("Namespace", text(namespace)), ("MetricData", C::Array(datums))]))
}

/// A change to a body: a byte replaced, inserted or removed.
fn mutate(body: &mut Vec<u8>, (at, byte, how): (usize, u8, u8)) {
    if body.is_empty() {
        body.push(byte);
        return;
    }
    let at = at % body.len();
    match how % 3 {
        0 => body[at] = byte,
        1 => body.insert(at, byte),
        _ => {
            body.remove(at);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Well-formed bodies of every protocol are taken, with the generic path's input; changed ones are either left
    /// to the generic path or still decoded alike.
    #[test]
    fn fast_and_generic_agree(
        namespace in arb_text(),
        data in prop::collection::vec(arb_datum(), 0..5),
        changes in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..4),
    ) {
        let bodies = [
            (Protocol::AwsJson1_0, to_json(&namespace, &data)),
            (Protocol::AwsQuery, to_query(&namespace, &data)),
            (Protocol::RpcV2Cbor, to_cbor(&namespace, &data)),
        ];
        for (protocol, body) in bodies {
            let whole = compare(protocol, &body).map_err(TestCaseError::fail)?;
            // A query body of no datums has no MetricData key at all: the generic path answers it.
            prop_assert!(whole || (protocol == Protocol::AwsQuery && data.is_empty()), "{protocol:?} not taken");
            let mut changed = body.clone();
            for change in &changes {
                mutate(&mut changed, *change);
            }
            compare(protocol, &changed).map_err(TestCaseError::fail)?;
        }
    }
}
