//! Fuzzes OTLP traces: any bytes decode as protobuf (and, as text, as JSON) or are refused, and every span of
//! what decodes translates to a document X-Ray's own segment parser accepts, or is counted as rejected.

#![no_main]

use libfuzzer_sys::fuzz_target;
use skywatch_traces::otlp::{Encoding, decode, translate};

fuzz_target!(|data: &[u8]| {
    for encoding in [Encoding::Protobuf, Encoding::Json] {
        let Ok(request) = decode(data, encoding) else { continue };
        let translation = translate(&request);
        for document in &translation.documents {
            // Documents may exceed the size limit (a huge attribute): then X-Ray's refusal, never another error.
            if let Err(refusal) = skywatch_traces::document::parse(document) {
                assert_eq!(refusal.code, "SegmentTooLarge", "{document}");
            }
        }
    }
});
