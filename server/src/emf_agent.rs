//! The CloudWatch agent's embedded metric format endpoint (`--emf-listen`, 127.0.0.1:25888 by default, TCP and UDP),
//! where the EMF client libraries send in agent mode: newline-delimited JSON documents, on TCP over long-lived
//! connections, on UDP one or more a datagram. As the agent does, each document becomes a log event (its time the
//! moment it was received) of the group `_aws.LogGroupName` names (`emf/logs/default` without one) and the stream
//! `_aws.LogStreamName` names (this host's name without one), created when missing; the metrics come from the log
//! events, through PutLogEvents' own embedded metric format extraction. Lines are batched per group and stream into
//! PutLogEvents calls in the agent's account and region (`--emf-account`, `--emf-region`), so they are checked,
//! stored and audited by the same operations as the API's. Lines that are not a JSON object with an `_aws` object
//! are dropped (the agent forwards EMF only). No authentication (the agent has none): keep it on loopback.

use std::collections::BTreeMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::Value;
use skywatch_core::logs::LogsError;
use skywatch_core::logs::ingest::{EVENT_OVERHEAD, InputEvent, MAX_BATCH_BYTES, MAX_EVENTS};
use skywatch_core::logs::model::{valid_group_name, valid_stream_name};
use skywatch_core::logs::ops::{
    CreateLogGroup, CreateLogGroupInput, CreateLogStream, PutLogEvents, PutLogEventsInput, StreamInput,
};
use skywatch_core::model::Caller;
use skywatch_core::ops::{Context, Origin};
use skywatch_core::{Failure, Services};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::sync::{mpsc, watch};

/// The longest line (document) taken; longer ones are dropped whole.
pub const MAX_LINE: usize = 256 * 1024;
/// The largest datagram read.
const MAX_DATAGRAM: usize = 65_536;
/// TCP connections served at once; further clients wait to be accepted.
const MAX_CONNECTIONS: usize = 256;
/// The group of documents that name none (the CloudWatch agent's default).
pub const DEFAULT_GROUP: &str = "emf/logs/default";
/// How long a line waits for its batch to fill.
const FLUSH_EVERY: Duration = Duration::from_millis(100);
/// Lines read from TCP connections waiting for the batcher (at most 256 KiB each); past it, readers wait.
const QUEUED_LINES: usize = 64;
/// Event bytes held in batches not yet sent, over every group and stream; past it, every batch is sent.
const PENDING_BYTES: usize = 4 * 1024 * 1024;
/// Groups and streams with a batch not yet sent; past it, every batch is sent.
const PENDING_STREAMS: usize = 64;
/// Full batches waiting for a call (at most 1 MiB each); past it, reading waits.
const QUEUED_BATCHES: usize = 8;
/// Calls in flight at once.
const IN_FLIGHT: usize = 4;
/// The receive buffer asked for the UDP socket.
const RECEIVE_BUFFER: usize = 4 << 20;

/// The endpoint's settings.
#[derive(Debug, Clone)]
pub struct Agent {
    pub account: String,
    pub region: String,
    /// The stream of documents that name none.
    pub default_stream: String,
}

/// One document, routed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub group: String,
    pub stream: String,
    pub message: String,
    pub received_ms: i64,
}

/// This host's name as a stream name (the agent's default stream outside EC2), or `skywatch`.
pub fn host_stream() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|name| name.trim().to_owned())
        .filter(|name| valid_stream_name(name))
        .unwrap_or_else(|| "skywatch".to_owned())
}

