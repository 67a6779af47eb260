//! Delivery: routing accepted events to their rules' targets ([`plan`]), the durable queue of deliveries
//! ([`storage`]), what a target's ARN names and the sinks outside EventBridge ([`target`]), the deliverer with
//! its retries and dead letters ([`deliver`]), and the `AWS/Events` metrics they count ([`metrics`]).

mod api_destination;
pub mod deliver;
pub mod metrics;
pub mod plan;
pub mod storage;
pub mod target;

pub use deliver::Round;
pub use plan::Routed;
pub use target::{HttpClient, HttpRequest, HttpResponse, SendOutcome, SinkError, SinkFuture, Sinks, TargetKind};
