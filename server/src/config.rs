//! The optional TOML configuration file: access keys and console users.
//!
//! ```toml
//! [[access_keys]]
//! id = "AKIDEXAMPLE"
//! secret = "secret"
//! account = "123456789012"   # optional
//! role = "viewer"            # optional, admin by default
//!
//! [[users]]
//! name = "alice"
//! role = "admin"
//! password_hash = "$argon2id$v=19$..."   # or password = "..." for demos
//! ```

use std::path::Path;

use anyhow::{Context, bail};
use serde::Deserialize;
use skywatch_core::auth::AccessKey;
use skywatch_core::model::{AccountId, DEFAULT_ACCOUNT, Role};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub access_keys: Vec<KeyEntry>,
    #[serde(default)]
    pub users: Vec<UserEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyEntry {
    pub id: String,
    pub secret: String,
    pub account: Option<String>,
    pub role: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserEntry {
    pub name: String,
    pub role: String,
    pub password_hash: Option<String>,
    pub password: Option<String>,
}

impl ConfigFile {
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read config file {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("config file {} is invalid", path.display()))
    }

    pub fn access_keys(&self) -> anyhow::Result<Vec<AccessKey>> {
        self.access_keys
            .iter()
            .map(|entry| {
                let account = match &entry.account {
                    Some(a) => AccountId::parse(a)
                        .with_context(|| format!("access key {}: bad account {a:?}", entry.id))?
                        .to_string(),
                    None => DEFAULT_ACCOUNT.to_owned(),
                };
                let role = parse_role(entry.role.as_deref().unwrap_or("admin"))?;
                if entry.id.is_empty() || entry.secret.is_empty() {
                    bail!("access keys need a non-empty id and secret");
                }
                Ok(AccessKey { id: entry.id.clone(), secret: entry.secret.clone(), account, role })
            })
            .collect()
    }
}

pub fn parse_role(text: &str) -> anyhow::Result<Role> {
    Role::parse(text).with_context(|| format!("role must be admin or viewer, not {text:?}"))
}
