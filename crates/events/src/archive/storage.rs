//! Where archives and replays live: archives (`events_archives_v1`), their events (`events_archived_v1`, under the
//! archive's incarnation id, by the time each was taken), deleted incarnations still to sweep
//! (`events_archive_orphans_v1`) and replays (`events_replays_v1`).

use std::ops::ControlFlow;

use skywatch_store::{Change, Direction, Key, KeyReader, Mutation, ReadError, Reader, Table, Tx, WriteError};

use super::{Archive, Replay, ReplayState};
use crate::storage::{bump, json, page};

/// (account, region, name) -> [`Archive`] (JSON).
pub const ARCHIVES: Table = Table::new("events_archives_v1");
/// (archive id, time ms, event id) -> the event's JSON text.
pub const ARCHIVED: Table = Table::new("events_archived_v1");
/// (archive id) -> nothing: a deleted archive whose events are still to sweep.
pub const ORPHANS: Table = Table::new("events_archive_orphans_v1");
/// (account, region, name) -> [`Replay`] (JSON).
pub const REPLAYS: Table = Table::new("events_replays_v1");

fn scoped(account: &str, region: &str, name: &str) -> Key {
    Key::new().str(account).str(region).str(name)
}

/// The key of an archived event.
pub fn archived_key(archive_id: u64, time_ms: i64, id: u64) -> Key {
    Key::new().u64(archive_id).i64(time_ms).u64(id)
}

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, ReadError> {
    serde_json::from_slice(bytes).map_err(|_| ReadError::Corrupt(what.to_owned()))
}

/// A change to archives and replays.
#[derive(Debug, Clone)]
pub enum ArchiveChange {
    /// Creates or replaces an archive (its bus's routes are compiled again).
    Put {
        account: String,
        region: String,
        archive: Box<Archive>,
    },
    /// Deletes an archive; its events are swept later.
    Delete {
        account: String,
        region: String,
        name: String,
    },
    /// Keeps an event in archive `name` (if it is still incarnation `archive_id`).
    Append {
        account: String,
        region: String,
        name: String,
        archive_id: u64,
        time_ms: i64,
        id: u64,
        event: String,
    },
    /// Drops archived events (retention, sweeping) and takes them off the archive's counts.
    Drop {
        account: String,
        region: String,
        name: Option<String>,
        keys: Vec<(Vec<u8>, u64)>,
    },
    /// Sweeping of an orphan is done.
    Swept {
        archive_id: u64,
    },
    PutReplay {
        account: String,
        region: String,
        replay: Box<Replay>,
    },
    /// Moves a replay on, if it is still in `expected` (a chunk's progress, a cancel, the end), with the
    /// deliveries of the chunk.
    Advance {
        account: String,
        region: String,
        replay: Box<Replay>,
        expected: ReplayState,
        deliveries: Vec<Mutation>,
    },
}

impl ArchiveChange {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

fn read_archive(tx: &mut Tx<'_>, key: &Key) -> Result<Option<Archive>, WriteError> {
    Ok(tx.get(ARCHIVES, key.as_bytes())?.and_then(|b| serde_json::from_slice(&b).ok()))
}

impl Change for ArchiveChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        match self {
            ArchiveChange::Put { account, region, archive } => {
                bump(tx, (account, region, &archive.bus))?;
                tx.put(ARCHIVES, scoped(account, region, &archive.name).as_bytes(), &json(archive)?)
            }
            ArchiveChange::Delete { account, region, name } => {
                let key = scoped(account, region, name);
                let Some(archive) = read_archive(tx, &key)? else { return Ok(()) };
                bump(tx, (account, region, &archive.bus))?;
                tx.put(ORPHANS, Key::new().u64(archive.id).as_bytes(), &[])?;
                tx.remove(ARCHIVES, key.as_bytes())
            }
            ArchiveChange::Append { account, region, name, archive_id, time_ms, id, event } => {
                let key = scoped(account, region, name);
                let Some(mut archive) = read_archive(tx, &key)? else { return Ok(()) };
                if archive.id != *archive_id {
                    return Ok(());
                }
                tx.put(ARCHIVED, archived_key(*archive_id, *time_ms, *id).as_bytes(), event.as_bytes())?;
                archive.event_count += 1;
                archive.size_bytes += event.len() as u64;
                tx.put(ARCHIVES, key.as_bytes(), &json(&archive)?)
            }
            ArchiveChange::Drop { account, region, name, keys } => {
                for (key, _) in keys {
                    tx.remove(ARCHIVED, key)?;
                }
                let Some(name) = name else { return Ok(()) };
                let key = scoped(account, region, name);
                let Some(mut archive) = read_archive(tx, &key)? else { return Ok(()) };
                archive.event_count = archive.event_count.saturating_sub(keys.len() as u64);
                archive.size_bytes = archive.size_bytes.saturating_sub(keys.iter().map(|(_, size)| size).sum());
                tx.put(ARCHIVES, key.as_bytes(), &json(&archive)?)
            }
            ArchiveChange::Swept { archive_id } => tx.remove(ORPHANS, Key::new().u64(*archive_id).as_bytes()),
            ArchiveChange::PutReplay { account, region, replay } => {
                tx.put(REPLAYS, scoped(account, region, &replay.name).as_bytes(), &json(replay)?)
            }
            ArchiveChange::Advance { account, region, replay, expected, deliveries } => {
                let key = scoped(account, region, &replay.name);
                let current: Option<Replay> =
                    tx.get(REPLAYS, key.as_bytes())?.and_then(|b| serde_json::from_slice(&b).ok());
                if current.map(|r| r.state) != Some(*expected) {
                    return Ok(());
                }
                tx.put(REPLAYS, key.as_bytes(), &json(replay)?)?;
                for delivery in deliveries {
                    delivery.apply(tx)?;
                }
                Ok(())
            }
        }
    }
}

