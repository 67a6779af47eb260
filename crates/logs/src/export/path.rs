//! Where an export's objects land on disk. A bucket is a directory of the export dir, an object key a path under
//! it: `<prefix>/<task id>/<stream>/000000.gz` as AWS lays them out. Bucket names follow S3's rules; a prefix may
//! not climb out of its bucket (`..`, `.`, a leading `/`, backslashes, control characters); and a stream name,
//! which may hold any character but `:` and `*`, becomes one or more path components that stay inside the task's
//! directory and never collide with another stream's, or with the object files themselves.

use std::path::{Path, PathBuf};

/// The longest path component written (Linux allows 255 bytes).
const MAX_COMPONENT: usize = 240;
/// The longest destination prefix (S3's key length).
pub const MAX_PREFIX_BYTES: usize = 1024;

/// Whether `name` is a valid S3 bucket name (general purpose buckets): 3 to 63 lowercase letters, digits, dots
/// and hyphens, beginning and ending with a letter or digit, no two dots together, not an IP address, and none of
/// the prefixes and suffixes S3 reserves.
pub fn valid_bucket(name: &str) -> bool {
    let bytes = name.as_bytes();
    let edge = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    (3..=63).contains(&bytes.len())
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-'))
        && edge(bytes.first())
        && edge(bytes.last())
        && !name.contains("..")
        && name.parse::<std::net::Ipv4Addr>().is_err()
        && !["xn--", "sthree-", "amzn-s3-demo-"].iter().any(|p| name.starts_with(p))
        && !["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].iter().any(|s| name.ends_with(s))
}

/// Why a destination prefix is refused, if it is.
pub fn prefix_problem(prefix: &str) -> Option<&'static str> {
    if prefix.is_empty() {
        Some("must not be empty")
    } else if prefix.len() > MAX_PREFIX_BYTES {
        Some("must be at most 1024 bytes")
    } else if prefix.starts_with('/') {
        Some("must be relative to the bucket")
    } else if prefix.contains('\\') || prefix.chars().any(char::is_control) {
        Some("must not contain backslashes or control characters")
    } else if prefix.split('/').any(|part| part == ".." || part == ".") {
        Some("must not contain . or .. segments")
    } else {
        None
    }
}

/// The directory of prefix `prefix` in bucket `bucket` (both checked by the operation; checked again here, so a
/// stored task can never name a path outside the export dir).
pub fn prefix_dir(export_dir: &Path, bucket: &str, prefix: &str) -> Option<PathBuf> {
    if !valid_bucket(bucket) || prefix_problem(prefix).is_some() {
        return None;
    }
    let mut dir = export_dir.join(bucket);
    // Empty segments ("a//b") add nothing on disk.
    dir.extend(prefix.split('/').filter(|part| !part.is_empty()));
    Some(dir)
}

/// The name of a task's `index`-th object of a stream: `000000.gz`, `000001.gz`, ...
pub fn object_name(index: u32) -> String {
    format!("{index:06}.gz")
}

fn is_object_name(part: &str) -> bool {
    part.len() == 9 && part.ends_with(".gz") && part.bytes().take(6).all(|b| b.is_ascii_digit())
}

/// The relative directory of stream `name`'s objects: one component for each `/`-separated part, escaped so that
/// different names never share a directory, no component is `.`, `..` or empty, none looks like an object file,
/// and none is longer than a file name may be. `%` escapes (`%25` for `%` itself), so the mapping is one to one:
/// `%2E` for dots of a part that is all dots or an object's name, `%5C` and `%XX` for backslashes and control
/// characters, `%` alone for an empty part, and `%+` opening the continuation of a part too long for one component.
pub fn stream_dir(name: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for part in name.split('/') {
        let escaped = escape_part(part);
        let mut rest = escaped.as_str();
        let mut first = true;
        while !rest.is_empty() {
            let room = if first { MAX_COMPONENT } else { MAX_COMPONENT - 2 };
            let cut = split_point(rest, room);
            let (piece, tail) = rest.split_at(cut);
            out.push(if first { piece.to_owned() } else { format!("%+{piece}") });
            first = false;
            rest = tail;
        }
    }
    out
}

