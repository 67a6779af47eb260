//! S3_BUCKET_PUBLIC_READ_PROHIBITED and S3_BUCKET_PUBLIC_WRITE_PROHIBITED: a bucket is
//! NON_COMPLIANT when its policy allows public read (write) access and the bucket's Block Public
//! Access settings do not restrict public policies (`restrictPublicBuckets`), or when its ACL grants
//! public read (write) access and the settings do not restrict public ACLs (`ignorePublicAcls`).
//! (`blockPublicPolicy` and `blockPublicAcls` only refuse new public policies and ACLs; S3 documents
//! that they do not affect existing ones.) The account-level Block Public Access settings are not
//! part of the bucket's configuration item and are not considered, as AWS notes for these rules.
//! Configuration changes and periodic; no parameters.

use super::{ManagedRule, s3_acl, s3_policy};
use crate::compliance::Verdict;
use crate::item::{Item, as_bool, field};
use crate::parameters::Parameters;
use serde_json::Value;

/// Which public access a rule prohibits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Access {
    Read,
    Write,
}

pub(super) const READ_RULE: ManagedRule = ManagedRule {
    identifier: "S3_BUCKET_PUBLIC_READ_PROHIBITED",
    default_name: "s3-bucket-public-read-prohibited",
    resource_types: &["AWS::S3::Bucket"],
    any_resource_type: false,
    change_triggered: true,
    periodic: true,
    parameters: &[],
    check: check_read,
};

pub(super) const WRITE_RULE: ManagedRule = ManagedRule {
    identifier: "S3_BUCKET_PUBLIC_WRITE_PROHIBITED",
    default_name: "s3-bucket-public-write-prohibited",
    resource_types: &["AWS::S3::Bucket"],
    any_resource_type: false,
    change_triggered: true,
    periodic: true,
    parameters: &[],
    check: check_write,
};

fn check_read(_: &Parameters, item: &Item<'_>, _: &Value) -> Verdict {
    check(item, Access::Read)
}

fn check_write(_: &Parameters, item: &Item<'_>, _: &Value) -> Verdict {
    check(item, Access::Write)
}

fn check(item: &Item<'_>, access: Access) -> Verdict {
    let block = item.supplementary("PublicAccessBlockConfiguration");
    let setting = |names: &[&str]| block.as_deref().and_then(|b| field(b, names)).and_then(as_bool) == Some(true);
    let mut reasons = Vec::new();
    if !setting(&["restrictPublicBuckets", "RestrictPublicBuckets"]) {
        reasons.extend(s3_policy::public_statement(item, access));
    }
    if !setting(&["ignorePublicAcls", "IgnorePublicAcls"]) {
        reasons.extend(s3_acl::public_grant(item, access));
    }
    if reasons.is_empty() {
        return Verdict::compliant();
    }
    let kind = match access {
        Access::Read => "read",
        Access::Write => "write",
    };
    Verdict::non_compliant(format!("The bucket allows public {kind} access: {}.", reasons.join("; ")))
}
