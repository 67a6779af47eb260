//! The integration tests of the server in one binary: each module was a test file of its own, with its own
//! link and its own build of the shared helpers.

mod support;

mod cli;
mod demo;
mod durability;
mod http_limits;
mod logs_durability;
mod logs_subscription_durability;
mod migration;
