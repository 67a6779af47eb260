//! X-Ray segment loads: documents as an X-Ray SDK sends them (a service segment and the downstream segment it
//! called, with HTTP, an annotation and a remote subsegment), each trace id unique to its request. Bodies are
//! built once as templates and only the trace ids' counter digits are written per request, so the client stays
//! cheap. `udp` blasts the daemon port's datagrams and counts what the kernel dropped.

use std::time::{Duration, Instant};

/// Hex digits of the per-request counter inside each trace id.
const COUNTER_DIGITS: usize = 10;
/// `1-<epoch 8 hex>-<worker 6 hex>`, the part of a trace id before the counter.
const PREFIX_LEN: usize = 2 + 8 + 1 + 6;
/// The daemon protocol's header line.
const DAEMON_HEADER: &[u8] = b"{\"format\":\"json\",\"version\":1}\n";

/// A batch of documents with the places each trace id's counter goes.
pub struct Template {
    bytes: Vec<u8>,
    /// Offsets of every trace id's counter digits, and the offsets of each document (for datagrams).
    counters: Vec<usize>,
    documents: Vec<(usize, usize)>,
}

impl Template {
    /// `docs` documents (an even number: two a trace) for `worker`, as a PutTraceSegments body when `api`.
    pub fn new(worker: usize, docs: usize, api: bool) -> Self {
        let epoch = chrono::Utc::now().timestamp();
        let mut bytes = Vec::with_capacity(docs * 520);
        let mut counters = Vec::new();
        let mut documents = Vec::new();
        if api {
            bytes.extend_from_slice(b"{\"TraceSegmentDocuments\":[");
        }
        let start = epoch as f64;
        for i in 0..docs {
            if api && i > 0 {
                bytes.push(b',');
            }
            let trace = i / 2;
            let upstream = i % 2 == 0;
            let (name, id, parent, call) = if upstream {
                ("load-frontend", 2 * trace + 1, None, Some(2 * trace + 0x4000_0000))
            } else {
                ("load-backend", 2 * trace + 2, Some(2 * trace + 0x4000_0000), None)
            };
            // Trace ids: 1-<epoch>-<worker 6 hex><counter 10 hex><trace 8 hex>.
            let prefix = format!("1-{epoch:08x}-{worker:06x}");
            let mut doc = format!(
                "{{\"name\":\"{name}\",\"id\":\"{id:016x}\",\"trace_id\":\"{prefix}{}{trace:08x}\",\
                 \"start_time\":{start:.3},\"end_time\":{:.3},\"origin\":\"AWS::EC2::Instance\",\
                 \"http\":{{\"request\":{{\"method\":\"GET\",\"url\":\"http://{name}.internal/items/{trace}\",\
                 \"client_ip\":\"10.0.0.7\",\"user_agent\":\"load/1.0\"}},\"response\":{{\"status\":200}}}},\
                 \"annotations\":{{\"worker\":{worker}}},\"aws\":{{\"xray\":{{\"sdk\":\"X-Ray for Python\"}}}}",
                "0".repeat(COUNTER_DIGITS),
                start + 0.05,
            );
            if let Some(parent) = parent {
                doc.push_str(&format!(",\"parent_id\":\"{parent:016x}\""));
            }
            if let Some(call) = call {
                doc.push_str(&format!(
                    ",\"subsegments\":[{{\"name\":\"load-backend\",\"id\":\"{call:016x}\",\"start_time\":{start:.3},\
                     \"end_time\":{:.3},\"namespace\":\"remote\",\"http\":{{\"request\":{{\"method\":\"GET\"}},\
                     \"response\":{{\"status\":200}}}}}}]",
                    start + 0.04
                ));
            }
            doc.push('}');
            let begin = bytes.len();
            let json = if api { serde_json::Value::String(doc.clone()).to_string() } else { doc.clone() };
            let marker = format!("{prefix}{}", "0".repeat(COUNTER_DIGITS));
            let at = json.find(&marker).expect("the trace id is in the document") + prefix.len();
            counters.push(begin + at);
            bytes.extend_from_slice(json.as_bytes());
            documents.push((begin, bytes.len()));
        }
        if api {
            bytes.extend_from_slice(b"]}");
        }
        Self { bytes, counters, documents }
    }

