//! The integration tests of skywatch-charts, in one test binary: one link and one build of the shared helpers instead
//! of one per file. Each module is a former test file.

mod common;

mod interact;
mod png;
mod svg;
mod time;
mod views;
mod widget;
