//! Building blocks shared by pages: the frame around every page and its controls.

pub mod alarm;
pub mod layout;
pub mod query;
pub mod shortcuts;
pub mod theme;
pub mod time_range;
