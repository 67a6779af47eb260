//! StartLiveTail: a session over up to 10 log groups (optionally some streams of one group, and a filter pattern)
//! that yields, once a second, the matching events committed since the last update: all of them up to 500, a fair
//! sample of 500 above that, for at most three hours.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use skywatch_logpattern::FilterPattern;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec};
use tokio::sync::{broadcast, watch};
use tokio::time::Instant;

use super::streams::check_stream_name;
use super::{check_group_name, existing_group, parse_pattern, read, spec};
use crate::model::group_from_identifier;
use crate::tail::{self, Hub, Permit, TailBatch};
use crate::{Logs, LogsError, ingest};

/// The most log groups a session tails.
pub const MAX_GROUPS: usize = 10;
/// The most stream names or prefixes a session lists.
pub const MAX_STREAMS: usize = 100;
/// The most events an update carries.
pub const MAX_UPDATE_EVENTS: usize = 500;
/// The most message bytes (plus 26 an event) an update carries: JSON may escape a message to six times its size,
/// and the SDKs refuse an event-stream message over 16 MiB.
pub const MAX_UPDATE_BYTES: usize = 2 * 1024 * 1024;
/// How long a session lasts.
pub const SESSION_LIMIT: Duration = Duration::from_secs(3 * 3600);
/// How often a session updates.
pub const UPDATE_EVERY: Duration = Duration::from_secs(1);
const MAX_IDENTIFIER: usize = 2048;

/// StartLiveTail's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StartLiveTailInput {
    pub log_group_identifiers: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub log_stream_names: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub log_stream_name_prefixes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_event_filter_pattern: Option<String>,
}

/// What a session tails (`sessionStart`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionStart {
    pub request_id: String,
    pub session_id: String,
    pub log_group_identifiers: Vec<String>,
    pub log_stream_names: Vec<String>,
    pub log_stream_name_prefixes: Vec<String>,
    pub log_event_filter_pattern: Option<String>,
}

/// One event of an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TailEvent {
    pub log_stream_name: String,
    /// The group as the session named it (its name or its ARN).
    pub log_group_identifier: String,
    pub message: String,
    pub timestamp: i64,
    pub ingestion_time: i64,
}

/// One second's update (`sessionUpdate`): the matching events in the order they were committed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionUpdate {
    /// More events matched than the update carries (`sessionMetadata.sampled`).
    pub sampled: bool,
    pub events: Vec<TailEvent>,
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LiveTailEnd {
    /// Three hours passed (`SessionTimeoutException`).
    #[error("Session timed out after 3 hours.")]
    Timeout,
    /// The server is shutting down (`SessionStreamingException`).
    #[error("The session was ended because the server is shutting down.")]
    Stopped,
}

impl LiveTailEnd {
    /// The exception's shape name, as the stream carries it.
    pub fn code(self) -> &'static str {
        match self {
            LiveTailEnd::Timeout => "SessionTimeoutException",
            LiveTailEnd::Stopped => "SessionStreamingException",
        }
    }
}

/// Which streams a session takes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Streams {
    All,
    Named(HashSet<String>),
    Prefixed(Vec<String>),
}

/// What a session takes: the groups (by name, with the identifier the caller gave), the streams and the pattern.
#[derive(Debug)]
struct Selection {
    account: String,
    region: String,
    groups: HashMap<String, String>,
    streams: Streams,
    pattern: FilterPattern,
}

impl Selection {
    /// The identifier of the batch's group when the session takes the batch's stream.
    fn wants(&self, batch: &TailBatch) -> Option<&str> {
        if batch.account != self.account || batch.region != self.region {
            return None;
        }
        let identifier = self.groups.get(&batch.group)?;
        let stream = batch.stream.as_str();
        let taken = match &self.streams {
            Streams::All => true,
            Streams::Named(names) => names.contains(stream),
            Streams::Prefixed(prefixes) => prefixes.iter().any(|p| stream.starts_with(p.as_str())),
        };
        taken.then_some(identifier.as_str())
    }
}

