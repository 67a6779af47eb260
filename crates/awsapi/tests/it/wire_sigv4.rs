//! SigV4: every captured client request verifies; tampering, wrong secrets and stale clocks are refused with
//! the right error; the header parser never panics.

use crate::wire_support as support;

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use skywatch_awsapi::wire::{SigV4Error, format_amz_date, parse_amz_date, parse_authorization, verify};
use support::{Capture, load_captures};

const SECRET: &str = "secret";

fn request_now(capture: &Capture) -> DateTime<Utc> {
    parse_amz_date(capture.header("x-amz-date").expect("X-Amz-Date")).expect("valid X-Amz-Date")
}

fn verify_capture(capture: &Capture, body: &[u8], secret: &str, now: DateTime<Utc>) -> Result<(), SigV4Error> {
    let auth = parse_authorization(capture.header("authorization").expect("Authorization")).expect("parses");
    let (path, query) = capture.path.split_once('?').unwrap_or((&capture.path, ""));
    verify(&capture.method, path, query, &capture.header_map(), body, &auth, secret, now)
}

#[test]
fn every_captured_request_verifies() {
    let captures = load_captures();
    assert!(captures.len() >= 71, "found only {} captures", captures.len());
    for capture in &captures {
        let result = verify_capture(capture, &capture.raw, SECRET, request_now(capture));
        assert_eq!(result, Ok(()), "{}", capture.label());
    }
}

#[test]
fn captured_authorization_headers_parse() {
    let capture = &load_captures()[0];
    let auth = parse_authorization(capture.header("authorization").expect("auth")).expect("parses");
    assert_eq!(auth.access_key_id, "AKIDEXAMPLE");
    assert_eq!(auth.region, "us-east-1");
    assert_eq!(auth.date.len(), 8);
    assert!(auth.signed_headers.contains(&"host".to_string()));
    assert_eq!(auth.signature.len(), 64);
}

#[test]
fn a_changed_body_byte_fails() {
    for capture in load_captures().iter().filter(|c| !c.raw.is_empty()) {
        let mut body = capture.raw.clone();
        let last = body.len() - 1;
        body[last] ^= 0x01;
        let result = verify_capture(capture, &body, SECRET, request_now(capture));
        assert_eq!(result, Err(SigV4Error::SignatureMismatch), "{}", capture.label());
    }
}

#[test]
fn a_wrong_secret_fails() {
    for capture in load_captures().iter().take(10) {
        let result = verify_capture(capture, &capture.raw, "not-the-secret", request_now(capture));
        assert_eq!(result, Err(SigV4Error::SignatureMismatch), "{}", capture.label());
    }
}

#[test]
fn sixteen_minutes_late_is_expired_with_the_aws_wording() {
    let capture = &load_captures()[0];
    let sent = request_now(capture);
    let err = verify_capture(capture, &capture.raw, SECRET, sent + Duration::minutes(16)).expect_err("expired");
    assert!(matches!(err, SigV4Error::Expired { .. }), "{err:?}");
    let expected = format!(
        "Signature expired: {} is now earlier than {} ({} - 15 min.)",
        format_amz_date(sent),
        format_amz_date(sent + Duration::minutes(1)),
        format_amz_date(sent + Duration::minutes(16))
    );
    assert_eq!(err.to_string(), expected);
    // Exactly 15 minutes either way is still accepted.
    assert_eq!(verify_capture(capture, &capture.raw, SECRET, sent + Duration::minutes(15)), Ok(()));
    assert_eq!(verify_capture(capture, &capture.raw, SECRET, sent - Duration::minutes(15)), Ok(()));
}

#[test]
fn sixteen_minutes_early_is_not_yet_current() {
    let capture = &load_captures()[0];
    let err = verify_capture(capture, &capture.raw, SECRET, request_now(capture) - Duration::minutes(16))
        .expect_err("future");
    assert!(matches!(err, SigV4Error::NotYetCurrent { .. }), "{err:?}");
    assert!(err.to_string().starts_with("Signature not yet current: "), "{err}");
}