    /// The template with `counter` written into every trace id.
    pub fn render(&self, counter: u64) -> Vec<u8> {
        let mut out = self.bytes.clone();
        let digits = format!("{:0width$x}", counter % 16u64.pow(COUNTER_DIGITS as u32), width = COUNTER_DIGITS);
        for at in &self.counters {
            out[*at..*at + COUNTER_DIGITS].copy_from_slice(digits.as_bytes());
        }
        out
    }

    /// A trace id the render for `counter` holds (its first), to look it up afterwards.
    pub fn trace_id(&self, rendered: &[u8]) -> Option<String> {
        let at = *self.counters.first()?;
        let id = rendered.get(at.checked_sub(PREFIX_LEN)?..at + COUNTER_DIGITS + 8)?;
        std::str::from_utf8(id).ok().map(str::to_owned)
    }

    /// Each document of a render as a daemon datagram.
    pub fn datagrams<'a>(&'a self, rendered: &'a [u8]) -> impl Iterator<Item = Vec<u8>> + 'a {
        self.documents.iter().map(move |(begin, end)| [DAEMON_HEADER, &rendered[*begin..*end]].concat())
    }
}

/// What a UDP worker did.
#[derive(Default)]
pub struct UdpResult {
    pub datagrams: u64,
    pub send_errors: u64,
    pub samples: Vec<String>,
}

/// Sends datagrams to `target` until `deadline`, at most `rate` a second (0: as fast as it can).
pub async fn udp_worker(
    target: std::net::SocketAddr,
    template: std::sync::Arc<Template>,
    deadline: Instant,
    rate: u64,
) -> UdpResult {
    let mut result = UdpResult::default();
    let Ok(socket) = tokio::net::UdpSocket::bind("127.0.0.1:0").await else {
        result.send_errors += 1;
        return result;
    };
    let started = Instant::now();
    let mut counter = 0u64;
    while Instant::now() < deadline {
        let rendered = template.render(counter);
        if counter.is_multiple_of(16)
            && let Some(id) = template.trace_id(&rendered)
        {
            result.samples.push(id);
        }
        counter += 1;
        for datagram in template.datagrams(&rendered) {
            match socket.send_to(&datagram, target).await {
                Ok(_) => result.datagrams += 1,
                Err(_) => result.send_errors += 1,
            }
        }
        if rate > 0 {
            let due = Duration::from_secs_f64(result.datagrams as f64 / rate as f64);
            if let Some(wait) = due.checked_sub(started.elapsed()) {
                tokio::time::sleep(wait).await;
            }
        } else {
            tokio::task::yield_now().await;
        }
    }
    result
}

/// The kernel's count of UDP datagrams dropped for a full receive buffer (`/proc/net/snmp`, `RcvbufErrors`).
pub fn udp_receive_drops() -> Option<u64> {
    let snmp = std::fs::read_to_string("/proc/net/snmp").ok()?;
    let mut lines = snmp.lines().filter(|l| l.starts_with("Udp:"));
    let names: Vec<&str> = lines.next()?.split_whitespace().collect();
    let values: Vec<&str> = lines.next()?.split_whitespace().collect();
    let at = names.iter().position(|n| *n == "RcvbufErrors")?;
    values.get(at)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_hold_unique_valid_trace_ids() {
        let template = Template::new(3, 4, true);
        let a = template.render(1);
        let b = template.render(2);
        let body: serde_json::Value = serde_json::from_slice(&a).unwrap();
        let docs = body["TraceSegmentDocuments"].as_array().unwrap();
        assert_eq!(docs.len(), 4);
        let first: serde_json::Value = serde_json::from_str(docs[0].as_str().unwrap()).unwrap();
        let id = template.trace_id(&a).unwrap();
        assert_eq!(first["trace_id"], id.as_str());
        assert_ne!(template.trace_id(&b), Some(id));
        let udp = Template::new(3, 2, false);
        let rendered = udp.render(9);
        let datagrams: Vec<Vec<u8>> = udp.datagrams(&rendered).collect();
        assert_eq!(datagrams.len(), 2);
        let text = String::from_utf8(datagrams[1].clone()).unwrap();
        let (_, doc) = text.split_once('\n').unwrap();
        let doc: serde_json::Value = serde_json::from_str(doc).unwrap();
        assert_eq!(doc["parent_id"], format!("{:016x}", 0x4000_0000u64));
    }
}
