//! One span as one segment document, following the OpenTelemetry Collector's X-Ray exporter: server spans and
//! spans without a parent are segments named after the service; client, producer, consumer and internal spans
//! with a parent are subsegments (`namespace` remote for calls to other services, aws for AWS SDK calls, none
//! for local work). HTTP attributes become `http`; the status and exception events become error, fault,
//! throttle and `cause`; attributes named in `aws.xray.annotations` become annotations, the rest metadata.

use opentelemetry_proto::tonic::trace::v1::Span;
use opentelemetry_proto::tonic::trace::v1::span::SpanKind;
use opentelemetry_proto::tonic::trace::v1::status::StatusCode;
use serde_json::{Map, Value, json};

use super::attributes::Attributes;
use super::{cause, http};
use crate::document::clip;

/// The longest segment name X-Ray keeps.
const MAX_NAME: usize = 200;
/// The longest annotation key.
const MAX_ANNOTATION_KEY: usize = 500;

/// Why a span could not be translated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpanRefusal {
    #[error("trace id must be 16 bytes")]
    TraceId,
    #[error("span id must be 8 bytes")]
    SpanId,
    #[error("parent span id must be empty or 8 bytes")]
    ParentId,
    #[error("start time is missing")]
    StartTime,
}

/// What the resource tells every span of it.
pub struct Resource<'a> {
    pub attributes: Attributes<'a>,
}

impl Resource<'_> {
    fn service_name(&self) -> Option<&str> {
        self.attributes.str("service.name").filter(|s| !s.is_empty())
    }

    fn language(&self) -> Option<&str> {
        self.attributes.str("telemetry.sdk.language")
    }

    /// The node type in the service graph, from `cloud.platform` (empty off AWS).
    fn origin(&self) -> Option<&'static str> {
        if self.attributes.is_empty() || self.attributes.str("cloud.provider").is_some_and(|p| p != "aws") {
            return None;
        }
        Some(match self.attributes.str("cloud.platform")? {
            "aws_app_runner" => "AWS::AppRunner::Service",
            "aws_eks" => "AWS::EKS::Container",
            "aws_elastic_beanstalk" => "AWS::ElasticBeanstalk::Environment",
            "aws_ec2" => "AWS::EC2::Instance",
            "aws_lambda" => "AWS::Lambda::Function",
            "aws_ecs" => match self.attributes.str("aws.ecs.launchtype") {
                Some("ec2") => "AWS::ECS::EC2",
                Some("fargate") => "AWS::ECS::Fargate",
                _ => "AWS::ECS::Container",
            },
            _ => return None,
        })
    }
}

