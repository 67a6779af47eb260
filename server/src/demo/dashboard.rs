//! The shop's dashboard, put once through PutDashboard like any client would: traffic, errors and latency per
//! service, orders, the checkout queue, payment errors per provider and the EC2 fleet's CPU, one widget of every
//! view. An existing dashboard of that name is left as the user edited it.

use serde_json::{Value, json};

use super::client::SignedClient;

/// The dashboard's name.
pub const NAME: &str = "Shop-Overview";

const SERVICES: [&str; 5] = ["gateway", "orders", "payments", "inventory", "database"];

fn per_service(metric: &str) -> Vec<Value> {
    SERVICES
        .iter()
        .enumerate()
        .map(|(i, service)| {
            if i == 0 {
                json!(["Shop", metric, "Service", service, "Environment", "demo", { "label": service }])
            } else {
                json!([".", ".", ".", service, ".", ".", { "label": service }])
            }
        })
        .collect()
}

/// The dashboard body.
pub fn body() -> Value {
    let region = "us-east-1";
    json!({
        "start": "-PT3H",
        "periodOverride": "auto",
        "widgets": [
            { "type": "text", "x": 0, "y": 0, "width": 24, "height": 3, "properties": {
                "markdown": "# Shop overview\nThe simulated shop: five services behind a load balancer on an EC2 fleet. Incidents (latency spikes, error bursts) strike every few minutes. Put by the demo with `PutDashboard`; edit it freely, the demo keeps your changes."
            }},
            { "type": "metric", "x": 0, "y": 3, "width": 6, "height": 5, "properties": {
                "title": "Orders placed", "view": "singleValue", "sparkline": true, "stat": "Sum", "period": 300, "region": region,
                "metrics": [
                    ["Shop", "OrdersPlaced", "Service", "orders", "Environment", "demo", "Channel", "web", { "label": "Web" }],
                    ["...", "mobile", { "label": "Mobile" }]
                ]
            }},
            { "type": "metric", "x": 6, "y": 3, "width": 6, "height": 5, "properties": {
                "title": "Checkout queue depth", "view": "gauge", "stat": "Maximum", "period": 60, "region": region,
                "metrics": [["Shop", "CheckoutQueueDepth", "Service", "orders", { "label": "Queue depth" }]],
                "yAxis": { "left": { "min": 0, "max": 200 } },
                "annotations": { "horizontal": [
                    { "label": "Busy", "value": 120, "color": "#ff9900" },
                    { "label": "Backlog", "value": 160, "color": "#d13212" }
                ]}
            }},
            { "type": "metric", "x": 12, "y": 3, "width": 6, "height": 5, "properties": {
                "title": "Payment errors by provider", "view": "pie", "stat": "Sum", "period": 300, "setPeriodToTimeRange": true, "region": region,
                "metrics": [
                    ["Shop", "PaymentErrors", "Service", "payments", "PaymentProvider", "stripe", { "label": "Stripe" }],
                    ["...", "adyen", { "label": "Adyen" }],
                    ["...", "paypal", { "label": "PayPal" }]
                ]
            }},
            { "type": "metric", "x": 18, "y": 3, "width": 6, "height": 5, "properties": {
                "title": "Requests by service", "view": "bar", "stat": "Sum", "period": 300, "setPeriodToTimeRange": true, "region": region,
                "metrics": per_service("RequestCount")
            }},
            { "type": "metric", "x": 0, "y": 8, "width": 12, "height": 6, "properties": {
                "title": "Requests per service", "view": "timeSeries", "stacked": false, "stat": "Sum", "period": 60, "region": region,
                "metrics": per_service("RequestCount"),
                "yAxis": { "left": { "min": 0, "label": "Requests / min", "showUnits": false } }
            }},
            { "type": "metric", "x": 12, "y": 8, "width": 12, "height": 6, "properties": {
                "title": "Errors per service", "view": "timeSeries", "stacked": true, "stat": "Sum", "period": 60, "region": region,
                "metrics": per_service("Errors")
            }},
            { "type": "metric", "x": 0, "y": 14, "width": 12, "height": 6, "properties": {
                "title": "Latency p99", "view": "timeSeries", "stat": "p99", "period": 60, "region": region,
                "metrics": per_service("Latency"),
                "annotations": { "horizontal": [{ "label": "SLO 500 ms", "value": 500, "fill": "above", "color": "#d13212" }] }
            }},
            { "type": "metric", "x": 12, "y": 14, "width": 12, "height": 6, "properties": {
                "title": "EC2 fleet CPU", "view": "timeSeries", "period": 300, "region": region,
                "metrics": [[{ "expression": "SEARCH('{Demo/EC2,InstanceId} MetricName=\"CPUUtilization\"', 'Average', 300)", "id": "e1", "label": "" }]],
                "yAxis": { "left": { "min": 0, "max": 100 } }
            }},
            { "type": "metric", "x": 0, "y": 20, "width": 24, "height": 6, "properties": {
                "title": "Service summary (requests)", "view": "table", "stat": "Sum", "period": 300, "region": region,
                "metrics": per_service("RequestCount"),
                "table": { "summaryColumns": ["SUM", "AVG", "MAX"], "showTimeSeriesData": true }
            }}
        ]
    })
}

/// Puts the dashboard unless one of that name exists.
pub async fn ensure(client: &SignedClient) {
    let target = |op: &str| format!("GraniteServiceVersion20100801.{op}");
    match client.call("monitoring", &target("GetDashboard"), &json!({ "DashboardName": NAME })).await {
        Ok(_) => {}
        Err(error) if error.to_string().contains("ResourceNotFound") => {
            let request = json!({ "DashboardName": NAME, "DashboardBody": body().to_string() });
            match client.call("monitoring", &target("PutDashboard"), &request).await {
                Ok(_) => tracing::info!(dashboard = NAME, "demo dashboard created"),
                Err(error) => tracing::warn!(%error, "demo PutDashboard failed"),
            }
        }
        Err(error) => tracing::warn!(%error, "demo GetDashboard failed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shop_dashboard_is_a_valid_body_with_every_view() {
        let text = body().to_string();
        let parsed = skywatch_dashboards::parse_body(&text).expect("valid body");
        let views: std::collections::BTreeSet<&str> = parsed
            .widgets
            .iter()
            .filter_map(|w| match &w.kind {
                skywatch_dashboards::WidgetKind::Metric(m) => Some(m.view.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(views.len(), 6, "{views:?}");
    }
}