/// The line `bytes` (without its newline) as a log event of its group and stream; None for an empty line, one that
/// is not UTF-8, not a JSON object with an `_aws` object, or that names a group or stream CloudWatch Logs refuses.
pub fn route(bytes: &[u8], default_stream: &str, received_ms: i64) -> Option<Line> {
    /// Only `_aws` is kept; every other member is skipped as it is read.
    #[derive(serde::Deserialize)]
    struct Document {
        #[serde(rename = "_aws")]
        aws: Option<Value>,
    }
    let text = std::str::from_utf8(bytes).ok()?.trim_ascii();
    if !text.starts_with('{') {
        return None;
    }
    let document: Document = serde_json::from_str(text).ok()?;
    let Some(Value::Object(aws)) = document.aws else { return None };
    let name = |member: &str| aws.get(member).and_then(Value::as_str).filter(|name| !name.is_empty());
    let group = name("LogGroupName").unwrap_or(DEFAULT_GROUP);
    let stream = name("LogStreamName").unwrap_or(default_stream);
    (valid_group_name(group) && valid_stream_name(stream)).then(|| Line {
        group: group.to_owned(),
        stream: stream.to_owned(),
        message: text.to_owned(),
        received_ms,
    })
}

/// Binds the endpoint on TCP and UDP. An address given explicitly must bind on both; the default one may be taken
/// (by an agent or another server), and then the server runs without that side.
pub async fn bind(addr: SocketAddr, explicit: bool) -> anyhow::Result<(Option<TcpListener>, Option<UdpSocket>)> {
    let tcp = match TcpListener::bind(addr).await {
        Ok(listener) => Some(listener),
        Err(error) if !explicit => {
            tracing::warn!(%addr, %error, "the EMF agent port is taken on TCP: embedded metrics over TCP are not received");
            None
        }
        Err(error) => {
            return Err(anyhow::Error::new(error).context(format!("cannot listen on the EMF agent port {addr}")));
        }
    };
    let udp = match UdpSocket::bind(addr).await {
        Ok(socket) => {
            if let Err(error) = socket2::SockRef::from(&socket).set_recv_buffer_size(RECEIVE_BUFFER) {
                tracing::debug!(%error, "the EMF socket's receive buffer stays at the system default");
            }
            Some(socket)
        }
        Err(error) if !explicit => {
            tracing::warn!(%addr, %error, "the EMF agent port is taken on UDP: embedded metrics over UDP are not received");
            None
        }
        Err(error) => return Err(anyhow::Error::new(error).context(format!("cannot bind the EMF agent port {addr}"))),
    };
    Ok((tcp, udp))
}

/// Counts dropped lines and says so now and then.
#[derive(Default)]
struct Dropped(AtomicU64);

impl Dropped {
    fn one(&self, why: &'static str) {
        let dropped = self.0.fetch_add(1, Ordering::Relaxed) + 1;
        if dropped.is_power_of_two() {
            tracing::warn!(dropped, why, "lines sent to the EMF agent port were dropped");
        }
    }
}

/// One group and stream's batch not yet sent.
#[derive(Default)]
struct Pending {
    events: Vec<InputEvent>,
    bytes: usize,
}

/// A batch to send: (group, stream, events).
type Batch = (String, String, Vec<InputEvent>);

/// Batches lines per group and stream.
#[derive(Default)]
struct Batcher {
    pending: BTreeMap<(String, String), Pending>,
    bytes: usize,
}

impl Batcher {
    /// Adds a line; returns the batches that are due (a full one, or all when too much is held).
    fn push(&mut self, line: Line) -> Vec<Batch> {
        let mut due = Vec::new();
        let size = line.message.len() + EVENT_OVERHEAD;
        let key = (line.group, line.stream);
        if let Some(pending) = self.pending.get_mut(&key)
            && (pending.events.len() >= MAX_EVENTS || pending.bytes + size > MAX_BATCH_BYTES)
        {
            self.bytes -= pending.bytes;
            let full = std::mem::take(pending);
            due.push((key.0.clone(), key.1.clone(), full.events));
        }
        let pending = self.pending.entry(key).or_default();
        pending.events.push(InputEvent { timestamp_ms: line.received_ms, message: line.message });
        pending.bytes += size;
        self.bytes += size;
        if self.bytes > PENDING_BYTES || self.pending.len() > PENDING_STREAMS {
            due.extend(self.take_all());
        }
        due
    }

