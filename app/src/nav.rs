//! The console's menu: services and their pages, in the AWS console's structure.

/// One page in the left menu.
pub struct NavPage {
    pub label: &'static str,
    pub path: &'static str,
    /// What the page will show, for pages not built yet.
    pub coming: Option<&'static str>,
}

/// One service group in the left menu.
pub struct NavService {
    pub label: &'static str,
    pub pages: &'static [NavPage],
}

pub const MENU: &[NavService] = &[
    NavService {
        label: "CloudWatch",
        pages: &[
            NavPage { label: "Dashboards", path: "/cloudwatch/dashboards", coming: None },
            NavPage { label: "Alarms", path: "/cloudwatch/alarms", coming: None },
            NavPage { label: "Log groups", path: "/cloudwatch/logs", coming: None },
            NavPage { label: "Live Tail", path: "/cloudwatch/logs/live-tail", coming: None },
            NavPage { label: "Export tasks", path: "/cloudwatch/logs/exports", coming: None },
            NavPage { label: "Metrics", path: "/cloudwatch/metrics", coming: None },
        ],
    },
    NavService {
        label: "X-Ray",
        pages: &[
            NavPage { label: "Service map", path: "/xray/service-map", coming: None },
            NavPage { label: "Traces", path: "/xray/traces", coming: None },
        ],
    },
    NavService {
        label: "CloudTrail",
        pages: &[NavPage { label: "Event history", path: "/cloudtrail/event-history", coming: None }],
    },
    NavService {
        label: "AWS Config",
        pages: &[
            NavPage { label: "Dashboard", path: "/config/dashboard", coming: None },
            NavPage { label: "Resources", path: "/config/resources", coming: None },
            NavPage { label: "Rules", path: "/config/rules", coming: None },
        ],
    },
    NavService {
        label: "EventBridge",
        pages: &[
            NavPage {
                label: "Buses",
                path: "/events/buses",
                coming: Some("Event buses, archives and replays, and the schema registry."),
            },
            NavPage { label: "Rules", path: "/events/rules", coming: None },
        ],
    },
    NavService { label: "SNS", pages: &[NavPage { label: "Topics", path: "/sns/topics", coming: None }] },
    NavService { label: "Settings", pages: &[NavPage { label: "Users", path: "/settings/users", coming: None }] },
];

/// The menu entry for a path, if any.
pub fn find(path: &str) -> Option<(&'static NavService, &'static NavPage)> {
    MENU.iter()
        .flat_map(|service| service.pages.iter().map(move |page| (service, page)))
        .find(|(_, page)| page.path == path)
}

/// A test id for a menu path: `/cloudwatch/alarms` -> `cloudwatch-alarms`.
pub fn test_id(path: &str) -> String {
    path.trim_matches('/').replace('/', "-")
}
