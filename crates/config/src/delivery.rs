//! The delivery channel's files: configuration history files (every item captured since the last delivery,
//! one file a resource type) and configuration snapshots (every resource's current item), gzip JSON in AWS
//! Config's layout under the channel's bucket, which is a directory of Skywatch's:
//! `<buckets>/<bucket>/<prefix>/AWSLogs/<account>/Config/<region>/<yyyy>/<m>/<d>/ConfigHistory/...json.gz`.
//! A delivery writes its files, then commits the channel's status; a crash between the two writes the same
//! window again (at least once, never lost).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Utc};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::{Value, json};
use skywatch_store::{ReadError, Reader};

use crate::model::{DeliveryChannel, DeliveryInfo, Item};
use crate::storage;

/// Items one history delivery writes at most (the rest go in the next).
pub const HISTORY_ITEMS_A_DELIVERY: usize = 50_000;
/// Resources one snapshot holds at most.
pub const SNAPSHOT_RESOURCES: usize = 100_000;

/// One file to write.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    pub path: PathBuf,
    pub document: Value,
}

fn stamp(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default().format("%Y%m%dT%H%M%SZ").to_string()
}

/// The directory of one day's files of `kind` (`ConfigHistory` or `ConfigSnapshot`).
pub fn day_dir(channel: &DeliveryChannel, (account, region): (&str, &str), ms: i64, kind: &str) -> PathBuf {
    let day = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
    let mut dir = PathBuf::from(&channel.bucket);
    if let Some(prefix) = channel.key_prefix.as_deref().filter(|p| !p.is_empty()) {
        dir.push(prefix);
    }
    dir.push(format!("AWSLogs/{account}/Config/{region}/{}/{}/{}/{kind}", day.year(), day.month(), day.day()));
    dir
}

/// An item as history and snapshot files hold it (the API's shape with `configuration` as an object and
/// AWS Config's file member names).
pub fn file_item(item: &Item) -> Value {
    let mut document = item.document(false);
    if let Some(object) = document.as_object_mut() {
        object.insert("configurationItemVersion".into(), json!(item.version));
        object.insert("relatedEvents".into(), json!(item.related_events));
        object.insert("awsAccountId".into(), json!(item.account_id));
        object.insert("ARN".into(), json!(item.arn));
        object.remove("arn");
        object.remove("accountId");
        object.remove("version");
    }
    document
}

/// The history files for the items captured in `(after, until]`: one a resource type, as AWS writes them.
pub fn history_files(
    reader: &Reader,
    channel: &DeliveryChannel,
    scope: (&str, &str),
    (after, until): (i64, i64),
) -> Result<(Vec<File>, i64), ReadError> {
    let items = storage::items_between(reader, scope, (after, until), HISTORY_ITEMS_A_DELIVERY)?;
    // When the window held more than one delivery takes, the next one starts after the last item written.
    let reached =
        if items.len() >= HISTORY_ITEMS_A_DELIVERY { items.last().map_or(until, |i| i.capture_ms) } else { until };
    let mut by_type: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for item in &items {
        by_type.entry(&item.resource_type).or_default().push(file_item(item));
    }
    let (account, region) = scope;
    let files = by_type
        .into_iter()
        .enumerate()
        .map(|(n, (resource_type, items))| File {
            path: day_dir(channel, scope, reached, "ConfigHistory").join(format!(
                "{account}_Config_{region}_ConfigHistory_{}_{}_{}_{}.json.gz",
                resource_type.replace("::", "_"),
                stamp(after.max(0)),
                stamp(reached),
                n + 1
            )),
            document: json!({"fileVersion": "1.0", "configurationItems": items}),
        })
        .collect();
    Ok((files, reached))
}

/// A snapshot of every resource's current item.
pub fn snapshot_file(
    reader: &Reader,
    channel: &DeliveryChannel,
    scope: (&str, &str),
    now_ms: i64,
    snapshot_id: &str,
) -> Result<File, ReadError> {
    let resources = storage::resources(reader, scope, None, None, SNAPSHOT_RESOURCES, |r| r.deleted_ms.is_none())?;
    let mut items = Vec::with_capacity(resources.len());
    for resource in resources {
        if let Some(item) = storage::latest(reader, scope, &resource.resource_type, &resource.resource_id)? {
            items.push(file_item(&item));
        }
    }
    let (account, region) = scope;
    Ok(File {
        path: day_dir(channel, scope, now_ms, "ConfigSnapshot")
            .join(format!("{account}_Config_{region}_ConfigSnapshot_{}_{snapshot_id}.json.gz", stamp(now_ms))),
        document: json!({"fileVersion": "1.0", "configSnapshotId": snapshot_id, "configurationItems": items}),
    })
}

