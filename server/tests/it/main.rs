//! The integration tests of the server, in one test binary: one link and one build of the shared helpers instead
//! of one per file. Each module is a former test file.

mod support;

mod cli;
mod demo;
mod durability;
mod http_limits;
mod logs_durability;
mod logs_subscription_durability;
mod migration;
