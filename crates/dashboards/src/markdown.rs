//! Text widgets' markdown as HTML that is safe to put into the console: CommonMark with tables and
//! strikethrough, raw HTML shown as text, and links only to http(s), mailto and in-page or relative targets.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// Renders `markdown` to HTML with raw HTML escaped and unsafe link targets dropped.
pub fn to_safe_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        // Raw HTML becomes visible text, never markup.
        Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: safe_url(dest_url), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: safe_url(dest_url), title, id })
        }
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// The URL when its scheme is harmless, else `#`.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let path_start = lower.find(['/', '?', '#']).unwrap_or(lower.len());
    let safe = match scheme_end {
        Some(end) if end < path_start => {
            matches!(&lower[..end], "http" | "https" | "mailto")
        }
        _ => true,
    };
    if safe { url } else { CowStr::Borrowed("#") }
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn markdown_is_rendered_and_raw_html_is_escaped() {
        let cases = [
            ("# Shop\nOrders **today**", "<h1>Shop</h1>\n<p>Orders <strong>today</strong></p>\n"),
            ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
            ("a <b>bold</b> word", "<p>a &lt;b&gt;bold&lt;/b&gt; word</p>\n"),
            ("[docs](https://example.com/x)", "<p><a href=\"https://example.com/x\">docs</a></p>\n"),
            ("[home](/cloudwatch/metrics?ns=Shop)", "<p><a href=\"/cloudwatch/metrics?ns=Shop\">home</a></p>\n"),
            ("[x](javascript:alert(1))", "<p><a href=\"#\">x</a></p>\n"),
            ("[x]( JavaScript:alert(1))", "<p><a href=\"#\">x</a></p>\n"),
            ("![i](data:image/svg+xml;base64,AAAA)", "<p><img src=\"#\" alt=\"i\" /></p>\n"),
            ("| a | b |\n|---|---|\n| 1 | 2 |", "<table>"),
        ];
        for (markdown, expected) in cases {
            let html = to_safe_html(markdown);
            assert!(html.contains(expected), "{markdown:?} gave {html:?}");
            assert!(!html.contains("<script"), "{markdown:?} gave {html:?}");
        }
    }
}
