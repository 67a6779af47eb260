//! A span's exceptions as the document's `cause`: one exception per `exception` event (type, message, and the
//! stack parsed from `exception.stacktrace` for Python and Java, innermost frame first, chained exceptions
//! linked by `cause`), or the span status's message when the span failed without an event.

use opentelemetry_proto::tonic::trace::v1::Span;
use serde_json::{Value, json};

use super::attributes::Attributes;

/// Exceptions kept per span.
const MAX_EXCEPTIONS: usize = 16;
/// Frames kept per exception.
const MAX_FRAMES: usize = 64;

/// The `cause` block, or `None` when there is nothing to say. `remote` marks exceptions a call to another
/// service raised (client and producer spans); `language` is the resource's `telemetry.sdk.language`.
pub fn block(span: &Span, failed: bool, remote: bool, language: Option<&str>) -> Option<Value> {
    let mut ids = ExceptionIds::new(&span.span_id);
    let mut exceptions = Vec::new();
    for event in span.events.iter().filter(|e| e.name == "exception") {
        if exceptions.len() >= MAX_EXCEPTIONS {
            break;
        }
        let attrs = Attributes::new(&event.attributes);
        let kind = attrs.str("exception.type").unwrap_or("");
        let message = attrs.str("exception.message").unwrap_or("");
        let trace = attrs.str("exception.stacktrace").unwrap_or("");
        let chain = match language {
            Some("python") => python(trace),
            Some("java") => java(trace),
            _ => Vec::new(),
        };
        let mut frames = chain.into_iter();
        // The chain runs outermost first: the event's own exception, then what it was handling.
        let own = frames.next().map(|c| c.stack).unwrap_or_default();
        let mut entry = json!({"id": ids.next(), "type": kind, "message": message, "remote": remote});
        if !own.is_empty() {
            entry["stack"] = Value::Array(own);
        }
        exceptions.push(entry);
        for earlier in frames {
            if exceptions.len() >= MAX_EXCEPTIONS {
                break;
            }
            let id = ids.next();
            if let Some(last) = exceptions.last_mut() {
                last["cause"] = json!(id);
            }
            let mut entry = json!({"id": id, "type": earlier.kind, "message": earlier.message, "remote": remote});
            if !earlier.stack.is_empty() {
                entry["stack"] = Value::Array(earlier.stack);
            }
            exceptions.push(entry);
        }
    }
    if exceptions.is_empty() && failed {
        let message = span.status.as_ref().map(|s| s.message.as_str()).unwrap_or("");
        exceptions.push(json!({"id": ids.next(), "message": message, "remote": remote}));
    }
    (!exceptions.is_empty()).then(|| json!({"exceptions": exceptions}))
}

/// Exception ids drawn from the span's id, so a span's translation is reproducible.
struct ExceptionIds(u64);

impl ExceptionIds {
    fn new(span_id: &[u8]) -> Self {
        let seed = span_id.iter().fold(0u64, |acc, b| acc.rotate_left(8) ^ u64::from(*b));
        Self(seed.rotate_left(17) ^ 0x9e37_79b9_7f4a_7c15)
    }

    fn next(&mut self) -> String {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        format!("{:016x}", self.0)
    }
}

/// One exception of a chain.
#[derive(Debug, PartialEq)]
struct Chained {
    kind: String,
    message: String,
    stack: Vec<Value>,
}

/// A Python traceback (`traceback.format_exception`): one entry per exception of the chain, outermost (the
/// one raised last) first, each stack innermost frame first.
fn python(trace: &str) -> Vec<Chained> {
    const SEPARATORS: [&str; 2] = [
        "During handling of the above exception, another exception occurred:",
        "The above exception was the direct cause of the following exception:",
    ];
    let mut blocks: Vec<Vec<&str>> = vec![Vec::new()];
    for line in trace.lines() {
        if SEPARATORS.contains(&line.trim()) {
            blocks.push(Vec::new());
        } else if let Some(block) = blocks.last_mut() {
            block.push(line);
        }
    }
    blocks
        .iter()
        .rev()
        .filter(|b| b.iter().any(|l| !l.trim().is_empty()))
        .map(|lines| {
            let last = lines.iter().rev().find(|l| !l.trim().is_empty() && !l.starts_with(' ')).copied().unwrap_or("");
            let (kind, message) = last.split_once(':').map_or((last, ""), |(k, m)| (k, m.trim()));
            let mut stack: Vec<Value> = lines.iter().filter_map(|l| python_frame(l)).collect();
            stack.reverse();
            stack.truncate(MAX_FRAMES);
            Chained { kind: kind.trim().to_owned(), message: message.to_owned(), stack }
        })
        .collect()
}

