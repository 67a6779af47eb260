//! The S3 bucket rules on tables of buckets as AWS Config records them (ACL and policy as JSON text
//! in `supplementaryConfiguration`, Block Public Access as an object):
//! S3_BUCKET_PUBLIC_READ_PROHIBITED, S3_BUCKET_PUBLIC_WRITE_PROHIBITED, S3_BUCKET_VERSIONING_ENABLED.

use crate::common;

use common::{case, case_with, ci, deleted, run_table, supp};
use serde_json::{Value, json};
use skywatch_configrules::Compliance::{Compliant, NonCompliant, NotApplicable};

const OWNER: &str = "4df55416215956920d9d056aa8b99803a294ea221222bb668b55a8c6bca81094";

fn bucket() -> Value {
    ci("AWS::S3::Bucket", json!({"name": "b", "owner": {"id": OWNER}, "creationDate": "2026-12-01T00:00:00.000Z"}))
}

/// The ACL as AWS Config records it: JSON text, the owner's grant plus `extra` grants.
fn acl(b: Value, extra: &[Value]) -> Value {
    let mut grants = vec![json!({"grantee": {"id": OWNER, "displayName": null}, "permission": "FullControl"})];
    grants.extend(extra.iter().cloned());
    let text = json!({"grantSet": null, "grantList": grants, "owner": {"displayName": null, "id": OWNER}, "isRequesterCharged": false});
    supp(b, "AccessControlList", json!(text.to_string()))
}

fn policy(b: Value, statements: Value) -> Value {
    let text = json!({"Version": "2012-10-17", "Statement": statements}).to_string();
    supp(b, "BucketPolicy", json!({"policyText": text}))
}

fn block(b: Value, restrict_public_buckets: bool, ignore_public_acls: bool) -> Value {
    supp(
        b,
        "PublicAccessBlockConfiguration",
        json!({"blockPublicAcls": true, "ignorePublicAcls": ignore_public_acls, "blockPublicPolicy": true, "restrictPublicBuckets": restrict_public_buckets}),
    )
}

fn grant(grantee: &str, permission: &str) -> Value {
    json!({"grantee": grantee, "permission": permission})
}

fn public_get() -> Value {
    json!([{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}])
}

#[test]
fn public_read() {
    run_table(
        "S3_BUCKET_PUBLIC_READ_PROHIBITED",
        None,
        vec![
            case("private bucket, nothing recorded", bucket(), Compliant),
            case("owner-only ACL", acl(bucket(), &[]), Compliant),
            case_with(
                "AllUsers Read",
                acl(bucket(), &[grant("AllUsers", "Read")]),
                NonCompliant,
                "grants Read to AllUsers",
            ),
            case_with(
                "AuthenticatedUsers FullControl",
                acl(bucket(), &[grant("AuthenticatedUsers", "FullControl")]),
                NonCompliant,
                "AuthenticatedUsers",
            ),
            case("AllUsers ReadAcp only", acl(bucket(), &[grant("AllUsers", "ReadAcp")]), Compliant),
            case("AllUsers Write is not read", acl(bucket(), &[grant("AllUsers", "Write")]), Compliant),
            case(
                "group by URI",
                acl(
                    bucket(),
                    &[
                        json!({"grantee": {"uri": "http://acs.amazonaws.com/groups/global/AllUsers"}, "permission": "READ"}),
                    ],
                ),
                NonCompliant,
            ),
            case(
                "ACL as an object",
                supp(bucket(), "AccessControlList", json!({"grantList": [grant("AllUsers", "Read")]})),
                NonCompliant,
            ),
            case(
                "public ACL ignored by Block Public Access",
                block(acl(bucket(), &[grant("AllUsers", "Read")]), false, true),
                Compliant,
            ),
            case(
                "public ACL, only new ACLs blocked",
                block(acl(bucket(), &[grant("AllUsers", "Read")]), true, false),
                NonCompliant,
            ),
            case_with(
                "public policy",
                policy(bucket(), public_get()),
                NonCompliant,
                "statement 'PublicRead' allows s3:GetObject",
            ),
            case("public policy restricted", block(policy(bucket(), public_get()), true, false), Compliant),
            case(
                "AWS * principal",
                policy(
                    bucket(),
                    json!([{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["s3:Get*"], "Resource": "*"}]),
                ),
                NonCompliant,
            ),
            case(
                "account principal",
                policy(
                    bucket(),
                    json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*", "Resource": "*"}]),
                ),
                Compliant,
            ),
            case(
                "wildcard account principal",
                policy(
                    bucket(),
                    json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::*:root"}, "Action": "s3:*", "Resource": "*"}]),
                ),
                NonCompliant,
            ),
            case(
                "Deny to everyone",
                policy(bucket(), json!([{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}])),
                Compliant,
            ),
            case(
                "write-only public policy",
                policy(
                    bucket(),
                    json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:PutObject", "Resource": "*"}]),
                ),
                Compliant,
            ),
            case(
                "NotAction excluding reads",
                policy(
                    bucket(),
                    json!([{"Effect": "Allow", "Principal": "*", "NotAction": ["s3:Get*", "s3:List*"], "Resource": "*"}]),
                ),
                Compliant,
            ),
            case(
                "NotAction excluding writes",
                policy(
                    bucket(),
                    json!([{"Effect": "Allow", "Principal": "*", "NotAction": "s3:Put*", "Resource": "*"}]),
                ),
                NonCompliant,
            ),
            case(
                "limited to a VPC endpoint",
                policy(
                    bucket(),
                    json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}]),
                ),
                Compliant,
            ),
            case(
                "limited to an IP range",
                policy(
                    bucket(),
                    json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}}]),
                ),
                Compliant,
            ),
            case(
                "IP condition covering everything",
                policy(
                    bucket(),
                    json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}}]),
                ),
                NonCompliant,
            ),
            case(
                "wildcard condition value",
                policy(
                    bucket(),
                    json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringLike": {"aws:SourceVpce": "vpce-*"}}}]),
                ),
                NonCompliant,
            ),
            case(
                "condition on an unrelated key",
                policy(
                    bucket(),
                    json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]),
                ),
                NonCompliant,
            ),
            case("policyText null", supp(bucket(), "BucketPolicy", json!({"policyText": null})), Compliant),
            case(
                "policy as JSON text of the holder",
                supp(
                    bucket(),
                    "BucketPolicy",
                    json!(json!({"policyText": json!({"Statement": public_get()}).to_string()}).to_string()),
                ),
                NonCompliant,
            ),
            case("deleted", deleted(acl(bucket(), &[grant("AllUsers", "Read")])), NotApplicable),
            case("not a bucket", ci("AWS::EC2::Instance", json!({})), NotApplicable),
        ],
    );
}

