//! The `skywatch` binary: parses the command line and runs a subcommand.
// Leptos view types of the console nest deeply; the layout computation of the routes needs more than 128 levels.
#![recursion_limit = "256"]

mod assets;
mod bodies;
mod cli;
mod config;
mod config_transport;
mod console_gate;
mod demo;
mod emf_agent;
mod front_door;
mod http_server;
mod inbox;
mod live_tail;
mod request_guard;
mod router;
mod serve;
mod sns_transport;
mod user_cmd;
mod xray_daemon;

use clap::Parser;

/// mimalloc in place of the system allocator: ingest allocates and frees many small values (parsed documents,
/// keys, batches) across threads, where glibc's malloc spent a quarter of the server's time (BENCHMARKS.md, X-Ray).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Transparent huge pages off for this process. mimalloc asks for them (`MADV_HUGEPAGE`) on its arenas, and the
/// kernel then zeroes whole 2 MiB pages for memory touched sparsely: opening 100,000 series took 4.6 s instead of
/// 1.2 s, a third of it in `clear_page`, and the server stayed 40 MiB larger (issue 15, point 5; BENCHMARKS.md).
/// The flag is the process's and applies to regions mapped before it, too.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag on this process's memory map.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> std::process::ExitCode {
    no_transparent_huge_pages();
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => {
            // --help and --version: clap's full text on stdout.
            let _ = error.print();
            return std::process::ExitCode::SUCCESS;
        }
        Err(error) => {
            // One line, like every other failure: clap's first line without its "error: " prefix.
            let rendered = error.render().to_string();
            let first = rendered.lines().next().unwrap_or("invalid arguments");
            eprintln!("skywatch: {} (see skywatch --help)", first.trim_start_matches("error: "));
            return std::process::ExitCode::from(2);
        }
    };
    init_tracing();
    let result = match cli.command {
        cli::Command::Serve(args) => serve::run(*args),
        cli::Command::User { command: cli::UserCommand::Add(args) } => user_cmd::add(args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // One line, the way command-line tools report a failure.
            let chain: Vec<String> = error.chain().map(|e| e.to_string()).collect();
            eprintln!("skywatch: {}", chain.join(": "));
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=warn"));
    tracing_subscriber::fmt().with_env_filter(filter).with_target(false).with_writer(std::io::stderr).init();
}
