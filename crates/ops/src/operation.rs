//! What an operation is: its spec (service, name, access), its typed input, output and error, and the effect
//! of running it.

use std::future::Future;

use serde::Serialize;
use skywatch_model::EventResource;
use skywatch_store::Mutation;

use crate::context::Context;
use crate::error::AwsError;

/// Whether an operation only reads (what a viewer may call; CloudTrail's `readOnly`) or changes something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    Read,
    Write,
}

/// One bound an operation enforces before it spends work the request sizes: what is bounded, the bound, and
/// whether AWS states it (else it is Skywatch's own, where AWS states none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limit {
    pub what: &'static str,
    pub value: u64,
    pub aws: bool,
}

impl Limit {
    /// A bound AWS documents.
    pub const fn aws(what: &'static str, value: u64) -> Self {
        Self { what, value, aws: true }
    }

    /// A bound of Skywatch's own.
    pub const fn own(what: &'static str, value: u64) -> Self {
        Self { what, value, aws: false }
    }
}

/// The facts about an operation that do not depend on its wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Spec {
    /// The service's SigV4 scope name (`monitoring`, `cloudtrail`, `iam`, ...).
    pub service: &'static str,
    /// CloudTrail's `eventSource`, e.g. `monitoring.amazonaws.com`.
    pub event_source: &'static str,
    /// The operation's name, CloudTrail's `eventName`.
    pub name: &'static str,
    pub access: Access,
    /// The bounds the operation checks (the registry lists them beside the operation).
    pub limits: &'static [Limit],
}

impl Spec {
    /// The same spec with its limits.
    pub const fn with_limits(self, limits: &'static [Limit]) -> Self {
        Self { limits, ..self }
    }
}

/// What running an operation did: the reply, the changes to commit in one batch with the call's CloudTrail
/// record, the resources the record names, and work to do once the changes are durable. A `partial` error is
/// replied after the changes commit: a call that did part of its work and refuses the rest (DeleteDashboards
/// deletes the dashboards that exist and names the missing ones).
pub struct Effect<T, E> {
    pub reply: T,
    pub changes: Vec<Mutation>,
    pub resources: Vec<EventResource>,
    pub after_commit: Option<Box<dyn FnOnce() + Send>>,
    pub partial: Option<E>,
    /// Changes that name the call's own CloudTrail event (its id is chosen when the record is built), committed
    /// in the same batch.
    pub with_event: Option<EventChanges>,
}

/// Builds changes from the call's CloudTrail event id.
pub type EventChanges = Box<dyn FnOnce(&str) -> Vec<Mutation> + Send>;

impl<T, E> Effect<T, E> {
    /// A reply that changes nothing.
    pub fn reply(reply: T) -> Self {
        Self { reply, changes: Vec::new(), resources: Vec::new(), after_commit: None, partial: None, with_event: None }
    }

    /// A reply that commits `changes`.
    pub fn commit(reply: T, changes: Vec<Mutation>) -> Self {
        Self { changes, ..Self::reply(reply) }
    }

    /// Names the resources the call touched in its CloudTrail record.
    pub fn with_resources(self, resources: Vec<EventResource>) -> Self {
        Self { resources, ..self }
    }

    /// Also commits the changes `build` makes from the call's CloudTrail event id (e.g. a Config notice that
    /// links the change to the call that made it).
    pub fn with_event_changes(self, build: impl FnOnce(&str) -> Vec<Mutation> + Send + 'static) -> Self {
        Self { with_event: Some(Box::new(build)), ..self }
    }

    /// Runs `work` once the changes are durable (e.g. makes written metric points visible).
    pub fn then(self, work: impl FnOnce() + Send + 'static) -> Self {
        Self { after_commit: Some(Box::new(work)), ..self }
    }
}

/// An operation: its spec, the engine it runs on, and its typed input, output and error. The input is
/// serialised (member names in CloudTrail's lower-camel case) into the call's `requestParameters`.
pub trait Operation: 'static {
    const SPEC: Spec;
    /// What the operation runs on (the metrics engine, the store, the users).
    type Engine: ?Sized + Sync;
    type Input: Serialize + Send + Sync;
    type Output: Send;
    type Error: AwsError;

    fn run(
        engine: &Self::Engine,
        ctx: &Context,
        input: Self::Input,
    ) -> impl Future<Output = Result<Effect<Self::Output, Self::Error>, Self::Error>> + Send;

    /// A lower bound on the bytes of `input` serialised as `requestParameters`: an input sure to be over
    /// [`crate::MAX_AUDITED_PARAMETER_BYTES`] is left out of its record without being serialised first.
    fn audited_bytes_at_least(_input: &Self::Input) -> usize {
        0
    }
}

/// A handle that holds an engine operations run on (implemented by `skywatch_core::Services`).
pub trait Provides<E: ?Sized> {
    fn engine(&self) -> &E;
}
