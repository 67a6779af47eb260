//! Issue 16: EventBridge's engine on a real redb file: buses, rules, targets and tags (`service`), PutEvents and
//! delivery (`delivery`), schedules firing (`schedules`).

mod archives;
mod connections;
mod delivery;
mod fixture;
mod partners;
mod schedules;
mod service;