/// Checks a list member's item count against the model (1 to `max`).
fn check_count(member: &str, count: usize, max: usize) -> Result<(), LogsError> {
    if count == 0 {
        return Err(LogsError::constraint(member, "[]", "Member must have length greater than or equal to 1"));
    }
    if count > max {
        return Err(LogsError::constraint(
            member,
            "[...]",
            &format!("Member must have length less than or equal to {max}"),
        ));
    }
    Ok(())
}

/// Checks one `logGroupIdentifiers` item against the model: 1 to 2,048 of `[\w#+=/:,.@-]`.
fn check_identifier(member: &str, identifier: &str) -> Result<(), LogsError> {
    if identifier.is_empty() || identifier.len() > MAX_IDENTIFIER {
        return Err(LogsError::constraint(
            member,
            identifier,
            "Member must have length less than or equal to 2048 and greater than or equal to 1",
        ));
    }
    let allowed = |c: char| c.is_alphanumeric() || c == '_' || "#+=/:,.@-".contains(c);
    if !identifier.chars().all(allowed) {
        return Err(LogsError::constraint(
            member,
            identifier,
            "Member must satisfy regular expression pattern: [\\w#+=/:,.@-]*",
        ));
    }
    Ok(())
}

/// Checks the whole request, returning the selection's groups (name to identifier), streams and pattern.
fn check(
    ctx: &Context,
    input: &StartLiveTailInput,
) -> Result<(HashMap<String, String>, Streams, FilterPattern), LogsError> {
    check_count("logGroupIdentifiers", input.log_group_identifiers.len(), MAX_GROUPS)?;
    for (index, identifier) in input.log_group_identifiers.iter().enumerate() {
        check_identifier(&format!("logGroupIdentifiers.{}.member", index + 1), identifier)?;
    }
    for (member, list) in
        [("logStreamNames", &input.log_stream_names), ("logStreamNamePrefixes", &input.log_stream_name_prefixes)]
    {
        if list.is_empty() {
            continue;
        }
        check_count(member, list.len(), MAX_STREAMS)?;
        for (index, name) in list.iter().enumerate() {
            check_stream_name(&format!("{member}.{}.member", index + 1), name)?;
        }
    }
    let pattern_text = input.log_event_filter_pattern.as_deref().unwrap_or("");
    if pattern_text.chars().count() > skywatch_logpattern::MAX_LENGTH {
        return Err(LogsError::constraint(
            "logEventFilterPattern",
            pattern_text,
            "Member must have length less than or equal to 1024",
        ));
    }
    let streams = match (input.log_stream_names.is_empty(), input.log_stream_name_prefixes.is_empty()) {
        (true, true) => Streams::All,
        (false, false) => {
            return Err(LogsError::InvalidParameter(
                "logStreamNames and logStreamNamePrefixes are mutually exclusive parameters.".into(),
            ));
        }
        (false, true) => Streams::Named(input.log_stream_names.iter().cloned().collect()),
        (true, false) => Streams::Prefixed(input.log_stream_name_prefixes.clone()),
    };
    if streams != Streams::All && input.log_group_identifiers.len() != 1 {
        return Err(LogsError::InvalidParameter(
            "logStreamNames and logStreamNamePrefixes can only be specified with exactly one log group identifier."
                .into(),
        ));
    }
    let pattern = parse_pattern(pattern_text)?;
    let mut groups = HashMap::new();
    for identifier in &input.log_group_identifiers {
        let name = group_from_identifier(identifier, &ctx.region, &ctx.account).ok_or_else(LogsError::no_group)?;
        check_group_name("logGroupIdentifiers", name).map_err(|_| LogsError::no_group())?;
        groups.entry(name.to_owned()).or_insert_with(|| identifier.clone());
    }
    Ok((groups, streams, pattern))
}

/// StartLiveTail.
pub struct StartLiveTail;

