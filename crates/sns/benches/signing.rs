//! What signing costs the deliverer: one SHA1withRSA and one SHA256withRSA signature of a CloudWatch alarm
//! notification (2048-bit key), and serialising the signed document. Run: `cargo bench -p skywatch-sns`.

use std::collections::BTreeMap;

use criterion::{Criterion, criterion_group, criterion_main};
use skywatch_sns::message::Envelope;
use skywatch_sns::signing::Signer;

fn signing(c: &mut Criterion) {
    let signer = Signer::generate().expect("a key");
    let message = format!(
        "{{\"AlarmName\":\"cpu-high\",\"NewStateValue\":\"ALARM\",\"NewStateReason\":\"{}\"}}",
        "x".repeat(600)
    );
    let mut group = c.benchmark_group("sign_notification");
    for version in ["1", "2"] {
        let envelope = Envelope {
            base_url: "http://127.0.0.1:4566",
            message_id: "5f1c2a34-0f0e-4a53-9f5e-0d2f0c1a9b7e",
            topic_arn: "arn:aws:sns:us-east-1:000000000000:shop-alerts",
            signature_version: version,
            now_ms: 1_765_000_000_000,
        };
        let document = envelope.notification(
            "arn:aws:sns:us-east-1:000000000000:shop-alerts:0b6f1a3c",
            Some("ALARM: \"cpu-high\" in US East (N. Virginia)"),
            &message,
            &BTreeMap::new(),
        );
        group.bench_function(format!("version_{version}"), |b| {
            b.iter(|| {
                let mut signed = document.clone();
                signer.sign_document(&mut signed, "http://127.0.0.1:4566").expect("signed");
                signed.to_json()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, signing);
criterion_main!(benches);