#[test]
fn public_write() {
    run_table(
        "S3_BUCKET_PUBLIC_WRITE_PROHIBITED",
        None,
        vec![
            case("private", acl(bucket(), &[]), Compliant),
            case_with(
                "AllUsers Write",
                acl(bucket(), &[grant("AllUsers", "Write")]),
                NonCompliant,
                "public write access",
            ),
            case("AllUsers WriteAcp", acl(bucket(), &[grant("AllUsers", "WriteAcp")]), NonCompliant),
            case("AllUsers Read is not write", acl(bucket(), &[grant("AllUsers", "Read")]), Compliant),
            case("public read policy is not write", policy(bucket(), public_get()), Compliant),
            case_with(
                "public delete",
                policy(
                    bucket(),
                    json!({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:DeleteObject", "Resource": "*"}),
                ),
                NonCompliant,
                "s3:DeleteObject",
            ),
            case(
                "s3:* to everyone, restricted",
                block(
                    policy(bucket(), json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}])),
                    true,
                    true,
                ),
                Compliant,
            ),
            case(
                "s3:* to everyone",
                policy(bucket(), json!([{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}])),
                NonCompliant,
            ),
        ],
    );
}

#[test]
fn versioning() {
    let versioned = |status: &str, mfa: bool| {
        supp(bucket(), "BucketVersioningConfiguration", json!({"status": status, "isMfaDeleteEnabled": mfa}))
    };
    run_table(
        "S3_BUCKET_VERSIONING_ENABLED",
        None,
        vec![
            case("enabled", versioned("Enabled", false), Compliant),
            case_with("suspended", versioned("Suspended", false), NonCompliant, "Suspended"),
            case_with("off", versioned("Off", false), NonCompliant, "Off"),
            case("never configured", bucket(), NonCompliant),
            case(
                "as JSON text",
                supp(bucket(), "BucketVersioningConfiguration", json!("{\"status\":\"Enabled\"}")),
                Compliant,
            ),
            case("deleted", deleted(versioned("Off", false)), NotApplicable),
        ],
    );
    run_table(
        "S3_BUCKET_VERSIONING_ENABLED",
        Some(r#"{"isMfaDeleteEnabled":"true"}"#),
        vec![
            case("with MFA delete", versioned("Enabled", true), Compliant),
            case_with("without MFA delete", versioned("Enabled", false), NonCompliant, "MFA delete"),
        ],
    );
}
