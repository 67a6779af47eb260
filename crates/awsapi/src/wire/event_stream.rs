//! AWS's event stream framing (`application/vnd.amazon.eventstream`), the encoding side: each message is its total
//! length, its headers' length and a CRC32 of those eight bytes (the prelude), then string headers, the payload,
//! and a CRC32 of everything before it — as botocore's `EventStreamBuffer` reads it. The replies of streaming
//! operations (StartLiveTail) are sequences of these messages: events (`:message-type` `event`) and, last, an
//! exception (`:message-type` `exception`).

/// The content type of an event stream reply.
pub const CONTENT_TYPE: &str = "application/vnd.amazon.eventstream";
/// The most payload bytes of a message the SDKs accept (aws-c-event-stream's and the Java SDK's bound; botocore
/// takes up to 24 MiB).
pub const MAX_PAYLOAD_BYTES: usize = 16 * 1024 * 1024;
/// The most header bytes of a message.
pub const MAX_HEADER_BYTES: usize = 128 * 1024;
/// The header value type of a string (`7`).
const STRING: u8 = 7;
const PRELUDE: usize = 12;
const TRAILER: usize = 4;

/// Why a message cannot be framed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("event stream header name {0:?} is longer than 255 bytes")]
    HeaderName(String),
    #[error("the value of event stream header {0:?} is longer than 32,767 bytes")]
    HeaderValue(String),
    #[error("event stream headers of {0} bytes exceed {MAX_HEADER_BYTES}")]
    Headers(usize),
    #[error("an event stream payload of {0} bytes exceeds {MAX_PAYLOAD_BYTES}")]
    Payload(usize),
}

/// One message with string `headers` (in order) and `payload`.
pub fn message(headers: &[(&str, &str)], payload: &[u8]) -> Result<Vec<u8>, FrameError> {
    let mut head = Vec::new();
    for (name, value) in headers {
        let name_len = u8::try_from(name.len()).map_err(|_| FrameError::HeaderName((*name).to_owned()))?;
        let value_len = u16::try_from(value.len())
            .ok()
            .filter(|len| *len <= i16::MAX as u16)
            .ok_or_else(|| FrameError::HeaderValue((*name).to_owned()))?;
        head.push(name_len);
        head.extend_from_slice(name.as_bytes());
        head.push(STRING);
        head.extend_from_slice(&value_len.to_be_bytes());
        head.extend_from_slice(value.as_bytes());
    }
    if head.len() > MAX_HEADER_BYTES {
        return Err(FrameError::Headers(head.len()));
    }
    if payload.len() > MAX_PAYLOAD_BYTES {
        return Err(FrameError::Payload(payload.len()));
    }
    // Both bounded above, so these fit in u32.
    let total = (PRELUDE + head.len() + payload.len() + TRAILER) as u32;
    let mut out = Vec::with_capacity(total as usize);
    out.extend_from_slice(&total.to_be_bytes());
    out.extend_from_slice(&(head.len() as u32).to_be_bytes());
    let prelude_crc = crc32fast::hash(&out);
    out.extend_from_slice(&prelude_crc.to_be_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(payload);
    let message_crc = crc32fast::hash(&out);
    out.extend_from_slice(&message_crc.to_be_bytes());
    Ok(out)
}

/// An event of type `event_type` with a JSON payload.
pub fn event(event_type: &str, json: &[u8]) -> Result<Vec<u8>, FrameError> {
    message(&[(":event-type", event_type), (":content-type", "application/json"), (":message-type", "event")], json)
}

/// A modeled exception of the stream (`SessionTimeoutException`) with a JSON payload (`{"message": ...}`).
pub fn exception(exception_type: &str, json: &[u8]) -> Result<Vec<u8>, FrameError> {
    message(
        &[(":exception-type", exception_type), (":content-type", "application/json"), (":message-type", "exception")],
        json,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads one message back: its string headers and payload, checking both CRCs and the lengths.
    fn decode(bytes: &[u8]) -> (Vec<(String, String)>, Vec<u8>) {
        let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let (total, headers_len) = (word(0), word(4));
        assert_eq!(total, bytes.len());
        assert_eq!(word(8) as u32, crc32fast::hash(&bytes[..8]), "prelude CRC");
        assert_eq!(word(total - 4) as u32, crc32fast::hash(&bytes[..total - 4]), "message CRC");
        let mut at = PRELUDE;
        let mut headers = Vec::new();
        while at < PRELUDE + headers_len {
            let name_len = bytes[at] as usize;
            let name = String::from_utf8(bytes[at + 1..at + 1 + name_len].to_vec()).unwrap();
            at += 1 + name_len;
            assert_eq!(bytes[at], STRING);
            let value_len = u16::from_be_bytes([bytes[at + 1], bytes[at + 2]]) as usize;
            let value = String::from_utf8(bytes[at + 3..at + 3 + value_len].to_vec()).unwrap();
            at += 3 + value_len;
            headers.push((name, value));
        }
        (headers, bytes[at..total - 4].to_vec())
    }

    /// The empty message of AWS's event stream test vectors (aws-c-event-stream's `empty_message`).
    #[test]
    fn the_empty_message_is_the_reference_vector() {
        assert_eq!(message(&[], b"").unwrap(), hex::decode("000000100000000005c248eb7d98c8ff").unwrap());
    }

    /// StartLiveTail's first message, byte for byte as botocore decodes it (checked with botocore 1.44.18's
    /// `EventStreamBuffer`, which verifies both CRCs: headers `:event-type` `initial-response`, `:content-type`
    /// `application/json`, `:message-type` `event`; payload `{}`).
    #[test]
    fn the_initial_response_matches_the_vector_botocore_decodes() {
        let expected = "00000068000000564e6817240b3a6576656e742d74797065070010696e697469616c2d726573706f6e73650d3a636f\
                        6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d7479706507000565\
                        76656e747b7dd591c62b";
        assert_eq!(hex::encode(event("initial-response", b"{}").unwrap()), expected);
    }

    #[test]
    fn messages_read_back_whole() {
        let bytes = exception("SessionTimeoutException", br#"{"message":"m"}"#).unwrap();
        let (headers, payload) = decode(&bytes);
        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, [":exception-type", ":content-type", ":message-type"]);
        assert_eq!(headers[0].1, "SessionTimeoutException");
        assert_eq!(headers[2].1, "exception");
        assert_eq!(payload, br#"{"message":"m"}"#);
        let big = vec![b'x'; 70_000];
        assert_eq!(decode(&event("sessionUpdate", &big).unwrap()).1, big);
    }

    #[test]
    fn what_cannot_be_framed_is_refused() {
        let long = "n".repeat(256);
        assert_eq!(message(&[(&long, "v")], b""), Err(FrameError::HeaderName(long.clone())));
        let value = "v".repeat(32_768);
        assert_eq!(message(&[("n", &value)], b""), Err(FrameError::HeaderValue("n".into())));
        let payload = vec![0; MAX_PAYLOAD_BYTES + 1];
        assert_eq!(message(&[], &payload), Err(FrameError::Payload(MAX_PAYLOAD_BYTES + 1)));
    }
}