/// Writes `files` under `buckets` (gzip, synced). Blocking.
pub fn write(buckets: &Path, files: &[File]) -> std::io::Result<()> {
    for file in files {
        let path = buckets.join(&file.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let partial = path.with_extension("partial");
        let mut encoder = GzEncoder::new(std::fs::File::create(&partial)?, Compression::default());
        serde_json::to_writer(&mut encoder, &file.document).map_err(std::io::Error::other)?;
        let out = encoder.finish()?;
        out.sync_all()?;
        drop(out);
        std::fs::rename(&partial, &path)?;
    }
    Ok(())
}

/// The status after an attempt at `now_ms`.
pub fn attempted(info: &DeliveryInfo, now_ms: i64, outcome: &Result<(), String>, next_ms: Option<i64>) -> DeliveryInfo {
    match outcome {
        Ok(()) => DeliveryInfo {
            last_status: Some("Success".into()),
            last_error: None,
            last_attempt_ms: Some(now_ms),
            last_success_ms: Some(now_ms),
            next_ms,
            cursor_ms: info.cursor_ms,
        },
        Err(message) => DeliveryInfo {
            last_status: Some("Failure".into()),
            last_error: Some(("InternalError".into(), message.clone())),
            last_attempt_ms: Some(now_ms),
            last_success_ms: info.last_success_ms,
            next_ms,
            cursor_ms: info.cursor_ms,
        },
    }
}

/// One channel's due delivery: its files and how its status changes.
#[derive(Debug, Clone)]
pub struct Due {
    pub scope: (String, String),
    pub channel: DeliveryChannel,
    pub files: Vec<File>,
    /// The history cursor this delivery reaches, when it delivers history.
    history_reached: Option<i64>,
    snapshot: bool,
}

impl Due {
    /// The channel's status once the files were (or were not) written.
    pub fn settle(
        &self,
        now_ms: i64,
        outcome: &Result<(), String>,
        history_every_ms: i64,
    ) -> crate::storage::RecorderChange {
        let mut status = self.channel.status.clone();
        if let Some(reached) = self.history_reached {
            status.history = attempted(&status.history, now_ms, outcome, Some(now_ms.saturating_add(history_every_ms)));
            if outcome.is_ok() {
                status.history.cursor_ms = Some(reached);
            }
        }
        if self.snapshot {
            let next = self
                .channel
                .snapshot_frequency
                .as_deref()
                .and_then(crate::ops::frequency_ms)
                .map(|f| now_ms.saturating_add(f));
            status.snapshot = attempted(&status.snapshot, now_ms, outcome, next);
            if outcome.is_ok() {
                status.requested_snapshot = None;
            }
        }
        crate::storage::RecorderChange::ChannelStatus {
            account: self.scope.0.clone(),
            region: self.scope.1.clone(),
            name: self.channel.name.clone(),
            status: Box::new(status),
        }
    }
}

/// The deliveries due at `now_ms`: history once `history_every_ms` passed since the last (counted from when the
/// recorder started), a snapshot when one was asked for or its frequency came round. Only recording recorders'
/// channels deliver.
pub fn plan(reader: &Reader, now_ms: i64, history_every_ms: i64) -> Result<Vec<Due>, ReadError> {
    let mut due = Vec::new();
    for (account, region, channel) in storage::all_channels(reader)? {
        let scope = (account.as_str(), region.as_str());
        let Some(recorder) = storage::recorders(reader, scope.0, scope.1)?.into_iter().next() else { continue };
        if !recorder.status.recording {
            continue;
        }
        let mut files = Vec::new();
        let cursor = channel.status.history.cursor_ms.or(recorder.status.last_start_ms).unwrap_or(now_ms);
        let history_reached = if now_ms.saturating_sub(cursor) >= history_every_ms {
            let (history, reached) = history_files(reader, &channel, scope, (cursor, now_ms))?;
            files.extend(history);
            Some(reached)
        } else {
            None
        };
        let frequency_due =
            channel.snapshot_frequency.is_some() && channel.status.snapshot.next_ms.is_none_or(|next| next <= now_ms);
        let snapshot = channel.status.requested_snapshot.is_some() || frequency_due;
        if snapshot {
            let id = channel.status.requested_snapshot.clone().unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
            files.push(snapshot_file(reader, &channel, scope, now_ms, &id)?);
        }
        if history_reached.is_some() || snapshot {
            due.push(Due { scope: (account.clone(), region.clone()), channel, files, history_reached, snapshot });
        }
    }
    Ok(due)
}
