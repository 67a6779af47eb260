//! The integration tests of skywatch-dashboards in one binary: each module was a test file of its own, with its own
//! link and its own build of the shared helpers.

mod support;

mod layout;
#[cfg(feature = "engine")]
mod render;
mod service;
#[cfg(feature = "store")]
mod storage;
mod validation;
