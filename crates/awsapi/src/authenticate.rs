//! Who sent a request: verifies its SigV4 signature against the configured keys (the server hashes the body
//! itself), or accepts it anonymously when auth is off. Account comes from the key, region from the scope.

use chrono::{DateTime, Utc};
use skywatch_core::model::{Caller, DEFAULT_ACCOUNT, DEFAULT_REGION};
use skywatch_core::{AuthMode, Services};

use crate::errors::{ApiError, from_sigv4};
use crate::front_door::ApiRequest;
use crate::wire::{ParsedAuthorization, SigV4Error, parse_authorization, verify};

/// The authenticated caller and the region the request acts in.
pub struct Identity {
    pub caller: Caller,
    pub region: String,
}

/// The credential scope of a request, if its Authorization header parses (used for routing before auth).
pub fn scope(request: &ApiRequest) -> Option<ParsedAuthorization> {
    let header = request.headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    parse_authorization(header).ok()
}

pub fn authenticate(services: &Services, request: &ApiRequest, now: DateTime<Utc>) -> Result<Identity, ApiError> {
    let header = request.headers.get(http::header::AUTHORIZATION).map(|v| v.to_str());
    let parsed = match header {
        None => None,
        Some(Err(_)) => {
            return Err(from_sigv4(SigV4Error::MalformedAuthorization("Authorization header is not ASCII.".into())));
        }
        Some(Ok(text)) => Some(parse_authorization(text)),
    };
    match (services.auth_mode, parsed) {
        (AuthMode::SigV4, None) => Err(from_sigv4(SigV4Error::MissingAuthorization)),
        (AuthMode::SigV4, Some(Err(e))) => Err(from_sigv4(e)),
        (AuthMode::None, None | Some(Err(_))) => Ok(Identity {
            caller: Caller::Anonymous { account: DEFAULT_ACCOUNT.into() },
            region: DEFAULT_REGION.into(),
        }),
        (mode, Some(Ok(auth))) => match services.access_keys.get(&auth.access_key_id) {
            None if mode == AuthMode::None => {
                Ok(Identity { caller: Caller::Anonymous { account: DEFAULT_ACCOUNT.into() }, region: auth.region })
            }
            None => Err(ApiError::UnrecognizedClient),
            Some(key) => {
                verify(
                    &request.method,
                    &request.path,
                    &request.query,
                    &request.headers,
                    &request.body,
                    &auth,
                    &key.secret,
                    now,
                )
                .map_err(from_sigv4)?;
                Ok(Identity {
                    caller: Caller::AccessKey {
                        access_key_id: key.id.clone(),
                        account: key.account.clone(),
                        role: key.role,
                    },
                    region: auth.region,
                })
            }
        },
    }
}