fn escape_part(part: &str) -> String {
    if part.is_empty() {
        return "%".into();
    }
    if part.bytes().all(|b| b == b'.') || is_object_name(part) {
        return part.replace('.', "%2E");
    }
    let mut out = String::with_capacity(part.len());
    for c in part.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\\' => out.push_str("%5C"),
            c if c.is_control() => {
                let mut bytes = [0u8; 4];
                for b in c.encode_utf8(&mut bytes).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The largest cut of `text` at most `room` bytes long that splits neither a character nor an escape.
fn split_point(text: &str, room: usize) -> usize {
    if text.len() <= room {
        return text.len();
    }
    let mut cut = room;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    // An escape is `%` and two characters: never end a piece inside one.
    if let Some(at) = text[..cut].rfind('%')
        && cut - at < 3
    {
        cut = at;
    }
    cut
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::path::Component;

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn bucket_names_follow_s3_rules() {
        let cases = [
            ("my-bucket", true),
            ("logs.example.com", true),
            ("a1b", true),
            (&"a".repeat(63), true),
            ("ab", false),
            (&"a".repeat(64), false),
            ("My-Bucket", false),
            ("my_bucket", false),
            ("-bucket", false),
            ("bucket-", false),
            ("my..bucket", false),
            ("192.168.5.4", false),
            ("xn--bucket", false),
            ("bucket-s3alias", false),
            ("bucket--ol-s3", false),
            ("my bucket", false),
            ("../etc", false),
        ];
        for (name, valid) in cases {
            assert_eq!(valid_bucket(name), valid, "{name}");
        }
    }

    #[test]
    fn prefixes_that_climb_out_are_refused() {
        for ok in ["exportedlogs", "a/b/c", "2026/12/07", "a//b", "logs/", "with space", "ünïcode"] {
            assert_eq!(prefix_problem(ok), None, "{ok}");
        }
        for bad in ["", "..", "../x", "a/../../b", "a/..", "./a", "/abs", "a\\b", "..\\x", "a\nb", "a\0b"] {
            assert!(prefix_problem(bad).is_some(), "{bad:?}");
        }
        assert!(prefix_problem(&"a".repeat(1025)).is_some());
        let root = Path::new("/exports");
        assert_eq!(prefix_dir(root, "bucket", "a//b/"), Some(PathBuf::from("/exports/bucket/a/b")));
        assert_eq!(prefix_dir(root, "bucket", "exportedlogs"), Some(PathBuf::from("/exports/bucket/exportedlogs")));
        assert_eq!(prefix_dir(root, "bucket", "../x"), None);
        assert_eq!(prefix_dir(root, "../x", "exportedlogs"), None);
    }

    #[test]
    fn stream_names_become_safe_distinct_directories() {
        let cases = [
            ("app", "app"),
            ("2026/12/06/[$LATEST]abc", "2026/12/06/[$LATEST]abc"),
            ("..", "%2E%2E"),
            (".", "%2E"),
            ("a/../b", "a/%2E%2E/b"),
            ("/abs", "%/abs"),
            ("a//b", "a/%/b"),
            ("a/", "a/%"),
            ("100%", "100%25"),
            ("a\\b", "a%5Cb"),
            ("tab\there", "tab%09here"),
            ("000000.gz", "000000%2Egz"),
            ("x/000123.gz/y", "x/000123%2Egz/y"),
            ("000000.gzip", "000000.gzip"),
            ("...", "%2E%2E%2E"),
            ("a..b", "a..b"),
        ];
        for (name, dir) in cases {
            assert_eq!(stream_dir(name), PathBuf::from(dir), "{name}");
        }
        let long = "é".repeat(300);
        let dir = stream_dir(&long);
        let parts: Vec<_> = dir.components().collect();
        assert_eq!(parts.len(), 3, "{dir:?}");
        assert!(parts.iter().all(|p| p.as_os_str().len() <= 240));
    }

    fn stays_inside(dir: &Path) -> bool {
        dir.components().all(|c| match c {
            Component::Normal(part) => {
                let part = part.to_string_lossy();
                !part.is_empty() && part.len() <= 255 && !is_object_name(&part) && !part.ends_with("%tmp")
            }
            _ => false,
        })
    }

    proptest! {
        #[test]
        fn every_stream_name_stays_inside_its_task(name in "[^:*]{1,120}", long in "[./%\\\\a\u{e9}0]{200,512}") {
            for name in [name, long] {
                let dir = stream_dir(&name);
                prop_assert!(stays_inside(&dir), "{name:?} -> {dir:?}");
                prop_assert!(dir.components().count() >= 1);
            }
        }

        #[test]
        fn different_stream_names_never_share_a_directory(
            names in proptest::collection::hash_set("[./%a\\\\0-9gz\n]{1,12}", 1..40)
        ) {
            let dirs: HashSet<PathBuf> = names.iter().map(|n| stream_dir(n)).collect();
            prop_assert_eq!(dirs.len(), names.len());
        }
    }
}
