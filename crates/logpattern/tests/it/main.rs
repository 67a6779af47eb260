//! The integration tests of skywatch-logpattern, in one test binary: one link and one build of the shared helpers instead
//! of one per file. Each module is a former test file.

mod aws_doc_cases;
mod refusals;
mod selectors;
