//! How AWS Config's webhooks (custom rules' functions) are reached: the same HTTP client as SNS deliveries
//! (timeouts, no redirects, `--sns-ca-file`), posting the invocation's JSON and reading at most 1 MiB of the
//! answer, which may carry the function's evaluations.

use std::future::Future;
use std::pin::Pin;

use skywatch_core::config::{Outcome, Transport};

use crate::sns_transport::HttpTransport;

/// The most of a webhook's answer that is read.
const MAX_ANSWER_BYTES: usize = 1 << 20;

impl Transport for HttpTransport {
    fn post(&self, url: &str, body: String) -> Pin<Box<dyn Future<Output = Outcome> + Send>> {
        let call = self.client().post(url).header("content-type", "application/json").body(body);
        Box::pin(async move {
            let mut response = call.send().await.map_err(|error| crate::sns_transport::describe(&error))?;
            let status = response.status().as_u16();
            let mut answer = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(|error| crate::sns_transport::describe(&error))? {
                if answer.len() + chunk.len() > MAX_ANSWER_BYTES {
                    return Err(format!("the answer is longer than {MAX_ANSWER_BYTES} bytes"));
                }
                answer.extend_from_slice(&chunk);
            }
            Ok((status, String::from_utf8_lossy(&answer).into_owned()))
        })
    }
}
