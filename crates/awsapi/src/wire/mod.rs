//! The AWS wire formats, as pure functions: SigV4, protocol and operation identification, request decoding
//! (JSON, awsQuery form, RPCv2 CBOR, gzip) and reply/error encoding. No I/O, no async.

pub mod decode;
pub mod encode;
pub mod event_stream;
pub mod form;
pub mod form_pairs;
pub mod neutral;
pub mod operations;
pub mod protocol;
pub mod sigv4;
pub mod sigv4_canonical;
pub mod xml;

pub use decode::{DecodeError, decode_cbor, decode_json, decode_params, decode_query, decompress};
pub use encode::{REQUEST_ID_HEADER, WireError, WireResponse, error, success};
pub use neutral::{blob, map, timestamp, timestamps};
pub use protocol::{IdentifyError, Operation, Protocol, Service, identify, is_known_operation};
pub use sigv4::{
    ParsedAuthorization, SigV4Error, SignableRequest, SigningCredentials, format_amz_date, parse_amz_date,
    parse_authorization, sign, verify,
};
pub use xml::xml_map;
