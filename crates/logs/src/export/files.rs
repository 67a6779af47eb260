//! The objects an export writes: lines of `<ISO-8601 UTC time with milliseconds> <message>`, gzip-compressed, in
//! objects of bounded size, each written to a temporary name, synced, then renamed, so a crash never leaves half
//! an object under its final name; and the `aws-logs-write-test` object AWS writes to check it may write.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;

use super::path::object_name;

/// The permission check object AWS writes before it exports.
pub const WRITE_TEST_OBJECT: &str = "aws-logs-write-test";
const WRITE_TEST_BODY: &[u8] = b"Permission Check Successful";
/// What a temporary object's name ends with (no escaped stream name can end so).
const TEMPORARY: &str = "%tmp";

/// `2026-12-07T10:00:00.000Z`: an epoch millisecond time in UTC.
pub fn iso_time(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    let (hour, minute, second, milli) = (in_day / 3_600_000, in_day / 60_000 % 60, in_day / 1_000 % 60, in_day % 1_000);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{milli:03}Z")
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// One exported line, newline included.
pub fn line(timestamp_ms: i64, message: &str) -> String {
    format!("{} {message}\n", iso_time(timestamp_ms))
}

/// Writes `body` to `path` all at once: to a temporary name beside it, synced, then renamed over `path`.
pub fn write_atomically(path: &Path, body: &[u8]) -> io::Result<()> {
    let temporary = temporary(path);
    let mut file = File::create(&temporary)?;
    file.write_all(body)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&temporary, path)?;
    sync_dir(path)
}

/// Writes the permission check object into `dir` (created when absent).
pub fn write_test_object(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    write_atomically(&dir.join(WRITE_TEST_OBJECT), WRITE_TEST_BODY)
}

fn temporary(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(TEMPORARY);
    path.with_file_name(name)
}

/// Makes a rename in `path`'s directory durable.
fn sync_dir(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) => File::open(dir)?.sync_all(),
        None => Ok(()),
    }
}

/// The objects of one stream: `000000.gz`, `000001.gz`, ... in `dir`, a new one once an object holds
/// `max_bytes` of lines (an object always takes at least one line).
pub struct StreamObjects {
    dir: PathBuf,
    max_bytes: u64,
    next: u32,
    open: Option<(GzEncoder<File>, PathBuf, u64)>,
    /// Objects finished so far.
    pub written: u32,
}

impl StreamObjects {
    pub fn new(dir: PathBuf, max_bytes: u64) -> Self {
        Self { dir, max_bytes, next: 0, open: None, written: 0 }
    }

    /// Appends one line, starting a new object when the open one is full.
    pub fn push(&mut self, line: &str) -> io::Result<()> {
        let len = line.len() as u64;
        if let Some((_, _, size)) = &self.open
            && *size > 0
            && size.saturating_add(len) > self.max_bytes
        {
            self.finish_open()?;
        }
        if self.open.is_none() {
            std::fs::create_dir_all(&self.dir)?;
            let path = self.dir.join(object_name(self.next));
            self.next = self.next.checked_add(1).ok_or_else(|| io::Error::other("too many objects for one stream"))?;
            let file = File::create(temporary(&path))?;
            self.open = Some((GzEncoder::new(file, Compression::default()), path, 0));
        }
        if let Some((encoder, _, size)) = &mut self.open {
            encoder.write_all(line.as_bytes())?;
            *size = size.saturating_add(len);
        }
        Ok(())
    }

    /// Finishes the open object: the gzip trailer, a sync, then the rename to its final name.
    fn finish_open(&mut self) -> io::Result<()> {
        if let Some((encoder, path, _)) = self.open.take() {
            let file = encoder.finish()?;
            file.sync_all()?;
            drop(file);
            std::fs::rename(temporary(&path), &path)?;
            sync_dir(&path)?;
            self.written += 1;
        }
        Ok(())
    }

    /// Finishes the stream's last object.
    pub fn finish(mut self) -> io::Result<u32> {
        self.finish_open()?;
        Ok(self.written)
    }

    /// Drops the open object unfinished (a cancelled export): its temporary file is removed, the finished objects
    /// stay.
    pub fn abandon(mut self) {
        if let Some((encoder, path, _)) = self.open.take() {
            drop(encoder);
            let _ = std::fs::remove_file(temporary(&path));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn times_are_iso_8601_utc_with_milliseconds() {
        let cases = [
            (0, "1970-01-01T00:00:00.000Z"),
            (1, "1970-01-01T00:00:00.001Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (951_782_400_000, "2000-02-29T00:00:00.000Z"),
            (1_796_637_600_123, "2026-12-07T10:00:00.123Z"),
            (4_102_444_799_999, "2099-12-31T23:59:59.999Z"),
            (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
        ];
        for (ms, text) in cases {
            assert_eq!(iso_time(ms), text, "{ms}");
        }
        assert_eq!(line(1_796_637_600_000, "GET / 200"), "2026-12-07T10:00:00.000Z GET / 200\n");
    }

    fn gunzip(path: &Path) -> String {
        let mut text = String::new();
        flate2::read::GzDecoder::new(File::open(path).unwrap()).read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn objects_split_at_their_size_and_round_trip_through_gzip() {
        let dir = tempfile::tempdir().unwrap();
        let mut objects = StreamObjects::new(dir.path().join("s"), 30);
        let lines: Vec<String> = (0..5).map(|i| line(i, &format!("message {i}"))).collect();
        for l in &lines {
            objects.push(l).unwrap();
        }
        assert_eq!(objects.finish().unwrap(), 5, "each 35-byte line outgrows a 30-byte object");
        let mut names: Vec<_> =
            std::fs::read_dir(dir.path().join("s")).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        assert_eq!(names, ["000000.gz", "000001.gz", "000002.gz", "000003.gz", "000004.gz"]);
        for (i, l) in lines.iter().enumerate() {
            assert_eq!(&gunzip(&dir.path().join("s").join(object_name(i as u32))), l);
        }

        let mut objects = StreamObjects::new(dir.path().join("t"), 1_000);
        for l in &lines {
            objects.push(l).unwrap();
        }
        objects.finish().unwrap();
        assert_eq!(gunzip(&dir.path().join("t/000000.gz")), lines.concat());
    }

    #[test]
    fn an_abandoned_object_leaves_no_file_and_an_unfinished_one_no_final_name() {
        let dir = tempfile::tempdir().unwrap();
        let mut objects = StreamObjects::new(dir.path().to_path_buf(), 1_000);
        objects.push("a line\n").unwrap();
        assert!(!dir.path().join("000000.gz").exists(), "not under its final name before it is finished");
        assert!(dir.path().join("000000.gz%tmp").exists());
        objects.abandon();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn the_write_test_object_says_the_check_succeeded() {
        let dir = tempfile::tempdir().unwrap();
        write_test_object(&dir.path().join("bucket/prefix")).unwrap();
        let body = std::fs::read(dir.path().join("bucket/prefix/aws-logs-write-test")).unwrap();
        assert_eq!(body, b"Permission Check Successful");
    }
}
