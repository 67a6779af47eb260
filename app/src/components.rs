//! Building blocks shared by pages: the frame around every page and its controls.

pub mod alarm;
pub mod chart_svg;
pub mod histogram;
pub mod layout;
pub mod query;
pub mod service_map;
pub mod shortcuts;
pub mod theme;
pub mod time_range;
pub mod xray_format;
