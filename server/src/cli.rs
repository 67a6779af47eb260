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
    Serve(Box<ServeArgs>),
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
    /// An address users reach the server by, besides loopback names and IP addresses (a LAN name, or the URL of a
    /// proxy in front): its host is served, and an https URL makes the session cookie Secure. Repeatable.
    #[arg(long = "public-url", value_name = "URL", env = "SKYWATCH_PUBLIC_URL", value_delimiter = ',')]
    pub public_urls: Vec<url::Url>,
    /// A PEM file of CA certificates SNS deliveries to HTTPS endpoints also trust (endpoints behind a private CA).
    #[arg(long, value_name = "FILE")]
    pub sns_ca_file: Option<std::path::PathBuf>,
    /// Where the X-Ray daemon's UDP protocol is received (the SDKs send to 127.0.0.1:2000 unless
    /// AWS_XRAY_DAEMON_ADDRESS says otherwise). When the default address is taken, the server runs without it.
    #[arg(long, value_name = "ADDR", env = "SKYWATCH_XRAY_UDP")]
    pub xray_udp: Option<SocketAddr>,
    /// The account and region segments received by the daemon protocol are stored in.
    #[arg(long, value_name = "ACCOUNT", default_value = "000000000000")]
    pub xray_daemon_account: String,
    #[arg(long, value_name = "REGION", default_value = "us-east-1")]
    pub xray_daemon_region: String,
    /// Where the CloudWatch agent's embedded metric format endpoint listens, on TCP and UDP (the EMF client
    /// libraries in agent mode send to 127.0.0.1:25888 unless AWS_EMF_AGENT_ENDPOINT says otherwise). When the
    /// default address is taken, the server runs without it.
    #[arg(long, value_name = "ADDR", env = "SKYWATCH_EMF_LISTEN")]
    pub emf_listen: Option<SocketAddr>,
    /// The account and region the EMF endpoint's log events (and so their metrics) are stored in.
    #[arg(long, value_name = "ACCOUNT", default_value = "000000000000")]
    pub emf_account: String,
    #[arg(long, value_name = "REGION", default_value = "us-east-1")]
    pub emf_region: String,
    /// Where CloudWatch Logs export tasks write their objects: each S3 bucket a task names is a directory in it
    /// (made when absent). Default: `<data-dir>/s3`, where AWS Config's delivery channels write their buckets too.
    #[arg(long, value_name = "DIR", env = "SKYWATCH_EXPORT_DIR")]
    pub export_dir: Option<PathBuf>,
    /// The most connections served at once; further clients wait to be accepted.
    #[arg(long, value_name = "N", default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..=65_536))]
    pub max_connections: u64,
    /// Seconds a client has to send a request's headers (idle keep-alive connections close after it too).
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout_secs: u64,
    /// Seconds a client has to send a request's body.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub body_timeout_secs: u64,
    /// A TOML file with access keys and console users (see README).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// How often the metric write-ahead log is folded into compressed chunks (also when it passes 64 MiB).
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub metrics_checkpoint_secs: u64,
    /// How long sub-minute periods of high-resolution metrics stay queryable (CloudWatch: 3 hours).
    #[arg(long, value_name = "HOURS", default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..))]
    pub retention_high_resolution_hours: u64,
    /// How long raw (1-minute and finer) metric data is kept (CloudWatch: 15 days).
    #[arg(long, value_name = "DAYS", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..))]
    pub retention_raw_days: u64,
    /// How long 5-minute roll-ups are kept (CloudWatch: 63 days).
    #[arg(long, value_name = "DAYS", default_value_t = 63, value_parser = clap::value_parser!(u64).range(1..))]
    pub retention_5m_days: u64,
    /// How long CloudTrail event history is kept (CloudTrail: 90 days).
    #[arg(long, value_name = "DAYS", default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..))]
    pub cloudtrail_retention_days: u32,
    /// How long 1-hour roll-ups are kept (CloudWatch: 455 days).
    #[arg(long, value_name = "DAYS", default_value_t = 455, value_parser = clap::value_parser!(u64).range(1..))]
    pub retention_1h_days: u64,
}

/// Where the X-Ray SDKs send segments by default.
pub const XRAY_DAEMON_DEFAULT: &str = "127.0.0.1:2000";
/// Where the EMF client libraries send to the CloudWatch agent by default.
pub const EMF_AGENT_DEFAULT: &str = "127.0.0.1:25888";

impl ServeArgs {
    /// The metrics engine settings the flags ask for.
    pub fn tsdb_config(&self) -> skywatch_core::metrics::tsdb::Config {
        use std::time::Duration;
        let days = |d: u64| Duration::from_secs(d * 86_400);
        skywatch_core::metrics::tsdb::Config {
            retention: skywatch_core::metrics::tsdb::Retention {
                high_resolution: Duration::from_secs(self.retention_high_resolution_hours * 3600),
                raw: days(self.retention_raw_days),
                five_minute: days(self.retention_5m_days),
                one_hour: days(self.retention_1h_days),
            },
            ..Default::default()
        }
    }
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
