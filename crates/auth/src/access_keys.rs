//! The configured access keys: id -> secret, account and role.

use std::collections::HashMap;
use std::sync::Arc;

use skywatch_model::{AccountId, DEFAULT_ACCOUNT, Role};

/// One configured access key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessKey {
    pub id: String,
    pub secret: String,
    pub account: String,
    pub role: Role,
}

/// Why an `--access-key` value was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AccessKeyError {
    #[error("access key must look like ID:SECRET[:ACCOUNT], got {0:?}")]
    Malformed(String),
    #[error("account {0:?} is not a twelve-digit account id")]
    BadAccount(String),
}

impl AccessKey {
    /// Parses `ID:SECRET[:ACCOUNT]` as given on the command line; such keys are admin keys.
    pub fn parse_flag(text: &str) -> Result<Self, AccessKeyError> {
        let mut parts = text.splitn(3, ':');
        let id = parts.next().filter(|s| !s.is_empty());
        let secret = parts.next().filter(|s| !s.is_empty());
        let (Some(id), Some(secret)) = (id, secret) else {
            return Err(AccessKeyError::Malformed(text.to_owned()));
        };
        let account = match parts.next() {
            None => DEFAULT_ACCOUNT.to_owned(),
            Some(account) => {
                AccountId::parse(account).ok_or_else(|| AccessKeyError::BadAccount(account.to_owned()))?.to_string()
            }
        };
        Ok(Self { id: id.to_owned(), secret: secret.to_owned(), account, role: Role::Admin })
    }
}

/// The registry the front door looks keys up in.
#[derive(Debug, Clone, Default)]
pub struct AccessKeys {
    keys: Arc<HashMap<String, AccessKey>>,
}

impl AccessKeys {
    pub fn new(keys: impl IntoIterator<Item = AccessKey>) -> Self {
        Self { keys: Arc::new(keys.into_iter().map(|k| (k.id.clone(), k)).collect()) }
    }

    pub fn get(&self, id: &str) -> Option<&AccessKey> {
        self.keys.get(id)
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_parse_with_and_without_account() {
        let key = AccessKey::parse_flag("AKIDEXAMPLE:secret").unwrap();
        assert_eq!(
            (key.id.as_str(), key.secret.as_str(), key.account.as_str()),
            ("AKIDEXAMPLE", "secret", "000000000000")
        );
        let key = AccessKey::parse_flag("AK:se:cr:123456789012").err();
        assert_eq!(key, Some(AccessKeyError::BadAccount("cr:123456789012".into())));
        let key = AccessKey::parse_flag("AK:s:123456789012").unwrap();
        assert_eq!(key.account, "123456789012");
        for bad in ["", "AK", "AK:", ":s"] {
            assert!(matches!(AccessKey::parse_flag(bad), Err(AccessKeyError::Malformed(_))), "{bad}");
        }
    }
}
