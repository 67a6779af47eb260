//! The calls into cfn-guard, each behind `catch_unwind` so a panic in it becomes an error: its parse
//! tree (the `parse-tree` command, as JSON) and an evaluation (the `validate` command with its
//! payload and structured JSON output: one data document against one rules text, summarized per rule).
//!
//! `run_checks`, the library's own entry point, is not used: it returns the tail of a `BufWriter`'s
//! buffer rather than what was written, so a summary longer than 8 KiB comes back cut.
//!
//! cfn-guard keeps its parse tree in `Rc`s, so nothing of it outlives a call: each evaluation parses
//! the text again.

use cfn_guard::commands::Executable;
use cfn_guard::commands::validate::{OutputFormatType, ShowSummaryType};
use cfn_guard::utils::reader::{ReadBuffer, Reader};
use cfn_guard::utils::writer::{WriteBuffer, Writer};
use cfn_guard::{CommandBuilder, ParseTreeBuilder, ValidateBuilder};
use serde_json::Value;
use std::any::Any;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// An error of a cfn-guard call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum EngineError {
    /// cfn-guard refused the input, with its message.
    Refused(String),
    /// cfn-guard panicked, with the panic's message.
    Panicked(String),
}

impl EngineError {
    pub fn message(&self) -> String {
        match self {
            EngineError::Refused(m) => m.clone(),
            EngineError::Panicked(m) => format!("cfn-guard failed: {m}"),
        }
    }
}

/// The parse tree of `text` as cfn-guard serializes it (`null` for a text without rules).
pub(super) fn parse_tree(text: &str) -> Result<String, EngineError> {
    guarded(|| {
        let command = ParseTreeBuilder::default().print_json(true).try_build().map_err(|e| e.to_string())?;
        let mut reader = Reader::new(ReadBuffer::Cursor(Cursor::new(text.as_bytes().to_vec())));
        let mut writer = Writer::new(WriteBuffer::Vec(Vec::new())).map_err(|e| e.to_string())?;
        command.execute(&mut writer, &mut reader).map_err(|e| e.to_string())?;
        writer.into_string().map_err(|e| e.to_string())
    })
}

/// The `validate` command's exit code when a rules text does not parse (it then skips the text).
const PARSE_ERROR_EXIT: i32 = 5;

/// cfn-guard's structured JSON summary (a list of one file report) of evaluating `data` (a JSON
/// document) against `policy`.
pub(super) fn run(policy: &str, data: &str) -> Result<String, EngineError> {
    let payload = serde_json::json!({ "rules": [policy], "data": [data] }).to_string();
    guarded(|| {
        let command = ValidateBuilder::default()
            .payload(true)
            .structured(true)
            .output_format(OutputFormatType::JSON)
            .show_summary(vec![ShowSummaryType::None])
            .try_build()
            .map_err(|e| e.to_string())?;
        let mut reader = Reader::new(ReadBuffer::Cursor(Cursor::new(payload.into_bytes())));
        // Notices cfn-guard writes for the user go to a buffer nobody reads, not to stderr.
        let mut writer = Writer::new_with_err(WriteBuffer::Vec(Vec::new()), WriteBuffer::Vec(Vec::new()))
            .map_err(|e| e.to_string())?;
        match command.execute(&mut writer, &mut reader).map_err(|e| e.to_string())? {
            PARSE_ERROR_EXIT => Err("cfn-guard could not parse the policy.".to_string()),
            _ => writer.into_string().map_err(|e| e.to_string()),
        }
    })
}

fn guarded(call: impl FnOnce() -> Result<String, String>) -> Result<String, EngineError> {
    match catch_unwind(AssertUnwindSafe(call)) {
        Ok(Ok(out)) => Ok(out),
        Ok(Err(message)) => Err(EngineError::Refused(message)),
        Err(panic) => Err(EngineError::Panicked(panic_message(panic.as_ref()))),
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

/// The tree's JSON, read (serde_json's nesting limit of 128 applies and is reported as such).
pub(super) fn read_tree(json: &str) -> Result<Value, String> {
    serde_json::from_str(json).map_err(|e| {
        if e.to_string().contains("recursion limit") {
            "The policy nests too deeply: its parse tree is more than 128 levels deep.".to_string()
        } else {
            format!("The policy's parse tree could not be read: {e}")
        }
    })
}
