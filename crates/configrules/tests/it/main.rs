//! The integration tests of skywatch-configrules, in one test binary: one link and one build of the shared helpers instead
//! of one per file. Each module is a former test file.

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
