//! The command line, with clap.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Skywatch: CloudWatch, X-Ray, CloudTrail, Config and EventBridge on one machine, with the AWS console's face.
#[derive(Debug, Parser)]
#[command(name = "skywatch", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the console and the AWS APIs on one port.
    Serve(ServeArgs),
    /// Manage console users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add (or replace) a console user; the password is read from standard input.
    Add(UserAddArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthArg {
    /// Verify every API request's SigV4 signature; the console asks for a sign-in.
    Sigv4,
    /// Accept unsigned requests as the default account's root and open the console as admin (loopback only).
    None,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on for the console and every AWS API.
    #[arg(long, default_value = "127.0.0.1:4566", env = "SKYWATCH_LISTEN")]
    pub listen: SocketAddr,
    /// Directory holding the database file (skywatch.redb).
    #[arg(long, default_value = "./skywatch-data", env = "SKYWATCH_DATA_DIR")]
    pub data_dir: PathBuf,
    /// Run the built-in demo workload (a small simulated shop) against this server.
    #[arg(long)]
    pub demo: bool,
    /// How API callers are checked. Default: sigv4, or none when listening on loopback with no keys configured.
    #[arg(long, value_enum)]
    pub auth: Option<AuthArg>,
    /// An access key the server accepts, as ID:SECRET[:ACCOUNT] (account defaults to 000000000000). Repeatable.
    #[arg(long = "access-key", value_name = "ID:SECRET[:ACCOUNT]")]
    pub access_keys: Vec<String>,
    /// A TOML file with access keys and console users (see README).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// The user's name.
    pub name: String,
    /// The user's role.
    #[arg(long, value_parser = ["admin", "viewer"])]
    pub role: String,
    /// Directory holding the database file.
    #[arg(long, default_value = "./skywatch-data", env = "SKYWATCH_DATA_DIR")]
    pub data_dir: PathBuf,
}
