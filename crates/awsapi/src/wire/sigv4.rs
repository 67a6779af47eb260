//! AWS Signature Version 4 at the front door: parsing the `Authorization` header, verifying a request's
//! signature against a secret, and signing requests as a client would (for the demo workload and tests).
//!
//! The canonical request follows the SigV4 rules for services other than S3: the path as received is
//! normalized and each segment URI-encoded once more, the query is sorted, headers appear in `SignedHeaders`
//! order, and the payload hash is the SHA-256 of the body bytes exactly as received (the compressed bytes when
//! `Content-Encoding: gzip`). Clients of these services send no `x-amz-content-sha256`; when one is present and
//! signed it must match the body.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use hmac::Mac;
use sha2::{Digest, Sha256};

pub use super::sigv4_canonical::signing_key;
use super::sigv4_canonical::{canonical_request, collapse_header_value, new_mac, string_to_sign};

/// The only algorithm AWS clients use for these services.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// How far a request's timestamp may be from the server clock.
pub const MAX_CLOCK_SKEW_MINUTES: i64 = 15;
const AMZ_DATE_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// The parts of an `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedAuthorization {
    pub access_key_id: String,
    /// `YYYYMMDD` from the credential scope.
    pub date: String,
    pub region: String,
    pub service: String,
    /// Lowercase header names, in the order the client listed them.
    pub signed_headers: Vec<String>,
    /// 64 lowercase hex digits.
    pub signature: String,
}

/// Why a request's signature was not accepted. Display gives the message AWS would send; the caller maps the
/// variant to a code (`MissingAuthenticationToken`, `IncompleteSignature`, `SignatureDoesNotMatch` for query
/// services or `InvalidSignatureException` for JSON services).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigV4Error {
    /// No `Authorization` header at all (AWS: `MissingAuthenticationToken`).
    #[error("Missing Authentication Token")]
    MissingAuthorization,
    /// The header is there but cannot be parsed (AWS: `IncompleteSignature`).
    #[error("{0}")]
    MalformedAuthorization(String),
    /// Neither `X-Amz-Date` nor `Date` is present (AWS: `IncompleteSignature`).
    #[error("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")]
    MissingDate,
    /// The date header could not be parsed (AWS: `IncompleteSignature`).
    #[error("Date must be in ISO-8601 'basic format'. Got '{0}'.")]
    InvalidDate(String),
    /// A header named in `SignedHeaders` is not in the request (AWS: `SignatureDoesNotMatch`).
    #[error("Header '{0}' is listed in SignedHeaders but is not present in the request.")]
    SignedHeaderMissing(String),
    /// The credential scope's date is not the request date (AWS: `SignatureDoesNotMatch`).
    #[error(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: \
         '{credential_date}' != '{request_date}', from '{request_time}'."
    )]
    CredentialDateMismatch { credential_date: String, request_date: String, request_time: String },
    /// The request is more than 15 minutes older than the server clock (AWS: `SignatureDoesNotMatch` /
    /// `InvalidSignatureException`).
    #[error("Signature expired: {request_time} is now earlier than {earliest} ({now} - 15 min.)")]
    Expired { request_time: String, earliest: String, now: String },
    /// The request is more than 15 minutes ahead of the server clock.
    #[error("Signature not yet current: {request_time} is still later than {latest} ({now} + 15 min.)")]
    NotYetCurrent { request_time: String, latest: String, now: String },
    /// A signed `x-amz-content-sha256` does not match the body.
    #[error("The provided 'x-amz-content-sha256' header does not match what was computed.")]
    ContentSha256Mismatch,
    /// The signature does not match the one computed with the secret.
    #[error(
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret \
         Access Key and signing method. Consult the service documentation for details."
    )]
    SignatureMismatch,
}

