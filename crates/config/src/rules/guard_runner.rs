//! Runs Guard policies off the caller's thread, under a deadline. cfn-guard cannot be cancelled and a hostile
//! policy can take minutes over a large item, so each evaluation runs on a thread of its own (with a large
//! stack) and is given up on after [`DEADLINE`]; at most [`MAX_RUNNING`] may run at once, so stuck evaluations
//! cannot pile up. A late or refused evaluation is a verdict of insufficient data naming why.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Map, Value};
use skywatch_configrules::{GuardPolicy, Verdict};

/// How long one evaluation may take.
pub const DEADLINE: Duration = Duration::from_secs(5);
/// Evaluations running at once, stuck ones included.
pub const MAX_RUNNING: usize = 4;
/// The stack each evaluation thread gets (cfn-guard's parser and evaluator recurse).
const STACK_BYTES: usize = 16 << 20;

static RUNNING: AtomicUsize = AtomicUsize::new(0);

struct Slot;

impl Drop for Slot {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Evaluates `policy` against `item` within the deadline.
pub fn evaluate(policy: &GuardPolicy, item: &Value, parameters: Option<Map<String, Value>>) -> Verdict {
    if RUNNING.fetch_add(1, Ordering::SeqCst) >= MAX_RUNNING {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
        return Verdict::insufficient_data(
            "Guard evaluation capacity exhausted: earlier evaluations are still running",
        );
    }
    let slot = Slot;
    let (policy, item) = (policy.clone(), item.clone());
    let (send, receive) = mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new().name("config-guard".into()).stack_size(STACK_BYTES).spawn(move || {
        let _slot = slot;
        let verdict = policy.evaluate_with_parameters(&item, parameters.as_ref());
        let _ = send.send(verdict);
    });
    if let Err(error) = spawned {
        return Verdict::insufficient_data(format!("Guard evaluation could not start: {error}"));
    }
    receive.recv_timeout(DEADLINE).unwrap_or_else(|_| {
        Verdict::insufficient_data(format!("Guard evaluation did not finish within {} seconds", DEADLINE.as_secs()))
    })
}
