//! The integration tests of skywatch-awsapi in one binary: each module was a test file of its own, with its own
//! link and its own build of the shared helpers.

mod front_door_dashboards;
mod front_door_live_tail;
mod front_door_put;
mod front_door_replay;
mod wire_decode;
mod wire_encode;
mod wire_protocol;
mod wire_sigv4;
mod wire_sigv4_sign;
mod wire_support;