/// Parses an `Authorization` header value. Never panics, whatever the input.
pub fn parse_authorization(header: &str) -> Result<ParsedAuthorization, SigV4Error> {
    let malformed = |reason: &str| SigV4Error::MalformedAuthorization(reason.to_string());
    let header = header.trim();
    let rest = match header.split_once(char::is_whitespace) {
        Some((algorithm, rest)) if algorithm == ALGORITHM => rest,
        _ => {
            return Err(malformed("Unsupported AWS 'algorithm': only AWS4-HMAC-SHA256 is accepted."));
        }
    };
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let Some((key, value)) = part.split_once('=') else {
            return Err(malformed(&format!("Authorization header requires 'key=value' pairs, got '{part}'.")));
        };
        let slot = match key.trim() {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => continue,
        };
        *slot = Some(value.trim());
    }
    let missing = |name: &str| malformed(&format!("Authorization header requires '{name}' parameter."));
    let credential = credential.ok_or_else(|| missing("Credential"))?;
    let signed_headers = signed_headers.ok_or_else(|| missing("SignedHeaders"))?;
    let signature = signature.ok_or_else(|| missing("Signature"))?;

    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, terminator] = scope.as_slice() else {
        return Err(malformed("Credential should be scoped to a valid region, like 'us-east-1'."));
    };
    if *terminator != "aws4_request" {
        return Err(malformed("Credential should be scoped with a valid terminator: 'aws4_request'."));
    }
    if access_key_id.is_empty() || region.is_empty() || service.is_empty() {
        return Err(malformed("Credential has an empty component."));
    }
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed("Credential date must be in YYYYMMDD format."));
    }
    let signed: Vec<String> = signed_headers.split(';').map(|h| h.trim().to_ascii_lowercase()).collect();
    if signed.iter().any(String::is_empty) {
        return Err(malformed("SignedHeaders contains an empty header name."));
    }
    if !signed.iter().any(|h| h == "host") {
        return Err(malformed("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."));
    }
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(malformed("Signature must be 64 hexadecimal characters."));
    }
    Ok(ParsedAuthorization {
        access_key_id: access_key_id.to_string(),
        date: date.to_string(),
        region: region.to_string(),
        service: service.to_string(),
        signed_headers: signed,
        signature: signature.to_ascii_lowercase(),
    })
}

/// Verifies a request's SigV4 signature. `path` is the raw path as received (a query after `?` is ignored),
/// `query` the raw query string without `?`, `body` the bytes as received (still compressed). The `Host` header
/// must be in `headers` (for HTTP/2, copy `:authority` into it first).
#[allow(clippy::too_many_arguments)]
pub fn verify(
    method: &str,
    path: &str,
    query: &str,
    headers: &http::HeaderMap,
    body: &[u8],
    auth: &ParsedAuthorization,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<(), SigV4Error> {
    let request_time = request_time(headers)?;
    let amz_date = format_amz_date(request_time);
    let request_date = request_time.format("%Y%m%d").to_string();
    if request_date != auth.date {
        return Err(SigV4Error::CredentialDateMismatch {
            credential_date: auth.date.clone(),
            request_date,
            request_time: amz_date,
        });
    }
    check_skew(request_time, now)?;

    let mut canonical_headers = Vec::with_capacity(auth.signed_headers.len());
    for name in &auth.signed_headers {
        let values: Vec<String> = headers
            .get_all(name.as_str())
            .iter()
            .map(|v| collapse_header_value(&String::from_utf8_lossy(v.as_bytes())))
            .collect();
        if values.is_empty() {
            return Err(SigV4Error::SignedHeaderMissing(name.clone()));
        }
        canonical_headers.push((name.clone(), values.join(",")));
    }
    let payload_hash = payload_hash(headers, &auth.signed_headers, body)?;
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let canonical = canonical_request(method, path, query, &canonical_headers, &payload_hash);
    let string_to_sign = string_to_sign(&amz_date, &auth.date, &auth.region, &auth.service, &canonical);

    let Ok(provided) = hex::decode(&auth.signature) else {
        return Err(SigV4Error::SignatureMismatch);
    };
    let key = signing_key(secret, &auth.date, &auth.region, &auth.service);
    let mut mac = new_mac(&key);
    mac.update(string_to_sign.as_bytes());
    mac.verify_slice(&provided).map_err(|_| SigV4Error::SignatureMismatch)
}

/// A request to sign as a client. `headers` are the headers to sign besides `host` and `x-amz-date`, which
/// are always signed (the caller must send `X-Amz-Date: amz_date(timestamp)` and `Host: host`).
#[derive(Debug, Clone, Copy)]
pub struct SignableRequest<'a> {
    pub method: &'a str,
    pub host: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
}

/// Who signs and for which scope.
#[derive(Debug, Clone, Copy)]
pub struct SigningCredentials<'a> {
    pub access_key_id: &'a str,
    pub secret: &'a str,
    pub region: &'a str,
    pub service: &'a str,
}