#[test]
fn credential_date_must_match_request_date() {
    let mut capture = load_captures()[0].clone();
    let next_day = request_now(&capture) + Duration::days(1);
    for (name, value) in &mut capture.headers {
        if name.eq_ignore_ascii_case("x-amz-date") {
            *value = format_amz_date(next_day);
        }
    }
    let err = verify_capture(&capture, &capture.raw, SECRET, next_day).expect_err("date mismatch");
    assert!(matches!(err, SigV4Error::CredentialDateMismatch { .. }), "{err:?}");
}

#[test]
fn missing_signed_header_and_missing_date_are_reported() {
    let base = load_captures()[0].clone();
    let mut without_target = base.clone();
    without_target.headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
    let err = verify_capture(&without_target, &base.raw, SECRET, request_now(&base)).expect_err("missing header");
    assert_eq!(err, SigV4Error::SignedHeaderMissing("content-type".into()));

    let mut without_date = base.clone();
    without_date.headers.retain(|(n, _)| !n.eq_ignore_ascii_case("x-amz-date"));
    let err = verify_capture(&without_date, &base.raw, SECRET, request_now(&base)).expect_err("missing date");
    assert_eq!(err, SigV4Error::MissingDate);
}

#[test]
fn malformed_authorization_headers_are_rejected() {
    let good = "AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/logs/aws4_request, \
                SignedHeaders=host;x-amz-date, Signature=";
    let sig = "a".repeat(64);
    assert!(parse_authorization(&format!("{good}{sig}")).is_ok());
    for bad in [
        String::new(),
        "AWS4-HMAC-SHA256".to_string(),
        format!(
            "AWS4-HMAC-SHA1 Credential=AKID/20261122/us-east-1/logs/aws4_request, SignedHeaders=host, Signature={sig}"
        ),
        format!("AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/logs, SignedHeaders=host, Signature={sig}"),
        format!(
            "AWS4-HMAC-SHA256 Credential=AKID/2026112/us-east-1/logs/aws4_request, SignedHeaders=host, Signature={sig}"
        ),
        format!(
            "AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/logs/aws4_request, SignedHeaders=x-amz-date, Signature={sig}"
        ),
        format!("AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/logs/aws4_request, Signature={sig}"),
        format!("{good}{}", "a".repeat(63)),
        format!("{good}{}", "z".repeat(64)),
    ] {
        let result = parse_authorization(&bad);
        assert!(matches!(result, Err(SigV4Error::MalformedAuthorization(_))), "{bad:?} gave {result:?}");
    }
}

proptest! {
    #[test]
    fn parse_authorization_never_panics(header in any::<String>()) {
        let _ = parse_authorization(&header);
    }

    #[test]
    fn parse_authorization_never_panics_on_near_misses(
        parts in proptest::collection::vec("(AWS4-HMAC-SHA256|Credential=|SignedHeaders=|Signature=|/|,|;| |=|[a-z0-9]{1,8})", 0..24)
    ) {
        let _ = parse_authorization(&parts.concat());
    }

    #[test]
    fn verify_never_panics_on_odd_signed_headers_and_values(
        signed in proptest::collection::vec("[ -~]{1,12}", 1..6),
        value in proptest::collection::vec(any::<u8>(), 0..24),
    ) {
        let capture = &load_captures()[0];
        let mut auth = parse_authorization(capture.header("authorization").expect("auth")).expect("parses");
        auth.signed_headers = signed;
        let mut headers = capture.header_map();
        if let Ok(v) = http::HeaderValue::from_bytes(&value) {
            headers.append("x-odd", v);
        }
        let _ = verify("POST", "/", "", &headers, &capture.raw, &auth, SECRET, request_now(capture));
    }
}
