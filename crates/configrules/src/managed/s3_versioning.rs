//! S3_BUCKET_VERSIONING_ENABLED (s3-bucket-versioning-enabled): the bucket's versioning
//! (`supplementaryConfiguration.BucketVersioningConfiguration.status`) must be "Enabled"; with
//! isMfaDeleteEnabled "true", MFA delete must be enabled too. Configuration changes only.

use super::ManagedRule;
use crate::compliance::Verdict;
use crate::item::{Item, as_bool, field};
use crate::parameters::{ParamKind, ParamSpec, Parameters};
use serde_json::Value;

pub(super) const RULE: ManagedRule = ManagedRule {
    identifier: "S3_BUCKET_VERSIONING_ENABLED",
    default_name: "s3-bucket-versioning-enabled",
    resource_types: &["AWS::S3::Bucket"],
    any_resource_type: false,
    change_triggered: true,
    periodic: false,
    parameters: &[ParamSpec::optional("isMfaDeleteEnabled", ParamKind::Bool)],
    check,
};

fn check(parameters: &Parameters, item: &Item<'_>, _: &Value) -> Verdict {
    let versioning = item.supplementary("BucketVersioningConfiguration");
    let status = versioning.as_deref().and_then(|v| field(v, &["status", "Status"])).and_then(Value::as_str);
    if !status.is_some_and(|s| s.eq_ignore_ascii_case("Enabled")) {
        return Verdict::non_compliant(format!("Versioning is not enabled (status {}).", status.unwrap_or("Off")));
    }
    if parameters.bool("isMfaDeleteEnabled") == Some(true) {
        let mfa = versioning.as_deref().and_then(|v| field(v, &["isMfaDeleteEnabled", "MfaDelete"]));
        let enabled = mfa.is_some_and(|m| as_bool(m) == Some(true) || m.as_str() == Some("Enabled"));
        if !enabled {
            return Verdict::non_compliant("Versioning is enabled but MFA delete is not.");
        }
    }
    Verdict::compliant()
}
