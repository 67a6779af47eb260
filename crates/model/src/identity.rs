//! Who is acting: accounts, regions and console roles.

use serde::{Deserialize, Serialize};

/// The account a request acts in when its access key names none.
pub const DEFAULT_ACCOUNT: &str = "000000000000";
/// The region used when a request carries no SigV4 credential scope (console, unsigned calls).
pub const DEFAULT_REGION: &str = "us-east-1";

/// A twelve-digit AWS account id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccountId(String);

impl AccountId {
    /// Accepts exactly twelve ASCII digits.
    pub fn parse(text: &str) -> Option<Self> {
        (text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())).then(|| Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for AccountId {
    fn default() -> Self {
        Self(DEFAULT_ACCOUNT.to_owned())
    }
}

impl std::fmt::Display for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a console user or an access key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads and writes everything.
    Admin,
    /// Reads everything; every mutating call is refused.
    Viewer,
}

impl Role {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "admin" => Some(Self::Admin),
            "viewer" => Some(Self::Viewer),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Viewer => "viewer",
        }
    }

    pub fn may_mutate(self) -> bool {
        matches!(self, Self::Admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_are_twelve_digits() {
        assert!(AccountId::parse("123456789012").is_some());
        assert!(AccountId::parse("12345678901").is_none());
        assert!(AccountId::parse("12345678901a").is_none());
    }

    #[test]
    fn only_admins_mutate() {
        assert!(Role::Admin.may_mutate());
        assert!(!Role::Viewer.may_mutate());
        assert_eq!(Role::parse("viewer"), Some(Role::Viewer));
        assert_eq!(Role::parse("root"), None);
    }
}

/// Who is making a call, after authentication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Caller {
    /// A SigV4-signed API call with a configured access key.
    AccessKey { access_key_id: String, account: String, role: Role },
    /// A signed-in console user.
    ConsoleUser { name: String, account: String, role: Role },
    /// An unsigned call accepted because the server runs with `--auth none` on loopback.
    Anonymous { account: String },
    /// Skywatch's own background work acting for a service (e.g. `ssm.amazonaws.com` running a Config
    /// remediation), recorded in CloudTrail as `AWSService`.
    Service { service: String, account: String },
}

impl Caller {
    pub fn account(&self) -> &str {
        match self {
            Self::AccessKey { account, .. }
            | Self::ConsoleUser { account, .. }
            | Self::Anonymous { account }
            | Self::Service { account, .. } => account,
        }
    }

    pub fn role(&self) -> Role {
        match self {
            Self::AccessKey { role, .. } | Self::ConsoleUser { role, .. } => *role,
            Self::Anonymous { .. } | Self::Service { .. } => Role::Admin,
        }
    }
}
