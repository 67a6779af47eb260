//! SigV4 as a client: `sign` matches the AWS test suite, and `verify` accepts what `sign` produces for
//! arbitrary bodies, paths and queries (and refuses a changed query or path).

use chrono::{Duration, TimeZone, Utc};
use proptest::prelude::*;
use skywatch_awsapi::wire::{
    SigV4Error, SignableRequest, SigningCredentials, format_amz_date, parse_authorization, sign, verify,
};

const SECRET: &str = "secret";

fn creds() -> SigningCredentials<'static> {
    SigningCredentials { access_key_id: "AKIDEXAMPLE", secret: SECRET, region: "eu-west-1", service: "monitoring" }
}

fn header_map(pairs: &[(&str, &str)]) -> http::HeaderMap {
    let mut map = http::HeaderMap::new();
    for (name, value) in pairs {
        let name = http::HeaderName::from_bytes(name.as_bytes()).expect("name");
        map.append(name, http::HeaderValue::from_str(value).expect("value"));
    }
    map
}

#[test]
fn aws_test_suite_get_vanilla() {
    let request =
        SignableRequest { method: "GET", host: "example.amazonaws.com", path: "/", query: "", headers: &[], body: b"" };
    let creds = SigningCredentials {
        access_key_id: "AKIDEXAMPLE",
        secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        region: "us-east-1",
        service: "service",
    };
    let timestamp = Utc.with_ymd_and_hms(2015, 8, 30, 12, 36, 0).single().expect("time");
    assert_eq!(
        sign(&request, &creds, timestamp),
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
         SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    );
}

#[test]
fn sign_then_verify_round_trips_with_query_and_odd_path() {
    let timestamp = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).single().expect("time");
    let body = br#"{"a":1}"#;
    let extra = [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "  A.B   c ")];
    let request = SignableRequest {
        method: "POST",
        host: "127.0.0.1:4566",
        path: "/a%20b/./c/",
        query: "z=1&a=%2F&a=0&flag",
        headers: &extra,
        body,
    };
    let authorization = sign(&request, &creds(), timestamp);
    let auth = parse_authorization(&authorization).expect("parses");
    assert_eq!(auth.signed_headers, ["content-type", "host", "x-amz-date", "x-amz-target"]);
    let amz_date = format_amz_date(timestamp);
    let headers = header_map(&[
        ("Host", "127.0.0.1:4566"),
        ("X-Amz-Date", &amz_date),
        ("Content-Type", "application/x-amz-json-1.0"),
        ("X-Amz-Target", "A.B c"),
    ]);
    let now = timestamp + Duration::minutes(3);
    assert_eq!(verify("POST", "/a%20b/c/", "flag=&a=0&a=%2f&z=1", &headers, body, &auth, SECRET, now), Ok(()));
    assert_eq!(
        verify("POST", "/a%20b/c", "a=0&a=%2f&z=1&flag", &headers, body, &auth, SECRET, now),
        Err(SigV4Error::SignatureMismatch)
    );
}

#[test]
fn signed_content_sha256_must_match_the_body() {
    let timestamp = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).single().expect("time");
    let body = b"{}";
    let good_hash = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    for (declared, expected) in [(good_hash, Ok(())), (&"0".repeat(64)[..], Err(SigV4Error::ContentSha256Mismatch))] {
        let extra = [("x-amz-content-sha256", declared)];
        let request = SignableRequest { method: "POST", host: "h", path: "/", query: "", headers: &extra, body };
        let auth = parse_authorization(&sign(&request, &creds(), timestamp)).expect("parses");
        let amz_date = format_amz_date(timestamp);
        let headers = header_map(&[("host", "h"), ("x-amz-date", &amz_date), ("x-amz-content-sha256", declared)]);
        let result = verify("POST", "/", "", &headers, body, &auth, SECRET, timestamp);
        assert_eq!(result, expected, "{declared}");
    }
}

#[test]
fn the_date_header_is_a_fallback_for_x_amz_date() {
    let timestamp = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).single().expect("time");
    let request = SignableRequest { method: "POST", host: "h", path: "/", query: "", headers: &[], body: b"" };
    let authorization = sign(&request, &creds(), timestamp);
    let auth = parse_authorization(&authorization.replace("host;x-amz-date", "date;host")).expect("parses");
    // The signature covers x-amz-date, so re-signing is not possible here; just check the date is understood.
    let headers = header_map(&[("host", "h"), ("date", "Fri, 02 Jan 2026 03:04:05 GMT")]);
    let result = verify("POST", "/", "", &headers, b"", &auth, SECRET, timestamp);
    assert_eq!(result, Err(SigV4Error::SignatureMismatch));
    let result = verify("POST", "/", "", &headers, b"", &auth, SECRET, timestamp + Duration::hours(1));
    assert!(matches!(result, Err(SigV4Error::Expired { .. })), "{result:?}");
}

proptest! {
    #[test]
    fn sign_verify_round_trip(
        body in proptest::collection::vec(any::<u8>(), 0..256),
        path in "(/[a-zA-Z0-9%._~-]{0,8}){0,4}",
        query in "([a-z]{1,3}=[a-zA-Z0-9%]{0,4}&?){0,4}",
        secs in 0i64..4_000_000_000,
    ) {
        let timestamp = Utc.timestamp_opt(secs, 0).single().expect("time");
        let request = SignableRequest { method: "POST", host: "h:1", path: &path, query: &query, headers: &[], body: &body };
        let auth = parse_authorization(&sign(&request, &creds(), timestamp)).expect("parses");
        let amz_date = format_amz_date(timestamp);
        let headers = header_map(&[("host", "h:1"), ("x-amz-date", &amz_date)]);
        prop_assert_eq!(verify("POST", &path, &query, &headers, &body, &auth, SECRET, timestamp), Ok(()));
    }
}
