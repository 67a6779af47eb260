//! X-Ray: the service map, the trace list and a trace's timeline.

mod controls;
mod map_panel;
pub mod service_map;
mod span_detail;
pub mod trace;
pub mod traces;
mod waterfall;
