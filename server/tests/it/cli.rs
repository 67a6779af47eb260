//! The command line: help, bad flags, unusable data dirs, refused auth modes, user management.

use std::io::Write;
use std::process::{Command, Stdio};

fn skywatch() -> Command {
    Command::new(env!("CARGO_BIN_EXE_skywatch"))
}

#[test]
fn help_documents_every_serve_flag() {
    let output = skywatch().args(["serve", "--help"]).output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for flag in ["--listen", "--data-dir", "--demo", "--auth", "--access-key", "--config"] {
        assert!(help.contains(flag), "serve --help lacks {flag}:\n{help}");
    }
    let output = skywatch().args(["user", "add", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("--role"));
}

/// Each case: arguments, and a fragment of the one-line error.
#[test]
fn bad_invocations_fail_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let under_file = file.join("data").display().to_string();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["serve", "--no-such-flag"], "unexpected argument"),
        (vec!["serve", "--listen", "not-an-address"], "invalid value"),
        (vec!["serve", "--listen", "127.0.0.1:0", "--data-dir", &under_file], "data dir"),
        (vec!["serve", "--listen", "0.0.0.0:0", "--auth", "none"], "--auth none is refused"),
        (vec!["serve", "--listen", "127.0.0.1:0", "--auth", "sigv4"], "needs at least one --access-key"),
        // Off loopback the default is sigv4, so a server with no keys is refused.
        (vec!["serve", "--listen", "0.0.0.0:0"], "needs at least one --access-key"),
        (vec!["serve", "--listen", "127.0.0.1:0", "--access-key", "nocolon"], "ID:SECRET"),
    ];
    for (args, fragment) in cases {
        let output = skywatch().args(&args).env("RUST_LOG", "off").output().unwrap();
        assert!(!output.status.success(), "{args:?} should fail");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(fragment), "{args:?}: {stderr}");
        let lines = stderr.lines().filter(|l| !l.trim().is_empty()).count();
        assert_eq!(lines, 1, "{args:?} should print one line: {stderr}");
        assert!(stderr.starts_with("skywatch: "), "{args:?}: {stderr}");
    }
}

#[test]
fn user_add_reads_the_password_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = skywatch()
        .args(["user", "add", "alice", "--role", "viewer", "--data-dir"])
        .arg(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"correct horse battery\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("alice"));
    let store = skywatch_store::Store::open(dir.path()).unwrap();
    let user = store.read_blocking(|r| skywatch_core::auth::storage::user(r, "alice")).unwrap().expect("stored");
    let text = String::from_utf8_lossy(&user);
    assert!(text.contains("$argon2id$") && text.contains("viewer"), "{text}");
    assert!(!text.contains("correct horse"), "the password itself must not be stored");
}

/// Issue 15, point 5: the server runs without transparent huge pages (mimalloc would ask for them, and the kernel
/// would zero 2 MiB at a time for memory touched sparsely: a restart over 100,000 series took four times longer).
#[cfg(target_os = "linux")]
#[test]
fn issue_15_the_server_runs_without_transparent_huge_pages() {
    let dir = tempfile::tempdir().unwrap();
    let server = crate::support::Server::start(dir.path());
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
    let line = status.lines().find(|l| l.starts_with("THP_enabled:")).expect("the kernel reports THP_enabled");
    assert_eq!(line.split_whitespace().nth(1), Some("0"), "{line}");
}