/// `  File "/app/shop.py", line 12, in charge`.
fn python_frame(line: &str) -> Option<Value> {
    let rest = line.trim_start().strip_prefix("File \"")?;
    let (path, rest) = rest.split_once("\", line ")?;
    let (number, label) = match rest.split_once(", in ") {
        Some((number, label)) => (number, label.trim()),
        None => (rest, ""),
    };
    let line: u32 = number.trim().parse().ok()?;
    Some(json!({"path": path, "line": line, "label": label}))
}

/// A Java stack trace (`Throwable.printStackTrace`): the first line `Type: message`, frames `\tat
/// pkg.Class.method(File.java:12)`, causes after `Caused by: `.
fn java(trace: &str) -> Vec<Chained> {
    let mut chain: Vec<Chained> = Vec::new();
    for line in trace.lines() {
        let text = line.trim();
        if let Some(frame) = text.strip_prefix("at ") {
            if let Some(current) = chain.last_mut().filter(|c| c.stack.len() < MAX_FRAMES) {
                current.stack.push(java_frame(frame));
            }
        } else if chain.is_empty() || text.starts_with("Caused by: ") {
            let head = text.strip_prefix("Caused by: ").unwrap_or(text);
            let (kind, message) = head.split_once(':').map_or((head, ""), |(k, m)| (k, m.trim()));
            chain.push(Chained { kind: kind.to_owned(), message: message.to_owned(), stack: Vec::new() });
        }
    }
    chain
}

/// `pkg.Class.method(File.java:12)`.
fn java_frame(frame: &str) -> Value {
    let (label, location) = frame.split_once('(').unwrap_or((frame, ""));
    let location = location.trim_end_matches(')');
    match location.rsplit_once(':').and_then(|(path, line)| Some((path, line.parse::<u32>().ok()?))) {
        Some((path, line)) => json!({"path": path, "line": line, "label": label}),
        None => json!({"path": location, "label": label}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PYTHON: &str = "Traceback (most recent call last):\n  File \"/app/pay.py\", line 8, in charge\n    gateway()\n  File \"/app/gw.py\", line 3, in gateway\n    raise TimeoutError(\"card network\")\nTimeoutError: card network\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"/app/api.py\", line 20, in handle\n    charge()\n  File \"/app/pay.py\", line 10, in charge\n    raise shop.PaymentError(\"declined: timeout\")\nshop.PaymentError: declined: timeout\n";

    #[test]
    fn python_chains_run_outermost_first_with_innermost_frames_first() {
        let chain = python(PYTHON);
        assert_eq!(chain.len(), 2);
        assert_eq!(chain[0].kind, "shop.PaymentError");
        assert_eq!(chain[0].message, "declined: timeout");
        assert_eq!(chain[0].stack[0], json!({"path": "/app/pay.py", "line": 10, "label": "charge"}));
        assert_eq!(chain[0].stack[1], json!({"path": "/app/api.py", "line": 20, "label": "handle"}));
        assert_eq!(chain[1].kind, "TimeoutError");
        assert_eq!(chain[1].stack[0]["path"], "/app/gw.py");
    }

    #[test]
    fn java_frames_and_causes() {
        let trace = "java.lang.IllegalStateException: no stock\n\tat shop.Inventory.reserve(Inventory.java:42)\n\tat shop.Orders.place(Orders.java:7)\nCaused by: java.io.IOException: disk\n\tat shop.Db.read(Native Method)\n";
        let chain = java(trace);
        assert_eq!(chain.len(), 2);
        assert_eq!(chain[0].kind, "java.lang.IllegalStateException");
        assert_eq!(chain[0].stack[0], json!({"path": "Inventory.java", "line": 42, "label": "shop.Inventory.reserve"}));
        assert_eq!(chain[1].message, "disk");
        assert_eq!(chain[1].stack[0], json!({"path": "Native Method", "label": "shop.Db.read"}));
    }

    #[test]
    fn hostile_text_parses_to_something_bounded() {
        let long = "  File \"x\", line 1, in f\n".repeat(10_000);
        let chain = python(&long);
        assert!(chain.iter().all(|c| c.stack.len() <= MAX_FRAMES));
        assert!(python("").is_empty());
        assert!(python_frame("  File \"a\", line nope, in f").is_none());
    }
}