/// Signs a request and returns the `Authorization` header value.
pub fn sign(request: &SignableRequest<'_>, creds: &SigningCredentials<'_>, timestamp: DateTime<Utc>) -> String {
    let amz_date = format_amz_date(timestamp);
    let date = timestamp.format("%Y%m%d").to_string();
    let mut merged: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    merged.entry("host".into()).or_default().push(request.host.to_string());
    merged.entry("x-amz-date".into()).or_default().push(amz_date.clone());
    for (name, value) in request.headers {
        let name = name.trim().to_ascii_lowercase();
        if name == "host" || name == "x-amz-date" || name == "authorization" {
            continue;
        }
        merged.entry(name).or_default().push(collapse_header_value(value));
    }
    let canonical_headers: Vec<(String, String)> =
        merged.into_iter().map(|(name, values)| (name, values.join(","))).collect();
    let signed_headers: Vec<&str> = canonical_headers.iter().map(|(n, _)| n.as_str()).collect();
    let signed_headers = signed_headers.join(";");
    let payload_hash = hex::encode(Sha256::digest(request.body));
    let canonical = canonical_request(request.method, request.path, request.query, &canonical_headers, &payload_hash);
    let string_to_sign = string_to_sign(&amz_date, &date, creds.region, creds.service, &canonical);
    let key = signing_key(creds.secret, &date, creds.region, creds.service);
    let mut mac = new_mac(&key);
    mac.update(string_to_sign.as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    format!(
        "{ALGORITHM} Credential={}/{date}/{}/{}/aws4_request, SignedHeaders={signed_headers}, Signature={signature}",
        creds.access_key_id, creds.region, creds.service
    )
}

/// Formats a timestamp the way `X-Amz-Date` carries it: `YYYYMMDDTHHMMSSZ`.
pub fn format_amz_date(timestamp: DateTime<Utc>) -> String {
    timestamp.format(AMZ_DATE_FORMAT).to_string()
}

/// Parses an `X-Amz-Date` value (`YYYYMMDDTHHMMSSZ`).
pub fn parse_amz_date(value: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(value.trim(), AMZ_DATE_FORMAT).ok().map(|t| t.and_utc())
}

/// The request's timestamp from `X-Amz-Date`, or else `Date` (ISO-8601 basic or RFC 1123).
fn request_time(headers: &http::HeaderMap) -> Result<DateTime<Utc>, SigV4Error> {
    let (value, is_amz) = match (headers.get("x-amz-date"), headers.get(http::header::DATE)) {
        (Some(v), _) => (v, true),
        (None, Some(v)) => (v, false),
        (None, None) => return Err(SigV4Error::MissingDate),
    };
    let text = String::from_utf8_lossy(value.as_bytes()).trim().to_string();
    if let Some(t) = parse_amz_date(&text) {
        return Ok(t);
    }
    if !is_amz && let Ok(t) = DateTime::parse_from_rfc2822(&text) {
        return Ok(t.with_timezone(&Utc));
    }
    Err(SigV4Error::InvalidDate(text))
}

fn check_skew(request_time: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), SigV4Error> {
    let skew = Duration::minutes(MAX_CLOCK_SKEW_MINUTES);
    if request_time < now - skew {
        return Err(SigV4Error::Expired {
            request_time: format_amz_date(request_time),
            earliest: format_amz_date(now - skew),
            now: format_amz_date(now),
        });
    }
    if request_time > now + skew {
        return Err(SigV4Error::NotYetCurrent {
            request_time: format_amz_date(request_time),
            latest: format_amz_date(now + skew),
            now: format_amz_date(now),
        });
    }
    Ok(())
}

fn payload_hash(headers: &http::HeaderMap, signed: &[String], body: &[u8]) -> Result<String, SigV4Error> {
    let computed = hex::encode(Sha256::digest(body));
    let declared =
        headers.get("x-amz-content-sha256").map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string());
    match declared {
        Some(declared) if signed.iter().any(|h| h == "x-amz-content-sha256") => {
            if declared.eq_ignore_ascii_case(&computed) { Ok(declared) } else { Err(SigV4Error::ContentSha256Mismatch) }
        }
        _ => Ok(computed),
    }
}