/// The document for `span`, as JSON.
pub fn document(resource: &Resource, span: &Span) -> Result<Value, SpanRefusal> {
    let trace: [u8; 16] = span.trace_id.as_slice().try_into().map_err(|_| SpanRefusal::TraceId)?;
    let id: [u8; 8] = span.span_id.as_slice().try_into().map_err(|_| SpanRefusal::SpanId)?;
    let parent = match span.parent_span_id.len() {
        0 => None,
        8 => Some(hex::encode(&span.parent_span_id)),
        _ => return Err(SpanRefusal::ParentId),
    };
    if span.start_time_unix_nano == 0 {
        return Err(SpanRefusal::StartTime);
    }
    let kind = SpanKind::try_from(span.kind).unwrap_or(SpanKind::Unspecified);
    let segment = kind == SpanKind::Server || parent.is_none();
    let mut attrs = Attributes::new(&span.attributes);
    let (name, aws_service) = name(kind, segment, &attrs, resource, &span.name);
    let mut doc = Map::new();
    doc.insert("name".into(), json!(name));
    doc.insert("id".into(), json!(hex::encode(id)));
    doc.insert("trace_id".into(), json!(format!("1-{}-{}", hex::encode(&trace[..4]), hex::encode(&trace[4..]))));
    if let Some(parent) = parent {
        doc.insert("parent_id".into(), json!(parent));
    }
    doc.insert("start_time".into(), json!(seconds(span.start_time_unix_nano)));
    if span.end_time_unix_nano == 0 {
        doc.insert("in_progress".into(), json!(true));
    } else {
        doc.insert("end_time".into(), json!(seconds(span.end_time_unix_nano.max(span.start_time_unix_nano))));
    }
    if segment {
        if let Some(origin) = resource.origin() {
            doc.insert("origin".into(), json!(origin));
        }
    } else {
        doc.insert("type".into(), json!("subsegment"));
        let sdk_call = attrs.str("rpc.system") == Some("aws-api");
        let namespace = if sdk_call || aws_service {
            Some("aws")
        } else if kind == SpanKind::Client
            || (matches!(kind, SpanKind::Producer | SpanKind::Consumer) && attrs.has("aws.remote.service"))
        {
            Some("remote")
        } else {
            None
        };
        if let Some(namespace) = namespace {
            doc.insert("namespace".into(), json!(namespace));
        }
    }
    let code = http::status(&attrs);
    let failed = span.status.as_ref().is_some_and(|s| s.code == StatusCode::Error as i32);
    match code {
        Some(code @ 400..=499) => {
            doc.insert("error".into(), json!(true));
            if code == 429 {
                doc.insert("throttle".into(), json!(true));
            }
        }
        Some(500..=599) => {
            doc.insert("fault".into(), json!(true));
        }
        _ if failed => {
            doc.insert("fault".into(), json!(true));
        }
        _ => {}
    }
    if let Some(block) = http::block(&mut attrs, kind == SpanKind::Server) {
        doc.insert("http".into(), block);
    }
    let remote = matches!(kind, SpanKind::Client | SpanKind::Producer);
    if let Some(cause) = cause::block(span, failed, remote, resource.language()) {
        doc.insert("cause".into(), cause);
    }
    if let Some(aws) = aws_block(&mut attrs, resource) {
        doc.insert("aws".into(), aws);
    }
    if let Some(sql) = sql_block(&mut attrs, &span.name) {
        doc.insert("sql".into(), sql);
    }
    if let Some(user) = attrs.str("enduser.id") {
        doc.insert("user".into(), json!(user));
        attrs.consume(&["enduser.id"]);
    }
    if segment && let Some(version) = resource.attributes.first_str(&["service.version", "container.image.tag"]) {
        doc.insert("service".into(), json!({"version": version}));
    }
    let annotations = annotations(&mut attrs);
    if !annotations.is_empty() {
        doc.insert("annotations".into(), Value::Object(annotations));
    }
    let metadata = metadata(&mut attrs, segment.then_some(resource));
    if !metadata.is_empty() {
        doc.insert("metadata".into(), Value::Object(metadata));
    }
    Ok(Value::Object(doc))
}

fn seconds(unix_nanos: u64) -> f64 {
    // Whole seconds and the fraction apart, so microseconds survive the float.
    (unix_nanos / 1_000_000_000) as f64 + (unix_nanos % 1_000_000_000) as f64 / 1e9
}

/// The document's name, and whether it names an AWS service (`aws.service`), which makes the namespace aws.
fn name(kind: SpanKind, segment: bool, attrs: &Attributes, resource: &Resource, span_name: &str) -> (String, bool) {
    let local_root = attrs.str("aws.span.kind") == Some("LOCAL_ROOT") && kind == SpanKind::Internal;
    let chosen = if kind == SpanKind::Server || local_root { attrs.str("aws.local.service") } else { None };
    let remote = matches!(kind, SpanKind::Client | SpanKind::Producer | SpanKind::Consumer)
        .then(|| attrs.str("aws.remote.service"))
        .flatten()
        .map(|s| s.trim_start_matches("AWS.SDK.").trim_start_matches("AWS::"));
    if let Some(name) = chosen.or(remote).or_else(|| attrs.str("peer.service")) {
        return (sanitize(name), false);
    }
    if let Some(service) = attrs.str("aws.service") {
        return (sanitize(service), true);
    }
    if let Some(database) = database_name(attrs) {
        return (sanitize(&database), false);
    }
    if segment && let Some(service) = resource.service_name() {
        return (sanitize(service), false);
    }
    let fallback = attrs.first_str(&["rpc.service", "http.host", "net.peer.name", "server.address", "db.namespace"]);
    (sanitize(fallback.unwrap_or(span_name)), false)
}

