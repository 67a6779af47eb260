//! SNS message signatures: an RSA key and a self-signed certificate for it, kept in the data dir and made the
//! first time a message is signed; `SignatureVersion` 1 (SHA1withRSA, SNS's default) and 2 (SHA256withRSA) over a
//! message's string to sign; and the certificate a message's `SigningCertURL` names, which the server serves.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use base64::Engine;
use rsa::pkcs1v15::Pkcs1v15Sign;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rsa::sha2::{Digest, Sha256};
use rsa::{PrivateKey, PublicKey};

use crate::message::Document;

/// The key, as PKCS#8 PEM, readable by its owner only.
pub const KEY_FILE: &str = "sns-signing-key.pem";
/// The certificate, as PEM.
pub const CERTIFICATE_FILE: &str = "sns-signing-certificate.pem";
/// The key's modulus (SNS's certificates carry 2048-bit keys).
pub const KEY_BITS: usize = 2048;
/// How long the certificate is valid, in years.
const VALID_YEARS: i32 = 10;
/// The name every certificate URL starts with, as SNS names them.
pub const CERTIFICATE_PREFIX: &str = "SimpleNotificationService-";

/// A topic's `SignatureVersion`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureVersion {
    /// SHA1withRSA, what SNS signs with unless the topic says otherwise.
    Sha1,
    /// SHA256withRSA.
    Sha256,
}

impl SignatureVersion {
    /// "1" or "2".
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "1" => Some(Self::Sha1),
            "2" => Some(Self::Sha256),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sha1 => "1",
            Self::Sha256 => "2",
        }
    }
}

/// Why a message could not be signed.
#[derive(Debug, thiserror::Error)]
pub enum SigningError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("the signing key: {0}")]
    Key(String),
    #[error("the signing certificate: {0}")]
    Certificate(String),
    #[error("unknown SignatureVersion {0:?}")]
    Version(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SigningError + '_ {
    move |source| SigningError::Io { path: path.display().to_string(), source }
}

/// A key and its certificate.
pub struct Signer {
    key: PrivateKey,
    certificate_pem: String,
    certificate_name: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("certificate_name", &self.certificate_name).finish_non_exhaustive()
    }
}

impl Signer {
    /// A new key with a self-signed certificate.
    pub fn generate() -> Result<Self, SigningError> {
        let key = PrivateKey::new(&mut getrandom::SysRng, KEY_BITS).map_err(|e| SigningError::Key(e.to_string()))?;
        let pair = key_pair(&key)?;
        let certificate_pem = certificate(&pair)?;
        Ok(Self::from_parts(key, certificate_pem))
    }

    /// The key and certificate in `dir`, made and written there (key file mode 0600, each file written whole
    /// before it is renamed into place) when they are not there yet.
    pub fn load_or_create(dir: &Path) -> Result<Self, SigningError> {
        let (key_path, certificate_path) = (dir.join(KEY_FILE), dir.join(CERTIFICATE_FILE));
        if key_path.exists() && certificate_path.exists() {
            let key_pem = std::fs::read_to_string(&key_path).map_err(io(&key_path))?;
            let certificate_pem = std::fs::read_to_string(&certificate_path).map_err(io(&certificate_path))?;
            let pair = rcgen::KeyPair::from_pem(&key_pem)
                .map_err(|e| SigningError::Key(format!("{}: {e}", key_path.display())))?;
            let key = PrivateKey::from_pkcs8_der(pair.serialized_der())
                .map_err(|e| SigningError::Key(format!("{}: {e}", key_path.display())))?;
            return Ok(Self::from_parts(key, certificate_pem));
        }
        let signer = Self::generate()?;
        let pair = key_pair(&signer.key)?;
        write_whole(&key_path, pair.serialize_pem().as_bytes(), 0o600)?;
        write_whole(&certificate_path, signer.certificate_pem.as_bytes(), 0o644)?;
        Ok(signer)
    }

    fn from_parts(key: PrivateKey, certificate_pem: String) -> Self {
        let digest = Sha256::digest(certificate_pem.as_bytes());
        let certificate_name = format!("{CERTIFICATE_PREFIX}{}.pem", hex::encode(&digest[..16]));
        Self { key, certificate_pem, certificate_name }
    }

    /// The certificate, as PEM.
    pub fn certificate_pem(&self) -> &str {
        &self.certificate_pem
    }