impl Operation for StartLiveTail {
    const SPEC: Spec = spec("StartLiveTail", Access::Read).with_limits(&[
        Limit::aws("logGroupIdentifiers", MAX_GROUPS as u64),
        Limit::aws("logStreamNames or logStreamNamePrefixes", MAX_STREAMS as u64),
        Limit::aws("logEventFilterPattern characters", 1024),
        Limit::aws("events an update", MAX_UPDATE_EVENTS as u64),
        Limit::aws("concurrent sessions an account", tail::MAX_SESSIONS_PER_ACCOUNT as u64),
        Limit::aws("session seconds", SESSION_LIMIT.as_secs()),
        Limit::own("message bytes an update", MAX_UPDATE_BYTES as u64),
        Limit::own("committed batches a session may fall behind", tail::CHANNEL_BATCHES as u64),
    ]);
    type Engine = Logs;
    type Input = StartLiveTailInput;
    type Output = LiveTailSession;
    type Error = LogsError;

    async fn run(
        logs: &Logs,
        ctx: &Context,
        input: StartLiveTailInput,
    ) -> Result<Effect<LiveTailSession, LogsError>, LogsError> {
        let (groups, streams, pattern) = check(ctx, &input)?;
        let (c, names) = (ctx.clone(), groups.keys().cloned().collect::<Vec<_>>());
        read(logs, move |r| names.iter().try_for_each(|name| existing_group(r, &c, name).map(drop))).await?;
        let permit = Hub::admit(&logs.tail, &ctx.account).ok_or_else(|| {
            LogsError::LimitExceeded(format!(
                "You have exceeded the maximum number of concurrent Live Tail sessions ({}) for this account.",
                tail::MAX_SESSIONS_PER_ACCOUNT
            ))
        })?;
        let start = SessionStart {
            request_id: ctx.request_id.clone(),
            session_id: uuid::Uuid::new_v4().to_string(),
            log_group_identifiers: input.log_group_identifiers,
            log_stream_names: input.log_stream_names,
            log_stream_name_prefixes: input.log_stream_name_prefixes,
            log_event_filter_pattern: input.log_event_filter_pattern,
        };
        let selection =
            Selection { account: ctx.account.clone(), region: ctx.region.clone(), groups, streams, pattern };
        let seed = uuid::Uuid::new_v4().as_u64_pair().0;
        Ok(Effect::reply(LiveTailSession::open(&logs.tail, permit, start, selection, seed)))
    }
}

/// A small, fast generator for sampling (splitmix64); fairness needs no more.
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The events of the second in progress: a uniform sample (reservoir sampling) of at most
/// [`MAX_UPDATE_EVENTS`] of the matching events, trimmed at random to [`MAX_UPDATE_BYTES`].
#[derive(Debug)]
struct Reservoir {
    rng: Rng,
    /// (arrival number, event, its bytes).
    picked: Vec<(u64, TailEvent, usize)>,
    matched: u64,
    bytes: usize,
    /// Something matching was left out for the byte bound, or lost while the session fell behind.
    dropped: bool,
}

impl Reservoir {
    fn new(seed: u64) -> Self {
        Self { rng: Rng(seed), picked: Vec::new(), matched: 0, bytes: 0, dropped: false }
    }

    /// Offers one matching event; `make` builds it only if it is kept.
    fn offer(&mut self, size: usize, make: impl FnOnce() -> TailEvent) {
        let arrival = self.matched;
        self.matched += 1;
        if self.picked.len() < MAX_UPDATE_EVENTS {
            self.picked.push((arrival, make(), size));
        } else {
            let slot = self.rng.below(self.matched) as usize;
            let Some(place) = self.picked.get_mut(slot) else { return };
            self.bytes -= place.2;
            *place = (arrival, make(), size);
        }
        self.bytes += size;
        while self.bytes > MAX_UPDATE_BYTES && !self.picked.is_empty() {
            let slot = self.rng.below(self.picked.len() as u64) as usize;
            let (_, _, size) = self.picked.swap_remove(slot);
            self.bytes -= size;
            self.dropped = true;
        }
    }