/// `db.name@host` when the connection string names a host (the X-Ray SDKs' convention for SQL).
fn database_name(attrs: &Attributes) -> Option<String> {
    let database = attrs.first_str(&["db.name", "db.namespace"])?;
    let connection = attrs.str("db.connection_string")?;
    let url = connection.strip_prefix("jdbc:").unwrap_or(connection);
    let after_scheme = url.split_once("://")?.1;
    let authority = after_scheme.split(['/', '?']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| format!("{database}@{host}"))
}

/// A name X-Ray accepts: letters, numbers, whitespace and `_ . : / % & # = + - @`, at most 200 bytes.
fn sanitize(name: &str) -> String {
    let kept: String =
        name.chars().filter(|c| c.is_alphanumeric() || *c == ' ' || "_.:/%&#=+-@".contains(*c)).collect();
    let cut = clip(kept.trim(), MAX_NAME);
    if cut.is_empty() { "span".to_owned() } else { cut }
}

/// The `aws` block: account, operation, region, request, queue and table of an AWS call, and the SDK.
fn aws_block(attrs: &mut Attributes, resource: &Resource) -> Option<Value> {
    if resource.attributes.str("cloud.provider").is_some_and(|p| p != "aws") {
        return None;
    }
    let mut aws = Map::new();
    let mut put = |key: &str, value: Option<&str>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            aws.insert(key.into(), json!(value));
        }
    };
    put("account_id", attrs.str("aws.account_id").or_else(|| resource.attributes.str("cloud.account.id")));
    put("operation", attrs.first_str(&["aws.operation", "rpc.method"]).filter(|_| attrs.has("rpc.system")));
    put("region", attrs.str("aws.region"));
    put("request_id", attrs.first_str(&["aws.request_id", "aws.requestId"]));
    put("queue_url", attrs.first_str(&["aws.queue_url", "aws.queue.url", "messaging.url"]));
    let tables = attrs.strings("aws.dynamodb.table_names");
    put(
        "table_name",
        attrs.first_str(&["aws.table_name", "aws.table.name"]).or(match tables.as_slice() {
            [one] => Some(one),
            _ => None,
        }),
    );
    if tables.len() > 1 {
        aws.insert("table_names".into(), json!(tables));
    }
    attrs.consume(&[
        "aws.account_id",
        "aws.operation",
        "aws.region",
        "aws.request_id",
        "aws.requestId",
        "aws.queue_url",
        "aws.queue.url",
        "aws.table_name",
        "aws.table.name",
        "aws.dynamodb.table_names",
    ]);
    if let Some(sdk) = resource.attributes.str("telemetry.sdk.name") {
        let language = resource.language().unwrap_or("");
        let mut xray = json!({"sdk": format!("{sdk} for {language}")});
        if let Some(version) = resource.attributes.str("telemetry.sdk.version") {
            xray["sdk_version"] = json!(version);
        }
        aws.insert("xray".into(), xray);
    }
    (!aws.is_empty()).then_some(Value::Object(aws))
}

