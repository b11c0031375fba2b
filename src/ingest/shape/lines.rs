//! Line shapes, streamed: plain lines (console timestamps removed), CloudWatch Logs / Logs
//! Insights CSV, and JSON Lines. Every physical line gives exactly one [`Unwrapped`]; memory
//! follows the longest line.

use super::split::{too_long, LineSplitter};
use super::{json, Cx, Reason, ShapeKind, Sink, Unwrapped, WrapperProblem};
use std::borrow::Cow;

/// The line shape chosen for a text.
pub(super) enum TextKind {
    Lines,
    Csv(Csv),
    JsonLines,
    Table(Table),
}

impl TextKind {
    pub(super) fn shape(&self) -> ShapeKind {
        match self {
            TextKind::Lines => ShapeKind::Lines,
            TextKind::Csv(csv) if csv.insights => ShapeKind::InsightsCsv,
            TextKind::Csv(_) => ShapeKind::CloudWatchCsv,
            TextKind::JsonLines => ShapeKind::JsonLines,
            TextKind::Table(_) => ShapeKind::InsightsTable,
        }
    }

    fn line(&self, number: u64, bytes: &[u8], cut: bool, cx: &mut Cx, sink: &mut Sink<'_>) {
        if cut {
            return too_long(number, bytes, sink);
        }
        let text = utf8(bytes);
        match self {
            TextKind::Lines => match strip_timestamp(&text) {
                Some(rest) => {
                    cx.report.timestamp_prefix = true;
                    sink(Unwrapped::Line { number, text: rest });
                }
                None => sink(Unwrapped::Line {
                    number,
                    text: &text,
                }),
            },
            TextKind::Csv(csv) => csv.row(number, &text, sink),
            TextKind::JsonLines => json::json_line(number, &text, sink),
            TextKind::Table(table) => table.row(number, &text, cx, sink),
        }
    }
}

