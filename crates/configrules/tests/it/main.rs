//! The integration tests of skywatch-configrules in one binary: each module was a test file of its own, with its own
//! link and its own build of the shared helpers.

mod common;

mod guard_bounds;
mod guard_hostile;
mod guard_policies;
mod managed_alarms;
mod managed_logs_ec2;
mod managed_parameters;
mod managed_s3;
mod managed_security_groups;
mod managed_tags;
mod proptests;
