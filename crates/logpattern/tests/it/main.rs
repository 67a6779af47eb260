//! The integration tests of skywatch-logpattern in one binary: each module was a test file of its own, with its own
//! link and its own build of the shared helpers.

mod aws_doc_cases;
mod refusals;
mod selectors;