/// The text of `bytes`: borrowed when they are UTF-8 (validated once, with the standard library's
/// ASCII fast path), a lossy copy otherwise (invalid sequences become U+FFFD).
pub(super) fn utf8(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// A text stage: splits lines and hands each to its shape.
pub(super) struct TextStage {
    kind: TextKind,
    split: LineSplitter,
}

impl TextStage {
    pub(super) fn new(kind: TextKind) -> TextStage {
        TextStage {
            kind,
            split: LineSplitter::default(),
        }
    }

    pub(super) fn push(&mut self, data: &[u8], cx: &mut Cx, sink: &mut Sink<'_>) {
        let TextStage { kind, split } = self;
        split.push(data, |number, bytes, cut| {
            kind.line(number, bytes, cut, cx, sink)
        });
    }

    pub(super) fn finish(&mut self, cx: &mut Cx, sink: &mut Sink<'_>) {
        let TextStage { kind, split } = self;
        split.finish(|number, bytes, cut| kind.line(number, bytes, cut, cx, sink));
    }
}

/// Rows copied from the Logs Insights console's results table: `1<TAB>2025-04-13T05:23:05.000Z<TAB>
/// <message>`, the columns of the query in order (`#`, `@timestamp`, `@message` by default),
/// sometimes under a header row naming them.
pub(super) struct Table {
    /// The column of the message (0-based, counting the row number).
    message: usize,
}

impl Table {
    /// The table shape when the input's first line is its header row (`#<TAB>...@message...`)
    /// or one of its rows (a row number, a tab, a timestamp, a tab).
    pub(super) fn from_first_line(line: &str) -> Option<Table> {
        let cells: Vec<&str> = line.trim_end_matches(['\r', ' ']).split('\t').collect();
        if cells.first() == Some(&"#") {
            let message = cells.iter().position(|c| c.trim() == "@message")?;
            return Some(Table { message });
        }
        Table::row_cells(line).map(|_| Table { message: 2 })
    }

    /// The cells of a table row: a row number, then a timestamp, then at least one more.
    fn row_cells(line: &str) -> Option<Vec<&str>> {
        let cells: Vec<&str> = line.split('\t').collect();
        let number = cells.first()?.trim();
        let stamp = cells.get(1)?.trim();
        let numbered =
            !number.is_empty() && number.len() <= 12 && number.bytes().all(|b| b.is_ascii_digit());
        let timed = iso_len(stamp.as_bytes()) == Some(stamp.len());
        (numbered && timed && cells.len() >= 3).then_some(cells)
    }

    fn row(&self, number: u64, text: &str, cx: &mut Cx, sink: &mut Sink<'_>) {
        if text.starts_with("#\t") {
            return sink(Unwrapped::Ignored {
                number,
                reason: Reason::TableHeader,
            });
        }
        match Table::row_cells(text).and_then(|cells| cells.get(self.message).copied()) {
            Some(message) => {
                cx.report.timestamp_prefix = true;
                sink(Unwrapped::Line {
                    number,
                    text: message,
                })
            }
            // A line of another shape in the copy (a bare record): as it is.
            None => sink(Unwrapped::Line { number, text }),
        }
    }
}

/// Removes a console or export timestamp from the front of a line: an ISO 8601 time
/// (`2025-04-13T05:23:05.000Z`, `...+09:00`, `2025-04-13 05:23:05.000`), or epoch milliseconds
/// when what follows still starts like a record, then tabs or spaces. `None` when there is none.
pub(super) fn strip_timestamp(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    if !b.first()?.is_ascii_digit() {
        return None;
    }
    let (len, epoch) = match iso_len(b) {
        Some(n) => (n, false),
        None => (epoch_millis_len(b)?, true),
    };
    if !matches!(b.get(len), Some(b' ' | b'\t')) {
        return None;
    }
    let rest = line[len..].trim_start_matches([' ', '\t']);
    if rest.is_empty() || (epoch && !starts_like_record(rest)) {
        return None;
    }
    Some(rest)
}

/// Length of an ISO 8601 date-time at the start of `b`.
fn iso_len(b: &[u8]) -> Option<usize> {
    let digits = |from: usize, n: usize| {
        b.get(from..from + n)
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    let ok = digits(0, 4)
        && at(4, b'-')
        && digits(5, 2)
        && at(7, b'-')
        && digits(8, 2)
        && matches!(b.get(10), Some(b'T' | b' '))
        && digits(11, 2)
        && at(13, b':')
        && digits(14, 2)
        && at(16, b':')
        && digits(17, 2);
    if !ok {
        return None;
    }
    let mut i = 19;
    if matches!(b.get(i), Some(b'.' | b',')) && digits(i + 1, 1) {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    match b.get(i) {
        Some(b'Z') => i += 1,
        Some(b'+' | b'-') if digits(i + 1, 2) => {
            i += 3;
            if at(i, b':') && digits(i + 1, 2) {
                i += 3;
            } else if digits(i, 2) {
                i += 2;
            }
        }
        _ => {}
    }
    Some(i)
}

/// Length of a 13-digit epoch-milliseconds number (years 2000 to 2099) at the start of `b`.
fn epoch_millis_len(b: &[u8]) -> Option<usize> {
    let digits = b.get(..13)?;
    if !digits.iter().all(u8::is_ascii_digit) || b.get(13).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let ms: u64 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    (946_684_800_000..4_102_444_800_000)
        .contains(&ms)
        .then_some(13)
}

/// A custom format may start with a 13-digit number (bytes, say), so epoch milliseconds are only
/// taken as a prefix when the rest starts like a record: a small version number, then an account
/// id, `unknown`, `-`, `TransitGateway` or a resource id.
fn starts_like_record(rest: &str) -> bool {
    let mut tokens = rest.split_ascii_whitespace();
    let version_ok = tokens
        .next()
        .is_some_and(|t| t.len() <= 2 && t.parse::<u8>().is_ok_and(|v| (1..=20).contains(&v)));
    let second_ok = tokens.next().is_some_and(|t| {
        (t.len() == 12 && t.bytes().all(|b| b.is_ascii_digit()))
            || matches!(t, "unknown" | "-" | "TransitGateway")
            || ["eni-", "vpc-", "subnet-", "i-", "tgw-"]
                .iter()
                .any(|p| t.starts_with(p))
    });
    version_ok && second_ok
}

/// A CSV line shape: CloudWatch Logs downloads (`timestamp,message`) and Logs Insights exports
/// (`@timestamp,@message,...`). A row is one physical line: a quote left open at the end of its
/// line is an error for that row, so a stray quote cannot swallow the rest of the file.
pub(super) struct Csv {
    /// The message column, from 0.
    column: usize,
    insights: bool,
    /// The name of the message column, to recognise the header row again in concatenated
    /// downloads.
    name: String,
    columns: usize,
}

impl Csv {
    /// Recognises a header row of names that includes `message` or `@message`.
    pub(super) fn from_header(line: &str) -> Option<Csv> {
        let mut names = Vec::new();
        let mut rest = line.trim();
        loop {
            let (field, next) = csv_field(rest).ok()?;
            names.push(field.trim().to_ascii_lowercase());
            match next {
                Some(n) => rest = &rest[n..],
                None => break,
            }
        }
        let name_ok = |n: &String| {
            !n.is_empty()
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'@' | b'_' | b'.' | b'-'))
        };
        if names.len() < 2 || !names.iter().all(name_ok) {
            return None;
        }
        let (column, insights) = match names.iter().position(|n| n == "@message") {
            Some(i) => (i, true),
            None => (names.iter().position(|n| n == "message")?, false),
        };
        Some(Csv {
            column,
            insights,
            name: names[column].clone(),
            columns: names.len(),
        })
    }

    fn row(&self, number: u64, line: &str, sink: &mut Sink<'_>) {
        if line.is_empty() {
            return sink(Unwrapped::Line { number, text: "" });
        }
        let mut rest = line;
        let mut index = 0;
        let mut message = None;
        loop {
            match csv_field(rest) {
                Err(problem) => {
                    return sink(Unwrapped::Error {
                        number,
                        problem,
                        raw: line,
                    })
                }
                Ok((field, next)) => {
                    if index == self.column {
                        message = Some(field);
                    }
                    index += 1;
                    match next {
                        Some(n) => rest = &rest[n..],
                        None => break,
                    }
                }
            }
        }
        match message {
            Some(name) if index == self.columns && name.trim().eq_ignore_ascii_case(&self.name) => {
                sink(Unwrapped::Ignored {
                    number,
                    reason: Reason::CsvHeader,
                })
            }
            Some(text) => sink(Unwrapped::Line {
                number,
                text: &text,
            }),
            None => sink(Unwrapped::Error {
                number,
                problem: WrapperProblem::MissingColumn {
                    column: self.column + 1,
                    found: index,
                },
                raw: line,
            }),
        }
    }
}

/// The first field of a CSV row (RFC 4180: `"` quotes, `""` inside quotes is one `"`), and where
/// the next field starts (after the comma), if there is one. Text between a closing quote and the
/// comma is dropped.
fn csv_field(s: &str) -> Result<(Cow<'_, str>, Option<usize>), WrapperProblem> {
    let comma_after = |from: usize| s[from..].find(',').map(|i| from + i + 1);
    if !s.starts_with('"') {
        let next = comma_after(0);
        let end = next.map_or(s.len(), |n| n - 1);
        return Ok((Cow::Borrowed(&s[..end]), next));
    }
    let mut owned: Option<String> = None;
    let mut from = 1;
    loop {
        let q = from + s[from..].find('"').ok_or(WrapperProblem::UnclosedQuote)?;
        if s[q + 1..].starts_with('"') {
            owned.get_or_insert_with(String::new).push_str(&s[from..=q]);
            from = q + 2;
            continue;
        }
        let field = match owned {
            Some(mut o) => {
                o.push_str(&s[from..q]);
                Cow::Owned(o)
            }
            None => Cow::Borrowed(&s[1..q]),
        };
        return Ok((field, comma_after(q + 1)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::shape::split::find_line_end;

    fn split_all(chunks: &[&[u8]]) -> Vec<(u64, String)> {
        let mut s = LineSplitter::default();
        let mut out = Vec::new();
        for c in chunks {
            s.push(c, |n, l, _| {
                out.push((n, String::from_utf8_lossy(l).into_owned()))
            });
        }
        s.finish(|n, l, _| out.push((n, String::from_utf8_lossy(l).into_owned())));
        out
    }

    #[test]
    fn line_ends_of_all_kinds() {
        let want: Vec<(u64, String)> = ["a", "b", "", "c", "d"]
            .iter()
            .enumerate()
            .map(|(i, s)| (i as u64 + 1, s.to_string()))
            .collect();
        assert_eq!(split_all(&[b"a\r\nb\n\rc\rd"]), want);
        assert_eq!(split_all(&[b"a\r", b"\nb\n", b"\r", b"c\r", b"d"]), want);
        assert_eq!(split_all(&[b"x\r"]), [(1, "x".to_string())]);
        assert_eq!(split_all(&[b"x\n"]), [(1, "x".to_string())]);
        assert!(split_all(&[b""]).is_empty());
    }

    #[test]
    fn find_line_end_in_words() {
        let mut long = vec![b'x'; 37];
        assert_eq!(find_line_end(&long), None);
        long[29] = b'\r';
        assert_eq!(find_line_end(&long), Some(29));
        long[3] = b'\n';
        assert_eq!(find_line_end(&long), Some(3));
        // bytes that trip the word test without being line ends
        assert_eq!(
            find_line_end(b"\x8b\x0b\x0e\x8d\x8a\x0c\x0d\x01z\n"),
            Some(6)
        );
    }

    #[test]
    fn timestamps_removed() {
        let r = "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA";
        for prefix in [
            "2025-04-13T05:23:05.000Z ",
            "2025-04-13T14:23:05.000+09:00\t",
            "2025-04-13T14:23:05+0900 ",
            "2025-04-13 05:23:05.000\t",
            "2025-04-13T05:23:05Z  ",
            "1744521785000\t",
            "1744521785000   ",
        ] {
            assert_eq!(
                strip_timestamp(&format!("{prefix}{r}")),
                Some(r),
                "{prefix}"
            );
        }
        assert_eq!(strip_timestamp(r), None);
    }

    #[test]
    fn numbers_that_are_not_timestamps_stay() {
        for line in [
            // a custom format starting with bytes, then packets
            "1744521785000 20 ACCEPT",
            // out of the plausible range
            "9999999999999 2 123456789010 eni-1 - - - - - - - 1 2 - NODATA",
            "17445217850001 2 123456789010",
            "2025-04-13T05:23:05.000Z",
            "2025-04-13T05:23:05.000Zx 2",
        ] {
            assert_eq!(strip_timestamp(line), None, "{line}");
        }
        assert_eq!(
            strip_timestamp("1744521785000 5 unknown x"),
            Some("5 unknown x")
        );
    }

    #[test]
    fn csv_fields() {
        assert_eq!(csv_field("a,b").unwrap(), (Cow::Borrowed("a"), Some(2)));
        assert_eq!(csv_field("").unwrap(), (Cow::Borrowed(""), None));
        assert_eq!(
            csv_field(r#""x ""y"" z",1"#).unwrap(),
            (Cow::Owned(r#"x "y" z"#.to_string()), Some(12))
        );
        assert_eq!(csv_field(r#""a,b""#).unwrap(), (Cow::Borrowed("a,b"), None));
        assert_eq!(csv_field(r#""a,b"#), Err(WrapperProblem::UnclosedQuote));
    }

    #[test]
    fn csv_headers() {
        let c = Csv::from_header("timestamp,message").unwrap();
        assert_eq!((c.column, c.insights), (1, false));
        let c = Csv::from_header("\"@timestamp\",\"@message\",\"@logStream\",\"@log\"").unwrap();
        assert_eq!((c.column, c.insights), (1, true));
        assert!(Csv::from_header("message").is_none());
        assert!(Csv::from_header("version account-id interface-id").is_none());
        assert!(Csv::from_header("a message,b").is_none());
    }
}