/// Archive `name`.
pub fn archive(reader: &Reader, account: &str, region: &str, name: &str) -> Result<Option<Archive>, ReadError> {
    reader.get(ARCHIVES, scoped(account, region, name).as_bytes())?.map(|b| decode(&b, "archive")).transpose()
}

/// The archives of (`account`, `region`) by name: those starting with `prefix`, after `after`, up to `limit`.
pub fn archives(
    reader: &Reader,
    (account, region): (&str, &str),
    prefix: &str,
    after: Option<&str>,
    limit: usize,
) -> Result<Vec<Archive>, ReadError> {
    page(reader, ARCHIVES, Key::new().str(account).str(region), prefix, after, limit)
}

/// Every archive of every account, up to `limit` (the retention pass).
pub fn all_archives(reader: &Reader, limit: usize) -> Result<Vec<(String, String, Archive)>, ReadError> {
    let mut out = Vec::new();
    reader.scan(ARCHIVES, (None, None), Direction::Forward, |key, value| {
        let mut parts = KeyReader::new(key);
        if let (Some(account), Some(region), Ok(archive)) = (parts.str(), parts.str(), serde_json::from_slice(value)) {
            out.push((account, region, archive));
        }
        if out.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    Ok(out)
}

/// The archives of `bus` (matched with its rules).
pub fn bus_archives(reader: &Reader, account: &str, region: &str, bus: &str) -> Result<Vec<Archive>, ReadError> {
    Ok(archives(reader, (account, region), "", None, usize::MAX)?.into_iter().filter(|a| a.bus == bus).collect())
}

/// Replay `name`.
pub fn replay(reader: &Reader, account: &str, region: &str, name: &str) -> Result<Option<Replay>, ReadError> {
    reader.get(REPLAYS, scoped(account, region, name).as_bytes())?.map(|b| decode(&b, "replay")).transpose()
}

/// The replays of (`account`, `region`) by name: those starting with `prefix`, after `after`, up to `limit`.
pub fn replays(
    reader: &Reader,
    (account, region): (&str, &str),
    prefix: &str,
    after: Option<&str>,
    limit: usize,
) -> Result<Vec<Replay>, ReadError> {
    page(reader, REPLAYS, Key::new().str(account).str(region), prefix, after, limit)
}

/// Every active replay, up to `limit`, with its account and region.
pub fn active_replays(reader: &Reader, limit: usize) -> Result<Vec<(String, String, Replay)>, ReadError> {
    let mut out = Vec::new();
    reader.scan(REPLAYS, (None, None), Direction::Forward, |key, value| {
        let mut parts = KeyReader::new(key);
        if let (Some(account), Some(region), Ok(replay)) =
            (parts.str(), parts.str(), serde_json::from_slice::<Replay>(value))
            && replay.state.is_active()
        {
            out.push((account, region, replay));
        }
        if out.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    Ok(out)
}

/// Up to `limit` events of archive `archive_id` taken in [`from`, `to`), after `cursor`: (time, id, text).
pub fn archived(
    reader: &Reader,
    archive_id: u64,
    (from_ms, to_ms): (i64, i64),
    cursor: Option<(i64, u64)>,
    limit: usize,
) -> Result<Vec<(i64, u64, String)>, ReadError> {
    let start = match cursor {
        Some((time, id)) => archived_key(archive_id, time, id.saturating_add(1)),
        None => Key::new().u64(archive_id).i64(from_ms),
    };
    let end = Key::new().u64(archive_id).i64(to_ms);
    let mut out = Vec::new();
    reader.scan(ARCHIVED, (Some(start.as_bytes()), Some(end.as_bytes())), Direction::Forward, |key, value| {
        let mut parts = KeyReader::new(key);
        if let (Some(_), Some(time), Some(id)) = (parts.u64(), parts.i64(), parts.u64()) {
            out.push((time, id, String::from_utf8_lossy(value).into_owned()));
        }
        if out.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    Ok(out)
}

/// Up to `limit` keys (with their sizes) of archive `archive_id`'s events taken before `before_ms`.
pub fn archived_before(
    reader: &Reader,
    archive_id: u64,
    before_ms: i64,
    limit: usize,
) -> Result<Vec<(Vec<u8>, u64)>, ReadError> {
    let (start, end) = (Key::new().u64(archive_id), Key::new().u64(archive_id).i64(before_ms));
    let mut out = Vec::new();
    reader.scan(ARCHIVED, (Some(start.as_bytes()), Some(end.as_bytes())), Direction::Forward, |key, value| {
        out.push((key.to_vec(), value.len() as u64));
        if out.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    Ok(out)
}

/// Deleted archives' ids still to sweep, up to `limit`.
pub fn orphans(reader: &Reader, limit: usize) -> Result<Vec<u64>, ReadError> {
    let mut out = Vec::new();
    reader.scan(ORPHANS, (None, None), Direction::Forward, |key, _| {
        if let Some(id) = KeyReader::new(key).u64() {
            out.push(id);
        }
        if out.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    Ok(out)
}