    /// The certificate's file name in URLs: `SimpleNotificationService-<hash>.pem`.
    pub fn certificate_name(&self) -> &str {
        &self.certificate_name
    }

    pub fn public_key(&self) -> PublicKey {
        self.key.to_public_key()
    }

    /// The base64 signature of `text`.
    pub fn sign(&self, text: &[u8], version: SignatureVersion) -> Result<String, SigningError> {
        let signature = match version {
            SignatureVersion::Sha1 => self.key.sign(Pkcs1v15Sign::new::<sha1::Sha1>(), &sha1::Sha1::digest(text)),
            SignatureVersion::Sha256 => self.key.sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(text)),
        }
        .map_err(|e| SigningError::Key(e.to_string()))?;
        Ok(base64::engine::general_purpose::STANDARD.encode(signature))
    }

    /// Whether `document` carries this key's signature over its string to sign, by its `SignatureVersion` (what a
    /// subscriber checks with the certificate its `SigningCertURL` names).
    pub fn verifies(&self, document: &Document) -> bool {
        let (Some(version), Some(signature)) = (document.signature_version.as_deref(), document.signature.as_deref())
        else {
            return false;
        };
        let Ok(signature) = base64::engine::general_purpose::STANDARD.decode(signature) else { return false };
        let text = document.string_to_sign();
        let key = self.key.to_public_key();
        match SignatureVersion::parse(version) {
            Some(SignatureVersion::Sha1) => {
                key.verify(Pkcs1v15Sign::new::<sha1::Sha1>(), &sha1::Sha1::digest(text), &signature).is_ok()
            }
            Some(SignatureVersion::Sha256) => {
                key.verify(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(text), &signature).is_ok()
            }
            None => false,
        }
    }

    /// Signs `document` by its `SignatureVersion`, naming the certificate at `base_url`.
    pub fn sign_document(&self, document: &mut Document, base_url: &str) -> Result<(), SigningError> {
        let version = document.signature_version.as_deref().unwrap_or("1");
        let version = SignatureVersion::parse(version).ok_or_else(|| SigningError::Version(version.to_owned()))?;
        document.signature = Some(self.sign(document.string_to_sign().as_bytes(), version)?);
        document.signing_cert_url = Some(format!("{}/{}", base_url.trim_end_matches('/'), self.certificate_name));
        Ok(())
    }
}

/// `key` as rcgen's key pair (signing certificates with SHA256withRSA).
fn key_pair(key: &PrivateKey) -> Result<rcgen::KeyPair, SigningError> {
    let der = key.to_pkcs8_der().map_err(|e| SigningError::Key(e.to_string()))?;
    rcgen::KeyPair::try_from(der.as_bytes()).map_err(|e| SigningError::Key(e.to_string()))
}

/// A self-signed certificate for `pair`, valid from the start of the month for ten years.
fn certificate(pair: &rcgen::KeyPair) -> Result<String, SigningError> {
    let failed = |e: rcgen::Error| SigningError::Certificate(e.to_string());
    let mut params = rcgen::CertificateParams::new(vec!["sns.skywatch.localhost".to_owned()]).map_err(failed)?;
    let mut name = rcgen::DistinguishedName::new();
    name.push(rcgen::DnType::CommonName, "sns.skywatch.localhost");
    name.push(rcgen::DnType::OrganizationName, "Skywatch");
    params.distinguished_name = name;
    use chrono::Datelike;
    let today = chrono::Utc::now().date_naive();
    let month = u8::try_from(today.month()).unwrap_or(1);
    params.not_before = rcgen::date_time_ymd(today.year(), month, 1);
    params.not_after = rcgen::date_time_ymd(today.year() + VALID_YEARS, month, 1);
    Ok(params.self_signed(pair).map_err(failed)?.pem())
}