    /// Every batch held.
    fn take_all(&mut self) -> Vec<Batch> {
        self.bytes = 0;
        std::mem::take(&mut self.pending)
            .into_iter()
            .filter(|(_, pending)| !pending.events.is_empty())
            .map(|((group, stream), pending)| (group, stream, pending.events))
            .collect()
    }
}

/// Reads newline-delimited documents from one connection until it closes, each line at most [`MAX_LINE`] bytes.
async fn read_lines(connection: TcpStream, lines: mpsc::Sender<Line>, default_stream: Arc<str>, dropped: Arc<Dropped>) {
    let mut reader = BufReader::with_capacity(64 * 1024, connection);
    let mut line: Vec<u8> = Vec::new();
    let mut too_long = false;
    loop {
        let buffer = match reader.fill_buf().await {
            Ok(buffer) if !buffer.is_empty() => buffer,
            _ => break,
        };
        let newline = buffer.iter().position(|b| *b == b'\n');
        let chunk = &buffer[..newline.unwrap_or(buffer.len())];
        if !too_long {
            if line.len() + chunk.len() > MAX_LINE {
                too_long = true;
                line = Vec::new();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        let consumed = newline.map_or(buffer.len(), |at| at + 1);
        reader.consume(consumed);
        if newline.is_some() {
            if too_long {
                dropped.one("longer than 256 KiB");
            } else if !forward(&line, &lines, &default_stream, &dropped).await {
                return;
            }
            too_long = false;
            line.clear();
        }
    }
    // The last line may end without a newline.
    if !too_long && !line.is_empty() {
        forward(&line, &lines, &default_stream, &dropped).await;
    }
}

/// Routes a line and hands it to the batcher; false once the batcher is gone.
async fn forward(bytes: &[u8], lines: &mpsc::Sender<Line>, default_stream: &str, dropped: &Dropped) -> bool {
    if bytes.trim_ascii().is_empty() {
        return true;
    }
    match route(bytes, default_stream, chrono::Utc::now().timestamp_millis()) {
        Some(line) => lines.send(line).await.is_ok(),
        None => {
            dropped.one("not an embedded metric format document");
            true
        }
    }
}

/// Accepts connections until `stopped` changes, at most [`MAX_CONNECTIONS`] at once; they end with it.
async fn accept(
    listener: TcpListener,
    lines: mpsc::Sender<Line>,
    default_stream: Arc<str>,
    dropped: Arc<Dropped>,
    mut stopped: watch::Receiver<bool>,
) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let next = async {
            let slot = Arc::clone(&slots).acquire_owned().await;
            (slot, listener.accept().await)
        };
        tokio::select! {
            _ = stopped.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            (slot, accepted) = next => {
                let (Ok(slot), Ok((connection, _))) = (slot, accepted) else { continue };
                let (lines, default_stream, dropped) = (lines.clone(), Arc::clone(&default_stream), Arc::clone(&dropped));
                connections.spawn(async move {
                    read_lines(connection, lines, default_stream, dropped).await;
                    drop(slot);
                });
            }
        }
    }
    connections.shutdown().await;
}

impl Agent {
    /// The endpoint's settings, its default stream this host's name.
    pub fn new(account: String, region: String) -> Self {
        Self { account, region, default_stream: host_stream() }
    }

    fn context(&self) -> Context {
        Context::new(
            Caller::Anonymous { account: self.account.clone() },
            &self.region,
            uuid::Uuid::new_v4().to_string(),
            chrono::Utc::now().timestamp_millis(),
        )
        .from_origin(Origin { source_ip: "127.0.0.1".into(), user_agent: "skywatch-emf-agent".into() })
    }

