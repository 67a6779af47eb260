//! Encryption at rest: KMS-style keys kept in the data dir and AES-256-GCM over each block of a group that has one.
//!
//! A key is named by a KMS key ARN (`arn:<partition>:kms:<region>:<account>:key/<key-id>`) of the group's account and
//! region; its 32 random bytes live in `<data-dir>/kms/<account>/<region>/<key-id>.key` (made on first association,
//! written to a temporary file and renamed, owner-only on Unix). A sealed block is a random 96-bit nonce followed by
//! the ciphertext and tag; the block's place (group and block id) is the associated data, so a block copied to
//! another place does not open. Without the key file a group's encrypted blocks cannot be read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use aes_gcm::Aes256Gcm;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use thiserror::Error;

const NONCE_BYTES: usize = 12;
const KEY_BYTES: usize = 32;

/// Why a key could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeyError {
    #[error("The KMS key ARN is not valid: {0}")]
    BadArn(String),
    #[error("the KMS key {0} is not available")]
    Missing(String),
    #[error("the KMS key file could not be written: {0}")]
    Io(String),
    #[error("data encrypted with KMS key {0} could not be decrypted")]
    Decrypt(String),
}

/// A KMS key ARN's parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyArn<'a> {
    pub partition: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub key_id: &'a str,
}

/// Reads `arn:<partition>:kms:<region>:<account>:key/<id>` (any partition); the id is a UUID-like run of
/// letters, digits and hyphens.
pub fn parse_key_arn(arn: &str) -> Option<KeyArn<'_>> {
    let skywatch_model::Arn { partition, service, region, account, resource } = skywatch_model::Arn::parse(arn)?;
    if service != "kms" {
        return None;
    }
    let key_id = resource.strip_prefix("key/")?;
    let ok = |s: &str, extra: char| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == extra);
    (ok(region, '-')
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && ok(key_id, '-')
        && key_id.len() <= 64)
        .then_some(KeyArn { partition, region, account, key_id })
}

/// The keys of one data dir, loaded on first use and kept.
#[derive(Clone)]
pub struct Keyring {
    root: Option<PathBuf>,
    loaded: Arc<Mutex<HashMap<String, Arc<Aes256Gcm>>>>,
}

impl Keyring {
    /// Keys under `<data_dir>/kms`.
    pub fn in_dir(data_dir: &Path) -> Self {
        Self { root: Some(data_dir.join("kms")), loaded: Arc::default() }
    }

    /// Keys held only in memory (tests).
    pub fn in_memory() -> Self {
        Self { root: None, loaded: Arc::default() }
    }

    fn path(&self, key: &KeyArn<'_>) -> Option<PathBuf> {
        Some(self.root.as_ref()?.join(key.account).join(key.region).join(format!("{}.key", key.key_id)))
    }