/// Writes `bytes` to a temporary file beside `path`, syncs it and renames it into place, so a crash leaves either
/// the whole file or none.
fn write_whole(path: &Path, bytes: &[u8], mode: u32) -> Result<(), SigningError> {
    let temporary = path.with_extension("pem.partial");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(&temporary).map_err(io(&temporary))?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(io(&temporary))?;
    std::fs::rename(&temporary, path).map_err(io(path))?;
    if let Some(parent) = path.parent()
        && let Ok(dir) = std::fs::File::open(parent)
    {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Where the signer comes from: a data dir, or memory for a store that has none. The key is made on first use,
/// so a server that never posts a message never spends the time.
pub struct Keys {
    dir: Option<PathBuf>,
    signer: Mutex<Option<Arc<Signer>>>,
}

impl Keys {
    pub fn in_dir(dir: &Path) -> Self {
        Self { dir: Some(dir.to_owned()), signer: Mutex::new(None) }
    }

    pub fn in_memory() -> Self {
        Self { dir: None, signer: Mutex::new(None) }
    }

    /// The signer, loaded or made on the first call. Blocking: call it off the async runtime.
    pub fn signer(&self) -> Result<Arc<Signer>, SigningError> {
        let mut slot = self.signer.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(signer) = slot.as_ref() {
            return Ok(Arc::clone(signer));
        }
        let signer = Arc::new(match &self.dir {
            Some(dir) => Signer::load_or_create(dir)?,
            None => Signer::generate()?,
        });
        *slot = Some(Arc::clone(&signer));
        Ok(signer)
    }
}

#[cfg(test)]
mod tests {
    use rsa::pkcs1v15::Pkcs1v15Sign;

    use super::*;

    fn verify(signer: &Signer, text: &[u8], signature: &str, version: SignatureVersion) -> bool {
        let signature = base64::engine::general_purpose::STANDARD.decode(signature).unwrap();
        let key = signer.public_key();
        match version {
            SignatureVersion::Sha1 => {
                key.verify(Pkcs1v15Sign::new::<sha1::Sha1>(), &sha1::Sha1::digest(text), &signature).is_ok()
            }
            SignatureVersion::Sha256 => {
                key.verify(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(text), &signature).is_ok()
            }
        }
    }

    #[test]
    fn each_version_signs_with_its_hash() {
        let signer = Signer::generate().unwrap();
        for version in [SignatureVersion::Sha1, SignatureVersion::Sha256] {
            let signature = signer.sign(b"Message\nhi\n", version).unwrap();
            assert!(verify(&signer, b"Message\nhi\n", &signature, version));
            assert!(!verify(&signer, b"Message\nho\n", &signature, version));
        }
        let sha1 = signer.sign(b"x", SignatureVersion::Sha1).unwrap();
        assert!(!verify(&signer, b"x", &sha1, SignatureVersion::Sha256));
    }

    #[test]
    fn the_key_and_certificate_are_kept_and_found_again() {
        let dir = tempfile::tempdir().unwrap();
        let first = Signer::load_or_create(dir.path()).unwrap();
        assert!(first.certificate_pem().starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(first.certificate_name().starts_with(CERTIFICATE_PREFIX) && first.certificate_name().ends_with(".pem"));
        let again = Signer::load_or_create(dir.path()).unwrap();
        assert_eq!(again.certificate_name(), first.certificate_name());
        let signature = again.sign(b"text", SignatureVersion::Sha256).unwrap();
        assert!(verify(&first, b"text", &signature, SignatureVersion::Sha256));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_damaged_key_file_is_an_error_not_a_new_key() {
        let dir = tempfile::tempdir().unwrap();
        Signer::load_or_create(dir.path()).unwrap();
        std::fs::write(dir.path().join(KEY_FILE), "not a key").unwrap();
        assert!(matches!(Signer::load_or_create(dir.path()), Err(SigningError::Key(_))));
    }

    #[test]
    fn a_document_is_signed_by_its_version_and_names_the_certificate() {
        let signer = Signer::generate().unwrap();
        let envelope = crate::message::Envelope {
            base_url: "http://127.0.0.1:4566/",
            message_id: "m",
            topic_arn: "arn:aws:sns:us-east-1:0:t",
            signature_version: "2",
            now_ms: 0,
        };
        let mut document = envelope.subscription_confirmation("tok");
        signer.sign_document(&mut document, "http://127.0.0.1:4566/").unwrap();
        let signature = document.signature.clone().unwrap();
        assert!(verify(&signer, document.string_to_sign().as_bytes(), &signature, SignatureVersion::Sha256));
        assert_eq!(
            document.signing_cert_url.as_deref(),
            Some(format!("http://127.0.0.1:4566/{}", signer.certificate_name()).as_str())
        );
        assert!(signer.verifies(&document));
        let mut changed = document.clone();
        changed.token = Some("other".into());
        assert!(!signer.verifies(&changed));
        assert!(!Signer::generate().unwrap().verifies(&document), "another key's signature");
        document.signature_version = Some("3".into());
        assert!(matches!(signer.sign_document(&mut document, "h"), Err(SigningError::Version(_))));
    }
}