/// The `sql` block of a span on a SQL database.
fn sql_block(attrs: &mut Attributes, span_name: &str) -> Option<Value> {
    const SQL: [&str; 11] = [
        "db2",
        "mssql",
        "oracle",
        "derby",
        "hive",
        "mariadb",
        "mysql",
        "other_sql",
        "postgresql",
        "sqlite",
        "teradata",
    ];
    let system = attrs.first_str(&["db.system.name", "db.system"]).filter(|s| SQL.contains(s))?;
    let database = attrs.first_str(&["db.namespace", "db.name"]).unwrap_or("");
    let connection = attrs.str("db.connection_string").unwrap_or("localhost");
    let mut sql = json!({"url": span_name, "database_type": system,
                         "connection_string": format!("{connection}/{database}")});
    if let Some(user) = attrs.str("db.user") {
        sql["user"] = json!(user);
    }
    if let Some(query) = attrs.first_str(&["db.query.text", "db.statement"]) {
        sql["sanitized_query"] = json!(query);
    }
    attrs.consume(&[
        "db.system.name",
        "db.system",
        "db.namespace",
        "db.name",
        "db.connection_string",
        "db.user",
        "db.query.text",
        "db.statement",
    ]);
    Some(sql)
}

/// Attributes named in `aws.xray.annotations` (strings, numbers and booleans), keys made X-Ray's (letters,
/// digits and underscores).
fn annotations(attrs: &mut Attributes) -> Map<String, Value> {
    let wanted: Vec<String> = attrs.strings("aws.xray.annotations").into_iter().map(str::to_owned).collect();
    attrs.consume(&["aws.xray.annotations"]);
    if wanted.is_empty() {
        return Map::new();
    }
    let taken = attrs.take_where(|k| wanted.iter().any(|w| w == k));
    taken
        .into_iter()
        .filter_map(|(key, value)| {
            let value = super::attributes::json(value, 0);
            if !(value.is_string() || value.is_number() || value.is_boolean()) {
                return None;
            }
            let key: String = key.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
            Some((clip(&key, MAX_ANNOTATION_KEY), value))
        })
        .collect()
}

/// `metadata`: the remaining span attributes under `default` (and the resource's, as `otel.resource.<key>`, on
/// segments); a string attribute `aws.xray.metadata.<namespace>` holding a JSON object becomes that namespace.
fn metadata(attrs: &mut Attributes, resource: Option<&Resource>) -> Map<String, Value> {
    let mut metadata = Map::new();
    for (key, value) in attrs.take_where(|k| k.starts_with("aws.xray.metadata.")) {
        let namespace = key.trim_start_matches("aws.xray.metadata.");
        if let Some(Value::Object(map)) = value
            .value
            .as_ref()
            .and_then(|v| match v {
                opentelemetry_proto::tonic::common::v1::any_value::Value::StringValue(s) => Some(s),
                _ => None,
            })
            .and_then(|s| serde_json::from_str::<Value>(s).ok())
            .map(shallow)
        {
            metadata.insert(namespace.to_owned(), Value::Object(map));
        }
    }
    let mut default = attrs.to_json("");
    if let Some(resource) = resource {
        default.extend(resource.attributes.to_json("otel.resource."));
    }
    if !default.is_empty() {
        match metadata.get_mut("default") {
            Some(Value::Object(existing)) => existing.extend(default),
            _ => {
                metadata.insert("default".into(), Value::Object(default));
            }
        }
    }
    metadata
}

/// A JSON value held in an attribute, cut to the depth attribute values are rendered to.
fn shallow(value: Value) -> Value {
    fn cut(value: Value, depth: usize) -> Value {
        match value {
            Value::Array(items) if depth >= super::attributes::MAX_VALUE_DEPTH => {
                Value::String(format!("[{} values]", items.len()))
            }
            Value::Object(map) if depth >= super::attributes::MAX_VALUE_DEPTH => {
                Value::String(format!("{{{} keys}}", map.len()))
            }
            Value::Array(items) => Value::Array(items.into_iter().map(|v| cut(v, depth + 1)).collect()),
            Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, cut(v, depth + 1))).collect()),
            other => other,
        }
    }
    cut(value, 0)
}
