//! The recorder's vocabulary: configuration items and their relationships, the configuration recorder with its
//! recording group and status, and the delivery channel. Stored as JSON; the wire edge maps them to AWS's shapes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The version of the configuration item schema AWS Config reports today.
pub const ITEM_VERSION: &str = "1.3";

/// `configurationItemStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemStatus {
    #[serde(rename = "OK")]
    Ok,
    ResourceDiscovered,
    ResourceNotRecorded,
    ResourceDeleted,
    ResourceDeletedNotRecorded,
}

impl ItemStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Ok => "OK",
            ItemStatus::ResourceDiscovered => "ResourceDiscovered",
            ItemStatus::ResourceNotRecorded => "ResourceNotRecorded",
            ItemStatus::ResourceDeleted => "ResourceDeleted",
            ItemStatus::ResourceDeletedNotRecorded => "ResourceDeletedNotRecorded",
        }
    }

    pub fn is_deleted(self) -> bool {
        matches!(self, ItemStatus::ResourceDeleted | ItemStatus::ResourceDeletedNotRecorded)
    }
}

/// One relationship of a resource to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Relationship {
    pub resource_type: String,
    pub resource_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
    pub relationship_name: String,
}

/// One configuration item: the state of one resource at one time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    pub version: String,
    pub account_id: String,
    pub aws_region: String,
    pub resource_type: String,
    pub resource_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// `configurationItemCaptureTime`, epoch ms; strictly increasing per resource.
    pub capture_ms: i64,
    pub status: ItemStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_creation_ms: Option<i64>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// CloudTrail event ids of the calls that made this change.
    #[serde(default)]
    pub related_events: Vec<String>,
    #[serde(default)]
    pub relationships: Vec<Relationship>,
    /// The resource's configuration (a JSON object), absent once it is deleted.
    #[serde(default)]
    pub configuration: Option<Value>,
    #[serde(default)]
    pub supplementary: BTreeMap<String, Value>,
    /// The schema version a third-party resource was reported with (PutResourceConfig).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version_id: Option<String>,
}

impl Item {
    /// `configurationStateId`: the capture time, unique per resource.
    pub fn state_id(&self) -> String {
        self.capture_ms.to_string()
    }

    /// Whether `other` describes the same configuration (everything but time, status and related events).
    pub fn same_state(&self, other: &Item) -> bool {
        self.status.is_deleted() == other.status.is_deleted()
            && self.resource_name == other.resource_name
            && self.arn == other.arn
            && self.tags == other.tags
            && self.relationships == other.relationships
            && self.configuration == other.configuration
            && self.supplementary == other.supplementary
    }

    /// The item as the rule engines and the advanced query read it: the API's shape with `configuration`
    /// as an object and times in ISO 8601. `tags_as_list` gives the advanced query's `[{key, value}]` form.
    pub fn document(&self, tags_as_list: bool) -> Value {
        let mut doc = serde_json::Map::new();
        doc.insert("version".into(), Value::from(self.version.clone()));
        doc.insert("accountId".into(), Value::from(self.account_id.clone()));
        doc.insert("configurationItemCaptureTime".into(), Value::from(iso(self.capture_ms)));
        doc.insert("configurationItemStatus".into(), Value::from(self.status.as_str()));
        doc.insert("configurationStateId".into(), Value::from(self.state_id()));
        doc.insert("arn".into(), self.arn.clone().map_or(Value::Null, Value::from));
        doc.insert("resourceType".into(), Value::from(self.resource_type.clone()));
        doc.insert("resourceId".into(), Value::from(self.resource_id.clone()));
        doc.insert("resourceName".into(), self.resource_name.clone().map_or(Value::Null, Value::from));
        doc.insert("awsRegion".into(), Value::from(self.aws_region.clone()));
        doc.insert(
            "availabilityZone".into(),
            Value::from(self.availability_zone.clone().unwrap_or_else(|| NOT_APPLICABLE.into())),
        );
        doc.insert("resourceCreationTime".into(), self.resource_creation_ms.map_or(Value::Null, |ms| iso(ms).into()));
        let tags = if tags_as_list {
            Value::Array(
                self.tags
                    .iter()
                    .map(|(k, v)| serde_json::json!({"key": k, "value": v, "tag": format!("{k}={v}")}))
                    .collect(),
            )
        } else {
            Value::Object(self.tags.iter().map(|(k, v)| (k.clone(), Value::from(v.clone()))).collect())
        };
        doc.insert("tags".into(), tags);
        doc.insert("relationships".into(), serde_json::to_value(&self.relationships).unwrap_or(Value::Null));
        doc.insert("configuration".into(), self.configuration.clone().unwrap_or(Value::Null));
        doc.insert(
            "supplementaryConfiguration".into(),
            Value::Object(self.supplementary.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        );
        Value::Object(doc)
    }
}

/// `availabilityZone` of regional resources without one.
pub const NOT_APPLICABLE: &str = "Not Applicable";

/// Epoch milliseconds as ISO 8601 with milliseconds, as Config writes times in documents.
pub fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// `recordingStrategy.useOnly`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Strategy {
    #[default]
    AllSupportedResourceTypes,
    InclusionByResourceTypes,
    ExclusionByResourceTypes,
}

