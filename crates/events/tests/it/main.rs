//! Issue 16: EventBridge's engine on a real redb file: buses, rules, targets and tags (`service`), PutEvents and
//! delivery (`delivery`).

mod delivery;
mod fixture;
mod service;