    /// Receives until `stop` resolves, then sends what is batched and waits for the calls in flight.
    pub async fn run(
        self,
        tcp: Option<TcpListener>,
        udp: Option<UdpSocket>,
        services: Services,
        stop: impl Future<Output = ()>,
    ) {
        tokio::pin!(stop);
        let agent = Arc::new(self);
        let dropped = Arc::new(Dropped::default());
        let default_stream: Arc<str> = Arc::from(agent.default_stream.as_str());
        // Full batches queue here (bounded); the sender keeps at most IN_FLIGHT calls running.
        let (queue, mut queued) = mpsc::channel::<Batch>(QUEUED_BATCHES);
        let sender = {
            let (agent, services) = (Arc::clone(&agent), services.clone());
            tokio::spawn(async move {
                let mut calls = tokio::task::JoinSet::new();
                while let Some((group, stream, events)) = queued.recv().await {
                    while calls.len() >= IN_FLIGHT {
                        calls.join_next().await;
                    }
                    calls.spawn(send(services.clone(), Arc::clone(&agent), group, stream, events));
                }
                while calls.join_next().await.is_some() {}
            })
        };
        let (lines_sender, mut lines) = mpsc::channel::<Line>(QUEUED_LINES);
        let (stop_accepting, stopped) = watch::channel(false);
        let acceptor = tcp.map(|listener| {
            tokio::spawn(accept(
                listener,
                lines_sender.clone(),
                Arc::clone(&default_stream),
                Arc::clone(&dropped),
                stopped,
            ))
        });
        drop(lines_sender);
        let mut lines_open = acceptor.is_some();
        let mut buffer = vec![0u8; MAX_DATAGRAM];
        let mut batcher = Batcher::default();
        let mut tick = tokio::time::interval(FLUSH_EVERY);
        'receiving: loop {
            let due = tokio::select! {
                () = &mut stop => break,
                received = async { udp.as_ref()?.recv_from(&mut buffer).await.ok() }, if udp.is_some() => {
                    let Some((length, _)) = received else { continue };
                    let now = chrono::Utc::now().timestamp_millis();
                    let mut due = Vec::new();
                    for bytes in buffer[..length].split(|b| *b == b'\n') {
                        if bytes.trim_ascii().is_empty() {
                            continue;
                        }
                        match route(bytes, &default_stream, now) {
                            Some(line) => due.extend(batcher.push(line)),
                            None => dropped.one("not an embedded metric format document"),
                        }
                    }
                    due
                }
                line = lines.recv(), if lines_open => match line {
                    Some(line) => batcher.push(line),
                    None => {
                        lines_open = false;
                        continue;
                    }
                },
                _ = tick.tick() => batcher.take_all(),
            };
            for batch in due {
                if queue.send(batch).await.is_err() {
                    break 'receiving;
                }
            }
        }
        let _ = stop_accepting.send(true);
        if let Some(acceptor) = acceptor {
            let _ = acceptor.await;
        }
        while let Ok(line) = lines.try_recv() {
            for batch in batcher.push(line) {
                let _ = queue.send(batch).await;
            }
        }
        for batch in batcher.take_all() {
            let _ = queue.send(batch).await;
        }
        drop(queue);
        let _ = sender.await;
    }
}

