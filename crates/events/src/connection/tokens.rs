//! OAuth client-credentials tokens of connections, kept in memory by connection ARN until they expire (a token is
//! fetched again after a restart, or when the endpoint answers 401).

use std::collections::HashMap;
use std::sync::Mutex;

/// Tokens kept, at most.
const MAX_TOKENS: usize = 10_000;

/// Access tokens by connection ARN, with when each expires (epoch ms).
#[derive(Default)]
pub struct Tokens {
    tokens: Mutex<HashMap<String, (String, i64)>>,
}

impl Tokens {
    /// The token of connection `arn`, if one is held and not expired at `now_ms`.
    pub fn get(&self, arn: &str, now_ms: i64) -> Option<String> {
        let tokens = self.tokens.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        tokens.get(arn).filter(|(_, expires)| *expires > now_ms).map(|(token, _)| token.clone())
    }

    /// Keeps `token` for connection `arn` until `expires_ms`.
    pub fn put(&self, arn: &str, token: String, expires_ms: i64) {
        let mut tokens = self.tokens.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if tokens.len() >= MAX_TOKENS {
            tokens.clear();
        }
        tokens.insert(arn.to_owned(), (token, expires_ms));
    }

    /// Forgets the token of connection `arn` (the endpoint refused it).
    pub fn forget(&self, arn: &str) {
        self.tokens.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(arn);
    }
}