    /// The update of the second that ended, and a fresh second.
    fn take(&mut self) -> SessionUpdate {
        let mut picked = std::mem::take(&mut self.picked);
        picked.sort_unstable_by_key(|p| p.0);
        let sampled = self.dropped || self.matched > picked.len() as u64;
        (self.matched, self.bytes, self.dropped) = (0, 0, false);
        SessionUpdate { sampled, events: picked.into_iter().map(|p| p.1).collect() }
    }
}

/// An open Live Tail session. [`LiveTailSession::next_update`] yields an update each second until the session
/// ends; dropping the session closes it (and gives its place in the account's quota back).
#[derive(Debug)]
pub struct LiveTailSession {
    pub session_start: SessionStart,
    selection: Selection,
    batches: broadcast::Receiver<Arc<TailBatch>>,
    stop: watch::Receiver<bool>,
    _permit: Permit,
    reservoir: Reservoir,
    next_tick: Instant,
    ends_at: Instant,
    ended: bool,
}

impl LiveTailSession {
    fn open(hub: &Hub, permit: Permit, session_start: SessionStart, selection: Selection, seed: u64) -> Self {
        let (batches, stop) = hub.subscribe();
        let now = Instant::now();
        Self {
            session_start,
            selection,
            batches,
            stop,
            _permit: permit,
            reservoir: Reservoir::new(seed),
            next_tick: now + UPDATE_EVERY,
            ends_at: now + SESSION_LIMIT,
            ended: false,
        }
    }

    /// Waits for the next one-second tick and returns its update (events may be empty); then, once, why the
    /// session ended (after three hours, or when the server stops); then None. Cancel-safe: events gathered
    /// before a cancelled call go into the next update.
    pub async fn next_update(&mut self) -> Option<Result<SessionUpdate, LiveTailEnd>> {
        if self.ended {
            return None;
        }
        loop {
            if *self.stop.borrow() {
                self.ended = true;
                return Some(Err(LiveTailEnd::Stopped));
            }
            let wake = self.next_tick.min(self.ends_at);
            tokio::select! {
                () = tokio::time::sleep_until(wake) => {
                    if Instant::now() >= self.ends_at {
                        self.ended = true;
                        return Some(Err(LiveTailEnd::Timeout));
                    }
                    self.next_tick += UPDATE_EVERY;
                    let now = Instant::now();
                    if self.next_tick <= now {
                        self.next_tick = now + UPDATE_EVERY;
                    }
                    // What was committed before the tick belongs to this second (at most the channel's batches).
                    loop {
                        match self.batches.try_recv() {
                            Ok(batch) => self.gather(&batch),
                            Err(broadcast::error::TryRecvError::Lagged(_)) => self.reservoir.dropped = true,
                            Err(_) => break,
                        }
                    }
                    return Some(Ok(self.reservoir.take()));
                }
                received = self.batches.recv() => match received {
                    Ok(batch) => self.gather(&batch),
                    Err(broadcast::error::RecvError::Lagged(_)) => self.reservoir.dropped = true,
                    Err(broadcast::error::RecvError::Closed) => {
                        self.ended = true;
                        return Some(Err(LiveTailEnd::Stopped));
                    }
                },
                changed = self.stop.changed() => if changed.is_err() {
                    self.ended = true;
                    return Some(Err(LiveTailEnd::Stopped));
                },
            }
        }
    }

