//! Typical log lines for the Logs loads: a mix of JSON access-log lines, as a web gateway writes them, and plain
//! application lines (a timestamp, a level, a thread, a logger and a message with key=value details; warnings,
//! errors and debug lines among the info ones), about 230 bytes on average. Every value varies (ids, paths,
//! addresses, sizes, latencies), so the lines compress as real ones do, not as a repeated template would; a
//! seed makes them reproducible.

use std::fmt::Write as _;

/// The share of lines that are JSON access-log lines, per thousand.
const ACCESS_PER_MILLE: u64 = 600;
const METHODS: [(&str, u64); 4] = [("GET", 700), ("POST", 200), ("PUT", 60), ("DELETE", 40)];
const PATHS: [&str; 8] = [
    "/api/v1/products/{id}",
    "/api/v1/cart",
    "/api/v1/cart/items/{id}",
    "/api/v1/orders/{id}",
    "/api/v1/checkout",
    "/api/v1/search",
    "/static/js/app.{id}.js",
    "/health",
];
const AGENTS: [&str; 4] = [
    "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)",
    "ShopMobile/3.2.1 (Android 15)",
    "python-requests/2.32.3",
];
const HOSTS: [&str; 3] = ["shop.example.com", "api.shop.example.com", "cdn.shop.example.com"];
const THREADS: [&str; 4] = ["http-nio-8080-exec-", "pool-2-thread-", "scheduler-", "kafka-consumer-"];
const CURRENCIES: [&str; 3] = ["EUR", "USD", "GBP"];

/// A deterministic source of typical log lines.
pub struct Lines {
    state: u64,
}

impl Lines {
    pub fn new(seed: u64) -> Self {
        Self { state: seed ^ 0x9e37_79b9_7f4a_7c15 }
    }

    /// splitmix64.
    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// One line stamped `at_ms`.
    pub fn line(&mut self, at_ms: i64) -> String {
        let time = chrono::DateTime::from_timestamp_millis(at_ms)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
            .unwrap_or_default();
        if self.below(1000) < ACCESS_PER_MILLE { self.access(&time) } else { self.application(&time) }
    }

    fn access(&mut self, time: &str) -> String {
        let mut roll = self.below(1000);
        let mut method = "GET";
        for (name, share) in METHODS {
            if roll < share {
                method = name;
                break;
            }
            roll -= share;
        }
        let id = 1000 + self.below(90_000);
        let path = self.pick(&PATHS).replace("{id}", &id.to_string());
        let status = match self.below(1000) {
            0..=4 => 500,
            5..=14 => 503,
            15..=44 => 404,
            45..=59 => 401,
            _ if method == "POST" => 201,
            _ => 200,
        };
        let latency = (5 + self.below(400)) as f64 / 10.0 * if status >= 500 { 20.0 } else { 1.0 };
        let bytes = if status >= 400 { 120 + self.below(80) } else { 300 + self.below(48_000) };
        let mut out = String::with_capacity(320);
        let _ = write!(
            out,
            "{{\"time\":\"{time}\",\"host\":\"{}\",\"requestId\":\"{:016x}\",\"clientIp\":\"10.{}.{}.{}\",\"method\":\"{method}\",\
             \"path\":\"{path}\",\"status\":{status},\"latencyMs\":{latency:.1},\"bytes\":{bytes},\"userAgent\":\"{}\"}}",
            self.pick(&HOSTS),
            self.next(),
            self.below(32),
            self.below(256),
            1 + self.below(254),
            self.pick(&AGENTS),
        );
        out
    }

    fn application(&mut self, time: &str) -> String {
        let thread = format!("{}{} req={:016x}", self.pick(&THREADS), 1 + self.below(16), self.next());
        let order = 4_000_000 + self.below(1_000_000);
        let customer = 10_000 + self.below(90_000);
        let mut out = String::with_capacity(240);
        let _ = match self.below(100) {
            0..=59 => write!(
                out,
                "{time} INFO  [{thread}] c.s.orders.OrderService - order {order} placed customer={customer} items={} \
                 total={}.{:02} {} trace=1-{:08x}-{:08x}{:016x}",
                1 + self.below(6),
                5 + self.below(400),
                self.below(100),
                self.pick(&CURRENCIES),
                self.next() as u32,
                self.next() as u32,
                self.next(),
            ),
            60..=74 => write!(
                out,
                "{time} DEBUG [{thread}] c.s.catalog.ProductCache - refreshed {} entries in {} ms hits={}.{}% \
                 evictions={}",
                100 + self.below(5000),
                1 + self.below(90),
                80 + self.below(20),
                self.below(10),
                self.below(200),
            ),
            75..=92 => write!(
                out,
                "{time} WARN  [{thread}] c.s.inventory.StockClient - slow response from inventory-service: {} ms \
                 (threshold 500 ms) sku=SKU-{} attempt={} order={order}",
                500 + self.below(2500),
                10_000 + self.below(90_000),
                1 + self.below(3),
            ),
            _ => write!(
                out,
                "{time} ERROR [{thread}] c.s.payments.ChargeService - charge failed for order {order} \
                 customer={customer}: java.net.SocketTimeoutException: Read timed out after {} ms \
                 (provider=psp-{})",
                1000 + self.below(9000),
                self.below(4),
            ),
        };
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_typical_and_reproducible() {
        let mut lines = Lines::new(7);
        let sample: Vec<String> = (0..10_000).map(|i| lines.line(1_767_000_000_000 + i)).collect();
        let average = sample.iter().map(String::len).sum::<usize>() as f64 / sample.len() as f64;
        assert!((220.0..=236.0).contains(&average), "{average} bytes a line");
        let json = sample.iter().filter(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()).count();
        assert!((5_500..=6_500).contains(&json), "{json} JSON lines in 10,000");
        for level in [" INFO ", " WARN ", " ERROR ", " DEBUG "] {
            assert!(sample.iter().any(|l| l.contains(level)), "{level}");
        }
        let distinct: std::collections::HashSet<&String> = sample.iter().collect();
        assert_eq!(distinct.len(), sample.len(), "every line differs");
        assert_eq!(Lines::new(7).line(5), Lines::new(7).line(5));
        assert_ne!(Lines::new(7).line(5), Lines::new(8).line(5));
    }
}