impl Strategy {
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::AllSupportedResourceTypes => "ALL_SUPPORTED_RESOURCE_TYPES",
            Strategy::InclusionByResourceTypes => "INCLUSION_BY_RESOURCE_TYPES",
            Strategy::ExclusionByResourceTypes => "EXCLUSION_BY_RESOURCE_TYPES",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Strategy::AllSupportedResourceTypes, Strategy::InclusionByResourceTypes, Strategy::ExclusionByResourceTypes]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// Which resource types a recorder records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordingGroup {
    pub all_supported: bool,
    pub include_global_resource_types: bool,
    pub resource_types: Vec<String>,
    pub exclusions: Vec<String>,
    pub strategy: Strategy,
}

impl Default for RecordingGroup {
    fn default() -> Self {
        Self {
            all_supported: true,
            include_global_resource_types: false,
            resource_types: Vec::new(),
            exclusions: Vec::new(),
            strategy: Strategy::AllSupportedResourceTypes,
        }
    }
}

impl RecordingGroup {
    /// Whether a resource of `resource_type` is recorded. Skywatch records every type it is told about, so
    /// "all supported" includes third-party types reported with PutResourceConfig.
    pub fn records(&self, resource_type: &str) -> bool {
        match self.strategy {
            Strategy::AllSupportedResourceTypes => true,
            Strategy::InclusionByResourceTypes => self.resource_types.iter().any(|t| t == resource_type),
            Strategy::ExclusionByResourceTypes => !self.exclusions.iter().any(|t| t == resource_type),
        }
    }
}

/// `recordingMode`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordingMode {
    /// `CONTINUOUS` or `DAILY`.
    pub frequency: String,
    #[serde(default)]
    pub overrides: Vec<RecordingModeOverride>,
}

/// One `recordingModeOverrides` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordingModeOverride {
    #[serde(default)]
    pub description: Option<String>,
    pub resource_types: Vec<String>,
    pub frequency: String,
}

/// A configuration recorder (one an account and region, as in AWS Config).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recorder {
    pub name: String,
    /// `arn:<partition>:config:<region>:<account>:configuration-recorder/<name>/<id>`.
    #[serde(default)]
    pub arn: String,
    #[serde(default)]
    pub role_arn: Option<String>,
    pub group: RecordingGroup,
    #[serde(default)]
    pub mode: Option<RecordingMode>,
    #[serde(default)]
    pub status: RecorderStatus,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// What DescribeConfigurationRecorderStatus reports.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecorderStatus {
    pub recording: bool,
    #[serde(default)]
    pub last_start_ms: Option<i64>,
    #[serde(default)]
    pub last_stop_ms: Option<i64>,
    /// `Pending`, `Success` or `Failure`; absent until the recorder first starts.
    #[serde(default)]
    pub last_status: Option<String>,
    #[serde(default)]
    pub last_status_change_ms: Option<i64>,
}

/// A delivery channel: where snapshots and history files go. Skywatch's buckets are directories under the
/// data directory (`<data-dir>/s3/<bucket>/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryChannel {
    pub name: String,
    pub bucket: String,
    #[serde(default)]
    pub key_prefix: Option<String>,
    #[serde(default)]
    pub kms_key_arn: Option<String>,
    #[serde(default)]
    pub topic_arn: Option<String>,
    /// `One_Hour` .. `TwentyFour_Hours`: how often snapshots are delivered; none when unset.
    #[serde(default)]
    pub snapshot_frequency: Option<String>,
    #[serde(default)]
    pub status: ChannelStatus,
}

/// One kind of delivery's last outcome.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryInfo {
    #[serde(default)]
    pub last_status: Option<String>,
    #[serde(default)]
    pub last_error: Option<(String, String)>,
    #[serde(default)]
    pub last_attempt_ms: Option<i64>,
    #[serde(default)]
    pub last_success_ms: Option<i64>,
    #[serde(default)]
    pub next_ms: Option<i64>,
    /// History: the capture time the last delivered file reached.
    #[serde(default)]
    pub cursor_ms: Option<i64>,
}

/// DescribeDeliveryChannelStatus.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelStatus {
    pub snapshot: DeliveryInfo,
    pub history: DeliveryInfo,
    /// A snapshot DeliverConfigSnapshot asked for and not yet written: its id.
    #[serde(default)]
    pub requested_snapshot: Option<String>,
}