    /// Offers a committed batch's matching events to the second in progress.
    fn gather(&mut self, batch: &TailBatch) {
        let Some(identifier) = self.selection.wants(batch) else { return };
        for event in &batch.events {
            if !self.selection.pattern.matches(&event.message) {
                continue;
            }
            self.reservoir.offer(event.message.len() + ingest::EVENT_OVERHEAD, || TailEvent {
                log_stream_name: batch.stream.clone(),
                log_group_identifier: identifier.to_owned(),
                message: event.message.clone(),
                timestamp: event.timestamp_ms,
                ingestion_time: event.ingestion_ms,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use skywatch_model::Caller;

    use super::*;
    use crate::block::Event;

    const ACCOUNT: &str = "161616161616";
    const REGION: &str = "us-east-1";

    fn ctx() -> Context {
        Context::new(Caller::Anonymous { account: ACCOUNT.into() }, REGION, "request-1", 0)
    }

    fn input(groups: &[&str]) -> StartLiveTailInput {
        StartLiveTailInput {
            log_group_identifiers: groups.iter().map(|g| (*g).to_owned()).collect(),
            ..Default::default()
        }
    }

    fn refusal(input: &StartLiveTailInput) -> String {
        match check(&ctx(), input) {
            Err(error @ (LogsError::InvalidParameter(_) | LogsError::NotFound(_))) => {
                format!("{}: {error}", skywatch_ops::AwsError::code(&error).code)
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    fn session(input: StartLiveTailInput, seed: u64) -> (Arc<Hub>, LiveTailSession) {
        let hub = Arc::new(Hub::new());
        let (groups, streams, pattern) = check(&ctx(), &input).expect("a valid request");
        let selection = Selection { account: ACCOUNT.into(), region: REGION.into(), groups, streams, pattern };
        let permit = Hub::admit(&hub, ACCOUNT).expect("room");
        let session = LiveTailSession::open(&hub, permit, SessionStart::default(), selection, seed);
        (hub, session)
    }

    fn batch(group: &str, stream: &str, messages: &[&str]) -> TailBatch {
        TailBatch {
            account: ACCOUNT.into(),
            region: REGION.into(),
            group: group.into(),
            stream: stream.into(),
            events: messages
                .iter()
                .enumerate()
                .map(|(i, m)| Event { timestamp_ms: i as i64, ingestion_ms: 100, message: (*m).to_owned() })
                .collect(),
        }
    }

    fn messages(update: &SessionUpdate) -> Vec<&str> {
        update.events.iter().map(|e| e.message.as_str()).collect()
    }

    /// The refusals, as a table: (request, the code and words of the refusal).
    #[test]
    fn requests_are_checked_as_cloudwatch_logs_checks_them() {
        let arn = "arn:aws:logs:us-east-1:161616161616:log-group:/app";
        let eleven: Vec<String> = (0..11).map(|i| format!("/g{i}")).collect();
        let many = |f: fn(&mut StartLiveTailInput)| {
            let mut i = input(&["/app"]);
            f(&mut i);
            i
        };
        let cases: Vec<(StartLiveTailInput, &str)> = vec![
            (input(&[]), "logGroupIdentifiers' failed to satisfy constraint: Member must have length greater than"),
            (
                StartLiveTailInput { log_group_identifiers: eleven, ..Default::default() },
                "Member must have length less than or equal to 10",
            ),
            (input(&["/app*"]), "at 'logGroupIdentifiers.1.member' failed to satisfy constraint: Member must satisfy"),
            (input(&[format!("{arn}:*").as_str()]), "Member must satisfy regular expression pattern"),
            (input(&["a".repeat(2049).as_str()]), "Member must have length less than or equal to 2048"),
            (input(&["arn:aws:logs:eu-west-1:161616161616:log-group:/app"]), "The specified log group does not exist."),
            (
                many(|i| {
                    i.log_stream_names = vec!["a".into()];
                    i.log_stream_name_prefixes = vec!["b".into()];
                }),
                "InvalidParameterException: logStreamNames and logStreamNamePrefixes are mutually exclusive",
            ),
            (
                StartLiveTailInput {
                    log_group_identifiers: vec!["/a".into(), "/b".into()],
                    log_stream_name_prefixes: vec!["x".into()],
                    ..Default::default()
                },
                "only be specified with exactly one log group",
            ),
            (many(|i| i.log_stream_names = vec!["a:b".into()]), "at 'logStreamNames.1.member'"),
            (many(|i| i.log_stream_name_prefixes = vec![String::new(); 101]), "less than or equal to 100"),
            (many(|i| i.log_event_filter_pattern = Some("{ $.x = ".into())), "InvalidParameterException"),
            (
                many(|i| i.log_event_filter_pattern = Some("x".repeat(1025))),
                "at 'logEventFilterPattern' failed to satisfy constraint: Member must have length less than or equal to 1024",
            ),
        ];
        for (request, words) in cases {
            let got = refusal(&request);
            assert!(got.contains(words), "{request:?}: {got}");
        }
        assert!(
            check(&ctx(), &input(&["/app", arn, &format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/b")])).is_ok()
        );
    }

    #[test]
    fn an_arn_and_a_name_of_one_group_tail_it_once_under_the_first_identifier() {
        let arn = "arn:aws:logs:us-east-1:161616161616:log-group:/app";
        let (groups, streams, pattern) = check(&ctx(), &input(&[arn, "/app", "/other"])).unwrap();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups.get("/app").map(String::as_str), Some(arn));
        assert_eq!(streams, Streams::All);
        assert!(pattern.matches_everything());
    }

    /// Which batches a session takes: its account, region and groups, and its streams by name or prefix.
    #[test]
    fn sessions_take_their_groups_and_streams_only() {
        let named = StartLiveTailInput { log_stream_names: vec!["web-1".into()], ..input(&["/app"]) };
        let prefixed = StartLiveTailInput { log_stream_name_prefixes: vec!["web".into()], ..input(&["/app"]) };
        let cases: Vec<(StartLiveTailInput, TailBatch, bool)> = vec![
            (input(&["/app"]), batch("/app", "any", &[]), true),
            (input(&["/app"]), batch("/other", "any", &[]), false),
            (input(&["/app"]), TailBatch { account: "2".into(), ..batch("/app", "any", &[]) }, false),
            (input(&["/app"]), TailBatch { region: "eu-west-1".into(), ..batch("/app", "any", &[]) }, false),
            (named.clone(), batch("/app", "web-1", &[]), true),
            (named.clone(), batch("/app", "web-10", &[]), false),
            (prefixed.clone(), batch("/app", "web-10", &[]), true),
            (prefixed, batch("/app", "api-1", &[]), false),
        ];
        for (request, batch, taken) in cases {
            let (_hub, session) = session(request.clone(), 1);
            assert_eq!(session.selection.wants(&batch).is_some(), taken, "{request:?} {batch:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn updates_come_each_second_with_the_matching_events_in_commit_order() {
        let request = StartLiveTailInput { log_event_filter_pattern: Some("ERROR".into()), ..input(&["/app"]) };
        let (hub, mut session) = session(request, 7);
        let started = Instant::now();
        hub.publish(Some(batch("/app", "s1", &["ERROR one", "INFO two", "ERROR three"])));
        hub.publish(Some(batch("/other", "s1", &["ERROR elsewhere"])));
        hub.publish(Some(batch("/app", "s2", &["ERROR four"])));
        let first = session.next_update().await.expect("an update").expect("not ended");
        assert_eq!(started.elapsed(), UPDATE_EVERY);
        assert_eq!(messages(&first), ["ERROR one", "ERROR three", "ERROR four"]);
        assert!(!first.sampled);
        assert_eq!(first.events[2].log_stream_name, "s2");
        assert_eq!(first.events[2].log_group_identifier, "/app");
        assert_eq!((first.events[1].timestamp, first.events[1].ingestion_time), (2, 100));
        let quiet = session.next_update().await.expect("an update").expect("not ended");
        assert_eq!(started.elapsed(), 2 * UPDATE_EVERY);
        assert_eq!(quiet, SessionUpdate::default(), "an empty update each second all the same");
    }

    #[tokio::test(start_paused = true)]
    async fn above_500_events_a_second_an_update_is_a_sample_of_500() {
        let (hub, mut session) = session(input(&["/app"]), 11);
        let texts: Vec<String> = (0..2000).map(|i| format!("event {i:04}")).collect();
        for chunk in texts.chunks(250) {
            let refs: Vec<&str> = chunk.iter().map(String::as_str).collect();
            hub.publish(Some(batch("/app", "s", &refs)));
        }
        let update = session.next_update().await.unwrap().unwrap();
        assert!(update.sampled);
        assert_eq!(update.events.len(), MAX_UPDATE_EVENTS);
        let got = messages(&update);
        assert!(got.windows(2).all(|w| w[0] < w[1]), "in commit order, each once");
        // A fair sample reaches across the whole second, not only its start or its end.
        let quarters: Vec<usize> = (0..4)
            .map(|q| {
                got.iter().filter(|m| (q * 500..(q + 1) * 500).contains(&m[6..].parse::<usize>().unwrap())).count()
            })
            .collect();
        assert!(quarters.iter().all(|&n| (75..=175).contains(&n)), "{quarters:?}");
        hub.publish(Some(batch("/app", "s", &["late"])));
        let next = session.next_update().await.unwrap().unwrap();
        assert_eq!((next.sampled, messages(&next)), (false, vec!["late"]), "each second starts afresh");
    }

    #[test]
    fn every_event_is_as_likely_to_be_kept() {
        // 1,000 events a second over 400 seconds of fixed seeds: each arrival is kept about half the time.
        let mut kept = vec![0u32; 1000];
        for seed in 0..400 {
            let mut reservoir = Reservoir::new(seed);
            for i in 0..1000u64 {
                reservoir.offer(10, || TailEvent {
                    log_stream_name: String::new(),
                    log_group_identifier: String::new(),
                    message: i.to_string(),
                    timestamp: i as i64,
                    ingestion_time: 0,
                });
            }
            for event in reservoir.take().events {
                kept[event.timestamp as usize] += 1;
            }
        }
        let (low, high) = (kept.iter().min().copied().unwrap(), kept.iter().max().copied().unwrap());
        assert!(low >= 140 && high <= 260, "kept between {low} and {high} times of 400");
    }

    #[test]
    fn an_update_stays_within_its_byte_bound() {
        let mut reservoir = Reservoir::new(3);
        let big = "x".repeat(300 * 1024);
        for i in 0..20 {
            reservoir.offer(big.len() + 26, || TailEvent {
                log_stream_name: String::new(),
                log_group_identifier: String::new(),
                message: big.clone(),
                timestamp: i,
                ingestion_time: 0,
            });
        }
        let update = reservoir.take();
        assert!(update.sampled);
        assert_eq!(update.events.len(), MAX_UPDATE_BYTES / (big.len() + 26));
    }

    #[tokio::test(start_paused = true)]
    async fn events_lost_while_falling_behind_make_the_update_sampled() {
        let (hub, mut session) = session(input(&["/app"]), 5);
        for _ in 0..tail::CHANNEL_BATCHES + 5 {
            hub.publish(Some(batch("/app", "s", &["m"])));
        }
        let update = session.next_update().await.unwrap().unwrap();
        assert!(update.sampled);
        assert_eq!(update.events.len(), tail::CHANNEL_BATCHES);
    }

    #[tokio::test(start_paused = true)]
    async fn a_session_times_out_after_three_hours_then_ends() {
        let (_hub, mut session) = session(input(&["/app"]), 5);
        let started = Instant::now();
        let mut updates = 0u64;
        let end = loop {
            match session.next_update().await.expect("ends once") {
                Ok(_) => updates += 1,
                Err(end) => break end,
            }
        };
        assert_eq!(end, LiveTailEnd::Timeout);
        assert_eq!(end.code(), "SessionTimeoutException");
        assert_eq!(started.elapsed(), SESSION_LIMIT);
        assert_eq!(updates, SESSION_LIMIT.as_secs() - 1);
        assert_eq!(session.next_update().await, None);
    }

    #[tokio::test(start_paused = true)]
    async fn stopping_the_hub_ends_sessions_and_dropping_one_frees_its_place() {
        let (hub, mut session) = session(input(&["/app"]), 5);
        assert_eq!(hub.open_sessions(ACCOUNT), 1);
        hub.stop();
        assert_eq!(session.next_update().await, Some(Err(LiveTailEnd::Stopped)));
        assert_eq!(session.next_update().await, None);
        drop(session);
        assert_eq!(hub.open_sessions(ACCOUNT), 0);
        assert!(!hub.watched(), "a dropped session no longer listens");
    }
}