/// Sends one batch with PutLogEvents; when its group or stream is missing, creates them and sends it again.
async fn send(services: Services, agent: Arc<Agent>, group: String, stream: String, mut events: Vec<InputEvent>) {
    // Received times come from the wall clock, which may step back: PutLogEvents wants them in order.
    events.sort_by_key(|event| event.timestamp_ms);
    let input = PutLogEventsInput {
        log_group_name: group.clone(),
        log_stream_name: stream.clone(),
        log_events: events,
        sequence_token: None,
    };
    let missing_group = match services.invoke::<PutLogEvents>(&agent.context(), input.clone()).await {
        Ok(output) => return rejected(&output.rejected, &group),
        Err(Failure::Refused(error @ LogsError::NotFound(_))) => error == LogsError::no_group(),
        Err(failure) => {
            tracing::warn!(%failure, group, stream, "the EMF agent's PutLogEvents failed");
            return;
        }
    };
    if missing_group {
        let create = CreateLogGroupInput { log_group_name: group.clone(), ..Default::default() };
        match services.invoke::<CreateLogGroup>(&agent.context(), create).await {
            Ok(()) | Err(Failure::Refused(LogsError::AlreadyExists(_))) => {}
            Err(failure) => {
                tracing::warn!(%failure, group, "the EMF agent could not create its log group");
                return;
            }
        }
    }
    let create = StreamInput { log_group_name: group.clone(), log_stream_name: stream.clone() };
    match services.invoke::<CreateLogStream>(&agent.context(), create).await {
        Ok(()) | Err(Failure::Refused(LogsError::AlreadyExists(_))) => {}
        Err(failure) => {
            tracing::warn!(%failure, group, stream, "the EMF agent could not create its log stream");
            return;
        }
    }
    match services.invoke::<PutLogEvents>(&agent.context(), input).await {
        Ok(output) => rejected(&output.rejected, &group),
        Err(failure) => tracing::warn!(%failure, group, stream, "the EMF agent's PutLogEvents failed"),
    }
}

fn rejected(rejected: &skywatch_core::logs::ingest::Rejected, group: &str) {
    if !rejected.is_empty() {
        tracing::debug!(?rejected, group, "the EMF agent's events were rejected (too old, expired or too new)");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_go_to_the_group_and_stream_their_metadata_names() {
        let routed = |text: &str| route(text.as_bytes(), "host", 7).map(|line| (line.group, line.stream, line.message));
        let named = r#"{"_aws":{"LogGroupName":"app-metrics","LogStreamName":"web-1","CloudWatchMetrics":[]},"A":1}"#;
        assert_eq!(routed(named), Some(("app-metrics".into(), "web-1".into(), named.into())));
        let unnamed = r#"{"_aws":{"CloudWatchMetrics":[]}}"#;
        assert_eq!(routed(&format!("  {unnamed}\r")), Some((DEFAULT_GROUP.into(), "host".into(), unnamed.into())));
        assert_eq!(routed(r#"{"_aws":{"LogGroupName":""}}"#).map(|r| r.0), Some(DEFAULT_GROUP.into()));
        for dropped in [
            "",
            "plain text",
            r#"{"no":"metadata"}"#,
            r#"{"_aws":"not an object"}"#,
            r#"{"_aws":{"LogGroupName":"bad name!"}}"#,
            r#"{"_aws":{"LogStreamName":"a:b"}}"#,
            r#"{"_aws":{}"#,
        ] {
            assert_eq!(routed(dropped), None, "{dropped}");
        }
        assert_eq!(route(b"{\"_aws\":{}}\xff", "host", 0), None, "not UTF-8");
    }

    #[test]
    fn batches_are_cut_per_group_and_stream_within_putlogevents_bounds() {
        let line = |group: &str, size: usize| Line {
            group: group.into(),
            stream: "s".into(),
            message: "x".repeat(size),
            received_ms: 1,
        };
        let mut batcher = Batcher::default();
        assert!(batcher.push(line("a", 10)).is_empty());
        assert!(batcher.push(line("b", 10)).is_empty());
        // A line that would pass 1 MiB sends its group's batch first.
        let big = MAX_LINE;
        let mut due = Vec::new();
        for _ in 0..4 {
            due.extend(batcher.push(line("a", big)));
        }
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].0, "a");
        assert!(due[0].2.iter().map(|e| e.message.len() + EVENT_OVERHEAD).sum::<usize>() <= MAX_BATCH_BYTES);
        let rest = batcher.take_all();
        assert_eq!(rest.iter().map(|b| b.0.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert!(batcher.take_all().is_empty());
        // Too many streams held at once: everything is sent.
        let mut batcher = Batcher::default();
        let due: Vec<Batch> = (0..=PENDING_STREAMS).flat_map(|i| batcher.push(line(&format!("g{i}"), 1))).collect();
        assert_eq!(due.len(), PENDING_STREAMS + 1);
    }
}
