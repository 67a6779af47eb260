//! Fuzzes PutMetricData's fast path against the generic one: for any body in JSON 1.0, awsQuery or RPCv2 CBOR
//! (the first byte picks the protocol), the fast decoder either leaves the body, unchanged, to the generic path or
//! yields the generic path's input: equal datums (NaN and the sign of zero included), equal CloudTrail bytes and an
//! equal `plan_put_refs` outcome.

#![no_main]

use libfuzzer_sys::fuzz_target;
use skywatch_awsapi::registry::{FastWire, Wire};
use skywatch_awsapi::wire::{Protocol, decode_params};
use skywatch_metrics::{PutMetricData, PutMetricDataInput, plan_put_refs};
use skywatch_model::Caller;
use skywatch_ops::Context;

const PROTOCOLS: [Protocol; 3] = [Protocol::AwsJson1_0, Protocol::AwsQuery, Protocol::RpcV2Cbor];
/// 2027-01-15T08:00:00Z.
const NOW_MS: i64 = 1_800_000_000_000;

fn plan(input: &PutMetricDataInput) -> String {
    let mut dims = Vec::new();
    format!("{:?}", plan_put_refs("000000000000", "us-east-1", &input.namespace, &input.metric_data, NOW_MS, &mut dims))
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let protocol = PROTOCOLS[usize::from(selector) % PROTOCOLS.len()];
    let ctx = Context::new(Caller::Anonymous { account: "000000000000".into() }, "us-east-1", "fuzz", NOW_MS);
    let mut slot = Some(body.to_vec());
    let Some(fast) = PutMetricData::decode_fast(&ctx, protocol, &mut slot) else {
        assert_eq!(slot.as_deref(), Some(body), "a body left to the generic path is left as it was");
        return;
    };
    let params = decode_params(protocol, body).expect("the generic path decodes what the fast path took");
    let generic =
        <PutMetricData as Wire>::decode(&ctx, &params).expect("the generic path reads what the fast path took");
    assert_eq!(fast.namespace, generic.namespace);
    let datums = |input: &PutMetricDataInput| format!("{:?}", input.metric_data.to_owned_datums());
    assert_eq!(datums(&fast), datums(&generic));
    assert_eq!(serde_json::to_vec(&fast).ok(), serde_json::to_vec(&generic).ok(), "CloudTrail records differ");
    assert_eq!(plan(&fast), plan(&generic));
});