    /// Makes the key `arn` names if it does not exist yet (AssociateKmsKey, CreateLogGroup with a key). Blocking.
    pub fn ensure(&self, arn: &str) -> Result<(), KeyError> {
        let key = parse_key_arn(arn).ok_or_else(|| KeyError::BadArn(arn.to_owned()))?;
        if self.cipher(arn).is_ok() {
            return Ok(());
        }
        let mut material = [0u8; KEY_BYTES];
        getrandom::fill(&mut material).map_err(|e| KeyError::Io(e.to_string()))?;
        if let Some(path) = self.path(&key) {
            write_key(&path, &material).map_err(|e| KeyError::Io(e.to_string()))?;
        }
        let cipher = Aes256Gcm::new_from_slice(&material).map_err(|_| KeyError::Io("key length".into()))?;
        self.lock().insert(arn.to_owned(), Arc::new(cipher));
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Aes256Gcm>>> {
        self.loaded.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn cipher(&self, arn: &str) -> Result<Arc<Aes256Gcm>, KeyError> {
        if let Some(cipher) = self.lock().get(arn) {
            return Ok(cipher.clone());
        }
        let missing = || KeyError::Missing(arn.to_owned());
        let key = parse_key_arn(arn).ok_or_else(missing)?;
        let path = self.path(&key).ok_or_else(missing)?;
        let text = std::fs::read_to_string(path).map_err(|_| missing())?;
        let material = hex::decode(text.trim()).map_err(|_| missing())?;
        let cipher = Aes256Gcm::new_from_slice(&material).map_err(|_| missing())?;
        let cipher = Arc::new(cipher);
        self.lock().insert(arn.to_owned(), cipher.clone());
        Ok(cipher)
    }

    /// Seals `plain` with the key `arn` names, bound to `place`.
    pub fn seal(&self, arn: &str, place: &[u8], plain: &[u8]) -> Result<Vec<u8>, KeyError> {
        let cipher = self.cipher(arn)?;
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).map_err(|e| KeyError::Io(e.to_string()))?;
        let sealed = cipher
            .encrypt(&nonce.into(), Payload { msg: plain, aad: place })
            .map_err(|_| KeyError::Decrypt(arn.to_owned()))?;
        let mut out = Vec::with_capacity(NONCE_BYTES + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens what [`Keyring::seal`] sealed with the same key and place.
    pub fn open(&self, arn: &str, place: &[u8], sealed: &[u8]) -> Result<Vec<u8>, KeyError> {
        let cipher = self.cipher(arn)?;
        let decrypt = || KeyError::Decrypt(arn.to_owned());
        if sealed.len() < NONCE_BYTES {
            return Err(decrypt());
        }
        let (nonce, body) = sealed.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().map_err(|_| decrypt())?;
        cipher.decrypt(&nonce.into(), Payload { msg: body, aad: place }).map_err(|_| decrypt())
    }
}

fn write_key(path: &Path, material: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().ok_or_else(|| std::io::Error::other("no parent"))?;
    std::fs::create_dir_all(dir)?;
    let temporary = path.with_extension("key.tmp");
    {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&temporary)?;
        file.write_all(hex::encode(material).as_bytes())?;
        file.sync_all()?;
    }
    std::fs::rename(&temporary, path)?;
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    #[test]
    fn key_arns_are_read_strictly() {
        let key = parse_key_arn(ARN).unwrap();
        assert_eq!(
            (key.region, key.account, key.key_id),
            ("us-east-1", "123456789012", "1234abcd-12ab-34cd-56ef-1234567890ab")
        );
        let cn = parse_key_arn("arn:aws-cn:kms:cn-north-1:123456789012:key/k-1").unwrap();
        assert_eq!((cn.partition, cn.region, cn.key_id), ("aws-cn", "cn-north-1", "k-1"));
        for bad in [
            "arn:aws:sns:us-east-1:123456789012:key/a",
            "arn:awsx:kms:us-east-1:123456789012:key/a",
            "",
            "alias/x",
            "arn:aws:kms:us-east-1:12345:key/a",
            "arn:aws:kms:us-east-1:123456789012:alias/a",
            "arn:aws:kms:us-east-1:123456789012:key/../../etc",
            "arn:aws:kms::123456789012:key/a",
        ] {
            assert_eq!(parse_key_arn(bad), None, "{bad}");
        }
    }

    #[test]
    fn sealed_blocks_open_only_with_their_key_and_place() {
        let dir = tempfile::tempdir().unwrap();
        let keys = Keyring::in_dir(dir.path());
        keys.ensure(ARN).unwrap();
        let sealed = keys.seal(ARN, b"place", b"secret log line").unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
        assert_eq!(keys.open(ARN, b"place", &sealed).unwrap(), b"secret log line");
        assert!(matches!(keys.open(ARN, b"elsewhere", &sealed), Err(KeyError::Decrypt(_))));
        // A fresh keyring reads the key file; without the file nothing opens.
        let again = Keyring::in_dir(dir.path());
        assert_eq!(again.open(ARN, b"place", &sealed).unwrap(), b"secret log line");
        std::fs::remove_dir_all(dir.path().join("kms")).unwrap();
        let without = Keyring::in_dir(dir.path());
        assert!(matches!(without.open(ARN, b"place", &sealed), Err(KeyError::Missing(_))));
    }
}
