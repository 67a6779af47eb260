//! Live Tail's hub: after a PutLogEvents batch commits, its events go to the sessions tailing at that moment
//! through one broadcast channel (nothing is copied or sent while nobody tails), and the hub counts each
//! account's live sessions against CloudWatch Logs' quota. Sessions themselves are [`crate::ops::LiveTailSession`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use skywatch_ops::Context;
use tokio::sync::{broadcast, watch};

use crate::Logs;
use crate::block::Event;

/// Batches the channel keeps for a session that has not taken them yet; a session that falls further behind
/// loses the oldest (its next update says it was sampled). With batches of at most 1 MiB this bounds what a slow
/// session holds.
pub const CHANNEL_BATCHES: usize = 64;
/// The Live Tail sessions one account may have open at once (CloudWatch Logs' quota).
pub const MAX_SESSIONS_PER_ACCOUNT: usize = 15;

/// One committed PutLogEvents batch, as the sessions see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TailBatch {
    pub account: String,
    pub region: String,
    pub group: String,
    pub stream: String,
    pub events: Vec<Event>,
}

/// The hub: the channel of committed batches, the open sessions of each account, and the stop signal that ends
/// every session (the server's shutdown).
#[derive(Debug)]
pub struct Hub {
    sender: broadcast::Sender<Arc<TailBatch>>,
    sessions: Mutex<HashMap<String, usize>>,
    stop: watch::Sender<bool>,
}

impl Default for Hub {
    fn default() -> Self {
        Self::new()
    }
}

impl Hub {
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(CHANNEL_BATCHES);
        let (stop, _) = watch::channel(false);
        Self { sender, sessions: Mutex::new(HashMap::new()), stop }
    }

    /// Whether any session is listening (else batches are not even copied for it).
    pub fn watched(&self) -> bool {
        self.sender.receiver_count() > 0
    }

    /// The batch of `events` to publish once it commits, if anyone tails now.
    pub(crate) fn prepare(&self, ctx: &Context, group: &str, stream: &str, events: &[Event]) -> Option<TailBatch> {
        self.watched().then(|| TailBatch {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            group: group.to_owned(),
            stream: stream.to_owned(),
            events: events.to_vec(),
        })
    }

    /// Hands a committed batch to the sessions listening now.
    pub fn publish(&self, batch: Option<TailBatch>) {
        if let Some(batch) = batch
            && self.watched()
        {
            // Nobody may be left listening by now; that is not an error.
            let _ = self.sender.send(Arc::new(batch));
        }
    }

    /// A place among `account`'s sessions, or None when it has [`MAX_SESSIONS_PER_ACCOUNT`] open.
    pub(crate) fn admit(hub: &Arc<Hub>, account: &str) -> Option<Permit> {
        let mut sessions = hub.sessions.lock().unwrap_or_else(PoisonError::into_inner);
        let open = sessions.entry(account.to_owned()).or_insert(0);
        if *open >= MAX_SESSIONS_PER_ACCOUNT {
            return None;
        }
        *open += 1;
        Some(Permit { hub: Arc::clone(hub), account: account.to_owned() })
    }

    /// The sessions `account` has open.
    pub fn open_sessions(&self, account: &str) -> usize {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner).get(account).copied().unwrap_or(0)
    }

    /// A listener of the batches committed from now on, and of the stop signal.
    pub(crate) fn subscribe(&self) -> (broadcast::Receiver<Arc<TailBatch>>, watch::Receiver<bool>) {
        (self.sender.subscribe(), self.stop.subscribe())
    }

    /// Ends every session, open or opened later (the server is shutting down).
    pub fn stop(&self) {
        self.stop.send_replace(true);
    }
}

/// A session's place in its account's quota, given back when the session is dropped.
#[derive(Debug)]
pub(crate) struct Permit {
    hub: Arc<Hub>,
    account: String,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut sessions = self.hub.sessions.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(open) = sessions.get_mut(&self.account) {
            *open = open.saturating_sub(1);
            if *open == 0 {
                sessions.remove(&self.account);
            }
        }
    }
}

impl Logs {
    /// Ends every Live Tail session (each sends its end and closes), so a shutting-down server is not held open by
    /// them.
    pub fn end_live_tails(&self) {
        self.tail.stop();
    }

    /// The Live Tail sessions `account` has open.
    pub fn live_tails(&self, account: &str) -> usize {
        self.tail.open_sessions(account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_account_has_its_own_quota_given_back_on_drop() {
        let hub = Arc::new(Hub::new());
        let permits: Vec<Permit> = (0..MAX_SESSIONS_PER_ACCOUNT).filter_map(|_| Hub::admit(&hub, "a")).collect();
        assert_eq!(permits.len(), MAX_SESSIONS_PER_ACCOUNT);
        assert!(Hub::admit(&hub, "a").is_none(), "the 16th session of an account is refused");
        let other = Hub::admit(&hub, "b");
        assert!(other.is_some(), "another account has its own quota");
        drop(permits);
        assert_eq!(hub.open_sessions("a"), 0);
        assert_eq!(hub.open_sessions("b"), 1);
        assert!(Hub::admit(&hub, "a").is_some());
    }

    #[test]
    fn nothing_is_prepared_or_sent_while_nobody_listens() {
        let hub = Hub::new();
        let ctx = Context::new(skywatch_model::Caller::Anonymous { account: "1".into() }, "r", "id", 0);
        let events = [Event { timestamp_ms: 1, ingestion_ms: 2, message: "m".into() }];
        assert!(!hub.watched());
        assert_eq!(hub.prepare(&ctx, "g", "s", &events), None);
        let (mut receiver, _stop) = hub.subscribe();
        let batch = hub.prepare(&ctx, "g", "s", &events);
        assert!(batch.is_some());
        hub.publish(batch.clone());
        assert_eq!(receiver.try_recv().ok().as_deref(), batch.as_ref());
    }
}
