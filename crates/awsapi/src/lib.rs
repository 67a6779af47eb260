//! The AWS wire edge: everything that knows how AWS clients talk. Decodes a request (SigV4, protocol, body),
//! calls the engines through `skywatch-core`, records the call in CloudTrail, and encodes the reply or the error
//! the client's SDK expects.

mod authenticate;
mod errors;
mod front_door;
mod otlp;
mod params;
pub mod registry;
mod services;
pub mod streaming;
pub mod wire;

pub use errors::ApiError;
pub use front_door::{
    ApiReply, ApiRequest, MAX_DECODED_BYTES, MAX_LOGS_REQUEST_BYTES, MAX_REQUEST_BYTES, handle, handle_at,
    handle_daemon, handle_link, is_signing_certificate, is_sns_link, reply, reply_at, request_limit,
    signing_certificate, too_large,
};
pub use otlp::{PATH as OTLP_TRACES_PATH, Sender as OtlpSender, handle_otlp};
pub use registry::{Row, find, rows};
