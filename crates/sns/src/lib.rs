//! SNS-compatible topics. Topics and subscriptions (HTTP and HTTPS endpoints) live in the store; Publish (and
//! alarm actions, through [`publish`]) turns a message into one durable delivery per confirmed subscription,
//! committed with the call's audit record; the deliverer ([`Sns::run`]) posts due deliveries through a
//! [`Transport`] the server provides, retries failures by the topic's delivery policy, and logs every attempt per
//! subscription. Nothing here speaks HTTP itself.

pub mod arn;
mod deliver;
mod engine;
pub mod message;
pub mod model;
mod ops;
pub mod policy;
pub mod publish;
pub mod signing;
pub mod storage;

pub use deliver::{DeliveryRound, Outcome, Request, Transport};
pub use engine::Sns;
pub use ops::*;
pub use storage::TABLES;
