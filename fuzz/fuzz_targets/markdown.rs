//! Fuzzes text widgets' markdown rendering, the one place user text becomes HTML in the console: whatever the
//! input, the output holds only the tags CommonMark produces and no link or image to a script URL.

#![no_main]

use libfuzzer_sys::fuzz_target;
use skywatch_dashboards::to_safe_html;

const TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "img",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "input",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let html = to_safe_html(text);
    for (at, _) in html.match_indices('<') {
        let rest = html[at + 1..].trim_start_matches('/');
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        assert!(TAGS.contains(&name.as_str()), "tag {name:?} in {html:?}");
    }
    // Inside each tag (text between tags is escaped and may say anything), no URL attribute runs a script.
    let lower = html.to_ascii_lowercase();
    for tag in lower.split('<').skip(1).filter_map(|rest| rest.split_once('>').map(|(tag, _)| tag)) {
        for attribute in ["href=\"", "src=\""] {
            for (at, _) in tag.match_indices(attribute) {
                let value = tag[at + attribute.len()..].trim_start();
                for scheme in ["javascript:", "data:", "vbscript:"] {
                    assert!(!value.starts_with(scheme), "<{tag}> in {html:?}");
                }
            }
        }
    }
});
