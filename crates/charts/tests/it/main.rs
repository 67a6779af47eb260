//! The integration tests of skywatch-charts in one binary: each module was a test file of its own, with its own
//! link and its own build of the shared helpers.

mod common;

mod interact;
mod png;
mod svg;
mod time;
mod views;
mod widget;
